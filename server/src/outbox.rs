//! A connection's outgoing queue, as seen by whoever sends to it.
//!
//! Each connection has one bounded queue drained by its own writer task.
//! Senders never wait: a room actor that finds a queue full closes that
//! connection (`slow_reader`) rather than let one slow reader stall the
//! room. The reader can come back with `join` and `since` and miss nothing.

use axum::extract::ws::Utf8Bytes;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};
use tokio::sync::{mpsc, oneshot};
use tokio_util::sync::CancellationToken;

/// Identifies one websocket connection for the life of the process.
pub type ConnId = u64;

/// What a writer task sends. A batch (a join's replay, or an event with the
/// room_state that follows it) takes one slot, so a large replay cannot
/// overflow the queue, and shares its bytes with every recipient.
#[derive(Debug)]
pub enum Out {
    Text(Utf8Bytes),
    Batch {
        frames: Arc<Vec<Utf8Bytes>>,
        /// Their total length, counted once for all the recipients.
        bytes: usize,
    },
    /// A join's replay, its `room_state` and `ok`, still being read from
    /// the store: the writer waits for it here, in order, before anything
    /// queued after it. On failure, the error frame to send before closing.
    /// Not counted against the byte limit: a client resuming a long gap is
    /// owed all of it, and the live frames that follow must not find it
    /// "behind" for that alone.
    Replay(oneshot::Receiver<Result<Vec<Utf8Bytes>, Utf8Bytes>>),
    /// A websocket ping, to notice a peer that went away without a word.
    Ping,
}

impl Out {
    /// The text bytes this puts on the wire, for the outbox's byte limit.
    pub fn wire_len(&self) -> usize {
        match self {
            Out::Text(t) => t.len(),
            Out::Batch { bytes, .. } => *bytes,
            Out::Replay(_) | Out::Ping => 0,
        }
    }
}

/// Why the server closed a connection: sent as the close frame's reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CloseReason {
    HelloTimeout,
    Flood,
    SlowReader,
    TokenRevoked,
    ServerShutdown,
    PingTimeout,
    /// A frame or message over the size limit.
    TooLarge,
    /// The peer broke the websocket protocol.
    ProtocolError,
    /// The server failed (a replay it could not read); join again.
    Internal,
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
            CloseReason::PingTimeout => "ping_timeout",
            CloseReason::TooLarge => "frame_too_large",
            CloseReason::ProtocolError => "protocol_error",
            CloseReason::Internal => "internal_error",
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
            CloseReason::Internal => 1011,
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
    /// Bytes queued and not yet handed to the socket; the writer subtracts
    /// what it writes. Frames share their bytes between recipients, so this
    /// counts what the connection owes, not memory it alone holds.
    owed: Arc<AtomicUsize>,
    max_bytes: usize,
}

/// The writer's end: the queue and the count of bytes it must give back.
pub struct Inbox {
    rx: mpsc::Receiver<Out>,
    owed: Arc<AtomicUsize>,
}

impl Inbox {
    /// Take what is waiting, if anything, without waiting.
    pub fn try_recv(&mut self) -> Option<Out> {
        self.rx.try_recv().ok()
    }

    pub async fn recv(&mut self) -> Option<Out> {
        self.rx.recv().await
    }

    /// The writer has handed `out` to the socket.
    pub fn written(&self, out_len: usize) {
        self.owed.fetch_sub(out_len, Ordering::Relaxed);
    }
}

impl Outbox {
    pub fn new(conn: ConnId, capacity: usize, max_bytes: usize) -> (Outbox, Inbox) {
        let (tx, rx) = mpsc::channel(capacity.max(1));
        let owed = Arc::new(AtomicUsize::new(0));
        (
            Outbox {
                conn,
                tx,
                closer: Closer::default(),
                owed: owed.clone(),
                max_bytes,
            },
            Inbox { rx, owed },
        )
    }

    /// Queue a frame without waiting. Returns false when the connection is
    /// gone or was just closed for falling behind: its queue is full, or it
    /// already owes more than the byte limit. A frame is taken whole when the
    /// backlog is under the limit, and a replay is not counted at all.
    pub fn send(&self, out: Out) -> bool {
        if self.owed.load(Ordering::Relaxed) > self.max_bytes {
            self.slow_reader();
            return false;
        }
        let len = out.wire_len();
        // Counted before the send, so the writer can never subtract first.
        self.owed.fetch_add(len, Ordering::Relaxed);
        match self.tx.try_send(out) {
            Ok(()) => true,
            Err(e) => {
                self.owed.fetch_sub(len, Ordering::Relaxed);
                if let mpsc::error::TrySendError::Full(_) = e {
                    self.slow_reader();
                }
                false
            }
        }
    }

    fn slow_reader(&self) {
        if !self.closer.is_closed() {
            crate::metrics::add(&crate::metrics::SLOW_READER_CLOSES, 1);
            tracing::info!(
                conn = self.conn,
                queued = self.queued(),
                owed_bytes = self.owed_bytes(),
                "closing a slow reader"
            );
        }
        self.closer.close(CloseReason::SlowReader);
    }

    /// Bytes queued for this connection and not yet written.
    pub fn owed_bytes(&self) -> usize {
        self.owed.load(Ordering::Relaxed)
    }

    /// Frames (or batches) waiting to be written.
    pub fn queued(&self) -> usize {
        self.tx.max_capacity() - self.tx.capacity()
    }

    pub fn send_text(&self, text: String) -> bool {
        self.send(Out::Text(Utf8Bytes::from(text)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(n: usize) -> Out {
        Out::Text(Utf8Bytes::from("x".repeat(n)))
    }

    #[test]
    fn a_backlog_over_the_byte_limit_closes_the_connection() {
        let (outbox, mut inbox) = Outbox::new(1, 1000, 10_000);
        assert!(outbox.send(text(6_000)));
        // A replay owes nothing, however long.
        let (fill, replay) = oneshot::channel();
        assert!(outbox.send(Out::Replay(replay)));
        let _ = fill.send(Ok(vec![Utf8Bytes::from("y".repeat(50_000))]));
        assert_eq!(outbox.owed_bytes(), 6_000);
        // Under the limit before this frame: taken, even though it goes over.
        assert!(outbox.send(text(6_000)));
        assert_eq!(outbox.owed_bytes(), 12_000);
        assert!(!outbox.closer.is_closed());
        assert!(!outbox.send(text(10)), "owes 12,000 > 10,000");
        assert_eq!(outbox.closer.reason(), Some(CloseReason::SlowReader));
        // What the writer takes off is no longer owed.
        for _ in 0..2 {
            let out = inbox.try_recv().expect("queued");
            inbox.written(out.wire_len());
        }
        assert_eq!(outbox.owed_bytes(), 6_000);
    }

    #[test]
    fn a_full_queue_closes_the_connection_and_owes_nothing_for_the_refused_frame() {
        let (outbox, _inbox) = Outbox::new(1, 2, 1 << 20);
        assert!(outbox.send(text(10)));
        assert!(outbox.send(text(10)));
        assert!(!outbox.send(text(10)));
        assert_eq!(outbox.owed_bytes(), 20);
        assert_eq!(outbox.closer.reason(), Some(CloseReason::SlowReader));
    }
}
