//! Idle: hold N connections, each authenticated and joined to a room, and
//! measure what they cost the server in resident memory. Against the floor
//! broadcaster, which has no hello, only `--stage connect` applies.

use super::fanout::per_connection;
use super::*;

pub async fn run(ctx: Arc<Ctx>, report: &mut Report) -> Result<()> {
    let args = &ctx.args;
    let nrooms = args.rooms();
    let rooms = ctx.room_names("idle", nrooms);
    if ctx.floor() {
        if args.stage != Stage::Connect {
            anyhow::bail!("the floor broadcaster has no hello nor rooms: run idle against it with --stage connect");
        }
    } else {
        ctx.create_rooms(&rooms, Mode::Open, 600).await?;
    }
    // A moment for the server to settle after start and room creation.
    tokio::time::sleep(Duration::from_secs(1)).await;
    let rss_before = ctx.rss();

    let mut fleet = Fleet::new(args.connect_concurrency, &rooms);
    for i in 0..args.connections {
        // The floor has nobody to be: its connections say no hello.
        let (r, login) = if ctx.floor() {
            (i % nrooms, None)
        } else {
            let (r, ident) = assign(i, nrooms, args.identities, &ctx.pool.observers);
            (r, Some(ident.login()))
        };
        fleet.start(
            &ctx,
            ListenSpec {
                index: i,
                login,
                room: rooms[r].clone(),
                record_latency: false,
                pause: None,
                stage: args.stage,
                since: None,
            },
        );
    }
    let setup = fleet
        .wait_joined(
            args.connections,
            Duration::from_secs_f64(args.setup_timeout),
            "connections",
        )
        .await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let rss_connected = ctx.rss();
    let rss_anon = ctx.server_pid.and_then(|p| sys::status_kib(p, "RssAnon"));

    // Hold them: the server pings quiet connections every 10 s and each
    // answers, so a hold longer than the idle timeout shows they stay up.
    let sampler = Sampler::start(ctx.server_pid);
    let cpu0 = ctx.server_cpu();
    tokio::time::sleep(Duration::from_secs_f64(args.duration)).await;
    let cpu1 = ctx.server_cpu();
    let rss_end = ctx.rss();
    let still_open = fleet.handles.values().filter(|h| !h.is_finished()).count();
    let outcomes = fleet.finish(Duration::ZERO).await;

    common_report(&ctx, report, &setup, nrooms);
    let m = &mut report.memory;
    m.rss_before_kib = rss_before;
    m.rss_connected_kib = rss_connected;
    m.per_connection_kib = per_connection(rss_before, rss_connected, setup.connected);
    m.rss_max_kib = sampler.max_kib();
    m.rss_end_kib = rss_end;
    cpu_report(report, cpu0, cpu1);
    report.figure("held_connections", still_open);
    if let Some(anon) = rss_anon {
        report.figure("rss_anon_connected_kib", anon);
    }
    received_report(report, &outcomes);
    report.checks = check_listeners(&outcomes, &|_| None);
    if setup.connected < args.connections || still_open < setup.connected {
        report.checks.passed = false;
        report.checks.failures.push(format!(
            "{} asked, {} joined, {} still open after {} s",
            args.connections, setup.connected, still_open, args.duration
        ));
    }
    Ok(())
}
