//! The floor: who speaks, how long is left, and the speakers' list with your
//! own place marked; then the round and the pending points of order.

use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use dais_protocol::{ClockView, EntryClass, FloorView, RoomState};

use super::{bold, dim, duration, guest_badge, pane, row, stakeholder_color, txt, txta, vis, who};
use crate::app::{mode_id, remaining_ms, App};
use crate::bidi::truncate;
use crate::names;

/// The pane's lines, and which of them go first when the pane is short
/// (80x24): the queue matters more than the limits and the hints.
#[derive(Default)]
struct Lines<'a> {
    lines: Vec<Line<'a>>,
    optional: Vec<usize>,
}

impl<'a> Lines<'a> {
    fn push(&mut self, line: Line<'a>) {
        self.lines.push(line);
    }

    /// A line to drop (the last given first) when the pane is too short.
    fn push_optional(&mut self, line: Line<'a>) {
        self.optional.push(self.lines.len());
        self.lines.push(line);
    }

    /// The lines that fit in `height` rows.
    fn fit(mut self, height: usize) -> Vec<Line<'a>> {
        while self.lines.len() > height {
            let Some(index) = self.optional.pop() else {
                break;
            };
            self.lines.remove(index);
        }
        self.lines
    }
}

pub fn draw(frame: &mut Frame, app: &App, area: Rect) {
    let state = app.state();
    let title = match state {
        Some(s) => txta(
            app,
            "pane-floor",
            &crate::args!["mode" => app.l10n.t(&mode_id(s.mode))],
        ),
        None => txt(app, "pane-floor-empty"),
    };
    let flashing = app.now < app.flash_until;
    let mut block = pane(app, title, flashing);
    if flashing {
        block = block.border_style(
            Style::default()
                .fg(Color::Yellow)
                .add_modifier(Modifier::BOLD),
        );
    }
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let Some(state) = state else {
        return;
    };
    let width = usize::from(inner.width);
    let mut lines = Lines::default();
    match &state.floor {
        Some(floor) => speaker(app, floor, width, &mut lines),
        None => lines.push(row(app, vec![Span::styled(txt(app, "floor-free"), dim())])),
    }
    limits(app, state, width, &mut lines);
    queue(app, state, width, &mut lines);
    if let Some(round) = &state.round {
        lines.push(fit_line(
            app,
            &app.l10n.ta(
                "round-status",
                &crate::args!["round" => round.round, "count" => round.remaining.len()],
            ),
            width,
            Style::default().fg(Color::Cyan),
        ));
    }
    points_of_order(app, state, width, &mut lines);
    let lines = lines.fit(usize::from(inner.height));
    frame.render_widget(Paragraph::new(lines), inner);
}

/// Who holds the floor (with the class of the turn, never cut), their
/// name when the pane shows their delegation, and the turn's clock.
fn speaker(app: &App, floor: &FloorView, width: usize, lines: &mut Lines) {
    let holder = &floor.holder;
    let badge = names::badge(&app.l10n, holder);
    let class = match floor.class {
        EntryClass::Reply => format!(" {}", txt(app, "class-reply")),
        EntryClass::ClarifyingQuestion => format!(" {}", txt(app, "class-clarifying")),
        EntryClass::Speech => String::new(),
    };
    // The name gives way to the class, which is never cut.
    let room = width.saturating_sub(2 + crate::bidi::width(&class));
    let mut head = vec![
        Span::styled(
            if app.l10n.is_rtl() { "◀ " } else { "▶ " },
            Style::default().fg(Color::Yellow),
        ),
        Span::styled(
            vis(app, &names::fit(who(holder), &badge, room)),
            bold().fg(stakeholder_color(holder.stakeholder)),
        ),
        guest_badge(app, holder),
    ];
    head.push(Span::styled(class, dim()));
    lines.push(row(app, head));
    if holder.name != who(holder) {
        lines.push_optional(row(
            app,
            vec![
                Span::raw("  "),
                Span::styled(
                    vis(app, &truncate(&holder.name, width.saturating_sub(3))),
                    dim(),
                ),
            ],
        ));
    }
    // Offline, the clock reads the moment the connection went: the
    // server stops a running turn at an outage.
    let left = remaining_ms(floor, app.clock_now());
    let left = if app.quiet_clock { quiet(left) } else { left };
    lines.push(countdown(app, left, floor.allotted_ms, width));
    let running = matches!(floor.clock, ClockView::Running { .. });
    let stopped = if !running {
        Some("floor-paused")
    } else if app.clock_stopped_offline() {
        Some("floor-stopped-offline")
    } else {
        None
    };
    if let Some(id) = stopped {
        lines.push(fit_line(
            app,
            &format!("⏸ {}", app.l10n.t(id)),
            width,
            Style::default().fg(Color::Yellow),
        ));
    }
}

/// The room's time limit and your own speaking time (for whoever may
/// speak at all), then a blank line; all dropped first when short.
fn limits(app: &App, state: &RoomState, width: usize, lines: &mut Lines) {
    lines.push_optional(fit_line(
        app,
        &app.l10n.ta(
            "floor-limit",
            &crate::args!["time" => app.l10n.formats().duration(i64::from(state.time_limit) * 1000)],
        ),
        width,
        dim(),
    ));
    let you = app.view().and_then(|v| v.you.as_ref());
    if let Some(you) = you.filter(|_| app.may_speak()) {
        lines.push_optional(fit_line(
            app,
            &app.l10n.ta(
                "floor-you-spoke",
                &crate::args!["time" => app.l10n.formats().duration(you.speaking_ms)],
            ),
            width,
            dim(),
        ));
    }
    lines.push_optional(Line::default());
}

/// The speakers' list, your own place marked, and how to ask for the floor
/// for whoever may and is not waiting already.
fn queue(app: &App, state: &RoomState, width: usize, lines: &mut Lines) {
    let rtl = app.l10n.is_rtl();
    let me = app.my_id().unwrap_or_default();
    let closed = if state.list_closed {
        format!(" {}", txt(app, "queue-closed"))
    } else {
        String::new()
    };
    let title = crate::bidi::truncate(
        &app.l10n
            .ta("queue-title", &crate::args!["count" => state.queue.len()]),
        width.saturating_sub(crate::bidi::width(&closed)),
    );
    lines.push(row(
        app,
        vec![
            Span::styled(vis(app, &title), bold()),
            Span::styled(closed, Style::default().fg(Color::Red)),
        ],
    ));
    if state.queue.is_empty() {
        lines.push(fit_line(
            app,
            &format!(" {}", app.l10n.t("queue-empty")),
            width,
            dim(),
        ));
    }
    for (i, entry) in state.queue.iter().enumerate() {
        let mine = entry.who.id == me;
        let class = match entry.class {
            EntryClass::Reply => "↩ ",
            EntryClass::ClarifyingQuestion => "? ",
            EntryClass::Speech => "",
        };
        // Mirrored rows move a piece's leading space to its end (see row()).
        let you = if mine && rtl {
            format!(" {} ▶", txt(app, "queue-you"))
        } else if mine {
            format!(" ◀ {}", txt(app, "queue-you"))
        } else {
            String::new()
        };
        let badge = names::badge(&app.l10n, &entry.who);
        let room = width.saturating_sub(5 + crate::bidi::width(&you) + class.len());
        let style = if mine {
            bold().fg(Color::Yellow)
        } else {
            Style::default().fg(stakeholder_color(entry.who.stakeholder))
        };
        lines.push(row(
            app,
            vec![
                Span::styled(
                    format!("{:>2}. ", app.l10n.formats().number(i as i64 + 1)),
                    dim(),
                ),
                Span::raw(class),
                Span::styled(vis(app, &names::fit(who(&entry.who), &badge, room)), style),
                guest_badge(app, &entry.who),
                Span::styled(you, bold().fg(Color::Yellow)),
            ],
        ));
    }
    let waiting = state.queue.iter().any(|e| e.who.id == me);
    let holding = state.floor.as_ref().is_some_and(|f| f.holder.id == me);
    if app.may(crate::commands::Command::RequestFloor) && !waiting && !holding {
        lines.push(fit_line(
            app,
            &app.l10n.t("floor-hint-request"),
            width,
            Style::default().fg(Color::Yellow),
        ));
    }
}

/// The pending points of order, under a blank line that goes first when
/// the pane is short.
fn points_of_order(app: &App, state: &RoomState, width: usize, lines: &mut Lines) {
    if state.points_of_order.is_empty() {
        return;
    }
    lines.push_optional(Line::default());
    lines.push(fit_line(
        app,
        &format!(
            "⚑ {}",
            app.l10n.ta(
                "points-title",
                &crate::args!["count" => state.points_of_order.len()]
            )
        ),
        width,
        bold().fg(Color::LightRed),
    ));
    for point in &state.points_of_order {
        let by = names::marked(&app.l10n, &point.by);
        // room_state cuts long points short; the event has them whole.
        let more = if point.truncated { "…" } else { "" };
        let text = match &point.text {
            Some(text) => format!("{by}: {text}{more}"),
            None => by,
        };
        lines.push(row(
            app,
            vec![
                Span::raw(" "),
                Span::styled(
                    vis(app, &truncate(&text, width.saturating_sub(2))),
                    Style::default().fg(Color::LightRed),
                ),
            ],
        ));
    }
}

/// One line of text (logical order) cut with an ellipsis to `width`.
fn fit_line<'a>(app: &App, text: &str, width: usize, style: Style) -> Line<'a> {
    row(
        app,
        vec![Span::styled(vis(app, &truncate(text, width)), style)],
    )
}

/// The time left as a quiet clock shows it: rounded up to the next
/// threshold (every 30 seconds, then 10 and 0), so that it changes a few
/// times a turn rather than every second.
pub fn quiet(left_ms: i64) -> i64 {
    let step = if left_ms > 10_000 { 30_000 } else { 10_000 };
    if left_ms <= 0 {
        0
    } else {
        (left_ms + step - 1) / step * step
    }
}

/// Rows the pane would like.
pub fn height(app: &App) -> u16 {
    let Some(state) = app.state() else {
        return 3;
    };
    let points = if state.points_of_order.is_empty() {
        0
    } else {
        2 + state.points_of_order.len()
    };
    let you = usize::from(app.view().is_some_and(|v| v.you.is_some()));
    let rows = 4 + 2 + you + state.queue.len().max(1) + points + usize::from(state.round.is_some());
    rows as u16 + 2
}

/// The turn's clock: a bar that empties as time runs out, and the time left.
fn countdown<'a>(app: &App, left_ms: i64, allotted_ms: i64, width: usize) -> Line<'a> {
    let time = duration(app, left_ms);
    let bar_width = width.saturating_sub(crate::bidi::width(&time) + 2).max(1);
    let filled = if allotted_ms > 0 {
        ((left_ms.max(0) as u128 * bar_width as u128) / allotted_ms as u128) as usize
    } else {
        0
    }
    .min(bar_width);
    let color = if left_ms <= 10_000 {
        Color::Red
    } else if left_ms <= 30_000 {
        Color::Yellow
    } else {
        Color::Green
    };
    let full = Span::styled("█".repeat(filled), Style::default().fg(color));
    let empty = Span::styled("░".repeat(bar_width - filled), dim());
    if app.l10n.is_rtl() {
        // Mirrored: the time on the left, the bar emptying towards the right.
        Line::from(vec![
            Span::styled(format!(" {time}"), bold().fg(color)),
            Span::raw(" "),
            empty,
            full,
        ])
        .right_aligned()
    } else {
        Line::from(vec![
            full,
            empty,
            Span::raw(" "),
            Span::styled(time, bold().fg(color)),
        ])
    }
}

#[cfg(test)]
mod tests {
    use super::quiet;

    #[test]
    fn a_quiet_clock_changes_only_at_thresholds() {
        assert_eq!(quiet(83_000), 90_000);
        assert_eq!(quiet(61_000), 90_000);
        assert_eq!(quiet(59_000), 60_000);
        assert_eq!(quiet(25_000), 30_000);
        assert_eq!(quiet(9_000), 10_000);
        assert_eq!(quiet(0), 0);
    }
}
