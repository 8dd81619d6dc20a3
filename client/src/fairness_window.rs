//! The part of a room's record the fairness figures cover: the whole
//! record or its last minutes, as `/fairness` and the view's Tab choose it.
//! Its own module, below both the app's state (which keeps the window asked
//! for) and the figures' words (fairness.rs, which reads the app), so that
//! neither imports the other.

use crate::args;
use crate::i18n::Localizer;
use dais_protocol::Millis;

/// The part of the record the figures cover.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Window {
    /// The whole record.
    #[default]
    Whole,
    /// The last so many minutes, up to now: asked afresh at each refresh,
    /// so the window slides with the meeting.
    LastMinutes(u32),
}

impl Window {
    /// The windows Tab goes through in the view.
    pub const CYCLE: [Window; 3] = [
        Window::Whole,
        Window::LastMinutes(60),
        Window::LastMinutes(15),
    ];

    /// The window after this one in [`Window::CYCLE`].
    pub fn next(self) -> Window {
        let at = Self::CYCLE.iter().position(|w| *w == self);
        match at {
            Some(i) => Self::CYCLE[(i + 1) % Self::CYCLE.len()],
            None => Window::Whole,
        }
    }

    /// `from` for the request, in server time (`to` is always open: now).
    pub fn from(self, server_now: Millis) -> Option<Millis> {
        match self {
            Window::Whole => None,
            Window::LastMinutes(m) => Some(server_now - i64::from(m) * 60_000),
        }
    }

    /// What `/fairness` was given: nothing or `all` for the whole record,
    /// `15m`, `1h` or a bare number of minutes for the last ones.
    pub fn parse(text: &str) -> Option<Window> {
        let text = text.trim();
        if text.is_empty() || text == "all" {
            return Some(Window::Whole);
        }
        let minutes = if let Some(h) = text.strip_suffix('h') {
            h.trim().parse::<u32>().ok()?.checked_mul(60)?
        } else {
            text.strip_suffix("min")
                .or_else(|| text.strip_suffix('m'))
                .unwrap_or(text)
                .trim()
                .parse::<u32>()
                .ok()?
        };
        (minutes > 0).then_some(Window::LastMinutes(minutes))
    }

    /// The window in words: `whole record`, `last 15 min`.
    pub fn label(self, l10n: &Localizer) -> String {
        match self {
            Window::Whole => l10n.t("fairness-window-whole"),
            Window::LastMinutes(m) => l10n.ta("fairness-window-last", &args!["minutes" => m]),
        }
    }
}
