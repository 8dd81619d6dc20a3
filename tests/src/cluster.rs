//! Helpers for the cluster tests: several real `dais-server` nodes on
//! 127.0.0.1, on the machine's PostgreSQL and Redis, each test with a
//! database and a bus prefix of its own (dropped at the end).
//!
//! When PostgreSQL or Redis cannot be reached, `Cluster::start` says so on
//! stderr and returns None, so the test passes without running, visibly;
//! under CI (`CI=true`) it panics instead: a cluster test is never skipped
//! there.

use crate::{Server, WAIT};
use serde_json::Value;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// Where the machine's services are (override for another machine).
pub fn pg_admin_url() -> String {
    std::env::var("DAIS_TEST_PG").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into())
}

pub fn redis_url() -> String {
    std::env::var("DAIS_TEST_REDIS").unwrap_or_else(|_| "redis://127.0.0.1:6379/".into())
}

fn redis_addr(url: &str) -> String {
    url.trim_start_matches("redis://")
        .trim_end_matches('/')
        .split('/')
        .next()
        .unwrap_or("127.0.0.1:6379")
        .to_string()
}

/// Whether a Redis server answers PING at `url`.
pub fn redis_answers(url: &str) -> bool {
    let Ok(mut s) = TcpStream::connect(redis_addr(url)) else {
        return false;
    };
    let _ = s.set_read_timeout(Some(Duration::from_secs(2)));
    if s.write_all(b"PING\r\n").is_err() {
        return false;
    }
    let mut buf = [0u8; 16];
    matches!(s.read(&mut buf), Ok(n) if buf[..n].starts_with(b"+PONG"))
}

async fn pg_answers() -> Result<tokio_postgres::Client, String> {
    let url = format!("{}/postgres", pg_admin_url());
    match tokio_postgres::connect(&url, tokio_postgres::NoTls).await {
        Ok((client, conn)) => {
            tokio::spawn(conn);
            Ok(client)
        }
        Err(e) => Err(format!("PostgreSQL at {url}: {e}")),
    }
}

/// Check the services; None (after saying so) when they are missing and
/// this is not CI.
async fn services(test: &str) -> Option<tokio_postgres::Client> {
    let pg = pg_answers().await;
    let redis = redis_answers(&redis_url());
    let missing = match (&pg, redis) {
        (Ok(_), true) => return pg.ok(),
        (Err(e), true) => e.clone(),
        (Ok(_), false) => format!("Redis at {}", redis_url()),
        (Err(e), false) => format!("{e}; Redis at {}", redis_url()),
    };
    let ci = std::env::var("CI").is_ok_and(|v| v == "true" || v == "1");
    if ci {
        panic!("{test}: the cluster tests need PostgreSQL and Redis, and cannot reach {missing}");
    }
    eprintln!(
        "NOT RUN: {test} needs PostgreSQL and Redis and cannot reach {missing}. \
         Start them (see README, \"Tests\"); under CI=true this fails."
    );
    None
}

/// A cluster of nodes for one test.
pub struct Cluster {
    pub nodes: Vec<Server>,
    /// The test's database URL.
    pub database_url: String,
    pub bus_url: String,
    pub prefix: String,
    pub lease_secs: u64,
    db: String,
    config: Option<String>,
    /// A Redis server of the test's own, when it restarts the bus.
    own_redis: Option<OwnRedis>,
    /// More environment for every node (say, `RUST_LOG`).
    pub extra_env: Vec<(String, String)>,
}

/// A name unique to this test run.
fn unique(test: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!(
        "dais_t_{}_{}_{nanos:x}",
        test.replace('-', "_"),
        std::process::id()
    )
}

impl Cluster {
    /// Start `n` nodes (`n1`, `n2`, ...) with `config` and a lease of
    /// `lease_secs`, on a fresh database. The first node starts alone, so
    /// that it makes the chair.
    pub async fn start(
        test: &str,
        n: usize,
        config: Option<&str>,
        lease_secs: u64,
    ) -> Option<Cluster> {
        Cluster::start_on(test, n, config, lease_secs, None, &[]).await
    }

    /// The same, every node logging at `RUST_LOG=trace`.
    pub async fn start_traced(
        test: &str,
        n: usize,
        config: Option<&str>,
        lease_secs: u64,
    ) -> Option<Cluster> {
        Cluster::start_on(test, n, config, lease_secs, None, &[("RUST_LOG", "trace")]).await
    }

    /// The same, with the bus on a Redis server of the test's own (which
    /// the test may restart).
    pub async fn start_own_redis(
        test: &str,
        n: usize,
        config: Option<&str>,
        lease_secs: u64,
    ) -> Option<Cluster> {
        let redis = OwnRedis::start(test)?;
        Cluster::start_on(test, n, config, lease_secs, Some(redis), &[]).await
    }

    async fn start_on(
        test: &str,
        n: usize,
        config: Option<&str>,
        lease_secs: u64,
        own_redis: Option<OwnRedis>,
        extra_env: &[(&str, &str)],
    ) -> Option<Cluster> {
        let admin = services(test).await?;
        let db = unique(test);
        admin
            .execute(&format!("CREATE DATABASE {db}"), &[])
            .await
            .expect("create the test's database");
        let bus_url = match &own_redis {
            Some(r) => r.url(),
            None => redis_url(),
        };
        let mut cluster = Cluster {
            nodes: Vec::new(),
            database_url: format!("{}/{db}", pg_admin_url()),
            bus_url,
            prefix: db.clone(),
            lease_secs,
            db,
            config: config.map(str::to_string),
            own_redis,
            extra_env: extra_env
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        };
        for i in 1..=n {
            cluster.add_node(&format!("n{i}"));
        }
        Some(cluster)
    }

    fn env(&self) -> Vec<(String, String)> {
        let mut env = vec![
            ("DAIS_DATABASE_URL".into(), self.database_url.clone()),
            ("DAIS_BUS_URL".into(), self.bus_url.clone()),
            ("DAIS_BUS_PREFIX".into(), self.prefix.clone()),
            ("DAIS_LEASE_SECS".into(), self.lease_secs.to_string()),
        ];
        env.extend(self.extra_env.iter().cloned());
        env
    }

    /// Start one more node.
    pub fn add_node(&mut self, id: &str) -> usize {
        let env = self.env();
        let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let server = Server::start_with_env(
            self.config.as_deref(),
            &["--node-id".to_string(), id.to_string()],
            &env,
        );
        self.nodes.push(server);
        self.nodes.len() - 1
    }

    /// The chair's token (the first node made it).
    pub fn chair_token(&self) -> String {
        self.nodes[0].chair_token()
    }

    /// Run an admin command against the cluster's record; its stdout.
    pub fn cli(&self, args: &[&str]) -> String {
        let out = Command::new(crate::server_binary())
            .args(args)
            .env("DAIS_DATABASE_URL", &self.database_url)
            .output()
            .expect("run dais-server");
        assert!(
            out.status.success(),
            "dais-server {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Provision `count` participants named NAME 1..N (or NAME alone);
    /// returns (id, token) of each.
    pub fn add_participants(&self, name: &str, role: &str, count: usize) -> Vec<(String, String)> {
        let count_s = count.to_string();
        let out = self.cli(&[
            "participant",
            "add",
            "--name",
            name,
            "--delegation",
            name,
            "--stakeholder",
            "government",
            "--role",
            role,
            "--json",
            "--count",
            &count_s,
        ]);
        out.lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| {
                let v: Value = serde_json::from_str(l).expect("participant json");
                (
                    v["id"].as_str().expect("id").to_string(),
                    v["token"].as_str().expect("token").to_string(),
                )
            })
            .collect()
    }

    /// A query on the test's database.
    pub async fn db(&self) -> tokio_postgres::Client {
        let (client, conn) = tokio_postgres::connect(&self.database_url, tokio_postgres::NoTls)
            .await
            .expect("connect to the test's database");
        tokio::spawn(conn);
        client
    }

    /// The node (by index) that holds `room`'s lease now, waiting up to
    /// `WAIT` for someone to.
    pub async fn owner_of(&self, room: &str) -> usize {
        let db = self.db().await;
        let deadline = std::time::Instant::now() + WAIT;
        loop {
            let row = db
                .query_opt(
                    "SELECT owner FROM room_leases WHERE room = $1 AND expires_at > now()",
                    &[&room],
                )
                .await
                .expect("read the lease");
            if let Some(row) = row {
                let owner: String = row.get(0);
                if let Some(i) = owner
                    .strip_prefix('n')
                    .and_then(|n| n.parse::<usize>().ok())
                {
                    return i - 1;
                }
            }
            assert!(std::time::Instant::now() < deadline, "nobody owns {room}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub fn own_redis(&mut self) -> &mut OwnRedis {
        self.own_redis
            .as_mut()
            .expect("started with start_own_redis")
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        for node in &mut self.nodes {
            node.kill();
        }
        let db = self.db.clone();
        // Drop the database from a thread of its own: Drop may run inside
        // the test's runtime, which cannot block on another.
        let _ = std::thread::spawn(move || {
            let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            else {
                return;
            };
            rt.block_on(async {
                if let Ok(admin) = pg_answers().await {
                    let _ = admin
                        .execute(&format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)"), &[])
                        .await;
                }
            });
        })
        .join();
    }
}

/// A `redis-server` of the test's own on a free port, with nothing on
/// disk: the machine's Redis is shared by every test running at once, so
/// the test that restarts Redis restarts its own.
pub struct OwnRedis {
    child: Option<Child>,
    pub port: u16,
}

impl OwnRedis {
    fn start(test: &str) -> Option<OwnRedis> {
        let found = Command::new("redis-server")
            .arg("--version")
            .stdout(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if !found {
            let ci = std::env::var("CI").is_ok_and(|v| v == "true" || v == "1");
            if ci {
                panic!("{test}: needs redis-server on PATH to restart a Redis of its own");
            }
            eprintln!("NOT RUN: {test} needs redis-server on PATH; under CI=true this fails.");
            return None;
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .expect("a free port");
        let mut r = OwnRedis { child: None, port };
        r.start_again();
        Some(r)
    }

    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/", self.port)
    }

    /// Start the server (again), and wait until it answers.
    pub fn start_again(&mut self) {
        let child = Command::new("redis-server")
            .args([
                "--port",
                &self.port.to_string(),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start redis-server");
        self.child = Some(child);
        let deadline = std::time::Instant::now() + WAIT;
        while !redis_answers(&self.url()) {
            assert!(
                std::time::Instant::now() < deadline,
                "redis-server did not start"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Kill it (every connection to it drops, every subscription is gone).
    pub fn kill(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

impl Drop for OwnRedis {
    fn drop(&mut self) {
        self.kill();
    }
}
