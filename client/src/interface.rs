//! The interface loop, one for the full screen and for line mode: a
//! `select!` over what the user does, the network's events and a clock
//! tick; whatever else is already waiting is taken too, fed to `update` in
//! the order it came, the effects carried out, and the state shown once.
//!
//! The two interfaces differ only in where the user's input comes from and
//! how the state is shown; each is an [`Interface`]: [`crate::tui`]'s
//! `FullScreen` (keys, a redrawn screen) and [`crate::line`]'s `LineMode`
//! (typed lines, printed lines).

// A reader comes to this module's public items from the rest of the
// client, so each says what it is for.
#![warn(missing_docs)]

use std::future::Future;
use std::time::Duration;

use tokio::sync::mpsc;

use crate::app::{update, Action, App, Effect, Millis};
use crate::link::NetEvent;
use crate::net::NetHandle;
use crate::now_ms;

/// One way of reading the user and showing the state.
pub trait Interface {
    /// What the user does: a terminal event, a typed line.
    type Input;

    /// How often the clock ticks: notices expire, retries fall due and the
    /// turn's clock moves on each tick.
    const TICK: Duration;

    /// Before the first input: whatever the state must know of the
    /// interface (the size of the screen).
    fn start(&mut self, _app: &mut App) -> anyhow::Result<()> {
        Ok(())
    }

    /// The user's next input; `None` when there will be none (the terminal
    /// went away, stdin ended). It often loses the race to the network or
    /// the tick, so dropping it before it is ready must lose nothing.
    fn next_input(&mut self) -> impl Future<Output = anyhow::Result<Option<Self::Input>>>;

    /// Input that is already waiting, taken without waiting.
    fn waiting_input(&mut self) -> Option<Self::Input>;

    /// Apply one input to the state.
    fn apply(&mut self, app: &mut App, input: Self::Input, now: Millis) -> Vec<Effect>;

    /// The bell or a desktop notification, where the interface gives them
    /// (line mode announces the same news as lines instead).
    fn alert(&mut self, effect: &Effect);

    /// Show the state after everything waiting was applied.
    fn show(&mut self, app: &App) -> anyhow::Result<()>;
}

/// What came in one round, in the order it came.
enum Step<I> {
    User(I),
    Action(Action),
}

/// Run `interface` until the user quits or its input ends.
pub async fn run<I: Interface>(
    interface: &mut I,
    app: &mut App,
    net: &NetHandle,
    net_events: &mut mpsc::UnboundedReceiver<NetEvent>,
) -> anyhow::Result<()> {
    let mut tick = tokio::time::interval(I::TICK);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    interface.start(app)?;
    let mut net_open = true;
    loop {
        let mut steps = Vec::new();
        tokio::select! {
            input = interface.next_input() => match input? {
                Some(input) => steps.push(Step::User(input)),
                None => return Ok(()),
            },
            event = net_events.recv(), if net_open => match event {
                Some(event) => steps.push(Step::Action(Action::Net(event))),
                None => net_open = false,
            },
            _ = tick.tick() => steps.push(Step::Action(Action::Tick)),
        }
        // Take everything else that is already waiting, then show once.
        while let Ok(event) = net_events.try_recv() {
            steps.push(Step::Action(Action::Net(event)));
        }
        while let Some(input) = interface.waiting_input() {
            steps.push(Step::User(input));
        }
        for step in steps {
            let now = now_ms();
            let effects = match step {
                Step::User(input) => interface.apply(app, input, now),
                Step::Action(action) => update(app, action, now),
            };
            for effect in effects {
                match effect {
                    Effect::Send(envelope) => net.send(envelope.to_json()),
                    Effect::Language(tag) => net.set_language(tag),
                    Effect::Bell | Effect::Notify { .. } => interface.alert(&effect),
                    // app.quit says so; checked below.
                    Effect::Quit => {}
                }
            }
        }
        if app.quit {
            return Ok(());
        }
        interface.show(app)?;
    }
}
