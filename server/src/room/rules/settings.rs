//! The room's settings as the chair changes them while it runs: mode, time
//! per turn, lock, publication on the web pages, and closing for good.

use super::floor::end_turn;
use super::{emit, Out, MAX_TIME_LIMIT};
use crate::room::state::Room;
use dais_protocol::{ErrorCode, Event, Millis, Mode, Participant, TurnEndReason};

/// `set_mode`: a new mode ends the current turn and any round. Setting the
/// mode the room already has changes nothing.
pub(super) fn set_mode(room: &mut Room, who: &Participant, mode: Mode, now: Millis, out: &mut Out) {
    if mode == room.mode {
        return;
    }
    let me = who.actor();
    end_turn(
        room,
        now,
        TurnEndReason::ModeChanged,
        Some(me.clone()),
        None,
        out,
    );
    if let Some(round) = room.round.take() {
        emit(
            room,
            now,
            out,
            Event::RoundEnded {
                round: round.number,
            },
        );
    }
    room.mode = mode;
    emit(room, now, out, Event::ModeChanged { by: me, mode });
}

pub(super) fn set_time_limit(
    room: &mut Room,
    who: &Participant,
    seconds: u32,
    now: Millis,
    out: &mut Out,
) -> Result<(), ErrorCode> {
    if seconds == 0 || seconds > MAX_TIME_LIMIT {
        return Err(ErrorCode::InvalidTimeLimit);
    }
    room.time_limit = seconds;
    emit(
        room,
        now,
        out,
        Event::TimeLimitChanged {
            by: who.actor(),
            seconds,
        },
    );
    Ok(())
}

/// `room_lock` (`locked` true) and `room_unlock`: nothing to record when
/// the room already is so.
pub(super) fn lock(room: &mut Room, who: &Participant, locked: bool, now: Millis, out: &mut Out) {
    if room.locked == locked {
        return;
    }
    room.locked = locked;
    let by = who.actor();
    let event = if locked {
        Event::RoomLocked { by }
    } else {
        Event::RoomUnlocked { by }
    };
    emit(room, now, out, event);
}

/// `room_publish` (`public` true) and `room_unpublish`: the record on the
/// public web pages or off them, with the chair's name on the event.
/// Nothing to record when the room already is so.
pub(super) fn publish(
    room: &mut Room,
    who: &Participant,
    public: bool,
    now: Millis,
    out: &mut Out,
) {
    if room.public == public {
        return;
    }
    room.public = public;
    let by = who.actor();
    let event = if public {
        Event::RoomPublished { by }
    } else {
        Event::RoomUnpublished { by }
    };
    emit(room, now, out, event);
}

/// `room_close`: the last event of the room's record.
pub(super) fn close(room: &mut Room, who: &Participant, now: Millis, out: &mut Out) {
    let me = who.actor();
    end_turn(
        room,
        now,
        TurnEndReason::Revoked,
        Some(me.clone()),
        None,
        out,
    );
    room.closed = true;
    emit(room, now, out, Event::RoomClosed { by: me });
}
