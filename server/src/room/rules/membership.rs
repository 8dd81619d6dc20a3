//! Who is in the room: joining, presence, leaving, and guests, whose
//! membership lasts only as long as their connection.

use super::floor::{advance, end_turn};
use super::Out;
use crate::room::state::Room;
use dais_protocol::{ErrorCode, Millis, Participant, Role, TurnEndReason};
use std::net::IpAddr;

/// Add a participant to the room's members (or mark a returning one).
/// `address` is a guest's, so that a removal of a guest holds against it.
pub fn join(
    room: &mut Room,
    who: &Participant,
    address: Option<IpAddr>,
    now: Millis,
) -> Result<(), ErrorCode> {
    if room.closed {
        return Err(ErrorCode::RoomClosed);
    }
    if room.removed.contains(&who.id) {
        return Err(ErrorCode::Removed);
    }
    let address = address.filter(|_| who.guest);
    let held = |a: IpAddr| {
        room.removed_addresses
            .get(&a)
            .is_some_and(|until| *until > now)
    };
    if address.is_some_and(held) {
        return Err(ErrorCode::Removed);
    }
    let member = room.members.contains_key(&who.id);
    if room.locked && !member && who.role != Role::Moderator {
        return Err(ErrorCode::RoomLocked);
    }
    // The participant's name or delegation may have changed since they last joined.
    room.add_member(who.actor(), address);
    Ok(())
}

/// A member's connection arrived (`delta` 1) or went away (-1, which is not a
/// `leave`): nothing changes but presence.
///
/// Returns whether the participant's presence changed (their first
/// connection arrived or their last one left): only then do others need to
/// hear of it.
pub fn set_online(room: &mut Room, who: &str, delta: i32) -> bool {
    let Some(m) = room.members.get_mut(who) else {
        return false;
    };
    let was = m.connections > 0;
    m.connections = m.connections.saturating_add_signed(delta);
    let is = m.connections > 0;
    if was != is {
        room.members_changed();
    }
    match (was, is) {
        (false, true) => room.online_now += 1,
        (true, false) => room.online_now = room.online_now.saturating_sub(1),
        _ => {}
    }
    was != is
}

/// A guest's last connection went: a guest is a member only while there,
/// so they leave the room as if they had said `leave`. Returns whether they
/// were a member.
pub fn depart_guest(room: &mut Room, who: &str, now: Millis, out: &mut Out) -> bool {
    let gone = room
        .members
        .get(who)
        .is_some_and(|m| m.who.guest && m.connections == 0);
    if gone {
        drop_member(room, who, now, out);
    }
    gone
}

pub(super) fn leave(room: &mut Room, who: &str, now: Millis, out: &mut Out) {
    if room.members.contains_key(who) {
        drop_member(room, who, now, out);
    }
}

/// Take someone out of the room: out of the queue, off the floor, out of the round.
pub(super) fn drop_member(room: &mut Room, id: &str, now: Millis, out: &mut Out) {
    room.queue.retain(|e| e.who.id != id);
    if room.queue.is_empty() {
        room.manual_order = false;
    }
    if let Some(round) = room.round.as_mut() {
        round.remaining.retain(|p| p != id);
    }
    let holder = room.floor.holder_id() == Some(id);
    room.remove_member(id);
    if holder {
        end_turn(room, now, TurnEndReason::HolderLeft, None, None, out);
        if room.round.is_some() {
            advance(room, now, None, out);
        }
    }
}
