//! The way to reach a room: `RoomHandle`, a cheap, cloneable sender of
//! `Cmd`s, and what comes back. Behind a handle is the room's actor (one
//! node, or the owner in a cluster) or, in a cluster, this node's relay of
//! the room; whoever holds the handle does not know which.

use super::members::{MembersPage, MembersQuery};
use crate::record::Durable;
use crate::ws::{ConnId, Outbox};
use dais_protocol::{
    Actor, ErrorCode, EventFrame, Participant, ParticipantId, Request, RequestId, Seq,
};
use std::net::IpAddr;
use tokio::sync::{mpsc, oneshot};

/// What a successful request produced.
pub struct Accepted {
    /// The event it created (the last one, when it created several).
    pub seq: Option<Seq>,
    /// A retried nonce: nothing new was created.
    pub duplicate: bool,
    /// Resolves once the events are on disk; the `ok` waits for it.
    pub durable: Option<Durable>,
    /// Resolves once the events have gone out to the room's connections,
    /// so that the sender's `ok` never overtakes its own event.
    pub flushed: Option<oneshot::Receiver<()>>,
}

/// A request to a room, from a connection, a relay or the cluster.
pub enum Cmd {
    /// Emit `room_created` (for a room made at run time) and save the room.
    Created {
        by: Actor,
        reply: oneshot::Sender<Result<Option<Seq>, ErrorCode>>,
    },
    Join {
        who: Participant,
        /// Where the connection comes from: for a guest, mutes and removals
        /// hold against it.
        address: IpAddr,
        outbox: Outbox,
        since: Option<Seq>,
        id: Option<RequestId>,
        reply: oneshot::Sender<Result<(), ErrorCode>>,
    },
    /// A connection that had joined went away (on node `node`, in a
    /// cluster; on this one otherwise).
    Detach {
        who: ParticipantId,
        conn: ConnId,
        node: Option<String>,
    },
    /// Cluster: a connection on another node (or this one's relay) joins;
    /// its relay sends the replay, and needs to know up to where.
    JoinRemote {
        who: Participant,
        address: IpAddr,
        node: String,
        conn: ConnId,
        reply: oneshot::Sender<Result<JoinAccepted, ErrorCode>>,
    },
    /// Cluster: every connection node `node` has in the room (for a new
    /// owner, who did not see them join).
    Roster {
        node: String,
        conns: Vec<(ConnId, Participant, IpAddr)>,
    },
    /// Cluster: the nodes alive now; connections on any other are gone.
    Nodes { live: Vec<String> },
    /// Cluster: publish a fresh room_state (a relay missed a batch).
    Refresh,
    /// Cluster: this node lost the room's lease; stop.
    StepDown,
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
    Members {
        who: ParticipantId,
        query: MembersQuery,
        reply: oneshot::Sender<Result<MembersPage, ErrorCode>>,
    },
    /// The fairness figures over a window of the record. `who` is the
    /// member asking, or none for the public web pages (which check that
    /// the room is public themselves).
    Fairness {
        who: Option<ParticipantId>,
        window: crate::fairness::Window,
        reply: oneshot::Sender<Result<dais_protocol::Fairness, ErrorCode>>,
    },
}

/// What a cluster owner tells a relay about a joining connection.
#[derive(Debug, Clone)]
pub struct JoinAccepted {
    /// The room's latest seq when the join was taken: the replay goes up
    /// to it, live batches carry on after it.
    pub upto: Seq,
    /// The room_state and the `ok` to send after the replay (JSON).
    pub state: String,
    pub ok: String,
}

/// The only way to reach a room: cheap to clone.
#[derive(Clone)]
pub struct RoomHandle {
    tx: mpsc::Sender<Cmd>,
}

impl RoomHandle {
    /// A handle to whatever takes this room's commands: in cluster mode,
    /// the room's relay on this node.
    pub fn from_sender(tx: mpsc::Sender<Cmd>) -> RoomHandle {
        RoomHandle { tx }
    }

    pub async fn send(&self, cmd: Cmd) -> Result<(), ErrorCode> {
        self.tx.send(cmd).await.map_err(|_| ErrorCode::RoomClosed)
    }

    /// Whether whatever took this handle's commands has stopped (a closed
    /// room's actor, or one that stepped down).
    pub fn is_gone(&self) -> bool {
        self.tx.is_closed()
    }

    /// Fire and forget, for notices that must not wait (a connection closing).
    pub fn notify(&self, cmd: Cmd) {
        let tx = self.tx.clone();
        tokio::spawn(async move {
            let _ = tx.send(cmd).await;
        });
    }
}
