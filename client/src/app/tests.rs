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
        protocol: 2,
        participant: fixture::participant(me),
        rooms: fixture::rooms(),
        server_time: NOW,
        ping_interval: 20,
        guest_token: None,
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
            you: None,
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
fn a_message_refused_as_unavailable_is_sent_again_with_its_nonce() {
    // Cluster: the room's node died and another is taking it over.
    let mut app = fixture::app("en", &fixture::kenya());
    type_text(&mut app, "Mid-failover");
    let effects = update(&mut app, key(KeyCode::Enter), NOW);
    let first = sent(&effects)[0].clone();
    update(
        &mut app,
        frame(ServerFrame::Error {
            id: first.id.clone(),
            code: ErrorCode::Unavailable,
            details: None,
        }),
        NOW + 10,
    );
    assert_eq!(
        app.input.text(),
        "",
        "the words stay on their way, not back in the input"
    );
    assert_eq!(
        toast(&app),
        "",
        "nothing to do for the delegate: no error shown"
    );
    // Not at once: a moment later, on the clock's tick.
    let early = update(&mut app, Action::Tick, NOW + 500);
    assert!(sent(&early).is_empty());
    let effects = update(&mut app, Action::Tick, NOW + 10 + RETRY_UNAVAILABLE_MS);
    let again = sent(&effects);
    assert_eq!(again.len(), 1);
    assert_eq!(again[0].nonce, first.nonce, "the same nonce: never doubled");
    assert!(matches!(again[0].request, Request::Say { .. }));
    // Sent once per refusal.
    let later = update(&mut app, Action::Tick, NOW + 10 + 3 * RETRY_UNAVAILABLE_MS);
    assert!(sent(&later).is_empty());
}

/// Every error code, listed once: the match below stops compiling when the
/// protocol gains a code this list (and so the locales) lacks.
macro_rules! all_codes {
    ($($code:ident),* $(,)?) => {{
        let _exhaustive = |code: ErrorCode| match code {
            $(ErrorCode::$code)|* => (),
        };
        vec![$(ErrorCode::$code),*]
    }};
}

#[test]
fn every_error_code_has_a_sentence_in_every_locale() {
    use crate::i18n::LOCALES;
    let codes = all_codes![
        Unauthenticated,
        AlreadyAuthenticated,
        UnsupportedProtocol,
        InvalidToken,
        GuestsNotAllowed,
        InvalidGuestName,
        GuestNameReserved,
        LoginThrottled,
        MalformedJson,
        NotAnObject,
        MissingType,
        UnknownType,
        MissingField,
        UnknownField,
        DuplicateField,
        InvalidField,
        BinaryNotSupported,
        TextTooLong,
        EmptyText,
        InvalidText,
        InvalidLanguage,
        RateLimited,
        UnknownRoom,
        RoomClosed,
        RoomLocked,
        RoomExists,
        InvalidRoom,
        TooManyRooms,
        ReplayInProgress,
        NotJoined,
        Removed,
        Muted,
        Forbidden,
        NotYourTurn,
        FloorFree,
        NotFloorHolder,
        AlreadyHasFloor,
        CannotHoldFloor,
        AlreadyInQueue,
        NotInQueue,
        ListClosed,
        QueueEmpty,
        StaleTurn,
        NotAMember,
        InvalidOrder,
        RoundInProgress,
        ClockPaused,
        ClockRunning,
        InvalidTimeLimit,
        UnknownEvent,
        UnknownPoint,
        TooManyPoints,
        NoOpenPoll,
        PollAlreadyOpen,
        InvalidOption,
        InvalidPoll,
        NoDelegation,
        StoreFailed,
        Unavailable,
        Internal,
    ];
    for (tag, _) in LOCALES {
        let l10n = Localizer::for_tag(tag);
        for code in &codes {
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
        let own = [
            "unknown",
            "config",
            "no-token",
            "ca",
            "no-roots",
            "tls",
            "token-file",
            "token-file-empty",
        ];
        if own.contains(&code) {
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
fn a_notice_about_your_turn_goes_when_it_stops_being_true() {
    let mut app = fixture::app("en", &fixture::kenya());
    let mut state = fixture::state();
    state.floor = Some(FloorView {
        turn: 4,
        holder: fixture::kenya(),
        class: EntryClass::Speech,
        reply_to: None,
        started_at: NOW,
        allotted_ms: 180_000,
        clock: ClockView::Running {
            deadline: NOW + 180_000,
        },
    });
    let effects = update(
        &mut app,
        frame(ServerFrame::RoomState(Box::new(state))),
        NOW,
    );
    assert_eq!(toast(&app), "You have the floor");
    assert!(effects.contains(&Effect::Bell));
    assert!(effects.iter().any(|e| matches!(e, Effect::Notify { .. })));
    // The chair withdraws the floor a second later.
    let mut state = fixture::state();
    state.floor = None;
    state.queue.retain(|e| e.who.id != fixture::kenya().id);
    update(
        &mut app,
        frame(ServerFrame::RoomState(Box::new(state))),
        NOW + 1_000,
    );
    assert_eq!(toast(&app), "", "gone with the floor");
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
    // Kenya is on the list: F2 withdraws, which loses the place, so it asks.
    let effects = update(&mut app, key(KeyCode::F(2)), NOW);
    assert!(sent(&effects).is_empty());
    let effects = update(&mut app, key(KeyCode::Char('y')), NOW);
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
fn letters_are_text_wherever_the_focus_is() {
    let mut app = fixture::app("en", &fixture::kenya());
    let effects = update(&mut app, key(KeyCode::Char('r')), NOW);
    assert!(sent(&effects).is_empty());
    assert_eq!(app.input.text(), "r");
    update(&mut app, key(KeyCode::Backspace), NOW);
    update(&mut app, key(KeyCode::Esc), NOW);
    assert_eq!(app.focus, Focus::Transcript);
    let effects = update(&mut app, key(KeyCode::Char('p')), NOW);
    assert!(sent(&effects).is_empty(), "p does not pass");
    assert_eq!(app.focus, Focus::Input);
    assert_eq!(app.input.text(), "p");
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
    update(&mut app, key(KeyCode::F(7)), NOW);
    let effects = update(&mut app, key(KeyCode::Char('y')), NOW);
    assert!(matches!(
        sent(&effects)[0].request,
        Request::Next { turn: Some(3), .. }
    ));
}

#[test]
fn f8_pauses_a_running_clock_and_resumes_a_paused_one() {
    let mut app = fixture::app("en", &fixture::chair());
    let effects = update(&mut app, key(KeyCode::F(8)), NOW);
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
    let effects = update(&mut app, key(KeyCode::F(8)), NOW);
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
        Request::Rule { point: Some(7), all: false, upheld: Some(false), ruling, .. } if ruling == "Time is respected"
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

/// The entries of the open picker, as (label, value).
fn pick_items(app: &App) -> Vec<(String, PickValue)> {
    match &app.overlay {
        Some(Overlay::Pick { items, .. }) => items
            .iter()
            .map(|i| (strip_isolates(&i.label).into_owned(), i.value.clone()))
            .collect(),
        other => panic!("no picker: {other:?}"),
    }
}

/// Press the digit of the picker entry whose value is `value`.
fn pick(app: &mut App, value: PickValue) -> Vec<Effect> {
    let at = pick_items(app)
        .iter()
        .position(|(_, v)| *v == value)
        .unwrap_or_else(|| panic!("{value:?} not offered: {:?}", pick_items(app)));
    let digit = char::from_digit(at as u32 + 1, 10).unwrap_or('0');
    update(app, key(KeyCode::Char(digit)), NOW)
}

#[test]
fn right_of_reply_and_interpretation_are_offered_on_the_selected_message() {
    let mut app = fixture::app("en", &fixture::kenya());
    update(&mut app, key(KeyCode::Esc), NOW);
    update(&mut app, key(KeyCode::Up), NOW);
    // Esc selects the newest message; Up moves to the one before (the point of order).
    update(&mut app, key(KeyCode::Enter), NOW);
    let offered: Vec<PickValue> = pick_items(&app).into_iter().map(|(_, v)| v).collect();
    // A delegate interprets only their own words (access: own): not offered.
    assert_eq!(offered, vec![PickValue::Command(Command::RightOfReply)]);
    let effects = pick(&mut app, PickValue::Command(Command::RightOfReply));
    assert!(matches!(
        sent(&effects)[0].request,
        Request::RequestReply { to: 7, .. }
    ));
    // An interpreter interprets anyone's, into the language they pick,
    // and sees what they interpret.
    let interpreter = fixture::actor(
        "p-in",
        "Inès Duval",
        "",
        dais_protocol::Stakeholder::Intergovernmental,
        dais_protocol::Role::Interpreter,
    );
    let mut app = fixture::app("en", &interpreter);
    update(&mut app, key(KeyCode::Esc), NOW);
    update(&mut app, key(KeyCode::Up), NOW);
    update(&mut app, key(KeyCode::Enter), NOW);
    pick(&mut app, PickValue::Command(Command::Interpret));
    let languages: Vec<String> = pick_items(&app).into_iter().map(|(l, _)| l).collect();
    assert_eq!(languages.len(), 6, "any of the six: {languages:?}");
    pick(&mut app, PickValue::SpeakLang(Some("fr".into())));
    let screen = crate::ui_test_screen(&app);
    assert!(
        screen.contains("Interpretation into French of:"),
        "{screen}"
    );
    assert!(
        screen.contains("ﺪﺤﻟﺍ ﺯﻭﺎﺠﺗ ﺖﻗﻮﻟﺍ"),
        "the text interpreted: {screen}"
    );
    type_text(&mut app, "Le temps est dépassé");
    let effects = update(&mut app, key(KeyCode::Enter), NOW);
    assert!(
        matches!(&sent(&effects)[0].request, Request::Interpret { of: 7, lang, .. } if lang == "fr")
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
    update(&mut app, key(KeyCode::Esc), NOW);
    update(&mut app, key(KeyCode::Enter), NOW);
    pick(&mut app, PickValue::Command(Command::ToggleOriginal));
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
    assert!(found.contains(&Command::PollOpen));
    // A chair opens polls but votes for no delegation (access: vote is the delegates').
    assert!(!found.contains(&Command::Vote));
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
    // Said once (issue 12): in the status line and in the pane of the
    // record, with the server's address, not as a notice besides.
    assert_eq!(toast(&app), "");
    let screen = crate::ui_test_screen(&app);
    assert_eq!(screen.matches("令牌无效").count(), 2, "{screen}");
    let mut app = App::new(Localizer::for_tag("en"), BidiMode::App, "n".into());
    app.server = "wss://dais.example.org".into();
    update(
        &mut app,
        Action::Net(NetEvent::Fatal(ErrorCode::InvalidToken)),
        NOW,
    );
    let screen = crate::ui_test_screen(&app);
    assert!(
        screen.contains("dais.example.org did not let you in"),
        "{screen}"
    );
    assert!(!screen.contains("F9"), "no room to choose: {screen}");
}

#[test]
fn ctrl_q_quits() {
    let mut app = fixture::app("en", &fixture::kenya());
    let effects = update(&mut app, ctrl('q'), NOW);
    assert!(effects.contains(&Effect::Quit));
    assert!(app.quit);
}

// ---------------------------------------------------------------- protocol 2

use dais_protocol::{
    Actor, Counts, MemberView, Presence, PresenceChange, PresenceState, Role, Stakeholder, Tally,
};

fn members_page(id: u64, members: Vec<MemberView>, next: Option<&str>, total: u32) -> Action {
    frame(ServerFrame::Members {
        id: Some(RequestId::Number(id)),
        room: ROOM.into(),
        members,
        next: next.map(str::to_owned),
        total,
    })
}

fn presence(changes: Vec<(Actor, PresenceState)>, more: bool, counts: Counts) -> Action {
    frame(ServerFrame::Presence(Box::new(Presence {
        room: ROOM.into(),
        seq: 9,
        changes: changes
            .into_iter()
            .map(|(who, state)| PresenceChange { who, state })
            .collect(),
        more,
        counts,
    })))
}

/// The `members` requests among `effects`: (id, after).
fn members_asked(effects: &[Effect]) -> Vec<(u64, Option<String>)> {
    sent(effects)
        .into_iter()
        .filter_map(|e| match (&e.id, &e.request) {
            (Some(RequestId::Number(id)), Request::Members { after, .. }) => {
                Some((*id, after.clone()))
            }
            _ => None,
        })
        .collect()
}

fn loaded_ids(app: &App) -> Vec<String> {
    app.view()
        .map(|v| v.members.loaded().map(|m| m.who.id.clone()).collect())
        .unwrap_or_default()
}

fn delegate(n: usize) -> Actor {
    fixture::actor(
        &format!("p-{n:05}"),
        &format!("Delegate {n:05}"),
        &format!("Delegation {n:05}"),
        Stakeholder::Government,
        Role::Delegate,
    )
}

fn page_of(range: std::ops::Range<usize>) -> Vec<MemberView> {
    range
        .map(|n| MemberView {
            who: delegate(n),
            online: n % 3 != 0,
            muted: false,
            muted_until: None,
            speaking_ms: 0,
        })
        .collect()
}

/// A plenary of 10,004, 6,231 online.
fn plenary_counts() -> Counts {
    let mut counts = Counts {
        members: 10_004,
        online: 6_231,
        guests: Tally {
            members: 12,
            online: 9,
        },
        ..Counts::default()
    };
    counts.stakeholders.insert(
        Stakeholder::Government,
        Tally {
            members: 9_992,
            online: 6_222,
        },
    );
    counts
}

/// The fixture's app, moved into a plenary of 10,004 whose first page
/// (members 0..100) has come.
fn plenary(lang: &str) -> App {
    let mut app = fixture::app(lang, &fixture::kenya());
    let effects = update(&mut app, presence(Vec::new(), true, plenary_counts()), NOW);
    assert!(members_asked(&effects).is_empty(), "not at once: jittered");
    let effects = update(&mut app, Action::Tick, NOW + REPAGE_JITTER_MS);
    let asked = members_asked(&effects);
    assert_eq!(asked.len(), 1, "a crowd is paged again");
    assert_eq!(asked[0].1, None, "from the top");
    update(
        &mut app,
        members_page(
            asked[0].0,
            page_of(0..100),
            Some("p-00099:delegate 00099"),
            10_004,
        ),
        NOW,
    );
    app
}

#[test]
fn the_join_asks_for_the_first_page_of_members() {
    let mut app = App::new(Localizer::for_tag("en"), BidiMode::App, "n".into());
    update(&mut app, welcome(&fixture::kenya()), NOW);
    let effects = update(
        &mut app,
        frame(ServerFrame::Ok {
            id: Some(RequestId::Number(1)),
            room: Some(ROOM.into()),
            seq: Some(9),
            duplicate: false,
            you: None,
        }),
        NOW,
    );
    let asked = sent(&effects);
    assert_eq!(asked.len(), 1);
    assert!(
        matches!(&asked[0].request, Request::Members { room, after: None, limit: Some(_), .. } if room == ROOM)
    );
    assert!(asked[0].nonce.is_none(), "paging creates no event");
}

#[test]
fn presence_patches_the_member_list() {
    let mut app = fixture::app("en", &fixture::kenya());
    assert_eq!(loaded_ids(&app).len(), 8);
    let newcomer = fixture::actor(
        "p-zz",
        "Zara Ali",
        "Pakistan",
        Stakeholder::Government,
        Role::Delegate,
    );
    let mut counts = fixture::counts();
    counts.members += 1;
    let effects = update(
        &mut app,
        presence(
            vec![
                (newcomer.clone(), PresenceState::Online),
                (fixture::egypt(), PresenceState::Online),
                (fixture::france(), PresenceState::Offline),
                (fixture::guest(), PresenceState::Left),
            ],
            false,
            counts.clone(),
        ),
        NOW,
    );
    assert!(members_asked(&effects).is_empty(), "patched, not paged");
    let view = app.view().expect("in the plenary");
    let list = &view.members;
    assert!(
        list.get("p-zz").is_some_and(|m| m.online),
        "a newcomer is added"
    );
    assert!(
        list.get("p-eg").is_some_and(|m| m.online),
        "Egypt came online"
    );
    assert!(
        list.get("p-fr").is_some_and(|m| !m.online),
        "France went offline"
    );
    assert_eq!(
        list.get("p-fr").map(|m| m.speaking_ms),
        Some(180_000),
        "what the page said of France stays"
    );
    assert!(list.get("g-ln").is_none(), "the guest left");
    assert_eq!(list.counts, counts, "the counts come with the batch");
    assert_eq!(view.state.as_ref().map(|s| &s.counts), Some(&counts));
    // In name order: Zara Ali after Wanjiru Kamau.
    let ids = loaded_ids(&app);
    let kenya = ids.iter().position(|i| i == "p-ke");
    let zara = ids.iter().position(|i| i == "p-zz");
    assert!(kenya < zara, "{ids:?}");
}

#[test]
fn presence_past_the_loaded_pages_waits_for_its_page() {
    let mut app = plenary("en");
    let before = loaded_ids(&app).len();
    // Delegate 00050 is loaded; 05000 is far past the frontier; "Aaron"
    // sorts before it and so belongs to what is loaded.
    let aaron = fixture::actor(
        "p-aa",
        "Aaron Abebe",
        "Ethiopia",
        Stakeholder::Government,
        Role::Delegate,
    );
    update(
        &mut app,
        presence(
            vec![
                (delegate(5_000), PresenceState::Online),
                (aaron, PresenceState::Online),
                (delegate(50), PresenceState::Left),
            ],
            false,
            plenary_counts(),
        ),
        NOW,
    );
    let list = &app.view().expect("joined").members;
    assert!(list.get("p-05000").is_none(), "left for its page");
    assert!(list.get("p-aa").is_some(), "inside the loaded stretch");
    assert!(list.get("p-00050").is_none(), "left the room");
    assert_eq!(list.len(), before);
}

#[test]
fn paging_appends_in_order_and_stops_at_the_last_page() {
    let mut app = plenary("en");
    assert_eq!(loaded_ids(&app).len(), 100);
    // The pane is drawn, the reader scrolls to the end of what is loaded:
    // the next page is asked for, after the last one.
    let _ = crate::ui_test_screen(&app);
    let effects = update(
        &mut app,
        Action::Key(KeyEvent::new(KeyCode::End, KeyModifiers::ALT)),
        NOW,
    );
    let asked = members_asked(&effects);
    assert_eq!(
        asked,
        vec![(asked[0].0, Some("p-00099:delegate 00099".to_owned()))]
    );
    // Only one page at a time; the end of the list says it is coming.
    assert!(members_asked(&update(&mut app, Action::Tick, NOW)).is_empty());
    let screen = crate::ui_test_screen(&app);
    assert!(screen.contains("│Loading…"), "{screen}");
    update(
        &mut app,
        members_page(asked[0].0, page_of(100..200), None, 200),
        NOW,
    );
    let ids = loaded_ids(&app);
    let expected: Vec<String> = (0..200).map(|n| format!("p-{n:05}")).collect();
    assert_eq!(ids, expected, "appended, in name order");
    assert!(app.view().is_some_and(|v| v.members.complete()));
    // The last page has come: nothing more is asked, however far one scrolls.
    let _ = crate::ui_test_screen(&app);
    let effects = update(
        &mut app,
        Action::Key(KeyEvent::new(KeyCode::End, KeyModifiers::ALT)),
        NOW,
    );
    assert!(members_asked(&effects).is_empty());
    assert!(members_asked(&update(&mut app, Action::Tick, NOW)).is_empty());
}

#[test]
fn a_crowd_while_a_page_is_on_its_way_pages_again_once_it_lands() {
    let mut app = plenary("en");
    let _ = crate::ui_test_screen(&app);
    let effects = update(
        &mut app,
        Action::Key(KeyEvent::new(KeyCode::End, KeyModifiers::ALT)),
        NOW,
    );
    let (id, _) = members_asked(&effects)[0].clone();
    let effects = update(&mut app, presence(Vec::new(), true, plenary_counts()), NOW);
    assert!(members_asked(&effects).is_empty(), "one request at a time");
    let effects = update(
        &mut app,
        members_page(
            id,
            page_of(100..200),
            Some("p-00199:delegate 00199"),
            10_004,
        ),
        NOW,
    );
    assert!(members_asked(&effects).is_empty(), "not at once: jittered");
    let effects = update(&mut app, Action::Tick, NOW + REPAGE_JITTER_MS);
    let asked = members_asked(&effects);
    assert_eq!(asked.len(), 1);
    assert_eq!(asked[0].1, None, "from the top again");
    // The fresh first page replaces what was loaded.
    update(
        &mut app,
        members_page(
            asked[0].0,
            page_of(0..100),
            Some("p-00099:delegate 00099"),
            10_004,
        ),
        NOW,
    );
    assert_eq!(loaded_ids(&app).len(), 100);
}

#[test]
fn a_page_that_answers_an_older_request_is_dropped() {
    let mut app = plenary("en");
    let before = loaded_ids(&app);
    update(
        &mut app,
        members_page(999, page_of(500..600), None, 10_004),
        NOW,
    );
    assert_eq!(loaded_ids(&app), before);
}

#[test]
fn a_presence_during_a_page_is_applied_on_top_of_it() {
    let mut app = fixture::app("en", &fixture::kenya());
    update(&mut app, presence(Vec::new(), true, fixture::counts()), NOW);
    let effects = update(&mut app, Action::Tick, NOW + REPAGE_JITTER_MS);
    let (id, _) = members_asked(&effects)[0].clone();
    // France leaves while the page (read before she left) is on its way.
    update(
        &mut app,
        presence(
            vec![(fixture::france(), PresenceState::Left)],
            false,
            fixture::counts(),
        ),
        NOW,
    );
    update(&mut app, members_page(id, fixture::members(), None, 8), NOW);
    assert!(app.view().is_some_and(|v| v.members.get("p-fr").is_none()));
}

#[test]
fn a_plenary_shows_its_counts_and_lists_by_name() {
    let app = plenary("en");
    let screen = crate::ui_test_screen(&app);
    assert!(screen.contains("6,231 online of 10,004"), "{screen}");
    assert!(screen.contains("12 guests"), "{screen}");
    // In name order, the name first.
    assert!(screen.contains("● Delegate 00001 · Del…"), "{screen}");
    // Not grouped: too many to group while the list is paged.
    assert!(!screen.contains("Governments"), "{screen}");
    let app = plenary("ar");
    let screen = strip_isolates(&crate::ui_test_screen(&app)).into_owned();
    assert!(screen.contains("10,004"), "{screen}");
}

#[test]
fn muting_and_turns_show_in_the_member_list() {
    let mut app = fixture::app("en", &fixture::kenya());
    let muted = EventFrame {
        room: ROOM.into(),
        seq: 10,
        ts: NOW,
        event: Event::Muted {
            by: fixture::chair(),
            who: fixture::france(),
            until: None,
            reason: None,
        },
    };
    update(&mut app, frame(ServerFrame::Event(muted)), NOW);
    assert!(app
        .view()
        .and_then(|v| v.members.get("p-fr"))
        .is_some_and(|m| m.muted));
}

fn turn_ended(seq: u64, holder: Actor, spoke_ms: i64) -> Action {
    frame(ServerFrame::Event(EventFrame {
        room: ROOM.into(),
        seq,
        ts: NOW,
        event: Event::TurnEnded {
            turn: seq,
            holder,
            reason: dais_protocol::TurnEndReason::TimeExpired,
            by: None,
            spoke_ms,
            note: None,
        },
    }))
}

#[test]
fn your_speaking_time_is_what_join_said_plus_your_later_turns() {
    let mut app = fixture::app("en", &fixture::kenya());
    let spoken = |app: &App| {
        app.view()
            .and_then(|v| v.you.as_ref())
            .map(|y| y.speaking_ms)
    };
    assert_eq!(spoken(&app), Some(42_000), "from join's ok");
    update(&mut app, turn_ended(10, fixture::kenya(), 60_000), NOW);
    assert_eq!(spoken(&app), Some(102_000));
    // The same event again (a replay), someone else's turn, and an old
    // turn the ok already counted: none of them adds.
    update(&mut app, turn_ended(10, fixture::kenya(), 60_000), NOW);
    update(&mut app, turn_ended(11, fixture::france(), 30_000), NOW);
    update(&mut app, turn_ended(4, fixture::kenya(), 5_000), NOW);
    assert_eq!(spoken(&app), Some(102_000));
    let screen = crate::ui_test_screen(&app);
    assert!(screen.contains("You have spoken 1:42"), "{screen}");
    // The list counts France's turn too.
    assert_eq!(
        app.view()
            .and_then(|v| v.members.get("p-fr"))
            .map(|m| m.speaking_ms),
        Some(210_000)
    );
}

#[test]
fn a_room_update_replaces_its_line_or_adds_one_and_a_removal_drops_it() {
    let mut app = fixture::app("en", &fixture::kenya());
    let mut cyber = fixture::rooms()[1].clone();
    cyber.locked = true;
    cyber.mode = dais_protocol::Mode::Suspended;
    update(
        &mut app,
        frame(ServerFrame::RoomUpdate { room: cyber }),
        NOW,
    );
    assert_eq!(app.rooms.len(), 3);
    assert!(app.rooms[1].locked && app.rooms[1].mode == dais_protocol::Mode::Suspended);
    let mut new = fixture::rooms()[2].clone();
    new.id = "ethics".into();
    new.title = "AI ethics".into();
    update(&mut app, frame(ServerFrame::RoomUpdate { room: new }), NOW);
    assert_eq!(app.rooms.len(), 4);
    assert_eq!(app.room_title("ethics"), "AI ethics");
    update(
        &mut app,
        frame(ServerFrame::RoomRemoved {
            room: "cyber".into(),
        }),
        NOW,
    );
    let ids: Vec<&str> = app.rooms.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, vec![ROOM, "access", "ethics"]);
}

#[test]
fn switching_the_language_asks_for_the_room_titles_in_it() {
    let mut app = fixture::app("en", &fixture::kenya());
    update(&mut app, key(KeyCode::F(12)), NOW);
    let effects = update(&mut app, key(KeyCode::Char('5')), NOW);
    assert!(effects.contains(&Effect::Language("zh-CN".into())));
    let asked = sent(&effects);
    assert!(
        matches!(&asked[0].request, Request::Rooms { lang: Some(lang) } if lang == "zh-CN"),
        "{asked:?}"
    );
    update(
        &mut app,
        frame(ServerFrame::Rooms {
            id: asked[0].id.clone(),
            rooms: fixture::rooms_in("zh-CN"),
        }),
        NOW,
    );
    assert_eq!(app.room_title(ROOM), "全体会议");
    assert_eq!(app.room_title("access"), "Access and inclusion");
}

#[test]
fn a_guest_is_marked_wherever_their_name_is_shown() {
    // A guest who called themself "Kenya": only the badge tells them apart.
    let impostor = Actor {
        id: "g-im".into(),
        name: "Kenya".into(),
        delegation: String::new(),
        stakeholder: Stakeholder::CivilSociety,
        role: Role::Delegate,
        guest: true,
    };
    let mut app = fixture::app("en", &fixture::chair());
    let mut state = fixture::state();
    state.queue.push(dais_protocol::QueueEntryView {
        who: impostor.clone(),
        class: dais_protocol::EntryClass::Speech,
        reply_to: None,
        requested_at: NOW,
    });
    update(
        &mut app,
        frame(ServerFrame::RoomState(Box::new(state))),
        NOW,
    );
    let speech = EventFrame {
        room: ROOM.into(),
        seq: 10,
        ts: NOW,
        event: Event::Speech {
            by: impostor.clone(),
            text: "I speak for Kenya.".into(),
            lang: "en".into(),
        },
    };
    update(&mut app, frame(ServerFrame::Event(speech)), NOW);
    update(
        &mut app,
        presence(
            vec![(impostor.clone(), PresenceState::Online)],
            false,
            fixture::counts(),
        ),
        NOW,
    );
    let screen = crate::ui_test_screen(&app);
    // The queue, the transcript and the member list each mark the guest.
    assert!(screen.contains("4. Kenya [guest]"), "{screen}");
    assert!(screen.contains("Kenya [guest] CS English"), "{screen}");
    assert!(screen.contains("● Kenya [guest]"), "{screen}");
    // The chair's pickers too.
    update(&mut app, Action::Command(Command::Mute), NOW);
    let Some(Overlay::Pick { items, .. }) = &app.overlay else {
        panic!("a picker opens");
    };
    assert!(
        items
            .iter()
            .any(|i| strip_isolates(&i.label) == "Kenya [guest]"),
        "{items:?}"
    );
    // In the other languages, the badge is theirs.
    for (lang, badge) in [("fr", "[invité]"), ("zh-CN", "[访客]"), ("ru", "[гость]")] {
        let mut app = fixture::app(lang, &fixture::kenya());
        update(
            &mut app,
            frame(ServerFrame::Event(EventFrame {
                room: ROOM.into(),
                seq: 10,
                ts: NOW,
                event: Event::Speech {
                    by: impostor.clone(),
                    text: "…".into(),
                    lang: "en".into(),
                },
            })),
            NOW,
        );
        let screen = crate::ui_test_screen(&app);
        assert!(
            screen.contains(&format!("Kenya {badge}")),
            "{lang}: {screen}"
        );
    }
}

#[test]
fn an_observer_is_offered_no_action_to_speak() {
    let mut app = fixture::app("en", &fixture::guest());
    let offered = palette_entries(&app, "");
    for command in [
        Command::RequestFloor,
        Command::Vote,
        Command::PointOfOrder,
        Command::RightOfReply,
        Command::NextSpeaker,
        Command::Announce,
    ] {
        assert!(!offered.contains(&command), "{command:?} offered");
    }
    assert!(offered.contains(&Command::Language));
    let effects = update(&mut app, key(KeyCode::F(2)), NOW);
    assert!(sent(&effects).is_empty());
    assert_eq!(toast(&app), "Your role does not allow this");
    // Nor does the help list what the role may not do.
    update(&mut app, key(KeyCode::F(1)), NOW);
    let screen = crate::ui_test_screen(&app);
    assert!(!screen.contains("Request the floor"), "{screen}");
    assert!(!screen.contains("Next speaker"), "{screen}");
    // No speaking time for who never speaks.
    update(&mut app, key(KeyCode::Esc), NOW);
    let screen = crate::ui_test_screen(&app);
    assert!(!screen.contains("You have spoken"), "{screen}");
}

#[test]
fn the_access_table_sets_the_palette_of_each_role() {
    let interpreter = fixture::actor(
        "p-in",
        "Inès Duval",
        "",
        Stakeholder::Intergovernmental,
        Role::Interpreter,
    );
    let app = fixture::app("en", &interpreter);
    let offered = palette_entries(&app, "");
    assert!(offered.contains(&Command::Interpret));
    assert!(offered.contains(&Command::PointOfOrder));
    assert!(!offered.contains(&Command::RequestFloor));
    assert!(!offered.contains(&Command::Vote));
    let chair = fixture::app("en", &fixture::chair());
    let offered = palette_entries(&chair, "");
    assert!(offered.contains(&Command::NextSpeaker));
    assert!(!offered.contains(&Command::RequestFloor));
}

#[test]
fn a_busy_server_is_told_and_retried() {
    let mut app = App::new(Localizer::for_tag("en"), BidiMode::App, "n".into());
    update(
        &mut app,
        Action::Net(NetEvent::Busy { retry_in_ms: 5_000 }),
        NOW,
    );
    assert_eq!(
        app.conn,
        Conn::Busy {
            retry_at: NOW + 5_000
        }
    );
    let screen = crate::ui_test_screen(&app);
    assert!(
        screen.contains("is busy (too many connections), retrying in 5 seconds"),
        "{screen}"
    );
    let mut app = App::new(Localizer::for_tag("ar"), BidiMode::Off, "n".into());
    update(
        &mut app,
        Action::Net(NetEvent::Busy { retry_in_ms: 5_000 }),
        NOW,
    );
    let screen = crate::ui_test_screen(&app);
    assert!(screen.contains("مشغول (اتصالات كثيرة)"), "{screen}");
}

#[test]
fn a_chair_may_rule_on_all_points_at_once() {
    let mut app = fixture::app("en", &fixture::chair());
    let mut state = fixture::state();
    state.points_of_order.push(dais_protocol::PointView {
        seq: 8,
        by: fixture::france(),
        text: None,
        truncated: false,
    });
    update(
        &mut app,
        frame(ServerFrame::RoomState(Box::new(state))),
        NOW,
    );
    update(&mut app, Action::Command(Command::Rule), NOW);
    // Two points, then "all of them".
    update(&mut app, key(KeyCode::Char('3')), NOW);
    type_text(&mut app, "Both are noted");
    update(&mut app, key(KeyCode::Enter), NOW);
    let effects = update(&mut app, key(KeyCode::Char('3')), NOW);
    assert!(matches!(
        &sent(&effects)[0].request,
        Request::Rule {
            point: None,
            all: true,
            upheld: None,
            ..
        }
    ));
}

#[test]
fn keys_pressed_between_two_draws_all_scroll_the_participants() {
    let mut app = plenary("en");
    let _ = crate::ui_test_screen(&app);
    let alt_down = Action::Key(KeyEvent::new(KeyCode::Down, KeyModifiers::ALT));
    update(&mut app, alt_down.clone(), NOW);
    update(&mut app, alt_down, NOW);
    assert_eq!(app.view().map(|v| v.members.scroll), Some(2));
    let screen = crate::ui_test_screen(&app);
    assert!(screen.contains("│ ● Delegate 00002 · Del…"), "{screen}");
    assert!(!screen.contains("Delegate 00001 ·"), "{screen}");
}

#[test]
fn a_long_notice_is_cut_at_its_end_in_a_mirrored_status_line() {
    let mut app = fixture::app("ar", &fixture::kenya());
    let text = "تحذير: ".to_owned() + &"كلام طويل ".repeat(30);
    app.toast = Some(Toast {
        text,
        kind: ToastKind::Error,
        until: NOW + 10_000,
        holds: None,
    });
    let screen = crate::ui_test_screen(&app);
    let status = screen.lines().last().unwrap_or_default().to_owned();
    // The connection state is still there, and the notice's first word.
    assert!(status.contains("ﻞﺼﺘﻣ"), "{status}");
    assert!(status.contains("ﺮﻳﺬﺤﺗ"), "{status}");
}

#[test]
fn a_crowd_s_member_list_is_paged_again_within_two_seconds_not_at_once() {
    let mut app = fixture::app("en", &fixture::kenya());
    let presence = dais_protocol::Presence {
        room: ROOM.into(),
        seq: 9,
        changes: Vec::new(),
        more: true,
        counts: fixture::counts(),
    };
    let effects = update(
        &mut app,
        frame(ServerFrame::Presence(Box::new(presence))),
        NOW,
    );
    assert!(sent(&effects).is_empty());
    let at = app.view().and_then(|v| v.repage_at).unwrap_or_default();
    assert!((NOW..=NOW + REPAGE_JITTER_MS).contains(&at), "{at}");
    let effects = update(&mut app, Action::Tick, at);
    let asked: Vec<&Request> = sent(&effects).iter().map(|e| &e.request).collect();
    assert!(matches!(asked[..], [Request::Members { after: None, .. }]));
}
