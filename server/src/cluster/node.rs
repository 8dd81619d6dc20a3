//! This node's place in the cluster: a relay for every open room, the
//! actors of the rooms it owns, and the leases behind them.
//!
//! One task (`run`) keeps the leases. Every third of a lease it says the
//! node is alive and renews what it holds; a lease it could not renew (the
//! room was taken over, or the node was frozen past the deadline) is given
//! up at once: the actor stops, and its writes were fenced already. Every
//! second it looks for rooms nobody holds, and takes those that rendezvous
//! hashing gives it among the live nodes (or any left free longer than a
//! lease: the node they were meant for may be unwell). A room whose write
//! the record refused is let go too, and taken again from the record.

use super::bus::{Bus, Delivery};
use super::feed::{self, Batch, Lost};
use super::lease;
use super::relay::{self, Ctx};
use crate::config::Config;
use crate::record::{Fence, Record};
use crate::registry::{CreateError, Listing, Registry};
use crate::room::actor::Cmd;
use crate::room::state::{Room, Settings};
use crate::room::RoomHandle;
use anyhow::{Context, Result};
use dais_protocol::RoomId;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::mpsc;
use tokio::time::Instant;

/// How this node joins the cluster.
#[derive(Debug, Clone)]
pub struct NodeSettings {
    pub node: String,
    /// How long a lease lasts without renewal: the longest a dead owner's
    /// rooms wait for a new one.
    pub lease: Duration,
    /// Where clients reach this node (for the `nodes` table; informative).
    pub address: String,
}

/// The cluster-wide channel that says a room was made.
const ROOMS_CHANNEL: &str = "rooms";

/// How often free rooms are looked for.
const SCAN_EVERY: Duration = Duration::from_secs(1);

pub struct Node {
    pub id: String,
    lease: Duration,
    address: String,
    store: Record,
    bus: Bus,
    registry: Arc<Registry>,
    config: Arc<Config>,
    ctx: Arc<Ctx>,
    /// Each room's relay's feed input (this node's own feed delivers there).
    relays: Mutex<HashMap<RoomId, mpsc::UnboundedSender<Batch>>>,
    /// The leases this node holds: room and epoch.
    held: Mutex<HashMap<RoomId, i64>>,
    lost: mpsc::UnboundedSender<Lost>,
    /// Set while the leases could be renewed lately.
    leases_ok: AtomicBool,
    stopping: AtomicBool,
}

impl Node {
    /// Join the cluster: a relay for every open room in the record, and the
    /// lease keeper started.
    pub async fn start(
        settings: NodeSettings,
        store: Record,
        bus: Bus,
        registry: Arc<Registry>,
        config: Arc<Config>,
    ) -> Result<Arc<Node>> {
        let owned: Arc<Mutex<HashMap<RoomId, RoomHandle>>> = Arc::default();
        let lookup = owned.clone();
        let forwarder = super::forward::Forwarder::start(
            bus.clone(),
            settings.node.clone(),
            Arc::new(move |room: &str| lookup.lock().ok()?.get(room).cloned()),
        );
        let ctx = Arc::new(Ctx {
            node: settings.node.clone(),
            store: store.clone(),
            registry: registry.clone(),
            bus: Some(bus.clone()),
            forwarder: Some(forwarder),
            owned,
            owners: Mutex::default(),
            page_bytes: config.limits.outbox_bytes / 4,
        });
        let (lost, lost_rx) = mpsc::unbounded_channel();
        let node = Arc::new(Node {
            id: settings.node,
            lease: settings.lease,
            address: settings.address,
            store,
            bus,
            registry,
            config,
            ctx,
            relays: Mutex::default(),
            held: Mutex::default(),
            lost,
            leases_ok: AtomicBool::new(true),
            stopping: AtomicBool::new(false),
        });
        node.heartbeat().await?;
        let rooms = node.store.load_rooms().await?;
        for (id, _) in &rooms {
            node.ensure_relay(id).await?;
        }
        // Rooms made on another node: a relay here too. (The periodic scan
        // finds them as well, if this message is lost.)
        let mut made = node.bus.listen(ROOMS_CHANNEL);
        let me = node.clone();
        tokio::spawn(async move {
            while let Some(d) = made.recv().await {
                if let Delivery::Message(bytes) = d {
                    if let Ok(id) = std::str::from_utf8(&bytes) {
                        if let Err(e) = me.ensure_relay(id).await {
                            tracing::warn!(room = id, error = %e, "cannot follow a new room");
                        }
                    }
                }
            }
        });
        tokio::spawn(node.clone().run(lost_rx));
        Ok(node)
    }

    /// Whether this node can do its part: the bus is up and its leases are
    /// renewed. `/healthz` answers 503 otherwise.
    pub fn healthy(&self) -> bool {
        self.bus.is_up() && self.leases_ok.load(Ordering::Relaxed)
    }

    pub fn bus_up(&self) -> bool {
        self.bus.is_up()
    }

    pub fn owned_count(&self) -> usize {
        self.held.lock().map(|h| h.len()).unwrap_or(0)
    }

    /// Make sure this node follows `room`: a relay and a room-list entry
    /// for an open room, a `closed` mark for a closed one.
    async fn ensure_relay(&self, id: &str) -> Result<()> {
        if self
            .relays
            .lock()
            .map(|r| r.contains_key(id))
            .unwrap_or(true)
            || self.registry.is_closed(id)
        {
            return Ok(());
        }
        let Some(snapshot) = self.store.load_room(id).await? else {
            return Ok(());
        };
        let mut room: Room = serde_json::from_str(&snapshot)
            .with_context(|| format!("the saved state of room `{id}` cannot be read"))?;
        if room.closed {
            self.registry.add_closed(id);
            return Ok(());
        }
        let head = self.store.max_seq(id).await?;
        room.seq = room.seq.max(head);
        let Ok(mut relays) = self.relays.lock() else {
            return Ok(());
        };
        if relays.contains_key(id) {
            return Ok(());
        }
        let (handle, input) = relay::spawn(id.to_string(), head, self.ctx.clone());
        relays.insert(id.to_string(), input);
        drop(relays);
        self.registry.add_room(Listing::of(&room), handle);
        Ok(())
    }

    /// Create a room at run time (a chair's `room_create`): its row in the
    /// record, then this node takes it and tells the others.
    pub async fn create_room(
        &self,
        id: &str,
        settings: Settings,
    ) -> Result<RoomHandle, CreateError> {
        let limits = &self.config.limits;
        if self.registry.exists(id) {
            return Err(CreateError::Exists);
        }
        if self.registry.room_count() >= limits.max_rooms {
            return Err(CreateError::TooMany);
        }
        let room = Room::new(id.to_string(), settings);
        let snapshot = serde_json::to_string(&room).unwrap_or_default();
        let created = self.store.create_room(id, &snapshot).await;
        match created {
            Ok(true) => {}
            Ok(false) => return Err(CreateError::Exists),
            Err(e) => {
                tracing::error!(room = id, error = %e, "cannot create a room in the record");
                return Err(CreateError::Failed);
            }
        }
        if let Err(e) = self.ensure_relay(id).await {
            tracing::error!(room = id, error = %e, "cannot follow a new room");
            return Err(CreateError::Failed);
        }
        self.take(id, false).await;
        self.bus.publish(ROOMS_CHANNEL, id.as_bytes()).await;
        self.registry.room(id).ok_or(CreateError::Failed)
    }

    /// Say we are alive.
    async fn heartbeat(&self) -> Result<()> {
        let c = lease::client(&self.store).await?;
        lease::heartbeat(&c, &self.id, &self.address).await
    }

    async fn run(self: Arc<Self>, mut lost: mpsc::UnboundedReceiver<Lost>) {
        // A restart of this node (same id): its old incarnation's rooms are
        // taken back at once, not after their leases run out.
        if let Err(e) = self.take_back_own().await {
            tracing::warn!(error = %e, "cannot look for this node's earlier leases");
        }
        let renew_every = self.lease / 3;
        let mut renew = tokio::time::interval(renew_every);
        let mut scan = tokio::time::interval(SCAN_EVERY.min(self.lease / 2));
        let mut last_renewed = Instant::now();
        // When each free room was first seen free.
        let mut free_since: HashMap<RoomId, Instant> = HashMap::new();
        loop {
            tokio::select! {
                _ = renew.tick() => {
                    if self.stopping.load(Ordering::Relaxed) {
                        return;
                    }
                    match self.renew().await {
                        Ok(()) => {
                            last_renewed = Instant::now();
                            self.leases_ok.store(true, Ordering::Relaxed);
                        }
                        Err(e) => {
                            tracing::warn!(error = %e, "cannot renew this node's leases");
                            self.leases_ok.store(false, Ordering::Relaxed);
                            // Past a lease without renewing, another node
                            // may hold our rooms: stop acting for them.
                            if last_renewed.elapsed() >= self.lease {
                                self.give_up_all();
                            }
                        }
                    }
                }
                _ = scan.tick() => {
                    if self.stopping.load(Ordering::Relaxed) {
                        return;
                    }
                    if let Err(e) = self.scan(&mut free_since).await {
                        tracing::warn!(error = %e, "cannot look for rooms without an owner");
                    }
                }
                Some(l) = lost.recv() => self.lost(l).await,
            }
        }
    }

    /// Heartbeat, renew every lease held, tell the owned rooms which nodes
    /// are alive (connections on dead ones go offline).
    async fn renew(&self) -> Result<()> {
        let c = lease::client(&self.store).await?;
        lease::heartbeat(&c, &self.id, &self.address).await?;
        let held: Vec<(RoomId, i64)> = self
            .held
            .lock()
            .map(|h| h.iter().map(|(r, e)| (r.clone(), *e)).collect())
            .unwrap_or_default();
        // A room closed since the last renewal: its actor has ended, and
        // its lease goes (nobody takes a closed room again).
        let ended: Vec<(RoomId, i64)> = held
            .iter()
            .filter(|(room, _)| {
                self.ctx
                    .owned
                    .lock()
                    .map(|o| o.get(room).is_some_and(RoomHandle::is_gone))
                    .unwrap_or(false)
            })
            .cloned()
            .collect();
        for (room, epoch) in &ended {
            if let Ok(mut h) = self.held.lock() {
                h.remove(room);
            }
            if let Ok(mut o) = self.ctx.owned.lock() {
                o.remove(room);
            }
            lease::release(&c, &self.id, room, *epoch, false).await?;
        }
        let held: Vec<(RoomId, i64)> = held.into_iter().filter(|h| !ended.contains(h)).collect();
        let renewed = lease::renew(&c, &self.id, &held, self.lease).await?;
        for (room, epoch) in held {
            if !renewed.contains(&room) {
                tracing::warn!(room = %room, epoch, "this node's lease on the room was lost; stepping down");
                self.step_down(&room, epoch);
            }
        }
        let live = lease::live_nodes(&c, self.lease).await?;
        for actor in self.owned_actors() {
            let _ = actor.send(Cmd::Nodes { live: live.clone() }).await;
        }
        Ok(())
    }

    async fn take_back_own(&self) -> Result<()> {
        let rooms: Vec<RoomId> = {
            let c = lease::client(&self.store).await?;
            lease::own_rooms(&c, &self.id).await?
        };
        for room in rooms {
            self.take(&room, true).await;
        }
        Ok(())
    }

    /// Take the free rooms that are ours to take.
    async fn scan(&self, free_since: &mut HashMap<RoomId, Instant>) -> Result<()> {
        let (free, live) = {
            let c = lease::client(&self.store).await?;
            (
                lease::unowned_rooms(&c).await?,
                lease::live_nodes(&c, self.lease).await?,
            )
        };
        free_since.retain(|room, _| free.contains(room));
        for room in free {
            if self
                .held
                .lock()
                .map(|h| h.contains_key(&room))
                .unwrap_or(true)
            {
                continue;
            }
            self.ensure_relay(&room).await?;
            let since = *free_since.entry(room.clone()).or_insert_with(Instant::now);
            let mine = preferred(&room, &live).is_none_or(|n| n == self.id);
            if mine || since.elapsed() >= self.lease {
                self.take(&room, false).await;
            }
        }
        Ok(())
    }

    /// Claim `room`'s lease (`restart`: also from this node's own earlier
    /// run) and, if won, rebuild the room from the record and start its
    /// actor under the new epoch.
    async fn take(&self, room: &str, restart: bool) {
        if self.stopping.load(Ordering::Relaxed) {
            return;
        }
        let claim = async {
            let mut c = lease::client(&self.store).await?;
            lease::claim(&mut c, room, &self.id, self.lease, restart).await
        }
        .await;
        let claim = match claim {
            Ok(Some(claim)) => claim,
            Ok(None) => return,
            Err(e) => {
                tracing::warn!(room, error = %e, "cannot claim a room's lease");
                return;
            }
        };
        match self.start_owner(room, &claim).await {
            Ok(()) => {
                crate::metrics::add(&crate::metrics::ROOMS_TAKEN_OVER, 1);
                tracing::info!(
                    room,
                    epoch = claim.epoch,
                    from = claim
                        .previous
                        .as_ref()
                        .map(|p| p.node.as_str())
                        .unwrap_or("-"),
                    "this node owns the room now"
                );
            }
            Err(e) => {
                tracing::error!(room, error = %e, "cannot rebuild the room from the record; letting it go");
                if let Ok(c) = lease::client(&self.store).await {
                    let _ = lease::release(&c, &self.id, room, claim.epoch, false).await;
                }
            }
        }
    }

    async fn start_owner(&self, id: &str, claim: &lease::Claim) -> Result<()> {
        let snapshot = self
            .store
            .load_room(id)
            .await?
            .with_context(|| format!("room `{id}` is not in the record"))?;
        let mut room: Room = serde_json::from_str(&snapshot)
            .with_context(|| format!("the saved state of room `{id}` cannot be read"))?;
        if let Some(rc) = self
            .config
            .rooms_or_default()
            .into_iter()
            .find(|r| r.id == id)
        {
            rc.apply_to(&mut room);
        }
        let setup = crate::room::start::Setup::from_limits(&self.config.limits);
        let head = self.store.max_seq(id).await?;
        let members = self.store.load_members(id).await?;
        let since = setup.nonces_since(crate::clock::now_ms());
        let recent = self.store.recent_nonces(id, since).await?;
        let start = setup
            .restored(room, head, members, recent)
            .taken_over(&self.id, claim.previous.clone());
        let local = self
            .relays
            .lock()
            .ok()
            .and_then(|r| r.get(id).cloned())
            .context("no relay for the room")?;
        let feed = feed::spawn(
            id.to_string(),
            self.id.clone(),
            claim.epoch,
            local,
            Some(self.bus.clone()),
            self.lost.clone(),
        );
        // Every write of the room's actor lands only while this lease holds.
        let record = self.store.fenced(Fence {
            node: self.id.clone(),
            epoch: claim.epoch,
        });
        let handle = RoomHandle::spawn(start, record, Arc::new(feed));
        if let Ok(mut h) = self.held.lock() {
            h.insert(id.to_string(), claim.epoch);
        }
        if let Ok(mut o) = self.ctx.owned.lock() {
            o.insert(id.to_string(), handle);
        }
        Ok(())
    }

    /// A room's feed says the record refused its write.
    async fn lost(&self, lost: Lost) {
        let held = self
            .held
            .lock()
            .ok()
            .and_then(|h| h.get(&lost.room).copied());
        if held != Some(lost.epoch) {
            return;
        }
        self.step_down(&lost.room, lost.epoch);
        if !lost.fenced {
            // Not taken from us: the write failed (the record was
            // unreachable). Hand the room on at once; whoever takes it,
            // this node included, rebuilds it from the record.
            if let Ok(c) = lease::client(&self.store).await {
                let _ = lease::release(&c, &self.id, &lost.room, lost.epoch, false).await;
            }
        }
    }

    /// Stop acting as `room`'s owner under `epoch`.
    fn step_down(&self, room: &str, epoch: i64) {
        let mine = self
            .held
            .lock()
            .map(|mut h| {
                if h.get(room) == Some(&epoch) {
                    h.remove(room);
                    true
                } else {
                    false
                }
            })
            .unwrap_or(false);
        if !mine {
            return;
        }
        crate::metrics::add(&crate::metrics::ROOMS_LOST, 1);
        let actor = self.ctx.owned.lock().ok().and_then(|mut o| o.remove(room));
        if let Some(actor) = actor {
            actor.notify(Cmd::StepDown);
        }
    }

    fn give_up_all(&self) {
        let held: Vec<(RoomId, i64)> = self
            .held
            .lock()
            .map(|h| h.iter().map(|(r, e)| (r.clone(), *e)).collect())
            .unwrap_or_default();
        for (room, epoch) in held {
            self.step_down(&room, epoch);
        }
    }

    fn owned_actors(&self) -> Vec<RoomHandle> {
        self.ctx
            .owned
            .lock()
            .map(|o| o.values().cloned().collect())
            .unwrap_or_default()
    }

    /// A clean stop: let every room go (its actor writes what it has), then
    /// hand the leases on so that other nodes take the rooms at once.
    pub async fn stop(&self) {
        self.stopping.store(true, Ordering::Relaxed);
        let held: Vec<(RoomId, i64)> = self
            .held
            .lock()
            .map(|h| h.iter().map(|(r, e)| (r.clone(), *e)).collect())
            .unwrap_or_default();
        for (room, epoch) in &held {
            self.step_down(room, *epoch);
        }
        self.store.flush().await;
        if let Ok(c) = lease::client(&self.store).await {
            for (room, epoch) in &held {
                let _ = lease::release(&c, &self.id, room, *epoch, true).await;
            }
            let _ = lease::node_gone(&c, &self.id).await;
        }
    }
}

/// The node a free room should go to: the live node with the highest
/// hash of (room, node), so that rooms spread evenly and every node agrees
/// without talking (rendezvous hashing). None when no node is live.
pub fn preferred<'a>(room: &str, live: &'a [String]) -> Option<&'a str> {
    live.iter()
        .max_by_key(|node| weight(room, node))
        .map(String::as_str)
}

/// FNV-1a of the room and the node: stable across builds and machines
/// (std's hasher is not promised to be), so that nodes of two versions,
/// in an upgrade, still agree.
fn weight(room: &str, node: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in room.bytes().chain([0xff]).chain(node.bytes()) {
        h ^= b as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    // FNV alone mixes the last bytes poorly; a final avalanche spreads them.
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^ (h >> 33)
}

#[cfg(test)]
mod tests {
    use super::preferred;

    #[test]
    fn free_rooms_spread_over_the_live_nodes_and_all_agree() {
        let live: Vec<String> = ["a", "b", "c"].iter().map(|s| s.to_string()).collect();
        let mut count = std::collections::HashMap::new();
        for i in 0..300 {
            let room = format!("room-{i}");
            let node = preferred(&room, &live).expect("a node");
            // Another node's list, in another order, picks the same one.
            let mut other = live.clone();
            other.reverse();
            assert_eq!(preferred(&room, &other), Some(node));
            *count.entry(node.to_string()).or_insert(0) += 1;
        }
        for n in ["a", "b", "c"] {
            assert!(count[n] > 60, "{count:?}");
        }
        assert_eq!(preferred("x", &[]), None);
    }
}
