//! A paced speaker: says at a given rate (or as fast as its window of
//! unanswered says allows) into a room it has joined, times each answer,
//! and reports what it sent and what was acknowledged. On the floor
//! broadcaster it sends the event frame Dais would have sent instead.

use super::{round2, Ctx, SPEAK_WINDOW};
use crate::conn::{code_str, us_since, Client};
use crate::frame::{event_wire, peek, stamped_text, Peek};
use crate::report::Report;
use crate::stats::{new_histogram, Latency};
use crate::sys::now_ns;
use dais_protocol::{Actor, Event, EventFrame, Request, RequestId, Role, ServerFrame, Stakeholder};
use futures_util::FutureExt;
use hdrhistogram::Histogram;
use std::collections::{BTreeMap, HashMap};
use std::time::Duration;
use tokio::time::Instant;
use tokio_tungstenite::tungstenite::Message;
use tokio_util::sync::CancellationToken;

/// How a speaker speaks: at `rate` per second (0: as fast as the window of
/// unanswered says allows) until `duration` has passed or `count` were sent.
pub struct SpeakPlan {
    pub room: String,
    pub rate: f64,
    pub duration: Option<Duration>,
    pub count: Option<u64>,
    pub text_bytes: usize,
    pub window: usize,
    /// Speak to the floor broadcaster: send each speech as the event Dais
    /// would make of it (see `floor_speech`), and take its echo for the ack.
    pub floor: bool,
}

impl SpeakPlan {
    /// A speaker at `rate` for `duration`, as fan-out, churn, slow-reader,
    /// flood and plenary have.
    pub fn paced(ctx: &Ctx, room: &str, rate: f64, duration: Duration) -> SpeakPlan {
        SpeakPlan {
            room: room.to_string(),
            rate,
            duration: Some(duration),
            count: None,
            text_bytes: ctx.args.text_bytes,
            window: SPEAK_WINDOW,
            floor: ctx.floor(),
        }
    }
}

/// Speech number `n` as the floor broadcaster is given it: the event frame
/// Dais would send for it (seq `n`, the stamped text, a speaker like the
/// provisioned delegate), so that the floor's listeners read the same bytes
/// and the same seqs as Dais's, and the same checks apply.
pub fn floor_speech(room: &str, n: u64, text: String) -> String {
    let ts = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64);
    event_wire(&EventFrame {
        room: room.to_string(),
        seq: n,
        ts,
        event: Event::Speech {
            by: Actor {
                id: "p-0123456789".into(),
                name: "Load delegate b0".into(),
                delegation: "LD-delegate".into(),
                stakeholder: Stakeholder::Government,
                role: Role::Delegate,
                guest: false,
            },
            text,
            lang: "en".into(),
        },
    })
}

#[derive(Debug)]
pub struct SpeakOutcome {
    pub sent: u64,
    pub acked: u64,
    pub first_seq: u64,
    pub last_seq: u64,
    pub refused: BTreeMap<String, u64>,
    /// Send to `ok`: the `ok` comes once the speech is on disk.
    pub ack: Histogram<u64>,
    pub started_ns: u64,
    pub stopped_ns: u64,
    /// When the last ok arrived.
    pub acked_ns: u64,
    pub closed: Option<(u16, String)>,
}

impl SpeakOutcome {
    pub fn seconds(&self) -> f64 {
        (self.stopped_ns.saturating_sub(self.started_ns)) as f64 / 1e9
    }
}

/// Speak into a room the client has joined, and collect the answers.
pub async fn speak(
    client: &mut Client,
    plan: &SpeakPlan,
    stop: &CancellationToken,
) -> SpeakOutcome {
    let mut o = SpeakOutcome {
        sent: 0,
        acked: 0,
        first_seq: 0,
        last_seq: 0,
        refused: BTreeMap::new(),
        ack: new_histogram(),
        started_ns: now_ns(),
        stopped_ns: 0,
        acked_ns: 0,
        closed: None,
    };
    let start = Instant::now();
    let end = plan.duration.map(|d| start + d);
    let mut sent_at: HashMap<u64, u64> = HashMap::new();
    let mut sending = true;
    let mut give_up = None;
    loop {
        if sending {
            let done_by_time = end.is_some_and(|e| Instant::now() >= e);
            let done_by_count = plan.count.is_some_and(|c| o.sent >= c);
            if done_by_time || done_by_count {
                sending = false;
                o.stopped_ns = now_ns();
                give_up = Some(Instant::now() + Duration::from_secs(60));
            }
        }
        if !sending && sent_at.is_empty() {
            break;
        }
        let can_send = sending && sent_at.len() < plan.window;
        let due = if plan.rate > 0.0 {
            start + Duration::from_secs_f64(o.sent as f64 / plan.rate)
        } else {
            Instant::now()
        };
        if can_send && Instant::now() >= due {
            // Due now: send without going through the timer, whose 1 ms
            // granularity would otherwise cap an unpaced speaker near 1000/s.
            let id = o.sent + 1;
            let t = now_ns();
            let text = stamped_text(t, id, plan.text_bytes);
            let sent = if plan.floor {
                let frame = floor_speech(&plan.room, id, text);
                futures_util::SinkExt::send(&mut client.ws, Message::text(frame))
                    .await
                    .map_err(anyhow::Error::from)
            } else {
                let say = Request::Say {
                    room: plan.room.clone(),
                    text,
                    lang: "en".into(),
                };
                client.send(say, Some(id)).await
            };
            if sent.is_err() {
                break;
            }
            sent_at.insert(id, t);
            o.sent += 1;
            // Read whatever has arrived before sending more.
            if let Some(Some(text)) = client.next_text().now_or_never() {
                on_answer(&mut o, &mut sent_at, &text, plan.floor);
            }
            continue;
        }
        let wake = end.map(|e| e.min(due)).unwrap_or(due);
        tokio::select! {
            biased;
            _ = stop.cancelled() => break,
            text = client.next_text() => {
                let Some(text) = text else { break };
                on_answer(&mut o, &mut sent_at, &text, plan.floor);
            }
            // The top of the loop sends whatever is due.
            _ = tokio::time::sleep_until(wake), if can_send => {}
            _ = tokio::time::sleep_until(give_up.unwrap_or_else(Instant::now)), if give_up.is_some() => {
                *o.refused.entry("no answer".into()).or_default() += sent_at.len() as u64;
                break;
            }
        }
    }
    if o.stopped_ns == 0 {
        o.stopped_ns = now_ns();
    }
    o.closed = client.closed.clone();
    o
}

/// A frame the speaker received: an answer to one of its says (on the
/// floor, the echo of one of its speeches), or not.
fn on_answer(o: &mut SpeakOutcome, sent_at: &mut HashMap<u64, u64>, text: &str, floor: bool) {
    let f = match peek(text) {
        Peek::Event(e) if floor => {
            if let Some((_, n)) = e.stamp {
                acked(o, sent_at, n, Some(e.seq));
            }
            return;
        }
        Peek::Other(f) => f,
        _ => return,
    };
    match *f {
        ServerFrame::Ok {
            id: Some(RequestId::Number(n)),
            seq,
            ..
        } => acked(o, sent_at, n, seq),
        ServerFrame::Error { id, code, .. } => {
            *o.refused.entry(code_str(code)).or_default() += 1;
            match id {
                Some(RequestId::Number(n)) => {
                    sent_at.remove(&n);
                }
                // A frame refused for rate is not read: it has no id.
                _ => {
                    if let Some(&oldest) = sent_at.keys().min() {
                        sent_at.remove(&oldest);
                    }
                }
            }
        }
        _ => {}
    }
}

/// Speech `n` was answered, as event `seq`.
fn acked(o: &mut SpeakOutcome, sent_at: &mut HashMap<u64, u64>, n: u64, seq: Option<u64>) {
    let Some(t) = sent_at.remove(&n) else {
        return;
    };
    o.ack.saturating_record(us_since(t).max(1));
    o.acked += 1;
    o.acked_ns = now_ns();
    if let Some(seq) = seq {
        if o.first_seq == 0 {
            o.first_seq = seq;
        }
        o.last_seq = o.last_seq.max(seq);
    }
}

// ---------------------------------------------------------------- memory

/// Record a speaker's figures in a report.
pub fn speaker_report(report: &mut Report, o: &SpeakOutcome) {
    report.figure("speeches_sent", o.sent);
    report.figure("speeches_acked", o.acked);
    report.figure("speaking_seconds", round2(o.seconds()));
    if o.acked > 0 {
        report.latency.insert("ack".into(), Latency::of(&o.ack));
    }
    for (code, n) in &o.refused {
        *report.errors.entry(format!("speaker: {code}")).or_default() += n;
    }
    if let Some((code, reason)) = &o.closed {
        report.notes.push(format!(
            "the speaker's connection was closed: {code} {reason}"
        ));
    }
}
