//! Churn: N connections spread over rooms; every second some of them close
//! and are opened again (TCP, websocket, hello, join), while a speaker in
//! the first room keeps talking. Measures how fast connections come and go,
//! what a new one waits for, and whether the steady ones miss anything.

use super::*;
use std::collections::HashSet;

pub async fn run(ctx: Arc<Ctx>, report: &mut Report) -> Result<()> {
    let args = &ctx.args;
    let nrooms = args.rooms();
    let rooms = ctx.room_names("churn", nrooms);
    ctx.create_rooms(&rooms, Mode::Open, 600).await?;

    let speaker = ctx.speaker(&rooms[0]).await?;
    // The speaker reads while the others join (it gets their presence).
    let drain = Draining::start(speaker);

    let spec = |i: usize| {
        let (r, ident) = assign(i, nrooms, args.identities, &ctx.pool.observers);
        ListenSpec {
            index: i,
            login: Some(ident.login()),
            room: rooms[r].clone(),
            record_latency: true,
            pause: None,
            stage: Stage::Join,
            since: None,
        }
    };
    let rss_before = ctx.rss();
    let mut fleet = Fleet::new(args.connect_concurrency, &rooms);
    for i in 0..args.connections {
        fleet.start(&ctx, spec(i));
    }
    let setup = fleet
        .wait_joined(
            args.connections,
            Duration::from_secs_f64(args.setup_timeout),
            "connections",
        )
        .await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let rss_connected = ctx.rss();
    let mut speaker = drain.finish().await?;

    // From here on, set-up latencies are those of churned connections.
    let base = ctx.shared.join.merged();
    let base_connect = ctx.shared.connect.merged();
    let sampler = Sampler::start(ctx.server_pid);
    let cpu0 = ctx.server_cpu();
    let speak_stop = CancellationToken::new();
    let plan = SpeakPlan::paced(
        &ctx,
        &rooms[0],
        args.rate(),
        Duration::from_secs_f64(args.duration),
    );
    let speaking = {
        let stop = speak_stop.clone();
        tokio::spawn(async move {
            let o = speak(&mut speaker, &plan, &stop).await;
            (speaker, o)
        })
    };
    let started = Instant::now();
    let end = started + Duration::from_secs_f64(args.duration);
    let every = Duration::from_secs_f64(1.0 / args.churn_rate.max(0.001));
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Burst);
    let mut next = 0usize;
    let mut churned = HashSet::new();
    let mut reopened = 0usize;
    let mut reopen_failed = 0usize;
    let mut asked = 0usize;
    while Instant::now() < end {
        tokio::select! {
            _ = tick.tick() => {
                // Close one connection and open its replacement at once.
                let i = next % args.connections.max(1);
                next += 1;
                fleet.close(i);
                fleet.start(&ctx, spec(i));
                churned.insert(i);
                asked += 1;
            }
            r = fleet.joined_rx.recv() => match r {
                Some(Ok(_)) => reopened += 1,
                Some(Err(_)) => reopen_failed += 1,
                None => break,
            },
            _ = tokio::time::sleep_until(end) => break,
        }
    }
    let churn_seconds = started.elapsed().as_secs_f64();
    // Let the last replacements finish joining.
    let late = fleet
        .wait_joined(
            asked.saturating_sub(reopened + reopen_failed),
            Duration::from_secs(30),
            "replacements",
        )
        .await;
    reopened += late.connected;
    reopen_failed += late.failed;
    let (speaker, spoken) = speaking.await?;
    fleet.set_final(&rooms[0], spoken.last_seq);
    for r in rooms.iter().skip(1) {
        fleet.set_final(r, 0);
    }
    let outcomes = fleet.finish(Duration::from_secs_f64(args.drain)).await;
    let cpu1 = ctx.server_cpu();
    speaker.close().await;

    // Set-up latency of the replacements alone: all minus the first set-up.
    let mut join_all = ctx.shared.join.merged();
    let _ = join_all.subtract(&base);
    let mut connect_all = ctx.shared.connect.merged();
    let _ = connect_all.subtract(&base_connect);

    common_report(&ctx, report, &setup, nrooms);
    report.memory.rss_before_kib = rss_before;
    report.memory.rss_connected_kib = rss_connected;
    report.memory.per_connection_kib =
        super::fanout::per_connection(rss_before, rss_connected, setup.connected);
    report.memory.rss_max_kib = sampler.max_kib();
    report.memory.rss_end_kib = ctx.rss();
    cpu_report(report, cpu0, cpu1);
    report
        .latency
        .insert("churn_join".into(), Latency::of(&join_all));
    report
        .latency
        .insert("churn_connect".into(), Latency::of(&connect_all));
    report
        .latency
        .insert("delivery".into(), ctx.shared.delivery[0].summary());
    speaker_report(report, &spoken);
    report.figure("churn_asked", asked);
    report.figure("churn_reopened", reopened);
    report.figure("churn_failed", reopen_failed);
    report.figure("churn_per_s", round2(reopened as f64 / churn_seconds));
    report.figure("connections_churned_at_least_once", churned.len());

    report.checks = churn_checks(&outcomes, &rooms[0], &churned, &spoken, reopen_failed);
    received_report(report, &outcomes);
    Ok(())
}

/// The steady listeners of the speaker's room (`room0`) must have
/// everything; a churned one must have had no gap while it was connected;
/// and every replacement must have joined.
fn churn_checks(
    outcomes: &[ListenOutcome],
    room0: &str,
    churned: &HashSet<usize>,
    spoken: &SpeakOutcome,
    reopen_failed: usize,
) -> Checks {
    let last = spoken.last_seq;
    let speeches = spoken.acked;
    let steady: Vec<ListenOutcome> = outcomes
        .iter()
        .filter(|o| o.room == room0 && !churned.contains(&o.index))
        .cloned()
        .collect();
    let mut checks = check_listeners(&steady, &|_| Some((last, speeches)));
    let moving = check_listeners(
        &outcomes
            .iter()
            .filter(|o| o.room != room0 || churned.contains(&o.index))
            .cloned()
            .collect::<Vec<_>>(),
        &|_| None,
    );
    checks.listeners += moving.listeners;
    checks.complete += moving.complete;
    checks.gaps += moving.gaps;
    checks.duplicates += moving.duplicates;
    checks.passed = checks.passed && moving.passed && reopen_failed == 0;
    if reopen_failed > 0 {
        checks
            .failures
            .push(format!("{reopen_failed} replacement connections failed"));
    }
    checks
}
