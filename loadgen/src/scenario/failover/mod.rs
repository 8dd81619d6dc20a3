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

mod client;

use super::*;
use crate::cluster::Cluster;
use client::{follow, Crowd, Followed};
use hdrhistogram::Histogram;

const ROOM: &str = "lg-failover-1";
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

/// Who holds the room's lease after `owner`, and when the record first
/// says so; None if nobody took it within three leases and 30 s.
async fn next_owner(cluster: &Cluster, owner: usize) -> Result<Option<(usize, u64)>> {
    let lease = cluster.lease_secs;
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
    Ok(new_owner)
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
    let (pool, ctxs, owner) = room_on_cluster(args, cluster, ROOM).await?;
    let speaker_node = (owner + 1) % k;
    let speaker = ctxs[speaker_node].speaker(ROOM).await?;
    let drain = Draining::start(speaker);

    let (final_tx, final_rx) = watch::channel(u64::MAX);
    let (crowd, tasks, setup) = gather(args, &ctxs, &pool, final_rx).await;
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
    let new_owner = next_owner(cluster, owner).await?;
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
    let mut h = what_happened(&clients, owner, kill_ns, final_seq, restored_seq);
    let gaps: u64 = clients.iter().map(|c| c.seqs.gaps).sum();
    let duplicates: u64 = clients.iter().map(|c| c.seqs.duplicates).sum();
    let complete = clients
        .iter()
        .filter(|c| c.joined && c.seqs.clean() && c.seqs.last() >= final_seq)
        .count();
    if setup.connected < n {
        h.violations
            .push(format!("only {} of {n} clients joined", setup.connected));
    }
    if new_owner.is_none() {
        h.violations.push(format!(
            "no other node took the room within {} s of the kill",
            lease * 3 + 30
        ));
    }
    if h.first_heard.is_none() {
        h.violations
            .push("no client heard the new owner's service_restored".into());
    }
    for v in h.violations.iter().take(20) {
        eprintln!("dais-loadgen: VIOLATION: {v}");
    }
    if h.violations.len() > 20 {
        eprintln!(
            "dais-loadgen: VIOLATION: ... and {} more",
            h.violations.len() - 20
        );
    }
    report.checks = Checks {
        passed: h.violations.is_empty(),
        listeners: clients.len(),
        complete,
        gaps,
        duplicates,
        missing: clients
            .iter()
            .filter(|c| c.joined)
            .map(|c| final_seq.saturating_sub(c.seqs.last()))
            .sum(),
        failures: h.violations.into_iter().take(10).collect(),
    };

    let summary = Summary {
        setup: &setup,
        speaker_node,
        dead: &dead,
        kill_ns,
        new_owner,
        restored_seq,
        final_seq,
        gaps,
        duplicates,
        heard: &h.heard,
        resume: &h.resume,
        detect: &h.detect,
        first_heard: h.first_heard,
        dead_clients: h.dead_clients,
        resumed: h.resumed,
        attempts: &h.attempts,
        unexpected_drops: h.unexpected_drops,
        taken_total,
        speaking,
    };
    failover_figures(args, cluster, report, &summary, &spoken, &ctxs);
    print_summary(args, cluster, report, &summary);
    Ok(())
}

/// The crowd: `--connections` clients spread evenly over the nodes, each
/// joined to the room (at most `--connect-concurrency` at a time); the
/// tasks that follow it, and how the set-up went.
async fn gather(
    args: &Args,
    ctxs: &[Arc<Ctx>],
    pool: &Provisioned,
    final_rx: watch::Receiver<u64>,
) -> (Arc<Crowd>, Vec<JoinHandle<Followed>>, SetupStats) {
    let n = args.connections;
    let k = ctxs.len();
    let (joined_tx, mut joined_rx) = mpsc::unbounded_channel();
    let crowd = Arc::new(Crowd {
        ctxs: ctxs.to_vec(),
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
    (crowd, tasks, setup)
}

/// What the clients went through around the kill.
struct Happened {
    /// Kill to the new owner's first event at each client (µs).
    heard: Histogram<u64>,
    /// When the first client had it.
    first_heard: Option<u64>,
    /// Kill to resumed, and kill to the connection dropped, for the dead
    /// node's clients (µs).
    resume: Histogram<u64>,
    detect: Histogram<u64>,
    /// Attempts each of the dead node's clients needed to resume.
    attempts: Vec<u32>,
    /// What went wrong, client by client.
    violations: Vec<String>,
    dead_clients: usize,
    resumed: usize,
    /// Reconnections of clients whose node did not die, or before the kill.
    unexpected_drops: usize,
}

/// Go through every client: when it heard the new owner, how its
/// resumption went, and whether it saw every seq once, in order.
fn what_happened(
    clients: &[Followed],
    owner: usize,
    kill_ns: u64,
    final_seq: u64,
    restored_seq: Option<u64>,
) -> Happened {
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
    for c in clients {
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
    Happened {
        heard,
        first_heard,
        resume,
        detect,
        attempts,
        violations,
        dead_clients,
        resumed,
        unexpected_drops,
    }
}

/// The run's figures and latencies, into the report.
fn failover_figures(
    args: &Args,
    cluster: &Cluster,
    report: &mut Report,
    sum: &Summary,
    spoken: &SpeakOutcome,
    ctxs: &[Arc<Ctx>],
) {
    let lease = cluster.lease_secs;
    let k = cluster.nodes.len();
    report.figure("lease_secs", lease);
    report.figure("nodes", k);
    report.figure("clients", sum.setup.connected);
    report.figure("killed_node", sum.dead.to_string());
    report.figure("speaker_node", cluster.nodes[sum.speaker_node].id.clone());
    report.figure("kill_after_s", args.kill_after);
    report.figure("speaking_s", round2(sum.speaking));
    if let Some((o, at)) = sum.new_owner {
        report.figure("new_owner", cluster.nodes[o].id.clone());
        report.figure("kill_to_new_lease_s", round2(secs(sum.kill_ns, at)));
    }
    if let Some(t) = sum.first_heard {
        report.figure(
            "kill_to_first_restored_at_a_client_s",
            round2(secs(sum.kill_ns, t)),
        );
    }
    report.figure("dead_node_clients", sum.dead_clients);
    report.figure("dead_node_clients_resumed", sum.resumed);
    if !sum.attempts.is_empty() {
        report.figure(
            "resume_attempts_mean",
            round2(sum.attempts.iter().map(|&a| a as f64).sum::<f64>() / sum.attempts.len() as f64),
        );
        report.figure("resume_attempts_max", sum.attempts.iter().copied().max());
    }
    report.figure("unexpected_reconnections", sum.unexpected_drops);
    report.figure("final_seq", sum.final_seq);
    report.figure("service_restored_seq", sum.restored_seq);
    report.figure("rooms_taken_total_on_new_owner", sum.taken_total);
    speaker_report(report, spoken);
    report.latency.insert(
        "kill to resumed (dead node's clients)".into(),
        Latency::of(sum.resume),
    );
    report.latency.insert(
        "kill to connection dropped (dead node's clients)".into(),
        Latency::of(sum.detect),
    );
    report.latency.insert(
        "kill to service_restored at each client".into(),
        Latency::of(sum.heard),
    );
    let mut delivery = new_histogram();
    for ctx in ctxs {
        let _ = delivery.add(ctx.shared.delivery[0].merged());
    }
    report
        .latency
        .insert("delivery (whole run)".into(), Latency::of(&delivery));
    super::cluster_rooms::setup_report(report, sum.setup, 1, ctxs.iter());
}

/// The run's figures, for the report and the summary printed.
struct Summary<'a> {
    setup: &'a SetupStats,
    speaker_node: usize,
    /// The killed node.
    dead: &'a str,
    kill_ns: u64,
    /// The node that took the room, and when.
    new_owner: Option<(usize, u64)>,
    restored_seq: Option<u64>,
    final_seq: u64,
    gaps: u64,
    duplicates: u64,
    /// As in `Happened`.
    heard: &'a Histogram<u64>,
    resume: &'a Histogram<u64>,
    detect: &'a Histogram<u64>,
    first_heard: Option<u64>,
    dead_clients: usize,
    resumed: usize,
    attempts: &'a [u32],
    unexpected_drops: usize,
    /// `dais_rooms_taken_total` on the new owner.
    taken_total: Option<f64>,
    /// How long the speaker spoke, in seconds.
    speaking: f64,
}

/// The run in a few lines: who died, who took over, how long the clients
/// waited, and whether their seqs were whole.
fn print_summary(args: &Args, cluster: &Cluster, report: &Report, sum: &Summary) {
    let Summary {
        setup,
        speaker_node,
        dead,
        kill_ns,
        new_owner,
        restored_seq,
        final_seq,
        gaps,
        duplicates,
        heard,
        resume,
        first_heard,
        dead_clients,
        resumed,
        ..
    } = *sum;
    let lease = cluster.lease_secs;
    let k = cluster.nodes.len();
    let resume_l = Latency::of(resume);
    let heard_l = Latency::of(heard);
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
}
