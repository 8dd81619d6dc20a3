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

/// A counter as `/metrics` shows it: its name, its help line, and the
/// atomic it reads.
struct Counter {
    name: &'static str,
    help: &'static str,
    value: &'static AtomicU64,
}

/// The counters every server has, in the order `/metrics` lists them.
static COUNTERS: [Counter; 13] = [
    Counter {
        name: "dais_events_total",
        help: "Events recorded in all rooms.",
        value: &EVENTS,
    },
    Counter {
        name: "dais_deliveries_total",
        help: "Frames queued to connections (events and states times recipients).",
        value: &DELIVERIES,
    },
    Counter {
        name: "dais_connections_opened_total",
        help: "Websocket connections accepted.",
        value: &CONNECTIONS_OPENED,
    },
    Counter {
        name: "dais_slow_reader_closes_total",
        help: "Connections closed because their outgoing queue was full.",
        value: &SLOW_READER_CLOSES,
    },
    Counter {
        name: "dais_flood_closes_total",
        help: "Connections closed for flooding.",
        value: &FLOOD_CLOSES,
    },
    Counter {
        name: "dais_rate_limited_total",
        help: "Requests refused by the rate limit.",
        value: &RATE_LIMITED,
    },
    Counter {
        name: "dais_connections_refused_total",
        help:
            "Connections answered 429 and closed at accept: an address over its count or its rate.",
        value: &CONNECTIONS_REFUSED,
    },
    Counter {
        name: "dais_failed_logins_total",
        help: "hello frames with an unknown, revoked or expired token.",
        value: &FAILED_LOGINS,
    },
    Counter {
        name: "dais_logins_throttled_total",
        help: "hello frames refused because their address failed too often lately.",
        value: &LOGINS_THROTTLED,
    },
    Counter {
        name: "dais_guests_admitted_total",
        help: "New guests admitted (guests coming back with their credential not counted).",
        value: &GUESTS_ADMITTED,
    },
    Counter {
        name: "dais_store_commits_total",
        help: "Group commits of the store.",
        value: &STORE_COMMITS,
    },
    Counter {
        name: "dais_store_rows_total",
        help: "Event rows written by the store.",
        value: &STORE_ROWS,
    },
    Counter {
        name: "dais_store_failures_total",
        help: "Store commits that failed.",
        value: &STORE_FAILURES,
    },
];

/// The counters of a cluster node, listed after its gauges.
static CLUSTER_COUNTERS: [Counter; 8] = [
    Counter {
        name: "dais_bus_published_total",
        help: "Messages published on the bus.",
        value: &BUS_PUBLISHED,
    },
    Counter {
        name: "dais_bus_publish_failures_total",
        help: "Messages that could not be published on the bus.",
        value: &BUS_PUBLISH_FAILURES,
    },
    Counter {
        name: "dais_bus_reconnects_total",
        help:
            "Times this node's subscriber connection to the bus was opened again after losing it.",
        value: &BUS_RECONNECTS,
    },
    Counter {
        name: "dais_relay_gap_events_total",
        help: "Events a relay read from the record because the bus did not bring them.",
        value: &RELAY_GAPS_FILLED,
    },
    Counter {
        name: "dais_forwarded_total",
        help: "Requests forwarded to another node that owns the room.",
        value: &FORWARDED,
    },
    Counter {
        name: "dais_forward_timeouts_total",
        help: "Forwarded requests that got no answer in time.",
        value: &FORWARD_TIMEOUTS,
    },
    Counter {
        name: "dais_rooms_taken_total",
        help: "Room leases this node won (at start, at a takeover, or for a new room).",
        value: &ROOMS_TAKEN_OVER,
    },
    Counter {
        name: "dais_rooms_lost_total",
        help: "Rooms this node stopped owning because its lease was lost or a write was refused.",
        value: &ROOMS_LOST,
    },
];

/// One metric in Prometheus' text format: its help, its type, its value.
fn metric(out: &mut String, name: &str, kind: &str, help: &str, value: u64) {
    let _ = writeln!(
        out,
        "# HELP {name} {help}\n# TYPE {name} {kind}\n{name} {value}"
    );
}

/// Every counter of `counters`, read now.
fn counters(out: &mut String, counters: &[Counter]) {
    for c in counters {
        metric(out, c.name, "counter", c.help, get(c.value));
    }
}

/// The page `/metrics` serves: the gauges `g`, then every counter.
pub fn render(g: &Gauges) -> String {
    let mut out = String::new();
    metric(
        &mut out,
        "dais_connections",
        "gauge",
        "Open websocket connections.",
        g.connections as u64,
    );
    metric(
        &mut out,
        "dais_rooms",
        "gauge",
        "Open rooms.",
        g.rooms as u64,
    );
    metric(
        &mut out,
        "dais_outbox_frames",
        "gauge",
        "Frames waiting in connections' outgoing queues, in all.",
        g.outbox_frames as u64,
    );
    counters(&mut out, &COUNTERS);
    if let Some(c) = &g.cluster {
        cluster_gauges(&mut out, c);
        counters(&mut out, &CLUSTER_COUNTERS);
    }
    let _ = writeln!(
        out,
        "# HELP dais_store_commit_seconds Time spent committing (and syncing) the store.\n# TYPE dais_store_commit_seconds summary\ndais_store_commit_seconds_sum {}\ndais_store_commit_seconds_count {}",
        get(&STORE_COMMIT_MICROS) as f64 / 1e6,
        get(&STORE_COMMITS)
    );
    out
}

/// A cluster node's health: the bus, its leases, the rooms it owns.
fn cluster_gauges(out: &mut String, c: &ClusterGauges) {
    metric(
        out,
        "dais_bus_up",
        "gauge",
        "1 when this node is connected to the bus (Redis), 0 when it cannot reach it.",
        c.bus_up as u64,
    );
    metric(
        out,
        "dais_leases_ok",
        "gauge",
        "1 when this node renewed its room leases in PostgreSQL lately, 0 when it could not.",
        c.leases_ok as u64,
    );
    metric(
        out,
        "dais_rooms_owned",
        "gauge",
        "Rooms this node owns (runs the actor of) now.",
        c.rooms_owned as u64,
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_counter_has_its_help_and_type_and_the_cluster_ones_only_in_a_cluster() {
        let single = Gauges {
            connections: 1,
            rooms: 2,
            outbox_frames: 3,
            cluster: None,
        };
        let page = render(&single);
        for c in &COUNTERS {
            assert!(page.contains(&format!("# HELP {} {}\n", c.name, c.help)));
            assert!(page.contains(&format!("# TYPE {} counter\n", c.name)));
        }
        assert!(!page.contains("dais_bus_up"));
        let cluster = Gauges {
            cluster: Some(ClusterGauges {
                bus_up: true,
                leases_ok: true,
                rooms_owned: 1,
            }),
            ..single
        };
        let page = render(&cluster);
        assert!(page.contains("\ndais_bus_up 1\n"));
        for c in &CLUSTER_COUNTERS {
            assert!(page.contains(&format!("# TYPE {} counter\n", c.name)));
        }
    }
}
