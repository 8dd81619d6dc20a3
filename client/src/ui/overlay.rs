//! Windows over the screen: help, the command palette, pickers, prompts and
//! the queue reorder list.

use ratatui::layout::{Constraint, Position, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};
use ratatui::Frame;

use super::{bold, dim, pane, row, txt, txta, vis};
use crate::app::{palette_entries, search_matches, App, Overlay, PickItem, PromptFor};
use crate::bidi::{self, input_line, truncate};
use crate::commands::Command;
use crate::input::TextInput;
use crate::keys;
use dais_protocol::Actor;

pub fn draw(frame: &mut Frame, app: &App, screen: Rect) {
    let Some(overlay) = &app.overlay else {
        return;
    };
    match overlay {
        Overlay::Help { scroll } => help(frame, app, screen, *scroll),
        Overlay::Fairness { scroll } => super::fairness::draw(frame, app, screen, *scroll),
        Overlay::Palette { filter, selected } => palette(frame, app, screen, filter, *selected),
        Overlay::Pick {
            title_id,
            items,
            selected,
            ..
        } => pick(frame, app, screen, title_id, items, *selected),
        Overlay::Confirm { question, .. } => confirm(frame, app, screen, question),
        Overlay::Search { query } => search(frame, app, screen, query),
        Overlay::Prompt { purpose, input } => prompt(frame, app, screen, purpose, input),
        Overlay::Reorder { order, selected } => reorder(frame, app, screen, order, *selected),
    }
}

/// The command palette: the filter typed so far, then the commands it finds.
fn palette(frame: &mut Frame, app: &App, screen: Rect, filter: &TextInput, selected: usize) {
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
        lines.push(entry_line(app, *command, i == selected, width));
    }
    frame.render_widget(Paragraph::new(lines), inner);
    query_cursor(frame, app, inner, cursor);
}

/// A list to choose from, numbered, the choice in force marked.
fn pick(
    frame: &mut Frame,
    app: &App,
    screen: Rect,
    title_id: &str,
    items: &[PickItem],
    selected: usize,
) {
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
            let label = vis(app, &truncate(&item.label, width.saturating_sub(6)));
            let number = if i < 9 {
                format!("{} ", i + 1)
            } else {
                "  ".to_owned()
            };
            // The choice in force is marked.
            let mark = if item.current { "● " } else { "  " };
            let line = row(
                app,
                vec![
                    Span::styled(number, dim()),
                    Span::styled(mark, Style::default().fg(Color::Green)),
                    Span::raw(label),
                ],
            );
            highlight(line, i == selected)
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
    // The hardware cursor on the selected entry, for screen readers.
    let y = inner.y + (selected - first) as u16;
    let x = if app.l10n.is_rtl() {
        inner.right().saturating_sub(1)
    } else {
        inner.x
    };
    if y < inner.bottom() {
        frame.set_cursor_position(Position::new(x, y));
    }
}

/// A question before an act that cannot be undone.
fn confirm(frame: &mut Frame, app: &App, screen: Rect, question: &str) {
    let width = 64.min(screen.width.saturating_sub(4));
    let mut lines: Vec<Line> = bidi::layout(
        question,
        usize::from(width.saturating_sub(2)),
        app.l10n.is_rtl(),
        app.bidi,
    )
    .into_iter()
    .map(|l| row(app, vec![Span::styled(l.text, bold())]))
    .collect();
    lines.push(Line::default());
    lines.push(row(
        app,
        vec![Span::styled(txt(app, "confirm-keys"), dim())],
    ));
    let area = window(screen, width, lines.len() as u16 + 2);
    let block = pane(app, txt(app, "confirm-title"), true);
    let inner = block.inner(area);
    clear_window(frame, area);
    frame.render_widget(block, area);
    frame.render_widget(Paragraph::new(lines), inner);
    frame.set_cursor_position(Position::new(inner.x, inner.y));
}

/// Search in the record, at the top of the screen.
fn search(frame: &mut Frame, app: &App, screen: Rect, query: &TextInput) {
    let width = 64.min(screen.width.saturating_sub(4));
    let found = search_matches(app, query.text());
    let at = app
        .view()
        .and_then(|v| v.selected)
        .and_then(|s| found.iter().position(|f| *f == s));
    let status = match at {
        Some(i) => txta(
            app,
            "search-status",
            &crate::args!["at" => i + 1, "count" => found.len()],
        ),
        None if query.is_empty() => txt(app, "search-hint"),
        None => txt(app, "search-none"),
    };
    let (text, cell) = input_line(query.text(), query.cursor_graphemes(), app.bidi);
    let lines = vec![
        row(app, vec![Span::styled("> ", bold()), Span::raw(text)]),
        row(app, vec![Span::styled(status, dim())]),
    ];
    // At the top, so that the match it selects stays in sight.
    let area = Rect {
        x: screen.x + screen.width.saturating_sub(width) / 2,
        y: screen.y + 1,
        width: width.min(screen.width),
        height: 4.min(screen.height),
    };
    let block = pane(app, txt(app, "search-title"), true);
    let inner = block.inner(area);
    clear_window(frame, area);
    frame.render_widget(block, area);
    frame.render_widget(Paragraph::new(lines), inner);
    query_cursor(frame, app, inner, cell);
}

/// The hardware cursor in the `> ` line at the top of `inner` (the
/// palette's filter, the search's query), `cell` cells into the text;
/// mirrored in a right-to-left interface.
fn query_cursor(frame: &mut Frame, app: &App, inner: Rect, cell: usize) {
    let x = if app.l10n.is_rtl() {
        inner.right().saturating_sub(3 + cell as u16)
    } else {
        inner.x + 2 + cell as u16
    };
    frame.set_cursor_position(Position::new(
        x.min(inner.right().saturating_sub(1)),
        inner.y,
    ));
}

/// A prompt for a line of text, with what is being interpreted above it
/// when it asks for an interpretation.
fn prompt(frame: &mut Frame, app: &App, screen: Rect, purpose: &PromptFor, input: &TextInput) {
    let question = match purpose {
        PromptFor::Interpret { lang, .. } => app.l10n.ta(
            "prompt-interpret-into",
            &crate::args!["lang" => crate::language::name(&app.l10n, lang)],
        ),
        _ => app.l10n.t(purpose.label_id()),
    };
    let width = 64.min(screen.width.saturating_sub(4));
    let text_width = usize::from(width.saturating_sub(2));
    let question_lines = bidi::layout(&question, text_width, app.l10n.is_rtl(), app.bidi);
    // What is being interpreted, up to six lines of it, in its own
    // direction.
    let context: Vec<Line> = match purpose {
        PromptFor::Interpret { of, .. } => interpreted_text(app, *of)
            .map(|(text, lang)| {
                let rtl = crate::language::is_rtl(&lang);
                let mut lines: Vec<Line> = bidi::layout_directed(&text, text_width, rtl, app.bidi)
                    .into_iter()
                    .map(|l| {
                        let line = Line::styled(l.text, dim());
                        if l.rtl {
                            line.right_aligned()
                        } else {
                            line
                        }
                    })
                    .collect();
                if lines.len() > 6 {
                    lines.truncate(6);
                    lines.push(Line::styled("…", dim()));
                }
                lines
            })
            .unwrap_or_default(),
        _ => Vec::new(),
    };
    let area = window(
        screen,
        width,
        (question_lines.len() + context.len()) as u16 + 4,
    );
    let block = pane(app, txt(app, "prompt-title"), true);
    let inner = block.inner(area);
    clear_window(frame, area);
    frame.render_widget(block, area);
    let mut lines: Vec<Line> = question_lines
        .into_iter()
        .map(|l| row(app, vec![Span::styled(l.text, bold())]))
        .collect();
    lines.extend(context);
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

/// The speakers' list to reorder.
fn reorder(frame: &mut Frame, app: &App, screen: Rect, order: &[Actor], selected: usize) {
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
        lines.push(highlight(line, i == selected));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

/// The text of message `seq` and its language, for the interpreter.
fn interpreted_text(app: &App, seq: dais_protocol::Seq) -> Option<(String, String)> {
    let event = &app.view()?.events.get(&seq)?.event;
    match event {
        dais_protocol::Event::Speech { text, lang, .. }
        | dais_protocol::Event::Announcement { text, lang, .. } => {
            Some((text.clone(), lang.clone()))
        }
        dais_protocol::Event::PointOfOrder {
            text: Some(text), ..
        } => Some((text.clone(), String::new())),
        _ => None,
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
    let width = usize::from(area.width.saturating_sub(2));
    let mut lines: Vec<Line> = Vec::new();
    let section = |id: &str| {
        row(
            app,
            vec![Span::styled(txt(app, id), bold().fg(Color::Yellow))],
        )
    };
    // `F7        Next speaker ............ /next`
    let key_row = |keys: String, id: &str, slash: String| {
        let keys_width = 12;
        let slash_width = bidi::width(&slash);
        let text = truncate(
            &bidi::strip_isolates(&app.l10n.t(id)),
            width.saturating_sub(keys_width + slash_width + 2),
        );
        let pad = keys_width.saturating_sub(bidi::width(&keys));
        let gap = width.saturating_sub(keys_width + 1 + bidi::width(&text) + slash_width);
        row(
            app,
            vec![
                Span::styled(keys, bold()),
                Span::raw(" ".repeat(pad + 1)),
                Span::raw(vis(app, &text)),
                Span::raw(" ".repeat(gap)),
                Span::styled(slash, dim()),
            ],
        )
    };
    lines.push(section("help-section-keys"));
    for (keys, id) in [
        ("Enter", "help-send"),
        ("Alt+Enter", "help-newline"),
        ("↑ ↓", "help-history"),
        ("Tab", "help-complete"),
        ("Esc", "help-focus"),
        ("End", "help-end"),
        ("PgUp PgDn", "help-scroll"),
        ("Alt+↑↓", "help-scroll-members"),
    ] {
        lines.push(key_row(keys.to_owned(), id, String::new()));
    }
    lines.push(Line::default());
    lines.push(section("help-section-proceedings"));
    for (keys, id) in [
        ("↑ ↓", "help-select"),
        ("Enter", "help-message-actions"),
        ("Home End", "help-top-bottom"),
        ("Esc Tab", "help-back"),
    ] {
        lines.push(key_row(keys.to_owned(), id, String::new()));
    }
    // Only what your role may do (protocol/access.rs): the chairs' actions
    // apart, each section left out when it has nothing for you. Every
    // action is also a slash command, named on the right.
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
            let slash = format!("/{}", command.name());
            lines.push(key_row(keys::keys_for(command), &command.label_id(), slash));
        }
    }
    lines.push(Line::default());
    lines.push(row(
        app,
        vec![Span::styled(txt(app, "help-letters"), dim())],
    ));
    let visible = usize::from(area.height.saturating_sub(2));
    let scroll = scroll.min(lines.len().saturating_sub(visible));
    // Where in the list the window is, when it does not hold it all.
    let title = if lines.len() > visible {
        txta(
            app,
            "help-title-position",
            &crate::args![
                "from" => scroll + 1,
                "to" => (scroll + visible).min(lines.len()),
                "count" => lines.len(),
            ],
        )
    } else {
        txt(app, "help-title")
    };
    let block = pane(app, title, true);
    let inner = block.inner(area);
    clear_window(frame, area);
    frame.render_widget(block, area);
    let shown: Vec<Line> = lines.into_iter().skip(scroll).take(visible).collect();
    frame.render_widget(Paragraph::new(shown), inner);
}
