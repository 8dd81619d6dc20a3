//! Key bindings: one table, read both to act on a key and to write the help.

use crossterm::event::{KeyCode, KeyModifiers};

use crate::commands::Command;

/// Where a binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Always, even while typing: function keys and Ctrl chords.
    Global,
    /// While the transcript has the focus (Tab), single letters act.
    Transcript,
}

#[derive(Debug, Clone, Copy)]
pub struct Binding {
    pub code: KeyCode,
    pub mods: KeyModifiers,
    pub scope: Scope,
    pub command: Command,
}

const fn global(code: KeyCode, mods: KeyModifiers, command: Command) -> Binding {
    Binding {
        code,
        mods,
        scope: Scope::Global,
        command,
    }
}

const fn letter(c: char, command: Command) -> Binding {
    Binding {
        code: KeyCode::Char(c),
        mods: KeyModifiers::NONE,
        scope: Scope::Transcript,
        command,
    }
}

const NONE: KeyModifiers = KeyModifiers::NONE;
const CTRL: KeyModifiers = KeyModifiers::CONTROL;

/// Every binding. The first binding of a command is the one the palette shows.
pub const BINDINGS: &[Binding] = &[
    global(KeyCode::F(1), NONE, Command::Help),
    letter('?', Command::Help),
    global(KeyCode::Char('p'), CTRL, Command::Palette),
    letter(':', Command::Palette),
    global(KeyCode::Char('q'), CTRL, Command::Quit),
    global(KeyCode::Char('c'), CTRL, Command::Quit),
    global(KeyCode::Tab, NONE, Command::Focus),
    global(KeyCode::F(2), NONE, Command::RequestFloor),
    letter('r', Command::RequestFloor),
    letter('q', Command::RequestClarification),
    letter('w', Command::Withdraw),
    global(KeyCode::F(3), NONE, Command::Yield),
    letter('y', Command::Yield),
    letter('Y', Command::YieldTo),
    global(KeyCode::F(4), NONE, Command::Pass),
    letter('p', Command::Pass),
    global(KeyCode::F(5), NONE, Command::PointOfOrder),
    letter('o', Command::PointOfOrder),
    letter('e', Command::RightOfReply),
    global(KeyCode::F(6), NONE, Command::Vote),
    letter('v', Command::Vote),
    letter('i', Command::Interpret),
    letter('t', Command::ToggleOriginal),
    global(KeyCode::F(7), NONE, Command::NextSpeaker),
    letter('n', Command::NextSpeaker),
    letter('g', Command::Grant),
    letter('x', Command::Revoke),
    global(KeyCode::F(8), NONE, Command::PauseClock),
    letter(' ', Command::PauseClock),
    letter('m', Command::SetMode),
    letter('T', Command::SetTimeLimit),
    letter('O', Command::ReorderQueue),
    letter('C', Command::ClearQueue),
    letter('s', Command::StartRound),
    letter('u', Command::Rule),
    letter('c', Command::CloseList),
    letter('P', Command::PollOpen),
    letter('E', Command::PollClose),
    letter('M', Command::Mute),
    letter('U', Command::Unmute),
    letter('X', Command::Remove),
    letter('a', Command::Announce),
    letter('N', Command::RoomCreate),
    letter('K', Command::RoomLock),
    letter('Z', Command::RoomClose),
    global(KeyCode::F(9), NONE, Command::PickRoom),
    global(KeyCode::PageDown, CTRL, Command::NextRoom),
    letter(']', Command::NextRoom),
    global(KeyCode::PageUp, CTRL, Command::PrevRoom),
    letter('[', Command::PrevRoom),
    global(KeyCode::F(12), NONE, Command::Language),
    letter('L', Command::Language),
];

/// The command bound to a key, if any. Shift is ignored for letters, since
/// the character already tells `Y` from `y`.
pub fn lookup(code: KeyCode, mods: KeyModifiers, transcript_focused: bool) -> Option<Command> {
    let mods = match code {
        KeyCode::Char(_) => mods - KeyModifiers::SHIFT,
        _ => mods,
    };
    let code = match code {
        KeyCode::Char(c) => KeyCode::Char(same_key_latin(c)),
        other => other,
    };
    BINDINGS
        .iter()
        .find(|b| {
            b.code == code && b.mods == mods && (b.scope == Scope::Global || transcript_focused)
        })
        .map(|b| b.command)
}

/// The Latin letter on the same key of a Russian (ЙЦУКЕН) or Arabic
/// keyboard, so that single-letter keys work without switching layouts.
fn same_key_latin(c: char) -> char {
    const RUSSIAN: &str = "йцукенгшщзфывапролдячсмить";
    const LATIN_RU: &str = "qwertyuiopasdfghjklzxcvbnm";
    const ARABIC: &str = "ضصثقفغعهخحشسيبلاتنمئءؤرىة";
    const LATIN_AR: &str = "qwertyuiopasdfghjklzxcvnm";
    if let Some(i) = RUSSIAN.chars().position(|r| r == c) {
        return LATIN_RU.chars().nth(i).unwrap_or(c);
    }
    if let Some(i) = RUSSIAN.to_uppercase().chars().position(|r| r == c) {
        return LATIN_RU.to_uppercase().chars().nth(i).unwrap_or(c);
    }
    if let Some(i) = ARABIC.chars().position(|a| a == c) {
        return LATIN_AR.chars().nth(i).unwrap_or(c);
    }
    c
}

/// How a key is written in the help, e.g. `F2`, `Ctrl+P`, `r`, `Space`.
pub fn label(binding: &Binding) -> String {
    let key = match binding.code {
        KeyCode::F(n) => format!("F{n}"),
        KeyCode::Char(' ') => "Space".to_owned(),
        KeyCode::Char(c) if binding.mods.contains(KeyModifiers::CONTROL) => {
            c.to_ascii_uppercase().to_string()
        }
        KeyCode::Char(c) => c.to_string(),
        KeyCode::Tab => "Tab".to_owned(),
        KeyCode::PageUp => "PgUp".to_owned(),
        KeyCode::PageDown => "PgDn".to_owned(),
        other => format!("{other:?}"),
    };
    if binding.mods.contains(KeyModifiers::CONTROL) {
        format!("Ctrl+{key}")
    } else {
        key
    }
}

/// Every key for a command, joined for the help and the palette: `F2 r`.
pub fn keys_for(command: Command) -> String {
    // The second half of a pair shares its key with the first: the key acts
    // on whichever half applies (see app::resolve_toggle).
    let bound = match command {
        Command::ResumeClock => Command::PauseClock,
        Command::OpenList => Command::CloseList,
        Command::RoomUnlock => Command::RoomLock,
        other => other,
    };
    BINDINGS
        .iter()
        .filter(|b| b.command == bound)
        .map(label)
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_act_only_in_the_transcript() {
        let r = KeyCode::Char('r');
        assert_eq!(lookup(r, NONE, false), None);
        assert_eq!(lookup(r, NONE, true), Some(Command::RequestFloor));
        assert_eq!(
            lookup(KeyCode::F(2), NONE, false),
            Some(Command::RequestFloor)
        );
    }

    #[test]
    fn shifted_letters_are_their_own_commands() {
        let shift = KeyModifiers::SHIFT;
        assert_eq!(
            lookup(KeyCode::Char('Y'), shift, true),
            Some(Command::YieldTo)
        );
        assert_eq!(lookup(KeyCode::Char('y'), NONE, true), Some(Command::Yield));
    }

    #[test]
    fn letters_work_from_russian_and_arabic_layouts() {
        // The key marked R gives к on a Russian keyboard and ق on an Arabic one.
        assert_eq!(
            lookup(KeyCode::Char('к'), NONE, true),
            Some(Command::RequestFloor)
        );
        assert_eq!(
            lookup(KeyCode::Char('ق'), NONE, true),
            Some(Command::RequestFloor)
        );
        assert_eq!(
            lookup(KeyCode::Char('Н'), NONE, true),
            Some(Command::YieldTo)
        );
        assert_eq!(lookup(KeyCode::Char('ر'), NONE, true), Some(Command::Vote));
    }

    #[test]
    fn no_key_is_bound_twice_in_one_scope() {
        for (i, a) in BINDINGS.iter().enumerate() {
            for b in &BINDINGS[i + 1..] {
                assert!(
                    !(a.code == b.code && a.mods == b.mods && a.scope == b.scope),
                    "{} bound twice",
                    label(a)
                );
            }
        }
    }

    #[test]
    fn every_command_has_a_key() {
        for c in Command::ALL {
            assert!(!keys_for(*c).is_empty(), "{c:?} has no key");
        }
    }
}
