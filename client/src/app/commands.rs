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
    app.input.take();
    let lang = app.speaking_lang();
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
    }
    effects
}

/// `/announce text`, `/poll question`, `/time-limit 90`: a command whose
/// prompt is answered on the same line. Without an argument, the prompt opens.
pub(super) fn slash_command(app: &mut App, command: Command, argument: &str) -> Vec<Effect> {
    let purpose = match command {
        Command::Announce => Some(PromptFor::Announce),
        Command::PointOfOrder => Some(PromptFor::PointOfOrder),
        Command::SetTimeLimit => Some(PromptFor::TimeLimit),
        Command::PollOpen => Some(PromptFor::PollQuestion),
        _ => None,
    };
    match purpose {
        Some(purpose) if !argument.is_empty() && allowed(app, command) => {
            prompt_done(app, purpose, argument.to_owned())
        }
        _ => run_command(app, command),
    }
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

/// Carry out a command, or open the picker or prompt it needs first.
pub fn run_command(app: &mut App, command: Command) -> Vec<Effect> {
    match command {
        Command::Help => {
            app.overlay = Some(Overlay::Help { scroll: 0 });
            return Vec::new();
        }
        Command::Palette => {
            app.overlay = Some(Overlay::Palette {
                filter: TextInput::default(),
                selected: 0,
            });
            return Vec::new();
        }
        Command::Quit => {
            app.quit = true;
            return vec![Effect::Quit];
        }
        Command::Focus => {
            app.focus = match app.focus {
                Focus::Input => Focus::Transcript,
                Focus::Transcript => Focus::Input,
            };
            if app.focus == Focus::Transcript {
                select_step(app, -1);
            }
            return Vec::new();
        }
        Command::NextRoom => return app.step_room(true),
        Command::PrevRoom => return app.step_room(false),
        Command::PickRoom => {
            let items = app
                .rooms
                .iter()
                .map(|r| PickItem {
                    label: app.room_title(&r.id),
                    value: PickValue::Room(r.id.clone()),
                })
                .collect();
            open_pick(app, "pick-room", items, PickFor::Room);
            return Vec::new();
        }
        Command::Language => {
            let items = LANGUAGES
                .iter()
                .map(|(tag, name)| PickItem {
                    label: (*name).to_owned(),
                    value: PickValue::Lang(tag),
                })
                .collect();
            open_pick(app, "pick-language", items, PickFor::Language);
            return Vec::new();
        }
        _ => {}
    }
    if !allowed(app, command) {
        return Vec::new();
    }
    let Some(room) = app.current.clone() else {
        app.error("notice-no-room");
        return Vec::new();
    };
    let selected = app.view().and_then(|v| v.selected);
    let r = room.clone();
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
        Command::RightOfReply => {
            let Some(to) = selected else {
                app.info("notice-select-message");
                return Vec::new();
            };
            Request::RequestReply { room: r, to }
        }
        Command::ToggleOriginal => {
            let Some(seq) = selected else {
                app.info("notice-select-message");
                return Vec::new();
            };
            if let Some(view) = app.view_mut() {
                if !view.show_original.remove(&seq) {
                    view.show_original.insert(seq);
                }
            }
            return Vec::new();
        }
        Command::Interpret => {
            let Some(of) = selected else {
                app.info("notice-select-message");
                return Vec::new();
            };
            // A delegate or a chair interprets their own words only.
            let own_only = app.role().is_some_and(|r| command.access(r) == Access::Own);
            if own_only && !app.is_mine(of) {
                app.error("notice-interpret-own");
                return Vec::new();
            }
            open_prompt(app, PromptFor::Interpret { of });
            return Vec::new();
        }
        Command::PointOfOrder => {
            open_prompt(app, PromptFor::PointOfOrder);
            return Vec::new();
        }
        Command::Announce => {
            open_prompt(app, PromptFor::Announce);
            return Vec::new();
        }
        Command::SetTimeLimit => {
            open_prompt(app, PromptFor::TimeLimit);
            return Vec::new();
        }
        Command::PollOpen => {
            open_prompt(app, PromptFor::PollQuestion);
            return Vec::new();
        }
        Command::RoomCreate => {
            open_prompt(app, PromptFor::RoomId);
            return Vec::new();
        }
        Command::Rule => {
            let points: Vec<PickItem> = app
                .state()
                .map(|s| {
                    s.points_of_order
                        .iter()
                        .map(|p| {
                            let by = names::marked(&app.l10n, &p.by);
                            // room_state cuts long points short; the event has them whole.
                            let more = if p.truncated { "…" } else { "" };
                            PickItem {
                                label: match &p.text {
                                    Some(text) => format!("{by} — {text}{more}"),
                                    None => by,
                                },
                                value: PickValue::Point(Some(p.seq)),
                            }
                        })
                        .collect()
                })
                .unwrap_or_default();
            let mut points = points;
            if points.len() > 1 {
                points.push(PickItem {
                    label: app.l10n.t("pick-point-all"),
                    value: PickValue::Point(None),
                });
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
            return Vec::new();
        }
        Command::Vote => {
            let Some(poll) = app.state().and_then(|s| s.poll.clone()) else {
                app.info("notice-no-poll");
                return Vec::new();
            };
            let items = poll
                .options
                .iter()
                .enumerate()
                .map(|(i, option)| PickItem {
                    label: option_label(&app.l10n, option),
                    value: PickValue::Option(i as u32),
                })
                .collect();
            open_pick(app, "pick-vote", items, PickFor::Vote);
            return Vec::new();
        }
        Command::SetMode => {
            let items = [
                Mode::SpeakersList,
                Mode::RoundRobin,
                Mode::Open,
                Mode::Suspended,
            ]
            .into_iter()
            .map(|mode| PickItem {
                label: app.l10n.t(&mode_id(mode)),
                value: PickValue::Mode(mode),
            })
            .collect();
            open_pick(app, "pick-mode", items, PickFor::SetMode);
            return Vec::new();
        }
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
            return Vec::new();
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
            return Vec::new();
        }
        Command::ClearQueue => {
            confirm(
                app,
                Request::ClearQueue {
                    room: r,
                    reason: None,
                },
            );
            return Vec::new();
        }
        Command::RoomClose => {
            confirm(app, Request::RoomClose { room: r });
            return Vec::new();
        }
        // Handled above.
        Command::Help
        | Command::Palette
        | Command::Quit
        | Command::Focus
        | Command::NextRoom
        | Command::PrevRoom
        | Command::PickRoom
        | Command::Language => return Vec::new(),
    };
    app.send_only(request)
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
            items.push(PickItem {
                label: member_label(&app.l10n, &entry.who),
                value: PickValue::Participant(entry.who.id.clone()),
            });
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
            items.push(PickItem {
                label: member_label(&app.l10n, who),
                value: PickValue::Participant(who.id.clone()),
            });
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
    app.overlay = Some(Overlay::Pick {
        title_id,
        items,
        selected: 0,
        purpose,
    });
}

pub(super) fn open_prompt(app: &mut App, purpose: PromptFor) {
    app.overlay = Some(Overlay::Prompt {
        purpose,
        input: TextInput::default(),
    });
}

pub(super) fn confirm(app: &mut App, request: Request) {
    let items = vec![
        PickItem {
            label: app.l10n.t("confirm-yes"),
            value: PickValue::Yes,
        },
        PickItem {
            label: app.l10n.t("confirm-no"),
            value: PickValue::Upheld(None),
        },
    ];
    open_pick(
        app,
        "pick-confirm",
        items,
        PickFor::Confirm(Box::new(request)),
    );
}
