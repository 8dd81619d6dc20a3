//! Points of order and rulings, and the chair's mute and removal.
//!
//! Chairs act on delegates, interpreters, observers and guests, never on
//! each other: one moderator removing another (or the first chair) would be
//! a coup with no undo, so that stays with the admin's command line.

use super::membership::drop_member;
use super::{emit, Out};
use crate::room::state::{Mute, Point, Room, ADDRESS_HOLD_MS};
use dais_protocol::{Actor, ErrorCode, Event, Millis, Participant, Seq};

/// `point_of_order`: recorded at once, listed until a ruling. Capped per
/// participant (one at a time, as rules of procedure have it) and per room,
/// because each pending point rides along in every `room_state`.
pub(super) fn point_of_order(
    room: &mut Room,
    who: &Participant,
    text: &Option<String>,
    now: Millis,
    out: &mut Out,
) -> Result<(), ErrorCode> {
    let mine = room.points.iter().filter(|p| p.by.id == who.id).count();
    if mine >= room.limits.points_per_participant
        || room.points.len() >= room.limits.points_per_room
    {
        return Err(ErrorCode::TooManyPoints);
    }
    let me = who.actor();
    let seq = emit(
        room,
        now,
        out,
        Event::PointOfOrder {
            by: me.clone(),
            text: text.clone(),
        },
    );
    room.points.push(Point {
        seq,
        by: me,
        text: text.clone(),
    });
    Ok(())
}

/// `rule`: on one pending point, or with `all` on every one at once (one
/// `ruling` event each, so each point's answer stands in the record).
#[allow(clippy::too_many_arguments)] // the request's fields, as the dispatcher has them
pub(super) fn rule(
    room: &mut Room,
    who: &Participant,
    point: Option<Seq>,
    all: bool,
    ruling: &str,
    upheld: Option<bool>,
    now: Millis,
    out: &mut Out,
) -> Result<(), ErrorCode> {
    let points: Vec<Seq> = match (point, all) {
        (Some(point), false) => {
            if !room.points.iter().any(|p| p.seq == point) {
                return Err(ErrorCode::UnknownPoint);
            }
            vec![point]
        }
        (None, true) => {
            if room.points.is_empty() {
                return Err(ErrorCode::UnknownPoint);
            }
            room.points.iter().map(|p| p.seq).collect()
        }
        // Both, or neither: say which one.
        _ => return Err(ErrorCode::InvalidField),
    };
    room.points.retain(|p| !points.contains(&p.seq));
    for point in points {
        emit(
            room,
            now,
            out,
            Event::Ruling {
                by: who.actor(),
                point,
                ruling: ruling.to_string(),
                upheld,
            },
        );
    }
    Ok(())
}

/// The member a chair acts on: they exist and are not a chair themselves.
fn subject(room: &Room, participant: &str) -> Result<Actor, ErrorCode> {
    let who = &room
        .members
        .get(participant)
        .ok_or(ErrorCode::NotAMember)?
        .who;
    if !dais_protocol::access::may_discipline(who.role) {
        return Err(ErrorCode::Forbidden);
    }
    Ok(who.clone())
}

pub(super) fn mute(
    room: &mut Room,
    who: &Participant,
    participant: &str,
    seconds: Option<u32>,
    reason: &Option<String>,
    now: Millis,
    out: &mut Out,
) -> Result<(), ErrorCode> {
    let target = subject(room, participant)?;
    let until = seconds.map(|s| now + s as i64 * 1000);
    let mute = match until {
        Some(until) => Mute::Until { until },
        None => Mute::Indefinite,
    };
    room.mutes.insert(participant.to_string(), mute);
    if let Some(address) = room.members.get(participant).and_then(|m| m.address) {
        // On the address, a day at most: others may share it.
        let hold = now + ADDRESS_HOLD_MS;
        let on_address = match mute {
            Mute::Until { until } => Mute::Until {
                until: until.min(hold),
            },
            Mute::Indefinite => Mute::Until { until: hold },
        };
        room.muted_addresses.insert(address, on_address);
    }
    room.muted_addresses.retain(|_, m| m.active(now));
    emit(
        room,
        now,
        out,
        Event::Muted {
            by: who.actor(),
            who: target,
            until,
            reason: reason.clone(),
        },
    );
    Ok(())
}

/// `unmute`: lifting a mute that is not there changes nothing and records
/// nothing (`ok` without `seq`).
pub(super) fn unmute(
    room: &mut Room,
    who: &Participant,
    participant: &str,
    now: Millis,
    out: &mut Out,
) -> Result<(), ErrorCode> {
    let target = subject(room, participant)?;
    if !room.is_muted(participant, now) {
        return Ok(());
    }
    room.mutes.remove(participant);
    if let Some(address) = room.members.get(participant).and_then(|m| m.address) {
        room.muted_addresses.remove(&address);
    }
    emit(
        room,
        now,
        out,
        Event::Unmuted {
            by: who.actor(),
            who: target,
        },
    );
    Ok(())
}

pub(super) fn remove(
    room: &mut Room,
    who: &Participant,
    participant: &str,
    reason: &Option<String>,
    now: Millis,
    out: &mut Out,
) -> Result<(), ErrorCode> {
    let target = subject(room, participant)?;
    emit(
        room,
        now,
        out,
        Event::Removed {
            by: who.actor(),
            who: target.clone(),
            reason: reason.clone(),
        },
    );
    if let Some(address) = room.members.get(participant).and_then(|m| m.address) {
        room.removed_addresses
            .insert(address, now + ADDRESS_HOLD_MS);
    }
    room.removed_addresses.retain(|_, until| *until > now);
    drop_member(room, &target.id, now, out);
    room.removed.insert(target.id);
    Ok(())
}
