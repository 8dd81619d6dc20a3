//! Debate: a room on the speakers' list. Delegates ask for the floor; the
//! chair calls `next` whenever the floor is free; the delegate given the
//! floor speaks once and yields, then asks again. N observers listen. Every
//! turn is four events (floor_requested, floor_granted, speech, turn_ended)
//! and three room_state snapshots, all sent to everyone.

use super::*;
use dais_protocol::{EntryClass, Event, EventFrame};

pub async fn run(ctx: Arc<Ctx>, report: &mut Report) -> Result<()> {
    let args = &ctx.args;
    let rooms = ctx.room_names("debate", 1);
    let room = rooms[0].clone();
    ctx.create_rooms(&rooms, Mode::SpeakersList, 600).await?;
    let chair = ctx
        .pool
        .moderators
        .first()
        .context("no chair in the pool")?;
    let mut chair_conn = ctx.control(2, chair).await?;
    let start = chair_conn.join(&room, None).await?;
    let stop = CancellationToken::new();

    // The observers join first (the chair's connection is drained meanwhile).
    let rss_before = ctx.rss();
    let drain = Draining::start(chair_conn);
    let mut fleet = Fleet::new(args.connect_concurrency, &rooms);
    fleet.start_listeners(&ctx, args.connections, &room, |_| None);
    let setup = fleet
        .wait_joined(
            args.connections,
            Duration::from_secs_f64(args.setup_timeout),
            "observers",
        )
        .await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let rss_connected = ctx.rss();
    let mut chair_conn = drain.finish().await?;

    // The delegates join and ask for the floor; then the chair starts.
    let refused = Arc::new(Tally::default());
    let mut delegates = Vec::new();
    for (n, who) in ctx.pool.delegates.iter().take(args.speakers).enumerate() {
        let mut c = ctx.control(10 + n, who).await?;
        c.join(&room, None).await?;
        let (room, stop, refused, me) =
            (room.clone(), stop.clone(), refused.clone(), who.id.clone());
        let text_bytes = args.text_bytes;
        delegates.push(tokio::spawn(async move {
            delegate(c, me, room, text_bytes, stop, refused).await
        }));
    }
    let grant = Arc::new(Recorder::default());
    let sampler = Sampler::start(ctx.server_pid);
    let cpu0 = ctx.server_cpu();
    let started = Instant::now();
    let chair_task = {
        let (room, stop, refused, grant) =
            (room.clone(), stop.clone(), refused.clone(), grant.clone());
        let rate = args.rate();
        tokio::spawn(async move {
            let turns = preside(&mut chair_conn, &room, rate, stop, refused, grant).await;
            (chair_conn, turns)
        })
    };
    tokio::time::sleep(Duration::from_secs_f64(args.duration)).await;
    stop.cancel();
    let seconds = started.elapsed().as_secs_f64();
    let (mut chair_conn, turns) = chair_task.await?;
    for d in delegates {
        let _ = d.await;
    }
    let cpu1 = ctx.server_cpu();
    // Requests in flight settle; then the room's latest seq is the last one.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let last = chair_conn.join(&room, None).await?.seq;
    chair_conn.close().await;
    fleet.set_final(&room, last);
    let outcomes = fleet.finish(Duration::from_secs_f64(args.drain)).await;

    common_report(&ctx, report, &setup, 1);
    let m = &mut report.memory;
    m.rss_before_kib = rss_before;
    m.rss_connected_kib = rss_connected;
    m.per_connection_kib =
        super::fanout::per_connection(rss_before, rss_connected, setup.connected);
    m.rss_max_kib = sampler.max_kib();
    m.rss_end_kib = ctx.rss();
    cpu_report(report, cpu0, cpu1);
    for (code, n) in refused.snapshot() {
        *report.errors.entry(format!("refused: {code}")).or_default() += n;
    }
    let events = last.saturating_sub(start.seq);
    let delivered: u64 = outcomes.iter().map(|o| o.events).sum();
    let states: u64 = outcomes
        .iter()
        .map(|o| o.received.frames(FrameKind::RoomState))
        .sum();
    report.figure("turns", turns);
    report.figure("turns_per_s", round2(turns as f64 / seconds));
    report.figure("room_events", events);
    report.figure("room_events_per_s", round2(events as f64 / seconds));
    report.figure("event_deliveries", delivered);
    report.figure(
        "event_deliveries_per_s",
        (delivered as f64 / seconds).round(),
    );
    report.figure(
        "room_state_deliveries_per_s",
        (states as f64 / seconds).round(),
    );
    report.latency.insert("grant".into(), grant.summary());
    report
        .latency
        .insert("delivery".into(), ctx.shared.delivery[0].summary());
    received_report(report, &outcomes);
    // Every observer got every event of the debate, in order, once.
    report.checks = check_listeners(&outcomes, &|_| None);
    for o in &outcomes {
        if o.joined && o.gaps == 0 && o.duplicates == 0 && o.last_seq() != last {
            report.checks.passed = false;
            report.checks.complete -= 1;
            report.checks.missing += last.saturating_sub(o.last_seq());
        }
    }
    report.figure("debate_last_seq", last);
    Ok(())
}

fn decode(text: &str) -> Option<ServerFrame> {
    serde_json::from_str(text).ok()
}

/// A delegate: ask for the floor; when given it, speak once and yield; ask again.
async fn delegate(
    mut c: Client,
    me: String,
    room: String,
    text_bytes: usize,
    stop: CancellationToken,
    refused: Arc<Tally>,
) {
    let ask = |room: &String| Request::RequestFloor {
        room: room.clone(),
        class: EntryClass::Speech,
    };
    let mut n = 0u64;
    if c.send(ask(&room), None).await.is_err() {
        return;
    }
    loop {
        let text = tokio::select! {
            _ = stop.cancelled() => break,
            t = c.next_text() => match t { Some(t) => t, None => break },
        };
        let replies = match decode(&text) {
            Some(ServerFrame::Event(EventFrame {
                event: Event::FloorGranted { to, .. },
                ..
            })) if to.id == me => {
                n += 1;
                let say = Request::Say {
                    room: room.clone(),
                    text: stamped_text(now_ns(), n, text_bytes),
                    lang: "en".into(),
                };
                let give_back = Request::Yield {
                    room: room.clone(),
                    to: None,
                };
                vec![say, give_back]
            }
            Some(ServerFrame::Event(EventFrame {
                event: Event::TurnEnded { holder, .. },
                ..
            })) if holder.id == me => vec![ask(&room)],
            Some(ServerFrame::Error { code, .. }) => {
                refused.add(code_str(code));
                Vec::new()
            }
            _ => Vec::new(),
        };
        for request in replies {
            if c.send(request, None).await.is_err() {
                c.close().await;
                return;
            }
        }
    }
    c.close().await;
}

/// The chair: call `next` whenever the floor is free, at most `rate` times
/// a second. Returns the turns given.
pub(super) async fn preside(
    c: &mut Client,
    room: &str,
    rate: f64,
    stop: CancellationToken,
    refused: Arc<Tally>,
    grant: Arc<Recorder>,
) -> u64 {
    let gap = if rate > 0.0 {
        Duration::from_secs_f64(1.0 / rate)
    } else {
        Duration::ZERO
    };
    let mut turns = 0;
    let mut want_next = true;
    let mut next_at = Instant::now();
    let mut last_next = Instant::now() - gap;
    let mut pending: Option<(u64, u64)> = None; // (request id, sent ns)
    loop {
        let can_send = want_next && pending.is_none();
        tokio::select! {
            biased;
            _ = stop.cancelled() => break,
            t = c.next_text() => {
                let Some(text) = t else { break };
                match decode(&text) {
                    Some(ServerFrame::Ok { id: Some(RequestId::Number(n)), .. }) if pending.is_some_and(|p| p.0 == n) => {
                        pending = None;
                    }
                    Some(ServerFrame::Error { id: Some(RequestId::Number(n)), code, .. }) if pending.is_some_and(|p| p.0 == n) => {
                        pending = None;
                        if code != ErrorCode::QueueEmpty {
                            refused.add(code_str(code));
                        }
                        // Nobody waiting yet: look again shortly.
                        want_next = true;
                        next_at = Instant::now() + Duration::from_millis(2);
                    }
                    Some(ServerFrame::Event(EventFrame { event: Event::FloorGranted { by: Some(_), .. }, .. })) => {
                        // The grant reaches everyone before the chair's ok
                        // (the ok waits for the disk).
                        if let Some((_, sent)) = pending {
                            grant.record_us(us_since(sent));
                        }
                        turns += 1;
                    }
                    Some(ServerFrame::Event(EventFrame { event: Event::TurnEnded { .. }, .. })) => {
                        want_next = true;
                        next_at = last_next + gap;
                    }
                    Some(ServerFrame::Error { code, .. }) => refused.add(code_str(code)),
                    _ => {}
                }
            }
            _ = tokio::time::sleep_until(next_at), if can_send => {
                let id = c.fresh_id();
                let next = Request::Next { room: room.to_string(), turn: None };
                if c.send(next, Some(id)).await.is_err() {
                    break;
                }
                pending = Some((id, now_ns()));
                want_next = false;
                last_next = Instant::now();
            }
        }
    }
    turns
}
