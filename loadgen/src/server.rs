//! The server under load: one we start (`--spawn`) or one already running
//! (`--server`), its address, its data directory and its process. It is
//! either Dais or the floor broadcaster, the reference for fan-out (see
//! `--target`). A spawned Dais is started through `dais-kit`, which learns
//! its port from `--address-file`; its stderr goes to `LOG_FILE`.

use crate::cli::{Args, Members, Scenario, Stage, TargetKind};
use crate::conn::Dialer;
use crate::netns::Netns;
use crate::sys;
use anyhow::{anyhow, bail, Context, Result};
use std::net::{IpAddr, SocketAddr, ToSocketAddrs};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

/// File, in the data directory, where the spawned server's stderr goes.
pub const LOG_FILE: &str = "loadgen-server.log";
/// File, in the data directory, holding the config written for the run.
pub const CONFIG_FILE: &str = "loadgen.toml";

/// Where a spawned server runs when not in this process's own network
/// namespace (poor-link: the server's side of the emulated link).
pub struct Placement {
    pub netns: Arc<Netns>,
    /// The address it listens on (with an ephemeral port).
    pub listen: std::net::Ipv4Addr,
}

pub struct Target {
    pub kind: TargetKind,
    /// ws://127.0.0.1:PORT/
    pub url: String,
    pub addr: SocketAddr,
    /// The server process, when known, for its memory and CPU time.
    pub pid: Option<u32>,
    /// Dais's data directory, to provision participants in (the floor has none).
    pub data: Option<PathBuf>,
    /// The dais-server binary, which also provisions participants.
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

/// The per-participant limits the flood scenario runs under: the server's
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

/// The server's limits on new connections per source address and on
/// rooms, at their defaults (`Limits::default` again), which the load would
/// trip: its connections come from a few hundred addresses, churn and
/// resume reconnect them, and idle and churn make a room per 200.
#[derive(Debug, Clone, Copy)]
pub struct AddressLimits {
    /// New connections per second per address...
    pub connections_per_second: u32,
    /// ...and at once; beyond that the server answers 429.
    pub connection_burst: u32,
    pub max_rooms: usize,
}

pub const DEFAULT_ADDRESS_LIMITS: AddressLimits = AddressLimits {
    connections_per_second: 10,
    connection_burst: 64,
    max_rooms: 100,
};

/// Rooms a server has before the load generator creates any: with no
/// `[[room]]` in its config, it opens its six default topic rooms.
pub const SERVER_DEFAULT_ROOMS: usize = 6;

/// As good as no limit, for a limit the load itself would trip.
const UNLIMITED: u32 = 1_000_000;

/// The config file for a run: limits raised only where the load itself
/// would trip them (a speaker above 20 speeches a second; many connections,
/// and reconnections, from one source address; thousands of guests from a
/// few hundred addresses; more rooms than the default allows), everything
/// else at the server's defaults. The flood scenario measures the rate
/// limits, so it keeps the defaults, but for what its listeners' set-up needs.
pub fn config_toml(args: &Args) -> String {
    let flood = args.scenario == Scenario::Flood;
    let guests = args.scenario == Scenario::Plenary && args.members == Members::Guests;
    let mut text = String::from("# Written by dais-loadgen for one run.\n");
    if guests {
        text.push_str(
            "[server]\n\
             # The plenary's members are guests, each its own identity.\n\
             allow_guests = true\n\n",
        );
    }
    text.push_str("[limits]\n");
    if flood {
        let l = DEFAULT_LIMITS;
        text.push_str(&format!(
            "# The flood scenario: the server's default rate limit, which its speaker\n\
             # stays under and its flooders meet.\n\
             messages_per_second = {}\n\
             burst = {}\n\
             flood_strikes = {}\n\
             max_frame_bytes = {}\n",
            l.messages_per_second, l.burst, l.flood_strikes, l.max_frame_bytes
        ));
    } else {
        text.push_str(
            "# Speakers send faster than a person does (fanout at 50/s, resume's burst).\n\
             messages_per_second = 100000\n\
             burst = 100000\n",
        );
    }
    text.push_str(&format!(
        "# The load generator spreads connections over 127.1.x.y, {per} per address;\n\
         # a little slack for a churned connection whose slot is not yet released.\n\
         connections_per_address = {limit}\n",
        per = args.per_address,
        limit = args.per_address + 16,
    ));
    let d = DEFAULT_ADDRESS_LIMITS;
    if flood {
        text.push_str(&format!(
            "# The server's default rate of new connections per address, which the\n\
             # reconnecting flooders meet; the burst holds one address's listeners.\n\
             connections_per_second = {}\n\
             connection_burst = {}\n",
            d.connections_per_second,
            (d.connection_burst as usize).max(args.per_address),
        ));
    } else {
        text.push_str(&format!(
            "# Each address opens its {} connections at once, and churn and resume\n\
             # open them again and again.\n\
             connections_per_second = {UNLIMITED}\n\
             connection_burst = {UNLIMITED}\n",
            args.per_address
        ));
    }
    if guests {
        text.push_str(&format!(
            "# {} new guests from each address, as fast as the server takes them.\n\
             guests_per_minute = {UNLIMITED}\n",
            args.per_address
        ));
    }
    let rooms = SERVER_DEFAULT_ROOMS + needed_rooms(args);
    if rooms > d.max_rooms {
        text.push_str(&format!(
            "# {} rooms of the load and the server's {SERVER_DEFAULT_ROOMS} default rooms.\n\
             max_rooms = {rooms}\n",
            rooms - SERVER_DEFAULT_ROOMS
        ));
    }
    text.push_str(&format!(
        "outbox_frames = {}\n\
         # Slow readers answer no pings while they sleep.\n\
         idle_timeout_secs = 120\n",
        args.outbox_frames
    ));
    if let Some(bytes) = args.send_buffer_bytes {
        text.push_str(&format!("send_buffer_bytes = {bytes}\n"));
    }
    if args.stage == Stage::Connect {
        text.push_str("# Connections held without a hello, to measure the handshake's cost.\nhello_timeout_secs = 3600\n");
    }
    text
}

/// Rooms the scenario creates.
fn needed_rooms(args: &Args) -> usize {
    match args.scenario {
        Scenario::Idle | Scenario::Churn => args.rooms(),
        _ => 1,
    }
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
        let data = match args.target {
            TargetKind::Dais => Some(args.data.clone().context(
                "--server needs --data DIR, the server's data directory, to provision participants",
            )?),
            TargetKind::Floor => None,
        };
        Ok(Target {
            kind: args.target,
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

    /// Start the server `--target` names, in this process's network
    /// namespace, or in the one `place` gives (Dais only).
    pub fn spawn(args: &Args, place: Option<Placement>) -> Result<Target> {
        match args.target {
            TargetKind::Dais => Target::spawn_dais(args, place),
            TargetKind::Floor => Target::spawn_floor(args),
        }
    }

    /// Start `dais-server` on 127.0.0.1 (or the placement's address) with an
    /// ephemeral port, through the workspace's one spawner (`dais-kit`),
    /// which learns the port from the server's `--address-file`.
    fn spawn_dais(args: &Args, place: Option<Placement>) -> Result<Target> {
        let server_bin = server_bin(args)?;
        let (data, tmp) = data_dir(args)?;
        let config = data.join(CONFIG_FILE);
        std::fs::write(&config, config_toml(args))
            .with_context(|| format!("cannot write {}", config.display()))?;
        let listen = place
            .as_ref()
            .map_or(std::net::Ipv4Addr::LOCALHOST, |p| p.listen);
        let log_path = data.join(LOG_FILE);
        let mut spawner = dais_kit::Spawner::new(&server_bin, &data).listen(format!("{listen}:0"));
        let cmd = spawner.command();
        cmd.arg("--config")
            .arg(&config)
            .env("RUST_LOG", &args.server_log);
        // `place` (and its namespace's fd) lives until the server has started.
        prepare(cmd, args, place.as_ref().map(|p| &*p.netns), &log_path)?;
        let running = spawner.start().with_context(|| {
            format!(
                "cannot start {}; see {}",
                server_bin.display(),
                log_path.display()
            )
        })?;
        let addr = loopback_addr(&running.url)?;
        Ok(Target {
            kind: TargetKind::Dais,
            url: format!("ws://{addr}/"),
            addr,
            pid: Some(running.child.id()),
            data: Some(data),
            server_bin,
            child: Some(running.child),
            _tmp: tmp,
        })
    }

    /// Start the floor broadcaster on a free loopback port and wait until it
    /// accepts connections. It says nothing when it is ready and takes its
    /// address on the command line, so the port is found by binding port 0
    /// and letting go of it just before the start.
    fn spawn_floor(args: &Args) -> Result<Target> {
        let bin = args.floor_bin.clone().context(
            "--target floor --spawn needs --floor-bin PATH (build it with `cargo build \
             --release --manifest-path ../shared/bench/floor-broadcast/Cargo.toml`)",
        )?;
        if !bin.exists() {
            bail!("{} not found", bin.display());
        }
        let (dir, tmp) = data_dir(args)?;
        let addr = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|probe| probe.local_addr())
            .context("cannot find a free port for the floor")?;
        let log_path = dir.join(LOG_FILE);
        let mut cmd = Command::new(&bin);
        cmd.arg(addr.to_string());
        prepare(&mut cmd, args, None, &log_path)?;
        let mut child = cmd
            .spawn()
            .with_context(|| format!("cannot start {}", bin.display()))?;
        let deadline = std::time::Instant::now() + Duration::from_secs(30);
        // A probe connection: the floor drops it when it closes unanswered.
        while std::net::TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_err() {
            if matches!(child.try_wait(), Ok(Some(_))) || std::time::Instant::now() > deadline {
                let _ = child.kill();
                let _ = child.wait();
                bail!(
                    "the floor broadcaster did not listen on {addr}; see {}",
                    log_path.display()
                );
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        Ok(Target {
            kind: TargetKind::Floor,
            url: format!("ws://{addr}/"),
            addr,
            pid: Some(child.id()),
            data: None,
            server_bin: bin,
            child: Some(child),
            _tmp: tmp,
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

/// The data directory of a spawned server (the floor's holds only its
/// log): `--data`, or a fresh temporary one.
fn data_dir(args: &Args) -> Result<(PathBuf, Option<tempfile::TempDir>)> {
    let (data, tmp) = match &args.data {
        Some(d) => (d.clone(), None),
        None => {
            let tmp = tempfile::Builder::new()
                .prefix("dais-loadgen-")
                .tempdir()
                .context("cannot make a temporary data directory")?;
            let data = tmp.path().join("data");
            if args.keep_data {
                // Let go of the guard now: dropped later, or replaced by
                // None, it would remove the directory under the server.
                let kept = tmp.keep();
                eprintln!("dais-loadgen: keeping the data in {}", kept.display());
                (data, None)
            } else {
                (data, Some(tmp))
            }
        }
    };
    std::fs::create_dir_all(&data).with_context(|| format!("cannot create {}", data.display()))?;
    Ok((data, tmp))
}

/// The dais-server to start: `--server-bin`, or the one beside this program.
pub fn server_bin(args: &Args) -> Result<PathBuf> {
    let bin = match &args.server_bin {
        Some(p) => p.clone(),
        None => default_server_bin()?,
    };
    if !bin.exists() {
        bail!(
            "{} not found: build it (cargo build --release -p dais-server) or pass --server-bin",
            bin.display()
        );
    }
    Ok(bin)
}

/// Make a server's command run on `--server-cpus`, with its stderr written
/// to `log` (straight to the file: nothing here reads it); inside `netns`
/// if given, and then it is sent SIGTERM should this process die first, so
/// that nothing keeps the namespace once the run is over.
pub fn prepare(cmd: &mut Command, args: &Args, netns: Option<&Netns>, log: &Path) -> Result<()> {
    let log_file =
        std::fs::File::create(log).with_context(|| format!("cannot write {}", log.display()))?;
    cmd.stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(log_file);
    let cpus = args
        .server_cpus
        .as_deref()
        .map(sys::parse_cpus)
        .transpose()?;
    let netns_fd = netns.map(Netns::raw_fd);
    if cpus.is_some() || netns_fd.is_some() {
        use std::os::unix::process::CommandExt;
        // SAFETY: between fork and exec only system calls run
        // (sched_setaffinity, setns, prctl), which are async-signal-safe
        // and allocate nothing: the CPU list was parsed before the fork,
        // and the namespace's fd stays open in this process until the
        // server has started.
        unsafe {
            cmd.pre_exec(move || {
                if let Some(cpus) = &cpus {
                    sys::pin(cpus)?;
                }
                if let Some(fd) = netns_fd {
                    crate::netns::enter(fd)?;
                    if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGTERM) != 0 {
                        return Err(std::io::Error::last_os_error());
                    }
                }
                Ok(())
            });
        }
    }
    Ok(())
}

/// The server's own counters from `GET /metrics` (Prometheus text), by
/// name, or None if it has no such endpoint.
pub async fn scrape_metrics(dialer: &Dialer) -> Option<std::collections::BTreeMap<String, f64>> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let fetch = async {
        let mut s = dialer.tcp(None).await.ok()?;
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
    use clap::Parser;

    fn args(extra: &[&str]) -> Args {
        let mut argv = vec!["dais-loadgen", "--spawn"];
        argv.extend_from_slice(extra);
        Args::parse_from(argv)
    }

    fn config_for(scenario: &str) -> String {
        config_toml(&args(&["--scenario", scenario]))
    }

    #[test]
    fn the_flood_scenario_keeps_the_default_rate_limits() {
        let text = config_for("flood");
        assert!(text.contains("messages_per_second = 20\n"), "{text}");
        assert!(text.contains("\nburst = 40\n"), "{text}");
        assert!(text.contains("flood_strikes = 50\n"), "{text}");
        assert!(text.contains("connections_per_second = 10\n"), "{text}");
        assert!(text.contains("connection_burst = 64\n"), "{text}");
        assert!(!text.contains("100000"), "{text}");
        assert!(!text.contains("guests_per_minute"), "{text}");
        let text = config_for("fanout");
        assert!(text.contains("messages_per_second = 100000\n"), "{text}");
        assert!(text.contains("connection_burst = 1000000\n"), "{text}");
        assert!(!text.contains("allow_guests"), "{text}");
    }

    #[test]
    fn a_plenary_of_guests_admits_guests_from_few_addresses() {
        let text = config_for("plenary");
        assert!(text.contains("allow_guests = true\n"), "{text}");
        assert!(text.contains("guests_per_minute = 1000000\n"), "{text}");
        // [server] comes before [limits], or its keys would land there.
        assert!(text.find("[server]") < text.find("[limits]"), "{text}");
        let registered = config_toml(&args(&["--scenario", "plenary", "--members", "registered"]));
        assert!(!registered.contains("allow_guests"), "{registered}");
    }

    #[test]
    fn many_rooms_raise_the_room_limit() {
        let idle = |n: &str| config_toml(&args(&["--scenario", "idle", "--connections", n]));
        assert!(!idle("18800").contains("max_rooms"));
        let text = idle("19000");
        assert!(text.contains("max_rooms = 101\n"), "{text}");
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
