//! The fairness view (Ctrl+T, `/fairness`): the room's fairness figures
//! over the whole screen but the status line. First the totals (turns,
//! speaking time, the Gini coefficient, the requests for the floor), then
//! speaking time by stakeholder group with bars and each group's
//! representation ratio, the waits for the floor by group, speaking time by
//! delegation, the precedence violations and the chair's interventions.
//! ↑ ↓ PgUp PgDn scroll it.
//!
//! Each bar is scaled to the largest share in its table, and carries a
//! marker (┃) where the group's share of the delegations present falls (for
//! a delegation, an equal share): a bar that stops short of its marker was
//! heard less than its numbers. With a right-to-left interface every row is
//! mirrored, the bars with it: they grow from the right.

use ratatui::layout::Rect;
use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};
use ratatui::Frame;

use dais_protocol::Fairness;

use super::{bold, clock_time, dim, pane, row, stakeholder_color, stakeholder_key, txt, txta, vis};
use crate::app::{error_text, App, Conn, FairnessState};
use crate::bidi::{self, strip_isolates, truncate};
use crate::fairness::{self as figures, BarPart};

/// The narrowest a bar is drawn; the name column gives way first.
const MIN_BAR: usize = 8;
/// The widest the name column of a table grows.
const MAX_NAME: usize = 24;

pub fn draw(frame: &mut Frame, app: &App, screen: Rect, scroll: usize) {
    // Everything but the status line, which keeps saying the connection.
    let area = Rect {
        height: screen.height.saturating_sub(1),
        ..screen
    };
    let Some(view) = app.view() else {
        return;
    };
    let state = &view.fairness;
    let room = app.current.as_deref().unwrap_or_default();
    let title = txta(
        app,
        "fairness-title",
        &crate::args![
            "room" => app.room_title(room),
            "window" => state.window.label(&app.l10n),
        ],
    );
    let mut block = pane(app, title, true);
    let inner = block.inner(area);
    let width = usize::from(inner.width);
    let height = usize::from(inner.height);
    let lines = content(app, state, width);
    let scroll = scroll.min(lines.len().saturating_sub(height));
    state.render.set((lines.len(), height));

    let rtl = app.l10n.is_rtl();
    // The bottom border: the keys on the reading side, and where in the
    // view the window is when it does not hold it all; the keys give way.
    let position = (lines.len() > height).then(|| {
        txta(
            app,
            "fairness-position",
            &crate::args![
                "from" => scroll + 1,
                "to" => (scroll + height).min(lines.len()),
                "count" => lines.len(),
            ],
        )
    });
    let position_width = position.as_deref().map_or(0, |p| bidi::width(p) + 3);
    let keys = app.l10n.ta(
        "fairness-keys",
        &crate::args!["next" => state.window.next().label(&app.l10n)],
    );
    // In the interface's direction, whatever letter it starts with.
    let keys = bidi::visual_line(
        &truncate(&keys, width.saturating_sub(position_width + 2)),
        rtl,
        app.bidi,
    );
    let keys = Line::from(Span::styled(format!(" {keys} "), dim()));
    block = block.title_bottom(if rtl {
        keys.right_aligned()
    } else {
        keys.left_aligned()
    });
    if let Some(position) = position {
        let position = Line::from(Span::styled(format!(" {position} "), dim()));
        block = block.title_bottom(if rtl {
            position.left_aligned()
        } else {
            position.right_aligned()
        });
    }
    frame.render_widget(Clear, area);
    frame.render_widget(block, area);
    let shown: Vec<Line> = lines.into_iter().skip(scroll).take(height).collect();
    frame.render_widget(Paragraph::new(shown), inner);
}

/// Every row of the view, `width` cells wide, before scrolling.
fn content(app: &App, state: &FairnessState, width: usize) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    let Some((f, window)) = &state.figures else {
        let text = match state.error {
            Some(code) => error_text(&app.l10n, code),
            None if app.conn != Conn::Online => app.l10n.t("fairness-offline"),
            None => app.l10n.t("fairness-loading"),
        };
        prose(app, &text, width, dim(), &mut lines);
        return lines;
    };
    // Where the figures stand: the event they reach, and when they came.
    let mut summary = app.l10n.ta(
        "fairness-summary",
        &crate::args![
            "seq" => f.seq as i64,
            "time" => strip_isolates(&clock_time(app, state.received_at)).into_owned(),
        ],
    );
    if *window != state.window {
        // Tab moved on; these are still the previous window's.
        summary = format!("{summary} · {}", window.label(&app.l10n));
    }
    if state.asking() {
        summary = format!("{summary} · {}", app.l10n.t("fairness-refreshing"));
    }
    prose(app, &summary, width, dim(), &mut lines);
    if let Some(code) = state.error {
        let text = error_text(&app.l10n, code);
        prose(
            app,
            &text,
            width,
            Style::default().fg(Color::Red),
            &mut lines,
        );
    }
    let l10n = &app.l10n;
    let totals = l10n.ta(
        "fairness-totals",
        &crate::args![
            "turns" => f.turns,
            "time" => l10n.formats().duration(f.speaking_ms),
            "count" => f.delegations_present,
        ],
    );
    prose(app, &totals, width, Style::default(), &mut lines);
    let gini = l10n.ta(
        "fairness-gini",
        &crate::args!["gini" => figures::ratio(l10n, f.gini)],
    );
    prose(app, &gini, width, Style::default(), &mut lines);
    let spread = l10n.ta(
        "fairness-spread",
        &crate::args!["spread" => figures::ratio(l10n, f.representation_spread)],
    );
    prose(app, &spread, width, Style::default(), &mut lines);
    prose(
        app,
        &figures::requests_line(l10n, f),
        width,
        Style::default(),
        &mut lines,
    );
    // What the end of the view holds, counted where it is seen first.
    let counts = l10n.ta(
        "fairness-counts",
        &crate::args![
            "violations" => f.precedence_violations.len(),
            "interventions" => f.interventions.len(),
        ],
    );
    let style = if f.precedence_violations.is_empty() {
        Style::default()
    } else {
        Style::default().fg(Color::LightRed)
    };
    prose(app, &counts, width, style, &mut lines);

    lines.push(Line::default());
    lines.push(section(app, "fairness-groups"));
    lines.extend(groups(app, f, width));
    prose(app, &l10n.t("fairness-legend"), width, dim(), &mut lines);

    lines.push(Line::default());
    lines.push(section(app, "fairness-waits"));
    lines.extend(waits(app, f, width));

    lines.push(Line::default());
    lines.push(section(app, "fairness-delegations"));
    lines.extend(delegations(app, f, width));

    lines.push(Line::default());
    lines.push(row(
        app,
        vec![Span::styled(
            txta(
                app,
                "fairness-violations",
                &crate::args!["count" => f.precedence_violations.len()],
            ),
            bold().fg(Color::Yellow),
        )],
    ));
    if f.precedence_violations.is_empty() {
        prose(
            app,
            &l10n.t("fairness-no-violations"),
            width,
            dim(),
            &mut lines,
        );
    }
    for v in &f.precedence_violations {
        let text = figures::violation(app, f, v);
        prose(
            app,
            &text,
            width,
            Style::default().fg(Color::LightRed),
            &mut lines,
        );
    }

    lines.push(Line::default());
    lines.push(row(
        app,
        vec![Span::styled(
            txta(
                app,
                "fairness-interventions",
                &crate::args!["count" => f.interventions.len()],
            ),
            bold().fg(Color::Yellow),
        )],
    ));
    if f.interventions.is_empty() {
        prose(app, &l10n.t("fairness-none"), width, dim(), &mut lines);
    }
    for i in &f.interventions {
        let time = strip_isolates(&clock_time(app, i.ts)).into_owned();
        let text = format!("{time} {}", figures::intervention(l10n, i));
        prose(app, &text, width, Style::default(), &mut lines);
    }
    lines
}

/// A section's heading.
fn section(app: &App, id: &str) -> Line<'static> {
    row(
        app,
        vec![Span::styled(txt(app, id), bold().fg(Color::Yellow))],
    )
}

/// A paragraph of the interface (a localized sentence, whatever names or
/// reasons it holds) wrapped to `width`, in the interface's direction, each
/// line on the reading side.
fn prose(app: &App, text: &str, width: usize, style: Style, lines: &mut Vec<Line<'static>>) {
    for line in bidi::layout_directed(text, width, app.l10n.is_rtl(), app.bidi) {
        let line = Line::from(Span::styled(line.text, style));
        lines.push(if app.l10n.is_rtl() {
            line.right_aligned()
        } else {
            line
        });
    }
}

/// A column header, from its Fluent id.
fn head(app: &App, id: &str) -> String {
    strip_isolates(&app.l10n.t(id)).into_owned()
}

/// Which side of its column a cell keeps to (in reading order: a mirrored
/// row mirrors it too).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Align {
    Start,
    End,
}

/// A bar in a table row.
struct Bar {
    share: f64,
    marker: Option<f64>,
    /// The share at the bar's full length.
    scale: f64,
    color: Color,
}

/// One row of a table: its cells in logical order, and its bar.
struct Row {
    cells: Vec<(String, Style)>,
    bar: Option<Bar>,
}

/// A table of text columns, with a bar column after the first `bar_at`
/// columns when `bar_at` is given, fitted to `width`: the bar takes what
/// the others leave, the first column (the names) gives way to keep the
/// bar at least [`MIN_BAR`] wide, and is never wider than [`MAX_NAME`].
fn table(
    app: &App,
    width: usize,
    heads: &[(String, Align)],
    bar_at: Option<(usize, String)>,
    rows: &[Row],
) -> Vec<Line<'static>> {
    let rtl = app.l10n.is_rtl();
    let columns = heads.len();
    let mut widths: Vec<usize> = heads
        .iter()
        .enumerate()
        .map(|(i, (h, _))| {
            rows.iter()
                .filter_map(|r| r.cells.get(i))
                .map(|(c, _)| bidi::width(c))
                .chain(std::iter::once(bidi::width(h)))
                .max()
                .unwrap_or(0)
        })
        .collect();
    if let Some(first) = widths.first_mut() {
        *first = (*first).min(MAX_NAME);
    }
    let gaps = columns.saturating_sub(1) + usize::from(bar_at.is_some());
    let text: usize = widths.iter().sum::<usize>() + gaps;
    let wanted = text + if bar_at.is_some() { MIN_BAR } else { 0 };
    if wanted > width {
        // The names give way first, down to a few cells.
        if let Some(first) = widths.first_mut() {
            *first = first.saturating_sub(wanted - width).max(6);
        }
    }
    let text: usize = widths.iter().sum::<usize>() + gaps;
    let bar_width = width.saturating_sub(text);

    let cell = |text: &str, w: usize, align: Align, style: Style| {
        let shown = vis(app, &truncate(text, w));
        let pad = " ".repeat(w.saturating_sub(bidi::width(&shown)));
        let padded = match align {
            Align::Start => format!("{shown}{pad}"),
            Align::End => format!("{pad}{shown}"),
        };
        Span::styled(padded, style)
    };
    let assemble = |pieces: Vec<Vec<Span<'static>>>| {
        let mut spans = Vec::new();
        for (i, piece) in pieces.into_iter().enumerate() {
            if i > 0 {
                spans.push(Span::raw(" "));
            }
            spans.extend(piece);
        }
        row(app, spans)
    };

    let mut lines = Vec::new();
    let mut pieces: Vec<Vec<Span>> = Vec::new();
    for (i, (h, align)) in heads.iter().enumerate() {
        if let Some((at, bar_head)) = &bar_at {
            if *at == i {
                pieces.push(vec![cell(bar_head, bar_width, Align::Start, dim())]);
            }
        }
        pieces.push(vec![cell(h, widths[i], *align, dim())]);
    }
    lines.push(assemble(pieces));
    for r in rows {
        let mut pieces: Vec<Vec<Span>> = Vec::new();
        for (i, (_, align)) in heads.iter().enumerate() {
            if bar_at.as_ref().is_some_and(|(at, _)| *at == i) {
                pieces.push(match &r.bar {
                    Some(bar) => bar_spans(bar, bar_width, rtl),
                    None => vec![Span::raw(" ".repeat(bar_width))],
                });
            }
            let (text, style) = r.cells.get(i).cloned().unwrap_or_default();
            pieces.push(vec![cell(&text, widths[i], *align, style)]);
        }
        lines.push(assemble(pieces));
    }
    lines
}

/// A bar as spans in reading order, each span's text in the direction of
/// the row: a mirrored row reverses the order of the spans, and so the
/// bar (see [`row`]).
fn bar_spans(bar: &Bar, width: usize, rtl: bool) -> Vec<Span<'static>> {
    let cells = figures::bar(bar.share, bar.marker, bar.scale, width, rtl);
    let style = |part: BarPart| match part {
        BarPart::Fill => Style::default().fg(bar.color),
        BarPart::Track => Style::default(),
        BarPart::Marker => Style::default().fg(Color::Yellow),
    };
    let mut spans: Vec<(String, BarPart)> = Vec::new();
    for (glyph, part) in cells {
        match spans.last_mut() {
            Some((text, last)) if *last == part => text.push_str(glyph),
            _ => spans.push((glyph.to_owned(), part)),
        }
    }
    spans
        .into_iter()
        .map(|(text, part)| {
            let text = if rtl {
                text.chars().rev().collect()
            } else {
                text
            };
            Span::styled(text, style(part))
        })
        .collect()
}

/// Speaking time by stakeholder group: turns, time, the bar with the share
/// of the delegations present marked, both shares and the ratio.
fn groups(app: &App, f: &Fairness, width: usize) -> Vec<Line<'static>> {
    let l10n = &app.l10n;
    let scale = f
        .stakeholders
        .iter()
        .map(|g| g.share.max(g.presence_share))
        .fold(0.0, f64::max);
    let rows: Vec<Row> = f
        .stakeholders
        .iter()
        .map(|g| {
            let color = stakeholder_color(g.stakeholder);
            Row {
                cells: vec![
                    (
                        figures::group_name(&app.l10n, g.stakeholder),
                        Style::default().fg(color),
                    ),
                    (l10n.formats().number(i64::from(g.turns)), Style::default()),
                    (l10n.formats().duration(g.speaking_ms), Style::default()),
                    (figures::percent(l10n, g.share), bold()),
                    (figures::percent(l10n, g.presence_share), dim()),
                    (
                        figures::ratio(l10n, g.representation),
                        ratio_style(g.representation),
                    ),
                ],
                bar: Some(Bar {
                    share: g.share,
                    marker: Some(g.presence_share),
                    scale,
                    color,
                }),
            }
        })
        .collect();
    let heads = [
        (head(app, "fairness-col-group"), Align::Start),
        (head(app, "fairness-col-turns"), Align::End),
        (head(app, "fairness-col-time"), Align::End),
        (head(app, "fairness-col-spoke"), Align::End),
        (head(app, "fairness-col-present"), Align::End),
        (head(app, "fairness-col-ratio"), Align::End),
    ];
    if rows.is_empty() {
        let mut lines = Vec::new();
        prose(app, &l10n.t("fairness-none"), width, dim(), &mut lines);
        return lines;
    }
    table(
        app,
        width,
        &heads,
        Some((3, head(app, "fairness-col-share"))),
        &rows,
    )
}

/// A representation ratio far from 1 stands out: below two thirds in red,
/// above one and a half in yellow.
fn ratio_style(ratio: Option<f64>) -> Style {
    match ratio {
        Some(r) if r < 2.0 / 3.0 => bold().fg(Color::LightRed),
        Some(r) if r > 1.5 => bold().fg(Color::Yellow),
        _ => Style::default(),
    }
}

/// The wait from request to floor by group, and the requests never served.
fn waits(app: &App, f: &Fairness, width: usize) -> Vec<Line<'static>> {
    let l10n = &app.l10n;
    let number = |n: u32| l10n.formats().number(i64::from(n));
    let rows: Vec<Row> = f
        .stakeholders
        .iter()
        .map(|g| Row {
            cells: vec![
                (
                    figures::group_name(&app.l10n, g.stakeholder),
                    Style::default().fg(stakeholder_color(g.stakeholder)),
                ),
                (number(g.requests.made), Style::default()),
                (number(g.requests.served), Style::default()),
                (number(g.requests.withdrawn), Style::default()),
                (
                    number(g.requests.unserved),
                    if g.requests.unserved > 0 {
                        bold().fg(Color::LightRed)
                    } else {
                        Style::default()
                    },
                ),
                (figures::wait(l10n, g.wait_median_ms), bold()),
                (figures::wait(l10n, g.wait_p90_ms), Style::default()),
            ],
            bar: None,
        })
        .collect();
    if rows.is_empty() {
        let mut lines = Vec::new();
        prose(app, &l10n.t("fairness-none"), width, dim(), &mut lines);
        return lines;
    }
    let heads = [
        (head(app, "fairness-col-group"), Align::Start),
        (head(app, "fairness-col-asked"), Align::End),
        (head(app, "fairness-col-served"), Align::End),
        (head(app, "fairness-col-withdrawn"), Align::End),
        (head(app, "fairness-col-unserved"), Align::End),
        (head(app, "fairness-col-median"), Align::End),
        (head(app, "fairness-col-p90"), Align::End),
    ];
    table(app, width, &heads, None, &rows)
}

/// Speaking time by delegation, most first, the silent ones included; the
/// marker at an equal share of the time.
fn delegations(app: &App, f: &Fairness, width: usize) -> Vec<Line<'static>> {
    let l10n = &app.l10n;
    let scale = f.delegations.iter().map(|d| d.share).fold(0.0, f64::max);
    let equal = (f.delegations_present > 0).then(|| 1.0 / f64::from(f.delegations_present));
    let scale = scale.max(equal.unwrap_or(0.0));
    let rows: Vec<Row> = f
        .delegations
        .iter()
        .map(|d| {
            let color = stakeholder_color(d.stakeholder);
            let badge = head(app, &format!("badge-{}", stakeholder_key(d.stakeholder)));
            Row {
                cells: vec![
                    (
                        figures::delegation_label(app, d),
                        Style::default().fg(color),
                    ),
                    (badge, dim()),
                    (l10n.formats().number(i64::from(d.turns)), Style::default()),
                    (l10n.formats().duration(d.speaking_ms), Style::default()),
                    (figures::percent(l10n, d.share), bold()),
                    (figures::wait(l10n, d.wait_median_ms), Style::default()),
                ],
                bar: Some(Bar {
                    share: d.share,
                    marker: equal,
                    scale,
                    color,
                }),
            }
        })
        .collect();
    if rows.is_empty() {
        let mut lines = Vec::new();
        prose(app, &l10n.t("fairness-none"), width, dim(), &mut lines);
        return lines;
    }
    let heads = [
        (head(app, "fairness-col-delegation"), Align::Start),
        (head(app, "fairness-col-group"), Align::Start),
        (head(app, "fairness-col-turns"), Align::End),
        (head(app, "fairness-col-time"), Align::End),
        (head(app, "fairness-col-spoke"), Align::End),
        (head(app, "fairness-col-median"), Align::End),
    ];
    table(
        app,
        width,
        &heads,
        Some((4, head(app, "fairness-col-share"))),
        &rows,
    )
}
