//! A connection's outgoing queue, as seen by whoever sends to it.
//!
//! Each connection has one bounded queue drained by its own writer task.
//! Senders never wait: a room actor that finds a queue full closes that
//! connection (`slow_reader`) rather than let one slow reader stall the
//! room. The reader can come back with `join` and `since` and miss nothing.

use axum::extract::ws::Utf8Bytes;
use std::sync::{Arc, OnceLock};
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

/// Identifies one websocket connection for the life of the process.
pub type ConnId = u64;

/// What a writer task sends. A batch (a join's replay, or an event with the
/// room_state that follows it) takes one slot, so a large replay cannot
/// overflow the queue, and shares its bytes with every recipient.
#[derive(Debug, Clone)]
pub enum Out {
    Text(Utf8Bytes),
    Batch(Arc<Vec<Utf8Bytes>>),
    /// A websocket ping, to notice a peer that went away without a word.
    Ping,
}

/// Why the server closed a connection: sent as the close frame's reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CloseReason {
    HelloTimeout,
    Flood,
    SlowReader,
    TokenRevoked,
    ServerShutdown,
    TooManyConnections,
    PingTimeout,
    /// A frame or message over the size limit.
    TooLarge,
    /// The peer broke the websocket protocol.
    ProtocolError,
    /// The peer closed, or the connection simply ended.
    Normal,
}

impl CloseReason {
    pub fn as_str(self) -> &'static str {
        match self {
            CloseReason::HelloTimeout => "hello_timeout",
            CloseReason::Flood => "flood",
            CloseReason::SlowReader => "slow_reader",
            CloseReason::TokenRevoked => "token_revoked",
            CloseReason::ServerShutdown => "server_shutdown",
            CloseReason::TooManyConnections => "too_many_connections",
            CloseReason::PingTimeout => "ping_timeout",
            CloseReason::TooLarge => "frame_too_large",
            CloseReason::ProtocolError => "protocol_error",
            CloseReason::Normal => "",
        }
    }

    /// The websocket close code: 1012 (service restart) tells a client to
    /// come back later; 1008 (policy violation) for the rest.
    pub fn code(self) -> u16 {
        match self {
            CloseReason::ServerShutdown => 1012,
            CloseReason::PingTimeout => 1001,
            CloseReason::TooLarge => 1009,
            CloseReason::ProtocolError => 1002,
            CloseReason::Normal => 1000,
            _ => 1008,
        }
    }
}

/// Asks a connection to close itself, with a reason. The first reason wins.
#[derive(Debug, Clone, Default)]
pub struct Closer {
    token: CancellationToken,
    reason: Arc<OnceLock<CloseReason>>,
}

impl Closer {
    pub fn close(&self, reason: CloseReason) {
        let _ = self.reason.set(reason);
        self.token.cancel();
    }

    pub fn reason(&self) -> Option<CloseReason> {
        self.reason.get().copied()
    }

    pub async fn closed(&self) {
        self.token.cancelled().await
    }

    pub fn is_closed(&self) -> bool {
        self.token.is_cancelled()
    }
}

#[derive(Debug, Clone)]
pub struct Outbox {
    pub conn: ConnId,
    tx: mpsc::Sender<Out>,
    pub closer: Closer,
}

impl Outbox {
    pub fn new(conn: ConnId, capacity: usize) -> (Outbox, mpsc::Receiver<Out>) {
        let (tx, rx) = mpsc::channel(capacity.max(1));
        (
            Outbox {
                conn,
                tx,
                closer: Closer::default(),
            },
            rx,
        )
    }

    /// Queue a frame without waiting. Returns false when the connection is
    /// gone or was just closed for falling behind.
    pub fn send(&self, out: Out) -> bool {
        match self.tx.try_send(out) {
            Ok(()) => true,
            Err(mpsc::error::TrySendError::Full(_)) => {
                if !self.closer.is_closed() {
                    crate::metrics::add(&crate::metrics::SLOW_READER_CLOSES, 1);
                }
                self.closer.close(CloseReason::SlowReader);
                false
            }
            Err(mpsc::error::TrySendError::Closed(_)) => false,
        }
    }

    /// Frames (or batches) waiting to be written.
    pub fn queued(&self) -> usize {
        self.tx.max_capacity() - self.tx.capacity()
    }

    pub fn send_text(&self, text: String) -> bool {
        self.send(Out::Text(Utf8Bytes::from(text)))
    }
}
