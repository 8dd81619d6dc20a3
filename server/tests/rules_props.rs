//! Property tests of a room's rule set: random sequences of requests from
//! random roles, with the clock jumping at random, never break the room's
//! invariants. Pure: no server, no socket.

use dais_protocol::{
    EntryClass, Mode, Participant, QueueOrder, QueuePolicy, Request, Role, Stakeholder,
};
use dais_server::room::rules::{apply, join, set_online, tick, Ctx, Target};
use dais_server::room::state::{Clock, Floor, Room, Settings};
use proptest::prelude::*;
use std::collections::BTreeSet;

fn cast() -> Vec<Participant> {
    let p = |id: &str, delegation: &str, stakeholder, role| Participant {
        id: id.into(),
        name: id.into(),
        delegation: delegation.into(),
        stakeholder,
        role,
        languages: vec![],
        guest: false,
    };
    vec![
        p(
            "chair",
            "UN",
            Stakeholder::Intergovernmental,
            Role::Moderator,
        ),
        p("ke1", "Kenya", Stakeholder::Government, Role::Delegate),
        p("ke2", "Kenya", Stakeholder::Government, Role::Delegate),
        p(
            "isoc",
            "ISOC",
            Stakeholder::TechnicalCommunity,
            Role::Delegate,
        ),
        p("eff", "EFF", Stakeholder::CivilSociety, Role::Delegate),
        p("obs", "Press", Stakeholder::CivilSociety, Role::Observer),
        p(
            "int",
            "UN",
            Stakeholder::Intergovernmental,
            Role::Interpreter,
        ),
    ]
}

#[derive(Debug, Clone)]
enum Step {
    /// Someone sends a request.
    Act(usize, Action),
    /// Someone joins, or their connection comes or goes.
    Join(usize),
    Online(usize, bool),
    /// Time passes.
    Wait(i64),
}

#[derive(Debug, Clone)]
enum Action {
    Say,
    RequestFloor(bool),
    Withdraw,
    Yield(Option<usize>),
    Pass,
    PointOfOrder,
    Reply(u64),
    Vote(u32),
    Next(Option<u64>),
    Grant(usize),
    Revoke,
    Pause,
    Resume,
    SetMode(u8),
    SetTimeLimit(u32),
    Reorder(Vec<usize>),
    ClearQueue,
    StartRound,
    Rule(u64),
    CloseList,
    OpenList,
    PollOpen,
    PollClose,
    Mute(usize, Option<u32>),
    Unmute(usize),
    Remove(usize),
    Leave,
}

fn action() -> impl Strategy<Value = Action> {
    prop_oneof![
        Just(Action::Say),
        any::<bool>().prop_map(Action::RequestFloor),
        Just(Action::Withdraw),
        proptest::option::of(0..7usize).prop_map(Action::Yield),
        Just(Action::Pass),
        Just(Action::PointOfOrder),
        (0..40u64).prop_map(Action::Reply),
        (0..4u32).prop_map(Action::Vote),
        proptest::option::of(0..10u64).prop_map(Action::Next),
        (0..7usize).prop_map(Action::Grant),
        Just(Action::Revoke),
        Just(Action::Pause),
        Just(Action::Resume),
        (0..4u8).prop_map(Action::SetMode),
        (0..100u32).prop_map(Action::SetTimeLimit),
        proptest::collection::vec(0..7usize, 0..6).prop_map(Action::Reorder),
        Just(Action::ClearQueue),
        Just(Action::StartRound),
        (0..40u64).prop_map(Action::Rule),
        Just(Action::CloseList),
        Just(Action::OpenList),
        Just(Action::PollOpen),
        Just(Action::PollClose),
        ((0..7usize), proptest::option::of(1..100u32)).prop_map(|(p, s)| Action::Mute(p, s)),
        (0..7usize).prop_map(Action::Unmute),
        (0..7usize).prop_map(Action::Remove),
        Just(Action::Leave),
    ]
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        6 => ((0..7usize), action()).prop_map(|(p, a)| Step::Act(p, a)),
        1 => (0..7usize).prop_map(Step::Join),
        1 => ((0..7usize), any::<bool>()).prop_map(|(p, on)| Step::Online(p, on)),
        2 => (0..90_000i64).prop_map(Step::Wait),
    ]
}

fn request(a: &Action, people: &[Participant], room: &Room) -> Request {
    let r = "r".to_string();
    let id = |i: &usize| people[*i].id.clone();
    match a {
        Action::Say => Request::Say {
            room: r,
            text: "words".into(),
            lang: "en".into(),
        },
        Action::RequestFloor(q) => Request::RequestFloor {
            room: r,
            class: if *q {
                EntryClass::ClarifyingQuestion
            } else {
                EntryClass::Speech
            },
        },
        Action::Withdraw => Request::Withdraw { room: r },
        Action::Yield(to) => Request::Yield {
            room: r,
            to: to.as_ref().map(id),
        },
        Action::Pass => Request::Pass { room: r },
        Action::PointOfOrder => Request::PointOfOrder {
            room: r,
            text: None,
        },
        Action::Reply(to) => Request::RequestReply { room: r, to: *to },
        Action::Vote(o) => Request::Vote {
            room: r,
            option: *o,
        },
        Action::Next(turn) => Request::Next {
            room: r,
            // Name the current turn most of the time, a stale one sometimes.
            turn: turn.map(|t| {
                if t < 7 {
                    room.floor.turn().map(|x| x.id).unwrap_or(t)
                } else {
                    t
                }
            }),
        },
        Action::Grant(p) => Request::Grant {
            room: r,
            participant: id(p),
            reason: None,
        },
        Action::Revoke => Request::Revoke {
            room: r,
            reason: None,
        },
        Action::Pause => Request::Pause { room: r },
        Action::Resume => Request::Resume { room: r },
        Action::SetMode(m) => Request::SetMode {
            room: r,
            mode: [
                Mode::SpeakersList,
                Mode::RoundRobin,
                Mode::Open,
                Mode::Suspended,
            ][*m as usize],
        },
        Action::SetTimeLimit(s) => Request::SetTimeLimit {
            room: r,
            seconds: *s,
        },
        Action::Reorder(order) => {
            // Mostly a real permutation of the queue, sometimes nonsense.
            let mut ids: Vec<String> = room.queue.iter().map(|e| e.who.id.clone()).collect();
            if order.len() % 2 == 0 {
                ids.reverse();
            } else {
                ids = order.iter().map(id).collect();
            }
            Request::ReorderQueue {
                room: r,
                order: ids,
                reason: None,
            }
        }
        Action::ClearQueue => Request::ClearQueue {
            room: r,
            reason: None,
        },
        Action::StartRound => Request::StartRound { room: r },
        Action::Rule(p) => Request::Rule {
            room: r,
            point: Some(*p),
            all: false,
            ruling: "ruled".into(),
            upheld: None,
        },
        Action::CloseList => Request::CloseList {
            room: r,
            reason: None,
        },
        Action::OpenList => Request::OpenList { room: r },
        Action::PollOpen => Request::PollOpen {
            room: r,
            question: "Agree?".into(),
            options: None,
        },
        Action::PollClose => Request::PollClose { room: r },
        Action::Mute(p, s) => Request::Mute {
            room: r,
            participant: id(p),
            seconds: *s,
            reason: None,
        },
        Action::Unmute(p) => Request::Unmute {
            room: r,
            participant: id(p),
        },
        Action::Remove(p) => Request::Remove {
            room: r,
            participant: id(p),
            reason: None,
        },
        Action::Leave => Request::Leave { room: r },
    }
}

fn check(
    room: &Room,
    now: i64,
    last_seq: &mut u64,
    events: &[dais_protocol::EventFrame],
) -> Result<(), TestCaseError> {
    // seq strictly increasing, no gap.
    for e in events {
        prop_assert_eq!(e.seq, *last_seq + 1);
        *last_seq = e.seq;
    }
    prop_assert_eq!(room.seq, *last_seq);
    // At most one holder (the type says so); the holder is a member, and a
    // running turn's deadline is in the future (tick ended it otherwise).
    if let Floor::Held(turn) = &room.floor {
        prop_assert!(
            room.members.contains_key(&turn.holder.id),
            "holder {} not a member",
            turn.holder.id
        );
        if let Clock::Running { deadline } = turn.clock {
            prop_assert!(
                deadline > now,
                "deadline {} not after now {}",
                deadline,
                now
            );
        }
        prop_assert!(
            !room.queue.iter().any(|e| e.who.id == turn.holder.id),
            "the holder is also queued"
        );
    }
    // Nobody in the queue twice, and everyone queued is a member.
    let mut seen = BTreeSet::new();
    for e in &room.queue {
        prop_assert!(seen.insert(&e.who.id), "{} queued twice", e.who.id);
        prop_assert!(room.members.contains_key(&e.who.id));
    }
    // Class precedence holds in the queue.
    prop_assert!(room.queue.windows(2).all(|w| w[0].class <= w[1].class));
    // Speaking time adds up, however it is cut.
    let t = &room.speaking;
    prop_assert_eq!(t.participants.values().sum::<i64>(), t.total_ms);
    prop_assert_eq!(t.delegations.values().sum::<i64>(), t.total_ms);
    prop_assert_eq!(t.stakeholders.values().sum::<i64>(), t.total_ms);
    prop_assert!(t.total_ms >= 0);
    // What is kept alongside the members agrees with them.
    let online = room.members.values().filter(|m| m.connections > 0).count() as u32;
    prop_assert_eq!(room.online(), online);
    prop_assert_eq!(room.by_name.len(), room.members.len());
    prop_assert!(room
        .by_name
        .iter()
        .all(|(_, id)| room.members.contains_key(id)));
    let counts = room.counts();
    prop_assert_eq!(counts.members as usize, room.members.len());
    prop_assert_eq!(counts.online, online);
    prop_assert_eq!(
        counts.roles.values().map(|t| t.members).sum::<u32>(),
        counts.members
    );
    // Pending points stay within their limits.
    prop_assert!(room.points.len() <= room.limits.points_per_room);
    // One counted vote per delegation.
    if let Some(poll) = &room.poll {
        prop_assert_eq!(poll.counts().iter().sum::<u32>() as usize, poll.votes.len());
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn random_sessions_keep_the_invariants(
        steps in proptest::collection::vec(step(), 1..120),
        fair in any::<bool>(),
        balance in any::<bool>(),
        auto in any::<bool>(),
    ) {
        let people = cast();
        let policy = QueuePolicy {
            order: if fair { QueueOrder::Fair } else { QueueOrder::Fifo },
            balance_stakeholders: balance,
        };
        let mut room = Room::new("r".into(), Settings {
            titles: [("en".to_string(), "R".to_string())].into(),
            description: String::new(),
            mode: Mode::SpeakersList,
            time_limit: 30,
            policy,
            auto_advance: auto,
            public: false,
        });
        let mut now = 1_800_000_000_000i64;
        let mut last_seq = 0;
        for p in &people {
            join(&mut room, p, None, 0).unwrap();
            set_online(&mut room, &p.id, 1);
        }
        for s in steps {
            let events = match s {
                Step::Wait(ms) => {
                    now += ms;
                    tick(&mut room, now)
                }
                Step::Join(i) => {
                    let _ = join(&mut room, &people[i], None, 0);
                    vec![]
                }
                Step::Online(i, on) => {
                    let connected = room.members.get(&people[i].id).map(|m| m.connections > 0);
                    if connected == Some(!on) {
                        set_online(&mut room, &people[i].id, if on { 1 } else { -1 });
                    }
                    vec![]
                }
                Step::Act(i, a) => {
                    let req = request(&a, &people, &room);
                    let target = match &req {
                        Request::RequestReply { to, .. } if *to >= 1 && *to <= room.seq => {
                            Some(Target { seq: *to, kind: "speech".into(), author: Some("ke1".into()) })
                        }
                        _ => None,
                    };
                    let before = room.clone();
                    match apply(&mut room, &people[i], &req, &Ctx { now, target }) {
                        Ok(events) => events,
                        Err(_) => {
                            prop_assert_eq!(&room, &before, "a refused request changed the room");
                            vec![]
                        }
                    }
                }
            };
            // The actor ticks whenever a deadline passes; do the same.
            let mut events = events;
            events.extend(tick(&mut room, now));
            check(&room, now, &mut last_seq, &events)?;
        }
    }
}
