//! Commands per second through the room's pure rule set
//! (`dais_server::room::rules::apply`), with no socket, store or clock.
//!
//! Run with `cargo bench -p dais-server --bench rules`. A plain timing loop
//! (no harness): each case runs for about a second, three times, and the
//! best run is reported, since the machines are shared and noisy.
//!
//! Besides `apply`, one case times what the room actor does with every
//! event it publishes: serialize the event and the whole room snapshot
//! (the store keeps the snapshot with each event), for rooms of several
//! sizes, because that cost grows with the room while `apply` does not.

use dais_protocol::{EntryClass, Mode, Participant, QueuePolicy, Request, Role, Stakeholder};
use dais_server::room::rules::{self, Ctx};
use dais_server::room::state::{Room, Settings};
use std::collections::BTreeMap;
use std::hint::black_box;
use std::time::{Duration, Instant};

const ROOM: &str = "bench";
const TEXT: &str = "Thank you, Chair. We support the proposal and wish to add a word on capacity building for developing countries.";

fn person(i: usize, role: Role) -> Participant {
    Participant {
        id: format!("p-{i:010}"),
        name: format!("Delegate {i}"),
        delegation: format!("Delegation {i}"),
        stakeholder: Stakeholder::ALL[i % Stakeholder::ALL.len()],
        role,
        languages: vec!["en".into()],
        guest: false,
    }
}

/// A room with a chair (participant 0) and `members` delegates, all joined.
fn room(mode: Mode, members: usize) -> (Room, Participant, Vec<Participant>) {
    let mut titles = BTreeMap::new();
    titles.insert("en".to_string(), "Bench".to_string());
    let settings = Settings {
        titles,
        description: String::new(),
        mode,
        time_limit: 120,
        policy: QueuePolicy::default(),
        auto_advance: false,
        public: false,
    };
    let mut room = Room::new(ROOM.into(), settings);
    let chair = person(0, Role::Moderator);
    rules::join(&mut room, &chair, None, 0).expect("chair joins");
    rules::set_online(&mut room, &chair.id, 1);
    let delegates: Vec<Participant> = (1..=members).map(|i| person(i, Role::Delegate)).collect();
    for d in &delegates {
        rules::join(&mut room, d, None, 0).expect("delegate joins");
        rules::set_online(&mut room, &d.id, 1);
    }
    (room, chair, delegates)
}

/// Run `step` (which does `per_step` commands) for about `secs`, three
/// times; print the best rate.
fn bench(name: &str, per_step: u64, secs: f64, mut step: impl FnMut(u64)) {
    let mut best = 0.0f64;
    let mut n = 0u64;
    for _ in 0..3 {
        let start = Instant::now();
        let mut steps = 0u64;
        while start.elapsed() < Duration::from_secs_f64(secs) {
            for _ in 0..64 {
                step(n);
                n += 1;
                steps += 1;
            }
        }
        let rate = (steps * per_step) as f64 / start.elapsed().as_secs_f64();
        best = best.max(rate);
    }
    println!(
        "{name:<44} {:>12.0} commands/s  {:>8.0} ns/command",
        best,
        1e9 / best
    );
}

fn main() {
    // `cargo bench` passes `--bench`; a name filters the cases.
    let filter: Option<String> = std::env::args().skip(1).find(|a| !a.starts_with('-'));
    let run = |name: &str| filter.as_deref().is_none_or(|f| name.contains(f));
    let ctx = |now| Ctx { now, target: None };
    println!("rules::apply, best of 3 runs of ~1 s each");

    for members in [10, 1000] {
        let name = format!("say, open room, {members} members");
        if run(&name) {
            let (mut r, _, delegates) = room(Mode::Open, members);
            let say = Request::Say {
                room: ROOM.into(),
                text: TEXT.into(),
                lang: "en".into(),
            };
            let who = &delegates[0];
            bench(&name, 1, 1.0, |n| {
                let events = rules::apply(&mut r, who, &say, &ctx(n as i64)).expect("say");
                black_box(events);
            });
        }
    }

    let name = "refused: say without the floor".to_string();
    if run(&name) {
        let (mut r, _, delegates) = room(Mode::SpeakersList, 10);
        let say = Request::Say {
            room: ROOM.into(),
            text: TEXT.into(),
            lang: "en".into(),
        };
        bench(&name, 1, 1.0, |n| {
            let refused = rules::apply(&mut r, &delegates[1], &say, &ctx(n as i64));
            black_box(refused).expect_err("not their turn");
        });
    }

    for members in [20, 200] {
        let name = format!("turn: request, next, say, yield; {members} members");
        if run(&name) {
            // Everyone but the speaker waits on the list, so `next` sorts a
            // long queue, as in a busy debate.
            let (mut r, chair, delegates) = room(Mode::SpeakersList, members);
            let request = Request::RequestFloor {
                room: ROOM.into(),
                class: EntryClass::Speech,
            };
            for (i, d) in delegates.iter().enumerate() {
                rules::apply(&mut r, d, &request, &ctx(i as i64)).expect("request");
            }
            let next = Request::Next {
                room: ROOM.into(),
                turn: None,
            };
            let say = Request::Say {
                room: ROOM.into(),
                text: TEXT.into(),
                lang: "en".into(),
            };
            let give_back = Request::Yield {
                room: ROOM.into(),
                to: None,
            };
            let mut now = 1_000_000i64;
            bench(&name, 4, 1.0, |_| {
                now += 10;
                let granted = rules::apply(&mut r, &chair, &next, &ctx(now)).expect("next");
                let holder = r
                    .floor
                    .holder_id()
                    .expect("someone has the floor")
                    .to_string();
                let who = delegates
                    .iter()
                    .find(|d| d.id == holder)
                    .expect("a delegate");
                let spoke = rules::apply(&mut r, who, &say, &ctx(now + 1)).expect("say");
                let yielded = rules::apply(&mut r, who, &give_back, &ctx(now + 2)).expect("yield");
                let asked = rules::apply(&mut r, who, &request, &ctx(now + 3)).expect("request");
                black_box((granted, spoke, yielded, asked));
            });
        }
    }

    println!();
    println!("what the actor adds per published event: the event's JSON and the room snapshot's");
    for members in [10, 200, 2000] {
        let name = format!("serialize event + snapshot, {members} members");
        if run(&name) {
            let (mut r, _, delegates) = room(Mode::Open, members);
            let say = Request::Say {
                room: ROOM.into(),
                text: TEXT.into(),
                lang: "en".into(),
            };
            let events = rules::apply(&mut r, &delegates[0], &say, &ctx(1)).expect("say");
            let snapshot_bytes = serde_json::to_string(&r).expect("snapshot").len();
            bench(&name, 1, 1.0, |_| {
                let body = serde_json::to_string(&events[0]).expect("event");
                let snapshot = serde_json::to_string(&r).expect("snapshot");
                black_box((body, snapshot));
            });
            println!("{:<44} {snapshot_bytes:>12} bytes of snapshot", "");
        }
    }
}
