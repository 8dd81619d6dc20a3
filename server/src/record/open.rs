//! The record as a server opens it at start-up, before any room's actor
//! runs: on a first start the chair is made (and their token kept in the
//! data directory), the saved rooms are read back with their heads,
//! members and recent nonces, the configured rooms are written, and the
//! guest key and the moderators' names are read. `Single` is one node's
//! data directory (SQLite, read and written in place), `Cluster` a
//! cluster's PostgreSQL. Each hands over the running `Record` at the end.
//!
//! What a room is, and what the config says of it, is the caller's: this
//! module moves snapshots as JSON and imports nothing above the record.

use super::postgres::{self, PgStore};
use super::sqlite::{self, SqliteStore};
use super::Record;
use anyhow::{Context, Result};
use dais_protocol::{Actor, Millis, Participant, Role, RoomId, Seq, Stakeholder};
use std::path::{Path, PathBuf};

/// Name of the file, in the data directory, that keeps the first chair's token.
pub const CHAIR_TOKEN_FILE: &str = "chair.token";

/// The chair made on a first start: their token (shown once) and the
/// file that keeps it.
pub struct FirstChair {
    pub token: String,
    pub path: PathBuf,
}

/// What a saved room needs from the record to be restored: the latest seq
/// in its log, its members, and the nonces of its recent events (author,
/// nonce, seq, ts; newest first).
pub struct Saved {
    pub head: Seq,
    pub members: Vec<Actor>,
    pub recent: Vec<(String, String, Seq, Millis)>,
}

/// The chair every first start makes: a moderator of the secretariat.
fn new_chair() -> Result<(Participant, String, String)> {
    crate::auth::new_participant(
        "Chair",
        "Secretariat",
        Stakeholder::Intergovernmental,
        Role::Moderator,
        vec!["en".into()],
    )
}

/// One node's record while it starts: the data directory's database.
pub struct Single {
    conn: rusqlite::Connection,
    data: PathBuf,
}

impl Single {
    /// Open (and if need be create or upgrade) the database in `data`.
    pub fn open(data: &Path) -> Result<Single> {
        Ok(Single {
            conn: sqlite::open_db(data)?,
            data: data.to_path_buf(),
        })
    }

    /// When the server was last seen running (a clean stop writes it as it
    /// goes, so an outage is only what a crash or a kill left).
    pub fn alive_at(&self) -> Result<Option<Millis>> {
        sqlite::alive_at(&self.conn)
    }

    /// Create a chair when no moderator exists (a new data directory, or
    /// one where the admin provisioned delegates before the first start,
    /// or revoked every chair), their token saved in `chair.token`.
    pub fn first_chair(&self) -> Result<Option<FirstChair>> {
        if sqlite::moderator_count(&self.conn)? > 0 {
            return Ok(None);
        }
        let (chair, token, hash) = new_chair()?;
        sqlite::insert_participant(&self.conn, &chair, &hash)
            .context("cannot provision the participant")?;
        let path = self.data.join(CHAIR_TOKEN_FILE);
        crate::files::write_private(&path, &format!("{token}\n"))?;
        tracing::info!(participant = %chair.id, "first start: created the chair");
        Ok(Some(FirstChair { token, path }))
    }

    /// Every moderator's name and delegation.
    pub fn moderator_names(&self) -> Result<Vec<String>> {
        sqlite::moderator_names(&self.conn)
    }

    /// Every room's saved snapshot (JSON), oldest first.
    pub fn rooms(&self) -> Result<Vec<(RoomId, String)>> {
        sqlite::load_rooms(&self.conn)
    }

    /// The latest seq of `room` in its log (0 for none).
    pub fn head(&self, room: &str) -> Result<Seq> {
        sqlite::max_seq(&self.conn, room)
    }

    /// Save a room's snapshot (JSON).
    pub fn save_room(&self, room: &str, snapshot: &str) -> Result<()> {
        sqlite::save_room(&self.conn, room, snapshot)
    }

    /// An older data directory kept a room's members in its snapshot: put
    /// them in their table, then the snapshot without them.
    pub fn move_members(&self, room: &str, members: &[Actor], snapshot: &str) -> Result<()> {
        sqlite::save_members(&self.conn, room, members)?;
        sqlite::save_room(&self.conn, room, snapshot)
    }

    /// What restoring `room` needs, with the nonces of events since `since`.
    pub fn saved(&self, room: &str, since: Millis) -> Result<Saved> {
        Ok(Saved {
            head: sqlite::max_seq(&self.conn, room)?,
            members: sqlite::load_members(&self.conn, room)?,
            recent: sqlite::recent_nonces(&self.conn, room, since)?,
        })
    }

    /// The guest key's text as kept in the data directory, and the file
    /// that keeps it; on a first start `fresh` is made and saved first.
    pub fn guest_key(&self, fresh: impl FnOnce() -> Result<String>) -> Result<(String, PathBuf)> {
        let path = self.data.join(sqlite::GUEST_KEY_FILE);
        let text = match crate::files::read_private(&path)? {
            Some(text) => text,
            None => {
                let text = format!("{}\n", fresh()?);
                crate::files::write_private(&path, &text)?;
                text
            }
        };
        Ok((text, path))
    }

    /// Done starting: the running record, on its own connections.
    pub fn into_record(self) -> Result<Record> {
        let data = self.data;
        // The start-up connection closes before the writer opens its own.
        drop(self.conn);
        Ok(Record::sqlite(SqliteStore::open(&data)?))
    }
}

/// What a cluster node learns from the record as it starts.
pub struct Prepared {
    /// The chair, if this node made them (the first start of the cluster).
    pub chair: Option<FirstChair>,
    /// The guest key's hex, one for every node.
    pub guest_key: String,
    pub moderators: Vec<String>,
}

/// A cluster node's record while it starts: PostgreSQL.
pub struct Cluster {
    pg: PgStore,
}

impl Cluster {
    /// Connect, and create or upgrade the schema.
    pub async fn open(url: &str) -> Result<Cluster> {
        Ok(Cluster {
            pg: PgStore::open(url).await?,
        })
    }

    /// Make the chair on the cluster's first start (keeping their token in
    /// `data`), add the configured `rooms` (id, snapshot JSON) the record
    /// lacks, and read the guest key (set to `fresh_key` if none is) and
    /// the moderators' names.
    pub async fn prepare(
        &self,
        data: &Path,
        rooms: &[(RoomId, String)],
        fresh_key: &str,
    ) -> Result<Prepared> {
        let mut client = self.pg.reader().await?;
        let chair = first_chair(&mut client, data).await?;
        for (id, snapshot) in rooms {
            postgres::create_room(&client, id, snapshot).await?;
        }
        let guest_key = postgres::meta_or_init(&client, "guest_key", fresh_key).await?;
        let moderators = postgres::moderator_names(&client).await?;
        Ok(Prepared {
            chair,
            guest_key,
            moderators,
        })
    }

    /// The running record.
    pub fn record(&self) -> Record {
        Record::postgres(self.pg.clone())
    }
}

/// `Single::first_chair` for a cluster: the first node to start on an
/// empty record makes the chair (under a lock, so two nodes starting
/// together make one), and keeps the token in its own data directory.
async fn first_chair(
    client: &mut deadpool_postgres::Object,
    data: &Path,
) -> Result<Option<FirstChair>> {
    let tx = client.transaction().await?;
    tx.execute("SELECT pg_advisory_xact_lock(7878001)", &[])
        .await?;
    let moderators: i64 = tx
        .query_one(
            "SELECT count(*) FROM participants WHERE role = 'moderator' AND revoked_at IS NULL",
            &[],
        )
        .await?
        .get(0);
    if moderators > 0 {
        return Ok(None);
    }
    let (chair, token, hash) = new_chair()?;
    postgres::insert_participant(&tx, &chair, &hash).await?;
    let path = data.join(CHAIR_TOKEN_FILE);
    crate::files::restrict_umask();
    crate::files::ensure_private_dir(data)?;
    crate::files::write_private(&path, &format!("{token}\n"))?;
    tx.commit().await?;
    tracing::info!(participant = %chair.id, "first start of the cluster: created the chair");
    Ok(Some(FirstChair { token, path }))
}
