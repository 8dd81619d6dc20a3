//! Poor link: a delegate far away, on a slow and lossy line, takes part in
//! a debate in a room of many (issue 9, item 6).
//!
//! The server runs in a network namespace of the run's own; the room's
//! members (500 by default, each their own participant) connect to it from
//! inside that namespace, as in every other scenario. The room has a record
//! already (50 speeches of an earlier session, as many as a join replays).
//! The debate is a speakers' list at a person's pace: the room's speaker is given the
//! floor by the chair, reads a statement a sentence at a time (`--rate`,
//! one every ten seconds by default, `--turn-speeches` of them), yields
//! and asks again; a few observers come and go (`--churn-rate`, one every
//! five seconds), so presence changes reach everyone.
//!
//! Two delegates, each in a namespace of their own behind their own
//! emulated link (64 kbit/s, 300 ms each way, 3 % loss: see `link`), come
//! in once the debate is going. Each connects, says hello and joins (timed
//! to the join's `ok`: the target is 10 s), follows the debate (every
//! event, in order, no gap and no duplicate, up to the room's last),
//! asks for the floor after `--floor-after` seconds, is given it when the
//! chair calls `next`, says one speech, sees it acknowledged and yields.
//! One offers permessage-deflate and one does not; the links count every
//! packet each way, so the bytes of the same debate, with and without
//! compression, are measured side by side and scaled to an hour.

use super::*;
use crate::link::{self, DirCount, LinkSpec, DOWN, UP};
use crate::link_client::LinkClient;
use crate::words;
use dais_protocol::{EntryClass, Event};
use std::net::SocketAddr;

/// Delegates on the link: the first offers permessage-deflate, the second not.
pub const LINKS: usize = 2;
/// Observers who come and go during the debate (presence).
pub const COMERS: usize = 4;
/// The debate has been going this long when the delegates on the link come.
const LINK_JOIN_AFTER: Duration = Duration::from_secs(2);
/// The join's target: under ten seconds from the first packet to its `ok`.
const JOIN_TARGET_S: f64 = 10.0;
/// How long past `--duration` the debate may go on for the delegates on
/// the link to have had the floor.
const FLOOR_GRACE: Duration = Duration::from_secs(240);
/// The chair calls `next` at most once a second.
const CHAIR_RATE: f64 = 1.0;

/// The link as the command line describes it.
pub fn link_spec(args: &Args) -> Result<LinkSpec> {
    if !args.link_kbit.is_finite() || args.link_kbit <= 0.0 {
        anyhow::bail!("--link-kbit must be above 0");
    }
    if !(0.0..100.0).contains(&args.link_loss) {
        anyhow::bail!("--link-loss is a percentage, at least 0 and below 100");
    }
    if !args.link_delay_ms.is_finite() || args.link_delay_ms < 0.0 {
        anyhow::bail!("--link-delay-ms must be 0 or more");
    }
    if args.link_queue_bytes < 1600 {
        anyhow::bail!("--link-queue-bytes must hold a full packet: at least 1600");
    }
    if !args.rate().is_finite() || args.rate() <= 0.0 {
        anyhow::bail!("poor-link's speaker needs a --rate above 0");
    }
    Ok(LinkSpec {
        rate_bps: args.link_kbit * 1000.0,
        delay: Duration::from_secs_f64(args.link_delay_ms / 1000.0),
        loss: args.link_loss / 100.0,
        queue_bytes: args.link_queue_bytes,
        seed: args.link_seed,
    })
}

pub fn link_choice(args: &Args) -> link::Choice {
    match args.link_emulator {
        crate::cli::LinkEmulator::Auto => link::Choice::Auto,
        crate::cli::LinkEmulator::Netem => link::Choice::Netem,
        crate::cli::LinkEmulator::Tun => link::Choice::Tun,
    }
}

pub async fn run(ctx: Arc<Ctx>, report: &mut Report) -> Result<()> {
    let args = &ctx.args;
    let testbed = ctx.testbed.clone().context("poor-link has no testbed")?;
    let rooms = ctx.room_names("poor-link", 1);
    let room = rooms[0].clone();
    // An earlier session, open: its speeches are the room's record when
    // the debate starts, so that a join replays as much as a join without
    // `since` ever does. Then the chair opens the speakers' list.
    ctx.create_rooms(&rooms, Mode::Open, 600).await?;
    earlier_session(&ctx, &room).await?;
    let chair = ctx
        .pool
        .moderators
        .first()
        .context("no chair in the pool")?;
    let mut chair_conn = ctx.control(2, chair).await?;
    let start = chair_conn.join(&room, None).await?;
    let set_mode = Request::SetMode {
        room: room.clone(),
        mode: Mode::SpeakersList,
    };
    if let ServerFrame::Error { code, .. } = chair_conn.request(set_mode).await? {
        anyhow::bail!(
            "the chair could not open the speakers' list: {}",
            code_str(code)
        );
    }

    // The members join (the chair's connection drained meanwhile).
    let n = args.connections;
    let rss_before = ctx.rss();
    let drain = Draining::start(chair_conn);
    let mut fleet = Fleet::new(args.connect_concurrency, &rooms);
    fleet.start_listeners(&ctx, n, &room, |_| None);
    let setup = fleet
        .wait_joined(n, Duration::from_secs_f64(args.setup_timeout), "members")
        .await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let rss_connected = ctx.rss();
    let mut chair_conn = drain.finish().await?;

    // The debate starts: the room's speakers ask for the floor, the chair
    // gives it, a few observers come and go.
    let stop = CancellationToken::new();
    let refused = Arc::new(Tally::default());
    let turns = Turns {
        rate: args.rate(),
        speeches: args.turn_speeches.max(1),
        text_bytes: args.text_bytes,
    };
    let mut orators = Vec::new();
    for (i, who) in ctx
        .pool
        .delegates
        .iter()
        .take(args.speakers.max(1))
        .enumerate()
    {
        let mut c = ctx.control(10 + i, who).await?;
        c.join(&room, None).await?;
        let (room, stop, refused, me) =
            (room.clone(), stop.clone(), refused.clone(), who.id.clone());
        orators.push(tokio::spawn(orator(c, me, room, turns, stop, refused)));
    }
    let sampler = Sampler::start(ctx.server_pid);
    let cpu0 = ctx.server_cpu();
    let started = Instant::now();
    let grant = Arc::new(Recorder::default());
    let chair_task = {
        let (room, stop, refused, grant) =
            (room.clone(), stop.clone(), refused.clone(), grant.clone());
        tokio::spawn(async move {
            let turns =
                super::debate::preside(&mut chair_conn, &room, CHAIR_RATE, stop, refused, grant)
                    .await;
            (chair_conn, turns)
        })
    };
    let comers_task = tokio::spawn(comers(ctx.clone(), room.clone(), stop.clone()));

    // The delegates on the link come in.
    tokio::time::sleep(LINK_JOIN_AFTER).await;
    let (final_tx, final_rx) = watch::channel(u64::MAX);
    let (spoke_tx, mut spoke_rx) = mpsc::unbounded_channel::<()>();
    let link_delegates: Vec<Ident> = ctx
        .pool
        .delegates
        .iter()
        .skip(args.speakers.max(1))
        .take(LINKS)
        .cloned()
        .collect();
    if link_delegates.len() < LINKS {
        anyhow::bail!("the pool has too few delegates for the link");
    }
    let mut on_link = Vec::new();
    for (i, who) in link_delegates.into_iter().enumerate() {
        let plan = LinkPlan {
            index: i,
            label: if i == 0 { "deflate" } else { "plain" },
            deflate: i == 0,
            who,
            room: room.clone(),
            floor_after: Duration::from_secs_f64(args.floor_after),
            text_bytes: args.text_bytes,
            server: SocketAddr::new(link::SERVER_IP.into(), ctx.dialer.addr.port()),
        };
        on_link.push(tokio::spawn(on_the_link(
            testbed.clone(),
            plan,
            stop.clone(),
            final_rx.clone(),
            spoke_tx.clone(),
            Duration::from_secs_f64(args.drain),
        )));
    }
    drop(spoke_tx);

    // The debate goes on for --duration, and until both have spoken.
    let end = started + Duration::from_secs_f64(args.duration);
    tokio::time::sleep_until(end).await;
    let mut spoken = 0;
    let grace = tokio::time::sleep(FLOOR_GRACE);
    tokio::pin!(grace);
    // Those that have spoken already have said so.
    while let Ok(()) = spoke_rx.try_recv() {
        spoken += 1;
    }
    while spoken < LINKS {
        tokio::select! {
            r = spoke_rx.recv() => match r {
                Some(()) => spoken += 1,
                None => break,
            },
            _ = &mut grace => {
                report.notes.push(format!(
                    "the debate went on {} s past --duration and not every delegate on the link had spoken",
                    FLOOR_GRACE.as_secs()
                ));
                break;
            }
        }
    }
    stop.cancel();
    let seconds = started.elapsed().as_secs_f64();
    let (mut chair_conn, turns_given) = chair_task.await?;
    let mut speeches = 0;
    for o in orators {
        speeches += o.await.unwrap_or(0);
    }
    let presence_changes = comers_task.await.unwrap_or(0);
    let cpu1 = ctx.server_cpu();
    // Requests in flight settle; then the room's latest seq is the last one.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let last = chair_conn.join(&room, None).await?.seq;
    chair_conn.close().await;
    fleet.set_final(&room, last);
    final_tx.send_replace(last);
    let outcomes = fleet.finish(Duration::from_secs_f64(args.drain)).await;
    let mut delegates = Vec::new();
    for d in on_link {
        delegates.push(d.await?);
    }

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

    // The link and the debate it carried.
    report.figure("link_emulation", testbed.emulation.name());
    if let Some(why) = &testbed.netem_refused {
        report.notes.push(format!("netem was not used: {why}"));
    }
    let spec = testbed.spec;
    report.figure("link_kbit", spec.rate_bps / 1000.0);
    report.figure("link_delay_ms_each_way", spec.delay.as_secs_f64() * 1000.0);
    report.figure("link_loss_percent", spec.loss * 100.0);
    report.figure("link_queue_bytes", spec.queue_bytes);
    report.figure("link_seed", spec.seed);
    report.figure("members", n);
    report.figure("debate_seconds", round2(seconds));
    report.figure("debate_turns", turns_given);
    report.figure("debate_speeches", speeches);
    let events = last.saturating_sub(start.seq);
    report.figure("debate_events", events);
    let per_hour = |v: f64| (v / seconds.max(1e-9) * 3600.0).round();
    report.figure("debate_speeches_per_hour", per_hour(speeches as f64));
    report.figure("debate_events_per_hour", per_hour(events as f64));
    report.figure(
        "debate_presence_changes_per_hour",
        per_hour(presence_changes as f64),
    );
    report.latency.insert("grant".into(), grant.summary());
    report
        .latency
        .insert("delivery".into(), ctx.shared.delivery[0].summary());
    received_report(report, &outcomes);

    // Every member got every event of the debate, in order, once.
    let mut checks = check_listeners(&outcomes, &|_| None);
    for o in &outcomes {
        if o.joined && o.gaps == 0 && o.duplicates == 0 && o.last_seq() != last {
            checks.passed = false;
            checks.complete = checks.complete.saturating_sub(1);
            checks.missing += last.saturating_sub(o.last_seq());
        }
    }
    report.checks = checks;
    let mut per_hour_total = Vec::new();
    for d in &delegates {
        per_hour_total.push(delegate_report(report, d, last));
    }
    if let (Some(Some(with)), Some(Some(without))) = (per_hour_total.first(), per_hour_total.get(1))
    {
        if *with > 0.0 {
            report.figure("bytes_per_hour_plain_over_deflate", round2(without / with));
        }
    }
    report.figure("debate_last_seq", last);
    Ok(())
}

/// Speeches of an earlier session in the room: as many as a join without
/// `since` replays.
const EARLIER_SPEECHES: u64 = 50;

/// The room's first speaker says `EARLIER_SPEECHES` speeches, in the open
/// room, one after the other, each acknowledged.
async fn earlier_session(ctx: &Ctx, room: &str) -> Result<()> {
    let who = ctx
        .pool
        .delegates
        .first()
        .context("no speaker in the pool")?;
    let mut c = ctx.control(9, who).await?;
    c.join(room, None).await?;
    for n in 0..EARLIER_SPEECHES {
        let mut text = String::new();
        words::fill(&mut text, ctx.args.text_bytes, 1000 + n);
        let say = Request::Say {
            room: room.to_string(),
            text,
            lang: "en".into(),
        };
        if let ServerFrame::Error { code, .. } = c.request(say).await? {
            anyhow::bail!(
                "the earlier session's speech was refused: {}",
                code_str(code)
            );
        }
    }
    c.close().await;
    Ok(())
}

/// How the room's speaker takes a turn.
#[derive(Clone, Copy)]
struct Turns {
    /// Speeches per second while holding the floor.
    rate: f64,
    /// Speeches per turn.
    speeches: u32,
    text_bytes: usize,
}

/// The room's speaker: ask for the floor; when given it, read a statement
/// a sentence at a time, yield, and ask again. Returns the speeches made.
async fn orator(
    mut c: Client,
    me: String,
    room: String,
    turns: Turns,
    stop: CancellationToken,
    refused: Arc<Tally>,
) -> u64 {
    let ask = Request::RequestFloor {
        room: room.clone(),
        class: EntryClass::Speech,
    };
    if c.send(ask.clone(), None).await.is_err() {
        return 0;
    }
    let gap = Duration::from_secs_f64(1.0 / turns.rate);
    let mut made = 0u64;
    let mut left = 0u32;
    let mut next_at = Instant::now();
    loop {
        tokio::select! {
            biased;
            _ = stop.cancelled() => break,
            text = c.next_text() => {
                let Some(text) = text else { break };
                match serde_json::from_str::<ServerFrame>(&text) {
                    Ok(ServerFrame::Event(EventFrame { event: Event::FloorGranted { to, .. }, .. })) if to.id == me => {
                        left = turns.speeches;
                        next_at = Instant::now();
                    }
                    Ok(ServerFrame::Event(EventFrame { event: Event::TurnEnded { holder, .. }, .. })) if holder.id == me => {
                        left = 0;
                        if c.send(ask.clone(), None).await.is_err() {
                            break;
                        }
                    }
                    Ok(ServerFrame::Error { code, .. }) => refused.add(code_str(code)),
                    _ => {}
                }
            }
            _ = tokio::time::sleep_until(next_at), if left > 0 => {
                made += 1;
                left -= 1;
                let say = Request::Say {
                    room: room.clone(),
                    text: words::stamped(now_ns(), made, turns.text_bytes),
                    lang: "en".into(),
                };
                if c.send(say, None).await.is_err() {
                    break;
                }
                next_at += gap;
                if left == 0 {
                    let give_back = Request::Yield { room: room.clone(), to: None };
                    if c.send(give_back, None).await.is_err() {
                        break;
                    }
                }
            }
        }
    }
    c.close().await;
    made
}

/// Observers who come and go: every 1/--churn-rate seconds one of them
/// joins the room, or leaves it, in turn. Returns the changes made.
async fn comers(ctx: Arc<Ctx>, room: String, stop: CancellationToken) -> u64 {
    let idents: Vec<Ident> = ctx
        .pool
        .observers
        .iter()
        .skip(ctx.args.connections)
        .take(COMERS)
        .cloned()
        .collect();
    let rate = ctx.args.churn_rate;
    if idents.is_empty() || !rate.is_finite() || rate <= 0.0 {
        return 0;
    }
    let gap = Duration::from_secs_f64(1.0 / rate);
    let mut here: Vec<Option<Draining>> = (0..idents.len()).map(|_| None).collect();
    let mut changes = 0;
    let mut turn = 0usize;
    loop {
        tokio::select! {
            _ = stop.cancelled() => break,
            _ = tokio::time::sleep(gap) => {}
        }
        let k = turn % idents.len();
        turn += 1;
        match here[k].take() {
            Some(d) => {
                if let Ok(c) = d.finish().await {
                    c.close().await;
                    changes += 1;
                }
            }
            None => {
                let joined = async {
                    let mut c = ctx.control(20 + k, &idents[k]).await?;
                    c.join(&room, None).await?;
                    anyhow::Ok(c)
                };
                match joined.await {
                    Ok(c) => {
                        here[k] = Some(Draining::start(c));
                        changes += 1;
                    }
                    Err(e) => ctx.shared.errors.add(format!("comer: {}", e.root_cause())),
                }
            }
        }
    }
    for d in here.into_iter().flatten() {
        if let Ok(c) = d.finish().await {
            c.close().await;
        }
    }
    changes
}

/// What a delegate on the link is to do.
struct LinkPlan {
    index: usize,
    label: &'static str,
    deflate: bool,
    who: Ident,
    room: String,
    floor_after: Duration,
    text_bytes: usize,
    server: SocketAddr,
}

/// How a delegate on the link did. Times are seconds; None if never reached.
#[derive(Debug, Default)]
struct LinkOutcome {
    label: &'static str,
    deflate_offered: bool,
    /// The server's `Sec-WebSocket-Extensions` answer.
    negotiated: Option<String>,
    /// From the first packet: TCP connected, websocket up, welcome, join's ok.
    tcp_s: Option<f64>,
    websocket_s: Option<f64>,
    hello_s: Option<f64>,
    join_s: Option<f64>,
    /// From the `join` sent to its `ok`.
    join_request_s: Option<f64>,
    /// Events replayed before the join's `ok`, and whether they were
    /// consecutive up to it.
    replayed: u64,
    replay_in_order: bool,
    joined: bool,
    /// The next seq expected.
    expected: u64,
    events: u64,
    gaps: u64,
    duplicates: u64,
    /// From `request_floor` sent to `floor_granted` received.
    floor_wait_s: Option<f64>,
    /// From `say` sent to its `ok`.
    speech_ack_s: Option<f64>,
    speech_seq: Option<u64>,
    /// Requests refused, by code.
    refused: BTreeMap<String, u64>,
    /// Bytes while joining (from the first packet to the join's ok), and
    /// while following (from the join's ok to the end of the debate).
    join_bytes: [DirCount; 2],
    follow_bytes: [DirCount; 2],
    /// Websocket bytes (as the client read and wrote them) while following.
    follow_ws_read: u64,
    follow_ws_written: u64,
    follow_s: f64,
    /// Server frames received after the join, by type.
    received: Received,
    closed: Option<(u16, String)>,
    error: Option<String>,
}

impl LinkOutcome {
    fn last_seq(&self) -> u64 {
        self.expected.saturating_sub(1)
    }
}

fn secs_since(t0: u64) -> f64 {
    now_ns().saturating_sub(t0) as f64 / 1e9
}

/// One delegate on the link: connect, hello, join, follow, ask for the
/// floor, speak once when given it, yield, and follow to the end.
async fn on_the_link(
    testbed: Arc<link::Testbed>,
    plan: LinkPlan,
    stop: CancellationToken,
    mut final_rx: watch::Receiver<u64>,
    spoke: mpsc::UnboundedSender<()>,
    drain: Duration,
) -> LinkOutcome {
    let mut out = LinkOutcome {
        label: plan.label,
        deflate_offered: plan.deflate,
        replay_in_order: true,
        ..Default::default()
    };
    let mut spoke = Some(spoke);
    let said = |spoke: &mut Option<mpsc::UnboundedSender<()>>| {
        if let Some(tx) = spoke.take() {
            let _ = tx.send(());
        }
    };
    let Some(link) = testbed.links.get(plan.index) else {
        out.error = Some("no link".into());
        said(&mut spoke);
        return out;
    };
    let counts0 = testbed.counts(plan.index);
    let t0 = now_ns();
    let (mut c, seq) = tokio::select! {
        r = join_over(link, &plan, t0, &mut out) => match r {
            Ok(j) => j,
            Err(e) => {
                out.error = Some(format!("{e:#}"));
                said(&mut spoke);
                return out;
            }
        },
        _ = stop.cancelled() => {
            out.error = Some("the debate ended before the delegate had joined".into());
            said(&mut spoke);
            return out;
        }
    };
    out.join_s = Some(secs_since(t0));
    out.joined = true;
    out.expected = seq + 1;
    let counts_joined = testbed.counts(plan.index);
    out.join_bytes = [
        counts_joined[DOWN].since(&counts0[DOWN]),
        counts_joined[UP].since(&counts0[UP]),
    ];
    let ws0 = (
        c.counts.read.load(Ordering::Relaxed),
        c.counts.written.load(Ordering::Relaxed),
    );
    let t_follow = now_ns();

    // Follow, ask, speak, yield, follow.
    let me = plan.who.id.clone();
    let ask_at = Instant::now() + plan.floor_after;
    let mut asked_ns: Option<u64> = None;
    let mut ask_id = 0;
    let mut say: Option<(u64, u64)> = None; // (request id, sent ns)
    let mut window_open = true;
    let mut final_open = true;
    let mut give_up: Option<Instant> = None;
    loop {
        let done_speaking = out.speech_ack_s.is_some() || out.closed.is_some();
        if done_speaking {
            said(&mut spoke);
        }
        if !window_open && out.expected > *final_rx.borrow() {
            break;
        }
        tokio::select! {
            biased;
            _ = stop.cancelled(), if window_open => {
                window_open = false;
                let now = testbed.counts(plan.index);
                out.follow_bytes = [now[DOWN].since(&counts_joined[DOWN]), now[UP].since(&counts_joined[UP])];
                out.follow_ws_read = c.counts.read.load(Ordering::Relaxed) - ws0.0;
                out.follow_ws_written = c.counts.written.load(Ordering::Relaxed) - ws0.1;
                out.follow_s = secs_since(t_follow);
                give_up = Some(Instant::now() + drain);
            }
            r = final_rx.changed(), if final_open => final_open = r.is_ok(),
            _ = tokio::time::sleep_until(ask_at), if asked_ns.is_none() && window_open => {
                ask_id = c.fresh_id();
                let ask = Request::RequestFloor { room: plan.room.clone(), class: EntryClass::Speech };
                if c.send(ask, Some(ask_id)).await.is_err() {
                    break;
                }
                asked_ns = Some(now_ns());
            }
            _ = tokio::time::sleep_until(give_up.unwrap_or_else(Instant::now)), if give_up.is_some() => break,
            text = c.next_text() => {
                let Some(text) = text else {
                    out.closed = c.closed.clone();
                    break;
                };
                let frame = peek(&text);
                out.received.add(frame.kind(), text.len());
                match frame {
                    Peek::Event(e) => {
                        out.events += 1;
                        if e.seq == out.expected {
                            out.expected += 1;
                        } else if e.seq < out.expected {
                            out.duplicates += 1;
                        } else {
                            out.gaps += e.seq - out.expected;
                            out.expected = e.seq + 1;
                        }
                        if e.kind != "floor_granted" || say.is_some() {
                            continue;
                        }
                        let Ok(ServerFrame::Event(EventFrame { event: Event::FloorGranted { to, .. }, .. })) =
                            serde_json::from_str::<ServerFrame>(&text) else { continue };
                        if to.id != me {
                            continue;
                        }
                        if let Some(asked) = asked_ns {
                            out.floor_wait_s = Some(secs_since(asked));
                        }
                        let id = c.fresh_id();
                        // Not stamped: the members' delivery latency is
                        // the room speaker's, over loopback; this one
                        // comes over the link, and is timed by its ack.
                        let mut text = String::new();
                        words::fill(&mut text, plan.text_bytes, plan.index as u64);
                        let speech = Request::Say {
                            room: plan.room.clone(),
                            text,
                            lang: "en".into(),
                        };
                        if c.send(speech, Some(id)).await.is_err() {
                            break;
                        }
                        say = Some((id, now_ns()));
                    }
                    Peek::Other(f) => match *f {
                        ServerFrame::Ok { id: Some(RequestId::Number(n)), seq, .. }
                            if say.is_some_and(|(id, _)| id == n) && out.speech_ack_s.is_none() =>
                        {
                            if let Some((_, sent)) = say {
                                out.speech_ack_s = Some(secs_since(sent));
                            }
                            out.speech_seq = seq;
                            let give_back = Request::Yield { room: plan.room.clone(), to: None };
                            if c.send(give_back, None).await.is_err() {
                                break;
                            }
                        }
                        ServerFrame::Error { id, code, .. } => {
                            *out.refused.entry(code_str(code)).or_default() += 1;
                            let ours = matches!(id, Some(RequestId::Number(n)) if n == ask_id || say.is_some_and(|(s, _)| s == n));
                            if ours {
                                // Asking or speaking was refused: nothing more to wait for.
                                said(&mut spoke);
                            }
                        }
                        _ => {}
                    },
                    Peek::Counted(_) => {}
                    Peek::Unknown => {
                        *out.refused.entry("unreadable frame".into()).or_default() += 1;
                    }
                }
            }
        }
    }
    said(&mut spoke);
    if window_open {
        // The connection ended before the debate did.
        let now = testbed.counts(plan.index);
        out.follow_bytes = [
            now[DOWN].since(&counts_joined[DOWN]),
            now[UP].since(&counts_joined[UP]),
        ];
        out.follow_s = secs_since(t_follow);
    }
    if out.closed.is_none() {
        c.close().await;
    }
    out
}

/// Connect over the link, say hello and join, noting the time of each step
/// in `out`; the client and the seq the join's `ok` named.
async fn join_over(
    link: &link::Link,
    plan: &LinkPlan,
    t0: u64,
    out: &mut LinkOutcome,
) -> Result<(LinkClient, u64)> {
    let (mut c, connected) =
        LinkClient::connect(&link.ns, link.ip, plan.server, plan.deflate).await?;
    out.tcp_s = Some(connected.tcp_ns.saturating_sub(t0) as f64 / 1e9);
    out.websocket_s = Some(connected.websocket_ns.saturating_sub(t0) as f64 / 1e9);
    out.negotiated = c.counts.extensions();
    c.send(
        Request::Hello {
            protocol: dais_protocol::PROTOCOL_VERSION,
            token: Some(plan.who.token.clone()),
            guest: None,
            lang: None,
        },
        None,
    )
    .await?;
    loop {
        let text = c.next_text().await.context("closed before welcome")?;
        if let Peek::Other(f) = peek(&text) {
            match *f {
                ServerFrame::Welcome { .. } => break,
                ServerFrame::Error { code, .. } => {
                    anyhow::bail!("hello refused: {}", code_str(code))
                }
                _ => {}
            }
        }
    }
    out.hello_s = Some(secs_since(t0));
    let id = c.fresh_id();
    let t_join = now_ns();
    c.send(
        Request::Join {
            room: plan.room.clone(),
            since: None,
        },
        Some(id),
    )
    .await?;
    let mut previous: Option<u64> = None;
    loop {
        let text = c.next_text().await.context("closed while joining")?;
        match peek(&text) {
            Peek::Event(e) => {
                out.replayed += 1;
                if previous.is_some_and(|p| e.seq != p + 1) {
                    out.replay_in_order = false;
                }
                previous = Some(e.seq);
            }
            Peek::Other(f) => match *f {
                ServerFrame::Ok {
                    id: Some(RequestId::Number(n)),
                    seq,
                    ..
                } if n == id => {
                    let seq = seq.unwrap_or(0);
                    if previous.is_some_and(|p| p != seq) {
                        out.replay_in_order = false;
                    }
                    out.join_request_s = Some(secs_since(t_join));
                    return Ok((c, seq));
                }
                ServerFrame::Error {
                    id: Some(RequestId::Number(n)),
                    code,
                    ..
                } if n == id => anyhow::bail!("join refused: {}", code_str(code)),
                _ => {}
            },
            _ => {}
        }
    }
}

/// Put one delegate's figures in the report, and its checks; returns its
/// bytes per hour on the wire (both ways), if it followed long enough.
fn delegate_report(report: &mut Report, d: &LinkOutcome, last: u64) -> Option<f64> {
    let p = d.label;
    let f = |report: &mut Report, name: &str, v: Option<f64>| {
        if let Some(v) = v {
            report.figure(&format!("{p}_{name}"), round2(v));
        }
    };
    report.figure(&format!("{p}_offered_deflate"), d.deflate_offered);
    report.figure(
        &format!("{p}_negotiated"),
        d.negotiated.clone().unwrap_or_else(|| "none".into()),
    );
    f(report, "tcp_s", d.tcp_s);
    f(report, "websocket_s", d.websocket_s);
    f(report, "hello_s", d.hello_s);
    f(report, "join_s", d.join_s);
    f(report, "join_request_s", d.join_request_s);
    f(report, "floor_wait_s", d.floor_wait_s);
    f(report, "speech_ack_s", d.speech_ack_s);
    report.figure(&format!("{p}_replayed"), d.replayed);
    report.figure(&format!("{p}_events"), d.events);
    report.figure(&format!("{p}_gaps"), d.gaps);
    report.figure(&format!("{p}_duplicates"), d.duplicates);
    report.figure(&format!("{p}_last_seq"), d.last_seq());
    report.figure(&format!("{p}_floor_taken"), d.floor_wait_s.is_some());
    report.figure(&format!("{p}_speech_acked"), d.speech_ack_s.is_some());
    let both = |c: &[DirCount; 2], pick: fn(&DirCount) -> u64| pick(&c[DOWN]) + pick(&c[UP]);
    report.figure(
        &format!("{p}_join_bytes"),
        both(&d.join_bytes, |c| c.delivered_bytes),
    );
    for (dir, c) in [("down", &d.follow_bytes[DOWN]), ("up", &d.follow_bytes[UP])] {
        report.figure(&format!("{p}_follow_{dir}_bytes"), c.delivered_bytes);
        report.figure(&format!("{p}_follow_{dir}_packets"), c.delivered_packets);
        report.figure(&format!("{p}_follow_{dir}_lost"), c.lost_packets);
        report.figure(&format!("{p}_follow_{dir}_dropped"), c.dropped_packets);
    }
    report.figure(&format!("{p}_follow_s"), round2(d.follow_s));
    report.figure(&format!("{p}_follow_ws_read_bytes"), d.follow_ws_read);
    report.figure(&format!("{p}_follow_ws_written_bytes"), d.follow_ws_written);
    let per_hour = (d.follow_s >= 1.0).then(|| {
        let total = both(&d.follow_bytes, |c| c.delivered_bytes) as f64;
        total / d.follow_s * 3600.0
    });
    if let Some(v) = per_hour {
        report.figure(&format!("{p}_bytes_per_hour"), v.round());
        let down = d.follow_bytes[DOWN].delivered_bytes as f64 / d.follow_s * 3600.0;
        report.figure(&format!("{p}_down_bytes_per_hour"), down.round());
        let ws = (d.follow_ws_read + d.follow_ws_written) as f64 / d.follow_s * 3600.0;
        report.figure(&format!("{p}_websocket_bytes_per_hour"), ws.round());
    }
    for (code, n) in &d.refused {
        *report.errors.entry(format!("{p}: {code}")).or_default() += n;
    }
    if let Some(j) = d.join_s {
        report.verdict(
            &format!("{p}: join over the link, s"),
            round2(j),
            JOIN_TARGET_S,
            false,
        );
    }

    // The delegate's checks.
    let mut failures = Vec::new();
    if let Some(e) = &d.error {
        failures.push(format!("{p}: {e}"));
    }
    if !d.joined {
        failures.push(format!("{p}: did not join"));
    } else {
        if d.join_s.is_some_and(|j| j >= JOIN_TARGET_S) {
            failures.push(format!(
                "{p}: joined in {:.1} s, not under {JOIN_TARGET_S} s",
                d.join_s.unwrap_or(0.0)
            ));
        }
        if !d.replay_in_order {
            failures.push(format!(
                "{p}: the join's replay was not in order up to its ok"
            ));
        }
        if d.gaps > 0 || d.duplicates > 0 || d.last_seq() != last {
            failures.push(format!(
                "{p}: last seq {} of {last}, {} gaps, {} duplicates, closed {:?}",
                d.last_seq(),
                d.gaps,
                d.duplicates,
                d.closed
            ));
        }
        if d.floor_wait_s.is_none() {
            failures.push(format!("{p}: never given the floor"));
        }
        if d.speech_ack_s.is_none() {
            failures.push(format!("{p}: its speech was not acknowledged"));
        }
        if d.deflate_offered
            && !d
                .negotiated
                .as_deref()
                .is_some_and(|n| n.contains("permessage-deflate"))
        {
            failures.push(format!(
                "{p}: offered permessage-deflate, and the server did not take it"
            ));
        }
        if !d.deflate_offered && d.negotiated.is_some() {
            failures.push(format!(
                "{p}: offered nothing, and the server answered {:?}",
                d.negotiated
            ));
        }
    }
    let c = &mut report.checks;
    c.listeners += 1;
    c.gaps += d.gaps;
    c.duplicates += d.duplicates;
    if failures.is_empty() {
        c.complete += 1;
    } else {
        c.passed = false;
        c.failures.extend(failures);
    }
    per_hour
}
