//! A cluster of `dais-server` nodes for the cluster scenarios
//! (`cluster-fanout`, `cluster-rooms`, `failover`): a PostgreSQL database
//! and a bus prefix of the run's own, K nodes on 127.0.0.1 (each on an
//! ephemeral port with a data directory of its own), and, for the
//! reference leg of `cluster-fanout`, one node on its embedded defaults
//! (SQLite in its data directory, no cluster flags).
//!
//! Every node is started on `--server-cpus`, so all K share what one
//! single node would have; PostgreSQL and Redis are the machine's own
//! services and run wherever the kernel puts them (their CPU time is
//! counted, see `ServiceCpu`). The database is dropped and every node
//! stopped when the cluster is dropped, whatever happened to the run.

use crate::cli::{Args, Scenario};
use crate::conn::Dialer;
use crate::pool::{self, Needs, Provisioned};
use crate::server::{self, loopback_addr};
use crate::sys::{self, now_ns};
use anyhow::{bail, Context, Result};
use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Child;
use std::time::Duration;

/// Rooms every node opens when its config has no `[[room]]`: they are in
/// the cluster's record too, spread over the nodes like any free room.
use crate::server::SERVER_DEFAULT_ROOMS;

/// What was pinned where, for the report.
pub fn pinning_note(args: &Args) -> String {
    format!(
        "pinning: every dais-server node on CPUs {} (all nodes share them), the load generator on CPUs {}; PostgreSQL and Redis are the machine's services, not pinned",
        args.server_cpus.as_deref().unwrap_or("any"),
        sys::allowed_cpus(std::process::id()).unwrap_or_else(|| "?".into()),
    )
}

/// A name for this run's database and bus prefix: unique, and a valid
/// PostgreSQL identifier as it stands.
fn unique_name(scenario: Scenario) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!(
        "dais_lg_{}_{}_{nanos:x}",
        scenario.name().replace('-', "_"),
        std::process::id()
    )
}

async fn pg_connect(url: &str) -> Result<tokio_postgres::Client> {
    let (client, conn) = tokio_postgres::connect(url, tokio_postgres::NoTls)
        .await
        .with_context(|| format!("cannot reach PostgreSQL at {url}"))?;
    tokio::spawn(conn);
    Ok(client)
}

/// This run's database on the machine's PostgreSQL.
struct Database {
    /// The server, without a database name.
    server: String,
    name: String,
    dropped: bool,
}

impl Database {
    async fn create(server: &str, name: &str) -> Result<Database> {
        let admin = pg_connect(&format!("{server}/postgres")).await?;
        admin
            .execute(&format!("CREATE DATABASE {name}"), &[])
            .await
            .with_context(|| format!("cannot create database {name}"))?;
        Ok(Database {
            server: server.to_string(),
            name: name.to_string(),
            dropped: false,
        })
    }

    fn url(&self) -> String {
        format!("{}/{}", self.server, self.name)
    }

    async fn drop_now(&mut self) {
        if self.dropped {
            return;
        }
        self.dropped = true;
        if let Ok(admin) = pg_connect(&format!("{}/postgres", self.server)).await {
            let sql = format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name);
            if let Err(e) = admin.execute(&sql, &[]).await {
                eprintln!("dais-loadgen: cannot drop database {}: {e}", self.name);
            }
        }
    }
}

impl Drop for Database {
    fn drop(&mut self) {
        if self.dropped {
            return;
        }
        // Drop may run inside the run's runtime, which cannot block on
        // another: a thread of its own, with a runtime of its own.
        let (server, name) = (self.server.clone(), self.name.clone());
        let _ = std::thread::spawn(move || {
            let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            else {
                return;
            };
            rt.block_on(async {
                let mut db = Database {
                    server,
                    name,
                    dropped: false,
                };
                db.drop_now().await;
            });
        })
        .join();
    }
}

/// One running `dais-server`.
pub struct Node {
    /// `n1`, `n2`, ... (the single node: `single`).
    pub id: String,
    pub url: String,
    pub addr: SocketAddr,
    pub pid: u32,
    pub data: PathBuf,
    child: Option<Child>,
}

impl Node {
    /// `kill -9`: the process ends at once, its sockets with it.
    pub fn kill(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    /// How it ended, if it exited on its own (a node this run killed did
    /// not): its exit code, or the signal that ended it.
    fn exited(&mut self) -> Option<String> {
        use std::os::unix::process::ExitStatusExt;
        let status = self.child.as_mut()?.try_wait().ok()??;
        Some(match (status.code(), status.signal()) {
            (Some(code), _) => format!("exit code {code}"),
            (None, Some(sig)) => format!("signal {sig}"),
            _ => "unknown status".into(),
        })
    }

    /// SIGTERM (a node hands its rooms on), then SIGKILL after ten seconds.
    fn terminate(&mut self) {
        let Some(mut child) = self.child.take() else {
            return;
        };
        // SAFETY: kill with a pid this run spawned and has not reaped.
        unsafe {
            libc::kill(child.id() as libc::pid_t, libc::SIGTERM);
        }
        for _ in 0..100 {
            if matches!(child.try_wait(), Ok(Some(_))) {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = child.kill();
        let _ = child.wait();
    }
}

/// The nodes of one leg, and their database.
pub struct Cluster {
    pub nodes: Vec<Node>,
    /// None for the single node on SQLite.
    db: Option<Database>,
    pub prefix: String,
    pub lease_secs: u64,
    pub server_bin: PathBuf,
    /// Where the nodes' data directories are.
    pub dir: PathBuf,
    tmp: Option<tempfile::TempDir>,
}

impl Cluster {
    /// Start `n` nodes of a cluster (`single`: one node without cluster
    /// flags). The first starts alone, so that it makes the chair; the
    /// others follow, each once the one before says where it listens.
    pub async fn start(args: &Args, n: usize, single: bool) -> Result<Cluster> {
        let server_bin = server::server_bin(args)?;
        let name = unique_name(args.scenario);
        let (dir, tmp) = match &args.data {
            Some(d) => (d.join(&name), None),
            None => {
                let t = tempfile::Builder::new()
                    .prefix("dais-loadgen-cluster-")
                    .tempdir()
                    .context("cannot make a temporary directory")?;
                (t.path().to_path_buf(), Some(t))
            }
        };
        std::fs::create_dir_all(&dir)?;
        let db = if single {
            None
        } else {
            Some(Database::create(&args.pg_url, &name).await?)
        };
        let mut cluster = Cluster {
            nodes: Vec::new(),
            db,
            prefix: name,
            lease_secs: args.lease_secs,
            server_bin,
            dir,
            tmp,
        };
        let config = cluster.dir.join(server::CONFIG_FILE);
        std::fs::write(&config, config_toml(args))
            .with_context(|| format!("cannot write {}", config.display()))?;
        for i in 1..=n {
            let id = if single {
                "single".to_string()
            } else {
                format!("n{i}")
            };
            let node = cluster.spawn_node(args, &id, &config)?;
            cluster.nodes.push(node);
        }
        Ok(cluster)
    }

    fn spawn_node(&self, args: &Args, id: &str, config: &Path) -> Result<Node> {
        let data = self.dir.join(id);
        std::fs::create_dir_all(&data)?;
        let log = data.join(server::LOG_FILE);
        let mut spawner = dais_kit::Spawner::new(&self.server_bin, &data);
        let cmd = spawner.command();
        cmd.arg("--config")
            .arg(config)
            .env("RUST_LOG", &args.server_log)
            .env_remove("DAIS_DATABASE_URL");
        if let Some(db) = &self.db {
            cmd.arg("--database-url")
                .arg(db.url())
                .arg("--bus-url")
                .arg(&args.bus_url)
                .arg("--node-id")
                .arg(id)
                .arg("--bus-prefix")
                .arg(&self.prefix)
                .arg("--lease-secs")
                .arg(self.lease_secs.to_string());
        }
        server::prepare(cmd, args, None, &log)?;
        let running = spawner
            .start()
            .with_context(|| format!("cannot start node {id}; see {}", log.display()))?;
        let (url, child) = (running.url, running.child);
        let addr = loopback_addr(&url)?;
        Ok(Node {
            id: id.to_string(),
            url: format!("ws://{addr}/"),
            addr,
            pid: child.id(),
            data,
            child: Some(child),
        })
    }

    pub fn single(&self) -> bool {
        self.db.is_none()
    }

    /// Provision the scenario's participants (into the cluster's record).
    pub async fn provision(&self, needs: Needs) -> Result<Provisioned> {
        let bin = self.server_bin.clone();
        let data = self.nodes.first().context("no node")?.data.clone();
        let url = self.db.as_ref().map(Database::url);
        tokio::task::spawn_blocking(move || {
            pool::provision_into(&bin, &data, needs, url.as_deref())
        })
        .await
        .context("provisioning task failed")?
    }

    /// Who holds each room's lease now: room to node index. Empty for the
    /// single node, which owns everything.
    pub async fn leases(&self) -> Result<BTreeMap<String, usize>> {
        let Some(db) = &self.db else {
            return Ok(BTreeMap::new());
        };
        let c = pg_connect(&db.url()).await?;
        let rows = c
            .query(
                "SELECT room, owner FROM room_leases WHERE expires_at > now()",
                &[],
            )
            .await
            .context("cannot read the leases")?;
        Ok(rows
            .iter()
            .filter_map(|r| {
                let room: String = r.get(0);
                let owner: String = r.get(1);
                let i = self.nodes.iter().position(|n| n.id == owner)?;
                Some((room, i))
            })
            .collect())
    }

    /// The node holding `room`'s lease, waiting up to `wait` for one to.
    pub async fn owner_of(&self, room: &str, wait: Duration) -> Result<usize> {
        if self.single() {
            return Ok(0);
        }
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            if let Some(&i) = self.leases().await?.get(room) {
                return Ok(i);
            }
            if tokio::time::Instant::now() >= deadline {
                bail!("nobody holds the lease of {room} after {wait:?}");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The nodes that exited during the run without being told to, as
    /// failures for the report.
    pub fn exited(&mut self) -> Vec<String> {
        self.nodes
            .iter_mut()
            .filter_map(|n| {
                let how = n.exited()?;
                Some(format!(
                    "node {} (pid {}) exited during the run ({how}); see {}",
                    n.id,
                    n.pid,
                    n.data.join(server::LOG_FILE).display()
                ))
            })
            .collect()
    }

    /// Every node's address, for the report.
    pub fn urls(&self) -> String {
        self.nodes
            .iter()
            .map(|n| format!("{} {}", n.id, n.url))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// A value from node `i`'s /metrics.
    pub async fn metric(&self, i: usize, name: &str) -> Option<f64> {
        let node = &self.nodes[i];
        server::scrape_metrics(&Dialer::new(node.addr, node.url.clone(), 1))
            .await?
            .get(name)
            .copied()
    }

    /// CPU seconds (user + system) the live nodes have used so far.
    pub fn nodes_cpu(&self) -> f64 {
        self.nodes
            .iter()
            .filter(|n| n.child.is_some())
            .filter_map(|n| sys::cpu_times(n.pid))
            .map(|(u, s)| u + s)
            .sum()
    }

    /// Stop every node (SIGTERM, as an operator would), drop the database,
    /// and remove the data directories unless asked to keep them.
    pub async fn stop(mut self, keep: bool) {
        let mut nodes = std::mem::take(&mut self.nodes);
        let _ = tokio::task::spawn_blocking(move || {
            for n in &mut nodes {
                n.terminate();
            }
        })
        .await;
        if let Some(db) = &mut self.db {
            db.drop_now().await;
        }
        if keep {
            if let Some(t) = self.tmp.take() {
                let kept = t.keep();
                eprintln!(
                    "dais-loadgen: kept the nodes' data and logs in {}",
                    kept.display()
                );
            }
        }
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        for n in &mut self.nodes {
            n.kill();
        }
    }
}

/// The config every node of a leg gets: the load generator's usual one
/// (limits raised only where the load itself would trip them), with room
/// for the scenario's rooms besides the six default ones.
pub fn config_toml(args: &Args) -> String {
    let mut text = server::config_toml(args);
    let rooms = args.rooms() + SERVER_DEFAULT_ROOMS;
    if args.scenario == Scenario::ClusterRooms && rooms > server::DEFAULT_ADDRESS_LIMITS.max_rooms {
        // config_toml ends inside [limits].
        text.push_str(&format!("max_rooms = {rooms}\n"));
    }
    text
}

/// CPU time of the machine's PostgreSQL and Redis processes, which do the
/// cluster's record and bus outside the pinned CPUs.
#[derive(Debug, Clone, Copy, Default)]
pub struct ServiceCpu {
    pub postgres: f64,
    pub redis: f64,
    pub at_ns: u64,
}

impl ServiceCpu {
    /// Read every `postgres` and `redis-server` process's CPU time from
    /// /proc (a backend that exits between two readings is not counted).
    pub fn now() -> ServiceCpu {
        let mut out = ServiceCpu {
            at_ns: now_ns(),
            ..Default::default()
        };
        let Ok(dir) = std::fs::read_dir("/proc") else {
            return out;
        };
        for entry in dir.flatten() {
            let Some(pid) = entry
                .file_name()
                .to_str()
                .and_then(|s| s.parse::<u32>().ok())
            else {
                continue;
            };
            let Ok(comm) = std::fs::read_to_string(format!("/proc/{pid}/comm")) else {
                continue;
            };
            let comm = comm.trim();
            let slot = if comm == "postgres" {
                &mut out.postgres
            } else if comm.starts_with("redis-server") {
                &mut out.redis
            } else {
                continue;
            };
            if let Some((u, s)) = sys::cpu_times(pid) {
                *slot += u + s;
            }
        }
        out
    }

    /// Cores busy between two readings: (PostgreSQL, Redis).
    pub fn busy_since(&self, before: &ServiceCpu) -> (f64, f64) {
        let wall = (self.at_ns.saturating_sub(before.at_ns) as f64 / 1e9).max(1e-9);
        (
            ((self.postgres - before.postgres) / wall).max(0.0),
            ((self.redis - before.redis) / wall).max(0.0),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[test]
    fn sixty_rooms_fit_under_the_default_room_limit_and_two_hundred_raise_it() {
        let args = |rooms: &str| {
            Args::parse_from([
                "dais-loadgen",
                "--spawn",
                "--scenario",
                "cluster-rooms",
                "--rooms",
                rooms,
            ])
        };
        assert!(!config_toml(&args("60")).contains("max_rooms"));
        let text = config_toml(&args("200"));
        assert!(text.contains("max_rooms = 206\n"), "{text}");
        // It lands in [limits], the last table of the file.
        assert!(text.rfind("[limits]") < text.find("max_rooms"), "{text}");
    }

    #[test]
    fn run_names_are_identifiers_postgres_takes_unquoted() {
        let name = unique_name(Scenario::ClusterFanout);
        assert!(name.starts_with("dais_lg_cluster_fanout_"), "{name}");
        assert!(name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'));
    }
}
