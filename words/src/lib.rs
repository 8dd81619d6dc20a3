//! Dais in words: every event of the record, and the names of languages,
//! modes, reasons and error codes, in the six languages, from the Fluent
//! files in `locales/` (compiled in).
//!
//! - [`lang`]: the six languages, listed once.
//! - [`bundle`]: each language's messages ([`Words`]) and the ids of the
//!   names everything is called by.
//! - [`event`]: what an event says ([`describe`] gives a [`Said`]: a message,
//!   its arguments and the facts a layout needs).
//! - [`table`]: one event of each kind, the table the views' tests walk.
//! - [`voice`]: how a view speaks a [`Said`] ([`Voice`]: its naming of
//!   people, its times, its escaping).
//!
//! It reads nothing but `dais-protocol`: the server's export and public
//! pages and the client's transcript and line mode all build on it and keep
//! only their own layout.

#![warn(missing_docs)]

pub mod bundle;
pub mod event;
pub mod lang;
pub mod table;
pub mod voice;

pub use bundle::{
    duration, error_id, intervention_id, language_id, mode_id, reason_id, stakeholder_id, Words,
};
pub use event::{describe, in_slice, Arg, Facts, Naming, ReplyTo, Said, Written};
pub use lang::{Direction, Lang};
pub use voice::Voice;
