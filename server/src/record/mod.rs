//! The record of proceedings, behind one handle: rooms' logs of events and
//! snapshots, their members, the participants and their tokens, and the
//! metadata of events that a rule needs (a reply's target).
//!
//! `Record` is the only way the rest of the server reaches it. Two
//! backends sit behind it: `sqlite` (a single node, the data directory)
//! and `postgres` (a cluster). Both commit in groups on one writer and
//! answer an append only once it is on disk. Every read and write answers
//! with one error type, `RecordError`.
//!
//! In a cluster, a room's writes are fenced by its lease: the cluster
//! gives the room's actor a handle made with `Record::fenced` when its node
//! wins the lease, and every write through that handle lands only while
//! the lease still holds. Callers never pass the fence themselves.
//!
//! `open` is the record as a server opens it at start-up (the first
//! chair, the rooms to restore, the configured rooms, the guest key),
//! before it hands over the running `Record`; `migrate` copies a record
//! between the two backends; `admin` is what the command line does to a
//! record with no server running. Beside these, only the cluster's leases
//! (`cluster::lease`) reach PostgreSQL, through `Record::postgres_store`.

pub mod admin;
pub mod migrate;
pub mod open;
pub mod postgres;
pub mod sqlite;

use dais_protocol::{Actor, EventFrame, Millis, Participant, RoomId, Seq};
use tokio::sync::oneshot;

use postgres::PgStore;
use sqlite::SqliteStore;

/// What the record says about one event, for a rule that names it (a
/// right of reply's target, an interpretation's original).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventMeta {
    pub seq: Seq,
    pub kind: String,
    pub author: Option<String>,
}

/// A participant as the record holds them, with their token's dates.
#[derive(Debug, Clone)]
pub struct ParticipantRow {
    pub participant: Participant,
    pub created_at: Millis,
    pub revoked_at: Option<Millis>,
}

/// One event row, serialized once by the room actor.
#[derive(Debug, Clone)]
pub struct Row {
    pub seq: Seq,
    pub ts: Millis,
    pub kind: &'static str,
    pub author: Option<String>,
    pub nonce: Option<String>,
    /// The `EventFrame` as JSON.
    pub body: String,
}

impl Row {
    /// The row of `frame`, serialized once as `body`. Its author is the
    /// participant whose request caused it (`requester`), or else the
    /// event's own author; `nonce` is the request's, on its last event.
    pub fn of(
        frame: &EventFrame,
        body: String,
        requester: Option<&str>,
        nonce: Option<String>,
    ) -> Row {
        let author = requester.or_else(|| frame.event.author().map(|a| a.id.as_str()));
        Row {
            seq: frame.seq,
            ts: frame.ts,
            kind: frame.event.kind(),
            author: author.map(str::to_string),
            nonce,
            body,
        }
    }
}

/// Why the record did not do what was asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecordError {
    /// Cluster mode: this node no longer holds the room's lease (another
    /// node took it over); nothing was written, and nothing it writes for
    /// the room will be.
    Fenced,
    /// The database failed (or is gone), with what was being done; nothing
    /// was written.
    Failed(String),
}

impl std::fmt::Display for RecordError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RecordError::Fenced => f.write_str("fenced: another node holds the room's lease"),
            RecordError::Failed(e) => f.write_str(e),
        }
    }
}

impl std::error::Error for RecordError {}

impl From<anyhow::Error> for RecordError {
    /// The whole chain of context, on one line: the reader of a log wants
    /// what was being done as well as what failed.
    fn from(e: anyhow::Error) -> RecordError {
        RecordError::Failed(format!("{e:#}"))
    }
}

/// Resolves once an append is on disk, or says why it is not.
pub type Durable = oneshot::Receiver<Result<(), RecordError>>;
pub type Done = oneshot::Sender<Result<(), RecordError>>;

/// Which node may write a room's events, under which epoch of its lease.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fence {
    pub node: String,
    pub epoch: i64,
}

#[derive(Clone)]
enum Backend {
    Sqlite(SqliteStore),
    Postgres(PgStore),
}

/// A cheap handle to the record, shared by every room and connection.
#[derive(Clone)]
pub struct Record {
    backend: Backend,
    /// Cluster mode: the lease under which this handle's writes land. A
    /// PostgreSQL handle without one writes no room's events (only a
    /// room's owner writes them, through the handle it was given).
    fence: Option<Fence>,
}

impl Record {
    /// The embedded record in `data_dir` (single node).
    pub fn sqlite(store: SqliteStore) -> Record {
        Record {
            backend: Backend::Sqlite(store),
            fence: None,
        }
    }

    /// The shared record in PostgreSQL (cluster mode).
    pub fn postgres(store: PgStore) -> Record {
        Record {
            backend: Backend::Postgres(store),
            fence: None,
        }
    }

    /// The same record, for the owner of a room under `fence`: its writes
    /// land only while the lease holds.
    pub fn fenced(&self, fence: Fence) -> Record {
        Record {
            backend: self.backend.clone(),
            fence: Some(fence),
        }
    }

    /// The lease this handle writes under, if any.
    pub fn fence(&self) -> Option<&Fence> {
        self.fence.as_ref()
    }

    /// The PostgreSQL side, for the cluster's own tables (leases, nodes).
    pub fn postgres_store(&self) -> Option<&PgStore> {
        match &self.backend {
            Backend::Postgres(p) => Some(p),
            Backend::Sqlite(_) => None,
        }
    }

    /// Append events, and the room's new snapshot if they changed the room,
    /// in one commit; in cluster mode only while this handle's fence holds
    /// the room's lease. The returned receiver resolves once they are on disk.
    pub fn append(&self, room: &str, rows: Vec<Row>, snapshot: Option<String>) -> Durable {
        match (&self.backend, &self.fence) {
            (Backend::Sqlite(s), _) => s.append(room, rows, snapshot),
            (Backend::Postgres(p), Some(fence)) => p.append(room, fence.clone(), rows, snapshot),
            (Backend::Postgres(_), None) => {
                let (done, rx) = oneshot::channel();
                let _ = done.send(Err(RecordError::Fenced));
                rx
            }
        }
    }

    /// Up to `limit` events of `room` after `after`, oldest first, as JSON.
    pub async fn events_after(
        &self,
        room: &str,
        after: Seq,
        limit: usize,
    ) -> Result<Vec<String>, RecordError> {
        match &self.backend {
            Backend::Sqlite(s) => s.events_after(room, after, limit).await,
            Backend::Postgres(p) => {
                let c = p.reader().await?;
                Ok(postgres::events_after(&c, room, after, limit).await?)
            }
        }
    }

    /// Up to `limit` events of `room` before `before`, oldest first, as
    /// JSON, and whether older ones exist.
    pub async fn events_before(
        &self,
        room: &str,
        before: Seq,
        limit: usize,
    ) -> Result<(Vec<String>, bool), RecordError> {
        match &self.backend {
            Backend::Sqlite(s) => s.events_before(room, before, limit).await,
            Backend::Postgres(p) => {
                let c = p.reader().await?;
                Ok(postgres::events_before(&c, room, before, limit).await?)
            }
        }
    }

    /// What the record says about event `seq` of `room`: none if there is
    /// no such event, or if the record cannot say (a rule that needs it
    /// then refuses, as it would for an unknown event).
    pub async fn event_meta(&self, room: &str, seq: Seq) -> Option<EventMeta> {
        match &self.backend {
            Backend::Sqlite(s) => s.event_meta(room, seq).await,
            Backend::Postgres(p) => {
                let c = p.reader().await.ok()?;
                postgres::event_meta(&c, room, seq).await.ok().flatten()
            }
        }
    }

    /// Save that `who` is a member of `room` (or their new name).
    pub fn member_joined(&self, room: &str, who: &Actor) {
        match (&self.backend, &self.fence) {
            (Backend::Sqlite(s), _) => s.member_joined(room, who),
            (Backend::Postgres(p), Some(fence)) => {
                let actor = serde_json::to_string(who).unwrap_or_default();
                p.members(
                    room,
                    fence.clone(),
                    vec![(who.id.clone(), actor)],
                    Vec::new(),
                )
            }
            (Backend::Postgres(_), None) => {}
        }
    }

    /// Save that `who` is no longer a member of `room`.
    pub fn member_left(&self, room: &str, who: &str) {
        match (&self.backend, &self.fence) {
            (Backend::Sqlite(s), _) => s.member_left(room, who),
            (Backend::Postgres(p), Some(fence)) => {
                p.members(room, fence.clone(), Vec::new(), vec![who.to_string()])
            }
            (Backend::Postgres(_), None) => {}
        }
    }

    /// Note that the server is alive now (single-node mode: in a cluster,
    /// a room's lease says when its owner was last alive).
    pub fn alive(&self, at: Millis) {
        if let Backend::Sqlite(s) = &self.backend {
            s.alive(at);
        }
    }

    /// Wait until everything sent so far is committed.
    pub async fn flush(&self) {
        match &self.backend {
            Backend::Sqlite(s) => s.flush().await,
            Backend::Postgres(p) => p.flush().await,
        }
    }

    /// The participant a token hash belongs to, revoked or not.
    pub async fn participant_by_token(
        &self,
        hash: String,
    ) -> Result<Option<ParticipantRow>, RecordError> {
        match &self.backend {
            Backend::Sqlite(s) => Ok(s
                .read(move |conn| sqlite::participant_by_token(conn, &hash))
                .await?),
            Backend::Postgres(p) => {
                let c = p.reader().await?;
                Ok(postgres::participant_by_token(&c, &hash).await?)
            }
        }
    }

    /// Participants revoked at or after `since`.
    pub async fn revoked_since(&self, since: Millis) -> Result<Vec<(String, Millis)>, RecordError> {
        match &self.backend {
            Backend::Sqlite(s) => Ok(s
                .read(move |conn| sqlite::revoked_since(conn, since))
                .await?),
            Backend::Postgres(p) => {
                let c = p.reader().await?;
                Ok(postgres::revoked_since(&c, since).await?)
            }
        }
    }

    /// Every event of `room`, in seq order (the public pages, fairness).
    pub async fn all_events(&self, room: &str) -> Result<Vec<EventFrame>, RecordError> {
        match &self.backend {
            Backend::Sqlite(s) => {
                let room = room.to_string();
                Ok(s.read(move |conn| sqlite::all_events(conn, &room)).await?)
            }
            Backend::Postgres(p) => {
                let c = p.reader().await?;
                Ok(postgres::all_events(&c, room).await?)
            }
        }
    }

    /// Every room's saved snapshot (JSON), oldest first.
    pub async fn load_rooms(&self) -> Result<Vec<(RoomId, String)>, RecordError> {
        match &self.backend {
            Backend::Sqlite(s) => Ok(s.read(sqlite::load_rooms).await?),
            Backend::Postgres(p) => Ok(postgres::load_rooms(&*p.reader().await?).await?),
        }
    }

    /// One room's saved snapshot (JSON), if the record has the room.
    pub async fn load_room(&self, room: &str) -> Result<Option<String>, RecordError> {
        match &self.backend {
            Backend::Sqlite(s) => {
                let room = room.to_string();
                Ok(s.read(move |conn| sqlite::load_room(conn, &room)).await?)
            }
            Backend::Postgres(p) => Ok(postgres::load_room(&*p.reader().await?, room).await?),
        }
    }

    /// Cluster: add a room made at run time, unless the record has it
    /// already (another node made it first). Whether it was added. On a
    /// single node a new room's actor writes it with its first event.
    pub async fn create_room(&self, room: &str, snapshot: &str) -> Result<bool, RecordError> {
        match &self.backend {
            Backend::Sqlite(_) => Err(RecordError::Failed(
                "a single node's rooms are written by their actor".into(),
            )),
            Backend::Postgres(p) => {
                let c = p.reader().await?;
                Ok(postgres::create_room(&c, room, snapshot).await?)
            }
        }
    }

    /// A room's saved members.
    pub async fn load_members(&self, room: &str) -> Result<Vec<Actor>, RecordError> {
        match &self.backend {
            Backend::Sqlite(s) => {
                let room = room.to_string();
                Ok(s.read(move |conn| sqlite::load_members(conn, &room))
                    .await?)
            }
            Backend::Postgres(p) => Ok(postgres::load_members(&*p.reader().await?, room).await?),
        }
    }

    /// The nonces of a room's events since `since`: (author, nonce, seq,
    /// ts), newest first.
    pub async fn recent_nonces(
        &self,
        room: &str,
        since: Millis,
    ) -> Result<Vec<(String, String, Seq, Millis)>, RecordError> {
        match &self.backend {
            Backend::Sqlite(s) => {
                let room = room.to_string();
                Ok(
                    s.read(move |conn| sqlite::recent_nonces(conn, &room, since))
                        .await?,
                )
            }
            Backend::Postgres(p) => {
                let c = p.reader().await?;
                Ok(postgres::recent_nonces(&c, room, since).await?)
            }
        }
    }

    /// The latest seq of `room` in the record (0 for none).
    pub async fn max_seq(&self, room: &str) -> Result<Seq, RecordError> {
        match &self.backend {
            Backend::Sqlite(s) => {
                let room = room.to_string();
                Ok(s.read(move |conn| sqlite::max_seq(conn, &room)).await?)
            }
            Backend::Postgres(p) => {
                let c = p.reader().await?;
                Ok(postgres::max_seq(&c, room).await?)
            }
        }
    }

    /// Every moderator's name and delegation.
    pub async fn moderator_names(&self) -> Result<Vec<String>, RecordError> {
        match &self.backend {
            Backend::Sqlite(s) => Ok(s.read(sqlite::moderator_names).await?),
            Backend::Postgres(p) => {
                let c = p.reader().await?;
                Ok(postgres::moderator_names(&c).await?)
            }
        }
    }
}
