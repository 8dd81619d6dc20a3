//! Starting and stopping the server: load the data directory, start one
//! actor per room, accept websocket connections, and shut down gracefully.

use crate::config::Config;
use crate::connection;
use crate::outbox::CloseReason;
use crate::registry::Registry;
use crate::room::state::Room;
use crate::store::{self, Store};
use anyhow::{Context, Result};
use axum::extract::ws::WebSocketUpgrade;
use axum::extract::{ConnectInfo, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use dais_protocol::{Role, Stakeholder};
use std::collections::{BTreeMap, HashMap};
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Name of the file, in the data directory, that keeps the first chair's token.
pub const CHAIR_TOKEN_FILE: &str = "chair.token";
/// Longest wait for connections to close at shutdown.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// tungstenite's default read buffer is 128 KiB per connection. What
/// clients send is small (a speech is at most a few KiB), a bigger frame
/// only takes more reads, and 19,000 idle delegates should cost little.
const READ_BUFFER: usize = 2 * 1024;
/// tungstenite writes its buffer out once it holds this much, and never
/// shrinks it: the default (128 KiB) leaves every connection that once took a
/// burst holding 128 KiB for the rest of its life. 8 KiB keeps most of the
/// batching (one flush still writes everything queued) for a fraction of that.
const WRITE_BUFFER: usize = 8 * 1024;

/// What every connection shares.
pub struct Shared {
    pub registry: Arc<Registry>,
    pub store: Store,
    pub config: Arc<Config>,
    per_address: Mutex<HashMap<IpAddr, usize>>,
    /// Rate-limit buckets by participant, shared by their connections.
    pub buckets: crate::limits::Buckets,
    shutting_down: AtomicBool,
}

impl Shared {
    pub fn is_shutting_down(&self) -> bool {
        self.shutting_down.load(Ordering::Relaxed)
    }
}

/// Counts a connection against its address for as long as it lives.
struct AddressSlot {
    shared: Arc<Shared>,
    ip: IpAddr,
}

impl AddressSlot {
    /// Take a slot; the bool is true when the address was already at its limit.
    fn take(shared: &Arc<Shared>, ip: IpAddr) -> (AddressSlot, bool) {
        let limit = shared.config.limits.connections_per_address;
        let mut over = false;
        if let Ok(mut map) = shared.per_address.lock() {
            let n = map.entry(ip).or_default();
            *n += 1;
            over = *n > limit;
        }
        (
            AddressSlot {
                shared: shared.clone(),
                ip,
            },
            over,
        )
    }
}

impl Drop for AddressSlot {
    fn drop(&mut self) {
        if let Ok(mut map) = self.shared.per_address.lock() {
            if let Some(n) = map.get_mut(&self.ip) {
                *n = n.saturating_sub(1);
                if *n == 0 {
                    map.remove(&self.ip);
                }
            }
        }
    }
}

async fn websocket(
    ws: WebSocketUpgrade,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    State(shared): State<Arc<Shared>>,
) -> Response {
    let (slot, over) = AddressSlot::take(&shared, addr.ip());
    let max = shared.config.limits.max_frame_bytes;
    ws.max_message_size(max)
        .max_frame_size(max)
        .read_buffer_size(READ_BUFFER)
        .write_buffer_size(WRITE_BUFFER)
        .on_upgrade(move |socket| async move {
            let _slot = slot;
            connection::run(socket, shared, over).await;
        })
}

async fn healthz(State(shared): State<Arc<Shared>>) -> impl IntoResponse {
    if shared.is_shutting_down() {
        (
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            "shutting down\n",
        )
    } else {
        (axum::http::StatusCode::OK, "ok\n")
    }
}

async fn metrics(State(shared): State<Arc<Shared>>) -> impl IntoResponse {
    let gauges = crate::metrics::Gauges {
        connections: shared.registry.conn_count(),
        rooms: shared.registry.room_count(),
        outbox_frames: shared.registry.queued_frames(),
    };
    (
        [(
            axum::http::header::CONTENT_TYPE,
            "text/plain; version=0.0.4",
        )],
        crate::metrics::render(&gauges),
    )
}

/// Create the first chair on an empty data directory. Returns the token and
/// where it was saved, to be shown once the address is known.
fn first_start(conn: &rusqlite::Connection, data: &Path) -> Result<Option<(String, PathBuf)>> {
    if store::participant_count(conn)? > 0 {
        return Ok(None);
    }
    let (chair, token) = crate::auth::provision(
        conn,
        "Chair",
        "Secretariat",
        Stakeholder::Intergovernmental,
        Role::Moderator,
        vec!["en".into()],
    )?;
    let path = data.join(CHAIR_TOKEN_FILE);
    write_private(&path, &format!("{token}\n"))?;
    tracing::info!(participant = %chair.id, "first start: created the chair");
    Ok(Some((token, path)))
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

/// Write a file that only its owner can read.
fn write_private(path: &Path, text: &str) -> Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options
        .open(path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    file.write_all(text.as_bytes())
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

/// Load every room from the store and make sure the configured ones exist.
fn load_rooms(conn: &rusqlite::Connection, config: &Config) -> Result<Vec<Room>> {
    let mut rooms: BTreeMap<String, Room> = BTreeMap::new();
    for (id, snapshot) in store::load_rooms(conn)? {
        let mut room: Room = serde_json::from_str(&snapshot)
            .with_context(|| format!("the saved state of room `{id}` cannot be read"))?;
        // The snapshot and its events are written in one transaction, so
        // they agree; trust the log if they ever do not.
        room.seq = room.seq.max(store::max_seq(conn, &id)?);
        rooms.insert(id, room);
    }
    for rc in config.rooms_or_default() {
        match rooms.get_mut(&rc.id) {
            Some(room) => {
                // Titles, description and policy follow the config; the mode and
                // time limit are the chair's to change while the room runs.
                room.settings.titles = rc.titles.clone();
                room.settings.description = rc.description.clone();
                room.settings.policy = rc.policy;
                room.settings.auto_advance = rc.auto_advance;
                store::save_room(conn, &rc.id, &serde_json::to_string(&room)?)?;
            }
            None => {
                let room = Room::new(rc.id.clone(), rc.settings());
                store::save_room(conn, &rc.id, &serde_json::to_string(&room)?)?;
                rooms.insert(rc.id.clone(), room);
            }
        }
    }
    Ok(rooms.into_values().collect())
}

/// Where to find the certificate chain and key for `wss://`.
#[derive(Debug, Clone)]
pub struct TlsFiles {
    pub cert: PathBuf,
    pub key: PathBuf,
}

/// Run the server until SIGINT or SIGTERM.
pub async fn serve(
    listen: SocketAddr,
    data: PathBuf,
    config: Config,
    tls: Option<TlsFiles>,
) -> Result<()> {
    let tls = match &tls {
        Some(files) => Some(crate::listener::tls_acceptor(&files.cert, &files.key)?),
        None => None,
    };
    let scheme = if tls.is_some() { "wss" } else { "ws" };
    let (chair, rooms) = {
        let conn = store::open_db(&data)?;
        let chair = first_start(&conn, &data)?;
        (chair, load_rooms(&conn, &config)?)
    };
    let store = Store::open(&data)?;
    let registry = Registry::new();
    let shared = Arc::new(Shared {
        registry: registry.clone(),
        store: store.clone(),
        config: Arc::new(config),
        per_address: Mutex::new(HashMap::new()),
        buckets: Default::default(),
        shutting_down: AtomicBool::new(false),
    });
    let count = rooms.len();
    for room in rooms {
        registry.start_room(room, &store);
    }
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .with_context(|| format!("cannot listen on {listen}"))?;
    let bound = listener.local_addr()?;
    tracing::info!(address = %bound, rooms = count, data = %data.display(), "listening");
    let url = client_url(bound).replacen("ws", scheme, 1);
    if let Some((token, path)) = chair {
        println!("Dais: first start with an empty data directory; created a chair (moderator).");
        println!("  Chair token (shown once, keep it secret): {token}");
        println!("  Saved in {} (readable only by you).", path.display());
        println!("  Join as chair:  cargo run --release -p dais -- --server {url} --token {token}");
    }
    eprintln!(
        "dais-server listening on {url} ({count} rooms, data in {})",
        data.display()
    );

    tokio::spawn(watch_revocations(shared.clone()));

    let app = Router::new()
        .route("/", get(websocket))
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics))
        .with_state(shared.clone());
    let signal_shared = shared.clone();
    let handshake_timeout = Duration::from_secs(shared.config.limits.handshake_timeout_secs.max(1));
    crate::listener::serve(listener, app, tls, handshake_timeout, async move {
        shutdown_signal().await;
        tracing::info!("shutting down: closing connections");
        signal_shared.shutting_down.store(true, Ordering::Relaxed);
        signal_shared
            .registry
            .close_all(CloseReason::ServerShutdown);
    })
    .await;

    // Upgraded websockets outlive axum's own graceful shutdown: wait for them.
    let deadline = tokio::time::Instant::now() + SHUTDOWN_GRACE;
    while shared.registry.conn_count() > 0 && tokio::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    store.flush().await;
    tracing::info!("stopped; the record is on disk");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}

/// `participant revoke` runs in another process: notice its writes and close
/// the revoked participant's live connections within a second or so.
async fn watch_revocations(shared: Arc<Shared>) {
    let started = store::now_ms();
    let mut tick = tokio::time::interval(Duration::from_millis(500));
    loop {
        tick.tick().await;
        if shared.is_shutting_down() {
            return;
        }
        let revoked = shared
            .store
            .read(move |conn| store::revoked_since(conn, started - 1000))
            .await;
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
    }
}
