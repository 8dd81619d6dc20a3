//! Fan-out: one speaker with the floor of an open room, N listeners. Every
//! speech reaches every listener; the run measures deliveries per second
//! and send-to-receipt latency, and checks that every listener got every
//! event, in order, exactly once.
//!
//! Against the floor broadcaster (`--target floor`) the same run has no
//! room: the listeners connect, the speaker sends each speech as the event
//! Dais would send, and the floor relays it to everyone. `--compare-floor`
//! runs both (see `compare`).

use super::*;

pub async fn run(ctx: Arc<Ctx>, report: &mut Report) -> Result<()> {
    let args = &ctx.args;
    let rooms = ctx.room_names("fanout", 1);
    let room = rooms[0].clone();
    if !ctx.floor() {
        ctx.create_rooms(&rooms, Mode::Open, 600).await?;
    }

    // The speaker joins first, so that it is reading before the listeners
    // arrive (arrivals send the room's members presence batches).
    let speaker = ctx.speaker(&room).await?;
    // Keep the speaker's socket drained while the listeners join.
    let drain = Draining::start(speaker);

    let rss_before = ctx.rss();
    let mut fleet = Fleet::new(args.connect_concurrency, &rooms);
    fleet.start_listeners(&ctx, args.connections, &room, |_| None);
    let setup = fleet
        .wait_joined(
            args.connections,
            Duration::from_secs_f64(args.setup_timeout),
            "listeners",
        )
        .await;
    // Let the joins' presence batches drain before measuring.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let rss_connected = ctx.rss();
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
    // CPU while speaking (until the last ok), before the listeners leave.
    let cpu1 = ctx.server_cpu();
    let rss_end = ctx.rss();
    fleet.set_final(&room, spoken.last_seq);
    let outcomes = fleet.finish(Duration::from_secs_f64(args.drain)).await;
    speaker.close().await;

    common_report(&ctx, report, &setup, rooms.len());
    let m = &mut report.memory;
    m.rss_before_kib = rss_before;
    m.rss_connected_kib = rss_connected;
    m.per_connection_kib = per_connection(rss_before, rss_connected, setup.connected);
    m.rss_max_kib = sampler.max_kib();
    m.rss_end_kib = rss_end;
    cpu_report(report, cpu0, cpu1);
    speaker_report(report, &spoken);
    let speeches = spoken.acked;
    let last = spoken.last_seq;
    report.checks = check_listeners(&outcomes, &|_| Some((last, speeches)));
    if setup.connected < args.connections {
        report.checks.passed = false;
        report.checks.failures.push(format!(
            "only {} of {} listeners joined",
            setup.connected, args.connections
        ));
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
    report.figure("listeners", setup.connected);
    report.figure("deliveries", total);
    report.figure(
        "deliveries_per_s",
        if span > 0.0 {
            (total as f64 / span).round()
        } else {
            0.0
        },
    );
    report.figure(
        "offered_deliveries_per_s",
        round2(spoken.sent as f64 * setup.connected as f64 / spoken.seconds().max(1e-9)),
    );
    report.figure(
        "drain_after_last_speech_s",
        round2(last_ns.saturating_sub(spoken.stopped_ns) as f64 / 1e9),
    );
    report
        .latency
        .insert("delivery".into(), ctx.shared.delivery[0].summary());
    received_report(report, &outcomes);
    if ctx.floor() {
        report
            .notes
            .push("the floor has no ok: the speaker's ack is the echo of its own speech".into());
    }
    // The floor is given Dais's own event frames: these should match.
    let per_event = report
        .received
        .iter()
        .find(|r| r.kind == "event")
        .and_then(|e| e.bytes.checked_div(e.frames));
    if let Some(bytes) = per_event {
        report.figure("bytes_per_event", bytes);
    }
    Ok(())
}

/// Server memory per connection, from the resident size before and after.
pub fn per_connection(before: Option<u64>, after: Option<u64>, n: usize) -> Option<f64> {
    let (b, a) = (before?, after?);
    if n == 0 {
        return None;
    }
    Some(round2((a as f64 - b as f64) / n as f64))
}
