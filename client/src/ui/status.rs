//! The status line: connection, your role, the locale, and the latest notice.

use ratatui::layout::Rect;
use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use super::{bold, dim, row, txt, txta, vis};
use crate::app::{error_text, App, Conn, ToastKind};
use crate::bidi::{truncate, visual_line, width};

// Re-exported for the callers that still name it here (line.rs,
// transcript.rs); it lives in app so that line mode need not import ui.
use crate::app::server_name;

pub fn draw(frame: &mut Frame, app: &App, area: Rect) {
    let server = server_name(&app.server);
    let seconds = |at: i64| ((at - app.now).max(0) + 999) / 1000;
    // Which server, whenever it matters: while not connected, and always
    // when there are several to move between.
    let (dot, conn, color) = match &app.conn {
        Conn::Online if app.servers > 1 => (
            "●",
            app.l10n
                .ta("status-online-at", &crate::args!["server" => server]),
            Color::Green,
        ),
        Conn::Online => ("●", app.l10n.t("status-online"), Color::Green),
        Conn::Connecting { attempt } => (
            "◌",
            app.l10n.ta(
                "status-connecting",
                &crate::args!["attempt" => attempt + 1, "server" => server],
            ),
            Color::Yellow,
        ),
        Conn::Offline { retry_at } => (
            "○",
            app.l10n.ta(
                "status-offline",
                &crate::args!["seconds" => seconds(*retry_at), "server" => server],
            ),
            Color::Red,
        ),
        Conn::Busy { retry_at } => (
            "○",
            app.l10n.ta(
                "status-busy",
                &crate::args!["seconds" => seconds(*retry_at), "server" => server],
            ),
            Color::Red,
        ),
        Conn::Failed(code) => ("✖", error_text(&app.l10n, *code), Color::Red),
    };
    let full = usize::from(area.width);
    // The connection's state keeps at least half the line when a notice
    // shares it; each is cut with an ellipsis, never mid-word without one.
    let conn_room = if app.toast.is_some() {
        full / 2
    } else {
        full.saturating_sub(2)
    };
    let conn = visual_line(
        &truncate(&conn, conn_room.saturating_sub(2)),
        app.l10n.is_rtl(),
        app.bidi,
    );
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
        // The interface language by its name, not its code.
        let tag = app.l10n.tag();
        pieces.push(Span::styled(
            vis(app, &crate::language::name(&app.l10n, &tag)),
            dim(),
        ));
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
        None => {
            let used: usize = pieces.iter().map(|p| width(&p.content)).sum();
            let hint = truncate(&app.l10n.t("status-hint"), full.saturating_sub(used));
            pieces.push(Span::styled(
                visual_line(&hint, app.l10n.is_rtl(), app.bidi),
                dim(),
            ));
        }
    }
    let line: Line = row(app, pieces);
    frame.render_widget(Paragraph::new(line), area);
}
