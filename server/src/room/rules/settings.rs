//! The room's settings: those a chair gives a new room with `room_create`
//! (checked and completed with their defaults here, before any room
//! exists), and those a chair changes while it runs: mode, time per turn,
//! lock, publication on the web pages, and closing for good.

use super::floor::end_turn;
use super::{emit, Out};
use crate::limits::{valid_room_id, DEFAULT_TIME_LIMIT, MAX_TIME_LIMIT};
use crate::room::state::{Room, Settings};
use dais_protocol::{ErrorCode, Event, Millis, Mode, Participant, QueuePolicy, TurnEndReason};
use std::collections::BTreeMap;

/// What a chair's `room_create` asks for, as the protocol carries it: what
/// is left out takes its default.
#[derive(Debug, Clone, Default)]
pub struct NewRoom {
    pub titles: BTreeMap<String, String>,
    pub description: String,
    pub mode: Option<Mode>,
    pub time_limit: Option<u32>,
    pub policy: Option<QueuePolicy>,
    pub auto_advance: Option<bool>,
    pub public: Option<bool>,
}

/// `room_create`: the room `id` with the settings asked for, or why not.
/// The id must be one a URL and a file name can carry, and the time per
/// turn one a chair could set later; a new room starts in speakers' list
/// mode and private unless asked otherwise. (The titles' and description's
/// sizes and characters are `limits::validate`'s, as for every request.)
pub fn new_room(id: &str, asked: NewRoom) -> Result<Settings, ErrorCode> {
    if !valid_room_id(id) {
        return Err(ErrorCode::InvalidRoom);
    }
    let time_limit = asked.time_limit.unwrap_or(DEFAULT_TIME_LIMIT);
    if !valid_time_limit(time_limit) {
        return Err(ErrorCode::InvalidTimeLimit);
    }
    Ok(Settings {
        titles: asked.titles,
        description: asked.description,
        mode: asked.mode.unwrap_or(Mode::SpeakersList),
        time_limit,
        policy: asked.policy.unwrap_or_default(),
        auto_advance: asked.auto_advance.unwrap_or(false),
        public: asked.public.unwrap_or(false),
    })
}

/// A turn lasts at least a second and at most `MAX_TIME_LIMIT`.
fn valid_time_limit(seconds: u32) -> bool {
    (1..=MAX_TIME_LIMIT).contains(&seconds)
}

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
    if !valid_time_limit(seconds) {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn asked() -> NewRoom {
        NewRoom {
            titles: [("en".to_string(), "Plenary".to_string())].into(),
            ..NewRoom::default()
        }
    }

    #[test]
    fn a_new_room_starts_private_in_speakers_list_mode_with_the_default_time() {
        let settings = new_room("plenary", asked()).unwrap();
        assert_eq!(settings.mode, Mode::SpeakersList);
        assert_eq!(settings.time_limit, DEFAULT_TIME_LIMIT);
        assert_eq!(settings.policy, QueuePolicy::default());
        assert!(!settings.auto_advance);
        assert!(!settings.public);
        assert_eq!(settings.titles["en"], "Plenary");
    }

    #[test]
    fn a_new_room_keeps_what_the_chair_asked_for() {
        let settings = new_room(
            "caucus-2",
            NewRoom {
                mode: Some(Mode::Open),
                time_limit: Some(MAX_TIME_LIMIT),
                auto_advance: Some(true),
                public: Some(true),
                ..asked()
            },
        )
        .unwrap();
        assert_eq!(settings.mode, Mode::Open);
        assert_eq!(settings.time_limit, MAX_TIME_LIMIT);
        assert!(settings.auto_advance);
        assert!(settings.public);
    }

    #[test]
    fn a_room_id_a_url_cannot_carry_is_refused() {
        for id in ["", "Plenary", "a b", "room/1", &"a".repeat(65)] {
            assert_eq!(new_room(id, asked()), Err(ErrorCode::InvalidRoom), "{id}");
        }
    }

    #[test]
    fn a_turn_of_no_time_or_over_an_hour_is_refused() {
        for seconds in [0, MAX_TIME_LIMIT + 1] {
            let asked = NewRoom {
                time_limit: Some(seconds),
                ..asked()
            };
            assert_eq!(
                new_room("plenary", asked),
                Err(ErrorCode::InvalidTimeLimit),
                "{seconds}"
            );
        }
    }

    #[test]
    fn the_room_id_is_checked_before_the_time_limit() {
        let asked = NewRoom {
            time_limit: Some(0),
            ..asked()
        };
        assert_eq!(new_room("Bad", asked), Err(ErrorCode::InvalidRoom));
    }
}
