//! A client of the failover run: follows the room on one node, and when
//! its connection drops comes back on another with `join` and `since` its
//! last seq, as a real client does; its seqs are checked across all its
//! connections (`SeqCheck`).

use super::*;
use crate::conn::Joined;

/// How long a client of the dead node keeps trying to come back.
const RESUME_DEADLINE: Duration = Duration::from_secs(120);
/// Pause after every node was tried once, before trying again.
const RETRY_PAUSE: Duration = Duration::from_millis(100);

/// The event seqs one client has seen in a room, across its connections:
/// each must be the one after the last, whether it came live or in the
/// replay of a `join` with `since`.
#[derive(Debug, Default, Clone)]
pub struct SeqCheck {
    /// The seq expected next; None until the first join's `ok`, before
    /// which the replay of the last events is not checked.
    next: Option<u64>,
    pub gaps: u64,
    pub duplicates: u64,
    /// The first few violations, in words.
    pub violations: Vec<String>,
}

impl SeqCheck {
    /// The first join was answered: live events follow `seq`.
    pub fn start_after(&mut self, seq: u64) {
        if self.next.is_none() {
            self.next = Some(seq + 1);
        }
    }

    pub fn see(&mut self, seq: u64) {
        let Some(next) = self.next else {
            return;
        };
        if seq == next {
            self.next = Some(next + 1);
        } else if seq < next {
            self.duplicates += 1;
            self.note(format!("seq {seq} a second time (expected {next})"));
        } else {
            self.gaps += seq - next;
            self.note(format!("seqs {next} to {} missing", seq - 1));
            self.next = Some(seq + 1);
        }
    }

    fn note(&mut self, what: String) {
        if self.violations.len() < 5 {
            self.violations.push(what);
        }
    }

    /// The last seq seen (the `since` of a resumption).
    pub fn last(&self) -> u64 {
        self.next.map_or(0, |n| n.saturating_sub(1))
    }

    pub fn clean(&self) -> bool {
        self.gaps == 0 && self.duplicates == 0
    }
}

/// A client's way back after its connection dropped.
#[derive(Debug, Clone, Copy)]
pub(super) struct Resumption {
    pub(super) dropped_ns: u64,
    /// When the `join` with `since` was answered `ok`.
    pub(super) ok_ns: u64,
    /// The seq that `ok` carried: the replay went up to it.
    pub(super) ok_seq: u64,
    pub(super) node: usize,
    /// Connections tried (1: the first node tried took it).
    pub(super) attempts: u32,
}

/// How one client did.
#[derive(Debug, Default)]
pub(super) struct Followed {
    pub(super) index: usize,
    pub(super) first_node: usize,
    pub(super) joined: bool,
    pub(super) seqs: SeqCheck,
    pub(super) resumptions: Vec<Resumption>,
    /// When a live `service_restored` reached it, and its seq.
    pub(super) restored: Option<(u64, u64)>,
    pub(super) error: Option<String>,
}

/// What every client shares: where to connect, how to stop.
pub(super) struct Crowd {
    pub(super) ctxs: Vec<Arc<Ctx>>,
    pub(super) stop: CancellationToken,
    pub(super) final_rx: watch::Receiver<u64>,
    pub(super) settled: Arc<AtomicUsize>,
    pub(super) sem: Arc<Semaphore>,
    pub(super) joined_tx: mpsc::UnboundedSender<Result<usize, String>>,
}

/// The nodes a client of `node` tries after its connection drops: every
/// other one, starting at a different one for odd and even clients.
pub fn fallbacks(node: usize, index: usize, nodes: usize) -> Vec<usize> {
    let others = nodes.saturating_sub(1).max(1);
    (0..others)
        .map(|j| (node + 1 + (index + j) % others) % nodes)
        .collect()
}

/// Connect to `node`, say hello and join (with `since`, when resuming).
async fn connect(
    ctx: &Ctx,
    index: usize,
    login: &Login,
    since: Option<u64>,
) -> Result<(Client, Joined)> {
    let mut c = ctx.dialer.dial(index).await?;
    c.hello(login).await?;
    let joined = c.join(ROOM, since).await?;
    Ok((c, joined))
}

pub(super) async fn follow(
    crowd: Arc<Crowd>,
    index: usize,
    login: Login,
    first_node: usize,
) -> Followed {
    let mut out = Followed {
        index,
        first_node,
        ..Default::default()
    };
    let mut final_rx = crowd.final_rx.clone();
    let first = async {
        let _permit = crowd.sem.acquire().await.ok();
        connect(&crowd.ctxs[first_node], index, &login, None).await
    };
    let mut client = tokio::select! {
        r = first => match r {
            Ok((c, joined)) => {
                out.joined = true;
                out.seqs.start_after(joined.seq);
                let _ = crowd.joined_tx.send(Ok(index));
                c
            }
            Err(e) => {
                out.error = Some(format!("{e:#}"));
                let _ = crowd.joined_tx.send(Err(format!("{e:#}")));
                crowd.settled.fetch_add(1, Ordering::Relaxed);
                return out;
            }
        },
        _ = crowd.stop.cancelled() => {
            crowd.settled.fetch_add(1, Ordering::Relaxed);
            return out;
        }
    };
    let mut node = first_node;
    let mut reached = false;
    let mut final_open = true;
    'connection: loop {
        loop {
            if !reached && out.seqs.last() >= *final_rx.borrow() {
                reached = true;
                crowd.settled.fetch_add(1, Ordering::Relaxed);
            }
            tokio::select! {
                biased;
                _ = crowd.stop.cancelled() => break 'connection,
                r = final_rx.changed(), if final_open => final_open = r.is_ok(),
                text = client.next_text() => match text {
                    Some(text) => on_frame(&crowd.ctxs[node].shared, &mut out, &text),
                    None => break,
                },
            }
        }
        // The connection dropped: come back on another node.
        let dropped_ns = now_ns();
        let deadline = Instant::now() + RESUME_DEADLINE;
        let mut attempts = 0;
        let back = 'resume: loop {
            for to in fallbacks(node, index, crowd.ctxs.len()) {
                attempts += 1;
                let since = Some(out.seqs.last());
                let tried = tokio::select! {
                    r = connect(&crowd.ctxs[to], index, &login, since) => r,
                    _ = crowd.stop.cancelled() => break 'connection,
                };
                match tried {
                    Ok(ok) => break 'resume Some((to, ok)),
                    Err(e) => crowd.ctxs[to]
                        .shared
                        .errors
                        .add(format!("resume: {}", short(&e.root_cause().to_string()))),
                }
            }
            if Instant::now() >= deadline {
                break None;
            }
            tokio::time::sleep(RETRY_PAUSE).await;
        };
        let Some((to, (c, joined))) = back else {
            out.error = Some(format!(
                "could not come back within {RESUME_DEADLINE:?} ({attempts} attempts)"
            ));
            break;
        };
        for seq in &joined.replayed {
            out.seqs.see(*seq);
        }
        out.resumptions.push(Resumption {
            dropped_ns,
            ok_ns: now_ns(),
            ok_seq: joined.seq,
            node: to,
            attempts,
        });
        node = to;
        client = c;
    }
    if !reached {
        crowd.settled.fetch_add(1, Ordering::Relaxed);
    }
    client.close().await;
    out
}

fn on_frame(shared: &Shared, out: &mut Followed, text: &str) {
    match peek(text) {
        Peek::Event(e) => {
            out.seqs.see(e.seq);
            if e.kind == "service_restored" && out.restored.is_none() {
                out.restored = Some((now_ns(), e.seq));
            }
            if let Some((sent, _)) = e.stamp {
                shared.delivery[0].record_us(now_ns().saturating_sub(sent) / 1000);
            }
        }
        Peek::Other(f) => {
            if let ServerFrame::Error { code, .. } = *f {
                shared.errors.add(code_str(code));
            }
        }
        Peek::Counted(_) => {}
        Peek::Unknown => shared.errors.add("unreadable frame"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seqs_resumed_with_since_continue_without_a_gap() {
        let mut s = SeqCheck::default();
        // The first join's replay comes before its ok: not checked.
        s.see(3);
        s.start_after(10);
        for seq in 11..=15 {
            s.see(seq);
        }
        // The connection drops; the replay of the join with since 15
        // brings 16 and 17, then live events follow.
        assert_eq!(s.last(), 15);
        for seq in [16, 17, 18] {
            s.see(seq);
        }
        assert!(s.clean(), "{s:?}");
        assert_eq!(s.last(), 18);
    }

    #[test]
    fn a_missing_seq_is_a_gap_and_a_repeated_one_a_duplicate() {
        let mut s = SeqCheck::default();
        s.start_after(0);
        s.see(1);
        s.see(4);
        assert_eq!(s.gaps, 2);
        s.see(4);
        s.see(2);
        assert_eq!(s.duplicates, 2);
        assert_eq!(s.last(), 4);
        assert!(!s.clean());
        assert_eq!(s.violations[0], "seqs 2 to 3 missing");
    }

    #[test]
    fn clients_of_a_dead_node_fall_back_on_every_other_node() {
        assert_eq!(fallbacks(0, 0, 3), [1, 2]);
        assert_eq!(fallbacks(0, 1, 3), [2, 1]);
        assert_eq!(fallbacks(2, 0, 3), [0, 1]);
        assert_eq!(fallbacks(1, 5, 2), [0]);
    }
}
