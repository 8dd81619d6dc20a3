//! The input line: multi-line text with the cursor on the right cell, even
//! after wide characters and inside right-to-left text.

use ratatui::layout::{Position, Rect};
use ratatui::text::Line;
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use super::{pane, txt};
use crate::app::{App, Focus};
use crate::bidi::{self, input_line};

/// Most lines of text the input shows at once.
const MAX_LINES: usize = 4;

/// Rows the input pane takes: its lines (up to four) and the borders.
pub fn height(app: &App, _width: u16) -> u16 {
    let lines = app.input.text().split('\n').count().clamp(1, MAX_LINES);
    lines as u16 + 2
}

pub fn draw(frame: &mut Frame, app: &App, area: Rect) {
    let focused = app.focus == Focus::Input && app.overlay.is_none();
    let title = if focused {
        txt(app, "input-title")
    } else {
        txt(app, "input-title-unfocused")
    };
    let block = pane(app, title, focused);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if inner.width == 0 || inner.height == 0 {
        return;
    }
    let (lines, cursor_line, cursor_column) = app.input.lines_and_cursor();
    let first = (cursor_line + 1).saturating_sub(usize::from(inner.height));
    let width = usize::from(inner.width);
    let mut shown = Vec::new();
    let mut cursor = None;
    for (i, line) in lines
        .iter()
        .enumerate()
        .skip(first)
        .take(usize::from(inner.height))
    {
        let column = if i == cursor_line { cursor_column } else { 0 };
        let (text, cell) = input_line(line, column, app.bidi);
        let text_width = bidi::width(&text);
        // Keep the cursor in view on a long line: show its last screenful.
        let skip = (cell + 1).saturating_sub(width);
        let visible: String = skip_cells(&text, skip);
        let rtl = bidi::has_rtl(line) && bidi::is_rtl_paragraph(line, false);
        let offset = if rtl {
            width.saturating_sub(text_width)
        } else {
            0
        };
        if i == cursor_line {
            cursor = Some((offset + cell - skip, i - first));
        }
        let line = Line::from(visible);
        shown.push(if rtl { line.right_aligned() } else { line });
    }
    if app.input.is_empty() && !focused {
        // On the reading side: right-aligned in a mirrored layout.
        let line = Line::from(txt(app, "input-placeholder")).style(super::dim());
        shown = vec![if app.l10n.is_rtl() {
            line.right_aligned()
        } else {
            line
        }];
    }
    frame.render_widget(Paragraph::new(shown), inner);
    if focused {
        if let Some((x, y)) = cursor {
            let x = inner.x + (x.min(width.saturating_sub(1))) as u16;
            frame.set_cursor_position(Position::new(x, inner.y + y as u16));
        }
    }
}

/// Drop the first `cells` cells of a line, by whole graphemes.
fn skip_cells(text: &str, cells: usize) -> String {
    use unicode_segmentation::UnicodeSegmentation;
    let mut used = 0;
    let mut out = String::new();
    for g in text.graphemes(true) {
        if used >= cells {
            out.push_str(g);
        }
        used += bidi::width(g);
    }
    out
}
