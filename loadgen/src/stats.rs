//! Measurements shared by the tasks of a run: latency histograms that many
//! tasks record into at once, counts of what went wrong, and what each
//! listener received.

use crate::frame::FrameKind;
use hdrhistogram::Histogram;
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// Latencies from 1 µs to 10 minutes, to three significant digits.
const HIGHEST_US: u64 = 600_000_000;
/// Histograms per recorder. Each thread records into its own shard, so the
/// lock around a shard is never contended and recording costs a few tens
/// of nanoseconds.
const SHARDS: usize = 16;

pub fn new_histogram() -> Histogram<u64> {
    // The bounds are constants that hdrhistogram accepts.
    Histogram::new_with_bounds(1, HIGHEST_US, 3).expect("valid histogram bounds")
}

fn shard_index() -> usize {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    thread_local! {
        static SHARD: usize = NEXT.fetch_add(1, Ordering::Relaxed) % SHARDS;
    }
    SHARD.with(|s| *s)
}

/// A latency histogram (in microseconds) many tasks record into.
pub struct Recorder {
    shards: Vec<Mutex<Histogram<u64>>>,
}

impl Default for Recorder {
    fn default() -> Self {
        Recorder {
            shards: (0..SHARDS).map(|_| Mutex::new(new_histogram())).collect(),
        }
    }
}

impl Recorder {
    pub fn record_us(&self, us: u64) {
        if let Ok(mut h) = self.shards[shard_index()].lock() {
            h.saturating_record(us.max(1));
        }
    }

    pub fn merged(&self) -> Histogram<u64> {
        let mut all = new_histogram();
        for s in &self.shards {
            if let Ok(h) = s.lock() {
                let _ = all.add(&*h);
            }
        }
        all
    }

    pub fn summary(&self) -> Latency {
        Latency::of(&self.merged())
    }
}

/// A latency distribution, in milliseconds.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Latency {
    pub count: u64,
    pub p50_ms: f64,
    pub p90_ms: f64,
    pub p99_ms: f64,
    pub p999_ms: f64,
    pub max_ms: f64,
    pub mean_ms: f64,
}

impl Latency {
    pub fn of(h: &Histogram<u64>) -> Latency {
        if h.is_empty() {
            return Latency::default();
        }
        let ms = |us: u64| us as f64 / 1000.0;
        Latency {
            count: h.len(),
            p50_ms: ms(h.value_at_quantile(0.50)),
            p90_ms: ms(h.value_at_quantile(0.90)),
            p99_ms: ms(h.value_at_quantile(0.99)),
            p999_ms: ms(h.value_at_quantile(0.999)),
            max_ms: ms(h.max()),
            mean_ms: h.mean() / 1000.0,
        }
    }

    pub fn line(&self) -> String {
        if self.count == 0 {
            return "no samples".to_string();
        }
        format!(
            "p50 {:.2} ms, p90 {:.2} ms, p99 {:.2} ms, p99.9 {:.2} ms, max {:.2} ms ({} samples)",
            self.p50_ms, self.p90_ms, self.p99_ms, self.p999_ms, self.max_ms, self.count
        )
    }
}

/// Counts by name: errors by code, closes by reason.
#[derive(Default)]
pub struct Tally {
    counts: Mutex<BTreeMap<String, u64>>,
}

impl Tally {
    pub fn add(&self, what: impl Into<String>) {
        self.add_n(what, 1);
    }

    pub fn add_n(&self, what: impl Into<String>, n: u64) {
        if n == 0 {
            return;
        }
        if let Ok(mut c) = self.counts.lock() {
            *c.entry(what.into()).or_default() += n;
        }
    }

    pub fn snapshot(&self) -> BTreeMap<String, u64> {
        self.counts.lock().map(|c| c.clone()).unwrap_or_default()
    }
}

/// Frames and bytes one connection received, by type of frame: kept by
/// each listener on its own (no sharing on the hot path), summed at the end.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Received {
    frames: [u64; FrameKind::ALL.len()],
    bytes: [u64; FrameKind::ALL.len()],
}

impl Received {
    pub fn add(&mut self, kind: FrameKind, bytes: usize) {
        self.frames[kind as usize] += 1;
        self.bytes[kind as usize] += bytes as u64;
    }

    pub fn merge(&mut self, other: &Received) {
        for i in 0..self.frames.len() {
            self.frames[i] += other.frames[i];
            self.bytes[i] += other.bytes[i];
        }
    }

    pub fn frames(&self, kind: FrameKind) -> u64 {
        self.frames[kind as usize]
    }

    pub fn bytes(&self, kind: FrameKind) -> u64 {
        self.bytes[kind as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_merge_into_one_distribution() {
        let r = Recorder::default();
        for us in 1..=1000 {
            r.record_us(us);
        }
        // Another thread records into another shard.
        std::thread::scope(|s| {
            s.spawn(|| r.record_us(50_000));
        });
        let l = r.summary();
        assert_eq!(l.count, 1001);
        assert!((l.p50_ms - 0.5).abs() < 0.01, "{l:?}");
        assert!((l.max_ms - 50.0).abs() < 0.1, "{l:?}");
    }

    #[test]
    fn received_frames_are_counted_by_kind_and_summed() {
        let mut a = Received::default();
        a.add(FrameKind::Presence, 100);
        a.add(FrameKind::Presence, 50);
        a.add(FrameKind::Event, 300);
        let mut all = Received::default();
        all.merge(&a);
        all.merge(&a);
        assert_eq!(all.frames(FrameKind::Presence), 4);
        assert_eq!(all.bytes(FrameKind::Presence), 300);
        assert_eq!(all.bytes(FrameKind::Event), 600);
    }

    #[test]
    fn tallies_count_by_name() {
        let t = Tally::default();
        t.add("slow_reader");
        t.add_n("slow_reader", 2);
        t.add_n("nothing", 0);
        assert_eq!(t.snapshot().get("slow_reader"), Some(&3));
        assert_eq!(t.snapshot().len(), 1);
    }
}
