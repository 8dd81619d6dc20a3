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

mod delegate;
mod room;

use super::*;
use crate::link::{self, LinkSpec};
use delegate::{delegate_report, on_the_link, LinkOutcome, LinkPlan};
use room::{comers, earlier_session, orator, Turns};
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
    let (chair_conn, start_seq) = open_speakers_list(&ctx, &room).await?;

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
    let on_link = start_link_delegates(&ctx, &testbed, &room, &stop, &final_rx, &spoke_tx)?;
    drop(spoke_tx);

    // The debate goes on for --duration, and until both have spoken.
    let end = started + Duration::from_secs_f64(args.duration);
    tokio::time::sleep_until(end).await;
    wait_for_link_speeches(&mut spoke_rx, report).await;
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
    let events = last.saturating_sub(start_seq);
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

    debate_checks(report, &outcomes, &delegates, last);
    Ok(())
}

/// The chair joins the room and opens the speakers' list; the chair's
/// connection and the room's seq when the debate starts.
async fn open_speakers_list(ctx: &Ctx, room: &str) -> Result<(Client, u64)> {
    let chair = ctx
        .pool
        .moderators
        .first()
        .context("no chair in the pool")?;
    let mut chair_conn = ctx.control(2, chair).await?;
    let start = chair_conn.join(room, None).await?;
    let set_mode = Request::SetMode {
        room: room.to_string(),
        mode: Mode::SpeakersList,
    };
    if let ServerFrame::Error { code, .. } = chair_conn.request(set_mode).await? {
        anyhow::bail!(
            "the chair could not open the speakers' list: {}",
            code_str(code)
        );
    }
    Ok((chair_conn, start.seq))
}

/// The delegates on the link, each started on its own (the first offers
/// permessage-deflate, the second not).
fn start_link_delegates(
    ctx: &Arc<Ctx>,
    testbed: &Arc<link::Testbed>,
    room: &str,
    stop: &CancellationToken,
    final_rx: &watch::Receiver<u64>,
    spoke_tx: &mpsc::UnboundedSender<()>,
) -> Result<Vec<JoinHandle<LinkOutcome>>> {
    let args = &ctx.args;
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
            room: room.to_string(),
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
    Ok(on_link)
}

/// Wait, for at most `FLOOR_GRACE`, until every delegate on the link has
/// spoken (or will not); say so in the report if the grace ran out.
async fn wait_for_link_speeches(spoke_rx: &mut mpsc::UnboundedReceiver<()>, report: &mut Report) {
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
}

/// The checks: every member got every event of the debate, in order,
/// once; and each delegate on the link's own figures and checks.
fn debate_checks(
    report: &mut Report,
    outcomes: &[ListenOutcome],
    delegates: &[LinkOutcome],
    last: u64,
) {
    let mut checks = check_listeners(outcomes, &|_| None);
    for o in outcomes {
        if o.joined && o.gaps == 0 && o.duplicates == 0 && o.last_seq() != last {
            checks.passed = false;
            checks.complete = checks.complete.saturating_sub(1);
            checks.missing += last.saturating_sub(o.last_seq());
        }
    }
    report.checks = checks;
    let mut per_hour_total = Vec::new();
    for d in delegates {
        per_hour_total.push(delegate_report(report, d, last));
    }
    if let (Some(Some(with)), Some(Some(without))) = (per_hour_total.first(), per_hour_total.get(1))
    {
        if *with > 0.0 {
            report.figure("bytes_per_hour_plain_over_deflate", round2(without / with));
        }
    }
    report.figure("debate_last_seq", last);
}
