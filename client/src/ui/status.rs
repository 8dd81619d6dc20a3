//! The status line: connection, your role, the locale, and the latest notice.

use ratatui::layout::Rect;
use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use super::{bold, dim, row, txt, txta};
use crate::app::{error_text, App, Conn, ToastKind};
use crate::bidi::{truncate, visual_line, width};

pub fn draw(frame: &mut Frame, app: &App, area: Rect) {
    let (dot, conn, color) = match &app.conn {
        Conn::Online => ("●", txt(app, "status-online"), Color::Green),
        Conn::Connecting { attempt } => (
            "◌",
            txta(
                app,
                "status-connecting",
                &crate::args!["attempt" => attempt + 1],
            ),
            Color::Yellow,
        ),
        Conn::Offline { retry_at } => (
            "○",
            txta(
                app,
                "status-offline",
                &crate::args!["seconds" => ((retry_at - app.now).max(0) + 999) / 1000],
            ),
            Color::Red,
        ),
        Conn::Busy { retry_at } => (
            "○",
            txta(
                app,
                "status-busy",
                &crate::args!["seconds" => ((retry_at - app.now).max(0) + 999) / 1000],
            ),
            Color::Red,
        ),
        Conn::Failed(code) => (
            "✖",
            visual_line(&error_text(&app.l10n, *code), app.l10n.is_rtl(), app.bidi),
            Color::Red,
        ),
    };
    let mut pieces = vec![
        Span::styled(format!("{dot} "), Style::default().fg(color)),
        Span::styled(conn, Style::default().fg(color)),
    ];
    // A notice needs the room: it replaces the role and the locale.
    let quiet = app.toast.is_none();
    if let Some(me) = app.me.as_ref().filter(|_| quiet) {
        pieces.push(Span::styled(" · ", dim()));
        pieces.push(Span::styled(
            txt(app, &format!("role-{}", me.role.as_str())),
            bold(),
        ));
        pieces.push(super::guest_badge(app, &me.actor()));
    }
    if quiet {
        pieces.push(Span::styled(" · ", dim()));
        pieces.push(Span::styled(app.l10n.tag(), dim()));
    }
    let unsent = app
        .pending
        .values()
        .filter(|p| matches!(p.envelope.request, dais_protocol::Request::Say { .. }))
        .count();
    if unsent > 0 && app.conn != Conn::Online {
        pieces.push(Span::styled(" · ", dim()));
        pieces.push(Span::styled(
            txta(app, "status-unsent", &crate::args!["count" => unsent]),
            Style::default().fg(Color::Yellow),
        ));
    }
    pieces.push(Span::raw("  "));
    match &app.toast {
        Some(toast) => {
            let style = match toast.kind {
                ToastKind::Info => Style::default().fg(Color::Black).bg(Color::Yellow),
                ToastKind::Error => Style::default().fg(Color::White).bg(Color::Red),
            };
            // Cut to what is left of the line, at the end of the sentence:
            // a mirrored line that overflowed would lose its beginning
            // (and the connection state) instead.
            let used: usize = pieces.iter().map(|p| width(&p.content)).sum();
            let room = usize::from(area.width).saturating_sub(used + 2);
            let text = truncate(&toast.text, room);
            let text = visual_line(&text, app.l10n.is_rtl(), app.bidi);
            pieces.push(Span::styled(format!(" {text} "), style));
        }
        None => pieces.push(Span::styled(txt(app, "status-hint"), dim())),
    }
    let line: Line = row(app, pieces);
    frame.render_widget(Paragraph::new(line), area);
}
