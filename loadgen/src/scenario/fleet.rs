//! A fleet of listening connections: opened together (so many at a time),
//! each joined to its room and counting what it receives, stopped
//! together; and the checks and figures drawn from what they received
//! (every speech, in order, exactly once).

use super::{assign, short, Ctx, Shared};
use crate::cli::Stage;
use crate::conn::{code_str, us_since, Login};
use crate::frame::{peek, FrameKind, Peek};
use crate::report::{Checks, Report};
use crate::stats::Received;
use crate::sys::now_ns;
use anyhow::Result;
use dais_protocol::ServerFrame;
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{mpsc, watch, Semaphore};
use tokio::task::JoinHandle;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

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

/// One event's seq against the next one a listener expects: in order, a
/// duplicate, or past a gap (the seqs skipped count as missing). Shared by
/// every listener of the scenarios, on a clean link or an emulated one.
pub(super) fn count_seq(seq: u64, expected: &mut u64, gaps: &mut u64, duplicates: &mut u64) {
    if seq == *expected {
        *expected += 1;
    } else if seq < *expected {
        *duplicates += 1;
    } else {
        *gaps += seq - *expected;
        *expected = seq + 1;
    }
}

fn on_frame(shared: &Shared, spec: &ListenSpec, out: &mut ListenOutcome, text: &str) {
    let frame = peek(text);
    out.received.add(frame.kind(), text.len());
    match frame {
        Peek::Event(e) => {
            out.events += 1;
            count_seq(e.seq, &mut out.expected, &mut out.gaps, &mut out.duplicates);
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
