//! Resume: clients join, drop, miss K events, and come back with `join`
//! and `since`. Measures how long the catch-up takes (join sent to its ok,
//! with every missed event replayed before it) and checks the replay: every
//! missed event, in order, once. The burst of K speeches in between also
//! measures the record end to end: each `ok` is sent once its speech is on
//! disk.

use super::*;

pub async fn run(ctx: Arc<Ctx>, report: &mut Report) -> Result<()> {
    let args = &ctx.args;
    let rooms = ctx.room_names("resume", 1);
    let room = rooms[0].clone();
    ctx.create_rooms(&rooms, Mode::Open, 600).await?;
    let mut speaker = ctx.speaker(&room).await?;

    let clients = args.connections.max(1);
    let catchup = Recorder::default();
    let catchup_total = Recorder::default();
    let mut acks = new_histogram();
    let mut burst_rates = Vec::new();
    let mut failures = Vec::new();
    let mut replayed_total = 0u64;
    let mut setup = SetupStats {
        asked: clients,
        ..Default::default()
    };
    for round in 1..=args.rounds {
        // Everyone joins and notes where the room is.
        let mut marks = Vec::new();
        let joins = (0..clients).map(|i| {
            let ctx = ctx.clone();
            let room = room.clone();
            async move {
                let (_, ident) = assign(i, 1, args.identities, &ctx.pool.observers);
                let mut c = ctx.dialer.dial(i).await?;
                c.hello(&ident.login()).await?;
                let joined = c.join(&room, None).await?;
                c.close().await;
                anyhow::Ok((i, joined.seq))
            }
        });
        let t_joins = Instant::now();
        let joined_all = futures_util::future::join_all(joins).await;
        if round == 1 {
            setup.seconds = t_joins.elapsed().as_secs_f64();
        }
        for r in joined_all {
            match r {
                Ok(m) => marks.push(m),
                Err(e) => failures.push(format!("round {round}: first join: {e:#}")),
            }
        }
        // While they are away, the room moves on by K events.
        let plan = SpeakPlan {
            room: room.clone(),
            rate: 0.0,
            duration: None,
            count: Some(args.missed),
            text_bytes: args.text_bytes,
            window: SPEAK_WINDOW,
            floor: false,
        };
        let spoken = speak(&mut speaker, &plan, &CancellationToken::new()).await;
        let _ = acks.add(&spoken.ack);
        let burst_s = spoken.acked_ns.saturating_sub(spoken.started_ns) as f64 / 1e9;
        if burst_s > 0.0 {
            burst_rates.push(spoken.acked as f64 / burst_s);
        }
        for (code, n) in &spoken.refused {
            ctx.shared.errors.add_n(format!("speaker: {code}"), *n);
        }
        let last = spoken.last_seq;
        // Everyone comes back at once.
        let resumes = marks.iter().map(|&(i, since)| {
            let ctx = ctx.clone();
            let room = room.clone();
            let (catchup, catchup_total) = (&catchup, &catchup_total);
            async move {
                let (_, ident) = assign(i, 1, args.identities, &ctx.pool.observers);
                let t0 = now_ns();
                let mut c = ctx.dialer.dial(i).await?;
                c.hello(&ident.login()).await?;
                let t1 = now_ns();
                let joined = c.join(&room, Some(since)).await?;
                catchup.record_us(us_since(t1));
                catchup_total.record_us(us_since(t0));
                c.close().await;
                let want: Vec<u64> = (since + 1..=joined.seq).collect();
                if joined.replayed != want || joined.seq < last {
                    anyhow::bail!(
                        "client {i}: since {since}, ok at {} (last {last}), replayed {} events, {} expected",
                        joined.seq,
                        joined.replayed.len(),
                        want.len()
                    );
                }
                anyhow::Ok(joined.replayed.len() as u64)
            }
        });
        for r in futures_util::future::join_all(resumes).await {
            match r {
                Ok(n) => {
                    replayed_total += n;
                    setup.connected += 1;
                }
                Err(e) => {
                    setup.failed += 1;
                    failures.push(format!("round {round}: resume: {e:#}"));
                }
            }
        }
        eprintln!(
            "dais-loadgen: resume round {round}/{}: {} back, catch-up {}",
            args.rounds,
            marks.len(),
            catchup.summary().line()
        );
    }
    speaker.close().await;
    setup.connected /= args.rounds.max(1) as usize;
    setup.failed = setup.failed.div_ceil(args.rounds.max(1) as usize);

    common_report(&ctx, report, &setup, 1);
    report
        .latency
        .insert("catchup_join".into(), catchup.summary());
    report
        .latency
        .insert("catchup_with_connect".into(), catchup_total.summary());
    report.latency.insert("ack".into(), Latency::of(&acks));
    report.figure("missed_events", args.missed);
    report.figure("clients", clients);
    report.figure("rounds", args.rounds);
    report.figure("events_replayed", replayed_total);
    if !burst_rates.is_empty() {
        let mean = burst_rates.iter().sum::<f64>() / burst_rates.len() as f64;
        report.figure("durable_speeches_per_s", mean.round());
    }
    report.checks = Checks {
        passed: failures.is_empty(),
        listeners: clients * args.rounds as usize,
        complete: clients * args.rounds as usize
            - failures.len().min(clients * args.rounds as usize),
        failures,
        ..Default::default()
    };
    Ok(())
}
