//! The scenarios, one file each, and what they share: the run's context
//! and room set-up (here), a fleet of listening connections (`fleet`), a
//! paced speaker (`speaker`), a memory sampler and the report's common
//! parts (here).

pub mod churn;
pub mod cluster_fanout;
pub mod cluster_rooms;
pub mod debate;
pub mod failover;
pub mod fanout;
mod fleet;
pub mod flood;
pub mod idle;
pub mod plenary;
pub mod poor_link;
pub mod resume;
pub mod slow_reader;
mod speaker;

pub use fleet::{
    check_listeners, deliveries, received_report, Fleet, ListenOutcome, ListenSpec, SetupStats,
};
pub use speaker::{speak, speaker_report, SpeakOutcome, SpeakPlan};

use crate::cli::{Args, Stage, TargetKind};
use crate::cluster::{Cluster, Node};
use crate::conn::{code_str, us_since, Client, Dialer, Login};
use crate::frame::{peek, stamped_text, FrameKind, Peek};
use crate::pool::{Ident, Needs, Provisioned};
use crate::report::{Checks, Report};
use crate::stats::{new_histogram, Latency, Received, Recorder, Tally};
use crate::sys::{self, now_ns};
use anyhow::{Context, Result};
use dais_protocol::{ErrorCode, EventFrame, Mode, Request, RequestId, ServerFrame};
use futures_util::FutureExt;
use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{mpsc, watch, Semaphore};
use tokio::task::JoinHandle;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

/// Connection numbers from here on are for the chair, speakers and other
/// control connections, so they get source addresses of their own.
pub const CONTROL_INDEX: usize = 1_000_000;
/// Says a speaker may have sent and not yet seen answered.
pub const SPEAK_WINDOW: usize = 256;

/// Everything a scenario needs.
pub struct Ctx {
    pub args: Args,
    /// Dais, or the floor broadcaster (no hello, no rooms: every frame a
    /// client sends reaches every client).
    pub target: TargetKind,
    pub dialer: Arc<Dialer>,
    pub pool: Provisioned,
    pub server_pid: Option<u32>,
    pub shared: Arc<Shared>,
    /// Poor-link: the namespaces and the emulated links between them.
    pub testbed: Option<Arc<crate::link::Testbed>>,
}

/// What the tasks of a run record into.
#[derive(Default)]
pub struct Shared {
    /// Send-to-receipt latency of speeches, by phase (slow-reader compares
    /// the phase before the readers stop with the phase after).
    pub delivery: [Recorder; 2],
    /// Speeches sent at or after this time (ns) count in phase 1.
    pub phase_ns: AtomicU64,
    /// TCP connect plus websocket handshake.
    pub connect: Recorder,
    /// hello to welcome.
    pub hello: Recorder,
    /// join to its ok.
    pub join: Recorder,
    pub errors: Tally,
    pub closes: Tally,
}

impl Shared {
    pub fn new() -> Arc<Shared> {
        let s = Shared::default();
        s.phase_ns.store(u64::MAX, Ordering::Relaxed);
        Arc::new(s)
    }
}

impl Ctx {
    /// A context whose connections go to one node of a cluster, recording
    /// into a `Shared` of its own (so that each node's deliveries can be
    /// told apart).
    pub fn on_node(args: &Args, node: &Node, pool: &Provisioned) -> Arc<Ctx> {
        Arc::new(Ctx {
            args: args.clone(),
            target: TargetKind::Dais,
            dialer: Arc::new(Dialer::new(node.addr, node.url.clone(), args.per_address)),
            pool: pool.clone(),
            server_pid: Some(node.pid),
            shared: Shared::new(),
            testbed: None,
        })
    }

    pub fn floor(&self) -> bool {
        self.target == TargetKind::Floor
    }

    /// A connection that has said hello, for the chair or a speaker.
    pub async fn control(&self, n: usize, who: &Ident) -> Result<Client> {
        let mut c = self
            .dialer
            .dial(CONTROL_INDEX + n)
            .await
            .with_context(|| format!("cannot connect as {}", who.name))?;
        c.hello(&who.login())
            .await
            .with_context(|| format!("hello as {}", who.name))?;
        Ok(c)
    }

    /// The pool's first delegate, connected and joined to `room`: the
    /// speaker of every scenario that has one. On the floor, a connection
    /// and nothing more.
    pub async fn speaker(&self, room: &str) -> Result<Client> {
        if self.floor() {
            return self.dialer.dial(CONTROL_INDEX + 1).await;
        }
        let who = self
            .pool
            .delegates
            .first()
            .context("no speaker in the pool")?;
        let mut speaker = self.control(1, who).await?;
        speaker.join(room, None).await?;
        Ok(speaker)
    }

    /// Create the rooms (as a chair) if they do not exist yet. Works on any
    /// server, spawned or not; an existing room is left as it is.
    pub async fn create_rooms(&self, names: &[String], mode: Mode, time_limit: u32) -> Result<()> {
        let chair = self
            .pool
            .moderators
            .first()
            .context("no chair in the pool")?;
        let mut c = self.control(0, chair).await?;
        for name in names {
            let mut titles = BTreeMap::new();
            titles.insert("en".to_string(), format!("Load test {name}"));
            let answer = c
                .request(Request::RoomCreate {
                    public: None,
                    room: name.clone(),
                    titles,
                    description: "Created by dais-loadgen".into(),
                    mode: Some(mode),
                    time_limit: Some(time_limit),
                    policy: None,
                    auto_advance: Some(false),
                })
                .await?;
            match answer {
                ServerFrame::Ok { .. } => {}
                ServerFrame::Error {
                    code: ErrorCode::RoomExists,
                    ..
                } => {}
                ServerFrame::Error { code, .. } => {
                    anyhow::bail!("cannot create room {name}: {}", code_str(code))
                }
                _ => {}
            }
        }
        c.close().await;
        Ok(())
    }

    pub fn rss(&self) -> Option<u64> {
        self.server_pid.and_then(sys::rss_kib)
    }

    /// CPU time so far of the server and of this process.
    pub fn server_cpu(&self) -> CpuMark {
        CpuMark {
            server: self.server_pid.and_then(sys::cpu_times),
            own: sys::cpu_times(std::process::id()),
            at_ns: now_ns(),
        }
    }

    pub fn room_names(&self, prefix: &str, n: usize) -> Vec<String> {
        (1..=n).map(|i| format!("lg-{prefix}-{i}")).collect()
    }
}

// ---------------------------------------------------------------- control

/// A control connection (speaker, chair) kept drained in the background,
/// its frames dropped, while the listeners join: otherwise the presence
/// batches of their joins would fill its socket and make the server close it.
pub struct Draining {
    stop: CancellationToken,
    task: JoinHandle<Client>,
}

impl Draining {
    pub fn start(mut conn: Client) -> Draining {
        let stop = CancellationToken::new();
        let stopped = stop.clone();
        let task = tokio::spawn(async move {
            loop {
                tokio::select! {
                    _ = stopped.cancelled() => break,
                    t = conn.next_text() => if t.is_none() { break },
                }
            }
            conn
        });
        Draining { stop, task }
    }

    /// Stop draining and have the connection back.
    pub async fn finish(self) -> Result<Client> {
        self.stop.cancel();
        Ok(self.task.await?)
    }
}

// ---------------------------------------------------------------- listeners

/// Samples the server's resident memory while the load runs.
pub struct Sampler {
    max: Arc<AtomicU64>,
    stop: CancellationToken,
}

impl Sampler {
    pub fn start(pid: Option<u32>) -> Sampler {
        let max = Arc::new(AtomicU64::new(0));
        let stop = CancellationToken::new();
        if let Some(pid) = pid {
            let (max, stop) = (max.clone(), stop.clone());
            tokio::spawn(async move {
                let mut tick = tokio::time::interval(Duration::from_millis(200));
                loop {
                    tokio::select! {
                        _ = stop.cancelled() => break,
                        _ = tick.tick() => {
                            if let Some(kib) = sys::rss_kib(pid) {
                                max.fetch_max(kib, Ordering::Relaxed);
                            }
                        }
                    }
                }
            });
        }
        Sampler { max, stop }
    }

    pub fn max_kib(&self) -> Option<u64> {
        match self.max.load(Ordering::Relaxed) {
            0 => None,
            v => Some(v),
        }
    }
}

impl Drop for Sampler {
    fn drop(&mut self) {
        self.stop.cancel();
    }
}

/// Fill in the parts of a report every scenario has.
pub fn common_report(ctx: &Ctx, report: &mut Report, setup: &SetupStats, rooms: usize) {
    let s = &mut report.setup;
    s.rooms = rooms;
    s.connections_asked = setup.asked;
    s.connected = setup.connected;
    s.connect_failures = setup.failed;
    s.connect_seconds = setup.seconds;
    s.connect_rate_per_s = if setup.seconds > 0.0 {
        setup.connected as f64 / setup.seconds
    } else {
        0.0
    };
    s.source_addresses = setup.asked.div_ceil(ctx.dialer.per_address);
    let sh = &ctx.shared;
    for (name, r) in [
        ("connect", &sh.connect),
        ("hello", &sh.hello),
        ("join", &sh.join),
    ] {
        let l = r.summary();
        if l.count > 0 {
            report.latency.insert(name.to_string(), l);
        }
    }
    report.errors = sh.errors.snapshot();
    report.closes = sh.closes.snapshot();
}

/// CPU time of the server and of the load generator, (user, system) seconds.
#[derive(Debug, Clone, Copy)]
pub struct CpuMark {
    pub server: Option<(f64, f64)>,
    pub own: Option<(f64, f64)>,
    pub at_ns: u64,
}

/// CPU use between two readings of `Ctx::server_cpu`: the server's, and the
/// load generator's (to tell whether the load generator kept up).
pub fn cpu_report(report: &mut Report, before: CpuMark, after: CpuMark) {
    let wall = (after.at_ns.saturating_sub(before.at_ns) as f64 / 1e9).max(1e-9);
    report.figure("cpu_window_s", round2(wall));
    if let (Some((u0, s0)), Some((u1, s1))) = (before.server, after.server) {
        let total = u1 - u0 + s1 - s0;
        report.memory.server_cpu_seconds = Some(round2(total));
        report.figure("server_cpu_user_s", round2(u1 - u0));
        report.figure("server_cpu_system_s", round2(s1 - s0));
        // On one pinned core, 1.0 means the server had no time to spare.
        report.figure("server_cores_busy", round2(total / wall));
    }
    if let (Some((u0, s0)), Some((u1, s1))) = (before.own, after.own) {
        report.figure("loadgen_cores_busy", round2((u1 - u0 + s1 - s0) / wall));
    }
}

/// At most 80 characters of an error's cause, to count failures by kind.
pub fn short(msg: &str) -> String {
    msg.chars().take(80).collect()
}

pub fn round2(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

/// Spread listener identities over rooms: connection `i` goes to room
/// `i % rooms` with one of that room's `per_room` identities, so that a room
/// has few distinct members while many connections share them (a
/// participant's second connection is no news to the room: no presence).
pub fn assign(i: usize, rooms: usize, per_room: usize, idents: &[Ident]) -> (usize, &Ident) {
    let room = i % rooms;
    let k = (i / rooms) % per_room.max(1);
    let ident = &idents[(room + rooms * k) % idents.len()];
    (room, ident)
}

/// How a cluster scenario starts: a chair, a speaker and the observers
/// provisioned, a context on every node, and `room` made by the chair on
/// the first node. Returns them with the index of the node that owns the
/// room once its lease is taken.
pub async fn room_on_cluster(
    args: &Args,
    cluster: &Cluster,
    room: &str,
) -> Result<(Provisioned, Vec<Arc<Ctx>>, usize)> {
    let n = args.connections;
    let pool = cluster
        .provision(Needs {
            moderators: 1,
            delegates: 1,
            observers: args.identities.max(1).min(n.max(1)),
        })
        .await?;
    let ctxs: Vec<Arc<Ctx>> = cluster
        .nodes
        .iter()
        .map(|node| Ctx::on_node(args, node, &pool))
        .collect();
    ctxs[0]
        .create_rooms(&[room.to_string()], Mode::Open, 600)
        .await?;
    let owner = cluster.owner_of(room, Duration::from_secs(30)).await?;
    Ok((pool, ctxs, owner))
}
