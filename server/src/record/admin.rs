//! The record as the admin's commands see it, with no server running:
//! participants added, listed and revoked, a room's whole record read
//! for the export, and the whole record backed up. Each works on the data directory (SQLite) or on a
//! cluster's PostgreSQL, so that the command line says what to do and this
//! module how, for either backend.

use super::{postgres, sqlite, ParticipantRow};
use anyhow::{bail, Context, Result};
use dais_protocol::{Actor, EventFrame, Participant};
use std::path::Path;

/// Where the record is: the data directory, or a cluster's database.
#[derive(Debug, Clone, Copy)]
pub enum Place<'a> {
    Dir(&'a Path),
    Postgres(&'a str),
}

/// A room's whole record: its saved state (JSON), its events and members.
pub type RoomRecord = (String, Vec<EventFrame>, Vec<Actor>);

impl<'a> Place<'a> {
    /// The cluster's database when a URL is given, else the data directory.
    pub fn of(data: &'a Path, url: Option<&'a str>) -> Place<'a> {
        match url {
            Some(url) => Place::Postgres(url),
            None => Place::Dir(data),
        }
    }

    /// Save participants with their token hashes, all or none.
    pub async fn add_participants(&self, rows: &[(Participant, String)]) -> Result<()> {
        match self {
            Place::Dir(data) => {
                let conn = sqlite::open_db(data)?;
                let tx = conn.unchecked_transaction()?;
                for (p, hash) in rows {
                    sqlite::insert_participant(&tx, p, hash)
                        .context("cannot provision the participant")?;
                }
                tx.commit()?;
                Ok(())
            }
            Place::Postgres(url) => {
                let mut client = postgres::connect(url).await?;
                postgres::migrate(&client).await?;
                postgres::insert_participants(&mut client, rows).await
            }
        }
    }

    /// Every participant, oldest first.
    pub async fn list_participants(&self) -> Result<Vec<ParticipantRow>> {
        match self {
            Place::Dir(data) => sqlite::list_participants(&sqlite::open_db(data)?),
            Place::Postgres(url) => {
                let client = postgres::connect(url).await?;
                postgres::migrate(&client).await?;
                postgres::list_participants(&client).await
            }
        }
    }

    /// Revoke a participant's token; false when there is no such participant.
    pub async fn revoke_participant(&self, id: &str) -> Result<bool> {
        match self {
            Place::Dir(data) => sqlite::revoke_participant(&sqlite::open_db(data)?, id),
            Place::Postgres(url) => {
                let client = postgres::connect(url).await?;
                postgres::migrate(&client).await?;
                postgres::revoke_participant(&client, id).await
            }
        }
    }

    /// Copy the whole record into a SQLite file at `to` (SQLite's online
    /// backup, or PostgreSQL read out); says what was copied, for the
    /// admin's message.
    pub async fn backup(&self, to: &Path) -> Result<String> {
        match self {
            Place::Dir(data) => {
                sqlite::backup(data, to)?;
                Ok(data.display().to_string())
            }
            Place::Postgres(url) => {
                let moved = super::migrate::pg_to_sqlite(url, to).await?;
                Ok(format!("{} ({moved})", crate::redact::url(url)))
            }
        }
    }

    /// A room's whole record, for the export.
    pub async fn room_record(&self, room: &str) -> Result<RoomRecord> {
        match self {
            Place::Dir(data) => room_record_in_dir(data, room),
            Place::Postgres(url) => {
                let client = postgres::connect(url).await?;
                let snapshot = postgres::load_room(&client, room)
                    .await?
                    .with_context(|| format!("no room `{room}` in the cluster's record"))?;
                let events = postgres::all_events(&client, room).await?;
                let members = postgres::load_members(&client, room).await?;
                Ok((snapshot, events, members))
            }
        }
    }
}

/// A room's whole record from the data directory (no async runtime needed).
pub fn room_record_in_dir(data: &Path, room: &str) -> Result<RoomRecord> {
    if !data.join(sqlite::DB_FILE).exists() {
        bail!(
            "no Dais data in {} (use --data to point at the data directory)",
            data.display()
        );
    }
    let conn = sqlite::open_db(data)?;
    let snapshot = sqlite::load_room(&conn, room)?
        .with_context(|| format!("no room `{room}` in {}", data.display()))?;
    let events = sqlite::all_events(&conn, room)?;
    let members = sqlite::load_members(&conn, room)?;
    Ok((snapshot, events, members))
}
