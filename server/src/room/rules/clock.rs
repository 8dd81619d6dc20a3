//! The turn's clock: pausing, resuming, and time running out.

use super::floor::{advance, end_turn};
use super::{emit, Out};
use crate::room::state::{Clock, Floor, Room};
use dais_protocol::{ErrorCode, Event, Millis, OutageCause, Participant, TurnEndReason};

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

/// The room is served again after an outage that began at `down_from`: a
/// turn still running then is paused with the time it had left at that
/// moment (the speaker may not even be back yet, and nobody should lose
/// time to an outage; a chair resumes it), and the outage is recorded. A
/// restart with no turn running changed nothing and records nothing; a
/// failover or a handover (`node` took the room over from `previous`) is
/// always recorded.
pub fn restore(
    room: &mut Room,
    down_from: Millis,
    now: Millis,
    cause: OutageCause,
    node: Option<String>,
    previous: Option<String>,
) -> Out {
    let mut out = Vec::new();
    let mut paused = None;
    if let Floor::Held(turn) = &mut room.floor {
        if let Clock::Running { deadline } = turn.clock {
            if deadline > down_from {
                let remaining_ms = deadline - down_from;
                turn.clock = Clock::Paused { remaining_ms };
                paused = Some((turn.id, remaining_ms));
            }
        }
    }
    if paused.is_some() || cause != OutageCause::Restart {
        emit(
            room,
            now,
            &mut out,
            Event::ServiceRestored {
                down_from,
                cause,
                node,
                previous,
                turn: paused.map(|(t, _)| t),
                remaining_ms: paused.map(|(_, r)| r),
            },
        );
    }
    out
}
