//! What a run found, printed for people and written as JSON for programs
//! (the smoke test reads the JSON).

use crate::frame::FrameKind;
use crate::stats::{Latency, Received};
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;

#[derive(Debug, Default, Serialize)]
pub struct Report {
    pub scenario: String,
    /// What was under load: `dais`, or `floor` (the floor broadcaster).
    pub target: String,
    /// The command line of the run.
    pub command: String,
    /// Seconds since the Unix epoch when the run started.
    pub started_unix: u64,
    pub machine: Machine,
    pub setup: Setup,
    pub memory: Memory,
    /// Latency distributions by name (delivery, ack, join, ...).
    pub latency: BTreeMap<String, Latency>,
    /// Scenario figures by name (deliveries_per_s, ...).
    pub figures: BTreeMap<String, Value>,
    /// What the listeners received, by type of frame.
    pub received: Vec<ReceivedKind>,
    /// The scenario's targets, each measured against its figure.
    pub verdicts: Vec<Verdict>,
    pub checks: Checks,
    /// Error frames and failures, by code.
    pub errors: BTreeMap<String, u64>,
    /// Connections the server closed, by close reason.
    pub closes: BTreeMap<String, u64>,
    /// The server's /metrics at the end of the run (when it has them).
    pub server_metrics: BTreeMap<String, f64>,
    pub notes: Vec<String>,
}

/// Frames of one type the listeners received.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ReceivedKind {
    /// The frame's `type` (`event`, `room_state`, `presence`, ...).
    pub kind: String,
    pub frames: u64,
    pub bytes: u64,
    /// Means over the listeners that joined.
    pub frames_per_listener: f64,
    pub bytes_per_listener: f64,
}

/// A target and how the run did against it.
#[derive(Debug, Clone, Serialize)]
pub struct Verdict {
    /// What is measured, with its unit (`set-up, joins/s`).
    pub what: String,
    pub measured: f64,
    /// The target as written (`>= 2000`).
    pub target: String,
    pub met: bool,
}

#[derive(Debug, Default, Serialize)]
pub struct Machine {
    pub cpus_online: usize,
    pub mem_total_kib: u64,
    pub loadgen_cpus: String,
    pub server_cpus: String,
    pub loadgen_threads: usize,
    pub loadgen_nofile: u64,
    pub server_nofile: Option<u64>,
}

#[derive(Debug, Default, Serialize)]
pub struct Setup {
    pub server_url: String,
    pub server_pid: Option<u32>,
    pub spawned: bool,
    pub participants_provisioned: usize,
    pub provision_seconds: f64,
    pub rooms: usize,
    pub source_addresses: usize,
    pub connections_asked: usize,
    pub connected: usize,
    pub connect_failures: usize,
    /// From the first connect to the last join's ok.
    pub connect_seconds: f64,
    /// Connections set up (TCP, websocket, hello, join) per second.
    pub connect_rate_per_s: f64,
}

#[derive(Debug, Default, Serialize)]
pub struct Memory {
    /// Server resident memory before the measured connections, KiB.
    pub rss_before_kib: Option<u64>,
    /// After they are connected and joined (and a moment to settle), KiB.
    pub rss_connected_kib: Option<u64>,
    pub per_connection_kib: Option<f64>,
    /// The highest resident memory sampled during the load, KiB.
    pub rss_max_kib: Option<u64>,
    /// At the end of the load, KiB.
    pub rss_end_kib: Option<u64>,
    /// Server CPU seconds used during the load phase.
    pub server_cpu_seconds: Option<f64>,
    /// This process's resident memory at the end, KiB.
    pub loadgen_rss_kib: Option<u64>,
}

#[derive(Debug, Default, Serialize)]
pub struct Checks {
    /// Whether every correctness check of the scenario passed.
    pub passed: bool,
    pub listeners: usize,
    /// Listeners that got every event, in order, exactly once.
    pub complete: usize,
    pub gaps: u64,
    pub duplicates: u64,
    /// Events missing at listeners that ended before the last one.
    pub missing: u64,
    pub failures: Vec<String>,
}

impl Report {
    pub fn figure(&mut self, name: &str, value: impl Into<Value>) {
        self.figures.insert(name.to_string(), value.into());
    }

    /// A figure as a number, if the report has it.
    pub fn number(&self, name: &str) -> Option<f64> {
        self.figures.get(name).and_then(Value::as_f64)
    }

    /// Record what `listeners` listeners received, summed in `all`.
    pub fn set_received(&mut self, all: &Received, listeners: usize) {
        let per = |v: u64| {
            if listeners == 0 {
                0.0
            } else {
                (v as f64 / listeners as f64 * 10.0).round() / 10.0
            }
        };
        self.received = FrameKind::ALL
            .iter()
            .filter(|k| all.frames(**k) > 0)
            .map(|k| ReceivedKind {
                kind: k.name().to_string(),
                frames: all.frames(*k),
                bytes: all.bytes(*k),
                frames_per_listener: per(all.frames(*k)),
                bytes_per_listener: per(all.bytes(*k)),
            })
            .collect();
    }

    /// Hold a measurement against its target: `at_least` says which way.
    pub fn verdict(&mut self, what: &str, measured: f64, target: f64, at_least: bool) {
        let met = if at_least {
            measured >= target
        } else {
            measured <= target
        };
        self.verdicts.push(Verdict {
            what: what.to_string(),
            measured,
            target: format!("{} {target}", if at_least { ">=" } else { "<=" }),
            met,
        });
    }

    pub fn print(&self) {
        let m = &self.machine;
        let s = &self.setup;
        println!("== dais-loadgen: {} against {}", self.scenario, self.target);
        println!("command: {}", self.command);
        println!(
            "machine: {} CPUs online, {:.1} GiB memory; loadgen on CPUs {} ({} threads, open-file limit {}), server on CPUs {} (open-file limit {})",
            m.cpus_online,
            m.mem_total_kib as f64 / 1024.0 / 1024.0,
            m.loadgen_cpus,
            m.loadgen_threads,
            m.loadgen_nofile,
            m.server_cpus,
            m.server_nofile.map(|n| n.to_string()).unwrap_or_else(|| "?".into()),
        );
        println!(
            "server: {} (pid {}{}); {} rooms; {} source addresses",
            s.server_url,
            s.server_pid
                .map(|p| p.to_string())
                .unwrap_or_else(|| "?".into()),
            if s.spawned { ", spawned" } else { "" },
            s.rooms,
            s.source_addresses
        );
        if s.participants_provisioned > 0 {
            println!(
                "provisioned {} participants in {:.1} s",
                s.participants_provisioned, s.provision_seconds
            );
        }
        println!(
            "connections: {}/{} up in {:.2} s ({:.0}/s), {} failed",
            s.connected,
            s.connections_asked,
            s.connect_seconds,
            s.connect_rate_per_s,
            s.connect_failures
        );
        let mem = &self.memory;
        let kib = |v: Option<u64>| {
            v.map(|k| format!("{:.1} MiB", k as f64 / 1024.0))
                .unwrap_or_else(|| "?".into())
        };
        println!(
            "server memory: before {}, connected {}, max {}, end {}; per connection {}",
            kib(mem.rss_before_kib),
            kib(mem.rss_connected_kib),
            kib(mem.rss_max_kib),
            kib(mem.rss_end_kib),
            mem.per_connection_kib
                .map(|k| format!("{k:.2} KiB"))
                .unwrap_or_else(|| "?".into())
        );
        if let Some(cpu) = mem.server_cpu_seconds {
            println!("server CPU during the load: {cpu:.2} s");
        }
        for (name, value) in &self.figures {
            println!("{name}: {value}");
        }
        for (name, l) in &self.latency {
            println!("latency {name}: {}", l.line());
        }
        if !self.received.is_empty() {
            let parts: Vec<String> = self
                .received
                .iter()
                .map(|r| {
                    format!(
                        "{} {} ({:.1} KiB)",
                        r.kind,
                        r.frames_per_listener,
                        r.bytes_per_listener / 1024.0
                    )
                })
                .collect();
            println!("received per listener: {}", parts.join(", "));
        }
        for v in &self.verdicts {
            println!(
                "target: {} {}: measured {} ({})",
                v.what,
                v.target,
                v.measured,
                if v.met { "met" } else { "MISSED" }
            );
        }
        let c = &self.checks;
        println!(
            "checks: {} ({} of {} listeners complete; gaps {}, duplicates {}, missing {})",
            if c.passed { "passed" } else { "FAILED" },
            c.complete,
            c.listeners,
            c.gaps,
            c.duplicates,
            c.missing
        );
        for f in &c.failures {
            println!("  failure: {f}");
        }
        if !self.errors.is_empty() {
            println!("errors: {:?}", self.errors);
        }
        if !self.closes.is_empty() {
            println!("closed by the server: {:?}", self.closes);
        }
        let commits = self
            .server_metrics
            .iter()
            .find(|(k, _)| k.contains("store_commits"))
            .map(|(_, v)| *v);
        let rows = self
            .server_metrics
            .iter()
            .find(|(k, _)| k.contains("store_rows"))
            .map(|(_, v)| *v);
        if let (Some(c), Some(r)) = (commits, rows) {
            if c > 0.0 {
                println!(
                    "server store: {r:.0} rows in {c:.0} commits ({:.1} rows per commit)",
                    r / c
                );
            }
        }
        for n in &self.notes {
            println!("note: {n}");
        }
    }
}
