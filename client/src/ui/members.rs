//! The participants of the room, grouped by stakeholder group, with presence.

use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use dais_protocol::Role;
use dais_protocol::Stakeholder;

use super::{dim, pane, row, stakeholder_color, stakeholder_key, txta, vis};
use crate::app::App;
use crate::bidi::truncate;

pub fn draw(frame: &mut Frame, app: &App, area: Rect) {
    let members = app
        .state()
        .map(|s| s.members.as_slice())
        .unwrap_or_default();
    let online = members.iter().filter(|m| m.online).count();
    let title = txta(
        app,
        "pane-participants",
        &crate::args!["online" => online, "count" => members.len()],
    );
    let block = pane(app, title, false);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let inner_width = usize::from(inner.width);
    let me = app.my_id().unwrap_or_default();
    let mut lines: Vec<Line> = Vec::new();
    for group in Stakeholder::ALL {
        let mut in_group: Vec<_> = members
            .iter()
            .filter(|m| m.who.stakeholder == group)
            .collect();
        if in_group.is_empty() {
            continue;
        }
        in_group.sort_by(|a, b| {
            b.online
                .cmp(&a.online)
                .then(a.who.delegation.cmp(&b.who.delegation))
        });
        let name = app
            .l10n
            .t(&format!("stakeholder-{}", stakeholder_key(group)));
        let name = vis(app, &truncate(&name, inner_width));
        lines.push(row(
            app,
            vec![Span::styled(
                name,
                Style::default()
                    .fg(stakeholder_color(group))
                    .add_modifier(Modifier::BOLD),
            )],
        ));
        for member in in_group {
            let dot = if member.online { "●" } else { "○" };
            let dot_style = if member.online {
                Style::default().fg(Color::Green)
            } else {
                dim()
            };
            let mut tags = String::new();
            if member.who.role == Role::Moderator {
                tags.push_str(" ★");
            }
            if member.muted {
                tags.push_str(" ⊘");
            }
            let label =
                if member.who.delegation.is_empty() || member.who.delegation == member.who.name {
                    member.who.name.clone()
                } else {
                    format!("{} · {}", member.who.delegation, member.who.name)
                };
            let room = inner_width
                .saturating_sub(3 + crate::bidi::width(&tags))
                .max(3);
            let style = if member.who.id == me {
                Style::default().add_modifier(Modifier::BOLD)
            } else if member.online {
                Style::default()
            } else {
                dim()
            };
            lines.push(row(
                app,
                vec![
                    Span::raw(" "),
                    Span::styled(dot, dot_style),
                    Span::raw(" "),
                    Span::styled(vis(app, &truncate(&label, room)), style),
                    Span::styled(tags, Style::default().fg(Color::Yellow)),
                ],
            ));
        }
    }
    frame.render_widget(Paragraph::new(lines), inner);
}
