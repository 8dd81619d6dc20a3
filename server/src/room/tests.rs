//! The rule set, driven directly: no socket, no clock, no store.

use super::rules::{apply, depart_guest, join, set_online, tick, Ctx, Target};
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
            public: false,
        },
    )
}

fn enter(room: &mut Room, who: &Participant) {
    join(room, who, None, 0).expect("join");
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

// ---- protocol 2 and the second round of hardening ----

fn guest(id: &str, role: Role) -> Participant {
    Participant {
        guest: true,
        ..person(id, "", Stakeholder::CivilSociety, role)
    }
}

fn observer(id: &str) -> Participant {
    person(id, "Press", Stakeholder::CivilSociety, Role::Observer)
}

#[test]
fn clearing_an_empty_list_and_unmuting_the_unmuted_record_nothing() {
    let mut r = room(Mode::SpeakersList, QueuePolicy::default(), false);
    let (c, a) = (chair(), delegate("a"));
    enter(&mut r, &c);
    enter(&mut r, &a);
    let clear = Request::ClearQueue {
        room: "r".into(),
        reason: None,
    };
    assert_eq!(apply(&mut r, &c, &clear, &at(T0)), Ok(vec![]));
    let unmute = Request::Unmute {
        room: "r".into(),
        participant: "a".into(),
    };
    assert_eq!(apply(&mut r, &c, &unmute, &at(T0)), Ok(vec![]));
    assert_eq!(r.seq, 0);
    // With someone queued, or muted, each is an event.
    apply(&mut r, &a, &req_floor(), &at(T0)).unwrap();
    assert_eq!(apply(&mut r, &c, &clear, &at(T0)).unwrap().len(), 1);
    let mute = Request::Mute {
        room: "r".into(),
        participant: "a".into(),
        seconds: Some(10),
        reason: None,
    };
    apply(&mut r, &c, &mute, &at(T0)).unwrap();
    assert_eq!(apply(&mut r, &c, &unmute, &at(T0 + 1)).unwrap().len(), 1);
    // A timed mute that ran out is not there to lift.
    apply(&mut r, &c, &mute, &at(T0)).unwrap();
    assert_eq!(apply(&mut r, &c, &unmute, &at(T0 + 20_000)), Ok(vec![]));
}

#[test]
fn an_observer_can_never_be_given_the_floor() {
    let mut r = room(Mode::SpeakersList, QueuePolicy::default(), false);
    let (c, a, o) = (chair(), delegate("a"), observer("o"));
    for p in [&c, &a, &o] {
        enter(&mut r, p);
    }
    let grant = |who: &str| Request::Grant {
        room: "r".into(),
        participant: who.into(),
        reason: None,
    };
    assert_eq!(
        apply(&mut r, &c, &grant("o"), &at(T0)),
        Err(ErrorCode::CannotHoldFloor)
    );
    apply(&mut r, &c, &grant("a"), &at(T0)).unwrap();
    let yield_to = Request::Yield {
        room: "r".into(),
        to: Some("o".into()),
    };
    assert_eq!(
        apply(&mut r, &a, &yield_to, &at(T0 + 1)),
        Err(ErrorCode::CannotHoldFloor)
    );
    assert_eq!(r.floor.holder_id(), Some("a"));
}

#[test]
fn points_of_order_are_capped_per_participant_and_per_room() {
    let mut r = room(Mode::SpeakersList, QueuePolicy::default(), false);
    r.limits.points_per_room = 2;
    let (c, a, b, d) = (chair(), delegate("a"), delegate("b"), delegate("d"));
    for p in [&c, &a, &b, &d] {
        enter(&mut r, p);
    }
    let point = Request::PointOfOrder {
        room: "r".into(),
        text: Some("x".repeat(4000)),
    };
    apply(&mut r, &a, &point, &at(T0)).unwrap();
    assert_eq!(
        apply(&mut r, &a, &point, &at(T0)),
        Err(ErrorCode::TooManyPoints),
        "one pending point each"
    );
    apply(&mut r, &b, &point, &at(T0)).unwrap();
    assert_eq!(
        apply(&mut r, &d, &point, &at(T0)),
        Err(ErrorCode::TooManyPoints),
        "the room's cap"
    );
    // room_state shows a preview, not 4,000 characters per point.
    let view = r.view(T0);
    assert!(view.points_of_order.iter().all(|p| p.truncated
        && p.text.as_ref().unwrap().chars().count() == crate::room::state::POINT_PREVIEW_CHARS));
    // One ruling on all of them at once: a ruling event each.
    let rule_all = Request::Rule {
        room: "r".into(),
        point: None,
        all: true,
        ruling: "Noted".into(),
        upheld: None,
    };
    let events = apply(&mut r, &c, &rule_all, &at(T0 + 1)).unwrap();
    assert_eq!(events.len(), 2);
    assert!(r.points.is_empty());
    assert_eq!(
        apply(&mut r, &c, &rule_all, &at(T0 + 1)),
        Err(ErrorCode::UnknownPoint)
    );
    let both = Request::Rule {
        room: "r".into(),
        point: Some(1),
        all: true,
        ruling: "Noted".into(),
        upheld: None,
    };
    assert_eq!(
        apply(&mut r, &c, &both, &at(T0 + 1)),
        Err(ErrorCode::InvalidField)
    );
    // Now there is room for the third delegate's point.
    apply(&mut r, &d, &point, &at(T0 + 2)).unwrap();
}

#[test]
fn chairs_cannot_mute_or_remove_chairs() {
    let mut r = room(Mode::SpeakersList, QueuePolicy::default(), false);
    let c = chair();
    let vice = person(
        "vice",
        "UN",
        Stakeholder::Intergovernmental,
        Role::Moderator,
    );
    enter(&mut r, &c);
    enter(&mut r, &vice);
    for request in [
        Request::Mute {
            room: "r".into(),
            participant: "chair".into(),
            seconds: None,
            reason: None,
        },
        Request::Remove {
            room: "r".into(),
            participant: "chair".into(),
            reason: None,
        },
        Request::Unmute {
            room: "r".into(),
            participant: "chair".into(),
        },
    ] {
        assert_eq!(
            apply(&mut r, &vice, &request, &at(T0)),
            Err(ErrorCode::Forbidden),
            "{request:?}"
        );
    }
    assert!(r.members.contains_key("chair"));
}

#[test]
fn a_removed_guest_cannot_come_back_under_a_new_name_from_the_same_address_for_a_day() {
    let mut r = room(Mode::Open, QueuePolicy::default(), false);
    let c = chair();
    enter(&mut r, &c);
    let addr: std::net::IpAddr = [203, 0, 113, 7].into();
    let g1 = guest("g-1", Role::Delegate);
    join(&mut r, &g1, Some(addr), T0).unwrap();
    set_online(&mut r, "g-1", 1);
    let remove = Request::Remove {
        room: "r".into(),
        participant: "g-1".into(),
        reason: None,
    };
    apply(&mut r, &c, &remove, &at(T0)).unwrap();
    assert_eq!(join(&mut r, &g1, Some(addr), T0), Err(ErrorCode::Removed));
    let g2 = guest("g-2", Role::Delegate);
    assert_eq!(
        join(&mut r, &g2, Some(addr), T0 + 1),
        Err(ErrorCode::Removed)
    );
    // Another address is another guest; a registered delegate is never
    // refused for the address.
    assert!(join(&mut r, &g2, Some([198, 51, 100, 1].into()), T0 + 1).is_ok());
    assert!(join(&mut r, &delegate("a"), Some(addr), T0 + 1).is_ok());
    // The address is held for a day only.
    let g3 = guest("g-3", Role::Delegate);
    let day = crate::room::state::ADDRESS_HOLD_MS;
    assert!(join(&mut r, &g3, Some(addr), T0 + day + 1).is_ok());
}

#[test]
fn a_muted_guests_address_stays_muted_for_new_guests() {
    let mut r = room(Mode::Open, QueuePolicy::default(), false);
    let c = chair();
    enter(&mut r, &c);
    let addr: std::net::IpAddr = [203, 0, 113, 7].into();
    let g1 = guest("g-1", Role::Delegate);
    join(&mut r, &g1, Some(addr), T0).unwrap();
    let mute = Request::Mute {
        room: "r".into(),
        participant: "g-1".into(),
        seconds: None,
        reason: None,
    };
    apply(&mut r, &c, &mute, &at(T0)).unwrap();
    let g2 = guest("g-2", Role::Delegate);
    join(&mut r, &g2, Some(addr), T0 + 1).unwrap();
    assert_eq!(
        apply(&mut r, &g2, &say("hello"), &at(T0 + 2)),
        Err(ErrorCode::Muted)
    );
    let day = crate::room::state::ADDRESS_HOLD_MS;
    assert!(apply(&mut r, &g2, &say("hello"), &at(T0 + day + 1)).is_ok());
    // The first guest's own mute has no end.
    assert!(r.is_muted("g-1", T0 + 10 * day));
}

#[test]
fn a_guest_who_goes_leaves_the_room_and_the_floor() {
    let mut r = room(Mode::SpeakersList, QueuePolicy::default(), false);
    let c = chair();
    enter(&mut r, &c);
    let g = guest("g-1", Role::Delegate);
    join(&mut r, &g, None, T0).unwrap();
    set_online(&mut r, "g-1", 1);
    let grant = Request::Grant {
        room: "r".into(),
        participant: "g-1".into(),
        reason: None,
    };
    apply(&mut r, &c, &grant, &at(T0)).unwrap();
    assert!(set_online(&mut r, "g-1", -1));
    let mut out = Vec::new();
    assert!(depart_guest(&mut r, "g-1", T0 + 5_000, &mut out));
    assert!(!r.members.contains_key("g-1"));
    assert_eq!(r.floor.holder_id(), None);
    assert_eq!(out.len(), 1, "{out:?}");
    assert!(matches!(
        out[0].event,
        Event::TurnEnded {
            reason: dais_protocol::TurnEndReason::HolderLeft,
            ..
        }
    ));
    // A registered delegate who goes offline stays a member.
    let a = delegate("a");
    enter(&mut r, &a);
    set_online(&mut r, "a", -1);
    assert!(!depart_guest(&mut r, "a", T0, &mut out));
    assert!(r.members.contains_key("a"));
}

#[test]
fn interpreting_ones_own_message_is_allowed_anyone_elses_is_not() {
    let mut r = room(Mode::Open, QueuePolicy::default(), false);
    let (a, b) = (delegate("a"), delegate("b"));
    enter(&mut r, &a);
    enter(&mut r, &b);
    let interpret = Request::Interpret {
        room: "r".into(),
        of: 1,
        text: "Bonjour".into(),
        lang: "fr".into(),
    };
    let target = |author: &str| Ctx {
        now: T0,
        target: Some(Target {
            seq: 1,
            kind: "speech".into(),
            author: Some(author.into()),
        }),
    };
    assert!(apply(&mut r, &a, &interpret, &target("a")).is_ok());
    assert_eq!(
        apply(&mut r, &b, &interpret, &target("a")),
        Err(ErrorCode::Forbidden)
    );
}

#[test]
fn after_an_outage_a_running_turn_is_paused_with_the_time_it_had() {
    use super::rules::restore;
    use dais_protocol::OutageCause;
    let mut r = room(Mode::SpeakersList, QueuePolicy::default(), false);
    let (c, a) = (chair(), delegate("a"));
    enter(&mut r, &c);
    enter(&mut r, &a);
    let grant = Request::Grant {
        room: "r".into(),
        participant: "a".into(),
        reason: None,
    };
    apply(&mut r, &c, &grant, &at(T0)).unwrap();
    // Down at T0 + 20 s (40 s left), back at T0 + 100 s.
    let events = restore(
        &mut r,
        T0 + 20_000,
        T0 + 100_000,
        OutageCause::Restart,
        None,
        None,
    );
    assert_eq!(events.len(), 1);
    match &events[0].event {
        Event::ServiceRestored {
            remaining_ms, turn, ..
        } => {
            assert_eq!(*remaining_ms, Some(40_000));
            assert_eq!(*turn, Some(1));
        }
        other => panic!("{other:?}"),
    }
    assert!(
        tick(&mut r, T0 + 1_000_000).is_empty(),
        "paused, it cannot expire"
    );
    // A restart with nothing running records nothing; a failover always does.
    let mut quiet = room(Mode::SpeakersList, QueuePolicy::default(), false);
    assert!(restore(&mut quiet, T0, T0 + 5, OutageCause::Restart, None, None).is_empty());
    let failover = restore(
        &mut quiet,
        T0,
        T0 + 5,
        OutageCause::Failover,
        Some("dais-2".into()),
        Some("dais-1".into()),
    );
    assert_eq!(failover.len(), 1);
}

#[test]
fn a_chair_publishes_and_unpublishes_the_record_with_an_event_naming_them() {
    let mut r = room(Mode::SpeakersList, QueuePolicy::default(), false);
    let c = chair();
    let a = delegate("a");
    enter(&mut r, &c);
    enter(&mut r, &a);
    assert!(!r.public);
    let publish = Request::RoomPublish { room: "r".into() };
    assert_eq!(
        apply(&mut r, &a, &publish, &at(T0)),
        Err(ErrorCode::Forbidden),
        "a delegate may not"
    );
    let events = apply(&mut r, &c, &publish, &at(T0)).unwrap();
    assert!(
        matches!(&events[..], [e] if matches!(&e.event, Event::RoomPublished { by } if by.id == c.id))
    );
    assert!(r.public);
    assert!(
        apply(&mut r, &c, &publish, &at(T0)).unwrap().is_empty(),
        "already public: nothing to record"
    );
    let events = apply(
        &mut r,
        &c,
        &Request::RoomUnpublish { room: "r".into() },
        &at(T0),
    )
    .unwrap();
    assert!(matches!(&events[..], [e] if matches!(&e.event, Event::RoomUnpublished { .. })));
    assert!(!r.public);
}

#[test]
fn fair_order_gives_a_first_turn_before_balancing_the_groups() {
    let policy = QueuePolicy {
        order: dais_protocol::QueueOrder::Fair,
        balance_stakeholders: true,
    };
    let mut r = room(Mode::SpeakersList, policy, false);
    let quiet = person("c", "Civil", Stakeholder::CivilSociety, Role::Delegate);
    let first_timer = delegate("g2");
    enter(&mut r, &quiet);
    enter(&mut r, &first_timer);
    // The governments have spoken a lot (another delegation), civil society
    // a little, and that little was this delegate's.
    r.speaking
        .stakeholders
        .insert(Stakeholder::Government, 100_000);
    r.speaking
        .stakeholders
        .insert(Stakeholder::CivilSociety, 10_000);
    r.speaking.participants.insert("c".into(), 10_000);
    apply(&mut r, &quiet, &req_floor(), &at(T0)).unwrap();
    apply(&mut r, &first_timer, &req_floor(), &at(T0 + 1)).unwrap();
    let order: Vec<&str> = r.queue.iter().map(|e| e.who.id.as_str()).collect();
    assert_eq!(
        order,
        ["g2", "c"],
        "nobody speaks twice before everyone who asked spoke once"
    );
}
