//! Events: what happened in a room, in order. The room's record of
//! proceedings is exactly its sequence of events.

use crate::types::{Actor, EntryClass, Millis, Mode, ParticipantId, RoomId, Seq, TurnId};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One event as sent on the wire (`"type":"event"`) and stored in the log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventFrame {
    pub room: RoomId,
    pub seq: Seq,
    /// Server time when the event happened.
    pub ts: Millis,
    #[serde(flatten)]
    pub event: Event,
}

/// How a turn ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TurnEndReason {
    /// The holder yielded to the chair.
    Yielded,
    /// The holder yielded the remainder of the time to another delegate.
    YieldedTo,
    /// The holder passed.
    Passed,
    /// A moderator revoked the floor.
    Revoked,
    /// The time limit ran out; the server ended the turn itself.
    TimeExpired,
    /// A moderator moved on with `next`.
    NextCalled,
    /// A moderator granted the floor to someone else.
    Superseded,
    /// The holder was removed from the room or left it.
    HolderLeft,
    /// The mode changed to one without this turn.
    ModeChanged,
}

/// What happened, tagged by `kind`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Event {
    Speech {
        by: Actor,
        text: String,
        lang: String,
    },
    Announcement {
        by: Actor,
        text: String,
        lang: String,
    },
    FloorRequested {
        by: Actor,
        class: EntryClass,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reply_to: Option<Seq>,
    },
    FloorWithdrawn {
        by: Actor,
    },
    FloorGranted {
        to: Actor,
        turn: TurnId,
        class: EntryClass,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reply_to: Option<Seq>,
        /// When the turn ends unless paused.
        deadline: Millis,
        /// The time this turn has, in milliseconds.
        allotted_ms: i64,
        /// The chair who gave the floor; absent when the server moved on by itself.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        by: Option<Actor>,
        /// True when the chair gave the floor to someone other than the head of the queue.
        #[serde(default)]
        out_of_order: bool,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
    TurnEnded {
        turn: TurnId,
        holder: Actor,
        reason: TurnEndReason,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        by: Option<Actor>,
        /// The speaking time this turn used, in milliseconds.
        spoke_ms: i64,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        note: Option<String>,
    },
    ClockPaused {
        by: Actor,
        turn: TurnId,
        remaining_ms: i64,
    },
    ClockResumed {
        by: Actor,
        turn: TurnId,
        deadline: Millis,
    },
    ModeChanged {
        by: Actor,
        mode: Mode,
    },
    TimeLimitChanged {
        by: Actor,
        seconds: u32,
    },
    QueueReordered {
        by: Actor,
        order: Vec<ParticipantId>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
    QueueCleared {
        by: Actor,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
    ListClosed {
        by: Actor,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
    ListOpened {
        by: Actor,
    },
    RoundStarted {
        by: Actor,
        round: u32,
        order: Vec<Actor>,
    },
    RoundEnded {
        round: u32,
    },
    PointOfOrder {
        by: Actor,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        text: Option<String>,
    },
    Ruling {
        by: Actor,
        /// The seq of the point of order ruled on.
        point: Seq,
        ruling: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        upheld: Option<bool>,
    },
    ReplyRequested {
        by: Actor,
        to: Seq,
    },
    PollOpened {
        by: Actor,
        poll: u32,
        question: String,
        options: Vec<String>,
    },
    VoteCast {
        by: Actor,
        poll: u32,
        option: u32,
        /// True when this vote replaced an earlier one from the same delegation.
        replaced: bool,
    },
    PollClosed {
        by: Actor,
        poll: u32,
        question: String,
        options: Vec<String>,
        /// Votes per option, in the order of `options`.
        counts: Vec<u32>,
        /// Each delegation's counted vote (an index into `options`).
        votes: BTreeMap<String, u32>,
    },
    Interpretation {
        by: Actor,
        /// The seq of the message interpreted.
        of: Seq,
        text: String,
        lang: String,
    },
    Muted {
        by: Actor,
        who: Actor,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        until: Option<Millis>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
    Unmuted {
        by: Actor,
        who: Actor,
    },
    Removed {
        by: Actor,
        who: Actor,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
    RoomCreated {
        by: Actor,
    },
    RoomLocked {
        by: Actor,
    },
    RoomUnlocked {
        by: Actor,
    },
    RoomClosed {
        by: Actor,
    },
    /// A chair put the room's record on the public web pages.
    RoomPublished {
        by: Actor,
    },
    /// A chair took the room's record off the public web pages.
    RoomUnpublished {
        by: Actor,
    },
    /// The room is served again after an outage: the server restarted, or
    /// (in a cluster) another node took the room over. Recorded so that
    /// the outage is accountable; a turn that was running is paused with
    /// the time it had left when the outage began, so that nobody loses
    /// speaking time to it (a chair resumes it).
    ServiceRestored {
        /// The last moment the room was known to be served.
        down_from: Millis,
        cause: OutageCause,
        /// The node that serves the room now, in a cluster.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        node: Option<String>,
        /// The node that served it before, in a cluster.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        previous: Option<String>,
        /// The turn whose clock was paused, and the time it has left.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        turn: Option<TurnId>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        remaining_ms: Option<i64>,
    },
}

/// Why a room was not served for a while.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutageCause {
    /// The server stopped (or crashed) and started again.
    Restart,
    /// The node that served the room stopped answering, and another took it over.
    Failover,
    /// The node that served the room stopped cleanly (an upgrade, a
    /// restart of its machine) and handed it over; another took it at once.
    Handover,
}

impl Event {
    /// The `kind` string of this event.
    pub fn kind(&self) -> &'static str {
        match self {
            Event::Speech { .. } => "speech",
            Event::Announcement { .. } => "announcement",
            Event::FloorRequested { .. } => "floor_requested",
            Event::FloorWithdrawn { .. } => "floor_withdrawn",
            Event::FloorGranted { .. } => "floor_granted",
            Event::TurnEnded { .. } => "turn_ended",
            Event::ClockPaused { .. } => "clock_paused",
            Event::ClockResumed { .. } => "clock_resumed",
            Event::ModeChanged { .. } => "mode_changed",
            Event::TimeLimitChanged { .. } => "time_limit_changed",
            Event::QueueReordered { .. } => "queue_reordered",
            Event::QueueCleared { .. } => "queue_cleared",
            Event::ListClosed { .. } => "list_closed",
            Event::ListOpened { .. } => "list_opened",
            Event::RoundStarted { .. } => "round_started",
            Event::RoundEnded { .. } => "round_ended",
            Event::PointOfOrder { .. } => "point_of_order",
            Event::Ruling { .. } => "ruling",
            Event::ReplyRequested { .. } => "reply_requested",
            Event::PollOpened { .. } => "poll_opened",
            Event::VoteCast { .. } => "vote_cast",
            Event::PollClosed { .. } => "poll_closed",
            Event::Interpretation { .. } => "interpretation",
            Event::Muted { .. } => "muted",
            Event::Unmuted { .. } => "unmuted",
            Event::Removed { .. } => "removed",
            Event::RoomCreated { .. } => "room_created",
            Event::RoomLocked { .. } => "room_locked",
            Event::RoomUnlocked { .. } => "room_unlocked",
            Event::RoomClosed { .. } => "room_closed",
            Event::ServiceRestored { .. } => "service_restored",
            Event::RoomPublished { .. } => "room_published",
            Event::RoomUnpublished { .. } => "room_unpublished",
        }
    }

    /// The participant who caused this event, when one did.
    pub fn author(&self) -> Option<&Actor> {
        match self {
            Event::Speech { by, .. }
            | Event::Announcement { by, .. }
            | Event::FloorRequested { by, .. }
            | Event::FloorWithdrawn { by }
            | Event::ClockPaused { by, .. }
            | Event::ClockResumed { by, .. }
            | Event::ModeChanged { by, .. }
            | Event::TimeLimitChanged { by, .. }
            | Event::QueueReordered { by, .. }
            | Event::QueueCleared { by, .. }
            | Event::ListClosed { by, .. }
            | Event::ListOpened { by }
            | Event::RoundStarted { by, .. }
            | Event::PointOfOrder { by, .. }
            | Event::Ruling { by, .. }
            | Event::ReplyRequested { by, .. }
            | Event::PollOpened { by, .. }
            | Event::VoteCast { by, .. }
            | Event::PollClosed { by, .. }
            | Event::Interpretation { by, .. }
            | Event::Muted { by, .. }
            | Event::Unmuted { by, .. }
            | Event::Removed { by, .. }
            | Event::RoomCreated { by }
            | Event::RoomLocked { by }
            | Event::RoomUnlocked { by }
            | Event::RoomClosed { by }
            | Event::RoomPublished { by }
            | Event::RoomUnpublished { by } => Some(by),
            Event::FloorGranted { by, .. } | Event::TurnEnded { by, .. } => by.as_ref(),
            Event::RoundEnded { .. } | Event::ServiceRestored { .. } => None,
        }
    }
}
