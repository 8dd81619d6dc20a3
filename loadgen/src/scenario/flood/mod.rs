//! Flood: N listeners and a speaker at a modest rate, as in slow-reader.
//! Halfway through, K flooders come in: each authenticates and sends frames
//! as fast as it can, meets the server's per-connection rate limit
//! (`rate_limited`, then a close for flooding), connects again at once and
//! floods again, until the run ends. The listeners' latency before and
//! during the flood is compared in the same run, and every listener must
//! still get every speech, in order, once.
//!
//! The server runs with its default limits (see `server::DEFAULT_LIMITS`),
//! which the speaker stays under; only the flooders meet them. The
//! `reconnect` flooder says nothing at all: it connects, sends one garbage
//! frame and drops the connection, again and again, to meet the limit on
//! new connections per address (`server::DEFAULT_ADDRESS_LIMITS`), which
//! the flood scenario also keeps at its default.
//!
//! The kinds of issue 13's second round of hardening:
//! - `replay` (item 1): the room is given a long history first (2 MiB of
//!   speeches, written before the listeners join); the flooder says hello,
//!   then sends `join` with `since: 0` at the rate limit, again and again,
//!   and never reads a byte of what comes back. What is measured besides
//!   the others' latency is the server's memory during the flood.
//! - `points` (item 2): points of order of 4,000 characters, at the rate
//!   limit, into the listeners' room; the chair never rules on them.
//! - `pings` and `fragments` (item 8): websocket frames the rate limit must
//!   count although they are no requests: pings (every other connection
//!   before its `hello`, the others after), and a text message made of
//!   empty continuation frames that never ends. These are written straight
//!   to the socket, many frames to a write, as a hostile client would.

mod flooder;

use super::*;
use crate::cli::FloodKind;
use crate::server::{scrape_metrics, DEFAULT_ADDRESS_LIMITS, DEFAULT_LIMITS};
use flooder::{flood, flood_report, reconnect, FloodTally};
/// Replay: the room's history before the run, in bytes of speech text,
/// about what the attack of issue 13 item 1 used.
const HISTORY_BYTES: usize = 2 << 20;
/// Replay: the history's speeches are as long as the server allows (its
/// `max_text_chars`), written by this many delegates at once, each at the
/// rate limit.
const HISTORY_SPEECH_BYTES: usize = 4000;
const HISTORY_WRITERS: usize = 8;

/// Delegates that write the replay flood's history (none for the others).
pub fn history_writers(args: &Args) -> usize {
    if args.flood_kind == FloodKind::Replay {
        HISTORY_WRITERS
    } else {
        0
    }
}

pub async fn run(ctx: Arc<Ctx>, report: &mut Report) -> Result<()> {
    let args = &ctx.args;
    let limit = f64::from(DEFAULT_LIMITS.messages_per_second);
    let rate = args.rate();
    if !(rate > 0.0 && rate <= limit) {
        anyhow::bail!(
            "the flood scenario keeps the server's default limit of {limit} requests/s per \
             connection, so the speaker's --rate must be above 0 and at most {limit} (got {rate})"
        );
    }
    let rooms = ctx.room_names("flood", 1);
    let room = rooms[0].clone();
    ctx.create_rooms(&rooms, Mode::Open, 600).await?;
    // Replay: a long history, before anyone listens; the listeners join
    // after it, so that their own join replays none of it.
    let history = if args.flood_kind == FloodKind::Replay {
        Some(write_history(&ctx, &room).await?)
    } else {
        None
    };
    let flooder_ids: Vec<Ident> = ctx
        .pool
        .delegates
        .iter()
        .skip(1)
        .take(args.flooders)
        .cloned()
        .collect();
    if flooder_ids.len() < args.flooders {
        anyhow::bail!(
            "{} flooders need {} delegates in the pool, and it has {}",
            args.flooders,
            args.flooders + 1,
            ctx.pool.delegates.len()
        );
    }
    let speaker = ctx.speaker(&room).await?;
    // Keep the speaker's socket drained while the listeners join.
    let drain = Draining::start(speaker);

    let n = args.connections;
    let rss_before = ctx.rss();
    let mut fleet = Fleet::new(args.connect_concurrency, &rooms);
    fleet.start_listeners_since(&ctx, n, &room, history.as_ref().map(|h| h.last_seq), |_| {
        None
    });
    let setup = fleet
        .wait_joined(n, Duration::from_secs_f64(args.setup_timeout), "listeners")
        .await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let rss_connected = ctx.rss();
    let mut speaker = drain.finish().await?;

    let sampler = Sampler::start(ctx.server_pid);
    let cpu0 = ctx.server_cpu();
    let half = Duration::from_secs_f64(args.duration / 2.0);
    let plan = SpeakPlan::paced(&ctx, &room, rate, half * 2);
    let speaking = tokio::spawn(async move {
        let o = speak(&mut speaker, &plan, &CancellationToken::new()).await;
        (speaker, o)
    });
    tokio::time::sleep(half).await;

    // The flood: speeches sent from now on count in phase 1.
    let metrics_before = scrape_metrics(&ctx.dialer).await;
    let rss_switch = ctx.rss();
    let flood_sampler = Sampler::start(ctx.server_pid);
    let cpu_switch = ctx.server_cpu();
    ctx.shared.phase_ns.store(now_ns(), Ordering::Relaxed);
    let stop_flood = CancellationToken::new();
    let flooders: Vec<JoinHandle<FloodTally>> = flooder_ids
        .into_iter()
        .enumerate()
        .map(|(k, ident)| match args.flood_kind {
            FloodKind::Reconnect => tokio::spawn(reconnect(ctx.clone(), k, stop_flood.clone())),
            kind => tokio::spawn(flood(
                ctx.clone(),
                k,
                ident,
                room.clone(),
                kind,
                stop_flood.clone(),
            )),
        })
        .collect();
    tokio::time::sleep(half).await;
    stop_flood.cancel();
    let cpu_end = ctx.server_cpu();
    let mut tally = FloodTally::default();
    for f in flooders {
        tally.add(f.await?);
    }
    let (speaker, spoken) = speaking.await?;
    let rss_end_of_load = ctx.rss();
    let max_during = sampler.max_kib();
    let max_during_flood = flood_sampler.max_kib();
    drop(flood_sampler);
    let metrics_after = scrape_metrics(&ctx.dialer).await;

    // The room's last seq: the flooders' accepted speeches have seqs too, and
    // their connections are closed now, so a join sees the final one.
    let observer = ctx
        .pool
        .observers
        .first()
        .context("no observer in the pool")?;
    let mut watcher = ctx.control(2, observer).await?;
    let last = watcher.join(&room, None).await?.seq.max(spoken.last_seq);
    watcher.close().await;
    fleet.set_final(&room, last);
    let outcomes = fleet.finish(Duration::from_secs_f64(args.drain)).await;
    speaker.close().await;

    let m = Measured {
        setup,
        half,
        history,
        rss_before,
        rss_connected,
        rss_switch,
        rss_end_of_load,
        max_during,
        max_during_flood,
        cpu0,
        cpu_switch,
        cpu_end,
        spoken,
        tally,
        metrics_before,
        metrics_after,
        last,
        outcomes,
    };
    flood_figures(&ctx, report, &m);
    flood_checks(report, &m);
    Ok(())
}

/// What a run measured, for its report.
struct Measured {
    setup: SetupStats,
    /// How long each half lasted: before the flood, and during it.
    half: Duration,
    history: Option<History>,
    rss_before: Option<u64>,
    rss_connected: Option<u64>,
    rss_switch: Option<u64>,
    rss_end_of_load: Option<u64>,
    max_during: Option<u64>,
    max_during_flood: Option<u64>,
    cpu0: CpuMark,
    cpu_switch: CpuMark,
    cpu_end: CpuMark,
    spoken: SpeakOutcome,
    tally: FloodTally,
    metrics_before: Option<BTreeMap<String, f64>>,
    metrics_after: Option<BTreeMap<String, f64>>,
    /// The room's last seq, which every listener must reach.
    last: u64,
    outcomes: Vec<ListenOutcome>,
}

/// The figures of a run: memory, CPU, latency before and during the flood,
/// the history, the limits in force and what the flooders did.
fn flood_figures(ctx: &Ctx, report: &mut Report, meas: &Measured) {
    let args = &ctx.args;
    common_report(ctx, report, &meas.setup, 1);
    let m = &mut report.memory;
    m.rss_before_kib = meas.rss_before;
    m.rss_connected_kib = meas.rss_connected;
    m.per_connection_kib =
        super::fanout::per_connection(meas.rss_before, meas.rss_connected, meas.setup.connected);
    m.rss_max_kib = meas.max_during;
    m.rss_end_kib = meas.rss_end_of_load;
    cpu_report(report, meas.cpu0, meas.cpu_end);
    for (name, a, b) in [
        ("before", meas.cpu0, meas.cpu_switch),
        ("during", meas.cpu_switch, meas.cpu_end),
    ] {
        let (server, own) = cores_busy(a, b);
        if let Some(v) = server {
            report.figure(&format!("server_cores_busy_{name}"), v);
        }
        if let Some(v) = own {
            report.figure(&format!("loadgen_cores_busy_{name}"), v);
        }
    }
    speaker_report(report, &meas.spoken);
    let before = ctx.shared.delivery[0].summary();
    let during = ctx.shared.delivery[1].summary();
    report.latency.insert("delivery_before".into(), before);
    report.latency.insert("delivery_during".into(), during);
    if before.p99_ms > 0.0 {
        report.figure(
            "p99_during_over_before",
            round2(during.p99_ms / before.p99_ms),
        );
    }
    if before.p50_ms > 0.0 {
        report.figure(
            "p50_during_over_before",
            round2(during.p50_ms / before.p50_ms),
        );
    }
    report.figure(
        "rss_growth_during_flood_kib",
        meas.rss_end_of_load
            .zip(meas.rss_switch)
            .map(|(e, s)| e as i64 - s as i64)
            .unwrap_or(0),
    );
    report.figure(
        "rss_max_growth_during_flood_kib",
        meas.max_during_flood
            .zip(meas.rss_switch)
            .map(|(m, s)| m as i64 - s as i64)
            .unwrap_or(0),
    );
    if let Some(h) = &meas.history {
        report.figure("history_speeches", h.speeches);
        report.figure("history_bytes", h.bytes);
        report.figure("history_seconds", round2(h.seconds));
    }
    report.figure(
        "room_state_max_bytes",
        meas.outcomes
            .iter()
            .map(|o| o.largest_room_state)
            .max()
            .unwrap_or(0),
    );
    report.figure("flooders", args.flooders);
    report.figure("flood_kind", args.flood_kind.name());
    let l = DEFAULT_LIMITS;
    report.figure("limit_messages_per_second", l.messages_per_second);
    report.figure("limit_burst", l.burst);
    report.figure("limit_flood_strikes", l.flood_strikes);
    report.figure("limit_max_frame_bytes", l.max_frame_bytes);
    let a = DEFAULT_ADDRESS_LIMITS;
    report.figure("limit_connections_per_second", a.connections_per_second);
    report.figure(
        "limit_connection_burst",
        (a.connection_burst as usize).max(args.per_address),
    );
    flood_report(report, &meas.tally, meas.half.as_secs_f64());
    if args.flood_kind == FloodKind::Reconnect {
        // Each flooder has an address of its own, fresh: a full burst, then
        // the rate. A little slack for the bucket refilling during the burst.
        let seconds = meas.half.as_secs_f64();
        let most = args.flooders as f64
            * (f64::from(a.connection_burst) + f64::from(a.connections_per_second) * seconds + 2.0);
        report.verdict(
            "reconnect flood: connections the server accepted",
            meas.tally.connections as f64,
            most.floor(),
            false,
        );
    }
    // Speeches the flooders got through reach every listener; they carry no
    // stamp, so a listener counts them as events that are not its speeches.
    let flood_speeches = meas
        .outcomes
        .iter()
        .map(|o| o.events.saturating_sub(o.speeches))
        .max()
        .unwrap_or(0);
    report.figure("flood_speeches_delivered", flood_speeches);
    report.figure(
        "flood_speeches_per_s",
        round2(flood_speeches as f64 / meas.half.as_secs_f64().max(1e-9)),
    );
}

/// The server's own counters over the flood, and the checks: every
/// listener got every speech, in order, once, and the speaker was never
/// refused.
fn flood_checks(report: &mut Report, meas: &Measured) {
    let counter = |m: &Option<BTreeMap<String, f64>>, name: &str| {
        m.as_ref().and_then(|m| m.get(name).copied())
    };
    for (figure, metric) in [
        ("server_flood_closes", "dais_flood_closes_total"),
        ("server_slow_reader_closes", "dais_slow_reader_closes_total"),
        ("server_rate_limited", "dais_rate_limited_total"),
        ("server_connections_opened", "dais_connections_opened_total"),
        (
            "server_connections_refused",
            "dais_connections_refused_total",
        ),
    ] {
        match (
            counter(&meas.metrics_before, metric),
            counter(&meas.metrics_after, metric),
        ) {
            (Some(a), Some(b)) => report.figure(figure, b - a),
            _ => report
                .notes
                .push(format!("the server's /metrics has no {metric}")),
        }
    }

    // Every listener got every speech, in order, once; and the speaker,
    // which stays under the limit, was never refused nor closed.
    let mut checks = check_listeners(&meas.outcomes, &|_| Some((meas.last, meas.spoken.acked)));
    if !meas.spoken.refused.is_empty()
        || meas.spoken.closed.is_some()
        || meas.spoken.acked < meas.spoken.sent
    {
        checks.passed = false;
        checks.failures.push(format!(
            "the speaker had {} of {} speeches acknowledged, refusals {:?}, closed {:?}",
            meas.spoken.acked, meas.spoken.sent, meas.spoken.refused, meas.spoken.closed
        ));
    }
    report.checks = checks;
    received_report(report, &meas.outcomes);
}

/// Replay: what the history writers left in the room.
struct History {
    speeches: u64,
    bytes: u64,
    /// The room's seq after the last of them.
    last_seq: u64,
    seconds: f64,
}

/// Write `HISTORY_BYTES` of speeches into `room`, from `HISTORY_WRITERS`
/// delegates at once, each at the rate limit.
async fn write_history(ctx: &Arc<Ctx>, room: &str) -> Result<History> {
    let writers: Vec<Ident> = ctx
        .pool
        .delegates
        .iter()
        .skip(1 + ctx.args.flooders)
        .take(HISTORY_WRITERS)
        .cloned()
        .collect();
    if writers.len() < HISTORY_WRITERS {
        anyhow::bail!("the pool has too few delegates to write the history");
    }
    let each = HISTORY_BYTES
        .div_ceil(HISTORY_SPEECH_BYTES)
        .div_ceil(HISTORY_WRITERS) as u64;
    eprintln!(
        "dais-loadgen: writing the room's history: {} speeches of {HISTORY_SPEECH_BYTES} bytes",
        each * HISTORY_WRITERS as u64
    );
    let started = Instant::now();
    let mut tasks = Vec::new();
    for (i, who) in writers.into_iter().enumerate() {
        let ctx = ctx.clone();
        let room = room.to_string();
        tasks.push(tokio::spawn(async move {
            let mut c = ctx.control(40 + i, &who).await?;
            c.join(&room, None).await?;
            let plan = SpeakPlan {
                room,
                rate: f64::from(DEFAULT_LIMITS.messages_per_second),
                duration: None,
                count: Some(each),
                text_bytes: HISTORY_SPEECH_BYTES,
                window: 64,
                floor: false,
            };
            let o = speak(&mut c, &plan, &CancellationToken::new()).await;
            c.close().await;
            anyhow::Ok(o)
        }));
    }
    let mut history = History {
        speeches: 0,
        bytes: 0,
        last_seq: 0,
        seconds: 0.0,
    };
    for task in tasks {
        let o = task.await??;
        if o.acked < o.sent || !o.refused.is_empty() {
            anyhow::bail!(
                "a history writer had {} of {} speeches acknowledged, refusals {:?}",
                o.acked,
                o.sent,
                o.refused
            );
        }
        history.speeches += o.acked;
        history.bytes += o.acked * HISTORY_SPEECH_BYTES as u64;
        history.last_seq = history.last_seq.max(o.last_seq);
    }
    history.seconds = started.elapsed().as_secs_f64();
    Ok(history)
}

/// Cores busy between two readings: the server's and this process's.
fn cores_busy(a: CpuMark, b: CpuMark) -> (Option<f64>, Option<f64>) {
    let wall = (b.at_ns.saturating_sub(a.at_ns) as f64 / 1e9).max(1e-9);
    let busy = |x: Option<(f64, f64)>, y: Option<(f64, f64)>| {
        x.zip(y)
            .map(|((u0, s0), (u1, s1))| round2((u1 - u0 + s1 - s0) / wall))
    };
    (busy(a.server, b.server), busy(a.own, b.own))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_replay_flood_needs_writers_for_its_history() {
        let args = |kind: &str| {
            crate::cli::Args::resolve_from([
                "dais-loadgen",
                "--spawn",
                "--scenario",
                "flood",
                "--flood-kind",
                kind,
            ])
        };
        assert_eq!(history_writers(&args("replay")), HISTORY_WRITERS);
        assert_eq!(history_writers(&args("points")), 0);
        assert_eq!(history_writers(&args("say")), 0);
    }
}
