//! The Dais wire protocol: every frame a client and the server exchange.
//!
//! Frames are JSON text messages, one object each, told apart by their `type`
//! field. This crate holds only the types and the pure decoding step; it does
//! no I/O, so the server, the terminal client, the load generator and the
//! tests all agree on one definition. docs/PROTOCOL.md documents every frame
//! with an example, and the tests at the bottom of each module parse those
//! examples so the document and the code cannot drift apart.

pub mod access;
pub mod decode;
pub mod error;
pub mod event;
pub mod names;
pub mod request;
pub mod server;
pub mod types;

pub use access::Access;
pub use decode::{decode_request, DecodeError};
pub use error::ErrorCode;
pub use event::{Event, EventFrame, OutageCause, TurnEndReason};
pub use request::{Envelope, Request, RequestId};
pub use server::{
    ClockView, Counts, DelegationFigures, Fairness, FloorView, GroupFigures, Intervention,
    InterventionKind, MemberView, PointView, PollView, PrecedenceViolation, Presence,
    PresenceChange, PresenceState, QueueEntryView, Requests, RoomState, RoomSummary, RoundView,
    ServerFrame, SpeakingTime, Tally, You,
};
pub use types::{
    Actor, EntryClass, Millis, Mode, Participant, ParticipantId, QueueOrder, QueuePolicy, Role,
    RoomId, Seq, Stakeholder, TurnId,
};

/// The protocol version this crate describes, sent in `hello`.
pub const PROTOCOL_VERSION: u32 = 2;

/// Every protocol version the server accepts, reported in
/// `unsupported_protocol` errors so a client can tell what to upgrade to.
/// Version 1 sent every member in every `room_state`, which a plenary of
/// thousands cannot afford; a version 1 client is told to upgrade rather
/// than served a protocol that falls over at scale.
pub const SUPPORTED_PROTOCOLS: &[u32] = &[2];

/// The port the server listens on by default.
pub const DEFAULT_PORT: u16 = 7878;
