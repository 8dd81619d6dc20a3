//! The bell, the flash and the notices that tell you it is your turn.

use super::*;

/// The bell and the flash: when the floor comes to you, when you are next
/// in line, and ten seconds before your time runs out. Each once.
pub(super) fn alerts(app: &mut App) -> Vec<Effect> {
    let Some(me) = app.my_id().map(str::to_owned) else {
        return Vec::new();
    };
    let server_now = app.server_now();
    let mut notices = Vec::new();
    for view in app.views.values_mut() {
        let Some(state) = &view.state else {
            continue;
        };
        let holding = state.floor.as_ref().filter(|f| f.holder.id == me);
        if let Some(floor) = holding {
            if view.alerted_turn != Some(floor.turn) {
                view.alerted_turn = Some(floor.turn);
                notices.push("notice-your-floor");
            }
            let left = remaining_ms(floor, server_now);
            let running = matches!(floor.clock, ClockView::Running { .. });
            // A turn of ten seconds or less would be warned of its end as it
            // begins, on top of the notice that the floor is yours.
            let warn = running && floor.allotted_ms > 10_000 && left > 0 && left <= 10_000;
            if warn && view.alerted_ten != Some(floor.turn) {
                view.alerted_ten = Some(floor.turn);
                notices.push("notice-ten-seconds");
            }
        }
        let next_in_queue = state.queue.first().is_some_and(|e| e.who.id == me);
        let next_in_round = state
            .round
            .as_ref()
            .and_then(|r| r.remaining.first())
            .is_some_and(|id| *id == me);
        let next = (next_in_queue || next_in_round) && holding.is_none();
        if next && !view.alerted_next {
            notices.push("notice-next-in-line");
        }
        view.alerted_next = next;
    }
    if notices.is_empty() {
        return Vec::new();
    }
    app.flash_until = app.now + FLASH_MS;
    if let Some(last) = notices.last() {
        app.info(last);
    }
    vec![Effect::Bell]
}
