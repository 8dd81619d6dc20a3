//! The rule set, driven directly: no socket, no clock, no store.

use super::rules::{apply, join, set_online, tick, Ctx, Target};
use super::state::{Floor, Room, Settings};
use dais_protocol::{
    EntryClass, ErrorCode, Event, Mode, Participant, QueuePolicy, Request, Role, Stakeholder,
};

const T0: i64 = 1_800_000_000_000;

fn person(id: &str, delegation: &str, stakeholder: Stakeholder, role: Role) -> Participant {
    Participant {
        id: id.into(),
        name: id.to_uppercase(),
        delegation: delegation.into(),
        stakeholder,
        role,
        languages: vec![],
        guest: false,
    }
}

fn chair() -> Participant {
    person(
        "chair",
        "UN",
        Stakeholder::Intergovernmental,
        Role::Moderator,
    )
}

fn delegate(id: &str) -> Participant {
    person(
        id,
        &format!("del-{id}"),
        Stakeholder::Government,
        Role::Delegate,
    )
}

fn room(mode: Mode, policy: QueuePolicy, auto_advance: bool) -> Room {
    Room::new(
        "r".into(),
        Settings {
            titles: [("en".to_string(), "R".to_string())].into(),
            description: String::new(),
            mode,
            time_limit: 60,
            policy,
            auto_advance,
        },
    )
}

fn enter(room: &mut Room, who: &Participant) {
    join(room, who, None).expect("join");
    set_online(room, &who.id, 1);
}

fn at(now: i64) -> Ctx {
    Ctx { now, target: None }
}

fn say(text: &str) -> Request {
    Request::Say {
        room: "r".into(),
        text: text.into(),
        lang: "en".into(),
    }
}

fn req_floor() -> Request {
    Request::RequestFloor {
        room: "r".into(),
        class: EntryClass::Speech,
    }
}

fn next() -> Request {
    Request::Next {
        room: "r".into(),
        turn: None,
    }
}

#[test]
fn delegate_without_floor_cannot_speak() {
    let mut r = room(Mode::SpeakersList, QueuePolicy::default(), false);
    let a = delegate("a");
    enter(&mut r, &a);
    assert_eq!(
        apply(&mut r, &a, &say("hi"), &at(T0)),
        Err(ErrorCode::NotYourTurn)
    );
    assert_eq!(r.seq, 0, "a refused request changes nothing");
}

#[test]
fn next_gives_the_floor_to_the_head_of_the_queue_with_a_deadline() {
    let mut r = room(Mode::SpeakersList, QueuePolicy::default(), false);
    let (c, a) = (chair(), delegate("a"));
    enter(&mut r, &c);
    enter(&mut r, &a);
    apply(&mut r, &a, &req_floor(), &at(T0)).unwrap();
    let events = apply(&mut r, &c, &next(), &at(T0 + 5)).unwrap();
    match &events.last().unwrap().event {
        Event::FloorGranted { to, deadline, .. } => {
            assert_eq!(to.id, "a");
            assert_eq!(*deadline, T0 + 5 + 60_000);
        }
        other => panic!("{other:?}"),
    }
    assert!(r.queue.is_empty());
    assert!(apply(&mut r, &a, &say("hi"), &at(T0 + 6)).is_ok());
}

#[test]
fn the_clock_ends_a_turn_at_its_deadline_and_not_before() {
    let mut r = room(Mode::SpeakersList, QueuePolicy::default(), true);
    let (c, a, b) = (chair(), delegate("a"), delegate("b"));
    for p in [&c, &a, &b] {
        enter(&mut r, p);
    }
    apply(&mut r, &a, &req_floor(), &at(T0)).unwrap();
    apply(&mut r, &b, &req_floor(), &at(T0 + 1)).unwrap();
    apply(&mut r, &c, &next(), &at(T0 + 2)).unwrap();
    assert!(tick(&mut r, T0 + 2 + 59_999).is_empty());
    let events = tick(&mut r, T0 + 2 + 60_000);
    let kinds: Vec<&str> = events.iter().map(|e| e.event.kind()).collect();
    assert_eq!(kinds, ["turn_ended", "floor_granted"], "auto-advance to b");
    assert_eq!(r.floor.holder_id(), Some("b"));
    assert_eq!(r.speaking.participants["a"], 60_000);
}

#[test]
fn a_paused_clock_does_not_expire() {
    let mut r = room(Mode::SpeakersList, QueuePolicy::default(), false);
    let (c, a) = (chair(), delegate("a"));
    enter(&mut r, &c);
    enter(&mut r, &a);
    apply(
        &mut r,
        &c,
        &Request::Grant {
            room: "r".into(),
            participant: "a".into(),
            reason: None,
        },
        &at(T0),
    )
    .unwrap();
    apply(
        &mut r,
        &c,
        &Request::Pause { room: "r".into() },
        &at(T0 + 10_000),
    )
    .unwrap();
    assert!(tick(&mut r, T0 + 3_600_000).is_empty());
    apply(
        &mut r,
        &c,
        &Request::Resume { room: "r".into() },
        &at(T0 + 3_600_000),
    )
    .unwrap();
    let Floor::Held(turn) = &r.floor else {
        panic!("floor")
    };
    assert_eq!(turn.clock.remaining(T0 + 3_600_000), 50_000);
}

#[test]
fn a_stale_next_is_refused_and_skips_nobody() {
    let mut r = room(Mode::SpeakersList, QueuePolicy::default(), false);
    let (c, a, b) = (chair(), delegate("a"), delegate("b"));
    for p in [&c, &a, &b] {
        enter(&mut r, p);
    }
    apply(&mut r, &a, &req_floor(), &at(T0)).unwrap();
    apply(&mut r, &b, &req_floor(), &at(T0 + 1)).unwrap();
    apply(&mut r, &c, &next(), &at(T0 + 2)).unwrap();
    let turn = r.floor.turn().unwrap().id;
    let named = Request::Next {
        room: "r".into(),
        turn: Some(turn),
    };
    apply(&mut r, &c, &named, &at(T0 + 3)).unwrap();
    assert_eq!(
        apply(&mut r, &c, &named, &at(T0 + 3)),
        Err(ErrorCode::StaleTurn)
    );
    assert_eq!(r.floor.holder_id(), Some("b"));
}

#[test]
fn a_reply_names_an_existing_event_and_goes_before_speeches() {
    let mut r = room(Mode::SpeakersList, QueuePolicy::default(), false);
    let (a, b) = (delegate("a"), delegate("b"));
    enter(&mut r, &a);
    enter(&mut r, &b);
    apply(&mut r, &a, &req_floor(), &at(T0)).unwrap();
    let reply = Request::RequestReply {
        room: "r".into(),
        to: 1,
    };
    assert_eq!(
        apply(&mut r, &b, &reply, &at(T0 + 1)),
        Err(ErrorCode::UnknownEvent)
    );
    let target = Target {
        seq: 1,
        kind: "floor_requested".into(),
        author: Some("a".into()),
    };
    apply(
        &mut r,
        &b,
        &reply,
        &Ctx {
            now: T0 + 1,
            target: Some(target),
        },
    )
    .unwrap();
    let order: Vec<&str> = r.queue.iter().map(|e| e.who.id.as_str()).collect();
    assert_eq!(order, ["b", "a"]);
    assert_eq!(r.queue[0].class, EntryClass::Reply);
}

#[test]
fn one_counted_vote_per_delegation() {
    let mut r = room(Mode::SpeakersList, QueuePolicy::default(), false);
    let c = chair();
    let a1 = person("a1", "Kenya", Stakeholder::Government, Role::Delegate);
    let a2 = person("a2", "Kenya", Stakeholder::Government, Role::Delegate);
    for p in [&c, &a1, &a2] {
        enter(&mut r, p);
    }
    let open = Request::PollOpen {
        room: "r".into(),
        question: "Q".into(),
        options: None,
    };
    apply(&mut r, &c, &open, &at(T0)).unwrap();
    apply(
        &mut r,
        &a1,
        &Request::Vote {
            room: "r".into(),
            option: 1,
        },
        &at(T0),
    )
    .unwrap();
    apply(
        &mut r,
        &a2,
        &Request::Vote {
            room: "r".into(),
            option: 2,
        },
        &at(T0),
    )
    .unwrap();
    assert_eq!(r.poll.as_ref().unwrap().counts(), vec![0, 0, 1]);
}

#[test]
fn leaving_does_not_lift_a_mute() {
    let mut r = room(Mode::Open, QueuePolicy::default(), false);
    let (c, a) = (chair(), delegate("a"));
    enter(&mut r, &c);
    enter(&mut r, &a);
    let mute = Request::Mute {
        room: "r".into(),
        participant: "a".into(),
        seconds: None,
        reason: None,
    };
    apply(&mut r, &c, &mute, &at(T0)).unwrap();
    apply(&mut r, &a, &Request::Leave { room: "r".into() }, &at(T0)).unwrap();
    enter(&mut r, &a);
    assert_eq!(apply(&mut r, &a, &say("x"), &at(T0)), Err(ErrorCode::Muted));
}

#[test]
fn a_timed_mute_ends_by_itself() {
    let mut r = room(Mode::Open, QueuePolicy::default(), false);
    let (c, a) = (chair(), delegate("a"));
    enter(&mut r, &c);
    enter(&mut r, &a);
    let mute = Request::Mute {
        room: "r".into(),
        participant: "a".into(),
        seconds: Some(30),
        reason: None,
    };
    apply(&mut r, &c, &mute, &at(T0)).unwrap();
    assert_eq!(
        apply(&mut r, &a, &say("x"), &at(T0 + 29_999)),
        Err(ErrorCode::Muted)
    );
    assert!(apply(&mut r, &a, &say("x"), &at(T0 + 30_000)).is_ok());
}

#[test]
fn a_round_skips_who_went_offline_and_ends_after_the_last() {
    let mut r = room(Mode::RoundRobin, QueuePolicy::default(), false);
    let (c, a, b) = (chair(), delegate("a"), delegate("b"));
    for p in [&c, &a, &b] {
        enter(&mut r, p);
    }
    apply(
        &mut r,
        &c,
        &Request::StartRound { room: "r".into() },
        &at(T0),
    )
    .unwrap();
    let first = r.floor.holder_id().unwrap().to_string();
    let second = if first == "a" { "b" } else { "a" };
    set_online(&mut r, second, -1);
    let holder = if first == "a" { &a } else { &b };
    let events = apply(
        &mut r,
        holder,
        &Request::Pass { room: "r".into() },
        &at(T0 + 1),
    )
    .unwrap();
    let kinds: Vec<&str> = events.iter().map(|e| e.event.kind()).collect();
    assert_eq!(kinds, ["turn_ended", "round_ended"]);
    assert!(r.round.is_none());
}

/// The room actor saves no snapshot for these events, trusting that they
/// change nothing but seq (which a restart takes from the log). If a rule
/// ever makes one of them change the room, this fails first.
#[test]
fn speeches_interpretations_and_announcements_change_nothing_but_seq() {
    let interpreter = person(
        "int",
        "UN",
        Stakeholder::Intergovernmental,
        Role::Interpreter,
    );
    let a = delegate("a");
    for mode in [Mode::Open, Mode::SpeakersList] {
        let mut r = room(mode, QueuePolicy::default(), false);
        for who in [&chair(), &a, &interpreter] {
            enter(&mut r, who);
        }
        if mode == Mode::SpeakersList {
            apply(&mut r, &a, &req_floor(), &at(T0)).expect("request");
            apply(&mut r, &chair(), &next(), &at(T0)).expect("next");
        }
        let requests = [
            (a.clone(), say("on the record")),
            (
                chair(),
                Request::Announce {
                    room: "r".into(),
                    text: "coffee at four".into(),
                    lang: "en".into(),
                },
            ),
        ];
        for (who, request) in requests {
            let before = serde_json::to_value(&r).expect("room serializes");
            let events = apply(&mut r, &who, &request, &at(T0 + 1_000)).expect("accepted");
            assert_eq!(events.len(), 1);
            let mut after = serde_json::to_value(&r).expect("room serializes");
            after["seq"] = before["seq"].clone();
            assert_eq!(before, after, "{mode:?} {request:?}");
        }
        let spoken = r.seq;
        let ctx = Ctx {
            now: T0 + 2_000,
            target: Some(Target {
                seq: spoken,
                kind: "announcement".into(),
                author: Some("chair".into()),
            }),
        };
        let before = serde_json::to_value(&r).expect("room serializes");
        let interpret = Request::Interpret {
            room: "r".into(),
            of: spoken,
            text: "café à seize heures".into(),
            lang: "fr".into(),
        };
        apply(&mut r, &interpreter, &interpret, &ctx).expect("interpretation");
        let mut after = serde_json::to_value(&r).expect("room serializes");
        after["seq"] = before["seq"].clone();
        assert_eq!(before, after, "{mode:?} interpretation");
    }
}
