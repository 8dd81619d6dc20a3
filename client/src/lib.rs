//! The Dais terminal client (`dais`): moderated multilingual dialogue
//! rooms, full screen or in line mode, over one websocket.
//!
//! The layers, from the top; each imports only those below it (one
//! exception is left: `fairness` reads `app`'s state, and `app` takes the
//! fairness window type from it). The tests in layers.rs hold the main
//! lines: the state imports no interface and no network, the network task
//! no state, drawing neither, the shared ground nothing above it.
//!
//! - `main.rs` reads the settings (`config`), starts the network task and
//!   hands the interface the user asked for to the interface loop.
//! - `interface`: the one loop, for both interfaces. A `select!` over the
//!   user's input, the network's events and a clock tick; each becomes an
//!   [`app::Action`] for [`app::update`], whose [`app::Effect`]s it carries
//!   out (frames to `net`, the bell), and then the state is shown once.
//! - `tui` (the full screen: `terminal` enters and leaves it, `ui` draws
//!   it, one file per pane) and `line` (line mode, for screen readers:
//!   printed lines and typed slash commands) are the two interfaces. Both
//!   only read the state; `fairness` puts the fairness figures into words
//!   for both.
//! - `app`: the state and the pure `update`. No I/O, no drawing: every rule
//!   of the client is tested on it without a terminal or a socket.
//! - `net`: the websocket task (`tls` for `wss://`), which knows the
//!   protocol but not the state; `link` holds what it reports
//!   ([`link::NetEvent`]), the one type it and `app` share.
//! - Beneath everything: `commands` (every action a user can take, and its
//!   request), `keys` (the key table, also read to write the help), `input`
//!   (the text being typed), `i18n`, `format`, `language` and `names`
//!   (sentences, numbers and times, languages and participants' names in
//!   the interface language), `bidi` (text in the visual order a terminal
//!   needs).

pub mod app;
pub mod bidi;
pub mod commands;
pub mod config;
pub mod fairness;
pub mod fairness_window;
pub mod format;
pub mod i18n;
pub mod input;
pub mod interface;
pub mod keys;
pub mod language;
pub mod line;
pub mod link;
pub mod names;
pub mod net;
pub mod terminal;
pub mod tls;
pub mod tui;
pub mod ui;
pub mod voice;

/// Milliseconds since the Unix epoch, by the local clock.
pub fn now_ms() -> app::Millis {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as app::Millis)
}

#[cfg(test)]
mod fixture;
#[cfg(test)]
mod layers;

/// The screen of `app` at 120x40, for tests that look for text on it.
#[cfg(test)]
fn ui_test_screen(app: &app::App) -> String {
    let backend = ratatui::backend::TestBackend::new(120, 40);
    let mut terminal = match ratatui::Terminal::new(backend) {
        Ok(terminal) => terminal,
        Err(never) => match never {},
    };
    let _ = terminal.draw(|frame| ui::draw(frame, app));
    terminal.backend().to_string()
}
