//! Flood: N listeners and a speaker at a modest rate, as in slow-reader.
//! Halfway through, K flooders come in: each authenticates and sends frames
//! as fast as it can, meets the server's per-connection rate limit
//! (`rate_limited`, then a close for flooding), connects again at once and
//! floods again, until the run ends. The listeners' latency before and
//! during the flood is compared in the same run, and every listener must
//! still get every speech, in order, once.
//!
//! The server runs with its default limits (see `server::DEFAULT_LIMITS`),
//! which the speaker stays under; only the flooders meet them. The
//! `reconnect` flooder says nothing at all: it connects, sends one garbage
//! frame and drops the connection, again and again, to meet the limit on
//! new connections per address (`server::DEFAULT_ADDRESS_LIMITS`), which
//! the flood scenario also keeps at its default.
//!
//! The kinds of issue 13's second round of hardening:
//! - `replay` (item 1): the room is given a long history first (2 MiB of
//!   speeches, written before the listeners join); the flooder says hello,
//!   then sends `join` with `since: 0` at the rate limit, again and again,
//!   and never reads a byte of what comes back. What is measured besides
//!   the others' latency is the server's memory during the flood.
//! - `points` (item 2): points of order of 4,000 characters, at the rate
//!   limit, into the listeners' room; the chair never rules on them.
//! - `pings` and `fragments` (item 8): websocket frames the rate limit must
//!   count although they are no requests: pings (every other connection
//!   before its `hello`, the others after), and a text message made of
//!   empty continuation frames that never ends. These are written straight
//!   to the socket, many frames to a write, as a hostile client would.

use super::*;
use crate::cli::FloodKind;
use crate::conn::refusal;
use crate::server::{scrape_metrics, DEFAULT_ADDRESS_LIMITS, DEFAULT_LIMITS};
use futures_util::SinkExt;
use tokio_tungstenite::tungstenite::Message;

/// Longest wait for a flooder's connection to be closed once it stops.
const CLOSE_WAIT: Duration = Duration::from_secs(5);
/// A flooder that cannot connect waits this long before trying again, so a
/// refused connect does not become a busy loop.
const RETRY_PAUSE: Duration = Duration::from_millis(10);
/// Replay: the room's history before the run, in bytes of speech text,
/// about what the attack of issue 13 item 1 used.
const HISTORY_BYTES: usize = 2 << 20;
/// Replay: the history's speeches are as long as the server allows (its
/// `max_text_chars`), written by this many delegates at once, each at the
/// rate limit.
const HISTORY_SPEECH_BYTES: usize = 4000;
const HISTORY_WRITERS: usize = 8;
/// Points: the text of a point of order, at the server's `max_text_chars`.
const POINT_CHARS: usize = 4000;
/// Pings and fragments: frames in one write to the socket.
const FRAMES_PER_WRITE: usize = 128;

/// Delegates that write the replay flood's history (none for the others).
pub fn history_writers(args: &Args) -> usize {
    if args.flood_kind == FloodKind::Replay {
        HISTORY_WRITERS
    } else {
        0
    }
}

pub async fn run(ctx: Arc<Ctx>, report: &mut Report) -> Result<()> {
    let args = &ctx.args;
    let limit = f64::from(DEFAULT_LIMITS.messages_per_second);
    let rate = args.rate();
    if !(rate > 0.0 && rate <= limit) {
        anyhow::bail!(
            "the flood scenario keeps the server's default limit of {limit} requests/s per \
             connection, so the speaker's --rate must be above 0 and at most {limit} (got {rate})"
        );
    }
    let rooms = ctx.room_names("flood", 1);
    let room = rooms[0].clone();
    ctx.create_rooms(&rooms, Mode::Open, 600).await?;
    // Replay: a long history, before anyone listens; the listeners join
    // after it, so that their own join replays none of it.
    let history = if args.flood_kind == FloodKind::Replay {
        Some(write_history(&ctx, &room).await?)
    } else {
        None
    };
    let flooder_ids: Vec<Ident> = ctx
        .pool
        .delegates
        .iter()
        .skip(1)
        .take(args.flooders)
        .cloned()
        .collect();
    if flooder_ids.len() < args.flooders {
        anyhow::bail!(
            "{} flooders need {} delegates in the pool, and it has {}",
            args.flooders,
            args.flooders + 1,
            ctx.pool.delegates.len()
        );
    }
    let speaker = ctx.speaker(&room).await?;
    // Keep the speaker's socket drained while the listeners join.
    let drain = Draining::start(speaker);

    let n = args.connections;
    let rss_before = ctx.rss();
    let mut fleet = Fleet::new(args.connect_concurrency, &rooms);
    fleet.start_listeners_since(&ctx, n, &room, history.as_ref().map(|h| h.last_seq), |_| {
        None
    });
    let setup = fleet
        .wait_joined(n, Duration::from_secs_f64(args.setup_timeout), "listeners")
        .await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let rss_connected = ctx.rss();
    let mut speaker = drain.finish().await?;

    let sampler = Sampler::start(ctx.server_pid);
    let cpu0 = ctx.server_cpu();
    let half = Duration::from_secs_f64(args.duration / 2.0);
    let plan = SpeakPlan::paced(&ctx, &room, rate, half * 2);
    let speaking = tokio::spawn(async move {
        let o = speak(&mut speaker, &plan, &CancellationToken::new()).await;
        (speaker, o)
    });
    tokio::time::sleep(half).await;

    // The flood: speeches sent from now on count in phase 1.
    let metrics_before = scrape_metrics(&ctx.dialer).await;
    let rss_switch = ctx.rss();
    let flood_sampler = Sampler::start(ctx.server_pid);
    let cpu_switch = ctx.server_cpu();
    ctx.shared.phase_ns.store(now_ns(), Ordering::Relaxed);
    let stop_flood = CancellationToken::new();
    let flooders: Vec<JoinHandle<FloodTally>> = flooder_ids
        .into_iter()
        .enumerate()
        .map(|(k, ident)| match args.flood_kind {
            FloodKind::Reconnect => tokio::spawn(reconnect(ctx.clone(), k, stop_flood.clone())),
            kind => tokio::spawn(flood(
                ctx.clone(),
                k,
                ident,
                room.clone(),
                kind,
                stop_flood.clone(),
            )),
        })
        .collect();
    tokio::time::sleep(half).await;
    stop_flood.cancel();
    let cpu_end = ctx.server_cpu();
    let mut tally = FloodTally::default();
    for f in flooders {
        tally.add(f.await?);
    }
    let (speaker, spoken) = speaking.await?;
    let rss_end_of_load = ctx.rss();
    let max_during = sampler.max_kib();
    let max_during_flood = flood_sampler.max_kib();
    drop(flood_sampler);
    let metrics_after = scrape_metrics(&ctx.dialer).await;

    // The room's last seq: the flooders' accepted speeches have seqs too, and
    // their connections are closed now, so a join sees the final one.
    let observer = ctx
        .pool
        .observers
        .first()
        .context("no observer in the pool")?;
    let mut watcher = ctx.control(2, observer).await?;
    let last = watcher.join(&room, None).await?.seq.max(spoken.last_seq);
    watcher.close().await;
    fleet.set_final(&room, last);
    let outcomes = fleet.finish(Duration::from_secs_f64(args.drain)).await;
    speaker.close().await;

    common_report(&ctx, report, &setup, 1);
    let m = &mut report.memory;
    m.rss_before_kib = rss_before;
    m.rss_connected_kib = rss_connected;
    m.per_connection_kib =
        super::fanout::per_connection(rss_before, rss_connected, setup.connected);
    m.rss_max_kib = max_during;
    m.rss_end_kib = rss_end_of_load;
    cpu_report(report, cpu0, cpu_end);
    for (name, a, b) in [
        ("before", cpu0, cpu_switch),
        ("during", cpu_switch, cpu_end),
    ] {
        let (server, own) = cores_busy(a, b);
        if let Some(v) = server {
            report.figure(&format!("server_cores_busy_{name}"), v);
        }
        if let Some(v) = own {
            report.figure(&format!("loadgen_cores_busy_{name}"), v);
        }
    }
    speaker_report(report, &spoken);
    let before = ctx.shared.delivery[0].summary();
    let during = ctx.shared.delivery[1].summary();
    report.latency.insert("delivery_before".into(), before);
    report.latency.insert("delivery_during".into(), during);
    if before.p99_ms > 0.0 {
        report.figure(
            "p99_during_over_before",
            round2(during.p99_ms / before.p99_ms),
        );
    }
    if before.p50_ms > 0.0 {
        report.figure(
            "p50_during_over_before",
            round2(during.p50_ms / before.p50_ms),
        );
    }
    report.figure(
        "rss_growth_during_flood_kib",
        rss_end_of_load
            .zip(rss_switch)
            .map(|(e, s)| e as i64 - s as i64)
            .unwrap_or(0),
    );
    report.figure(
        "rss_max_growth_during_flood_kib",
        max_during_flood
            .zip(rss_switch)
            .map(|(m, s)| m as i64 - s as i64)
            .unwrap_or(0),
    );
    if let Some(h) = &history {
        report.figure("history_speeches", h.speeches);
        report.figure("history_bytes", h.bytes);
        report.figure("history_seconds", round2(h.seconds));
    }
    report.figure(
        "room_state_max_bytes",
        outcomes
            .iter()
            .map(|o| o.largest_room_state)
            .max()
            .unwrap_or(0),
    );
    report.figure("flooders", args.flooders);
    report.figure("flood_kind", args.flood_kind.name());
    let l = DEFAULT_LIMITS;
    report.figure("limit_messages_per_second", l.messages_per_second);
    report.figure("limit_burst", l.burst);
    report.figure("limit_flood_strikes", l.flood_strikes);
    report.figure("limit_max_frame_bytes", l.max_frame_bytes);
    let a = DEFAULT_ADDRESS_LIMITS;
    report.figure("limit_connections_per_second", a.connections_per_second);
    report.figure(
        "limit_connection_burst",
        (a.connection_burst as usize).max(args.per_address),
    );
    flood_report(report, &tally, half.as_secs_f64());
    if args.flood_kind == FloodKind::Reconnect {
        // Each flooder has an address of its own, fresh: a full burst, then
        // the rate. A little slack for the bucket refilling during the burst.
        let seconds = half.as_secs_f64();
        let most = args.flooders as f64
            * (f64::from(a.connection_burst) + f64::from(a.connections_per_second) * seconds + 2.0);
        report.verdict(
            "reconnect flood: connections the server accepted",
            tally.connections as f64,
            most.floor(),
            false,
        );
    }
    // Speeches the flooders got through reach every listener; they carry no
    // stamp, so a listener counts them as events that are not its speeches.
    let flood_speeches = outcomes
        .iter()
        .map(|o| o.events.saturating_sub(o.speeches))
        .max()
        .unwrap_or(0);
    report.figure("flood_speeches_delivered", flood_speeches);
    report.figure(
        "flood_speeches_per_s",
        round2(flood_speeches as f64 / half.as_secs_f64().max(1e-9)),
    );
    let counter = |m: &Option<BTreeMap<String, f64>>, name: &str| {
        m.as_ref().and_then(|m| m.get(name).copied())
    };
    for (figure, metric) in [
        ("server_flood_closes", "dais_flood_closes_total"),
        ("server_slow_reader_closes", "dais_slow_reader_closes_total"),
        ("server_rate_limited", "dais_rate_limited_total"),
        ("server_connections_opened", "dais_connections_opened_total"),
        (
            "server_connections_refused",
            "dais_connections_refused_total",
        ),
    ] {
        match (
            counter(&metrics_before, metric),
            counter(&metrics_after, metric),
        ) {
            (Some(a), Some(b)) => report.figure(figure, b - a),
            _ => report
                .notes
                .push(format!("the server's /metrics has no {metric}")),
        }
    }

    // Every listener got every speech, in order, once; and the speaker,
    // which stays under the limit, was never refused nor closed.
    let mut checks = check_listeners(&outcomes, &|_| Some((last, spoken.acked)));
    if !spoken.refused.is_empty() || spoken.closed.is_some() || spoken.acked < spoken.sent {
        checks.passed = false;
        checks.failures.push(format!(
            "the speaker had {} of {} speeches acknowledged, refusals {:?}, closed {:?}",
            spoken.acked, spoken.sent, spoken.refused, spoken.closed
        ));
    }
    report.checks = checks;
    received_report(report, &outcomes);
    Ok(())
}

/// What the flooders did, summed over all their connections.
#[derive(Debug, Default)]
struct FloodTally {
    /// Connections tried (reconnect) or opened (each flooder reconnects
    /// after every close).
    attempts: u64,
    connections: u64,
    /// Connections answered 429 at accept, by the reason in the answer.
    refused: BTreeMap<String, u64>,
    /// Connections that failed otherwise.
    connect_failures: u64,
    /// Frames sent, the hello and the join included.
    frames: u64,
    /// Of those, frames sent on a connection that never said hello (pings).
    frames_before_hello: u64,
    /// `rate_limited` answers received.
    rate_limited: u64,
    /// `ok` answers received. Fewer than the speeches the room accepted: an
    /// `ok` goes out once its speech is on disk, and the close for flooding
    /// can overtake it (the listeners count the accepted ones).
    oks: u64,
    /// Other error answers, by code (`malformed_json` for garbage, ...).
    errors: BTreeMap<String, u64>,
    /// How the server closed the flooders' connections, by reason.
    closes: BTreeMap<String, u64>,
    first_connect_error: Option<String>,
}

impl FloodTally {
    fn add(&mut self, other: FloodTally) {
        self.attempts += other.attempts;
        self.connections += other.connections;
        for (k, v) in other.refused {
            *self.refused.entry(k).or_default() += v;
        }
        self.connect_failures += other.connect_failures;
        self.frames += other.frames;
        self.frames_before_hello += other.frames_before_hello;
        self.rate_limited += other.rate_limited;
        self.oks += other.oks;
        for (k, v) in other.errors {
            *self.errors.entry(k).or_default() += v;
        }
        for (k, v) in other.closes {
            *self.closes.entry(k).or_default() += v;
        }
        if self.first_connect_error.is_none() {
            self.first_connect_error = other.first_connect_error;
        }
    }

    /// Count one answer from the server.
    fn answer(&mut self, text: &str) {
        if let Peek::Other(f) = peek(text) {
            match *f {
                ServerFrame::Ok { .. } => self.oks += 1,
                ServerFrame::Error {
                    code: ErrorCode::RateLimited,
                    ..
                } => self.rate_limited += 1,
                ServerFrame::Error { code, .. } => {
                    *self.errors.entry(code_str(code)).or_default() += 1
                }
                _ => {}
            }
        }
    }
}

fn flood_report(report: &mut Report, t: &FloodTally, seconds: f64) {
    report.figure("flood_seconds", round2(seconds));
    report.figure("flood_frames_sent", t.frames);
    report.figure(
        "flood_frames_per_s",
        (t.frames as f64 / seconds.max(1e-9)).round(),
    );
    if t.frames_before_hello > 0 {
        report.figure("flood_frames_before_hello", t.frames_before_hello);
    }
    report.figure("flood_connect_attempts", t.attempts);
    report.figure(
        "flood_connect_attempts_per_s",
        round2(t.attempts as f64 / seconds.max(1e-9)),
    );
    report.figure("flood_connections", t.connections);
    report.figure(
        "flood_connections_per_s",
        round2(t.connections as f64 / seconds.max(1e-9)),
    );
    for (reason, n) in &t.refused {
        report.figure(&format!("flood_refused_{reason}"), *n);
    }
    report.figure("flood_connect_failures", t.connect_failures);
    report.figure("flood_rate_limited_answers", t.rate_limited);
    report.figure("flood_oks", t.oks);
    report.figure("flood_closes_seen", t.closes.values().sum::<u64>());
    for (code, n) in &t.errors {
        report.figure(&format!("flood_answers_{code}"), *n);
    }
    for (reason, n) in &t.closes {
        let reason = if reason.is_empty() { "none" } else { reason };
        *report
            .closes
            .entry(format!("flooder: {reason}"))
            .or_default() += n;
    }
    if let Some(e) = &t.first_connect_error {
        report.notes.push(format!(
            "a flooder could not connect ({} times): {e}",
            t.connect_failures
        ));
    }
}

/// One flooder: connect, say hello (and join, for speeches and points),
/// then flood as its kind says until the server closes the connection;
/// then the same again, until told to stop.
async fn flood(
    ctx: Arc<Ctx>,
    k: usize,
    who: Ident,
    room: String,
    kind: FloodKind,
    stop: CancellationToken,
) -> FloodTally {
    let mut t = FloodTally::default();
    let index = flooder_index(&ctx, k);
    while !stop.is_cancelled() {
        t.attempts += 1;
        // Pings: every other connection floods before its hello.
        let hello = !(kind == FloodKind::Pings && t.attempts % 2 == 1);
        let join = matches!(kind, FloodKind::Say | FloodKind::Points);
        let open = async {
            let mut c = ctx.dialer.dial(index).await?;
            if hello {
                c.hello(&who.login()).await?;
            }
            if join {
                c.join(&room, None).await?;
            }
            anyhow::Ok(c)
        };
        let mut c = tokio::select! {
            _ = stop.cancelled() => break,
            r = open => match r {
                Ok(c) => c,
                Err(e) => {
                    match refusal(&e) {
                        Some(reason) => *t.refused.entry(reason).or_default() += 1,
                        None => {
                            t.connect_failures += 1;
                            t.first_connect_error.get_or_insert_with(|| format!("{e:#}"));
                        }
                    }
                    tokio::time::sleep(RETRY_PAUSE).await;
                    continue;
                }
            },
        };
        t.connections += 1;
        t.frames += u64::from(hello) + u64::from(join);
        match kind {
            FloodKind::Replay => replay_joins(&mut c, &mut t, &room, &stop).await,
            FloodKind::Points => raise_points(&mut c, &mut t, &room, &stop).await,
            FloodKind::Pings | FloodKind::Fragments => {
                raw_frames(&mut c, &mut t, kind, hello, &stop).await
            }
            _ => send_frames(&ctx, &mut c, &mut t, kind, &room, &stop).await,
        }
        let ours = c.closed.is_none() && stop.is_cancelled();
        wind_up(&mut c, &mut t).await;
        let label = match &c.closed {
            Some((1006, _)) | None => "reset".to_string(),
            Some((code, reason)) if reason.is_empty() => code.to_string(),
            Some((_, reason)) => reason.clone(),
        };
        // The answer to the run's own close is not the server closing.
        if !(ours && label == "1000") {
            *t.closes.entry(label).or_default() += 1;
        }
    }
    t
}

/// Say, garbage, oversized: send the kind's frame as fast as the socket
/// takes it, reading answers in between, until the connection is closed.
async fn send_frames(
    ctx: &Ctx,
    c: &mut Client,
    t: &mut FloodTally,
    kind: FloodKind,
    room: &str,
    stop: &CancellationToken,
) {
    while !stop.is_cancelled() && c.closed.is_none() {
        // Built for each send: every speech carries a fresh nonce.
        let frame = flood_frame(kind, room, ctx.args.text_bytes);
        if c.ws.send(frame).await.is_err() {
            break;
        }
        t.frames += 1;
        drain_answers(c, t);
        // Go to the back of the queue: the listeners on this process's
        // threads read first, so the flooder uses only the time they
        // leave, and does not delay their reading (which would count as
        // the server's latency).
        tokio::task::yield_now().await;
    }
}

/// Count whatever answers have already arrived, without waiting.
fn drain_answers(c: &mut Client, t: &mut FloodTally) {
    while let Some(answer) = c.next_text().now_or_never() {
        match answer {
            Some(text) => t.answer(&text),
            None => break,
        }
    }
}

/// Replay: `join` with `since: 0`, at the rate limit, and never read: the
/// replays pile up on the server's side of the connection until it gives
/// up on it (its writes fail, or it closes the connection as a slow
/// reader; either way the next send here fails).
async fn replay_joins(c: &mut Client, t: &mut FloodTally, room: &str, stop: &CancellationToken) {
    let gap = Duration::from_secs_f64(1.0 / f64::from(DEFAULT_LIMITS.messages_per_second));
    let mut next = Instant::now();
    let mut id = 0u64;
    while c.closed.is_none() {
        tokio::select! {
            _ = stop.cancelled() => return,
            _ = tokio::time::sleep_until(next) => {}
        }
        id += 1;
        let join = dais_protocol::Envelope::new(Request::Join {
            room: room.to_string(),
            since: Some(0),
        })
        .with_id(id)
        .to_json();
        let sent = tokio::select! {
            _ = stop.cancelled() => return,
            r = c.ws.send(Message::text(join)) => r,
        };
        if let Err(e) = sent {
            c.closed = Some((1006, e.to_string()));
            return;
        }
        t.frames += 1;
        next += gap;
    }
}

/// Points: points of order of `POINT_CHARS` characters, at the rate limit,
/// reading every answer (and the room's events) as they come.
async fn raise_points(c: &mut Client, t: &mut FloodTally, room: &str, stop: &CancellationToken) {
    let gap = Duration::from_secs_f64(1.0 / f64::from(DEFAULT_LIMITS.messages_per_second));
    let mut text = String::from("Point of order: ");
    while text.len() < POINT_CHARS {
        text.push('p');
    }
    let mut next = Instant::now();
    loop {
        tokio::select! {
            biased;
            _ = stop.cancelled() => return,
            answer = c.next_text() => match answer {
                Some(a) => t.answer(&a),
                None => return,
            },
            _ = tokio::time::sleep_until(next) => {
                let point = Request::PointOfOrder {
                    room: room.to_string(),
                    text: Some(text.clone()),
                };
                if c.send(point, None).await.is_err() {
                    return;
                }
                t.frames += 1;
                next += gap;
            }
        }
    }
}

/// Pings and fragments: frames written straight to the socket,
/// `FRAMES_PER_WRITE` at a time, as fast as it takes them, counting the
/// answers in between. Fragments: a text frame that is not final, then
/// empty continuation frames, none final, so the message never ends.
async fn raw_frames(
    c: &mut Client,
    t: &mut FloodTally,
    kind: FloodKind,
    said_hello: bool,
    stop: &CancellationToken,
) {
    use tokio::io::AsyncWriteExt;
    let first = raw_chunk(kind, true);
    let rest = raw_chunk(kind, false);
    let mut chunk = &first;
    while !stop.is_cancelled() && c.closed.is_none() {
        let written = tokio::select! {
            _ = stop.cancelled() => return,
            r = c.ws.get_mut().write_all(chunk) => r,
        };
        if let Err(e) = written {
            c.closed = Some((1006, e.to_string()));
            return;
        }
        chunk = &rest;
        t.frames += FRAMES_PER_WRITE as u64;
        if !said_hello {
            t.frames_before_hello += FRAMES_PER_WRITE as u64;
        }
        drain_answers(c, t);
        // As in `send_frames`: the listeners read first.
        tokio::task::yield_now().await;
    }
}

/// `FRAMES_PER_WRITE` empty frames as a client sends them (masked): pings,
/// or a message's continuation frames (`first`: beginning with the
/// message's opening text frame).
fn raw_chunk(kind: FloodKind, first: bool) -> Vec<u8> {
    // FIN and opcode; then the mask bit and a payload length of 0; then
    // the masking key, which masks nothing here.
    const PING: u8 = 0x80 | 0x9;
    const TEXT_NOT_FINAL: u8 = 0x1;
    const CONTINUATION_NOT_FINAL: u8 = 0x0;
    const MASK: [u8; 4] = [0x5a, 0x3c, 0x96, 0x0f];
    let mut bytes = Vec::with_capacity(FRAMES_PER_WRITE * 6);
    for i in 0..FRAMES_PER_WRITE {
        let opcode = match kind {
            FloodKind::Pings => PING,
            _ if first && i == 0 => TEXT_NOT_FINAL,
            _ => CONTINUATION_NOT_FINAL,
        };
        bytes.extend_from_slice(&[opcode, 0x80]);
        bytes.extend_from_slice(&MASK);
    }
    bytes
}

/// Replay: what the history writers left in the room.
struct History {
    speeches: u64,
    bytes: u64,
    /// The room's seq after the last of them.
    last_seq: u64,
    seconds: f64,
}

/// Write `HISTORY_BYTES` of speeches into `room`, from `HISTORY_WRITERS`
/// delegates at once, each at the rate limit.
async fn write_history(ctx: &Arc<Ctx>, room: &str) -> Result<History> {
    let writers: Vec<Ident> = ctx
        .pool
        .delegates
        .iter()
        .skip(1 + ctx.args.flooders)
        .take(HISTORY_WRITERS)
        .cloned()
        .collect();
    if writers.len() < HISTORY_WRITERS {
        anyhow::bail!("the pool has too few delegates to write the history");
    }
    let each = HISTORY_BYTES
        .div_ceil(HISTORY_SPEECH_BYTES)
        .div_ceil(HISTORY_WRITERS) as u64;
    eprintln!(
        "dais-loadgen: writing the room's history: {} speeches of {HISTORY_SPEECH_BYTES} bytes",
        each * HISTORY_WRITERS as u64
    );
    let started = Instant::now();
    let mut tasks = Vec::new();
    for (i, who) in writers.into_iter().enumerate() {
        let ctx = ctx.clone();
        let room = room.to_string();
        tasks.push(tokio::spawn(async move {
            let mut c = ctx.control(40 + i, &who).await?;
            c.join(&room, None).await?;
            let plan = SpeakPlan {
                room,
                rate: f64::from(DEFAULT_LIMITS.messages_per_second),
                duration: None,
                count: Some(each),
                text_bytes: HISTORY_SPEECH_BYTES,
                window: 64,
                floor: false,
            };
            let o = speak(&mut c, &plan, &CancellationToken::new()).await;
            c.close().await;
            anyhow::Ok(o)
        }));
    }
    let mut history = History {
        speeches: 0,
        bytes: 0,
        last_seq: 0,
        seconds: 0.0,
    };
    for task in tasks {
        let o = task.await??;
        if o.acked < o.sent || !o.refused.is_empty() {
            anyhow::bail!(
                "a history writer had {} of {} speeches acknowledged, refusals {:?}",
                o.acked,
                o.sent,
                o.refused
            );
        }
        history.speeches += o.acked;
        history.bytes += o.acked * HISTORY_SPEECH_BYTES as u64;
        history.last_seq = history.last_seq.max(o.last_seq);
    }
    history.seconds = started.elapsed().as_secs_f64();
    Ok(history)
}

/// A source address of its own for flooder `k`, as a hostile client would
/// have: its connections count neither against the listeners' limits per
/// address, nor the listeners' against its own.
fn flooder_index(ctx: &Ctx, k: usize) -> usize {
    CONTROL_INDEX + ctx.dialer.per_address * (k + 1)
}

/// A reconnecting flooder: connect (TCP and the websocket handshake), send
/// one frame of garbage and drop the connection without a close, then again,
/// as fast as it can, until told to stop. A connection the server refuses
/// at accept (429) is tried again at once.
async fn reconnect(ctx: Arc<Ctx>, k: usize, stop: CancellationToken) -> FloodTally {
    let mut t = FloodTally::default();
    let index = flooder_index(&ctx, k);
    let frame = flood_frame(FloodKind::Garbage, "", ctx.args.text_bytes);
    while !stop.is_cancelled() {
        t.attempts += 1;
        let dialed = tokio::select! {
            _ = stop.cancelled() => break,
            r = ctx.dialer.dial(index) => r,
        };
        match dialed {
            Ok(mut c) => {
                t.connections += 1;
                if c.ws.send(frame.clone()).await.is_ok() {
                    t.frames += 1;
                }
                // Dropped: the socket closes with no websocket close.
            }
            Err(e) => match refusal(&e) {
                Some(reason) => *t.refused.entry(reason).or_default() += 1,
                None => {
                    t.connect_failures += 1;
                    t.first_connect_error
                        .get_or_insert_with(|| format!("{e:#}"));
                    // Out of ports or files, most likely: do not spin.
                    tokio::time::sleep(RETRY_PAUSE).await;
                }
            },
        }
        // Let the listeners on this process's threads read first (see `flood`).
        tokio::task::yield_now().await;
    }
    t
}

/// Finish a flooder's connection: answer (or send) the close and count what
/// the server still sent before it.
async fn wind_up(c: &mut Client, t: &mut FloodTally) {
    let _ = tokio::time::timeout(CLOSE_WAIT, async {
        // After the server's close this sends the answer tungstenite has
        // queued; before it, our own close.
        let _ = c.ws.close(None).await;
        while let Some(text) = c.next_text().await {
            t.answer(&text);
        }
    })
    .await;
}

/// The frame a flooder sends over and over.
fn flood_frame(kind: FloodKind, room: &str, text_bytes: usize) -> Message {
    let pad = |start: &str, bytes: usize| {
        let mut s = start.to_string();
        while s.len() < bytes {
            s.push('f');
        }
        s
    };
    match kind {
        // No stamp (see `frame::stamped_text`), so listeners do not take
        // these for the speaker's speeches; no id, so no two are duplicates;
        // a fresh nonce, as every say has.
        FloodKind::Say => Message::text(
            dais_protocol::Envelope::new(Request::Say {
                room: room.to_string(),
                text: pad("flood ", text_bytes),
                lang: "en".into(),
            })
            .with_nonce(crate::nonce::fresh())
            .to_json(),
        ),
        FloodKind::Oversized => Message::text(pad("", 2 * DEFAULT_LIMITS.max_frame_bytes)),
        // Garbage, and the reconnecting flooder's one frame; the other
        // kinds make their frames themselves.
        _ => Message::text(pad("this is not json {", text_bytes)),
    }
}

/// Cores busy between two readings: the server's and this process's.
fn cores_busy(a: CpuMark, b: CpuMark) -> (Option<f64>, Option<f64>) {
    let wall = (b.at_ns.saturating_sub(a.at_ns) as f64 / 1e9).max(1e-9);
    let busy = |x: Option<(f64, f64)>, y: Option<(f64, f64)>| {
        x.zip(y)
            .map(|((u0, s0), (u1, s1))| round2((u1 - u0 + s1 - s0) / wall))
    };
    (busy(a.server, b.server), busy(a.own, b.own))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each frame is two header bytes and a masking key: masked (as a
    /// client's must be), with an empty payload.
    fn frames(chunk: &[u8]) -> Vec<(u8, u8)> {
        chunk
            .chunks(6)
            .map(|f| {
                assert_eq!(f.len(), 6);
                (f[0], f[1])
            })
            .collect()
    }

    #[test]
    fn a_ping_flood_writes_final_empty_masked_pings() {
        let chunk = raw_chunk(FloodKind::Pings, true);
        let frames = frames(&chunk);
        assert_eq!(frames.len(), FRAMES_PER_WRITE);
        assert!(frames.iter().all(|&f| f == (0x89, 0x80)), "{frames:?}");
        assert_eq!(raw_chunk(FloodKind::Pings, false), chunk);
    }

    #[test]
    fn a_fragment_flood_opens_one_text_message_and_never_ends_it() {
        let first = frames(&raw_chunk(FloodKind::Fragments, true));
        assert_eq!(first[0], (0x01, 0x80), "a text frame, not final");
        assert!(first[1..].iter().all(|&f| f == (0x00, 0x80)), "{first:?}");
        let rest = frames(&raw_chunk(FloodKind::Fragments, false));
        assert!(rest.iter().all(|&f| f == (0x00, 0x80)), "{rest:?}");
    }

    #[test]
    fn only_the_replay_flood_needs_writers_for_its_history() {
        let args = |kind: &str| {
            crate::cli::Args::resolve_from([
                "dais-loadgen",
                "--spawn",
                "--scenario",
                "flood",
                "--flood-kind",
                kind,
            ])
        };
        assert_eq!(history_writers(&args("replay")), HISTORY_WRITERS);
        assert_eq!(history_writers(&args("points")), 0);
        assert_eq!(history_writers(&args("say")), 0);
    }
}
