//! Search in the record (Ctrl+F, or `/search words`): the newest message
//! whose text, speaker or delegation holds the words becomes the selected
//! message, so the record scrolls to it; ↑ ↓ go to older and newer matches.

use super::*;

/// Text compared without regard to case or accents, as names are.
fn folded(text: &str) -> String {
    dais_protocol::names::fold(text)
}

/// Whether the event at `seq` matches the (folded) query.
fn matches(event: &Event, query: &str) -> bool {
    let (by, text) = match event {
        Event::Speech { by, text, .. } | Event::Announcement { by, text, .. } => {
            (by, text.as_str())
        }
        Event::PointOfOrder { by, text } => (by, text.as_deref().unwrap_or_default()),
        _ => return false,
    };
    [text, by.name.as_str(), by.delegation.as_str()]
        .iter()
        .any(|t| folded(t).contains(query))
}

/// The seqs of the current room's messages that match `query`, oldest first.
pub fn search_matches(app: &App, query: &str) -> Vec<Seq> {
    let query = folded(query.trim());
    if query.is_empty() {
        return Vec::new();
    }
    app.view()
        .map(|v| {
            v.events
                .iter()
                .filter(|(_, e)| matches(&e.event, &query))
                .map(|(s, _)| *s)
                .collect()
        })
        .unwrap_or_default()
}

/// Select the newest match of `query`.
pub(super) fn search_for(app: &mut App, query: &str) {
    let found = search_matches(app, query).last().copied();
    select_found(app, found);
}

/// Select the match before (older) or after the selected message.
pub(super) fn search_step(app: &mut App, query: &str, older: bool) {
    let found = search_matches(app, query);
    let here = app.view().and_then(|v| v.selected);
    let next = match here {
        None => found.last().copied(),
        Some(here) if older => found.iter().rev().find(|s| **s < here).copied(),
        Some(here) => found.iter().find(|s| **s > here).copied(),
    };
    if next.is_some() {
        select_found(app, next);
    }
}

fn select_found(app: &mut App, found: Option<Seq>) {
    if let Some(view) = app.view_mut() {
        view.selected = found;
    }
    if found.is_some() {
        app.focus = Focus::Transcript;
    }
}
