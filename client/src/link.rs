//! What the network task tells the interface: [`NetEvent`].
//!
//! The one vocabulary the two sides share, kept below both: `net` produces
//! these events and `app` applies them, and neither imports the other. The
//! interface loop carries them from one to the other.

use dais_protocol::{ErrorCode, ServerFrame};

/// What the network task reports.
#[derive(Debug, Clone, PartialEq)]
pub enum NetEvent {
    /// Trying to connect to `server` (`attempt` 0 for the first try), one
    /// of `servers`.
    Connecting {
        attempt: u32,
        server: String,
        servers: usize,
    },
    /// A frame from the server (the first is `welcome`).
    Frame(Box<ServerFrame>),
    /// The connection is gone; the next try is in `retry_in_ms`.
    Disconnected { retry_in_ms: u64 },
    /// The server turned the connection away before the websocket opened
    /// (HTTP 429: too many connections from this address, or too fast);
    /// the next try is in `retry_in_ms`.
    Busy { retry_in_ms: u64 },
    /// The server refused us for good (bad token, protocol): no more retries.
    Fatal(ErrorCode),
}
