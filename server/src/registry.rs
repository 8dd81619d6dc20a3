//! Who is where: the rooms by id, the room list that `welcome` shows, and
//! every live connection (to close a revoked participant's connections, to
//! tell everyone the room list changed, and to say goodbye at shutdown).
//!
//! The locks here are std locks held for a map lookup or insert only, never
//! across an await.

use crate::outbox::{CloseReason, ConnId, Outbox};
use crate::room::state::{Room, Settings};
use crate::room::RoomHandle;
use crate::store::Store;
use dais_protocol::{ParticipantId, RoomId, RoomSummary, ServerFrame};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};

#[derive(Default)]
pub struct Registry {
    rooms: RwLock<HashMap<RoomId, RoomHandle>>,
    summaries: Mutex<BTreeMap<RoomId, RoomSummary>>,
    /// Ids of closed rooms: they cannot be joined or created again.
    closed: Mutex<BTreeSet<RoomId>>,
    conns: Mutex<HashMap<ConnId, (Option<ParticipantId>, Outbox)>>,
    next_conn: AtomicU64,
}

/// Whether a room id is acceptable: 1 to 64 of a-z, 0-9 and `-`.
pub fn valid_room_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
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
    pub fn start_room(self: &Arc<Self>, room: Room, store: &Store) -> Option<RoomHandle> {
        let id = room.id.clone();
        if room.closed {
            if let Ok(mut closed) = self.closed.lock() {
                closed.insert(id);
            }
            return None;
        }
        if let Ok(mut s) = self.summaries.lock() {
            s.insert(id.clone(), room.summary());
        }
        let handle = RoomHandle::spawn(room, store.clone(), self.clone());
        if let Ok(mut rooms) = self.rooms.write() {
            rooms.insert(id, handle.clone());
        }
        Some(handle)
    }

    /// Create a room at run time. Err when the id is taken.
    pub fn create_room(
        self: &Arc<Self>,
        id: &str,
        settings: Settings,
        store: &Store,
    ) -> Option<RoomHandle> {
        if self.exists(id) {
            return None;
        }
        let handle = self.start_room(Room::new(id.to_string(), settings), store);
        self.broadcast_rooms();
        handle
    }

    pub fn summaries(&self) -> Vec<RoomSummary> {
        self.summaries
            .lock()
            .map(|s| s.values().cloned().collect())
            .unwrap_or_default()
    }

    /// Called by a room actor after each change.
    pub fn update_summary(&self, summary: RoomSummary, closed: bool, list_changed: bool) {
        if closed {
            if let Ok(mut rooms) = self.rooms.write() {
                rooms.remove(&summary.id);
            }
            if let Ok(mut c) = self.closed.lock() {
                c.insert(summary.id.clone());
            }
            if let Ok(mut s) = self.summaries.lock() {
                s.remove(&summary.id);
            }
        } else if let Ok(mut s) = self.summaries.lock() {
            s.insert(summary.id.clone(), summary);
        }
        if list_changed || closed {
            self.broadcast_rooms();
        }
    }

    /// Tell every authenticated connection the room list changed.
    pub fn broadcast_rooms(&self) {
        let text = ServerFrame::Rooms {
            rooms: self.summaries(),
        }
        .to_json();
        let outboxes: Vec<Outbox> = match self.conns.lock() {
            Ok(c) => c
                .values()
                .filter(|(who, _)| who.is_some())
                .map(|(_, o)| o.clone())
                .collect(),
            Err(_) => return,
        };
        for outbox in outboxes {
            outbox.send_text(text.clone());
        }
    }

    pub fn add_conn(&self, outbox: &Outbox) {
        if let Ok(mut c) = self.conns.lock() {
            c.insert(outbox.conn, (None, outbox.clone()));
        }
    }

    /// Mark a connection as authenticated and send its `welcome`, built from
    /// the room list. Both happen under the connection lock, so a room-list
    /// broadcast can neither overtake the welcome nor be missed by it.
    pub fn authenticate(
        &self,
        outbox: &Outbox,
        who: &str,
        welcome: impl FnOnce(Vec<RoomSummary>) -> String,
    ) {
        let Ok(mut c) = self.conns.lock() else {
            return;
        };
        if let Some(entry) = c.get_mut(&outbox.conn) {
            entry.0 = Some(who.to_string());
        }
        outbox.send_text(welcome(self.summaries()));
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
            .map(|c| c.values().map(|(_, o)| o.queued()).sum())
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
                .filter(|(p, _)| p.as_deref() == Some(who))
                .map(|(_, o)| o.clone())
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
            Ok(c) => c.values().map(|(_, o)| o.clone()).collect(),
            Err(_) => return,
        };
        for o in outboxes {
            o.closer.close(reason);
        }
    }
}
