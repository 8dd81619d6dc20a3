//! The rule set of a room: pure functions from (state, who, request, now)
//! to events. No socket, no clock, no store: the actor supplies the time and
//! anything it had to look up, and tests drive these functions directly.
//!
//! `apply` makes the checks every request shares (the room is open, the
//! sender is a member, not muted, and their role may send this at all, from
//! the protocol crate's access table), then hands the request to the file
//! of its topic. Every check comes before any change, so a refused request
//! leaves the room exactly as it was.

mod clock;
mod floor;
mod membership;
mod moderation;
mod poll;
mod queue;
mod round;
mod settings;
mod speech;

pub use clock::{next_deadline, restore, tick};
pub use membership::{depart_guest, join, set_online};
pub use queue::sort_queue;
pub use settings::{new_room, NewRoom};

use super::state::Room;
use dais_protocol::{Access, ErrorCode, Event, EventFrame, Millis, Participant, Request, Seq};

/// Default options of a consensus check.
pub const DEFAULT_POLL_OPTIONS: [&str; 3] = ["support", "object", "abstain"];
pub use crate::limits::MAX_TIME_LIMIT;

/// What the actor looked up for a request that names an earlier event:
/// the record's metadata of that event (defined with the record, which
/// reads it, so that the record needs nothing from the rules).
pub use crate::record::EventMeta as Target;

/// Whether an event changes the room beyond its seq. Speeches,
/// interpretations and announcements do not (a restart recovers the seq
/// from the log), so they neither save the room's snapshot nor send a
/// `room_state`.
pub fn changes_state(event: &Event) -> bool {
    !matches!(
        event,
        Event::Speech { .. } | Event::Interpretation { .. } | Event::Announcement { .. }
    )
}

/// The world outside the room that a request may depend on.
#[derive(Debug, Clone, Default)]
pub struct Ctx {
    pub now: Millis,
    /// The event named by `interpret`'s `of` or `request_reply`'s `to`, if it exists.
    pub target: Option<Target>,
}

/// The events a request or a tick created, in order.
pub type Out = Vec<EventFrame>;

/// Record an event with the room's next seq.
fn emit(room: &mut Room, now: Millis, out: &mut Out, event: Event) -> Seq {
    room.seq += 1;
    out.push(EventFrame {
        room: room.id.clone(),
        seq: room.seq,
        ts: now,
        event,
    });
    room.seq
}

/// Apply one request from `who`. On success, the events it created, in order.
pub fn apply(
    room: &mut Room,
    who: &Participant,
    req: &Request,
    ctx: &Ctx,
) -> Result<Out, ErrorCode> {
    let now = ctx.now;
    let mut out = Vec::new();
    if room.closed {
        return Err(ErrorCode::RoomClosed);
    }
    if matches!(req, Request::Leave { .. }) {
        // Leaving is always allowed, and leaving twice is harmless.
        membership::leave(room, &who.id, now, &mut out);
        return Ok(out);
    }
    if !room.members.contains_key(&who.id) {
        return Err(ErrorCode::NotJoined);
    }
    if room.is_muted(&who.id, now) {
        return Err(ErrorCode::Muted);
    }
    let access = req.access(who.role);
    if access == Access::No {
        return Err(ErrorCode::Forbidden);
    }
    let r = room;
    let o = &mut out;
    match req {
        Request::Say { text, lang, .. } => speech::say(r, who, access, text, lang, now, o)?,
        Request::Interpret { of, text, lang, .. } => {
            speech::interpret(r, who, access, *of, text, lang, ctx, o)?
        }
        Request::Announce { text, lang, .. } => speech::announce(r, who, text, lang, now, o),
        Request::RequestFloor { class, .. } => queue::request_floor(r, who, *class, now, o)?,
        Request::RequestReply { to, .. } => queue::request_reply(r, who, *to, ctx, o)?,
        Request::Withdraw { .. } => queue::withdraw(r, who, now, o)?,
        Request::ReorderQueue { order, reason, .. } => {
            queue::reorder(r, who, order, reason, now, o)?
        }
        Request::ClearQueue { reason, .. } => queue::clear(r, who, reason, now, o),
        Request::CloseList { reason, .. } => queue::close_list(r, who, reason, now, o),
        Request::OpenList { .. } => queue::open_list(r, who, now, o),
        Request::Yield { to, .. } => floor::yield_floor(r, who, to.as_deref(), now, o)?,
        Request::Pass { .. } => floor::pass(r, who, now, o)?,
        Request::Next { turn, .. } => floor::next(r, who, *turn, now, o)?,
        Request::Grant {
            participant,
            reason,
            ..
        } => floor::grant(r, who, participant, reason, now, o)?,
        Request::Revoke { reason, .. } => floor::revoke(r, who, reason, now, o)?,
        Request::Pause { .. } => clock::pause(r, who, now, o)?,
        Request::Resume { .. } => clock::resume(r, who, now, o)?,
        Request::StartRound { .. } => round::start(r, who, now, o)?,
        Request::PointOfOrder { text, .. } => moderation::point_of_order(r, who, text, now, o)?,
        Request::Rule {
            point,
            all,
            ruling,
            upheld,
            ..
        } => moderation::rule(r, who, *point, *all, ruling, *upheld, now, o)?,
        Request::Mute {
            participant,
            seconds,
            reason,
            ..
        } => moderation::mute(r, who, participant, *seconds, reason, now, o)?,
        Request::Unmute { participant, .. } => moderation::unmute(r, who, participant, now, o)?,
        Request::Remove {
            participant,
            reason,
            ..
        } => moderation::remove(r, who, participant, reason, now, o)?,
        Request::Vote { option, .. } => poll::vote(r, who, *option, now, o)?,
        Request::PollOpen {
            question, options, ..
        } => poll::open(r, who, question, options.as_deref(), now, o)?,
        Request::PollClose { .. } => poll::close(r, who, now, o)?,
        Request::SetMode { mode, .. } => settings::set_mode(r, who, *mode, now, o),
        Request::SetTimeLimit { seconds, .. } => {
            settings::set_time_limit(r, who, *seconds, now, o)?
        }
        Request::RoomLock { .. } => settings::lock(r, who, true, now, o),
        Request::RoomUnlock { .. } => settings::lock(r, who, false, now, o),
        Request::RoomClose { .. } => settings::close(r, who, now, o),
        Request::RoomPublish { .. } => settings::publish(r, who, true, now, o),
        Request::RoomUnpublish { .. } => settings::publish(r, who, false, now, o),
        // Handled outside the rule set (connection, registry or actor).
        Request::Hello { .. }
        | Request::Rooms { .. }
        | Request::Members { .. }
        | Request::Join { .. }
        | Request::Leave { .. }
        | Request::History { .. }
        | Request::Fairness { .. }
        | Request::RoomCreate { .. } => return Err(ErrorCode::Internal),
    }
    Ok(out)
}
