//! A moderated debate to test against: a speaker holding the floor with the
//! clock running, a queue with you in it, a point of order, an open poll,
//! speeches in English, Chinese, Arabic and Hebrew, with emoji, and a guest
//! among the members.

use dais_protocol::{
    Actor, ClockView, Counts, DelegationFigures, EntryClass, Event, EventFrame, Fairness,
    FloorView, GroupFigures, Intervention, InterventionKind, MemberView, Mode, Participant,
    PointView, PollView, PrecedenceViolation, QueueEntryView, QueuePolicy, Request, RequestId,
    Requests, Role, RoomState, RoomSummary, ServerFrame, SpeakingTime, Stakeholder, Tally, You,
};

use crate::app::{update, Action, App, Effect, Millis, NetEvent};
use crate::bidi::BidiMode;
use crate::i18n::Localizer;

/// 2026-11-28 14:05:00 UTC.
pub const NOW: Millis = 1_795_874_700_000;
pub const ROOM: &str = "plenary";

pub fn actor(id: &str, name: &str, delegation: &str, group: Stakeholder, role: Role) -> Actor {
    Actor {
        id: id.into(),
        name: name.into(),
        delegation: delegation.into(),
        stakeholder: group,
        role,
        guest: false,
    }
}

pub fn chair() -> Actor {
    actor(
        "p-chair",
        "María López",
        "Chair",
        Stakeholder::Intergovernmental,
        Role::Moderator,
    )
}
pub fn brazil() -> Actor {
    actor(
        "p-br",
        "Ana Silva",
        "Brazil",
        Stakeholder::Government,
        Role::Delegate,
    )
}
pub fn france() -> Actor {
    actor(
        "p-fr",
        "Luc Martin",
        "France",
        Stakeholder::Government,
        Role::Delegate,
    )
}
pub fn kenya() -> Actor {
    actor(
        "p-ke",
        "Wanjiru Kamau",
        "Kenya",
        Stakeholder::Government,
        Role::Delegate,
    )
}
pub fn china() -> Actor {
    actor(
        "p-cn",
        "王芳",
        "中国",
        Stakeholder::Government,
        Role::Delegate,
    )
}
pub fn egypt() -> Actor {
    actor(
        "p-eg",
        "ليلى حداد",
        "مصر",
        Stakeholder::CivilSociety,
        Role::Delegate,
    )
}
pub fn isoc() -> Actor {
    actor(
        "p-is",
        "Noa Levi",
        "Internet Society",
        Stakeholder::TechnicalCommunity,
        Role::Delegate,
    )
}

/// A guest who came in by name: an observer, as the server makes guests
/// by default.
pub fn guest() -> Actor {
    Actor {
        guest: true,
        ..actor(
            "g-ln",
            "Lena Novak",
            "",
            Stakeholder::CivilSociety,
            Role::Observer,
        )
    }
}

pub fn participant(actor: &Actor) -> Participant {
    Participant {
        id: actor.id.clone(),
        name: actor.name.clone(),
        delegation: actor.delegation.clone(),
        stakeholder: actor.stakeholder,
        role: actor.role,
        languages: Vec::new(),
        guest: actor.guest,
    }
}

/// The room list, titled in `lang` as the server would title it: the
/// room's title in that language, else in English.
pub fn rooms_in(lang: &str) -> Vec<RoomSummary> {
    let room = |id: &str, t: &[(&str, &str)], mode: Mode, last_seq: u64| RoomSummary {
        id: id.into(),
        title: t
            .iter()
            .find(|(tag, _)| *tag == lang)
            .or_else(|| t.iter().find(|(tag, _)| *tag == "en"))
            .map(|(_, title)| (*title).to_owned())
            .unwrap_or_default(),
        description: String::new(),
        mode,
        locked: false,
        last_seq,
        online: 6,
    };
    vec![
        room(
            ROOM,
            &[
                ("en", "Plenary"),
                ("fr", "Plénière"),
                ("es", "Plenaria"),
                ("ru", "Пленарное"),
                ("zh-CN", "全体会议"),
                ("ar", "الجلسة العامة"),
            ],
            Mode::SpeakersList,
            9,
        ),
        room(
            "cyber",
            &[
                ("en", "Cyber security"),
                ("fr", "Cybersécurité"),
                ("zh-CN", "网络安全"),
                ("ar", "الأمن السيبراني"),
            ],
            Mode::RoundRobin,
            3,
        ),
        room("access", &[("en", "Access and inclusion")], Mode::Open, 0),
    ]
}

/// The room list in English.
pub fn rooms() -> Vec<RoomSummary> {
    rooms_in("en")
}

/// Everyone in the plenary, as `members` pages them (Egypt offline).
pub fn members() -> Vec<MemberView> {
    let member = |who: Actor, online: bool, speaking_ms: i64| MemberView {
        who,
        online,
        muted: false,
        muted_until: None,
        speaking_ms,
    };
    vec![
        member(brazil(), true, 97_000),
        member(guest(), true, 0),
        member(france(), true, 180_000),
        member(chair(), true, 0),
        member(isoc(), true, 60_000),
        member(kenya(), true, 42_000),
        member(egypt(), false, 150_000),
        member(china(), true, 175_000),
    ]
}

/// What `members()` counts to.
pub fn counts() -> Counts {
    let mut counts = Counts::default();
    for m in members() {
        let bump = |t: &mut Tally| {
            t.members += 1;
            t.online += u32::from(m.online);
        };
        counts.members += 1;
        counts.online += u32::from(m.online);
        bump(counts.roles.entry(m.who.role).or_default());
        bump(counts.stakeholders.entry(m.who.stakeholder).or_default());
        if m.who.guest {
            bump(&mut counts.guests);
        }
    }
    counts
}

fn event(seq: u64, minutes_ago: i64, event: Event) -> EventFrame {
    EventFrame {
        room: ROOM.into(),
        seq,
        ts: NOW - minutes_ago * 60_000,
        event,
    }
}

pub fn events() -> Vec<EventFrame> {
    vec![
        event(1, 30, Event::Announcement {
            by: chair(),
            text: "Welcome to the plenary. Each delegation has three minutes.".into(),
            lang: "en".into(),
        }),
        event(2, 20, Event::Speech {
            by: france(),
            text: "La France soutient le projet de résolution tel qu'amendé.".into(),
            lang: "fr".into(),
        }),
        event(3, 15, Event::Speech {
            by: china(),
            text: "我们支持这项决议草案，并希望各方在互相尊重的基础上加强合作，共同构建和平、安全、开放的网络空间。".into(),
            lang: "zh-CN".into(),
        }),
        event(4, 12, Event::Speech {
            by: egypt(),
            text: "نُؤَيِّدُ مشروع القرار (بصيغته المعدلة) ونشكر الرئيس.".into(),
            lang: "ar".into(),
        }),
        event(5, 10, Event::Speech {
            by: isoc(),
            text: "שלום לכולם (תודה) — families online: 👨\u{200d}👩\u{200d}👧 🌍".into(),
            lang: "he".into(),
        }),
        event(6, 3, Event::FloorGranted {
            to: brazil(),
            turn: 3,
            class: EntryClass::Speech,
            reply_to: None,
            deadline: NOW + 83_000,
            allotted_ms: 180_000,
            by: Some(chair()),
            out_of_order: false,
            reason: None,
        }),
        event(7, 2, Event::PointOfOrder {
            by: egypt(),
            text: Some("الوقت تجاوز الحد".into()),
        }),
        event(8, 1, Event::PollOpened {
            by: chair(),
            poll: 1,
            question: "Adopt the draft resolution as amended?".into(),
            options: vec!["support".into(), "object".into(), "abstain".into()],
        }),
        event(9, 0, Event::Speech {
            by: brazil(),
            text: "Brazil supports the draft as amended.".into(),
            lang: "en".into(),
        }),
    ]
}

pub fn state() -> RoomState {
    RoomState {
        room: ROOM.into(),
        mode: Mode::SpeakersList,
        locked: false,
        list_closed: false,
        time_limit: 180,
        policy: QueuePolicy::default(),
        auto_advance: true,
        seq: 9,
        server_time: NOW,
        floor: Some(FloorView {
            turn: 3,
            holder: brazil(),
            class: EntryClass::Speech,
            reply_to: None,
            started_at: NOW - 97_000,
            allotted_ms: 180_000,
            clock: ClockView::Running {
                deadline: NOW + 83_000,
            },
        }),
        queue: vec![
            QueueEntryView {
                who: france(),
                class: EntryClass::Speech,
                reply_to: None,
                requested_at: NOW - 60_000,
            },
            QueueEntryView {
                who: kenya(),
                class: EntryClass::Speech,
                reply_to: None,
                requested_at: NOW - 50_000,
            },
            QueueEntryView {
                who: isoc(),
                class: EntryClass::Reply,
                reply_to: Some(4),
                requested_at: NOW - 40_000,
            },
        ],
        round: None,
        poll: Some(PollView {
            poll: 1,
            question: "Adopt the draft resolution as amended?".into(),
            options: vec!["support".into(), "object".into(), "abstain".into()],
            counts: vec![5, 2, 1],
            voted: vec!["France".into(), "Brazil".into()],
            opened_by: chair(),
        }),
        points_of_order: vec![PointView {
            seq: 7,
            by: egypt(),
            text: Some("الوقت تجاوز الحد".into()),
            truncated: false,
        }],
        counts: counts(),
        speaking_time: SpeakingTime::default(),
    }
}

/// The ids of the `members` requests among `effects`.
pub fn members_requests(effects: &[Effect]) -> Vec<u64> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Send(envelope) if matches!(envelope.request, Request::Members { .. }) => {
                match envelope.id {
                    Some(RequestId::Number(id)) => Some(id),
                    _ => None,
                }
            }
            _ => None,
        })
        .collect()
}

/// An app that has connected as `me`, joined the plenary and received the
/// debate, in locale `lang`.
pub fn app(lang: &str, me: &Actor) -> App {
    let mut app = App::new(Localizer::for_tag(lang), BidiMode::App, "t".into());
    app.utc_offset = Some(0);
    app.size = (120, 40);
    let frame = |f: ServerFrame| Action::Net(NetEvent::Frame(Box::new(f)));
    update(
        &mut app,
        frame(ServerFrame::Welcome {
            protocol: 2,
            participant: participant(me),
            rooms: rooms_in(lang),
            server_time: NOW,
            ping_interval: 20,
            guest_token: None,
        }),
        NOW,
    );
    for e in events() {
        update(&mut app, frame(ServerFrame::Event(e)), NOW);
    }
    update(
        &mut app,
        frame(ServerFrame::RoomState(Box::new(state()))),
        NOW,
    );
    let speaking_ms = members()
        .iter()
        .find(|m| m.who.id == me.id)
        .map_or(0, |m| m.speaking_ms);
    let effects = update(
        &mut app,
        frame(ServerFrame::Ok {
            id: Some(RequestId::Number(1)),
            room: Some(ROOM.into()),
            seq: Some(9),
            duplicate: false,
            you: Some(You {
                speaking_ms,
                muted: false,
                muted_until: None,
            }),
        }),
        NOW,
    );
    // The join asks for the first page of members: here it is, whole.
    for id in members_requests(&effects) {
        update(
            &mut app,
            frame(ServerFrame::Members {
                id: Some(RequestId::Number(id)),
                room: ROOM.into(),
                members: members(),
                next: None,
                total: members().len() as u32,
            }),
            NOW,
        );
    }
    // The bell and notices of joining are not what the screens are about.
    app.toast = None;
    app.flash_until = 0;
    app
}

/// The plenary's fairness figures over the whole record up to event 9:
/// four governments (two of them silent), Egypt for civil society and the
/// Internet Society for the technical community; China spoke twice while
/// Kenya waited for a first turn; the chair took the floor back once,
/// ruled on a point of order and cleared the list.
pub fn fairness() -> Fairness {
    let requests = |made, served, withdrawn, unserved| Requests {
        made,
        served,
        withdrawn,
        unserved,
    };
    let delegation =
        |who: Actor, turns, speaking_ms: i64, r: Requests, wait: Option<i64>| DelegationFigures {
            delegation: who.delegation.clone(),
            participant: None,
            guest: false,
            stakeholder: who.stakeholder,
            turns,
            speaking_ms,
            share: speaking_ms as f64 / 565_000.0,
            requests: r,
            wait_median_ms: wait,
        };
    Fairness {
        room: ROOM.into(),
        from: None,
        to: None,
        seq: 9,
        turns: 5,
        speaking_ms: 565_000,
        delegations_present: 6,
        gini: Some(0.4469),
        representation_spread: Some(2.5),
        requests: requests(9, 5, 1, 3),
        stakeholders: vec![
            GroupFigures {
                stakeholder: Stakeholder::Government,
                delegations_present: 4,
                turns: 3,
                speaking_ms: 355_000,
                share: 0.6283,
                presence_share: 0.6667,
                representation: Some(0.9425),
                requests: requests(5, 3, 0, 2),
                wait_median_ms: Some(35_000),
                wait_p90_ms: Some(95_000),
            },
            GroupFigures {
                stakeholder: Stakeholder::TechnicalCommunity,
                delegations_present: 1,
                turns: 1,
                speaking_ms: 60_000,
                share: 0.1062,
                presence_share: 0.1667,
                representation: Some(0.6372),
                requests: requests(2, 1, 0, 1),
                wait_median_ms: Some(20_000),
                wait_p90_ms: Some(20_000),
            },
            GroupFigures {
                stakeholder: Stakeholder::CivilSociety,
                delegations_present: 1,
                turns: 1,
                speaking_ms: 150_000,
                share: 0.2655,
                presence_share: 0.1667,
                representation: Some(1.5929),
                requests: requests(2, 1, 1, 0),
                wait_median_ms: Some(245_000),
                wait_p90_ms: Some(245_000),
            },
        ],
        delegations: vec![
            delegation(france(), 1, 180_000, requests(2, 1, 0, 1), Some(30_000)),
            delegation(china(), 2, 175_000, requests(2, 2, 0, 0), Some(35_000)),
            delegation(egypt(), 1, 150_000, requests(2, 1, 1, 0), Some(245_000)),
            delegation(isoc(), 1, 60_000, requests(2, 1, 0, 1), Some(20_000)),
            delegation(brazil(), 0, 0, requests(0, 0, 0, 0), None),
            delegation(kenya(), 0, 0, requests(1, 0, 0, 1), None),
        ],
        precedence_violations: vec![PrecedenceViolation {
            seq: 5,
            turn: 2,
            to: china().delegation,
            waiting: vec![kenya().delegation],
        }],
        interventions: vec![
            Intervention {
                seq: 4,
                ts: NOW - 11 * 60_000,
                kind: InterventionKind::Revoke,
                by: chair(),
                who: Some(isoc()),
                reason: Some("Off topic".into()),
            },
            Intervention {
                seq: 8,
                ts: NOW - 60_000,
                kind: InterventionKind::Ruling,
                by: chair(),
                who: Some(egypt()),
                reason: Some("Upheld: the speaker's time is over".into()),
            },
            Intervention {
                seq: 9,
                ts: NOW,
                kind: InterventionKind::Clear,
                by: chair(),
                who: None,
                reason: None,
            },
        ],
    }
}

/// [`app`] with the fairness view open on [`fairness`], as Ctrl+T and the
/// server's answer leave it.
pub fn fairness_app(lang: &str, me: &Actor) -> App {
    let mut app = app(lang, me);
    let ctrl_t = Action::Key(crossterm::event::KeyEvent::new(
        crossterm::event::KeyCode::Char('t'),
        crossterm::event::KeyModifiers::CONTROL,
    ));
    let effects = update(&mut app, ctrl_t, NOW);
    let id = effects.iter().find_map(|e| match e {
        Effect::Send(envelope) if matches!(envelope.request, Request::Fairness { .. }) => {
            envelope.id.clone()
        }
        _ => None,
    });
    update(
        &mut app,
        Action::Net(NetEvent::Frame(Box::new(ServerFrame::Fairness {
            id,
            figures: Box::new(fairness()),
        }))),
        NOW,
    );
    app
}
