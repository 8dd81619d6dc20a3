//! docs/PROTOCOL.md and the protocol types must say the same thing.
//!
//! Every fenced block marked `json` in the document is a frame a client sends:
//! it must decode with `decode_request` and re-serialize to the same JSON.
//! Every block marked `json server` is a frame the server sends: it must parse
//! as a `ServerFrame` and re-serialize to the same JSON. Then every request
//! type, every event kind, every server frame type and every error code must
//! be covered by the document, so that a new message cannot land undocumented.

use dais_protocol::{decode_request, ErrorCode, Event, ServerFrame};
use serde_json::Value;
use std::collections::BTreeSet;

/// One fenced block of the document.
struct Block {
    /// The info string after the opening fence, e.g. `json server`.
    info: String,
    body: String,
    /// 1-based line of the opening fence, for error messages.
    line: usize,
}

fn document() -> String {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/PROTOCOL.md");
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"))
}

/// Fenced blocks (```), including indented ones inside list items.
fn blocks(doc: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut open: Option<Block> = None;
    for (i, raw) in doc.lines().enumerate() {
        let line = raw.trim_start();
        match open.as_mut() {
            None => {
                if let Some(info) = line.strip_prefix("```") {
                    open = Some(Block {
                        info: info.trim().to_owned(),
                        body: String::new(),
                        line: i + 1,
                    });
                }
            }
            Some(block) => {
                if line.trim_end() == "```" {
                    out.extend(open.take());
                } else {
                    block.body.push_str(raw);
                    block.body.push('\n');
                }
            }
        }
    }
    if let Some(block) = open {
        panic!("PROTOCOL.md:{}: unclosed fenced block", block.line);
    }
    out
}

/// Parse a block as exactly one JSON object.
fn one_object(block: &Block) -> Value {
    let value: Value = serde_json::from_str(&block.body).unwrap_or_else(|e| {
        panic!(
            "PROTOCOL.md:{}: not one JSON value: {e}\n{}",
            block.line, block.body
        )
    });
    assert!(
        value.is_object(),
        "PROTOCOL.md:{}: the example is not a JSON object",
        block.line
    );
    value
}

/// Every event kind, by hand. `event_kind_is_listed` fails to compile when
/// event.rs gains a variant: add its kind here too.
const EVENT_KINDS: &[&str] = &[
    "speech",
    "announcement",
    "floor_requested",
    "floor_withdrawn",
    "floor_granted",
    "turn_ended",
    "clock_paused",
    "clock_resumed",
    "mode_changed",
    "time_limit_changed",
    "queue_reordered",
    "queue_cleared",
    "list_closed",
    "list_opened",
    "round_started",
    "round_ended",
    "point_of_order",
    "ruling",
    "reply_requested",
    "poll_opened",
    "vote_cast",
    "poll_closed",
    "interpretation",
    "muted",
    "unmuted",
    "removed",
    "room_created",
    "room_locked",
    "room_unlocked",
    "room_closed",
    "service_restored",
    "room_published",
    "room_unpublished",
];

/// Exhaustive on purpose (no `_` arm): a new event variant breaks the build here.
fn event_kind_is_listed(event: &Event) -> bool {
    let kind = match event {
        Event::Speech { .. }
        | Event::Announcement { .. }
        | Event::FloorRequested { .. }
        | Event::FloorWithdrawn { .. }
        | Event::FloorGranted { .. }
        | Event::TurnEnded { .. }
        | Event::ClockPaused { .. }
        | Event::ClockResumed { .. }
        | Event::ModeChanged { .. }
        | Event::TimeLimitChanged { .. }
        | Event::QueueReordered { .. }
        | Event::QueueCleared { .. }
        | Event::ListClosed { .. }
        | Event::ListOpened { .. }
        | Event::RoundStarted { .. }
        | Event::RoundEnded { .. }
        | Event::PointOfOrder { .. }
        | Event::Ruling { .. }
        | Event::ReplyRequested { .. }
        | Event::PollOpened { .. }
        | Event::VoteCast { .. }
        | Event::PollClosed { .. }
        | Event::Interpretation { .. }
        | Event::Muted { .. }
        | Event::Unmuted { .. }
        | Event::Removed { .. }
        | Event::RoomCreated { .. }
        | Event::RoomLocked { .. }
        | Event::RoomUnlocked { .. }
        | Event::RoomClosed { .. }
        | Event::ServiceRestored { .. }
        | Event::RoomPublished { .. }
        | Event::RoomUnpublished { .. } => event.kind(),
    };
    EVENT_KINDS.contains(&kind)
}

/// Every server frame type, by hand; `frame_type` keeps it in step.
const FRAME_TYPES: &[&str] = &[
    "welcome",
    "ok",
    "error",
    "event",
    "room_state",
    "presence",
    "members",
    "history",
    "rooms",
    "room_update",
    "room_removed",
    "fairness",
];

/// Exhaustive on purpose: a new server frame breaks the build here.
fn frame_type(frame: &ServerFrame) -> &'static str {
    match frame {
        ServerFrame::Welcome { .. } => "welcome",
        ServerFrame::Ok { .. } => "ok",
        ServerFrame::Error { .. } => "error",
        ServerFrame::Event(_) => "event",
        ServerFrame::RoomState(_) => "room_state",
        ServerFrame::Presence(_) => "presence",
        ServerFrame::Members { .. } => "members",
        ServerFrame::History { .. } => "history",
        ServerFrame::Rooms { .. } => "rooms",
        ServerFrame::RoomUpdate { .. } => "room_update",
        ServerFrame::RoomRemoved { .. } => "room_removed",
        ServerFrame::Fairness { .. } => "fairness",
    }
}

/// Every error code, by hand, in the order of error.rs.
/// `error_code_is_listed` fails to compile when error.rs gains a variant.
const ERROR_CODES: &[ErrorCode] = &[
    ErrorCode::Unauthenticated,
    ErrorCode::AlreadyAuthenticated,
    ErrorCode::UnsupportedProtocol,
    ErrorCode::InvalidToken,
    ErrorCode::GuestsNotAllowed,
    ErrorCode::InvalidGuestName,
    ErrorCode::GuestNameReserved,
    ErrorCode::LoginThrottled,
    ErrorCode::MalformedJson,
    ErrorCode::NotAnObject,
    ErrorCode::MissingType,
    ErrorCode::UnknownType,
    ErrorCode::MissingField,
    ErrorCode::UnknownField,
    ErrorCode::DuplicateField,
    ErrorCode::InvalidField,
    ErrorCode::BinaryNotSupported,
    ErrorCode::TextTooLong,
    ErrorCode::EmptyText,
    ErrorCode::InvalidText,
    ErrorCode::InvalidLanguage,
    ErrorCode::RateLimited,
    ErrorCode::UnknownRoom,
    ErrorCode::RoomClosed,
    ErrorCode::RoomLocked,
    ErrorCode::RoomExists,
    ErrorCode::InvalidRoom,
    ErrorCode::TooManyRooms,
    ErrorCode::ReplayInProgress,
    ErrorCode::NotJoined,
    ErrorCode::Removed,
    ErrorCode::Muted,
    ErrorCode::Forbidden,
    ErrorCode::NotYourTurn,
    ErrorCode::FloorFree,
    ErrorCode::NotFloorHolder,
    ErrorCode::AlreadyHasFloor,
    ErrorCode::CannotHoldFloor,
    ErrorCode::AlreadyInQueue,
    ErrorCode::NotInQueue,
    ErrorCode::ListClosed,
    ErrorCode::QueueEmpty,
    ErrorCode::StaleTurn,
    ErrorCode::NotAMember,
    ErrorCode::InvalidOrder,
    ErrorCode::RoundInProgress,
    ErrorCode::ClockPaused,
    ErrorCode::ClockRunning,
    ErrorCode::InvalidTimeLimit,
    ErrorCode::UnknownEvent,
    ErrorCode::UnknownPoint,
    ErrorCode::TooManyPoints,
    ErrorCode::NoOpenPoll,
    ErrorCode::PollAlreadyOpen,
    ErrorCode::InvalidOption,
    ErrorCode::InvalidPoll,
    ErrorCode::NoDelegation,
    ErrorCode::StoreFailed,
    ErrorCode::Unavailable,
    ErrorCode::Internal,
];

/// Exhaustive on purpose (no `_` arm): a new error code breaks the build here.
fn error_code_is_listed(code: ErrorCode) {
    match code {
        ErrorCode::Unauthenticated
        | ErrorCode::AlreadyAuthenticated
        | ErrorCode::UnsupportedProtocol
        | ErrorCode::InvalidToken
        | ErrorCode::GuestsNotAllowed
        | ErrorCode::InvalidGuestName
        | ErrorCode::GuestNameReserved
        | ErrorCode::LoginThrottled
        | ErrorCode::MalformedJson
        | ErrorCode::NotAnObject
        | ErrorCode::MissingType
        | ErrorCode::UnknownType
        | ErrorCode::MissingField
        | ErrorCode::UnknownField
        | ErrorCode::DuplicateField
        | ErrorCode::InvalidField
        | ErrorCode::BinaryNotSupported
        | ErrorCode::TextTooLong
        | ErrorCode::EmptyText
        | ErrorCode::InvalidText
        | ErrorCode::InvalidLanguage
        | ErrorCode::RateLimited
        | ErrorCode::UnknownRoom
        | ErrorCode::RoomClosed
        | ErrorCode::RoomLocked
        | ErrorCode::RoomExists
        | ErrorCode::InvalidRoom
        | ErrorCode::TooManyRooms
        | ErrorCode::ReplayInProgress
        | ErrorCode::NotJoined
        | ErrorCode::Removed
        | ErrorCode::Muted
        | ErrorCode::Forbidden
        | ErrorCode::NotYourTurn
        | ErrorCode::FloorFree
        | ErrorCode::NotFloorHolder
        | ErrorCode::AlreadyHasFloor
        | ErrorCode::CannotHoldFloor
        | ErrorCode::AlreadyInQueue
        | ErrorCode::NotInQueue
        | ErrorCode::ListClosed
        | ErrorCode::QueueEmpty
        | ErrorCode::StaleTurn
        | ErrorCode::NotAMember
        | ErrorCode::InvalidOrder
        | ErrorCode::RoundInProgress
        | ErrorCode::ClockPaused
        | ErrorCode::ClockRunning
        | ErrorCode::InvalidTimeLimit
        | ErrorCode::UnknownEvent
        | ErrorCode::UnknownPoint
        | ErrorCode::TooManyPoints
        | ErrorCode::NoOpenPoll
        | ErrorCode::PollAlreadyOpen
        | ErrorCode::InvalidOption
        | ErrorCode::InvalidPoll
        | ErrorCode::NoDelegation
        | ErrorCode::StoreFailed
        | ErrorCode::Unavailable
        | ErrorCode::Internal => {}
    }
}

/// What the examples of the document cover.
#[derive(Default)]
struct Coverage {
    requests: BTreeSet<&'static str>,
    events: BTreeSet<&'static str>,
    frames: BTreeSet<&'static str>,
}

fn check_examples(doc: &str) -> Coverage {
    let mut seen = Coverage::default();
    for block in blocks(doc) {
        match block.info.as_str() {
            "json" => {
                let written = one_object(&block);
                let envelope = decode_request(&block.body).unwrap_or_else(|e| {
                    panic!(
                        "PROTOCOL.md:{}: request does not decode: {:?} {:?}\n{}",
                        block.line, e.code, e.details, block.body
                    )
                });
                let again: Value = serde_json::from_str(&envelope.to_json()).expect("to_json");
                assert_eq!(
                    again, written,
                    "PROTOCOL.md:{}: the request re-serializes differently \
                     (a defaulted field such as `class` or `lang` must be written out)",
                    block.line
                );
                seen.requests.insert(envelope.request.kind());
            }
            "json server" => {
                let written = one_object(&block);
                let frame: ServerFrame = serde_json::from_str(&block.body).unwrap_or_else(|e| {
                    panic!(
                        "PROTOCOL.md:{}: not a server frame: {e}\n{}",
                        block.line, block.body
                    )
                });
                let again = serde_json::to_value(&frame).expect("serialize");
                assert_eq!(
                    again, written,
                    "PROTOCOL.md:{}: the server frame re-serializes differently",
                    block.line
                );
                seen.frames.insert(frame_type(&frame));
                if let ServerFrame::Event(event) = &frame {
                    assert!(
                        event_kind_is_listed(&event.event),
                        "PROTOCOL.md:{}: event kind `{}` missing from EVENT_KINDS",
                        block.line,
                        event.event.kind()
                    );
                    seen.events.insert(event.event.kind());
                }
            }
            other => assert!(
                !other.starts_with("json"),
                "PROTOCOL.md:{}: unknown info string `{other}`: use `json` or `json server`",
                block.line
            ),
        }
    }
    seen
}

#[test]
fn every_example_round_trips_through_the_protocol_types() {
    check_examples(&document());
}

#[test]
fn every_request_type_has_an_example() {
    let seen = check_examples(&document());
    let missing: Vec<_> = dais_protocol::request::REQUEST_TYPES
        .iter()
        .filter(|t| !seen.requests.contains(*t))
        .collect();
    assert!(
        missing.is_empty(),
        "requests without an example: {missing:?}"
    );
}

#[test]
fn every_event_kind_has_an_example() {
    let seen = check_examples(&document());
    let missing: Vec<_> = EVENT_KINDS
        .iter()
        .filter(|k| !seen.events.contains(*k))
        .collect();
    assert!(
        missing.is_empty(),
        "event kinds without an example: {missing:?}"
    );
}

#[test]
fn every_server_frame_has_an_example() {
    let seen = check_examples(&document());
    let missing: Vec<_> = FRAME_TYPES
        .iter()
        .filter(|t| !seen.frames.contains(*t))
        .collect();
    assert!(
        missing.is_empty(),
        "server frames without an example: {missing:?}"
    );
}

#[test]
fn every_error_code_is_in_the_table() {
    let doc = document();
    let missing: Vec<_> = ERROR_CODES
        .iter()
        .map(|c| c.as_str())
        .filter(|name| !doc.contains(&format!("| `{name}` |")))
        .collect();
    assert!(
        missing.is_empty(),
        "error codes missing from the table in PROTOCOL.md: {missing:?}"
    );
}

#[test]
fn the_hand_written_lists_have_no_duplicates() {
    ERROR_CODES.iter().copied().for_each(error_code_is_listed);
    let codes: BTreeSet<_> = ERROR_CODES.iter().map(|c| c.as_str()).collect();
    assert_eq!(codes.len(), ERROR_CODES.len(), "ERROR_CODES repeats a code");
    let kinds: BTreeSet<_> = EVENT_KINDS.iter().collect();
    assert_eq!(kinds.len(), EVENT_KINDS.len(), "EVENT_KINDS repeats a kind");
}

/// The authorization matrix in PROTOCOL.md is the one the protocol crate's
/// access table renders: the server enforces that table and the client
/// offers what it allows, so the document cannot say anything else.
#[test]
fn the_documented_matrix_is_the_access_table() {
    let doc = document();
    let start = doc
        .find("<!-- authorization matrix: begin -->\n")
        .expect("the matrix's start marker");
    let end = doc
        .find("<!-- authorization matrix: end -->")
        .expect("the matrix's end marker");
    let documented = &doc[start + "<!-- authorization matrix: begin -->\n".len()..end];
    let rendered = dais_protocol::access::matrix_markdown();
    assert!(
        documented == rendered,
        "PROTOCOL.md's matrix differs from the access table; it should read:\n{rendered}"
    );
}
