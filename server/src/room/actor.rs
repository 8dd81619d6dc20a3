//! The room actor: one tokio task per room owns its `Room`, its clock and
//! the connections attached to it. Everything that happens in a room happens
//! in the order this task processes it, so no lock is ever held across an
//! await and seq numbers come out strictly increasing with no gap.
//!
//! The actor only moves messages: it asks the pure rule set what a request
//! does, hands the events to the store, and fans the bytes out.

use super::rules::{self, Ctx};
use super::state::Room;
use crate::outbox::{ConnId, Out, Outbox};
use crate::registry::Registry;
use crate::store::{now_ms, Row, Store};
use axum::extract::ws::Utf8Bytes;
use dais_protocol::{
    Actor, ErrorCode, Event, EventFrame, Participant, ParticipantId, Request, RequestId,
    RoomSummary, Seq, ServerFrame,
};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{mpsc, oneshot};
use tokio::time::Instant;

/// Events replayed without `since`.
pub const RECENT_PAGE: usize = 50;
/// Page size when replaying a long gap from the store.
const REPLAY_PAGE: usize = 5000;
/// Nonces remembered in memory; older ones are found in the store.
const NONCE_MEMORY: usize = 10_000;
/// Presence alone (someone's first connection arrived or last one left)
/// sends everyone a `room_state` at most this often. Without it, 10,000
/// delegates filing into a plenary would cost 50 million snapshots; with it,
/// the first change goes out at once and the rest of a storm in one
/// snapshot per interval.
const PRESENCE_INTERVAL: Duration = Duration::from_millis(250);
/// ...plus this much per member: a snapshot lists every member, so its size
/// grows with the room, and so does the number of its recipients. At 1 ms a
/// member, presence costs each connection at most about one member entry a
/// millisecond whatever the room's size (2,000 members: every 2 s).
const PRESENCE_INTERVAL_PER_MEMBER: Duration = Duration::from_millis(1);
/// A new member is saved with the room's snapshot at most this long after
/// joining (sooner if an event saves the room first). In a plenary of
/// thousands the snapshot is hundreds of KB; writing it once per arrival
/// made joining quadratic. Losing a second of arrivals to a crash costs
/// nothing: those delegates are members again as soon as they rejoin.
const MEMBERS_SAVE_INTERVAL: Duration = Duration::from_secs(1);

/// What a successful request produced.
pub struct Accepted {
    /// The event it created (the last one, when it created several).
    pub seq: Option<Seq>,
    /// A retried nonce: nothing new was created.
    pub duplicate: bool,
    /// Resolves once the events are on disk; the `ok` waits for it.
    pub durable: Option<oneshot::Receiver<Result<(), String>>>,
}

pub enum Cmd {
    /// Emit `room_created` (for a room made at run time) and save the room.
    Created {
        by: Actor,
        reply: oneshot::Sender<Result<Option<Seq>, ErrorCode>>,
    },
    Join {
        who: Participant,
        outbox: Outbox,
        since: Option<Seq>,
        id: Option<RequestId>,
        reply: oneshot::Sender<Result<(), ErrorCode>>,
    },
    /// A connection that had joined went away.
    Detach { who: ParticipantId, conn: ConnId },
    Request {
        who: Participant,
        nonce: Option<String>,
        request: Request,
        reply: oneshot::Sender<Result<Accepted, ErrorCode>>,
    },
    History {
        who: ParticipantId,
        before: Option<Seq>,
        limit: usize,
        reply: oneshot::Sender<Result<(Vec<EventFrame>, bool), ErrorCode>>,
    },
}

/// The only way to reach a room: cheap to clone.
#[derive(Clone)]
pub struct RoomHandle {
    tx: mpsc::Sender<Cmd>,
}

impl RoomHandle {
    pub fn spawn(room: Room, store: Store, registry: Arc<Registry>) -> RoomHandle {
        // Bounded so a flood of requests pushes back on the connections that
        // send them instead of growing without limit.
        let (tx, rx) = mpsc::channel(1024);
        let actor = RoomActor {
            room,
            rx,
            store,
            registry,
            conns: HashMap::new(),
            nonces: HashMap::new(),
            // As if the last snapshot went out long ago: the first change goes at once.
            members_unsaved: None,
            last_state: Instant::now()
                .checked_sub(PRESENCE_INTERVAL)
                .unwrap_or_else(Instant::now),
            presence_pending: false,
        };
        tokio::spawn(actor.run());
        RoomHandle { tx }
    }

    pub async fn send(&self, cmd: Cmd) -> Result<(), ErrorCode> {
        self.tx.send(cmd).await.map_err(|_| ErrorCode::RoomClosed)
    }

    /// Fire and forget, for notices that must not wait (a connection closing).
    pub fn notify(&self, cmd: Cmd) {
        let tx = self.tx.clone();
        tokio::spawn(async move {
            let _ = tx.send(cmd).await;
        });
    }
}

struct RoomActor {
    room: Room,
    rx: mpsc::Receiver<Cmd>,
    store: Store,
    registry: Arc<Registry>,
    /// The connections that joined, by connection, with whose they are.
    conns: HashMap<ConnId, (ParticipantId, Outbox)>,
    nonces: HashMap<(ParticipantId, String), Seq>,
    /// Since when members have joined that the saved snapshot lacks.
    members_unsaved: Option<Instant>,
    /// When everyone was last sent a `room_state`.
    last_state: Instant,
    /// Presence changed since then and nobody has been told yet.
    presence_pending: bool,
}

impl RoomActor {
    async fn run(mut self) {
        // Time may have passed while the server was down.
        let events = rules::tick(&mut self.room, now_ms());
        self.publish(events, None);
        self.publish_summary(false);
        loop {
            let wake = rules::next_deadline(&self.room).map(|deadline| {
                let wait = (deadline - now_ms()).max(0) as u64;
                Instant::now() + Duration::from_millis(wait)
            });
            // select! evaluates every branch's future even when disabled.
            let far = Instant::now() + Duration::from_secs(86_400);
            let presence_due = self.last_state + self.presence_interval();
            let members_due = self
                .members_unsaved
                .map(|since| since + MEMBERS_SAVE_INTERVAL);
            tokio::select! {
                cmd = self.rx.recv() => match cmd {
                    Some(cmd) => self.handle(cmd).await,
                    None => break,
                },
                _ = tokio::time::sleep_until(wake.unwrap_or(far)), if wake.is_some() => {
                    let events = rules::tick(&mut self.room, now_ms());
                    self.publish(events, None);
                }
                _ = tokio::time::sleep_until(members_due.unwrap_or(far)), if members_due.is_some() => {
                    self.save_snapshot();
                }
                _ = tokio::time::sleep_until(presence_due), if self.presence_pending => {
                    self.broadcast_state();
                    self.publish_summary(false);
                }
            }
            if self.room.closed {
                break;
            }
        }
        if self.members_unsaved.is_some() {
            self.save_snapshot();
        }
        self.store.flush().await;
        tracing::debug!(room = %self.room.id, "room actor stopped");
    }

    async fn handle(&mut self, cmd: Cmd) {
        match cmd {
            Cmd::Created { by, reply } => {
                let now = now_ms();
                self.room.seq += 1;
                let frame = EventFrame {
                    room: self.room.id.clone(),
                    seq: self.room.seq,
                    ts: now,
                    event: Event::RoomCreated { by },
                };
                let seq = frame.seq;
                if let Some(durable) = self.publish(vec![frame], None) {
                    let _ = durable.await;
                }
                let _ = reply.send(Ok(Some(seq)));
            }
            Cmd::Join {
                who,
                outbox,
                since,
                id,
                reply,
            } => {
                let result = self.join(who, outbox, since, id).await;
                let _ = reply.send(result);
            }
            Cmd::Detach { who, conn } => {
                if self.conns.remove(&conn).is_some() && rules::set_online(&mut self.room, &who, -1)
                {
                    self.presence_changed();
                }
            }
            Cmd::Request {
                who,
                nonce,
                request,
                reply,
            } => {
                let result = self.request(who, nonce, request).await;
                let _ = reply.send(result);
            }
            Cmd::History {
                who,
                before,
                limit,
                reply,
            } => {
                // A participant removed from the room no longer reads it.
                if !self.room.members.contains_key(&who) {
                    let _ = reply.send(Err(ErrorCode::NotJoined));
                    return;
                }
                let before = before.unwrap_or(self.room.seq + 1);
                // Reading older pages needs nothing from the room: off the actor.
                let store = self.store.clone();
                let room = self.room.id.clone();
                tokio::spawn(async move {
                    let result = match store.events_before(&room, before, limit).await {
                        Ok((bodies, more)) => {
                            let events = bodies
                                .iter()
                                .filter_map(|b| serde_json::from_str(b).ok())
                                .collect();
                            Ok((events, more))
                        }
                        Err(e) => {
                            tracing::error!(room = %room, error = %e, "history read failed");
                            Err(ErrorCode::StoreFailed)
                        }
                    };
                    let _ = reply.send(result);
                });
            }
        }
    }

    async fn join(
        &mut self,
        who: Participant,
        outbox: Outbox,
        since: Option<Seq>,
        id: Option<RequestId>,
    ) -> Result<(), ErrorCode> {
        let was_member = self.room.members.contains_key(&who.id);
        rules::join(&mut self.room, &who)?;
        let already_attached = self.conns.contains_key(&outbox.conn);
        let arrived = !already_attached && rules::set_online(&mut self.room, &who.id, 1);
        // The replay is read from the store by a task of its own, so that a
        // client catching up on thousands of events does not hold up the
        // room. Its place in the connection's queue is taken now: live
        // events (after `upto`) queue behind it, and the writer waits for
        // it, so the client still gets the replay, the room_state and the
        // ok, then live events, with no gap and nothing twice.
        let upto = self.room.seq;
        let (fill, replay) = oneshot::channel();
        if !outbox.send(Out::Replay(replay)) {
            if arrived {
                rules::set_online(&mut self.room, &who.id, -1);
            }
            return Ok(());
        }
        let tail = vec![
            self.state_wire(),
            Utf8Bytes::from(
                ServerFrame::Ok {
                    id: id.clone(),
                    room: Some(self.room.id.clone()),
                    seq: Some(upto),
                    duplicate: false,
                }
                .to_json(),
            ),
        ];
        let store = self.store.clone();
        let room = self.room.id.clone();
        tokio::spawn(async move {
            let result = match read_replay(&store, &room, since, upto).await {
                Ok(mut frames) => {
                    frames.extend(tail);
                    Ok(frames)
                }
                Err(e) => {
                    tracing::error!(room = %room, error = %e, "replay read failed");
                    Err(Utf8Bytes::from(
                        ServerFrame::Error {
                            id,
                            code: ErrorCode::StoreFailed,
                            details: None,
                        }
                        .to_json(),
                    ))
                }
            };
            let _ = fill.send(result);
        });
        let conn = outbox.conn;
        self.conns.insert(conn, (who.id.clone(), outbox));
        if !was_member && self.members_unsaved.is_none() {
            self.members_unsaved = Some(Instant::now());
        }
        if arrived || !was_member {
            self.presence_changed();
        }
        Ok(())
    }

    async fn request(
        &mut self,
        who: Participant,
        nonce: Option<String>,
        request: Request,
    ) -> Result<Accepted, ErrorCode> {
        if let Some(nonce) = &nonce {
            let key = (who.id.clone(), nonce.clone());
            let earlier = match self.nonces.get(&key) {
                Some(seq) => Some(*seq),
                None => self.store.nonce_seq(&self.room.id, &who.id, nonce).await,
            };
            if let Some(seq) = earlier {
                return Ok(Accepted {
                    seq: Some(seq),
                    duplicate: true,
                    durable: None,
                });
            }
        }
        let named = match &request {
            Request::Interpret { of, .. } => Some(*of),
            Request::RequestReply { to, .. } => Some(*to),
            _ => None,
        };
        let target = match named {
            Some(seq) if seq >= 1 && seq <= self.room.seq => {
                self.store.event_meta(&self.room.id, seq).await
            }
            _ => None,
        };
        let ctx = Ctx {
            now: now_ms(),
            target,
        };
        let was_mode = self.room.mode;
        let was_locked = self.room.locked;
        let events = rules::apply(&mut self.room, &who, &request, &ctx)?;
        let seq = events.last().map(|e| e.seq);
        let durable = self.publish(events, nonce.clone().map(|n| (who.id.clone(), n)));
        if let (Some(nonce), Some(seq)) = (nonce, seq) {
            if self.nonces.len() >= NONCE_MEMORY {
                self.nonces.clear();
            }
            self.nonces.insert((who.id.clone(), nonce), seq);
        }
        match &request {
            Request::Leave { .. } => self.detach_participant(&who.id),
            Request::Remove { participant, .. } => self.detach_participant(participant),
            _ => {}
        }
        let list_changed =
            was_mode != self.room.mode || was_locked != self.room.locked || self.room.closed;
        self.publish_summary(list_changed);
        Ok(Accepted {
            seq,
            duplicate: false,
            durable,
        })
    }

    /// Stop sending a participant this room's events (they left or were
    /// removed), and tell the others: a `leave` creates no event unless the
    /// floor was theirs, so nothing else would.
    fn detach_participant(&mut self, id: &str) {
        let before = self.conns.len();
        self.conns.retain(|_, (who, _)| who != id);
        if before != self.conns.len() {
            self.presence_changed();
        }
    }

    /// Persist and fan out events. The author column of every row is the
    /// participant whose request caused it; the request's nonce goes on its
    /// last event, which is the seq the `ok` reports.
    fn publish(
        &mut self,
        events: Vec<EventFrame>,
        nonce: Option<(ParticipantId, String)>,
    ) -> Option<oneshot::Receiver<Result<(), String>>> {
        if events.is_empty() {
            return None;
        }
        let mut rows = Vec::with_capacity(events.len());
        let mut wire = Vec::with_capacity(events.len() + 1);
        let last = events.len() - 1;
        // Speeches, interpretations and announcements change nothing in the
        // room but its seq (which a restart recovers from the log), so they
        // neither save the room's snapshot nor send a `room_state`.
        let mut changes_state = false;
        for (i, frame) in events.iter().enumerate() {
            let body = serde_json::to_string(frame).unwrap_or_default();
            wire.push(event_wire(&body));
            let requester = nonce.as_ref().map(|(who, _)| who.clone());
            rows.push(Row {
                seq: frame.seq,
                ts: frame.ts,
                kind: frame.event.kind(),
                author: requester.or_else(|| frame.event.author().map(|a| a.id.clone())),
                nonce: if i == last {
                    nonce.as_ref().map(|(_, n)| n.clone())
                } else {
                    None
                },
                body,
            });
            changes_state |= !matches!(
                frame.event,
                Event::Speech { .. } | Event::Interpretation { .. } | Event::Announcement { .. }
            );
        }
        crate::metrics::add(&crate::metrics::EVENTS, events.len() as u64);
        let snapshot = changes_state.then(|| serde_json::to_string(&self.room).unwrap_or_default());
        if changes_state {
            self.members_unsaved = None;
        }
        let durable = self.store.append(&self.room.id, rows, snapshot);
        if changes_state {
            wire.push(self.state_wire());
            self.state_sent();
        }
        self.send_all(wire);
        Some(durable)
    }

    fn save_snapshot(&mut self) {
        let snapshot = serde_json::to_string(&self.room).unwrap_or_default();
        self.store.save_snapshot(&self.room.id, snapshot);
        self.members_unsaved = None;
    }

    fn state_wire(&self) -> Utf8Bytes {
        Utf8Bytes::from(ServerFrame::RoomState(Box::new(self.room.view(now_ms()))).to_json())
    }

    fn broadcast_state(&mut self) {
        let frames = vec![self.state_wire()];
        self.state_sent();
        self.send_all(frames);
    }

    fn presence_interval(&self) -> Duration {
        let members = self.room.members.len().min(100_000) as u32;
        PRESENCE_INTERVAL.max(PRESENCE_INTERVAL_PER_MEMBER * members)
    }

    fn state_sent(&mut self) {
        self.last_state = Instant::now();
        self.presence_pending = false;
    }

    /// Someone came or went: tell everyone now if nobody was told lately,
    /// otherwise once the interval is up (the run loop's timer).
    fn presence_changed(&mut self) {
        if !self.presence_pending && self.last_state.elapsed() >= self.presence_interval() {
            self.broadcast_state();
        } else {
            self.presence_pending = true;
        }
        self.publish_summary(false);
    }

    /// Send the same bytes to every attached connection. A connection whose
    /// queue is full has been told to close (slow reader) and is dropped here.
    fn send_all(&mut self, frames: Vec<Utf8Bytes>) {
        let mut gone = Vec::new();
        let mut delivered = 0;
        // Counted once here rather than once per recipient.
        let bytes = frames.iter().map(|f| f.len()).sum();
        let frames = Arc::new(frames);
        for (conn, (who, outbox)) in &self.conns {
            let out = Out::Batch {
                frames: frames.clone(),
                bytes,
            };
            if outbox.send(out) {
                delivered += frames.len() as u64;
            } else {
                gone.push((*conn, who.clone()));
            }
        }
        crate::metrics::add(&crate::metrics::DELIVERIES, delivered);
        for (conn, who) in gone {
            self.conns.remove(&conn);
            // Told with the next snapshot, not from inside a fan-out.
            if rules::set_online(&mut self.room, &who, -1) {
                self.presence_pending = true;
            }
        }
    }

    fn publish_summary(&self, list_changed: bool) {
        let summary: RoomSummary = self.room.summary();
        self.registry
            .update_summary(summary, self.room.closed, list_changed);
    }
}

/// The events a joining client is owed: with `since`, every one after it up
/// to `upto`; without, the last page up to `upto`. Reads go through the
/// store's writer thread after every append this room sent before asking,
/// so all of them up to `upto` are there; later ones (which the client gets
/// live) may be too, and are cut off by counting, since seqs have no gaps.
async fn read_replay(
    store: &Store,
    room: &str,
    since: Option<Seq>,
    upto: Seq,
) -> Result<Vec<Utf8Bytes>, String> {
    let mut frames = Vec::new();
    match since {
        Some(since) => {
            let mut after = since;
            while after < upto {
                let want = ((upto - after) as usize).min(REPLAY_PAGE);
                let bodies = store.events_after(room, after, want).await?;
                if bodies.is_empty() {
                    break;
                }
                after += bodies.len() as Seq;
                frames.extend(bodies.iter().map(|b| event_wire(b)));
            }
        }
        None => {
            let (bodies, _) = store.events_before(room, upto + 1, RECENT_PAGE).await?;
            frames.extend(bodies.iter().map(|b| event_wire(b)));
        }
    }
    Ok(frames)
}

/// An event's stored JSON (`EventFrame`) as a wire frame: the same object
/// with `"type":"event"` in front.
fn event_wire(body: &str) -> Utf8Bytes {
    let rest = body.strip_prefix('{').unwrap_or(body);
    Utf8Bytes::from(format!("{{\"type\":\"event\",{rest}"))
}
