//! A delegate on the emulated link: joins over it (each step timed),
//! follows the debate, asks for the floor, speaks once, yields and follows
//! to the end, counting the bytes each way; then its figures and checks.

use super::*;
use crate::link::{DirCount, DOWN, UP};
use crate::link_client::LinkClient;
use crate::scenario::fleet::count_seq;
use crate::words;
use dais_protocol::{EntryClass, Event};

/// What a delegate on the link is to do.
pub(super) struct LinkPlan {
    pub(super) index: usize,
    pub(super) label: &'static str,
    pub(super) deflate: bool,
    pub(super) who: Ident,
    pub(super) room: String,
    pub(super) floor_after: Duration,
    pub(super) text_bytes: usize,
    pub(super) server: SocketAddr,
}

/// How a delegate on the link did. Times are seconds; None if never reached.
#[derive(Debug, Default)]
pub(super) struct LinkOutcome {
    label: &'static str,
    deflate_offered: bool,
    /// The server's `Sec-WebSocket-Extensions` answer.
    negotiated: Option<String>,
    /// From the first packet: TCP connected, websocket up, welcome, join's ok.
    tcp_s: Option<f64>,
    websocket_s: Option<f64>,
    hello_s: Option<f64>,
    join_s: Option<f64>,
    /// From the `join` sent to its `ok`.
    join_request_s: Option<f64>,
    /// Events replayed before the join's `ok`, and whether they were
    /// consecutive up to it.
    replayed: u64,
    replay_in_order: bool,
    joined: bool,
    /// The next seq expected.
    expected: u64,
    events: u64,
    gaps: u64,
    duplicates: u64,
    /// From `request_floor` sent to `floor_granted` received.
    floor_wait_s: Option<f64>,
    /// From `say` sent to its `ok`.
    speech_ack_s: Option<f64>,
    speech_seq: Option<u64>,
    /// Requests refused, by code.
    refused: BTreeMap<String, u64>,
    /// Bytes while joining (from the first packet to the join's ok), and
    /// while following (from the join's ok to the end of the debate).
    join_bytes: [DirCount; 2],
    follow_bytes: [DirCount; 2],
    /// Websocket bytes (as the client read and wrote them) while following.
    follow_ws_read: u64,
    follow_ws_written: u64,
    follow_s: f64,
    /// Server frames received after the join, by type.
    received: Received,
    closed: Option<(u16, String)>,
    error: Option<String>,
}

impl LinkOutcome {
    fn last_seq(&self) -> u64 {
        self.expected.saturating_sub(1)
    }
}

fn secs_since(t0: u64) -> f64 {
    now_ns().saturating_sub(t0) as f64 / 1e9
}

/// Tell the run, once, that this delegate is done speaking (or will not).
fn said(spoke: &mut Option<mpsc::UnboundedSender<()>>) {
    if let Some(tx) = spoke.take() {
        let _ = tx.send(());
    }
}

/// Where a delegate on the link is in its turn.
struct Turn {
    me: String,
    asked_ns: Option<u64>,
    ask_id: u64,
    /// The speech's request id and when it was sent.
    say: Option<(u64, u64)>,
}

/// The bytes on the link since the join, and the time, at the end of the
/// window of following.
fn note_follow(
    out: &mut LinkOutcome,
    testbed: &link::Testbed,
    index: usize,
    joined: &[DirCount; 2],
    t_follow: u64,
) {
    let now = testbed.counts(index);
    out.follow_bytes = [now[DOWN].since(&joined[DOWN]), now[UP].since(&joined[UP])];
    out.follow_s = secs_since(t_follow);
}

/// One delegate on the link: connect, hello, join, follow, ask for the
/// floor, speak once when given it, yield, and follow to the end.
pub(super) async fn on_the_link(
    testbed: Arc<link::Testbed>,
    plan: LinkPlan,
    stop: CancellationToken,
    mut final_rx: watch::Receiver<u64>,
    spoke: mpsc::UnboundedSender<()>,
    drain: Duration,
) -> LinkOutcome {
    let mut out = LinkOutcome {
        label: plan.label,
        deflate_offered: plan.deflate,
        replay_in_order: true,
        ..Default::default()
    };
    let mut spoke = Some(spoke);
    let Some(link) = testbed.links.get(plan.index) else {
        out.error = Some("no link".into());
        said(&mut spoke);
        return out;
    };
    let counts0 = testbed.counts(plan.index);
    let t0 = now_ns();
    let (mut c, seq) = tokio::select! {
        r = join_over(link, &plan, t0, &mut out) => match r {
            Ok(j) => j,
            Err(e) => {
                out.error = Some(format!("{e:#}"));
                said(&mut spoke);
                return out;
            }
        },
        _ = stop.cancelled() => {
            out.error = Some("the debate ended before the delegate had joined".into());
            said(&mut spoke);
            return out;
        }
    };
    out.join_s = Some(secs_since(t0));
    out.joined = true;
    out.expected = seq + 1;
    let counts_joined = testbed.counts(plan.index);
    out.join_bytes = [
        counts_joined[DOWN].since(&counts0[DOWN]),
        counts_joined[UP].since(&counts0[UP]),
    ];
    let ws0 = (
        c.counts.read.load(Ordering::Relaxed),
        c.counts.written.load(Ordering::Relaxed),
    );
    let t_follow = now_ns();

    // Follow, ask, speak, yield, follow.
    let ask_at = Instant::now() + plan.floor_after;
    let mut turn = Turn {
        me: plan.who.id.clone(),
        asked_ns: None,
        ask_id: 0,
        say: None,
    };
    let mut window_open = true;
    let mut final_open = true;
    let mut give_up: Option<Instant> = None;
    loop {
        let done_speaking = out.speech_ack_s.is_some() || out.closed.is_some();
        if done_speaking {
            said(&mut spoke);
        }
        if !window_open && out.expected > *final_rx.borrow() {
            break;
        }
        tokio::select! {
            biased;
            _ = stop.cancelled(), if window_open => {
                window_open = false;
                note_follow(&mut out, &testbed, plan.index, &counts_joined, t_follow);
                out.follow_ws_read = c.counts.read.load(Ordering::Relaxed) - ws0.0;
                out.follow_ws_written = c.counts.written.load(Ordering::Relaxed) - ws0.1;
                give_up = Some(Instant::now() + drain);
            }
            r = final_rx.changed(), if final_open => final_open = r.is_ok(),
            _ = tokio::time::sleep_until(ask_at), if turn.asked_ns.is_none() && window_open => {
                turn.ask_id = c.fresh_id();
                let ask = Request::RequestFloor { room: plan.room.clone(), class: EntryClass::Speech };
                if c.send(ask, Some(turn.ask_id)).await.is_err() {
                    break;
                }
                turn.asked_ns = Some(now_ns());
            }
            _ = tokio::time::sleep_until(give_up.unwrap_or_else(Instant::now)), if give_up.is_some() => break,
            text = c.next_text() => {
                let Some(text) = text else {
                    out.closed = c.closed.clone();
                    break;
                };
                if on_text(&mut c, &mut out, &plan, &mut turn, &text, &mut spoke).await.is_err() {
                    break;
                }
            }
        }
    }
    said(&mut spoke);
    if window_open {
        // The connection ended before the debate did.
        note_follow(&mut out, &testbed, plan.index, &counts_joined, t_follow);
    }
    if out.closed.is_none() {
        c.close().await;
    }
    out
}

/// A frame while following: count it; when the floor is given to this
/// delegate, say the speech; when the speech is acknowledged, yield. An
/// error when a send failed (the connection is gone).
async fn on_text(
    c: &mut LinkClient,
    out: &mut LinkOutcome,
    plan: &LinkPlan,
    turn: &mut Turn,
    text: &str,
    spoke: &mut Option<mpsc::UnboundedSender<()>>,
) -> Result<()> {
    let frame = peek(text);
    out.received.add(frame.kind(), text.len());
    match frame {
        Peek::Event(e) => {
            out.events += 1;
            count_seq(e.seq, &mut out.expected, &mut out.gaps, &mut out.duplicates);
            if e.kind != "floor_granted" || turn.say.is_some() {
                return Ok(());
            }
            let Ok(ServerFrame::Event(EventFrame {
                event: Event::FloorGranted { to, .. },
                ..
            })) = serde_json::from_str::<ServerFrame>(text)
            else {
                return Ok(());
            };
            if to.id != turn.me {
                return Ok(());
            }
            if let Some(asked) = turn.asked_ns {
                out.floor_wait_s = Some(secs_since(asked));
            }
            let id = c.fresh_id();
            // Not stamped: the members' delivery latency is
            // the room speaker's, over loopback; this one
            // comes over the link, and is timed by its ack.
            let mut text = String::new();
            words::fill(&mut text, plan.text_bytes, plan.index as u64);
            let speech = Request::Say {
                room: plan.room.clone(),
                text,
                lang: "en".into(),
            };
            c.send(speech, Some(id)).await?;
            turn.say = Some((id, now_ns()));
        }
        Peek::Other(f) => match *f {
            ServerFrame::Ok {
                id: Some(RequestId::Number(n)),
                seq,
                ..
            } if turn.say.is_some_and(|(id, _)| id == n) && out.speech_ack_s.is_none() => {
                if let Some((_, sent)) = turn.say {
                    out.speech_ack_s = Some(secs_since(sent));
                }
                out.speech_seq = seq;
                let give_back = Request::Yield {
                    room: plan.room.clone(),
                    to: None,
                };
                c.send(give_back, None).await?;
            }
            ServerFrame::Error { id, code, .. } => {
                *out.refused.entry(code_str(code)).or_default() += 1;
                let ours = matches!(id, Some(RequestId::Number(n)) if n == turn.ask_id || turn.say.is_some_and(|(s, _)| s == n));
                if ours {
                    // Asking or speaking was refused: nothing more to wait for.
                    said(spoke);
                }
            }
            _ => {}
        },
        Peek::Counted(_) => {}
        Peek::Unknown => {
            *out.refused.entry("unreadable frame".into()).or_default() += 1;
        }
    }
    Ok(())
}

/// Connect over the link, say hello and join, noting the time of each step
/// in `out`; the client and the seq the join's `ok` named.
async fn join_over(
    link: &link::Link,
    plan: &LinkPlan,
    t0: u64,
    out: &mut LinkOutcome,
) -> Result<(LinkClient, u64)> {
    let (mut c, connected) =
        LinkClient::connect(&link.ns, link.ip, plan.server, plan.deflate).await?;
    out.tcp_s = Some(connected.tcp_ns.saturating_sub(t0) as f64 / 1e9);
    out.websocket_s = Some(connected.websocket_ns.saturating_sub(t0) as f64 / 1e9);
    out.negotiated = c.counts.extensions();
    c.send(
        Request::Hello {
            protocol: dais_protocol::PROTOCOL_VERSION,
            token: Some(plan.who.token.clone()),
            guest: None,
            lang: None,
        },
        None,
    )
    .await?;
    loop {
        let text = c.next_text().await.context("closed before welcome")?;
        if let Peek::Other(f) = peek(&text) {
            match *f {
                ServerFrame::Welcome { .. } => break,
                ServerFrame::Error { code, .. } => {
                    anyhow::bail!("hello refused: {}", code_str(code))
                }
                _ => {}
            }
        }
    }
    out.hello_s = Some(secs_since(t0));
    let id = c.fresh_id();
    let t_join = now_ns();
    c.send(
        Request::Join {
            room: plan.room.clone(),
            since: None,
        },
        Some(id),
    )
    .await?;
    let mut previous: Option<u64> = None;
    loop {
        let text = c.next_text().await.context("closed while joining")?;
        match peek(&text) {
            Peek::Event(e) => {
                out.replayed += 1;
                if previous.is_some_and(|p| e.seq != p + 1) {
                    out.replay_in_order = false;
                }
                previous = Some(e.seq);
            }
            Peek::Other(f) => match *f {
                ServerFrame::Ok {
                    id: Some(RequestId::Number(n)),
                    seq,
                    ..
                } if n == id => {
                    let seq = seq.unwrap_or(0);
                    if previous.is_some_and(|p| p != seq) {
                        out.replay_in_order = false;
                    }
                    out.join_request_s = Some(secs_since(t_join));
                    return Ok((c, seq));
                }
                ServerFrame::Error {
                    id: Some(RequestId::Number(n)),
                    code,
                    ..
                } if n == id => anyhow::bail!("join refused: {}", code_str(code)),
                _ => {}
            },
            _ => {}
        }
    }
}

/// Put one delegate's figures in the report, and its checks; returns its
/// bytes per hour on the wire (both ways), if it followed long enough.
pub(super) fn delegate_report(report: &mut Report, d: &LinkOutcome, last: u64) -> Option<f64> {
    let p = d.label;
    let f = |report: &mut Report, name: &str, v: Option<f64>| {
        if let Some(v) = v {
            report.figure(&format!("{p}_{name}"), round2(v));
        }
    };
    report.figure(&format!("{p}_offered_deflate"), d.deflate_offered);
    report.figure(
        &format!("{p}_negotiated"),
        d.negotiated.clone().unwrap_or_else(|| "none".into()),
    );
    f(report, "tcp_s", d.tcp_s);
    f(report, "websocket_s", d.websocket_s);
    f(report, "hello_s", d.hello_s);
    f(report, "join_s", d.join_s);
    f(report, "join_request_s", d.join_request_s);
    f(report, "floor_wait_s", d.floor_wait_s);
    f(report, "speech_ack_s", d.speech_ack_s);
    report.figure(&format!("{p}_replayed"), d.replayed);
    report.figure(&format!("{p}_events"), d.events);
    report.figure(&format!("{p}_gaps"), d.gaps);
    report.figure(&format!("{p}_duplicates"), d.duplicates);
    report.figure(&format!("{p}_last_seq"), d.last_seq());
    report.figure(&format!("{p}_floor_taken"), d.floor_wait_s.is_some());
    report.figure(&format!("{p}_speech_acked"), d.speech_ack_s.is_some());
    let both = |c: &[DirCount; 2], pick: fn(&DirCount) -> u64| pick(&c[DOWN]) + pick(&c[UP]);
    report.figure(
        &format!("{p}_join_bytes"),
        both(&d.join_bytes, |c| c.delivered_bytes),
    );
    for (dir, c) in [("down", &d.follow_bytes[DOWN]), ("up", &d.follow_bytes[UP])] {
        report.figure(&format!("{p}_follow_{dir}_bytes"), c.delivered_bytes);
        report.figure(&format!("{p}_follow_{dir}_packets"), c.delivered_packets);
        report.figure(&format!("{p}_follow_{dir}_lost"), c.lost_packets);
        report.figure(&format!("{p}_follow_{dir}_dropped"), c.dropped_packets);
    }
    report.figure(&format!("{p}_follow_s"), round2(d.follow_s));
    report.figure(&format!("{p}_follow_ws_read_bytes"), d.follow_ws_read);
    report.figure(&format!("{p}_follow_ws_written_bytes"), d.follow_ws_written);
    let per_hour = (d.follow_s >= 1.0).then(|| {
        let total = both(&d.follow_bytes, |c| c.delivered_bytes) as f64;
        total / d.follow_s * 3600.0
    });
    if let Some(v) = per_hour {
        report.figure(&format!("{p}_bytes_per_hour"), v.round());
        let down = d.follow_bytes[DOWN].delivered_bytes as f64 / d.follow_s * 3600.0;
        report.figure(&format!("{p}_down_bytes_per_hour"), down.round());
        let ws = (d.follow_ws_read + d.follow_ws_written) as f64 / d.follow_s * 3600.0;
        report.figure(&format!("{p}_websocket_bytes_per_hour"), ws.round());
    }
    for (code, n) in &d.refused {
        *report.errors.entry(format!("{p}: {code}")).or_default() += n;
    }
    if let Some(j) = d.join_s {
        report.verdict(
            &format!("{p}: join over the link, s"),
            round2(j),
            JOIN_TARGET_S,
            false,
        );
    }

    // The delegate's checks.
    let mut failures = Vec::new();
    if let Some(e) = &d.error {
        failures.push(format!("{p}: {e}"));
    }
    if !d.joined {
        failures.push(format!("{p}: did not join"));
    } else {
        if d.join_s.is_some_and(|j| j >= JOIN_TARGET_S) {
            failures.push(format!(
                "{p}: joined in {:.1} s, not under {JOIN_TARGET_S} s",
                d.join_s.unwrap_or(0.0)
            ));
        }
        if !d.replay_in_order {
            failures.push(format!(
                "{p}: the join's replay was not in order up to its ok"
            ));
        }
        if d.gaps > 0 || d.duplicates > 0 || d.last_seq() != last {
            failures.push(format!(
                "{p}: last seq {} of {last}, {} gaps, {} duplicates, closed {:?}",
                d.last_seq(),
                d.gaps,
                d.duplicates,
                d.closed
            ));
        }
        if d.floor_wait_s.is_none() {
            failures.push(format!("{p}: never given the floor"));
        }
        if d.speech_ack_s.is_none() {
            failures.push(format!("{p}: its speech was not acknowledged"));
        }
        if d.deflate_offered
            && !d
                .negotiated
                .as_deref()
                .is_some_and(|n| n.contains("permessage-deflate"))
        {
            failures.push(format!(
                "{p}: offered permessage-deflate, and the server did not take it"
            ));
        }
        if !d.deflate_offered && d.negotiated.is_some() {
            failures.push(format!(
                "{p}: offered nothing, and the server answered {:?}",
                d.negotiated
            ));
        }
    }
    let c = &mut report.checks;
    c.listeners += 1;
    c.gaps += d.gaps;
    c.duplicates += d.duplicates;
    if failures.is_empty() {
        c.complete += 1;
    } else {
        c.passed = false;
        c.failures.extend(failures);
    }
    per_hour
}
