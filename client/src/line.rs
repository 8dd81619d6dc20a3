//! Line mode (`dais --line`, and the default when `TERM=dumb` or the output
//! is not a terminal): for screen readers such as Orca, NVDA and Speakup,
//! to which a full-screen interface that redraws is close to unusable.
//!
//! The same state and the same `update` as the full screen; only the
//! output differs: append-only lines in the interface language, in logical
//! order, with no escape sequence, one event per line with who, what and
//! when, and a prompt (`> `) to type at. Every action is a slash command
//! (`/help` lists them); a list to choose from is printed numbered and
//! answered with a number. Your turn, ten seconds left and an open poll are
//! announced.

use std::collections::BTreeMap;
use std::io::Write;
use std::time::Duration;

use crossterm::event::{KeyCode, KeyEvent};
use dais_protocol::{Event, EventFrame, Seq};
use tokio::io::AsyncBufReadExt;

use crate::app::{error_text, update, Action, App, Conn, Effect, Millis, Overlay, ToastKind};
use crate::args;
use crate::bidi::strip_isolates;
use crate::commands::Command;
use crate::interface::Interface;
use crate::language;
use crate::names;
use crate::voice::Speaker;

/// Events of a room printed when it is first entered: the latest few, not
/// the whole replay.
const FIRST_EVENTS: usize = 10;

/// What has been printed already, so that only what is new is.
#[derive(Debug, Default)]
pub struct Printer {
    /// The last seq printed, by room.
    seen: BTreeMap<String, Seq>,
    /// The connection as last told: `online`, `offline`, `failed`, or none.
    conn: Option<&'static str>,
    room: Option<String>,
    /// The notice and the window last printed (a notice given again is a
    /// new one: its end time differs).
    toast: Option<crate::app::Toast>,
    overlay: Option<Overlay>,
    /// The answers to `/fairness` printed, by room (see
    /// `FairnessState::answers`).
    fairness: BTreeMap<String, u64>,
}

/// A text with Fluent's isolation marks taken out.
fn plain(text: &str) -> String {
    strip_isolates(text).into_owned()
}

/// A line as it may go to the terminal: what others wrote (speeches, names)
/// is in it, and the terminal must not obey it. Control characters go
/// (an escape sequence could clear the screen or retitle the window), and so
/// do directional overrides, embeddings and isolates (the line is in logical
/// order; a screen reader reads it so). A line break someone wrote stays,
/// indented, so that the next line cannot pass for an event of its own,
/// such as a chair's.
fn printable(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    for c in line.chars() {
        match c {
            '\n' => out.push_str("\n    "),
            '\t' => out.push(' '),
            c if c.is_control() => {}
            '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => {}
            c => out.push(c),
        }
    }
    out
}

/// `14:05`, `2:05 PM`: the local time of a moment.
pub(crate) fn time(app: &App, ms: i64) -> String {
    strip_isolates(&app.time_of_day(ms)).into_owned()
}

/// The sentence for one event of the record, from the words `words` gives
/// it (the same as the full screen's, the export's and the public page's);
/// `None` for what is shown with something else.
pub fn describe(app: &App, frame: &EventFrame) -> Option<String> {
    let l10n = &app.l10n;
    let lookup = |seq: Seq| app.views.get(&frame.room)?.events.get(&seq);
    let said = dais_words::describe(frame, &lookup)?;
    let clock = |ms: i64| time(app, ms);
    let duration = |ms: i64| l10n.formats().elapsed(ms);
    let voice = Speaker {
        l10n,
        clock: &clock,
        duration: &duration,
    };
    let text = match &frame.event {
        // An interpretation is printed as a speech of its own.
        Event::Speech { by, text, lang } | Event::Interpretation { by, text, lang, .. } => l10n.ta(
            "line-speech",
            &args![
                "who" => names::marked(l10n, by),
                "lang" => language::name(l10n, lang),
                "text" => text.clone(),
            ],
        ),
        Event::PollOpened {
            question, options, ..
        } => {
            let options: Vec<String> = options
                .iter()
                .enumerate()
                .map(|(i, o)| format!("{}. {}", i + 1, crate::app::option_label(l10n, o)))
                .collect();
            format!("{}: {question} {}", said.render(&voice), options.join(" "))
        }
        Event::PollClosed {
            question,
            options,
            counts,
            ..
        } => {
            let results: Vec<String> = options
                .iter()
                .zip(counts)
                .map(|(o, c)| {
                    l10n.ta(
                        "poll-result",
                        &args![
                            "option" => crate::app::option_label(l10n, o),
                            "votes" => l10n.ta("poll-votes", &args!["count" => *c]),
                        ],
                    )
                })
                .collect();
            format!("{} {question}: {}", said.render(&voice), results.join("; "))
        }
        _ => sentence(&said, &voice),
    };
    Some(plain(&text))
}

/// A notice in one line: the sentence, "(out of order)", what a person
/// wrote with it, and the sentence that follows it.
fn sentence(said: &dais_words::Said<'_>, voice: &Speaker<'_>) -> String {
    let mut text = said.render(voice);
    if let Some(out_of_order) = said.out_of_order(voice) {
        text.push_str(&format!(" ({out_of_order})"));
    }
    if let Some(written) = said.facts.written {
        text.push_str(": ");
        text.push_str(written.text);
    }
    if let Some(then) = &said.then {
        text.push_str(". ");
        text.push_str(&then.render(voice));
    }
    text
}

impl Printer {
    /// The lines to print for what changed since the last call.
    pub fn lines(&mut self, app: &App) -> Vec<String> {
        let mut out = Vec::new();
        self.connection(app, &mut out);
        self.record(app, &mut out);
        self.notice(app, &mut out);
        self.window(app, &mut out);
        self.fairness(app, &mut out);
        out.iter().map(|line| printable(line)).collect()
    }

    /// The figures `/fairness` asked for, once, as plain lines; the
    /// refreshes of the full screen's view are not printed.
    fn fairness(&mut self, app: &App, out: &mut Vec<String>) {
        for (room, view) in &app.views {
            let answers = view.fairness.answers;
            let printed = self.fairness.entry(room.clone()).or_insert(0);
            if answers <= *printed {
                continue;
            }
            *printed = answers;
            if let Some((figures, window)) = &view.fairness.figures {
                out.extend(crate::fairness::plain_lines(app, room, *window, figures));
            }
        }
    }

    fn connection(&mut self, app: &App, out: &mut Vec<String>) {
        let server = crate::app::server_name(&app.server);
        let now = match &app.conn {
            Conn::Online => "online",
            Conn::Failed(_) => "failed",
            // Told once when the connection goes, not at every try.
            _ if self.conn == Some("online") => "offline",
            _ => return,
        };
        if self.conn == Some(now) {
            return;
        }
        self.conn = Some(now);
        let l10n = &app.l10n;
        out.push(plain(&match &app.conn {
            Conn::Online => {
                let (who, role) = match &app.me {
                    Some(me) => (
                        names::marked(l10n, &me.actor()),
                        l10n.t(&format!("role-{}", me.role.as_str())),
                    ),
                    None => (String::new(), String::new()),
                };
                l10n.ta(
                    "line-connected",
                    &args!["server" => server, "who" => who, "role" => role],
                )
            }
            Conn::Failed(code) => l10n.ta(
                "transcript-failed",
                &args!["server" => server, "error" => error_text(l10n, *code)],
            ),
            _ => l10n.ta("line-offline", &args!["server" => server]),
        }));
    }

    fn record(&mut self, app: &App, out: &mut Vec<String>) {
        let Some(room) = app.current.clone() else {
            return;
        };
        let Some(view) = app.view() else {
            return;
        };
        let Some(state) = &view.state else {
            return;
        };
        if self.room.as_ref() != Some(&room) {
            self.room = Some(room.clone());
            out.push(plain(&app.l10n.ta(
                "line-room",
                &args![
                    "room" => app.room_title(&room),
                    "mode" => app.l10n.t(&crate::app::mode_id(state.mode)),
                ],
            )));
        }
        let seen = self.seen.get(&room).copied();
        let new: Vec<&EventFrame> = match seen {
            Some(seen) => view.events.range(seen + 1..).map(|(_, e)| e).collect(),
            None => {
                let all: Vec<&EventFrame> = view.events.values().collect();
                let skip = all.len().saturating_sub(FIRST_EVENTS);
                all.into_iter().skip(skip).collect()
            }
        };
        for frame in &new {
            if let Some(text) = describe(app, frame) {
                out.push(format!("{} {text}", time(app, frame.ts)));
            }
            if matches!(frame.event, Event::PollOpened { .. }) && app.may_vote() {
                out.push(plain(&app.l10n.t("line-vote-hint")));
            }
        }
        if seen.is_none() {
            if let Some(floor) = &state.floor {
                let left = crate::app::remaining_ms(floor, app.clock_now());
                out.push(plain(&app.l10n.ta(
                    "line-floor",
                    &args![
                        "who" => names::marked(&app.l10n, &floor.holder),
                        "time" => app.l10n.formats().duration(left),
                    ],
                )));
            }
        }
        self.seen.insert(room, view.last_seq);
    }

    fn notice(&mut self, app: &App, out: &mut Vec<String>) {
        if app.toast == self.toast {
            return;
        }
        self.toast = app.toast.clone();
        if let Some(t) = &app.toast {
            let text = plain(&t.text);
            // Your turn, ten seconds left: announced as such.
            out.push(if t.holds.is_some() && t.kind == ToastKind::Info {
                plain(&app.l10n.ta("line-alert", &args!["text" => text]))
            } else {
                text
            });
        }
    }

    fn window(&mut self, app: &App, out: &mut Vec<String>) {
        if app.overlay == self.overlay {
            return;
        }
        self.overlay = app.overlay.clone();
        let l10n = &app.l10n;
        match &app.overlay {
            Some(Overlay::Pick {
                title_id, items, ..
            }) => {
                out.push(plain(&l10n.t(title_id)));
                for (i, item) in items.iter().enumerate() {
                    let mark = if item.current { " *" } else { "" };
                    out.push(format!("{}. {}{mark}", i + 1, plain(&item.label)));
                }
                out.push(plain(&l10n.t("line-pick")));
            }
            Some(Overlay::Prompt { purpose, .. }) => {
                out.push(plain(&l10n.t(purpose.label_id())));
                out.push(plain(&l10n.t("line-prompt")));
            }
            Some(Overlay::Confirm { question, .. }) => {
                out.push(plain(question));
                out.push(plain(&l10n.t("confirm-keys")));
            }
            Some(Overlay::Help { .. }) => out.push(commands(app)),
            _ => {}
        }
    }
}

/// Every slash command your role may use, named in one line.
fn commands(app: &App) -> String {
    let names: Vec<String> = Command::ALL
        .iter()
        .filter(|c| app.may(**c))
        .filter(|c| !matches!(c, Command::Palette | Command::Focus))
        .map(|c| format!("/{}", c.name()))
        .collect();
    plain(
        &app.l10n
            .ta("line-commands", &args!["commands" => names.join(" ")]),
    )
}

fn key(code: KeyCode) -> Action {
    Action::Key(KeyEvent::from(code))
}

/// What a typed line does: it answers the open list, question or prompt,
/// or else it is a slash command or something to say.
pub fn typed(app: &mut App, line: &str, now: i64) -> Vec<Effect> {
    let effects = answer(app, line, now);
    // `/fairness` prints its figures once they come: line mode has no view
    // to keep open, nor one to refresh.
    if matches!(app.overlay, Some(Overlay::Fairness { .. })) {
        app.overlay = None;
    }
    effects
}

fn answer(app: &mut App, line: &str, now: i64) -> Vec<Effect> {
    let line = line.trim_end_matches(['\r', '\n']);
    match &app.overlay {
        Some(Overlay::Help { .. }) => {
            update(app, key(KeyCode::Esc), now);
            if line.trim().is_empty() {
                return Vec::new();
            }
        }
        Some(Overlay::Pick { items, .. }) => {
            let count = items.len();
            return match line.trim().parse::<usize>() {
                Ok(n) if n >= 1 && n <= count => {
                    if let Some(Overlay::Pick { selected, .. }) = &mut app.overlay {
                        *selected = n - 1;
                    }
                    update(app, key(KeyCode::Enter), now)
                }
                _ => update(app, key(KeyCode::Esc), now),
            };
        }
        Some(Overlay::Prompt { .. }) | Some(Overlay::Search { .. }) => {
            // An empty answer cancels, unless it means "none" or "the
            // default" (the options of a poll).
            let optional =
                matches!(&app.overlay, Some(Overlay::Prompt { purpose, .. }) if purpose.optional());
            if line.trim().is_empty() && !optional {
                return update(app, key(KeyCode::Esc), now);
            }
            if let Some(Overlay::Prompt { input, .. } | Overlay::Search { query: input }) =
                &mut app.overlay
            {
                input.set(line);
            }
            return update(app, key(KeyCode::Enter), now);
        }
        Some(Overlay::Confirm { .. }) => {
            let c = line.trim().chars().next().unwrap_or('n');
            return update(app, key(KeyCode::Char(c)), now);
        }
        Some(_) => {
            update(app, key(KeyCode::Esc), now);
        }
        None => {}
    }
    if line.trim().is_empty() {
        return Vec::new();
    }
    app.input.set(line);
    update(app, key(KeyCode::Enter), now)
}

/// Line mode as an [`Interface`]: typed lines in, printed lines out. It
/// runs until stdin ends or the user types `/quit`.
pub struct LineMode {
    stdin: tokio::io::Lines<tokio::io::BufReader<tokio::io::Stdin>>,
    printer: Printer,
    stdout: std::io::Stdout,
    prompt_shown: bool,
    greeted: bool,
    /// A line was typed since the last time the state was shown.
    typed: bool,
}

impl Default for LineMode {
    fn default() -> Self {
        LineMode {
            stdin: tokio::io::BufReader::new(tokio::io::stdin()).lines(),
            printer: Printer::default(),
            stdout: std::io::stdout(),
            prompt_shown: false,
            greeted: false,
            typed: false,
        }
    }
}

impl Interface for LineMode {
    type Input = String;

    /// Twice a second: nothing is redrawn, and the announcements of a
    /// turn's clock need no finer step.
    const TICK: Duration = Duration::from_millis(500);

    async fn next_input(&mut self) -> anyhow::Result<Option<String>> {
        // Lines::next_line may be dropped unfinished: no input is lost.
        Ok(self.stdin.next_line().await?)
    }

    fn waiting_input(&mut self) -> Option<String> {
        // One line at a time: each gets its prompt.
        None
    }

    fn apply(&mut self, app: &mut App, line: String, now: Millis) -> Vec<Effect> {
        self.prompt_shown = false;
        self.typed = true;
        typed(app, &line, now)
    }

    fn alert(&mut self, _effect: &Effect) {
        // Announced as lines instead (see Printer::notice).
    }

    fn show(&mut self, app: &App) -> anyhow::Result<()> {
        let lines = self.printer.lines(app);
        if !lines.is_empty() && self.prompt_shown {
            writeln!(self.stdout)?;
            self.prompt_shown = false;
        }
        for line in &lines {
            writeln!(self.stdout, "{line}")?;
        }
        // The prompt after what you typed, and once when first connected;
        // never after every event, which a screen reader would read out.
        let typed = std::mem::take(&mut self.typed);
        let first = !self.greeted && app.conn == Conn::Online && !lines.is_empty();
        if !self.prompt_shown && (typed || first) {
            write!(self.stdout, "> ")?;
            self.prompt_shown = true;
            self.greeted = true;
        }
        self.stdout.flush()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use dais_protocol::{Request, ServerFrame};

    use super::*;
    use crate::fixture::{self, NOW};
    use crate::link::NetEvent;

    #[test]
    fn what_others_wrote_cannot_drive_the_terminal_or_fake_a_line() {
        let mut app = fixture::app("en", &fixture::kenya());
        let mut printer = Printer::default();
        printer.lines(&app);
        let forged =
            "Thank you.\x1b[2J\x1b]0;pwned\x07\n10:01 AM Chair: the floor goes to me \u{202E}evil";
        update(
            &mut app,
            Action::Net(NetEvent::Frame(Box::new(ServerFrame::Event(EventFrame {
                room: fixture::ROOM.into(),
                seq: 99,
                ts: NOW,
                event: Event::Speech {
                    by: fixture::brazil(),
                    text: forged.into(),
                    lang: "en".into(),
                },
            })))),
            NOW,
        );
        let lines = printer.lines(&app).join("\n");
        assert!(
            !lines.contains('\x1b') && !lines.contains('\x07'),
            "{lines:?}"
        );
        assert!(!lines.contains('\u{202E}'), "{lines:?}");
        assert!(lines.contains("Thank you."), "{lines:?}");
        // The speech's second line is indented under it, not a line of its own.
        assert!(
            lines.lines().all(|l| !l.starts_with("10:01 AM Chair")),
            "{lines:?}"
        );
        assert!(
            lines.contains("\n    10:01 AM Chair: the floor goes to me"),
            "{lines:?}"
        );
    }

    #[test]
    fn fairness_prints_the_figures_once_as_plain_lines() {
        let mut app = fixture::app("en", &fixture::kenya());
        let mut printer = Printer::default();
        printer.lines(&app);
        let effects = typed(&mut app, "/fairness", NOW);
        // Line mode keeps no view open.
        assert_eq!(app.overlay, None);
        let id = effects.iter().find_map(|e| match e {
            Effect::Send(envelope) if matches!(envelope.request, Request::Fairness { .. }) => {
                envelope.id.clone()
            }
            _ => None,
        });
        assert!(id.is_some());
        let answer = |app: &mut App, id| {
            update(
                app,
                Action::Net(NetEvent::Frame(Box::new(ServerFrame::Fairness {
                    id,
                    figures: Box::new(fixture::fairness()),
                }))),
                NOW,
            )
        };
        answer(&mut app, id);
        assert_eq!(
            printer.lines(&app),
            [
                "Fairness figures of Plenary, whole record, up to event 9:",
                "Turns: 5 · Speaking time: 9:25 · Delegations present: 6",
                "Gini coefficient: 0.45 (0: all equal, 1: one voice)",
                "Representation spread: 2.50 (highest ratio over lowest; 1: even)",
                "Requests for the floor: 9 · served 5 · withdrawn 1 · never served 3",
                "Governments: turns 3, speaking time 5:55 (62.8%; delegations present 66.7%; \
                 ratio 0.94). Wait for the floor: median 0:35, 90th percentile 1:35. \
                 Never served: 2.",
                "Technical community: turns 1, speaking time 1:00 (10.6%; delegations present \
                 16.7%; ratio 0.64). Wait for the floor: median 0:20, 90th percentile 0:20. \
                 Never served: 1.",
                "Civil society: turns 1, speaking time 2:30 (26.6%; delegations present 16.7%; \
                 ratio 1.59). Wait for the floor: median 4:05, 90th percentile 4:05. \
                 Never served: 0.",
                "France (Governments): turns 1, speaking time 3:00 (31.9%); median wait 0:30.",
                "中国 (Governments): turns 2, speaking time 2:55 (31.0%); median wait 0:35.",
                "مصر (Civil society): turns 1, speaking time 2:30 (26.5%); median wait 4:05.",
                "Internet Society (Technical community): turns 1, speaking time 1:00 (10.6%); \
                 median wait 0:20.",
                "Brazil (Governments): turns 0, speaking time 0:00 (0.0%); median wait not defined.",
                "Kenya (Governments): turns 0, speaking time 0:00 (0.0%); median wait not defined.",
                "Precedence violations: 1",
                "Turn 2 went again to 中国 while Kenya waited to speak for the first time",
                "The chair's interventions: 3",
                "1:54\u{202f}PM Floor withdrawn: Internet Society (by Chair) — Off topic",
                "2:04\u{202f}PM Ruling: مصر (by Chair) — Upheld: the speaker's time is over",
                "2:05\u{202f}PM List cleared (by Chair) — no reason given",
            ]
        );
        assert!(printer.lines(&app).is_empty(), "printed once");
    }
}
