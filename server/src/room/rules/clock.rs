//! The turn's clock: pausing, resuming, and time running out.

use super::floor::{advance, end_turn};
use super::{emit, Out};
use crate::room::state::{Clock, Floor, Room};
use dais_protocol::{ErrorCode, Event, Millis, Participant, TurnEndReason};

pub(super) fn pause(
    room: &mut Room,
    who: &Participant,
    now: Millis,
    out: &mut Out,
) -> Result<(), ErrorCode> {
    let Floor::Held(turn) = &mut room.floor else {
        return Err(ErrorCode::FloorFree);
    };
    let Clock::Running { deadline } = turn.clock else {
        return Err(ErrorCode::ClockPaused);
    };
    let remaining_ms = (deadline - now).max(0);
    turn.clock = Clock::Paused { remaining_ms };
    let id = turn.id;
    emit(
        room,
        now,
        out,
        Event::ClockPaused {
            by: who.actor(),
            turn: id,
            remaining_ms,
        },
    );
    Ok(())
}

pub(super) fn resume(
    room: &mut Room,
    who: &Participant,
    now: Millis,
    out: &mut Out,
) -> Result<(), ErrorCode> {
    let Floor::Held(turn) = &mut room.floor else {
        return Err(ErrorCode::FloorFree);
    };
    let Clock::Paused { remaining_ms } = turn.clock else {
        return Err(ErrorCode::ClockRunning);
    };
    let deadline = now + remaining_ms;
    turn.clock = Clock::Running { deadline };
    let id = turn.id;
    emit(
        room,
        now,
        out,
        Event::ClockResumed {
            by: who.actor(),
            turn: id,
            deadline,
        },
    );
    Ok(())
}

/// The time at which `tick` has something to do, if any.
pub fn next_deadline(room: &Room) -> Option<Millis> {
    match room.floor.turn()?.clock {
        Clock::Running { deadline } => Some(deadline),
        Clock::Paused { .. } => None,
    }
}

/// Let time pass: end a turn whose time is up and, where the room is set to
/// (or a round is running), give the floor to the next in line.
pub fn tick(room: &mut Room, now: Millis) -> Out {
    let mut out = Vec::new();
    let expired = matches!(next_deadline(room), Some(d) if d <= now);
    if expired {
        end_turn(room, now, TurnEndReason::TimeExpired, None, None, &mut out);
        if room.round.is_some() || room.settings.auto_advance {
            advance(room, now, None, &mut out);
        }
    }
    out
}
