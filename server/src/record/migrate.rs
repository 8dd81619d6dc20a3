//! Moving a record between the embedded store and PostgreSQL.
//!
//! - `sqlite_to_pg`: `dais-server migrate --from-sqlite DIR`: a single
//!   node's record into a cluster's (empty, or at least sharing no
//!   participant and no room with it). One transaction: all or nothing.
//! - `pg_to_sqlite`: `dais-server backup --to FILE` in cluster mode: the
//!   cluster's record as one SQLite file, from one consistent snapshot.
//!   That file is a single node's database: it can be restored as a data
//!   directory's `dais.db`, or moved into a new cluster with `migrate`.
//!
//! Both check what they wrote against what they read before they commit:
//! as many rows of each kind, and every room's last seq.

use super::postgres as pg;
use super::sqlite as store;
use anyhow::{bail, Context, Result};
use futures_util::pin_mut;
use rusqlite::params;
use std::collections::BTreeMap;
use std::path::Path;
use tokio_postgres::binary_copy::BinaryCopyInWriter;
use tokio_postgres::types::Type;

/// What was moved, for the admin to read (and the tests to check).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Moved {
    pub participants: i64,
    pub rooms: i64,
    pub events: i64,
    pub members: i64,
    /// Each room's last seq.
    pub heads: BTreeMap<String, i64>,
}

impl std::fmt::Display for Moved {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} participants, {} rooms, {} events, {} room memberships",
            self.participants, self.rooms, self.events, self.members
        )
    }
}

/// The owner a migrated room's first lease names: the cluster node that
/// takes it records that it took it over from the single node, when that
/// node was last alive (a running turn is paused from then).
pub const SINGLE_NODE: &str = "single-node";

fn sqlite_counts(conn: &rusqlite::Connection) -> Result<Moved> {
    let count = |table: &str| -> Result<i64> {
        Ok(conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))?)
    };
    let mut heads = BTreeMap::new();
    let mut stmt = conn.prepare(
        "SELECT r.id, coalesce(max(e.seq), 0) FROM rooms r LEFT JOIN events e ON e.room = r.id GROUP BY r.id",
    )?;
    for row in stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))? {
        let (room, head) = row?;
        heads.insert(room, head);
    }
    Ok(Moved {
        participants: count("participants")?,
        rooms: count("rooms")?,
        events: count("events")?,
        members: count("room_members")?,
        heads,
    })
}

async fn pg_counts(tx: &tokio_postgres::Transaction<'_>) -> Result<Moved> {
    let mut moved = Moved::default();
    for (table, slot) in [
        ("participants", &mut moved.participants),
        ("rooms", &mut moved.rooms),
        ("events", &mut moved.events),
        ("room_members", &mut moved.members),
    ] {
        *slot = tx
            .query_one(&format!("SELECT count(*) FROM {table}"), &[])
            .await?
            .get(0);
    }
    for row in tx
        .query(
            "SELECT r.id, coalesce(max(e.seq), 0)::BIGINT FROM rooms r LEFT JOIN events e ON e.room = r.id GROUP BY r.id",
            &[],
        )
        .await?
    {
        moved.heads.insert(row.get(0), row.get(1));
    }
    Ok(moved)
}

/// Whether a server is running on the data directory now: it notes that
/// it is alive every second.
fn server_running(conn: &rusqlite::Connection) -> Result<bool> {
    let first = store::alive_at(conn)?;
    std::thread::sleep(std::time::Duration::from_millis(1500));
    Ok(store::alive_at(conn)? != first)
}

/// Move the record in `data` into the PostgreSQL database at `url`.
pub async fn sqlite_to_pg(data: &Path, url: &str) -> Result<Moved> {
    if !data.join(store::DB_FILE).exists() {
        bail!(
            "no Dais data in {} (give the single node's data directory)",
            data.display()
        );
    }
    let conn = store::open_db(data)?;
    if server_running(&conn)? {
        bail!(
            "a server is running on {}: stop it first, so that nothing is written after the copy",
            data.display()
        );
    }
    let read = sqlite_counts(&conn)?;
    let mut client = pg::connect(url).await?;
    pg::migrate(&client).await?;
    let tx = client.transaction().await?;
    // Nothing is merged: a participant or room that exists on both sides
    // would have two histories.
    let before = pg_counts(&tx).await?;
    let clash: Vec<String> = read
        .heads
        .keys()
        .filter(|room| before.heads.contains_key(*room))
        .cloned()
        .collect();
    if !clash.is_empty() {
        bail!(
            "the cluster's record already has the rooms {}; migrate into an empty database",
            clash.join(", ")
        );
    }
    copy_participants(&conn, &tx).await?;
    let alive_at = store::alive_at(&conn)?.unwrap_or_else(crate::clock::now_ms);
    copy_rooms(&conn, &tx, alive_at).await?;
    copy_events(&conn, &tx).await?;
    copy_members(&conn, &tx).await?;
    // Guests keep their credentials if the cluster has no key of its own.
    if let Some(key) = crate::files::read_private(&data.join(store::GUEST_KEY_FILE))? {
        tx.execute(
            "INSERT INTO meta (key, value) VALUES ('guest_key', $1) ON CONFLICT (key) DO NOTHING",
            &[&key.trim()],
        )
        .await?;
    }
    let after = pg_counts(&tx).await?;
    let added = Moved {
        participants: after.participants - before.participants,
        rooms: after.rooms - before.rooms,
        events: after.events - before.events,
        members: after.members - before.members,
        heads: after
            .heads
            .into_iter()
            .filter(|(room, _)| read.heads.contains_key(room))
            .collect(),
    };
    if added != read {
        bail!("the copy does not match the original (read {read}, wrote {added}); nothing was committed");
    }
    tx.commit().await.context("cannot commit the migration")?;
    Ok(added)
}

/// Every participant, token hashes and revocations included.
async fn copy_participants(
    conn: &rusqlite::Connection,
    tx: &tokio_postgres::Transaction<'_>,
) -> Result<()> {
    let mut stmt = conn.prepare(
        "SELECT id, name, delegation, stakeholder, role, languages, token_hash, created_at, revoked_at FROM participants",
    )?;
    let insert = tx
        .prepare(
            "INSERT INTO participants (id, name, delegation, stakeholder, role, languages, token_hash, created_at, revoked_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .await?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, String>(4)?,
            r.get::<_, String>(5)?,
            r.get::<_, String>(6)?,
            r.get::<_, i64>(7)?,
            r.get::<_, Option<i64>>(8)?,
        ))
    })?;
    for row in rows {
        let (id, name, delegation, stakeholder, role, languages, hash, created, revoked) = row?;
        tx.execute(
            &insert,
            &[
                &id,
                &name,
                &delegation,
                &stakeholder,
                &role,
                &languages,
                &hash,
                &created,
                &revoked,
            ],
        )
        .await
        .with_context(|| format!("participant {id} is already in the cluster's record"))?;
    }
    Ok(())
}

/// Every room, each with a lease the single node handed over.
async fn copy_rooms(
    conn: &rusqlite::Connection,
    tx: &tokio_postgres::Transaction<'_>,
    alive_at: i64,
) -> Result<()> {
    let mut stmt = conn.prepare("SELECT id, snapshot, created_at FROM rooms")?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, i64>(2)?,
        ))
    })?;
    for row in rows {
        let (id, snapshot, created) = row?;
        let closed = serde_json::from_str::<serde_json::Value>(&snapshot)
            .ok()
            .and_then(|v| v.get("closed").and_then(|c| c.as_bool()))
            .unwrap_or(false);
        tx.execute(
            "INSERT INTO rooms (id, snapshot, created_at, closed) VALUES ($1, $2, $3, $4)",
            &[&id, &snapshot, &created, &closed],
        )
        .await?;
        // A lease the single node handed over: whoever takes the room
        // first records the move (a planned change of server), and
        // pauses a running turn from when the single node was last alive.
        tx.execute(
            "INSERT INTO room_leases (room, owner, epoch, expires_at, renewed_at, released)
             VALUES ($1, $2, 0, to_timestamp($3::BIGINT / 1000.0), to_timestamp($3::BIGINT / 1000.0), true)",
            &[&id, &SINGLE_NODE, &alive_at],
        )
        .await?;
    }
    Ok(())
}

/// Every event, by COPY: a long debate's record moves in seconds.
async fn copy_events(
    conn: &rusqlite::Connection,
    tx: &tokio_postgres::Transaction<'_>,
) -> Result<()> {
    // Events by COPY: a long debate's record moves in seconds.
    let sink = tx
        .copy_in("COPY events (room, seq, ts, kind, author, nonce, body) FROM STDIN BINARY")
        .await?;
    let writer = BinaryCopyInWriter::new(
        sink,
        &[
            Type::TEXT,
            Type::INT8,
            Type::INT8,
            Type::TEXT,
            Type::TEXT,
            Type::TEXT,
            Type::TEXT,
        ],
    );
    pin_mut!(writer);
    let mut stmt = conn.prepare(
        "SELECT room, seq, ts, kind, author, nonce, body FROM events ORDER BY room, seq",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let room: String = r.get(0)?;
        let seq: i64 = r.get(1)?;
        let ts: i64 = r.get(2)?;
        let kind: String = r.get(3)?;
        let author: Option<String> = r.get(4)?;
        let nonce: Option<String> = r.get(5)?;
        let body: String = r.get(6)?;
        writer
            .as_mut()
            .write(&[&room, &seq, &ts, &kind, &author, &nonce, &body])
            .await?;
    }
    writer.finish().await?;
    Ok(())
}

/// Every room's members.
async fn copy_members(
    conn: &rusqlite::Connection,
    tx: &tokio_postgres::Transaction<'_>,
) -> Result<()> {
    let mut stmt = conn.prepare("SELECT room, participant, actor, joined_at FROM room_members")?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, i64>(3)?,
        ))
    })?;
    for row in rows {
        let (room, who, actor, joined) = row?;
        tx.execute(
            "INSERT INTO room_members (room, participant, actor, joined_at) VALUES ($1, $2, $3, $4)",
            &[&room, &who, &actor, &joined],
        )
        .await?;
    }
    Ok(())
}

/// Write the cluster's record at `url` to a new SQLite file `to`.
pub async fn pg_to_sqlite(url: &str, to: &Path) -> Result<Moved> {
    if to.exists() {
        bail!("{} already exists; choose a new file", to.display());
    }
    let mut client = pg::connect(url).await?;
    // One snapshot of everything, however busy the cluster is.
    let tx = client
        .build_transaction()
        .isolation_level(tokio_postgres::IsolationLevel::RepeatableRead)
        .read_only(true)
        .start()
        .await?;
    let read = pg_counts(&tx).await?;
    crate::files::restrict_umask();
    let mut conn = store::open_db_file(to)?;
    let out = conn.transaction()?;
    for r in tx
        .query(
            "SELECT id, name, delegation, stakeholder, role, languages, token_hash, created_at, revoked_at FROM participants",
            &[],
        )
        .await?
    {
        out.execute(
            "INSERT INTO participants (id, name, delegation, stakeholder, role, languages, token_hash, created_at, revoked_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![
                r.get::<_, String>(0),
                r.get::<_, String>(1),
                r.get::<_, String>(2),
                r.get::<_, String>(3),
                r.get::<_, String>(4),
                r.get::<_, String>(5),
                r.get::<_, String>(6),
                r.get::<_, i64>(7),
                r.get::<_, Option<i64>>(8),
            ],
        )?;
    }
    for r in tx
        .query("SELECT id, snapshot, created_at FROM rooms", &[])
        .await?
    {
        out.execute(
            "INSERT INTO rooms (id, snapshot, created_at) VALUES (?1, ?2, ?3)",
            params![
                r.get::<_, String>(0),
                r.get::<_, String>(1),
                r.get::<_, i64>(2)
            ],
        )?;
    }
    {
        let mut insert = out.prepare(
            "INSERT INTO events (room, seq, ts, kind, author, nonce, body) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?;
        let stream = tx
            .query_raw(
                "SELECT room, seq, ts, kind, author, nonce, body FROM events ORDER BY room, seq",
                std::iter::empty::<&str>(),
            )
            .await?;
        pin_mut!(stream);
        use futures_util::TryStreamExt;
        while let Some(r) = stream.try_next().await? {
            insert.execute(params![
                r.get::<_, String>(0),
                r.get::<_, i64>(1),
                r.get::<_, i64>(2),
                r.get::<_, String>(3),
                r.get::<_, Option<String>>(4),
                r.get::<_, Option<String>>(5),
                r.get::<_, String>(6),
            ])?;
        }
    }
    for r in tx
        .query(
            "SELECT room, participant, actor, joined_at FROM room_members",
            &[],
        )
        .await?
    {
        out.execute(
            "INSERT INTO room_members (room, participant, actor, joined_at) VALUES (?1, ?2, ?3, ?4)",
            params![
                r.get::<_, String>(0),
                r.get::<_, String>(1),
                r.get::<_, String>(2),
                r.get::<_, i64>(3)
            ],
        )?;
    }
    let written = sqlite_counts(&out)?;
    if written != read {
        bail!("the backup does not match the record (read {read}, wrote {written})");
    }
    out.commit()?;
    // A backup should stand alone: one file, no write-ahead log beside it.
    conn.pragma_update(None, "journal_mode", "DELETE")?;
    Ok(written)
}
