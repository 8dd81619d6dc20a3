//! One websocket connection: the handshake, then requests in, frames out.
//!
//! Two tasks per connection. The reader (this module's `run`) reads frames
//! (`ws::FrameReader`), counts every one against the rate limit, checks the
//! field limits, and routes each request to its room. The writer
//! (`ws::write_loop`) drains the connection's outbox into the socket with
//! vectored writes of frames shared with every other recipient. Identity
//! comes from the `hello` and is attached to every request here: nothing a
//! client writes in a request can claim to be someone else.
//!
//! The transport carries; it does not judge. This file reads frames and
//! admits each request (rate limit, field limits, who may send it), and
//! `hello.rs` turns a `hello` into a participant; `requests.rs` hands each
//! request on, to the registry or a room, and what is allowed in a room is
//! the room's rules' to say (`room::rules`). On the server's shutdown
//! signal the connection closes with 1012.

mod hello;
mod requests;

use crate::limits::{validate, RateLimiter, Verdict};
use crate::room::actor::{Accepted, Cmd, MembersQuery};
use crate::room::rules::NewRoom;
use crate::shared::Shared;
use crate::ws::frame::{ping_frame, pong_frame};
use crate::ws::{
    write_loop, CloseReason, FrameReader, Incoming, Inflate, Item, Outbox, Pending, ReadError,
    ReadHalf, ReaderLimits,
};
use dais_protocol::{
    decode_request, Envelope, ErrorCode, Participant, Request, RequestId, Role, RoomId, ServerFrame,
};
use std::collections::BTreeSet;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::oneshot;
use tokio::time::Instant;

/// Longest wait for the close frame to go out.
const CLOSE_GRACE: Duration = Duration::from_secs(2);
/// Most bytes of a flooder's read and dropped, unparsed, after its close.
const FLOOD_DRAIN_BYTES: usize = 256 * 1024;
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
    // A connection upgraded after the signal closes at once, unread.
    if shared.shutdown.is_begun() {
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
    if flooded {
        // Not read as frames (that stalled the core under a ping flood),
        // but not left unread either: a socket dropped with unread bytes
        // is reset, and the flooder might never see its 1008 `flood`.
        let _ = tokio::time::timeout(CLOSE_GRACE, read_half.discard(FLOOD_DRAIN_BYTES)).await;
    } else if server_closed {
        // Complete the closing handshake: read (and drop) what the peer still
        // sends until it answers our close. Dropping the socket with unread
        // data would reset it, and the peer might never see the reason.
        // A few frames only: a peer that keeps writing is not answering,
        // and reading its flood would only spend the core everyone shares.
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
        // A signal of this connection's own (polled at every frame), and
        // its wait made once, not at every frame.
        let signal = self.shared.shutdown.signal();
        let stopped = signal.given();
        tokio::pin!(stopped);
        loop {
            let authenticated = self.who.is_some();
            tokio::select! {
                _ = closer.closed() => return,
                _ = &mut stopped => {
                    closer.close(CloseReason::ServerShutdown);
                    return;
                }
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

    /// One text message: decode it, admit it (a `hello` first, then who
    /// you are before what you wrote, then the field limits), and route it.
    async fn on_text(&mut self, text: &str) {
        let envelope = match decode_request(text) {
            Ok(e) => e,
            Err(e) => {
                // Before a `hello`, anything but broken JSON is only
                // `unauthenticated`: a stranger learns nothing of the
                // requests' shapes.
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
        let Some(who) = self.who.clone() else {
            match &envelope.request {
                Request::Hello { .. } => self.hello(envelope.request, envelope.id).await,
                _ => self.refuse(envelope.id, ErrorCode::Unauthenticated),
            }
            return;
        };
        if let Err(code) = self.screen(&who, &envelope.request) {
            self.refuse(envelope.id, code);
            return;
        }
        self.route(who, envelope).await;
    }

    /// What is refused before any room is asked. Who you are comes before
    /// what you wrote: a second hello is answered as such, and only a chair
    /// is told what is wrong with a room it may not create anyway.
    fn screen(&self, who: &Participant, request: &Request) -> Result<(), ErrorCode> {
        match request {
            Request::Hello { .. } => return Err(ErrorCode::AlreadyAuthenticated),
            Request::RoomCreate { .. } if who.role != Role::Moderator => {
                return Err(ErrorCode::Forbidden)
            }
            _ => {}
        }
        validate(request, &self.shared.config.limits)
    }

    /// Hand an admitted request to what answers it: the registry (the room
    /// list, a new room), or a room's actor.
    async fn route(&mut self, who: Participant, envelope: Envelope) {
        let Envelope { id, nonce, request } = envelope;
        match request {
            // Screened out above; kept so that the match stays whole.
            Request::Hello { .. } => self.refuse(id, ErrorCode::AlreadyAuthenticated),
            Request::Join { room, since } => self.join(id, who, room, since).await,
            Request::Rooms { lang } => self.rooms(id, lang),
            Request::Members {
                room,
                after,
                limit,
                stakeholder,
                role,
                online,
                prefix,
            } => {
                let query = MembersQuery {
                    after,
                    limit,
                    stakeholder,
                    role,
                    online,
                    prefix,
                };
                self.members(id, who, room, query).await;
            }
            Request::History {
                room,
                before,
                limit,
            } => self.history(id, who, room, before, limit).await,
            Request::Fairness { room, from, to } => {
                self.fairness(id, who, room, crate::fairness::Window { from, to })
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
                let asked = NewRoom {
                    titles,
                    description,
                    mode,
                    time_limit,
                    policy,
                    auto_advance,
                    public,
                };
                self.room_create(id, who, room, asked).await;
            }
            request => self.forward(id, who, nonce, request).await,
        }
    }

    /// Answer request `id` with the error `code`.
    fn refuse(&self, id: Option<RequestId>, code: ErrorCode) {
        self.outbox.send_text(error_frame(id, code, None));
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
