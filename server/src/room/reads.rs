//! What a room's members read from the record off the room's actor: older
//! pages of its history, and the fairness figures over its whole log.
//! Neither needs the room's state once the actor has checked who asks, so
//! the actor hands them to a task of their own and goes on.

use crate::record::Record;
use dais_protocol::{Actor, ErrorCode, EventFrame, RoomId, Seq};

/// Up to `limit` events before `before`, oldest first, and whether older
/// ones exist.
pub async fn history(
    record: Record,
    room: RoomId,
    before: Seq,
    limit: usize,
) -> Result<(Vec<EventFrame>, bool), ErrorCode> {
    match record.events_before(&room, before, limit).await {
        Ok((bodies, more)) => {
            let events = bodies
                .iter()
                .filter_map(|b| serde_json::from_str(b).ok())
                .collect();
            Ok((events, more))
        }
        Err(e) => {
            tracing::error!(room = %room, error = %e, "history read failed");
            Err(ErrorCode::StoreFailed)
        }
    }
}

/// The fairness figures over `window` of the record, once what the room
/// published is on disk; `members` (today's) count as present.
pub async fn fairness(
    record: Record,
    room: RoomId,
    members: Vec<Actor>,
    window: crate::fairness::Window,
) -> Result<dais_protocol::Fairness, ErrorCode> {
    record.flush().await;
    match record.all_events(&room).await {
        Ok(events) => Ok(crate::fairness::compute(
            &room,
            &events,
            &members,
            window,
            crate::clock::now_ms(),
        )),
        Err(e) => {
            tracing::error!(room = %room, error = %e, "fairness read failed");
            Err(ErrorCode::StoreFailed)
        }
    }
}
