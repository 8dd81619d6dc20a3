//! Many rooms on a cluster: `--rooms` rooms (60 by default) over
//! `--nodes` nodes, each room with a speaker of its own speaking at
//! `--rate` and `--connections` listeners in all, spread evenly over the
//! rooms and, within each room, over the nodes.
//!
//! A chair connected to node `i % K` makes room `i` (`room_create`), and
//! the node that makes a room takes its lease, so the rooms are spread
//! evenly by construction; the run reads who owns what from each node's
//! /metrics (`dais_rooms_owned`, which counts the six default rooms too)
//! and from the leases. The speaker of room `r` connects to node
//! `(r + r / K) % K`: about a third of the speakers talk to their room's owner,
//! the others' speeches are forwarded over the bus. The delivery latency
//! is told for listeners on their room owner's node and on the others.

use super::*;
use crate::cluster::{Cluster, ServiceCpu};
use crate::pool::Needs;

pub async fn run(args: &Args, report: &mut Report) -> Result<()> {
    let k = args.nodes;
    let mut cluster = Cluster::start(args, k, false).await?;
    let result = measure(args, &cluster, report).await;
    for gone in cluster.exited() {
        report.checks.passed = false;
        report.checks.failures.push(gone);
    }
    let keep = args.keep_data || result.is_err() || !report.checks.passed;
    cluster.stop(keep).await;
    result
}

/// The node a room's speaker connects to.
pub fn speaker_node(room: usize, nodes: usize) -> usize {
    (room + room / nodes) % nodes
}

/// Listener `i`: its room and its node. The listeners of one room spread
/// evenly over the nodes whatever the number of rooms.
pub fn listener_place(i: usize, rooms: usize, nodes: usize) -> (usize, usize) {
    (i % rooms, (i / rooms) % nodes)
}

async fn measure(args: &Args, cluster: &Cluster, report: &mut Report) -> Result<()> {
    let k = cluster.nodes.len();
    report.setup.server_url = cluster.urls();
    let r_count = args.rooms();
    let n = args.connections;
    let pool = cluster
        .provision(Needs {
            moderators: 1,
            delegates: r_count,
            observers: (r_count * args.identities.max(1)).min(n.max(1)).max(1),
        })
        .await?;
    // For each node, a context for listeners of rooms it owns and one for
    // the others, so that the two kinds of delivery are recorded apart.
    let local: Vec<Arc<Ctx>> = cluster
        .nodes
        .iter()
        .map(|node| Ctx::on_node(args, node, &pool))
        .collect();
    let remote: Vec<Arc<Ctx>> = cluster
        .nodes
        .iter()
        .map(|node| Ctx::on_node(args, node, &pool))
        .collect();
    let (rooms, owner) = make_rooms(cluster, &local, r_count, report).await?;

    // The speakers join first, and are kept drained while the listeners do.
    let mut speakers = Vec::new();
    for (r, room) in rooms.iter().enumerate() {
        let who = &pool.delegates[r];
        let mut c = local[speaker_node(r, k)].control(2 + r, who).await?;
        c.join(room, None).await?;
        speakers.push(Draining::start(c));
    }
    let mut fleet = Fleet::new(args.connect_concurrency, &rooms);
    start_listeners(&mut fleet, args, &pool, &rooms, &owner, [&local, &remote]);
    let setup = fleet
        .wait_joined(n, Duration::from_secs_f64(args.setup_timeout), "listeners")
        .await;
    tokio::time::sleep(Duration::from_secs(2)).await;

    let own0 = sys::cpu_times(std::process::id());
    let (nodes0, svc0) = (cluster.nodes_cpu(), ServiceCpu::now());
    let mut tasks = Vec::new();
    for (r, d) in speakers.into_iter().enumerate() {
        let mut c = d.finish().await?;
        let plan = SpeakPlan::paced(
            &local[0],
            &rooms[r],
            args.rate(),
            Duration::from_secs_f64(args.duration),
        );
        tasks.push(tokio::spawn(async move {
            let o = speak(&mut c, &plan, &CancellationToken::new()).await;
            (c, o)
        }));
    }
    let mut clients = Vec::new();
    let mut spoken = Vec::new();
    for t in tasks {
        let (c, o) = t.await?;
        clients.push(c);
        spoken.push(o);
    }
    let (nodes1, svc1) = (cluster.nodes_cpu(), ServiceCpu::now());
    let own1 = sys::cpu_times(std::process::id());
    let wall = (svc1.at_ns.saturating_sub(svc0.at_ns) as f64 / 1e9).max(1e-9);
    let (pg_busy, redis_busy) = svc1.busy_since(&svc0);

    let mut expect: HashMap<String, (u64, u64)> = HashMap::new();
    for (r, o) in spoken.iter().enumerate() {
        fleet.set_final(&rooms[r], o.last_seq);
        expect.insert(rooms[r].clone(), (o.last_seq, o.acked));
    }
    // Per node: the rooms it owns, as its /metrics and the leases say.
    let mut owned_metric = Vec::new();
    let mut forwarded = Vec::new();
    for i in 0..k {
        owned_metric.push(cluster.metric(i, "dais_rooms_owned").await);
        forwarded.push(cluster.metric(i, "dais_forwarded_total").await);
    }
    let outcomes = fleet.finish(Duration::from_secs_f64(args.drain)).await;
    for c in clients {
        c.close().await;
    }

    let sent: u64 = spoken.iter().map(|o| o.sent).sum();
    let acked: u64 = spoken.iter().map(|o| o.acked).sum();
    report.checks = rooms_checks(&outcomes, &expect, &setup, n, (sent, acked));

    delivery_report(report, &local, &remote, &spoken);

    let (total, last_ns) = deliveries(&outcomes);
    let started = spoken.iter().map(|o| o.started_ns).min().unwrap_or(0);
    let stopped = spoken.iter().map(|o| o.stopped_ns).max().unwrap_or(0);
    let span = last_ns.saturating_sub(started) as f64 / 1e9;
    report.figure("nodes", k);
    report.figure("rooms", r_count);
    report.figure("listeners", setup.connected);
    report.figure("speeches_sent", sent);
    report.figure("speeches_acked", acked);
    report.figure("deliveries", total);
    report.figure(
        "deliveries_per_s",
        if span > 0.0 {
            (total as f64 / span).round()
        } else {
            0.0
        },
    );
    let speaking = (stopped.saturating_sub(started) as f64 / 1e9).max(1e-9);
    report.figure(
        "offered_deliveries_per_s",
        (sent as f64 * (n as f64 / r_count as f64) / speaking).round(),
    );
    report.figure(
        "drain_after_last_speech_s",
        round2(last_ns.saturating_sub(stopped) as f64 / 1e9),
    );
    let mut by_lease = vec![0usize; k];
    for &o in &owner {
        by_lease[o] += 1;
    }
    for i in 0..k {
        let id = &cluster.nodes[i].id;
        report.figure(&format!("{id}_rooms_owned_metric"), owned_metric[i]);
        report.figure(&format!("{id}_load_rooms_owned"), by_lease[i]);
        report.figure(&format!("{id}_forwarded_total"), forwarded[i]);
    }
    let speakers_on_owner = (0..r_count)
        .filter(|&r| owner[r] == speaker_node(r, k))
        .count();
    report.figure("speakers_on_their_rooms_owner", speakers_on_owner);
    report.figure("nodes_cores_busy", round2((nodes1 - nodes0) / wall));
    report.figure("postgres_cores_busy", round2(pg_busy));
    report.figure("redis_cores_busy", round2(redis_busy));
    if let (Some((u0, s0)), Some((u1, s1))) = (own0, own1) {
        report.figure("loadgen_cores_busy", round2((u1 - u0 + s1 - s0) / wall));
    }
    setup_report(report, &setup, r_count, local.iter().chain(&remote));
    report.notes.push(format!(
        "dais_rooms_owned counts each node's share of the {} default rooms too; *_load_rooms_owned counts only this run's rooms, from the leases",
        crate::server::SERVER_DEFAULT_ROOMS
    ));
    Ok(())
}

/// The run's rooms, each made on the node `i % k` (which so owns it, as
/// the leases then say); the rooms and each room's owner.
async fn make_rooms(
    cluster: &Cluster,
    local: &[Arc<Ctx>],
    r_count: usize,
    report: &mut Report,
) -> Result<(Vec<String>, Vec<usize>)> {
    let k = local.len();
    let rooms = local[0].room_names("cluster-rooms", r_count);
    let made = Instant::now();
    for (node, ctx) in local.iter().enumerate() {
        let mine: Vec<String> = rooms
            .iter()
            .enumerate()
            .filter(|(i, _)| i % k == node)
            .map(|(_, r)| r.clone())
            .collect();
        ctx.create_rooms(&mine, Mode::Open, 600).await?;
    }
    report.figure("room_create_seconds", round2(made.elapsed().as_secs_f64()));
    let leases = cluster.leases().await?;
    let owner: Vec<usize> = rooms
        .iter()
        .map(|r| leases.get(r).copied().context("a room without an owner"))
        .collect::<Result<_>>()?;
    Ok((rooms, owner))
}

/// Delivery latency on the room owner's node and on the others, the
/// speakers' acks, and what the speakers were refused.
fn delivery_report(
    report: &mut Report,
    local: &[Arc<Ctx>],
    remote: &[Arc<Ctx>],
    spoken: &[SpeakOutcome],
) {
    let mut local_h = new_histogram();
    let mut remote_h = new_histogram();
    let mut ack_h = new_histogram();
    for (l, r) in local.iter().zip(remote) {
        let _ = local_h.add(l.shared.delivery[0].merged());
        let _ = remote_h.add(r.shared.delivery[0].merged());
    }
    for o in spoken {
        let _ = ack_h.add(&o.ack);
        for (code, n) in &o.refused {
            *report.errors.entry(format!("speaker: {code}")).or_default() += n;
        }
    }
    let mut all_h = new_histogram();
    let _ = all_h.add(&local_h);
    let _ = all_h.add(&remote_h);
    report
        .latency
        .insert("delivery".into(), Latency::of(&all_h));
    report
        .latency
        .insert("delivery, room owner's node".into(), Latency::of(&local_h));
    report
        .latency
        .insert("delivery, other nodes".into(), Latency::of(&remote_h));
    report.latency.insert("ack".into(), Latency::of(&ack_h));
}

/// Every listener got every speech of its room, in order, once; every
/// listener joined; every speech `sent` was `acked`.
fn rooms_checks(
    outcomes: &[ListenOutcome],
    expect: &HashMap<String, (u64, u64)>,
    setup: &SetupStats,
    n: usize,
    (sent, acked): (u64, u64),
) -> Checks {
    let mut checks = check_listeners(outcomes, &|o| expect.get(&o.room).copied());
    if setup.connected < n {
        checks.passed = false;
        checks
            .failures
            .push(format!("only {} of {n} listeners joined", setup.connected));
    }
    if acked < sent {
        checks.passed = false;
        checks
            .failures
            .push(format!("{acked} of {sent} speeches acknowledged"));
    }
    checks
}

/// The listeners, spread over the rooms and the nodes; each recorded in
/// its node's context for the rooms it owns (`local`) or for the others
/// (`remote`).
fn start_listeners(
    fleet: &mut Fleet,
    args: &Args,
    pool: &Provisioned,
    rooms: &[String],
    owner: &[usize],
    [local, remote]: [&[Arc<Ctx>]; 2],
) {
    let (n, r_count, k) = (args.connections, rooms.len(), local.len());
    for i in 0..n {
        let (room, node) = listener_place(i, r_count, k);
        let (_, ident) = assign(i, r_count, args.identities, &pool.observers);
        let ctx = if owner[room] == node {
            &local[node]
        } else {
            &remote[node]
        };
        fleet.start(
            ctx,
            ListenSpec {
                since: None,
                index: i,
                login: Some(ident.login()),
                room: rooms[room].clone(),
                record_latency: true,
                pause: None,
                stage: Stage::Join,
            },
        );
    }
}

/// The set-up figures, and the errors and closes every context counted.
pub fn setup_report<'a>(
    report: &mut Report,
    setup: &SetupStats,
    rooms: usize,
    ctxs: impl Iterator<Item = &'a Arc<Ctx>>,
) {
    let s = &mut report.setup;
    s.spawned = true;
    s.rooms = rooms;
    s.connections_asked = setup.asked;
    s.connected = setup.connected;
    s.connect_failures = setup.failed;
    s.connect_seconds = round2(setup.seconds);
    s.connect_rate_per_s = if setup.seconds > 0.0 {
        (setup.connected as f64 / setup.seconds).round()
    } else {
        0.0
    };
    let mut join = new_histogram();
    for ctx in ctxs {
        let _ = join.add(ctx.shared.join.merged());
        for (k, v) in ctx.shared.errors.snapshot() {
            *report.errors.entry(k).or_default() += v;
        }
        for (k, v) in ctx.shared.closes.snapshot() {
            *report.closes.entry(k).or_default() += v;
        }
    }
    if !join.is_empty() {
        report.latency.insert("join".into(), Latency::of(&join));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rooms_listeners_spread_over_every_node() {
        let (rooms, nodes) = (60, 3);
        let mut seen = vec![vec![0; nodes]; rooms];
        for i in 0..3000 {
            let (room, node) = listener_place(i, rooms, nodes);
            seen[room][node] += 1;
        }
        for per_node in &seen {
            assert!(per_node.iter().all(|&c| c == 50 / 3 || c == 50 / 3 + 1));
        }
    }

    #[test]
    fn about_a_third_of_the_speakers_talk_to_their_rooms_owner() {
        // Room r is made, and so owned, by node r % 3: the speaker is on
        // it when (r / 3) % 3 == 0, for 7 of the 20 values of r / 3.
        let on_owner = (0..60).filter(|&r| speaker_node(r, 3) == r % 3).count();
        assert_eq!(on_owner, 21);
        let per_node = |n: usize| (0..60).filter(|&r| speaker_node(r, 3) == n).count();
        assert_eq!((per_node(0), per_node(1), per_node(2)), (20, 20, 20));
    }
}
