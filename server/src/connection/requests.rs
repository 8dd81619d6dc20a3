//! Requests after the `hello`, one method each: the ones the connection
//! answers with the registry's help (`rooms`, `room_create`), the reads it
//! asks a room for (`join`, `members`, `history`, `fairness`), and the rest,
//! which go to the room's actor as they are. Nothing here decides a rule:
//! a new room's settings are checked by `room::rules::new_room`, and
//! everything else by the room.

use super::{ask, error_frame, ok_frame, Connection};
use crate::fairness::Window;
use crate::registry::CreateError;
use crate::room::actor::{Cmd, MembersQuery};
use crate::room::rules::{new_room, NewRoom};
use crate::room::RoomHandle;
use dais_protocol::{ErrorCode, Participant, Request, RequestId, RoomId, Seq, ServerFrame};
use tokio::sync::oneshot;

impl Connection {
    /// `join`: the actor sends the replay, the `room_state` and the `ok`
    /// itself, in order; only a refusal is ours to send.
    pub(super) async fn join(
        &mut self,
        id: Option<RequestId>,
        who: Participant,
        room: RoomId,
        since: Option<Seq>,
    ) {
        let Some(handle) = self.shared.registry.room(&room) else {
            let code = if self.shared.registry.is_closed(&room) {
                ErrorCode::RoomClosed
            } else {
                ErrorCode::UnknownRoom
            };
            self.refuse(id, code);
            return;
        };
        let (tx, rx) = oneshot::channel();
        let cmd = Cmd::Join {
            who,
            address: self.ip,
            outbox: self.outbox.clone(),
            since,
            id: id.clone(),
            reply: tx,
        };
        match ask(&handle, cmd, rx).await {
            Ok(()) => {
                self.joined.insert(room);
            }
            Err(code) => self.refuse(id, code),
        }
    }

    /// `rooms`: the room list in `lang` (which becomes this connection's
    /// language for titles from now on).
    pub(super) fn rooms(&mut self, id: Option<RequestId>, lang: Option<String>) {
        let lang = lang.unwrap_or_else(|| self.lang.clone());
        self.lang = lang.clone();
        self.shared.registry.relist(&self.outbox, &lang, |rooms| {
            ServerFrame::Rooms { id, rooms }.to_json()
        });
    }

    /// The handle of a room this connection has joined, or the code that
    /// says why there is none.
    fn joined_room(&self, room: &str) -> Result<RoomHandle, ErrorCode> {
        if !self.joined.contains(room) {
            return Err(self.not_joined_code(room));
        }
        self.shared.registry.room(room).ok_or(ErrorCode::RoomClosed)
    }

    /// `members`: one page of a joined room's members.
    pub(super) async fn members(
        &mut self,
        id: Option<RequestId>,
        who: Participant,
        room: RoomId,
        query: MembersQuery,
    ) {
        let handle = match self.joined_room(&room) {
            Ok(handle) => handle,
            Err(code) => return self.refuse(id, code),
        };
        let (tx, rx) = oneshot::channel();
        let cmd = Cmd::Members {
            who: who.id,
            query,
            reply: tx,
        };
        match ask(&handle, cmd, rx).await {
            Ok((members, next, total)) => {
                let page = ServerFrame::Members {
                    id,
                    room,
                    members,
                    next,
                    total,
                };
                self.outbox.send_text(page.to_json());
            }
            Err(code) => self.refuse(id, code),
        }
    }

    /// `history`: up to `limit` (default 50, at most 500) events of a
    /// joined room's record before `before`.
    pub(super) async fn history(
        &mut self,
        id: Option<RequestId>,
        who: Participant,
        room: RoomId,
        before: Option<Seq>,
        limit: Option<u32>,
    ) {
        let handle = match self.joined_room(&room) {
            Ok(handle) => handle,
            Err(code) => return self.refuse(id, code),
        };
        let limit = limit.unwrap_or(50).clamp(1, 500) as usize;
        let (tx, rx) = oneshot::channel();
        let cmd = Cmd::History {
            who: who.id,
            before,
            limit,
            reply: tx,
        };
        match ask(&handle, cmd, rx).await {
            Ok((events, more)) => {
                let page = ServerFrame::History {
                    id,
                    room,
                    events,
                    more,
                };
                self.outbox.send_text(page.to_json());
            }
            Err(code) => self.refuse(id, code),
        }
    }

    /// `fairness`: the figures of a joined room over `window`.
    pub(super) fn fairness(
        &mut self,
        id: Option<RequestId>,
        who: Participant,
        room: RoomId,
        window: Window,
    ) {
        let handle = match self.joined_room(&room) {
            Ok(handle) => handle,
            Err(code) => return self.refuse(id, code),
        };
        if let (Some(from), Some(to)) = (window.from, window.to) {
            if to <= from {
                return self.refuse(id, ErrorCode::InvalidField);
            }
        }
        let (tx, rx) = oneshot::channel();
        let cmd = Cmd::Fairness {
            who: Some(who.id),
            window,
            reply: tx,
        };
        // Reading a long record takes a while: answer from a task of its
        // own, so that this connection keeps reading.
        let outbox = self.outbox.clone();
        tokio::spawn(async move {
            let text = match ask(&handle, cmd, rx).await {
                Ok(figures) => ServerFrame::Fairness {
                    id,
                    figures: Box::new(figures),
                }
                .to_json(),
                Err(code) => error_frame(id, code, None),
            };
            outbox.send_text(text);
        });
    }

    /// `room_create` (a chair's, as `screen` made sure): the rules check
    /// the settings, the registry (or the cluster) makes the room, and the
    /// room records its `room_created`.
    pub(super) async fn room_create(
        &mut self,
        id: Option<RequestId>,
        who: Participant,
        room: RoomId,
        asked: NewRoom,
    ) {
        let settings = match new_room(&room, asked) {
            Ok(settings) => settings,
            Err(code) => return self.refuse(id, code),
        };
        let created = match self.shared.cluster.get() {
            Some(node) => node.create_room(&room, settings).await,
            None => self.shared.registry.create_room(
                &room,
                settings,
                &self.shared.store,
                self.shared.config.limits.max_rooms,
                &crate::room::start::Setup::from_limits(&self.shared.config.limits),
            ),
        };
        let handle = match created {
            Ok(handle) => handle,
            Err(CreateError::Exists) => return self.refuse(id, ErrorCode::RoomExists),
            Err(CreateError::TooMany) => return self.refuse(id, ErrorCode::TooManyRooms),
            Err(CreateError::Failed) => return self.refuse(id, ErrorCode::StoreFailed),
        };
        let (tx, rx) = oneshot::channel();
        let cmd = Cmd::Created {
            by: who.actor(),
            reply: tx,
        };
        match ask(&handle, cmd, rx).await {
            Ok(seq) => {
                self.outbox.send_text(ok_frame(id, Some(room), seq, false));
            }
            Err(code) => self.refuse(id, code),
        }
    }

    /// Every other request: to the actor of the joined room it names, and
    /// its `ok` once the events are on disk.
    pub(super) async fn forward(
        &mut self,
        id: Option<RequestId>,
        who: Participant,
        nonce: Option<String>,
        request: Request,
    ) {
        let Some(room) = request.room().map(str::to_string) else {
            return self.refuse(id, ErrorCode::Internal);
        };
        if !self.joined.contains(&room) {
            return self.refuse(id, self.not_joined_code(&room));
        }
        let Some(handle) = self.shared.registry.room(&room) else {
            // Closed since the join: forget it, so a rejoin is asked for.
            self.joined.remove(&room);
            return self.refuse(id, ErrorCode::RoomClosed);
        };
        let leaving = matches!(request, Request::Leave { .. });
        let (tx, rx) = oneshot::channel();
        let cmd = Cmd::Request {
            who,
            nonce,
            request,
            reply: tx,
        };
        match ask(&handle, cmd, rx).await {
            Ok(accepted) => {
                if leaving {
                    self.joined.remove(&room);
                }
                self.acknowledge(id, room, accepted);
            }
            Err(code) => self.refuse(id, code),
        }
    }
}
