//! Error codes: stable snake_case identifiers, never English sentences.
//! Clients translate them; docs/PROTOCOL.md lists each with its meaning.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    // ---- handshake ----
    /// A frame other than `hello` before the handshake.
    Unauthenticated,
    /// A second `hello` on an authenticated connection.
    AlreadyAuthenticated,
    /// The `hello` named a protocol version the server does not speak.
    UnsupportedProtocol,
    /// The token is unknown or revoked (the two are not told apart).
    InvalidToken,
    /// A guest `hello` where the server admits no guests, or a bad guest name.
    GuestsNotAllowed,
    InvalidGuestName,
    /// A guest name that copies a moderator's name or a chair's title.
    GuestNameReserved,
    /// Too many failed `hello`s from this address lately; wait and retry.
    LoginThrottled,
    // ---- frames ----
    MalformedJson,
    NotAnObject,
    MissingType,
    UnknownType,
    MissingField,
    UnknownField,
    /// The same key twice in one JSON object.
    DuplicateField,
    InvalidField,
    BinaryNotSupported,
    TextTooLong,
    EmptyText,
    /// Control characters, or directional overrides and embeddings (or
    /// unbalanced isolates), where they are not allowed.
    InvalidText,
    InvalidLanguage,
    RateLimited,
    // ---- rooms ----
    UnknownRoom,
    RoomClosed,
    RoomLocked,
    RoomExists,
    InvalidRoom,
    /// `room_create` when the server already has its maximum of rooms.
    TooManyRooms,
    /// `join` while this connection's previous replay of the room is
    /// still being sent.
    ReplayInProgress,
    NotJoined,
    /// The participant was removed from this room by a moderator.
    Removed,
    /// The participant is muted in this room.
    Muted,
    // ---- roles and turns ----
    /// The participant's role does not allow this request.
    Forbidden,
    /// Speaking without the floor, or outside what the mode allows.
    NotYourTurn,
    /// The request needs the floor to be held, and it is free.
    FloorFree,
    NotFloorHolder,
    AlreadyHasFloor,
    /// `grant` or `yield` to someone who may never hold the floor (an observer).
    CannotHoldFloor,
    AlreadyInQueue,
    NotInQueue,
    ListClosed,
    QueueEmpty,
    /// `next` named a turn that has already ended.
    StaleTurn,
    /// The named participant is not a member of the room.
    NotAMember,
    /// `reorder_queue` did not list exactly the participants in the queue.
    InvalidOrder,
    RoundInProgress,
    ClockPaused,
    ClockRunning,
    InvalidTimeLimit,
    // ---- interventions ----
    UnknownEvent,
    UnknownPoint,
    /// Cluster mode: the room's owner cannot be reached right now (it is
    /// being taken over, or the bus is down); retry, with the same nonce.
    Unavailable,
    /// A point of order over the pending limit (per participant or per room).
    TooManyPoints,
    NoOpenPoll,
    PollAlreadyOpen,
    InvalidOption,
    InvalidPoll,
    NoDelegation,
    // ---- server ----
    StoreFailed,
    Internal,
}

impl ErrorCode {
    /// The wire spelling, e.g. `not_your_turn`.
    pub fn as_str(self) -> String {
        serde_json::to_value(self)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_else(|| "internal".to_owned())
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.as_str())
    }
}
