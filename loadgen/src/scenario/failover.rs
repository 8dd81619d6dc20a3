//! Failover: a room's owner dies (`kill -9`) while a speaker on another
//! node goes on speaking at a steady rate, with `--connections` clients
//! spread evenly over the `--nodes` nodes.
//!
//! The room is made on the first node, which so owns it; the speaker is on
//! the next one (so it survives, and its speeches are forwarded to the
//! owner). After `--kill-after` seconds of speaking the owner's process is
//! killed. Another node takes the room once the lease (`--lease-secs`) has
//! run out, rebuilds it from the record and records `service_restored`.
//! Each client of the dead node sees its connection drop, connects to
//! another node, says hello and joins with `since` its last seq, as a real
//! client does.
//!
//! Measured: (a) the time from the kill to the first event of the new
//! owner (`service_restored`) at a client, and when every client had it;
//! (b) for each client of the dead node, the time from the kill to the
//! `ok` of its `join` with `since` on another node. Checked all along:
//! every client's seqs, across its connections, are gapless and without
//! duplicates, and reach the last speech. A violation is printed loudly
//! and fails the run.

use super::*;
use crate::cluster::Cluster;
use crate::conn::Joined;
use crate::pool::Needs;

const ROOM: &str = "lg-failover-1";
/// How long a client of the dead node keeps trying to come back.
const RESUME_DEADLINE: Duration = Duration::from_secs(120);
/// Pause after every node was tried once, before trying again.
const RETRY_PAUSE: Duration = Duration::from_millis(100);

/// The event seqs one client has seen in a room, across its connections:
/// each must be the one after the last, whether it came live or in the
/// replay of a `join` with `since`.
#[derive(Debug, Default, Clone)]
pub struct SeqCheck {
    /// The seq expected next; None until the first join's `ok`, before
    /// which the replay of the last events is not checked.
    next: Option<u64>,
    pub gaps: u64,
    pub duplicates: u64,
    /// The first few violations, in words.
    pub violations: Vec<String>,
}

impl SeqCheck {
    /// The first join was answered: live events follow `seq`.
    pub fn start_after(&mut self, seq: u64) {
        if self.next.is_none() {
            self.next = Some(seq + 1);
        }
    }

    pub fn see(&mut self, seq: u64) {
        let Some(next) = self.next else {
            return;
        };
        if seq == next {
            self.next = Some(next + 1);
        } else if seq < next {
            self.duplicates += 1;
            self.note(format!("seq {seq} a second time (expected {next})"));
        } else {
            self.gaps += seq - next;
            self.note(format!("seqs {next} to {} missing", seq - 1));
            self.next = Some(seq + 1);
        }
    }

    fn note(&mut self, what: String) {
        if self.violations.len() < 5 {
            self.violations.push(what);
        }
    }

    /// The last seq seen (the `since` of a resumption).
    pub fn last(&self) -> u64 {
        self.next.map_or(0, |n| n.saturating_sub(1))
    }

    pub fn clean(&self) -> bool {
        self.gaps == 0 && self.duplicates == 0
    }
}

/// A client's way back after its connection dropped.
#[derive(Debug, Clone, Copy)]
struct Resumption {
    dropped_ns: u64,
    /// When the `join` with `since` was answered `ok`.
    ok_ns: u64,
    /// The seq that `ok` carried: the replay went up to it.
    ok_seq: u64,
    node: usize,
    /// Connections tried (1: the first node tried took it).
    attempts: u32,
}

/// How one client did.
#[derive(Debug, Default)]
struct Followed {
    index: usize,
    first_node: usize,
    joined: bool,
    seqs: SeqCheck,
    resumptions: Vec<Resumption>,
    /// When a live `service_restored` reached it, and its seq.
    restored: Option<(u64, u64)>,
    error: Option<String>,
}

/// What every client shares: where to connect, how to stop.
struct Crowd {
    ctxs: Vec<Arc<Ctx>>,
    stop: CancellationToken,
    final_rx: watch::Receiver<u64>,
    settled: Arc<AtomicUsize>,
    sem: Arc<Semaphore>,
    joined_tx: mpsc::UnboundedSender<Result<usize, String>>,
}

/// The nodes a client of `node` tries after its connection drops: every
/// other one, starting at a different one for odd and even clients.
pub fn fallbacks(node: usize, index: usize, nodes: usize) -> Vec<usize> {
    let others = nodes.saturating_sub(1).max(1);
    (0..others)
        .map(|j| (node + 1 + (index + j) % others) % nodes)
        .collect()
}

/// Connect to `node`, say hello and join (with `since`, when resuming).
async fn connect(
    ctx: &Ctx,
    index: usize,
    login: &Login,
    since: Option<u64>,
) -> Result<(Client, Joined)> {
    let mut c = ctx.dialer.dial(index).await?;
    c.hello(login).await?;
    let joined = c.join(ROOM, since).await?;
    Ok((c, joined))
}

async fn follow(crowd: Arc<Crowd>, index: usize, login: Login, first_node: usize) -> Followed {
    let mut out = Followed {
        index,
        first_node,
        ..Default::default()
    };
    let mut final_rx = crowd.final_rx.clone();
    let first = async {
        let _permit = crowd.sem.acquire().await.ok();
        connect(&crowd.ctxs[first_node], index, &login, None).await
    };
    let mut client = tokio::select! {
        r = first => match r {
            Ok((c, joined)) => {
                out.joined = true;
                out.seqs.start_after(joined.seq);
                let _ = crowd.joined_tx.send(Ok(index));
                c
            }
            Err(e) => {
                out.error = Some(format!("{e:#}"));
                let _ = crowd.joined_tx.send(Err(format!("{e:#}")));
                crowd.settled.fetch_add(1, Ordering::Relaxed);
                return out;
            }
        },
        _ = crowd.stop.cancelled() => {
            crowd.settled.fetch_add(1, Ordering::Relaxed);
            return out;
        }
    };
    let mut node = first_node;
    let mut reached = false;
    let mut final_open = true;
    'connection: loop {
        loop {
            if !reached && out.seqs.last() >= *final_rx.borrow() {
                reached = true;
                crowd.settled.fetch_add(1, Ordering::Relaxed);
            }
            tokio::select! {
                biased;
                _ = crowd.stop.cancelled() => break 'connection,
                r = final_rx.changed(), if final_open => final_open = r.is_ok(),
                text = client.next_text() => match text {
                    Some(text) => on_frame(&crowd.ctxs[node].shared, &mut out, &text),
                    None => break,
                },
            }
        }
        // The connection dropped: come back on another node.
        let dropped_ns = now_ns();
        let deadline = Instant::now() + RESUME_DEADLINE;
        let mut attempts = 0;
        let back = 'resume: loop {
            for to in fallbacks(node, index, crowd.ctxs.len()) {
                attempts += 1;
                let since = Some(out.seqs.last());
                let tried = tokio::select! {
                    r = connect(&crowd.ctxs[to], index, &login, since) => r,
                    _ = crowd.stop.cancelled() => break 'connection,
                };
                match tried {
                    Ok(ok) => break 'resume Some((to, ok)),
                    Err(e) => crowd.ctxs[to]
                        .shared
                        .errors
                        .add(format!("resume: {}", short(&e.root_cause().to_string()))),
                }
            }
            if Instant::now() >= deadline {
                break None;
            }
            tokio::time::sleep(RETRY_PAUSE).await;
        };
        let Some((to, (c, joined))) = back else {
            out.error = Some(format!(
                "could not come back within {RESUME_DEADLINE:?} ({attempts} attempts)"
            ));
            break;
        };
        for seq in &joined.replayed {
            out.seqs.see(*seq);
        }
        out.resumptions.push(Resumption {
            dropped_ns,
            ok_ns: now_ns(),
            ok_seq: joined.seq,
            node: to,
            attempts,
        });
        node = to;
        client = c;
    }
    if !reached {
        crowd.settled.fetch_add(1, Ordering::Relaxed);
    }
    client.close().await;
    out
}

fn on_frame(shared: &Shared, out: &mut Followed, text: &str) {
    match peek(text) {
        Peek::Event(e) => {
            out.seqs.see(e.seq);
            if e.kind == "service_restored" && out.restored.is_none() {
                out.restored = Some((now_ns(), e.seq));
            }
            if let Some((sent, _)) = e.stamp {
                shared.delivery[0].record_us(now_ns().saturating_sub(sent) / 1000);
            }
        }
        Peek::Other(f) => {
            if let ServerFrame::Error { code, .. } = *f {
                shared.errors.add(code_str(code));
            }
        }
        Peek::Counted(_) => {}
        Peek::Unknown => shared.errors.add("unreadable frame"),
    }
}

pub async fn run(args: &Args, report: &mut Report) -> Result<()> {
    let mut cluster = Cluster::start(args, args.nodes, false).await?;
    let result = measure(args, &mut cluster, report).await;
    for gone in cluster.exited() {
        report.checks.passed = false;
        report.checks.failures.push(gone);
    }
    let keep = args.keep_data || result.is_err() || !report.checks.passed;
    cluster.stop(keep).await;
    result
}

/// Seconds from `from_ns` to `to_ns`.
fn secs(from_ns: u64, to_ns: u64) -> f64 {
    to_ns.saturating_sub(from_ns) as f64 / 1e9
}

async fn measure(args: &Args, cluster: &mut Cluster, report: &mut Report) -> Result<()> {
    let k = cluster.nodes.len();
    report.setup.server_url = cluster.urls();
    let n = args.connections;
    let lease = cluster.lease_secs;
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
        .create_rooms(&[ROOM.to_string()], Mode::Open, 600)
        .await?;
    let owner = cluster.owner_of(ROOM, Duration::from_secs(30)).await?;
    let speaker_node = (owner + 1) % k;
    let speaker = ctxs[speaker_node].speaker(ROOM).await?;
    let drain = Draining::start(speaker);

    let (final_tx, final_rx) = watch::channel(u64::MAX);
    let (joined_tx, mut joined_rx) = mpsc::unbounded_channel();
    let crowd = Arc::new(Crowd {
        ctxs: ctxs.clone(),
        stop: CancellationToken::new(),
        final_rx,
        settled: Arc::new(AtomicUsize::new(0)),
        sem: Arc::new(Semaphore::new(args.connect_concurrency.max(1))),
        joined_tx,
    });
    let mut tasks = Vec::new();
    for i in 0..n {
        let (_, ident) = assign(i, 1, args.identities, &pool.observers);
        tasks.push(tokio::spawn(follow(crowd.clone(), i, ident.login(), i % k)));
    }
    let started = Instant::now();
    let (mut joined, mut failed) = (0, 0);
    while joined + failed < n {
        let wait = Duration::from_secs_f64(args.setup_timeout).saturating_sub(started.elapsed());
        match tokio::time::timeout(wait, joined_rx.recv()).await {
            Ok(Some(Ok(_))) => joined += 1,
            Ok(Some(Err(e))) => {
                if failed == 0 {
                    eprintln!("dais-loadgen: clients: first failure: {e}");
                }
                failed += 1;
            }
            _ => break,
        }
    }
    let setup = SetupStats {
        asked: n,
        connected: joined,
        failed,
        seconds: started.elapsed().as_secs_f64(),
    };
    tokio::time::sleep(Duration::from_secs(2)).await;
    let mut speaker = drain.finish().await?;

    // Speak long enough for the lease to run out, the room to be taken
    // and the clients to settle, and a little more.
    let speaking = args.duration.max(args.kill_after + lease as f64 + 10.0);
    let plan = SpeakPlan::paced(
        &ctxs[speaker_node],
        ROOM,
        args.rate(),
        Duration::from_secs_f64(speaking),
    );
    let speaking_task = tokio::spawn(async move {
        let o = speak(&mut speaker, &plan, &CancellationToken::new()).await;
        (speaker, o)
    });
    tokio::time::sleep(Duration::from_secs_f64(args.kill_after)).await;
    let dead = cluster.nodes[owner].id.clone();
    eprintln!(
        "dais-loadgen: kill -9 of {dead} (pid {}), the room's owner",
        cluster.nodes[owner].pid
    );
    let kill_ns = now_ns();
    cluster.nodes[owner].kill();
    // Who holds the lease next, and when the record says so.
    let mut new_owner = None;
    let lease_deadline = Instant::now() + Duration::from_secs(lease * 3 + 30);
    while Instant::now() < lease_deadline {
        if let Some(&o) = cluster.leases().await?.get(ROOM) {
            if o != owner {
                new_owner = Some((o, now_ns()));
                break;
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let (speaker, spoken) = speaking_task.await?;
    let final_seq = spoken.last_seq;
    final_tx.send_replace(final_seq);
    let drain_deadline = Instant::now() + Duration::from_secs_f64(args.drain);
    while crowd.settled.load(Ordering::Relaxed) < n && Instant::now() < drain_deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    crowd.stop.cancel();
    let mut clients = Vec::new();
    for t in tasks {
        clients.push(t.await?);
    }
    speaker.close().await;
    let taken_total = match new_owner {
        Some((o, _)) => cluster.metric(o, "dais_rooms_taken_total").await,
        None => None,
    };

    // ---- what happened
    let restored_seq = clients.iter().filter_map(|c| c.restored.map(|r| r.1)).min();
    // When each client had the new owner's first event: live, or in the
    // replay of its resumption.
    let mut heard = new_histogram();
    let mut first_heard: Option<u64> = None;
    let mut resume = new_histogram();
    let mut detect = new_histogram();
    let mut attempts = Vec::new();
    let mut violations: Vec<String> = Vec::new();
    let mut dead_clients = 0;
    let mut resumed = 0;
    let mut unexpected_drops = 0;
    for c in &clients {
        let on_dead = c.first_node == owner;
        dead_clients += usize::from(on_dead && c.joined);
        let had = c.restored.map(|r| r.0).or_else(|| {
            let seq = restored_seq?;
            c.resumptions
                .iter()
                .find(|r| r.ok_seq >= seq && r.ok_ns > kill_ns)
                .map(|r| r.ok_ns)
        });
        if let Some(t) = had {
            heard.saturating_record(t.saturating_sub(kill_ns) / 1000);
            first_heard = Some(first_heard.map_or(t, |f| f.min(t)));
        }
        if let Some(r) = c.resumptions.first() {
            if on_dead {
                resumed += 1;
                resume.saturating_record(r.ok_ns.saturating_sub(kill_ns) / 1000);
                detect.saturating_record(r.dropped_ns.saturating_sub(kill_ns) / 1000);
                attempts.push(r.attempts);
            }
        }
        unexpected_drops += c
            .resumptions
            .iter()
            .filter(|r| !on_dead || r.dropped_ns < kill_ns)
            .count();
        if !c.joined {
            continue;
        }
        let mut wrong = Vec::new();
        if !c.seqs.clean() {
            wrong.push(format!(
                "{} gaps, {} duplicates: {}",
                c.seqs.gaps,
                c.seqs.duplicates,
                c.seqs.violations.join("; ")
            ));
        }
        if c.seqs.last() < final_seq {
            wrong.push(format!("reached seq {} of {final_seq}", c.seqs.last()));
        }
        if on_dead && c.resumptions.is_empty() {
            wrong.push("never came back after the kill".into());
        }
        if let Some(e) = &c.error {
            wrong.push(e.clone());
        }
        if !wrong.is_empty() {
            violations.push(format!(
                "client {} (first on n{}{}): {}",
                c.index,
                c.first_node + 1,
                c.resumptions
                    .last()
                    .map(|r| format!(", last on n{}", r.node + 1))
                    .unwrap_or_default(),
                wrong.join("; ")
            ));
        }
    }
    let gaps: u64 = clients.iter().map(|c| c.seqs.gaps).sum();
    let duplicates: u64 = clients.iter().map(|c| c.seqs.duplicates).sum();
    let complete = clients
        .iter()
        .filter(|c| c.joined && c.seqs.clean() && c.seqs.last() >= final_seq)
        .count();
    if setup.connected < n {
        violations.push(format!("only {} of {n} clients joined", setup.connected));
    }
    if new_owner.is_none() {
        violations.push(format!(
            "no other node took the room within {} s of the kill",
            lease * 3 + 30
        ));
    }
    if first_heard.is_none() {
        violations.push("no client heard the new owner's service_restored".into());
    }
    for v in violations.iter().take(20) {
        eprintln!("dais-loadgen: VIOLATION: {v}");
    }
    if violations.len() > 20 {
        eprintln!(
            "dais-loadgen: VIOLATION: ... and {} more",
            violations.len() - 20
        );
    }
    report.checks = Checks {
        passed: violations.is_empty(),
        listeners: clients.len(),
        complete,
        gaps,
        duplicates,
        missing: clients
            .iter()
            .filter(|c| c.joined)
            .map(|c| final_seq.saturating_sub(c.seqs.last()))
            .sum(),
        failures: violations.into_iter().take(10).collect(),
    };

    // ---- figures
    report.figure("lease_secs", lease);
    report.figure("nodes", k);
    report.figure("clients", setup.connected);
    report.figure("killed_node", dead.clone());
    report.figure("speaker_node", cluster.nodes[speaker_node].id.clone());
    report.figure("kill_after_s", args.kill_after);
    report.figure("speaking_s", round2(speaking));
    if let Some((o, at)) = new_owner {
        report.figure("new_owner", cluster.nodes[o].id.clone());
        report.figure("kill_to_new_lease_s", round2(secs(kill_ns, at)));
    }
    if let Some(t) = first_heard {
        report.figure(
            "kill_to_first_restored_at_a_client_s",
            round2(secs(kill_ns, t)),
        );
    }
    report.figure("dead_node_clients", dead_clients);
    report.figure("dead_node_clients_resumed", resumed);
    if !attempts.is_empty() {
        report.figure(
            "resume_attempts_mean",
            round2(attempts.iter().map(|&a| a as f64).sum::<f64>() / attempts.len() as f64),
        );
        report.figure("resume_attempts_max", attempts.iter().copied().max());
    }
    report.figure("unexpected_reconnections", unexpected_drops);
    report.figure("final_seq", final_seq);
    report.figure("service_restored_seq", restored_seq);
    report.figure("rooms_taken_total_on_new_owner", taken_total);
    speaker_report(report, &spoken);
    report.latency.insert(
        "kill to resumed (dead node's clients)".into(),
        Latency::of(&resume),
    );
    report.latency.insert(
        "kill to connection dropped (dead node's clients)".into(),
        Latency::of(&detect),
    );
    report.latency.insert(
        "kill to service_restored at each client".into(),
        Latency::of(&heard),
    );
    let mut delivery = new_histogram();
    for ctx in &ctxs {
        let _ = delivery.add(ctx.shared.delivery[0].merged());
    }
    report
        .latency
        .insert("delivery (whole run)".into(), Latency::of(&delivery));
    super::cluster_rooms::setup_report(report, &setup, 1, ctxs.iter());

    let resume_l = Latency::of(&resume);
    let heard_l = Latency::of(&heard);
    println!();
    println!(
        "== failover: lease {lease} s, {k} nodes, {} clients, speaker on {} at {}/s; kill -9 of {dead} (the owner) after {} s of speaking",
        setup.connected,
        cluster.nodes[speaker_node].id,
        args.rate(),
        args.kill_after
    );
    if let Some((o, at)) = new_owner {
        println!(
            "new owner: {} holds the lease {:.2} s after the kill",
            cluster.nodes[o].id,
            secs(kill_ns, at)
        );
    }
    if let Some(t) = first_heard {
        println!(
            "(a) kill to the new owner's first event (service_restored, seq {}) at a client: {:.2} s; at every client: p50 {:.2} s, p99 {:.2} s, max {:.2} s",
            restored_seq.unwrap_or(0),
            secs(kill_ns, t),
            heard_l.p50_ms / 1000.0,
            heard_l.p99_ms / 1000.0,
            heard_l.max_ms / 1000.0
        );
    }
    println!(
        "(b) kill to join-with-since ok on another node, {resumed} of {dead_clients} clients of {dead}: p50 {:.2} s, p99 {:.2} s, max {:.2} s",
        resume_l.p50_ms / 1000.0,
        resume_l.p99_ms / 1000.0,
        resume_l.max_ms / 1000.0
    );
    println!(
        "seqs: {} of {} clients gapless, without duplicates and up to seq {final_seq}; gaps {gaps}, duplicates {duplicates}",
        report.checks.complete,
        report.checks.listeners
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seqs_resumed_with_since_continue_without_a_gap() {
        let mut s = SeqCheck::default();
        // The first join's replay comes before its ok: not checked.
        s.see(3);
        s.start_after(10);
        for seq in 11..=15 {
            s.see(seq);
        }
        // The connection drops; the replay of the join with since 15
        // brings 16 and 17, then live events follow.
        assert_eq!(s.last(), 15);
        for seq in [16, 17, 18] {
            s.see(seq);
        }
        assert!(s.clean(), "{s:?}");
        assert_eq!(s.last(), 18);
    }

    #[test]
    fn a_missing_seq_is_a_gap_and_a_repeated_one_a_duplicate() {
        let mut s = SeqCheck::default();
        s.start_after(0);
        s.see(1);
        s.see(4);
        assert_eq!(s.gaps, 2);
        s.see(4);
        s.see(2);
        assert_eq!(s.duplicates, 2);
        assert_eq!(s.last(), 4);
        assert!(!s.clean());
        assert_eq!(s.violations[0], "seqs 2 to 3 missing");
    }

    #[test]
    fn clients_of_a_dead_node_fall_back_on_every_other_node() {
        assert_eq!(fallbacks(0, 0, 3), [1, 2]);
        assert_eq!(fallbacks(0, 1, 3), [2, 1]);
        assert_eq!(fallbacks(2, 0, 3), [0, 1]);
        assert_eq!(fallbacks(1, 5, 2), [0]);
    }
}
