//! The flooders: each connects from an address of its own, says hello
//! (and joins) and floods as its kind says until the server closes the
//! connection, then comes back; or, for `reconnect`, only connects, sends
//! one garbage frame and drops the connection, again and again. What they
//! did is summed in a `FloodTally`.

use super::*;
use crate::conn::refusal;
use futures_util::SinkExt;
use tokio_tungstenite::tungstenite::Message;

/// Longest wait for a flooder's connection to be closed once it stops.
const CLOSE_WAIT: Duration = Duration::from_secs(5);
/// A flooder that cannot connect waits this long before trying again, so a
/// refused connect does not become a busy loop.
const RETRY_PAUSE: Duration = Duration::from_millis(10);
/// Points: the text of a point of order, at the server's `max_text_chars`.
const POINT_CHARS: usize = 4000;
/// Pings and fragments: frames in one write to the socket.
const FRAMES_PER_WRITE: usize = 128;

/// What the flooders did, summed over all their connections.
#[derive(Debug, Default)]
pub(super) struct FloodTally {
    /// Connections tried (reconnect) or opened (each flooder reconnects
    /// after every close).
    attempts: u64,
    pub(super) connections: u64,
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
    /// Add what another flooder did.
    pub(super) fn add(&mut self, other: FloodTally) {
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

pub(super) fn flood_report(report: &mut Report, t: &FloodTally, seconds: f64) {
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
pub(super) async fn flood(
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
pub(super) async fn reconnect(ctx: Arc<Ctx>, k: usize, stop: CancellationToken) -> FloodTally {
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
}
