//! Frames a client sends.

use crate::types::{
    EntryClass, Millis, Mode, ParticipantId, QueuePolicy, Role, RoomId, Seq, Stakeholder, TurnId,
};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A request's client-chosen id, echoed in its `ok` or `error` reply.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(untagged)]
pub enum RequestId {
    Number(u64),
    Text(String),
}

/// A request with its envelope fields.
///
/// `id` is echoed in the reply. `nonce` makes a request that creates an event
/// idempotent: a retry with the same nonce from the same participant returns
/// the original event's seq instead of creating a second event.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Envelope {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<RequestId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nonce: Option<String>,
    #[serde(flatten)]
    pub request: Request,
}

impl Envelope {
    pub fn new(request: Request) -> Self {
        Envelope {
            id: None,
            nonce: None,
            request,
        }
    }

    pub fn with_id(mut self, id: u64) -> Self {
        self.id = Some(RequestId::Number(id));
        self
    }

    pub fn with_nonce(mut self, nonce: impl Into<String>) -> Self {
        self.nonce = Some(nonce.into());
        self
    }

    /// The JSON text of this frame.
    pub fn to_json(&self) -> String {
        // Serializing plain data with string keys cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// Every request a client can make, tagged by `type`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Request {
    /// The first frame of every connection.
    Hello {
        protocol: u32,
        /// A participant's token, or the `guest_token` a guest was given in
        /// an earlier `welcome` (to come back as the same guest).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        token: Option<String>,
        /// A new guest's display name, where the server allows guests.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        guest: Option<String>,
        /// The reader's language (BCP 47), for the room titles in `welcome`
        /// and `rooms`; without it, the participant's first language.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        lang: Option<String>,
    },
    /// The room list again, with titles in `lang` (say, after the reader
    /// switched the interface language).
    Rooms {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        lang: Option<String>,
    },
    /// Enter a room. With `since`, every event after that seq is replayed first.
    Join {
        room: RoomId,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        since: Option<Seq>,
    },
    Leave {
        room: RoomId,
    },
    /// A page of the room's members, in the order of their names. `after`
    /// is the `next` cursor of the previous page; the filters narrow the
    /// list. Rooms can hold tens of thousands of members, so the list is
    /// never sent whole.
    Members {
        room: RoomId,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        after: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        limit: Option<u32>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        stakeholder: Option<Stakeholder>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        role: Option<Role>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        online: Option<bool>,
        /// Names that start with this (case and accents ignored).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        prefix: Option<String>,
    },
    /// Older events: up to `limit` events before `before` (default: the newest).
    History {
        room: RoomId,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        before: Option<Seq>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        limit: Option<u32>,
    },
    Say {
        room: RoomId,
        text: String,
        /// The text's language as a BCP 47 tag, e.g. `fr` or `zh-CN`.
        lang: String,
    },
    RequestFloor {
        room: RoomId,
        #[serde(default)]
        class: EntryClass,
    },
    Withdraw {
        room: RoomId,
    },
    /// Give up the floor: to the chair (the rest of the time is lost) or to a
    /// named delegate, who gets the remainder.
    Yield {
        room: RoomId,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        to: Option<ParticipantId>,
    },
    /// Decline a turn (in a round, or when given the floor).
    Pass {
        room: RoomId,
    },
    PointOfOrder {
        room: RoomId,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        text: Option<String>,
    },
    /// Ask for the right of reply to the event `to`.
    RequestReply {
        room: RoomId,
        to: Seq,
    },
    Vote {
        room: RoomId,
        /// Index into the open poll's options.
        option: u32,
    },
    /// Attach a translation of the message `of` into `lang`.
    Interpret {
        room: RoomId,
        of: Seq,
        text: String,
        lang: String,
    },
    // ---- moderators ----
    /// Give the floor to the head of the queue, ending the current turn.
    /// `turn` names the turn this ends, so that a second chair pressing next
    /// at the same moment gets `stale_turn` instead of skipping someone.
    Next {
        room: RoomId,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        turn: Option<TurnId>,
    },
    Grant {
        room: RoomId,
        participant: ParticipantId,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
    Revoke {
        room: RoomId,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
    Pause {
        room: RoomId,
    },
    Resume {
        room: RoomId,
    },
    SetMode {
        room: RoomId,
        mode: Mode,
    },
    SetTimeLimit {
        room: RoomId,
        seconds: u32,
    },
    ReorderQueue {
        room: RoomId,
        /// Every participant now in the queue, in the new order.
        order: Vec<ParticipantId>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
    ClearQueue {
        room: RoomId,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
    StartRound {
        room: RoomId,
    },
    /// Rule on the point of order raised by event `point`, or, with
    /// `all: true` and no `point`, on every pending point at once.
    Rule {
        room: RoomId,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        point: Option<Seq>,
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        all: bool,
        ruling: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        upheld: Option<bool>,
    },
    CloseList {
        room: RoomId,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
    OpenList {
        room: RoomId,
    },
    PollOpen {
        room: RoomId,
        question: String,
        /// Defaults to support, object, abstain.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        options: Option<Vec<String>>,
    },
    PollClose {
        room: RoomId,
    },
    Mute {
        room: RoomId,
        participant: ParticipantId,
        /// For how long; absent means until unmuted.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        seconds: Option<u32>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
    Unmute {
        room: RoomId,
        participant: ParticipantId,
    },
    Remove {
        room: RoomId,
        participant: ParticipantId,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
    Announce {
        room: RoomId,
        text: String,
        #[serde(default = "default_lang")]
        lang: String,
    },
    RoomCreate {
        room: RoomId,
        /// Title per language tag; at least one.
        titles: BTreeMap<String, String>,
        #[serde(default)]
        description: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        mode: Option<Mode>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        time_limit: Option<u32>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        policy: Option<QueuePolicy>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        auto_advance: Option<bool>,
        /// Whether the record is shown on the server's public web pages
        /// (default: not).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        public: Option<bool>,
    },
    RoomLock {
        room: RoomId,
    },
    RoomUnlock {
        room: RoomId,
    },
    RoomClose {
        room: RoomId,
    },
    /// Show the room's record of proceedings on the public web pages.
    RoomPublish {
        room: RoomId,
    },
    /// Take the room off the public web pages.
    RoomUnpublish {
        room: RoomId,
    },
    /// The fairness figures of the room's record, over the whole record or
    /// the window [`from`, `to`) in server time (docs/FAIRNESS.md).
    Fairness {
        room: RoomId,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        from: Option<Millis>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        to: Option<Millis>,
    },
}

fn default_lang() -> String {
    "und".to_string()
}

impl Request {
    /// The `type` string of this request.
    pub fn kind(&self) -> &'static str {
        match self {
            Request::Hello { .. } => "hello",
            Request::Rooms { .. } => "rooms",
            Request::Members { .. } => "members",
            Request::Join { .. } => "join",
            Request::Leave { .. } => "leave",
            Request::History { .. } => "history",
            Request::Say { .. } => "say",
            Request::RequestFloor { .. } => "request_floor",
            Request::Withdraw { .. } => "withdraw",
            Request::Yield { .. } => "yield",
            Request::Pass { .. } => "pass",
            Request::PointOfOrder { .. } => "point_of_order",
            Request::RequestReply { .. } => "request_reply",
            Request::Vote { .. } => "vote",
            Request::Interpret { .. } => "interpret",
            Request::Next { .. } => "next",
            Request::Grant { .. } => "grant",
            Request::Revoke { .. } => "revoke",
            Request::Pause { .. } => "pause",
            Request::Resume { .. } => "resume",
            Request::SetMode { .. } => "set_mode",
            Request::SetTimeLimit { .. } => "set_time_limit",
            Request::ReorderQueue { .. } => "reorder_queue",
            Request::ClearQueue { .. } => "clear_queue",
            Request::StartRound { .. } => "start_round",
            Request::Rule { .. } => "rule",
            Request::CloseList { .. } => "close_list",
            Request::OpenList { .. } => "open_list",
            Request::PollOpen { .. } => "poll_open",
            Request::PollClose { .. } => "poll_close",
            Request::Mute { .. } => "mute",
            Request::Unmute { .. } => "unmute",
            Request::Remove { .. } => "remove",
            Request::Announce { .. } => "announce",
            Request::RoomCreate { .. } => "room_create",
            Request::RoomLock { .. } => "room_lock",
            Request::RoomUnlock { .. } => "room_unlock",
            Request::RoomClose { .. } => "room_close",
            Request::RoomPublish { .. } => "room_publish",
            Request::RoomUnpublish { .. } => "room_unpublish",
            Request::Fairness { .. } => "fairness",
        }
    }

    /// The room a request is about, if any.
    pub fn room(&self) -> Option<&str> {
        match self {
            Request::Hello { .. } | Request::Rooms { .. } => None,
            Request::Members { room, .. }
            | Request::Join { room, .. }
            | Request::Leave { room }
            | Request::History { room, .. }
            | Request::Say { room, .. }
            | Request::RequestFloor { room, .. }
            | Request::Withdraw { room }
            | Request::Yield { room, .. }
            | Request::Pass { room }
            | Request::PointOfOrder { room, .. }
            | Request::RequestReply { room, .. }
            | Request::Vote { room, .. }
            | Request::Interpret { room, .. }
            | Request::Next { room, .. }
            | Request::Grant { room, .. }
            | Request::Revoke { room, .. }
            | Request::Pause { room }
            | Request::Resume { room }
            | Request::SetMode { room, .. }
            | Request::SetTimeLimit { room, .. }
            | Request::ReorderQueue { room, .. }
            | Request::ClearQueue { room, .. }
            | Request::StartRound { room }
            | Request::Rule { room, .. }
            | Request::CloseList { room, .. }
            | Request::OpenList { room }
            | Request::PollOpen { room, .. }
            | Request::PollClose { room }
            | Request::Mute { room, .. }
            | Request::Unmute { room, .. }
            | Request::Remove { room, .. }
            | Request::Announce { room, .. }
            | Request::RoomCreate { room, .. }
            | Request::RoomLock { room }
            | Request::RoomUnlock { room }
            | Request::RoomClose { room }
            | Request::RoomPublish { room }
            | Request::RoomUnpublish { room }
            | Request::Fairness { room, .. } => Some(room),
        }
    }
}

/// Every request `type`, so the decoder can tell an unknown type from a bad field.
pub const REQUEST_TYPES: &[&str] = &[
    "hello",
    "rooms",
    "members",
    "join",
    "leave",
    "history",
    "say",
    "request_floor",
    "withdraw",
    "yield",
    "pass",
    "point_of_order",
    "request_reply",
    "vote",
    "interpret",
    "next",
    "grant",
    "revoke",
    "pause",
    "resume",
    "set_mode",
    "set_time_limit",
    "reorder_queue",
    "clear_queue",
    "start_round",
    "rule",
    "close_list",
    "open_list",
    "poll_open",
    "poll_close",
    "mute",
    "unmute",
    "remove",
    "announce",
    "room_create",
    "room_lock",
    "room_unlock",
    "room_close",
    "room_publish",
    "room_unpublish",
    "fairness",
];
