//! The record of proceedings: a room's log rendered for people (Markdown,
//! in any of the six languages, each event in the words the `words` crate
//! gives it, spoken by the export's voice [`Export`]) or for programs
//! (JSON), with speaking-time totals and the fairness figures.

use crate::fairness::{self, Window};
use crate::i18n::{self, Naming, Voice, Words};
use crate::room::state::{Room, Speaking};
use anyhow::{Context, Result};
use dais_protocol::{Actor, Event, EventFrame, Fairness, Millis, Seq};
use fluent_bundle::FluentArgs;
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
    /// The fairness figures over the whole record (docs/FAIRNESS.md).
    fairness: &'a dais_protocol::Fairness,
}

/// Render the record of `room` from the data directory, its words in
/// `lang` (one of the six; the JSON's keys are the protocol's, whatever
/// the language).
pub fn export(data: &Path, room_id: &str, format: Format, lang: &str) -> Result<String> {
    let (snapshot, events, members) = crate::record::admin::room_record_in_dir(data, room_id)?;
    render(&snapshot, &events, &members, format, lang)
}

/// Render the record of `room` from PostgreSQL (cluster mode).
pub async fn export_pg(url: &str, room_id: &str, format: Format, lang: &str) -> Result<String> {
    let place = crate::record::admin::Place::Postgres(url);
    let (snapshot, events, members) = place.room_record(room_id).await?;
    render(&snapshot, &events, &members, format, lang)
}

/// The record of a room, from its saved state, its events and members.
fn render(
    snapshot: &str,
    events: &[EventFrame],
    members: &[Actor],
    format: Format,
    lang: &str,
) -> Result<String> {
    let room: Room =
        serde_json::from_str(snapshot).context("the room's saved state cannot be read")?;
    let now = crate::clock::now_ms();
    let fairness = fairness::compute(&room.id, events, members, Window::all(), now);
    Ok(match format {
        Format::Json => {
            let record = JsonRecord {
                room: &room.id,
                titles: &room.settings.titles,
                description: &room.settings.description,
                exported_at: now,
                events,
                speaking_time: &room.speaking,
                fairness: &fairness,
            };
            serde_json::to_string_pretty(&record)? + "\n"
        }
        Format::Md => markdown(&room, events, &fairness, Words::for_tag(lang), now),
    })
}

fn time(ms: Millis) -> String {
    let t = std::time::UNIX_EPOCH + std::time::Duration::from_millis(ms.max(0) as u64);
    humantime::format_rfc3339_seconds(t).to_string()
}

/// The export's voice: the admin's record, so names are shown, escaped; a
/// guest's is marked as a guest's (their own claim), once.
pub struct Export<'w>(pub &'w Words);

impl Export<'_> {
    /// A person's delegation (or own name), marked when a guest's.
    pub fn person(&self, a: &Actor, own_name: bool) -> String {
        let name = if own_name || a.delegation.is_empty() {
            md(&a.name)
        } else {
            md(&a.delegation)
        };
        if a.guest {
            format!("{name} ({})", self.0.t("web-a-guest"))
        } else {
            name
        }
    }
}

impl Voice for Export<'_> {
    fn message(&self, id: &str, args: Option<&FluentArgs>) -> String {
        self.0.format(id, args)
    }

    fn name(&self, who: &Actor, naming: Naming) -> String {
        match naming {
            Naming::Who => self.person(who, false),
            Naming::Own | Naming::Chair => self.person(who, true),
            Naming::Again => md(&who.name),
        }
    }

    fn clock(&self, ms: i64) -> String {
        i18n::clock(ms).0
    }

    fn language(&self, tag: &str) -> String {
        md(&self.0.language(tag))
    }

    fn quote(&self, text: &str) -> String {
        md(&dais_words::voice::cut(text, 32))
    }
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

/// "Marta Ruiz (Uruguay) (spoke in Spanish):", in the verbatim records'
/// style; the language is said when it is not the record's.
fn speaker(w: &Words, by: &Actor, lang: &str) -> String {
    let mut s = if by.delegation.is_empty() {
        Export(w).person(by, true)
    } else {
        let mut args = FluentArgs::new();
        args.set("name", md(&by.name));
        args.set("delegation", md(&by.delegation));
        w.ta("web-speaker", &args)
    };
    if lang != "und" && !same_language(lang, w.tag()) {
        let mut args = FluentArgs::new();
        args.set("lang", md(&w.language(lang)));
        s.push(' ');
        s.push_str(&w.ta("web-spoke-in", &args));
    }
    s
}

/// Whether two tags name the same language (`zh` and `zh-CN` do).
pub fn same_language(a: &str, b: &str) -> bool {
    let primary = |t: &str| {
        t.split(['-', '_'])
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase()
    };
    primary(a) == primary(b)
}

fn one(w: &Words, id: &str, key: &str, value: String) -> String {
    let mut args = FluentArgs::new();
    args.set(key.to_string(), value);
    w.ta(id, &args)
}

/// One event other than a speech, as a line of the record: its sentence
/// from `words`, who gave the floor, the reason, and what a person wrote.
pub(crate) fn notice(voice: &Export<'_>, e: &EventFrame, events: &[EventFrame]) -> Option<String> {
    let w = voice.0;
    let said = dais_words::describe(e, &dais_words::in_slice(events))?;
    let mut s = said.render(voice);
    if let Some(out_of_order) = said.out_of_order(voice) {
        s.push_str(&format!(" ({out_of_order})"));
    }
    if let Some(chair) = said.facts.given_by {
        s.push_str(&format!(
            ", {}",
            one(w, "export-given-by", "who", voice.person(chair, true))
        ));
    }
    if let Some(reason) = said.facts.reason {
        s.push_str(&format!(
            " ({})",
            one(w, "export-reason", "reason", md(reason))
        ));
    }
    Some(match &e.event {
        Event::Announcement { text, .. } => format!("{s}: {}", md(text)),
        Event::PointOfOrder {
            text: Some(text), ..
        } => format!("{s}: {}", md(text)),
        Event::Ruling { ruling, point, .. } => {
            format!("{s} (#{point}): {}", md(ruling))
        }
        Event::PollOpened {
            question, options, ..
        } => {
            let options: Vec<String> = options.iter().map(|o| md(o)).collect();
            format!("{s}: {} ({})", md(question), options.join(", "))
        }
        Event::PollClosed {
            question,
            options,
            counts,
            ..
        } => {
            let tally: Vec<String> = options
                .iter()
                .zip(counts)
                .map(|(o, c)| format!("{} {c}", md(o)))
                .collect();
            format!("{s} {}: {}", md(question), tally.join(", "))
        }
        _ => s,
    })
}

fn markdown(
    room: &Room,
    events: &[EventFrame],
    fairness: &Fairness,
    w: &Words,
    now: Millis,
) -> String {
    let title = room.title(w.tag());
    let voice = Export(w);
    let mut interpretations: BTreeMap<Seq, Vec<&EventFrame>> = BTreeMap::new();
    for e in events {
        if let Event::Interpretation { of, .. } = &e.event {
            interpretations.entry(*of).or_default().push(e);
        }
    }
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", one(w, "export-title", "room", md(&title)));
    let _ = writeln!(
        out,
        "{} {}\n",
        one(w, "export-room", "id", format!("`{}`", room.id)),
        md(&room.settings.description)
    );
    let mut args = FluentArgs::new();
    args.set("time", time(now));
    args.set("count", events.len() as i64);
    let _ = writeln!(out, "{}\n", w.ta("export-exported", &args));
    let _ = writeln!(out, "## {}\n", w.t("export-proceedings"));
    for e in events {
        let t = time(e.ts);
        let text = match &e.event {
            Event::Interpretation { .. } => continue,
            Event::Speech { by, text, lang } => {
                format!("**{}:** {}", speaker(w, by, lang), md(text))
            }
            _ => match notice(&voice, e, events) {
                Some(text) => text,
                None => continue,
            },
        };
        let _ = writeln!(out, "- `#{}` {t} — {text}", e.seq);
        for i in interpretations.get(&e.seq).into_iter().flatten() {
            if let Event::Interpretation { by, text, lang, .. } = &i.event {
                let mut args = FluentArgs::new();
                args.set("lang", md(&w.language(lang)));
                args.set("who", voice.person(by, true));
                let _ = writeln!(
                    out,
                    "    - {}: {}",
                    w.ta("ev-interpretation", &args),
                    md(text)
                );
            }
        }
    }
    let _ = writeln!(out, "\n## {}\n", w.t("export-polls"));
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
        let _ = writeln!(out, "{}", w.t("export-no-polls"));
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
        let _ = writeln!(
            out,
            "\n{}\n",
            one(w, "export-votes", "votes", by.join("; "))
        );
    }
    let _ = writeln!(out, "\n## {}\n", w.t("export-speaking-time"));
    let _ = writeln!(
        out,
        "{}\n",
        one(
            w,
            "export-total",
            "time",
            i18n::duration(room.speaking.total_ms)
        )
    );
    let _ = writeln!(
        out,
        "| {} | {} |\n| --- | --- |",
        w.t("fair-delegation"),
        w.t("export-time")
    );
    for (d, ms) in &room.speaking.delegations {
        let _ = writeln!(
            out,
            "| {} | {} |",
            if d.is_empty() {
                w.t("export-none")
            } else {
                md(d)
            },
            i18n::duration(*ms)
        );
    }
    let _ = writeln!(
        out,
        "\n| {} | {} |\n| --- | --- |",
        w.t("fair-group"),
        w.t("export-time")
    );
    for (g, ms) in &room.speaking.stakeholders {
        let _ = writeln!(out, "| {} | {} |", w.stakeholder(*g), i18n::duration(*ms));
    }
    out.push_str(&fairness_markdown(fairness, w));
    out
}

/// A ratio or share as a number with two decimals, or "not defined".
fn ratio(w: &Words, x: Option<f64>) -> String {
    x.map(|x| format!("{x:.2}"))
        .unwrap_or_else(|| w.t("fair-undefined"))
}

fn wait(w: &Words, ms: Option<i64>) -> String {
    ms.map(i18n::duration)
        .unwrap_or_else(|| w.t("fair-undefined"))
}

/// The fairness figures as the export's last section.
fn fairness_markdown(f: &Fairness, w: &Words) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "\n## {}\n", w.t("export-fairness"));
    let mut args = FluentArgs::new();
    args.set("turns", i64::from(f.turns));
    args.set("time", i18n::duration(f.speaking_ms));
    args.set("count", i64::from(f.delegations_present));
    let _ = writeln!(
        out,
        "{} {}\n",
        w.ta("fair-summary", &args),
        w.t("fair-whole-record")
    );
    let _ = writeln!(out, "- {}: {}", w.t("fair-gini"), ratio(w, f.gini));
    let _ = writeln!(
        out,
        "- {}: {}",
        w.t("fair-spread"),
        ratio(w, f.representation_spread)
    );
    let r = f.requests;
    let _ = writeln!(
        out,
        "- {}: {} ({} {}, {} {}, {} {})\n",
        w.t("fair-requests"),
        r.made,
        w.t("fair-served"),
        r.served,
        w.t("fair-withdrawn"),
        r.withdrawn,
        w.t("fair-unserved"),
        r.unserved
    );
    let _ = writeln!(
        out,
        "| {} | {} | {} | {} | {} | {} | {} | {} | {} |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
        w.t("fair-group"),
        w.t("fair-present"),
        w.t("fair-turns"),
        w.t("fair-speaking"),
        w.t("fair-share"),
        w.t("fair-presence"),
        w.t("fair-representation"),
        w.t("fair-wait-median"),
        w.t("fair-wait-p90"),
    );
    for g in &f.stakeholders {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {:.2} | {:.2} | {} | {} | {} |",
            w.stakeholder(g.stakeholder),
            g.delegations_present,
            g.turns,
            i18n::duration(g.speaking_ms),
            g.share,
            g.presence_share,
            ratio(w, g.representation),
            wait(w, g.wait_median_ms),
            wait(w, g.wait_p90_ms),
        );
    }
    let _ = writeln!(
        out,
        "\n| {} | {} | {} | {} | {} | {} |\n| --- | --- | --- | --- | --- | --- |",
        w.t("fair-delegation"),
        w.t("fair-group"),
        w.t("fair-turns"),
        w.t("fair-speaking"),
        w.t("fair-share"),
        w.t("fair-wait-median"),
    );
    for d in &f.delegations {
        let who = if d.delegation.is_empty() {
            let id = d.participant.as_deref().unwrap_or_default();
            if d.guest {
                format!("{} `{}`", w.t("web-a-guest"), md(id))
            } else {
                format!("`{}`", md(id))
            }
        } else {
            md(&d.delegation)
        };
        let _ = writeln!(
            out,
            "| {who} | {} | {} | {} | {:.2} | {} |",
            w.stakeholder(d.stakeholder),
            d.turns,
            i18n::duration(d.speaking_ms),
            d.share,
            wait(w, d.wait_median_ms),
        );
    }
    let _ = writeln!(out, "\n### {}\n", w.t("fair-violations"));
    if f.precedence_violations.is_empty() {
        let _ = writeln!(out, "{}", w.t("fair-no-violations"));
    }
    for v in &f.precedence_violations {
        let mut args = FluentArgs::new();
        args.set("turn", v.turn as i64);
        args.set("who", md(&v.to));
        args.set(
            "waiting",
            v.waiting
                .iter()
                .map(|d| md(d))
                .collect::<Vec<_>>()
                .join(", "),
        );
        let _ = writeln!(out, "- `#{}` {}", v.seq, w.ta("fair-violation", &args));
    }
    let _ = writeln!(out, "\n### {}\n", w.t("fair-interventions"));
    if f.interventions.is_empty() {
        let _ = writeln!(out, "{}", w.t("fair-no-interventions"));
    }
    for i in &f.interventions {
        let mut s = format!(
            "- `#{}` {} — {}: {}",
            i.seq,
            time(i.ts),
            w.t(i18n::intervention_id(i.kind)),
            Export(w).person(&i.by, true)
        );
        if let Some(who) = &i.who {
            s.push_str(&format!(" → {}", Export(w).person(who, false)));
        }
        if let Some(reason) = &i.reason {
            s.push_str(&format!(
                " ({})",
                one(w, "export-reason", "reason", md(reason))
            ));
        }
        let _ = writeln!(out, "{s}");
    }
    out
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
