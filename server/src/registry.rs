//! Who is where: the rooms by id, the room list that `welcome` and `rooms`
//! show, and every live connection (to close a revoked participant's
//! connections, to tell everyone a room changed, and to say goodbye at
//! shutdown).
//!
//! The room list is kept language-neutral (every title) and rendered for
//! each reader in their language: a connection gets one title per room,
//! not six. When a room is created, changed or closed, connections get that
//! one room (`room_update`, `room_removed`), not the whole list again.
//!
//! On a single node the registry is also the rooms' `Outlet`: their events
//! feed the public pages' live streams here, and their counts the list.
//!
//! The locks here are std locks held for a map lookup or insert only, never
//! across an await.

use crate::record::Durable;
use crate::record::Record;
use crate::room::outlet::Outlet;
use crate::room::start::{Setup, Start};
use crate::room::state::{Room, Settings};
use crate::room::RoomHandle;
use crate::ws::{CloseReason, ConnId, Outbox, Wire};
use dais_protocol::{ParticipantId, RoomId, RoomSummary, ServerFrame};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};

/// A room as the list shows it, with every title it has: rendered in each
/// reader's language when sent.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Listing {
    id: RoomId,
    titles: BTreeMap<String, String>,
    description: String,
    mode: dais_protocol::Mode,
    locked: bool,
    /// Shown on the public web pages.
    public: bool,
    last_seq: dais_protocol::Seq,
    online: u32,
}

impl Listing {
    pub fn of(room: &Room) -> Listing {
        Listing {
            id: room.id.clone(),
            titles: room.settings.titles.clone(),
            description: room.settings.description.clone(),
            mode: room.mode,
            locked: room.locked,
            public: room.public,
            last_seq: room.seq,
            online: room.online(),
        }
    }

    fn summary(&self, lang: &str) -> RoomSummary {
        RoomSummary {
            id: self.id.clone(),
            title: crate::room::state::pick_title(&self.titles, lang)
                .unwrap_or_else(|| self.id.clone()),
            description: self.description.clone(),
            mode: self.mode,
            locked: self.locked,
            last_seq: self.last_seq,
            online: self.online,
        }
    }
}

/// One live connection, as the registry knows it.
struct Conn {
    /// Set once the connection said a good `hello`.
    who: Option<ParticipantId>,
    /// The reader's language, for room titles.
    lang: String,
    outbox: Outbox,
}

/// A room's events as they are published, for the public pages' live
/// streams (Server-Sent Events): who watches subscribes, and reads what
/// came before from the store.
struct Feed {
    /// The seq of the latest event published.
    last: dais_protocol::Seq,
    tx: tokio::sync::broadcast::Sender<Arc<dais_protocol::EventFrame>>,
}

/// Events a live stream may fall behind by before it reads the store to
/// catch up.
const FEED_CAPACITY: usize = 256;

/// A public room, as the web pages list it.
#[derive(Debug, Clone)]
pub struct PublicRoom {
    pub id: RoomId,
    pub title: String,
    pub description: String,
    pub mode: dais_protocol::Mode,
    pub last_seq: dais_protocol::Seq,
}

#[derive(Default)]
pub struct Registry {
    rooms: RwLock<HashMap<RoomId, RoomHandle>>,
    /// What the room list shows of each open room (the actor refreshes it
    /// after each change).
    listings: Mutex<BTreeMap<RoomId, Listing>>,
    /// Ids of closed rooms: they cannot be joined or created again.
    closed: Mutex<BTreeSet<RoomId>>,
    conns: Mutex<HashMap<ConnId, Conn>>,
    next_conn: AtomicU64,
    /// Each open room's live feed of events.
    feeds: Mutex<HashMap<RoomId, Feed>>,
}

/// Why a room could not be created.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CreateError {
    Exists,
    TooMany,
    /// Cluster: the record could not be written.
    Failed,
}

impl Registry {
    pub fn new() -> Arc<Registry> {
        Arc::new(Registry::default())
    }

    pub fn next_conn_id(&self) -> ConnId {
        self.next_conn.fetch_add(1, Ordering::Relaxed) + 1
    }

    pub fn room(&self, id: &str) -> Option<RoomHandle> {
        self.rooms.read().ok()?.get(id).cloned()
    }

    pub fn is_closed(&self, id: &str) -> bool {
        self.closed.lock().map(|c| c.contains(id)).unwrap_or(false)
    }

    pub fn exists(&self, id: &str) -> bool {
        self.is_closed(id)
            || self
                .rooms
                .read()
                .map(|r| r.contains_key(id))
                .unwrap_or(false)
    }

    /// Start the actor of a loaded or new room.
    pub fn start_room(self: &Arc<Self>, start: Start, store: &Record) -> Option<RoomHandle> {
        let id = start.room.id.clone();
        if start.room.closed {
            if let Ok(mut closed) = self.closed.lock() {
                closed.insert(id);
            }
            return None;
        }
        let listing = Listing::of(&start.room);
        let handle = RoomHandle::spawn(start, store.clone(), self.clone());
        self.add_room(listing, handle.clone());
        Some(handle)
    }

    /// List an open room and let connections reach it through `handle`
    /// (its actor on a single node, this node's relay in a cluster).
    pub fn add_room(&self, listing: Listing, handle: RoomHandle) {
        let id = listing.id.clone();
        if let Ok(mut f) = self.feeds.lock() {
            let (tx, _) = tokio::sync::broadcast::channel(FEED_CAPACITY);
            f.insert(
                id.clone(),
                Feed {
                    last: listing.last_seq,
                    tx,
                },
            );
        }
        if let Ok(mut l) = self.listings.lock() {
            l.insert(id.clone(), listing);
        }
        if let Ok(mut rooms) = self.rooms.write() {
            rooms.insert(id, handle);
        }
    }

    /// Note a closed room (cluster: one this node learns of from the record).
    pub fn add_closed(&self, id: &str) {
        if let Ok(mut closed) = self.closed.lock() {
            closed.insert(id.to_string());
        }
    }

    /// Create a room at run time.
    pub fn create_room(
        self: &Arc<Self>,
        id: &str,
        settings: Settings,
        store: &Record,
        max_rooms: usize,
        setup: &Setup,
    ) -> Result<RoomHandle, CreateError> {
        if self.exists(id) {
            return Err(CreateError::Exists);
        }
        if self.room_count() >= max_rooms {
            return Err(CreateError::TooMany);
        }
        let room = Room::new(id.to_string(), settings);
        // Everyone hears of the new room from its actor, once `room_created`
        // is recorded (so the update carries its seq).
        self.start_room(setup.fresh(room), store)
            .ok_or(CreateError::Exists)
    }

    /// A room's events were published (called by its actor, in seq order).
    pub fn feed(&self, room: &str, events: &[dais_protocol::EventFrame]) {
        let Ok(mut feeds) = self.feeds.lock() else {
            return;
        };
        let Some(feed) = feeds.get_mut(room) else {
            return;
        };
        for e in events {
            feed.last = e.seq;
            // Nobody watching: no copy.
            if feed.tx.receiver_count() > 0 {
                let _ = feed.tx.send(Arc::new(e.clone()));
            }
        }
    }

    /// Cluster: a room's event as a relay delivers it, framed. Read back
    /// only when someone watches.
    pub fn feed_body(&self, room: &str, seq: dais_protocol::Seq, body: &[u8]) {
        let Ok(mut feeds) = self.feeds.lock() else {
            return;
        };
        let Some(feed) = feeds.get_mut(room) else {
            return;
        };
        feed.last = seq;
        if feed.tx.receiver_count() > 0 {
            match serde_json::from_slice::<dais_protocol::EventFrame>(body) {
                Ok(e) => {
                    let _ = feed.tx.send(Arc::new(e));
                }
                Err(e) => {
                    tracing::warn!(room, seq, error = %e, "a relayed event could not be read")
                }
            }
        }
    }

    /// Whether anyone watches the room's public live stream.
    pub fn watched(&self, room: &str) -> bool {
        self.feeds
            .lock()
            .map(|f| f.get(room).is_some_and(|f| f.tx.receiver_count() > 0))
            .unwrap_or(false)
    }

    /// Watch a room's events: the seq of the latest one published so far,
    /// and a receiver of every later one. Taken under the feed's lock, so
    /// nothing falls between the two.
    pub fn watch(
        &self,
        room: &str,
    ) -> Option<(
        dais_protocol::Seq,
        tokio::sync::broadcast::Receiver<Arc<dais_protocol::EventFrame>>,
    )> {
        let feeds = self.feeds.lock().ok()?;
        let feed = feeds.get(room)?;
        Some((feed.last, feed.tx.subscribe()))
    }

    /// Whether `room` is open and public.
    pub fn is_public(&self, room: &str) -> bool {
        self.listings
            .lock()
            .map(|l| l.get(room).is_some_and(|r| r.public))
            .unwrap_or(false)
    }

    /// The public rooms, titled in `lang`.
    pub fn public_rooms(&self, lang: &str) -> Vec<PublicRoom> {
        self.listings
            .lock()
            .map(|l| {
                l.values()
                    .filter(|r| r.public)
                    .map(|r| {
                        let s = r.summary(lang);
                        PublicRoom {
                            id: s.id,
                            title: s.title,
                            description: s.description,
                            mode: s.mode,
                            last_seq: s.last_seq,
                        }
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// A public room's title in `lang`, none when the room is not public.
    pub fn public_room(&self, room: &str, lang: &str) -> Option<PublicRoom> {
        self.public_rooms(lang).into_iter().find(|r| r.id == room)
    }

    /// The room list in `lang`.
    pub fn summaries(&self, lang: &str) -> Vec<RoomSummary> {
        self.listings
            .lock()
            .map(|l| l.values().map(|r| r.summary(lang)).collect())
            .unwrap_or_default()
    }

    /// Called by a room actor after each change. `list_changed` is set when
    /// what the list shows changed (mode, lock), not for counts alone.
    pub fn update_listing(&self, room: &Room, closed: bool, list_changed: bool) {
        self.apply_listing(Listing::of(room), closed, list_changed);
    }

    /// A room was closed: it leaves the list and cannot be joined again.
    pub fn remove_room(&self, id: &str) {
        let id = id.to_string();
        if let Ok(mut rooms) = self.rooms.write() {
            rooms.remove(&id);
        }
        if let Ok(mut c) = self.closed.lock() {
            c.insert(id.clone());
        }
        if let Ok(mut l) = self.listings.lock() {
            l.remove(&id);
        }
        if let Ok(mut f) = self.feeds.lock() {
            // Dropping the sender ends every live stream of the room.
            f.remove(&id);
        }
        self.broadcast(|_| ServerFrame::RoomRemoved { room: id.clone() }.to_json());
    }

    /// What `update_listing` does, from the listing itself (cluster: it
    /// comes over the bus from the room's owner).
    pub fn apply_listing(&self, listing: Listing, closed: bool, list_changed: bool) {
        let id = listing.id.clone();
        if closed {
            self.remove_room(&id);
            return;
        }
        if let Ok(mut l) = self.listings.lock() {
            l.insert(id.clone(), listing);
        }
        if list_changed {
            self.broadcast_update(&id);
        }
    }

    /// Tell every authenticated connection that one room changed, in its
    /// reader's language (rendered once per language).
    fn broadcast_update(&self, id: &str) {
        let Some(listing) = self.listings.lock().ok().and_then(|l| l.get(id).cloned()) else {
            return;
        };
        self.broadcast(|lang| {
            ServerFrame::RoomUpdate {
                room: listing.summary(lang),
            }
            .to_json()
        });
    }

    /// Send every authenticated connection a frame made for its language.
    fn broadcast(&self, frame: impl Fn(&str) -> String) {
        let outboxes: Vec<(String, Outbox)> = match self.conns.lock() {
            Ok(c) => c
                .values()
                .filter(|c| c.who.is_some())
                .map(|c| (c.lang.clone(), c.outbox.clone()))
                .collect(),
            Err(_) => return,
        };
        // One frame per language, shared by everyone who reads in it.
        let mut by_lang: HashMap<String, Arc<crate::ws::Wire>> = HashMap::new();
        for (lang, outbox) in outboxes {
            let wire = by_lang
                .entry(lang)
                .or_insert_with_key(|lang| crate::ws::Wire::text(frame(lang)))
                .clone();
            outbox.send(crate::ws::Item::Wire(wire));
        }
    }

    pub fn add_conn(&self, outbox: &Outbox) {
        if let Ok(mut c) = self.conns.lock() {
            c.insert(
                outbox.conn,
                Conn {
                    who: None,
                    lang: "en".into(),
                    outbox: outbox.clone(),
                },
            );
        }
    }

    /// Mark a connection as authenticated and send its `welcome`, built from
    /// the room list in `lang`. Both happen under the connection lock, so a
    /// room update can neither overtake the welcome nor be missed by it.
    pub fn authenticate(
        &self,
        outbox: &Outbox,
        who: &str,
        lang: &str,
        welcome: impl FnOnce(Vec<RoomSummary>) -> String,
    ) {
        let Ok(mut c) = self.conns.lock() else {
            return;
        };
        if let Some(entry) = c.get_mut(&outbox.conn) {
            entry.who = Some(who.to_string());
            entry.lang = lang.to_string();
        }
        outbox.send_text(welcome(self.summaries(lang)));
    }

    /// The reader switched languages: the whole list again, in `lang`, and
    /// updates in it from now on.
    pub fn relist(
        &self,
        outbox: &Outbox,
        lang: &str,
        frame: impl FnOnce(Vec<RoomSummary>) -> String,
    ) {
        let Ok(mut c) = self.conns.lock() else {
            return;
        };
        if let Some(entry) = c.get_mut(&outbox.conn) {
            entry.lang = lang.to_string();
        }
        outbox.send_text(frame(self.summaries(lang)));
    }

    pub fn remove_conn(&self, conn: ConnId) {
        if let Ok(mut c) = self.conns.lock() {
            c.remove(&conn);
        }
    }

    pub fn room_count(&self) -> usize {
        self.rooms.read().map(|r| r.len()).unwrap_or(0)
    }

    /// Frames waiting in every connection's outgoing queue.
    pub fn queued_frames(&self) -> usize {
        self.conns
            .lock()
            .map(|c| c.values().map(|c| c.outbox.queued()).sum())
            .unwrap_or(0)
    }

    pub fn conn_count(&self) -> usize {
        self.conns.lock().map(|c| c.len()).unwrap_or(0)
    }

    /// Close every connection of a participant (their token was revoked).
    pub fn close_participant(&self, who: &str, reason: CloseReason) -> usize {
        let outboxes: Vec<Outbox> = match self.conns.lock() {
            Ok(c) => c
                .values()
                .filter(|c| c.who.as_deref() == Some(who))
                .map(|c| c.outbox.clone())
                .collect(),
            Err(_) => return 0,
        };
        for o in &outboxes {
            o.closer.close(reason);
        }
        outboxes.len()
    }

    pub fn close_all(&self, reason: CloseReason) {
        let outboxes: Vec<Outbox> = match self.conns.lock() {
            Ok(c) => c.values().map(|c| c.outbox.clone()).collect(),
            Err(_) => return,
        };
        for o in outboxes {
            o.closer.close(reason);
        }
    }
}

/// One node: the room list and the public pages' live streams are here,
/// and the actor delivers to its own connections.
impl Outlet for Registry {
    fn events(
        &self,
        room: &Room,
        events: &[dais_protocol::EventFrame],
        _wire: &[Arc<Wire>],
        _state: Option<&Arc<Wire>>,
        durable: Durable,
    ) -> Durable {
        self.feed(&room.id, events);
        durable
    }

    fn presence(&self, _wire: &Arc<Wire>) {}

    fn listing(&self, room: &Room, changed: bool) {
        self.update_listing(room, room.closed, changed);
    }

    fn listing_every(&self) -> Option<std::time::Duration> {
        None
    }

    fn detach(&self, _participant: &str) {}

    fn refresh(&self, _seq: dais_protocol::Seq, _state: Arc<Wire>, _presence: Arc<Wire>) {}
}
