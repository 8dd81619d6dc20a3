//! The record in PostgreSQL, for cluster mode: the same tables as the
//! embedded SQLite store (participants, rooms, events, members, meta), plus
//! what several nodes need to share one record safely: a lease per room
//! (`room_leases`: which node owns it, until when, under which epoch) and
//! the nodes' heartbeats (`nodes`). Every table is created here, with the
//! schema; the cluster claims, renews and gives up leases in
//! `cluster::lease`.
//!
//! Every append a room's owner makes is fenced by its lease: in the same
//! transaction, the lease row is checked (and locked) for this node, this
//! epoch and a deadline still ahead. An owner that lost its lease (another
//! node took the room after it expired, or it was frozen past it) gets
//! `RecordError::Fenced` and none of its writes land, even if it does not
//! know yet that it lost the room.
//!
//! Like the SQLite store, one writer task commits in groups (a savepoint
//! per append, so a fenced room does not fail the others), and reads go
//! through a small pool.

use super::{EventMeta, ParticipantRow};
use crate::clock::now_ms;
use anyhow::{bail, Context, Result};
use dais_protocol::{Actor, EventFrame, Millis, Participant, Role, RoomId, Seq, Stakeholder};
use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod};
use tokio_postgres::{Client, NoTls};

mod writer;
pub use writer::PgStore;

/// The schema this server writes in PostgreSQL.
pub const SCHEMA_VERSION: i32 = 1;

/// Connections in the read pool.
const READ_POOL: usize = 8;

/// Open a connection, with the writer's and the readers' settings.
pub async fn connect(url: &str) -> Result<Client> {
    let (client, connection) = tokio_postgres::connect(url, NoTls).await.with_context(|| {
        format!(
            "cannot connect to PostgreSQL at {}",
            crate::redact::url(url)
        )
    })?;
    tokio::spawn(async move {
        if let Err(e) = connection.await {
            tracing::warn!(error = %e, "a PostgreSQL connection ended");
        }
    });
    Ok(client)
}

/// Create the tables if they are missing; refuse a newer schema.
pub async fn migrate(client: &Client) -> Result<()> {
    client
        .batch_execute(
            "SET client_min_messages TO warning;
             CREATE TABLE IF NOT EXISTS dais_schema (version INTEGER NOT NULL);
             CREATE TABLE IF NOT EXISTS participants (
                 id TEXT PRIMARY KEY,
                 name TEXT NOT NULL,
                 delegation TEXT NOT NULL,
                 stakeholder TEXT NOT NULL,
                 role TEXT NOT NULL,
                 languages TEXT NOT NULL DEFAULT '[]',
                 token_hash TEXT NOT NULL UNIQUE,
                 created_at BIGINT NOT NULL,
                 revoked_at BIGINT
             );
             CREATE TABLE IF NOT EXISTS rooms (
                 id TEXT PRIMARY KEY,
                 snapshot TEXT NOT NULL,
                 created_at BIGINT NOT NULL,
                 closed BOOLEAN NOT NULL DEFAULT false
             );
             CREATE TABLE IF NOT EXISTS events (
                 room TEXT NOT NULL,
                 seq BIGINT NOT NULL,
                 ts BIGINT NOT NULL,
                 kind TEXT NOT NULL,
                 author TEXT,
                 nonce TEXT,
                 body TEXT NOT NULL,
                 PRIMARY KEY (room, seq)
             );
             CREATE TABLE IF NOT EXISTS room_members (
                 room TEXT NOT NULL,
                 participant TEXT NOT NULL,
                 actor TEXT NOT NULL,
                 joined_at BIGINT NOT NULL,
                 PRIMARY KEY (room, participant)
             );
             CREATE TABLE IF NOT EXISTS meta (
                 key TEXT PRIMARY KEY,
                 value TEXT NOT NULL
             );
             CREATE TABLE IF NOT EXISTS room_leases (
                 room TEXT PRIMARY KEY,
                 owner TEXT NOT NULL,
                 epoch BIGINT NOT NULL,
                 expires_at TIMESTAMPTZ NOT NULL,
                 renewed_at TIMESTAMPTZ NOT NULL,
                 released BOOLEAN NOT NULL DEFAULT false
             );
             CREATE TABLE IF NOT EXISTS nodes (
                 id TEXT PRIMARY KEY,
                 last_seen TIMESTAMPTZ NOT NULL,
                 address TEXT NOT NULL DEFAULT ''
             );",
        )
        .await
        .context("cannot create the tables")?;
    let version: Option<i32> = client
        .query_opt("SELECT version FROM dais_schema LIMIT 1", &[])
        .await?
        .map(|r| r.get(0));
    match version {
        None => {
            client
                .execute(
                    "INSERT INTO dais_schema (version) VALUES ($1)",
                    &[&SCHEMA_VERSION],
                )
                .await?;
        }
        Some(v) if v > SCHEMA_VERSION => bail!(
            "the database was written by a newer Dais (schema {v}, this server knows {SCHEMA_VERSION}); refusing to touch it"
        ),
        Some(_) => {}
    }
    Ok(())
}

/// A pool of read connections.
pub fn pool(url: &str) -> Result<Pool> {
    let config: tokio_postgres::Config = url
        .parse()
        .with_context(|| format!("{} is not a PostgreSQL URL", crate::redact::url(url)))?;
    let manager = Manager::from_config(
        config,
        NoTls,
        ManagerConfig {
            recycling_method: RecyclingMethod::Fast,
        },
    );
    Pool::builder(manager)
        .max_size(READ_POOL)
        .build()
        .context("cannot make the PostgreSQL pool")
}

// ---------- what the admin's commands and the server's start read and write ----------

fn participant_of(r: &tokio_postgres::Row) -> ParticipantRow {
    let stakeholder: String = r.get(3);
    let role: String = r.get(4);
    let languages: String = r.get(5);
    ParticipantRow {
        participant: Participant {
            id: r.get(0),
            name: r.get(1),
            delegation: r.get(2),
            // As in the SQLite store: an unknown value means a hand-edited
            // database, and the safest reading is the weakest.
            stakeholder: stakeholder.parse().unwrap_or(Stakeholder::CivilSociety),
            role: role.parse().unwrap_or(Role::Observer),
            languages: serde_json::from_str(&languages).unwrap_or_default(),
            guest: false,
        },
        created_at: r.get(6),
        revoked_at: r.get(7),
    }
}

const PARTICIPANT_COLUMNS: &str =
    "id, name, delegation, stakeholder, role, languages, created_at, revoked_at";

/// Save participants (the admin's `participant add`), all or none.
pub async fn insert_participants(
    client: &mut Client,
    added: &[(Participant, String)],
) -> Result<()> {
    let tx = client.transaction().await?;
    for (p, hash) in added {
        insert_participant(&tx, p, hash).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Save one participant, inside the caller's transaction.
pub async fn insert_participant(
    tx: &tokio_postgres::Transaction<'_>,
    p: &Participant,
    hash: &str,
) -> Result<()> {
    tx.execute(
        "INSERT INTO participants (id, name, delegation, stakeholder, role, languages, token_hash, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        &[
            &p.id,
            &p.name,
            &p.delegation,
            &p.stakeholder.as_str(),
            &p.role.as_str(),
            &serde_json::to_string(&p.languages)?,
            &hash,
            &now_ms(),
        ],
    )
    .await
    .context("cannot save the participant")?;
    Ok(())
}

pub async fn list_participants(client: &Client) -> Result<Vec<ParticipantRow>> {
    let rows = client
        .query(
            &format!("SELECT {PARTICIPANT_COLUMNS} FROM participants ORDER BY created_at, id"),
            &[],
        )
        .await?;
    Ok(rows.iter().map(participant_of).collect())
}

pub async fn participant_by_token(
    client: &Client,
    token_hash: &str,
) -> Result<Option<ParticipantRow>> {
    Ok(client
        .query_opt(
            &format!("SELECT {PARTICIPANT_COLUMNS} FROM participants WHERE token_hash = $1"),
            &[&token_hash],
        )
        .await?
        .as_ref()
        .map(participant_of))
}

/// Revoke a participant's token. Returns false when no such participant exists.
pub async fn revoke_participant(client: &Client, id: &str) -> Result<bool> {
    let n = client
        .execute(
            "UPDATE participants SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL",
            &[&id, &now_ms()],
        )
        .await?;
    if n == 0 {
        return Ok(client
            .query_opt("SELECT 1 FROM participants WHERE id = $1", &[&id])
            .await?
            .is_some());
    }
    Ok(true)
}

pub async fn revoked_since(client: &Client, since: Millis) -> Result<Vec<(String, Millis)>> {
    let rows = client
        .query(
            "SELECT id, revoked_at FROM participants WHERE revoked_at >= $1",
            &[&since],
        )
        .await?;
    Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
}

pub async fn moderator_count(client: &Client) -> Result<i64> {
    Ok(client
        .query_one(
            "SELECT count(*) FROM participants WHERE role = 'moderator' AND revoked_at IS NULL",
            &[],
        )
        .await?
        .get(0))
}

pub async fn moderator_names(client: &Client) -> Result<Vec<String>> {
    let rows = client
        .query(
            "SELECT name, delegation FROM participants WHERE role = 'moderator' AND revoked_at IS NULL",
            &[],
        )
        .await?;
    let mut out = Vec::new();
    for r in rows {
        out.push(r.get::<_, String>(0));
        let delegation: String = r.get(1);
        if !delegation.is_empty() {
            out.push(delegation);
        }
    }
    Ok(out)
}

pub async fn load_rooms(client: &Client) -> Result<Vec<(RoomId, String)>> {
    let rows = client
        .query(
            "SELECT id, snapshot FROM rooms ORDER BY created_at, id",
            &[],
        )
        .await?;
    Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
}

pub async fn load_room(client: &Client, room: &str) -> Result<Option<String>> {
    Ok(client
        .query_opt("SELECT snapshot FROM rooms WHERE id = $1", &[&room])
        .await?
        .map(|r| r.get(0)))
}

/// Create a room's row if it is not there (a config room at start, or a
/// room made at run time). Returns whether it was created.
pub async fn create_room(client: &Client, id: &str, snapshot: &str) -> Result<bool> {
    Ok(client
        .execute(
            "INSERT INTO rooms (id, snapshot, created_at) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING",
            &[&id, &snapshot, &now_ms()],
        )
        .await?
        == 1)
}

pub async fn max_seq(client: &Client, room: &str) -> Result<Seq> {
    let s: Option<i64> = client
        .query_one("SELECT max(seq) FROM events WHERE room = $1", &[&room])
        .await?
        .get(0);
    Ok(s.unwrap_or(0) as Seq)
}

pub async fn load_members(client: &Client, room: &str) -> Result<Vec<Actor>> {
    let rows = client
        .query(
            "SELECT actor FROM room_members WHERE room = $1 ORDER BY participant",
            &[&room],
        )
        .await?;
    let mut out = Vec::new();
    for r in rows {
        let actor: String = r.get(0);
        out.push(serde_json::from_str(&actor).context("a saved member is not valid JSON")?);
    }
    Ok(out)
}

/// A room's recent nonces, newest first, as the SQLite store gives them.
pub async fn recent_nonces(
    client: &Client,
    room: &str,
    since: Millis,
) -> Result<Vec<(String, String, Seq, Millis)>> {
    let rows = client
        .query(
            "SELECT author, nonce, seq, ts FROM events
             WHERE room = $1 AND ts >= $2 AND nonce IS NOT NULL AND author IS NOT NULL
             ORDER BY seq DESC",
            &[&room, &since],
        )
        .await?;
    Ok(rows
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get::<_, i64>(2) as Seq, r.get(3)))
        .collect())
}

pub async fn events_after(
    client: &Client,
    room: &str,
    after: Seq,
    limit: usize,
) -> Result<Vec<String>> {
    let rows = client
        .query(
            "SELECT body FROM events WHERE room = $1 AND seq > $2 ORDER BY seq LIMIT $3",
            &[&room, &(after as i64), &(limit as i64)],
        )
        .await?;
    Ok(rows.iter().map(|r| r.get(0)).collect())
}

pub async fn events_before(
    client: &Client,
    room: &str,
    before: Seq,
    limit: usize,
) -> Result<(Vec<String>, bool)> {
    let rows = client
        .query(
            "SELECT body FROM events WHERE room = $1 AND seq < $2 ORDER BY seq DESC LIMIT $3",
            &[&room, &(before as i64), &(limit as i64 + 1)],
        )
        .await?;
    let mut bodies: Vec<String> = rows.iter().map(|r| r.get(0)).collect();
    let more = bodies.len() > limit;
    bodies.truncate(limit);
    bodies.reverse();
    Ok((bodies, more))
}

pub async fn all_events(client: &Client, room: &str) -> Result<Vec<EventFrame>> {
    let rows = client
        .query(
            "SELECT body FROM events WHERE room = $1 ORDER BY seq",
            &[&room],
        )
        .await?;
    let mut out = Vec::new();
    for r in rows {
        let body: String = r.get(0);
        out.push(serde_json::from_str(&body).context("an event in the log is not valid JSON")?);
    }
    Ok(out)
}

pub async fn event_meta(client: &Client, room: &str, seq: Seq) -> Result<Option<EventMeta>> {
    Ok(client
        .query_opt(
            "SELECT kind, author FROM events WHERE room = $1 AND seq = $2",
            &[&room, &(seq as i64)],
        )
        .await?
        .map(|r| EventMeta {
            seq,
            kind: r.get(0),
            author: r.get(1),
        }))
}

/// A value of the meta table, set to `init` first if it has none (every
/// node then reads the same one, whoever started first).
pub async fn meta_or_init(client: &Client, key: &str, init: &str) -> Result<String> {
    client
        .execute(
            "INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING",
            &[&key, &init],
        )
        .await?;
    Ok(client
        .query_one("SELECT value FROM meta WHERE key = $1", &[&key])
        .await?
        .get(0))
}
