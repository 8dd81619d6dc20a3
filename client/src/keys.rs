//! Key bindings: one table, read both to act on a key and to write the help.

// A reader comes to this module's public items from the rest of the
// client, so each says what it is for.
#![warn(missing_docs)]

use crossterm::event::{KeyCode, KeyModifiers};

use crate::commands::Command;

/// One row of the table: a key with its modifiers, and the command it runs.
#[derive(Debug, Clone, Copy)]
pub struct Binding {
    /// The key.
    pub code: KeyCode,
    /// The modifiers that must be held with it.
    pub mods: KeyModifiers,
    /// What it does.
    pub command: Command,
}

const fn key(code: KeyCode, mods: KeyModifiers, command: Command) -> Binding {
    Binding {
        code,
        mods,
        command,
    }
}

const NONE: KeyModifiers = KeyModifiers::NONE;
const CTRL: KeyModifiers = KeyModifiers::CONTROL;

/// Every binding: function keys and Ctrl chords only, which act wherever
/// the focus is and which nobody types by accident. Letters never act
/// (issue 12): a delegate who meant to type "yes" must not yield the floor
/// and file a right of reply. What has no key here is in the palette
/// (Ctrl+P) and is a slash command (`/round`). The first binding of a
/// command is the one the palette shows.
pub const BINDINGS: &[Binding] = &[
    key(KeyCode::F(1), NONE, Command::Help),
    key(KeyCode::Char('p'), CTRL, Command::Palette),
    key(KeyCode::Char('q'), CTRL, Command::Quit),
    key(KeyCode::Char('c'), CTRL, Command::Quit),
    key(KeyCode::Char('f'), CTRL, Command::Search),
    // T for the time each group and delegation had. Not F10 or F11: GNOME
    // Terminal opens its menu on F10 and most terminals go full screen on F11.
    key(KeyCode::Char('t'), CTRL, Command::Fairness),
    key(KeyCode::F(2), NONE, Command::RequestFloor),
    key(KeyCode::F(3), NONE, Command::Yield),
    key(KeyCode::F(4), NONE, Command::Pass),
    key(KeyCode::F(5), NONE, Command::PointOfOrder),
    key(KeyCode::F(6), NONE, Command::Vote),
    key(KeyCode::F(7), NONE, Command::NextSpeaker),
    key(KeyCode::F(8), NONE, Command::PauseClock),
    key(KeyCode::F(9), NONE, Command::PickRoom),
    key(KeyCode::PageDown, CTRL, Command::NextRoom),
    key(KeyCode::PageUp, CTRL, Command::PrevRoom),
    key(KeyCode::F(12), NONE, Command::Language),
];

/// The command bound to a key, if any.
pub fn lookup(code: KeyCode, mods: KeyModifiers) -> Option<Command> {
    let mods = match code {
        KeyCode::Char(_) => mods - KeyModifiers::SHIFT,
        _ => mods,
    };
    BINDINGS
        .iter()
        .find(|b| b.code == code && b.mods == mods)
        .map(|b| b.command)
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
    fn no_letter_is_a_command_in_any_script() {
        for c in "yesYESnxsEqrwpoeivtgmTOCucPMUXaNKZLдаقنعم ".chars() {
            assert_eq!(lookup(KeyCode::Char(c), NONE), None, "{c}");
            assert_eq!(lookup(KeyCode::Char(c), KeyModifiers::SHIFT), None, "{c}");
        }
        assert_eq!(lookup(KeyCode::F(2), NONE), Some(Command::RequestFloor));
        assert_eq!(lookup(KeyCode::Char('p'), CTRL), Some(Command::Palette));
    }

    #[test]
    fn no_key_is_bound_twice() {
        for (i, a) in BINDINGS.iter().enumerate() {
            for b in &BINDINGS[i + 1..] {
                assert!(
                    !(a.code == b.code && a.mods == b.mods),
                    "{} bound twice",
                    label(a)
                );
            }
        }
    }

    #[test]
    fn every_command_has_a_key_or_a_slash_name() {
        for c in Command::ALL {
            assert!(
                !keys_for(*c).is_empty() || !c.name().is_empty(),
                "{c:?} cannot be reached"
            );
        }
    }
}
