//! A room: its state (`state`), its rule set (`rules/`, pure, a file per
//! topic), and the actor task that owns one room and moves messages in and
//! out (`actor`, reached through a `handle`), its member list a page at a
//! time (`members`), what members read from the record off the actor
//! (`reads`), with its recent nonces (`nonces`) and its batches of
//! presence changes (`presence`), built to start from the config and the
//! record in `start`. What the room tells the world beyond its
//! own connections goes to an `outlet` (the registry on one node, the feed
//! in a cluster); a join's replay is streamed by `replay`, which a
//! cluster's relay uses too.

pub mod actor;
pub mod handle;
pub mod members;
pub mod nonces;
pub mod outlet;
pub mod presence;
pub mod reads;
pub mod replay;
pub mod rules;
pub mod start;
pub mod state;

#[cfg(test)]
mod tests;

pub use handle::RoomHandle;
