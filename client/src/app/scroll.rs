//! Scrolling the record and the participants, and selecting a message.

use super::*;

pub fn select_step(app: &mut App, step: i32) {
    let Some(view) = app.view_mut() else {
        return;
    };
    let messages: Vec<Seq> = view
        .events
        .iter()
        .filter(|(_, e)| is_message(&e.event))
        .map(|(s, _)| *s)
        .collect();
    let Some(last) = messages.last().copied() else {
        return;
    };
    let next = match view
        .selected
        .and_then(|s| messages.iter().position(|m| *m == s))
    {
        None => last,
        Some(i) if step < 0 => messages[i.saturating_sub(1)],
        Some(i) => messages[(i + 1).min(messages.len() - 1)],
    };
    view.selected = Some(next);
}

pub(super) fn scroll_up(app: &mut App, lines: usize) -> Vec<Effect> {
    let Some(room) = app.current.clone() else {
        return Vec::new();
    };
    let Some(view) = app.views.get_mut(&room) else {
        return Vec::new();
    };
    let info = view.render.get();
    let base = info.scroll;
    let max = info
        .total_lines
        .map_or(usize::MAX, |t| t.saturating_sub(info.height));
    if view.scroll == 0 && view.scroll_anchor.is_none() {
        view.scroll_anchor = Some(view.last_seq);
    }
    view.scroll = base.saturating_add(lines).min(max);
    view.selected = None;
    // Near the top of what is loaded: fetch the page before it.
    let near_top = info
        .total_lines
        .is_none_or(|t| view.scroll + 2 * info.height.max(1) >= t);
    if near_top && view.has_older() && !view.history_pending && app.conn == Conn::Online {
        view.history_pending = true;
        let before = view.oldest();
        return app.send_only(Request::History {
            room,
            before,
            limit: Some(HISTORY_PAGE),
        });
    }
    Vec::new()
}

/// Scroll the participants by `lines` (down when positive), and fetch the
/// next page of them before the reader reaches the end of what is loaded.
pub(super) fn scroll_members(app: &mut App, lines: isize) -> Vec<Effect> {
    let Some(view) = app.view_mut() else {
        return Vec::new();
    };
    let drawn = view.members.render.get();
    let max = drawn.rows.saturating_sub(drawn.height);
    // From where the reader is, which several keys may have moved since
    // the last draw.
    let from = view.members.scroll.min(max);
    view.members.scroll = from.saturating_add_signed(lines).min(max);
    more_members(app)
}

pub(super) fn scroll_down(app: &mut App, lines: usize) {
    if let Some(view) = app.view_mut() {
        let base = view.render.get().scroll;
        view.scroll = base.saturating_sub(lines);
        view.selected = None;
        if view.scroll == 0 {
            view.read_seq = view.last_seq;
            view.scroll_anchor = None;
        }
    }
}

/// Messages that came while the reader was scrolled up ("3 new ↓").
pub fn new_below(view: &RoomView) -> usize {
    match view.scroll_anchor {
        Some(anchor) if view.scroll > 0 => view
            .events
            .range(anchor + 1..)
            .filter(|(_, e)| is_message(&e.event))
            .count(),
        _ => 0,
    }
}
