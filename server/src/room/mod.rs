//! A room: its state (`state`), its rule set (`rules`, pure), and the actor
//! task that owns one room and moves messages in and out (`actor`).

pub mod actor;
pub mod rules;
pub mod state;

#[cfg(test)]
mod tests;

pub use actor::RoomHandle;
