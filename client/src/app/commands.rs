//! Carrying out an action: from a key, the palette or a slash command.

use super::*;

/// Enter in the input line: a slash command or a speech.
pub(super) fn submit(app: &mut App) -> Vec<Effect> {
    let text = app.input.text().trim().to_owned();
    if text.is_empty() {
        return Vec::new();
    }
    if let Some(rest) = text.strip_prefix('/').filter(|r| !r.starts_with('/')) {
        let (name, argument) = match rest.split_once(char::is_whitespace) {
            Some((name, argument)) => (name, argument.trim()),
            None => (rest, ""),
        };
        let Some(command) = Command::from_name(name) else {
            let text = app
                .l10n
                .ta("notice-unknown-command", &args!["name" => name]);
            app.toast(text, ToastKind::Error);
            return Vec::new();
        };
        app.history.push(&text);
        app.input.take();
        return slash_command(app, command, argument);
    }
    let text = match text.strip_prefix("//") {
        Some(rest) => format!("/{rest}"),
        None => text,
    };
    let Some(room) = app.current.clone() else {
        app.error("notice-no-room");
        return Vec::new();
    };
    app.history.push(app.input.text().trim());
    app.input.take();
    let lang = app.language_of(&text);
    let (id, effects) = app.send(Request::Say {
        room: room.clone(),
        text: text.clone(),
        lang: lang.clone(),
    });
    if let Some(view) = app.views.get_mut(&room) {
        view.echoes.push(Echo {
            id,
            text,
            lang,
            failed: false,
        });
        view.scroll = 0;
        view.scroll_anchor = None;
    }
    effects
}

/// `/announce text`, `/poll question`, `/time-limit 90`: a command whose
/// prompt is answered on the same line. Without an argument, the prompt
/// opens. A slash command is typed whole and sent with Enter: it acts at
/// once, without the question a single key would ask first.
pub(super) fn slash_command(app: &mut App, command: Command, argument: &str) -> Vec<Effect> {
    let purpose = match command {
        Command::Announce => Some(PromptFor::Announce),
        Command::PointOfOrder => Some(PromptFor::PointOfOrder),
        Command::SetTimeLimit => Some(PromptFor::TimeLimit),
        Command::PollOpen => Some(PromptFor::PollQuestion),
        _ => None,
    };
    match (command, purpose) {
        (Command::SpeakLanguage, _) => {
            set_speaking_language(app, argument);
            Vec::new()
        }
        (Command::Search, _) if !argument.is_empty() => {
            search_for(app, argument);
            Vec::new()
        }
        // `/fairness` is the whole record, `/fairness 15m` the last minutes.
        (Command::Fairness, _) => match crate::fairness_window::Window::parse(argument) {
            Some(window) => open_fairness(app, Some(window)),
            None => {
                let text = app.l10n.ta(
                    "fairness-bad-window",
                    &args!["window" => argument.to_owned()],
                );
                app.toast(text, ToastKind::Error);
                Vec::new()
            }
        },
        (_, Some(purpose)) if !argument.is_empty() && allowed(app, command) => {
            prompt_done(app, purpose, argument.to_owned())
        }
        _ => run_command_from(app, command, Origin::Slash),
    }
}

/// `/lang fr`: what you say is tagged French from now on; `/lang auto`
/// (or `/lang` alone) goes back to telling each message's language from
/// its text.
fn set_speaking_language(app: &mut App, tag: &str) {
    let tag = tag.trim();
    if tag.is_empty() || tag == "auto" {
        app.speak_lang = None;
        app.info("notice-speak-auto");
        return;
    }
    match crate::language::canonical(tag) {
        Some(tag) => {
            let name = crate::language::name(&app.l10n, &tag);
            app.speak_lang = Some(tag);
            let text = app.l10n.ta("notice-speak-lang", &args!["lang" => name]);
            app.toast(text, ToastKind::Info);
        }
        None => {
            let text = app
                .l10n
                .ta("notice-bad-lang", &args!["lang" => tag.to_owned()]);
            app.toast(text, ToastKind::Error);
        }
    }
}

/// Where an action came from: a single key, a pick from a list, or a
/// slash command typed whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// A key, or the palette: an act that cannot be undone asks first.
    Key,
    /// The actions of a selected message: the menu named the act already.
    Menu,
    /// Typed whole and sent with Enter: it acts at once.
    Slash,
}

/// Whether your role allows `command`; if not, say so.
pub(super) fn allowed(app: &mut App, command: Command) -> bool {
    if !app.may(command) {
        let text = error_text(&app.l10n, ErrorCode::Forbidden);
        app.toast(text, ToastKind::Error);
        return false;
    }
    true
}

/// Carry out a command as the palette does (asking first when it cannot be
/// undone).
pub fn run_command(app: &mut App, command: Command) -> Vec<Effect> {
    run_command_from(app, command, Origin::Key)
}

/// Carry out a command, or open the picker, prompt or question it needs
/// first.
pub fn run_command_from(app: &mut App, command: Command, origin: Origin) -> Vec<Effect> {
    if let Some(effects) = run_roomless(app, command) {
        return effects;
    }
    if !allowed(app, command) {
        return Vec::new();
    }
    let Some(room) = app.current.clone() else {
        app.error("notice-no-room");
        return Vec::new();
    };
    match room_request(app, command, room) {
        Some(request) => ask_or_send(app, request, origin),
        None => Vec::new(),
    }
}

/// A command that needs no room and no permission (a window, a picker of
/// the client's own settings, another room); `None` for the others.
fn run_roomless(app: &mut App, command: Command) -> Option<Vec<Effect>> {
    match command {
        Command::Help => app.overlay = Some(Overlay::Help { scroll: 0 }),
        Command::Palette => {
            app.overlay = Some(Overlay::Palette {
                filter: TextInput::default(),
                selected: 0,
            })
        }
        Command::Quit => {
            app.quit = true;
            return Some(vec![Effect::Quit]);
        }
        Command::Focus => match app.focus {
            Focus::Input => to_proceedings(app),
            Focus::Transcript => to_input(app),
        },
        Command::Search => {
            app.overlay = Some(Overlay::Search {
                query: TextInput::default(),
            })
        }
        Command::Fairness => return Some(open_fairness(app, None)),
        Command::SpeakLanguage => pick_speak_language(app),
        Command::NextRoom => return Some(app.step_room(true)),
        Command::PrevRoom => return Some(app.step_room(false)),
        Command::PickRoom => {
            let items = app
                .rooms
                .iter()
                .map(|r| {
                    PickItem::new(app.room_title(&r.id), PickValue::Room(r.id.clone()))
                        .current(app.current.as_deref() == Some(r.id.as_str()))
                })
                .collect();
            open_pick(app, "pick-room", items, PickFor::Room);
        }
        Command::Language => {
            let here = app.l10n.tag();
            let items = LANGUAGES
                .iter()
                .map(|(tag, name)| {
                    PickItem::new((*name).to_owned(), PickValue::Lang(tag)).current(here == *tag)
                })
                .collect();
            open_pick(app, "pick-language", items, PickFor::Language);
        }
        _ => return None,
    }
    Some(Vec::new())
}

/// The language you speak: automatic (told from the text), or one of six.
fn pick_speak_language(app: &mut App) {
    let current = app.speak_lang.clone();
    let mut items = vec![
        PickItem::new(app.l10n.t("pick-speak-auto"), PickValue::SpeakLang(None))
            .current(current.is_none()),
    ];
    items.extend(crate::language::SIX.iter().map(|tag| {
        PickItem::new(
            crate::language::name(&app.l10n, tag),
            PickValue::SpeakLang(Some((*tag).to_owned())),
        )
        .current(current.as_deref() == Some(*tag))
    }));
    open_pick(app, "pick-speak", items, PickFor::SpeakLanguage);
}

/// The request a command in `room` makes; `None` when it first opens a
/// picker or a prompt (which makes the request once answered), or says
/// why it cannot.
fn room_request(app: &mut App, command: Command, r: RoomId) -> Option<Request> {
    let selected = app.view().and_then(|v| v.selected);
    let request = match command {
        Command::RequestFloor => Request::RequestFloor {
            room: r,
            class: EntryClass::Speech,
        },
        Command::RequestClarification => Request::RequestFloor {
            room: r,
            class: EntryClass::ClarifyingQuestion,
        },
        Command::Withdraw => Request::Withdraw { room: r },
        Command::Yield => Request::Yield { room: r, to: None },
        Command::Pass => Request::Pass { room: r },
        Command::Revoke => Request::Revoke {
            room: r,
            reason: None,
        },
        Command::PauseClock => Request::Pause { room: r },
        Command::ResumeClock => Request::Resume { room: r },
        Command::StartRound => Request::StartRound { room: r },
        Command::CloseList => Request::CloseList {
            room: r,
            reason: None,
        },
        Command::OpenList => Request::OpenList { room: r },
        Command::PollClose => Request::PollClose { room: r },
        Command::RoomLock => Request::RoomLock { room: r },
        Command::RoomUnlock => Request::RoomUnlock { room: r },
        Command::NextSpeaker => Request::Next {
            room: r,
            turn: app.state().and_then(|s| s.floor.as_ref()).map(|f| f.turn),
        },
        Command::ClearQueue => Request::ClearQueue {
            room: r,
            reason: None,
        },
        Command::RoomClose => Request::RoomClose { room: r },
        Command::RightOfReply => {
            let Some(to) = selected else {
                app.info("notice-select-message");
                return None;
            };
            Request::RequestReply { room: r, to }
        }
        _ => {
            open_for(app, command, selected);
            return None;
        }
    };
    Some(request)
}

/// What a command in a room does instead of making a request at once: open
/// the picker or the prompt that asks what the request needs, or change
/// what is shown.
fn open_for(app: &mut App, command: Command, selected: Option<Seq>) {
    match command {
        Command::ToggleOriginal => {
            let Some(seq) = selected else {
                app.info("notice-select-message");
                return;
            };
            if let Some(view) = app.view_mut() {
                if !view.show_original.remove(&seq) {
                    view.show_original.insert(seq);
                }
            }
        }
        Command::Interpret => pick_interpretation_language(app, command, selected),
        Command::PointOfOrder => open_prompt(app, PromptFor::PointOfOrder),
        Command::Announce => open_prompt(app, PromptFor::Announce),
        Command::SetTimeLimit => open_prompt(app, PromptFor::TimeLimit),
        Command::PollOpen => open_prompt(app, PromptFor::PollQuestion),
        Command::RoomCreate => open_prompt(app, PromptFor::RoomId),
        Command::Rule => pick_point_to_rule_on(app),
        Command::Vote => pick_vote(app),
        Command::SetMode => pick_mode(app),
        Command::Grant | Command::YieldTo | Command::Mute | Command::Unmute | Command::Remove => {
            let purpose = match command {
                Command::Grant => PickFor::Grant,
                Command::YieldTo => PickFor::YieldTo,
                Command::Mute => PickFor::Mute,
                Command::Unmute => PickFor::Unmute,
                _ => PickFor::Remove,
            };
            let items = member_items(app, &purpose);
            if items.is_empty() {
                app.info("notice-nobody");
            } else {
                open_pick(app, "pick-participant", items, purpose);
            }
        }
        Command::ReorderQueue => {
            let order: Vec<Actor> = app
                .state()
                .map(|s| s.queue.iter().map(|e| e.who.clone()).collect())
                .unwrap_or_default();
            if order.len() < 2 {
                app.info("notice-queue-short");
            } else {
                app.overlay = Some(Overlay::Reorder { order, selected: 0 });
            }
        }
        // Made at once by room_request.
        Command::RequestFloor
        | Command::RequestClarification
        | Command::Withdraw
        | Command::Yield
        | Command::Pass
        | Command::Revoke
        | Command::PauseClock
        | Command::ResumeClock
        | Command::StartRound
        | Command::CloseList
        | Command::OpenList
        | Command::PollClose
        | Command::RoomLock
        | Command::RoomUnlock
        | Command::NextSpeaker
        | Command::ClearQueue
        | Command::RoomClose
        | Command::RightOfReply => {}
        // Carried out by run_roomless.
        Command::Help
        | Command::Palette
        | Command::Quit
        | Command::Focus
        | Command::Search
        | Command::Fairness
        | Command::SpeakLanguage
        | Command::NextRoom
        | Command::PrevRoom
        | Command::PickRoom
        | Command::Language => {}
    }
}

/// Into which language to interpret the selected message: any of the six,
/// the one you speak first. A delegate or a chair interprets their own
/// words only.
fn pick_interpretation_language(app: &mut App, command: Command, selected: Option<Seq>) {
    let Some(of) = selected else {
        app.info("notice-select-message");
        return;
    };
    let own_only = app.role().is_some_and(|r| command.access(r) == Access::Own);
    if own_only && !app.is_mine(of) {
        app.error("notice-interpret-own");
        return;
    }
    let mine = app.speak_lang.clone().unwrap_or_else(|| app.l10n.tag());
    let mut tags: Vec<&str> = crate::language::SIX.to_vec();
    tags.sort_by_key(|t| *t != mine.as_str());
    let items = tags
        .into_iter()
        .map(|tag| {
            PickItem::new(
                crate::language::name(&app.l10n, tag),
                PickValue::SpeakLang(Some(tag.to_owned())),
            )
            .current(tag == mine)
        })
        .collect();
    open_pick(
        app,
        "pick-interpret-into",
        items,
        PickFor::InterpretInto { of },
    );
}

/// The chair rules on a point of order: the one pending goes straight to
/// the ruling's prompt; among several, a picker (with "all of them").
fn pick_point_to_rule_on(app: &mut App) {
    let mut points: Vec<PickItem> = app
        .state()
        .map(|s| {
            s.points_of_order
                .iter()
                .map(|p| {
                    let by = names::marked(&app.l10n, &p.by);
                    // room_state cuts long points short; the event has them whole.
                    let more = if p.truncated { "…" } else { "" };
                    let label = match &p.text {
                        Some(text) => format!("{by} — {text}{more}"),
                        None => by,
                    };
                    PickItem::new(label, PickValue::Point(Some(p.seq)))
                })
                .collect()
        })
        .unwrap_or_default();
    if points.len() > 1 {
        points.push(PickItem::new(
            app.l10n.t("pick-point-all"),
            PickValue::Point(None),
        ));
    }
    match points.as_slice() {
        [] => app.info("notice-no-points"),
        [only] => {
            if let PickValue::Point(point) = only.value {
                open_prompt(app, PromptFor::RuleText { point });
            }
        }
        _ => open_pick(app, "pick-point", points, PickFor::RulePoint),
    }
}

/// The open poll's options, your vote marked; for a delegation only.
fn pick_vote(app: &mut App) {
    if !app.may_vote() {
        app.error("error-no-delegation");
        return;
    }
    let Some(poll) = app.state().and_then(|s| s.poll.clone()) else {
        app.info("notice-no-poll");
        return;
    };
    let mine = app.view().and_then(|v| v.my_vote.get(&poll.poll).copied());
    let items = poll
        .options
        .iter()
        .enumerate()
        .map(|(i, option)| {
            PickItem::new(option_label(&app.l10n, option), PickValue::Option(i as u32))
                .current(mine == Some(i as u32))
        })
        .collect();
    open_pick(app, "pick-vote", items, PickFor::Vote);
}

/// The room's modes, the one in force marked.
fn pick_mode(app: &mut App) {
    let current = app.state().map(|s| s.mode);
    let items = [
        Mode::SpeakersList,
        Mode::RoundRobin,
        Mode::Open,
        Mode::Suspended,
    ]
    .into_iter()
    .map(|mode| {
        PickItem::new(app.l10n.t(&mode_id(mode)), PickValue::Mode(mode))
            .current(current == Some(mode))
    })
    .collect();
    open_pick(app, "pick-mode", items, PickFor::SetMode);
}

/// Send `request`, or first ask whether to, naming the act, when it cannot
/// be undone and came from a single key or the palette.
pub(super) fn ask_or_send(app: &mut App, request: Request, origin: Origin) -> Vec<Effect> {
    if origin == Origin::Slash {
        return app.send_only(request);
    }
    match question(app, &request) {
        Some(question) => {
            app.overlay = Some(Overlay::Confirm {
                question,
                request: Box::new(request),
            });
            Vec::new()
        }
        None => app.send_only(request),
    }
}

/// The question to ask before `request`, naming the act and what it acts
/// on; `None` for what can be undone (asking for the floor, pausing, a
/// lock) or what a picker has just named.
pub fn question(app: &App, request: &Request) -> Option<String> {
    let l10n = &app.l10n;
    let state = app.state();
    let holder = state
        .and_then(|s| s.floor.as_ref())
        .map(|f| names::marked(l10n, &f.holder));
    let who = |id: &str| {
        app.view()
            .and_then(|v| v.members.get(id))
            .map(|m| names::marked(l10n, &m.who))
            .unwrap_or_else(|| id.to_owned())
    };
    let text = match request {
        Request::Yield { to: None, .. } => l10n.t("confirm-yield"),
        Request::Yield { to: Some(to), .. } => {
            l10n.ta("confirm-yield-to", &args!["who" => who(to)])
        }
        Request::Pass { .. } => l10n.t("confirm-pass"),
        Request::Withdraw { .. } => {
            let place = app.my_place().map_or(0, |p| p + 1);
            l10n.ta("confirm-withdraw", &args!["place" => place])
        }
        // Moving on with nobody speaking cuts nobody off.
        Request::Next { .. } => l10n.ta("confirm-next", &args!["who" => holder?]),
        Request::Revoke { .. } => l10n.ta("confirm-revoke", &args!["who" => holder?]),
        Request::StartRound { .. } => match holder {
            Some(who) => l10n.ta("confirm-round-cut", &args!["who" => who]),
            None => l10n.t("confirm-round"),
        },
        Request::ClearQueue { .. } => {
            let count = state.map_or(0, |s| s.queue.len());
            l10n.ta("confirm-clear-queue", &args!["count" => count])
        }
        Request::PollClose { .. } => {
            let question = state.and_then(|s| s.poll.as_ref())?.question.clone();
            let question = crate::bidi::truncate(&question, 40);
            l10n.ta("confirm-close-poll", &args!["question" => question])
        }
        Request::Remove { participant, .. } => {
            l10n.ta("confirm-remove", &args!["who" => who(participant)])
        }
        Request::RoomClose { room } => {
            l10n.ta("confirm-close-room", &args!["room" => app.room_title(room)])
        }
        _ => return None,
    };
    Some(text)
}

/// A poll option as shown: the server's default options (support, object,
/// abstain) in the interface language, any other option as the chair wrote it.
pub fn option_label(l10n: &Localizer, option: &str) -> String {
    match option {
        "support" | "object" | "abstain" => l10n.t(&format!("poll-option-{option}")),
        other => other.to_owned(),
    }
}

/// The Fluent id of a mode's name.
pub fn mode_id(mode: Mode) -> String {
    format!("mode-{}", mode.as_str().replace('_', "-"))
}

/// A participant as a picker lists them: delegation and name, and the
/// guest badge for a guest.
pub(super) fn member_label(l10n: &Localizer, who: &Actor) -> String {
    let label = if who.delegation.is_empty() || who.delegation == who.name {
        who.name.clone()
    } else {
        format!("{} — {}", who.delegation, who.name)
    };
    names::mark(l10n, who, &label)
}

/// The participants a picker offers: the loaded part of the member list
/// (the first pages; scrolling the participants loads more), with those
/// waiting for the floor first when the chair gives it.
pub(super) fn member_items(app: &App, purpose: &PickFor) -> Vec<PickItem> {
    let Some(view) = app.view() else {
        return Vec::new();
    };
    let me = app.my_id().unwrap_or_default();
    let mut items: Vec<PickItem> = Vec::new();
    if *purpose == PickFor::Grant {
        // Those waiting come first, in their order.
        for entry in view.state.iter().flat_map(|s| &s.queue) {
            items.push(PickItem::new(
                member_label(&app.l10n, &entry.who),
                PickValue::Participant(entry.who.id.clone()),
            ));
        }
    }
    for member in view.members.loaded() {
        let who = &member.who;
        let listed = items
            .iter()
            .any(|i| i.value == PickValue::Participant(who.id.clone()));
        // The server refuses the floor to observers (cannot_hold_floor),
        // and a chair's mute or removal of another chair.
        let fits = match purpose {
            PickFor::Grant => dais_protocol::access::can_hold_floor(who.role),
            PickFor::YieldTo => who.id != me && who.role == Role::Delegate,
            PickFor::Unmute => member.muted,
            PickFor::Mute => {
                !member.muted && who.id != me && dais_protocol::access::may_discipline(who.role)
            }
            PickFor::Remove => who.id != me && dais_protocol::access::may_discipline(who.role),
            _ => true,
        };
        if fits && !listed {
            items.push(PickItem::new(
                member_label(&app.l10n, who),
                PickValue::Participant(who.id.clone()),
            ));
        }
    }
    items
}

pub(super) fn open_pick(
    app: &mut App,
    title_id: &'static str,
    items: Vec<PickItem>,
    purpose: PickFor,
) {
    // The list opens on the choice in force, if it has one.
    let selected = items.iter().position(|i| i.current).unwrap_or(0);
    app.overlay = Some(Overlay::Pick {
        title_id,
        items,
        selected,
        purpose,
    });
}

pub(super) fn open_prompt(app: &mut App, purpose: PromptFor) {
    app.overlay = Some(Overlay::Prompt {
        purpose,
        input: TextInput::default(),
    });
}

/// Enter on a selected message: what can be done with it, each act named.
pub(super) fn message_actions(app: &mut App) {
    let Some(seq) = app.view().and_then(|v| v.selected) else {
        return;
    };
    let mut items = Vec::new();
    if app.may(Command::RightOfReply) {
        items.push(PickItem::new(
            app.l10n.t("action-reply"),
            PickValue::Command(Command::RightOfReply),
        ));
    }
    let own_only = app
        .role()
        .is_some_and(|r| Command::Interpret.access(r) == Access::Own);
    if app.may(Command::Interpret) && (!own_only || app.is_mine(seq)) {
        items.push(PickItem::new(
            app.l10n.t("action-interpret"),
            PickValue::Command(Command::Interpret),
        ));
    }
    let interpreted = app
        .view()
        .is_some_and(|v| v.interpretations.get(&seq).is_some_and(|l| !l.is_empty()));
    if interpreted {
        items.push(PickItem::new(
            app.l10n.t("action-original"),
            PickValue::Command(Command::ToggleOriginal),
        ));
    }
    if items.is_empty() {
        app.info("notice-no-action");
        return;
    }
    open_pick(app, "pick-message-action", items, PickFor::MessageAction);
}
