//! The floor: who holds it, how a turn begins and ends, and who is next.

use super::{emit, queue::sort_queue, Out};
use crate::room::state::{Clock, Floor, Room, Turn};
use dais_protocol::{
    Actor, EntryClass, ErrorCode, Event, Millis, Participant, Seq, TurnEndReason, TurnId,
};

/// Whether `who` may ever hold the floor (the protocol's rule).
fn can_hold_floor(who: &Actor) -> bool {
    dais_protocol::access::can_hold_floor(who.role)
}

/// `yield`: to the chair (the rest of the time is lost) or to a named
/// member, who gets the rest of the time.
pub(super) fn yield_floor(
    room: &mut Room,
    who: &Participant,
    to: Option<&str>,
    now: Millis,
    out: &mut Out,
) -> Result<(), ErrorCode> {
    if room.floor.holder_id() != Some(who.id.as_str()) {
        return Err(ErrorCode::NotFloorHolder);
    }
    let Some(to) = to else {
        end_turn(room, now, TurnEndReason::Yielded, None, None, out);
        if room.round.is_some() {
            advance(room, now, None, out);
        }
        return Ok(());
    };
    let target = room.members.get(to).ok_or(ErrorCode::NotAMember)?;
    if to == who.id {
        return Err(ErrorCode::InvalidField);
    }
    if !can_hold_floor(&target.who) {
        return Err(ErrorCode::CannotHoldFloor);
    }
    let target = target.who.clone();
    let remaining = room
        .floor
        .turn()
        .map(|t| t.clock.remaining(now))
        .unwrap_or(0);
    end_turn(
        room,
        now,
        TurnEndReason::YieldedTo,
        None,
        Some(target.name.clone()),
        out,
    );
    give_floor(
        room,
        now,
        Grant {
            to: target,
            class: EntryClass::Speech,
            reply_to: None,
            allotted_ms: remaining,
            by: None,
            out_of_order: false,
            reason: None,
        },
        out,
    );
    Ok(())
}

pub(super) fn pass(
    room: &mut Room,
    who: &Participant,
    now: Millis,
    out: &mut Out,
) -> Result<(), ErrorCode> {
    if room.floor.holder_id() != Some(who.id.as_str()) {
        return Err(ErrorCode::NotFloorHolder);
    }
    end_turn(room, now, TurnEndReason::Passed, None, None, out);
    if room.round.is_some() {
        advance(room, now, None, out);
    }
    Ok(())
}

/// `next`: end the current turn and give the floor to whoever is next.
/// `turn` names the turn the chair means to end, so that two chairs
/// pressing next at once skip nobody.
pub(super) fn next(
    room: &mut Room,
    who: &Participant,
    turn: Option<TurnId>,
    now: Millis,
    out: &mut Out,
) -> Result<(), ErrorCode> {
    let current = room.floor.turn().map(|t| t.id);
    if let Some(named) = turn {
        if current != Some(named) {
            return Err(ErrorCode::StaleTurn);
        }
    }
    if current.is_none() && room.queue.is_empty() && room.round.is_none() {
        return Err(ErrorCode::QueueEmpty);
    }
    let me = who.actor();
    end_turn(
        room,
        now,
        TurnEndReason::NextCalled,
        Some(me.clone()),
        None,
        out,
    );
    advance(room, now, Some(me), out);
    Ok(())
}

/// `grant`: the floor to a named member, next in line or not.
pub(super) fn grant(
    room: &mut Room,
    who: &Participant,
    participant: &str,
    reason: &Option<String>,
    now: Millis,
    out: &mut Out,
) -> Result<(), ErrorCode> {
    let target = room
        .members
        .get(participant)
        .ok_or(ErrorCode::NotAMember)?
        .who
        .clone();
    if !can_hold_floor(&target) {
        return Err(ErrorCode::CannotHoldFloor);
    }
    if room.floor.holder_id() == Some(participant) {
        return Err(ErrorCode::AlreadyHasFloor);
    }
    sort_queue(room);
    let out_of_order = room
        .queue
        .first()
        .map(|e| e.who.id != participant)
        .unwrap_or(true);
    let entry = room.queue.iter().find(|e| e.who.id == participant).cloned();
    let me = who.actor();
    end_turn(
        room,
        now,
        TurnEndReason::Superseded,
        Some(me.clone()),
        None,
        out,
    );
    let (class, reply_to) = entry
        .map(|e| (e.class, e.reply_to))
        .unwrap_or((EntryClass::Speech, None));
    let allotted_ms = room.time_limit as i64 * 1000;
    give_floor(
        room,
        now,
        Grant {
            to: target,
            class,
            reply_to,
            allotted_ms,
            by: Some(me),
            out_of_order,
            reason: reason.clone(),
        },
        out,
    );
    Ok(())
}

pub(super) fn revoke(
    room: &mut Room,
    who: &Participant,
    reason: &Option<String>,
    now: Millis,
    out: &mut Out,
) -> Result<(), ErrorCode> {
    if matches!(room.floor, Floor::Free) {
        return Err(ErrorCode::FloorFree);
    }
    end_turn(
        room,
        now,
        TurnEndReason::Revoked,
        Some(who.actor()),
        reason.clone(),
        out,
    );
    Ok(())
}

/// End the current turn, if any, and account its speaking time.
pub(super) fn end_turn(
    room: &mut Room,
    now: Millis,
    reason: TurnEndReason,
    by: Option<Actor>,
    note: Option<String>,
    out: &mut Out,
) -> Option<Turn> {
    let Floor::Held(turn) = std::mem::take(&mut room.floor) else {
        return None;
    };
    let spoke_ms = turn.used(now);
    let t = &mut room.speaking;
    t.total_ms += spoke_ms;
    *t.participants.entry(turn.holder.id.clone()).or_default() += spoke_ms;
    *t.delegations
        .entry(turn.holder.delegation.clone())
        .or_default() += spoke_ms;
    *t.stakeholders.entry(turn.holder.stakeholder).or_default() += spoke_ms;
    emit(
        room,
        now,
        out,
        Event::TurnEnded {
            turn: turn.id,
            holder: turn.holder.clone(),
            reason,
            by,
            spoke_ms,
            note,
        },
    );
    Some(turn)
}

/// How a turn begins: one value per way of taking the floor.
pub(super) struct Grant {
    pub to: Actor,
    pub class: EntryClass,
    pub reply_to: Option<Seq>,
    pub allotted_ms: i64,
    /// The chair who gave the floor; `None` when the server moved on by itself.
    pub by: Option<Actor>,
    pub out_of_order: bool,
    pub reason: Option<String>,
}

pub(super) fn give_floor(room: &mut Room, now: Millis, g: Grant, out: &mut Out) {
    room.queue.retain(|e| e.who.id != g.to.id);
    if room.queue.is_empty() {
        room.manual_order = false;
    }
    room.last_turn += 1;
    let deadline = now + g.allotted_ms;
    room.floor = Floor::Held(Turn {
        id: room.last_turn,
        holder: g.to.clone(),
        class: g.class,
        reply_to: g.reply_to,
        started_at: now,
        allotted_ms: g.allotted_ms,
        clock: Clock::Running { deadline },
    });
    let turn = room.last_turn;
    emit(
        room,
        now,
        out,
        Event::FloorGranted {
            to: g.to,
            turn,
            class: g.class,
            reply_to: g.reply_to,
            deadline,
            allotted_ms: g.allotted_ms,
            by: g.by,
            out_of_order: g.out_of_order,
            reason: g.reason,
        },
    );
}

/// With the floor free, give it to whoever is next: the next delegate of a
/// running round, otherwise the head of the speakers' list.
pub(super) fn advance(room: &mut Room, now: Millis, by: Option<Actor>, out: &mut Out) {
    if !matches!(room.floor, Floor::Free) {
        return;
    }
    let allotted_ms = room.time_limit as i64 * 1000;
    if room.round.is_some() {
        while let Some(id) = room.round.as_mut().and_then(|r| r.remaining.pop_front()) {
            // Skip whoever left or went offline since the round began.
            let next = room.members.get(&id).filter(|m| m.connections > 0);
            if let Some(to) = next.map(|m| m.who.clone()) {
                let g = Grant {
                    to,
                    class: EntryClass::Speech,
                    reply_to: None,
                    allotted_ms,
                    by,
                    out_of_order: false,
                    reason: None,
                };
                give_floor(room, now, g, out);
                return;
            }
        }
        let number = room.round.take().map(|r| r.number).unwrap_or_default();
        emit(room, now, out, Event::RoundEnded { round: number });
        return;
    }
    sort_queue(room);
    if room.queue.is_empty() {
        return;
    }
    let head = room.queue.remove(0);
    let g = Grant {
        to: head.who,
        class: head.class,
        reply_to: head.reply_to,
        allotted_ms,
        by,
        out_of_order: false,
        reason: None,
    };
    give_floor(room, now, g, out);
}
