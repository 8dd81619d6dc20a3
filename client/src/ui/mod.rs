//! Drawing: `draw(frame, &app)` reads the state and paints one screen.
//!
//! One file per pane. Every label is a Fluent message and every string passes
//! through the bidi step before it reaches a cell (see bidi.rs). With a
//! right-to-left interface language the layout mirrors: the side panels swap
//! and labels are right-aligned.

// A reader comes to this module's public items from the rest of the
// client, so each says what it is for.
#![warn(missing_docs)]

mod fairness;
mod floor;
mod input;
mod members;
mod overlay;
mod rooms;
pub(crate) mod status;
mod transcript;

use fluent_bundle::FluentArgs;
use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};
use ratatui::Frame;

use dais_protocol::{Actor, Stakeholder};

use crate::app::{App, Millis};
use crate::bidi::{self, visual_line};
pub(crate) use crate::names::who;

/// The smallest screen the layout is made for: narrower, or lower, and a
/// notice replaces it.
pub const MIN_WIDTH: u16 = 80;
/// See [`MIN_WIDTH`].
pub const MIN_HEIGHT: u16 = 24;

/// Paint the whole screen.
pub fn draw(frame: &mut Frame, app: &App) {
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        too_small(frame, app, area);
        return;
    }
    let rtl = app.l10n.is_rtl();
    let input_height = input::height(app, area.width);
    let [main, input_area, status_area] = Layout::vertical([
        Constraint::Fill(1),
        Constraint::Length(input_height),
        Constraint::Length(1),
    ])
    .areas(area);

    if area.width >= 110 {
        // The rooms and participants column is narrower than the floor's.
        let (first, last) = if rtl { (34, 26) } else { (26, 34) };
        let [a, center, b] = Layout::horizontal([
            Constraint::Length(first),
            Constraint::Fill(1),
            Constraint::Length(last),
        ])
        .areas(main);
        let (left, right) = if rtl { (b, a) } else { (a, b) };
        let rooms_height = rooms::height(app).min(left.height / 2);
        let [rooms_area, members_area] =
            Layout::vertical([Constraint::Length(rooms_height), Constraint::Fill(1)]).areas(left);
        rooms::draw(frame, app, rooms_area);
        members::draw(frame, app, members_area);
        transcript::draw(frame, app, center);
        floor::draw(frame, app, right);
    } else {
        let side_width = 30;
        let (center, side) = if rtl {
            let [side, center] =
                Layout::horizontal([Constraint::Length(side_width), Constraint::Fill(1)])
                    .areas(main);
            (center, side)
        } else {
            let [center, side] =
                Layout::horizontal([Constraint::Fill(1), Constraint::Length(side_width)])
                    .areas(main);
            (center, side)
        };
        // One column for rooms, floor and participants: the floor (with the
        // queue) first, then at least a few rows for each of the others.
        let rooms_height = rooms::height(app).min(5);
        let spare = side.height.saturating_sub(rooms_height);
        let floor_height = floor::height(app).clamp(6, spare.saturating_sub(4).max(6));
        let [rooms_area, floor_area, members_area] = Layout::vertical([
            Constraint::Length(rooms_height),
            Constraint::Length(floor_height),
            Constraint::Fill(1),
        ])
        .areas(side);
        rooms::draw(frame, app, rooms_area);
        floor::draw(frame, app, floor_area);
        members::draw(frame, app, members_area);
        transcript::draw(frame, app, center);
    }
    input::draw(frame, app, input_area);
    status::draw(frame, app, status_area);
    overlay::draw(frame, app, area);
}

fn too_small(frame: &mut Frame, app: &App, area: Rect) {
    // In logical order: the layout below puts it in visual order, once.
    let text = app.l10n.ta(
        "too-small",
        // Each size one placeable, so that Fluent isolates it and it reads
        // `80×24` in an Arabic sentence too.
        &crate::args![
            "needed" => format!("{MIN_WIDTH}×{MIN_HEIGHT}"),
            "current" => format!("{}×{}", area.width, area.height),
        ],
    );
    let lines: Vec<Line> = bidi::layout(
        &text,
        usize::from(area.width.max(1)),
        app.l10n.is_rtl(),
        app.bidi,
    )
    .into_iter()
    .map(|l| Line::from(l.text).centered())
    .collect();
    let top = area.height.saturating_sub(lines.len() as u16) / 2;
    let inner = Rect {
        y: area.y + top,
        height: area.height.saturating_sub(top),
        ..area
    };
    frame.render_widget(Paragraph::new(lines), inner);
}

// ---------------------------------------------------------------- helpers

/// A localized label, ready for the screen.
pub(crate) fn txt(app: &App, id: &str) -> String {
    visual_line(&app.l10n.t(id), app.l10n.is_rtl(), app.bidi)
}

/// A localized label with arguments, ready for the screen.
pub(crate) fn txta(app: &App, id: &str, args: &FluentArgs) -> String {
    visual_line(&app.l10n.ta(id, args), app.l10n.is_rtl(), app.bidi)
}

/// Text from the proceedings (a name, a question), ready for the screen.
pub(crate) fn vis(app: &App, text: &str) -> String {
    let rtl = bidi::is_rtl_paragraph(text, app.l10n.is_rtl());
    visual_line(text, rtl, app.bidi)
}

/// A row of styled pieces, written in reading order: mirrored and
/// right-aligned for a right-to-left interface.
pub(crate) fn row<'a>(app: &App, pieces: Vec<Span<'a>>) -> Line<'a> {
    if app.l10n.is_rtl() {
        let pieces: Vec<Span> = pieces.into_iter().rev().map(flip_spaces).collect();
        Line::from(pieces).alignment(Alignment::Right)
    } else {
        Line::from(pieces)
    }
}

/// Move a piece's leading spaces to its end and back, so that the gaps
/// between pieces stay where they were meant to be once the row is mirrored.
fn flip_spaces(span: Span<'_>) -> Span<'_> {
    let text = span.content.as_ref();
    let trimmed = text.trim_matches(' ');
    if trimmed.is_empty() || trimmed.len() == text.len() {
        return span;
    }
    let leading = text.len() - text.trim_start_matches(' ').len();
    let trailing = text.len() - text.trim_end_matches(' ').len();
    let flipped = format!("{}{trimmed}{}", " ".repeat(trailing), " ".repeat(leading));
    Span::styled(flipped, span.style)
}

/// A bordered pane with its title on the reading side.
pub(crate) fn pane<'a>(app: &App, title: String, focused: bool) -> Block<'a> {
    let alignment = if app.l10n.is_rtl() {
        Alignment::Right
    } else {
        Alignment::Left
    };
    let style = if focused {
        Style::default().fg(Color::Yellow)
    } else {
        Style::default().fg(Color::DarkGray)
    };
    Block::bordered()
        .title(format!(" {title} "))
        .title_alignment(alignment)
        .border_style(style)
}

/// Local time of day in the interface's locale (`14:05`, `2:05 PM`; see
/// [`App::time_of_day`]), ready for the screen.
pub(crate) fn clock_time(app: &App, ms: Millis) -> String {
    vis(app, &app.time_of_day(ms))
}

/// A duration as `m:ss` in the interface's digits.
pub(crate) fn duration(app: &App, ms: i64) -> String {
    vis(app, &app.l10n.formats().duration(ms))
}

pub(crate) fn stakeholder_color(group: Stakeholder) -> Color {
    match group {
        Stakeholder::Government => Color::LightBlue,
        Stakeholder::PrivateSector => Color::LightMagenta,
        Stakeholder::TechnicalCommunity => Color::LightCyan,
        Stakeholder::CivilSociety => Color::LightGreen,
        Stakeholder::Academia => Color::Yellow,
        Stakeholder::Intergovernmental => Color::LightRed,
    }
}

/// The Fluent id stem of a stakeholder group, e.g. `civil-society`.
pub(crate) fn stakeholder_key(group: Stakeholder) -> String {
    group.as_str().replace('_', "-")
}

/// The guest badge after a name: a piece of its own, so that no truncation
/// of the name can drop it. Empty for anyone but a guest.
pub(crate) fn guest_badge<'a>(app: &App, actor: &Actor) -> Span<'a> {
    let badge = crate::names::badge(&app.l10n, actor);
    if badge.is_empty() {
        return Span::raw("");
    }
    Span::styled(format!(" {}", vis(app, &badge)), guest_style())
}

/// How the guest badge stands out: in no stakeholder group's colour.
pub(crate) fn guest_style() -> Style {
    Style::default()
        .fg(Color::Magenta)
        .add_modifier(Modifier::ITALIC)
}

pub(crate) fn bold() -> Style {
    Style::default().add_modifier(Modifier::BOLD)
}

pub(crate) fn dim() -> Style {
    Style::default().fg(Color::DarkGray)
}

#[cfg(test)]
mod tests;
