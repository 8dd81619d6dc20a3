//! Frames the server sends.

use crate::error::ErrorCode;
use crate::event::EventFrame;
use crate::request::RequestId;
use crate::types::{
    Actor, EntryClass, Millis, Mode, Participant, ParticipantId, QueuePolicy, Role, RoomId, Seq,
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
        /// The open rooms, titled in the reader's language.
        rooms: Vec<RoomSummary>,
        server_time: Millis,
        /// How often the server pings an idle connection, in seconds.
        ping_interval: u32,
        /// Given to a new guest only: the credential to send as `token` in a
        /// later `hello` to come back as the same guest (same id, and the
        /// same mutes and removals).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        guest_token: Option<String>,
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
        /// For `join` only: what the room holds about the one who joined.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        you: Option<You>,
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
    /// Who came, went or left, since the last `presence` or `room_state`.
    /// Not an event: presence is not part of the record.
    Presence(Box<Presence>),
    /// The answer to `members`: one page of the member list.
    Members {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        id: Option<RequestId>,
        room: RoomId,
        members: Vec<MemberView>,
        /// The cursor for the next page (`after`), absent on the last one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        next: Option<String>,
        /// Members that match the filters, in all pages.
        total: u32,
    },
    /// The answer to `history`: events before `before`, oldest first.
    History {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        id: Option<RequestId>,
        room: RoomId,
        events: Vec<EventFrame>,
        /// True when still older events exist.
        more: bool,
    },
    /// The whole room list, titled in the reader's language: the answer to
    /// `rooms`.
    Rooms {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        id: Option<RequestId>,
        rooms: Vec<RoomSummary>,
    },
    /// One room of the list was created or changed (mode, lock). Sent to
    /// every connection instead of the whole list.
    RoomUpdate {
        room: RoomSummary,
    },
    /// A room was closed and left the list.
    RoomRemoved {
        room: RoomId,
    },
    /// The answer to `fairness`: the figures of the room's record over the
    /// window asked for.
    Fairness {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        id: Option<RequestId>,
        #[serde(flatten)]
        figures: Box<Fairness>,
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
    /// The title in the reader's language (`hello`'s or `rooms`' `lang`),
    /// or the closest the room has.
    pub title: String,
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

/// One member, in a `members` page.
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
    /// Milliseconds spoken in this room, in turns that have ended.
    #[serde(default)]
    pub speaking_ms: i64,
}

/// What `join`'s `ok` says about the one who joined.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct You {
    /// Milliseconds you have spoken in this room, in turns that have ended.
    /// Add the `spoke_ms` of each later `turn_ended` whose holder is you.
    pub speaking_ms: i64,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub muted: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub muted_until: Option<Millis>,
}

/// Members and online members.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Tally {
    pub members: u32,
    pub online: u32,
}

/// Who is in a room, counted rather than listed.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Counts {
    pub members: u32,
    pub online: u32,
    /// Guests among them.
    pub guests: Tally,
    /// By role; roles with no member are left out.
    pub roles: BTreeMap<Role, Tally>,
    /// By stakeholder group; groups with no member are left out.
    pub stakeholders: BTreeMap<Stakeholder, Tally>,
}

/// A member's presence changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PresenceState {
    /// Came online: a new member, or a member's first connection.
    Online,
    /// Still a member, with no live connection.
    Offline,
    /// No longer a member (left, was removed, or a guest who went away).
    Left,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PresenceChange {
    pub who: Actor,
    pub state: PresenceState,
}

/// A batch of presence changes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Presence {
    pub room: RoomId,
    /// The room's latest event seq when the batch was sent.
    pub seq: Seq,
    /// The changes, each member at most once with their latest state. Empty
    /// with `more: true` when too many changed at once to list: a client
    /// that shows the member list should page it again with `members`.
    pub changes: Vec<PresenceChange>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub more: bool,
    pub counts: Counts,
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
    /// The point's text, cut short in `room_state` (the event has it whole).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// True when `text` was cut short.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub truncated: bool,
}

/// Speaking time totals in milliseconds, for the turns that have ended, by
/// delegation and stakeholder group. A participant's own total is in
/// `join`'s `ok` (`you`) and in `members`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SpeakingTime {
    pub total_ms: i64,
    pub delegations: BTreeMap<String, i64>,
    pub stakeholders: BTreeMap<Stakeholder, i64>,
}

/// A snapshot of a room, sent on join and after every change of floor,
/// queue, mode, poll or points of order. It counts the members rather than
/// listing them (`members` pages the list; `presence` tells who comes and goes).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoomState {
    pub room: RoomId,
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
    pub poll: Option<PollView>,
    pub points_of_order: Vec<PointView>,
    pub counts: Counts,
    pub speaking_time: SpeakingTime,
}

/// The fairness figures of a room over a window of its record, computed by
/// the server from the events alone (docs/FAIRNESS.md defines each one).
/// Every turn counts for the stakeholder group its holder had when the turn
/// was given, as the `floor_granted` event says: a later change of group
/// does not rewrite history.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Fairness {
    pub room: RoomId,
    /// Start of the window (server time, inclusive); absent: the record's start.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<Millis>,
    /// End of the window (exclusive); absent: now.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<Millis>,
    /// The last event the figures include (0 before the first).
    pub seq: Seq,
    /// Turns that ended in the window.
    pub turns: u32,
    /// Their speaking time, in milliseconds.
    pub speaking_ms: i64,
    /// Delegations present in the window (docs/FAIRNESS.md).
    pub delegations_present: u32,
    /// The Gini coefficient of speaking time over the delegations present,
    /// silent ones counted as zero: 0 is perfect equality, 1 one voice.
    /// Absent when nobody spoke or no delegation was present.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gini: Option<f64>,
    /// The highest representation ratio of a group present over the
    /// lowest; absent when a group present did not speak at all.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub representation_spread: Option<f64>,
    /// Requests for the floor made in the window: served, withdrawn by the
    /// delegate, or unserved (cleared, removed, or still waiting at its end).
    pub requests: Requests,
    /// Per stakeholder group with a delegation present or a turn, in the
    /// order of `Stakeholder::ALL`.
    pub stakeholders: Vec<GroupFigures>,
    /// Per delegation present, most speaking time first.
    pub delegations: Vec<DelegationFigures>,
    /// Second turns given while a delegation that had not yet spoken waited.
    pub precedence_violations: Vec<PrecedenceViolation>,
    /// The chair's interventions, in order, each with its reason.
    pub interventions: Vec<Intervention>,
}

/// What became of the requests for the floor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Requests {
    pub made: u32,
    pub served: u32,
    pub withdrawn: u32,
    pub unserved: u32,
}

/// One stakeholder group's figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupFigures {
    pub stakeholder: Stakeholder,
    pub delegations_present: u32,
    pub turns: u32,
    pub speaking_ms: i64,
    /// Share of the window's speaking time, 0 to 1.
    pub share: f64,
    /// Share of the delegations present, 0 to 1.
    pub presence_share: f64,
    /// `share` over `presence_share`: 1 is a fair hearing, below 1 less
    /// than its numbers. Absent for a group with no delegation present.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub representation: Option<f64>,
    pub requests: Requests,
    /// Wait from request to floor, median and 90th percentile, in
    /// milliseconds, over its served requests.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wait_median_ms: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wait_p90_ms: Option<i64>,
}

/// One delegation's figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DelegationFigures {
    /// The delegation; for a participant of none (a guest), empty, with
    /// `participant` set.
    pub delegation: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub participant: Option<ParticipantId>,
    /// True for a guest, whose name is their own claim.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub guest: bool,
    /// Its group at its last appearance in the window.
    pub stakeholder: Stakeholder,
    pub turns: u32,
    pub speaking_ms: i64,
    pub share: f64,
    pub requests: Requests,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wait_median_ms: Option<i64>,
}

/// A turn given to a delegation that had already spoken while one that had
/// not was waiting (Robert's Rules: nobody speaks twice before everyone who
/// asked has spoken once).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PrecedenceViolation {
    /// The `floor_granted` event.
    pub seq: Seq,
    pub turn: TurnId,
    /// The delegation that spoke again.
    pub to: String,
    /// Delegations waiting that had not yet spoken.
    pub waiting: Vec<String>,
}

/// The kinds of chair's intervention the figures count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InterventionKind {
    /// The floor taken back (`revoke`).
    Revoke,
    /// The floor given out of the order of the list (`grant`).
    Grant,
    /// The speakers' list put in the chair's order.
    Reorder,
    /// The speakers' list emptied.
    Clear,
    Mute,
    Remove,
    /// A ruling on a point of order.
    Ruling,
}

/// One intervention of the chair.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Intervention {
    pub seq: Seq,
    pub ts: Millis,
    pub kind: InterventionKind,
    /// The chair.
    pub by: Actor,
    /// Whom it concerned (the speaker, the muted or removed), when one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub who: Option<Actor>,
    /// The chair's reason (for a ruling: the ruling).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}
