//! Who may send what: one table, read by the server (which enforces it) and
//! the client (which offers only what the role may do), and rendered into
//! the authorization matrix of docs/PROTOCOL.md, which a test tries cell by
//! cell against the real server.
//!
//! The table says what a *role* may ask. What the room's state allows (the
//! mode, the floor, a mute, a removal) is the rule set's business; the
//! matrix below adds the states that refuse a request whatever it is.

use crate::request::{Request, REQUEST_TYPES};
use crate::types::Role;

/// What a role may do with one kind of request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Allowed (the room's state may still refuse it, never the role).
    Yes,
    /// Allowed when the mode lets the sender speak: always in `open`; in
    /// `speakers_list` and `round_robin` only with the floor; never in
    /// `suspended` (`not_your_turn`).
    Turn,
    /// Allowed on the sender's own message only (`interpret`); `forbidden`
    /// on anyone else's.
    Own,
    /// `forbidden`.
    No,
}

use Access::{No, Own, Turn, Yes};

/// Columns of `ROLE_TABLE`, in this order.
pub const ROLES: [Role; 4] = [
    Role::Delegate,
    Role::Interpreter,
    Role::Moderator,
    Role::Observer,
];

/// For every request but `hello`: delegate, interpreter, moderator, observer.
const ROLE_TABLE: &[(&str, [Access; 4])] = &[
    ("rooms", [Yes, Yes, Yes, Yes]),
    ("members", [Yes, Yes, Yes, Yes]),
    ("join", [Yes, Yes, Yes, Yes]),
    ("leave", [Yes, Yes, Yes, Yes]),
    ("history", [Yes, Yes, Yes, Yes]),
    ("say", [Turn, Turn, Yes, No]),
    ("request_floor", [Yes, No, No, No]),
    ("withdraw", [Yes, Yes, Yes, Yes]),
    ("yield", [Yes, Yes, Yes, Yes]),
    ("pass", [Yes, Yes, Yes, Yes]),
    ("point_of_order", [Yes, Yes, No, No]),
    ("request_reply", [Yes, No, No, No]),
    ("vote", [Yes, No, No, No]),
    ("interpret", [Own, Yes, Own, No]),
    ("next", [No, No, Yes, No]),
    ("grant", [No, No, Yes, No]),
    ("revoke", [No, No, Yes, No]),
    ("pause", [No, No, Yes, No]),
    ("resume", [No, No, Yes, No]),
    ("set_mode", [No, No, Yes, No]),
    ("set_time_limit", [No, No, Yes, No]),
    ("reorder_queue", [No, No, Yes, No]),
    ("clear_queue", [No, No, Yes, No]),
    ("start_round", [No, No, Yes, No]),
    ("rule", [No, No, Yes, No]),
    ("close_list", [No, No, Yes, No]),
    ("open_list", [No, No, Yes, No]),
    ("poll_open", [No, No, Yes, No]),
    ("poll_close", [No, No, Yes, No]),
    ("mute", [No, No, Yes, No]),
    ("unmute", [No, No, Yes, No]),
    ("remove", [No, No, Yes, No]),
    ("announce", [No, No, Yes, No]),
    ("room_create", [No, No, Yes, No]),
    ("room_lock", [No, No, Yes, No]),
    ("room_unlock", [No, No, Yes, No]),
    ("room_close", [No, No, Yes, No]),
    ("room_publish", [No, No, Yes, No]),
    ("room_unpublish", [No, No, Yes, No]),
    ("fairness", [Yes, Yes, Yes, Yes]),
];

/// What `role` may do with requests of type `kind`; `None` for `hello` and
/// for types that do not exist.
pub fn access(kind: &str, role: Role) -> Option<Access> {
    let column = ROLES.iter().position(|r| *r == role)?;
    ROLE_TABLE
        .iter()
        .find(|(k, _)| *k == kind)
        .map(|(_, row)| row[column])
}

/// Whether someone in `role` may ever hold the floor: an observer never
/// speaks (`grant` and `yield` to one are `cannot_hold_floor`).
pub fn can_hold_floor(role: Role) -> bool {
    role != Role::Observer
}

/// Whether a chair may mute, unmute or remove someone in `role`: chairs
/// never act on each other (that stays with the admin's command line).
pub fn may_discipline(role: Role) -> bool {
    role != Role::Moderator
}

/// Room requests a muted participant may still send: to follow the room
/// and to leave it.
pub const ALLOWED_WHILE_MUTED: &[&str] = &["join", "leave", "history", "members", "fairness"];

impl Request {
    /// What `role` may do with this request (`No` for `hello`, which is
    /// the handshake's business).
    pub fn access(&self, role: Role) -> Access {
        access(self.kind(), role).unwrap_or(No)
    }
}

/// The senders the authorization matrix of docs/PROTOCOL.md has a column for.
pub const MATRIX_COLUMNS: [&str; 9] = [
    "unauth.",
    "revoked",
    "guest",
    "observer",
    "delegate",
    "interpreter",
    "moderator",
    "muted",
    "removed",
];

/// One cell of the matrix: `yes`, `turn`, `own` or an error code in backticks.
pub fn matrix_cell(kind: &str, column: &str) -> String {
    let code = |c: &str| format!("`{c}`");
    let by_role = |role: Role| match access(kind, role) {
        Some(Yes) => "yes".to_string(),
        Some(Turn) => "turn".to_string(),
        Some(Own) => "own".to_string(),
        Some(No) | None => code("forbidden"),
    };
    match column {
        "unauth." | "revoked" => code("unauthenticated"),
        // Guests are observers unless the server's config says otherwise.
        "guest" | "observer" => by_role(Role::Observer),
        "delegate" => by_role(Role::Delegate),
        "interpreter" => by_role(Role::Interpreter),
        "moderator" => by_role(Role::Moderator),
        // A muted or removed delegate: their role's answer, unless the
        // mute or the removal refuses first.
        "muted" => match by_role(Role::Delegate) {
            allowed if kind == "room_create" || kind == "rooms" => allowed,
            _ if ALLOWED_WHILE_MUTED.contains(&kind) => "yes".to_string(),
            // Allowed to a delegate, or not: a mute refuses first.
            _ => code("muted"),
        },
        "removed" => match kind {
            "rooms" | "room_create" => by_role(Role::Delegate),
            "join" => code("removed"),
            "leave" => "yes".to_string(),
            _ => code("not_joined"),
        },
        _ => String::new(),
    }
}

/// The authorization matrix as a Markdown table, as docs/PROTOCOL.md has it.
pub fn matrix_markdown() -> String {
    let mut out = String::from("| request |");
    for c in MATRIX_COLUMNS {
        out.push_str(&format!(" {c} |"));
    }
    out.push_str("\n| --- |");
    for _ in MATRIX_COLUMNS {
        out.push_str(" --- |");
    }
    out.push('\n');
    for kind in REQUEST_TYPES.iter().filter(|k| **k != "hello") {
        out.push_str(&format!("| `{kind}` |"));
        for c in MATRIX_COLUMNS {
            out.push_str(&format!(" {} |", matrix_cell(kind, c)));
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_request_but_hello_has_a_row_and_every_row_a_request() {
        for kind in REQUEST_TYPES.iter().filter(|k| **k != "hello") {
            assert!(access(kind, Role::Delegate).is_some(), "{kind} has no row");
        }
        for (kind, _) in ROLE_TABLE {
            assert!(REQUEST_TYPES.contains(kind), "{kind} is not a request");
        }
        assert_eq!(ROLE_TABLE.len(), REQUEST_TYPES.len() - 1);
    }

    #[test]
    fn observers_never_speak_and_what_nobody_else_may_do_is_the_chairs() {
        for (kind, row) in ROLE_TABLE {
            if *kind == "say" || *kind == "vote" || *kind == "point_of_order" {
                assert_eq!(row[3], No, "{kind}");
            }
            if row[0] == No && row[1] == No && row[3] == No {
                assert_eq!(row[2], Yes, "{kind} is nobody's");
            }
        }
    }

    #[test]
    fn a_muted_delegate_may_only_follow_and_leave() {
        assert_eq!(matrix_cell("say", "muted"), "`muted`");
        assert_eq!(matrix_cell("history", "muted"), "yes");
        assert_eq!(matrix_cell("members", "muted"), "yes");
        assert_eq!(matrix_cell("room_create", "muted"), "`forbidden`");
        assert_eq!(matrix_cell("join", "removed"), "`removed`");
    }
}
