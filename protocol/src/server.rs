//! Frames the server sends.

use crate::error::ErrorCode;
use crate::event::EventFrame;
use crate::request::RequestId;
use crate::types::{
    Actor, EntryClass, Millis, Mode, Participant, ParticipantId, QueuePolicy, RoomId, Seq,
    Stakeholder, TurnId,
};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerFrame {
    /// The answer to a good `hello`.
    Welcome {
        protocol: u32,
        participant: Participant,
        rooms: Vec<RoomSummary>,
        server_time: Millis,
        /// How often the server pings an idle connection, in seconds.
        ping_interval: u32,
    },
    /// A request succeeded. `seq` is the event it created (or, for a retried
    /// nonce, the event it created the first time); for `join`, the room's
    /// latest seq once the replay is done.
    Ok {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        id: Option<RequestId>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        room: Option<RoomId>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        seq: Option<Seq>,
        /// True when a retried nonce matched an earlier request.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        duplicate: bool,
    },
    Error {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        id: Option<RequestId>,
        code: ErrorCode,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        details: Option<serde_json::Value>,
    },
    Event(EventFrame),
    // Boxed: a snapshot is much larger than the other frames.
    RoomState(Box<RoomState>),
    /// The answer to `history`: events before `before`, oldest first.
    History {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        id: Option<RequestId>,
        room: RoomId,
        events: Vec<EventFrame>,
        /// True when still older events exist.
        more: bool,
    },
    /// The room list changed (a room was created, locked, unlocked or closed).
    Rooms {
        rooms: Vec<RoomSummary>,
    },
}

impl ServerFrame {
    pub fn to_json(&self) -> String {
        // Plain data with string keys: serialization cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// One line of the room list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoomSummary {
    pub id: RoomId,
    /// Title per language tag (en, fr, es, ru, zh, ar, ...).
    pub titles: BTreeMap<String, String>,
    #[serde(default)]
    pub description: String,
    pub mode: Mode,
    pub locked: bool,
    /// The room's latest seq, so a client can count unread events.
    pub last_seq: Seq,
    /// Members with a live connection.
    pub online: u32,
}

/// The turn clock: running towards a deadline, or paused with time left.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum ClockView {
    Running { deadline: Millis },
    Paused { remaining_ms: i64 },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FloorView {
    pub turn: TurnId,
    pub holder: Actor,
    pub class: EntryClass,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_to: Option<Seq>,
    pub started_at: Millis,
    pub allotted_ms: i64,
    pub clock: ClockView,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QueueEntryView {
    pub who: Actor,
    pub class: EntryClass,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_to: Option<Seq>,
    /// Server time of the request.
    pub requested_at: Millis,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoundView {
    pub round: u32,
    /// Delegates still to speak in this round, in order.
    pub remaining: Vec<ParticipantId>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MemberView {
    pub who: Actor,
    /// True while the member has a live connection in the room.
    pub online: bool,
    /// Muted until this time; `muted` true with no `muted_until` means until unmuted.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub muted: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub muted_until: Option<Millis>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PollView {
    pub poll: u32,
    pub question: String,
    pub options: Vec<String>,
    /// Votes per option so far.
    pub counts: Vec<u32>,
    /// Delegations that have voted.
    pub voted: Vec<String>,
    pub opened_by: Actor,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PointView {
    /// The seq of the point_of_order event.
    pub seq: Seq,
    pub by: Actor,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

/// Speaking time totals in milliseconds, for the turns that have ended.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SpeakingTime {
    pub total_ms: i64,
    pub participants: BTreeMap<ParticipantId, i64>,
    pub delegations: BTreeMap<String, i64>,
    pub stakeholders: BTreeMap<Stakeholder, i64>,
}

/// A full snapshot of a room, sent on join and after every change of floor,
/// queue, mode, members or poll.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoomState {
    pub room: RoomId,
    pub titles: BTreeMap<String, String>,
    #[serde(default)]
    pub description: String,
    pub mode: Mode,
    pub locked: bool,
    pub list_closed: bool,
    /// Seconds per turn.
    pub time_limit: u32,
    pub policy: QueuePolicy,
    /// Whether the next in line gets the floor when a turn's time runs out.
    pub auto_advance: bool,
    /// The latest event's seq.
    pub seq: Seq,
    pub server_time: Millis,
    pub floor: Option<FloorView>,
    pub queue: Vec<QueueEntryView>,
    pub round: Option<RoundView>,
    pub members: Vec<MemberView>,
    pub poll: Option<PollView>,
    pub points_of_order: Vec<PointView>,
    pub speaking_time: SpeakingTime,
}
