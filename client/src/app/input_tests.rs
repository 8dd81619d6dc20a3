//! What the keys and the input do, tested on the state: prose typed
//! anywhere stays text and never fires a procedural act, an act that cannot
//! be undone asks first, and ↑ ↓, Tab, Ctrl+F, a paste and the arrows in
//! right-to-left text behave as users of shells and chat clients expect.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use dais_protocol::Request;

use super::*;
use crate::bidi::strip_isolates;
use crate::fixture::{self, NOW};

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

#[test]
fn in_right_to_left_text_the_arrows_move_the_way_they_point() {
    let mut app = fixture::app("ar", &fixture::kenya());
    type_text(&mut app, "سلام");
    // At the end of the text (its left end on screen), → goes back a letter.
    update(&mut app, key(KeyCode::Right), NOW);
    assert_eq!(app.input.cursor_graphemes(), 3);
    update(&mut app, key(KeyCode::Left), NOW);
    assert_eq!(app.input.cursor_graphemes(), 4);
}

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
