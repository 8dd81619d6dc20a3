//! Why and how a connection closes: the reason the server gives (its close
//! code and the word clients match on), and the `Closer` that the reader,
//! the writer, the rooms and the outbox share to ask for it.

use std::sync::{Arc, OnceLock};
use tokio_util::sync::CancellationToken;

/// Why the server closed a connection: sent as the close frame's reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CloseReason {
    /// No good `hello` in time: a connection that never authenticates
    /// only holds a socket.
    HelloTimeout,
    /// Far past the rate limit, on purpose or by a broken client.
    Flood,
    /// Its outbox filled up: the client reads slower than the room talks.
    SlowReader,
    /// The participant's token was revoked while connected.
    TokenRevoked,
    /// The server is going down; come back later (1012).
    ServerShutdown,
    /// Silent past the idle limit, pings unanswered.
    PingTimeout,
    /// A frame or message over the size limit.
    TooLarge,
    /// A message in more fragments than allowed.
    TooManyFragments,
    /// The peer broke the websocket protocol.
    ProtocolError,
    /// A text message (or close reason) that is not UTF-8.
    InvalidUtf8,
    /// The server failed (a replay it could not read); join again.
    Internal,
    /// The peer closed, or the connection simply ended.
    Normal,
}

impl CloseReason {
    /// The close frame's reason: a stable snake_case word clients match on.
    pub fn as_str(self) -> &'static str {
        match self {
            CloseReason::HelloTimeout => "hello_timeout",
            CloseReason::Flood => "flood",
            CloseReason::SlowReader => "slow_reader",
            CloseReason::TokenRevoked => "token_revoked",
            CloseReason::ServerShutdown => "server_shutdown",
            CloseReason::PingTimeout => "ping_timeout",
            CloseReason::TooLarge => "frame_too_large",
            CloseReason::TooManyFragments => "too_many_fragments",
            CloseReason::ProtocolError => "protocol_error",
            CloseReason::InvalidUtf8 => "invalid_utf8",
            CloseReason::Internal => "internal_error",
            CloseReason::Normal => "",
        }
    }

    /// The websocket close code: 1012 (service restart) tells a client to
    /// come back later; 1007 says which data was bad, 1009 that it was too
    /// big; 1008 (policy violation) for the rest of our own rules.
    pub fn code(self) -> u16 {
        match self {
            CloseReason::ServerShutdown => 1012,
            CloseReason::PingTimeout => 1001,
            CloseReason::TooLarge => 1009,
            CloseReason::ProtocolError => 1002,
            CloseReason::InvalidUtf8 => 1007,
            CloseReason::Internal => 1011,
            CloseReason::Normal => 1000,
            _ => 1008,
        }
    }
}

/// Asks a connection to close itself, with a reason. The first reason wins.
#[derive(Debug, Clone, Default)]
pub struct Closer {
    /// Wakes the reader and the writer, wherever they wait.
    token: CancellationToken,
    reason: Arc<OnceLock<CloseReason>>,
}

impl Closer {
    /// Close with `reason`, unless a reason was given already.
    pub fn close(&self, reason: CloseReason) {
        let _ = self.reason.set(reason);
        self.token.cancel();
    }

    /// The reason the connection is closing, once it is.
    pub fn reason(&self) -> Option<CloseReason> {
        self.reason.get().copied()
    }

    /// Resolves once the connection is closing.
    pub async fn closed(&self) {
        self.token.cancelled().await
    }

    /// Whether the connection is closing, for code that cannot await.
    pub fn is_closed(&self) -> bool {
        self.token.is_cancelled()
    }
}
