//! Windows over the screen: help, the command palette, pickers, prompts and
//! the queue reorder list.

use ratatui::layout::{Constraint, Position, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};
use ratatui::Frame;

use super::{bold, dim, pane, row, txt, vis};
use crate::app::{palette_entries, App, Overlay};
use crate::bidi::{self, input_line, truncate};
use crate::commands::Command;
use crate::keys;

pub fn draw(frame: &mut Frame, app: &App, screen: Rect) {
    let Some(overlay) = &app.overlay else {
        return;
    };
    match overlay {
        Overlay::Help { scroll } => help(frame, app, screen, *scroll),
        Overlay::Palette { filter, selected } => {
            let entries = palette_entries(app, filter.text());
            let area = window(screen, 64, entries.len() as u16 + 4);
            let block = pane(app, txt(app, "palette-title"), true);
            let inner = block.inner(area);
            clear_window(frame, area);
            frame.render_widget(block, area);
            let width = usize::from(inner.width);
            let (text, cursor) = input_line(filter.text(), filter.cursor_graphemes(), app.bidi);
            let mut lines = vec![row(app, vec![Span::styled("> ", bold()), Span::raw(text)])];
            let visible = usize::from(inner.height.saturating_sub(1));
            let first = (selected + 1).saturating_sub(visible);
            for (i, command) in entries.iter().enumerate().skip(first).take(visible) {
                lines.push(entry_line(app, *command, i == *selected, width));
            }
            frame.render_widget(Paragraph::new(lines), inner);
            let x = if app.l10n.is_rtl() {
                inner.right().saturating_sub(3 + cursor as u16)
            } else {
                inner.x + 2 + cursor as u16
            };
            frame.set_cursor_position(Position::new(
                x.min(inner.right().saturating_sub(1)),
                inner.y,
            ));
        }
        Overlay::Pick {
            title_id,
            items,
            selected,
            ..
        } => {
            let area = window(screen, 60, items.len() as u16 + 2);
            let block = pane(app, txt(app, title_id), true);
            let inner = block.inner(area);
            clear_window(frame, area);
            frame.render_widget(block, area);
            let width = usize::from(inner.width);
            let visible = usize::from(inner.height);
            let first = (selected + 1).saturating_sub(visible);
            let lines: Vec<Line> = items
                .iter()
                .enumerate()
                .skip(first)
                .take(visible)
                .map(|(i, item)| {
                    let label = vis(app, &truncate(&item.label, width.saturating_sub(4)));
                    let number = if i < 9 {
                        format!("{} ", i + 1)
                    } else {
                        "  ".to_owned()
                    };
                    let line = row(app, vec![Span::styled(number, dim()), Span::raw(label)]);
                    highlight(line, i == *selected)
                })
                .collect();
            frame.render_widget(Paragraph::new(lines), inner);
        }
        Overlay::Prompt { purpose, input } => {
            let question = app.l10n.t(purpose.label_id());
            let width = 64.min(screen.width.saturating_sub(4));
            let question_lines = bidi::layout(
                &question,
                usize::from(width.saturating_sub(2)),
                app.l10n.is_rtl(),
                app.bidi,
            );
            let area = window(screen, width, question_lines.len() as u16 + 4);
            let block = pane(app, txt(app, "prompt-title"), true);
            let inner = block.inner(area);
            clear_window(frame, area);
            frame.render_widget(block, area);
            let mut lines: Vec<Line> = question_lines
                .into_iter()
                .map(|l| row(app, vec![Span::styled(l.text, bold())]))
                .collect();
            lines.push(Line::default());
            // A prompt is one line: pasted line ends show as spaces.
            let flat = input.text().replace('\n', " ");
            let (text, cell) = input_line(&flat, input.cursor_graphemes(), app.bidi);
            let rtl = bidi::has_rtl(&flat) && bidi::is_rtl_paragraph(&flat, false);
            let text_width = bidi::width(&text);
            let inner_width = usize::from(inner.width);
            let offset = if rtl {
                inner_width.saturating_sub(text_width)
            } else {
                0
            };
            let cursor_row = lines.len() as u16 - 1;
            let input_row = Line::from(text);
            lines[cursor_row as usize] = if rtl {
                input_row.right_aligned()
            } else {
                input_row
            };
            frame.render_widget(Paragraph::new(lines), inner);
            let x = inner.x + (offset + cell).min(inner_width.saturating_sub(1)) as u16;
            frame.set_cursor_position(Position::new(x, inner.y + cursor_row));
        }
        Overlay::Reorder { order, selected } => {
            let area = window(screen, 56, order.len() as u16 + 4);
            let block = pane(app, txt(app, "reorder-title"), true);
            let inner = block.inner(area);
            clear_window(frame, area);
            frame.render_widget(block, area);
            let mut lines = vec![row(
                app,
                vec![Span::styled(txt(app, "reorder-hint"), dim())],
            )];
            for (i, actor) in order.iter().enumerate() {
                let line = row(
                    app,
                    vec![
                        Span::styled(format!("{:>2}. ", i + 1), dim()),
                        Span::raw(vis(app, &reorder_label(app, actor))),
                    ],
                );
                lines.push(highlight(line, i == *selected));
            }
            frame.render_widget(Paragraph::new(lines), inner);
        }
    }
}

/// A speaker in the reorder list: delegation and name, and the guest badge.
fn reorder_label(app: &App, actor: &dais_protocol::Actor) -> String {
    let label = if actor.delegation.is_empty() || actor.delegation == actor.name {
        actor.name.clone()
    } else {
        format!("{} · {}", actor.delegation, actor.name)
    };
    crate::names::mark(&app.l10n, actor, &label)
}

/// Blank the window's cells, and a wide character (Chinese, emoji) just left
/// of it: its right half would otherwise cover the window's left border.
fn clear_window(frame: &mut Frame, area: Rect) {
    frame.render_widget(Clear, area);
    if area.x == 0 {
        return;
    }
    let buffer = frame.buffer_mut();
    for y in area.top()..area.bottom() {
        let cell = &mut buffer[(area.x - 1, y)];
        if crate::bidi::width(cell.symbol()) > 1 {
            cell.set_symbol(" ");
        }
    }
}

/// A centered window of at most `width` x `height` cells.
fn window(screen: Rect, width: u16, height: u16) -> Rect {
    let width = width.min(screen.width.saturating_sub(4));
    let height = height.min(screen.height.saturating_sub(4));
    screen.centered(Constraint::Length(width), Constraint::Length(height))
}

fn highlight(line: Line<'_>, selected: bool) -> Line<'_> {
    if selected {
        line.style(
            Style::default()
                .bg(Color::Blue)
                .add_modifier(Modifier::BOLD),
        )
    } else {
        line
    }
}

/// `Request the floor ........ F2 r`
fn entry_line(app: &App, command: Command, selected: bool, width: usize) -> Line<'static> {
    let keys = keys::keys_for(command);
    let name_width = width.saturating_sub(bidi::width(&keys) + 2);
    let name = truncate(
        &bidi::strip_isolates(&app.l10n.t(&command.label_id())),
        name_width,
    );
    let name = vis(app, &name);
    let pad = width.saturating_sub(bidi::width(&name) + bidi::width(&keys) + 1);
    let style = if command.chair_only() {
        Style::default().fg(Color::LightCyan)
    } else {
        Style::default()
    };
    let line = row(
        app,
        vec![
            Span::styled(name, style),
            Span::raw(" ".repeat(pad)),
            Span::styled(keys, dim()),
        ],
    );
    highlight(line, selected)
}

fn help(frame: &mut Frame, app: &App, screen: Rect, scroll: usize) {
    let area = window(screen, 76, screen.height.saturating_sub(4));
    let block = pane(app, txt(app, "help-title"), true);
    let inner = block.inner(area);
    clear_window(frame, area);
    frame.render_widget(block, area);
    let width = usize::from(inner.width);
    let mut lines: Vec<Line> = Vec::new();
    let section = |id: &str| {
        row(
            app,
            vec![Span::styled(txt(app, id), bold().fg(Color::Yellow))],
        )
    };
    let key_row = |keys: String, id: &str| {
        let keys_width = 14;
        let text = truncate(
            &bidi::strip_isolates(&app.l10n.t(id)),
            width.saturating_sub(keys_width + 1),
        );
        let pad = keys_width.saturating_sub(bidi::width(&keys));
        row(
            app,
            vec![
                Span::styled(keys, bold()),
                Span::raw(" ".repeat(pad + 1)),
                Span::raw(vis(app, &text)),
            ],
        )
    };
    lines.push(section("help-section-keys"));
    for (keys, id) in [
        ("Enter", "help-send"),
        ("Alt+Enter", "help-newline"),
        ("Tab Esc", "help-focus"),
        ("↑ ↓", "help-select"),
        ("PgUp PgDn", "help-scroll"),
        ("Home End", "help-top-bottom"),
        ("/", "help-slash"),
    ] {
        lines.push(key_row(keys.to_owned(), id));
    }
    lines.push(key_row(
        "Alt+↑↓ PgUp PgDn".to_owned(),
        "help-scroll-members",
    ));
    // Only what your role may do (protocol/access.rs): the chairs' actions
    // apart, each section left out when it has nothing for you.
    for (id, chairs) in [
        ("help-section-delegate", false),
        ("help-section-chair", true),
    ] {
        let commands: Vec<Command> = Command::ALL
            .iter()
            .copied()
            .filter(|c| c.chair_only() == chairs && app.may(*c))
            .collect();
        if commands.is_empty() {
            continue;
        }
        lines.push(Line::default());
        lines.push(section(id));
        for command in commands {
            lines.push(key_row(keys::keys_for(command), &command.label_id()));
        }
    }
    lines.push(Line::default());
    lines.push(row(
        app,
        vec![Span::styled(txt(app, "help-letters"), dim())],
    ));
    let visible = usize::from(inner.height);
    let scroll = scroll.min(lines.len().saturating_sub(visible));
    let shown: Vec<Line> = lines.into_iter().skip(scroll).take(visible).collect();
    frame.render_widget(Paragraph::new(shown), inner);
}
