//! Whole screens, drawn on ratatui's TestBackend and compared with the
//! snapshots in `src/ui/snapshots/` (read them: they are the screens).

use ratatui::backend::TestBackend;
use ratatui::Terminal;

use crate::app::{update, Action, App, Focus};
use crate::commands::Command;
use crate::fixture::{self, NOW};

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
