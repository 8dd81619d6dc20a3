//! Every action a user can take, with its localized name and who may take it.
//! Keys (keys.rs), the command palette and slash commands all end here.

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

    /// Only chairs (moderators) may take this action.
    pub fn chair_only(self) -> bool {
        matches!(
            self,
            Command::NextSpeaker
                | Command::Grant
                | Command::Revoke
                | Command::PauseClock
                | Command::ResumeClock
                | Command::SetMode
                | Command::SetTimeLimit
                | Command::ReorderQueue
                | Command::ClearQueue
                | Command::StartRound
                | Command::Rule
                | Command::CloseList
                | Command::OpenList
                | Command::PollOpen
                | Command::PollClose
                | Command::Mute
                | Command::Unmute
                | Command::Remove
                | Command::Announce
                | Command::RoomCreate
                | Command::RoomLock
                | Command::RoomUnlock
                | Command::RoomClose
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn every_command_is_listed_once_with_a_unique_name() {
        let names: HashSet<&str> = Command::ALL.iter().map(|c| c.name()).collect();
        assert_eq!(names.len(), Command::ALL.len());
        for c in Command::ALL {
            assert_eq!(Command::from_name(c.name()), Some(*c));
        }
    }
}
