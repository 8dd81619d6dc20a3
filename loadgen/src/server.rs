//! The server under load: one we start (`--spawn`) or one already running
//! (`--server`), its address, its data directory and its process.

use crate::cli::Args;
use crate::sys;
use anyhow::{anyhow, bail, Context, Result};
use std::io::{BufRead, BufReader, Write};
use std::net::{IpAddr, SocketAddr, ToSocketAddrs};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// File, in the data directory, where the spawned server's stderr goes.
pub const LOG_FILE: &str = "loadgen-server.log";
/// File, in the data directory, holding the config written for the run.
pub const CONFIG_FILE: &str = "loadgen.toml";

pub struct Target {
    /// ws://127.0.0.1:PORT/
    pub url: String,
    pub addr: SocketAddr,
    /// The server process, when known, for its memory and CPU time.
    pub pid: Option<u32>,
    pub data: PathBuf,
    pub server_bin: PathBuf,
    child: Option<Child>,
    /// A temporary data directory, removed when the run ends.
    _tmp: Option<tempfile::TempDir>,
}

/// The dais-server binary next to this one (both land in target/release).
pub fn default_server_bin() -> Result<PathBuf> {
    let exe = std::env::current_exe().context("cannot find this program's path")?;
    let dir = exe.parent().context("this program has no directory")?;
    Ok(dir.join(format!("dais-server{}", std::env::consts::EXE_SUFFIX)))
}

/// The per-connection limits the flood scenario runs under: the server's
/// defaults (`Limits::default` in server/src/config.rs), written out so that
/// the config file and the report say which applied, and so that the load
/// generator knows how fast its speaker may go and how big "oversized" is.
#[derive(Debug, Clone, Copy)]
pub struct RateLimits {
    pub messages_per_second: u32,
    pub burst: u32,
    pub flood_strikes: u32,
    pub max_frame_bytes: usize,
}

pub const DEFAULT_LIMITS: RateLimits = RateLimits {
    messages_per_second: 20,
    burst: 40,
    flood_strikes: 50,
    max_frame_bytes: 64 * 1024,
};

/// The config file for a run: limits raised only where the load itself
/// would trip them (a speaker above 20 speeches a second; many connections
/// from one source address), everything else at the server's defaults. The
/// flood scenario measures the rate limit, so it keeps the defaults.
pub fn config_toml(args: &Args) -> String {
    let rate = if args.scenario == crate::cli::Scenario::Flood {
        let l = DEFAULT_LIMITS;
        format!(
            "# The flood scenario: the server's default rate limit, which its speaker\n\
             # stays under and its flooders meet.\n\
             messages_per_second = {}\n\
             burst = {}\n\
             flood_strikes = {}\n\
             max_frame_bytes = {}\n",
            l.messages_per_second, l.burst, l.flood_strikes, l.max_frame_bytes
        )
    } else {
        "# Speakers send faster than a person does (fanout at 50/s, resume's burst).\n\
         messages_per_second = 100000\n\
         burst = 100000\n"
            .to_string()
    };
    let mut text = format!(
        "# Written by dais-loadgen for one run.\n\
         [limits]\n\
         {rate}\
         # The load generator spreads connections over 127.1.x.y, {per} per address;\n\
         # a little slack for a churned connection whose slot is not yet released.\n\
         connections_per_address = {limit}\n\
         outbox_frames = {outbox}\n\
         # Slow readers answer no pings while they sleep.\n\
         idle_timeout_secs = 120\n",
        per = args.per_address,
        limit = args.per_address + 16,
        outbox = args.outbox_frames,
    );
    if args.stage == crate::cli::Stage::Connect {
        text.push_str("# Connections held without a hello, to measure the handshake's cost.\nhello_timeout_secs = 3600\n");
    }
    text
}

/// The socket address of a ws:// URL, which must be on the loopback network.
pub fn loopback_addr(url: &str) -> Result<SocketAddr> {
    let rest = url
        .strip_prefix("ws://")
        .ok_or_else(|| anyhow!("the server URL must start with ws:// (got {url})"))?;
    let hostport = rest.split('/').next().unwrap_or(rest);
    let addr = hostport
        .to_socket_addrs()
        .with_context(|| format!("cannot resolve {hostport}"))?
        .find(|a| a.is_ipv4())
        .ok_or_else(|| anyhow!("{hostport} has no IPv4 address"))?;
    match addr.ip() {
        IpAddr::V4(ip) if ip.is_loopback() => Ok(addr),
        ip => bail!("refusing to load {ip}: only addresses in 127.0.0.0/8 may be targeted"),
    }
}

impl Target {
    pub fn attach(args: &Args, url: &str) -> Result<Target> {
        let addr = loopback_addr(url)?;
        let data = args.data.clone().context(
            "--server needs --data DIR, the server's data directory, to provision participants",
        )?;
        Ok(Target {
            url: format!("ws://{addr}/"),
            addr,
            pid: args.server_pid,
            data,
            server_bin: match &args.server_bin {
                Some(p) => p.clone(),
                None => default_server_bin()?,
            },
            child: None,
            _tmp: None,
        })
    }

    /// Start `dais-server` on 127.0.0.1 with an ephemeral port and wait for
    /// the line that says where it listens.
    pub fn spawn(args: &Args) -> Result<Target> {
        let server_bin = match &args.server_bin {
            Some(p) => p.clone(),
            None => default_server_bin()?,
        };
        if !server_bin.exists() {
            bail!(
                "{} not found: build it (cargo build --release -p dais-server) or pass --server-bin",
                server_bin.display()
            );
        }
        let (data, tmp) = match &args.data {
            Some(d) => (d.clone(), None),
            None => {
                let tmp = tempfile::Builder::new()
                    .prefix("dais-loadgen-")
                    .tempdir()
                    .context("cannot make a temporary data directory")?;
                (tmp.path().join("data"), Some(tmp))
            }
        };
        std::fs::create_dir_all(&data)
            .with_context(|| format!("cannot create {}", data.display()))?;
        let config = data.join(CONFIG_FILE);
        std::fs::write(&config, config_toml(args))
            .with_context(|| format!("cannot write {}", config.display()))?;
        let mut cmd = Command::new(&server_bin);
        cmd.arg("--data")
            .arg(&data)
            .arg("--listen")
            .arg("127.0.0.1:0")
            .arg("--config")
            .arg(&config)
            .env("RUST_LOG", &args.server_log)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        if let Some(list) = &args.server_cpus {
            let cpus = sys::parse_cpus(list)?;
            use std::os::unix::process::CommandExt;
            // SAFETY: between fork and exec only sched_setaffinity runs,
            // which is async-signal-safe and allocates nothing (the list was
            // parsed before the fork).
            unsafe {
                cmd.pre_exec(move || sys::pin(&cpus));
            }
        }
        let mut child = cmd
            .spawn()
            .with_context(|| format!("cannot start {}", server_bin.display()))?;
        let stderr = child.stderr.take().context("no stderr")?;
        let log_path = data.join(LOG_FILE);
        let mut log = std::fs::File::create(&log_path)
            .with_context(|| format!("cannot write {}", log_path.display()))?;
        let (url_tx, url_rx) = std::sync::mpsc::channel();
        // Drain the server's stderr for its whole life: a full pipe would
        // block the server on its next log line.
        std::thread::spawn(move || {
            let mut url_tx = Some(url_tx);
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                if let Some(rest) = line.strip_prefix("dais-server listening on ") {
                    if let (Some(tx), Some(url)) = (url_tx.take(), rest.split_whitespace().next()) {
                        let _ = tx.send(url.to_string());
                    }
                }
                let _ = writeln!(log, "{line}");
            }
        });
        let pid = child.id();
        let url = match url_rx.recv_timeout(Duration::from_secs(60)) {
            Ok(url) => url,
            Err(_) => {
                let _ = child.kill();
                let _ = child.wait();
                bail!(
                    "the server did not say where it listens; see {}",
                    log_path.display()
                );
            }
        };
        let addr = loopback_addr(&url)?;
        Ok(Target {
            url: format!("ws://{addr}/"),
            addr,
            pid: Some(pid),
            data,
            server_bin,
            child: Some(child),
            _tmp: if args.keep_data { None } else { tmp },
        })
    }

    pub fn spawned(&self) -> bool {
        self.child.is_some()
    }

    /// Whether the spawned server is still running.
    pub fn alive(&mut self) -> bool {
        match &mut self.child {
            Some(child) => matches!(child.try_wait(), Ok(None)),
            None => true,
        }
    }

    pub fn data_dir(&self) -> &Path {
        &self.data
    }

    /// Stop a spawned server: SIGTERM, then SIGKILL if it has not exited
    /// within ten seconds. Only the process this run started is touched.
    pub fn stop(&mut self) {
        let Some(mut child) = self.child.take() else {
            return;
        };
        let pid = child.id() as libc::pid_t;
        // SAFETY: kill with a pid we spawned and have not yet reaped.
        unsafe {
            libc::kill(pid, libc::SIGTERM);
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

impl Drop for Target {
    fn drop(&mut self) {
        self.stop();
    }
}

/// The server's own counters from `GET /metrics` (Prometheus text), by
/// name, or None if it has no such endpoint.
pub async fn scrape_metrics(addr: SocketAddr) -> Option<std::collections::BTreeMap<String, f64>> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let fetch = async {
        let mut s = tokio::net::TcpStream::connect(addr).await.ok()?;
        s.write_all(b"GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            .await
            .ok()?;
        let mut text = String::new();
        s.read_to_string(&mut text).await.ok()?;
        Some(text)
    };
    let text = tokio::time::timeout(Duration::from_secs(5), fetch)
        .await
        .ok()??;
    let (head, body) = text.split_once("\r\n\r\n")?;
    if !head.starts_with("HTTP/1.1 200") {
        return None;
    }
    Some(
        body.lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| {
                let (name, value) = l.rsplit_once(' ')?;
                Some((name.to_string(), value.trim().parse().ok()?))
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config_for(scenario: &str) -> String {
        use clap::Parser;
        config_toml(&Args::parse_from([
            "dais-loadgen",
            "--spawn",
            "--scenario",
            scenario,
        ]))
    }

    #[test]
    fn the_flood_scenario_keeps_the_default_rate_limit() {
        let text = config_for("flood");
        assert!(text.contains("messages_per_second = 20\n"), "{text}");
        assert!(text.contains("burst = 40\n"), "{text}");
        assert!(text.contains("flood_strikes = 50\n"), "{text}");
        assert!(!text.contains("100000"), "{text}");
        let text = config_for("fanout");
        assert!(text.contains("messages_per_second = 100000\n"), "{text}");
    }

    #[test]
    fn only_loopback_addresses_are_accepted() {
        assert!(loopback_addr("ws://127.0.0.1:7878/").is_ok());
        assert!(loopback_addr("ws://127.3.4.5:7878").is_ok());
        assert!(loopback_addr("ws://localhost:7878/").is_ok());
        assert!(loopback_addr("ws://10.0.0.1:7878/").is_err());
        assert!(loopback_addr("ws://192.168.1.2:7878/").is_err());
        assert!(loopback_addr("http://127.0.0.1:7878/").is_err());
    }
}
