//! The server's limits and their checks: the `[limits]` section of the
//! config (`Limits`, with its defaults), the sizes and characters of what a
//! client sends before any room sees it, language tags, room ids, time per
//! turn, and the rate limit (per connection, and per participant across
//! their connections). Below `config`, which reads `Limits` from TOML.
//! Tested here.

use dais_protocol::{ErrorCode, Request};
use serde::Deserialize;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// Longest reason or poll option, in characters.
const MAX_SHORT_TEXT: usize = 500;
/// Longest room title, in characters: titles go to every connection in
/// the room list, so they are kept to what a list can show.
pub const MAX_TITLE: usize = 200;
/// Most titles (languages) a room may have.
pub const MAX_TITLES: usize = 8;
/// Longest room description, in characters.
pub const MAX_DESCRIPTION: usize = 500;

/// Limits with defaults that suit a plenary on a small box.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Limits {
    /// Largest websocket message or frame accepted, in bytes; bigger ones close the connection.
    pub max_frame_bytes: usize,
    /// Longest text (speech, announcement, interpretation), in characters.
    pub max_text_chars: usize,
    /// Sustained requests per second per participant, over all their connections.
    pub messages_per_second: u32,
    /// Requests a participant may send in a burst above that rate.
    pub burst: u32,
    /// Requests refused for rate in a row before the connection is closed as a flood.
    pub flood_strikes: u32,
    /// Simultaneous connections from one IP address, counted from the
    /// moment TCP accepts them (half-open HTTP and TLS handshakes included).
    pub connections_per_address: usize,
    /// New connections per second one IP address may open, on average...
    pub connections_per_second: u32,
    /// ...and at once. Beyond that a connection is answered 429 and closed
    /// before any TLS or websocket work.
    pub connection_burst: u32,
    /// Failed `hello`s (bad tokens) one address may make per minute before
    /// its further `hello`s get `login_throttled` for a while.
    pub failed_logins_per_minute: u32,
    /// New guests one address may create per minute (a guest who comes back
    /// with their credential does not count).
    pub guests_per_minute: u32,
    /// Public web pages (and live streams) one address may ask for per
    /// second, on average...
    pub page_requests_per_second: u32,
    /// ...and at once; beyond that the answer is 429.
    pub page_request_burst: u32,
    /// Largest number of frames one message may be fragmented into.
    pub max_fragments: usize,
    /// Most rooms the server holds (moderators create rooms at run time).
    pub max_rooms: usize,
    /// Pending points of order per participant in a room.
    pub points_per_participant: usize,
    /// Pending points of order per room.
    pub points_per_room: usize,
    /// Seconds a nonce is remembered: a retry within this window gets the
    /// original event's seq; after it, a new event.
    pub nonce_window_secs: u64,
    /// Most nonces a room remembers (the oldest are forgotten first).
    pub nonces_per_room: usize,
    /// Seconds a new connection has to complete its TLS and HTTP handshake.
    pub handshake_timeout_secs: u64,
    /// Seconds a new connection has to send `hello`.
    pub hello_timeout_secs: u64,
    /// Seconds between pings of an idle connection.
    pub ping_interval_secs: u64,
    /// Seconds of silence (no frame, no pong) after which a connection is dropped.
    pub idle_timeout_secs: u64,
    /// Frames (or batches) waiting to be written to one connection before it
    /// is dropped as a slow reader.
    pub outbox_frames: usize,
    /// Bytes owed to one connection (queued, not yet written) past which the
    /// next frame for it closes it as a slow reader. One batch (a replay) may
    /// go over; what is refused is more on top of a backlog this large.
    pub outbox_bytes: usize,
    /// The kernel's send buffer for each connection (SO_SNDBUF, which
    /// Linux doubles), or 0 to leave it to the kernel's autotuning. Left to
    /// the kernel, a reader that stops reading holds up to `tcp_wmem`'s
    /// maximum (4 MiB by default) in kernel memory on top of `outbox_bytes`,
    /// out of the slow-reader limit's sight, and filling it costs the whole
    /// server: measured, 100 such readers took the others' delivery p50
    /// from 3 ms to 2 s (docs/PERFORMANCE.md).
    pub send_buffer_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_frame_bytes: 64 * 1024,
            max_text_chars: 4000,
            messages_per_second: 20,
            burst: 40,
            flood_strikes: 50,
            connections_per_address: 64,
            connections_per_second: 10,
            connection_burst: 64,
            failed_logins_per_minute: 20,
            guests_per_minute: 120,
            page_requests_per_second: 10,
            page_request_burst: 60,
            max_fragments: 64,
            max_rooms: 100,
            points_per_participant: 1,
            points_per_room: 20,
            nonce_window_secs: 3600,
            nonces_per_room: 100_000,
            handshake_timeout_secs: 10,
            hello_timeout_secs: 10,
            ping_interval_secs: 10,
            idle_timeout_secs: 30,
            outbox_frames: 1024,
            outbox_bytes: 4 * 1024 * 1024,
            send_buffer_bytes: 128 * 1024,
        }
    }
}

/// Time per turn a room gets when its config or `room_create` names none, in seconds.
pub const DEFAULT_TIME_LIMIT: u32 = 180;
/// Longest turn a chair may set, in seconds.
pub const MAX_TIME_LIMIT: u32 = 3600;

/// Whether `id` may name a room: 1 to 64 characters of a-z, 0-9 and `-`,
/// so that it reads the same in a URL, a file name and a log line.
pub fn valid_room_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Explicit directional embeddings and overrides (LRE, RLE, PDF, LRO, RLO):
/// they reorder everything after them until a PDF, so text can be made to
/// read as something else ("Chair" spelt backwards, a name that seems to
/// end a line). Never accepted.
fn is_embedding_or_override(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}')
}

/// Directional isolates (LRI, RLI, FSI) and their end (PDI).
fn is_isolate(c: char) -> bool {
    matches!(c, '\u{2066}'..='\u{2069}')
}

/// A name, delegation or title: no control characters and no directional
/// formatting at all (a name is laid out isolated by whoever shows it).
pub fn check_name_text(t: &str) -> Result<(), ErrorCode> {
    if t.chars()
        .any(|c| c.is_control() || is_embedding_or_override(c) || is_isolate(c))
    {
        return Err(ErrorCode::InvalidText);
    }
    Ok(())
}

/// Free text (a speech, a reason): line breaks and tabs are fine, other
/// control characters (escape sequences among them) are not, and
/// directional isolates must each be closed (by PDI) before the text ends,
/// so that nothing leaks into what a screen shows after it.
pub fn check_free_text(t: &str) -> Result<(), ErrorCode> {
    let mut open = 0usize;
    for c in t.chars() {
        if (c.is_control() && !matches!(c, '\n' | '\t' | '\r')) || is_embedding_or_override(c) {
            return Err(ErrorCode::InvalidText);
        }
        match c {
            '\u{2066}'..='\u{2068}' => open += 1,
            '\u{2069}' => {
                if open == 0 {
                    return Err(ErrorCode::InvalidText);
                }
                open -= 1;
            }
            _ => {}
        }
    }
    if open != 0 {
        return Err(ErrorCode::InvalidText);
    }
    Ok(())
}

/// Whether `tag` looks like a BCP 47 language tag (`en`, `zh-CN`, `sr-Latn-RS`, `und`).
pub fn valid_lang(tag: &str) -> bool {
    if tag.is_empty() || tag.len() > 35 {
        return false;
    }
    let mut parts = tag.split('-');
    let primary = parts.next().unwrap_or("");
    if !(2..=8).contains(&primary.len()) || !primary.bytes().all(|b| b.is_ascii_alphabetic()) {
        return false;
    }
    parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

fn text(t: &str, max: usize) -> Result<(), ErrorCode> {
    if t.trim().is_empty() {
        return Err(ErrorCode::EmptyText);
    }
    if t.chars().count() > max {
        return Err(ErrorCode::TextTooLong);
    }
    check_free_text(t)
}

fn optional(t: &Option<String>, max: usize) -> Result<(), ErrorCode> {
    match t {
        Some(t) if t.chars().count() > max => Err(ErrorCode::TextTooLong),
        Some(t) => check_free_text(t),
        None => Ok(()),
    }
}

fn lang(tag: &str) -> Result<(), ErrorCode> {
    if valid_lang(tag) {
        Ok(())
    } else {
        Err(ErrorCode::InvalidLanguage)
    }
}

/// Check the sizes and formats of a request's fields.
pub fn validate(req: &Request, limits: &Limits) -> Result<(), ErrorCode> {
    let max = limits.max_text_chars;
    match req {
        Request::Say {
            text: t, lang: l, ..
        }
        | Request::Announce {
            text: t, lang: l, ..
        }
        | Request::Interpret {
            text: t, lang: l, ..
        } => {
            text(t, max)?;
            lang(l)
        }
        Request::PointOfOrder { text: t, .. } => optional(t, max),
        Request::Rule { ruling, .. } => text(ruling, max),
        Request::PollOpen {
            question, options, ..
        } => {
            text(question, max)?;
            for o in options.iter().flatten() {
                text(o, MAX_SHORT_TEXT)?;
            }
            Ok(())
        }
        Request::Grant { reason, .. }
        | Request::Revoke { reason, .. }
        | Request::ReorderQueue { reason, .. }
        | Request::ClearQueue { reason, .. }
        | Request::CloseList { reason, .. }
        | Request::Mute { reason, .. }
        | Request::Remove { reason, .. } => optional(reason, MAX_SHORT_TEXT),
        Request::RoomCreate {
            titles,
            description,
            ..
        } => {
            if titles.is_empty() {
                return Err(ErrorCode::MissingField);
            }
            if titles.len() > MAX_TITLES {
                return Err(ErrorCode::TextTooLong);
            }
            for (l, t) in titles {
                lang(l)?;
                text(t, MAX_TITLE)?;
                check_name_text(t)?;
            }
            if description.chars().count() > MAX_DESCRIPTION {
                return Err(ErrorCode::TextTooLong);
            }
            check_free_text(description)
        }
        Request::Hello { lang: Some(l), .. } | Request::Rooms { lang: Some(l) } => lang(l),
        Request::Members {
            prefix: Some(p), ..
        } => {
            if p.chars().count() > MAX_SHORT_TEXT {
                return Err(ErrorCode::TextTooLong);
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

/// A token bucket: `rate` requests a second on average, up to `burst` at once.
#[derive(Debug)]
pub struct Bucket {
    rate: f64,
    burst: f64,
    tokens: f64,
    last: Instant,
    /// Refusals in a row, over every connection that draws on this bucket.
    strikes: u32,
}

impl Bucket {
    fn new(limits: &Limits, now: Instant) -> Self {
        Bucket {
            rate: limits.messages_per_second as f64,
            burst: limits.burst.max(1) as f64,
            tokens: limits.burst.max(1) as f64,
            last: now,
            strikes: 0,
        }
    }

    fn refill(&mut self, now: Instant) {
        let elapsed = now.saturating_duration_since(self.last).as_secs_f64();
        self.last = now;
        self.tokens = (self.tokens + elapsed * self.rate).min(self.burst);
    }

    fn take(&mut self, now: Instant) -> bool {
        self.refill(now);
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }

    /// As good as new: dropping it loses nothing.
    fn is_full(&mut self, now: Instant) -> bool {
        self.refill(now);
        self.tokens >= self.burst && self.strikes == 0
    }

    /// Take a token, or count a strike; past `max_strikes` it is a flood,
    /// and a flood leaves the bucket in debt (as long again as a full burst
    /// takes to earn), so that coming straight back meets a closed door.
    fn check(&mut self, now: Instant, max_strikes: u32) -> Verdict {
        if self.take(now) {
            self.strikes = 0;
            return Verdict::Allow;
        }
        self.strikes = self.strikes.saturating_add(1);
        if self.strikes >= max_strikes {
            self.tokens = -self.burst;
            Verdict::Flood
        } else {
            Verdict::Refuse
        }
    }
}

/// The rate limit of one connection. Before `hello` it has a bucket of its
/// own; after, it draws on its participant's bucket, shared by all their
/// connections, so that closing and reopening a connection buys neither a
/// fresh burst nor a fresh count of strikes. Refusals in a row count as
/// strikes; enough strikes make a flood, and a flood closes the connection.
/// A participant who floods and comes straight back is closed again at
/// their first frame, for a cost of one handshake rather than fifty frames.
#[derive(Debug)]
pub struct RateLimiter {
    bucket: Arc<Mutex<Bucket>>,
    max_strikes: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Allow,
    /// Answer `rate_limited` and drop the request.
    Refuse,
    /// Close the connection.
    Flood,
}

impl RateLimiter {
    pub fn new(limits: &Limits, now: Instant) -> Self {
        RateLimiter {
            bucket: Arc::new(Mutex::new(Bucket::new(limits, now))),
            max_strikes: limits.flood_strikes.max(1),
        }
    }

    /// From now on, draw on this (the participant's) bucket.
    pub fn share(&mut self, bucket: Arc<Mutex<Bucket>>) {
        self.bucket = bucket;
    }

    pub fn check(&mut self, now: Instant) -> Verdict {
        // A poisoned lock only means another connection panicked mid-update;
        // the bucket's numbers are still usable.
        match self.bucket.lock() {
            Ok(mut b) => b.check(now, self.max_strikes),
            Err(poisoned) => poisoned.into_inner().check(now, self.max_strikes),
        }
    }
}

/// Every participant's bucket, kept while it still matters: one that is full
/// again and used by no connection is the same as a new one, so it is
/// dropped when the table grows.
#[derive(Debug, Default)]
pub struct Buckets {
    by_participant: Mutex<HashMap<String, Arc<Mutex<Bucket>>>>,
}

/// Above this many entries, `for_participant` sweeps out the idle ones.
const BUCKETS_SWEEP_AT: usize = 4096;

impl Buckets {
    pub fn for_participant(&self, id: &str, limits: &Limits, now: Instant) -> Arc<Mutex<Bucket>> {
        let mut map = match self.by_participant.lock() {
            Ok(map) => map,
            Err(poisoned) => poisoned.into_inner(),
        };
        if let Some(b) = map.get(id) {
            return b.clone();
        }
        if map.len() >= BUCKETS_SWEEP_AT {
            map.retain(|_, b| {
                Arc::strong_count(b) > 1 || !b.lock().map(|mut b| b.is_full(now)).unwrap_or(true)
            });
        }
        let bucket = Arc::new(Mutex::new(Bucket::new(limits, now)));
        map.insert(id.to_string(), bucket.clone());
        bucket
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn a_room_id_is_1_to_64_lowercase_letters_digits_and_dashes() {
        for good in ["plenary", "wg-2", "0", &"a".repeat(64)] {
            assert!(valid_room_id(good), "{good}");
        }
        for bad in [
            "",
            "Plenary",
            "wg_2",
            "salle-é",
            "a b",
            "../x",
            &"a".repeat(65),
        ] {
            assert!(!valid_room_id(bad), "{bad}");
        }
    }

    #[test]
    fn language_tags() {
        for ok in ["en", "zh-CN", "sr-Latn-RS", "und", "ar", "es-419"] {
            assert!(valid_lang(ok), "{ok}");
        }
        for bad in ["", "e", "english language", "zh_CN", "x-", "123", "en--US"] {
            assert!(!valid_lang(bad), "{bad}");
        }
    }

    #[test]
    fn over_long_and_empty_texts_are_refused() {
        let limits = Limits {
            max_text_chars: 5,
            ..Limits::default()
        };
        let say = |t: &str| Request::Say {
            room: "r".into(),
            text: t.into(),
            lang: "en".into(),
        };
        assert_eq!(validate(&say("hello"), &limits), Ok(()));
        // Characters, not bytes: five Chinese characters fit.
        assert_eq!(validate(&say("网络安全好"), &limits), Ok(()));
        assert_eq!(
            validate(&say("hello!"), &limits),
            Err(ErrorCode::TextTooLong)
        );
        assert_eq!(validate(&say("  "), &limits), Err(ErrorCode::EmptyText));
    }

    #[test]
    fn overrides_escapes_and_open_isolates_are_refused_in_text() {
        assert_eq!(check_free_text("Hello\nworld\t!"), Ok(()));
        // A Latin name isolated in Arabic text is what isolates are for.
        assert_eq!(check_free_text("شكرا \u{2068}Kenya\u{2069} ."), Ok(()));
        for bad in [
            "\u{1b}[2Jcleared",
            "\u{1b}]0;title\u{7}",
            "abc\u{202e}txet",
            "open \u{2067}isolate",
            "stray \u{2069} end",
            "bell\u{7}",
        ] {
            assert_eq!(check_free_text(bad), Err(ErrorCode::InvalidText), "{bad:?}");
        }
        assert_eq!(check_name_text("Amina Haddad"), Ok(()));
        assert_eq!(
            check_name_text("Kenya\u{2069}"),
            Err(ErrorCode::InvalidText)
        );
        assert_eq!(check_name_text("two\nlines"), Err(ErrorCode::InvalidText));
    }

    #[test]
    fn reconnecting_does_not_refill_a_participants_bucket() {
        let limits = Limits {
            messages_per_second: 10,
            burst: 3,
            flood_strikes: 2,
            ..Limits::default()
        };
        let t0 = Instant::now();
        let buckets = Buckets::default();
        let mut first = RateLimiter::new(&limits, t0);
        first.share(buckets.for_participant("p-1", &limits, t0));
        for _ in 0..3 {
            assert_eq!(first.check(t0), Verdict::Allow);
        }
        assert_eq!(first.check(t0), Verdict::Refuse);
        assert_eq!(first.check(t0), Verdict::Flood);
        drop(first);
        // A new connection of the same participant is a flood at once...
        let mut second = RateLimiter::new(&limits, t0);
        second.share(buckets.for_participant("p-1", &limits, t0));
        assert_eq!(second.check(t0), Verdict::Flood);
        // ...while someone else's bucket is full.
        let mut other = RateLimiter::new(&limits, t0);
        other.share(buckets.for_participant("p-2", &limits, t0));
        assert_eq!(other.check(t0), Verdict::Allow);
        // The flood left a debt of one burst (3 tokens at 10/s): knocking
        // again before it is paid is another flood (and a new debt); waiting
        // opens the door again.
        let at = |ms| t0 + std::time::Duration::from_millis(ms);
        assert_eq!(second.check(at(250)), Verdict::Flood);
        assert_eq!(second.check(at(1_000)), Verdict::Allow);
    }

    #[test]
    fn idle_full_buckets_are_swept_and_busy_ones_kept() {
        let limits = Limits::default();
        let t0 = Instant::now();
        let buckets = Buckets::default();
        let mut busy = RateLimiter::new(&limits, t0);
        busy.share(buckets.for_participant("busy", &limits, t0));
        busy.check(t0);
        let mut spent = RateLimiter::new(&limits, t0);
        spent.share(buckets.for_participant("spent", &limits, t0));
        for _ in 0..limits.burst {
            spent.check(t0);
        }
        drop(spent);
        for i in 0..BUCKETS_SWEEP_AT {
            buckets.for_participant(&format!("idle-{i}"), &limits, t0);
        }
        // The sweep ran: the idle ones went, the one in use and the one
        // still empty (its owner could come back for a fresh burst) stayed.
        let map = buckets.by_participant.lock().expect("lock");
        assert!(map.len() < BUCKETS_SWEEP_AT, "{}", map.len());
        assert!(map.contains_key("busy") && map.contains_key("spent"));
    }

    #[test]
    fn a_burst_passes_then_refusals_then_a_flood() {
        let limits = Limits {
            messages_per_second: 10,
            burst: 3,
            flood_strikes: 4,
            ..Limits::default()
        };
        let t0 = Instant::now();
        let mut rl = RateLimiter::new(&limits, t0);
        for _ in 0..3 {
            assert_eq!(rl.check(t0), Verdict::Allow);
        }
        for _ in 0..3 {
            assert_eq!(rl.check(t0), Verdict::Refuse);
        }
        assert_eq!(rl.check(t0), Verdict::Flood);
        // Time refills the bucket.
        let mut rl = RateLimiter::new(&limits, t0);
        for i in 0..100 {
            assert_eq!(
                rl.check(t0 + Duration::from_millis(100 * i)),
                Verdict::Allow
            );
        }
    }
}
