//! The PostgreSQL record's writer task and its handle (`PgStore`): one
//! task commits in groups, each append under a savepoint and fenced by its
//! room's lease in the same transaction; reads go through a small pool.

use super::{connect, migrate, pool};
use crate::clock::now_ms;
use crate::record::{Fence, RecordError, Row};
use anyhow::Result;
use dais_protocol::RoomId;
use deadpool_postgres::Pool;
use std::time::Duration;
use tokio::sync::{mpsc, oneshot};
use tokio_postgres::Client;

enum Op {
    Append {
        room: RoomId,
        fence: Fence,
        rows: Vec<Row>,
        snapshot: Option<String>,
        done: Option<oneshot::Sender<Result<(), RecordError>>>,
    },
    Members {
        room: RoomId,
        fence: Fence,
        joined: Vec<(String, String)>,
        left: Vec<String>,
    },
    Flush {
        reply: oneshot::Sender<()>,
    },
}

/// The PostgreSQL side of the server's store: one writer task that commits
/// in groups, and a read pool.
#[derive(Clone)]
pub struct PgStore {
    tx: mpsc::UnboundedSender<Op>,
    pub pool: Pool,
}

/// Most operations taken into one group commit.
const MAX_BATCH: usize = 1024;

impl PgStore {
    pub async fn open(url: &str) -> Result<PgStore> {
        let writer = connect(url).await?;
        migrate(&writer).await?;
        let pool = pool(url)?;
        let (tx, rx) = mpsc::unbounded_channel();
        tokio::spawn(writer_loop(url.to_string(), writer, rx));
        Ok(PgStore { tx, pool })
    }

    /// Append events (and the room's snapshot) if `fence` still holds the
    /// room's lease; the receiver says when they are committed, or why not.
    pub fn append(
        &self,
        room: &str,
        fence: Fence,
        rows: Vec<Row>,
        snapshot: Option<String>,
    ) -> oneshot::Receiver<Result<(), RecordError>> {
        let (done, rx) = oneshot::channel();
        let op = Op::Append {
            room: room.to_string(),
            fence,
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

    pub fn members(
        &self,
        room: &str,
        fence: Fence,
        joined: Vec<(String, String)>,
        left: Vec<String>,
    ) {
        let _ = self.tx.send(Op::Members {
            room: room.to_string(),
            fence,
            joined,
            left,
        });
    }

    pub async fn flush(&self) {
        let (reply, rx) = oneshot::channel();
        if self.tx.send(Op::Flush { reply }).is_ok() {
            let _ = rx.await;
        }
    }

    /// A read connection from the pool.
    pub async fn reader(&self) -> Result<deadpool_postgres::Object> {
        self.pool
            .get()
            .await
            .map_err(|e| anyhow::anyhow!("no PostgreSQL connection: {e}"))
    }
}

async fn writer_loop(url: String, mut client: Client, mut rx: mpsc::UnboundedReceiver<Op>) {
    while let Some(first) = rx.recv().await {
        if client.is_closed() {
            // PostgreSQL restarted, or the link broke: open a new writer
            // connection. What waits meanwhile is failed below, not lost
            // silently: each append's owner hears of it.
            match connect(&url).await {
                Ok(c) => {
                    tracing::info!("the PostgreSQL writer connection is back");
                    client = c;
                }
                Err(e) => tracing::warn!(error = %e, "PostgreSQL is unreachable"),
            }
        }
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match rx.try_recv() {
                Ok(op) => batch.push(op),
                Err(_) => break,
            }
        }
        let started = std::time::Instant::now();
        let rows: usize = batch
            .iter()
            .map(|op| match op {
                Op::Append { rows, .. } => rows.len(),
                _ => 0,
            })
            .sum();
        let outcome = write_batch(&mut client, &mut batch).await;
        use crate::metrics::{add, STORE_COMMITS, STORE_COMMIT_MICROS, STORE_FAILURES, STORE_ROWS};
        add(&STORE_COMMITS, 1);
        add(&STORE_COMMIT_MICROS, started.elapsed().as_micros() as u64);
        add(&STORE_ROWS, rows as u64);
        let (results, failure) = match outcome {
            Ok(results) => (results, None),
            Err(e) => {
                add(&STORE_FAILURES, 1);
                tracing::error!(error = %e, "PostgreSQL commit failed");
                (Vec::new(), Some(e.to_string()))
            }
        };
        let mut results = results.into_iter();
        for op in batch {
            match op {
                Op::Append {
                    done: Some(done), ..
                } => {
                    let result = match &failure {
                        Some(e) => Err(RecordError::Failed(e.clone())),
                        None => results.next().unwrap_or(Ok(())),
                    };
                    let _ = done.send(result);
                }
                Op::Flush { reply } => {
                    let _ = reply.send(());
                }
                _ => {}
            }
        }
        if failure.is_some() {
            // The connection may be gone: wait a little rather than spin.
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

/// Whether `fence` holds its room's lease now. The row is locked until the
/// transaction ends, so a takeover waits for this commit, or this append
/// sees the takeover's new epoch and is refused.
async fn fenced(tx: &tokio_postgres::Transaction<'_>, room: &str, fence: &Fence) -> Result<bool> {
    let n = tx
        .execute(
            "UPDATE room_leases SET owner = owner
             WHERE room = $1 AND owner = $2 AND epoch = $3 AND expires_at > now()",
            &[&room, &fence.node, &fence.epoch],
        )
        .await?;
    Ok(n == 0)
}

/// Write a group in one transaction, each append under a savepoint: a
/// fenced room's append is rolled back alone. Returns one result per
/// append, in order.
async fn write_batch(
    client: &mut Client,
    batch: &mut [Op],
) -> Result<Vec<Result<(), RecordError>>> {
    let mut results = Vec::new();
    if !batch
        .iter()
        .any(|op| matches!(op, Op::Append { .. } | Op::Members { .. }))
    {
        return Ok(results);
    }
    let mut tx = client.transaction().await?;
    // Lock every lease the group writes under, in the order of their room,
    // before any write: the lease keeper locks them in that order too, so
    // the two never deadlock (each append's own check then finds its row
    // already locked by this transaction).
    let mut rooms: Vec<&str> = batch
        .iter()
        .filter_map(|op| match op {
            Op::Append { room, .. } | Op::Members { room, .. } => Some(room.as_str()),
            Op::Flush { .. } => None,
        })
        .collect();
    rooms.sort_unstable();
    rooms.dedup();
    tx.execute(
        "SELECT 1 FROM room_leases WHERE room = ANY($1) ORDER BY room FOR UPDATE",
        &[&rooms],
    )
    .await?;
    let insert = tx
        .prepare(
            "INSERT INTO events (room, seq, ts, kind, author, nonce, body) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .await?;
    let upsert_room = tx
        .prepare(
            "INSERT INTO rooms (id, snapshot, created_at) VALUES ($1, $2, $3)
             ON CONFLICT (id) DO UPDATE SET snapshot = excluded.snapshot",
        )
        .await?;
    for op in batch.iter() {
        match op {
            Op::Append {
                room,
                fence,
                rows,
                snapshot,
                ..
            } => {
                let sp = tx.savepoint("append").await?;
                if fenced(&sp, room, fence).await? {
                    sp.rollback().await?;
                    results.push(Err(RecordError::Fenced));
                    continue;
                }
                for r in rows {
                    sp.execute(
                        &insert,
                        &[
                            room,
                            &(r.seq as i64),
                            &r.ts,
                            &r.kind,
                            &r.author,
                            &r.nonce,
                            &r.body,
                        ],
                    )
                    .await?;
                }
                if let Some(snapshot) = snapshot {
                    sp.execute(&upsert_room, &[room, snapshot, &now_ms()])
                        .await?;
                }
                if rows.iter().any(|r| r.kind == "room_closed") {
                    // Nobody takes a closed room's lease again.
                    sp.execute("UPDATE rooms SET closed = true WHERE id = $1", &[room])
                        .await?;
                }
                sp.commit().await?;
                results.push(Ok(()));
            }
            Op::Members {
                room,
                fence,
                joined,
                left,
            } => {
                let sp = tx.savepoint("members").await?;
                if fenced(&sp, room, fence).await? {
                    sp.rollback().await?;
                    continue;
                }
                for (id, actor) in joined {
                    sp.execute(
                        "INSERT INTO room_members (room, participant, actor, joined_at) VALUES ($1, $2, $3, $4)
                         ON CONFLICT (room, participant) DO UPDATE SET actor = excluded.actor",
                        &[room, id, actor, &now_ms()],
                    )
                    .await?;
                }
                for id in left {
                    sp.execute(
                        "DELETE FROM room_members WHERE room = $1 AND participant = $2",
                        &[room, id],
                    )
                    .await?;
                }
                sp.commit().await?;
            }
            Op::Flush { .. } => {}
        }
    }
    tx.commit().await?;
    Ok(results)
}
