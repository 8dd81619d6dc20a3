//! Tab completion in the input: slash commands at the start of the line,
//! else the names and delegations of the room (the loaded members, the
//! speaker and the speakers' list). Tab again goes to the next candidate,
//! Shift+Tab to the one before.

use super::*;

/// A completion under way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    /// Byte offset in the input where the completed word starts.
    start: usize,
    candidates: Vec<String>,
    /// The candidate in the input now.
    index: usize,
}

/// What the word at `start` (the input's first word, or not) could become.
fn candidates(app: &App, word: &str, line_start: bool) -> Vec<String> {
    if line_start {
        if let Some(prefix) = word.strip_prefix('/') {
            return Command::ALL
                .iter()
                .filter(|c| app.may(**c) && c.name().starts_with(prefix))
                .map(|c| format!("/{} ", c.name()))
                .collect();
        }
    }
    let prefix = dais_protocol::names::fold(word);
    if prefix.is_empty() {
        return Vec::new();
    }
    let mut names: Vec<String> = Vec::new();
    let mut add = |who: &Actor| {
        for name in [&who.delegation, &who.name] {
            if !name.is_empty()
                && dais_protocol::names::fold(name).starts_with(&prefix)
                && !names.contains(name)
            {
                names.push(name.clone());
            }
        }
    };
    if let Some(view) = app.view() {
        if let Some(state) = &view.state {
            if let Some(floor) = &state.floor {
                add(&floor.holder);
            }
            state.queue.iter().for_each(|e| add(&e.who));
        }
        view.members.loaded().for_each(|m| add(&m.who));
    }
    names.sort_by_key(|n| dais_protocol::names::fold(n));
    names
        .into_iter()
        .map(|n| {
            // A name at the start of a line addresses someone, as in IRC.
            if line_start {
                format!("{n}: ")
            } else {
                format!("{n} ")
            }
        })
        .collect()
}

/// Tab (forward) or Shift+Tab in the input.
pub(super) fn complete(app: &mut App, forward: bool) {
    if let Some(mut completion) = app.completion.take() {
        let n = completion.candidates.len();
        completion.index = if forward {
            (completion.index + 1) % n
        } else {
            (completion.index + n - 1) % n
        };
        let start = completion.start;
        app.input
            .replace_before_cursor(start, &completion.candidates[completion.index]);
        app.completion = Some(completion);
        return;
    }
    let (start, word) = app.input.word_before_cursor();
    let word = word.to_owned();
    let line_start = app.input.text()[..start].trim().is_empty();
    let candidates = candidates(app, &word, line_start);
    if candidates.is_empty() {
        return;
    }
    let index = if forward { 0 } else { candidates.len() - 1 };
    app.input.replace_before_cursor(start, &candidates[index]);
    app.completion = Some(Completion {
        start,
        candidates,
        index,
    });
}
