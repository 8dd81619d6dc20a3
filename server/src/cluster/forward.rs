//! Requests between nodes: a node forwards its members' requests to the
//! room's owner over the bus, and answers the requests forwarded to it.
//!
//! Each node listens on its own channel (`node:{id}`). An ask carries an id
//! and the asker's node; the answer comes back on the asker's channel with
//! the same id. An ask that gets no answer in time (the owner died, the bus
//! is down) fails with `unavailable`: the client retries, with its nonce,
//! and a retried event is never doubled.

use super::bus::{Bus, Delivery};
use crate::room::actor::{Accepted, Cmd, MembersQuery};
use crate::ws::ConnId;
use dais_protocol::{
    Actor, ErrorCode, MemberView, Participant, ParticipantId, Request, RoomId, Seq,
};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::oneshot;

/// What a node asks a room's owner.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum Ask {
    /// A request that goes through the rule set. Answered once its events
    /// are in the record.
    Request {
        who: Participant,
        nonce: Option<String>,
        request: Request,
    },
    /// A connection on node `node` joins: make them a member, count the
    /// connection, and say up to which seq the replay goes.
    Join {
        who: Participant,
        address: IpAddr,
        node: String,
        conn: ConnId,
    },
    /// A connection on node `node` went away.
    Detach {
        who: ParticipantId,
        node: String,
        conn: ConnId,
    },
    /// Every connection node `node` has in the room, for a new owner.
    Roster {
        node: String,
        conns: Vec<(ConnId, Participant, IpAddr)>,
    },
    Members {
        who: ParticipantId,
        query: MembersQuery,
    },
    /// Record `room_created` in a room made at run time.
    Created { by: Actor },
    /// The room's fairness figures.
    Fairness {
        who: Option<ParticipantId>,
        window: crate::fairness::Window,
    },
    /// Publish a fresh room_state (a relay missed something).
    Refresh,
}

/// The owner's answer.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum Answer {
    Accepted {
        seq: Option<Seq>,
        duplicate: bool,
    },
    Joined {
        upto: Seq,
        /// The room_state and the ok to send after the replay (their JSON).
        state: String,
        ok: String,
    },
    Members {
        members: Vec<MemberView>,
        next: Option<String>,
        total: u32,
    },
    Created {
        seq: Option<Seq>,
    },
    Fairness(Box<dais_protocol::Fairness>),
    Done,
    Refused(ErrorCode),
    /// This node does not own the room (any more): ask the new owner.
    NotOwner,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
enum NodeMsg {
    Ask {
        id: u64,
        from: String,
        room: RoomId,
        ask: Ask,
    },
    Answer {
        id: u64,
        answer: Answer,
    },
}

/// How long a request waits for the room's owner, across a takeover
/// (past it, the client hears `unavailable` and retries).
pub const ASK_TIMEOUT: Duration = Duration::from_secs(5);
/// How long one ask waits for one node before the lease is read again (it
/// may have died, and the room have a new owner).
pub const ASK_TRY: Duration = Duration::from_secs(2);

/// This node's end of the requests between nodes.
#[derive(Clone)]
pub struct Forwarder {
    bus: Bus,
    node: String,
    next: Arc<AtomicU64>,
    pending: Arc<Mutex<HashMap<u64, oneshot::Sender<Answer>>>>,
}

/// How a node finds the actor of a room it owns.
pub type Owned = Arc<dyn Fn(&str) -> Option<crate::room::RoomHandle> + Send + Sync>;

impl Forwarder {
    /// Listen on this node's channel: answers to our asks, and asks for the
    /// rooms we own (served by `owned`).
    pub fn start(bus: Bus, node: String, owned: Owned) -> Forwarder {
        let fwd = Forwarder {
            bus: bus.clone(),
            node: node.clone(),
            next: Arc::new(AtomicU64::new(1)),
            pending: Arc::new(Mutex::new(HashMap::new())),
        };
        let mut inbox = bus.listen(&format!("node:{node}"));
        let me = fwd.clone();
        tokio::spawn(async move {
            while let Some(delivery) = inbox.recv().await {
                let Delivery::Message(bytes) = delivery else {
                    continue;
                };
                let Ok(msg) = serde_json::from_slice::<NodeMsg>(&bytes) else {
                    tracing::warn!("a message on this node's channel could not be read");
                    continue;
                };
                match msg {
                    NodeMsg::Answer { id, answer } => {
                        let waiting = me.pending.lock().ok().and_then(|mut p| p.remove(&id));
                        if let Some(tx) = waiting {
                            let _ = tx.send(answer);
                        }
                    }
                    NodeMsg::Ask {
                        id,
                        from,
                        room,
                        ask,
                    } => {
                        let me = me.clone();
                        let owned = owned.clone();
                        tokio::spawn(async move {
                            let answer = match owned(&room) {
                                Some(actor) => serve(&actor, ask).await,
                                None => Answer::NotOwner,
                            };
                            let reply = NodeMsg::Answer { id, answer };
                            if let Ok(bytes) = serde_json::to_vec(&reply) {
                                me.bus.publish(&format!("node:{from}"), &bytes).await;
                            }
                        });
                    }
                }
            }
        });
        fwd
    }

    /// Ask `owner` about `room`; `None` when no answer came within `wait`.
    pub async fn ask(&self, owner: &str, room: &str, ask: Ask, wait: Duration) -> Option<Answer> {
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        let (tx, rx) = oneshot::channel();
        if let Ok(mut p) = self.pending.lock() {
            p.insert(id, tx);
        }
        crate::metrics::add(&crate::metrics::FORWARDED, 1);
        let msg = NodeMsg::Ask {
            id,
            from: self.node.clone(),
            room: room.to_string(),
            ask,
        };
        let sent = match serde_json::to_vec(&msg) {
            Ok(bytes) => self.bus.publish(&format!("node:{owner}"), &bytes).await,
            Err(_) => false,
        };
        let answer = if sent {
            tokio::time::timeout(wait, rx)
                .await
                .ok()
                .and_then(Result::ok)
        } else {
            None
        };
        if answer.is_none() {
            crate::metrics::add(&crate::metrics::FORWARD_TIMEOUTS, 1);
            if let Ok(mut p) = self.pending.lock() {
                p.remove(&id);
            }
        }
        answer
    }
}

/// Answer an ask with the room's own actor (this node owns the room).
pub async fn serve(actor: &crate::room::RoomHandle, ask: Ask) -> Answer {
    let refused = |code: ErrorCode| Answer::Refused(code);
    match ask {
        Ask::Request {
            who,
            nonce,
            request,
        } => {
            let (reply, rx) = oneshot::channel();
            let cmd = Cmd::Request {
                who,
                nonce,
                request,
                reply,
            };
            match ask_actor(actor, cmd, rx).await {
                Ok(Accepted {
                    seq,
                    duplicate,
                    durable,
                    ..
                }) => {
                    // The answer, like a local `ok`, waits for the record.
                    if let Some(durable) = durable {
                        match durable.await {
                            Ok(Ok(())) => {}
                            // Taken over before it landed: nothing was
                            // written, the new owner can take it.
                            Ok(Err(crate::record::RecordError::Fenced)) => return Answer::NotOwner,
                            _ => return refused(ErrorCode::StoreFailed),
                        }
                    }
                    Answer::Accepted { seq, duplicate }
                }
                Err(Gone) => Answer::NotOwner,
                Err(Said(code)) => refused(code),
            }
        }
        Ask::Join {
            who,
            address,
            node,
            conn,
        } => {
            let (reply, rx) = oneshot::channel();
            let cmd = Cmd::JoinRemote {
                who,
                address,
                node,
                conn,
                reply,
            };
            match ask_actor(actor, cmd, rx).await {
                Ok(j) => Answer::Joined {
                    upto: j.upto,
                    state: j.state,
                    ok: j.ok,
                },
                Err(Gone) => Answer::NotOwner,
                Err(Said(code)) => refused(code),
            }
        }
        Ask::Detach { who, node, conn } => {
            let cmd = Cmd::Detach {
                who,
                conn,
                node: Some(node),
            };
            match actor.send(cmd).await {
                Ok(()) => Answer::Done,
                Err(_) => Answer::NotOwner,
            }
        }
        Ask::Roster { node, conns } => match actor.send(Cmd::Roster { node, conns }).await {
            Ok(()) => Answer::Done,
            Err(_) => Answer::NotOwner,
        },
        Ask::Members { who, query } => {
            let (reply, rx) = oneshot::channel();
            match ask_actor(actor, Cmd::Members { who, query, reply }, rx).await {
                Ok((members, next, total)) => Answer::Members {
                    members,
                    next,
                    total,
                },
                Err(Gone) => Answer::NotOwner,
                Err(Said(code)) => refused(code),
            }
        }
        Ask::Created { by } => {
            let (reply, rx) = oneshot::channel();
            match ask_actor(actor, Cmd::Created { by, reply }, rx).await {
                Ok(seq) => Answer::Created { seq },
                Err(Gone) => Answer::NotOwner,
                Err(Said(code)) => refused(code),
            }
        }
        Ask::Fairness { who, window } => {
            let (reply, rx) = oneshot::channel();
            match ask_actor(actor, Cmd::Fairness { who, window, reply }, rx).await {
                Ok(f) => Answer::Fairness(Box::new(f)),
                Err(Gone) => Answer::NotOwner,
                Err(Said(code)) => refused(code),
            }
        }
        Ask::Refresh => match actor.send(Cmd::Refresh).await {
            Ok(()) => Answer::Done,
            Err(_) => Answer::NotOwner,
        },
    }
}

/// Why an owner's actor gave no answer.
enum NoAnswer {
    /// It stopped (stepped down): the room has, or will have, another owner.
    Gone,
    /// It refused.
    Said(ErrorCode),
}
use NoAnswer::{Gone, Said};

async fn ask_actor<T>(
    actor: &crate::room::RoomHandle,
    cmd: Cmd,
    rx: oneshot::Receiver<Result<T, ErrorCode>>,
) -> Result<T, NoAnswer> {
    actor.send(cmd).await.map_err(|_| Gone)?;
    rx.await.map_err(|_| Gone)?.map_err(Said)
}
