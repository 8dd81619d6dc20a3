//! The record of proceedings: speeches with speaker, delegation, stakeholder
//! badge, language and local time; floor changes, points of order, polls
//! and the chair's notices styled apart; your own pending messages; the line
//! before the first unread message. Only the lines in view are laid out.
//! What each event says comes from the `words` crate (as for line mode,
//! the export and the public pages); this module only lays it out.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use dais_protocol::{Actor, Event, EventFrame, Seq};

use super::{
    bold, clock_time, dim, guest_badge, pane, row, stakeholder_color, stakeholder_key, txt, txta,
    vis, who,
};
use crate::app::{option_label, App, Echo, Focus, RenderInfo, RoomView};
use crate::bidi;

mod banner;
use banner::poll_banner;

pub fn draw(frame: &mut Frame, app: &App, area: Rect) {
    let focused = app.focus == Focus::Transcript;
    let title = match &app.current {
        Some(room) => txta(
            app,
            "pane-transcript",
            &crate::args!["room" => app.room_title(room)],
        ),
        None => txt(app, "pane-transcript-empty"),
    };
    let block = pane(app, title, focused);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    app.layout.set(crate::app::PaneLayout {
        transcript: Some((inner.x, inner.y, inner.width, inner.height)),
        ..app.layout.get()
    });
    let Some(view) = app.view() else {
        // Why there is no record: refused, still connecting, or no room.
        let server = crate::app::server_name(&app.server);
        let (text, style) = match &app.conn {
            crate::app::Conn::Failed(code) => (
                app.l10n.ta(
                    "transcript-failed",
                    &crate::args![
                        "server" => server,
                        "error" => crate::app::error_text(&app.l10n, *code),
                    ],
                ),
                Style::default().fg(Color::LightRed),
            ),
            crate::app::Conn::Online => (app.l10n.t("transcript-no-room"), dim()),
            _ => (
                app.l10n
                    .ta("transcript-connecting", &crate::args!["server" => server]),
                dim(),
            ),
        };
        let lines: Vec<Line> =
            bidi::layout(&text, usize::from(inner.width), app.l10n.is_rtl(), app.bidi)
                .into_iter()
                .map(|l| row(app, vec![Span::styled(l.text, style)]))
                .collect();
        frame.render_widget(Paragraph::new(lines), inner);
        return;
    };
    let poll = view.state.as_ref().and_then(|s| s.poll.as_ref());
    let body = match poll {
        Some(poll) => {
            let banner = poll_banner(app, poll, usize::from(inner.width));
            let [top, rest] =
                Layout::vertical([Constraint::Length(banner.len() as u16), Constraint::Fill(1)])
                    .areas(inner);
            frame.render_widget(Paragraph::new(banner), top);
            rest
        }
        None => inner,
    };
    draw_body(frame, app, view, body);
}

fn draw_body(frame: &mut Frame, app: &App, view: &RoomView, area: Rect) {
    let width = usize::from(area.width);
    let area = new_below_bar(frame, app, view, area);
    let height = usize::from(area.height);
    if height == 0 || width == 0 {
        return;
    }
    let selected = view.selected.filter(|_| app.focus == Focus::Transcript);
    // Blocks of lines, newest first, each with the seq it shows.
    let mut blocks: Vec<(Option<Seq>, Vec<Line<'static>>)> = Vec::new();
    let mut total = 0;
    // Lines that came after the reader scrolled up: they keep the lines
    // being read in place.
    let mut after_anchor = 0;
    for echo in view.echoes.iter().rev() {
        let lines = echo_lines(app, echo, width);
        total += lines.len();
        if view.scroll_anchor.is_some() {
            after_anchor += lines.len();
        }
        blocks.push((None, lines));
    }
    let need = view.scroll + height;
    let mut selected_found = selected.is_none();
    let mut reached_top = true;
    let mut marker_done = false;
    // The day of the block above which a date line is still owed.
    let mut day_below: Option<(i32, u32, u32)> = None;
    for (seq, frame_event) in view.events.iter().rev() {
        if total >= need + after_anchor && selected_found {
            reached_top = false;
            break;
        }
        if let Some(marker) = view.unread_marker {
            if !marker_done && *seq <= marker {
                marker_done = true;
                if total > 0 {
                    let line = Line::styled(
                        format!("── {} ──", txt(app, "transcript-new")),
                        Style::default().fg(Color::LightRed),
                    )
                    .centered();
                    total += 1;
                    blocks.push((None, vec![line]));
                }
            }
        }
        let mut lines = event_lines(app, view, frame_event, width);
        if lines.is_empty() {
            continue;
        }
        let day = local_day(app, frame_event.ts);
        if let Some(below) = day_below.filter(|d| Some(*d) != day) {
            total += 1;
            blocks.push((None, vec![date_line(app, below)]));
        }
        day_below = day;
        if selected == Some(*seq) {
            selected_found = true;
            for line in &mut lines {
                select_style(line);
            }
        }
        total += lines.len();
        if view.scroll_anchor.is_some_and(|a| *seq > a) {
            after_anchor += lines.len();
        }
        blocks.push((Some(*seq), lines));
    }
    if reached_top {
        if let Some(day) = day_below {
            blocks.push((None, vec![date_line(app, day)]));
        }
        let id = if view.history_pending {
            "transcript-loading"
        } else if view.has_older() {
            "transcript-more"
        } else {
            "transcript-start"
        };
        if !view.events.is_empty() || view.history_pending {
            blocks.push((
                None,
                vec![row(app, vec![Span::styled(txt(app, id), dim())])],
            ));
        }
    }

    let mut all: Vec<Line<'static>> = Vec::with_capacity(total + 1);
    let mut selected_range = None;
    for (seq, lines) in blocks.into_iter().rev() {
        if seq.is_some() && seq == selected {
            selected_range = Some((all.len(), all.len() + lines.len()));
        }
        all.extend(lines);
    }
    let total = all.len();
    let wanted = if view.scroll > 0 {
        view.scroll + after_anchor
    } else {
        0
    };
    let mut scroll = wanted.min(total.saturating_sub(height));
    if let Some((start, end)) = selected_range {
        let bottom = total - scroll;
        let top = bottom.saturating_sub(height);
        if start < top {
            scroll = total.saturating_sub(start + height);
        } else if end > bottom {
            scroll = total - end;
        }
    }
    view.render.set(RenderInfo {
        total_lines: reached_top.then_some(total),
        height,
        // In the terms of `view.scroll`: lines up from the anchor.
        scroll: scroll.saturating_sub(after_anchor),
    });
    let end = total - scroll;
    let start = end.saturating_sub(height);
    let shown: Vec<Line> = all.drain(start..end).collect();
    // New messages arrive at the bottom, as in any chat.
    let top_pad = height.saturating_sub(shown.len()) as u16;
    let area = Rect {
        y: area.y + top_pad,
        height: area.height - top_pad,
        ..area
    };
    // The hardware cursor on the selected message, for screen readers.
    if let Some((first, _)) = selected_range {
        if first >= start && first < end {
            let y = area.y + (first - start) as u16;
            let x = if app.l10n.is_rtl() {
                area.right().saturating_sub(1)
            } else {
                area.x
            };
            frame.set_cursor_position(ratatui::layout::Position::new(x, y));
        }
    }
    frame.render_widget(Paragraph::new(shown), area);
}

/// While scrolled up, the last row says how many messages came since:
/// that row is drawn, and the area left for the messages returned.
fn new_below_bar(frame: &mut Frame, app: &App, view: &RoomView, area: Rect) -> Rect {
    let new_below = crate::app::new_below(view);
    if new_below > 0 && area.height > 1 {
        let [body, bottom] =
            Layout::vertical([Constraint::Fill(1), Constraint::Length(1)]).areas(area);
        let text = txta(
            app,
            "transcript-new-below",
            &crate::args!["count" => new_below],
        );
        frame.render_widget(
            Paragraph::new(Line::styled(
                format!("── {text} ──"),
                bold().fg(Color::Black).bg(Color::Yellow),
            ))
            .centered(),
            bottom,
        );
        body
    } else {
        area
    }
}

/// The selected message stands out, and what is dim elsewhere (its time,
/// its language) is drawn light, not dark grey on the dark grey.
fn select_style(line: &mut Line<'static>) {
    line.style = Style::default().bg(Color::DarkGray);
    for span in &mut line.spans {
        if span.style.fg == Some(Color::DarkGray) {
            span.style = span.style.fg(Color::White);
        }
    }
}

/// The local date of a moment, in the zone the times are shown in.
fn local_day(app: &App, ms: i64) -> Option<(i32, u32, u32)> {
    use chrono::{Datelike, FixedOffset, Local, TimeZone};
    match app.utc_offset {
        Some(offset) => FixedOffset::east_opt(offset)
            .and_then(|tz| tz.timestamp_millis_opt(ms).single())
            .map(|t| (t.year(), t.month(), t.day())),
        None => Local
            .timestamp_millis_opt(ms)
            .single()
            .map(|t| (t.year(), t.month(), t.day())),
    }
}

/// `──── Saturday 28 November 2026 ────`, in the interface's language.
fn date_line(app: &App, (year, month, day): (i32, u32, u32)) -> Line<'static> {
    let date = app.l10n.formats().date(year, month as u8, day as u8);
    Line::styled(format!("── {} ──", vis(app, &date)), dim()).centered()
}

/// Body text laid out for the width: indented, or right-aligned when the
/// paragraph is right to left.
fn body_lines(app: &App, text: &str, width: usize, style: Style) -> Vec<Line<'static>> {
    body_lines_in(app, text, None, width, style)
}

/// [`body_lines`] for text in language `lang`: a right-to-left language
/// sets the direction of every paragraph, even one that opens with a Latin
/// word ("ITU …", "5G …"); other text takes the direction of its first
/// letter.
fn body_lines_in(
    app: &App,
    text: &str,
    lang: Option<&str>,
    width: usize,
    style: Style,
) -> Vec<Line<'static>> {
    let width = width.saturating_sub(2);
    let lines = if lang.is_some_and(crate::language::is_rtl) {
        bidi::layout_directed(text, width, true, app.bidi)
    } else {
        bidi::layout(text, width, app.l10n.is_rtl(), app.bidi)
    };
    lines
        .into_iter()
        .map(|line| {
            if line.rtl {
                Line::from(Span::styled(format!("{}  ", line.text), style)).right_aligned()
            } else {
                Line::from(Span::styled(format!("  {}", line.text), style))
            }
        })
        .collect()
}

/// `14:05 Brazil · Ana Silva GOV English`: the name gives way (with an
/// ellipsis) to the time, the guest badge, the group's badge and the
/// language, which are never cut.
fn speaker_header(
    app: &App,
    ts: i64,
    by: &Actor,
    lang: Option<&str>,
    width: usize,
) -> Line<'static> {
    let time = format!("{} ", clock_time(app, ts));
    let badge = crate::names::badge(&app.l10n, by);
    let group = format!(
        " {}",
        txt(app, &format!("badge-{}", stakeholder_key(by.stakeholder)))
    );
    let lang = lang
        .map(|l| format!(" {}", vis(app, &crate::language::name(&app.l10n, l))))
        .unwrap_or_default();
    let fixed = bidi::width(&time)
        + if badge.is_empty() {
            0
        } else {
            bidi::width(&badge) + 1
        }
        + bidi::width(&group)
        + bidi::width(&lang);
    let room = width.saturating_sub(fixed).max(1);
    let delegation = who(by);
    let mut pieces = vec![Span::styled(time, dim())];
    if by.name != delegation {
        // Both the delegation and the person, the person cut first.
        let first = bidi::truncate(delegation, room);
        let left = room.saturating_sub(bidi::width(&first) + 3);
        pieces.push(Span::styled(
            vis(app, &first),
            bold().fg(stakeholder_color(by.stakeholder)),
        ));
        if left > 1 {
            pieces.push(Span::raw(" · "));
            pieces.push(Span::raw(vis(app, &bidi::truncate(&by.name, left))));
        }
    } else {
        pieces.push(Span::styled(
            vis(app, &bidi::truncate(delegation, room)),
            bold().fg(stakeholder_color(by.stakeholder)),
        ));
    }
    pieces.push(guest_badge(app, by));
    pieces.push(Span::styled(
        group,
        Style::default().fg(stakeholder_color(by.stakeholder)),
    ));
    pieces.push(Span::styled(lang, dim()));
    row(app, pieces)
}

fn echo_lines(app: &App, echo: &Echo, width: usize) -> Vec<Line<'static>> {
    let (label, style) = if echo.failed {
        (txt(app, "echo-failed"), Style::default().fg(Color::Red))
    } else {
        (
            txt(app, "echo-sending"),
            dim().add_modifier(Modifier::ITALIC),
        )
    };
    let me = app.me.as_ref();
    let mut pieces = vec![Span::styled(
        format!("{} ", clock_time(app, app.server_now())),
        dim(),
    )];
    if let Some(me) = me {
        let me = me.actor();
        pieces.push(Span::styled(vis(app, who(&me)), bold()));
        pieces.push(guest_badge(app, &me));
    }
    pieces.push(Span::styled(
        format!(
            " {}",
            vis(app, &crate::language::name(&app.l10n, &echo.lang))
        ),
        dim(),
    ));
    pieces.push(Span::styled(format!(" {label}"), style));
    let mut lines = vec![row(app, pieces)];
    lines.extend(body_lines_in(
        app,
        &echo.text,
        Some(&echo.lang),
        width,
        dim(),
    ));
    lines
}

/// A one-line notice (it may wrap), with its time.
fn notice(app: &App, ts: i64, text: String, style: Style, width: usize) -> Vec<Line<'static>> {
    let time = clock_time(app, ts);
    let text_width = width.saturating_sub(bidi::width(&time) + 1);
    bidi::layout(&text, text_width, app.l10n.is_rtl(), app.bidi)
        .into_iter()
        .enumerate()
        .map(|(i, line)| {
            let stamp = if i == 0 {
                time.clone()
            } else {
                " ".repeat(bidi::width(&time))
            };
            row(
                app,
                vec![
                    Span::styled(format!("{stamp} "), dim()),
                    Span::styled(line.text, style),
                ],
            )
        })
        .collect()
}

fn event_lines(app: &App, view: &RoomView, frame: &EventFrame, width: usize) -> Vec<Line<'static>> {
    match &frame.event {
        Event::Speech { by, text, lang } => speech_lines(app, view, frame, by, text, lang, width),
        // Shown with the message it belongs to.
        Event::Interpretation { .. } => Vec::new(),
        _ => match dais_words::describe(frame, &|seq| view.events.get(&seq)) {
            Some(said) => notice_lines(app, view, frame, &said, width),
            None => Vec::new(),
        },
    }
}

/// A speech: its header (time, speaker, group, language) and its text, in
/// the reader's language when an interpretation into it exists.
fn speech_lines(
    app: &App,
    view: &RoomView,
    frame: &EventFrame,
    by: &Actor,
    text: &str,
    lang: &str,
    width: usize,
) -> Vec<Line<'static>> {
    let (shown, shown_lang, marker) = interpreted(app, view, frame.seq, text, lang);
    let mut lines = vec![speaker_header(app, frame.ts, by, Some(&shown_lang), width)];
    lines.extend(body_lines_in(
        app,
        &shown,
        Some(&shown_lang),
        width,
        Style::default(),
    ));
    if let Some(marker) = marker {
        lines.push(row(
            app,
            vec![Span::styled(
                format!("  ⇄ {marker}"),
                dim().add_modifier(Modifier::ITALIC),
            )],
        ));
    }
    lines
}

/// How a notice looks: the sign before it, the style of its sentence and
/// of what a person wrote with it.
fn look(event: &Event) -> (&'static str, Style, Style) {
    let cyan = Style::default().fg(Color::Cyan);
    let yellow = Style::default().fg(Color::Yellow);
    let magenta = Style::default().fg(Color::LightMagenta);
    let light_red = Style::default().fg(Color::LightRed);
    match event {
        Event::Announcement { .. } => ("", bold().fg(Color::Cyan), cyan),
        Event::PointOfOrder { .. } => ("⚑ ", bold().fg(Color::LightRed), light_red),
        Event::Ruling { .. } => ("", bold().fg(Color::LightRed), light_red),
        Event::FloorGranted { .. } => ("▶ ", bold().fg(Color::Yellow), dim()),
        Event::ClockPaused { .. } | Event::ClockResumed { .. } => ("", yellow, dim()),
        Event::ModeChanged { .. }
        | Event::TimeLimitChanged { .. }
        | Event::QueueReordered { .. }
        | Event::QueueCleared { .. }
        | Event::ListClosed { .. }
        | Event::ListOpened { .. }
        | Event::RoundStarted { .. }
        | Event::RoundEnded { .. }
        | Event::RoomCreated { .. }
        | Event::RoomLocked { .. }
        | Event::RoomUnlocked { .. }
        | Event::RoomClosed { .. }
        | Event::RoomPublished { .. }
        | Event::RoomUnpublished { .. } => ("", cyan, dim()),
        Event::PollOpened { .. } | Event::PollClosed { .. } => {
            ("▣ ", bold().fg(Color::LightMagenta), magenta)
        }
        Event::ServiceRestored { .. } => ("", bold().fg(Color::LightRed), dim()),
        _ => ("", dim(), dim()),
    }
}

/// Any other event: its sentence from `words` with its time, and under it
/// what a person wrote with it (an announcement in the reader's language
/// when interpreted, a poll's question and options or results).
fn notice_lines(
    app: &App,
    view: &RoomView,
    frame: &EventFrame,
    said: &dais_words::Said<'_>,
    width: usize,
) -> Vec<Line<'static>> {
    let ts = frame.ts;
    let clock = |ms: i64| clock_time(app, ms);
    let duration = |ms: i64| vis(app, &app.l10n.formats().elapsed(ms));
    let voice = crate::voice::Speaker {
        l10n: &app.l10n,
        clock: &clock,
        duration: &duration,
    };
    let (sign, style, body) = look(&frame.event);
    let mut text = format!("{sign}{}", said.render(&voice));
    if let Some(out_of_order) = said.out_of_order(&voice) {
        text.push_str(&format!(" ({out_of_order})"));
    }
    let mut lines = notice(app, ts, text, style, width);
    match &frame.event {
        Event::Announcement { text, lang, .. } => {
            let (shown, shown_lang, marker) = interpreted(app, view, frame.seq, text, lang);
            lines.extend(body_lines_in(app, &shown, Some(&shown_lang), width, body));
            if let Some(marker) = marker {
                lines.push(row(app, vec![Span::styled(format!("  ⇄ {marker}"), dim())]));
            }
        }
        Event::PollOpened {
            question, options, ..
        } => {
            lines.extend(body_lines(app, question, width, body));
            for (i, option) in options.iter().enumerate() {
                let option = option_label(&app.l10n, option);
                lines.extend(body_lines(
                    app,
                    &format!("{}. {option}", i + 1),
                    width,
                    body,
                ));
            }
        }
        Event::PollClosed {
            question,
            options,
            counts,
            ..
        } => {
            lines.extend(body_lines(app, question, width, body));
            for (option, count) in options.iter().zip(counts) {
                let option = option_label(&app.l10n, option);
                let votes = app.l10n.ta("poll-votes", &crate::args!["count" => *count]);
                let result = app.l10n.ta(
                    "poll-result",
                    &crate::args!["option" => option, "votes" => votes],
                );
                lines.extend(body_lines(app, &result, width, body));
            }
        }
        _ => {
            if let Some(written) = said.facts.written {
                lines.extend(body_lines(app, written.text, width, body));
            }
        }
    }
    if let Some(then) = &said.then {
        let yellow = Style::default().fg(Color::Yellow);
        lines.extend(notice(app, ts, then.render(&voice), yellow, width));
    }
    lines
}

/// The text to show for a message and its language: its interpretation
/// into the interface language when one exists (unless the reader asked
/// for the original), and the marker line that says which is shown.
fn interpreted(
    app: &App,
    view: &RoomView,
    seq: Seq,
    text: &str,
    lang: &str,
) -> (String, String, Option<String>) {
    let ui = app.l10n.lang().language.as_str().to_owned();
    let same_language = |tag: &str| tag.split(['-', '_']).next() == Some(ui.as_str());
    if same_language(lang) {
        return (text.to_owned(), lang.to_owned(), None);
    }
    let found = view
        .interpretations
        .get(&seq)
        .into_iter()
        .flatten()
        .filter_map(|s| view.events.get(s))
        .find_map(|e| match &e.event {
            Event::Interpretation { text, lang, .. } if same_language(lang) => {
                Some((text.clone(), lang.clone()))
            }
            _ => None,
        });
    match found {
        Some(_) if view.show_original.contains(&seq) => (
            text.to_owned(),
            lang.to_owned(),
            Some(app.l10n.t("interpretation-original")),
        ),
        Some((interpretation, into)) => (
            interpretation,
            into,
            Some(app.l10n.ta(
                "interpretation-shown",
                &crate::args!["lang" => crate::language::name(&app.l10n, lang)],
            )),
        ),
        None => (text.to_owned(), lang.to_owned(), None),
    }
}

#[cfg(test)]
mod tests;
