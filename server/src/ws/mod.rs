//! Our own websocket layer (RFC 6455, with RFC 7692's permessage-deflate).
//!
//! Why not tungstenite's stream: a room sends the same frame to every
//! member, and tungstenite frames and copies each message once per
//! connection, into a write buffer per connection. Here a server frame is
//! framed once ([`frame::Wire`]: header and payload in one shared
//! `Bytes`), and every recipient's writer hands that same buffer to a
//! vectored write. Reading is ours too, for the checks a moderated room
//! needs and tungstenite does not offer: every frame counted (control and
//! continuation frames too), a cap on the fragments of one message, and
//! close code 1007 for text that is not UTF-8.
//!
//! A tour, in the order a connection lives:
//! - `upgrade`: the HTTP handshake, and the socket hyper hands back.
//! - `io`: that socket (plain TCP or TLS), split into a read and a write half.
//! - `reader`: client frames in, checked and assembled into messages.
//! - `deflate`: permessage-deflate, negotiated in the handshake, used both ways.
//! - `frame`: server frames, framed once and shared.
//! - `outbox`: a connection's queue of server frames, which senders fill
//!   without waiting (writing straight into an idle socket when they can).
//! - `writer`: the task that drains the outbox into the socket, replays
//!   included, and closes it.
//! - `close`: why a connection closes, and the `Closer` that asks it to.

// Every public item here says why it is there: the rest of the server is
// wired to this layer through them.
#![warn(missing_docs)]

pub mod close;
pub mod deflate;
pub mod frame;
pub mod io;
pub mod outbox;
pub mod reader;
pub mod upgrade;
pub mod writer;

#[cfg(test)]
mod testing;

pub use close::{CloseReason, Closer};
pub use deflate::{DeflateParams, Inflate};
pub use frame::Wire;
pub use io::{Io, ReadHalf, WriteHalf};
pub use outbox::{ConnId, Item, Outbox, Replay, ReplayPage};
pub use reader::{FrameReader, Incoming, ReadError, ReaderLimits};
pub use upgrade::{accept, Pending, UpgradeError};
pub use writer::write_loop;
