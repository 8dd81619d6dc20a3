//! Plenary: N distinct members (10,000 by default) join one open room as
//! fast as the server takes them, each a guest of its own (`hello` with
//! `guest: "Guest i"`, on a server that admits guests), and then one
//! registered delegate speaks to them all at `--rate` for `--duration`.
//!
//! This is the room protocol 2 was made for: a room_state counts members
//! instead of listing them, and arrivals travel as batched presence. The run
//! measures the set-up rate, the server's resident memory per member, the
//! delivery latency and the presence frames each member received, and checks
//! that every member got every speech, in order, once.
//!
//! `--members registered` runs the same plenary with the members sharing
//! `--identities` provisioned observers (a participant's second connection
//! is no news to the room); `--compare-shared` runs both in one invocation.

use super::fanout::per_connection;
use super::*;
use crate::cli::Members;

/// Members set up per second, at least.
pub const TARGET_JOINS_PER_S: f64 = 2_000.0;
/// Server resident memory per member after joining, KiB, at most.
pub const TARGET_KIB_PER_MEMBER: f64 = 15.0;
/// Time for the arrivals' last presence batch to go out and be read: the
/// server spaces batches by the room's size, up to 2 s.
const PRESENCE_SETTLE: Duration = Duration::from_secs(3);

pub async fn run(ctx: Arc<Ctx>, report: &mut Report) -> Result<()> {
    let args = &ctx.args;
    let rooms = ctx.room_names("plenary", 1);
    let room = rooms[0].clone();
    ctx.create_rooms(&rooms, Mode::Open, 600).await?;
    // The speaker is in the room before the crowd, reading (it gets the
    // arrivals' presence like everyone).
    let speaker = ctx.speaker(&room).await?;
    let drain = Draining::start(speaker);
    tokio::time::sleep(Duration::from_secs(1)).await;

    let n = args.connections;
    let rss_before = ctx.rss();
    let mut fleet = Fleet::new(args.connect_concurrency, &rooms);
    for i in 0..n {
        let login = match args.members {
            Members::Guests => Login::Guest(format!("Guest {}", i + 1)),
            Members::Registered => assign(i, 1, args.identities, &ctx.pool.observers).1.login(),
        };
        fleet.start(
            &ctx,
            ListenSpec {
                index: i,
                login: Some(login),
                room: room.clone(),
                record_latency: true,
                pause: None,
                stage: Stage::Join,
                since: None,
            },
        );
    }
    let setup = fleet
        .wait_joined(n, Duration::from_secs_f64(args.setup_timeout), "members")
        .await;
    tokio::time::sleep(PRESENCE_SETTLE).await;
    let rss_joined = ctx.rss();
    let mut speaker = drain.finish().await?;

    let sampler = Sampler::start(ctx.server_pid);
    let cpu0 = ctx.server_cpu();
    let plan = SpeakPlan::paced(
        &ctx,
        &room,
        args.rate(),
        Duration::from_secs_f64(args.duration),
    );
    let spoken = speak(&mut speaker, &plan, &CancellationToken::new()).await;
    let cpu1 = ctx.server_cpu();
    let rss_end = ctx.rss();
    fleet.set_final(&room, spoken.last_seq);
    let outcomes = fleet.finish(Duration::from_secs_f64(args.drain)).await;
    speaker.close().await;

    common_report(&ctx, report, &setup, 1);
    let m = &mut report.memory;
    m.rss_before_kib = rss_before;
    m.rss_connected_kib = rss_joined;
    m.per_connection_kib = per_connection(rss_before, rss_joined, setup.connected);
    m.rss_max_kib = sampler.max_kib();
    m.rss_end_kib = rss_end;
    cpu_report(report, cpu0, cpu1);
    speaker_report(report, &spoken);
    report.figure("members", setup.connected);
    report.figure("members_are", args.members.name());
    if args.members == Members::Registered {
        report.figure("member_identities", args.identities);
    }
    let joins_per_s = report.setup.connect_rate_per_s.round();
    report.figure("joins_per_s", joins_per_s);

    let last = spoken.last_seq;
    let speeches = spoken.acked;
    report.checks = check_listeners(&outcomes, &|_| Some((last, speeches)));
    if setup.connected < n {
        report.checks.passed = false;
        report
            .checks
            .failures
            .push(format!("only {} of {n} members joined", setup.connected));
    }
    if spoken.acked < spoken.sent {
        report.checks.passed = false;
        report.checks.failures.push(format!(
            "{} of {} speeches acknowledged",
            spoken.acked, spoken.sent
        ));
    }
    let (total, last_ns) = deliveries(&outcomes);
    let span = last_ns.saturating_sub(spoken.started_ns) as f64 / 1e9;
    report.figure("deliveries", total);
    report.figure(
        "deliveries_per_s",
        if span > 0.0 {
            (total as f64 / span).round()
        } else {
            0.0
        },
    );
    let delivery = ctx.shared.delivery[0].summary();
    report.latency.insert("delivery".into(), delivery);
    received_report(report, &outcomes);
    let presence = outcomes
        .iter()
        .map(|o| o.received.frames(FrameKind::Presence))
        .sum::<u64>();
    report.figure("presence_frames", presence);

    report.verdict("set-up, joins/s", joins_per_s, TARGET_JOINS_PER_S, true);
    if let Some(kib) = report.memory.per_connection_kib {
        report.verdict(
            "server memory per member, KiB",
            kib,
            TARGET_KIB_PER_MEMBER,
            false,
        );
    }
    Ok(())
}
