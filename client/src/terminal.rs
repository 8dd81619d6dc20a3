//! Entering and leaving the terminal's full-screen mode, also on a panic.

// A reader comes to this module's public items from the rest of the
// client, so each says what it is for.
#![warn(missing_docs)]

use std::io::{self, Stdout, Write};

use crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
};
use crossterm::terminal::{
    disable_raw_mode, enable_raw_mode, EnterAlternateScreen, LeaveAlternateScreen,
};
use crossterm::{cursor, execute};
use ratatui::backend::CrosstermBackend;
use ratatui::Terminal;

use crate::bidi::BidiMode;

/// The terminal the full screen draws on.
pub type Term = Terminal<CrosstermBackend<Stdout>>;

/// ECMA-48 BDSM: `CSI 8 l` switches a terminal's own bidi off (the client
/// reorders, or nobody does); `CSI 8 h` switches it back on at exit.
const BIDI_OFF: &[u8] = b"\x1b[8l";
const BIDI_ON: &[u8] = b"\x1b[8h";

/// Raw mode, the alternate screen, bracketed paste (pasted lines arrive
/// as one text, never as Enter presses), the mouse wheel when `mouse`; and
/// a panic hook that puts the terminal back before the panic message is
/// printed.
pub fn enter(bidi: BidiMode, mouse: bool) -> io::Result<Term> {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore(bidi);
        previous(info);
    }));
    enable_raw_mode()?;
    let mut stdout = io::stdout();
    execute!(stdout, EnterAlternateScreen, EnableBracketedPaste)?;
    if mouse {
        // Reports clicks too: Shift+drag still selects text in most terminals.
        execute!(stdout, EnableMouseCapture)?;
    }
    if bidi != BidiMode::Terminal {
        stdout.write_all(BIDI_OFF)?;
        stdout.flush()?;
    }
    Terminal::new(CrosstermBackend::new(stdout))
}

/// Undo [`enter`]. Safe to call twice.
pub fn restore(bidi: BidiMode) {
    let _ = disable_raw_mode();
    let mut stdout = io::stdout();
    let _ = execute!(
        stdout,
        DisableMouseCapture,
        DisableBracketedPaste,
        LeaveAlternateScreen,
        cursor::Show
    );
    if bidi != BidiMode::Terminal {
        let _ = stdout.write_all(BIDI_ON);
    }
    let _ = stdout.flush();
}

/// Ring the terminal bell.
pub fn bell() {
    let mut stdout = io::stdout();
    let _ = stdout.write_all(b"\x07");
    let _ = stdout.flush();
}

/// OSC 777 (urxvt, foot, VTE, Ghostty) and OSC 9 (iTerm2, WezTerm, kitty,
/// Ghostty): a desktop notification where the terminal supports one; a
/// terminal that does not ignores the sequence. Control characters and
/// the `;` that separates 777's fields are taken out of the text.
pub fn notification(title: &str, body: &str) -> String {
    let clean = |text: &str| -> String {
        crate::bidi::strip_isolates(text)
            .chars()
            .filter(|c| !c.is_control())
            .map(|c| if c == ';' { ',' } else { c })
            .collect()
    };
    let (title, body) = (clean(title), clean(body));
    format!("\x1b]777;notify;{title};{body}\x07\x1b]9;{title}: {body}\x07")
}

/// Send [`notification`] to the terminal.
pub fn notify(title: &str, body: &str) {
    let mut stdout = io::stdout();
    let _ = stdout.write_all(notification(title, body).as_bytes());
    let _ = stdout.flush();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_notification_is_osc_777_and_osc_9_with_nothing_to_break_them() {
        let text = notification("Dais", "You have the floor;\x07 now\u{2068}");
        assert_eq!(
            text,
            "\x1b]777;notify;Dais;You have the floor, now\x07\x1b]9;Dais: You have the floor, now\x07"
        );
    }
}
