//! The fairness view: asking the server for a room's fairness figures
//! (the `fairness` request), keeping the latest answer, and asking again
//! while the view is open and the record moves on, at most every
//! [`FAIRNESS_REFRESH_MS`]. The figures are the server's; the client only
//! shows them (ui/fairness.rs, and line mode's plain lines).

use super::*;
use crate::fairness_window::Window;
use dais_protocol::Fairness;

/// The shortest time between two refreshes of an open view while the
/// record moves on: a busy plenary adds events every second, and the
/// figures only change when a turn ends or someone asks for the floor.
pub const FAIRNESS_REFRESH_MS: Millis = 3_000;

/// Rows that PgUp and PgDn move the view by.
pub const FAIRNESS_PAGE: usize = 10;

/// A room's fairness figures as this client knows them.
#[derive(Debug, Clone, Default)]
pub struct FairnessState {
    /// The latest answer, and the window it was asked for.
    pub figures: Option<(Box<Fairness>, Window)>,
    /// The window to ask for (Tab in the view, or `/fairness 15m`).
    pub window: Window,
    /// The request awaiting its answer.
    pub(super) pending: Option<Asked>,
    /// A request to make as soon as the room is joined on a live
    /// connection: asked while offline, or lost with the connection.
    /// `true` when the user asked (line mode prints its answer).
    pub(super) wanted: Option<bool>,
    /// When the figures were last asked for (local clock).
    pub(super) asked_at: Option<Millis>,
    /// When the latest answer came (local clock).
    pub received_at: Millis,
    /// The server refused the latest request.
    pub error: Option<ErrorCode>,
    /// How many answers to a request the user made (not a refresh) have
    /// come: line mode prints each of them once.
    pub answers: u64,
    /// Rows of the view and rows shown, as the last draw found them, so
    /// that scrolling stops at the last page. Written by the drawing code,
    /// which otherwise only reads.
    pub render: Cell<(usize, usize)>,
}

impl FairnessState {
    /// A request is on its way.
    pub fn asking(&self) -> bool {
        self.pending.is_some() || self.wanted.is_some()
    }
}

/// A `fairness` request on its way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Asked {
    pub(super) id: u64,
    pub(super) window: Window,
    /// The user asked (a key, the palette, `/fairness`), not a refresh.
    pub(super) on_demand: bool,
}

/// Open the fairness view of the current room and ask for its figures,
/// over `window` if given, else the window chosen last.
pub fn open_fairness(app: &mut App, window: Option<Window>) -> Vec<Effect> {
    if app.current.is_none() {
        app.error("notice-no-room");
        return Vec::new();
    }
    if !matches!(app.overlay, Some(Overlay::Fairness { .. })) {
        app.overlay = Some(Overlay::Fairness { scroll: 0 });
    }
    if let Some(window) = window {
        if let Some(view) = app.view_mut() {
            view.fairness.window = window;
        }
    }
    ask_fairness(app, true)
}

/// Ask for the current room's figures now, or as soon as the room is
/// joined on a live connection. A request for the same window already on
/// its way is not sent twice.
pub(super) fn ask_fairness(app: &mut App, on_demand: bool) -> Vec<Effect> {
    let online = app.conn == Conn::Online;
    let server_now = app.server_now();
    let now = app.now;
    let Some(room) = app.current.clone() else {
        return Vec::new();
    };
    let Some(view) = app.views.get_mut(&room) else {
        return Vec::new();
    };
    let state = &mut view.fairness;
    let window = state.window;
    if let Some(pending) = state.pending.as_mut() {
        if pending.window == window {
            pending.on_demand |= on_demand;
            return Vec::new();
        }
    }
    if !online || !view.joined {
        state.wanted = Some(on_demand || state.wanted == Some(true));
        return Vec::new();
    }
    state.wanted = None;
    state.asked_at = Some(now);
    let (id, effects) = app.send(Request::Fairness {
        room: room.clone(),
        from: window.from(server_now),
        to: None,
    });
    if let Some(view) = app.views.get_mut(&room) {
        view.fairness.pending = Some(Asked {
            id,
            window,
            on_demand,
        });
    }
    effects
}

/// On a tick: what was wanted while offline, and the refresh of an open
/// view whose room's record has moved past its figures.
pub(super) fn fairness_due(app: &mut App) -> Vec<Effect> {
    if app.conn != Conn::Online {
        return Vec::new();
    }
    let open = matches!(app.overlay, Some(Overlay::Fairness { .. }));
    let now = app.now;
    let Some(view) = app.view() else {
        return Vec::new();
    };
    let state = &view.fairness;
    if !view.joined || state.pending.is_some() {
        return Vec::new();
    }
    if let Some(on_demand) = state.wanted {
        return ask_fairness(app, on_demand);
    }
    let stale = match &state.figures {
        Some((figures, window)) => view.last_seq > figures.seq || *window != state.window,
        // Opened before the connection was up, and not refused.
        None => state.error.is_none(),
    };
    let rested = state
        .asked_at
        .is_none_or(|at| now - at >= FAIRNESS_REFRESH_MS);
    if open && stale && rested {
        return ask_fairness(app, false);
    }
    Vec::new()
}

/// The figures the server sent: kept if they answer the request on its
/// way (an answer to a request since replaced, say for another window, is
/// dropped).
pub(super) fn on_fairness(app: &mut App, id: Option<RequestId>, figures: Box<Fairness>) {
    let Some(RequestId::Number(id)) = id else {
        return;
    };
    let now = app.now;
    let Some(view) = app.views.get_mut(&figures.room) else {
        return;
    };
    let state = &mut view.fairness;
    let Some(asked) = state.pending.filter(|p| p.id == id) else {
        return;
    };
    state.pending = None;
    state.error = None;
    state.received_at = now;
    if asked.on_demand {
        state.answers += 1;
    }
    state.figures = Some((figures, asked.window));
}

/// A refusal of the request on its way (`not_joined`, `invalid_field`):
/// the view says it. Returns whether `id` was a `fairness` request.
pub(super) fn fairness_refused(app: &mut App, id: u64, code: ErrorCode) -> bool {
    for view in app.views.values_mut() {
        let state = &mut view.fairness;
        if state.pending.is_some_and(|p| p.id == id) {
            state.pending = None;
            state.error = Some(code);
            return true;
        }
    }
    false
}

/// The connection is gone: the request on its way goes again once the
/// room is joined anew.
pub(super) fn fairness_disconnected(view: &mut RoomView) {
    if let Some(asked) = view.fairness.pending.take() {
        view.fairness.wanted = Some(asked.on_demand || view.fairness.wanted == Some(true));
    }
}

/// A key in the open view: ↑ ↓ PgUp PgDn Home End scroll, Enter (or the
/// view's own key) asks again now, Tab goes to the next window. Esc, which
/// closes every window, never reaches here.
pub(super) fn fairness_key(app: &mut App, key: KeyEvent, scroll: usize) -> Vec<Effect> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    let mut scroll = scroll;
    let mut effects = Vec::new();
    match key.code {
        KeyCode::Down => scroll += 1,
        KeyCode::Up => scroll = scroll.saturating_sub(1),
        KeyCode::PageDown => scroll += FAIRNESS_PAGE,
        KeyCode::PageUp => scroll = scroll.saturating_sub(FAIRNESS_PAGE),
        KeyCode::Home => scroll = 0,
        KeyCode::End => scroll = usize::MAX / 2,
        KeyCode::Enter => effects = ask_fairness(app, true),
        KeyCode::Char('t') if ctrl => effects = ask_fairness(app, true),
        KeyCode::Tab | KeyCode::BackTab => {
            if let Some(view) = app.view_mut() {
                view.fairness.window = view.fairness.window.next();
            }
            scroll = 0;
            effects = ask_fairness(app, true);
        }
        // Letters are never acts; nothing else is bound here.
        _ => {}
    }
    let (rows, shown) = app.view().map_or((0, 0), |v| v.fairness.render.get());
    if rows > 0 {
        scroll = scroll.min(rows.saturating_sub(shown));
    }
    app.overlay = Some(Overlay::Fairness { scroll });
    effects
}

#[cfg(test)]
mod tests {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    use dais_protocol::{Envelope, ErrorCode, Event, EventFrame, Request, RequestId, ServerFrame};

    use super::*;
    use crate::fixture::{self, NOW, ROOM};

    fn key(code: KeyCode) -> Action {
        Action::Key(KeyEvent::from(code))
    }

    fn ctrl_t() -> Action {
        Action::Key(KeyEvent::new(KeyCode::Char('t'), KeyModifiers::CONTROL))
    }

    fn frame(f: ServerFrame) -> Action {
        Action::Net(NetEvent::Frame(Box::new(f)))
    }

    /// The `fairness` requests among `effects`.
    fn asked(effects: &[Effect]) -> Vec<&Envelope> {
        effects
            .iter()
            .filter_map(|e| match e {
                Effect::Send(envelope) if matches!(envelope.request, Request::Fairness { .. }) => {
                    Some(envelope)
                }
                _ => None,
            })
            .collect()
    }

    fn answer(app: &mut App, id: Option<RequestId>, seq: Seq, now: Millis) {
        let figures = Fairness {
            seq,
            ..fixture::fairness()
        };
        update(
            app,
            frame(ServerFrame::Fairness {
                id,
                figures: Box::new(figures),
            }),
            now,
        );
    }

    fn type_line(app: &mut App, text: &str) -> Vec<Effect> {
        for c in text.chars() {
            update(app, key(KeyCode::Char(c)), NOW);
        }
        update(app, key(KeyCode::Enter), NOW)
    }

    fn event(seq: Seq) -> Action {
        frame(ServerFrame::Event(EventFrame {
            room: ROOM.into(),
            seq,
            ts: NOW,
            event: Event::FloorWithdrawn {
                by: fixture::kenya(),
            },
        }))
    }

    #[test]
    fn the_key_opens_the_view_and_asks_for_the_whole_record() {
        let mut app = fixture::app("en", &fixture::kenya());
        let effects = update(&mut app, ctrl_t(), NOW);
        assert_eq!(app.overlay, Some(Overlay::Fairness { scroll: 0 }));
        let out = asked(&effects);
        assert_eq!(out.len(), 1);
        assert_eq!(
            out[0].request,
            Request::Fairness {
                room: ROOM.into(),
                from: None,
                to: None
            }
        );
        // It changes nothing in the room: no nonce, nothing to resend.
        assert_eq!(out[0].nonce, None);
        assert!(app
            .pending
            .values()
            .all(|p| !matches!(p.envelope.request, Request::Fairness { .. })));
    }

    #[test]
    fn every_role_may_open_the_view_from_the_palette() {
        for who in [fixture::kenya(), fixture::chair(), fixture::guest()] {
            let mut app = fixture::app("en", &who);
            assert!(palette_entries(&app, "fair").contains(&Command::Fairness));
            update(&mut app, Action::Command(Command::Fairness), NOW);
            assert!(matches!(app.overlay, Some(Overlay::Fairness { .. })));
        }
    }

    #[test]
    fn the_slash_command_asks_for_the_last_minutes() {
        let mut app = fixture::app("en", &fixture::kenya());
        let effects = type_line(&mut app, "/fairness 15m");
        let out = asked(&effects);
        let from = app.server_now() - 15 * 60_000;
        assert!(
            matches!(&out[0].request, Request::Fairness { from: Some(f), to: None, .. } if *f == from),
            "{out:?}"
        );
        assert_eq!(
            app.view().map(|v| v.fairness.window),
            Some(Window::LastMinutes(15))
        );
    }

    #[test]
    fn a_window_that_is_not_one_is_refused_in_words() {
        let mut app = fixture::app("en", &fixture::kenya());
        let effects = type_line(&mut app, "/fairness soon");
        assert!(asked(&effects).is_empty());
        assert_eq!(app.overlay, None);
        let toast = app
            .toast
            .as_ref()
            .map(|t| t.text.clone())
            .unwrap_or_default();
        assert!(
            crate::bidi::strip_isolates(&toast).starts_with("Not a window: soon"),
            "{toast}"
        );
    }

    #[test]
    fn the_answer_is_kept_and_an_answer_to_a_replaced_request_dropped() {
        let mut app = fixture::app("en", &fixture::kenya());
        let first = asked(&update(&mut app, ctrl_t(), NOW))[0].id.clone();
        // Tab: the last hour, asked at once.
        let effects = update(&mut app, key(KeyCode::Tab), NOW);
        let second = asked(&effects)[0].id.clone();
        assert_ne!(first, second);
        answer(&mut app, first, 7, NOW);
        assert!(app.view().is_some_and(|v| v.fairness.figures.is_none()));
        answer(&mut app, second, 9, NOW);
        let kept = app.view().and_then(|v| v.fairness.figures.clone());
        assert!(matches!(kept, Some((f, Window::LastMinutes(60))) if f.seq == 9));
    }

    #[test]
    fn an_open_view_follows_the_record_at_most_every_three_seconds() {
        let mut app = fixture::app("en", &fixture::kenya());
        let id = asked(&update(&mut app, ctrl_t(), NOW))[0].id.clone();
        answer(&mut app, id, 9, NOW);
        // Nothing new: no refresh, however long.
        assert!(asked(&update(&mut app, Action::Tick, NOW + 60_000)).is_empty());
        update(&mut app, event(10), NOW + 60_000);
        let effects = update(&mut app, Action::Tick, NOW + 60_000);
        let id = asked(&effects)[0].id.clone();
        // Asked; while the answer is on its way, nothing more.
        update(&mut app, event(11), NOW + 60_500);
        assert!(asked(&update(&mut app, Action::Tick, NOW + 64_000)).is_empty());
        answer(&mut app, id, 10, NOW + 60_600);
        // The record moved past the answer, but three seconds have not.
        assert!(asked(&update(&mut app, Action::Tick, NOW + 62_000)).is_empty());
        assert_eq!(
            asked(&update(&mut app, Action::Tick, NOW + 63_000)).len(),
            1
        );
    }

    #[test]
    fn a_closed_view_does_not_refresh() {
        let mut app = fixture::app("en", &fixture::kenya());
        let id = asked(&update(&mut app, ctrl_t(), NOW))[0].id.clone();
        answer(&mut app, id, 9, NOW);
        update(&mut app, key(KeyCode::Esc), NOW);
        assert_eq!(app.overlay, None);
        update(&mut app, event(10), NOW);
        assert!(asked(&update(&mut app, Action::Tick, NOW + 10_000)).is_empty());
    }

    #[test]
    fn enter_asks_again_now() {
        let mut app = fixture::app("en", &fixture::kenya());
        let id = asked(&update(&mut app, ctrl_t(), NOW))[0].id.clone();
        answer(&mut app, id, 9, NOW);
        assert_eq!(
            asked(&update(&mut app, key(KeyCode::Enter), NOW + 10)).len(),
            1
        );
        // Pressed again before the answer: the request on its way will do.
        assert!(asked(&update(&mut app, key(KeyCode::Enter), NOW + 20)).is_empty());
        // A letter does nothing, and leaves the view open.
        update(&mut app, key(KeyCode::Char('y')), NOW + 30);
        assert!(matches!(app.overlay, Some(Overlay::Fairness { .. })));
    }

    #[test]
    fn a_refusal_is_kept_for_the_view_to_say() {
        let mut app = fixture::app("en", &fixture::kenya());
        let id = asked(&update(&mut app, ctrl_t(), NOW))[0].id.clone();
        update(
            &mut app,
            frame(ServerFrame::Error {
                id,
                code: ErrorCode::NotJoined,
                details: None,
            }),
            NOW,
        );
        let state = app.view().map(|v| v.fairness.clone()).unwrap_or_default();
        assert_eq!(state.error, Some(ErrorCode::NotJoined));
        assert!(!state.asking());
        // Refused: the view does not ask again by itself.
        update(&mut app, event(10), NOW);
        assert!(asked(&update(&mut app, Action::Tick, NOW + 10_000)).is_empty());
    }

    #[test]
    fn asked_offline_the_figures_are_asked_once_the_room_is_joined_again() {
        let mut app = fixture::app("en", &fixture::kenya());
        update(
            &mut app,
            Action::Net(NetEvent::Disconnected { retry_in_ms: 500 }),
            NOW,
        );
        assert!(asked(&update(&mut app, ctrl_t(), NOW)).is_empty());
        assert!(app.view().is_some_and(|v| v.fairness.asking()));
        let effects = update(
            &mut app,
            frame(ServerFrame::Welcome {
                protocol: 2,
                participant: fixture::participant(&fixture::kenya()),
                rooms: fixture::rooms(),
                server_time: NOW,
                ping_interval: 20,
                guest_token: None,
            }),
            NOW + 1_000,
        );
        // Not before the room is joined again: the server would refuse it.
        assert!(asked(&effects).is_empty());
        assert!(asked(&update(&mut app, Action::Tick, NOW + 1_100)).is_empty());
        let join = effects.iter().find_map(|e| match e {
            Effect::Send(envelope) if matches!(envelope.request, Request::Join { .. }) => {
                envelope.id.clone()
            }
            _ => None,
        });
        update(
            &mut app,
            frame(ServerFrame::Ok {
                id: join,
                room: Some(ROOM.into()),
                seq: Some(9),
                duplicate: false,
                you: None,
            }),
            NOW + 1_200,
        );
        let effects = update(&mut app, Action::Tick, NOW + 1_300);
        assert_eq!(asked(&effects).len(), 1);
        assert_eq!(app.view().map(|v| v.fairness.answers), Some(0));
        let id = asked(&effects)[0].id.clone();
        answer(&mut app, id, 9, NOW + 1_400);
        // The user asked: line mode prints this answer.
        assert_eq!(app.view().map(|v| v.fairness.answers), Some(1));
    }

    #[test]
    fn a_request_lost_with_the_connection_is_asked_again() {
        let mut app = fixture::app("en", &fixture::kenya());
        assert_eq!(asked(&update(&mut app, ctrl_t(), NOW)).len(), 1);
        update(
            &mut app,
            Action::Net(NetEvent::Disconnected { retry_in_ms: 500 }),
            NOW,
        );
        let state = app.view().map(|v| v.fairness.clone()).unwrap_or_default();
        assert_eq!(state.pending, None);
        assert_eq!(state.wanted, Some(true));
    }
}
