//! Graceful shutdown: one signal that every long-lived task awaits, and a
//! way for the server to wait until the connections it served are done.
//!
//! The signal is a `CancellationToken`: cancelling it wakes every task that
//! awaits `Shutdown::signalled` at once (the accept loop, each websocket,
//! each live page stream, the metrics listener, the background watchers),
//! and a task that starts after it finds it already cancelled, so there is
//! no window in which a late connection misses it. Nothing polls a flag.
//! A task that waits on it in a loop it wakes often (a connection's reader,
//! a live stream, an HTTP connection) takes a `Signal` of its own: a child
//! of the token, with its own lock, so that thousands of connections
//! polling the signal at every frame do not all take one shared lock.
//!
//! The waiting is mini-redis's trick with another channel: every
//! connection holds a `Guard`, a receiver of a watch channel that never
//! sends; the sender's `closed` resolves exactly when the last receiver is
//! dropped, i.e. when the last connection has finished closing. (A watch
//! sender, unlike an mpsc one, does not itself keep the channel open, so
//! the copies of `Shutdown` that the shared state holds do not count.)

use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;
use tokio_util::sync::CancellationToken;

/// The server's shutdown signal, cheap to clone: every clone sees the same
/// signal and hands out guards of the same count.
#[derive(Clone)]
pub struct Shutdown {
    token: CancellationToken,
    /// Each `Guard` is one of its receivers; it never sends.
    guards: Arc<watch::Sender<()>>,
}

/// One task's view of the signal: a child of the server's token, woken
/// with it, but with its own waiter list (see the module's doc).
pub struct Signal {
    token: CancellationToken,
}

impl Signal {
    /// Resolves once the signal is given; at once if it already was.
    /// Cancel-safe, so it can sit in any `select!`.
    pub async fn given(&self) {
        self.token.cancelled().await
    }
}

/// Held by a connection (or a stream) for as long as it runs: the server
/// waits for every guard to be dropped before it stops.
pub struct Guard {
    _held: watch::Receiver<()>,
}

impl Default for Shutdown {
    fn default() -> Self {
        Shutdown::new()
    }
}

impl Shutdown {
    /// A signal not yet given, with no guards out.
    pub fn new() -> Shutdown {
        Shutdown {
            token: CancellationToken::new(),
            guards: Arc::new(watch::Sender::new(())),
        }
    }

    /// Give the signal: every task awaiting `signalled` wakes. Giving it
    /// twice is the same as once.
    pub fn begin(&self) {
        self.token.cancel();
    }

    /// Whether the signal was given (for an answer that cannot wait, such
    /// as `/healthz`).
    pub fn is_begun(&self) -> bool {
        self.token.is_cancelled()
    }

    /// Resolves once the signal is given; at once if it already was.
    /// Cancel-safe, so it can sit in any `select!`.
    pub async fn signalled(&self) {
        self.token.cancelled().await
    }

    /// The signal for one task that waits on it often.
    pub fn signal(&self) -> Signal {
        Signal {
            token: self.token.child_token(),
        }
    }

    /// A guard for a task the server should wait for at shutdown.
    pub fn guard(&self) -> Guard {
        Guard {
            _held: self.guards.subscribe(),
        }
    }

    /// Wait until every guard is dropped, or `grace` has passed; true if
    /// they all were.
    pub async fn all_done(&self, grace: Duration) -> bool {
        tokio::time::timeout(grace, self.guards.closed())
            .await
            .is_ok()
    }
}

/// Resolves on Ctrl-C or, on Unix, SIGTERM (what systemd and docker send).
pub async fn os_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            // Without a SIGTERM handler, Ctrl-C is the only way: wait on it alone.
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_task_started_after_the_signal_sees_it_at_once() {
        let shutdown = Shutdown::new();
        shutdown.begin();
        let late = shutdown.clone();
        tokio::time::timeout(Duration::from_secs(1), late.signalled())
            .await
            .expect("the signal was already given");
        assert!(late.is_begun());
        tokio::time::timeout(Duration::from_secs(1), shutdown.signal().given())
            .await
            .expect("a task's own signal sees it too");
    }

    #[tokio::test]
    async fn every_waiting_task_wakes_on_the_signal() {
        let shutdown = Shutdown::new();
        let mut waiters: Vec<_> = (0..3)
            .map(|_| {
                let s = shutdown.clone();
                tokio::spawn(async move { s.signalled().await })
            })
            .collect();
        waiters.extend((0..3).map(|_| {
            let signal = shutdown.signal();
            tokio::spawn(async move { signal.given().await })
        }));
        shutdown.begin();
        for w in waiters {
            tokio::time::timeout(Duration::from_secs(1), w)
                .await
                .expect("woken")
                .expect("no panic");
        }
    }

    #[tokio::test]
    async fn the_server_waits_for_the_last_guard_not_for_copies_of_the_signal() {
        let shutdown = Shutdown::new();
        let _copy = shutdown.clone();
        let guard = shutdown.guard();
        let held = tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(50)).await;
            drop(guard);
        });
        assert!(shutdown.all_done(Duration::from_secs(5)).await);
        held.await.expect("no panic");
    }

    #[tokio::test]
    async fn a_guard_held_too_long_is_given_up_on_after_the_grace() {
        let shutdown = Shutdown::new();
        let _stuck = shutdown.guard();
        assert!(!shutdown.all_done(Duration::from_millis(50)).await);
    }
}
