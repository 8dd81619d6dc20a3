//! A room's state as plain data. The room actor owns one `Room`; the rules
//! in `rules.rs` change it; the store saves it as JSON after every change so
//! the floor, clock, queue and poll survive a restart.

use dais_protocol::{
    Actor, ClockView, EntryClass, FloorView, MemberView, Millis, Mode, ParticipantId, PointView,
    PollView, QueueEntryView, QueuePolicy, RoomId, RoomState, RoomSummary, RoundView, Seq,
    SpeakingTime, TurnId,
};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, VecDeque};

/// A room's configured settings: what a config file or `room_create` gives.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    pub titles: BTreeMap<String, String>,
    #[serde(default)]
    pub description: String,
    pub mode: Mode,
    /// Seconds per turn.
    pub time_limit: u32,
    #[serde(default)]
    pub policy: QueuePolicy,
    /// Give the floor to the next in line when a turn's time runs out.
    #[serde(default)]
    pub auto_advance: bool,
}

/// The turn clock. A running clock has a wall-clock deadline (so it keeps
/// running across a restart, as a meeting's clock would); a paused one keeps
/// the time left.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Clock {
    Running { deadline: Millis },
    Paused { remaining_ms: i64 },
}

impl Clock {
    pub fn remaining(&self, now: Millis) -> i64 {
        match *self {
            Clock::Running { deadline } => (deadline - now).max(0),
            Clock::Paused { remaining_ms } => remaining_ms.max(0),
        }
    }
}

/// One turn: exactly one holder, with a clock.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Turn {
    pub id: TurnId,
    pub holder: Actor,
    pub class: EntryClass,
    pub reply_to: Option<Seq>,
    pub started_at: Millis,
    pub allotted_ms: i64,
    pub clock: Clock,
}

impl Turn {
    /// Speaking time used so far.
    pub fn used(&self, now: Millis) -> i64 {
        (self.allotted_ms - self.clock.remaining(now)).max(0)
    }
}

/// The floor is free, or held by exactly one speaker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Floor {
    #[default]
    Free,
    Held(Turn),
}

impl Floor {
    pub fn turn(&self) -> Option<&Turn> {
        match self {
            Floor::Free => None,
            Floor::Held(t) => Some(t),
        }
    }

    pub fn holder_id(&self) -> Option<&str> {
        self.turn().map(|t| t.holder.id.as_str())
    }
}

/// One entry of the speakers' list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    pub who: Actor,
    pub class: EntryClass,
    pub reply_to: Option<Seq>,
    /// Server time of the request.
    pub requested_at: Millis,
    /// Arrival order, to break ties between requests in the same millisecond.
    pub order: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Round {
    pub number: u32,
    pub remaining: VecDeque<ParticipantId>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Mute {
    Indefinite,
    Until { until: Millis },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Member {
    pub who: Actor,
    /// Live connections in this room. Not persisted: after a restart nobody
    /// is connected until they come back.
    #[serde(skip)]
    pub connections: u32,
}

impl Mute {
    pub fn active(&self, now: Millis) -> bool {
        match *self {
            Mute::Indefinite => true,
            Mute::Until { until } => until > now,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Poll {
    pub id: u32,
    pub question: String,
    pub options: Vec<String>,
    /// Each delegation's counted vote: the latest one.
    pub votes: BTreeMap<String, u32>,
    pub opened_by: Actor,
}

impl Poll {
    pub fn counts(&self) -> Vec<u32> {
        let mut counts = vec![0; self.options.len()];
        for &option in self.votes.values() {
            if let Some(c) = counts.get_mut(option as usize) {
                *c += 1;
            }
        }
        counts
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Point {
    pub seq: Seq,
    pub by: Actor,
    pub text: Option<String>,
}

/// Everything a room is, at one moment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Room {
    pub id: RoomId,
    pub settings: Settings,
    pub mode: Mode,
    pub locked: bool,
    pub closed: bool,
    pub list_closed: bool,
    pub time_limit: u32,
    /// The latest event's seq; 0 before the first event.
    pub seq: Seq,
    pub last_turn: TurnId,
    pub floor: Floor,
    pub queue: Vec<Entry>,
    /// Set when a chair reorders the queue by hand: the policy then stops
    /// re-sorting until the queue empties or is cleared.
    pub manual_order: bool,
    pub arrivals: u64,
    pub round: Option<Round>,
    pub rounds_started: u32,
    pub members: BTreeMap<ParticipantId, Member>,
    pub removed: BTreeSet<ParticipantId>,
    /// Kept apart from the members, so that leaving and coming back does
    /// not lift a mute.
    pub mutes: BTreeMap<ParticipantId, Mute>,
    pub poll: Option<Poll>,
    pub polls_opened: u32,
    pub points: Vec<Point>,
    pub speaking: SpeakingTime,
}

impl Room {
    pub fn new(id: RoomId, settings: Settings) -> Room {
        Room {
            id,
            mode: settings.mode,
            time_limit: settings.time_limit,
            settings,
            locked: false,
            closed: false,
            list_closed: false,
            seq: 0,
            last_turn: 0,
            floor: Floor::Free,
            queue: Vec::new(),
            manual_order: false,
            arrivals: 0,
            round: None,
            rounds_started: 0,
            members: BTreeMap::new(),
            removed: BTreeSet::new(),
            mutes: BTreeMap::new(),
            poll: None,
            polls_opened: 0,
            points: Vec::new(),
            speaking: SpeakingTime::default(),
        }
    }

    pub fn is_muted(&self, who: &str, now: Millis) -> bool {
        self.mutes.get(who).is_some_and(|m| m.active(now))
    }

    pub fn online(&self) -> u32 {
        self.members.values().filter(|m| m.connections > 0).count() as u32
    }

    pub fn summary(&self) -> RoomSummary {
        RoomSummary {
            id: self.id.clone(),
            titles: self.settings.titles.clone(),
            description: self.settings.description.clone(),
            mode: self.mode,
            locked: self.locked,
            last_seq: self.seq,
            online: self.online(),
        }
    }

    /// The snapshot sent to clients.
    pub fn view(&self, now: Millis) -> RoomState {
        RoomState {
            room: self.id.clone(),
            titles: self.settings.titles.clone(),
            description: self.settings.description.clone(),
            mode: self.mode,
            locked: self.locked,
            list_closed: self.list_closed,
            time_limit: self.time_limit,
            policy: self.settings.policy,
            auto_advance: self.settings.auto_advance,
            seq: self.seq,
            server_time: now,
            floor: self.floor.turn().map(|t| FloorView {
                turn: t.id,
                holder: t.holder.clone(),
                class: t.class,
                reply_to: t.reply_to,
                started_at: t.started_at,
                allotted_ms: t.allotted_ms,
                clock: match t.clock {
                    Clock::Running { deadline } => ClockView::Running { deadline },
                    Clock::Paused { remaining_ms } => ClockView::Paused { remaining_ms },
                },
            }),
            queue: self
                .queue
                .iter()
                .map(|e| QueueEntryView {
                    who: e.who.clone(),
                    class: e.class,
                    reply_to: e.reply_to,
                    requested_at: e.requested_at,
                })
                .collect(),
            round: self.round.as_ref().map(|r| RoundView {
                round: r.number,
                remaining: r.remaining.iter().cloned().collect(),
            }),
            members: self
                .members
                .values()
                .map(|m| MemberView {
                    who: m.who.clone(),
                    online: m.connections > 0,
                    muted: self.is_muted(&m.who.id, now),
                    muted_until: match self.mutes.get(&m.who.id) {
                        Some(&Mute::Until { until }) if until > now => Some(until),
                        _ => None,
                    },
                })
                .collect(),
            poll: self.poll.as_ref().map(|p| PollView {
                poll: p.id,
                question: p.question.clone(),
                options: p.options.clone(),
                counts: p.counts(),
                voted: p.votes.keys().cloned().collect(),
                opened_by: p.opened_by.clone(),
            }),
            points_of_order: self
                .points
                .iter()
                .map(|p| PointView {
                    seq: p.seq,
                    by: p.by.clone(),
                    text: p.text.clone(),
                })
                .collect(),
            speaking_time: self.speaking.clone(),
        }
    }
}
