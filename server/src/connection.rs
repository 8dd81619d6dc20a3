//! One websocket connection: the handshake, then requests in, frames out.
//!
//! Two tasks per connection. The reader (this module's `run`) reads frames
//! (`ws::FrameReader`), counts every one against the rate limit, checks the
//! field limits, and routes each request to its room. The writer
//! (`ws::write_loop`) drains the connection's outbox into the socket with
//! vectored writes of frames shared with every other recipient. Identity
//! comes from the `hello` and is attached to every request here: nothing a
//! client writes in a request can claim to be someone else.

use crate::auth;
use crate::clock::now_ms;
use crate::limits::{validate, RateLimiter, Verdict};
use crate::registry::CreateError;
use crate::room::actor::{Accepted, Cmd, MembersQuery};
use crate::room::state::Settings;
use crate::shared::Shared;
use crate::ws::frame::{ping_frame, pong_frame};
use crate::ws::{
    write_loop, CloseReason, FrameReader, Incoming, Inflate, Item, Outbox, Pending, ReadError,
    ReadHalf, ReaderLimits,
};
use dais_protocol::{
    decode_request, ErrorCode, Participant, Request, RequestId, RoomId, ServerFrame, Stakeholder,
    PROTOCOL_VERSION, SUPPORTED_PROTOCOLS,
};
use serde_json::json;
use std::collections::BTreeSet;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::oneshot;
use tokio::time::Instant;

/// Longest wait for the close frame to go out.
const CLOSE_GRACE: Duration = Duration::from_secs(2);
/// Most frames read while waiting for the peer's close.
const CLOSE_DRAIN_FRAMES: usize = 64;

fn error_frame(
    id: Option<RequestId>,
    code: ErrorCode,
    details: Option<serde_json::Value>,
) -> String {
    ServerFrame::Error { id, code, details }.to_json()
}

fn ok_frame(
    id: Option<RequestId>,
    room: Option<RoomId>,
    seq: Option<u64>,
    duplicate: bool,
) -> String {
    ServerFrame::Ok {
        id,
        room,
        seq,
        duplicate,
        you: None,
    }
    .to_json()
}

/// Serve one websocket from `ip`, once hyper hands over the upgraded
/// socket, until it ends.
pub async fn run(pending: Pending, shared: Arc<Shared>, ip: IpAddr) {
    let (io, already_read, deflate) = match pending.io().await {
        Ok(parts) => parts,
        Err(e) => {
            tracing::debug!(peer = %ip, error = %e, "the websocket upgrade did not complete");
            return;
        }
    };
    let (mut read_half, write_half) = io.split();
    let limits = &shared.config.limits;
    let conn_id = shared.registry.next_conn_id();
    crate::metrics::add(&crate::metrics::CONNECTIONS_OPENED, 1);
    let outbox = Outbox::new(conn_id, limits.outbox_frames, limits.outbox_bytes);
    let writer = tokio::spawn(write_loop(outbox.clone(), write_half, deflate.is_some()));
    if shared.is_shutting_down() {
        outbox.closer.close(CloseReason::ServerShutdown);
        let _ = writer.await;
        return;
    }
    let reader = FrameReader::new(
        ReaderLimits {
            max_message_bytes: limits.max_frame_bytes,
            max_fragments: limits.max_fragments,
        },
        deflate.map(Inflate::new),
        already_read,
    );
    shared.registry.add_conn(&outbox);
    let mut conn = Connection {
        shared: shared.clone(),
        outbox: outbox.clone(),
        ip,
        lang: "en".to_string(),
        who: None,
        joined: BTreeSet::new(),
        limiter: RateLimiter::new(&shared.config.limits, std::time::Instant::now()),
        reader,
    };
    conn.read_loop(&mut read_half).await;
    // Tell the rooms this connection is gone, so presence is right.
    if let Some(who) = &conn.who {
        for room in &conn.joined {
            if let Some(handle) = shared.registry.room(room) {
                handle.notify(Cmd::Detach {
                    who: who.id.clone(),
                    conn: conn_id,
                    node: None,
                });
            }
        }
    }
    shared.registry.remove_conn(conn_id);
    let server_closed = outbox.closer.is_closed();
    let flooded = outbox.closer.reason() == Some(CloseReason::Flood);
    outbox.closer.close(CloseReason::Normal);
    if server_closed && !flooded {
        // Complete the closing handshake: read (and drop) what the peer still
        // sends until it answers our close. Dropping the socket with unread
        // data would reset it, and the peer might never see the reason.
        // A few frames only: a peer that keeps writing is not answering,
        // and reading its flood would only spend the core everyone shares.
        // (A flooder gets no such courtesy: its socket is dropped.)
        let mut reader = conn.reader;
        let _ = tokio::time::timeout(CLOSE_GRACE, async {
            for _ in 0..CLOSE_DRAIN_FRAMES {
                match reader.next(&mut read_half).await {
                    Ok(Incoming::Close(_)) | Err(_) => break,
                    Ok(_) => {}
                }
            }
        })
        .await;
    }
    let _ = writer.await;
}

struct Connection {
    shared: Arc<Shared>,
    outbox: Outbox,
    /// The peer's address: for the per-address limits, and a guest's mutes.
    ip: IpAddr,
    /// The reader's language, for room titles.
    lang: String,
    /// Set by a good `hello`; from then on every request is this participant's.
    who: Option<Participant>,
    joined: BTreeSet<RoomId>,
    limiter: RateLimiter,
    /// Frames in: assembled into messages, each frame reported so that
    /// every one (pings, pongs and fragments too) meets the rate limit.
    reader: FrameReader,
}

impl Connection {
    async fn read_loop(&mut self, read_half: &mut ReadHalf) {
        let limits = self.shared.config.limits.clone();
        let hello_deadline = Instant::now() + Duration::from_secs(limits.hello_timeout_secs);
        let ping_every = Duration::from_secs(limits.ping_interval_secs.max(1));
        let idle_limit = Duration::from_secs(limits.idle_timeout_secs.max(1));
        let mut ping = tokio::time::interval_at(Instant::now() + ping_every, ping_every);
        let mut last_seen = Instant::now();
        let closer = self.outbox.closer.clone();
        loop {
            let authenticated = self.who.is_some();
            tokio::select! {
                _ = closer.closed() => return,
                _ = tokio::time::sleep_until(hello_deadline), if !authenticated => {
                    closer.close(CloseReason::HelloTimeout);
                    return;
                }
                _ = ping.tick() => {
                    let silent = last_seen.elapsed();
                    if silent >= idle_limit {
                        closer.close(CloseReason::PingTimeout);
                        return;
                    }
                    // Ping whenever the peer has been quiet for half an
                    // interval: a live peer's pong then always lands well
                    // before the idle limit, whatever the timer's jitter.
                    if silent >= ping_every / 2 {
                        self.outbox.send(Item::Own(ping_frame()));
                    }
                }
                // Cancel-safe: a frame half read stays in the reader.
                frame = self.reader.next(read_half) => {
                    last_seen = Instant::now();
                    let frame = match frame {
                        Ok(frame) => frame,
                        Err(ReadError::Eof) | Err(ReadError::Io(_)) => return,
                        Err(e) => {
                            closer.close(e.close_reason());
                            return;
                        }
                    };
                    if matches!(frame, Incoming::Close(_)) {
                        return;
                    }
                    // Every frame counts, whatever it is: a flood of pings
                    // or of empty fragments is a flood.
                    let text = match &frame {
                        Incoming::Text(t) => Some(t.as_str()),
                        _ => None,
                    };
                    match self.admit(text) {
                        Verdict::Allow => {}
                        Verdict::Refuse => continue,
                        Verdict::Flood => return,
                    }
                    match frame {
                        Incoming::Text(text) => self.on_text(&text).await,
                        Incoming::Binary => {
                            self.outbox.send_text(error_frame(None, ErrorCode::BinaryNotSupported, None));
                        }
                        Incoming::Ping(payload) => {
                            self.outbox.send(Item::Own(pong_frame(&payload)));
                        }
                        Incoming::Pong | Incoming::Fragment | Incoming::Close(_) => {}
                    }
                }
            }
        }
    }

    /// The rate limit: answer `rate_limited` to a refused frame (echoing its
    /// id when it has one, so the client knows which request was dropped),
    /// close a flood.
    fn admit(&mut self, text: Option<&str>) -> Verdict {
        let verdict = self.limiter.check(std::time::Instant::now());
        match verdict {
            Verdict::Allow => {}
            Verdict::Refuse => {
                let id = text.and_then(|t| match decode_request(t) {
                    Ok(envelope) => envelope.id,
                    Err(e) => e.id,
                });
                crate::metrics::add(&crate::metrics::RATE_LIMITED, 1);
                self.outbox
                    .send_text(error_frame(id, ErrorCode::RateLimited, None));
            }
            Verdict::Flood => {
                tracing::warn!(conn = self.outbox.conn, "closing a flooding connection");
                crate::metrics::add(&crate::metrics::FLOOD_CLOSES, 1);
                self.outbox.closer.close(CloseReason::Flood);
            }
        }
        verdict
    }

    async fn on_text(&mut self, text: &str) {
        let envelope = match decode_request(text) {
            Ok(e) => e,
            Err(e) => {
                let code = if self.who.is_none() && e.code != ErrorCode::MalformedJson {
                    ErrorCode::Unauthenticated
                } else {
                    e.code
                };
                let details = if code == e.code { e.details } else { None };
                self.outbox.send_text(error_frame(e.id, code, details));
                return;
            }
        };
        let id = envelope.id.clone();
        let Some(who) = self.who.clone() else {
            match &envelope.request {
                Request::Hello { .. } => self.hello(envelope.request, id).await,
                _ => {
                    self.outbox
                        .send_text(error_frame(id, ErrorCode::Unauthenticated, None));
                }
            }
            return;
        };
        // Who you are comes before what you wrote: a second hello is
        // answered as such, and only a chair is told what is wrong with a
        // room it may not create anyway.
        let refused_first = match &envelope.request {
            Request::Hello { .. } => Some(ErrorCode::AlreadyAuthenticated),
            Request::RoomCreate { .. } if who.role != dais_protocol::Role::Moderator => {
                Some(ErrorCode::Forbidden)
            }
            _ => None,
        };
        if let Some(code) = refused_first {
            self.outbox.send_text(error_frame(id, code, None));
            return;
        }
        if let Err(code) = validate(&envelope.request, &self.shared.config.limits) {
            self.outbox.send_text(error_frame(id, code, None));
            return;
        }
        let reply = |code: ErrorCode| error_frame(id.clone(), code, None);
        match envelope.request {
            Request::Hello { .. } => {
                self.outbox
                    .send_text(reply(ErrorCode::AlreadyAuthenticated));
            }
            Request::Join { room, since } => {
                let Some(handle) = self.shared.registry.room(&room) else {
                    let code = if self.shared.registry.is_closed(&room) {
                        ErrorCode::RoomClosed
                    } else {
                        ErrorCode::UnknownRoom
                    };
                    self.outbox.send_text(reply(code));
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
                    // The actor sent the replay, the room_state and the ok itself, in order.
                    Ok(()) => {
                        self.joined.insert(room);
                    }
                    Err(code) => {
                        self.outbox.send_text(reply(code));
                    }
                }
            }
            Request::Rooms { lang } => {
                let lang = lang.unwrap_or_else(|| self.lang.clone());
                self.lang = lang.clone();
                self.shared.registry.relist(&self.outbox, &lang, |rooms| {
                    ServerFrame::Rooms { id, rooms }.to_json()
                });
            }
            Request::Members {
                room,
                after,
                limit,
                stakeholder,
                role,
                online,
                prefix,
            } => {
                if !self.joined.contains(&room) {
                    self.outbox.send_text(reply(self.not_joined_code(&room)));
                    return;
                }
                let Some(handle) = self.shared.registry.room(&room) else {
                    self.outbox.send_text(reply(ErrorCode::RoomClosed));
                    return;
                };
                let query = MembersQuery {
                    after,
                    limit,
                    stakeholder,
                    role,
                    online,
                    prefix,
                };
                let (tx, rx) = oneshot::channel();
                let cmd = Cmd::Members {
                    who: who.id.clone(),
                    query,
                    reply: tx,
                };
                match ask(&handle, cmd, rx).await {
                    Ok((members, next, total)) => {
                        self.outbox.send_text(
                            ServerFrame::Members {
                                id,
                                room,
                                members,
                                next,
                                total,
                            }
                            .to_json(),
                        );
                    }
                    Err(code) => {
                        self.outbox.send_text(reply(code));
                    }
                }
            }
            Request::History {
                room,
                before,
                limit,
            } => {
                if !self.joined.contains(&room) {
                    self.outbox.send_text(reply(self.not_joined_code(&room)));
                    return;
                }
                let Some(handle) = self.shared.registry.room(&room) else {
                    self.outbox.send_text(reply(ErrorCode::RoomClosed));
                    return;
                };
                let limit = limit.unwrap_or(50).clamp(1, 500) as usize;
                let (tx, rx) = oneshot::channel();
                match ask(
                    &handle,
                    Cmd::History {
                        who: who.id.clone(),
                        before,
                        limit,
                        reply: tx,
                    },
                    rx,
                )
                .await
                {
                    Ok((events, more)) => {
                        self.outbox.send_text(
                            ServerFrame::History {
                                id,
                                room,
                                events,
                                more,
                            }
                            .to_json(),
                        );
                    }
                    Err(code) => {
                        self.outbox.send_text(reply(code));
                    }
                }
            }
            Request::Fairness { room, from, to } => {
                if !self.joined.contains(&room) {
                    self.outbox.send_text(reply(self.not_joined_code(&room)));
                    return;
                }
                let Some(handle) = self.shared.registry.room(&room) else {
                    self.outbox.send_text(reply(ErrorCode::RoomClosed));
                    return;
                };
                if let (Some(from), Some(to)) = (from, to) {
                    if to <= from {
                        self.outbox.send_text(reply(ErrorCode::InvalidField));
                        return;
                    }
                }
                let (tx, rx) = oneshot::channel();
                let cmd = Cmd::Fairness {
                    who: Some(who.id.clone()),
                    window: crate::fairness::Window { from, to },
                    reply: tx,
                };
                // Reading a long record takes a while: answer from a task
                // of its own, so that this connection keeps reading.
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
            Request::RoomCreate {
                room,
                titles,
                description,
                mode,
                time_limit,
                policy,
                auto_advance,
                public,
            } => {
                if who.role != dais_protocol::Role::Moderator {
                    self.outbox.send_text(reply(ErrorCode::Forbidden));
                    return;
                }
                if !crate::registry::valid_room_id(&room) {
                    self.outbox.send_text(reply(ErrorCode::InvalidRoom));
                    return;
                }
                let time_limit = time_limit.unwrap_or(crate::config::DEFAULT_TIME_LIMIT);
                if time_limit == 0 || time_limit > crate::room::rules::MAX_TIME_LIMIT {
                    self.outbox.send_text(reply(ErrorCode::InvalidTimeLimit));
                    return;
                }
                let settings = Settings {
                    titles,
                    description,
                    mode: mode.unwrap_or(dais_protocol::Mode::SpeakersList),
                    time_limit,
                    policy: policy.unwrap_or_default(),
                    auto_advance: auto_advance.unwrap_or(false),
                    public: public.unwrap_or(false),
                };
                let created = match self.shared.cluster.get() {
                    Some(node) => node.create_room(&room, settings).await,
                    None => self.shared.registry.create_room(
                        &room,
                        settings,
                        &self.shared.store,
                        self.shared.config.limits.max_rooms,
                        &self.shared.config.limits.room_setup(),
                    ),
                };
                let handle = match created {
                    Ok(handle) => handle,
                    Err(CreateError::Exists) => {
                        self.outbox.send_text(reply(ErrorCode::RoomExists));
                        return;
                    }
                    Err(CreateError::TooMany) => {
                        self.outbox.send_text(reply(ErrorCode::TooManyRooms));
                        return;
                    }
                    Err(CreateError::Failed) => {
                        self.outbox.send_text(reply(ErrorCode::StoreFailed));
                        return;
                    }
                };
                let (tx, rx) = oneshot::channel();
                match ask(
                    &handle,
                    Cmd::Created {
                        by: who.actor(),
                        reply: tx,
                    },
                    rx,
                )
                .await
                {
                    Ok(seq) => {
                        self.outbox.send_text(ok_frame(id, Some(room), seq, false));
                    }
                    Err(code) => {
                        self.outbox.send_text(reply(code));
                    }
                }
            }
            request => {
                let Some(room) = request.room().map(str::to_string) else {
                    self.outbox.send_text(reply(ErrorCode::Internal));
                    return;
                };
                if !self.joined.contains(&room) {
                    self.outbox.send_text(reply(self.not_joined_code(&room)));
                    return;
                }
                let Some(handle) = self.shared.registry.room(&room) else {
                    self.joined.remove(&room);
                    self.outbox.send_text(reply(ErrorCode::RoomClosed));
                    return;
                };
                let leaving = matches!(request, Request::Leave { .. });
                let (tx, rx) = oneshot::channel();
                let cmd = Cmd::Request {
                    who,
                    nonce: envelope.nonce,
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
                    Err(code) => {
                        self.outbox.send_text(reply(code));
                    }
                }
            }
        }
    }

    fn not_joined_code(&self, room: &str) -> ErrorCode {
        if self.shared.registry.room(room).is_some() {
            ErrorCode::NotJoined
        } else if self.shared.registry.is_closed(room) {
            ErrorCode::RoomClosed
        } else {
            ErrorCode::UnknownRoom
        }
    }

    /// Send `ok` once the events are on disk. Waiting happens in its own task
    /// so this connection keeps reading while the store commits; commits
    /// finish in order, so the oks do too.
    fn acknowledge(&self, id: Option<RequestId>, room: RoomId, accepted: Accepted) {
        let outbox = self.outbox.clone();
        let Accepted {
            seq,
            duplicate,
            durable,
            flushed,
        } = accepted;
        match durable {
            None => {
                outbox.send_text(ok_frame(id, Some(room), seq, duplicate));
            }
            Some(durable) => {
                tokio::spawn(async move {
                    // The event first (it may still be on its way to the
                    // room's connections), then the `ok`.
                    if let Some(flushed) = flushed {
                        let _ = flushed.await;
                    }
                    let text = match durable.await {
                        Ok(Ok(())) => ok_frame(id, Some(room), seq, duplicate),
                        _ => error_frame(id, ErrorCode::StoreFailed, None),
                    };
                    outbox.send_text(text);
                });
            }
        }
    }

    async fn hello(&mut self, request: Request, id: Option<RequestId>) {
        let Request::Hello {
            protocol,
            token,
            guest,
            lang,
        } = request
        else {
            return;
        };
        let refuse = |code: ErrorCode| error_frame(id.clone(), code, None);
        if !SUPPORTED_PROTOCOLS.contains(&protocol) {
            self.outbox.send_text(error_frame(
                id,
                ErrorCode::UnsupportedProtocol,
                Some(json!({ "supported": SUPPORTED_PROTOCOLS })),
            ));
            return;
        }
        if let Some(l) = &lang {
            if !crate::limits::valid_lang(l) {
                self.outbox.send_text(refuse(ErrorCode::InvalidLanguage));
                return;
            }
        }
        let now = std::time::Instant::now();
        let server = &self.shared.config.server;
        let mut guest_token = None;
        let participant = match (token, guest) {
            (Some(token), _) => {
                // An address that failed too often lately is slowed, not shut
                // out: a good token still gets in (a venue's delegates share
                // one address with whoever is guessing), a bad one is
                // answered only after a pause, so guessing from there runs
                // at a few tries a second per connection instead of
                // thousands.
                let throttled = !self.shared.gate.login_allowed(self.ip, now);
                let found = if token.starts_with(crate::guest::CREDENTIAL_PREFIX) {
                    if !server.allow_guests {
                        self.outbox.send_text(refuse(ErrorCode::GuestsNotAllowed));
                        return;
                    }
                    self.shared
                        .guest_key
                        .verify(&token, now_ms())
                        .map(|(id, name)| {
                            // Renewed at every return, so that a guest who
                            // keeps coming back keeps their identity.
                            guest_token = Some(self.shared.guest_key.issue(&id, &name, now_ms()));
                            self.guest(id, name)
                        })
                } else {
                    self.check_token(token).await
                };
                match found {
                    Some(p) => p,
                    None => {
                        // Logged without the token, at info: someone is
                        // guessing, or a revoked delegate is still trying.
                        tracing::info!(peer = %self.ip, throttled, "hello with an unknown, revoked or expired token");
                        crate::metrics::add(&crate::metrics::FAILED_LOGINS, 1);
                        self.shared.gate.login_failed(self.ip, now);
                        if throttled {
                            crate::metrics::add(&crate::metrics::LOGINS_THROTTLED, 1);
                            tokio::time::sleep(crate::gate::THROTTLED_ANSWER).await;
                            self.outbox.send_text(refuse(ErrorCode::LoginThrottled));
                        } else {
                            self.outbox.send_text(refuse(ErrorCode::InvalidToken));
                        }
                        return;
                    }
                }
            }
            (None, Some(name)) => {
                if !server.allow_guests {
                    self.outbox.send_text(refuse(ErrorCode::GuestsNotAllowed));
                    return;
                }
                let name = match crate::guest::check_name(&name, &self.shared.moderators()) {
                    Ok(name) => name,
                    Err(code) => {
                        self.outbox.send_text(refuse(code));
                        return;
                    }
                };
                if !self.shared.gate.new_guest(self.ip, now) {
                    crate::metrics::add(&crate::metrics::LOGINS_THROTTLED, 1);
                    self.outbox.send_text(refuse(ErrorCode::LoginThrottled));
                    return;
                }
                let Ok(pid) = auth::new_participant_id() else {
                    self.outbox.send_text(refuse(ErrorCode::Internal));
                    return;
                };
                let gid = pid.replacen("p-", "g-", 1);
                guest_token = Some(self.shared.guest_key.issue(&gid, &name, now_ms()));
                crate::metrics::add(&crate::metrics::GUESTS_ADMITTED, 1);
                self.guest(gid, name)
            }
            (None, None) => {
                self.outbox.send_text(error_frame(
                    id,
                    ErrorCode::MissingField,
                    Some(json!({"field": "token"})),
                ));
                return;
            }
        };
        tracing::debug!(participant = %participant.id, role = %participant.role, "authenticated");
        self.limiter.share(self.shared.buckets.for_participant(
            &participant.id,
            &self.shared.config.limits,
            now,
        ));
        self.lang = lang
            .or_else(|| participant.languages.first().cloned())
            .unwrap_or_else(|| "en".to_string());
        let ping_interval = self.shared.config.limits.ping_interval_secs as u32;
        let me = participant.clone();
        self.shared.registry.authenticate(
            &self.outbox,
            &participant.id,
            &self.lang,
            move |rooms| {
                ServerFrame::Welcome {
                    protocol: PROTOCOL_VERSION,
                    participant: me,
                    rooms,
                    server_time: now_ms(),
                    ping_interval,
                    guest_token,
                }
                .to_json()
            },
        );
        self.who = Some(participant);
    }

    /// A guest as the rooms see them.
    fn guest(&self, id: String, name: String) -> Participant {
        Participant {
            id,
            name,
            delegation: String::new(),
            stakeholder: Stakeholder::CivilSociety,
            role: self.shared.config.server.guest_role,
            languages: Vec::new(),
            guest: true,
        }
    }

    /// The participant a token belongs to, if it is valid and not revoked.
    /// A wrong token and a revoked one take the same path (one indexed
    /// lookup of the hash) and get the same answer.
    async fn check_token(&self, token: String) -> Option<Participant> {
        if token.len() > 256 {
            return None;
        }
        let hash = auth::hash_token(&token);
        let row = self
            .shared
            .store
            .participant_by_token(hash)
            .await
            .ok()
            .flatten()?;
        if row.revoked_at.is_some() {
            return None;
        }
        Some(row.participant)
    }
}

/// Ask a room something and wait for its answer.
async fn ask<T>(
    handle: &crate::room::RoomHandle,
    cmd: Cmd,
    rx: oneshot::Receiver<Result<T, ErrorCode>>,
) -> Result<T, ErrorCode>
where
    T: Send,
{
    handle.send(cmd).await?;
    rx.await.map_err(|_| ErrorCode::RoomClosed)?
}
