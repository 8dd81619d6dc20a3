//! Checks on what a client sends before any room sees it: text sizes,
//! language tags, and the per-connection rate limit. Pure and tested here.

use crate::config::Limits;
use dais_protocol::{ErrorCode, Request};
use std::time::Instant;

/// Longest reason, title or option, in characters.
const MAX_SHORT_TEXT: usize = 500;

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
    Ok(())
}

fn optional(t: &Option<String>, max: usize) -> Result<(), ErrorCode> {
    match t {
        Some(t) if t.chars().count() > max => Err(ErrorCode::TextTooLong),
        _ => Ok(()),
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
            for (l, t) in titles {
                lang(l)?;
                text(t, MAX_SHORT_TEXT)?;
            }
            if description.chars().count() > max {
                return Err(ErrorCode::TextTooLong);
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

/// A token bucket per connection: `rate` requests a second on average, up to
/// `burst` at once. Refusals in a row count as strikes; enough strikes make a
/// flood, and a flood closes the connection.
#[derive(Debug)]
pub struct RateLimiter {
    rate: f64,
    burst: f64,
    tokens: f64,
    last: Instant,
    strikes: u32,
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
            rate: limits.messages_per_second as f64,
            burst: limits.burst.max(1) as f64,
            tokens: limits.burst.max(1) as f64,
            last: now,
            strikes: 0,
            max_strikes: limits.flood_strikes.max(1),
        }
    }

    pub fn check(&mut self, now: Instant) -> Verdict {
        let elapsed = now.saturating_duration_since(self.last).as_secs_f64();
        self.last = now;
        self.tokens = (self.tokens + elapsed * self.rate).min(self.burst);
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            self.strikes = 0;
            Verdict::Allow
        } else {
            self.strikes += 1;
            if self.strikes >= self.max_strikes {
                Verdict::Flood
            } else {
                Verdict::Refuse
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

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
