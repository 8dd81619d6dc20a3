//! Speaking: speeches, interpretations and the chair's announcements.

use super::{emit, Ctx, Out};
use crate::room::state::Room;
use dais_protocol::{Access, ErrorCode, Event, Millis, Mode, Participant, Seq};

/// `say`: who may speak depends on the mode (the access table says `Turn`
/// for delegates and interpreters, `Yes` for chairs).
pub(super) fn say(
    room: &mut Room,
    who: &Participant,
    access: Access,
    text: &str,
    lang: &str,
    now: Millis,
    out: &mut Out,
) -> Result<(), ErrorCode> {
    let holder = room.floor.holder_id() == Some(who.id.as_str());
    let allowed = match (access, room.mode) {
        (Access::Yes, _) => true,
        (_, Mode::Open) => true,
        (_, Mode::SpeakersList | Mode::RoundRobin) => holder,
        (_, Mode::Suspended) => false,
    };
    if !allowed {
        return Err(ErrorCode::NotYourTurn);
    }
    emit(
        room,
        now,
        out,
        Event::Speech {
            by: who.actor(),
            text: text.to_string(),
            lang: lang.to_string(),
        },
    );
    Ok(())
}

/// `interpret`: interpreters may interpret any speech or announcement; its
/// author may interpret their own (`Access::Own`).
#[allow(clippy::too_many_arguments)] // the request's fields, as the dispatcher has them
pub(super) fn interpret(
    room: &mut Room,
    who: &Participant,
    access: Access,
    of: Seq,
    text: &str,
    lang: &str,
    ctx: &Ctx,
    out: &mut Out,
) -> Result<(), ErrorCode> {
    let target = ctx
        .target
        .as_ref()
        .filter(|t| t.seq == of && matches!(t.kind.as_str(), "speech" | "announcement"))
        .ok_or(ErrorCode::UnknownEvent)?;
    let own = target.author.as_deref() == Some(who.id.as_str());
    if access == Access::Own && !own {
        return Err(ErrorCode::Forbidden);
    }
    emit(
        room,
        ctx.now,
        out,
        Event::Interpretation {
            by: who.actor(),
            of,
            text: text.to_string(),
            lang: lang.to_string(),
        },
    );
    Ok(())
}

/// `announce`: a notice from the chair, in every mode.
pub(super) fn announce(
    room: &mut Room,
    who: &Participant,
    text: &str,
    lang: &str,
    now: Millis,
    out: &mut Out,
) {
    emit(
        room,
        now,
        out,
        Event::Announcement {
            by: who.actor(),
            text: text.to_string(),
            lang: lang.to_string(),
        },
    );
}
