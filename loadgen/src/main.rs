//! `dais-loadgen`: real websocket connections against a dais-server, driving
//! one scenario and reporting what the server did.
//!
//! A tour: `cli` says what can be asked; `server` starts the server (through
//! `dais-kit`, the spawner the tests use) or finds one already running
//! (Dais, or the floor broadcaster it is compared with); `pool` provisions
//! participants; `conn` opens connections from spread-out loopback
//! addresses and makes requests; `frame` reads server frames cheaply;
//! `nonce` makes the nonces every `say` carries; `words` the text of
//! speeches that should read like speech; `scenario/` holds one module per
//! scenario (a folder for the larger ones: flood, poor-link, failover) over
//! shared machinery (`fleet`: the listeners; `speaker`: a paced speaker; a
//! memory sampler); `stats` and `report` measure and tell; `compare` runs
//! two legs of one scenario and puts them side by side. The poor-link
//! scenario adds `netns` (network namespaces of the run's own), `link` (the
//! emulated link between them) and `link_client` (the delegate's client on
//! it, with permessage-deflate or without). `cluster` starts the nodes of
//! the cluster scenarios and their database; `run_cluster`, here, runs
//! those scenarios as `run` does the others.

mod cli;
mod cluster;
mod compare;
mod conn;
mod frame;
mod link;
mod link_client;
mod netns;
mod nonce;
mod pool;
mod report;
mod scenario;
mod server;
mod stats;
mod sys;
mod words;

use anyhow::{Context, Result};
use cli::{Args, Members, Scenario, TargetKind};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

/// What a run found: one report, or a comparison of several.
enum Outcome {
    Single(Box<report::Report>),
    Compared(compare::Comparison),
}

impl Outcome {
    fn print(&self) {
        match self {
            Outcome::Single(r) => r.print(),
            // Each leg's report was printed as it finished.
            Outcome::Compared(c) => c.print(),
        }
    }

    fn json(&self) -> String {
        match self {
            Outcome::Single(r) => serde_json::to_string_pretty(r),
            Outcome::Compared(c) => serde_json::to_string_pretty(c),
        }
        .unwrap_or_default()
    }

    fn passed(&self) -> bool {
        match self {
            Outcome::Single(r) => r.checks.passed,
            Outcome::Compared(c) => c.passed(),
        }
    }
}

fn main() -> ExitCode {
    let args = Args::parse_resolved();
    let legs = match compare::legs(&args) {
        Ok(legs) => legs,
        Err(e) => {
            eprintln!("dais-loadgen: {e:#}");
            return ExitCode::from(2);
        }
    };
    if args.print_config {
        for (pair, label, leg) in &legs {
            if legs.len() > 1 {
                println!("# ---- {label}, pair {pair}");
            }
            match leg.target {
                TargetKind::Dais if leg.scenario.is_cluster() => {
                    print!("{}", cluster::config_toml(leg))
                }
                TargetKind::Dais => print!("{}", server::config_toml(leg)),
                TargetKind::Floor => println!("# The floor broadcaster takes no config."),
            }
        }
        return ExitCode::SUCCESS;
    }
    if let Some(list) = &args.cpus {
        let pinned = sys::parse_cpus(list).and_then(|c| Ok(sys::pin(&c)?));
        if let Err(e) = pinned {
            eprintln!("dais-loadgen: cannot pin to CPUs {list}: {e:#}");
            return ExitCode::from(2);
        }
    }
    let (nofile, _) = sys::raise_nofile();
    let threads = args.threads.unwrap_or_else(|| {
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
    });
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(threads.max(1))
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("dais-loadgen: cannot start the runtime: {e}");
            return ExitCode::from(2);
        }
    };
    let result = runtime.block_on(async {
        match compare::Kind::of(&args) {
            None => run(args.clone(), nofile, threads)
                .await
                .map(|r| Outcome::Single(Box::new(r))),
            Some(kind) => {
                let mut reports = Vec::new();
                for (pair, label, leg) in legs {
                    eprintln!("dais-loadgen: pair {pair}, {label}");
                    let report = run(leg, nofile, threads).await?;
                    report.print();
                    println!();
                    reports.push((pair, label, report));
                }
                Ok(Outcome::Compared(compare::Comparison::of(
                    kind, &args, reports,
                )))
            }
        }
    });
    // Connections still open are dropped with the runtime, without waiting.
    runtime.shutdown_timeout(Duration::from_secs(2));
    match result {
        Ok(outcome) => {
            outcome.print();
            if let Some(path) = &args.json {
                let text = outcome.json();
                if path.as_os_str() == "-" {
                    println!("{text}");
                } else if let Err(e) = std::fs::write(path, text) {
                    eprintln!("dais-loadgen: cannot write {}: {e}", path.display());
                    return ExitCode::from(2);
                }
            }
            if args.check && !outcome.passed() {
                eprintln!("dais-loadgen: correctness checks failed");
                return ExitCode::from(1);
            }
            ExitCode::SUCCESS
        }
        Err(e) => match link::is_unavailable(&e) {
            // Said plainly, and with a status of its own, so that a test
            // can tell "cannot run here" from "ran and failed".
            Some(why) => {
                eprintln!(
                    "dais-loadgen: {} cannot run here: {why}",
                    args.scenario.name()
                );
                ExitCode::from(UNAVAILABLE)
            }
            None => {
                eprintln!("dais-loadgen: {e:#}");
                ExitCode::from(2)
            }
        },
    }
}

/// The exit status of a run that could not start for lack of what it needs
/// from the machine (the poor link: root, `ip`, netem or a TUN device).
const UNAVAILABLE: u8 = 3;

async fn run(args: Args, nofile: u64, threads: usize) -> Result<report::Report> {
    if args.scenario.is_cluster() {
        return run_cluster(args, nofile, threads).await;
    }
    if args.target == TargetKind::Floor
        && !matches!(args.scenario, Scenario::Fanout | Scenario::Idle)
    {
        anyhow::bail!(
            "the floor broadcaster has no hello, rooms nor rules: only fanout and idle (--stage connect) run against it"
        );
    }
    enough_files(args.connections, args.connections + 64, nofile)?;
    let started_unix = sys::unix_now();
    // The poor link's namespaces come first: the server runs in one.
    let testbed = match args.scenario {
        Scenario::PoorLink => {
            if args.server.is_some() {
                anyhow::bail!(
                    "poor-link starts its own server inside a network namespace: use --spawn"
                );
            }
            let spec = scenario::poor_link::link_spec(&args)?;
            let choice = scenario::poor_link::link_choice(&args);
            let built = tokio::task::spawn_blocking(move || {
                link::Testbed::build(spec, scenario::poor_link::LINKS, choice)
            })
            .await
            .context("the testbed's task failed")??;
            Some(Arc::new(built))
        }
        _ => None,
    };
    let mut target = match &args.server {
        Some(url) => server::Target::attach(&args, url)?,
        None => server::Target::spawn(
            &args,
            testbed.as_ref().map(|t| server::Placement {
                netns: t.server.clone(),
                listen: link::SERVER_IP,
            }),
        )?,
    };
    let outcome = tokio::time::timeout(
        Duration::from_secs_f64(args.max_time),
        drive(&args, &mut target, testbed.clone(), nofile, threads),
    )
    .await;
    let mut report = match outcome {
        Ok(r) => r?,
        Err(_) => anyhow::bail!(
            "the run did not finish within --max-time {} s",
            args.max_time
        ),
    };
    report.started_unix = started_unix;
    if target.spawned() && !target.alive() {
        report.checks.passed = false;
        report
            .checks
            .failures
            .push("the server exited during the run".into());
    }
    target.stop();
    // The namespaces go with the last thing in them: the server is gone.
    drop(testbed);
    Ok(report)
}

/// Whether this process may open the `needed` files that `connections`
/// connections (and their set-up) take.
fn enough_files(connections: usize, needed: usize, nofile: u64) -> Result<()> {
    if needed as u64 > nofile {
        anyhow::bail!(
            "{connections} connections need about {needed} open files, and this process may open {nofile} (ulimit -n)"
        );
    }
    Ok(())
}

/// Run one of the cluster scenarios, within `--max-time`.
async fn run_cluster(args: Args, nofile: u64, threads: usize) -> Result<report::Report> {
    if !args.spawn {
        anyhow::bail!("the cluster scenarios start their own nodes: give --spawn");
    }
    if args.scenario != Scenario::ClusterFanout && args.nodes < 2 {
        anyhow::bail!("a cluster needs --nodes 2 or more");
    }
    enough_files(
        args.connections,
        args.connections + args.rooms() + 64,
        nofile,
    )?;
    let started_unix = sys::unix_now();
    let mut report = report::Report {
        scenario: args.scenario.name().to_string(),
        target: "dais cluster".to_string(),
        command: std::env::args().collect::<Vec<_>>().join(" "),
        started_unix,
        ..Default::default()
    };
    report.machine = report::Machine {
        cpus_online: sys::cpus_online(),
        mem_total_kib: sys::mem_total_kib(),
        loadgen_cpus: sys::allowed_cpus(std::process::id()).unwrap_or_default(),
        server_cpus: args.server_cpus.clone().unwrap_or_else(|| "any".into()),
        loadgen_threads: threads,
        loadgen_nofile: nofile,
        server_nofile: None,
    };
    let work = async {
        match args.scenario {
            Scenario::ClusterFanout => scenario::cluster_fanout::run(&args, &mut report).await,
            Scenario::ClusterRooms => scenario::cluster_rooms::run(&args, &mut report).await,
            Scenario::Failover => scenario::failover::run(&args, &mut report).await,
            _ => anyhow::bail!("not a cluster scenario"),
        }
    };
    match tokio::time::timeout(Duration::from_secs_f64(args.max_time), work).await {
        Ok(r) => r?,
        Err(_) => anyhow::bail!(
            "the run did not finish within --max-time {} s",
            args.max_time
        ),
    }
    report.memory.loadgen_rss_kib = sys::rss_kib(std::process::id());
    report.notes.push(cluster::pinning_note(&args));
    Ok(report)
}

async fn drive(
    args: &Args,
    target: &mut server::Target,
    testbed: Option<Arc<link::Testbed>>,
    nofile: u64,
    threads: usize,
) -> Result<report::Report> {
    let pool = match target.data.clone() {
        Some(data) => {
            let needs = needs(args);
            let server_bin = target.server_bin.clone();
            tokio::task::spawn_blocking(move || pool::provision(&server_bin, &data, needs))
                .await
                .context("provisioning task failed")??
        }
        // The floor has nobody to provision.
        None => pool::Provisioned::empty(),
    };
    let mut report = report::Report {
        scenario: args.scenario.name().to_string(),
        target: target.kind.name().to_string(),
        command: std::env::args().collect::<Vec<_>>().join(" "),
        ..Default::default()
    };
    report.setup.server_url = target.url.clone();
    report.setup.server_pid = target.pid;
    report.setup.spawned = target.spawned();
    report.setup.participants_provisioned = pool.added;
    report.setup.provision_seconds = scenario::round2(pool.seconds);
    report.machine = report::Machine {
        cpus_online: sys::cpus_online(),
        mem_total_kib: sys::mem_total_kib(),
        loadgen_cpus: sys::allowed_cpus(std::process::id()).unwrap_or_default(),
        server_cpus: target
            .pid
            .and_then(sys::allowed_cpus)
            .unwrap_or_else(|| "?".into()),
        loadgen_threads: threads,
        loadgen_nofile: nofile,
        server_nofile: target.pid.and_then(sys::nofile_of),
    };
    let ctx = Arc::new(scenario::Ctx {
        args: args.clone(),
        target: target.kind,
        dialer: Arc::new(
            conn::Dialer::new(target.addr, target.url.clone(), args.per_address)
                .in_netns(testbed.as_ref().map(|t| t.server.clone())),
        ),
        pool,
        server_pid: target.pid,
        shared: scenario::Shared::new(),
        testbed,
    });
    match args.scenario {
        Scenario::Idle => scenario::idle::run(ctx.clone(), &mut report).await?,
        Scenario::Fanout => scenario::fanout::run(ctx.clone(), &mut report).await?,
        Scenario::Debate => scenario::debate::run(ctx.clone(), &mut report).await?,
        Scenario::Churn => scenario::churn::run(ctx.clone(), &mut report).await?,
        Scenario::Resume => scenario::resume::run(ctx.clone(), &mut report).await?,
        Scenario::SlowReader => scenario::slow_reader::run(ctx.clone(), &mut report).await?,
        Scenario::Flood => scenario::flood::run(ctx.clone(), &mut report).await?,
        Scenario::Plenary => scenario::plenary::run(ctx.clone(), &mut report).await?,
        Scenario::PoorLink => scenario::poor_link::run(ctx.clone(), &mut report).await?,
        Scenario::ClusterFanout | Scenario::ClusterRooms | Scenario::Failover => {
            anyhow::bail!("the cluster scenarios start their own nodes (see `run_cluster`)")
        }
    }
    report.memory.loadgen_rss_kib = sys::rss_kib(std::process::id());
    // The floor would take the HTTP request for a websocket handshake.
    if target.kind == TargetKind::Dais {
        if let Some(metrics) = server::scrape_metrics(&ctx.dialer).await {
            report.server_metrics = metrics;
        }
    }
    if let Some(n) = report.machine.server_nofile {
        if (n as usize) < args.connections + 64 {
            report.notes.push(format!(
                "the server may open only {n} files, fewer than {} connections need",
                args.connections
            ));
        }
    }
    Ok(report)
}

/// Participants a scenario needs: a chair to create rooms (and preside),
/// delegates to speak, and observers whose identities listeners share (a
/// plenary's guests need none).
fn needs(args: &Args) -> pool::Needs {
    let rooms = match args.scenario {
        Scenario::Idle | Scenario::Churn => args.rooms(),
        _ => 1,
    };
    let identities = args.identities.max(1);
    let observers = if args.scenario == Scenario::Plenary && args.members == Members::Guests {
        0
    } else {
        (rooms * identities).min(args.connections.max(1)).max(1)
    };
    pool::Needs {
        moderators: 1,
        delegates: match args.scenario {
            Scenario::Debate => args.speakers.max(1),
            // The speaker, one identity per flooder, and the writers of
            // the replay flood's history.
            Scenario::Flood => 1 + args.flooders + scenario::flood::history_writers(args),
            // The room's speakers, then the delegates on the link.
            Scenario::PoorLink => args.speakers.max(1) + scenario::poor_link::LINKS,
            _ => 1,
        },
        observers: match args.scenario {
            // The members, and those who come and go.
            Scenario::PoorLink => observers + scenario::poor_link::COMERS,
            _ => observers,
        },
    }
}
