//! The bus between nodes: Redis publish/subscribe.
//!
//! Nothing authoritative travels only here: the record is in PostgreSQL,
//! and every message on the bus is either a batch of a room's feed (which a
//! relay can always rebuild from the record) or a request forwarded to a
//! room's owner (which the sender times out and the client retries with its
//! nonce). So Redis needs no persistence, and losing it (a restart, a
//! failover) costs a gap that the relays fill, never an event.
//!
//! Two connections: one for publishing (reopened when it fails), one
//! subscribed to every channel some part of this node listens to. When the
//! subscriber's connection drops, the bus is marked down (`/healthz` and
//! `/metrics` say so), reopened with backoff, every channel subscribed
//! again, and the listeners told to catch up, so that a Redis restart never
//! leaves a timeline silently stopped.

use futures_util::StreamExt;
use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{mpsc, Notify};

/// A message from a subscribed channel: its payload, or word that the bus
/// came back after an outage (listeners catch up from the record).
#[derive(Debug, Clone)]
pub enum Delivery {
    Message(Arc<[u8]>),
    Reconnected,
}

struct Inner {
    client: redis::Client,
    /// Channel names start with this, so that several clusters (or tests)
    /// can share one Redis.
    prefix: String,
    publisher: tokio::sync::Mutex<Option<redis::aio::MultiplexedConnection>>,
    listeners: Mutex<HashMap<String, mpsc::UnboundedSender<Delivery>>>,
    /// Channels the subscriber's connection has confirmed.
    confirmed: Mutex<HashSet<String>>,
    /// Wakes the subscriber task when a channel is added or dropped.
    changed: Notify,
    up: AtomicBool,
}

/// A cheap handle to the bus.
#[derive(Clone)]
pub struct Bus {
    inner: Arc<Inner>,
}

/// Backoff between attempts to reach Redis again.
const RETRY: Duration = Duration::from_millis(500);
/// Longest wait for one PUBLISH.
const PUBLISH_TIMEOUT: Duration = Duration::from_secs(1);

impl Bus {
    /// Connect to Redis at `url`; channels are named `{prefix}:...`.
    pub async fn open(url: &str, prefix: &str) -> anyhow::Result<Bus> {
        // The URL may hold Redis's password: only its redacted form is
        // ever printed.
        let shown = crate::redact::url(url);
        let client = redis::Client::open(url)
            .map_err(|e| anyhow::anyhow!("{shown} is not a Redis URL: {e}"))?;
        let bus = Bus {
            inner: Arc::new(Inner {
                client,
                prefix: prefix.to_string(),
                publisher: tokio::sync::Mutex::new(None),
                listeners: Mutex::new(HashMap::new()),
                confirmed: Mutex::new(HashSet::new()),
                changed: Notify::new(),
                up: AtomicBool::new(false),
            }),
        };
        // Fail fast at start when Redis cannot be reached at all: the admin
        // gave a wrong URL. Later outages are ridden out.
        let mut conn = bus
            .inner
            .client
            .get_multiplexed_async_connection()
            .await
            .map_err(|e| anyhow::anyhow!("cannot reach Redis at {shown}: {e}"))?;
        let _: () = redis::cmd("PING")
            .query_async(&mut conn)
            .await
            .map_err(|e| anyhow::anyhow!("Redis at {shown} does not answer: {e}"))?;
        *bus.inner.publisher.lock().await = Some(conn);
        tokio::spawn(subscriber(bus.clone()));
        Ok(bus)
    }

    /// The full name of one of our channels.
    pub fn channel(&self, name: &str) -> String {
        format!("{}:{name}", self.inner.prefix)
    }

    /// Whether the subscriber's connection is up now.
    pub fn is_up(&self) -> bool {
        self.inner.up.load(Ordering::Relaxed)
    }

    /// Publish `payload` on channel `name`. False when Redis could not be
    /// reached: the caller has its own way round a lost message. Never
    /// waits long: while the bus is down it does not try, and a Redis that
    /// hangs is given up on after `PUBLISH_TIMEOUT`.
    pub async fn publish(&self, name: &str, payload: &[u8]) -> bool {
        if !self.is_up() {
            crate::metrics::add(&crate::metrics::BUS_PUBLISH_FAILURES, 1);
            return false;
        }
        let channel = self.channel(name);
        for _ in 0..2 {
            // The multiplexed connection is shared: the lock is held only
            // to take a handle (or open one), never across the PUBLISH.
            let conn = {
                let mut guard = self.inner.publisher.lock().await;
                if guard.is_none() {
                    let opened = tokio::time::timeout(
                        PUBLISH_TIMEOUT,
                        self.inner.client.get_multiplexed_async_connection(),
                    )
                    .await;
                    *guard = opened.ok().and_then(Result::ok);
                }
                guard.clone()
            };
            let Some(mut conn) = conn else {
                break;
            };
            let sent = tokio::time::timeout(
                PUBLISH_TIMEOUT,
                redis::cmd("PUBLISH")
                    .arg(&channel)
                    .arg(payload)
                    .query_async::<i64>(&mut conn),
            )
            .await;
            match sent {
                Ok(Ok(_)) => {
                    crate::metrics::add(&crate::metrics::BUS_PUBLISHED, 1);
                    return true;
                }
                failed => {
                    tracing::debug!(?failed, "publishing on the bus failed");
                    *self.inner.publisher.lock().await = None;
                }
            }
        }
        crate::metrics::add(&crate::metrics::BUS_PUBLISH_FAILURES, 1);
        false
    }

    /// Listen to channel `name`: what is published there (and word of the
    /// bus coming back) arrives on the returned receiver, until it is
    /// dropped or `unlisten` is called.
    pub fn listen(&self, name: &str) -> mpsc::UnboundedReceiver<Delivery> {
        let (tx, rx) = mpsc::unbounded_channel();
        if let Ok(mut l) = self.inner.listeners.lock() {
            l.insert(self.channel(name), tx);
        }
        self.inner.changed.notify_one();
        rx
    }

    pub fn unlisten(&self, name: &str) {
        if let Ok(mut l) = self.inner.listeners.lock() {
            l.remove(&self.channel(name));
        }
        self.inner.changed.notify_one();
    }

    /// Whether `name` is subscribed now (its listener registered and the
    /// bus up): a relay waits for this before it asks to join, so that it
    /// misses nothing the owner publishes after.
    pub async fn wait_subscribed(&self, name: &str, timeout: Duration) -> bool {
        let channel = self.channel(name);
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let confirmed = self
                .inner
                .confirmed
                .lock()
                .map(|c| c.contains(&channel))
                .unwrap_or(false);
            if self.is_up() && confirmed {
                return true;
            }
            if tokio::time::Instant::now() >= deadline {
                return false;
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }
}

/// Keep one connection subscribed to every channel someone listens to, and
/// hand each message to its listener. Reconnects (with backoff) whenever
/// the connection drops, subscribes again, and tells every listener.
async fn subscriber(bus: Bus) {
    let inner = bus.inner.clone();
    let mut first = true;
    loop {
        let pubsub = match inner.client.get_async_pubsub().await {
            Ok(p) => p,
            Err(e) => {
                if inner.up.swap(false, Ordering::Relaxed) || first {
                    tracing::warn!(error = %e, "the bus (Redis) cannot be reached; retrying");
                }
                first = false;
                set_confirmed(&inner, &[]);
                tokio::time::sleep(RETRY).await;
                continue;
            }
        };
        let (mut sink, mut stream) = pubsub.split();
        let mut subscribed: Vec<String> = Vec::new();
        // Subscribe to what is wanted now, then follow changes.
        let ok = sync_channels(&inner, &mut sink, &mut subscribed).await;
        if !ok {
            tokio::time::sleep(RETRY).await;
            continue;
        }
        if !inner.up.swap(true, Ordering::Relaxed) && !first {
            tracing::info!("the bus (Redis) is back; catching up from the record");
        }
        let reconnected = !first;
        first = false;
        if reconnected {
            let listeners: Vec<_> = inner
                .listeners
                .lock()
                .map(|l| l.values().cloned().collect())
                .unwrap_or_default();
            for l in listeners {
                let _ = l.send(Delivery::Reconnected);
            }
        }
        loop {
            tokio::select! {
                msg = stream.next() => {
                    let Some(msg) = msg else { break };
                    let channel = msg.get_channel_name().to_string();
                    let payload: Vec<u8> = msg.get_payload_bytes().to_vec();
                    let listener = inner.listeners.lock().ok().and_then(|l| l.get(&channel).cloned());
                    if let Some(l) = listener {
                        let _ = l.send(Delivery::Message(payload.into()));
                    }
                }
                _ = inner.changed.notified() => {
                    if !sync_channels(&inner, &mut sink, &mut subscribed).await {
                        break;
                    }
                }
                // A dead connection that nothing reads from is noticed by
                // pinging it now and then.
                _ = tokio::time::sleep(Duration::from_secs(1)) => {
                    let pong: redis::RedisResult<()> = sink.ping().await;
                    if pong.is_err() {
                        break;
                    }
                }
            }
        }
        inner.up.store(false, Ordering::Relaxed);
        set_confirmed(&inner, &[]);
        tracing::warn!("the bus (Redis) connection dropped; reconnecting");
        crate::metrics::add(&crate::metrics::BUS_RECONNECTS, 1);
        tokio::time::sleep(RETRY).await;
    }
}

/// Subscribe to channels that are wanted and not yet subscribed, and drop
/// those no longer wanted. False when the connection failed.
async fn sync_channels(
    inner: &Inner,
    sink: &mut redis::aio::PubSubSink,
    subscribed: &mut Vec<String>,
) -> bool {
    let wanted: Vec<String> = inner
        .listeners
        .lock()
        .map(|l| l.keys().cloned().collect())
        .unwrap_or_default();
    for ch in &wanted {
        if !subscribed.contains(ch) {
            if sink.subscribe(ch).await.is_err() {
                return false;
            }
            subscribed.push(ch.clone());
        }
    }
    let gone: Vec<String> = subscribed
        .iter()
        .filter(|ch| !wanted.contains(ch))
        .cloned()
        .collect();
    for ch in gone {
        if sink.unsubscribe(&ch).await.is_err() {
            return false;
        }
        subscribed.retain(|c| c != &ch);
    }
    set_confirmed(inner, subscribed);
    true
}

fn set_confirmed(inner: &Inner, channels: &[String]) {
    if let Ok(mut c) = inner.confirmed.lock() {
        *c = channels.iter().cloned().collect();
    }
}
