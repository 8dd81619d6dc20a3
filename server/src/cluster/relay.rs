//! A room's relay on one node, in cluster mode: the room as this node's
//! connections see it, wherever its owner runs.
//!
//! Connections attach to the relay (it is the room handle the registry
//! gives them). The relay asks the owner to make them members, streams
//! their replays from the record (`room::replay`, as the owner's actor
//! does), delivers the owner's feed to them, and
//! forwards their requests. It checks every batch of the feed: one from a
//! deposed owner (a lower epoch) is dropped, a duplicate is dropped, and a
//! gap in the events (a message lost on the bus, a Redis restart) is filled
//! from the record before anything after it goes out, so a connection
//! never gets an event twice or out of order, and never misses one. When
//! the owner changes, the relay tells the new one who is connected here.

use super::bus::Delivery;
use super::feed::{Batch, FeedItem};
use super::forward::{self, Answer, Ask, Forwarder};
use crate::record::Record;
use crate::room::actor::{Accepted, Cmd};
use crate::room::replay;
use crate::room::RoomHandle;
use crate::ws::{ConnId, Item, Outbox, Replay, Wire};
use dais_protocol::{ErrorCode, Participant, RequestId, RoomId, Seq, ServerFrame};
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::mpsc;
use tokio::time::Instant;

/// What every relay of a node shares.
pub struct Ctx {
    pub node: String,
    pub store: Record,
    pub registry: Arc<crate::registry::Registry>,
    pub bus: Option<super::bus::Bus>,
    pub forwarder: Option<Forwarder>,
    /// The actors of the rooms this node owns now.
    pub owned: Arc<Mutex<HashMap<RoomId, RoomHandle>>>,
    /// Each room's owner as last seen (in its feed, or its lease), so that
    /// a forwarded request does not read the lease every time.
    pub owners: Mutex<HashMap<RoomId, String>>,
    /// Replay pages stay under this many bytes (a quarter of the outbox limit).
    pub page_bytes: usize,
}

impl Ctx {
    fn owned_actor(&self, room: &str) -> Option<RoomHandle> {
        self.owned.lock().ok()?.get(room).cloned()
    }

    /// The node that owns `room` now, by its lease; None while nobody does
    /// (a takeover under way).
    async fn owner_of(&self, room: &str, fresh: bool) -> Option<String> {
        if !fresh {
            if let Some(owner) = self.owners.lock().ok()?.get(room) {
                return Some(owner.clone());
            }
        }
        let Some(pg) = self.store.postgres_store() else {
            return Some(self.node.clone());
        };
        let client = pg.reader().await.ok()?;
        let owner = super::lease::lease_owner(&client, room).await.ok()??;
        self.saw_owner(room, &owner);
        Some(owner)
    }

    fn saw_owner(&self, room: &str, owner: &str) {
        if let Ok(mut o) = self.owners.lock() {
            if o.get(room).map(String::as_str) != Some(owner) {
                o.insert(room.to_string(), owner.to_string());
            }
        }
    }

    /// Ask the room's owner, wherever it is, waiting out a takeover (up to
    /// the forwarding timeout). None when nobody answered in time.
    pub async fn ask(&self, room: &str, ask: Ask) -> Option<Answer> {
        let deadline = Instant::now() + forward::ASK_TIMEOUT;
        let mut fresh = false;
        loop {
            if let Some(owner) = self.owner_of(room, fresh).await {
                let answer = if owner == self.node {
                    match self.owned_actor(room) {
                        Some(actor) => Some(forward::serve(&actor, ask.clone()).await),
                        // The lease says ours, the actor is not up yet (or
                        // has just stopped): ask again in a moment.
                        None => None,
                    }
                } else {
                    match &self.forwarder {
                        Some(f) => {
                            let left = deadline.saturating_duration_since(Instant::now());
                            f.ask(&owner, room, ask.clone(), left.min(forward::ASK_TRY))
                                .await
                        }
                        None => None,
                    }
                };
                match answer {
                    Some(Answer::NotOwner) | None => {}
                    Some(answer) => return Some(answer),
                }
            }
            // Whoever we asked did not answer as the owner: read the lease
            // from now on.
            fresh = true;
            if Instant::now() >= deadline {
                return None;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

/// A connection of this node attached to the room.
struct Local {
    who: Participant,
    address: IpAddr,
    outbox: Outbox,
    /// Events up to this seq came (or come) in its replay.
    from: Seq,
    /// True while its replay is being sent.
    replaying: Arc<AtomicBool>,
}

struct Relay {
    room: RoomId,
    ctx: Arc<Ctx>,
    attached: HashMap<ConnId, Local>,
    /// The owner whose batches are taken, and the next position expected.
    epoch: i64,
    next_pos: u64,
    /// The last event delivered (or owed by the replays): the next must
    /// follow it.
    last_seq: Seq,
    /// The latest room_state passed on, for a connection that joins after
    /// it (its seq, and the frame).
    last_state: Option<(Seq, Arc<Wire>)>,
    /// `last_seq`, for the requests waiting to send their `ok` after
    /// their event (as on a single node, the sender sees the event first).
    delivered: Arc<tokio::sync::watch::Sender<Seq>>,
    last_batch: Instant,
    closed: bool,
}

/// Start the relay of `room`, whose record holds events up to `head`: the
/// handle connections talk to, and the channel this node's own feed (when
/// it owns the room) delivers on.
pub fn spawn(room: RoomId, head: Seq, ctx: Arc<Ctx>) -> (RoomHandle, mpsc::UnboundedSender<Batch>) {
    let (cmd_tx, cmd_rx) = mpsc::channel(1024);
    let (local_tx, local_rx) = mpsc::unbounded_channel();
    let bus_rx = ctx.bus.as_ref().map(|b| b.listen(&format!("room:{room}")));
    let relay = Relay {
        room,
        ctx,
        attached: HashMap::new(),
        epoch: 0,
        next_pos: 0,
        last_seq: head,
        last_state: None,
        delivered: Arc::new(tokio::sync::watch::Sender::new(head)),
        last_batch: Instant::now(),
        closed: false,
    };
    tokio::spawn(relay.run(cmd_rx, local_rx, bus_rx));
    (RoomHandle::from_sender(cmd_tx), local_tx)
}

/// How often a relay with connections checks the record for events it
/// should have had (a silent loss on the bus).
const HEAD_CHECK: Duration = Duration::from_secs(2);

impl Relay {
    async fn run(
        mut self,
        mut cmds: mpsc::Receiver<Cmd>,
        mut local: mpsc::UnboundedReceiver<Batch>,
        mut bus: Option<mpsc::UnboundedReceiver<Delivery>>,
    ) {
        let mut head = tokio::time::interval(HEAD_CHECK);
        loop {
            tokio::select! {
                cmd = cmds.recv() => match cmd {
                    Some(cmd) => self.command(cmd).await,
                    None => break,
                },
                Some(batch) = local.recv() => self.apply(batch).await,
                Some(delivery) = async {
                    match bus.as_mut() {
                        Some(b) => b.recv().await,
                        None => std::future::pending().await,
                    }
                } => match delivery {
                    Delivery::Message(bytes) => match Batch::decode(&bytes) {
                        Some(batch) => self.apply(batch).await,
                        None => self.catch_up().await,
                    },
                    Delivery::Reconnected => self.catch_up().await,
                },
                _ = head.tick() => self.check_head().await,
            }
        }
        if let Some(bus) = &self.ctx.bus {
            bus.unlisten(&format!("room:{}", self.room));
        }
    }

    async fn command(&mut self, cmd: Cmd) {
        let ctx = self.ctx.clone();
        let room = self.room.clone();
        match cmd {
            Cmd::Join {
                who,
                address,
                outbox,
                since,
                id,
                reply,
            } => {
                let result = self.join(who, address, outbox, since, id).await;
                let _ = reply.send(result);
            }
            Cmd::Detach { who, conn, .. } => {
                if self.attached.remove(&conn).is_some() {
                    let node = ctx.node.clone();
                    tokio::spawn(async move {
                        ctx.ask(&room, Ask::Detach { who, node, conn }).await;
                    });
                }
            }
            Cmd::Request {
                who,
                nonce,
                request,
                reply,
            } => {
                let mut delivered = self.delivered.subscribe();
                tokio::spawn(async move {
                    let answer = ctx
                        .ask(
                            &room,
                            Ask::Request {
                                who,
                                nonce,
                                request,
                            },
                        )
                        .await;
                    if let Some(Answer::Accepted {
                        seq: Some(seq),
                        duplicate: false,
                    }) = &answer
                    {
                        // The event first, then the ok. (A relay that
                        // cannot get it finds it in the record within a
                        // head check; past that the ok goes anyway.)
                        let _ = tokio::time::timeout(
                            HEAD_CHECK * 2,
                            delivered.wait_for(|d| *d >= *seq),
                        )
                        .await;
                    }
                    let result = match answer {
                        Some(Answer::Accepted { seq, duplicate }) => Ok(Accepted {
                            seq,
                            duplicate,
                            durable: None,
                            flushed: None,
                        }),
                        Some(Answer::Refused(code)) => Err(code),
                        _ => Err(ErrorCode::Unavailable),
                    };
                    let _ = reply.send(result);
                });
            }
            Cmd::History {
                who,
                before,
                limit,
                reply,
            } => {
                if !self.attached.values().any(|l| l.who.id == who) {
                    let _ = reply.send(Err(ErrorCode::NotJoined));
                    return;
                }
                tokio::spawn(async move {
                    let before = match before {
                        Some(b) => b,
                        None => head_seq(&ctx.store, &room).await.unwrap_or(0) + 1,
                    };
                    let result = match ctx.store.events_before(&room, before, limit).await {
                        Ok((bodies, more)) => Ok((
                            bodies
                                .iter()
                                .filter_map(|b| serde_json::from_str(b).ok())
                                .collect(),
                            more,
                        )),
                        Err(_) => Err(ErrorCode::StoreFailed),
                    };
                    let _ = reply.send(result);
                });
            }
            Cmd::Members { who, query, reply } => {
                tokio::spawn(async move {
                    let result = match ctx.ask(&room, Ask::Members { who, query }).await {
                        Some(Answer::Members {
                            members,
                            next,
                            total,
                        }) => Ok((members, next, total)),
                        Some(Answer::Refused(code)) => Err(code),
                        _ => Err(ErrorCode::Unavailable),
                    };
                    let _ = reply.send(result);
                });
            }
            Cmd::Created { by, reply } => {
                tokio::spawn(async move {
                    let result = match ctx.ask(&room, Ask::Created { by }).await {
                        Some(Answer::Created { seq }) => Ok(seq),
                        Some(Answer::Refused(code)) => Err(code),
                        _ => Err(ErrorCode::Unavailable),
                    };
                    let _ = reply.send(result);
                });
            }
            Cmd::Fairness { who, window, reply } => {
                tokio::spawn(async move {
                    let result = match ctx.ask(&room, Ask::Fairness { who, window }).await {
                        Some(Answer::Fairness(f)) => Ok(*f),
                        Some(Answer::Refused(code)) => Err(code),
                        _ => Err(ErrorCode::Unavailable),
                    };
                    let _ = reply.send(result);
                });
            }
            // Commands only an owner's actor takes.
            Cmd::JoinRemote { reply, .. } => {
                let _ = reply.send(Err(ErrorCode::Internal));
            }
            Cmd::Roster { .. } | Cmd::Nodes { .. } | Cmd::Refresh | Cmd::StepDown => {}
        }
    }

    async fn join(
        &mut self,
        who: Participant,
        address: IpAddr,
        outbox: Outbox,
        since: Option<Seq>,
        id: Option<RequestId>,
    ) -> Result<(), ErrorCode> {
        if self.closed {
            return Err(ErrorCode::RoomClosed);
        }
        if let Some(local) = self.attached.get(&outbox.conn) {
            if local.replaying.load(Ordering::Acquire) {
                return Err(ErrorCode::ReplayInProgress);
            }
        }
        // Listening before asking: nothing the owner publishes after it
        // answers can be missed.
        if let Some(bus) = &self.ctx.bus {
            if !bus
                .wait_subscribed(&format!("room:{}", self.room), Duration::from_secs(2))
                .await
            {
                return Err(ErrorCode::Unavailable);
            }
        }
        let ask = Ask::Join {
            who: who.clone(),
            address,
            node: self.ctx.node.clone(),
            conn: outbox.conn,
        };
        let (upto, state, ok) = match self.ctx.ask(&self.room, ask).await {
            Some(Answer::Joined { upto, state, ok }) => (upto, state, ok),
            Some(Answer::Refused(code)) => return Err(code),
            _ => return Err(ErrorCode::Unavailable),
        };
        // The replay takes its place in the queue first: live frames queued
        // after it follow it out.
        let (pages, replay) = Replay::channel();
        if !outbox.send(Item::Replay(replay)) {
            return Ok(());
        }
        // Events up to `upto` come in the replay; later ones live. The relay
        // cannot be ahead of the owner's answer (it passes on only what the
        // owner published, all of it before it answered).
        let state = match &self.last_state {
            Some((seq, wire)) if *seq >= upto => {
                String::from_utf8_lossy(wire.payload()).into_owned()
            }
            _ => state,
        };
        let replaying = Arc::new(AtomicBool::new(true));
        let ok = with_id(&ok, id.clone());
        // The owner's feed only passes on what is committed, but `upto` is
        // the owner's latest seq, which may still be on its way to the
        // record: the replay waits for it (briefly).
        let to = replay::Target {
            outbox: outbox.clone(),
            pages,
            page_bytes: self.ctx.page_bytes,
            id,
            replaying: replaying.clone(),
        };
        tokio::spawn(replay::stream(
            self.ctx.store.clone(),
            self.room.clone(),
            replay::Plan::from_record(since, upto),
            vec![Wire::text(state), Wire::text(ok)],
            to,
        ));
        self.attached.insert(
            outbox.conn,
            Local {
                who,
                address,
                outbox,
                from: upto,
                replaying,
            },
        );
        Ok(())
    }

    /// A batch of the feed, from this node's own owner actor or the bus.
    /// Every event is passed on in seq order, to the attached connections
    /// and this node's public pages, whether or not anyone is attached: so
    /// the relay always knows where the room stands.
    async fn apply(&mut self, batch: Batch) {
        self.last_batch = Instant::now();
        if batch.epoch < self.epoch {
            return;
        }
        let mut refresh = false;
        if batch.epoch > self.epoch {
            let first = self.epoch == 0;
            self.epoch = batch.epoch;
            self.ctx.saw_owner(&self.room, &batch.owner);
            self.next_pos = batch.pos;
            if !first {
                // A new owner, who does not know our connections.
                self.send_roster();
            }
            refresh = batch.pos != 0;
        }
        if batch.pos < self.next_pos {
            return;
        }
        if batch.pos > self.next_pos {
            // Something was lost on the bus: a room_state or a presence
            // batch perhaps; the events are filled below from the record.
            refresh = true;
        }
        self.next_pos = batch.pos + 1;
        for item in batch.items {
            match item {
                FeedItem::Event { seq, wire } => {
                    if seq <= self.last_seq {
                        continue;
                    }
                    if seq > self.last_seq + 1 {
                        self.fill(seq - 1).await;
                        if self.last_seq < seq - 1 {
                            // The record could not be read: this event must
                            // wait for the gap to be filled (head check).
                            break;
                        }
                    }
                    self.pass_on(&wire, seq);
                }
                FeedItem::State { seq, wire } => {
                    if seq >= self.last_seq {
                        self.deliver_state(&wire, seq);
                        self.last_state = Some((seq, wire));
                    }
                }
                FeedItem::Presence { wire } => self.deliver(&wire, None),
                FeedItem::Detach { participant } => {
                    self.attached.retain(|_, l| l.who.id != participant);
                }
                FeedItem::Listing { json, changed } => {
                    match serde_json::from_str::<crate::registry::Listing>(&json) {
                        Ok(listing) => self.ctx.registry.apply_listing(listing, false, changed),
                        Err(e) => {
                            tracing::warn!(room = %self.room, error = %e, "a room listing could not be read")
                        }
                    }
                }
                FeedItem::Closed => {
                    if !self.closed {
                        self.closed = true;
                        self.attached.clear();
                        self.ctx.registry.remove_room(&self.room);
                    }
                }
            }
        }
        if refresh && !self.attached.is_empty() {
            self.refresh();
        }
    }

    /// Event `seq`, the next one: to every connection owed it and to the
    /// public pages.
    fn pass_on(&mut self, wire: &Arc<Wire>, seq: Seq) {
        self.deliver(wire, Some(seq));
        self.ctx.registry.feed_body(&self.room, seq, wire.payload());
        self.last_seq = seq;
        self.delivered.send_replace(seq);
    }

    /// Deliver an event (`seq`) or a presence batch to every connection that
    /// is owed it. A connection that cannot take it is a slow reader: it is
    /// let go, and the owner told.
    fn deliver(&mut self, wire: &Arc<Wire>, seq: Option<Seq>) {
        let mut gone = Vec::new();
        for (conn, local) in &self.attached {
            if seq.is_some_and(|s| s <= local.from) {
                continue;
            }
            if !local.outbox.send(Item::Wire(wire.clone())) {
                gone.push(*conn);
            }
        }
        crate::metrics::add(
            &crate::metrics::DELIVERIES,
            (self.attached.len() - gone.len()) as u64,
        );
        self.let_go(gone);
    }

    fn deliver_state(&mut self, wire: &Arc<Wire>, seq: Seq) {
        let mut gone = Vec::new();
        for (conn, local) in &self.attached {
            if seq < local.from {
                continue;
            }
            if !local.outbox.send(Item::Wire(wire.clone())) {
                gone.push(*conn);
            }
        }
        self.let_go(gone);
    }

    fn let_go(&mut self, gone: Vec<ConnId>) {
        for conn in gone {
            if let Some(local) = self.attached.remove(&conn) {
                let (ctx, room) = (self.ctx.clone(), self.room.clone());
                let node = ctx.node.clone();
                let who = local.who.id;
                tokio::spawn(async move {
                    ctx.ask(&room, Ask::Detach { who, node, conn }).await;
                });
            }
        }
    }

    /// Deliver events after `last_seq` up to `upto` from the record.
    async fn fill(&mut self, upto: Seq) {
        while self.last_seq < upto {
            let want = ((upto - self.last_seq) as usize).min(256);
            let bodies = match self
                .ctx
                .store
                .events_after(&self.room, self.last_seq, want)
                .await
            {
                Ok(b) if !b.is_empty() => b,
                // Published after the commit, so it is there; a read that
                // fails is retried by the next head check.
                _ => return,
            };
            crate::metrics::add(&crate::metrics::RELAY_GAPS_FILLED, bodies.len() as u64);
            for body in bodies {
                let seq = self.last_seq + 1;
                self.pass_on(&Wire::event(&body), seq);
            }
        }
    }

    /// The bus came back, or a batch could not be read: take what the
    /// record has that we did not deliver, and a fresh room_state.
    async fn catch_up(&mut self) {
        if let Some(head) = head_seq(&self.ctx.store, &self.room).await {
            if head > self.last_seq {
                self.fill(head).await;
            }
        }
        if !self.attached.is_empty() {
            self.refresh();
        }
    }

    /// Every few seconds: the record should not be ahead of what was
    /// delivered for long. If it is (a batch lost with nothing after it
    /// to show the gap), catch up.
    async fn check_head(&mut self) {
        let followed = !self.attached.is_empty() || self.ctx.registry.watched(&self.room);
        if !followed || self.closed || self.last_batch.elapsed() < HEAD_CHECK / 2 {
            return;
        }
        if let Some(head) = head_seq(&self.ctx.store, &self.room).await {
            if head > self.last_seq {
                tracing::info!(room = %self.room, from = self.last_seq, to = head, "catching up from the record");
                self.fill(head).await;
                self.refresh();
            }
        }
    }

    /// Ask the owner for a fresh room_state (and counts).
    fn refresh(&self) {
        let (ctx, room) = (self.ctx.clone(), self.room.clone());
        tokio::spawn(async move {
            ctx.ask(&room, Ask::Refresh).await;
        });
    }

    /// Tell a new owner every connection this node has in the room.
    fn send_roster(&self) {
        if self.attached.is_empty() {
            return;
        }
        let conns = self
            .attached
            .iter()
            .map(|(conn, l)| (*conn, l.who.clone(), l.address))
            .collect();
        let (ctx, room) = (self.ctx.clone(), self.room.clone());
        let node = ctx.node.clone();
        tokio::spawn(async move {
            ctx.ask(&room, Ask::Roster { node, conns }).await;
        });
    }
}

/// The room's latest seq in the record.
async fn head_seq(store: &Record, room: &str) -> Option<Seq> {
    store.max_seq(room).await.ok()
}

/// The owner's `ok` for a join, with the connection's request id.
fn with_id(ok: &str, id: Option<RequestId>) -> String {
    match serde_json::from_str::<ServerFrame>(ok) {
        Ok(ServerFrame::Ok {
            room,
            seq,
            duplicate,
            you,
            ..
        }) => ServerFrame::Ok {
            id,
            room,
            seq,
            duplicate,
            you,
        }
        .to_json(),
        _ => ok.to_string(),
    }
}
