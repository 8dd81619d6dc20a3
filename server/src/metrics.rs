//! Counters for `/metrics`, in Prometheus' text format.
//!
//! Plain atomics rather than a metrics library: a handful of numbers, bumped
//! on hot paths (every event, every delivery), must cost one relaxed add and
//! take no lock.

use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};

pub static EVENTS: AtomicU64 = AtomicU64::new(0);
pub static DELIVERIES: AtomicU64 = AtomicU64::new(0);
pub static CONNECTIONS_OPENED: AtomicU64 = AtomicU64::new(0);
pub static SLOW_READER_CLOSES: AtomicU64 = AtomicU64::new(0);
pub static FLOOD_CLOSES: AtomicU64 = AtomicU64::new(0);
pub static RATE_LIMITED: AtomicU64 = AtomicU64::new(0);
pub static STORE_COMMITS: AtomicU64 = AtomicU64::new(0);
pub static STORE_COMMIT_MICROS: AtomicU64 = AtomicU64::new(0);
pub static STORE_ROWS: AtomicU64 = AtomicU64::new(0);
pub static STORE_FAILURES: AtomicU64 = AtomicU64::new(0);
pub static CONNECTIONS_REFUSED: AtomicU64 = AtomicU64::new(0);
pub static FAILED_LOGINS: AtomicU64 = AtomicU64::new(0);
pub static LOGINS_THROTTLED: AtomicU64 = AtomicU64::new(0);
pub static GUESTS_ADMITTED: AtomicU64 = AtomicU64::new(0);
pub static BUS_PUBLISHED: AtomicU64 = AtomicU64::new(0);
pub static BUS_PUBLISH_FAILURES: AtomicU64 = AtomicU64::new(0);
pub static BUS_RECONNECTS: AtomicU64 = AtomicU64::new(0);
pub static RELAY_GAPS_FILLED: AtomicU64 = AtomicU64::new(0);
pub static FORWARDED: AtomicU64 = AtomicU64::new(0);
pub static FORWARD_TIMEOUTS: AtomicU64 = AtomicU64::new(0);
pub static ROOMS_TAKEN_OVER: AtomicU64 = AtomicU64::new(0);
pub static ROOMS_LOST: AtomicU64 = AtomicU64::new(0);

pub fn add(counter: &AtomicU64, n: u64) {
    counter.fetch_add(n, Ordering::Relaxed);
}

fn get(counter: &AtomicU64) -> u64 {
    counter.load(Ordering::Relaxed)
}

/// Gauges read at scrape time.
pub struct Gauges {
    pub connections: usize,
    pub rooms: usize,
    pub outbox_frames: usize,
    /// Cluster mode: whether the bus is reachable, and the rooms this node owns.
    pub cluster: Option<ClusterGauges>,
}

pub struct ClusterGauges {
    pub bus_up: bool,
    pub leases_ok: bool,
    pub rooms_owned: usize,
}

pub fn render(g: &Gauges) -> String {
    let mut out = String::new();
    let mut metric = |name: &str, kind: &str, help: &str, value: u64| {
        let _ = writeln!(
            out,
            "# HELP {name} {help}\n# TYPE {name} {kind}\n{name} {value}"
        );
    };
    metric(
        "dais_connections",
        "gauge",
        "Open websocket connections.",
        g.connections as u64,
    );
    metric("dais_rooms", "gauge", "Open rooms.", g.rooms as u64);
    metric(
        "dais_outbox_frames",
        "gauge",
        "Frames waiting in connections' outgoing queues, in all.",
        g.outbox_frames as u64,
    );
    metric(
        "dais_events_total",
        "counter",
        "Events recorded in all rooms.",
        get(&EVENTS),
    );
    metric(
        "dais_deliveries_total",
        "counter",
        "Frames queued to connections (events and states times recipients).",
        get(&DELIVERIES),
    );
    metric(
        "dais_connections_opened_total",
        "counter",
        "Websocket connections accepted.",
        get(&CONNECTIONS_OPENED),
    );
    metric(
        "dais_slow_reader_closes_total",
        "counter",
        "Connections closed because their outgoing queue was full.",
        get(&SLOW_READER_CLOSES),
    );
    metric(
        "dais_flood_closes_total",
        "counter",
        "Connections closed for flooding.",
        get(&FLOOD_CLOSES),
    );
    metric(
        "dais_rate_limited_total",
        "counter",
        "Requests refused by the rate limit.",
        get(&RATE_LIMITED),
    );
    metric(
        "dais_connections_refused_total",
        "counter",
        "Connections answered 429 and closed at accept: an address over its count or its rate.",
        get(&CONNECTIONS_REFUSED),
    );
    metric(
        "dais_failed_logins_total",
        "counter",
        "hello frames with an unknown, revoked or expired token.",
        get(&FAILED_LOGINS),
    );
    metric(
        "dais_logins_throttled_total",
        "counter",
        "hello frames refused because their address failed too often lately.",
        get(&LOGINS_THROTTLED),
    );
    metric(
        "dais_guests_admitted_total",
        "counter",
        "New guests admitted (guests coming back with their credential not counted).",
        get(&GUESTS_ADMITTED),
    );
    metric(
        "dais_store_commits_total",
        "counter",
        "Group commits of the store.",
        get(&STORE_COMMITS),
    );
    metric(
        "dais_store_rows_total",
        "counter",
        "Event rows written by the store.",
        get(&STORE_ROWS),
    );
    metric(
        "dais_store_failures_total",
        "counter",
        "Store commits that failed.",
        get(&STORE_FAILURES),
    );
    if let Some(c) = &g.cluster {
        metric(
            "dais_bus_up",
            "gauge",
            "1 when this node is connected to the bus (Redis), 0 when it cannot reach it.",
            c.bus_up as u64,
        );
        metric(
            "dais_leases_ok",
            "gauge",
            "1 when this node renewed its room leases in PostgreSQL lately, 0 when it could not.",
            c.leases_ok as u64,
        );
        metric(
            "dais_rooms_owned",
            "gauge",
            "Rooms this node owns (runs the actor of) now.",
            c.rooms_owned as u64,
        );
        metric(
            "dais_bus_published_total",
            "counter",
            "Messages published on the bus.",
            get(&BUS_PUBLISHED),
        );
        metric(
            "dais_bus_publish_failures_total",
            "counter",
            "Messages that could not be published on the bus.",
            get(&BUS_PUBLISH_FAILURES),
        );
        metric(
            "dais_bus_reconnects_total",
            "counter",
            "Times this node's subscriber connection to the bus was opened again after losing it.",
            get(&BUS_RECONNECTS),
        );
        metric(
            "dais_relay_gap_events_total",
            "counter",
            "Events a relay read from the record because the bus did not bring them.",
            get(&RELAY_GAPS_FILLED),
        );
        metric(
            "dais_forwarded_total",
            "counter",
            "Requests forwarded to another node that owns the room.",
            get(&FORWARDED),
        );
        metric(
            "dais_forward_timeouts_total",
            "counter",
            "Forwarded requests that got no answer in time.",
            get(&FORWARD_TIMEOUTS),
        );
        metric(
            "dais_rooms_taken_total",
            "counter",
            "Room leases this node won (at start, at a takeover, or for a new room).",
            get(&ROOMS_TAKEN_OVER),
        );
        metric(
            "dais_rooms_lost_total",
            "counter",
            "Rooms this node stopped owning because its lease was lost or a write was refused.",
            get(&ROOMS_LOST),
        );
    }
    let _ = writeln!(
        out,
        "# HELP dais_store_commit_seconds Time spent committing (and syncing) the store.\n# TYPE dais_store_commit_seconds summary\ndais_store_commit_seconds_sum {}\ndais_store_commit_seconds_count {}",
        get(&STORE_COMMIT_MICROS) as f64 / 1e6,
        get(&STORE_COMMITS)
    );
    out
}
