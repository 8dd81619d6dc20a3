//! The rule set of a room: pure functions from (state, who, request, now)
//! to events. No socket, no clock, no store: the actor supplies the time and
//! anything it had to look up, and tests drive these functions directly.
//!
//! Every check comes before any change, so a refused request leaves the room
//! exactly as it was.

use super::state::{Clock, Entry, Floor, Member, Mute, Point, Poll, Room, Round, Turn};
use dais_protocol::{
    Actor, EntryClass, ErrorCode, Event, EventFrame, Millis, Mode, Participant, QueueOrder,
    Request, Role, Seq, TurnEndReason,
};

/// Default options of a consensus check.
pub const DEFAULT_POLL_OPTIONS: [&str; 3] = ["support", "object", "abstain"];
/// Longest turn a chair may set, in seconds.
pub const MAX_TIME_LIMIT: u32 = 3600;

/// What the actor looked up for a request that names an earlier event.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    pub seq: Seq,
    pub kind: String,
    pub author: Option<String>,
}

/// The world outside the room that a request may depend on.
#[derive(Debug, Clone, Default)]
pub struct Ctx {
    pub now: Millis,
    /// The event named by `interpret`'s `of` or `request_reply`'s `to`, if it exists.
    pub target: Option<Target>,
}

type Out = Vec<EventFrame>;

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

/// Add a participant to the room's members (or mark a returning one).
pub fn join(room: &mut Room, who: &Participant) -> Result<(), ErrorCode> {
    if room.closed {
        return Err(ErrorCode::RoomClosed);
    }
    if room.removed.contains(&who.id) {
        return Err(ErrorCode::Removed);
    }
    let member = room.members.contains_key(&who.id);
    if room.locked && !member && who.role != Role::Moderator {
        return Err(ErrorCode::RoomLocked);
    }
    let entry = room
        .members
        .entry(who.id.clone())
        .or_insert_with(|| Member {
            who: who.actor(),
            connections: 0,
        });
    // The participant's name or delegation may have changed since they last joined.
    entry.who = who.actor();
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

/// A member's connection arrived (`delta` 1) or went away (-1, which is not a
/// `leave`): nothing changes but presence.
///
/// Returns whether the participant's presence changed (their first
/// connection arrived or their last one left): only then do others need to
/// hear of it.
pub fn set_online(room: &mut Room, who: &str, delta: i32) -> bool {
    match room.members.get_mut(who) {
        Some(m) => {
            let was = m.connections > 0;
            m.connections = m.connections.saturating_add_signed(delta);
            was != (m.connections > 0)
        }
        None => false,
    }
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
        if room.members.contains_key(&who.id) {
            leave(room, who, now, &mut out);
        }
        return Ok(out);
    }
    if !room.members.contains_key(&who.id) {
        return Err(ErrorCode::NotJoined);
    }
    if room.is_muted(&who.id, now) {
        return Err(ErrorCode::Muted);
    }
    let moderator = who.role == Role::Moderator;
    let is_moderator_request = matches!(
        req,
        Request::Next { .. }
            | Request::Grant { .. }
            | Request::Revoke { .. }
            | Request::Pause { .. }
            | Request::Resume { .. }
            | Request::SetMode { .. }
            | Request::SetTimeLimit { .. }
            | Request::ReorderQueue { .. }
            | Request::ClearQueue { .. }
            | Request::StartRound { .. }
            | Request::Rule { .. }
            | Request::CloseList { .. }
            | Request::OpenList { .. }
            | Request::PollOpen { .. }
            | Request::PollClose { .. }
            | Request::Mute { .. }
            | Request::Unmute { .. }
            | Request::Remove { .. }
            | Request::Announce { .. }
            | Request::RoomLock { .. }
            | Request::RoomUnlock { .. }
            | Request::RoomClose { .. }
    );
    if is_moderator_request && !moderator {
        return Err(ErrorCode::Forbidden);
    }
    let me = who.actor();
    match req {
        Request::Say { text, lang, .. } => {
            if who.role == Role::Observer {
                return Err(ErrorCode::Forbidden);
            }
            let holder = room.floor.holder_id() == Some(who.id.as_str());
            let allowed = match room.mode {
                Mode::SpeakersList | Mode::RoundRobin => holder || moderator,
                Mode::Open => true,
                Mode::Suspended => moderator,
            };
            if !allowed {
                return Err(ErrorCode::NotYourTurn);
            }
            emit(
                room,
                now,
                &mut out,
                Event::Speech {
                    by: me,
                    text: text.clone(),
                    lang: lang.clone(),
                },
            );
        }
        Request::RequestFloor { class, .. } => {
            if *class == EntryClass::Reply {
                // A reply must name what it answers: that is `request_reply`.
                return Err(ErrorCode::InvalidField);
            }
            check_can_queue(room, who)?;
            enqueue(room, now, me, *class, None, &mut out);
        }
        Request::RequestReply { to, .. } => {
            let target = ctx
                .target
                .as_ref()
                .filter(|t| t.seq == *to && t.seq <= room.seq)
                .ok_or(ErrorCode::UnknownEvent)?;
            check_can_queue(room, who)?;
            let seq = target.seq;
            emit(
                room,
                now,
                &mut out,
                Event::ReplyRequested {
                    by: me.clone(),
                    to: seq,
                },
            );
            enqueue(room, now, me, EntryClass::Reply, Some(seq), &mut out);
        }
        Request::Withdraw { .. } => {
            let pos = room
                .queue
                .iter()
                .position(|e| e.who.id == who.id)
                .ok_or(ErrorCode::NotInQueue)?;
            room.queue.remove(pos);
            if room.queue.is_empty() {
                room.manual_order = false;
            }
            emit(room, now, &mut out, Event::FloorWithdrawn { by: me });
        }
        Request::Yield { to, .. } => {
            if room.floor.holder_id() != Some(who.id.as_str()) {
                return Err(ErrorCode::NotFloorHolder);
            }
            match to {
                None => {
                    end_turn(room, now, TurnEndReason::Yielded, None, None, &mut out);
                    if room.round.is_some() {
                        advance(room, now, None, &mut out);
                    }
                }
                Some(to) => {
                    let target = room.members.get(to).ok_or(ErrorCode::NotAMember)?;
                    if to == &who.id || target.who.role == Role::Observer {
                        return Err(ErrorCode::InvalidField);
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
                        &mut out,
                    );
                    give_floor(
                        room,
                        now,
                        target,
                        EntryClass::Speech,
                        None,
                        remaining,
                        None,
                        false,
                        None,
                        &mut out,
                    );
                }
            }
        }
        Request::Pass { .. } => {
            if room.floor.holder_id() != Some(who.id.as_str()) {
                return Err(ErrorCode::NotFloorHolder);
            }
            end_turn(room, now, TurnEndReason::Passed, None, None, &mut out);
            if room.round.is_some() {
                advance(room, now, None, &mut out);
            }
        }
        Request::PointOfOrder { text, .. } => {
            if !matches!(who.role, Role::Delegate | Role::Interpreter) {
                return Err(ErrorCode::Forbidden);
            }
            let seq = emit(
                room,
                now,
                &mut out,
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
        }
        Request::Vote { option, .. } => {
            if who.role != Role::Delegate {
                return Err(ErrorCode::Forbidden);
            }
            if who.delegation.trim().is_empty() {
                return Err(ErrorCode::NoDelegation);
            }
            let poll = room.poll.as_mut().ok_or(ErrorCode::NoOpenPoll)?;
            if *option as usize >= poll.options.len() {
                return Err(ErrorCode::InvalidOption);
            }
            let replaced = poll.votes.insert(who.delegation.clone(), *option).is_some();
            let id = poll.id;
            emit(
                room,
                now,
                &mut out,
                Event::VoteCast {
                    by: me,
                    poll: id,
                    option: *option,
                    replaced,
                },
            );
        }
        Request::Interpret { of, text, lang, .. } => {
            let target = ctx
                .target
                .as_ref()
                .filter(|t| t.seq == *of && matches!(t.kind.as_str(), "speech" | "announcement"))
                .ok_or(ErrorCode::UnknownEvent)?;
            let own = target.author.as_deref() == Some(who.id.as_str());
            if who.role != Role::Interpreter && !own {
                return Err(ErrorCode::Forbidden);
            }
            emit(
                room,
                now,
                &mut out,
                Event::Interpretation {
                    by: me,
                    of: *of,
                    text: text.clone(),
                    lang: lang.clone(),
                },
            );
        }
        // ---- moderators ----
        Request::Next { turn, .. } => {
            let current = room.floor.turn().map(|t| t.id);
            if let Some(named) = turn {
                if current != Some(*named) {
                    return Err(ErrorCode::StaleTurn);
                }
            }
            if current.is_none() && room.queue.is_empty() && room.round.is_none() {
                return Err(ErrorCode::QueueEmpty);
            }
            end_turn(
                room,
                now,
                TurnEndReason::NextCalled,
                Some(me.clone()),
                None,
                &mut out,
            );
            advance(room, now, Some(me), &mut out);
        }
        Request::Grant {
            participant,
            reason,
            ..
        } => {
            let target = room
                .members
                .get(participant)
                .ok_or(ErrorCode::NotAMember)?
                .who
                .clone();
            if room.floor.holder_id() == Some(participant.as_str()) {
                return Err(ErrorCode::AlreadyHasFloor);
            }
            sort_queue(room);
            let out_of_order = room
                .queue
                .first()
                .map(|e| e.who.id != *participant)
                .unwrap_or(true);
            let entry = room
                .queue
                .iter()
                .find(|e| e.who.id == *participant)
                .cloned();
            end_turn(
                room,
                now,
                TurnEndReason::Superseded,
                Some(me.clone()),
                None,
                &mut out,
            );
            let (class, reply_to) = entry
                .map(|e| (e.class, e.reply_to))
                .unwrap_or((EntryClass::Speech, None));
            let allotted = room.time_limit as i64 * 1000;
            give_floor(
                room,
                now,
                target,
                class,
                reply_to,
                allotted,
                Some(me),
                out_of_order,
                reason.clone(),
                &mut out,
            );
        }
        Request::Revoke { reason, .. } => {
            if matches!(room.floor, Floor::Free) {
                return Err(ErrorCode::FloorFree);
            }
            end_turn(
                room,
                now,
                TurnEndReason::Revoked,
                Some(me),
                reason.clone(),
                &mut out,
            );
        }
        Request::Pause { .. } => {
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
                &mut out,
                Event::ClockPaused {
                    by: me,
                    turn: id,
                    remaining_ms,
                },
            );
        }
        Request::Resume { .. } => {
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
                &mut out,
                Event::ClockResumed {
                    by: me,
                    turn: id,
                    deadline,
                },
            );
        }
        Request::SetMode { mode, .. } => {
            if *mode == room.mode {
                return Ok(out);
            }
            end_turn(
                room,
                now,
                TurnEndReason::ModeChanged,
                Some(me.clone()),
                None,
                &mut out,
            );
            if let Some(round) = room.round.take() {
                emit(
                    room,
                    now,
                    &mut out,
                    Event::RoundEnded {
                        round: round.number,
                    },
                );
            }
            room.mode = *mode;
            emit(
                room,
                now,
                &mut out,
                Event::ModeChanged {
                    by: me,
                    mode: *mode,
                },
            );
        }
        Request::SetTimeLimit { seconds, .. } => {
            if *seconds == 0 || *seconds > MAX_TIME_LIMIT {
                return Err(ErrorCode::InvalidTimeLimit);
            }
            room.time_limit = *seconds;
            emit(
                room,
                now,
                &mut out,
                Event::TimeLimitChanged {
                    by: me,
                    seconds: *seconds,
                },
            );
        }
        Request::ReorderQueue { order, reason, .. } => {
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
                &mut out,
                Event::QueueReordered {
                    by: me,
                    order: order.clone(),
                    reason: reason.clone(),
                },
            );
        }
        Request::ClearQueue { reason, .. } => {
            room.queue.clear();
            room.manual_order = false;
            emit(
                room,
                now,
                &mut out,
                Event::QueueCleared {
                    by: me,
                    reason: reason.clone(),
                },
            );
        }
        Request::StartRound { .. } => {
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
            present.sort_by(|a, b| {
                (&a.delegation, &a.name, &a.id).cmp(&(&b.delegation, &b.name, &b.id))
            });
            // Rotate the starting point so nobody is always first.
            let shift = room.rounds_started as usize % present.len();
            present.rotate_left(shift);
            if room.mode != Mode::RoundRobin {
                end_turn(
                    room,
                    now,
                    TurnEndReason::ModeChanged,
                    Some(me.clone()),
                    None,
                    &mut out,
                );
                room.mode = Mode::RoundRobin;
                emit(
                    room,
                    now,
                    &mut out,
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
                    &mut out,
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
                &mut out,
                Event::RoundStarted {
                    by: me.clone(),
                    round: number,
                    order: present,
                },
            );
            advance(room, now, Some(me), &mut out);
        }
        Request::Rule {
            point,
            ruling,
            upheld,
            ..
        } => {
            let pos = room
                .points
                .iter()
                .position(|p| p.seq == *point)
                .ok_or(ErrorCode::UnknownPoint)?;
            room.points.remove(pos);
            emit(
                room,
                now,
                &mut out,
                Event::Ruling {
                    by: me,
                    point: *point,
                    ruling: ruling.clone(),
                    upheld: *upheld,
                },
            );
        }
        Request::CloseList { reason, .. } => {
            if !room.list_closed {
                room.list_closed = true;
                emit(
                    room,
                    now,
                    &mut out,
                    Event::ListClosed {
                        by: me,
                        reason: reason.clone(),
                    },
                );
            }
        }
        Request::OpenList { .. } => {
            if room.list_closed {
                room.list_closed = false;
                emit(room, now, &mut out, Event::ListOpened { by: me });
            }
        }
        Request::PollOpen {
            question, options, ..
        } => {
            if room.poll.is_some() {
                return Err(ErrorCode::PollAlreadyOpen);
            }
            let options: Vec<String> = match options {
                Some(o) => o.iter().map(|s| s.trim().to_string()).collect(),
                None => DEFAULT_POLL_OPTIONS.iter().map(|s| s.to_string()).collect(),
            };
            if question.trim().is_empty()
                || options.len() < 2
                || options.len() > 20
                || options.iter().any(String::is_empty)
            {
                return Err(ErrorCode::InvalidPoll);
            }
            room.polls_opened += 1;
            let id = room.polls_opened;
            room.poll = Some(Poll {
                id,
                question: question.clone(),
                options: options.clone(),
                votes: Default::default(),
                opened_by: me.clone(),
            });
            emit(
                room,
                now,
                &mut out,
                Event::PollOpened {
                    by: me,
                    poll: id,
                    question: question.clone(),
                    options,
                },
            );
        }
        Request::PollClose { .. } => {
            let poll = room.poll.take().ok_or(ErrorCode::NoOpenPoll)?;
            let counts = poll.counts();
            emit(
                room,
                now,
                &mut out,
                Event::PollClosed {
                    by: me,
                    poll: poll.id,
                    question: poll.question,
                    options: poll.options,
                    counts,
                    votes: poll.votes,
                },
            );
        }
        Request::Mute {
            participant,
            seconds,
            reason,
            ..
        } => {
            let who_actor = room
                .members
                .get(participant)
                .ok_or(ErrorCode::NotAMember)?
                .who
                .clone();
            let until = seconds.map(|s| now + s as i64 * 1000);
            let mute = match until {
                Some(until) => Mute::Until { until },
                None => Mute::Indefinite,
            };
            room.mutes.insert(participant.clone(), mute);
            emit(
                room,
                now,
                &mut out,
                Event::Muted {
                    by: me,
                    who: who_actor,
                    until,
                    reason: reason.clone(),
                },
            );
        }
        Request::Unmute { participant, .. } => {
            let who_actor = room
                .members
                .get(participant)
                .ok_or(ErrorCode::NotAMember)?
                .who
                .clone();
            room.mutes.remove(participant);
            emit(
                room,
                now,
                &mut out,
                Event::Unmuted {
                    by: me,
                    who: who_actor,
                },
            );
        }
        Request::Remove {
            participant,
            reason,
            ..
        } => {
            let target = room
                .members
                .get(participant)
                .ok_or(ErrorCode::NotAMember)?
                .who
                .clone();
            emit(
                room,
                now,
                &mut out,
                Event::Removed {
                    by: me,
                    who: target.clone(),
                    reason: reason.clone(),
                },
            );
            drop_member(room, &target.id, now, &mut out);
            room.removed.insert(target.id);
        }
        Request::Announce { text, lang, .. } => {
            emit(
                room,
                now,
                &mut out,
                Event::Announcement {
                    by: me,
                    text: text.clone(),
                    lang: lang.clone(),
                },
            );
        }
        Request::RoomLock { .. } => {
            if !room.locked {
                room.locked = true;
                emit(room, now, &mut out, Event::RoomLocked { by: me });
            }
        }
        Request::RoomUnlock { .. } => {
            if room.locked {
                room.locked = false;
                emit(room, now, &mut out, Event::RoomUnlocked { by: me });
            }
        }
        Request::RoomClose { .. } => {
            end_turn(
                room,
                now,
                TurnEndReason::Revoked,
                Some(me.clone()),
                None,
                &mut out,
            );
            room.closed = true;
            emit(room, now, &mut out, Event::RoomClosed { by: me });
        }
        // Handled outside the rule set (connection, registry or actor).
        Request::Hello { .. }
        | Request::Join { .. }
        | Request::Leave { .. }
        | Request::History { .. }
        | Request::RoomCreate { .. } => return Err(ErrorCode::Internal),
    }
    Ok(out)
}

fn check_can_queue(room: &Room, who: &Participant) -> Result<(), ErrorCode> {
    if who.role != Role::Delegate {
        return Err(ErrorCode::Forbidden);
    }
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
pub fn sort_queue(room: &mut Room) {
    if room.manual_order {
        // Keep the chair's order; only class precedence moves newcomers.
        room.queue.sort_by_key(|e| e.class);
        return;
    }
    let policy = room.settings.policy;
    let speaking = &room.speaking;
    room.queue.sort_by_key(|e| {
        let group = if policy.balance_stakeholders {
            speaking
                .stakeholders
                .get(&e.who.stakeholder)
                .copied()
                .unwrap_or(0)
        } else {
            0
        };
        let own = match policy.order {
            QueueOrder::Fair => speaking.participants.get(&e.who.id).copied().unwrap_or(0),
            QueueOrder::Fifo => 0,
        };
        (e.class, group, own, e.requested_at, e.order)
    });
}

/// End the current turn, if any, and account its speaking time.
fn end_turn(
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

#[allow(clippy::too_many_arguments)] // one call site per way of taking the floor; a struct would only rename the arguments
fn give_floor(
    room: &mut Room,
    now: Millis,
    to: Actor,
    class: EntryClass,
    reply_to: Option<Seq>,
    allotted_ms: i64,
    by: Option<Actor>,
    out_of_order: bool,
    reason: Option<String>,
    out: &mut Out,
) {
    room.queue.retain(|e| e.who.id != to.id);
    if room.queue.is_empty() {
        room.manual_order = false;
    }
    room.last_turn += 1;
    let deadline = now + allotted_ms;
    room.floor = Floor::Held(Turn {
        id: room.last_turn,
        holder: to.clone(),
        class,
        reply_to,
        started_at: now,
        allotted_ms,
        clock: Clock::Running { deadline },
    });
    let turn = room.last_turn;
    emit(
        room,
        now,
        out,
        Event::FloorGranted {
            to,
            turn,
            class,
            reply_to,
            deadline,
            allotted_ms,
            by,
            out_of_order,
            reason,
        },
    );
}

/// With the floor free, give it to whoever is next: the next delegate of a
/// running round, otherwise the head of the speakers' list.
fn advance(room: &mut Room, now: Millis, by: Option<Actor>, out: &mut Out) {
    if !matches!(room.floor, Floor::Free) {
        return;
    }
    let allotted = room.time_limit as i64 * 1000;
    if room.round.is_some() {
        while let Some(id) = room.round.as_mut().and_then(|r| r.remaining.pop_front()) {
            // Skip whoever left or went offline since the round began.
            let next = room.members.get(&id).filter(|m| m.connections > 0);
            if let Some(to) = next.map(|m| m.who.clone()) {
                give_floor(
                    room,
                    now,
                    to,
                    EntryClass::Speech,
                    None,
                    allotted,
                    by,
                    false,
                    None,
                    out,
                );
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
    give_floor(
        room,
        now,
        head.who,
        head.class,
        head.reply_to,
        allotted,
        by,
        false,
        None,
        out,
    );
}

fn leave(room: &mut Room, who: &Participant, now: Millis, out: &mut Out) {
    drop_member(room, &who.id, now, out);
}

/// Take someone out of the room: out of the queue, off the floor, out of the round.
fn drop_member(room: &mut Room, id: &str, now: Millis, out: &mut Out) {
    room.queue.retain(|e| e.who.id != id);
    if room.queue.is_empty() {
        room.manual_order = false;
    }
    if let Some(round) = room.round.as_mut() {
        round.remaining.retain(|p| p != id);
    }
    let holder = room.floor.holder_id() == Some(id);
    room.members.remove(id);
    if holder {
        end_turn(room, now, TurnEndReason::HolderLeft, None, None, out);
        if room.round.is_some() {
            advance(room, now, None, out);
        }
    }
}
