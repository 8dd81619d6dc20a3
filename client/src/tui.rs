//! The full-screen interface's loop: take what is waiting (keys, frames,
//! the clock), update the state, carry out the effects, draw once.

use std::time::Duration;

use crossterm::event::{Event as TermEvent, EventStream};
use crossterm::terminal::{BeginSynchronizedUpdate, EndSynchronizedUpdate};
use futures_util::{FutureExt, StreamExt};
use tokio::sync::mpsc;

use crate::app::{update, Action, App, Effect, NetEvent};
use crate::net::NetHandle;
use crate::terminal::{self, Term};
use crate::{now_ms, ui};

fn term_action(event: TermEvent) -> Option<Action> {
    match event {
        TermEvent::Key(key) => Some(Action::Key(key)),
        TermEvent::Paste(text) => Some(Action::Paste(text)),
        TermEvent::Mouse(mouse) => Some(Action::Mouse(mouse)),
        TermEvent::Resize(w, h) => Some(Action::Resize(w, h)),
        _ => None,
    }
}

/// Run until the user quits or the terminal goes away.
pub async fn run(
    term: &mut Term,
    app: &mut App,
    net: &NetHandle,
    net_events: &mut mpsc::UnboundedReceiver<NetEvent>,
) -> anyhow::Result<()> {
    let mut keys = EventStream::new();
    let mut tick = tokio::time::interval(Duration::from_millis(250));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    let size = term.size()?;
    app.size = (size.width, size.height);
    let mut net_open = true;
    loop {
        let mut actions = Vec::new();
        tokio::select! {
            event = keys.next() => match event {
                Some(Ok(event)) => actions.extend(term_action(event)),
                Some(Err(e)) => return Err(e.into()),
                None => return Ok(()),
            },
            event = net_events.recv(), if net_open => match event {
                Some(event) => actions.push(Action::Net(event)),
                None => net_open = false,
            },
            _ = tick.tick() => actions.push(Action::Tick),
        }
        // Take everything else that is already waiting, then draw once.
        while let Ok(event) = net_events.try_recv() {
            actions.push(Action::Net(event));
        }
        while let Some(Some(Ok(event))) = keys.next().now_or_never() {
            actions.extend(term_action(event));
        }
        for action in actions {
            for effect in update(app, action, now_ms()) {
                match effect {
                    Effect::Send(envelope) => net.send(envelope.to_json()),
                    Effect::Bell => terminal::bell(),
                    Effect::Notify { title, body } => terminal::notify(&title, &body),
                    Effect::Language(tag) => net.set_language(tag),
                    Effect::Quit => {}
                }
            }
        }
        if app.quit {
            return Ok(());
        }
        crossterm::execute!(term.backend_mut(), BeginSynchronizedUpdate)?;
        term.draw(|frame| ui::draw(frame, app))?;
        crossterm::execute!(term.backend_mut(), EndSynchronizedUpdate)?;
    }
}
