//! The tour de table: every delegate present, in turn.

use super::floor::{advance, end_turn};
use super::{emit, Out};
use crate::room::state::{Room, Round};
use dais_protocol::{Actor, ErrorCode, Event, Millis, Mode, Participant, Role, TurnEndReason};

/// `start_round`: every delegate online, ordered by delegation then name,
/// starting from a different one each round so that nobody is always first.
pub(super) fn start(
    room: &mut Room,
    who: &Participant,
    now: Millis,
    out: &mut Out,
) -> Result<(), ErrorCode> {
    if room.round.is_some() {
        return Err(ErrorCode::RoundInProgress);
    }
    let mut present: Vec<Actor> = room
        .members
        .values()
        .filter(|m| m.who.role == Role::Delegate && m.connections > 0)
        .map(|m| m.who.clone())
        .collect();
    if present.is_empty() {
        return Err(ErrorCode::QueueEmpty);
    }
    present.sort_by(|a, b| (&a.delegation, &a.name, &a.id).cmp(&(&b.delegation, &b.name, &b.id)));
    let shift = room.rounds_started as usize % present.len();
    present.rotate_left(shift);
    let me = who.actor();
    if room.mode != Mode::RoundRobin {
        end_turn(
            room,
            now,
            TurnEndReason::ModeChanged,
            Some(me.clone()),
            None,
            out,
        );
        room.mode = Mode::RoundRobin;
        emit(
            room,
            now,
            out,
            Event::ModeChanged {
                by: me.clone(),
                mode: Mode::RoundRobin,
            },
        );
    } else {
        end_turn(
            room,
            now,
            TurnEndReason::Superseded,
            Some(me.clone()),
            None,
            out,
        );
    }
    room.rounds_started += 1;
    let number = room.rounds_started;
    room.round = Some(Round {
        number,
        remaining: present.iter().map(|a| a.id.clone()).collect(),
    });
    emit(
        room,
        now,
        out,
        Event::RoundStarted {
            by: me.clone(),
            round: number,
            order: present,
        },
    );
    advance(room, now, Some(me), out);
    Ok(())
}
