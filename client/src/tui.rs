//! The full-screen interface: terminal events in, a redrawn screen out
//! (the loop itself is `interface.rs`'s, shared with line mode).

// A reader comes to this module's public items from the rest of the
// client, so each says what it is for.
#![warn(missing_docs)]

use std::time::Duration;

use crossterm::event::{Event as TermEvent, EventStream};
use crossterm::terminal::{BeginSynchronizedUpdate, EndSynchronizedUpdate};
use futures_util::{FutureExt, StreamExt};

use crate::app::{update, Action, App, Effect, Millis};
use crate::interface::Interface;
use crate::terminal::{self, Term};
use crate::ui;

/// The terminal in full-screen mode (see `terminal::enter`) and its events.
pub struct FullScreen<'a> {
    term: &'a mut Term,
    keys: EventStream,
}

impl<'a> FullScreen<'a> {
    /// The full screen on `term`, which `terminal::enter` made ready.
    pub fn new(term: &'a mut Term) -> Self {
        FullScreen {
            term,
            keys: EventStream::new(),
        }
    }
}

fn term_action(event: TermEvent) -> Option<Action> {
    match event {
        TermEvent::Key(key) => Some(Action::Key(key)),
        TermEvent::Paste(text) => Some(Action::Paste(text)),
        TermEvent::Mouse(mouse) => Some(Action::Mouse(mouse)),
        TermEvent::Resize(w, h) => Some(Action::Resize(w, h)),
        _ => None,
    }
}

impl Interface for FullScreen<'_> {
    type Input = TermEvent;

    /// Four times a second: the turn's clock shows seconds.
    const TICK: Duration = Duration::from_millis(250);

    fn start(&mut self, app: &mut App) -> anyhow::Result<()> {
        let size = self.term.size()?;
        app.size = (size.width, size.height);
        Ok(())
    }

    async fn next_input(&mut self) -> anyhow::Result<Option<TermEvent>> {
        // EventStream's next() may be dropped unfinished: no event is lost.
        match self.keys.next().await {
            Some(Ok(event)) => Ok(Some(event)),
            Some(Err(e)) => Err(e.into()),
            None => Ok(None),
        }
    }

    fn waiting_input(&mut self) -> Option<TermEvent> {
        match self.keys.next().now_or_never() {
            Some(Some(Ok(event))) => Some(event),
            _ => None,
        }
    }

    fn apply(&mut self, app: &mut App, input: TermEvent, now: Millis) -> Vec<Effect> {
        match term_action(input) {
            Some(action) => update(app, action, now),
            None => Vec::new(),
        }
    }

    fn alert(&mut self, effect: &Effect) {
        match effect {
            Effect::Bell => terminal::bell(),
            Effect::Notify { title, body } => terminal::notify(title, body),
            _ => {}
        }
    }

    fn show(&mut self, app: &App) -> anyhow::Result<()> {
        // Inside synchronized output, so that nothing flickers.
        crossterm::execute!(self.term.backend_mut(), BeginSynchronizedUpdate)?;
        self.term.draw(|frame| ui::draw(frame, app))?;
        crossterm::execute!(self.term.backend_mut(), EndSynchronizedUpdate)?;
        Ok(())
    }
}
