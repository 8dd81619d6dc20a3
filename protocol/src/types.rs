//! Plain vocabulary types: roles, stakeholder groups, modes, identities.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A room's stable identifier, e.g. `cyber-security`.
pub type RoomId = String;
/// A participant's stable identifier, e.g. `p-4f2a91c0`.
pub type ParticipantId = String;
/// A room's event sequence number: strictly increasing from 1, no gaps.
pub type Seq = u64;
/// A turn's identifier within its room, so that `next` can name the turn it ends.
pub type TurnId = u64;
/// Milliseconds since the Unix epoch (UTC), as stamped by the server.
pub type Millis = i64;

/// What a participant may do. One role per participant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Speaks for a delegation: asks for the floor, votes, raises points of order.
    Delegate,
    /// A chair: controls the floor, the queue, the clock and the room.
    Moderator,
    /// Attaches interpretations of messages into other languages.
    Interpreter,
    /// Follows the proceedings and says nothing.
    Observer,
}

impl Role {
    pub const ALL: [Role; 4] = [
        Role::Delegate,
        Role::Moderator,
        Role::Interpreter,
        Role::Observer,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Delegate => "delegate",
            Role::Moderator => "moderator",
            Role::Interpreter => "interpreter",
            Role::Observer => "observer",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Role {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| {
                format!(
                    "unknown role `{s}` (expected delegate, moderator, interpreter or observer)"
                )
            })
    }
}

/// The stakeholder groups of multistakeholder governance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stakeholder {
    Government,
    PrivateSector,
    TechnicalCommunity,
    CivilSociety,
    Academia,
    Intergovernmental,
}

impl Stakeholder {
    pub const ALL: [Stakeholder; 6] = [
        Stakeholder::Government,
        Stakeholder::PrivateSector,
        Stakeholder::TechnicalCommunity,
        Stakeholder::CivilSociety,
        Stakeholder::Academia,
        Stakeholder::Intergovernmental,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Stakeholder::Government => "government",
            Stakeholder::PrivateSector => "private_sector",
            Stakeholder::TechnicalCommunity => "technical_community",
            Stakeholder::CivilSociety => "civil_society",
            Stakeholder::Academia => "academia",
            Stakeholder::Intergovernmental => "intergovernmental",
        }
    }
}

impl fmt::Display for Stakeholder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Stakeholder {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Stakeholder::ALL
            .into_iter()
            .find(|g| g.as_str() == s)
            .ok_or_else(|| {
                format!(
                    "unknown stakeholder group `{s}` (expected one of: {})",
                    Stakeholder::ALL.map(|g| g.as_str()).join(", ")
                )
            })
    }
}

/// How a room takes turns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// Moderated debate: only the floor holder and moderators speak.
    SpeakersList,
    /// Tour de table: every delegate present gets a timed turn in order.
    RoundRobin,
    /// Unmoderated: everyone but observers speaks, within the rate limit.
    Open,
    /// Only moderators speak.
    Suspended,
}

impl Mode {
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::SpeakersList => "speakers_list",
            Mode::RoundRobin => "round_robin",
            Mode::Open => "open",
            Mode::Suspended => "suspended",
        }
    }
}

/// The order within one class of the speakers' list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum QueueOrder {
    /// First come, first served (by the server's request time).
    #[default]
    Fifo,
    /// Whoever has spoken least in this room goes first; ties by request time.
    Fair,
}

/// A room's queue policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct QueuePolicy {
    #[serde(default)]
    pub order: QueueOrder,
    /// Prefer the stakeholder group that has spoken least, before `order` applies.
    #[serde(default)]
    pub balance_stakeholders: bool,
}

/// The class of a speakers' list entry, in order of precedence.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default,
)]
#[serde(rename_all = "snake_case")]
pub enum EntryClass {
    ClarifyingQuestion,
    /// A right of reply, naming the event it answers.
    Reply,
    #[default]
    Speech,
}

/// A participant as the server knows them, sent in `welcome`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Participant {
    pub id: ParticipantId,
    pub name: String,
    pub delegation: String,
    pub stakeholder: Stakeholder,
    pub role: Role,
    /// Preferred languages, as BCP 47 tags, most preferred first.
    #[serde(default)]
    pub languages: Vec<String>,
    /// True for a guest who joined by name, without a token.
    #[serde(default)]
    pub guest: bool,
}

impl Participant {
    pub fn actor(&self) -> Actor {
        Actor {
            id: self.id.clone(),
            name: self.name.clone(),
            delegation: self.delegation.clone(),
            stakeholder: self.stakeholder,
            role: self.role,
            guest: self.guest,
        }
    }
}

/// Who did something: carried in every event so the record stands on its own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    pub id: ParticipantId,
    pub name: String,
    pub delegation: String,
    pub stakeholder: Stakeholder,
    pub role: Role,
    /// A guest who came in by name, without a token. Present (and true)
    /// only for guests, so that every screen can mark them: a guest's name
    /// is their own claim, not the admin's.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub guest: bool,
}
