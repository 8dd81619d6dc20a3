//! The speakers' list: asking for the floor, withdrawing, and the chair's
//! hand on the list (reorder, clear, close, open).

use super::{emit, Ctx, Out};
use crate::room::state::{Entry, Room};
use dais_protocol::{
    Actor, EntryClass, ErrorCode, Event, Millis, Participant, ParticipantId, QueueOrder, Seq,
};

/// `request_floor`: join the list as a speech or a clarifying question.
pub(super) fn request_floor(
    room: &mut Room,
    who: &Participant,
    class: EntryClass,
    now: Millis,
    out: &mut Out,
) -> Result<(), ErrorCode> {
    if class == EntryClass::Reply {
        // A reply must name what it answers: that is `request_reply`.
        return Err(ErrorCode::InvalidField);
    }
    check_can_queue(room, who)?;
    enqueue(room, now, who.actor(), class, None, out);
    Ok(())
}

/// `request_reply`: the right of reply to an earlier event, then a place on
/// the list with class `reply`.
pub(super) fn request_reply(
    room: &mut Room,
    who: &Participant,
    to: Seq,
    ctx: &Ctx,
    out: &mut Out,
) -> Result<(), ErrorCode> {
    let target = ctx
        .target
        .as_ref()
        .filter(|t| t.seq == to && t.seq <= room.seq)
        .ok_or(ErrorCode::UnknownEvent)?;
    check_can_queue(room, who)?;
    let seq = target.seq;
    emit(
        room,
        ctx.now,
        out,
        Event::ReplyRequested {
            by: who.actor(),
            to: seq,
        },
    );
    enqueue(
        room,
        ctx.now,
        who.actor(),
        EntryClass::Reply,
        Some(seq),
        out,
    );
    Ok(())
}

pub(super) fn withdraw(
    room: &mut Room,
    who: &Participant,
    now: Millis,
    out: &mut Out,
) -> Result<(), ErrorCode> {
    let pos = room
        .queue
        .iter()
        .position(|e| e.who.id == who.id)
        .ok_or(ErrorCode::NotInQueue)?;
    room.queue.remove(pos);
    if room.queue.is_empty() {
        room.manual_order = false;
    }
    emit(room, now, out, Event::FloorWithdrawn { by: who.actor() });
    Ok(())
}

/// `reorder_queue`: the chair's order, within the classes' precedence.
pub(super) fn reorder(
    room: &mut Room,
    who: &Participant,
    order: &[ParticipantId],
    reason: &Option<String>,
    now: Millis,
    out: &mut Out,
) -> Result<(), ErrorCode> {
    let mut current: Vec<&str> = room.queue.iter().map(|e| e.who.id.as_str()).collect();
    let mut proposed: Vec<&str> = order.iter().map(String::as_str).collect();
    current.sort_unstable();
    proposed.sort_unstable();
    if current != proposed {
        return Err(ErrorCode::InvalidOrder);
    }
    let reordered: Vec<Entry> = order
        .iter()
        .filter_map(|id| room.queue.iter().find(|e| &e.who.id == id).cloned())
        .collect();
    // The chair orders within the classes; precedence between them
    // (clarifying questions, then replies, then speeches) stays.
    if !reordered.windows(2).all(|w| w[0].class <= w[1].class) {
        return Err(ErrorCode::InvalidOrder);
    }
    room.queue = reordered;
    room.manual_order = true;
    emit(
        room,
        now,
        out,
        Event::QueueReordered {
            by: who.actor(),
            order: order.to_vec(),
            reason: reason.clone(),
        },
    );
    Ok(())
}

/// `clear_queue`: empty the list. Clearing an empty list changes nothing
/// and records nothing (`ok` without `seq`), as `close_list` on a closed list.
pub(super) fn clear(
    room: &mut Room,
    who: &Participant,
    reason: &Option<String>,
    now: Millis,
    out: &mut Out,
) {
    room.manual_order = false;
    if room.queue.is_empty() {
        return;
    }
    room.queue.clear();
    emit(
        room,
        now,
        out,
        Event::QueueCleared {
            by: who.actor(),
            reason: reason.clone(),
        },
    );
}

pub(super) fn close_list(
    room: &mut Room,
    who: &Participant,
    reason: &Option<String>,
    now: Millis,
    out: &mut Out,
) {
    if !room.list_closed {
        room.list_closed = true;
        emit(
            room,
            now,
            out,
            Event::ListClosed {
                by: who.actor(),
                reason: reason.clone(),
            },
        );
    }
}

pub(super) fn open_list(room: &mut Room, who: &Participant, now: Millis, out: &mut Out) {
    if room.list_closed {
        room.list_closed = false;
        emit(room, now, out, Event::ListOpened { by: who.actor() });
    }
}

fn check_can_queue(room: &Room, who: &Participant) -> Result<(), ErrorCode> {
    if room.list_closed {
        return Err(ErrorCode::ListClosed);
    }
    if room.floor.holder_id() == Some(who.id.as_str()) {
        return Err(ErrorCode::AlreadyHasFloor);
    }
    if room.queue.iter().any(|e| e.who.id == who.id) {
        return Err(ErrorCode::AlreadyInQueue);
    }
    Ok(())
}

fn enqueue(
    room: &mut Room,
    now: Millis,
    who: Actor,
    class: EntryClass,
    reply_to: Option<Seq>,
    out: &mut Out,
) {
    room.arrivals += 1;
    let entry = Entry {
        who: who.clone(),
        class,
        reply_to,
        requested_at: now,
        order: room.arrivals,
    };
    room.queue.push(entry);
    sort_queue(room);
    emit(
        room,
        now,
        out,
        Event::FloorRequested {
            by: who,
            class,
            reply_to,
        },
    );
}

/// Order the speakers' list: by class, then (unless a chair has set the order
/// by hand) by the room's policy, then by arrival.
///
/// Under `fair`, whoever has not spoken yet goes before whoever has, before
/// anything else the policy weighs (Robert's Rules: nobody speaks twice
/// before everyone who asked has spoken once); then, with
/// `balance_stakeholders`, the group that has spoken least; then the least
/// speaking time. Without that first key, balancing the groups gave a
/// second turn to a delegate of a quiet group while a delegate of a busier
/// group still waited for a first (docs/FAIRNESS.md has the figures).
pub fn sort_queue(room: &mut Room) {
    if room.manual_order {
        // Keep the chair's order; only class precedence moves newcomers.
        room.queue.sort_by_key(|e| e.class);
        return;
    }
    let policy = room.settings.policy;
    let speaking = &room.speaking;
    room.queue.sort_by_key(|e| {
        let own = match policy.order {
            QueueOrder::Fair => speaking.of(&e.who.id),
            QueueOrder::Fifo => 0,
        };
        let spoken = policy.order == QueueOrder::Fair && own > 0;
        let group = if policy.balance_stakeholders {
            speaking
                .stakeholders
                .get(&e.who.stakeholder)
                .copied()
                .unwrap_or(0)
        } else {
            0
        };
        (e.class, spoken, group, own, e.requested_at, e.order)
    });
}
