//! The scenarios, one file each, and what they share: the run's context,
//! room set-up, a fleet of listening connections, a paced speaker, and a
//! memory sampler.

pub mod churn;
pub mod cluster_fanout;
pub mod cluster_rooms;
pub mod debate;
pub mod failover;
pub mod fanout;
pub mod flood;
pub mod idle;
pub mod plenary;
pub mod poor_link;
pub mod resume;
pub mod slow_reader;

use crate::cli::{Args, Stage, TargetKind};
use crate::cluster::Node;
use crate::conn::{code_str, us_since, Client, Dialer, Login};
use crate::frame::{event_wire, peek, stamped_text, FrameKind, Peek};
use crate::pool::{Ident, Provisioned};
use crate::report::{Checks, Report};
use crate::stats::{new_histogram, Latency, Received, Recorder, Tally};
use crate::sys::{self, now_ns};
use anyhow::{Context, Result};
use dais_protocol::{
    Actor, ErrorCode, Event, EventFrame, Mode, Request, RequestId, Role, ServerFrame, Stakeholder,
};
use futures_util::FutureExt;
use hdrhistogram::Histogram;
use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{mpsc, watch, Semaphore};
use tokio::task::JoinHandle;
use tokio::time::Instant;
use tokio_tungstenite::tungstenite::Message;
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

/// One listening connection to open.
#[derive(Clone)]
pub struct ListenSpec {
    pub index: usize,
    /// Who to say hello as; None on the floor, which has no hello.
    pub login: Option<Login>,
    pub room: String,
    /// Record speech latency (slow readers do not: their late reads would
    /// measure their own sleep, not the server).
    pub record_latency: bool,
    /// Stops reading while this says true.
    pub pause: Option<watch::Receiver<bool>>,
    /// How far to go before listening (idle measures each stage's cost).
    pub stage: Stage,
    /// The join's `since`: None replays the room's last 50 events, which
    /// is a lot when they are long (the replay flood's history); a seq
    /// replays only what came after it.
    pub since: Option<u64>,
}

/// How one listener did.
#[derive(Debug, Default, Clone)]
pub struct ListenOutcome {
    pub index: usize,
    pub room: String,
    pub joined: bool,
    /// The seq the join's ok named: live events start after it.
    pub start_seq: u64,
    /// The next seq this listener expects.
    pub expected: u64,
    pub events: u64,
    pub speeches: u64,
    /// Frames and bytes received after the join, by type.
    pub received: Received,
    pub gaps: u64,
    pub duplicates: u64,
    /// The largest `room_state` received, in bytes.
    pub largest_room_state: usize,
    pub last_delivery_ns: u64,
    pub closed: Option<(u16, String)>,
    pub error: Option<String>,
}

impl ListenOutcome {
    pub fn last_seq(&self) -> u64 {
        self.expected.saturating_sub(1)
    }
}

/// A set of listeners, started together, each told when to stop.
pub struct Fleet {
    pub handles: HashMap<usize, JoinHandle<ListenOutcome>>,
    /// Per listener, so churn can close one.
    stops: HashMap<usize, CancellationToken>,
    /// The last seq of each room, once known: a listener stops when it has it.
    finals: HashMap<String, watch::Sender<u64>>,
    pub stop_all: CancellationToken,
    sem: Arc<Semaphore>,
    joined_tx: mpsc::UnboundedSender<Result<usize, String>>,
    pub joined_rx: mpsc::UnboundedReceiver<Result<usize, String>>,
    /// Outcomes of listeners replaced by churn.
    pub retired: Vec<JoinHandle<ListenOutcome>>,
    /// Listeners that have everything they will get: they reached their
    /// room's last seq, or their connection ended. They keep their
    /// connection until every listener is settled, so that nobody's
    /// departure (which sends the room presence) disturbs those still
    /// catching up.
    settled: Arc<AtomicUsize>,
}

/// How the set-up of a fleet went.
#[derive(Debug, Default, Clone, Copy)]
pub struct SetupStats {
    pub asked: usize,
    pub connected: usize,
    pub failed: usize,
    pub seconds: f64,
}

impl Fleet {
    pub fn new(concurrency: usize, rooms: &[String]) -> Fleet {
        let (joined_tx, joined_rx) = mpsc::unbounded_channel();
        Fleet {
            handles: HashMap::new(),
            stops: HashMap::new(),
            finals: rooms
                .iter()
                .map(|r| (r.clone(), watch::channel(u64::MAX).0))
                .collect(),
            stop_all: CancellationToken::new(),
            sem: Arc::new(Semaphore::new(concurrency.max(1))),
            joined_tx,
            joined_rx,
            retired: Vec::new(),
            settled: Arc::new(AtomicUsize::new(0)),
        }
    }

    /// Start `n` listeners in `room`, connection `i` under the `i`-th
    /// observer identity (see `assign`), joined and timing every speech; a
    /// listener `pause` gives a switch to sleeps when told and times nothing.
    /// On the floor they only connect: everything sent reaches them.
    pub fn start_listeners(
        &mut self,
        ctx: &Arc<Ctx>,
        n: usize,
        room: &str,
        pause: impl Fn(usize) -> Option<watch::Receiver<bool>>,
    ) {
        self.start_listeners_since(ctx, n, room, None, pause);
    }

    /// The same, each joining with `since`.
    pub fn start_listeners_since(
        &mut self,
        ctx: &Arc<Ctx>,
        n: usize,
        room: &str,
        since: Option<u64>,
        pause: impl Fn(usize) -> Option<watch::Receiver<bool>>,
    ) {
        for i in 0..n {
            let login = (!ctx.floor()).then(|| {
                let (_, ident) = assign(i, 1, ctx.args.identities, &ctx.pool.observers);
                ident.login()
            });
            let pause = pause(i);
            self.start(
                ctx,
                ListenSpec {
                    index: i,
                    login,
                    room: room.to_string(),
                    record_latency: pause.is_none(),
                    pause,
                    stage: if ctx.floor() {
                        Stage::Connect
                    } else {
                        Stage::Join
                    },
                    since,
                },
            );
        }
    }

    /// Start one listener: it connects, says hello, joins and listens.
    pub fn start(&mut self, ctx: &Arc<Ctx>, spec: ListenSpec) {
        let stop = self.stop_all.child_token();
        let final_rx = self
            .finals
            .entry(spec.room.clone())
            .or_insert_with(|| watch::channel(u64::MAX).0)
            .subscribe();
        let index = spec.index;
        let task = listen(
            ctx.clone(),
            spec,
            stop.clone(),
            final_rx,
            self.sem.clone(),
            self.joined_tx.clone(),
            self.settled.clone(),
        );
        if let Some(old) = self.handles.insert(index, tokio::spawn(task)) {
            self.retired.push(old);
        }
        self.stops.insert(index, stop);
    }

    /// Close one listener's connection (its task ends and reports).
    pub fn close(&mut self, index: usize) {
        if let Some(stop) = self.stops.remove(&index) {
            stop.cancel();
        }
    }

    /// Wait until `n` listeners have joined or failed, or until the deadline.
    pub async fn wait_joined(&mut self, n: usize, timeout: Duration, what: &str) -> SetupStats {
        let started = Instant::now();
        let deadline = started + timeout;
        let mut stats = SetupStats {
            asked: n,
            ..Default::default()
        };
        let mut progress = tokio::time::interval(Duration::from_secs(5));
        progress.tick().await;
        let mut first_error: Option<String> = None;
        while stats.connected + stats.failed < n {
            tokio::select! {
                r = self.joined_rx.recv() => match r {
                    Some(Ok(_)) => stats.connected += 1,
                    Some(Err(e)) => {
                        stats.failed += 1;
                        first_error.get_or_insert(e);
                    }
                    None => break,
                },
                _ = progress.tick() => {
                    eprintln!(
                        "dais-loadgen: {what}: {}/{n} joined ({} failed) after {:.0} s",
                        stats.connected,
                        stats.failed,
                        started.elapsed().as_secs_f64()
                    );
                }
                _ = tokio::time::sleep_until(deadline) => {
                    eprintln!("dais-loadgen: {what}: set-up timed out");
                    break;
                }
            }
        }
        if let Some(e) = first_error {
            eprintln!("dais-loadgen: {what}: first failure: {e}");
        }
        stats.seconds = started.elapsed().as_secs_f64();
        stats
    }

    /// Tell the listeners of `room` its last seq: each stops once it has it.
    pub fn set_final(&self, room: &str, seq: u64) {
        if let Some(tx) = self.finals.get(room) {
            tx.send_replace(seq);
        }
    }

    /// Wait up to `drain` for every listener to finish, then stop the rest;
    /// return every outcome (those replaced by churn too).
    pub async fn finish(mut self, drain: Duration) -> Vec<ListenOutcome> {
        let deadline = Instant::now() + drain;
        let mut handles: Vec<_> = self.handles.drain().map(|(_, h)| h).collect();
        handles.append(&mut self.retired);
        while self.settled.load(Ordering::Relaxed) < handles.len() && Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        self.stop_all.cancel();
        let mut out = Vec::new();
        for h in handles {
            if let Ok(o) = h.await {
                out.push(o);
            }
        }
        out
    }
}

async fn listen(
    ctx: Arc<Ctx>,
    spec: ListenSpec,
    stop: CancellationToken,
    mut final_rx: watch::Receiver<u64>,
    sem: Arc<Semaphore>,
    joined_tx: mpsc::UnboundedSender<Result<usize, String>>,
    settled: Arc<AtomicUsize>,
) -> ListenOutcome {
    let mut out = ListenOutcome {
        index: spec.index,
        room: spec.room.clone(),
        ..Default::default()
    };
    let shared = ctx.shared.clone();
    // Connect, hello and join, at most `connect_concurrency` at a time.
    let setup = async {
        let _permit = sem.acquire().await.ok();
        let t0 = now_ns();
        let mut client = ctx.dialer.dial(spec.index).await?;
        shared.connect.record_us(us_since(t0));
        let Some(login) = spec.login.as_ref().filter(|_| spec.stage != Stage::Connect) else {
            return anyhow::Ok((client, 0));
        };
        let t1 = now_ns();
        client.hello(login).await?;
        shared.hello.record_us(us_since(t1));
        if spec.stage == Stage::Hello {
            return anyhow::Ok((client, 0));
        }
        let t2 = now_ns();
        let joined = client.join(&spec.room, spec.since).await?;
        shared.join.record_us(us_since(t2));
        anyhow::Ok((client, joined.seq))
    };
    let mut client = tokio::select! {
        r = setup => match r {
            Ok((client, seq)) => {
                out.joined = true;
                out.start_seq = seq;
                out.expected = seq + 1;
                let _ = joined_tx.send(Ok(spec.index));
                client
            }
            Err(e) => {
                let msg = format!("{e:#}");
                shared.errors.add(format!("setup: {}", short(&e.root_cause().to_string())));
                out.error = Some(msg.clone());
                let _ = joined_tx.send(Err(msg));
                settled.fetch_add(1, Ordering::Relaxed);
                return out;
            }
        },
        _ = stop.cancelled() => {
            let _ = joined_tx.send(Err("stopped before joining".into()));
            settled.fetch_add(1, Ordering::Relaxed);
            return out;
        }
    };
    let mut pause = spec.pause.clone();
    let mut pause_open = pause.is_some();
    let mut final_open = true;
    let mut reached = false;
    loop {
        let paused = pause.as_ref().is_some_and(|p| *p.borrow());
        if !reached && out.expected > *final_rx.borrow() {
            // Everything arrived; stay connected (and reading) until told.
            reached = true;
            settled.fetch_add(1, Ordering::Relaxed);
        }
        tokio::select! {
            biased;
            _ = stop.cancelled() => break,
            r = pause_changed(&mut pause), if pause_open => {
                pause_open = r.is_ok();
            }
            r = final_rx.changed(), if final_open => {
                final_open = r.is_ok();
            }
            text = client.next_text(), if !paused => {
                let Some(text) = text else { break };
                on_frame(&shared, &spec, &mut out, &text);
            }
        }
    }
    if !reached {
        settled.fetch_add(1, Ordering::Relaxed);
    }
    if let Some((code, reason)) = &client.closed {
        shared.closes.add(if reason.is_empty() {
            code.to_string()
        } else {
            reason.clone()
        });
        out.closed = client.closed.clone();
    } else {
        client.close().await;
    }
    out
}

/// The pause signal changed (never, for a listener that has none).
async fn pause_changed(
    pause: &mut Option<watch::Receiver<bool>>,
) -> Result<(), watch::error::RecvError> {
    match pause {
        Some(p) => p.changed().await,
        None => std::future::pending().await,
    }
}

fn on_frame(shared: &Shared, spec: &ListenSpec, out: &mut ListenOutcome, text: &str) {
    let frame = peek(text);
    out.received.add(frame.kind(), text.len());
    match frame {
        Peek::Event(e) => {
            out.events += 1;
            if e.seq == out.expected {
                out.expected += 1;
            } else if e.seq < out.expected {
                out.duplicates += 1;
            } else {
                out.gaps += e.seq - out.expected;
                out.expected = e.seq + 1;
            }
            if let Some((sent, _)) = e.stamp {
                out.speeches += 1;
                let now = now_ns();
                out.last_delivery_ns = now;
                if spec.record_latency {
                    let phase = usize::from(sent >= shared.phase_ns.load(Ordering::Relaxed));
                    shared.delivery[phase].record_us(now.saturating_sub(sent) / 1000);
                }
            }
        }
        Peek::Counted(FrameKind::RoomState) => {
            out.largest_room_state = out.largest_room_state.max(text.len());
        }
        Peek::Counted(_) => {}
        Peek::Other(f) => {
            if let ServerFrame::Error { code, .. } = *f {
                shared.errors.add(code_str(code));
            }
        }
        Peek::Unknown => shared.errors.add("unreadable frame"),
    }
}

/// At most 80 characters of an error's cause, to count failures by kind.
fn short(msg: &str) -> String {
    msg.chars().take(80).collect()
}

/// Sum the listeners' outcomes into the report's checks. `expect` gives,
/// for a room, the last seq every listener should have reached (None: no
/// completeness check) and how many speeches each should have seen.
pub fn check_listeners(
    outcomes: &[ListenOutcome],
    expect: &dyn Fn(&ListenOutcome) -> Option<(u64, u64)>,
) -> Checks {
    let mut c = Checks {
        listeners: outcomes.len(),
        ..Default::default()
    };
    for o in outcomes {
        c.gaps += o.gaps;
        c.duplicates += o.duplicates;
        if !o.joined {
            continue;
        }
        match expect(o) {
            Some((last, speeches)) => {
                let whole = o.last_seq() == last
                    && o.gaps == 0
                    && o.duplicates == 0
                    && o.speeches == speeches;
                if whole {
                    c.complete += 1;
                } else {
                    c.missing += last.saturating_sub(o.last_seq());
                    if c.failures.len() < 10 {
                        c.failures.push(format!(
                            "listener {} in {}: last seq {} of {}, {} speeches of {}, {} gaps, {} duplicates, closed {:?}",
                            o.index,
                            o.room,
                            o.last_seq(),
                            last,
                            o.speeches,
                            speeches,
                            o.gaps,
                            o.duplicates,
                            o.closed
                        ));
                    }
                }
            }
            None => {
                if o.gaps == 0 && o.duplicates == 0 {
                    c.complete += 1;
                }
            }
        }
    }
    c.passed = c.complete == c.listeners && c.gaps == 0 && c.duplicates == 0;
    c
}

/// Record what the listeners received, by type of frame, per listener
/// that joined.
pub fn received_report(report: &mut Report, outcomes: &[ListenOutcome]) {
    let mut all = Received::default();
    for o in outcomes {
        all.merge(&o.received);
    }
    let joined = outcomes.iter().filter(|o| o.joined).count();
    report.set_received(&all, joined);
}

/// Deliveries (speeches received by listeners) and when the last arrived.
pub fn deliveries(outcomes: &[ListenOutcome]) -> (u64, u64) {
    let total = outcomes.iter().map(|o| o.speeches).sum();
    let last = outcomes
        .iter()
        .map(|o| o.last_delivery_ns)
        .max()
        .unwrap_or(0);
    (total, last)
}

// ---------------------------------------------------------------- speaker

/// How a speaker speaks: at `rate` per second (0: as fast as the window of
/// unanswered says allows) until `duration` has passed or `count` were sent.
pub struct SpeakPlan {
    pub room: String,
    pub rate: f64,
    pub duration: Option<Duration>,
    pub count: Option<u64>,
    pub text_bytes: usize,
    pub window: usize,
    /// Speak to the floor broadcaster: send each speech as the event Dais
    /// would make of it (see `floor_speech`), and take its echo for the ack.
    pub floor: bool,
}

impl SpeakPlan {
    /// A speaker at `rate` for `duration`, as fan-out, churn, slow-reader,
    /// flood and plenary have.
    pub fn paced(ctx: &Ctx, room: &str, rate: f64, duration: Duration) -> SpeakPlan {
        SpeakPlan {
            room: room.to_string(),
            rate,
            duration: Some(duration),
            count: None,
            text_bytes: ctx.args.text_bytes,
            window: SPEAK_WINDOW,
            floor: ctx.floor(),
        }
    }
}

/// Speech number `n` as the floor broadcaster is given it: the event frame
/// Dais would send for it (seq `n`, the stamped text, a speaker like the
/// provisioned delegate), so that the floor's listeners read the same bytes
/// and the same seqs as Dais's, and the same checks apply.
pub fn floor_speech(room: &str, n: u64, text: String) -> String {
    let ts = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64);
    event_wire(&EventFrame {
        room: room.to_string(),
        seq: n,
        ts,
        event: Event::Speech {
            by: Actor {
                id: "p-0123456789".into(),
                name: "Load delegate b0".into(),
                delegation: "LD-delegate".into(),
                stakeholder: Stakeholder::Government,
                role: Role::Delegate,
                guest: false,
            },
            text,
            lang: "en".into(),
        },
    })
}

#[derive(Debug)]
pub struct SpeakOutcome {
    pub sent: u64,
    pub acked: u64,
    pub first_seq: u64,
    pub last_seq: u64,
    pub refused: BTreeMap<String, u64>,
    /// Send to `ok`: the `ok` comes once the speech is on disk.
    pub ack: Histogram<u64>,
    pub started_ns: u64,
    pub stopped_ns: u64,
    /// When the last ok arrived.
    pub acked_ns: u64,
    pub closed: Option<(u16, String)>,
}

impl SpeakOutcome {
    pub fn seconds(&self) -> f64 {
        (self.stopped_ns.saturating_sub(self.started_ns)) as f64 / 1e9
    }
}

/// Speak into a room the client has joined, and collect the answers.
pub async fn speak(
    client: &mut Client,
    plan: &SpeakPlan,
    stop: &CancellationToken,
) -> SpeakOutcome {
    let mut o = SpeakOutcome {
        sent: 0,
        acked: 0,
        first_seq: 0,
        last_seq: 0,
        refused: BTreeMap::new(),
        ack: new_histogram(),
        started_ns: now_ns(),
        stopped_ns: 0,
        acked_ns: 0,
        closed: None,
    };
    let start = Instant::now();
    let end = plan.duration.map(|d| start + d);
    let mut sent_at: HashMap<u64, u64> = HashMap::new();
    let mut sending = true;
    let mut give_up = None;
    loop {
        if sending {
            let done_by_time = end.is_some_and(|e| Instant::now() >= e);
            let done_by_count = plan.count.is_some_and(|c| o.sent >= c);
            if done_by_time || done_by_count {
                sending = false;
                o.stopped_ns = now_ns();
                give_up = Some(Instant::now() + Duration::from_secs(60));
            }
        }
        if !sending && sent_at.is_empty() {
            break;
        }
        let can_send = sending && sent_at.len() < plan.window;
        let due = if plan.rate > 0.0 {
            start + Duration::from_secs_f64(o.sent as f64 / plan.rate)
        } else {
            Instant::now()
        };
        if can_send && Instant::now() >= due {
            // Due now: send without going through the timer, whose 1 ms
            // granularity would otherwise cap an unpaced speaker near 1000/s.
            let id = o.sent + 1;
            let t = now_ns();
            let text = stamped_text(t, id, plan.text_bytes);
            let sent = if plan.floor {
                let frame = floor_speech(&plan.room, id, text);
                futures_util::SinkExt::send(&mut client.ws, Message::text(frame))
                    .await
                    .map_err(anyhow::Error::from)
            } else {
                let say = Request::Say {
                    room: plan.room.clone(),
                    text,
                    lang: "en".into(),
                };
                client.send(say, Some(id)).await
            };
            if sent.is_err() {
                break;
            }
            sent_at.insert(id, t);
            o.sent += 1;
            // Read whatever has arrived before sending more.
            if let Some(Some(text)) = client.next_text().now_or_never() {
                on_answer(&mut o, &mut sent_at, &text, plan.floor);
            }
            continue;
        }
        let wake = end.map(|e| e.min(due)).unwrap_or(due);
        tokio::select! {
            biased;
            _ = stop.cancelled() => break,
            text = client.next_text() => {
                let Some(text) = text else { break };
                on_answer(&mut o, &mut sent_at, &text, plan.floor);
            }
            // The top of the loop sends whatever is due.
            _ = tokio::time::sleep_until(wake), if can_send => {}
            _ = tokio::time::sleep_until(give_up.unwrap_or_else(Instant::now)), if give_up.is_some() => {
                *o.refused.entry("no answer".into()).or_default() += sent_at.len() as u64;
                break;
            }
        }
    }
    if o.stopped_ns == 0 {
        o.stopped_ns = now_ns();
    }
    o.closed = client.closed.clone();
    o
}

/// A frame the speaker received: an answer to one of its says (on the
/// floor, the echo of one of its speeches), or not.
fn on_answer(o: &mut SpeakOutcome, sent_at: &mut HashMap<u64, u64>, text: &str, floor: bool) {
    let f = match peek(text) {
        Peek::Event(e) if floor => {
            if let Some((_, n)) = e.stamp {
                acked(o, sent_at, n, Some(e.seq));
            }
            return;
        }
        Peek::Other(f) => f,
        _ => return,
    };
    match *f {
        ServerFrame::Ok {
            id: Some(RequestId::Number(n)),
            seq,
            ..
        } => acked(o, sent_at, n, seq),
        ServerFrame::Error { id, code, .. } => {
            *o.refused.entry(code_str(code)).or_default() += 1;
            match id {
                Some(RequestId::Number(n)) => {
                    sent_at.remove(&n);
                }
                // A frame refused for rate is not read: it has no id.
                _ => {
                    if let Some(&oldest) = sent_at.keys().min() {
                        sent_at.remove(&oldest);
                    }
                }
            }
        }
        _ => {}
    }
}

/// Speech `n` was answered, as event `seq`.
fn acked(o: &mut SpeakOutcome, sent_at: &mut HashMap<u64, u64>, n: u64, seq: Option<u64>) {
    let Some(t) = sent_at.remove(&n) else {
        return;
    };
    o.ack.saturating_record(us_since(t).max(1));
    o.acked += 1;
    o.acked_ns = now_ns();
    if let Some(seq) = seq {
        if o.first_seq == 0 {
            o.first_seq = seq;
        }
        o.last_seq = o.last_seq.max(seq);
    }
}

// ---------------------------------------------------------------- memory

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

/// Record a speaker's figures in a report.
pub fn speaker_report(report: &mut Report, o: &SpeakOutcome) {
    report.figure("speeches_sent", o.sent);
    report.figure("speeches_acked", o.acked);
    report.figure("speaking_seconds", round2(o.seconds()));
    if o.acked > 0 {
        report.latency.insert("ack".into(), Latency::of(&o.ack));
    }
    for (code, n) in &o.refused {
        *report.errors.entry(format!("speaker: {code}")).or_default() += n;
    }
    if let Some((code, reason)) = &o.closed {
        report.notes.push(format!(
            "the speaker's connection was closed: {code} {reason}"
        ));
    }
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
