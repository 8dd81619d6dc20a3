//! Cluster mode: several `dais-server` nodes serve one forum, with the
//! record in PostgreSQL and Redis between them. See docs/DEPLOY.md
//! ("Cluster") for how to run it and why it is built this way.
//!
//! - Every room has one owner node at a time, holding a lease in
//!   PostgreSQL (`lease`): only the owner runs the room's actor and assigns
//!   its seqs, and every write it makes is fenced by the lease's epoch.
//! - The owner's actor hands each batch of frames to the room's feed
//!   (`feed`), which passes it on once it is committed: to this node's
//!   relay, and over the bus (`bus`) to every other node's.
//! - Every node has a relay per room (`relay`): the connections attach to
//!   it, it delivers the feed to them (filling any gap from the record),
//!   streams their replays from the record, and forwards their requests to
//!   the owner (`forward`).
//! - When an owner dies, its leases run out and other nodes take its rooms
//!   over: each rebuilds its room from the record and records the outage.

pub mod bus;
pub mod feed;
pub mod forward;
pub mod lease;
pub mod node;
pub mod relay;
