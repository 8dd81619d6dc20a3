//! The fairness figures of a room: pure functions over its record of
//! proceedings (docs/FAIRNESS.md defines each figure).
//!
//! Everything is read off the events, in order, so the figures can be
//! computed for any window of any record, live or exported, and tested on
//! hand-made records. The stakeholder group of a turn is the one its
//! holder had when the turn was given: `floor_granted` and `turn_ended`
//! carry the holder's actor as it was then, so a delegation that changes
//! group later does not rewrite the history of who was heard.

use dais_protocol::{
    Actor, DelegationFigures, EntryClass, Event, EventFrame, Fairness, GroupFigures, Intervention,
    InterventionKind, Millis, ParticipantId, PrecedenceViolation, Requests, Role, Seq, Stakeholder,
    TurnEndReason, TurnId,
};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The part of the record the figures cover: events with
/// `from <= ts < to`, either end open.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Window {
    pub from: Option<Millis>,
    pub to: Option<Millis>,
}

impl Window {
    pub fn all() -> Window {
        Window::default()
    }

    fn before_start(&self, ts: Millis) -> bool {
        self.from.is_some_and(|f| ts < f)
    }

    fn after_end(&self, ts: Millis) -> bool {
        self.to.is_some_and(|t| ts >= t)
    }

    /// Whether the window reaches `now`: then today's members are present.
    fn reaches(&self, now: Millis) -> bool {
        self.to.is_none_or(|t| t > now)
    }
}

/// Who a figure is about: a delegation, or a participant of none (a guest),
/// who counts as a delegation of one.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Key {
    Delegation(String),
    Alone(ParticipantId),
}

fn key(a: &Actor) -> Key {
    if a.delegation.is_empty() {
        Key::Alone(a.id.clone())
    } else {
        Key::Delegation(a.delegation.clone())
    }
}

/// A delegation as the figures know it.
#[derive(Debug, Clone)]
struct Delegation {
    /// Its group at its latest appearance in the window.
    stakeholder: Stakeholder,
    guest: bool,
    turns: u32,
    speaking_ms: i64,
    requests: Requests,
    waits: Vec<i64>,
}

impl Delegation {
    fn new(a: &Actor) -> Delegation {
        Delegation {
            stakeholder: a.stakeholder,
            guest: a.guest,
            turns: 0,
            speaking_ms: 0,
            requests: Requests::default(),
            waits: Vec::new(),
        }
    }
}

/// A request for the floor still on the list.
#[derive(Debug, Clone)]
struct Waiting {
    who: ParticipantId,
    key: Key,
    group: Stakeholder,
    at: Millis,
    /// Made inside the window: only those are counted.
    counted: bool,
}

#[derive(Default)]
struct GroupTally {
    turns: u32,
    speaking_ms: i64,
    requests: Requests,
    waits: Vec<i64>,
}

/// Everything read so far.
#[derive(Default)]
struct Reading {
    delegations: BTreeMap<Key, Delegation>,
    groups: BTreeMap<Stakeholder, GroupTally>,
    queue: Vec<Waiting>,
    /// Delegations that have spoken (a turn with speaking time ended),
    /// since the start of the record: a second turn is a second turn even
    /// when the first was before the window.
    spoken: BTreeSet<Key>,
    in_round: bool,
    /// The next `floor_granted` continues a turn yielded to someone.
    yielded_to: bool,
    /// Who raised each point of order, for the ruling's `who`.
    points: HashMap<Seq, Actor>,
    violations: Vec<PrecedenceViolation>,
    interventions: Vec<Intervention>,
    turns: u32,
    speaking_ms: i64,
    requests: Requests,
    seq: Seq,
}

impl Reading {
    /// `a` appears in the window: a delegation present, with its group as of now.
    fn present(&mut self, a: &Actor) {
        let entry = self
            .delegations
            .entry(key(a))
            .or_insert_with(|| Delegation::new(a));
        entry.stakeholder = a.stakeholder;
        entry.guest = a.guest;
    }

    /// Update the tallies of a request that left the list.
    fn settle(&mut self, w: &Waiting, how: Settled, now: Millis) {
        if !w.counted {
            return;
        }
        let group = self.groups.entry(w.group).or_default();
        let delegation = self.delegations.get_mut(&w.key);
        let mut tallies: Vec<&mut Requests> = vec![&mut self.requests, &mut group.requests];
        if let Some(d) = delegation {
            if let Settled::Served = how {
                d.waits.push(now - w.at);
            }
            tallies.push(&mut d.requests);
        }
        for r in tallies {
            match how {
                Settled::Served => r.served += 1,
                Settled::Withdrawn => r.withdrawn += 1,
                Settled::Unserved => r.unserved += 1,
            }
        }
        if let Settled::Served = how {
            group.waits.push(now - w.at);
        }
    }

    fn take(&mut self, who: &str) -> Option<Waiting> {
        let pos = self.queue.iter().position(|w| w.who == who)?;
        Some(self.queue.remove(pos))
    }

    fn intervene(
        &mut self,
        frame: &EventFrame,
        kind: InterventionKind,
        by: &Actor,
        who: Option<&Actor>,
        reason: Option<&String>,
    ) {
        self.interventions.push(Intervention {
            seq: frame.seq,
            ts: frame.ts,
            kind,
            by: by.clone(),
            who: who.cloned(),
            reason: reason.cloned(),
        });
    }

    /// Read one event. `counted` is false for events before the window,
    /// which only set the scene (the list, who has spoken, a round).
    fn read(&mut self, frame: &EventFrame, counted: bool) {
        let ts = frame.ts;
        if counted {
            if let Some(a) = appearing(&frame.event) {
                for a in a {
                    self.present(a);
                }
            }
        }
        match &frame.event {
            Event::FloorRequested { by, .. } => self.floor_requested(by, ts, counted),
            Event::FloorWithdrawn { by } => {
                if let Some(w) = self.take(&by.id) {
                    self.settle(&w, Settled::Withdrawn, ts);
                }
            }
            Event::QueueCleared { by, reason } => {
                for w in std::mem::take(&mut self.queue) {
                    self.settle(&w, Settled::Unserved, ts);
                }
                if counted {
                    self.intervene(frame, InterventionKind::Clear, by, None, reason.as_ref());
                }
            }
            Event::Removed { by, who, reason } => {
                if let Some(w) = self.take(&who.id) {
                    self.settle(&w, Settled::Unserved, ts);
                }
                if counted {
                    self.intervene(
                        frame,
                        InterventionKind::Remove,
                        by,
                        Some(who),
                        reason.as_ref(),
                    );
                }
            }
            Event::Muted {
                by, who, reason, ..
            } if counted => {
                self.intervene(
                    frame,
                    InterventionKind::Mute,
                    by,
                    Some(who),
                    reason.as_ref(),
                );
            }
            Event::QueueReordered { by, reason, .. } if counted => {
                self.intervene(frame, InterventionKind::Reorder, by, None, reason.as_ref());
            }
            Event::PointOfOrder { by, .. } => {
                self.points.insert(frame.seq, by.clone());
            }
            Event::Ruling {
                by, point, ruling, ..
            } if counted => {
                let raiser = self.points.get(point).cloned();
                self.intervene(
                    frame,
                    InterventionKind::Ruling,
                    by,
                    raiser.as_ref(),
                    Some(ruling),
                );
            }
            Event::RoundStarted { .. } => self.in_round = true,
            Event::RoundEnded { .. } => self.in_round = false,
            Event::FloorGranted { .. } => self.floor_granted(frame, counted),
            Event::TurnEnded { .. } => self.turn_ended(frame, counted),
            _ => {}
        }
    }

    /// `floor_requested`: a place in the queue, from `ts`; counted as a
    /// request (in all, by group, by delegation) inside the window.
    fn floor_requested(&mut self, by: &Actor, ts: Millis, counted: bool) {
        if counted {
            self.requests.made += 1;
            self.groups.entry(by.stakeholder).or_default().requests.made += 1;
            if let Some(d) = self.delegations.get_mut(&key(by)) {
                d.requests.made += 1;
            }
        }
        self.queue.push(Waiting {
            who: by.id.clone(),
            key: key(by),
            group: by.stakeholder,
            at: ts,
            counted,
        });
    }

    /// `floor_granted`: the grantee's wait is served; a grant that passes
    /// over someone who has not spoken yet is a precedence violation, and
    /// a chair's out-of-order grant an intervention.
    fn floor_granted(&mut self, frame: &EventFrame, counted: bool) {
        let Event::FloorGranted {
            to,
            turn,
            class,
            by,
            out_of_order,
            reason,
            ..
        } = &frame.event
        else {
            return;
        };
        let continued = std::mem::take(&mut self.yielded_to);
        let grantee = key(to);
        if counted
            && *class == EntryClass::Speech
            && !self.in_round
            && !continued
            && self.spoken.contains(&grantee)
        {
            self.check_precedence(frame.seq, *turn, &grantee);
        }
        if let Some(w) = self.take(&to.id) {
            self.settle(&w, Settled::Served, frame.ts);
        }
        if let (true, true, Some(chair)) = (counted, *out_of_order, by) {
            self.intervene(
                frame,
                InterventionKind::Grant,
                chair,
                Some(to),
                reason.as_ref(),
            );
        }
    }

    /// A speaker who has spoken got the floor again: note everyone still
    /// waiting who has not spoken yet, if anyone.
    fn check_precedence(&mut self, seq: Seq, turn: TurnId, grantee: &Key) {
        let mut waiting: Vec<String> = Vec::new();
        for w in &self.queue {
            if &w.key != grantee && !self.spoken.contains(&w.key) {
                let name = label(&w.key);
                if !waiting.contains(&name) {
                    waiting.push(name);
                }
            }
        }
        if !waiting.is_empty() {
            self.violations.push(PrecedenceViolation {
                seq,
                turn,
                to: label(grantee),
                waiting,
            });
        }
    }

    /// `turn_ended`: who has spoken, and inside the window the turn's
    /// count and time (in all, by group, by delegation) and a chair's
    /// revocation as an intervention.
    fn turn_ended(&mut self, frame: &EventFrame, counted: bool) {
        let Event::TurnEnded {
            holder,
            reason,
            by,
            spoke_ms,
            note,
            ..
        } = &frame.event
        else {
            return;
        };
        if *reason == TurnEndReason::YieldedTo {
            self.yielded_to = true;
        }
        if *spoke_ms > 0 {
            self.spoken.insert(key(holder));
        }
        if !counted {
            return;
        }
        self.turns += 1;
        self.speaking_ms += spoke_ms;
        let group = self.groups.entry(holder.stakeholder).or_default();
        group.turns += 1;
        group.speaking_ms += spoke_ms;
        if let Some(d) = self.delegations.get_mut(&key(holder)) {
            d.turns += 1;
            d.speaking_ms += spoke_ms;
        }
        if let (TurnEndReason::Revoked, Some(chair)) = (reason, by) {
            self.intervene(
                frame,
                InterventionKind::Revoke,
                chair,
                Some(holder),
                note.as_ref(),
            );
        }
    }
}

#[derive(Clone, Copy)]
enum Settled {
    Served,
    Withdrawn,
    Unserved,
}

/// What a figure calls a delegation: its name, or for a participant of
/// none, their id (the renderer decides what a reader may see of them).
fn label(k: &Key) -> String {
    match k {
        Key::Delegation(d) => d.clone(),
        Key::Alone(id) => id.clone(),
    }
}

/// The delegations an event shows taking part: whoever asks for, holds or
/// is given the floor, speaks, votes, raises a point, or is in a round.
/// Chairs acting as chairs, interpreters and observers are not delegations
/// taking part (a turn they hold counts, though).
fn appearing(event: &Event) -> Option<Vec<&Actor>> {
    let delegate = |a: &Actor| a.role == Role::Delegate;
    let list: Vec<&Actor> = match event {
        Event::FloorRequested { by, .. }
        | Event::FloorWithdrawn { by }
        | Event::ReplyRequested { by, .. } => vec![by],
        Event::FloorGranted { to, .. } => vec![to],
        Event::TurnEnded { holder, .. } => vec![holder],
        Event::Speech { by, .. } | Event::PointOfOrder { by, .. } | Event::VoteCast { by, .. }
            if delegate(by) =>
        {
            vec![by]
        }
        Event::RoundStarted { order, .. } => order.iter().filter(|a| delegate(a)).collect(),
        _ => return None,
    };
    Some(list)
}

fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

/// The value at percentile `p` (0 < p <= 1) by the nearest rank.
fn percentile(sorted: &[i64], p: f64) -> Option<i64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    Some(sorted[rank - 1])
}

/// The Gini coefficient of `values` (silent ones included as zeros); none
/// when there are none or they add up to nothing.
pub fn gini(values: &[i64]) -> Option<f64> {
    let total: i64 = values.iter().sum();
    if values.is_empty() || total <= 0 {
        return None;
    }
    let mut v = values.to_vec();
    v.sort_unstable();
    let n = v.len() as f64;
    let weighted: f64 = v
        .iter()
        .enumerate()
        .map(|(i, x)| (i as f64 + 1.0) * *x as f64)
        .sum();
    Some(round4(
        (2.0 * weighted) / (n * total as f64) - (n + 1.0) / n,
    ))
}

/// The figures of `room`'s record `events` (in seq order) over `window`.
/// `members` are the room's members now: delegates among them count as
/// present when the window reaches `now`.
pub fn compute(
    room: &str,
    events: &[EventFrame],
    members: &[Actor],
    window: Window,
    now: Millis,
) -> Fairness {
    let mut r = Reading::default();
    for frame in events {
        if window.after_end(frame.ts) {
            break;
        }
        r.seq = frame.seq;
        r.read(frame, !window.before_start(frame.ts));
    }
    // Still waiting when the window ends: never served.
    let end = window.to.unwrap_or(now);
    for w in std::mem::take(&mut r.queue) {
        r.settle(&w, Settled::Unserved, end);
    }
    if window.reaches(now) {
        for m in members.iter().filter(|m| m.role == Role::Delegate) {
            r.present(m);
        }
    }
    figures(room, window, r)
}

fn figures(room: &str, window: Window, mut r: Reading) -> Fairness {
    let total = r.speaking_ms;
    let share = |ms: i64| {
        if total > 0 {
            round4(ms as f64 / total as f64)
        } else {
            0.0
        }
    };
    let present = r.delegations.len() as u32;
    let mut per_group: BTreeMap<Stakeholder, u32> = BTreeMap::new();
    for d in r.delegations.values() {
        *per_group.entry(d.stakeholder).or_default() += 1;
    }
    let mut stakeholders = Vec::new();
    for group in Stakeholder::ALL {
        let here = per_group.get(&group).copied().unwrap_or(0);
        let tally = r.groups.remove(&group).unwrap_or_default();
        if here == 0 && tally.turns == 0 && tally.requests.made == 0 {
            continue;
        }
        let presence_share = if present > 0 {
            round4(f64::from(here) / f64::from(present))
        } else {
            0.0
        };
        let group_share = share(tally.speaking_ms);
        let representation = (here > 0 && total > 0).then(|| {
            round4(
                (tally.speaking_ms as f64 / total as f64) / (f64::from(here) / f64::from(present)),
            )
        });
        let mut waits = tally.waits;
        waits.sort_unstable();
        stakeholders.push(GroupFigures {
            stakeholder: group,
            delegations_present: here,
            turns: tally.turns,
            speaking_ms: tally.speaking_ms,
            share: group_share,
            presence_share,
            representation,
            requests: tally.requests,
            wait_median_ms: percentile(&waits, 0.5),
            wait_p90_ms: percentile(&waits, 0.9),
        });
    }
    let present_groups: Vec<Option<f64>> = stakeholders
        .iter()
        .filter(|g| g.delegations_present > 0)
        .map(|g| g.representation)
        .collect();
    let representation_spread = spread(&present_groups);
    let gini = gini(
        &r.delegations
            .values()
            .map(|d| d.speaking_ms)
            .collect::<Vec<_>>(),
    );
    let mut delegations: Vec<DelegationFigures> = r
        .delegations
        .into_iter()
        .map(|(k, mut d)| {
            d.waits.sort_unstable();
            let (delegation, participant) = match k {
                Key::Delegation(name) => (name, None),
                Key::Alone(id) => (String::new(), Some(id)),
            };
            DelegationFigures {
                delegation,
                participant,
                guest: d.guest,
                stakeholder: d.stakeholder,
                turns: d.turns,
                speaking_ms: d.speaking_ms,
                share: share(d.speaking_ms),
                requests: d.requests,
                wait_median_ms: percentile(&d.waits, 0.5),
            }
        })
        .collect();
    delegations.sort_by(|a, b| {
        b.speaking_ms
            .cmp(&a.speaking_ms)
            .then(b.turns.cmp(&a.turns))
            .then_with(|| a.delegation.cmp(&b.delegation))
            .then_with(|| a.participant.cmp(&b.participant))
    });
    Fairness {
        room: room.to_string(),
        from: window.from,
        to: window.to,
        seq: r.seq,
        turns: r.turns,
        speaking_ms: total,
        delegations_present: present,
        gini,
        representation_spread,
        requests: r.requests,
        stakeholders,
        delegations,
        precedence_violations: r.violations,
        interventions: r.interventions,
    }
}

/// The highest of `ratios` over the lowest; none when one is missing or
/// the lowest is zero (a group present that was never heard).
pub fn spread(ratios: &[Option<f64>]) -> Option<f64> {
    let values: Option<Vec<f64>> = ratios.iter().copied().collect();
    let values = values?;
    let max = values.iter().copied().fold(f64::NAN, f64::max);
    let min = values.iter().copied().fold(f64::NAN, f64::min);
    (min > 0.0).then(|| round4(max / min))
}

/// Counts of the chair's interventions by kind.
pub fn interventions_by_kind(f: &Fairness) -> BTreeMap<InterventionKind, u32> {
    let mut out = BTreeMap::new();
    for i in &f.interventions {
        *out.entry(i.kind).or_default() += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use dais_protocol::{Mode, TurnId};

    /// A hand-made record: each call appends one event, one second apart.
    struct Record {
        events: Vec<EventFrame>,
        turn: TurnId,
    }

    fn actor(id: &str, delegation: &str, group: Stakeholder) -> Actor {
        Actor {
            id: id.into(),
            name: format!("Name of {id}"),
            delegation: delegation.into(),
            stakeholder: group,
            role: Role::Delegate,
            guest: false,
        }
    }

    fn chair() -> Actor {
        Actor {
            id: "chair".into(),
            name: "Chair".into(),
            delegation: "Secretariat".into(),
            stakeholder: Stakeholder::Intergovernmental,
            role: Role::Moderator,
            guest: false,
        }
    }

    impl Record {
        fn new() -> Record {
            Record {
                events: Vec::new(),
                turn: 0,
            }
        }

        fn push(&mut self, event: Event) -> &mut Self {
            let seq = self.events.len() as Seq + 1;
            self.events.push(EventFrame {
                room: "r".into(),
                seq,
                ts: seq as Millis * 1000,
                event,
            });
            self
        }

        fn ask(&mut self, who: &Actor) -> &mut Self {
            self.push(Event::FloorRequested {
                by: who.clone(),
                class: EntryClass::Speech,
                reply_to: None,
            })
        }

        fn grant(&mut self, who: &Actor) -> &mut Self {
            self.turn += 1;
            let turn = self.turn;
            self.push(Event::FloorGranted {
                to: who.clone(),
                turn,
                class: EntryClass::Speech,
                reply_to: None,
                deadline: 0,
                allotted_ms: 180_000,
                by: Some(chair()),
                out_of_order: false,
                reason: None,
            })
        }

        fn end(&mut self, who: &Actor, ms: i64) -> &mut Self {
            let turn = self.turn;
            self.push(Event::TurnEnded {
                turn,
                holder: who.clone(),
                reason: TurnEndReason::Yielded,
                by: None,
                spoke_ms: ms,
                note: None,
            })
        }

        /// Ask, get the floor, speak `ms`.
        fn speak(&mut self, who: &Actor, ms: i64) -> &mut Self {
            self.ask(who).grant(who).end(who, ms)
        }

        fn figures(&self, members: &[Actor]) -> Fairness {
            compute("r", &self.events, members, Window::all(), 1_000_000)
        }
    }

    fn group(f: &Fairness, g: Stakeholder) -> &GroupFigures {
        f.stakeholders
            .iter()
            .find(|x| x.stakeholder == g)
            .unwrap_or_else(|| panic!("no figures for {g}"))
    }

    #[test]
    fn a_record_without_turns_has_no_gini_and_no_shares() {
        let mut r = Record::new();
        r.push(Event::ModeChanged {
            by: chair(),
            mode: Mode::Open,
        });
        let members = [actor("a", "Chile", Stakeholder::Government)];
        let f = r.figures(&members);
        assert_eq!(f.turns, 0);
        assert_eq!(f.speaking_ms, 0);
        assert_eq!(f.delegations_present, 1, "a member is present");
        assert_eq!(f.gini, None);
        assert_eq!(f.representation_spread, None);
        assert_eq!(group(&f, Stakeholder::Government).representation, None);
        assert_eq!(f.delegations[0].share, 0.0);
        // And an empty record, with nobody present at all.
        let empty = compute("r", &[], &[], Window::all(), 0);
        assert_eq!(empty.delegations_present, 0);
        assert!(empty.stakeholders.is_empty());
        assert_eq!(empty.seq, 0);
    }

    #[test]
    fn one_delegation_holds_every_share_and_perfect_equality() {
        let a = actor("a", "Chile", Stakeholder::Government);
        let mut r = Record::new();
        r.speak(&a, 60_000).speak(&a, 30_000);
        let f = r.figures(&[]);
        assert_eq!(f.turns, 2);
        assert_eq!(f.speaking_ms, 90_000);
        assert_eq!(f.gini, Some(0.0));
        assert_eq!(f.representation_spread, Some(1.0));
        let g = group(&f, Stakeholder::Government);
        assert_eq!(
            (g.share, g.presence_share, g.representation),
            (1.0, 1.0, Some(1.0))
        );
        assert_eq!(f.delegations.len(), 1);
        assert_eq!(f.delegations[0].share, 1.0);
        assert_eq!(f.requests.made, 2);
        assert_eq!(f.requests.served, 2);
        assert_eq!(f.delegations[0].wait_median_ms, Some(1000));
    }

    #[test]
    fn silent_delegations_count_as_zero_in_the_gini_and_the_ratios() {
        let a = actor("a", "Chile", Stakeholder::Government);
        let b = actor("b", "ISOC", Stakeholder::TechnicalCommunity);
        let c = actor("c", "Kenya", Stakeholder::Government);
        let mut r = Record::new();
        r.speak(&a, 60_000);
        // b and c never speak: b only as a member, c asks and waits.
        r.ask(&c);
        let f = r.figures(std::slice::from_ref(&b));
        assert_eq!(f.delegations_present, 3);
        // One voice among three: (2*3*60)/(3*60) - 4/3 = 2/3.
        assert_eq!(f.gini, Some(0.6667));
        let gov = group(&f, Stakeholder::Government);
        assert_eq!(gov.delegations_present, 2);
        assert_eq!(
            gov.representation,
            Some(1.5),
            "all the time, 2/3 of the room"
        );
        let tech = group(&f, Stakeholder::TechnicalCommunity);
        assert_eq!(tech.representation, Some(0.0));
        assert_eq!(f.representation_spread, None, "a group never heard");
        let silent = f
            .delegations
            .iter()
            .find(|d| d.delegation == "Kenya")
            .expect("Kenya");
        assert_eq!((silent.turns, silent.speaking_ms), (0, 0));
        assert_eq!(silent.requests.unserved, 1, "still waiting at the end");
        assert_eq!(f.requests.unserved, 1);
    }

    #[test]
    fn a_change_of_group_mid_session_does_not_rewrite_earlier_turns() {
        let before = actor("a", "Acme", Stakeholder::PrivateSector);
        let mut after = before.clone();
        after.stakeholder = Stakeholder::CivilSociety;
        let mut r = Record::new();
        r.speak(&before, 40_000).speak(&after, 60_000);
        let f = r.figures(&[]);
        let private = group(&f, Stakeholder::PrivateSector);
        let civil = group(&f, Stakeholder::CivilSociety);
        assert_eq!((private.turns, private.speaking_ms), (1, 40_000));
        assert_eq!((civil.turns, civil.speaking_ms), (1, 60_000));
        // The delegation is present once, in the group it has now.
        assert_eq!(f.delegations_present, 1);
        assert_eq!(private.delegations_present, 0);
        assert_eq!(private.representation, None);
        assert_eq!(civil.delegations_present, 1);
        assert_eq!(f.delegations[0].stakeholder, Stakeholder::CivilSociety);
        assert_eq!(f.delegations[0].speaking_ms, 100_000);
    }

    #[test]
    fn a_second_turn_while_a_first_timer_waits_is_a_precedence_violation() {
        let a = actor("a", "Chile", Stakeholder::Government);
        let b = actor("b", "ISOC", Stakeholder::TechnicalCommunity);
        let mut r = Record::new();
        r.speak(&a, 60_000);
        r.ask(&b)
            .ask(&a)
            .grant(&a)
            .end(&a, 10_000)
            .grant(&b)
            .end(&b, 5_000);
        let f = r.figures(&[]);
        assert_eq!(f.precedence_violations.len(), 1);
        let v = &f.precedence_violations[0];
        assert_eq!((v.to.as_str(), v.turn), ("Chile", 2));
        assert_eq!(v.waiting, vec!["ISOC".to_string()]);
        // The first-timer waited from its request (4 s) to the floor (8 s).
        let tech = group(&f, Stakeholder::TechnicalCommunity);
        assert_eq!(tech.wait_median_ms, Some(4000));
    }

    #[test]
    fn a_turn_in_a_round_or_a_yield_is_no_violation_nor_is_a_first_turn() {
        let a = actor("a", "Chile", Stakeholder::Government);
        let b = actor("b", "ISOC", Stakeholder::TechnicalCommunity);
        let mut r = Record::new();
        r.speak(&a, 60_000).ask(&b);
        r.push(Event::RoundStarted {
            by: chair(),
            round: 1,
            order: vec![a.clone()],
        });
        r.grant(&a).end(&a, 1000);
        r.push(Event::RoundEnded { round: 1 });
        // A yield to a: a continuation, not a new turn from the chair.
        let c = actor("c", "Peru", Stakeholder::Government);
        r.grant(&c);
        let turn = r.turn;
        r.push(Event::TurnEnded {
            turn,
            holder: c.clone(),
            reason: TurnEndReason::YieldedTo,
            by: None,
            spoke_ms: 1000,
            note: None,
        });
        r.grant(&a).end(&a, 1000);
        assert!(r.figures(&[]).precedence_violations.is_empty());
    }

    #[test]
    fn the_window_counts_its_own_events_and_remembers_who_spoke_before() {
        let a = actor("a", "Chile", Stakeholder::Government);
        let b = actor("b", "ISOC", Stakeholder::TechnicalCommunity);
        let mut r = Record::new();
        r.speak(&a, 60_000); // seq 1-3, ts 1-3 s
        r.ask(&b).ask(&a).grant(&a).end(&a, 10_000); // seq 4-7
        let window = Window {
            from: Some(4000),
            to: Some(7000),
        };
        let f = compute("r", &r.events, &[], window, 1_000_000);
        assert_eq!(f.seq, 6, "the last event before `to`");
        assert_eq!(f.turns, 0, "the turn ends at 7 s, outside");
        assert_eq!(f.requests.made, 2);
        assert_eq!(f.requests.served, 1);
        assert_eq!(f.requests.unserved, 1, "b still waits when the window ends");
        assert_eq!(
            f.precedence_violations.len(),
            1,
            "a spoke before the window"
        );
    }

    #[test]
    fn withdrawn_cleared_and_removed_requests_are_told_apart() {
        let a = actor("a", "Chile", Stakeholder::Government);
        let b = actor("b", "ISOC", Stakeholder::TechnicalCommunity);
        let c = actor("c", "Peru", Stakeholder::Government);
        let mut r = Record::new();
        r.ask(&a).push(Event::FloorWithdrawn { by: a.clone() });
        r.ask(&b).push(Event::QueueCleared {
            by: chair(),
            reason: Some("Time is up".into()),
        });
        r.ask(&c).push(Event::Removed {
            by: chair(),
            who: c.clone(),
            reason: Some("Disruption".into()),
        });
        let f = r.figures(&[]);
        assert_eq!(
            f.requests,
            Requests {
                made: 3,
                served: 0,
                withdrawn: 1,
                unserved: 2
            }
        );
        let kinds: Vec<_> = f.interventions.iter().map(|i| i.kind).collect();
        assert_eq!(kinds, [InterventionKind::Clear, InterventionKind::Remove]);
        assert_eq!(f.interventions[0].reason.as_deref(), Some("Time is up"));
    }

    #[test]
    fn every_kind_of_intervention_is_listed_with_its_reason() {
        let a = actor("a", "Chile", Stakeholder::Government);
        let mut r = Record::new();
        r.push(Event::PointOfOrder {
            by: a.clone(),
            text: None,
        });
        r.push(Event::Ruling {
            by: chair(),
            point: 1,
            ruling: "Not well taken".into(),
            upheld: Some(false),
        });
        r.push(Event::Muted {
            by: chair(),
            who: a.clone(),
            until: None,
            reason: Some("Noise".into()),
        });
        r.push(Event::QueueReordered {
            by: chair(),
            order: vec![],
            reason: Some("Balance".into()),
        });
        r.turn += 1;
        let turn = r.turn;
        r.push(Event::FloorGranted {
            to: a.clone(),
            turn,
            class: EntryClass::Speech,
            reply_to: None,
            deadline: 0,
            allotted_ms: 1000,
            by: Some(chair()),
            out_of_order: true,
            reason: Some("Urgent".into()),
        });
        r.push(Event::TurnEnded {
            turn,
            holder: a.clone(),
            reason: TurnEndReason::Revoked,
            by: Some(chair()),
            spoke_ms: 500,
            note: Some("Off topic".into()),
        });
        let f = r.figures(&[]);
        let by_kind = interventions_by_kind(&f);
        for kind in [
            InterventionKind::Ruling,
            InterventionKind::Mute,
            InterventionKind::Reorder,
            InterventionKind::Grant,
            InterventionKind::Revoke,
        ] {
            assert_eq!(by_kind.get(&kind), Some(&1), "{kind:?}");
        }
        let ruling = &f.interventions[0];
        assert_eq!(ruling.who.as_ref().map(|w| w.id.as_str()), Some("a"));
        assert_eq!(ruling.reason.as_deref(), Some("Not well taken"));
        let revoke = f.interventions.last().expect("the revoke");
        assert_eq!(revoke.reason.as_deref(), Some("Off topic"));
    }

    #[test]
    fn a_guest_without_delegation_counts_as_a_delegation_of_one() {
        let mut g1 = actor("g-1", "", Stakeholder::CivilSociety);
        g1.guest = true;
        let mut g2 = actor("g-2", "", Stakeholder::CivilSociety);
        g2.guest = true;
        let mut r = Record::new();
        r.speak(&g1, 1000).speak(&g2, 3000);
        let f = r.figures(&[]);
        assert_eq!(f.delegations_present, 2);
        assert!(f
            .delegations
            .iter()
            .all(|d| d.guest && d.delegation.is_empty()));
        assert_eq!(f.delegations[0].participant.as_deref(), Some("g-2"));
        assert_eq!(f.gini, Some(0.25));
    }

    #[test]
    fn percentiles_take_the_nearest_rank() {
        let v = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100];
        assert_eq!(percentile(&v, 0.5), Some(50));
        assert_eq!(percentile(&v, 0.9), Some(90));
        assert_eq!(percentile(&[7], 0.9), Some(7));
        assert_eq!(percentile(&[], 0.5), None);
    }
}
