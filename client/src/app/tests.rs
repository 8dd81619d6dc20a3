//! The rules of the client state, tested without a terminal or a socket.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use dais_protocol::{
    ClockView, Envelope, ErrorCode, Event, EventFrame, Request, RequestId, ServerFrame,
};

use super::*;
use crate::bidi::strip_isolates;
use crate::fixture::{self, NOW, ROOM};

fn frame(f: ServerFrame) -> Action {
    Action::Net(NetEvent::Frame(Box::new(f)))
}

fn key(code: KeyCode) -> Action {
    Action::Key(KeyEvent::from(code))
}

fn ctrl(c: char) -> Action {
    Action::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        update(app, key(KeyCode::Char(c)), NOW);
    }
}

fn sent(effects: &[Effect]) -> Vec<&Envelope> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Send(envelope) => Some(envelope),
            _ => None,
        })
        .collect()
}

fn toast(app: &App) -> String {
    app.toast
        .as_ref()
        .map(|t| strip_isolates(&t.text).into_owned())
        .unwrap_or_default()
}

fn welcome(me: &dais_protocol::Actor) -> Action {
    frame(ServerFrame::Welcome {
        protocol: 1,
        participant: dais_protocol::Participant {
            id: me.id.clone(),
            name: me.name.clone(),
            delegation: me.delegation.clone(),
            stakeholder: me.stakeholder,
            role: me.role,
            languages: Vec::new(),
            guest: false,
        },
        rooms: fixture::rooms(),
        server_time: NOW,
        ping_interval: 20,
    })
}

#[test]
fn welcome_joins_the_first_room() {
    let mut app = App::new(Localizer::for_tag("en"), BidiMode::App, "n".into());
    let effects = update(&mut app, welcome(&fixture::kenya()), NOW);
    let out = sent(&effects);
    assert_eq!(out.len(), 1);
    assert!(matches!(&out[0].request, Request::Join { room, since: None } if room == ROOM));
    assert_eq!(app.conn, Conn::Online);
}

#[test]
fn the_room_asked_for_is_joined_first() {
    let mut app = App::new(Localizer::for_tag("en"), BidiMode::App, "n".into());
    app.wanted_room = Some("cyber".into());
    let effects = update(&mut app, welcome(&fixture::kenya()), NOW);
    assert!(matches!(&sent(&effects)[0].request, Request::Join { room, .. } if room == "cyber"));
}

#[test]
fn an_event_received_twice_is_shown_once() {
    let mut app = fixture::app("en", &fixture::kenya());
    let before = app.view().map(|v| v.events.len());
    let again = fixture::events().remove(3);
    update(&mut app, frame(ServerFrame::Event(again)), NOW);
    assert_eq!(app.view().map(|v| v.events.len()), before);
}

#[test]
fn a_reconnect_resumes_after_the_last_seq_seen() {
    let mut app = fixture::app("en", &fixture::kenya());
    update(
        &mut app,
        Action::Net(NetEvent::Disconnected { retry_in_ms: 1000 }),
        NOW,
    );
    assert!(matches!(app.conn, Conn::Offline { .. }));
    let effects = update(&mut app, welcome(&fixture::kenya()), NOW + 2000);
    let joins: Vec<_> = sent(&effects)
        .into_iter()
        .filter_map(|e| match &e.request {
            Request::Join { room, since } => Some((room.clone(), *since)),
            _ => None,
        })
        .collect();
    assert_eq!(joins, vec![(ROOM.to_owned(), Some(9))]);
}

#[test]
fn your_message_shows_at_once_and_is_marked_until_confirmed() {
    let mut app = fixture::app("en", &fixture::brazil());
    type_text(&mut app, "We agree.");
    let effects = update(&mut app, key(KeyCode::Enter), NOW);
    let out = sent(&effects);
    assert_eq!(out.len(), 1);
    let Request::Say { text, .. } = &out[0].request else {
        panic!("expected a say, got {:?}", out[0].request);
    };
    assert_eq!(text, "We agree.");
    assert!(out[0].nonce.is_some(), "a say carries a nonce");
    assert_eq!(app.view().map(|v| v.echoes.len()), Some(1));
    assert!(app.input.is_empty());
    let id = out[0].id.clone();
    update(
        &mut app,
        frame(ServerFrame::Ok {
            id,
            room: Some(ROOM.into()),
            seq: Some(10),
            duplicate: false,
        }),
        NOW,
    );
    assert_eq!(app.view().map(|v| v.echoes.len()), Some(0));
}

#[test]
fn text_typed_offline_is_sent_with_the_same_nonce_when_back() {
    let mut app = fixture::app("en", &fixture::brazil());
    update(
        &mut app,
        Action::Net(NetEvent::Disconnected { retry_in_ms: 500 }),
        NOW,
    );
    type_text(&mut app, "Still here");
    let effects = update(&mut app, key(KeyCode::Enter), NOW);
    assert!(sent(&effects).is_empty(), "nothing goes out while offline");
    assert!(toast(&app).contains("Offline"));
    let queued = app
        .pending
        .values()
        .find(|p| matches!(p.envelope.request, Request::Say { .. }));
    let nonce = queued.and_then(|p| p.envelope.nonce.clone());
    assert!(nonce.is_some());
    let effects = update(&mut app, welcome(&fixture::brazil()), NOW + 1000);
    let resent: Vec<_> = sent(&effects)
        .into_iter()
        .filter(|e| matches!(e.request, Request::Say { .. }))
        .collect();
    assert_eq!(resent.len(), 1);
    assert_eq!(
        resent[0].nonce, nonce,
        "the retry is recognizable as the same message"
    );
}

#[test]
fn a_request_too_old_to_resend_is_reported_not_sent() {
    let mut app = fixture::app("en", &fixture::brazil());
    update(
        &mut app,
        Action::Net(NetEvent::Disconnected { retry_in_ms: 500 }),
        NOW,
    );
    type_text(&mut app, "Late");
    update(&mut app, key(KeyCode::Enter), NOW);
    let effects = update(
        &mut app,
        welcome(&fixture::brazil()),
        NOW + OUTBOX_MAX_AGE_MS + 1,
    );
    assert!(sent(&effects)
        .iter()
        .all(|e| !matches!(e.request, Request::Say { .. })));
    assert!(
        toast(&app).contains("1 request could not be sent"),
        "{}",
        toast(&app)
    );
    assert!(app
        .view()
        .is_some_and(|v| v.echoes.iter().all(|e| e.failed)));
}

#[test]
fn a_refused_message_comes_back_to_the_input_with_a_localized_reason() {
    let mut app = fixture::app("fr", &fixture::kenya());
    type_text(&mut app, "Bonjour");
    let effects = update(&mut app, key(KeyCode::Enter), NOW);
    let id = sent(&effects)[0].id.clone();
    update(
        &mut app,
        frame(ServerFrame::Error {
            id,
            code: ErrorCode::NotYourTurn,
            details: None,
        }),
        NOW,
    );
    assert_eq!(app.input.text(), "Bonjour");
    assert_eq!(toast(&app), "Vous n'avez pas la parole");
}

#[test]
fn every_error_code_has_a_sentence_in_every_locale() {
    use crate::i18n::LOCALES;
    let codes = [
        ErrorCode::Unauthenticated,
        ErrorCode::AlreadyAuthenticated,
        ErrorCode::UnsupportedProtocol,
        ErrorCode::InvalidToken,
        ErrorCode::GuestsNotAllowed,
        ErrorCode::InvalidGuestName,
        ErrorCode::TooManyConnections,
        ErrorCode::MalformedJson,
        ErrorCode::NotAnObject,
        ErrorCode::MissingType,
        ErrorCode::UnknownType,
        ErrorCode::MissingField,
        ErrorCode::UnknownField,
        ErrorCode::InvalidField,
        ErrorCode::BinaryNotSupported,
        ErrorCode::TextTooLong,
        ErrorCode::EmptyText,
        ErrorCode::InvalidLanguage,
        ErrorCode::RateLimited,
        ErrorCode::UnknownRoom,
        ErrorCode::RoomClosed,
        ErrorCode::RoomLocked,
        ErrorCode::RoomExists,
        ErrorCode::InvalidRoom,
        ErrorCode::NotJoined,
        ErrorCode::Removed,
        ErrorCode::Muted,
        ErrorCode::Forbidden,
        ErrorCode::NotYourTurn,
        ErrorCode::FloorFree,
        ErrorCode::NotFloorHolder,
        ErrorCode::AlreadyHasFloor,
        ErrorCode::AlreadyInQueue,
        ErrorCode::NotInQueue,
        ErrorCode::ListClosed,
        ErrorCode::QueueEmpty,
        ErrorCode::StaleTurn,
        ErrorCode::NotAMember,
        ErrorCode::InvalidOrder,
        ErrorCode::RoundInProgress,
        ErrorCode::ClockPaused,
        ErrorCode::ClockRunning,
        ErrorCode::InvalidTimeLimit,
        ErrorCode::UnknownEvent,
        ErrorCode::UnknownPoint,
        ErrorCode::NoOpenPoll,
        ErrorCode::PollAlreadyOpen,
        ErrorCode::InvalidOption,
        ErrorCode::InvalidPoll,
        ErrorCode::NoDelegation,
        ErrorCode::StoreFailed,
        ErrorCode::Internal,
    ];
    for (tag, _) in LOCALES {
        let l10n = Localizer::for_tag(tag);
        for code in codes {
            let id = format!("error-{}", code.as_str().replace('_', "-"));
            assert!(l10n.has(&id), "{tag} lacks {id}");
        }
    }
    // And no sentence is kept for a code the protocol no longer has.
    for line in LOCALES[0].1.lines() {
        let Some((id, _)) = line.split_once(" = ") else {
            continue;
        };
        let Some(code) = id.strip_prefix("error-") else {
            continue;
        };
        // The client's own errors, told before it connects.
        if ["unknown", "config", "no-token", "ca", "no-roots", "tls"].contains(&code) {
            continue;
        }
        let wire = format!("\"{}\"", code.replace('-', "_"));
        assert!(
            serde_json::from_str::<ErrorCode>(&wire).is_ok(),
            "{id} names no error code"
        );
    }
}

#[test]
fn the_bell_rings_once_when_the_floor_comes_to_you() {
    let mut app = fixture::app("en", &fixture::kenya());
    let mut state = fixture::state();
    let mut floor = state.floor.clone().expect("fixture has a floor");
    floor.turn = 4;
    floor.holder = fixture::kenya();
    state.floor = Some(floor);
    state.queue.retain(|e| e.who.id != fixture::kenya().id);
    let effects = update(
        &mut app,
        frame(ServerFrame::RoomState(Box::new(state.clone()))),
        NOW,
    );
    assert!(effects.contains(&Effect::Bell));
    assert_eq!(toast(&app), "You have the floor");
    let effects = update(
        &mut app,
        frame(ServerFrame::RoomState(Box::new(state))),
        NOW,
    );
    assert!(
        !effects.contains(&Effect::Bell),
        "not again for the same turn"
    );
}

#[test]
fn the_bell_rings_ten_seconds_before_your_time_runs_out() {
    let mut app = fixture::app("en", &fixture::kenya());
    let mut state = fixture::state();
    let mut floor = state.floor.clone().expect("fixture has a floor");
    floor.holder = fixture::kenya();
    floor.clock = ClockView::Running {
        deadline: NOW + 30_000,
    };
    state.floor = Some(floor);
    update(
        &mut app,
        frame(ServerFrame::RoomState(Box::new(state))),
        NOW,
    );
    assert!(!update(&mut app, Action::Tick, NOW + 15_000).contains(&Effect::Bell));
    assert!(update(&mut app, Action::Tick, NOW + 21_000).contains(&Effect::Bell));
    assert!(!update(&mut app, Action::Tick, NOW + 22_000).contains(&Effect::Bell));
}

/// A short turn is warned too, unless the warning would come with the
/// floor itself.
#[test]
fn short_turns_are_warned_unless_the_warning_would_open_them() {
    for (turn_ms, warned) in [(15_000, true), (10_000, false)] {
        let mut app = fixture::app("en", &fixture::kenya());
        let mut state = fixture::state();
        let mut floor = state.floor.clone().expect("fixture has a floor");
        floor.holder = fixture::kenya();
        floor.allotted_ms = turn_ms;
        floor.clock = ClockView::Running {
            deadline: NOW + turn_ms,
        };
        state.floor = Some(floor);
        update(
            &mut app,
            frame(ServerFrame::RoomState(Box::new(state))),
            NOW,
        );
        let rang = update(&mut app, Action::Tick, NOW + turn_ms - 9_000).contains(&Effect::Bell);
        assert_eq!(rang, warned, "a turn of {turn_ms} ms");
    }
}

#[test]
fn the_bell_rings_when_you_become_next_in_line() {
    let mut app = fixture::app("en", &fixture::kenya());
    let mut state = fixture::state();
    state.queue.remove(0);
    let effects = update(
        &mut app,
        frame(ServerFrame::RoomState(Box::new(state))),
        NOW,
    );
    assert!(effects.contains(&Effect::Bell));
    assert_eq!(toast(&app), "You are next in line");
}

#[test]
fn f2_asks_for_the_floor_or_withdraws_when_already_waiting() {
    let mut app = fixture::app("en", &fixture::kenya());
    let effects = update(&mut app, key(KeyCode::F(2)), NOW);
    assert!(
        matches!(sent(&effects)[0].request, Request::Withdraw { .. }),
        "Kenya is in the queue"
    );
    let mut app = fixture::app("en", &fixture::china());
    let effects = update(&mut app, key(KeyCode::F(2)), NOW);
    assert!(matches!(
        sent(&effects)[0].request,
        Request::RequestFloor { .. }
    ));
}

#[test]
fn letters_type_text_until_the_transcript_has_focus() {
    let mut app = fixture::app("en", &fixture::kenya());
    let effects = update(&mut app, key(KeyCode::Char('r')), NOW);
    assert!(sent(&effects).is_empty());
    assert_eq!(app.input.text(), "r");
    update(&mut app, key(KeyCode::Backspace), NOW);
    update(&mut app, key(KeyCode::Tab), NOW);
    let effects = update(&mut app, key(KeyCode::Char('p')), NOW);
    assert!(matches!(sent(&effects)[0].request, Request::Pass { .. }));
}

#[test]
fn a_delegate_cannot_use_chair_actions() {
    let mut app = fixture::app("es", &fixture::kenya());
    let effects = update(&mut app, key(KeyCode::F(7)), NOW);
    assert!(sent(&effects).is_empty());
    assert_eq!(toast(&app), "Su función no lo permite");
}

#[test]
fn next_names_the_turn_it_ends() {
    let mut app = fixture::app("en", &fixture::chair());
    let effects = update(&mut app, key(KeyCode::F(7)), NOW);
    assert!(matches!(
        sent(&effects)[0].request,
        Request::Next { turn: Some(3), .. }
    ));
}

#[test]
fn space_pauses_a_running_clock_and_resumes_a_paused_one() {
    let mut app = fixture::app("en", &fixture::chair());
    update(&mut app, key(KeyCode::Tab), NOW);
    let effects = update(&mut app, key(KeyCode::Char(' ')), NOW);
    assert!(matches!(sent(&effects)[0].request, Request::Pause { .. }));
    let mut state = fixture::state();
    if let Some(floor) = state.floor.as_mut() {
        floor.clock = ClockView::Paused {
            remaining_ms: 50_000,
        };
    }
    update(
        &mut app,
        frame(ServerFrame::RoomState(Box::new(state))),
        NOW,
    );
    let effects = update(&mut app, key(KeyCode::Char(' ')), NOW);
    assert!(matches!(sent(&effects)[0].request, Request::Resume { .. }));
}

#[test]
fn the_chair_grants_the_floor_to_a_participant_picked_from_a_list() {
    let mut app = fixture::app("en", &fixture::chair());
    update(&mut app, Action::Command(Command::Grant), NOW);
    let Some(Overlay::Pick { items, .. }) = &app.overlay else {
        panic!("a picker opens");
    };
    assert!(
        items[0].label.starts_with("France"),
        "the queue comes first"
    );
    update(&mut app, key(KeyCode::Down), NOW);
    let effects = update(&mut app, key(KeyCode::Enter), NOW);
    assert!(
        matches!(&sent(&effects)[0].request, Request::Grant { participant, .. } if participant == "p-ke")
    );
    assert!(app.overlay.is_none());
}

#[test]
fn a_poll_is_opened_in_two_prompts() {
    let mut app = fixture::app("en", &fixture::chair());
    update(&mut app, Action::Command(Command::PollOpen), NOW);
    type_text(&mut app, "Adopt?");
    update(&mut app, key(KeyCode::Enter), NOW);
    type_text(&mut app, "Yes; No");
    let effects = update(&mut app, key(KeyCode::Enter), NOW);
    match &sent(&effects)[0].request {
        Request::PollOpen {
            question, options, ..
        } => {
            assert_eq!(question, "Adopt?");
            assert_eq!(
                options.as_deref(),
                Some(&["Yes".to_owned(), "No".to_owned()][..])
            );
        }
        other => panic!("expected poll_open, got {other:?}"),
    }
}

#[test]
fn a_ruling_names_the_point_and_the_verdict() {
    let mut app = fixture::app("en", &fixture::chair());
    update(&mut app, Action::Command(Command::Rule), NOW);
    type_text(&mut app, "Time is respected");
    update(&mut app, key(KeyCode::Enter), NOW);
    let effects = update(&mut app, key(KeyCode::Char('2')), NOW);
    assert!(matches!(
        &sent(&effects)[0].request,
        Request::Rule { point: 7, upheld: Some(false), ruling, .. } if ruling == "Time is respected"
    ));
}

#[test]
fn a_vote_is_cast_by_number() {
    let mut app = fixture::app("en", &fixture::kenya());
    update(&mut app, key(KeyCode::F(6)), NOW);
    let effects = update(&mut app, key(KeyCode::Char('3')), NOW);
    assert!(matches!(
        sent(&effects)[0].request,
        Request::Vote { option: 2, .. }
    ));
}

#[test]
fn right_of_reply_and_interpretation_need_a_selected_message() {
    let mut app = fixture::app("en", &fixture::kenya());
    update(&mut app, key(KeyCode::Tab), NOW);
    update(&mut app, key(KeyCode::Up), NOW);
    let effects = update(&mut app, key(KeyCode::Char('e')), NOW);
    // Tab selects the newest message; Up moves to the one before (the point of order).
    assert!(matches!(
        sent(&effects)[0].request,
        Request::RequestReply { to: 7, .. }
    ));
    update(&mut app, key(KeyCode::Char('i')), NOW);
    type_text(&mut app, "Le temps est dépassé");
    let effects = update(&mut app, key(KeyCode::Enter), NOW);
    assert!(
        matches!(&sent(&effects)[0].request, Request::Interpret { of: 7, lang, .. } if lang == "en")
    );
}

#[test]
fn an_interpretation_into_the_interface_language_replaces_the_original_until_toggled() {
    let mut app = fixture::app("fr", &fixture::kenya());
    let interpretation = EventFrame {
        room: ROOM.into(),
        seq: 10,
        ts: NOW,
        event: Event::Interpretation {
            by: fixture::france(),
            of: 9,
            text: "Le Brésil soutient le projet amendé.".into(),
            lang: "fr".into(),
        },
    };
    update(&mut app, frame(ServerFrame::Event(interpretation)), NOW);
    let screen = crate::ui_test_screen(&app);
    assert!(screen.contains("Le Brésil soutient"), "{screen}");
    update(&mut app, key(KeyCode::Tab), NOW);
    update(&mut app, key(KeyCode::Char('t')), NOW);
    let screen = crate::ui_test_screen(&app);
    assert!(screen.contains("Brazil supports the draft"), "{screen}");
}

#[test]
fn slash_commands_reach_actions_with_their_argument() {
    let mut app = fixture::app("en", &fixture::chair());
    type_text(&mut app, "/announce Coffee break until 15:00");
    let effects = update(&mut app, key(KeyCode::Enter), NOW);
    assert!(
        matches!(&sent(&effects)[0].request, Request::Announce { text, .. } if text == "Coffee break until 15:00")
    );
    type_text(&mut app, "/time-limit 2m");
    let effects = update(&mut app, key(KeyCode::Enter), NOW);
    assert!(matches!(
        sent(&effects)[0].request,
        Request::SetTimeLimit { seconds: 120, .. }
    ));
    type_text(&mut app, "//not a command");
    let effects = update(&mut app, key(KeyCode::Enter), NOW);
    assert!(
        matches!(&sent(&effects)[0].request, Request::Say { text, .. } if text == "/not a command")
    );
}

#[test]
fn the_palette_finds_actions_by_their_localized_name() {
    let mut app = fixture::app("ru", &fixture::chair());
    update(&mut app, ctrl('p'), NOW);
    type_text(&mut app, "голос");
    let Some(Overlay::Palette { filter, .. }) = &app.overlay else {
        panic!("the palette is open");
    };
    let found = palette_entries(&app, filter.text());
    assert!(found.contains(&Command::Vote));
    assert!(found.contains(&Command::PollOpen));
    let effects = update(&mut app, key(KeyCode::Enter), NOW);
    assert!(sent(&effects).is_empty() || app.overlay.is_some());
}

#[test]
fn a_delegate_palette_hides_chair_actions() {
    let app = fixture::app("en", &fixture::kenya());
    let all = palette_entries(&app, "");
    assert!(all.contains(&Command::RequestFloor));
    assert!(!all.contains(&Command::NextSpeaker));
}

#[test]
fn switching_the_language_at_run_time() {
    let mut app = fixture::app("en", &fixture::kenya());
    update(&mut app, key(KeyCode::F(12)), NOW);
    // English, French, Spanish, Russian, Chinese, Arabic: 6 is Arabic.
    update(&mut app, key(KeyCode::Char('6')), NOW);
    assert_eq!(app.l10n.tag(), "ar");
    assert!(app.l10n.is_rtl());
}

#[test]
fn scrolling_to_the_top_fetches_older_history() {
    let mut app = fixture::app("en", &fixture::kenya());
    let view = app.views.get_mut(ROOM).expect("joined");
    // Pretend the server only sent the latest events.
    view.events.retain(|seq, _| *seq >= 5);
    let _ = crate::ui_test_screen(&app);
    let effects = update(&mut app, key(KeyCode::PageUp), NOW);
    let history: Vec<_> = sent(&effects)
        .into_iter()
        .filter_map(|e| match &e.request {
            Request::History { before, .. } => Some(*before),
            _ => None,
        })
        .collect();
    assert_eq!(history, vec![Some(5)]);
    let older = fixture::events()
        .into_iter()
        .filter(|e| e.seq < 5)
        .collect();
    update(
        &mut app,
        frame(ServerFrame::History {
            id: Some(RequestId::Number(99)),
            room: ROOM.into(),
            events: older,
            more: false,
        }),
        NOW,
    );
    assert_eq!(app.view().map(|v| v.events.len()), Some(9));
    assert!(app.view().is_some_and(|v| !v.has_older()));
}

#[test]
fn unread_messages_are_counted_in_rooms_you_are_not_looking_at() {
    let mut app = fixture::app("en", &fixture::kenya());
    update(&mut app, Action::Command(Command::NextRoom), NOW);
    assert_eq!(app.current.as_deref(), Some("cyber"));
    let speech = EventFrame {
        room: ROOM.into(),
        seq: 10,
        ts: NOW,
        event: Event::Speech {
            by: fixture::france(),
            text: "Merci.".into(),
            lang: "fr".into(),
        },
    };
    update(&mut app, frame(ServerFrame::Event(speech)), NOW);
    assert_eq!(app.views.get(ROOM).map(RoomView::unread), Some(1));
    update(&mut app, Action::Command(Command::PrevRoom), NOW);
    let view = app.view().expect("back in the plenary");
    assert_eq!(
        view.unread_marker,
        Some(9),
        "the new-messages line goes after seq 9"
    );
    assert_eq!(view.unread(), 0);
}

#[test]
fn time_limits_are_read_in_three_forms() {
    assert_eq!(parse_seconds("90"), Some(90));
    assert_eq!(parse_seconds("1:30"), Some(90));
    assert_eq!(parse_seconds("2m"), Some(120));
    assert_eq!(parse_seconds("45s"), Some(45));
    assert_eq!(parse_seconds("1:75"), None);
    assert_eq!(parse_seconds("soon"), None);
}

#[test]
fn a_bad_token_stops_the_retries_and_says_why() {
    let mut app = App::new(Localizer::for_tag("zh-CN"), BidiMode::App, "n".into());
    update(
        &mut app,
        Action::Net(NetEvent::Fatal(ErrorCode::InvalidToken)),
        NOW,
    );
    assert_eq!(app.conn, Conn::Failed(ErrorCode::InvalidToken));
    assert_eq!(toast(&app), "令牌无效");
}

#[test]
fn ctrl_q_quits() {
    let mut app = fixture::app("en", &fixture::kenya());
    let effects = update(&mut app, ctrl('q'), NOW);
    assert!(effects.contains(&Effect::Quit));
    assert!(app.quit);
}
