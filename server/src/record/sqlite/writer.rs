//! The embedded record's writer thread and its handle (`SqliteStore`):
//! one thread owns the write connection and commits in groups, answering
//! each append once its group is on disk; reads that must follow earlier
//! writes of a room go through it too, the others use a read connection.

use super::{events_after, events_before, open_db};
use crate::clock::now_ms;
use crate::record::{Done, EventMeta, RecordError, Row};
use anyhow::{Context, Result};
use dais_protocol::{Millis, RoomId, Seq};
use rusqlite::{params, Connection, OptionalExtension};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use tokio::sync::{mpsc, oneshot};

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
