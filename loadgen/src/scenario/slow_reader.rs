//! Slow readers: N listeners and a speaker, as in fan-out. Halfway through,
//! S of the listeners stop reading (their sockets fill up, then their queue
//! on the server). The others' latency before and after is compared in the
//! same run, and the server's memory is watched: it must stay bounded, and
//! the sleepers should be let go (`slow_reader`) rather than held forever.

use super::fanout::per_connection;
use super::*;

pub async fn run(ctx: Arc<Ctx>, report: &mut Report) -> Result<()> {
    let args = &ctx.args;
    let rooms = ctx.room_names("slow", 1);
    let room = rooms[0].clone();
    ctx.create_rooms(&rooms, Mode::Open, 600).await?;
    let speaker = ctx.speaker(&room).await?;
    let drain = Draining::start(speaker);

    let n = args.connections;
    let slow = args.slow.min(n);
    // Spread the sleepers evenly over the listeners.
    let is_slow = |i: usize| slow > 0 && (i * slow) % n < slow;
    let (pause_tx, pause_rx) = watch::channel(false);
    let rss_before = ctx.rss();
    let mut fleet = Fleet::new(args.connect_concurrency, &rooms);
    fleet.start_listeners(&ctx, n, &room, |i| is_slow(i).then(|| pause_rx.clone()));
    let setup = fleet
        .wait_joined(n, Duration::from_secs_f64(args.setup_timeout), "listeners")
        .await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let rss_connected = ctx.rss();
    let mut speaker = drain.finish().await?;

    let sampler = Sampler::start(ctx.server_pid);
    let cpu0 = ctx.server_cpu();
    let half = Duration::from_secs_f64(args.duration / 2.0);
    let plan = SpeakPlan::paced(&ctx, &room, args.rate(), half * 2);
    let speaking = tokio::spawn(async move {
        let o = speak(&mut speaker, &plan, &CancellationToken::new()).await;
        (speaker, o)
    });
    tokio::time::sleep(half).await;
    // From now on the sleepers read nothing; speeches sent from now on
    // count in phase 1.
    let rss_switch = ctx.rss();
    ctx.shared.phase_ns.store(now_ns(), Ordering::Relaxed);
    pause_tx.send_replace(true);
    let (speaker, spoken) = speaking.await?;
    let rss_end_of_load = ctx.rss();
    let cpu1 = ctx.server_cpu();
    let max_during = sampler.max_kib();
    fleet.set_final(&room, spoken.last_seq);
    // The sleepers wake and read what is left: the rest of their queue and
    // then the close, if the server let them go.
    pause_tx.send_replace(false);
    let outcomes = fleet.finish(Duration::from_secs_f64(args.drain)).await;
    speaker.close().await;

    common_report(&ctx, report, &setup, 1);
    let m = &mut report.memory;
    m.rss_before_kib = rss_before;
    m.rss_connected_kib = rss_connected;
    m.per_connection_kib = per_connection(rss_before, rss_connected, setup.connected);
    m.rss_max_kib = max_during;
    m.rss_end_kib = rss_end_of_load;
    cpu_report(report, cpu0, cpu1);
    speaker_report(report, &spoken);
    let before = ctx.shared.delivery[0].summary();
    let after = ctx.shared.delivery[1].summary();
    report.latency.insert("delivery_before".into(), before);
    report.latency.insert("delivery_after".into(), after);
    if before.p99_ms > 0.0 {
        report.figure(
            "p99_after_over_before",
            round2(after.p99_ms / before.p99_ms),
        );
    }
    report.figure("slow_readers", slow);
    report.figure(
        "rss_growth_while_slow_kib",
        rss_end_of_load
            .zip(rss_switch)
            .map(|(e, s)| e as i64 - s as i64)
            .unwrap_or(0),
    );
    let (total, last_ns) = deliveries(&outcomes);
    let span = last_ns.saturating_sub(spoken.started_ns) as f64 / 1e9;
    report.figure(
        "deliveries_per_s",
        if span > 0.0 {
            (total as f64 / span).round()
        } else {
            0.0
        },
    );
    // A sleeper is let go with a close frame that says why (slow_reader);
    // if the server drops the socket before the sleeper has read up to that
    // frame, the sleeper sees a reset instead and never learns the reason.
    let sleepers: Vec<&ListenOutcome> = outcomes.iter().filter(|o| is_slow(o.index)).collect();
    let with_reason = sleepers
        .iter()
        .filter(|o| o.closed.as_ref().is_some_and(|(_, r)| r == "slow_reader"))
        .count();
    let reset = sleepers
        .iter()
        .filter(|o| {
            o.closed
                .as_ref()
                .is_some_and(|(c, r)| *c == 1006 && r.contains("reset"))
        })
        .count();
    report.figure("slow_readers_closed_slow_reader", with_reason);
    report.figure("slow_readers_reset_without_reason", reset);

    // Everyone who kept reading got everything; a sleeper either got
    // everything too or was closed as a slow reader, with no gap before.
    let last = spoken.last_seq;
    let speeches = spoken.acked;
    let readers: Vec<ListenOutcome> = outcomes
        .iter()
        .filter(|o| !is_slow(o.index))
        .cloned()
        .collect();
    let mut checks = check_listeners(&readers, &|_| Some((last, speeches)));
    for o in outcomes.iter().filter(|o| is_slow(o.index)) {
        checks.listeners += 1;
        let let_go = o
            .closed
            .as_ref()
            .is_some_and(|(c, r)| r == "slow_reader" || (*c == 1006 && r.contains("reset")));
        let whole = o.last_seq() == last && o.speeches == speeches;
        if o.joined && o.gaps == 0 && o.duplicates == 0 && (let_go || whole) {
            checks.complete += 1;
        } else {
            checks.passed = false;
            checks.failures.push(format!(
                "sleeper {}: last seq {} of {}, gaps {}, closed {:?}",
                o.index,
                o.last_seq(),
                last,
                o.gaps,
                o.closed
            ));
        }
    }
    report.checks = checks;
    received_report(report, &outcomes);
    Ok(())
}
