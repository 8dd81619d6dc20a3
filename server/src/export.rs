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

fn who(a: &Actor) -> String {
    if a.delegation.is_empty() {
        format!("{} ({})", a.name, a.stakeholder)
    } else {
        format!("{} ({}, {})", a.name, a.delegation, a.stakeholder)
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
    let mut md = String::new();
    let _ = writeln!(md, "# Record of proceedings: {title}\n");
    let _ = writeln!(md, "Room `{}`. {}\n", room.id, room.settings.description);
    let _ = writeln!(
        md,
        "Exported {}; {} events.\n",
        time(store::now_ms()),
        events.len()
    );
    let _ = writeln!(md, "## Proceedings\n");
    let mut polls = Vec::new();
    for e in events {
        let t = time(e.ts);
        let line = match &e.event {
            Event::Speech { by, text, lang } => format!("**{}** [{lang}]: {text}", who(by)),
            Event::Announcement { by, text, lang } => {
                format!("Announcement by the chair, {} [{lang}]: {text}", by.name)
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
                    let _ = write!(s, ", given by {}", by.name);
                }
                if *out_of_order {
                    s.push_str(", out of the order of the list");
                }
                if let Some(r) = reason {
                    let _ = write!(s, " (reason: {r})");
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
                    holder.name,
                    duration(*spoke_ms)
                );
                if let Some(by) = by {
                    let _ = write!(s, ", by {}", by.name);
                }
                s.push('.');
                s
            }
            Event::PointOfOrder { by, text } => {
                format!(
                    "Point of order from {}: {}",
                    who(by),
                    text.as_deref().unwrap_or("(no text)")
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
                    "Ruling by {} on the point of order #{point}{verdict}: {ruling}",
                    by.name
                )
            }
            Event::PollClosed { .. } | Event::PollOpened { .. } => {
                polls.push(e);
                render_other(e)
            }
            _ => render_other(e),
        };
        let _ = writeln!(md, "- `#{}` {t} — {line}", e.seq);
        for i in interpretations.get(&e.seq).into_iter().flatten() {
            if let Event::Interpretation { by, text, lang, .. } = &i.event {
                let _ = writeln!(md, "    - Interpretation [{lang}] by {}: {text}", by.name);
            }
        }
    }
    let _ = writeln!(md, "\n## Polls\n");
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
        let _ = writeln!(md, "No poll was closed.");
    }
    for (question, options, counts, votes) in closed {
        let _ = writeln!(md, "**{question}**\n");
        for (o, c) in options.iter().zip(counts.iter()) {
            let _ = writeln!(md, "- {o}: {c}");
        }
        let by: Vec<String> = votes
            .iter()
            .map(|(d, o)| {
                format!(
                    "{d}: {}",
                    options.get(*o as usize).map(String::as_str).unwrap_or("?")
                )
            })
            .collect();
        let _ = writeln!(md, "\nVotes by delegation: {}\n", by.join("; "));
    }
    let _ = writeln!(md, "\n## Speaking time\n");
    let _ = writeln!(md, "Total: {}\n", duration(room.speaking.total_ms));
    let _ = writeln!(md, "| Delegation | Time |\n| --- | --- |");
    for (d, ms) in &room.speaking.delegations {
        let _ = writeln!(
            md,
            "| {} | {} |",
            if d.is_empty() { "(none)" } else { d },
            duration(*ms)
        );
    }
    let _ = writeln!(md, "\n| Stakeholder group | Time |\n| --- | --- |");
    for (g, ms) in &room.speaking.stakeholders {
        let _ = writeln!(md, "| {g} | {} |", duration(*ms));
    }
    md
}

fn render_other(e: &EventFrame) -> String {
    let mut s = e.event.kind().replace('_', " ");
    if let Some(by) = e.event.author() {
        let _ = write!(s, " by {}", by.name);
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
            let _ = write!(s, ": {question} ({})", options.join(", "));
        }
        Event::PollClosed {
            options, counts, ..
        } => {
            let tally: Vec<String> = options
                .iter()
                .zip(counts)
                .map(|(o, c)| format!("{o} {c}"))
                .collect();
            let _ = write!(s, ": {}", tally.join(", "));
        }
        Event::VoteCast { by, option, .. } => {
            let _ = write!(s, " ({}): option {option}", by.delegation);
        }
        Event::Muted { who: w, reason, .. } | Event::Removed { who: w, reason, .. } => {
            let _ = write!(s, ": {}", w.name);
            if let Some(r) = reason {
                let _ = write!(s, " (reason: {r})");
            }
        }
        Event::Unmuted { who: w, .. } => {
            let _ = write!(s, ": {}", w.name);
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
            let _ = write!(s, " (reason: {r})");
        }
        _ => {}
    }
    s.push('.');
    s
}
