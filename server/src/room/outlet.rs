//! What a room tells the world beyond its own connections: its events (for
//! the public pages' live streams, or for every node's relay), its
//! presence batches, its entry in the room list and who stopped receiving
//! it.
//!
//! The actor tells an `Outlet` and does not know who listens. There are
//! two: on a single node, the `Registry` (the room list and the public
//! pages live in this process, and the actor delivers to its connections
//! itself); in a cluster, the room's feed (`cluster::feed`), which passes
//! each batch to every node's relay once the record has it, and the relays
//! deliver. Keeping the choice behind this trait is what lets the room
//! import neither the registry nor the cluster.

use super::state::Room;
use crate::record::Durable;
use crate::ws::Wire;
use dais_protocol::{EventFrame, Seq};
use std::sync::Arc;
use std::time::Duration;

pub trait Outlet: Send + Sync + 'static {
    /// A batch of events the actor has handed to the record (`durable`
    /// resolves once it is on disk), framed once in `wire` (one frame per
    /// event, in order), with the room_state after them when they changed
    /// the room. Returns what the request's `ok` waits for: `durable`
    /// itself, or a later answer when the outlet must first pass the batch
    /// on (a cluster's feed).
    fn events(
        &self,
        room: &Room,
        events: &[EventFrame],
        wire: &[Arc<Wire>],
        state: Option<&Arc<Wire>>,
        durable: Durable,
    ) -> Durable;

    /// A presence batch, framed, that the room's own connections get too.
    fn presence(&self, wire: &Arc<Wire>);

    /// The room's entry in the room list changed: `changed` when more than
    /// its counts did (everyone is told), and `room.closed` when it is gone.
    fn listing(&self, room: &Room, changed: bool);

    /// At most how often the list may hear of counts alone (None: every
    /// time, when telling the list costs a map update).
    fn listing_every(&self) -> Option<Duration>;

    /// A participant left or was removed: nothing more of the room goes to them.
    fn detach(&self, participant: &str);

    /// Everything the outlet's listeners need to start again from now (a
    /// relay missed a batch): the room_state after `seq`, and the counts.
    fn refresh(&self, seq: Seq, state: Arc<Wire>, presence: Arc<Wire>);
}
