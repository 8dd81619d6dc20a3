//! Do the fair policies work? A reproducible meeting, run under each queue
//! policy through the room's pure rule set, measured with the fairness
//! figures the server publishes (`dais_server::fairness`).
//!
//! Run with `cargo bench -p dais-server --bench fairness`; the table it
//! prints is the one in docs/FAIRNESS.md. The scenario, with a fixed seed:
//! - 60 delegations in the six stakeholder groups, 10 in each, one
//!   delegate each;
//! - governments ask for the floor first (all ten before anyone else) and
//!   three times as often (they ask again sooner after speaking);
//! - every delegate speaks a length of their own, random but fixed
//!   (30 to 180 seconds), and yields;
//! - the chair calls `next` whenever the floor is free and someone waits;
//! - four hours of meeting.

use dais_protocol::{
    EntryClass, EventFrame, Millis, Mode, Participant, QueueOrder, QueuePolicy, Request, Role,
    Stakeholder,
};
use dais_server::fairness::{self, Window};
use dais_server::room::rules::{self, Ctx};
use dais_server::room::state::{Room, Settings};
use std::collections::BTreeMap;

const SEED: u64 = 0x00da_15f0_2016;
const PER_GROUP: usize = 10;
const MEETING_MS: Millis = 4 * 3600 * 1000;
/// Mean pause before asking again after speaking: governments' is a third
/// of everyone else's, so they ask three times as often.
const PAUSE_MS: Millis = 45 * 60 * 1000;

/// SplitMix64: small, good enough, and the same on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn between(&mut self, lo: Millis, hi: Millis) -> Millis {
        lo + (self.unit() * (hi - lo) as f64) as Millis
    }

    /// Exponential with this mean.
    fn pause(&mut self, mean: Millis) -> Millis {
        (-(1.0 - self.unit()).ln() * mean as f64) as Millis
    }
}

struct Delegate {
    who: Participant,
    /// How long this delegate speaks, every time.
    speaks_ms: Millis,
    /// When they ask for the floor next, if not waiting or speaking.
    asks_at: Option<Millis>,
}

fn participant(i: usize, group: Stakeholder, role: Role) -> Participant {
    Participant {
        id: format!("p-{i:03}"),
        name: format!("Delegate {i}"),
        delegation: format!("{} {}", group.as_str(), i % PER_GROUP + 1),
        stakeholder: group,
        role,
        languages: vec!["en".into()],
        guest: false,
    }
}

struct Outcome {
    events: Vec<EventFrame>,
    members: Vec<dais_protocol::Actor>,
}

fn meeting(policy: QueuePolicy) -> Outcome {
    let mut rng = Rng(SEED);
    let settings = Settings {
        titles: [("en".to_string(), "Simulation".to_string())].into(),
        description: String::new(),
        mode: Mode::SpeakersList,
        time_limit: 300,
        policy,
        auto_advance: false,
        public: false,
    };
    let mut room = Room::new("simulation".into(), settings);
    let chair = participant(999, Stakeholder::Intergovernmental, Role::Moderator);
    rules::join(&mut room, &chair, None, 0).expect("the chair joins");
    let mut delegates = Vec::new();
    // Governments first: they are the first ten to ask.
    for (g, group) in Stakeholder::ALL.iter().enumerate() {
        for k in 0..PER_GROUP {
            let i = g * PER_GROUP + k;
            let who = participant(i, *group, Role::Delegate);
            rules::join(&mut room, &who, None, 0).expect("a delegate joins");
            rules::set_online(&mut room, &who.id, 1);
            delegates.push(Delegate {
                who,
                speaks_ms: rng.between(30_000, 180_000),
                // One a second, governments first.
                asks_at: Some(i as Millis * 1000),
            });
        }
    }
    let members = delegates.iter().map(|d| d.who.actor()).collect();
    let mut events = Vec::new();
    let apply = |room: &mut Room,
                 who: &Participant,
                 req: Request,
                 now: Millis,
                 events: &mut Vec<EventFrame>| {
        let ctx = Ctx { now, target: None };
        if let Ok(out) = rules::apply(room, who, &req, &ctx) {
            events.extend(out);
        }
    };
    let room_id = || "simulation".to_string();
    // (when the turn ends, whose turn)
    let mut speaking: Option<(Millis, usize)> = None;
    let mut now: Millis = 0;
    while now < MEETING_MS {
        // The next thing to happen: a request, or the end of a turn.
        let next_ask = delegates
            .iter()
            .enumerate()
            .filter_map(|(i, d)| d.asks_at.map(|t| (t, i)))
            .min();
        let next_end = speaking.map(|(t, _)| t);
        now = match (next_ask, next_end) {
            (Some((a, _)), Some(e)) => a.min(e),
            (Some((a, _)), None) => a,
            (None, Some(e)) => e,
            (None, None) => break,
        };
        if let Some((end, i)) = speaking {
            if end <= now {
                let who = delegates[i].who.clone();
                apply(
                    &mut room,
                    &who,
                    Request::Yield {
                        room: room_id(),
                        to: None,
                    },
                    now,
                    &mut events,
                );
                speaking = None;
                let mean = if who.stakeholder == Stakeholder::Government {
                    PAUSE_MS / 3
                } else {
                    PAUSE_MS
                };
                delegates[i].asks_at = Some(now + rng.pause(mean));
            }
        }
        if let Some((t, i)) = next_ask {
            if t <= now {
                let who = delegates[i].who.clone();
                apply(
                    &mut room,
                    &who,
                    Request::RequestFloor {
                        room: room_id(),
                        class: EntryClass::Speech,
                    },
                    now,
                    &mut events,
                );
                delegates[i].asks_at = None;
            }
        }
        if speaking.is_none() && !room.queue.is_empty() {
            apply(
                &mut room,
                &chair,
                Request::Next {
                    room: room_id(),
                    turn: None,
                },
                now,
                &mut events,
            );
            if let Some(holder) = room.floor.holder_id() {
                let i = delegates
                    .iter()
                    .position(|d| d.who.id == holder)
                    .expect("a delegate holds the floor");
                speaking = Some((now + delegates[i].speaks_ms, i));
            }
        }
    }
    Outcome { events, members }
}

fn main() {
    let policies = [
        (
            "fifo",
            QueuePolicy {
                order: QueueOrder::Fifo,
                balance_stakeholders: false,
            },
        ),
        (
            "fair",
            QueuePolicy {
                order: QueueOrder::Fair,
                balance_stakeholders: false,
            },
        ),
        (
            "fair + balance_stakeholders",
            QueuePolicy {
                order: QueueOrder::Fair,
                balance_stakeholders: true,
            },
        ),
    ];
    println!("seed {SEED:#x}: 60 delegations in 6 groups, governments ask first and 3x as often, 4 hours\n");
    let mut header =
        String::from("| policy | turns | Gini | max/min group share | precedence violations |");
    let mut rule = String::from("| --- | --- | --- | --- | --- |");
    for g in Stakeholder::ALL {
        header.push_str(&format!(" median wait, {} |", g.as_str().replace('_', " ")));
        rule.push_str(" --- |");
    }
    println!("{header}\n{rule}");
    for (name, policy) in policies {
        let outcome = meeting(policy);
        let f = fairness::compute(
            "simulation",
            &outcome.events,
            &outcome.members,
            Window::all(),
            MEETING_MS,
        );
        let shares: BTreeMap<_, _> = f
            .stakeholders
            .iter()
            .map(|g| (g.stakeholder, g.share))
            .collect();
        let max = shares.values().copied().fold(0.0, f64::max);
        let min = shares.values().copied().fold(f64::INFINITY, f64::min);
        let ratio = if min > 0.0 {
            format!("{:.2}", max / min)
        } else {
            "∞".into()
        };
        let mut row = format!(
            "| {name} | {} | {:.3} | {ratio} | {} |",
            f.turns,
            f.gini.unwrap_or(0.0),
            f.precedence_violations.len()
        );
        for g in Stakeholder::ALL {
            let wait = f
                .stakeholders
                .iter()
                .find(|x| x.stakeholder == g)
                .and_then(|x| x.wait_median_ms)
                .map(|ms| format!("{}:{:02}", ms / 60_000, ms / 1000 % 60))
                .unwrap_or_else(|| "-".into());
            row.push_str(&format!(" {wait} |"));
        }
        println!("{row}");
    }
}
