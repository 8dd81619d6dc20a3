//! Entering and leaving the terminal's full-screen mode, also on a panic.

use std::io::{self, Stdout, Write};

use crossterm::event::{DisableBracketedPaste, EnableBracketedPaste};
use crossterm::terminal::{
    disable_raw_mode, enable_raw_mode, EnterAlternateScreen, LeaveAlternateScreen,
};
use crossterm::{cursor, execute};
use ratatui::backend::CrosstermBackend;
use ratatui::Terminal;

use crate::bidi::BidiMode;

pub type Term = Terminal<CrosstermBackend<Stdout>>;

/// ECMA-48 BDSM: `CSI 8 l` switches a terminal's own bidi off (the client
/// reorders, or nobody does); `CSI 8 h` switches it back on at exit.
const BIDI_OFF: &[u8] = b"\x1b[8l";
const BIDI_ON: &[u8] = b"\x1b[8h";

/// Raw mode, the alternate screen, bracketed paste; and a panic hook that
/// puts the terminal back before the panic message is printed.
pub fn enter(bidi: BidiMode) -> io::Result<Term> {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore(bidi);
        previous(info);
    }));
    enable_raw_mode()?;
    let mut stdout = io::stdout();
    execute!(stdout, EnterAlternateScreen, EnableBracketedPaste)?;
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
