//! A room's feed, in cluster mode: what its owner publishes, in order, to
//! every node that has members in the room (its own relay included).
//!
//! The feed is the room's `Outlet` in a cluster. The owner's actor hands
//! each batch (an event and the room_state after it, a presence batch, a
//! note that someone left) to the room's feed task with the record's
//! answer still pending. The task waits for the commit,
//! in order, and only then passes the batch on: so no node ever delivers
//! an event that is not in the record (a failover cannot reassign its
//! seq), and the sender's `ok` goes out after its event is on every path.
//! If the commit was fenced (another node took the room over), the batch
//! is dropped and the owner steps down.
//!
//! Each batch carries the owner's epoch and a position that counts up
//! within it, so a relay can tell a batch it already has (a duplicate after
//! a resubscription), a stale owner's (a lower epoch), and a gap (a lost
//! message: it fills the events from the record and asks for a fresh
//! room_state).

use crate::record::{Durable, RecordError};
use crate::registry::Listing;
use crate::room::outlet::Outlet;
use crate::room::state::Room;
use crate::ws::Wire;
use dais_protocol::{EventFrame, ParticipantId, RoomId, Seq};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{mpsc, oneshot};

/// One item of a batch.
#[derive(Debug, Clone)]
pub enum FeedItem {
    /// An event, framed.
    Event { seq: Seq, wire: Arc<Wire> },
    /// The room_state after event `seq`, framed.
    State { seq: Seq, wire: Arc<Wire> },
    /// A presence batch, framed.
    Presence { wire: Arc<Wire> },
    /// The participant left or was removed: relays stop sending them the
    /// room's frames.
    Detach { participant: ParticipantId },
    /// The room was closed: relays let go of it.
    Closed,
    /// What the room list shows of the room (JSON of a `Listing`);
    /// `changed` when more than its counts changed (everyone is told).
    Listing { json: String, changed: bool },
}

/// A batch as it travels: which owner (node and epoch) sent it, where it
/// stands in that owner's feed, and what it holds.
#[derive(Debug, Clone)]
pub struct Batch {
    pub owner: String,
    pub epoch: i64,
    pub pos: u64,
    pub items: Vec<FeedItem>,
}

const EVENT: u8 = 1;
const STATE: u8 = 2;
const PRESENCE: u8 = 3;
const DETACH: u8 = 4;
const CLOSED: u8 = 5;
const LISTING: u8 = 6;

impl Batch {
    /// The bytes published on the bus: epoch, position, then each item as
    /// a tag, a seq and a length-prefixed payload (the frame's JSON). Binary
    /// rather than JSON so a frame's JSON is not escaped inside another.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(64);
        out.extend_from_slice(&(self.owner.len() as u16).to_be_bytes());
        out.extend_from_slice(self.owner.as_bytes());
        out.extend_from_slice(&self.epoch.to_be_bytes());
        out.extend_from_slice(&self.pos.to_be_bytes());
        for item in &self.items {
            let (tag, seq, payload): (u8, Seq, &[u8]) = match item {
                FeedItem::Event { seq, wire } => (EVENT, *seq, wire.payload()),
                FeedItem::State { seq, wire } => (STATE, *seq, wire.payload()),
                FeedItem::Presence { wire } => (PRESENCE, 0, wire.payload()),
                FeedItem::Detach { participant } => (DETACH, 0, participant.as_bytes()),
                FeedItem::Closed => (CLOSED, 0, &[]),
                FeedItem::Listing { json, changed } => (LISTING, *changed as Seq, json.as_bytes()),
            };
            out.push(tag);
            out.extend_from_slice(&seq.to_be_bytes());
            out.extend_from_slice(&(payload.len() as u32).to_be_bytes());
            out.extend_from_slice(payload);
        }
        out
    }

    /// Read a batch back; `None` for bytes that are not one (another
    /// version's, or damaged): the relay treats that as a gap.
    pub fn decode(bytes: &[u8]) -> Option<Batch> {
        let mut at = 0;
        let mut take = |n: usize| -> Option<&[u8]> {
            let s = bytes.get(at..at + n)?;
            at += n;
            Some(s)
        };
        let owner_len = u16::from_be_bytes(take(2)?.try_into().ok()?) as usize;
        let owner = String::from_utf8(take(owner_len)?.to_vec()).ok()?;
        let epoch = i64::from_be_bytes(take(8)?.try_into().ok()?);
        let pos = u64::from_be_bytes(take(8)?.try_into().ok()?);
        let mut items = Vec::new();
        while let Some(tag) = take(1) {
            let tag = tag[0];
            let seq = u64::from_be_bytes(take(8)?.try_into().ok()?);
            let len = u32::from_be_bytes(take(4)?.try_into().ok()?) as usize;
            let payload = take(len)?;
            let text = || String::from_utf8(payload.to_vec()).ok();
            items.push(match tag {
                EVENT => FeedItem::Event {
                    seq,
                    wire: Wire::text(text()?),
                },
                STATE => FeedItem::State {
                    seq,
                    wire: Wire::text(text()?),
                },
                PRESENCE => FeedItem::Presence {
                    wire: Wire::text(text()?),
                },
                DETACH => FeedItem::Detach {
                    participant: text()?,
                },
                CLOSED => FeedItem::Closed,
                LISTING => FeedItem::Listing {
                    json: text()?,
                    changed: seq != 0,
                },
                _ => return None,
            });
        }
        Some(Batch {
            owner,
            epoch,
            pos,
            items,
        })
    }
}

/// What the actor sends its feed task.
pub struct FeedMsg {
    pub items: Vec<FeedItem>,
    /// The store's answer for the events among the items, if any.
    pub durable: Option<oneshot::Receiver<Result<(), RecordError>>>,
    /// Told the store's answer once the batch is passed on (the `ok`).
    pub ack: Option<oneshot::Sender<Result<(), RecordError>>>,
}

/// The actor's end of its room's feed.
#[derive(Clone)]
pub struct FeedSender {
    pub tx: mpsc::UnboundedSender<FeedMsg>,
}

impl FeedSender {
    /// Pass `items` on once `durable` says they are committed; returns the
    /// receiver the request's `ok` waits on.
    pub fn publish(
        &self,
        items: Vec<FeedItem>,
        durable: Option<oneshot::Receiver<Result<(), RecordError>>>,
    ) -> oneshot::Receiver<Result<(), RecordError>> {
        let (ack, rx) = oneshot::channel();
        let _ = self.tx.send(FeedMsg {
            items,
            durable,
            ack: Some(ack),
        });
        rx
    }
}

/// How often, at most, a room's counts go to the other nodes' room lists.
const LISTING_EVERY: Duration = Duration::from_secs(1);

/// A cluster: every batch goes to the room's feed, which passes it on to
/// every node's relay once the record has it, and the relays deliver.
impl Outlet for FeedSender {
    fn events(
        &self,
        room: &Room,
        events: &[EventFrame],
        wire: &[Arc<Wire>],
        state: Option<&Arc<Wire>>,
        durable: Durable,
    ) -> Durable {
        let mut items: Vec<FeedItem> = events
            .iter()
            .zip(wire)
            .map(|(e, wire)| FeedItem::Event {
                seq: e.seq,
                wire: wire.clone(),
            })
            .collect();
        if let Some(state) = state {
            items.push(FeedItem::State {
                seq: room.seq,
                wire: state.clone(),
            });
        }
        if room.closed {
            items.push(FeedItem::Closed);
        }
        // Each node's relay feeds its own public pages.
        self.publish(items, Some(durable))
    }

    fn presence(&self, wire: &Arc<Wire>) {
        drop(self.publish(vec![FeedItem::Presence { wire: wire.clone() }], None));
    }

    fn listing(&self, room: &Room, changed: bool) {
        // A closed room's `Closed` went with its last event (`events`).
        if room.closed {
            return;
        }
        let json = serde_json::to_string(&Listing::of(room)).unwrap_or_default();
        drop(self.publish(vec![FeedItem::Listing { json, changed }], None));
    }

    fn listing_every(&self) -> Option<Duration> {
        Some(LISTING_EVERY)
    }

    fn detach(&self, participant: &str) {
        let participant = participant.to_string();
        drop(self.publish(vec![FeedItem::Detach { participant }], None));
    }

    fn refresh(&self, seq: Seq, state: Arc<Wire>, presence: Arc<Wire>) {
        let items = vec![
            FeedItem::State { seq, wire: state },
            FeedItem::Presence { wire: presence },
        ];
        drop(self.publish(items, None));
    }
}

/// Why a room's owner must let it go: its lease was taken (fenced), or the
/// record refused a write (the room is rebuilt from the record by whoever
/// takes it next, so that its seqs and the record cannot drift apart).
#[derive(Debug, Clone)]
pub struct Lost {
    pub room: RoomId,
    pub epoch: i64,
    pub fenced: bool,
}

/// Start the feed of `room`, owned by `node` under `epoch`: batches go to
/// this node's relay (`local`) and, when there is a bus, to every other
/// node; a write the record refused is reported on `lost`.
pub fn spawn(
    room: RoomId,
    node: String,
    epoch: i64,
    local: mpsc::UnboundedSender<Batch>,
    bus: Option<super::bus::Bus>,
    lost: mpsc::UnboundedSender<Lost>,
) -> FeedSender {
    let (tx, mut rx) = mpsc::unbounded_channel::<FeedMsg>();
    tokio::spawn(async move {
        let channel = format!("room:{room}");
        let mut pos = 0u64;
        let mut gone = false;
        while let Some(msg) = rx.recv().await {
            let result = match msg.durable {
                Some(durable) => durable
                    .await
                    .unwrap_or_else(|_| Err(RecordError::Failed("store closed".into()))),
                None => Ok(()),
            };
            match &result {
                // After a refusal nothing more goes out: the room is lost.
                Ok(()) if !gone => {
                    let batch = Batch {
                        owner: node.clone(),
                        epoch,
                        pos,
                        items: msg.items,
                    };
                    pos += 1;
                    // This node's relay first: its connections need not
                    // wait for Redis. Other nodes get it from the bus, in
                    // order (one PUBLISH at a time per room).
                    let encoded = bus.as_ref().map(|_| batch.encode());
                    let _ = local.send(batch);
                    if let (Some(bus), Some(bytes)) = (&bus, encoded) {
                        bus.publish(&channel, &bytes).await;
                    }
                }
                Ok(()) => {}
                Err(e) => {
                    if !gone {
                        tracing::warn!(room = %room, epoch, error = %e, "the room's record refused a write; letting the room go");
                        let _ = lost.send(Lost {
                            room: room.clone(),
                            epoch,
                            fenced: *e == RecordError::Fenced,
                        });
                    }
                    gone = true;
                }
            }
            if let Some(ack) = msg.ack {
                let _ = ack.send(if gone && result.is_ok() {
                    Err(RecordError::Fenced)
                } else {
                    result
                });
            }
        }
    });
    FeedSender { tx }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_batch_comes_back_as_it_was_sent() {
        let batch = Batch {
            owner: "dais-1".into(),
            epoch: 7,
            pos: 42,
            items: vec![
                FeedItem::Event {
                    seq: 9,
                    wire: Wire::text(r#"{"type":"event","seq":9}"#.into()),
                },
                FeedItem::State {
                    seq: 9,
                    wire: Wire::text(r#"{"type":"room_state","seq":9}"#.into()),
                },
                FeedItem::Presence {
                    wire: Wire::text(r#"{"type":"presence"}"#.into()),
                },
                FeedItem::Detach {
                    participant: "p-1".into(),
                },
                FeedItem::Closed,
                FeedItem::Listing {
                    json: "{}".into(),
                    changed: true,
                },
            ],
        };
        let back = Batch::decode(&batch.encode()).expect("decodes");
        assert_eq!((back.epoch, back.pos, back.items.len()), (7, 42, 6));
        assert!(
            matches!(&back.items[5], FeedItem::Listing { json, changed: true } if json == "{}")
        );
        assert_eq!(back.owner, "dais-1");
        match &back.items[0] {
            FeedItem::Event { seq, wire } => {
                assert_eq!(*seq, 9);
                assert_eq!(wire.payload(), br#"{"type":"event","seq":9}"#);
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(&back.items[3], FeedItem::Detach { participant } if participant == "p-1"));
        assert!(Batch::decode(&[1, 2, 3]).is_none());
        let mut cut = batch.encode();
        cut.truncate(cut.len() - 3);
        assert!(Batch::decode(&cut).is_none());
    }
}
