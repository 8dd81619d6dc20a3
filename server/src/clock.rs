//! The server's wall clock, in the milliseconds the protocol speaks
//! (`Millis` since the Unix epoch). One function, so that every timestamp
//! in an event, a token or the record is read the same way.

use dais_protocol::Millis;

/// Now, in milliseconds since the Unix epoch. A clock set before 1970
/// reads as 0 rather than failing: timestamps order events, they do not
/// decide whether the server runs.
pub fn now_ms() -> Millis {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as Millis)
        .unwrap_or(0)
}
