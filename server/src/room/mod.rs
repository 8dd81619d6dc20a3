//! A room: its state (`state`), its rule set (`rules/`, pure, a file per
//! topic), and the actor task that owns one room and moves messages in and
//! out (`actor`), with its recent nonces (`nonces`) and its batches of
//! presence changes (`presence`). What the room tells the world beyond its
//! own connections goes to an `outlet` (the registry on one node, the feed
//! in a cluster); a join's replay is streamed by `replay`, which a
//! cluster's relay uses too.

pub mod actor;
pub mod nonces;
pub mod outlet;
pub mod presence;
pub mod replay;
pub mod rules;
pub mod state;

#[cfg(test)]
mod tests;

pub use actor::RoomHandle;
