//! A room's state as plain data. The room actor owns one `Room`; the rules
//! in `rules/` change it; the store saves it as JSON after every change so
//! the floor, clock, queue and poll survive a restart. The members are kept
//! apart (the store's `room_members` table, one row per member), because a
//! plenary's member list is far too large to rewrite with every event.

use dais_protocol::{
    Actor, ClockView, Counts, EntryClass, FloorView, MemberView, Millis, Mode, ParticipantId,
    PointView, PollView, QueueEntryView, QueuePolicy, RoomId, RoomState, RoomSummary, RoundView,
    Seq, SpeakingTime, Tally, TurnId,
};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::net::IpAddr;

/// How long a removal or an indefinite mute of a guest holds against the
/// guest's address (the guest's own id keeps it for good).
pub const ADDRESS_HOLD_MS: Millis = 24 * 3600 * 1000;

/// Longest text of a point of order shown in `room_state`, in characters:
/// the point stays listed until a ruling, so its full text (up to the text
/// limit) would ride along in every snapshot. The event has it whole.
pub const POINT_PREVIEW_CHARS: usize = 200;

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
    /// Whether the room starts public: its record shown on the web pages.
    /// The room's `public` is the live value, which chairs change.
    #[serde(default)]
    pub public: bool,
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
    /// A guest's address. A guest who drops their credential comes back as
    /// someone new, so a mute or a removal of a guest holds against the
    /// address as well as the id. Never sent to anyone.
    #[serde(skip)]
    pub address: Option<IpAddr>,
}

/// Speaking time in milliseconds, for the turns that have ended. Per
/// participant it feeds the `fair` policy and each member's own figure; the
/// wire carries only the totals by delegation and group.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Speaking {
    pub total_ms: i64,
    #[serde(default)]
    pub participants: BTreeMap<ParticipantId, i64>,
    #[serde(default)]
    pub delegations: BTreeMap<String, i64>,
    #[serde(default)]
    pub stakeholders: BTreeMap<dais_protocol::Stakeholder, i64>,
}

impl Speaking {
    pub fn view(&self) -> SpeakingTime {
        SpeakingTime {
            total_ms: self.total_ms,
            delegations: self.delegations.clone(),
            stakeholders: self.stakeholders.clone(),
        }
    }

    pub fn of(&self, who: &str) -> i64 {
        self.participants.get(who).copied().unwrap_or(0)
    }
}

/// Limits the rules apply that the server's config sets. Not persisted:
/// they come from the config at every start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RoomLimits {
    /// Pending points of order one participant may have (the usual rule of
    /// procedure is one at a time).
    pub points_per_participant: usize,
    /// Pending points of order in the room, from everyone.
    pub points_per_room: usize,
}

impl Default for RoomLimits {
    fn default() -> Self {
        RoomLimits {
            points_per_participant: 1,
            points_per_room: 20,
        }
    }
}

/// The title in `lang`, else in its primary language (`zh` for `zh-CN`),
/// else in another variety of it, else English, else any.
pub fn pick_title(titles: &BTreeMap<String, String>, lang: &str) -> Option<String> {
    let primary = lang.split('-').next().unwrap_or(lang);
    titles
        .get(lang)
        .or_else(|| titles.get(primary))
        .or_else(|| {
            titles
                .iter()
                .find(|(k, _)| k.split('-').next() == Some(primary))
                .map(|(_, v)| v)
        })
        .or_else(|| titles.get("en"))
        .or_else(|| titles.values().next())
        .cloned()
}

/// How member lists are sorted and searched (the protocol's rule, shared
/// with clients).
pub fn fold_name(name: &str) -> String {
    dais_protocol::names::fold(name)
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
    /// The record is shown on the public web pages (`room_publish`).
    #[serde(default)]
    pub public: bool,
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
    /// The members, by id. Saved in the store's `room_members` table, not
    /// with the room (older data directories had them here; they are read
    /// once and moved).
    #[serde(default, skip_serializing)]
    pub members: BTreeMap<ParticipantId, Member>,
    /// The members by folded name, for paging the list in name order.
    #[serde(skip)]
    pub by_name: BTreeSet<(String, ParticipantId)>,
    pub removed: BTreeSet<ParticipantId>,
    /// Kept apart from the members, so that leaving and coming back does
    /// not lift a mute.
    pub mutes: BTreeMap<ParticipantId, Mute>,
    /// Addresses of removed guests, until when: a new guest from there is
    /// refused too. For a day only (`ADDRESS_HOLD_MS`): an address may be a
    /// venue's, shared by many, and nobody can undo a removal.
    #[serde(default)]
    pub removed_addresses: BTreeMap<IpAddr, Millis>,
    /// Addresses of muted guests, with the mute (a day at most): a new
    /// guest from there is muted too.
    #[serde(default)]
    pub muted_addresses: BTreeMap<IpAddr, Mute>,
    pub poll: Option<Poll>,
    pub polls_opened: u32,
    pub points: Vec<Point>,
    pub speaking: Speaking,
    #[serde(skip)]
    pub limits: RoomLimits,
    /// Members online now: `online()`.
    #[serde(skip)]
    pub online_now: u32,
    /// `counts()` as last computed: walking ten thousand members for every
    /// joiner's room_state would make a plenary's join storm quadratic.
    /// Cleared whenever a member comes, goes or changes presence.
    #[serde(skip)]
    pub counts_cache: std::cell::RefCell<Option<Counts>>,
}

impl Room {
    pub fn new(id: RoomId, settings: Settings) -> Room {
        Room {
            id,
            mode: settings.mode,
            time_limit: settings.time_limit,
            public: settings.public,
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
            by_name: BTreeSet::new(),
            removed: BTreeSet::new(),
            mutes: BTreeMap::new(),
            removed_addresses: BTreeMap::new(),
            muted_addresses: BTreeMap::new(),
            poll: None,
            polls_opened: 0,
            points: Vec::new(),
            speaking: Speaking::default(),
            limits: RoomLimits::default(),
            online_now: 0,
            counts_cache: Default::default(),
        }
    }

    /// A member came, went or changed presence: the counts must be taken again.
    pub fn members_changed(&self) {
        self.counts_cache.borrow_mut().take();
    }

    /// Add a member (or refresh a returning one's name and delegation).
    pub fn add_member(&mut self, who: Actor, address: Option<IpAddr>) {
        if let Some(old) = self.members.get(&who.id) {
            let key = (fold_name(&old.who.name), old.who.id.clone());
            self.by_name.remove(&key);
        }
        self.by_name.insert((fold_name(&who.name), who.id.clone()));
        let member = self.members.entry(who.id.clone()).or_insert(Member {
            who: who.clone(),
            connections: 0,
            address,
        });
        member.who = who;
        if address.is_some() {
            member.address = address;
        }
        self.members_changed();
    }

    pub fn remove_member(&mut self, id: &str) -> Option<Member> {
        let member = self.members.remove(id)?;
        self.members_changed();
        if member.connections > 0 {
            self.online_now = self.online_now.saturating_sub(1);
        }
        self.by_name
            .remove(&(fold_name(&member.who.name), member.who.id.clone()));
        Some(member)
    }

    /// Rebuild what is derived from the members (after loading them).
    pub fn reindex(&mut self) {
        self.members_changed();
        self.by_name = self
            .members
            .values()
            .map(|m| (fold_name(&m.who.name), m.who.id.clone()))
            .collect();
    }

    /// A participant's own mute, or, for a guest, one on their address.
    pub fn mute_of(&self, who: &str, now: Millis) -> Option<Mute> {
        let own = self.mutes.get(who).filter(|m| m.active(now));
        let by_address = || {
            let address = self.members.get(who)?.address?;
            self.muted_addresses.get(&address).filter(|m| m.active(now))
        };
        own.or_else(by_address).copied()
    }

    /// What a member is told about themselves in an `ok`: their speaking
    /// time and whether they are muted.
    pub fn you(&self, who: &str, now: Millis) -> dais_protocol::You {
        let mute = self.mute_of(who, now);
        dais_protocol::You {
            speaking_ms: self.speaking.of(who),
            muted: mute.is_some(),
            muted_until: match mute {
                Some(Mute::Until { until }) => Some(until),
                _ => None,
            },
        }
    }

    pub fn is_muted(&self, who: &str, now: Millis) -> bool {
        self.mute_of(who, now).is_some()
    }

    /// Members with a live connection (kept by `set_online` and
    /// `remove_member`, so the room list can ask after every change).
    pub fn online(&self) -> u32 {
        self.online_now
    }

    /// The title in `lang`, or the closest the room has.
    pub fn title(&self, lang: &str) -> String {
        pick_title(&self.settings.titles, lang).unwrap_or_else(|| self.id.clone())
    }

    pub fn summary(&self, lang: &str) -> RoomSummary {
        RoomSummary {
            id: self.id.clone(),
            title: self.title(lang),
            description: self.settings.description.clone(),
            mode: self.mode,
            locked: self.locked,
            last_seq: self.seq,
            online: self.online(),
        }
    }

    /// The members counted by role, stakeholder group and guest status.
    pub fn counts(&self) -> Counts {
        if let Some(counts) = self.counts_cache.borrow().as_ref() {
            return counts.clone();
        }
        let counts = self.count_members();
        *self.counts_cache.borrow_mut() = Some(counts.clone());
        counts
    }

    fn count_members(&self) -> Counts {
        let mut counts = Counts::default();
        for m in self.members.values() {
            let online = m.connections > 0;
            let bump = |t: &mut Tally| {
                t.members += 1;
                t.online += u32::from(online);
            };
            counts.members += 1;
            counts.online += u32::from(online);
            bump(counts.roles.entry(m.who.role).or_default());
            bump(counts.stakeholders.entry(m.who.stakeholder).or_default());
            if m.who.guest {
                bump(&mut counts.guests);
            }
        }
        counts
    }

    /// One member as a `members` page shows them.
    pub fn member_view(&self, m: &Member, now: Millis) -> MemberView {
        let mute = self.mute_of(&m.who.id, now);
        MemberView {
            who: m.who.clone(),
            online: m.connections > 0,
            muted: mute.is_some(),
            muted_until: match mute {
                Some(Mute::Until { until }) => Some(until),
                _ => None,
            },
            speaking_ms: self.speaking.of(&m.who.id),
        }
    }

    /// The snapshot sent to clients.
    pub fn view(&self, now: Millis) -> RoomState {
        RoomState {
            room: self.id.clone(),
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
                .map(|p| {
                    let long = p
                        .text
                        .as_ref()
                        .is_some_and(|t| t.chars().nth(POINT_PREVIEW_CHARS).is_some());
                    PointView {
                        seq: p.seq,
                        by: p.by.clone(),
                        text: p
                            .text
                            .as_ref()
                            .map(|t| t.chars().take(POINT_PREVIEW_CHARS).collect()),
                        truncated: long,
                    }
                })
                .collect(),
            counts: self.counts(),
            speaking_time: self.speaking.view(),
        }
    }
}
