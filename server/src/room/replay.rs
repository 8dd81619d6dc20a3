//! A join's replay: what a connection that (re)joins a room is owed, and
//! the task that streams it into its place in the connection's queue.
//!
//! One implementation for both kinds of room handle: the room's actor (on
//! a single node, or the owner in a cluster) replays what its memory holds
//! (`Recent`) and reads the rest from the record; a cluster's relay on
//! another node holds no memory of the room and reads it all from the
//! record, waiting briefly for the owner's latest commit to land.

use crate::record::Record;
use crate::ws::{Outbox, ReplayPage, Wire};
use dais_protocol::{ErrorCode, RequestId, Seq, ServerFrame};
use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc;
use tokio::time::Instant;

/// Events replayed without `since`.
pub const RECENT_PAGE: usize = 50;
/// Events in one page of a replay: a replay is streamed page by page as
/// the client reads it, and holds at most two pages at a time.
pub const REPLAY_PAGE: usize = 256;
/// Recent events kept framed in the room, so that most resumes are served
/// from memory (shared frames, nothing read or framed again)...
const RECENT_EVENTS: usize = 10_000;
/// ...within this many bytes.
const RECENT_BYTES: usize = 8 * 1024 * 1024;
/// How long a relay's replay waits for events the owner has published but
/// the record does not show yet.
const COMMIT_WAIT: Duration = Duration::from_secs(10);

/// The room's latest events, framed, oldest first.
#[derive(Default)]
pub struct Recent {
    frames: VecDeque<(Seq, Arc<Wire>)>,
    bytes: usize,
}

impl Recent {
    pub fn push(&mut self, seq: Seq, wire: Arc<Wire>) {
        self.bytes += wire.len();
        self.frames.push_back((seq, wire));
        while self.frames.len() > RECENT_EVENTS || self.bytes > RECENT_BYTES {
            match self.frames.pop_front() {
                Some((_, w)) => self.bytes -= w.len(),
                None => break,
            }
        }
    }

    /// The oldest seq held, if any.
    fn first(&self) -> Option<Seq> {
        self.frames.front().map(|(seq, _)| *seq)
    }

    /// Every frame held with a seq after `since`.
    fn after(&self, since: Seq) -> Vec<Arc<Wire>> {
        let start = self.frames.partition_point(|(seq, _)| *seq <= since);
        self.frames.range(start..).map(|(_, w)| w.clone()).collect()
    }

    /// What a join with `since` (or without) is owed up to `upto`, and
    /// where each part of it comes from.
    pub fn plan(&self, since: Option<Seq>, upto: Seq) -> Plan {
        let first = self.first();
        match since {
            Some(since) => {
                let since = since.min(upto);
                let cached = self.after(since);
                // The room holds every event from `first` on; anything
                // older comes from the record.
                let from_record = match first {
                    Some(first) if first <= since + 1 => None,
                    Some(first) => Some((since, first - 1)),
                    None => (since < upto).then_some((since, upto)),
                };
                Plan {
                    from_record,
                    cached,
                    ..Plan::default()
                }
            }
            None => {
                let want_from = upto.saturating_sub(RECENT_PAGE as Seq) + 1;
                match first {
                    Some(first) if first <= want_from => Plan {
                        cached: self.after(want_from - 1),
                        ..Plan::default()
                    },
                    _ => Plan {
                        recent_page_from_record: Some(upto),
                        ..Plan::default()
                    },
                }
            }
        }
    }
}

/// Where a replay's events come from: the record for what is older than
/// the room's memory, then the frames it holds.
#[derive(Default)]
pub struct Plan {
    /// Events (after, until] to read from the record, when any.
    from_record: Option<(Seq, Seq)>,
    /// The last `RECENT_PAGE` from the record, for a join without `since`
    /// that the room's memory cannot serve.
    recent_page_from_record: Option<Seq>,
    cached: Vec<Arc<Wire>>,
    /// The events up to `until` are published but may not be committed
    /// yet (a relay, behind its owner): wait for them rather than stop.
    wait_for_commit: bool,
}

impl Plan {
    /// A replay read wholly from the record (a relay, which holds no
    /// memory of the room), up to `upto`, which the owner has published
    /// and will have committed shortly.
    pub fn from_record(since: Option<Seq>, upto: Seq) -> Plan {
        let from = match since {
            Some(s) => s.min(upto),
            None => upto.saturating_sub(RECENT_PAGE as Seq),
        };
        Plan {
            from_record: Some((from, upto)),
            wait_for_commit: true,
            ..Plan::default()
        }
    }
}

/// Where a replay goes: the connection, its queue's page channel, and the
/// request it answers.
pub struct Target {
    pub outbox: Outbox,
    pub pages: mpsc::Sender<ReplayPage>,
    /// Largest page, in bytes: a quarter of a connection's byte limit.
    pub page_bytes: usize,
    /// The join's request id, for the `store_failed` error if it fails.
    pub id: Option<RequestId>,
    /// Cleared when the replay has ended, however it ended.
    pub replaying: Arc<AtomicBool>,
}

/// The last page of a replay the record could not give: `store_failed`,
/// after which the connection is closed so that the client joins again
/// rather than go on with a gap.
pub fn failed(id: Option<RequestId>) -> ReplayPage {
    let error = Wire::serialize(&ServerFrame::Error {
        id,
        code: ErrorCode::StoreFailed,
        details: None,
    });
    ReplayPage::Failed(error.frame(false).clone())
}

/// Cut frames into pages of at most `max_bytes` (and at least one frame).
pub fn cut(frames: Vec<Arc<Wire>>, max_bytes: usize) -> Vec<Vec<Arc<Wire>>> {
    let mut pages = Vec::new();
    let mut page = Vec::new();
    let mut bytes = 0;
    for frame in frames {
        if !page.is_empty() && bytes + frame.len() > max_bytes {
            pages.push(std::mem::take(&mut page));
            bytes = 0;
        }
        bytes += frame.len();
        page.push(frame);
    }
    if !page.is_empty() {
        pages.push(page);
    }
    pages
}

/// Why a replay stopped early.
enum Stop {
    /// The connection went.
    Gone,
    /// The record could not give what was owed.
    Record(String),
}

/// Send a join's replay into its place in the connection's queue, page by
/// page as the writer takes them: the record's part (what the room no
/// longer holds in memory), then the room's recent frames, then `tail`
/// (the room_state and the ok). Each page is counted against what the
/// connection owes before it is handed over, so a client that stops
/// reading meets the byte limit rather than costing memory. Ends early if
/// the connection goes; a record that fails ends it with `store_failed`.
pub async fn stream(record: Record, room: String, plan: Plan, tail: Vec<Arc<Wire>>, to: Target) {
    let result = send_all(&record, &room, plan, tail, &to).await;
    if let Err(Stop::Record(e)) = result {
        tracing::error!(room = %room, error = %e, "replay read failed");
        let _ = to.pages.send(failed(to.id.clone())).await;
    }
    to.replaying.store(false, Ordering::Release);
}

async fn send_all(
    record: &Record,
    room: &str,
    plan: Plan,
    tail: Vec<Arc<Wire>>,
    to: &Target,
) -> Result<(), Stop> {
    let failed = |e: crate::record::RecordError| Stop::Record(e.to_string());
    if let Some(upto) = plan.recent_page_from_record {
        let (bodies, _) = record
            .events_before(room, upto + 1, RECENT_PAGE)
            .await
            .map_err(failed)?;
        send(to, bodies.iter().map(|b| Wire::event(b)).collect()).await?;
    }
    if let Some((mut after, until)) = plan.from_record {
        let deadline = Instant::now() + COMMIT_WAIT;
        while after < until {
            let want = ((until - after) as usize).min(REPLAY_PAGE);
            let bodies = record
                .events_after(room, after, want)
                .await
                .map_err(failed)?;
            if bodies.is_empty() {
                if !plan.wait_for_commit {
                    break;
                }
                if Instant::now() >= deadline {
                    return Err(Stop::Record(format!("events up to {until} never came")));
                }
                tokio::time::sleep(Duration::from_millis(10)).await;
                continue;
            }
            after += bodies.len() as Seq;
            send(to, bodies.iter().map(|b| Wire::event(b)).collect()).await?;
        }
    }
    for chunk in plan.cached.chunks(REPLAY_PAGE) {
        send(to, chunk.to_vec()).await?;
    }
    send(to, tail).await
}

/// Pages are cut by bytes as well as by events: with one page being
/// written and one waiting, a replay owes at most half the byte limit,
/// and live frames queued behind it still fit.
async fn send(to: &Target, frames: Vec<Arc<Wire>>) -> Result<(), Stop> {
    for page in cut(frames, to.page_bytes) {
        to.outbox.replay_owed(crate::ws::frame::wire_bytes(&page));
        if to.pages.send(ReplayPage::Frames(page)).await.is_err() {
            return Err(Stop::Gone);
        }
    }
    Ok(())
}
