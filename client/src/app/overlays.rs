//! Windows over the screen (help, palette, pickers, prompts, reorder) and
//! what their keys do.

use super::*;

/// What a list picker is for.
#[derive(Debug, Clone, PartialEq)]
pub enum PickFor {
    Grant,
    YieldTo,
    Mute,
    Unmute,
    Remove,
    Vote,
    SetMode,
    RulePoint,
    /// `point` is the point of order ruled on; `None` rules on all pending.
    RuleUpheld {
        point: Option<Seq>,
        ruling: String,
    },
    Language,
    Room,
    /// The language you speak (`/lang`), or none to tell it from the text.
    SpeakLanguage,
    /// The language an interpretation of message `of` is into.
    InterpretInto {
        of: Seq,
    },
    /// What to do with the selected message (Enter in the proceedings).
    MessageAction,
}

#[derive(Debug, Clone, PartialEq)]
pub enum PickValue {
    Participant(ParticipantId),
    Option(u32),
    Mode(Mode),
    Upheld(Option<bool>),
    /// A point of order; `None` for all of them.
    Point(Option<Seq>),
    Lang(&'static str),
    Room(RoomId),
    /// A language tag of what is said; `None`: told from the text.
    SpeakLang(Option<String>),
    Command(Command),
}

#[derive(Debug, Clone, PartialEq)]
pub struct PickItem {
    /// Already localized, in logical order.
    pub label: String,
    pub value: PickValue,
    /// The choice in force now (the room you are in, the language you
    /// read, your delegation's vote): marked in the list.
    pub current: bool,
}

impl PickItem {
    pub fn new(label: String, value: PickValue) -> Self {
        PickItem {
            label,
            value,
            current: false,
        }
    }

    pub fn current(mut self, current: bool) -> Self {
        self.current = current;
        self
    }
}

/// What a text prompt is for.
#[derive(Debug, Clone, PartialEq)]
pub enum PromptFor {
    PointOfOrder,
    /// An interpretation of message `of` into `lang`.
    Interpret {
        of: Seq,
        lang: String,
    },
    Announce,
    TimeLimit,
    PollQuestion,
    PollOptions {
        question: String,
    },
    /// `None`: one ruling on every pending point.
    RuleText {
        point: Option<Seq>,
    },
    RoomId,
    RoomTitle {
        id: RoomId,
    },
}

impl PromptFor {
    /// The Fluent id of the prompt's question.
    pub fn label_id(&self) -> &'static str {
        match self {
            PromptFor::PointOfOrder => "prompt-point-of-order",
            PromptFor::Interpret { .. } => "prompt-interpret",
            PromptFor::Announce => "prompt-announce",
            PromptFor::TimeLimit => "prompt-time-limit",
            PromptFor::PollQuestion => "prompt-poll-question",
            PromptFor::PollOptions { .. } => "prompt-poll-options",
            PromptFor::RuleText { .. } => "prompt-ruling",
            PromptFor::RoomId => "prompt-room-id",
            PromptFor::RoomTitle { .. } => "prompt-room-title",
        }
    }

    /// An empty answer is allowed (and means "none" or "the default").
    pub fn optional(&self) -> bool {
        matches!(
            self,
            PromptFor::PointOfOrder | PromptFor::PollOptions { .. }
        )
    }
}

/// A window over the main screen.
#[derive(Debug, Clone, PartialEq)]
pub enum Overlay {
    Help {
        scroll: usize,
    },
    Palette {
        filter: TextInput,
        selected: usize,
    },
    Pick {
        title_id: &'static str,
        items: Vec<PickItem>,
        selected: usize,
        purpose: PickFor,
    },
    Prompt {
        purpose: PromptFor,
        input: TextInput,
    },
    Reorder {
        order: Vec<Actor>,
        selected: usize,
    },
    /// "Close the poll 'Adopt…'? y/n": asked before an act that cannot be
    /// undone. Only a yes letter sends; any other key lets it go.
    Confirm {
        /// Localized, in logical order.
        question: String,
        request: Box<Request>,
    },
    /// Search in the record: each key narrows, ↑ ↓ go from match to match
    /// (the match is the selected message), Enter stays on it.
    Search {
        query: TextInput,
    },
    /// The room's fairness figures (app/fairness.rs), scrolled by `scroll`
    /// rows.
    Fairness {
        scroll: usize,
    },
}

/// The palette's entries for a filter: commands you may use whose localized
/// name (or English name) contains the filter.
pub fn palette_entries(app: &App, filter: &str) -> Vec<Command> {
    let filter = filter.to_lowercase();
    Command::ALL
        .iter()
        .copied()
        .filter(|c| app.may(*c))
        .filter(|c| *c != Command::Palette)
        .filter(|c| {
            filter.is_empty()
                || c.name().contains(&filter)
                || crate::bidi::strip_isolates(&app.l10n.t(&c.label_id()))
                    .to_lowercase()
                    .contains(&filter)
        })
        .collect()
}

pub(super) fn overlay_key(app: &mut App, key: KeyEvent) -> Vec<Effect> {
    let Some(overlay) = app.overlay.take() else {
        return Vec::new();
    };
    if key.code == KeyCode::Esc
        || (key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL))
    {
        return Vec::new();
    }
    // Each window was taken out of the state: it goes back in unless the
    // key closed it.
    match overlay {
        Overlay::Help { scroll } => help_key(app, key, scroll),
        Overlay::Palette { filter, selected } => palette_key(app, key, filter, selected),
        Overlay::Pick {
            title_id,
            items,
            selected,
            purpose,
        } => pick_key(app, key, title_id, items, selected, purpose),
        Overlay::Prompt { purpose, input } => prompt_key(app, key, purpose, input),
        Overlay::Confirm { request, .. } => confirm_key(app, key, *request),
        Overlay::Search { query } => search_key(app, key, query),
        Overlay::Fairness { scroll } => fairness_key(app, key, scroll),
        Overlay::Reorder { order, selected } => reorder_key(app, key, order, selected),
    }
}

/// ↑ ↓ and the page keys scroll the help; any other key closes it.
fn help_key(app: &mut App, key: KeyEvent, scroll: usize) -> Vec<Effect> {
    let scroll = match key.code {
        KeyCode::Down | KeyCode::Char('j') => scroll + 1,
        KeyCode::Up | KeyCode::Char('k') => scroll.saturating_sub(1),
        KeyCode::PageDown => scroll + 10,
        KeyCode::PageUp => scroll.saturating_sub(10),
        KeyCode::Home => 0,
        // Any other key closes the help.
        _ => return Vec::new(),
    };
    app.overlay = Some(Overlay::Help { scroll });
    Vec::new()
}

/// Typing narrows the palette, ↑ ↓ choose, Enter runs.
fn palette_key(
    app: &mut App,
    key: KeyEvent,
    mut filter: TextInput,
    mut selected: usize,
) -> Vec<Effect> {
    match key.code {
        KeyCode::Enter => {
            let entries = palette_entries(app, filter.text());
            return match entries.get(selected) {
                Some(command) => run_command(app, *command),
                None => Vec::new(),
            };
        }
        KeyCode::Up => selected = selected.saturating_sub(1),
        KeyCode::Down => selected += 1,
        KeyCode::Backspace => {
            filter.backspace();
            selected = 0;
        }
        KeyCode::Char(c) if !key.modifiers.contains(KeyModifiers::CONTROL) => {
            filter.insert_char(c);
            selected = 0;
        }
        _ => {}
    }
    let count = palette_entries(app, filter.text()).len();
    selected = selected.min(count.saturating_sub(1));
    app.overlay = Some(Overlay::Palette { filter, selected });
    Vec::new()
}

/// ↑ ↓ choose, Enter or a digit from 1 to 9 picks.
fn pick_key(
    app: &mut App,
    key: KeyEvent,
    title_id: &'static str,
    items: Vec<PickItem>,
    mut selected: usize,
    purpose: PickFor,
) -> Vec<Effect> {
    match key.code {
        KeyCode::Enter => {
            return match items.get(selected) {
                Some(item) => picked(app, purpose, item.value.clone()),
                None => Vec::new(),
            };
        }
        KeyCode::Up => selected = selected.saturating_sub(1),
        KeyCode::Down => selected = (selected + 1).min(items.len().saturating_sub(1)),
        KeyCode::Char(c) if c.is_ascii_digit() => {
            // 1-9 pick directly.
            let n = c.to_digit(10).unwrap_or(0) as usize;
            if n >= 1 && n <= items.len() {
                return picked(app, purpose, items[n - 1].value.clone());
            }
        }
        _ => {}
    }
    app.overlay = Some(Overlay::Pick {
        title_id,
        items,
        selected,
        purpose,
    });
    Vec::new()
}

/// A line of text edited; Enter gives it (an empty one only where it is
/// optional).
fn prompt_key(
    app: &mut App,
    key: KeyEvent,
    purpose: PromptFor,
    mut input: TextInput,
) -> Vec<Effect> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    match key.code {
        KeyCode::Enter => {
            let text = input.text().trim().to_owned();
            if text.is_empty() && !purpose.optional() {
                app.overlay = Some(Overlay::Prompt { purpose, input });
                return Vec::new();
            }
            return prompt_done(app, purpose, text);
        }
        KeyCode::Char(c) if !ctrl => input.insert_char(c),
        KeyCode::Backspace => input.backspace(),
        KeyCode::Delete => input.delete(),
        KeyCode::Left if rtl_text(app, input.text()) => input.right(),
        KeyCode::Right if rtl_text(app, input.text()) => input.left(),
        KeyCode::Left => input.left(),
        KeyCode::Right => input.right(),
        KeyCode::Home => input.home(),
        KeyCode::End => input.end(),
        _ => {}
    }
    app.overlay = Some(Overlay::Prompt { purpose, input });
    Vec::new()
}

/// Yes sends the request; any other key lets it go.
fn confirm_key(app: &mut App, key: KeyEvent, request: Request) -> Vec<Effect> {
    let yes = match key.code {
        KeyCode::Char(c) => is_yes(&app.l10n, c),
        _ => false,
    };
    if yes {
        return app.send_only(request);
    }
    // Any other key lets it go; say so, so that a key meant for
    // something else is not silently eaten.
    app.info("notice-not-done");
    Vec::new()
}

/// Typing searches, ↑ ↓ (and Ctrl+F) go from match to match, Enter stays.
fn search_key(app: &mut App, key: KeyEvent, mut query: TextInput) -> Vec<Effect> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    match key.code {
        KeyCode::Enter => {
            app.focus = Focus::Transcript;
            return Vec::new();
        }
        KeyCode::Up => search_step(app, query.text(), true),
        KeyCode::Char('f') if ctrl => search_step(app, query.text(), true),
        KeyCode::Down => search_step(app, query.text(), false),
        KeyCode::Char(c) if !ctrl => {
            query.insert_char(c);
            search_for(app, query.text());
        }
        KeyCode::Backspace => {
            query.backspace();
            search_for(app, query.text());
        }
        _ => {}
    }
    app.overlay = Some(Overlay::Search { query });
    Vec::new()
}

/// ↑ ↓ choose a speaker, Shift+↑ ↓ (or + -, K J) move them, Enter sends
/// the new order.
fn reorder_key(
    app: &mut App,
    key: KeyEvent,
    mut order: Vec<Actor>,
    mut selected: usize,
) -> Vec<Effect> {
    let shift = key.modifiers.contains(KeyModifiers::SHIFT);
    match key.code {
        KeyCode::Enter => {
            let Some(room) = app.current.clone() else {
                return Vec::new();
            };
            let order = order.into_iter().map(|a| a.id).collect();
            return app.send_only(Request::ReorderQueue {
                room,
                order,
                reason: None,
            });
        }
        KeyCode::Up if shift => selected = move_entry(&mut order, selected, true),
        KeyCode::Down if shift => selected = move_entry(&mut order, selected, false),
        KeyCode::Char('+') | KeyCode::Char('K') => {
            selected = move_entry(&mut order, selected, true)
        }
        KeyCode::Char('-') | KeyCode::Char('J') => {
            selected = move_entry(&mut order, selected, false)
        }
        KeyCode::Up => selected = selected.saturating_sub(1),
        KeyCode::Down => selected = (selected + 1).min(order.len().saturating_sub(1)),
        _ => {}
    }
    app.overlay = Some(Overlay::Reorder { order, selected });
    Vec::new()
}

/// Whether `c` answers yes to a question: `y`, or the first letter of
/// yes in the interface language (`o` for oui, `s` for sí, `д` for да).
pub fn is_yes(l10n: &Localizer, c: char) -> bool {
    c == 'y' || c == 'Y' || crate::bidi::strip_isolates(&l10n.t("confirm-yes-letters")).contains(c)
}

/// Text edited right to left, where ← goes towards its end.
fn rtl_text(app: &App, text: &str) -> bool {
    app.bidi == BidiMode::App
        && crate::bidi::has_rtl(text)
        && crate::bidi::is_rtl_paragraph(text, false)
}

/// Move entry `at` one place up or down; returns where it now stands.
pub(super) fn move_entry<T>(order: &mut [T], at: usize, up: bool) -> usize {
    if up && at > 0 {
        order.swap(at, at - 1);
        at - 1
    } else if !up && at + 1 < order.len() {
        order.swap(at, at + 1);
        at + 1
    } else {
        at
    }
}

pub(super) fn picked(app: &mut App, purpose: PickFor, value: PickValue) -> Vec<Effect> {
    let room = app.current.clone().unwrap_or_default();
    let request = match (purpose, value) {
        (PickFor::Grant, PickValue::Participant(participant)) => Request::Grant {
            room,
            participant,
            reason: None,
        },
        (PickFor::YieldTo, PickValue::Participant(to)) => {
            return ask_or_send(app, Request::Yield { room, to: Some(to) }, Origin::Key);
        }
        (PickFor::Mute, PickValue::Participant(participant)) => Request::Mute {
            room,
            participant,
            seconds: None,
            reason: None,
        },
        (PickFor::Unmute, PickValue::Participant(participant)) => {
            Request::Unmute { room, participant }
        }
        (PickFor::Remove, PickValue::Participant(participant)) => {
            let request = Request::Remove {
                room,
                participant,
                reason: None,
            };
            return ask_or_send(app, request, Origin::Key);
        }
        (PickFor::Vote, PickValue::Option(option)) => {
            if let Some(poll) = app.state().and_then(|s| s.poll.as_ref()).map(|p| p.poll) {
                if let Some(view) = app.view_mut() {
                    view.my_vote.insert(poll, option);
                }
            }
            Request::Vote { room, option }
        }
        (PickFor::SetMode, PickValue::Mode(mode)) => Request::SetMode { room, mode },
        (PickFor::RulePoint, PickValue::Point(point)) => {
            open_prompt(app, PromptFor::RuleText { point });
            return Vec::new();
        }
        (PickFor::RuleUpheld { point, ruling }, PickValue::Upheld(upheld)) => Request::Rule {
            room,
            point,
            all: point.is_none(),
            ruling,
            upheld,
        },
        (PickFor::Language, PickValue::Lang(tag)) => return set_language(app, tag),
        (PickFor::Room, PickValue::Room(room)) => return app.switch_room(&room),
        (PickFor::SpeakLanguage, PickValue::SpeakLang(tag)) => {
            app.speak_lang = tag;
            return Vec::new();
        }
        (PickFor::InterpretInto { of }, PickValue::SpeakLang(Some(lang))) => {
            open_prompt(app, PromptFor::Interpret { of, lang });
            return Vec::new();
        }
        (PickFor::MessageAction, PickValue::Command(command)) => {
            return run_command_from(app, command, Origin::Menu);
        }
        _ => return Vec::new(),
    };
    app.send_only(request)
}

/// Switch the interface language, and ask for the room list again with
/// its titles in that language.
pub fn set_language(app: &mut App, tag: &str) -> Vec<Effect> {
    app.l10n = Localizer::for_tag(tag);
    let tag = app.l10n.tag();
    let mut effects = vec![Effect::Language(tag.clone())];
    if app.conn == Conn::Online {
        effects.extend(app.send_only(Request::Rooms { lang: Some(tag) }));
    }
    effects
}

/// Parse a time limit: `90`, `1:30` or `2m`.
pub fn parse_seconds(text: &str) -> Option<u32> {
    let text = text.trim();
    if let Some((m, s)) = text.split_once(':') {
        let m: u32 = m.trim().parse().ok()?;
        let s: u32 = s.trim().parse().ok()?;
        return (s < 60).then_some(m * 60 + s);
    }
    if let Some(m) = text.strip_suffix('m') {
        return m.trim().parse::<u32>().ok().map(|m| m * 60);
    }
    text.strip_suffix('s').unwrap_or(text).trim().parse().ok()
}

pub(super) fn prompt_done(app: &mut App, purpose: PromptFor, text: String) -> Vec<Effect> {
    let room = app.current.clone().unwrap_or_default();
    let lang = app.language_of(&text);
    let request = match purpose {
        PromptFor::PointOfOrder => Request::PointOfOrder {
            room,
            text: (!text.is_empty()).then_some(text),
        },
        // Into the language the interpreter picked.
        PromptFor::Interpret { of, lang } => Request::Interpret {
            room,
            of,
            text,
            lang,
        },
        PromptFor::Announce => Request::Announce { room, text, lang },
        PromptFor::TimeLimit => match parse_seconds(&text) {
            Some(seconds) => Request::SetTimeLimit { room, seconds },
            None => {
                app.error("notice-bad-time");
                return Vec::new();
            }
        },
        PromptFor::PollQuestion => {
            open_prompt(app, PromptFor::PollOptions { question: text });
            return Vec::new();
        }
        PromptFor::PollOptions { question } => {
            let options: Vec<String> = text
                .split([';', '|'])
                .map(str::trim)
                .filter(|o| !o.is_empty())
                .map(str::to_owned)
                .collect();
            Request::PollOpen {
                room,
                question,
                options: (!options.is_empty()).then_some(options),
            }
        }
        PromptFor::RuleText { point } => {
            let items = [
                ("ruling-upheld", Some(true)),
                ("ruling-rejected", Some(false)),
                ("ruling-no-decision", None),
            ]
            .into_iter()
            .map(|(id, upheld)| PickItem::new(app.l10n.t(id), PickValue::Upheld(upheld)))
            .collect();
            open_pick(
                app,
                "pick-upheld",
                items,
                PickFor::RuleUpheld {
                    point,
                    ruling: text,
                },
            );
            return Vec::new();
        }
        PromptFor::RoomId => {
            open_prompt(app, PromptFor::RoomTitle { id: text });
            return Vec::new();
        }
        PromptFor::RoomTitle { id } => {
            let mut titles = BTreeMap::new();
            titles.insert(app.l10n.tag(), text);
            Request::RoomCreate {
                room: id,
                titles,
                description: String::new(),
                mode: None,
                time_limit: None,
                policy: None,
                auto_advance: None,
                public: None,
            }
        }
    };
    app.send_only(request)
}
