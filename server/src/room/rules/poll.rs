//! Consensus checks: opening a poll, one counted vote per delegation, the result.

use super::{emit, Out, DEFAULT_POLL_OPTIONS};
use crate::room::state::{Poll, Room};
use dais_protocol::{ErrorCode, Event, Millis, Participant};

/// Most options a poll may have.
const MAX_OPTIONS: usize = 20;

pub(super) fn open(
    room: &mut Room,
    who: &Participant,
    question: &str,
    options: Option<&[String]>,
    now: Millis,
    out: &mut Out,
) -> Result<(), ErrorCode> {
    if room.poll.is_some() {
        return Err(ErrorCode::PollAlreadyOpen);
    }
    let options: Vec<String> = match options {
        Some(o) => o.iter().map(|s| s.trim().to_string()).collect(),
        None => DEFAULT_POLL_OPTIONS.iter().map(|s| s.to_string()).collect(),
    };
    if question.trim().is_empty()
        || options.len() < 2
        || options.len() > MAX_OPTIONS
        || options.iter().any(String::is_empty)
    {
        return Err(ErrorCode::InvalidPoll);
    }
    room.polls_opened += 1;
    let id = room.polls_opened;
    let me = who.actor();
    room.poll = Some(Poll {
        id,
        question: question.to_string(),
        options: options.clone(),
        votes: Default::default(),
        opened_by: me.clone(),
    });
    emit(
        room,
        now,
        out,
        Event::PollOpened {
            by: me,
            poll: id,
            question: question.to_string(),
            options,
        },
    );
    Ok(())
}

/// `vote`: one counted vote per delegation; a later one replaces it.
pub(super) fn vote(
    room: &mut Room,
    who: &Participant,
    option: u32,
    now: Millis,
    out: &mut Out,
) -> Result<(), ErrorCode> {
    if who.delegation.trim().is_empty() {
        return Err(ErrorCode::NoDelegation);
    }
    let poll = room.poll.as_mut().ok_or(ErrorCode::NoOpenPoll)?;
    if option as usize >= poll.options.len() {
        return Err(ErrorCode::InvalidOption);
    }
    let replaced = poll.votes.insert(who.delegation.clone(), option).is_some();
    let id = poll.id;
    emit(
        room,
        now,
        out,
        Event::VoteCast {
            by: who.actor(),
            poll: id,
            option,
            replaced,
        },
    );
    Ok(())
}

pub(super) fn close(
    room: &mut Room,
    who: &Participant,
    now: Millis,
    out: &mut Out,
) -> Result<(), ErrorCode> {
    let poll = room.poll.take().ok_or(ErrorCode::NoOpenPoll)?;
    let counts = poll.counts();
    emit(
        room,
        now,
        out,
        Event::PollClosed {
            by: who.actor(),
            poll: poll.id,
            question: poll.question,
            options: poll.options,
            counts,
            votes: poll.votes,
        },
    );
    Ok(())
}
