//! Every action a user can take, with its localized name and the request
//! it sends. Who may take it is not decided here but by the request's row
//! in protocol/access.rs, the table the server enforces. Keys (keys.rs), the
//! command palette and slash commands all end here.

use dais_protocol::access::access;
use dais_protocol::{Access, Role};

/// An action of the interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Command {
    // ---- everyone ----
    Help,
    Palette,
    Quit,
    NextRoom,
    PrevRoom,
    PickRoom,
    Language,
    /// Move between the input line and the transcript.
    Focus,
    /// Show the original of a selected message instead of its interpretation.
    ToggleOriginal,
    /// Search in the record.
    Search,
    /// The language of what you say (`/lang fr`, `/lang auto`).
    SpeakLanguage,
    /// The room's fairness figures (`/fairness`, `/fairness 15m`).
    Fairness,
    // ---- delegates ----
    RequestFloor,
    RequestClarification,
    Withdraw,
    Yield,
    YieldTo,
    Pass,
    PointOfOrder,
    RightOfReply,
    Vote,
    Interpret,
    // ---- chairs ----
    NextSpeaker,
    Grant,
    Revoke,
    PauseClock,
    ResumeClock,
    SetMode,
    SetTimeLimit,
    ReorderQueue,
    ClearQueue,
    StartRound,
    Rule,
    CloseList,
    OpenList,
    PollOpen,
    PollClose,
    Mute,
    Unmute,
    Remove,
    Announce,
    RoomCreate,
    RoomLock,
    RoomUnlock,
    RoomClose,
}

impl Command {
    /// In the order the palette and the help list them.
    pub const ALL: &'static [Command] = &[
        Command::RequestFloor,
        Command::RequestClarification,
        Command::Withdraw,
        Command::Yield,
        Command::YieldTo,
        Command::Pass,
        Command::PointOfOrder,
        Command::RightOfReply,
        Command::Vote,
        Command::Interpret,
        Command::ToggleOriginal,
        Command::NextSpeaker,
        Command::Grant,
        Command::Revoke,
        Command::PauseClock,
        Command::ResumeClock,
        Command::SetMode,
        Command::SetTimeLimit,
        Command::ReorderQueue,
        Command::ClearQueue,
        Command::StartRound,
        Command::Rule,
        Command::CloseList,
        Command::OpenList,
        Command::PollOpen,
        Command::PollClose,
        Command::Mute,
        Command::Unmute,
        Command::Remove,
        Command::Announce,
        Command::RoomCreate,
        Command::RoomLock,
        Command::RoomUnlock,
        Command::RoomClose,
        Command::NextRoom,
        Command::PrevRoom,
        Command::PickRoom,
        Command::Language,
        Command::SpeakLanguage,
        Command::Search,
        Command::Fairness,
        Command::Focus,
        Command::Help,
        Command::Palette,
        Command::Quit,
    ];

    /// The English name used in slash commands and as the Fluent id's stem.
    pub fn name(self) -> &'static str {
        match self {
            Command::Help => "help",
            Command::Palette => "palette",
            Command::Quit => "quit",
            Command::NextRoom => "next-room",
            Command::PrevRoom => "prev-room",
            Command::PickRoom => "rooms",
            Command::Language => "language",
            Command::Focus => "focus",
            Command::ToggleOriginal => "original",
            Command::Search => "search",
            Command::SpeakLanguage => "lang",
            Command::Fairness => "fairness",
            Command::RequestFloor => "request-floor",
            Command::RequestClarification => "clarify",
            Command::Withdraw => "withdraw",
            Command::Yield => "yield",
            Command::YieldTo => "yield-to",
            Command::Pass => "pass",
            Command::PointOfOrder => "point-of-order",
            Command::RightOfReply => "reply",
            Command::Vote => "vote",
            Command::Interpret => "interpret",
            Command::NextSpeaker => "next",
            Command::Grant => "grant",
            Command::Revoke => "revoke",
            Command::PauseClock => "pause",
            Command::ResumeClock => "resume",
            Command::SetMode => "mode",
            Command::SetTimeLimit => "time-limit",
            Command::ReorderQueue => "reorder",
            Command::ClearQueue => "clear-queue",
            Command::StartRound => "round",
            Command::Rule => "rule",
            Command::CloseList => "close-list",
            Command::OpenList => "open-list",
            Command::PollOpen => "poll",
            Command::PollClose => "close-poll",
            Command::Mute => "mute",
            Command::Unmute => "unmute",
            Command::Remove => "remove",
            Command::Announce => "announce",
            Command::RoomCreate => "new-room",
            Command::RoomLock => "lock",
            Command::RoomUnlock => "unlock",
            Command::RoomClose => "close-room",
        }
    }

    /// The Fluent id of the action's localized name.
    pub fn label_id(self) -> String {
        format!("cmd-{}", self.name())
    }

    /// The command a slash command names, e.g. `/next`.
    pub fn from_name(name: &str) -> Option<Command> {
        Command::ALL.iter().copied().find(|c| c.name() == name)
    }

    /// The `type` of the request this action sends, which says who may
    /// take it (protocol/access.rs); `None` for what stays in the client.
    pub fn request_kind(self) -> Option<&'static str> {
        Some(match self {
            Command::Help
            | Command::Palette
            | Command::Quit
            | Command::NextRoom
            | Command::PrevRoom
            | Command::PickRoom
            | Command::Language
            | Command::Focus
            | Command::Search
            | Command::SpeakLanguage
            | Command::ToggleOriginal => return None,
            Command::Fairness => "fairness",
            Command::RequestFloor | Command::RequestClarification => "request_floor",
            Command::Withdraw => "withdraw",
            Command::Yield | Command::YieldTo => "yield",
            Command::Pass => "pass",
            Command::PointOfOrder => "point_of_order",
            Command::RightOfReply => "request_reply",
            Command::Vote => "vote",
            Command::Interpret => "interpret",
            Command::NextSpeaker => "next",
            Command::Grant => "grant",
            Command::Revoke => "revoke",
            Command::PauseClock => "pause",
            Command::ResumeClock => "resume",
            Command::SetMode => "set_mode",
            Command::SetTimeLimit => "set_time_limit",
            Command::ReorderQueue => "reorder_queue",
            Command::ClearQueue => "clear_queue",
            Command::StartRound => "start_round",
            Command::Rule => "rule",
            Command::CloseList => "close_list",
            Command::OpenList => "open_list",
            Command::PollOpen => "poll_open",
            Command::PollClose => "poll_close",
            Command::Mute => "mute",
            Command::Unmute => "unmute",
            Command::Remove => "remove",
            Command::Announce => "announce",
            Command::RoomCreate => "room_create",
            Command::RoomLock => "room_lock",
            Command::RoomUnlock => "room_unlock",
            Command::RoomClose => "room_close",
        })
    }

    /// What `role` may do with this action's request, by the one table the
    /// server enforces; `Yes` for what stays in the client.
    pub fn access(self, role: Role) -> Access {
        match self.request_kind() {
            None => Access::Yes,
            Some(kind) => access(kind, role).unwrap_or(Access::No),
        }
    }

    /// A chair's action: only moderators may take it. The help lists these
    /// apart.
    pub fn chair_only(self) -> bool {
        Role::ALL
            .iter()
            .all(|role| (*role == Role::Moderator) != (self.access(*role) == Access::No))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn every_request_kind_is_a_request_of_the_protocol() {
        for c in Command::ALL {
            if let Some(kind) = c.request_kind() {
                assert!(
                    dais_protocol::request::REQUEST_TYPES.contains(&kind),
                    "{c:?} sends `{kind}`"
                );
            }
        }
    }

    #[test]
    fn the_access_table_decides_who_may_take_an_action() {
        assert_eq!(Command::RequestFloor.access(Role::Delegate), Access::Yes);
        assert_eq!(Command::RequestFloor.access(Role::Observer), Access::No);
        assert_eq!(Command::RequestFloor.access(Role::Moderator), Access::No);
        assert_eq!(Command::Interpret.access(Role::Delegate), Access::Own);
        assert_eq!(Command::Interpret.access(Role::Interpreter), Access::Yes);
        assert_eq!(Command::NextSpeaker.access(Role::Delegate), Access::No);
        assert_eq!(Command::Help.access(Role::Observer), Access::Yes);
        assert!(Command::NextSpeaker.chair_only());
        assert!(Command::Announce.chair_only());
        assert!(!Command::Yield.chair_only());
        assert!(!Command::PointOfOrder.chair_only());
    }

    #[test]
    fn every_command_is_listed_once_with_a_unique_name() {
        let names: HashSet<&str> = Command::ALL.iter().map(|c| c.name()).collect();
        assert_eq!(names.len(), Command::ALL.len());
        for c in Command::ALL {
            assert_eq!(Command::from_name(c.name()), Some(*c));
        }
    }
}
