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
use dais_protocol::{Actor, Millis, OutageCause, Seq};
use std::time::Duration;

/// How the actor is set up: what the config and the record say at start.
pub struct Start {
    pub room: Room,
    pub nonces: Nonces,
    /// Connections' byte limit (`outbox_bytes`), which replay pages keep well under.
    pub outbox_bytes: usize,
    /// Outages the room went through while nobody served it, oldest
    /// first: the actor records each, and a turn running then gets its
    /// time back (`rules::restore`).
    pub outages: Vec<Outage>,
}

/// A time the room was not served: since when, why, and in a cluster the
/// node that serves it now and the one that served it before.
#[derive(Debug, Clone)]
pub struct Outage {
    pub from: Millis,
    pub cause: OutageCause,
    pub node: Option<String>,
    pub previous: Option<String>,
}

impl Start {
    /// The server was last known to be running at `from`, and did not stop
    /// cleanly.
    pub fn after_downtime(mut self, from: Option<Millis>) -> Start {
        if let Some(from) = from {
            self.outages.push(Outage {
                from,
                cause: OutageCause::Restart,
                node: None,
                previous: None,
            });
        }
        self
    }

    /// Cluster: node `node` won the room's lease from `previous`, which
    /// served it until its `alive_at` (none: nobody held it before).
    pub fn taken_over(mut self, node: &str, previous: Option<Previous>) -> Start {
        if let Some(previous) = previous {
            let cause = if previous.node == node {
                OutageCause::Restart
            } else if previous.handed_over {
                OutageCause::Handover
            } else {
                OutageCause::Failover
            };
            self.outages.push(Outage {
                from: previous.alive_at,
                cause,
                node: Some(node.to_string()),
                previous: Some(previous.node),
            });
        }
        self
    }
}

/// The room's server before a takeover (a cluster reads it from the
/// room's lease when it wins it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Previous {
    pub node: String,
    /// When it last renewed its lease (or handed it over), in ms: the room
    /// was served until then.
    pub alive_at: Millis,
    /// It stopped cleanly and gave the lease up, rather than died.
    pub handed_over: bool,
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
    /// What every room starts with, from the server's limits (the room
    /// reads no config).
    pub fn from_limits(limits: &crate::limits::Limits) -> Setup {
        Setup {
            limits: RoomLimits {
                points_per_participant: limits.points_per_participant,
                points_per_room: limits.points_per_room,
            },
            nonce_window: Duration::from_secs(limits.nonce_window_secs),
            nonces_per_room: limits.nonces_per_room,
            outbox_bytes: limits.outbox_bytes,
        }
    }

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
            outages: Vec::new(),
        }
    }
}
