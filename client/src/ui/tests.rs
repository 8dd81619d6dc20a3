//! Whole screens, drawn on ratatui's TestBackend: compared with the
//! snapshots in `src/ui/snapshots/` (read them: they are the screens), or
//! searched for what they must show (text in both directions, clipping,
//! counts, what each role is offered).

use ratatui::backend::TestBackend;
use ratatui::Terminal;

use crossterm::event::{KeyCode, KeyEvent};
use dais_protocol::{EntryClass, Event, EventFrame, ServerFrame, Stakeholder};

use crate::app::{room_update, update, Action, App, Focus, NetEvent, Overlay};
use crate::bidi::visual_line;
use crate::commands::Command;
use crate::fixture::{self, NOW, ROOM};

fn screen(app: &App, width: u16, height: u16) -> String {
    let mut terminal = match Terminal::new(TestBackend::new(width, height)) {
        Ok(terminal) => terminal,
        Err(e) => panic!("test backend: {e}"),
    };
    if let Err(e) = terminal.draw(|frame| super::draw(frame, app)) {
        panic!("draw: {e}");
    }
    terminal.backend().to_string()
}

fn key(code: KeyCode) -> Action {
    Action::Key(KeyEvent::from(code))
}

fn frame(f: ServerFrame) -> Action {
    Action::Net(NetEvent::Frame(Box::new(f)))
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

fn assert_clean(screen: &str) {
    for mark in ['\u{2066}', '\u{2067}', '\u{2068}', '\u{2069}'] {
        assert!(
            !screen.contains(mark),
            "an isolation mark reached the screen"
        );
    }
}

#[test]
fn debate_in_english_as_a_delegate() {
    let app = fixture::app("en", &fixture::kenya());
    let shown = screen(&app, 120, 40);
    assert_clean(&shown);
    assert!(shown.contains("◀ you"), "own place is marked");
    assert!(shown.contains("1:23"), "the countdown shows the time left");
    insta::assert_snapshot!(shown);
}

#[test]
fn default_poll_options_are_localized_in_the_proceedings() {
    let app = fixture::app("fr", &fixture::kenya());
    let shown = screen(&app, 120, 40);
    for label in ["1. Pour", "2. Contre", "3. Abstention"] {
        assert!(shown.contains(label), "`{label}` in:\n{shown}");
    }
    assert!(!shown.contains("1. support"), "{shown}");
}

#[test]
fn debate_in_arabic_mirrors_the_layout() {
    let app = fixture::app("ar", &fixture::kenya());
    let shown = screen(&app, 120, 40);
    assert_clean(&shown);
    insta::assert_snapshot!(shown);
}

#[test]
fn debate_in_chinese_as_the_chair() {
    let app = fixture::app("zh-CN", &fixture::chair());
    let shown = screen(&app, 120, 40);
    assert_clean(&shown);
    insta::assert_snapshot!(shown);
}

#[test]
fn smallest_screen_in_english() {
    let app = fixture::app("en", &fixture::kenya());
    insta::assert_snapshot!(screen(&app, 80, 24));
}

#[test]
fn smallest_screen_in_arabic() {
    let app = fixture::app("ar", &fixture::kenya());
    insta::assert_snapshot!(screen(&app, 80, 24));
}

#[test]
fn smallest_screen_in_chinese() {
    let app = fixture::app("zh-CN", &fixture::kenya());
    insta::assert_snapshot!(screen(&app, 80, 24));
}

#[test]
fn below_the_minimum_a_notice_replaces_the_screen() {
    for lang in ["en", "ar", "zh-CN"] {
        let app = fixture::app(lang, &fixture::kenya());
        let shown = screen(&app, 60, 20);
        assert_clean(&shown);
        assert!(shown.contains("80×24"), "{lang}: {shown}");
    }
    let app = fixture::app("en", &fixture::kenya());
    insta::assert_snapshot!(screen(&app, 60, 20));
}

#[test]
fn resizing_down_and_back_gives_the_same_screen() {
    let mut app = fixture::app("en", &fixture::kenya());
    let before = screen(&app, 120, 40);
    update(&mut app, Action::Resize(80, 24), NOW);
    let small = screen(&app, 80, 24);
    assert!(small.contains("Brazil"));
    update(&mut app, Action::Resize(120, 40), NOW);
    assert_eq!(screen(&app, 120, 40), before);
}

#[test]
fn no_size_panics() {
    let app = fixture::app("ar", &fixture::chair());
    for (w, h) in [
        (0, 0),
        (1, 1),
        (10, 3),
        (79, 24),
        (80, 23),
        (80, 24),
        (81, 25),
        (109, 30),
        (110, 30),
        (200, 60),
    ] {
        let mut terminal = match Terminal::new(TestBackend::new(w, h)) {
            Ok(terminal) => terminal,
            Err(e) => panic!("test backend: {e}"),
        };
        if let Err(e) = terminal.draw(|frame| super::draw(frame, &app)) {
            panic!("draw at {w}x{h}: {e}");
        }
    }
}

#[test]
fn help_lists_the_keys_in_the_interface_language() {
    let mut app = fixture::app("fr", &fixture::kenya());
    update(&mut app, Action::Command(Command::Help), NOW);
    let shown = screen(&app, 120, 40);
    assert!(shown.contains("Demander la parole"), "{shown}");
    assert!(shown.contains("F2"));
}

#[test]
fn palette_in_chinese() {
    let mut app = fixture::app("zh-CN", &fixture::chair());
    update(&mut app, Action::Command(Command::Palette), NOW);
    let shown = screen(&app, 120, 40);
    assert_clean(&shown);
    insta::assert_snapshot!(shown);
}

#[test]
fn a_selected_message_is_highlighted_and_kept_in_view() {
    let mut app = fixture::app("en", &fixture::kenya());
    app.focus = Focus::Transcript;
    // Seven messages: the seventh press reaches the first, the chair's welcome.
    for _ in 0..7 {
        update(
            &mut app,
            Action::Key(crossterm::event::KeyEvent::from(
                crossterm::event::KeyCode::Up,
            )),
            NOW,
        );
    }
    let shown = screen(&app, 80, 24);
    assert!(shown.contains("Welcome to the plenary"), "{shown}");
}

#[test]
fn fairness_view_in_english() {
    let app = fixture::fairness_app("en", &fixture::kenya());
    let shown = screen(&app, 80, 24);
    assert_clean(&shown);
    for text in [
        "Fairness · Plenary · whole record",
        "Gini coefficient: 0.45",
        "62.8%",
    ] {
        assert!(shown.contains(text), "`{text}` in:\n{shown}");
    }
    insta::assert_snapshot!(shown);
}

#[test]
fn fairness_view_in_arabic() {
    let app = fixture::fairness_app("ar", &fixture::kenya());
    let shown = screen(&app, 80, 24);
    assert_clean(&shown);
    insta::assert_snapshot!(shown);
}

#[test]
fn fairness_view_in_chinese() {
    let app = fixture::fairness_app("zh-CN", &fixture::chair());
    let shown = screen(&app, 80, 24);
    assert_clean(&shown);
    insta::assert_snapshot!(shown);
}

#[test]
fn fairness_view_in_english_at_120x40() {
    let app = fixture::fairness_app("en", &fixture::kenya());
    let shown = screen(&app, 120, 40);
    assert_clean(&shown);
    insta::assert_snapshot!(shown);
}

#[test]
fn fairness_view_scrolls_to_its_last_line_and_no_further() {
    let mut app = fixture::fairness_app("en", &fixture::kenya());
    let _ = screen(&app, 80, 24);
    update(
        &mut app,
        Action::Key(crossterm::event::KeyEvent::from(
            crossterm::event::KeyCode::End,
        )),
        NOW,
    );
    let shown = screen(&app, 80, 24);
    assert!(shown.contains("List cleared"), "{shown}");
    // One step up from the end shows one more line at the top.
    let Some(crate::app::Overlay::Fairness { scroll }) = app.overlay else {
        panic!("the view closed");
    };
    update(
        &mut app,
        Action::Key(crossterm::event::KeyEvent::from(
            crossterm::event::KeyCode::Up,
        )),
        NOW,
    );
    assert_eq!(
        app.overlay,
        Some(crate::app::Overlay::Fairness { scroll: scroll - 1 })
    );
}

#[test]
fn fairness_view_fits_every_size_in_every_language() {
    for (tag, _) in crate::i18n::LOCALES {
        let app = fixture::fairness_app(tag, &fixture::chair());
        for (w, h) in [(80, 24), (100, 30), (120, 40), (200, 60)] {
            let shown = screen(&app, w, h);
            assert_clean(&shown);
            assert!(
                !shown.contains("fairness-"),
                "{tag} {w}x{h}: an id shows:\n{shown}"
            );
        }
    }
}

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
    let _ = terminal.draw(|f| super::draw(f, &app));
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

#[test]
fn in_right_to_left_the_input_s_placeholder_sits_on_the_reading_side() {
    let mut app = fixture::app("ar", &fixture::kenya());
    update(&mut app, key(KeyCode::Esc), NOW);
    let shown = screen(&app, 120, 40);
    let placeholder = visual_line(&app.l10n.t("input-placeholder"), true, app.bidi);
    assert!(shown.contains(&format!("{placeholder}│")), "{shown}");
}
