//! The table of issue 16 through the transcript and line mode.

use super::event_lines;
use dais_words::{describe, in_slice, table, Lang, Words};

/// issue 16: the transcript and line mode say every event of the
/// table in the six languages with the same facts as the export and
/// the public page (the class of a turn, the right of reply's target,
/// a guest marked once).
#[test]
fn the_transcript_and_line_mode_carry_the_facts_of_every_event() {
    let frames = table::events();
    for lang in Lang::ALL {
        let mut app = crate::fixture::app(lang.tag(), &table::france());
        app.bidi = crate::bidi::BidiMode::Off;
        let view = app.views.entry(table::ROOM.to_string()).or_default();
        for frame in &frames {
            view.events.insert(frame.seq, frame.clone());
        }
        let view = &app.views[table::ROOM];
        let badge = crate::names::badge(&app.l10n, &table::guest());
        for frame in &frames {
            let Some(said) = describe(frame, &in_slice(&frames)) else {
                assert!(event_lines(&app, view, frame, 400).is_empty());
                assert!(crate::line::describe(&app, frame).is_none());
                continue;
            };
            let kind = table::kind(&frame.event);
            let text: Vec<String> = event_lines(&app, view, frame, 400)
                .iter()
                .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect())
                .collect();
            let text = text.join("\n");
            if let Err(e) = table::carries(Words::of(lang), &said, &text, &badge) {
                panic!("{lang} {kind} transcript: {e}");
            }
            let line = crate::line::describe(&app, frame).unwrap_or_default();
            if let Err(e) = table::carries(Words::of(lang), &said, &line, &badge) {
                panic!("{lang} {kind} line mode: {e}");
            }
        }
    }
}
