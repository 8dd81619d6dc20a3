//! The bell, the notification, the flash and the notices that tell you it
//! is your turn.
//!
//! Such a notice says something about the room's state ("You have the
//! floor"), so it lasts only as long as that is true: withdraw the floor and
//! the notice goes with the next frame, not six seconds later.

use super::*;

/// What a notice about your turn depends on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Holds {
    /// You hold the floor in `room`, in turn `turn`.
    Floor { room: RoomId, turn: TurnId },
    /// You are next in line in `room`.
    Next { room: RoomId },
}

impl Holds {
    /// Whether it is still true.
    pub fn holds(&self, app: &App) -> bool {
        let me = app.my_id().unwrap_or_default();
        let state = |room: &str| app.views.get(room).and_then(|v| v.state.as_ref());
        match self {
            Holds::Floor { room, turn } => state(room)
                .and_then(|s| s.floor.as_ref())
                .is_some_and(|f| f.turn == *turn && f.holder.id == me),
            Holds::Next { room } => state(room).is_some_and(|s| is_next(s, me)),
        }
    }
}

fn is_next(state: &RoomState, me: &str) -> bool {
    let holding = state.floor.as_ref().is_some_and(|f| f.holder.id == me);
    let next_in_queue = state.queue.first().is_some_and(|e| e.who.id == me);
    let next_in_round = state
        .round
        .as_ref()
        .and_then(|r| r.remaining.first())
        .is_some_and(|id| id == me);
    (next_in_queue || next_in_round) && !holding
}

/// Drop a notice whose condition no longer holds.
pub(super) fn expire_notices(app: &mut App) {
    let stale = app
        .toast
        .as_ref()
        .and_then(|t| t.holds.as_ref())
        .is_some_and(|h| !h.holds(app));
    if stale {
        app.toast = None;
    }
}

/// The bell, a notification and the flash: when the floor comes to you,
/// when you are next in line, and ten seconds before your time runs out.
/// Each once.
pub(super) fn alerts(app: &mut App) -> Vec<Effect> {
    let Some(me) = app.my_id().map(str::to_owned) else {
        return Vec::new();
    };
    // While offline the clock stands still, and so do its warnings.
    let clock = app.clock_now();
    let mut notices: Vec<(&'static str, Option<Holds>)> = Vec::new();
    for (room, view) in app.views.iter_mut() {
        let Some(state) = &view.state else {
            continue;
        };
        let holding = state.floor.as_ref().filter(|f| f.holder.id == me);
        if let Some(floor) = holding {
            let holds = Holds::Floor {
                room: room.clone(),
                turn: floor.turn,
            };
            if view.alerted_turn != Some(floor.turn) {
                view.alerted_turn = Some(floor.turn);
                notices.push(("notice-your-floor", Some(holds.clone())));
            }
            let left = remaining_ms(floor, clock);
            let running = matches!(floor.clock, ClockView::Running { .. });
            // A turn of ten seconds or less would be warned of its end as it
            // begins, on top of the notice that the floor is yours.
            let warn = running && floor.allotted_ms > 10_000 && left > 0 && left <= 10_000;
            if warn && view.alerted_ten != Some(floor.turn) {
                view.alerted_ten = Some(floor.turn);
                notices.push(("notice-ten-seconds", Some(holds)));
            }
        }
        let next = is_next(state, &me);
        if next && !view.alerted_next {
            notices.push((
                "notice-next-in-line",
                Some(Holds::Next { room: room.clone() }),
            ));
        }
        view.alerted_next = next;
    }
    let Some((id, holds)) = notices.pop() else {
        return Vec::new();
    };
    app.flash_until = app.now + FLASH_MS;
    let text = app.l10n.t(id);
    app.toast = Some(Toast {
        text: text.clone(),
        kind: ToastKind::Info,
        until: app.now + TOAST_MS,
        holds,
    });
    // The bell, and a notification for a window that is not in front.
    vec![
        Effect::Bell,
        Effect::Notify {
            title: app.l10n.t("notify-title"),
            body: text,
        },
    ]
}
