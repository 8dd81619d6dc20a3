//! The room's side of the poor-link debate: an earlier session's record,
//! the room's speakers taking turns, and observers who come and go.

use super::*;
use crate::words;
use dais_protocol::{EntryClass, Event};

/// Speeches of an earlier session in the room: as many as a join without
/// `since` replays.
const EARLIER_SPEECHES: u64 = 50;

/// The room's first speaker says `EARLIER_SPEECHES` speeches, in the open
/// room, one after the other, each acknowledged.
pub(super) async fn earlier_session(ctx: &Ctx, room: &str) -> Result<()> {
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
pub(super) struct Turns {
    /// Speeches per second while holding the floor.
    pub(super) rate: f64,
    /// Speeches per turn.
    pub(super) speeches: u32,
    pub(super) text_bytes: usize,
}

/// The room's speaker: ask for the floor; when given it, read a statement
/// a sentence at a time, yield, and ask again. Returns the speeches made.
pub(super) async fn orator(
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
pub(super) async fn comers(ctx: Arc<Ctx>, room: String, stop: CancellationToken) -> u64 {
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
