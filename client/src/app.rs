//! The client's state and the one function that changes it.
//!
//! `update(app, action, now)` takes a key, a pasted text, a network event or
//! a clock tick and returns the effects the interface loop must carry out
//! (frames to send, a bell). It does no I/O, so every rule here is tested
//! without a terminal or a socket. The screen (ui/) and line mode (line.rs)
//! only read the state. The loop that ties them together is interface.rs,
//! one for both.
//!
//! One file per concern:
//! - `state.rs`: what the client knows ([`App`], [`RoomView`]);
//! - `network.rs`: the connection and every server frame;
//! - `outbox.rs`: requests, their ids and nonces, and resending;
//! - `keys.rs`: what a key or a paste does;
//! - `scroll.rs`: scrolling and selecting;
//! - `commands.rs`: carrying out an action, slash commands included;
//! - `overlays.rs`: help, palette, pickers, prompts;
//! - `alerts.rs`: the bell and the notices of your turn;
//! - `history.rs`, `complete.rs`, `search.rs`: ↑ ↓, Tab and Ctrl+F;
//! - `members.rs`: a room's member list, paged;
//! - `fairness.rs`: the room's fairness figures, asked for and refreshed.

use std::cell::Cell;
use std::collections::{BTreeMap, BTreeSet};

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use dais_protocol::{
    Access, Actor, ClockView, EntryClass, Envelope, ErrorCode, Event, EventFrame, FloorView,
    MemberView, Mode, Participant, ParticipantId, Presence, Request, RequestId, Role, RoomId,
    RoomState, RoomSummary, Seq, ServerFrame, TurnId, You,
};

use crate::args;
use crate::bidi::BidiMode;
use crate::commands::Command;
use crate::i18n::Localizer;
use crate::input::TextInput;
use crate::keys as bindings;
use crate::names;
// Action::Net carries it: named here with the rest of update's inputs
// (fixture.rs and the tests use this name).
pub use crate::link::NetEvent;

mod alerts;
mod commands;
mod complete;
mod fairness;
pub mod history;
mod keys;
pub mod members;
mod network;
mod outbox;
mod overlays;
mod scroll;
mod search;
mod state;

use alerts::*;
pub use commands::*;
pub use complete::*;
pub use fairness::*;
use history::InputHistory;
use keys::*;
pub use network::*;
use outbox::*;
pub use overlays::*;
pub use scroll::*;
pub use search::*;
pub use state::*;

use members::{MemberList, MEMBERS_PAGE};

/// Something that happened, to be applied to the state.
#[derive(Debug, Clone)]
pub enum Action {
    Key(KeyEvent),
    Paste(String),
    Mouse(crossterm::event::MouseEvent),
    Resize(u16, u16),
    Tick,
    Net(NetEvent),
    Command(Command),
}

/// What the main loop must do after an update.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    Send(Envelope),
    Bell,
    /// A desktop notification (OSC 777 and OSC 9), for a terminal that is
    /// not in front when your turn comes.
    Notify {
        title: String,
        body: String,
    },
    Quit,
    /// The interface language changed: later `hello`s ask for room titles
    /// in this language.
    Language(String),
}

/// Apply one action. `now` is the local clock in milliseconds.
pub fn update(app: &mut App, action: Action, now: Millis) -> Vec<Effect> {
    app.now = now;
    if app.toast.as_ref().is_some_and(|t| t.until <= now) {
        app.toast = None;
    }
    let effects = match action {
        Action::Key(key) => on_key(app, key),
        Action::Paste(text) => {
            on_paste(app, &text);
            Vec::new()
        }
        Action::Mouse(mouse) => on_mouse(app, mouse),
        Action::Resize(w, h) => {
            app.size = (w, h);
            Vec::new()
        }
        Action::Tick => {
            let mut effects = alerts(app);
            // A fresh paging first: it makes the next page moot.
            effects.extend(repage_due(app));
            effects.extend(more_members(app));
            effects.extend(outbox::retries_due(app));
            effects.extend(fairness_due(app));
            effects
        }
        Action::Net(event) => on_net(app, event),
        Action::Command(command) => run_command(app, command),
    };
    expire_notices(app);
    effects
}

#[cfg(test)]
mod input_tests;
#[cfg(test)]
mod tests;
