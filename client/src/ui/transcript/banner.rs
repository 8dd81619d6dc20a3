//! The open poll's banner above the transcript: its question, its counts
//! and, for whoever may vote, how to.

use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};

use dais_protocol::PollView;

use super::super::{bold, row, txt, txta};
use crate::app::{option_label, App};
use crate::bidi;

/// The open poll, above the transcript: the question (two lines at most,
/// with an ellipsis when cut), the counts and, for whoever may vote, the key.
/// Each count is one piece, its option isolated, and pieces wrap whole:
/// a right-to-left label neither scrambles the line nor splits a word.
pub(super) fn poll_banner(app: &App, poll: &PollView, width: usize) -> Vec<Line<'static>> {
    let style = bold().fg(Color::LightMagenta);
    let question = format!(
        "▣ {}",
        app.l10n.ta(
            "poll-banner",
            &crate::args!["question" => poll.question.clone()]
        )
    );
    let mut question_lines = bidi::layout(&question, width, app.l10n.is_rtl(), app.bidi);
    if question_lines.len() > 2 {
        question_lines.truncate(2);
        // Cut the second line to leave room for the ellipsis, at its end
        // in reading order.
        if let Some(last) = question_lines.last_mut() {
            let room = width.saturating_sub(1);
            let text = if bidi::width(&last.text) > room {
                bidi::truncate(&last.text, room)
                    .trim_end_matches('…')
                    .to_owned()
            } else {
                last.text.clone()
            };
            // The ellipsis goes where the line's text ends: on the left of a
            // right-to-left line, on the right of a Latin one.
            last.text = if app.l10n.is_rtl() && bidi::has_rtl(&last.text) {
                format!("…{text}")
            } else {
                format!("{text}…")
            };
        }
    }
    let mut lines: Vec<Line> = question_lines
        .into_iter()
        .map(|l| row(app, vec![Span::styled(l.text, style)]))
        .collect();
    let mut pieces: Vec<String> = poll
        .options
        .iter()
        .zip(&poll.counts)
        .enumerate()
        .map(|(i, (option, count))| {
            txta(
                app,
                "poll-count",
                &crate::args![
                    "number" => i + 1,
                    "option" => option_label(&app.l10n, option),
                    "count" => *count,
                ],
            )
        })
        .collect();
    // Only whoever may vote is told how (a chair or an interpreter is not).
    if app.may_vote() {
        let my_delegation = app
            .me
            .as_ref()
            .map(|m| m.delegation.clone())
            .unwrap_or_default();
        let hint = if poll.voted.contains(&my_delegation) {
            txt(app, "poll-voted")
        } else {
            txt(app, "poll-hint")
        };
        pieces.push(hint);
    }
    for line in flow(&pieces, " · ", width, app.l10n.is_rtl())
        .into_iter()
        .take(3)
    {
        lines.push(row(
            app,
            vec![Span::styled(line, Style::default().fg(Color::LightMagenta))],
        ));
    }
    lines.push(Line::styled(
        "─".repeat(width),
        Style::default().fg(Color::DarkGray),
    ));
    lines
}

/// Pack pieces (each already in visual order) into lines of `width`
/// cells, in reading order, never splitting a piece unless it alone is
/// wider than a line. `row` mirrors the result for a right-to-left
/// interface, so the pieces are joined here in reading order.
fn flow(pieces: &[String], separator: &str, width: usize, rtl: bool) -> Vec<String> {
    let mut lines: Vec<Vec<String>> = Vec::new();
    let mut used = 0;
    for piece in pieces {
        let piece = bidi::truncate(piece, width);
        let w = bidi::width(&piece);
        let sep = bidi::width(separator);
        match lines.last_mut() {
            Some(line) if used + sep + w <= width => {
                line.push(piece);
                used += sep + w;
            }
            _ => {
                lines.push(vec![piece]);
                used = w;
            }
        }
    }
    lines
        .into_iter()
        .map(|mut l| {
            if rtl {
                l.reverse();
            }
            l.join(separator)
        })
        .collect()
}
