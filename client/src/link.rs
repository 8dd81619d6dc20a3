//! What the network task tells the interface: [`NetEvent`].
//!
//! The one vocabulary the two sides share, kept below both: `net` produces
//! these events and `app` applies them, and neither imports the other. The
//! interface loop carries them from one to the other.

// A reader comes to this module's public items from the rest of the
// client, so each says what it is for.
#![warn(missing_docs)]

use dais_protocol::{ErrorCode, ServerFrame};

/// What the network task reports.
#[derive(Debug, Clone, PartialEq)]
pub enum NetEvent {
    /// Trying to connect to `server` (`attempt` 0 for the first try), one
    /// of `servers`.
    Connecting {
        /// Tries since the last connection that held, 0 for the first.
        attempt: u32,
        /// The address being tried.
        server: String,
        /// How many addresses the task goes through in turn.
        servers: usize,
    },
    /// A frame from the server (the first is `welcome`).
    Frame(Box<ServerFrame>),
    /// The connection is gone; the next try is in `retry_in_ms`.
    Disconnected {
        /// Milliseconds until the next try.
        retry_in_ms: u64,
    },
    /// The server turned the connection away before the websocket opened
    /// (HTTP 429: too many connections from this address, or too fast);
    /// the next try is in `retry_in_ms`.
    Busy {
        /// Milliseconds until the next try: the server's `Retry-After` at
        /// least.
        retry_in_ms: u64,
    },
    /// The server refused us for good (bad token, protocol): no more retries.
    Fatal(ErrorCode),
}
