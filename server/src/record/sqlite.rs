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
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use tokio::sync::{mpsc, oneshot};

use super::{Done, EventMeta, ParticipantRow, RecordError, Row};
use crate::clock::now_ms;

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

// ---------- the writer thread ----------

enum Op {
    Append {
        room: RoomId,
        rows: Vec<Row>,
        /// The room after these rows, when they changed more than its seq.
        snapshot: Option<String>,
        done: Option<Done>,
    },
    After {
        room: RoomId,
        after: Seq,
        limit: usize,
        reply: oneshot::Sender<Result<Vec<String>, RecordError>>,
    },
    Before {
        room: RoomId,
        before: Seq,
        limit: usize,
        reply: oneshot::Sender<Result<(Vec<String>, bool), RecordError>>,
    },
    /// The server is alive at this time.
    Alive {
        at: Millis,
    },
    /// Members who joined (their actor as JSON) or left a room.
    Members {
        room: RoomId,
        joined: Vec<(String, String)>,
        left: Vec<String>,
    },
    Meta {
        room: RoomId,
        seq: Seq,
        reply: oneshot::Sender<Option<EventMeta>>,
    },
    Flush {
        reply: oneshot::Sender<()>,
    },
}

/// The embedded store's handle: a writer thread and a read connection.
#[derive(Clone)]
pub struct SqliteStore {
    tx: mpsc::UnboundedSender<Op>,
    /// For reads that need no ordering with writes (token checks).
    reader: Arc<Mutex<Connection>>,
    pub data_dir: PathBuf,
}

impl SqliteStore {
    /// Open the store and start its writer thread. The thread ends when the
    /// last handle is dropped; `flush` is how shutdown waits for the last commit.
    pub fn open(data_dir: &Path) -> Result<SqliteStore> {
        let writer = open_db(data_dir)?;
        let reader = open_db(data_dir)?;
        let (tx, rx) = mpsc::unbounded_channel();
        std::thread::Builder::new()
            .name("dais-store".into())
            .spawn(move || writer_loop(writer, rx))
            .context("cannot start the store thread")?;
        Ok(SqliteStore {
            tx,
            reader: Arc::new(Mutex::new(reader)),
            data_dir: data_dir.to_path_buf(),
        })
    }

    /// Run `f` on the read connection, off the async threads.
    pub async fn read<T, F>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T> + Send + 'static,
    {
        let reader = self.reader.clone();
        tokio::task::spawn_blocking(move || {
            let conn = reader
                .lock()
                .map_err(|_| anyhow::anyhow!("store reader poisoned"))?;
            f(&conn)
        })
        .await
        .context("store read task failed")?
    }

    /// Append events, and the room's new snapshot if they changed the room,
    /// in one commit. The returned receiver resolves once they are on disk.
    pub fn append(
        &self,
        room: &str,
        rows: Vec<Row>,
        snapshot: Option<String>,
    ) -> oneshot::Receiver<Result<(), RecordError>> {
        let (done, rx) = oneshot::channel();
        let op = Op::Append {
            room: room.to_string(),
            rows,
            snapshot,
            done: Some(done),
        };
        if let Err(mpsc::error::SendError(Op::Append {
            done: Some(done), ..
        })) = self.tx.send(op)
        {
            let _ = done.send(Err(RecordError::Failed("store closed".into())));
        }
        rx
    }

    /// Save a snapshot that comes with no event (presence changes).
    pub fn save_snapshot(&self, room: &str, snapshot: String) {
        let _ = self.tx.send(Op::Append {
            room: room.to_string(),
            rows: Vec::new(),
            snapshot: Some(snapshot),
            done: None,
        });
    }

    pub async fn events_after(
        &self,
        room: &str,
        after: Seq,
        limit: usize,
    ) -> Result<Vec<String>, RecordError> {
        let (reply, rx) = oneshot::channel();
        self.tx
            .send(Op::After {
                room: room.to_string(),
                after,
                limit,
                reply,
            })
            .map_err(|_| RecordError::Failed("store closed".into()))?;
        rx.await
            .map_err(|_| RecordError::Failed("store closed".into()))?
    }

    pub async fn events_before(
        &self,
        room: &str,
        before: Seq,
        limit: usize,
    ) -> Result<(Vec<String>, bool), RecordError> {
        let (reply, rx) = oneshot::channel();
        self.tx
            .send(Op::Before {
                room: room.to_string(),
                before,
                limit,
                reply,
            })
            .map_err(|_| RecordError::Failed("store closed".into()))?;
        rx.await
            .map_err(|_| RecordError::Failed("store closed".into()))?
    }

    /// Save that `who` is a member of `room` (or their new name). Written
    /// with the next group commit, in order with the room's events.
    pub fn member_joined(&self, room: &str, who: &dais_protocol::Actor) {
        let actor = serde_json::to_string(who).unwrap_or_default();
        let _ = self.tx.send(Op::Members {
            room: room.to_string(),
            joined: vec![(who.id.clone(), actor)],
            left: Vec::new(),
        });
    }

    /// Note that the server is alive now (fire and forget, with the next
    /// group commit).
    pub fn alive(&self, at: Millis) {
        let _ = self.tx.send(Op::Alive { at });
    }

    /// Save that `who` is no longer a member of `room`.
    pub fn member_left(&self, room: &str, who: &str) {
        let _ = self.tx.send(Op::Members {
            room: room.to_string(),
            joined: Vec::new(),
            left: vec![who.to_string()],
        });
    }

    pub async fn event_meta(&self, room: &str, seq: Seq) -> Option<EventMeta> {
        let (reply, rx) = oneshot::channel();
        self.tx
            .send(Op::Meta {
                room: room.to_string(),
                seq,
                reply,
            })
            .ok()?;
        rx.await.ok().flatten()
    }

    /// Wait until everything sent so far is committed.
    pub async fn flush(&self) {
        let (reply, rx) = oneshot::channel();
        if self.tx.send(Op::Flush { reply }).is_ok() {
            let _ = rx.await;
        }
    }
}

/// Most operations taken into one group commit.
const MAX_BATCH: usize = 4096;

fn writer_loop(mut conn: Connection, mut rx: mpsc::UnboundedReceiver<Op>) {
    while let Some(first) = rx.blocking_recv() {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match rx.try_recv() {
                Ok(op) => batch.push(op),
                Err(_) => break,
            }
        }
        let mut dones = Vec::new();
        let started = std::time::Instant::now();
        let rows: usize = batch
            .iter()
            .map(|op| match op {
                Op::Append { rows, .. } => rows.len(),
                _ => 0,
            })
            .sum();
        let writes = batch.iter().any(|op| {
            matches!(
                op,
                Op::Append { .. } | Op::Members { .. } | Op::Alive { .. }
            )
        });
        let result = write_batch(&mut conn, &mut batch, &mut dones);
        use crate::metrics::{add, STORE_COMMITS, STORE_COMMIT_MICROS, STORE_FAILURES, STORE_ROWS};
        // A batch of reads alone (replays, history) commits nothing.
        if writes {
            add(&STORE_COMMITS, 1);
            add(&STORE_COMMIT_MICROS, started.elapsed().as_micros() as u64);
            add(&STORE_ROWS, rows as u64);
        }
        if let Err(e) = &result {
            add(&STORE_FAILURES, 1);
            tracing::error!(error = %e, "store commit failed");
        }
        for done in dones {
            let _ = done.send(result.clone().map_err(RecordError::Failed));
        }
        for op in batch {
            serve_read(&conn, op);
        }
    }
}

fn write_batch(
    conn: &mut Connection,
    batch: &mut [Op],
    dones: &mut Vec<Done>,
) -> Result<(), String> {
    // A batch of reads (joins' replays, history) needs no transaction.
    if !batch.iter().any(|op| {
        matches!(
            op,
            Op::Append { .. } | Op::Members { .. } | Op::Alive { .. }
        )
    }) {
        return Ok(());
    }
    // Only the last snapshot of each room in a group commit is worth
    // writing: each one replaces the one before.
    let mut seen = HashSet::new();
    let mut keep = vec![false; batch.len()];
    for (i, op) in batch.iter().enumerate().rev() {
        if let Op::Append {
            room,
            snapshot: Some(_),
            ..
        } = op
        {
            keep[i] = seen.insert(room.as_str());
        }
    }
    let tx = conn.transaction().map_err(|e| e.to_string())?;
    let mut failure = None;
    for (i, op) in batch.iter_mut().enumerate() {
        if let Op::Alive { at } = op {
            if failure.is_none() {
                let written = tx
                    .prepare_cached(
                        "INSERT INTO meta (key, value) VALUES ('alive_at', ?1)
                         ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                    )
                    .and_then(|mut s| s.execute([at.to_string()]));
                if let Err(e) = written {
                    failure = Some(e.to_string());
                }
            }
            continue;
        }
        if let Op::Members { room, joined, left } = op {
            if failure.is_none() {
                if let Err(e) = write_members(&tx, room, joined, left) {
                    failure = Some(e.to_string());
                }
            }
            continue;
        }
        if let Op::Append {
            room,
            rows,
            snapshot,
            done,
        } = op
        {
            if let Some(done) = done.take() {
                dones.push(done);
            }
            if failure.is_some() {
                continue;
            }
            let snapshot = snapshot.as_deref().filter(|_| keep[i]);
            if let Err(e) = append_rows(&tx, room, rows, snapshot) {
                failure = Some(e.to_string());
            }
        }
    }
    if let Some(e) = failure {
        // Dropping `tx` rolls the whole group back: nobody is told "on disk".
        return Err(e);
    }
    tx.commit().map_err(|e| e.to_string())
}

fn append_rows(
    tx: &rusqlite::Transaction<'_>,
    room: &str,
    rows: &[Row],
    snapshot: Option<&str>,
) -> rusqlite::Result<()> {
    let mut stmt = tx.prepare_cached(
        "INSERT INTO events (room, seq, ts, kind, author, nonce, body) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    for r in rows {
        stmt.execute(params![
            room,
            r.seq as i64,
            r.ts,
            r.kind,
            r.author,
            r.nonce,
            r.body
        ])?;
    }
    if let Some(snapshot) = snapshot {
        tx.prepare_cached(
            "INSERT INTO rooms (id, snapshot, created_at) VALUES (?1, ?2, ?3)
             ON CONFLICT(id) DO UPDATE SET snapshot = excluded.snapshot",
        )?
        .execute(params![room, snapshot, now_ms()])?;
    }
    Ok(())
}

fn write_members(
    tx: &rusqlite::Transaction<'_>,
    room: &str,
    joined: &[(String, String)],
    left: &[String],
) -> rusqlite::Result<()> {
    let mut upsert = tx.prepare_cached(
        "INSERT INTO room_members (room, participant, actor, joined_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT(room, participant) DO UPDATE SET actor = excluded.actor",
    )?;
    for (id, actor) in joined {
        upsert.execute(params![room, id, actor, now_ms()])?;
    }
    let mut delete =
        tx.prepare_cached("DELETE FROM room_members WHERE room = ?1 AND participant = ?2")?;
    for id in left {
        delete.execute(params![room, id])?;
    }
    Ok(())
}

fn serve_read(conn: &Connection, op: Op) {
    match op {
        Op::Append { .. } | Op::Members { .. } | Op::Alive { .. } => {}
        Op::After {
            room,
            after,
            limit,
            reply,
        } => {
            let _ = reply.send(events_after(conn, &room, after, limit).map_err(RecordError::from));
        }
        Op::Before {
            room,
            before,
            limit,
            reply,
        } => {
            let _ =
                reply.send(events_before(conn, &room, before, limit).map_err(RecordError::from));
        }
        Op::Meta { room, seq, reply } => {
            let meta = conn
                .query_row(
                    "SELECT kind, author FROM events WHERE room = ?1 AND seq = ?2",
                    params![room, seq as i64],
                    |r| {
                        Ok(EventMeta {
                            seq,
                            kind: r.get(0)?,
                            author: r.get(1)?,
                        })
                    },
                )
                .optional()
                .ok()
                .flatten();
            let _ = reply.send(meta);
        }
        Op::Flush { reply } => {
            let _ = reply.send(());
        }
    }
}
