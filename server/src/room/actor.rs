//! The room actor: one tokio task per room owns its `Room`, its clock, the
//! connections attached to it and the room's recent nonces. Everything that
//! happens in a room happens in the order this task processes it, so no
//! lock is ever held across an await and seq numbers come out strictly
//! increasing with no gap.
//!
//! The actor only moves messages: the pure rule set says what a request
//! does; the events go to the record, its connections and its `outlet`.

// The transport names these through the actor, which takes them.
pub use super::handle::{Accepted, Cmd};
pub use super::members::MembersQuery;

use super::handle::{JoinAccepted, RoomHandle};
use super::members;
use super::nonces::Nonces;
use super::outlet::Outlet;
use super::presence::PresenceBatch;
use super::reads;
use super::replay::{self, Recent};
use super::rules::{self, Ctx};
use super::start::{Outage, Start};
use super::state::Room;
use crate::clock::now_ms;
use crate::record::{Durable, Record, Row};
use crate::ws::{ConnId, Item, Outbox, Replay, Wire};
use dais_protocol::{
    Actor, ErrorCode, Event, EventFrame, Participant, ParticipantId, PresenceState, Request,
    RequestId, Seq, ServerFrame,
};
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{mpsc, oneshot};
use tokio::time::Instant;

/// Most requests taken from the mailbox before their frames go out together.
const DRAIN_MAX: usize = 256;

/// The room's actor is started here; `handle` holds the rest of the handle.
impl RoomHandle {
    pub fn spawn(start: Start, store: Record, outlet: Arc<dyn Outlet>) -> RoomHandle {
        // Bounded so a flood of requests pushes back on the connections that
        // send them instead of growing without limit.
        let (tx, rx) = mpsc::channel(1024);
        let actor = RoomActor {
            room: start.room,
            rx,
            store,
            outlet,
            conns: HashMap::new(),
            nonces: start.nonces,
            presence: PresenceBatch::new(),
            recent: Recent::default(),
            pending: Vec::new(),
            flushed: Vec::new(),
            page_bytes: start.outbox_bytes / 4,
            remote: HashMap::new(),
            stepped_down: false,
            listing_sent: None,
            listing_due: false,
        };
        tokio::spawn(actor.run(start.outages));
        RoomHandle::from_sender(tx)
    }
}

/// A joining member as they were (none if new to the room), and whether
/// they were online.
type Admitted = (Option<Actor>, bool);

/// A connection that joined the room.
struct Attached {
    who: ParticipantId,
    outbox: Outbox,
    /// True while this connection's replay of the room is still being read
    /// and sent: one at a time, or a client could pile up replays.
    replaying: Arc<AtomicBool>,
}

struct RoomActor {
    room: Room,
    rx: mpsc::Receiver<Cmd>,
    store: Record,
    /// Who hears of the room beyond its own connections: the registry on
    /// one node, the room's feed in a cluster.
    outlet: Arc<dyn Outlet>,
    conns: HashMap<ConnId, Attached>,
    nonces: Nonces,
    presence: PresenceBatch,
    recent: Recent,
    /// Frames for every member, gathered while requests are handled and
    /// sent together (`flush`).
    pending: Vec<Arc<Wire>>,
    /// Told when `pending` has gone out: the `ok`s of the requests whose
    /// events are in it wait for that.
    flushed: Vec<oneshot::Sender<()>>,
    /// Cluster: connections on relays (node, connection), whose
    /// participant they are. Only for presence: relays deliver.
    remote: HashMap<(String, ConnId), ParticipantId>,
    /// Cluster: the lease was lost; the loop ends.
    stepped_down: bool,
    /// When the room list's entry last went out, and whether a newer one
    /// waits for its turn (when the outlet limits how often: a cluster).
    listing_sent: Option<Instant>,
    listing_due: bool,
    /// Largest replay page, in bytes: a quarter of a connection's byte limit.
    page_bytes: usize,
}

impl RoomActor {
    async fn run(mut self, outages: Vec<Outage>) {
        // The room was not served for a while (the server was down, or in a
        // cluster its owner changed): the outage is recorded, and a turn
        // that was running is paused with the time it had then.
        for o in outages {
            let events = rules::restore(
                &mut self.room,
                o.from,
                now_ms(),
                o.cause,
                o.node,
                o.previous,
            );
            self.publish(events, None);
        }
        // Time may have passed while the server was down.
        let events = rules::tick(&mut self.room, now_ms());
        self.publish(events, None);
        self.publish_listing(false);
        loop {
            let wake = rules::next_deadline(&self.room).map(|deadline| {
                let wait = (deadline - now_ms()).max(0) as u64;
                Instant::now() + Duration::from_millis(wait)
            });
            // select! evaluates every branch's future even when disabled.
            let far = Instant::now() + Duration::from_secs(86_400);
            let presence_due = self.presence.due(self.room.members.len());
            let listing_due = self
                .listing_due
                .then(|| Some(self.listing_sent? + self.outlet.listing_every()?))
                .flatten();
            tokio::select! {
                cmd = self.rx.recv() => match cmd {
                    Some(cmd) => {
                        self.handle(cmd).await;
                        // Take what else waits, so that a burst of requests
                        // fans out together (see `flush`).
                        for _ in 0..DRAIN_MAX {
                            match self.rx.try_recv() {
                                Ok(cmd) => self.handle(cmd).await,
                                Err(_) => break,
                            }
                        }
                    }
                    None => break,
                },
                _ = tokio::time::sleep_until(wake.unwrap_or(far)), if wake.is_some() => {
                    let events = rules::tick(&mut self.room, now_ms());
                    self.publish(events, None);
                }
                _ = tokio::time::sleep_until(presence_due.unwrap_or(far)), if presence_due.is_some() => {
                    self.send_presence();
                }
                _ = tokio::time::sleep_until(listing_due.unwrap_or(far)), if listing_due.is_some() => {
                    self.publish_listing(false);
                }
            }
            self.flush();
            if self.room.closed || self.stepped_down {
                break;
            }
        }
        self.flush();
        self.store.flush().await;
        tracing::debug!(room = %self.room.id, "room actor stopped");
    }

    async fn handle(&mut self, cmd: Cmd) {
        match cmd {
            Cmd::Created { by, reply } => {
                let seq = self.created(by).await;
                let _ = reply.send(Ok(Some(seq)));
            }
            Cmd::Join {
                who,
                address,
                outbox,
                since,
                id,
                reply,
            } => {
                // Frames gathered so far belong before the joiner's replay
                // point: they go to those attached now, not to the joiner.
                self.flush();
                let result = self.join(who, address, outbox, since, id);
                let _ = reply.send(result);
            }
            Cmd::Detach { who, conn, node } => {
                let gone = match node {
                    None => self.conns.remove(&conn).is_some(),
                    Some(node) => self.remote.remove(&(node, conn)).is_some(),
                };
                if gone {
                    self.went_offline(&who);
                }
            }
            Cmd::JoinRemote {
                who,
                address,
                node,
                conn,
                reply,
            } => {
                let result = self.join_remote(who, address, node, conn, true);
                let _ = reply.send(result);
            }
            Cmd::Roster { node, conns } => {
                // A new owner learns who is there from each node's relay.
                for (conn, who, address) in conns {
                    let _ = self.join_remote(who, address, node.clone(), conn, false);
                }
            }
            Cmd::Nodes { live } => {
                let gone: Vec<((String, ConnId), ParticipantId)> = self
                    .remote
                    .iter()
                    .filter(|((node, _), _)| !live.contains(node))
                    .map(|(k, who)| (k.clone(), who.clone()))
                    .collect();
                for (key, who) in gone {
                    self.remote.remove(&key);
                    self.went_offline(&who);
                }
            }
            Cmd::Refresh => {
                let state = self.state_wire();
                let counts =
                    super::presence::counts_only(&self.room.id, self.room.seq, self.room.counts());
                let counts = Wire::serialize(&ServerFrame::Presence(Box::new(counts)));
                self.outlet.refresh(self.room.seq, state, counts);
            }
            Cmd::StepDown => self.stepped_down = true,
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
                let read = reads::history(self.store.clone(), self.room.id.clone(), before, limit);
                tokio::spawn(async move {
                    let _ = reply.send(read.await);
                });
            }
            Cmd::Fairness { who, window, reply } => {
                if who.is_some_and(|w| !self.room.members.contains_key(&w)) {
                    let _ = reply.send(Err(ErrorCode::NotJoined));
                    return;
                }
                let members: Vec<Actor> =
                    self.room.members.values().map(|m| m.who.clone()).collect();
                let read =
                    reads::fairness(self.store.clone(), self.room.id.clone(), members, window);
                tokio::spawn(async move {
                    let _ = reply.send(read.await);
                });
            }
            Cmd::Members { who, query, reply } => {
                let result = if self.room.members.contains_key(&who) {
                    members::page(&self.room, &query, now_ms())
                } else {
                    Err(ErrorCode::NotJoined)
                };
                let _ = reply.send(result);
            }
        }
    }

    /// A room made at run time: `room_created`, once it is on disk.
    async fn created(&mut self, by: Actor) -> Seq {
        self.room.seq += 1;
        let frame = EventFrame {
            room: self.room.id.clone(),
            seq: self.room.seq,
            ts: now_ms(),
            event: Event::RoomCreated { by },
        };
        let seq = frame.seq;
        let durable = self.publish(vec![frame], None);
        self.publish_listing(true);
        self.flush();
        if let Some(durable) = durable {
            let _ = durable.await;
        }
        seq
    }

    /// A participant joins, on any connection: the member as they were
    /// before, and whether they were online.
    fn admit(&mut self, who: &Participant, address: IpAddr) -> Result<Admitted, ErrorCode> {
        let member = self.room.members.get(&who.id);
        let before = member.map(|m| m.who.clone());
        let was_online = member.is_some_and(|m| m.connections > 0);
        rules::join(&mut self.room, who, Some(address), now_ms())?;
        Ok((before, was_online))
    }

    /// Once a joining connection is attached: a registered participant's
    /// membership is saved if it changed (guests' never is: it ends with
    /// their connection), and the others told they came.
    fn admitted(&mut self, who: &Participant, (before, was_online): Admitted) {
        let actor = who.actor();
        if !who.guest && before.as_ref() != Some(&actor) {
            self.store.member_joined(&self.room.id, &actor);
        }
        if !was_online {
            let from = if before.is_some() {
                PresenceState::Offline
            } else {
                PresenceState::Left
            };
            self.presence_changed(actor, from, PresenceState::Online);
        }
    }

    fn join(
        &mut self,
        who: Participant,
        address: IpAddr,
        outbox: Outbox,
        since: Option<Seq>,
        id: Option<RequestId>,
    ) -> Result<(), ErrorCode> {
        if let Some(attached) = self.conns.get(&outbox.conn) {
            if attached.replaying.load(Ordering::Acquire) {
                return Err(ErrorCode::ReplayInProgress);
            }
        }
        let admitted = self.admit(&who, address)?;
        let already_attached = self.conns.contains_key(&outbox.conn);
        if !already_attached {
            rules::set_online(&mut self.room, &who.id, 1);
        }
        // The replay is sent by a task of its own, so that a client
        // catching up on thousands of events does not hold up the room. Its
        // place in the connection's queue is taken now: live events (after
        // `upto`) queue behind it, and the writer streams it page by page
        // before them, so the client gets the replay, the room_state and
        // the ok, then live events, with no gap and nothing twice.
        let upto = self.room.seq;
        let (pages, replay) = Replay::channel();
        if !outbox.send(Item::Replay(replay)) {
            if !already_attached {
                rules::set_online(&mut self.room, &who.id, -1);
                if admitted.0.is_none() {
                    self.room.remove_member(&who.id);
                }
            }
            return Ok(());
        }
        let you = self.room.you(&who.id, now_ms());
        let tail = vec![
            self.state_wire(),
            Wire::serialize(&ServerFrame::Ok {
                id: id.clone(),
                room: Some(self.room.id.clone()),
                seq: Some(upto),
                duplicate: false,
                you: Some(you),
            }),
        ];
        let plan = self.recent.plan(since, upto);
        let replaying = Arc::new(AtomicBool::new(true));
        let to = replay::Target {
            outbox: outbox.clone(),
            pages,
            page_bytes: self.page_bytes,
            id,
            replaying: replaying.clone(),
        };
        tokio::spawn(replay::stream(
            self.store.clone(),
            self.room.id.clone(),
            plan,
            tail,
            to,
        ));
        self.conns.insert(
            outbox.conn,
            Attached {
                who: who.id.clone(),
                outbox,
                replaying,
            },
        );
        self.admitted(&who, admitted);
        Ok(())
    }

    /// Cluster: a connection on a relay joins (`fresh`), or is reported by
    /// a relay to a new owner (not fresh: no state to send back).
    fn join_remote(
        &mut self,
        who: Participant,
        address: IpAddr,
        node: String,
        conn: ConnId,
        fresh: bool,
    ) -> Result<JoinAccepted, ErrorCode> {
        let admitted = self.admit(&who, address)?;
        let key = (node, conn);
        if !self.remote.contains_key(&key) {
            rules::set_online(&mut self.room, &who.id, 1);
            self.remote.insert(key, who.id.clone());
        }
        self.admitted(&who, admitted);
        if !fresh {
            return Ok(JoinAccepted {
                upto: self.room.seq,
                state: String::new(),
                ok: String::new(),
            });
        }
        let upto = self.room.seq;
        let state = ServerFrame::RoomState(Box::new(self.room.view(now_ms()))).to_json();
        let ok = ServerFrame::Ok {
            id: None,
            room: Some(self.room.id.clone()),
            seq: Some(upto),
            duplicate: false,
            you: Some(self.room.you(&who.id, now_ms())),
        }
        .to_json();
        Ok(JoinAccepted { upto, state, ok })
    }

    async fn request(
        &mut self,
        who: Participant,
        nonce: Option<String>,
        request: Request,
    ) -> Result<Accepted, ErrorCode> {
        let now = now_ms();
        if let Some(nonce) = &nonce {
            // The room remembers its recent nonces (reloaded from the record
            // at start), so a `say` never waits on the store to be accepted.
            if let Some(seq) = self.nonces.get(&who.id, nonce, now) {
                return Ok(Accepted {
                    seq: Some(seq),
                    duplicate: true,
                    durable: None,
                    flushed: None,
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
        // Who a `leave` or `remove` takes out, as they were: the others
        // are told they left, which no event says for a plain `leave`.
        let leaving = match &request {
            Request::Leave { .. } => Some(who.id.as_str()),
            Request::Remove { participant, .. } => Some(participant.as_str()),
            _ => None,
        }
        .and_then(|id| self.room.members.get(id))
        .map(|m| (m.who.clone(), m.connections > 0));
        let events = rules::apply(&mut self.room, &who, &request, &ctx)?;
        let seq = events.last().map(|e| e.seq);
        let durable = self.publish(events, nonce.clone().map(|n| (who.id.clone(), n)));
        if let (Some(nonce), Some(seq)) = (nonce, seq) {
            self.nonces.insert(&who.id, nonce, seq, now);
        }
        if let Some((actor, online)) = leaving {
            if !self.room.members.contains_key(&actor.id) {
                self.detach_participant(&actor.id);
                if !actor.guest {
                    self.store.member_left(&self.room.id, &actor.id);
                }
                let from = if online {
                    PresenceState::Online
                } else {
                    PresenceState::Offline
                };
                self.presence_changed(actor, from, PresenceState::Left);
            }
        }
        let list_changed =
            was_mode != self.room.mode || was_locked != self.room.locked || self.room.closed;
        self.publish_listing(list_changed);
        let flushed = durable.is_some().then(|| {
            let (tx, rx) = oneshot::channel();
            self.flushed.push(tx);
            rx
        });
        Ok(Accepted {
            seq,
            duplicate: false,
            durable,
            flushed,
        })
    }

    /// Stop sending a participant this room's events (they left or were removed).
    fn detach_participant(&mut self, id: &str) {
        // What they are owed up to now (the event that takes them out) first.
        self.flush();
        self.conns.retain(|_, a| a.who != id);
        // Cluster: connections on relays (none on a single node).
        self.remote.retain(|_, who| who != id);
        self.outlet.detach(id);
    }

    /// A connection went away: if it was the participant's last, they go
    /// offline, and a guest leaves the room altogether.
    fn went_offline(&mut self, who: &str) {
        if !rules::set_online(&mut self.room, who, -1) {
            return;
        }
        let Some(actor) = self.room.members.get(who).map(|m| m.who.clone()) else {
            return;
        };
        let mut events = Vec::new();
        if rules::depart_guest(&mut self.room, who, now_ms(), &mut events) {
            self.presence_changed(actor, PresenceState::Online, PresenceState::Left);
            self.publish(events, None);
        } else {
            self.presence_changed(actor, PresenceState::Online, PresenceState::Offline);
        }
    }

    /// Persist and fan out events. The author column of every row is the
    /// participant whose request caused it; the request's nonce goes on its
    /// last event, which is the seq the `ok` reports.
    fn publish(
        &mut self,
        events: Vec<EventFrame>,
        nonce: Option<(ParticipantId, String)>,
    ) -> Option<Durable> {
        if events.is_empty() {
            return None;
        }
        let mut rows = Vec::with_capacity(events.len());
        let mut wire = Vec::with_capacity(events.len() + 1);
        let last = events.len() - 1;
        let requester = nonce.as_ref().map(|(who, _)| who.as_str());
        let mut changes_state = false;
        for (i, frame) in events.iter().enumerate() {
            let body = serde_json::to_string(frame).unwrap_or_default();
            let framed = Wire::event(&body);
            self.recent.push(frame.seq, framed.clone());
            wire.push(framed);
            let nonce = nonce.as_ref().filter(|_| i == last).map(|(_, n)| n.clone());
            rows.push(Row::of(frame, body, requester, nonce));
            changes_state |= rules::changes_state(&frame.event);
        }
        crate::metrics::add(&crate::metrics::EVENTS, events.len() as u64);
        let snapshot = changes_state.then(|| serde_json::to_string(&self.room).unwrap_or_default());
        let durable = self.store.append(&self.room.id, rows, snapshot);
        let state = changes_state.then(|| self.state_wire());
        // On one node the public pages' live streams get the events (in seq
        // order, after the record has them); in a cluster the feed passes
        // them on once they are committed, and says so to the request's `ok`.
        let durable = self
            .outlet
            .events(&self.room, &events, &wire, state.as_ref(), durable);
        wire.extend(state);
        self.send_all(wire);
        Some(durable)
    }

    fn state_wire(&self) -> Arc<Wire> {
        Wire::serialize(&ServerFrame::RoomState(Box::new(self.room.view(now_ms()))))
    }

    /// Someone came, went or left: tell everyone now if nobody was told
    /// lately, otherwise with the next batch (the run loop's timer).
    fn presence_changed(&mut self, who: Actor, from: PresenceState, to: PresenceState) {
        self.presence.record(who, from, to);
        if self.presence.due_now(self.room.members.len()) {
            self.send_presence();
        }
        self.publish_listing(false);
    }

    fn send_presence(&mut self) {
        let Some(frame) = self
            .presence
            .take(&self.room.id, self.room.seq, self.room.counts())
        else {
            return;
        };
        let wire = Wire::serialize(&ServerFrame::Presence(Box::new(frame)));
        self.outlet.presence(&wire);
        self.send_all(vec![wire]);
        self.publish_listing(false);
    }

    /// Frames for every attached connection, sent at the next `flush`; none
    /// kept when none is attached (a cluster's owner: its relays deliver).
    fn send_all(&mut self, frames: Vec<Arc<Wire>>) {
        if !self.conns.is_empty() {
            self.pending.extend(frames);
        }
    }

    /// Send what `send_all` gathered to every attached connection, as one
    /// item each: when several requests came in together (a busy room),
    /// each connection gets all their frames in one write, so the cost per
    /// delivery falls as the load rises, where one write per frame would
    /// saturate. Idle sockets are written straight away by this task. A
    /// connection whose queue is full has been told to close (slow reader)
    /// and is dropped.
    fn flush(&mut self) {
        self.fan_out();
        // Only now: a sender's `ok` must find its event already queued.
        for tx in self.flushed.drain(..) {
            let _ = tx.send(());
        }
    }

    fn fan_out(&mut self) {
        if self.pending.is_empty() {
            return;
        }
        let frames = std::mem::take(&mut self.pending);
        let mut gone = Vec::new();
        let mut delivered = 0;
        let count = frames.len() as u64;
        // One item for every recipient, sharing the same frames.
        let many: Option<Arc<[Arc<Wire>]>> = (frames.len() > 1).then(|| frames.as_slice().into());
        for (conn, attached) in &self.conns {
            let out = match &many {
                Some(m) => Item::Many(m.clone()),
                None => Item::Wire(frames[0].clone()),
            };
            if attached.outbox.send_as(out, true) {
                delivered += count;
            } else {
                gone.push((*conn, attached.who.clone()));
            }
        }
        crate::metrics::add(&crate::metrics::DELIVERIES, delivered);
        for (conn, who) in gone {
            if self.conns.remove(&conn).is_some() {
                self.went_offline(&who);
            }
        }
        // A slow reader's departure may have made news of its own.
        if !self.pending.is_empty() {
            self.fan_out();
        }
    }

    fn publish_listing(&mut self, list_changed: bool) {
        // Counts alone change with every arrival: where telling the list
        // costs a message to every node, they go at most once a period.
        if let Some(every) = self.outlet.listing_every() {
            let recent = self.listing_sent.is_some_and(|at| at.elapsed() < every);
            if !list_changed && !self.room.closed && recent {
                self.listing_due = true;
                return;
            }
            self.listing_due = false;
            self.listing_sent = Some(Instant::now());
        }
        self.outlet.listing(&self.room, list_changed);
    }
}
