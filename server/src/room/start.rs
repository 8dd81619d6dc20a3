//! A room built to start, in one place: a new one (configured, or made at
//! run time), or one read back from the record (its snapshot, its last seq
//! from the log, its members and its recent nonces), with the limits every
//! room runs under.
//!
//! The callers (the server at start, the registry for a room made at run
//! time, a cluster node that wins a room's lease) read the config and the
//! record; this module only puts a room together, so that the room needs
//! neither the config nor a backend.

use super::nonces::Nonces;
use super::state::{Room, RoomLimits};
use crate::record::postgres::Previous;
use dais_protocol::{Actor, Millis, Seq};
use std::time::Duration;

/// How the actor is set up: what the config and the record say at start.
pub struct Start {
    pub room: Room,
    pub nonces: Nonces,
    /// Connections' byte limit (`outbox_bytes`), which replay pages keep well under.
    pub outbox_bytes: usize,
    /// When the server was last known to be running, if it did not stop
    /// cleanly: a turn running then gets its time back (`rules::restore`).
    pub down_from: Option<Millis>,
    /// Cluster mode: the node this one took the room over from, if any
    /// (the record's lease says so when the lease is won).
    pub takeover: Option<Previous>,
}

/// What every room starts with, from the config's `[limits]`.
#[derive(Debug, Clone, Default)]
pub struct Setup {
    pub limits: RoomLimits,
    /// How long a request's nonce is remembered, and how many per room.
    pub nonce_window: Duration,
    pub nonces_per_room: usize,
    /// Connections' byte limit.
    pub outbox_bytes: usize,
}

/// A nonce the record holds: (author, nonce, seq, ts).
pub type SavedNonce = (String, String, Seq, Millis);

impl Setup {
    /// A room the record does not hold yet.
    pub fn fresh(&self, room: Room) -> Start {
        self.start(room, Vec::new())
    }

    /// The earliest time a nonce worth reloading was recorded at.
    pub fn nonces_since(&self, now: Millis) -> Millis {
        now - self.nonce_window.as_millis() as Millis
    }

    /// A room read back from the record: its snapshot, its log's last seq
    /// (the snapshot and its events are written in one transaction, so they
    /// agree; the log wins if they ever do not), its members, and its nonces
    /// since `nonces_since`, newest first (as the record reads them).
    pub fn restored(
        &self,
        mut room: Room,
        head: Seq,
        members: Vec<Actor>,
        mut recent: Vec<SavedNonce>,
    ) -> Start {
        room.seq = room.seq.max(head);
        room.members.clear();
        for actor in members {
            room.add_member(actor, None);
        }
        recent.reverse();
        self.start(room, recent)
    }

    fn start(&self, mut room: Room, oldest_first: Vec<SavedNonce>) -> Start {
        room.limits = self.limits;
        let mut nonces = Nonces::new(self.nonce_window, self.nonces_per_room);
        for (author, nonce, seq, ts) in oldest_first {
            nonces.insert(&author, nonce, seq, ts);
        }
        Start {
            room,
            nonces,
            outbox_bytes: self.outbox_bytes,
            down_from: None,
            takeover: None,
        }
    }
}
