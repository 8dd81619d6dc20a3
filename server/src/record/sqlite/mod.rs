//! The embedded store: SQLite in the data directory.
//!
//! One writer thread owns the write connection and commits in groups: it
//! takes every request waiting in its channel, writes them in one
//! transaction, commits (WAL, `synchronous=FULL`, so a commit is on disk when
//! it returns), and only then answers each writer. An event acknowledged to
//! its sender is therefore on disk, and a burst of speeches costs one fsync,
//! not one per speech.
//!
//! Reads that must see every earlier write of a room (a join's replay, a
//! nonce lookup) go through the same thread, after the writes queued before
//! them. Reads that need no ordering (a token check at hello) use a separate
//! read connection.

use anyhow::{bail, Context, Result};
use dais_protocol::{EventFrame, Millis, Participant, Role, RoomId, Seq, Stakeholder};
use rusqlite::{params, Connection, OptionalExtension};
use std::path::Path;

use super::ParticipantRow;

mod writer;
use crate::clock::now_ms;
pub use writer::SqliteStore;

/// The schema version this server writes. Older data directories are
/// migrated forward on open; newer ones are refused.
///
/// 2: room members in a table of their own (a plenary's list is too large
/// to rewrite with the room's snapshot), and nonces no longer unique in the
/// record (the room remembers them for a window).
pub const SCHEMA_VERSION: i64 = 2;
pub const DB_FILE: &str = "dais.db";
/// The data directory's file that holds the guests' signing key (which a
/// cluster keeps in its `meta` table instead). Named here, with the other
/// files of the data directory, so that `migrate` can carry it over
/// without reaching up into `guest`.
pub const GUEST_KEY_FILE: &str = "guest.key";

/// Open (creating if needed) the database in `data_dir`, with the pragmas
/// every connection needs, and migrate its schema.
pub fn open_db(data_dir: &Path) -> Result<Connection> {
    crate::files::restrict_umask();
    crate::files::ensure_private_dir(data_dir)?;
    open_db_file(&data_dir.join(DB_FILE))
}

/// Open (creating if needed) a database file, as `open_db` does.
pub fn open_db_file(path: &Path) -> Result<Connection> {
    let conn = Connection::open(path)
        .with_context(|| format!("cannot open database {}", path.display()))?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    conn.pragma_update(None, "journal_mode", "WAL")
        .with_context(|| format!("{} is not a readable Dais database", path.display()))?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    migrate(&conn).with_context(|| format!("cannot prepare the schema of {}", path.display()))?;
    Ok(conn)
}

fn migrate(conn: &Connection) -> Result<()> {
    let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if version > SCHEMA_VERSION {
        bail!("the data directory was written by a newer Dais (schema {version}, this server knows {SCHEMA_VERSION}); refusing to touch it");
    }
    if version < 1 {
        conn.execute_batch(
            "BEGIN;
             CREATE TABLE participants (
                 id TEXT PRIMARY KEY,
                 name TEXT NOT NULL,
                 delegation TEXT NOT NULL,
                 stakeholder TEXT NOT NULL,
                 role TEXT NOT NULL,
                 languages TEXT NOT NULL DEFAULT '[]',
                 token_hash TEXT NOT NULL UNIQUE,
                 created_at INTEGER NOT NULL,
                 revoked_at INTEGER
             );
             CREATE TABLE rooms (
                 id TEXT PRIMARY KEY,
                 snapshot TEXT NOT NULL,
                 created_at INTEGER NOT NULL
             );
             CREATE TABLE events (
                 room TEXT NOT NULL,
                 seq INTEGER NOT NULL,
                 ts INTEGER NOT NULL,
                 kind TEXT NOT NULL,
                 author TEXT,
                 nonce TEXT,
                 body TEXT NOT NULL,
                 PRIMARY KEY (room, seq)
             ) WITHOUT ROWID;
             CREATE UNIQUE INDEX events_nonce ON events (room, author, nonce) WHERE nonce IS NOT NULL;
             PRAGMA user_version = 1;
             COMMIT;",
        )?;
    }
    if version < 2 {
        conn.execute_batch(
            "BEGIN;
             CREATE TABLE room_members (
                 room TEXT NOT NULL,
                 participant TEXT NOT NULL,
                 actor TEXT NOT NULL,
                 joined_at INTEGER NOT NULL,
                 PRIMARY KEY (room, participant)
             ) WITHOUT ROWID;
             DROP INDEX IF EXISTS events_nonce;
             CREATE TABLE meta (
                 key TEXT PRIMARY KEY,
                 value TEXT NOT NULL
             );
             PRAGMA user_version = 2;
             COMMIT;",
        )?;
    }
    Ok(())
}

// ---------- participants (used by the CLI and the server alike) ----------

fn row_to_participant(r: &rusqlite::Row<'_>) -> rusqlite::Result<ParticipantRow> {
    let stakeholder: String = r.get(3)?;
    let role: String = r.get(4)?;
    let languages: String = r.get(5)?;
    Ok(ParticipantRow {
        participant: Participant {
            id: r.get(0)?,
            name: r.get(1)?,
            delegation: r.get(2)?,
            // Values were validated on the way in; an unknown one means a
            // hand-edited database, and the safest reading is the weakest.
            stakeholder: stakeholder.parse().unwrap_or(Stakeholder::CivilSociety),
            role: role.parse().unwrap_or(Role::Observer),
            languages: serde_json::from_str(&languages).unwrap_or_default(),
            guest: false,
        },
        created_at: r.get(6)?,
        revoked_at: r.get(7)?,
    })
}

const PARTICIPANT_COLUMNS: &str =
    "id, name, delegation, stakeholder, role, languages, created_at, revoked_at";

pub fn insert_participant(conn: &Connection, p: &Participant, token_hash: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO participants (id, name, delegation, stakeholder, role, languages, token_hash, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            p.id,
            p.name,
            p.delegation,
            p.stakeholder.as_str(),
            p.role.as_str(),
            serde_json::to_string(&p.languages)?,
            token_hash,
            now_ms()
        ],
    )
    .context("cannot save the participant")?;
    Ok(())
}

pub fn list_participants(conn: &Connection) -> Result<Vec<ParticipantRow>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {PARTICIPANT_COLUMNS} FROM participants ORDER BY created_at, id"
    ))?;
    let rows = stmt.query_map([], row_to_participant)?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// The last moment the server was known to be running (written every few
/// seconds, and at a clean stop): after a crash, how long the outage was.
pub fn alive_at(conn: &Connection) -> Result<Option<Millis>> {
    let value: Option<String> = conn
        .query_row("SELECT value FROM meta WHERE key = 'alive_at'", [], |r| {
            r.get(0)
        })
        .optional()?;
    Ok(value.and_then(|v| v.parse().ok()))
}

/// Moderators whose token is not revoked.
pub fn moderator_count(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT count(*) FROM participants WHERE role = 'moderator' AND revoked_at IS NULL",
        [],
        |r| r.get(0),
    )?)
}

pub fn participant_count(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("SELECT count(*) FROM participants", [], |r| r.get(0))?)
}

/// The participant a token hash belongs to, revoked or not.
pub fn participant_by_token(conn: &Connection, token_hash: &str) -> Result<Option<ParticipantRow>> {
    Ok(conn
        .query_row(
            &format!("SELECT {PARTICIPANT_COLUMNS} FROM participants WHERE token_hash = ?1"),
            [token_hash],
            row_to_participant,
        )
        .optional()?)
}

/// Revoke a participant's token. Returns false when no such participant exists.
pub fn revoke_participant(conn: &Connection, id: &str) -> Result<bool> {
    let n = conn.execute(
        "UPDATE participants SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL",
        params![id, now_ms()],
    )?;
    if n == 0 {
        let exists: bool = conn
            .query_row("SELECT 1 FROM participants WHERE id = ?1", [id], |_| {
                Ok(true)
            })
            .optional()?
            .unwrap_or(false);
        return Ok(exists);
    }
    Ok(true)
}

/// Participants revoked at or after `since`, for closing their live connections.
pub fn revoked_since(conn: &Connection, since: Millis) -> Result<Vec<(String, Millis)>> {
    let mut stmt =
        conn.prepare("SELECT id, revoked_at FROM participants WHERE revoked_at >= ?1")?;
    let rows = stmt.query_map([since], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

// ---------- rooms and events (read side, used at start and by export) ----------

/// Every room's saved snapshot, as JSON text.
pub fn load_rooms(conn: &Connection) -> Result<Vec<(RoomId, String)>> {
    let mut stmt = conn.prepare("SELECT id, snapshot FROM rooms ORDER BY created_at, id")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// One room's saved snapshot, as JSON text.
pub fn load_room(conn: &Connection, id: &str) -> Result<Option<String>> {
    Ok(conn
        .query_row("SELECT snapshot FROM rooms WHERE id = ?1", [id], |r| {
            r.get(0)
        })
        .optional()?)
}

pub fn save_room(conn: &Connection, id: &str, snapshot: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO rooms (id, snapshot, created_at) VALUES (?1, ?2, ?3)
         ON CONFLICT(id) DO UPDATE SET snapshot = excluded.snapshot",
        params![id, snapshot, now_ms()],
    )?;
    Ok(())
}

pub fn max_seq(conn: &Connection, room: &str) -> Result<Seq> {
    let s: Option<i64> =
        conn.query_row("SELECT max(seq) FROM events WHERE room = ?1", [room], |r| {
            r.get(0)
        })?;
    Ok(s.unwrap_or(0) as Seq)
}

/// Events of a room with seq in (after, ..], oldest first, at most `limit`.
pub fn events_after(
    conn: &Connection,
    room: &str,
    after: Seq,
    limit: usize,
) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT body FROM events WHERE room = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3",
    )?;
    let rows = stmt.query_map(params![room, after as i64, limit as i64], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<Vec<String>>>()?)
}

/// Up to `limit` events before `before`, oldest first, and whether older ones exist.
pub fn events_before(
    conn: &Connection,
    room: &str,
    before: Seq,
    limit: usize,
) -> Result<(Vec<String>, bool)> {
    let mut stmt = conn.prepare_cached(
        "SELECT body FROM events WHERE room = ?1 AND seq < ?2 ORDER BY seq DESC LIMIT ?3",
    )?;
    let rows = stmt.query_map(params![room, before as i64, limit as i64 + 1], |r| r.get(0))?;
    let mut bodies = rows.collect::<rusqlite::Result<Vec<String>>>()?;
    let more = bodies.len() > limit;
    bodies.truncate(limit);
    bodies.reverse();
    Ok((bodies, more))
}

/// A room's saved members, as actors.
pub fn load_members(conn: &Connection, room: &str) -> Result<Vec<dais_protocol::Actor>> {
    let mut stmt =
        conn.prepare("SELECT actor FROM room_members WHERE room = ?1 ORDER BY participant")?;
    let rows = stmt.query_map([room], |r| r.get::<_, String>(0))?;
    let mut out = Vec::new();
    for actor in rows {
        let actor = actor?;
        out.push(serde_json::from_str(&actor).context("a saved member is not valid JSON")?);
    }
    Ok(out)
}

/// Save many members of a room at once (moving them out of an old snapshot).
pub fn save_members(conn: &Connection, room: &str, members: &[dais_protocol::Actor]) -> Result<()> {
    let tx = conn.unchecked_transaction()?;
    {
        let mut stmt = tx.prepare(
            "INSERT OR REPLACE INTO room_members (room, participant, actor, joined_at) VALUES (?1, ?2, ?3, ?4)",
        )?;
        for m in members {
            stmt.execute(params![room, m.id, serde_json::to_string(m)?, now_ms()])?;
        }
    }
    tx.commit()?;
    Ok(())
}

/// The nonces of a room's events since `since` (server time): (author,
/// nonce, seq, ts), newest first. Read from the end of the log backwards,
/// so a long record costs only its recent part.
pub fn recent_nonces(
    conn: &Connection,
    room: &str,
    since: Millis,
) -> Result<Vec<(String, String, Seq, Millis)>> {
    let mut stmt = conn
        .prepare("SELECT author, nonce, seq, ts FROM events WHERE room = ?1 ORDER BY seq DESC")?;
    let mut rows = stmt.query([room])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let ts: Millis = r.get(3)?;
        if ts < since {
            break;
        }
        let (author, nonce): (Option<String>, Option<String>) = (r.get(0)?, r.get(1)?);
        if let (Some(author), Some(nonce)) = (author, nonce) {
            out.push((author, nonce, r.get::<_, i64>(2)? as Seq, ts));
        }
    }
    Ok(out)
}

/// Every moderator's name and delegation, to keep guests from taking them.
pub fn moderator_names(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt = conn.prepare(
        "SELECT name, delegation FROM participants WHERE role = 'moderator' AND revoked_at IS NULL",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
    let mut out = Vec::new();
    for row in rows {
        let (name, delegation) = row?;
        out.push(name);
        if !delegation.is_empty() {
            out.push(delegation);
        }
    }
    Ok(out)
}

pub fn all_events(conn: &Connection, room: &str) -> Result<Vec<EventFrame>> {
    let mut stmt = conn.prepare("SELECT body FROM events WHERE room = ?1 ORDER BY seq")?;
    let rows = stmt.query_map([room], |r| r.get::<_, String>(0))?;
    let mut out = Vec::new();
    for body in rows {
        let body = body?;
        out.push(serde_json::from_str(&body).context("an event in the log is not valid JSON")?);
    }
    Ok(out)
}

/// Copy the database to `to` with SQLite's online backup, while the server
/// keeps running: the copy is a consistent snapshot of one moment.
pub fn backup(data_dir: &Path, to: &Path) -> Result<()> {
    if !data_dir.join(DB_FILE).exists() {
        bail!(
            "no Dais data in {} (use --data to point at the data directory)",
            data_dir.display()
        );
    }
    if to.exists() {
        bail!("{} already exists; choose a new file", to.display());
    }
    let src = open_db(data_dir)?;
    let mut dst =
        Connection::open(to).with_context(|| format!("cannot create {}", to.display()))?;
    {
        let backup = rusqlite::backup::Backup::new(&src, &mut dst)?;
        // Copy in steps, pausing between them, so a busy server is not held up.
        backup
            .run_to_completion(256, std::time::Duration::from_millis(5), None)
            .with_context(|| format!("backup to {} failed", to.display()))?;
    }
    // A backup should stand alone: one file, no write-ahead log beside it.
    dst.pragma_update(None, "journal_mode", "DELETE")?;
    Ok(())
}
