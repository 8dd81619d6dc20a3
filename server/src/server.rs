//! Starting and stopping the server: load the data directory (or join a
//! cluster), start one actor per room, serve HTTP and websockets through
//! `listener`, and on the shutdown signal (`shutdown.rs`) stop accepting,
//! wait a while for the connections to close, and put the record on disk.

use crate::config::Config;
use crate::connection;
use crate::guest::GuestKey;
use crate::record::open::{Cluster, FirstChair, Single};
use crate::record::Record;
use crate::registry::Registry;
use crate::room::start::Start;
use crate::room::state::Room;
use crate::shared::Shared;
use crate::shutdown::Shutdown;
use crate::ws::CloseReason;
use anyhow::{Context, Result};
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use std::collections::BTreeMap;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

/// Name of the file, in the data directory, that keeps the first chair's token.
pub use crate::record::open::CHAIR_TOKEN_FILE;
/// Longest wait for connections to close at shutdown.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// `/`: the websocket endpoint, and for a browser that asks for a page,
/// the public rooms. A websocket gets our own upgrade (`ws::accept`), then
/// the connection runs in a task of its own once hyper hands the socket over.
async fn websocket(
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    State(shared): State<Arc<Shared>>,
    mut req: axum::extract::Request,
) -> Response {
    let upgrade = req
        .headers()
        .get(axum::http::header::UPGRADE)
        .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"websocket"));
    if !upgrade {
        let query = req.uri().query().map(str::to_string);
        return crate::web::index(shared, addr, query.as_deref(), req.headers()).await;
    }
    let slot = req.extensions().get::<crate::listener::SlotRef>().cloned();
    match crate::ws::accept(&mut req) {
        Err(refused) => refused,
        Ok((switching, pending)) => {
            let guard = shared.shutdown.guard();
            tokio::spawn(async move {
                // The address's slot lives as long as the websocket does,
                // and so does the guard the shutdown waits for.
                let _slot = slot;
                let _guard = guard;
                connection::run(pending, shared, addr.ip()).await;
            });
            switching
        }
    }
}

async fn healthz(State(shared): State<Arc<Shared>>) -> impl IntoResponse {
    if shared.shutdown.is_begun() {
        return (StatusCode::SERVICE_UNAVAILABLE, "shutting down\n");
    }
    // A cluster node that cannot reach the bus, or renew its leases, must
    // not look healthy: its load balancer should send clients elsewhere.
    if let Some(node) = shared.cluster.get() {
        if !node.bus_up() {
            return (StatusCode::SERVICE_UNAVAILABLE, "bus unreachable\n");
        }
        if !node.healthy() {
            return (
                StatusCode::SERVICE_UNAVAILABLE,
                "cannot renew leases in PostgreSQL\n",
            );
        }
    }
    (StatusCode::OK, "ok\n")
}

async fn metrics(State(shared): State<Arc<Shared>>, headers: HeaderMap) -> Response {
    if let Some(token) = &shared.config.server.metrics_token {
        let given = headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "));
        if !given.is_some_and(|g| crate::auth::same_secret(g, token)) {
            return (
                StatusCode::UNAUTHORIZED,
                [(axum::http::header::WWW_AUTHENTICATE, "Bearer")],
                "metrics need a bearer token\n",
            )
                .into_response();
        }
    }
    let gauges = crate::metrics::Gauges {
        connections: shared.registry.conn_count(),
        rooms: shared.registry.room_count(),
        outbox_frames: shared.registry.queued_frames(),
        cluster: shared
            .cluster
            .get()
            .map(|node| crate::metrics::ClusterGauges {
                bus_up: node.bus_up(),
                leases_ok: node.healthy(),
                rooms_owned: node.owned_count(),
            }),
    };
    (
        [(
            axum::http::header::CONTENT_TYPE,
            "text/plain; version=0.0.4",
        )],
        crate::metrics::render(&gauges),
    )
        .into_response()
}

/// `--address-file`: the URL clients use, written whole or not at all (a
/// temporary file beside it, then a rename), so that whoever waits for the
/// file never reads half an address. Written once the rooms are open and
/// the first start's chair token is on disk, as the "listening on" line is.
fn write_address_file(path: &Path, url: &str) -> Result<()> {
    let name = path
        .file_name()
        .with_context(|| format!("--address-file {} names no file", path.display()))?;
    let mut tmp_name = std::ffi::OsString::from(".");
    tmp_name.push(name);
    tmp_name.push(format!(".{}.tmp", std::process::id()));
    let tmp = path.with_file_name(tmp_name);
    std::fs::write(&tmp, format!("{url}\n"))
        .with_context(|| format!("cannot write {}", tmp.display()))?;
    std::fs::rename(&tmp, path).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

/// The address a client on this machine should use for `listen`.
pub fn client_url(listen: SocketAddr) -> String {
    let host = match listen.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => "127.0.0.1".to_string(),
        IpAddr::V6(ip) if ip.is_unspecified() => "[::1]".to_string(),
        IpAddr::V6(ip) => format!("[{ip}]"),
        IpAddr::V4(ip) => ip.to_string(),
    };
    format!("ws://{host}:{}", listen.port())
}

/// Load every room from the record and make sure the configured ones exist.
/// Each room comes with its members and its recent nonces.
fn load_rooms(
    record: &Single,
    config: &Config,
    down_from: Option<dais_protocol::Millis>,
) -> Result<Vec<Start>> {
    let mut rooms: BTreeMap<String, Room> = BTreeMap::new();
    for (id, snapshot) in record.rooms()? {
        let mut room: Room = serde_json::from_str(&snapshot)
            .with_context(|| format!("the saved state of room `{id}` cannot be read"))?;
        // The snapshot and its events are written in one transaction, so
        // they agree; trust the log if they ever do not.
        room.seq = room.seq.max(record.head(&id)?);
        if !room.members.is_empty() {
            // An older data directory kept the members in the snapshot:
            // move them to their table, once.
            let actors: Vec<_> = room.members.values().map(|m| m.who.clone()).collect();
            record.move_members(&id, &actors, &serde_json::to_string(&room)?)?;
            tracing::info!(room = %id, members = actors.len(), "moved the members out of the room's snapshot");
        }
        rooms.insert(id, room);
    }
    for rc in config.rooms_or_default() {
        match rooms.get_mut(&rc.id) {
            Some(room) => {
                rc.apply_to(room);
                record.save_room(&rc.id, &serde_json::to_string(&room)?)?;
            }
            None => {
                let room = Room::new(rc.id.clone(), rc.settings(config.rooms.is_empty()));
                record.save_room(&rc.id, &serde_json::to_string(&room)?)?;
                rooms.insert(rc.id.clone(), room);
            }
        }
    }
    let setup = crate::room::start::Setup::from_limits(&config.limits);
    let since = setup.nonces_since(crate::clock::now_ms());
    let mut starts = Vec::with_capacity(rooms.len());
    for (id, room) in rooms {
        let saved = record.saved(&id, since)?;
        starts.push(
            setup
                .restored(room, saved.head, saved.members, saved.recent)
                .after_downtime(down_from),
        );
    }
    Ok(starts)
}

/// Where to find the certificate chain and key for `wss://`.
#[derive(Debug, Clone)]
pub struct TlsFiles {
    pub cert: PathBuf,
    pub key: PathBuf,
}

/// Cluster mode: where the record and the bus are, and who this node is.
#[derive(Debug, Clone)]
pub struct ClusterOptions {
    pub database_url: String,
    pub bus_url: String,
    pub node_id: String,
    /// Channel names on the bus start with this (several clusters, or
    /// tests, can share one Redis).
    pub bus_prefix: String,
    /// How long a room's lease lasts without renewal.
    pub lease: Duration,
}

/// What starting either way gives the rest of `serve`.
struct Started {
    shared: Arc<Shared>,
    chair: Option<FirstChair>,
    rooms: usize,
    /// Where the record is, for the start-up line.
    record: String,
}

/// One node on its data directory: SQLite, every room's actor here.
fn start_single(data: &Path, config: Config) -> Result<Started> {
    let opening = Single::open(data)?;
    // When the server was last seen running (a clean stop writes it as it
    // goes, so an outage is only what a crash or a kill left).
    let down_from = opening.alive_at()?;
    let chair = opening.first_chair()?;
    let moderators = opening.moderator_names()?;
    let rooms = load_rooms(&opening, &config, down_from)?;
    let (key, key_file) = opening.guest_key(GuestKey::random_hex)?;
    let guest_key = GuestKey::from_file(&key, &key_file)?;
    let store = opening.into_record()?;
    let registry = Registry::new();
    let shared = Arc::new(Shared::new(
        registry.clone(),
        store.clone(),
        config,
        guest_key,
        moderators,
    ));
    let count = rooms.len();
    for room in rooms {
        registry.start_room(room, &store);
    }
    tokio::spawn(keep_alive(store, shared.shutdown.clone()));
    Ok(Started {
        shared,
        chair,
        rooms: count,
        record: format!("data in {}", data.display()),
    })
}

/// A node of a cluster: the record in PostgreSQL, the bus on Redis; this
/// node follows every room and owns those its leases give it.
async fn start_cluster(
    data: &Path,
    config: Config,
    options: ClusterOptions,
    address: String,
) -> Result<Started> {
    let opening = Cluster::open(&options.database_url).await?;
    // The configured rooms exist in the record; a node that takes one
    // brings its titles and policy in line with the config.
    let mut rooms = Vec::new();
    for rc in config.rooms_or_default() {
        let room = Room::new(rc.id.clone(), rc.settings(config.rooms.is_empty()));
        rooms.push((rc.id.clone(), serde_json::to_string(&room)?));
    }
    // Every node signs and checks guests' credentials with one key.
    let prepared = opening
        .prepare(data, &rooms, &GuestKey::random_hex()?)
        .await?;
    let (chair, guest_key, moderators) = (
        prepared.chair,
        GuestKey::from_hex(&prepared.guest_key)?,
        prepared.moderators,
    );
    let record = opening.record();
    let bus = crate::cluster::bus::Bus::open(&options.bus_url, &options.bus_prefix).await?;
    let registry = Registry::new();
    let shared = Arc::new(Shared::new(
        registry.clone(),
        record.clone(),
        config,
        guest_key,
        moderators,
    ));
    let node = crate::cluster::node::Node::start(
        crate::cluster::node::NodeSettings {
            node: options.node_id.clone(),
            lease: options.lease,
            address,
        },
        record,
        bus,
        registry.clone(),
        shared.config.clone(),
    )
    .await?;
    let _ = shared.cluster.set(node);
    Ok(Started {
        shared,
        chair,
        rooms: registry.room_count(),
        record: format!(
            "node {} of a cluster on {}",
            options.node_id,
            crate::redact::url(&options.database_url)
        ),
    })
}

/// Run the server until SIGINT or SIGTERM: one node on SQLite in `data`,
/// or with `cluster`, a node of a cluster.
pub async fn serve(
    listen: SocketAddr,
    data: PathBuf,
    config: Config,
    tls: Option<TlsFiles>,
    cluster: Option<ClusterOptions>,
    address_file: Option<PathBuf>,
) -> Result<()> {
    let tls = match &tls {
        Some(files) => Some(crate::listener::tls_acceptor(&files.cert, &files.key)?),
        None => None,
    };
    let scheme = if tls.is_some() { "wss" } else { "ws" };
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .with_context(|| format!("cannot listen on {listen}"))?;
    let bound = listener.local_addr()?;
    let url = client_url(bound).replacen("ws", scheme, 1);
    let started = match cluster {
        None => start_single(&data, config)?,
        Some(options) => start_cluster(&data, config, options, url.clone()).await?,
    };
    announce(bound, &url, &started);
    // Written once the rooms are open and the first chair's token is on
    // disk, so that whoever waits for it can connect at once.
    if let Some(path) = &address_file {
        write_address_file(path, &url)?;
    }
    let shared = started.shared;
    tokio::spawn(watch_participants(shared.clone()));
    let app = routes(&shared).await?;
    let shutdown = shared.shutdown.clone();
    tokio::spawn(async move {
        crate::shutdown::os_signal().await;
        tracing::info!("shutting down: closing connections");
        shutdown.begin();
    });
    let handshake_timeout = Duration::from_secs(shared.config.limits.handshake_timeout_secs.max(1));
    crate::listener::serve(
        listener,
        app,
        tls,
        shared.gate.clone(),
        handshake_timeout,
        shared.config.limits.send_buffer_bytes,
        shared.shutdown.clone(),
    )
    .await;
    stop(&shared).await;
    Ok(())
}

/// Say where the server listens, and on a first start where the chair's
/// token is.
fn announce(bound: SocketAddr, url: &str, started: &Started) {
    let count = started.rooms;
    let record = &started.record;
    tracing::info!(address = %bound, rooms = count, %record, "listening");
    if let Some(FirstChair { path, .. }) = &started.chair {
        // The token itself is not printed: on a server it would end up in
        // the journal. It is in the file, readable only by this user.
        println!("Dais: first start; created a chair (moderator).");
        println!(
            "  The chair's token is in {} (readable only by you).",
            path.display()
        );
        println!(
            "  Join as chair:  cargo run --release -p dais -- --server {url} --token-file {}",
            path.display()
        );
    }
    eprintln!("dais-server listening on {url} ({count} rooms, {record})");
}

/// The HTTP routes of the main port, and `/metrics` either among them or
/// on a listener of its own (which stops on the shutdown signal too).
async fn routes(shared: &Arc<Shared>) -> Result<Router> {
    let metrics_router = Router::new()
        .route("/metrics", get(metrics))
        .with_state(shared.clone());
    let app = Router::new()
        .route("/", get(websocket))
        .route("/healthz", get(healthz))
        .merge(crate::web::routes())
        .with_state(shared.clone());
    let Some(addr) = shared.config.server.metrics_listen else {
        return Ok(app.merge(metrics_router));
    };
    let l = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("cannot listen on {addr} for /metrics"))?;
    tracing::info!(address = %addr, "serving /metrics");
    let shutdown = shared.shutdown.clone();
    tokio::spawn(async move {
        let stopped = async move { shutdown.signalled().await };
        if let Err(e) = axum::serve(l, metrics_router)
            .with_graceful_shutdown(stopped)
            .await
        {
            tracing::warn!(error = %e, "the metrics listener stopped");
        }
    });
    Ok(app)
}

/// After the accept loop: wait (a while) for the websockets, which outlive
/// it, to close; hand a cluster node's rooms on; put the record on disk.
async fn stop(shared: &Shared) {
    if !shared.shutdown.all_done(SHUTDOWN_GRACE).await {
        tracing::warn!(
            connections = shared.registry.conn_count(),
            "some connections did not close in time"
        );
    }
    // A clean stop: nothing was lost, so the next start pauses nothing.
    // A cluster node hands its rooms on to the others at once.
    if let Some(node) = shared.cluster.get() {
        node.stop().await;
    }
    shared.store.alive(crate::clock::now_ms());
    shared.store.flush().await;
    tracing::info!("stopped; the record is on disk");
}

/// How often the server notes that it is alive: after a crash, a running
/// turn gets back the time from the last note on.
const ALIVE_EVERY: Duration = Duration::from_secs(1);

/// Note that the server is alive every `ALIVE_EVERY`, until the shutdown
/// signal (after which `stop` writes the last note itself).
async fn keep_alive(store: Record, shutdown: Shutdown) {
    let mut tick = tokio::time::interval(ALIVE_EVERY);
    loop {
        tokio::select! {
            _ = tick.tick() => store.alive(crate::clock::now_ms()),
            _ = shutdown.signalled() => return,
        }
    }
}

/// `participant revoke` and `participant add` run in another process:
/// notice their writes. A revoked participant's live connections are closed
/// within a second or so; a new moderator's name is reserved from guests.
async fn watch_participants(shared: Arc<Shared>) {
    let started = crate::clock::now_ms();
    let mut tick = tokio::time::interval(Duration::from_millis(500));
    let mut ticks = 0u64;
    loop {
        tokio::select! {
            _ = tick.tick() => {}
            _ = shared.shutdown.signalled() => return,
        }
        ticks += 1;
        let revoked = shared.store.revoked_since(started - 1000).await;
        match revoked {
            Ok(list) => {
                for (id, _) in list {
                    let n = shared
                        .registry
                        .close_participant(&id, CloseReason::TokenRevoked);
                    if n > 0 {
                        tracing::info!(participant = %id, connections = n, "token revoked: connections closed");
                    }
                }
            }
            Err(e) => tracing::warn!(error = %e, "cannot check for revoked tokens"),
        }
        if ticks.is_multiple_of(10) {
            match shared.store.moderator_names().await {
                Ok(names) => shared.set_moderators(names),
                Err(e) => tracing::warn!(error = %e, "cannot read the moderators' names"),
            }
        }
    }
}
