//! The room list: each room with its mode, a lock, and its unread count.

use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use super::{dim, pane, row, txt, txta, vis};
use crate::app::App;
use crate::bidi::{truncate, width};

/// Rows the pane wants: one per room and its borders.
pub fn height(app: &App) -> u16 {
    (app.rooms.len().max(1) as u16).saturating_add(2)
}

pub fn draw(frame: &mut Frame, app: &App, area: Rect) {
    let block = pane(app, txt(app, "pane-rooms"), false);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let inner_width = usize::from(inner.width);
    let mut lines: Vec<Line> = Vec::new();
    if app.rooms.is_empty() {
        lines.push(row(app, vec![Span::styled(txt(app, "rooms-none"), dim())]));
    }
    // More rooms than rows: a window of them that holds the current room,
    // and a last row that says how many more there are.
    let rows = usize::from(inner.height);
    let here = app
        .current
        .as_ref()
        .and_then(|c| app.rooms.iter().position(|r| &r.id == c))
        .unwrap_or(0);
    let (first, shown, more) = if app.rooms.len() > rows && rows > 0 {
        let shown = rows - 1;
        let first = (here + 1).saturating_sub(shown);
        (first, shown, app.rooms.len() - shown)
    } else {
        (0, app.rooms.len(), 0)
    };
    for summary in app.rooms.iter().skip(first).take(shown) {
        let current = app.current.as_deref() == Some(summary.id.as_str());
        let unread = app
            .views
            .get(&summary.id)
            .filter(|_| !current)
            .map_or(0, |v| v.unread());
        let mode = txt(
            app,
            &format!("mode-short-{}", summary.mode.as_str().replace('_', "-")),
        );
        let mut tail = format!(" {mode}");
        if summary.locked {
            tail.push_str(" 🔒");
        }
        let badge = if unread > 0 {
            txta(app, "rooms-unread", &crate::args!["count" => unread])
        } else {
            String::new()
        };
        let marker = match (current, app.l10n.is_rtl()) {
            (true, false) => "▸ ",
            (true, true) => "◂ ",
            (false, _) => "  ",
        };
        let room_width = inner_width
            .saturating_sub(width(marker) + width(&tail) + width(&badge) + 1)
            .max(4);
        let title = vis(app, &truncate(&app.room_title(&summary.id), room_width));
        let title_style = if current {
            Style::default()
                .add_modifier(Modifier::BOLD)
                .fg(Color::White)
        } else {
            Style::default()
        };
        let pad = inner_width
            .saturating_sub(width(marker) + width(&title) + width(&tail) + width(&badge) + 1);
        lines.push(row(
            app,
            vec![
                Span::raw(marker),
                Span::styled(title, title_style),
                Span::styled(tail, dim()),
                Span::raw(" ".repeat(pad + 1)),
                Span::styled(badge, Style::default().fg(Color::Black).bg(Color::Yellow)),
            ],
        ));
    }
    if more > 0 {
        let text = truncate(
            &app.l10n.ta("rooms-more", &crate::args!["count" => more]),
            inner_width,
        );
        lines.push(row(app, vec![Span::styled(vis(app, &text), dim())]));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}
