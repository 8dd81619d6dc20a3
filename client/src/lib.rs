//! The Dais terminal client.
//!
//! `app` holds the state and the pure `update`; `ui` draws it; `net` keeps
//! the websocket; `i18n` and `bidi` turn messages into text a terminal shows
//! right in all six UN languages.

pub mod app;
pub mod bidi;
pub mod commands;
pub mod config;
pub mod fairness;
pub mod fairness_window;
pub mod format;
pub mod i18n;
pub mod input;
pub mod keys;
pub mod language;
pub mod line;
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
