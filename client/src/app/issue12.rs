//! One test per defect of issue 12 ("the client for a whole day of
//! debate"), each named for the rule it keeps. Each failed before its fix.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use dais_protocol::{
    ClockView, EntryClass, Event, EventFrame, FloorView, Request, ServerFrame, Stakeholder,
};

use super::*;
use crate::bidi::{strip_isolates, visual_line};
use crate::fixture::{self, NOW, ROOM};

fn frame(f: ServerFrame) -> Action {
    Action::Net(NetEvent::Frame(Box::new(f)))
}

fn key(code: KeyCode) -> Action {
    Action::Key(KeyEvent::from(code))
}

fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        update(app, key(KeyCode::Char(c)), NOW);
    }
}

fn sent(effects: &[Effect]) -> Vec<&Request> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Send(envelope) => Some(&envelope.request),
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

fn screen(app: &App, width: u16, height: u16) -> String {
    let backend = ratatui::backend::TestBackend::new(width, height);
    let mut terminal = match ratatui::Terminal::new(backend) {
        Ok(terminal) => terminal,
        Err(never) => match never {},
    };
    let _ = terminal.draw(|f| crate::ui::draw(f, app));
    terminal.backend().to_string()
}

fn event(seq: u64, event: Event) -> Action {
    frame(ServerFrame::Event(EventFrame {
        room: ROOM.into(),
        seq,
        ts: NOW,
        event,
    }))
}

fn room_state(state: dais_protocol::RoomState) -> Action {
    frame(ServerFrame::RoomState(Box::new(state)))
}

// 1. One stray key takes an irreversible procedural action.

#[test]
fn prose_typed_in_the_proceedings_fires_no_command() {
    // Brazil holds the floor: "yes" used to yield (y) and file a right of
    // reply (e); Arabic letters were mapped to commands too.
    let mut app = fixture::app("en", &fixture::brazil());
    update(&mut app, key(KeyCode::Esc), NOW);
    assert_eq!(app.focus, Focus::Transcript);
    let mut effects = Vec::new();
    for c in "yes نعم قرر sxEnC ".chars() {
        effects.extend(update(&mut app, key(KeyCode::Char(c)), NOW));
    }
    assert!(sent(&effects).is_empty(), "{effects:?}");
    assert!(app.overlay.is_none());
    assert_eq!(app.focus, Focus::Input);
    assert_eq!(app.input.text(), "yes نعم قرر sxEnC ");
}

#[test]
fn up_in_the_input_recalls_what_was_sent_and_keeps_the_focus() {
    let mut app = fixture::app("en", &fixture::brazil());
    type_text(&mut app, "First point.");
    update(&mut app, key(KeyCode::Enter), NOW);
    type_text(&mut app, "Second point.");
    update(&mut app, key(KeyCode::Enter), NOW);
    update(&mut app, key(KeyCode::Up), NOW);
    assert_eq!(app.focus, Focus::Input);
    assert_eq!(app.input.text(), "Second point.");
    update(&mut app, key(KeyCode::Up), NOW);
    assert_eq!(app.input.text(), "First point.");
    update(&mut app, key(KeyCode::Down), NOW);
    update(&mut app, key(KeyCode::Down), NOW);
    assert_eq!(app.input.text(), "");
}

#[test]
fn an_irreversible_act_asks_first_naming_it() {
    let mut app = fixture::app("en", &fixture::chair());
    // F7 would cut Brazil off.
    let effects = update(&mut app, key(KeyCode::F(7)), NOW);
    assert!(sent(&effects).is_empty());
    let Some(Overlay::Confirm { question, .. }) = &app.overlay else {
        panic!("F7 asks: {:?}", app.overlay);
    };
    assert!(strip_isolates(question).contains("Brazil"), "{question}");
    // Any other key than yes lets it go.
    let effects = update(&mut app, key(KeyCode::Char('n')), NOW);
    assert!(sent(&effects).is_empty());
    assert!(app.overlay.is_none());
    // Closing the poll names the poll.
    update(
        &mut app,
        Action::Command(crate::commands::Command::PollClose),
        NOW,
    );
    let Some(Overlay::Confirm { question, .. }) = &app.overlay else {
        panic!("closing the poll asks");
    };
    assert_eq!(
        strip_isolates(question),
        "Close the poll “Adopt the draft resolution as amended?”?"
    );
    let effects = update(&mut app, key(KeyCode::Char('y')), NOW);
    assert!(matches!(sent(&effects)[..], [Request::PollClose { .. }]));
    // In French, o (oui) says yes.
    let mut app = fixture::app("fr", &fixture::chair());
    update(&mut app, key(KeyCode::F(7)), NOW);
    let effects = update(&mut app, key(KeyCode::Char('o')), NOW);
    assert!(matches!(sent(&effects)[..], [Request::Next { .. }]));
}

// 2. Poll tally line.

#[test]
fn a_poll_tally_keeps_each_count_whole_with_a_right_to_left_label() {
    let mut app = fixture::app("zh-CN", &fixture::kenya());
    let mut state = fixture::state();
    if let Some(poll) = state.poll.as_mut() {
        poll.options = vec!["نعم".into(), "لا".into(), "abstain".into()];
    }
    update(&mut app, room_state(state), NOW);
    let shown = screen(&app, 80, 24);
    // Each count is one isolated piece: the label, then its count.
    let yes = visual_line(
        "1 \u{2068}نعم\u{2069}：5",
        false,
        crate::bidi::BidiMode::App,
    );
    assert!(shown.contains(&yes), "`{yes}` in:\n{shown}");
    // The hint is a piece too: never split across two lines.
    assert!(shown.contains("按 F6 投票"), "{shown}");
}

// 3. Arabic "window too small" screen.

#[test]
fn the_too_small_screen_in_arabic_is_reordered_once() {
    let app = fixture::app("ar", &fixture::kenya());
    let shown = screen(&app, 60, 20);
    // Read right to left: the sentence starts at the right with حجم.
    let first = shown
        .lines()
        .find(|l| l.contains('ﺣ'))
        .unwrap_or_default()
        .trim_end_matches(['"', ' '])
        .to_owned();
    assert!(first.ends_with("ﻢﺠﺣ"), "{first}");
    assert!(
        shown.contains("80×24") && shown.contains("60×20"),
        "{shown}"
    );
}

// 4. An Arabic message that opens with a Latin word.

#[test]
fn an_arabic_message_that_opens_with_a_latin_word_reads_right_to_left() {
    let mut app = fixture::app("en", &fixture::kenya());
    update(
        &mut app,
        event(
            10,
            Event::Speech {
                by: fixture::egypt(),
                text: "ITU تدعم المشروع".into(),
                lang: "ar".into(),
            },
        ),
        NOW,
    );
    let shown = screen(&app, 120, 40);
    // Right-aligned, with ITU at the right end where the sentence begins.
    assert!(shown.contains("ITU  │"), "{shown}");
}

// 5. Scrolling.

#[test]
fn scrolled_up_the_record_counts_what_came_and_end_goes_back() {
    let mut app = fixture::app("en", &fixture::kenya());
    let _ = screen(&app, 80, 24);
    update(&mut app, key(KeyCode::PageUp), NOW);
    let _ = screen(&app, 80, 24);
    update(
        &mut app,
        event(
            10,
            Event::Speech {
                by: fixture::france(),
                text: "Nous appuyons.".into(),
                lang: "fr".into(),
            },
        ),
        NOW,
    );
    let shown = screen(&app, 80, 24);
    assert!(shown.contains("1 new ↓ End"), "{shown}");
    update(&mut app, key(KeyCode::End), NOW);
    assert_eq!(app.view().map(|v| v.scroll), Some(0));
    assert!(!screen(&app, 80, 24).contains("new ↓"));
}

// 6. Stale notices.

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
    let effects = update(&mut app, room_state(state), NOW);
    assert_eq!(toast(&app), "You have the floor");
    assert!(effects.contains(&Effect::Bell));
    assert!(effects.iter().any(|e| matches!(e, Effect::Notify { .. })));
    // The chair withdraws the floor a second later.
    let mut state = fixture::state();
    state.floor = None;
    state.queue.retain(|e| e.who.id != fixture::kenya().id);
    update(&mut app, room_state(state), NOW + 1_000);
    assert_eq!(toast(&app), "", "gone with the floor");
}

// 7. One right of reply, one line, naming what it answers.

#[test]
fn a_right_of_reply_is_one_line_that_names_what_it_answers() {
    let mut app = fixture::app("en", &fixture::kenya());
    update(
        &mut app,
        event(
            10,
            Event::ReplyRequested {
                by: fixture::isoc(),
                to: 3,
            },
        ),
        NOW,
    );
    update(
        &mut app,
        event(
            11,
            Event::FloorRequested {
                by: fixture::isoc(),
                class: EntryClass::Reply,
                reply_to: Some(3),
            },
        ),
        NOW,
    );
    let shown = screen(&app, 120, 40);
    assert_eq!(shown.matches("right of reply").count(), 1, "{shown}");
    assert!(
        shown.contains("Internet Society asks for the right of reply to 中"),
        "{shown}"
    );
    assert!(shown.contains("(1:50\u{202f}PM): “"), "{shown}");
}

// 8. Clipping.

#[test]
fn long_names_give_way_with_an_ellipsis_and_keep_their_badges() {
    let mut app = fixture::app("ru", &fixture::kenya());
    let long = fixture::actor(
        "p-long",
        "Александра Константинопольская-Преображенская",
        "Международный союз электросвязи",
        Stakeholder::Intergovernmental,
        dais_protocol::Role::Delegate,
    );
    update(
        &mut app,
        event(
            10,
            Event::Speech {
                by: long.clone(),
                text: "Мы поддерживаем проект резолюции.".into(),
                lang: "ru".into(),
            },
        ),
        NOW,
    );
    let mut state = fixture::state();
    if let Some(floor) = state.floor.as_mut() {
        floor.holder = long;
        floor.class = EntryClass::ClarifyingQuestion;
    }
    update(&mut app, room_state(state), NOW);
    let shown = screen(&app, 80, 24);
    // The header keeps the group's badge and the language, the name gives way.
    let header = shown
        .lines()
        .find(|l| l.contains("русский"))
        .unwrap_or_default();
    assert!(header.contains("…"), "{header}");
    assert!(header.contains("МПО русский"), "{header}");
    // The floor pane keeps the class whole.
    assert!(shown.contains("(вопрос)"), "{shown}");
}

// 9. Actions the role cannot take are not offered.

#[test]
fn only_who_may_vote_is_told_how_and_a_chair_gets_no_point_of_order() {
    let chair = fixture::app("en", &fixture::chair());
    assert!(!screen(&chair, 120, 40).contains("F6"));
    let interpreter = fixture::actor(
        "p-in",
        "Inès Duval",
        "",
        Stakeholder::Intergovernmental,
        dais_protocol::Role::Interpreter,
    );
    assert!(!screen(&fixture::app("en", &interpreter), 120, 40).contains("F6"));
    assert!(screen(&fixture::app("en", &fixture::kenya()), 120, 40).contains("F6 to vote"));
    let mut chair = chair;
    update(&mut chair, key(KeyCode::F(5)), NOW);
    assert!(chair.overlay.is_none(), "no point-of-order prompt");
}

// 10. Interpretation and the language of a message.

#[test]
fn a_message_is_tagged_with_the_language_of_its_text_unless_the_author_says() {
    let mut app = fixture::app("en", &fixture::chair());
    type_text(&mut app, "نؤيد مشروع القرار بصيغته المعدلة");
    let effects = update(&mut app, key(KeyCode::Enter), NOW);
    assert!(matches!(sent(&effects)[..], [Request::Say { lang, .. }] if lang == "ar"));
    type_text(&mut app, "/lang fr");
    update(&mut app, key(KeyCode::Enter), NOW);
    type_text(&mut app, "Merci.");
    let effects = update(&mut app, key(KeyCode::Enter), NOW);
    assert!(matches!(sent(&effects)[..], [Request::Say { lang, .. }] if lang == "fr"));
}

// 12. The selected message stays legible.

#[test]
fn the_selected_message_s_time_and_language_are_not_grey_on_grey() {
    use ratatui::style::Color;
    let mut app = fixture::app("en", &fixture::kenya());
    update(&mut app, key(KeyCode::Esc), NOW);
    let backend = ratatui::backend::TestBackend::new(120, 40);
    let mut terminal = match ratatui::Terminal::new(backend) {
        Ok(terminal) => terminal,
        Err(never) => match never {},
    };
    let _ = terminal.draw(|f| crate::ui::draw(f, &app));
    let buffer = terminal.backend().buffer();
    let mut checked = 0;
    for y in 0..40 {
        for x in 0..120 {
            let cell = &buffer[(x, y)];
            if cell.bg == Color::DarkGray && cell.symbol() != " " {
                assert_ne!(cell.fg, Color::DarkGray, "at {x},{y}: {}", cell.symbol());
                checked += 1;
            }
        }
    }
    assert!(checked > 0, "a message is selected");
}

// 14. Small windows.

#[test]
fn a_small_window_says_how_many_more_rooms_and_people() {
    let mut app = fixture::app("en", &fixture::kenya());
    for (i, id) in ["a", "b", "c"].iter().enumerate() {
        let mut room = fixture::rooms()[2].clone();
        room.id = (*id).into();
        room.title = format!("Room {}", i + 4);
        room_update(&mut app, room);
    }
    let shown = screen(&app, 80, 24);
    assert!(shown.contains("+4 more · F9"), "{shown}");
    assert!(shown.contains("more · Alt+↓"), "{shown}");
}

// 15. Right-to-left input.

#[test]
fn in_right_to_left_text_the_arrows_move_the_way_they_point() {
    let mut app = fixture::app("ar", &fixture::kenya());
    type_text(&mut app, "سلام");
    // At the end of the text (its left end on screen), → goes back a letter.
    update(&mut app, key(KeyCode::Right), NOW);
    assert_eq!(app.input.cursor_graphemes(), 3);
    update(&mut app, key(KeyCode::Left), NOW);
    assert_eq!(app.input.cursor_graphemes(), 4);
    // The placeholder sits on the reading side of the mirrored layout.
    let mut app = fixture::app("ar", &fixture::kenya());
    update(&mut app, key(KeyCode::Esc), NOW);
    let shown = screen(&app, 120, 40);
    let placeholder = visual_line(&app.l10n.t("input-placeholder"), true, app.bidi);
    assert!(shown.contains(&format!("{placeholder}│")), "{shown}");
}

// 16. Polish.

#[test]
fn counts_language_names_and_current_choices_are_localized_and_marked() {
    let app = fixture::app("fr", &fixture::kenya());
    let shown = screen(&app, 120, 40);
    assert!(shown.contains("1 Pour : 5"), "{shown}");
    assert!(shown.contains("anglais"), "a language by its name: {shown}");
    let mut app = fixture::app("fr", &fixture::china());
    assert!(screen(&app, 120, 40).contains("F2 pour demander la parole"));
    update(&mut app, key(KeyCode::F(12)), NOW);
    let Some(Overlay::Pick {
        items, selected, ..
    }) = &app.overlay
    else {
        panic!("the language picker");
    };
    assert!(items[*selected].current && items[*selected].label == "Français");
    // The help says where in it the window is.
    let mut app = fixture::app("en", &fixture::chair());
    update(&mut app, key(KeyCode::F(1)), NOW);
    assert!(screen(&app, 80, 24).contains("Help · 1–"));
}

// 17. An outage costs nobody speaking time: the clock stands still offline.

#[test]
fn the_turn_s_clock_stands_still_while_offline() {
    let mut app = fixture::app("en", &fixture::kenya());
    update(
        &mut app,
        Action::Net(NetEvent::Disconnected { retry_in_ms: 1_000 }),
        NOW,
    );
    let later = NOW + 40_000;
    update(&mut app, Action::Tick, later);
    let shown = screen(&app, 120, 40);
    assert!(
        shown.contains("1:23"),
        "83 s left, as when it went: {shown}"
    );
    assert!(shown.contains("Clock stopped while offline"), "{shown}");
}

// Issue 10: a crowd's member list is paged again after a jitter.

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
    assert!(matches!(
        sent(&effects)[..],
        [Request::Members { after: None, .. }]
    ));
}

// What users of weechat and iamb expect.

#[test]
fn tab_completes_names_and_slash_commands() {
    let mut app = fixture::app("en", &fixture::chair());
    type_text(&mut app, "/ne");
    update(&mut app, key(KeyCode::Tab), NOW);
    assert_eq!(app.input.text(), "/next ");
    update(&mut app, key(KeyCode::Tab), NOW);
    assert_eq!(app.input.text(), "/new-room ");
    app.input.take();
    type_text(&mut app, "Thank you, Bra");
    update(&mut app, key(KeyCode::Tab), NOW);
    assert_eq!(app.input.text(), "Thank you, Brazil ");
}

#[test]
fn ctrl_f_finds_a_message_in_the_record() {
    let mut app = fixture::app("en", &fixture::kenya());
    update(
        &mut app,
        Action::Key(KeyEvent::new(KeyCode::Char('f'), KeyModifiers::CONTROL)),
        NOW,
    );
    type_text(&mut app, "the");
    // The newest match (Brazil's speech) is selected; ↑ goes to an older one.
    let first = app.view().and_then(|v| v.selected);
    update(&mut app, key(KeyCode::Up), NOW);
    let second = app.view().and_then(|v| v.selected);
    assert!(first.is_some() && second.is_some() && second < first);
    update(&mut app, key(KeyCode::Enter), NOW);
    assert_eq!(app.focus, Focus::Transcript);
}

#[test]
fn a_paste_of_several_lines_stays_in_the_input() {
    let mut app = fixture::app("en", &fixture::brazil());
    update(&mut app, key(KeyCode::Esc), NOW);
    let effects = update(&mut app, Action::Paste("one\ntwo\n".into()), NOW);
    assert!(sent(&effects).is_empty());
    assert_eq!(app.input.text(), "one\ntwo\n");
    assert_eq!(app.focus, Focus::Input);
}
