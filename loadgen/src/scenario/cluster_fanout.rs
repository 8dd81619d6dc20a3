//! Cluster fan-out: the fan-out of `fanout` (one speaker at a fixed rate,
//! N listeners in one room), on a spawned cluster with the listeners
//! spread evenly over its nodes. A listener on the room owner's node is
//! served by the owner's own relay; one on another node gets each event
//! over the bus (Redis pub/sub) first, so the difference between the two
//! delivery latencies is the bus hop.
//!
//! In the same run, alternating like `--repeat` does for `--compare-floor`,
//! a single node on its embedded defaults (SQLite, no cluster flags) takes
//! the same listeners and rate: the reference. The speaker is on the
//! owner's node in both, so its speeches never cross the bus on the way in.

use super::*;
use crate::cluster::{Cluster, ServiceCpu};
use serde::Serialize;

/// The room of the run.
const ROOM: &str = "lg-cluster-fanout-1";

/// One leg: a cluster, or the single node.
#[derive(Debug, Clone, Serialize)]
pub struct Leg {
    pub pair: usize,
    /// `cluster` or `single`.
    pub leg: &'static str,
    pub nodes: usize,
    /// The node holding the room's lease (and the speaker's node).
    pub owner: String,
    pub listeners: usize,
    pub listeners_on_owner: usize,
    pub speeches: u64,
    pub deliveries_per_s: f64,
    /// Send-to-receipt of speeches at listeners on the owner's node...
    pub owner_node: Latency,
    /// ...and on the other nodes (none for the single node).
    pub other_nodes: Latency,
    pub all: Latency,
    /// The speaker's send to `ok` (the speech is in the record).
    pub ack: Latency,
    /// CPU while speaking, in cores: every node together, the machine's
    /// PostgreSQL and Redis, and the load generator.
    pub nodes_cores_busy: f64,
    pub postgres_cores_busy: f64,
    pub redis_cores_busy: f64,
    pub loadgen_cores_busy: f64,
    pub checks_passed: bool,
    pub failures: Vec<String>,
}

pub async fn run(args: &Args, report: &mut Report) -> Result<()> {
    let mut legs = Vec::new();
    for pair in 1..=args.repeat.max(1) {
        let order: &[bool] = if args.no_reference {
            &[false]
        } else if pair % 2 == 1 {
            &[false, true]
        } else {
            &[true, false]
        };
        for &single in order {
            let name = if single { "single" } else { "cluster" };
            eprintln!("dais-loadgen: pair {pair}, {name}");
            let leg = leg(args, pair, single).await?;
            print_leg(&leg);
            legs.push(leg);
        }
    }
    summarise(args, report, &legs);
    Ok(())
}

async fn leg(args: &Args, pair: usize, single: bool) -> Result<Leg> {
    let k = if single { 1 } else { args.nodes.max(1) };
    let mut cluster = Cluster::start(args, k, single).await?;
    let mut measured = measure(args, &cluster, pair, single).await;
    if let Ok(l) = &mut measured {
        for gone in cluster.exited() {
            l.checks_passed = false;
            l.failures.push(gone);
        }
    }
    let keep = args.keep_data || measured.as_ref().map_or(true, |l| !l.checks_passed);
    cluster.stop(keep).await;
    measured
}

async fn measure(args: &Args, cluster: &Cluster, pair: usize, single: bool) -> Result<Leg> {
    let k = cluster.nodes.len();
    let n = args.connections;
    let (pool, ctxs, owner) = room_on_cluster(args, cluster, ROOM).await?;
    let speaker = ctxs[owner].speaker(ROOM).await?;
    let drain = Draining::start(speaker);

    let mut fleet = Fleet::new(args.connect_concurrency, &[ROOM.to_string()]);
    for i in 0..n {
        let (_, ident) = assign(i, 1, args.identities, &pool.observers);
        fleet.start(
            &ctxs[i % k],
            ListenSpec {
                since: None,
                index: i,
                login: Some(ident.login()),
                room: ROOM.to_string(),
                record_latency: true,
                pause: None,
                stage: Stage::Join,
            },
        );
    }
    let setup = fleet
        .wait_joined(n, Duration::from_secs_f64(args.setup_timeout), "listeners")
        .await;
    // Let the joins' presence batches drain before measuring.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let mut speaker = drain.finish().await?;

    let own0 = sys::cpu_times(std::process::id());
    let (nodes0, svc0) = (cluster.nodes_cpu(), ServiceCpu::now());
    let plan = SpeakPlan::paced(
        &ctxs[owner],
        ROOM,
        args.rate(),
        Duration::from_secs_f64(args.duration),
    );
    let spoken = speak(&mut speaker, &plan, &CancellationToken::new()).await;
    let (nodes1, svc1) = (cluster.nodes_cpu(), ServiceCpu::now());
    let own1 = sys::cpu_times(std::process::id());
    let wall = (svc1.at_ns.saturating_sub(svc0.at_ns) as f64 / 1e9).max(1e-9);
    let (pg_busy, redis_busy) = svc1.busy_since(&svc0);
    let loadgen_busy = match (own0, own1) {
        (Some((u0, s0)), Some((u1, s1))) => (u1 - u0 + s1 - s0) / wall,
        _ => 0.0,
    };
    fleet.set_final(ROOM, spoken.last_seq);
    let outcomes = fleet.finish(Duration::from_secs_f64(args.drain)).await;
    speaker.close().await;

    let mut checks = check_listeners(&outcomes, &|_| Some((spoken.last_seq, spoken.acked)));
    if setup.connected < n {
        checks.passed = false;
        checks
            .failures
            .push(format!("only {} of {n} listeners joined", setup.connected));
    }
    if spoken.acked < spoken.sent {
        checks.passed = false;
        checks.failures.push(format!(
            "{} of {} speeches acknowledged",
            spoken.acked, spoken.sent
        ));
    }
    let mut others = new_histogram();
    let mut all = new_histogram();
    for (i, ctx) in ctxs.iter().enumerate() {
        let h = ctx.shared.delivery[0].merged();
        if i != owner {
            let _ = others.add(&h);
        }
        let _ = all.add(&h);
    }
    let (total, last_ns) = deliveries(&outcomes);
    let span = last_ns.saturating_sub(spoken.started_ns) as f64 / 1e9;
    Ok(Leg {
        pair,
        leg: if single { "single" } else { "cluster" },
        nodes: k,
        owner: cluster.nodes[owner].id.clone(),
        listeners: setup.connected,
        listeners_on_owner: outcomes
            .iter()
            .filter(|o| o.joined && o.index % k == owner)
            .count(),
        speeches: spoken.acked,
        deliveries_per_s: if span > 0.0 {
            (total as f64 / span).round()
        } else {
            0.0
        },
        owner_node: ctxs[owner].shared.delivery[0].summary(),
        other_nodes: Latency::of(&others),
        all: Latency::of(&all),
        ack: Latency::of(&spoken.ack),
        nodes_cores_busy: round2((nodes1 - nodes0) / wall),
        postgres_cores_busy: round2(pg_busy),
        redis_cores_busy: round2(redis_busy),
        loadgen_cores_busy: round2(loadgen_busy),
        checks_passed: checks.passed,
        failures: checks.failures,
    })
}

fn print_leg(l: &Leg) {
    println!(
        "== pair {}, {}: {} node(s), owner {}; {} listeners ({} on the owner's node), {} speeches, {} deliveries/s",
        l.pair,
        l.leg,
        l.nodes,
        l.owner,
        l.listeners,
        l.listeners_on_owner,
        l.speeches,
        l.deliveries_per_s
    );
    println!("   delivery, owner's node: {}", l.owner_node.line());
    if l.nodes > 1 {
        println!("   delivery, other nodes:  {}", l.other_nodes.line());
    }
    println!("   ack: {}", l.ack.line());
    println!(
        "   cores busy: nodes {:.2}, PostgreSQL {:.2}, Redis {:.2}, load generator {:.2}; checks {}",
        l.nodes_cores_busy,
        l.postgres_cores_busy,
        l.redis_cores_busy,
        l.loadgen_cores_busy,
        if l.checks_passed { "passed" } else { "FAILED" }
    );
    for f in &l.failures {
        println!("   failure: {f}");
    }
}

/// The middle value (the mean of the two middle ones).
pub fn median(values: &[f64]) -> Option<f64> {
    let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let n = v.len();
    Some(if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    })
}

/// Each pair's figures and ratios, and their medians over the pairs.
fn summarise(args: &Args, report: &mut Report, legs: &[Leg]) {
    report.setup.rooms = 1;
    report.setup.spawned = true;
    report.setup.connections_asked = args.connections * legs.len();
    report.checks.passed = legs.iter().all(|l| l.checks_passed);
    for l in legs {
        let tag = format!("pair {} {}", l.pair, l.leg);
        report
            .latency
            .insert(format!("{tag}: delivery, owner's node"), l.owner_node);
        if l.nodes > 1 {
            report
                .latency
                .insert(format!("{tag}: delivery, other nodes"), l.other_nodes);
        }
        report.checks.listeners += l.listeners;
        report.setup.connected += l.listeners;
        if l.checks_passed {
            report.checks.complete += l.listeners;
        }
        for f in &l.failures {
            report.checks.failures.push(format!("{tag}: {f}"));
        }
    }
    let pairs = legs.iter().map(|l| l.pair).max().unwrap_or(0);
    let mut per_pair: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
    for pair in 1..=pairs {
        let find = |leg: &str| legs.iter().find(|l| l.pair == pair && l.leg == leg);
        let Some(c) = find("cluster") else { continue };
        let mut add = |name: &'static str, v: f64| per_pair.entry(name).or_default().push(v);
        add("cluster_owner_p50_ms", c.owner_node.p50_ms);
        add("cluster_owner_p99_ms", c.owner_node.p99_ms);
        add("cluster_others_p50_ms", c.other_nodes.p50_ms);
        add("cluster_others_p99_ms", c.other_nodes.p99_ms);
        add("bus_hop_p50_ms", c.other_nodes.p50_ms - c.owner_node.p50_ms);
        add("cluster_deliveries_per_s", c.deliveries_per_s);
        add("cluster_nodes_cores_busy", c.nodes_cores_busy);
        add("cluster_postgres_cores_busy", c.postgres_cores_busy);
        add("cluster_redis_cores_busy", c.redis_cores_busy);
        if let Some(s) = find("single") {
            add("single_p50_ms", s.owner_node.p50_ms);
            add("single_p99_ms", s.owner_node.p99_ms);
            add("single_deliveries_per_s", s.deliveries_per_s);
            add("single_cores_busy", s.nodes_cores_busy);
            let ratio = |a: f64, b: f64| if b > 0.0 { a / b } else { f64::NAN };
            let ratios = [
                (
                    "ratio_owner_to_single_p50",
                    ratio(c.owner_node.p50_ms, s.owner_node.p50_ms),
                ),
                (
                    "ratio_others_to_single_p50",
                    ratio(c.other_nodes.p50_ms, s.owner_node.p50_ms),
                ),
                (
                    "ratio_owner_to_single_p99",
                    ratio(c.owner_node.p99_ms, s.owner_node.p99_ms),
                ),
                (
                    "ratio_others_to_single_p99",
                    ratio(c.other_nodes.p99_ms, s.owner_node.p99_ms),
                ),
            ];
            for (name, v) in ratios {
                add(name, v);
            }
        }
    }
    println!();
    println!(
        "== cluster-fanout: {} listeners, {} speeches/s for {} s, {} node(s) against one; medians over {} pair(s)",
        args.connections,
        args.rate(),
        args.duration,
        args.nodes,
        pairs
    );
    for (name, values) in &per_pair {
        if let Some(m) = median(values) {
            let shown: Vec<String> = values.iter().map(|v| format!("{v:.2}")).collect();
            println!("{name}: {m:.2} (pairs: {})", shown.join(", "));
            report.figure(name, (m * 1000.0).round() / 1000.0);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::median;

    #[test]
    fn the_median_of_the_pairs_ignores_what_could_not_be_measured() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&[4.0, 1.0]), Some(2.5));
        assert_eq!(median(&[f64::NAN, 5.0]), Some(5.0));
        assert_eq!(median(&[]), None);
    }
}
