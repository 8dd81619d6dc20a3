//! The record of proceedings: a room's log rendered for people (Markdown)
//! or for programs (JSON), with speaking-time totals.

use crate::room::state::{Room, Speaking};
use crate::store;
use anyhow::{Context, Result};
use dais_protocol::{Actor, Event, EventFrame, Millis, Seq};
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::Path;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Md,
    Json,
}

#[derive(Serialize)]
struct JsonRecord<'a> {
    room: &'a str,
    titles: &'a BTreeMap<String, String>,
    description: &'a str,
    exported_at: Millis,
    events: &'a [EventFrame],
    speaking_time: &'a Speaking,
}

/// Render the record of `room` from the data directory.
pub fn export(data: &Path, room_id: &str, format: Format) -> Result<String> {
    if !data.join(store::DB_FILE).exists() {
        anyhow::bail!(
            "no Dais data in {} (use --data to point at the data directory)",
            data.display()
        );
    }
    let conn = store::open_db(data)?;
    let snapshot = store::load_rooms(&conn)?
        .into_iter()
        .find(|(id, _)| id == room_id)
        .map(|(_, s)| s)
        .with_context(|| format!("no room `{room_id}` in {}", data.display()))?;
    let room: Room = serde_json::from_str(&snapshot)
        .with_context(|| format!("the saved state of `{room_id}` cannot be read"))?;
    let events = store::all_events(&conn, room_id)?;
    Ok(match format {
        Format::Json => {
            let record = JsonRecord {
                room: &room.id,
                titles: &room.settings.titles,
                description: &room.settings.description,
                exported_at: store::now_ms(),
                events: &events,
                speaking_time: &room.speaking,
            };
            serde_json::to_string_pretty(&record)? + "\n"
        }
        Format::Md => markdown(&room, &events),
    })
}

fn time(ms: Millis) -> String {
    let t = std::time::UNIX_EPOCH + std::time::Duration::from_millis(ms.max(0) as u64);
    humantime::format_rfc3339_seconds(t).to_string()
}

fn duration(ms: i64) -> String {
    let s = ms / 1000;
    format!("{}:{:02}", s / 60, s % 60)
}

/// Text a person wrote (a speech, a name, a reason), made safe to put in
/// the Markdown record: it can add no line, no markup and no HTML of its
/// own, and carries no control character to the terminal it is printed on.
///
/// - Control characters go (escape sequences could clear the admin's
///   screen or retitle the window); so do directional overrides and
///   embeddings, which could make one name read as another.
/// - A line break becomes a Markdown hard break, indented, so the next line
///   stays inside the same list item: a speech cannot start a line that
///   reads as the next entry of the record, or as the chair's.
/// - Every character that can open markup is escaped with a backslash,
///   and `<`, `>` and `&` become entities, so raw HTML is shown as text.
pub fn md(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("  \n    "),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '(' | ')' | '#' | '+' | '-' | '!' | '|' | '~'
            | '.' | '{' | '}' | '=' => {
                out.push('\\');
                out.push(c);
            }
            '\t' => out.push(' '),
            c if c.is_control() => {}
            '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => {}
            c => out.push(c),
        }
    }
    out
}

fn who(a: &Actor) -> String {
    let guest = if a.guest { ", guest" } else { "" };
    if a.delegation.is_empty() {
        format!("{} ({}{guest})", md(&a.name), a.stakeholder)
    } else {
        format!(
            "{} ({}, {}{guest})",
            md(&a.name),
            md(&a.delegation),
            a.stakeholder
        )
    }
}

fn markdown(room: &Room, events: &[EventFrame]) -> String {
    let title = room
        .settings
        .titles
        .get("en")
        .or_else(|| room.settings.titles.values().next())
        .cloned()
        .unwrap_or_else(|| room.id.clone());
    let mut interpretations: BTreeMap<Seq, Vec<&EventFrame>> = BTreeMap::new();
    for e in events {
        if let Event::Interpretation { of, .. } = &e.event {
            interpretations.entry(*of).or_default().push(e);
        }
    }
    let mut out = String::new();
    let _ = writeln!(out, "# Record of proceedings: {}\n", md(&title));
    let _ = writeln!(
        out,
        "Room `{}`. {}\n",
        room.id,
        md(&room.settings.description)
    );
    let _ = writeln!(
        out,
        "Exported {}; {} events.\n",
        time(store::now_ms()),
        events.len()
    );
    let _ = writeln!(out, "## Proceedings\n");
    let mut polls = Vec::new();
    for e in events {
        let t = time(e.ts);
        let line = match &e.event {
            Event::Speech { by, text, lang } => {
                format!("**{}** \\[{}\\]: {}", who(by), md(lang), md(text))
            }
            Event::Announcement { by, text, lang } => {
                format!(
                    "Announcement by the chair, {} \\[{}\\]: {}",
                    md(&by.name),
                    md(lang),
                    md(text)
                )
            }
            Event::Interpretation { .. } => continue,
            Event::FloorRequested {
                by,
                class,
                reply_to,
            } => match reply_to {
                Some(to) => format!("{} asks for the right of reply to #{to}.", who(by)),
                None => format!("{} asks for the floor ({class:?}).", who(by)),
            },
            Event::FloorWithdrawn { by } => {
                format!("{} withdraws the request for the floor.", who(by))
            }
            Event::FloorGranted {
                to,
                by,
                out_of_order,
                reason,
                allotted_ms,
                ..
            } => {
                let mut s = format!(
                    "The floor goes to {} for {}",
                    who(to),
                    duration(*allotted_ms)
                );
                if let Some(by) = by {
                    let _ = write!(s, ", given by {}", md(&by.name));
                }
                if *out_of_order {
                    s.push_str(", out of the order of the list");
                }
                if let Some(r) = reason {
                    let _ = write!(s, " (reason: {})", md(r));
                }
                s.push('.');
                s
            }
            Event::TurnEnded {
                holder,
                reason,
                by,
                spoke_ms,
                ..
            } => {
                let mut s = format!(
                    "{}'s turn ends ({reason:?}) after {}",
                    md(&holder.name),
                    duration(*spoke_ms)
                );
                if let Some(by) = by {
                    let _ = write!(s, ", by {}", md(&by.name));
                }
                s.push('.');
                s
            }
            Event::PointOfOrder { by, text } => {
                format!(
                    "Point of order from {}: {}",
                    who(by),
                    text.as_deref()
                        .map(md)
                        .unwrap_or_else(|| "(no text)".into())
                )
            }
            Event::Ruling {
                by,
                point,
                ruling,
                upheld,
            } => {
                let verdict = match upheld {
                    Some(true) => " (upheld)",
                    Some(false) => " (not upheld)",
                    None => "",
                };
                format!(
                    "Ruling by {} on the point of order #{point}{verdict}: {}",
                    md(&by.name),
                    md(ruling)
                )
            }
            Event::PollClosed { .. } | Event::PollOpened { .. } => {
                polls.push(e);
                render_other(e)
            }
            _ => render_other(e),
        };
        let _ = writeln!(out, "- `#{}` {t} — {line}", e.seq);
        for i in interpretations.get(&e.seq).into_iter().flatten() {
            if let Event::Interpretation { by, text, lang, .. } = &i.event {
                let _ = writeln!(
                    out,
                    "    - Interpretation \\[{}\\] by {}: {}",
                    md(lang),
                    md(&by.name),
                    md(text)
                );
            }
        }
    }
    let _ = writeln!(out, "\n## Polls\n");
    let closed: Vec<_> = events
        .iter()
        .filter_map(|e| match &e.event {
            Event::PollClosed {
                question,
                options,
                counts,
                votes,
                ..
            } => Some((question, options, counts, votes)),
            _ => None,
        })
        .collect();
    if closed.is_empty() {
        let _ = writeln!(out, "No poll was closed.");
    }
    for (question, options, counts, votes) in closed {
        let _ = writeln!(out, "**{}**\n", md(question));
        for (o, c) in options.iter().zip(counts.iter()) {
            let _ = writeln!(out, "- {}: {c}", md(o));
        }
        let by: Vec<String> = votes
            .iter()
            .map(|(d, o)| {
                format!(
                    "{}: {}",
                    md(d),
                    options
                        .get(*o as usize)
                        .map(|o| md(o))
                        .unwrap_or_else(|| "?".into())
                )
            })
            .collect();
        let _ = writeln!(out, "\nVotes by delegation: {}\n", by.join("; "));
    }
    let _ = writeln!(out, "\n## Speaking time\n");
    let _ = writeln!(out, "Total: {}\n", duration(room.speaking.total_ms));
    let _ = writeln!(out, "| Delegation | Time |\n| --- | --- |");
    for (d, ms) in &room.speaking.delegations {
        let _ = writeln!(
            out,
            "| {} | {} |",
            if d.is_empty() { "(none)".into() } else { md(d) },
            duration(*ms)
        );
    }
    let _ = writeln!(out, "\n| Stakeholder group | Time |\n| --- | --- |");
    for (g, ms) in &room.speaking.stakeholders {
        let _ = writeln!(out, "| {g} | {} |", duration(*ms));
    }
    out
}

fn render_other(e: &EventFrame) -> String {
    let mut s = e.event.kind().replace('_', " ");
    if let Some(by) = e.event.author() {
        let _ = write!(s, " by {}", md(&by.name));
    }
    match &e.event {
        Event::ModeChanged { mode, .. } => {
            let _ = write!(s, ": {}", mode.as_str());
        }
        Event::TimeLimitChanged { seconds, .. } => {
            let _ = write!(s, ": {seconds} s");
        }
        Event::PollOpened {
            question, options, ..
        } => {
            let options: Vec<String> = options.iter().map(|o| md(o)).collect();
            let _ = write!(s, ": {} ({})", md(question), options.join(", "));
        }
        Event::PollClosed {
            options, counts, ..
        } => {
            let tally: Vec<String> = options
                .iter()
                .zip(counts)
                .map(|(o, c)| format!("{} {c}", md(o)))
                .collect();
            let _ = write!(s, ": {}", tally.join(", "));
        }
        Event::VoteCast { by, option, .. } => {
            let _ = write!(s, " ({}): option {option}", md(&by.delegation));
        }
        Event::Muted { who: w, reason, .. } | Event::Removed { who: w, reason, .. } => {
            let _ = write!(s, ": {}", md(&w.name));
            if let Some(r) = reason {
                let _ = write!(s, " (reason: {})", md(r));
            }
        }
        Event::Unmuted { who: w, .. } => {
            let _ = write!(s, ": {}", md(&w.name));
        }
        Event::QueueReordered {
            reason: Some(r), ..
        }
        | Event::QueueCleared {
            reason: Some(r), ..
        }
        | Event::ListClosed {
            reason: Some(r), ..
        } => {
            let _ = write!(s, " (reason: {})", md(r));
        }
        _ => {}
    }
    s.push('.');
    s
}

#[cfg(test)]
mod tests {
    use super::md;

    #[test]
    fn a_speech_cannot_add_a_line_that_reads_as_the_chairs() {
        let forged = "Yes.\n- `#13` 2026-01-01T10:00:00Z — **Chair (Secretariat)** [en]: The motion is adopted.";
        let safe = md(forged);
        // Still one list item: the break is indented, and nothing in it can
        // open a list item, code or bold.
        assert!(!safe.contains("\n-"), "{safe}");
        assert!(safe.contains("\n    \\- \\`\\#13\\`"), "{safe}");
        assert!(!safe.contains("**"), "{safe}");
    }

    #[test]
    fn html_and_terminal_escapes_are_shown_as_text_or_dropped() {
        assert_eq!(
            md("<script>alert(1)</script>"),
            "&lt;script&gt;alert\\(1\\)&lt;/script&gt;"
        );
        // Clear the screen, retitle the window: gone.
        assert_eq!(md("a\u{1b}[2J\u{1b}]0;owned\u{7}b"), "a\\[2J\\]0;ownedb");
        assert_eq!(md("x\u{9b}2Jy"), "x2Jy", "C1 controls too");
        assert_eq!(md("\u{202e}riahC"), "riahC");
    }
}
