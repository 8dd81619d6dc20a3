//! The participants of the room: how many are there and online, then the
//! members with their presence. A room small enough to be loaded whole is
//! grouped by stakeholder group; a large one (a plenary of thousands) is
//! listed in name order, page by page as the reader scrolls (Alt+↑↓,
//! Alt+PgUp/PgDn), each name in its group's colour.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use dais_protocol::{MemberView, Role, Stakeholder};

use super::{
    bold, dim, guest_badge, pane, row, stakeholder_color, stakeholder_key, txt, txta, vis,
};
use crate::app::members::{MemberList, MembersRender, MEMBERS_PAGE};
use crate::app::App;
use crate::bidi::{truncate, width};
use crate::names;

/// One row of the list.
enum Row<'a> {
    Group(Stakeholder),
    Member(&'a MemberView),
    /// Members not loaded yet: how many.
    More(usize),
    Loading,
}

/// Whether the list is drawn by stakeholder group: only when every member
/// is loaded and they fit a page, so that groups never change as pages come.
pub fn grouped(list: &MemberList) -> bool {
    list.complete() && list.len() <= MEMBERS_PAGE as usize
}

fn rows(list: &MemberList) -> Vec<Row<'_>> {
    let mut rows = Vec::new();
    if grouped(list) {
        for group in Stakeholder::ALL {
            let mut in_group: Vec<&MemberView> = list
                .loaded()
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
            rows.push(Row::Group(group));
            rows.extend(in_group.into_iter().map(Row::Member));
        }
    } else {
        rows.extend(list.loaded().map(Row::Member));
        if list.waiting() {
            rows.push(Row::Loading);
        } else if list.unloaded() > 0 {
            rows.push(Row::More(list.unloaded()));
        }
    }
    rows
}

pub fn draw(frame: &mut Frame, app: &App, area: Rect) {
    let block = pane(app, txt(app, "pane-participants"), false);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let Some(view) = app.view() else {
        return;
    };
    let list = &view.members;
    let counts = &list.counts;
    let inner_width = usize::from(inner.width);
    let mut header = vec![row(
        app,
        vec![Span::styled(
            txta(
                app,
                "members-online",
                &crate::args!["online" => counts.online, "count" => counts.members],
            ),
            bold(),
        )],
    )];
    // The guests' count only where it leaves room for the list itself.
    if counts.guests.members > 0 && inner.height >= 5 {
        header.push(row(
            app,
            vec![Span::styled(
                txta(
                    app,
                    "members-guests",
                    &crate::args!["count" => counts.guests.members],
                ),
                super::guest_style(),
            )],
        ));
    }
    let header_height = (header.len() as u16).min(inner.height);
    let [top, body] =
        Layout::vertical([Constraint::Length(header_height), Constraint::Fill(1)]).areas(inner);
    frame.render_widget(Paragraph::new(header), top);

    app.layout.set(crate::app::PaneLayout {
        members: Some((inner.x, inner.y, inner.width, inner.height)),
        ..app.layout.get()
    });
    let rows = rows(list);
    let height = usize::from(body.height);
    let scroll = list.scroll.min(rows.len().saturating_sub(height));
    // Rows below the pane: the last row says how many, and how to see them.
    let below = rows.len().saturating_sub(scroll + height);
    let (height, below) = if below > 0 && height >= 1 {
        let hidden = rows.len() - (scroll + height - 1);
        (height - 1, hidden)
    } else {
        (height, 0)
    };
    list.render.set(MembersRender {
        rows: rows.len(),
        height,
        scroll,
    });
    let lines: Vec<Line> = rows
        .iter()
        .skip(scroll)
        .take(height)
        .map(|r| match r {
            Row::Group(group) => group_line(app, *group, inner_width),
            Row::Member(member) => member_line(app, member, inner_width, grouped(list)),
            Row::More(count) => row(
                app,
                vec![Span::styled(
                    txta(app, "members-more", &crate::args!["count" => *count]),
                    dim(),
                )],
            ),
            Row::Loading => row(app, vec![Span::styled(txt(app, "members-loading"), dim())]),
        })
        .collect();
    let mut lines = lines;
    if below > 0 {
        // Group headings are rows too; count only people.
        let people = rows
            .iter()
            .skip(scroll + height)
            .map(|r| match r {
                Row::Member(_) => 1,
                Row::More(n) => *n,
                _ => 0,
            })
            .sum::<usize>();
        let text = truncate(
            // The key a placeable, so that it reads Alt+↓ in Arabic too.
            &app.l10n.ta(
                "members-more-below",
                &crate::args!["count" => people.max(1), "key" => "Alt+↓"],
            ),
            inner_width,
        );
        lines.push(row(app, vec![Span::styled(vis(app, &text), dim())]));
    }
    frame.render_widget(Paragraph::new(lines), body);
}

/// `Governments 4/5`: the group, and its online and all members.
fn group_line<'a>(app: &App, group: Stakeholder, inner_width: usize) -> Line<'a> {
    let tally = app
        .view()
        .and_then(|v| v.members.counts.stakeholders.get(&group).copied())
        .unwrap_or_default();
    let count = format!(
        " {}/{}",
        app.l10n.formats().number(i64::from(tally.online)),
        app.l10n.formats().number(i64::from(tally.members))
    );
    let name = app
        .l10n
        .t(&format!("stakeholder-{}", stakeholder_key(group)));
    let name = vis(
        app,
        &truncate(&name, inner_width.saturating_sub(width(&count))),
    );
    row(
        app,
        vec![
            Span::styled(
                name,
                Style::default()
                    .fg(stakeholder_color(group))
                    .add_modifier(Modifier::BOLD),
            ),
            Span::styled(count, dim()),
        ],
    )
}

/// ` ● Kenya · Wanjiru Kamau ★`, with the guest badge for a guest. In a
/// list not grouped by stakeholder (so in name order) the name comes first,
/// in its group's colour: ` ● Wanjiru Kamau · Kenya`.
fn member_line<'a>(app: &App, member: &MemberView, inner_width: usize, grouped: bool) -> Line<'a> {
    let who = &member.who;
    let me = app.my_id().unwrap_or_default();
    let dot = if member.online { "●" } else { "○" };
    let dot_style = if member.online {
        Style::default().fg(Color::Green)
    } else {
        dim()
    };
    let mut tags = String::new();
    if who.role == Role::Moderator {
        tags.push_str(" ★");
    }
    let muted = member.muted
        && member
            .muted_until
            .is_none_or(|until| until > app.server_now());
    if muted {
        tags.push_str(" ⊘");
    }
    // Grouped, members are found by delegation; listed by name, by name.
    let label = if who.delegation.is_empty() || who.delegation == who.name {
        who.name.clone()
    } else if grouped {
        format!("{} · {}", who.delegation, who.name)
    } else {
        format!("{} · {}", who.name, who.delegation)
    };
    let badge = names::badge(&app.l10n, who);
    let room = inner_width.saturating_sub(3 + width(&tags)).max(3);
    let label = names::fit(&label, &badge, room);
    let mut style = if grouped {
        Style::default()
    } else {
        Style::default().fg(stakeholder_color(who.stakeholder))
    };
    if !member.online {
        style = dim();
    }
    if who.id == me {
        style = style.add_modifier(Modifier::BOLD);
    }
    row(
        app,
        vec![
            Span::raw(" "),
            Span::styled(dot, dot_style),
            Span::raw(" "),
            Span::styled(vis(app, &label), style),
            guest_badge(app, who),
            Span::styled(tags, Style::default().fg(Color::Yellow)),
        ],
    )
}
