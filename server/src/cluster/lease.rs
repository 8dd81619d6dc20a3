//! The cluster's leases and its nodes' heartbeats: which node owns each
//! room (`room_leases`: owner, epoch, until when) and which nodes are alive
//! (`nodes`).
//!
//! A node claims a free room's lease (the epoch goes up by one with every
//! owner), renews the leases it holds a third of a lease apart, and gives
//! them up when it stops. What makes a lease safe is in the record: every
//! append of a room's owner is fenced by its lease in the same transaction
//! (`record::postgres`), so an owner that lost its lease writes nothing.
//! The tables themselves are created with the record's schema
//! (`record::postgres::migrate`), which stays in one place. This is the
//! one module beside the record that reaches PostgreSQL (`client`).

use crate::record::Record;
use crate::room::start::Previous;
use anyhow::{Context, Result};
use dais_protocol::RoomId;
use std::time::Duration;
use tokio_postgres::Client;

/// A connection to the cluster's record for the lease tables: the one
/// place beside the record that reaches PostgreSQL, so that a lease and
/// the fence it sets on the record's writes are read in one database.
pub async fn client(record: &Record) -> Result<deadpool_postgres::Object> {
    record
        .postgres_store()
        .context("a cluster's leases need its record in PostgreSQL")?
        .reader()
        .await
}

/// The open rooms whose lease `node` holds, live or not: a restarted node
/// takes them back at once rather than after they run out.
pub async fn own_rooms(client: &Client, node: &str) -> Result<Vec<RoomId>> {
    let rows = client
        .query(
            "SELECT l.room FROM room_leases l JOIN rooms r ON r.id = l.room
             WHERE l.owner = $1 AND NOT r.closed",
            &[&node],
        )
        .await?;
    Ok(rows.iter().map(|r| r.get(0)).collect())
}

/// The rooms nobody holds a live lease on (never owned, or the owner's
/// lease ran out), open ones only.
pub async fn unowned_rooms(client: &Client) -> Result<Vec<RoomId>> {
    let rows = client
        .query(
            "SELECT r.id FROM rooms r LEFT JOIN room_leases l ON l.room = r.id
             WHERE NOT r.closed AND (l.room IS NULL OR l.expires_at <= now())
             ORDER BY r.id",
            &[],
        )
        .await?;
    Ok(rows.iter().map(|r| r.get(0)).collect())
}

/// A lease won: its epoch, and who held the room before, if anyone did.
#[derive(Debug, Clone)]
pub struct Claim {
    pub epoch: i64,
    pub previous: Option<Previous>,
}

/// Take `room`'s lease for `node` if nobody holds it now, or (`restart`)
/// if this node's earlier run still does. The row is locked for the check,
/// so two nodes cannot both win; the epoch goes up by one with every
/// owner, and that is what fences the last one's writes.
pub async fn claim(
    client: &mut deadpool_postgres::Object,
    room: &str,
    node: &str,
    lease: Duration,
    restart: bool,
) -> Result<Option<Claim>> {
    let tx = client.transaction().await?;
    let closed: Option<bool> = tx
        .query_opt("SELECT closed FROM rooms WHERE id = $1", &[&room])
        .await?
        .map(|r| r.get(0));
    if closed != Some(false) {
        return Ok(None);
    }
    let secs = lease.as_secs_f64();
    let current = tx
        .query_opt(
            "SELECT owner, epoch, expires_at > now(),
                    (extract(epoch FROM renewed_at) * 1000)::BIGINT, released
             FROM room_leases WHERE room = $1 FOR UPDATE",
            &[&room],
        )
        .await?;
    let claim = match current {
        Some(row) => {
            let (owner, epoch, live, renewed, released): (String, i64, bool, i64, bool) =
                (row.get(0), row.get(1), row.get(2), row.get(3), row.get(4));
            if live && !(restart && owner == node) {
                return Ok(None);
            }
            tx.execute(
                "UPDATE room_leases SET owner = $2, epoch = $3,
                        expires_at = now() + make_interval(secs => $4), renewed_at = now(),
                        released = false
                 WHERE room = $1",
                &[&room, &node, &(epoch + 1), &secs],
            )
            .await?;
            Claim {
                epoch: epoch + 1,
                previous: Some(Previous {
                    node: owner,
                    alive_at: renewed,
                    handed_over: released,
                }),
            }
        }
        None => {
            // Another node may be claiming the room's first lease right
            // now: whoever inserts first has it.
            let inserted = tx
                .execute(
                    "INSERT INTO room_leases (room, owner, epoch, expires_at, renewed_at)
                     VALUES ($1, $2, 1, now() + make_interval(secs => $3), now())
                     ON CONFLICT (room) DO NOTHING",
                    &[&room, &node, &secs],
                )
                .await?;
            if inserted == 0 {
                return Ok(None);
            }
            Claim {
                epoch: 1,
                previous: None,
            }
        }
    };
    tx.commit().await?;
    Ok(Some(claim))
}

/// Push the leases `node` holds (room, epoch) a lease further, if they are
/// still its own and still running. Returns the rooms renewed: any other
/// was lost (taken over, or run out while this node was frozen).
pub async fn renew(
    client: &Client,
    node: &str,
    held: &[(RoomId, i64)],
    lease: Duration,
) -> Result<Vec<RoomId>> {
    if held.is_empty() {
        return Ok(Vec::new());
    }
    let rooms: Vec<&str> = held.iter().map(|(r, _)| r.as_str()).collect();
    let epochs: Vec<i64> = held.iter().map(|(_, e)| *e).collect();
    // The rows are locked in the order of their room, as the writer locks
    // them (`write_batch`): two transactions that lock several leases in
    // different orders deadlock, and PostgreSQL takes a second to say so.
    let rows = client
        .query(
            "WITH held AS (
                 SELECT l.room FROM room_leases l
                 JOIN unnest($3::TEXT[], $4::BIGINT[]) AS h(room, epoch)
                   ON l.room = h.room AND l.epoch = h.epoch
                 WHERE l.owner = $1 AND l.expires_at > now()
                 ORDER BY l.room
                 FOR UPDATE OF l
             )
             UPDATE room_leases l SET expires_at = now() + make_interval(secs => $2), renewed_at = now()
             FROM held WHERE l.room = held.room
             RETURNING l.room",
            &[&node, &lease.as_secs_f64(), &rooms, &epochs],
        )
        .await?;
    Ok(rows.iter().map(|r| r.get(0)).collect())
}

/// Give a lease up now: the next node to look takes it without waiting
/// for it to run out. `clean` for a clean stop (the room was served up to
/// now, and the next owner records a handover rather than a failure); not
/// for a room whose write failed.
pub async fn release(
    client: &Client,
    node: &str,
    room: &str,
    epoch: i64,
    clean: bool,
) -> Result<()> {
    let sql = if clean {
        "UPDATE room_leases SET expires_at = now(), renewed_at = now(), released = true
         WHERE room = $1 AND owner = $2 AND epoch = $3"
    } else {
        "UPDATE room_leases SET expires_at = now()
         WHERE room = $1 AND owner = $2 AND epoch = $3"
    };
    client.execute(sql, &[&room, &node, &epoch]).await?;
    Ok(())
}

/// Say this node is alive, and where clients reach it.
pub async fn heartbeat(client: &Client, node: &str, address: &str) -> Result<()> {
    client
        .execute(
            "INSERT INTO nodes (id, last_seen, address) VALUES ($1, now(), $2)
             ON CONFLICT (id) DO UPDATE SET last_seen = now(), address = excluded.address",
            &[&node, &address],
        )
        .await?;
    Ok(())
}

/// The nodes seen within `within`, by id.
pub async fn live_nodes(client: &Client, within: Duration) -> Result<Vec<String>> {
    let rows = client
        .query(
            "SELECT id FROM nodes WHERE last_seen > now() - make_interval(secs => $1) ORDER BY id",
            &[&within.as_secs_f64()],
        )
        .await?;
    Ok(rows.iter().map(|r| r.get(0)).collect())
}

/// Forget a node that stopped cleanly, so that the others stop counting it.
pub async fn node_gone(client: &Client, node: &str) -> Result<()> {
    client
        .execute("DELETE FROM nodes WHERE id = $1", &[&node])
        .await?;
    Ok(())
}

/// The node that holds `room`'s lease now, if any.
pub async fn lease_owner(client: &Client, room: &str) -> Result<Option<String>> {
    Ok(client
        .query_opt(
            "SELECT owner FROM room_leases WHERE room = $1 AND expires_at > now()",
            &[&room],
        )
        .await?
        .map(|r| r.get(0)))
}
