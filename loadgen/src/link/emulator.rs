//! The link emulator: a poor link made in user space, for kernels without
//! `sch_netem`.
//!
//! Each side of the link is a TUN device, one in the server's namespace and
//! one in the delegate's. A thread of the load generator reads every IP
//! packet that one side's kernel sends into its device and writes it into
//! the other's, after what a slow, lossy, far-away link would do to it:
//!
//! - **loss**: each packet is dropped with the configured probability, drawn
//!   from a seeded generator (one per direction);
//! - **rate**: the link sends one packet at a time, each taking its length
//!   in bits over the rate (a 1,500-byte packet takes 187.5 ms at 64 kbit/s);
//!   packets wait their turn in a queue of bounded size, and one that finds
//!   the queue full is dropped (tail drop), as a router's would be;
//! - **delay**: a packet that has been sent arrives the one-way delay later.
//!
//! TCP on both ends sees real loss, queueing and delay: it retransmits,
//! backs off and probes as it would on such a link, which is what netem
//! would give. The emulator counts every packet and byte each way.

use serde::Serialize;
use std::collections::VecDeque;
use std::fs::File;
use std::io::{self, Read, Write};
use std::os::fd::AsRawFd;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// What the link does to packets, each way.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LinkSpec {
    /// Bits per second.
    pub rate_bps: f64,
    /// One-way delay, added after a packet has been sent.
    pub delay: Duration,
    /// Share of packets lost, 0 to 1.
    pub loss: f64,
    /// Bytes that may wait to be sent; beyond, a packet is dropped.
    pub queue_bytes: usize,
    /// Seed of the loss draws.
    pub seed: u64,
}

/// Directions, as indices: from the server to the delegate, and back.
pub const DOWN: usize = 0;
pub const UP: usize = 1;

/// Counts of one direction, kept by the emulator's thread.
#[derive(Default)]
struct Counters {
    offered_packets: AtomicU64,
    offered_bytes: AtomicU64,
    delivered_packets: AtomicU64,
    delivered_bytes: AtomicU64,
    lost_packets: AtomicU64,
    dropped_packets: AtomicU64,
    /// Packets that are not IPv4 (an IPv6 router solicitation, say): not
    /// carried, not counted as traffic.
    other_packets: AtomicU64,
}

/// One direction's counts at one moment.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct DirCount {
    /// IP packets and bytes the sending side put on the link.
    pub offered_packets: u64,
    pub offered_bytes: u64,
    /// IP packets and bytes that reached the other side.
    pub delivered_packets: u64,
    pub delivered_bytes: u64,
    /// Dropped at random (the loss rate).
    pub lost_packets: u64,
    /// Dropped because the queue was full.
    pub dropped_packets: u64,
}

impl DirCount {
    /// What happened between `before` and this.
    pub fn since(&self, before: &DirCount) -> DirCount {
        DirCount {
            offered_packets: self.offered_packets - before.offered_packets,
            offered_bytes: self.offered_bytes - before.offered_bytes,
            delivered_packets: self.delivered_packets - before.delivered_packets,
            delivered_bytes: self.delivered_bytes - before.delivered_bytes,
            lost_packets: self.lost_packets - before.lost_packets,
            dropped_packets: self.dropped_packets - before.dropped_packets,
        }
    }
}

impl Counters {
    fn snapshot(&self) -> DirCount {
        let get = |a: &AtomicU64| a.load(Ordering::Relaxed);
        DirCount {
            offered_packets: get(&self.offered_packets),
            offered_bytes: get(&self.offered_bytes),
            delivered_packets: get(&self.delivered_packets),
            delivered_bytes: get(&self.delivered_bytes),
            lost_packets: get(&self.lost_packets),
            dropped_packets: get(&self.dropped_packets),
        }
    }
}

/// A running emulator; dropping it stops its thread.
pub struct Emulator {
    stop: Arc<AtomicBool>,
    counters: Arc<[Counters; 2]>,
    thread: Option<JoinHandle<()>>,
}

impl Emulator {
    /// Carry packets between the server side's TUN device and the delegate
    /// side's, on a thread of its own, until dropped.
    pub fn start(server_side: File, delegate_side: File, spec: LinkSpec) -> io::Result<Emulator> {
        let stop = Arc::new(AtomicBool::new(false));
        let counters: Arc<[Counters; 2]> = Arc::new(Default::default());
        let thread = {
            let (stop, counters) = (stop.clone(), counters.clone());
            std::thread::Builder::new()
                .name("link emulator".into())
                .spawn(move || carry([server_side, delegate_side], spec, &counters, &stop))?
        };
        Ok(Emulator {
            stop,
            counters,
            thread: Some(thread),
        })
    }

    /// The counts so far, (down, up).
    pub fn counts(&self) -> [DirCount; 2] {
        [self.counters[DOWN].snapshot(), self.counters[UP].snapshot()]
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Longest sleep of the emulator's thread, so that it notices `stop`.
const TICK: Duration = Duration::from_millis(20);

/// One direction of the link.
struct Direction {
    spec: LinkSpec,
    rng: SplitMix64,
    /// When the link will have finished sending what it holds.
    busy_until: Instant,
    /// Packets sent or being sent, with the time each arrives: in order, so
    /// arrival times only grow.
    in_flight: VecDeque<(Instant, Vec<u8>)>,
}

impl Direction {
    fn new(spec: LinkSpec, seed: u64) -> Direction {
        Direction {
            spec,
            rng: SplitMix64(seed),
            busy_until: Instant::now(),
            in_flight: VecDeque::new(),
        }
    }

    /// A packet the sending side just gave the link: lose it, drop it, or
    /// schedule its arrival.
    fn offer(&mut self, packet: &[u8], now: Instant, c: &Counters) {
        if packet.first().map(|b| b >> 4) != Some(4) {
            c.other_packets.fetch_add(1, Ordering::Relaxed);
            return;
        }
        let len = packet.len() as u64;
        c.offered_packets.fetch_add(1, Ordering::Relaxed);
        c.offered_bytes.fetch_add(len, Ordering::Relaxed);
        if self.rng.unit() < self.spec.loss {
            c.lost_packets.fetch_add(1, Ordering::Relaxed);
            return;
        }
        let bytes_per_s = self.spec.rate_bps / 8.0;
        let waiting = self.busy_until.saturating_duration_since(now);
        let queued_bytes = waiting.as_secs_f64() * bytes_per_s;
        if queued_bytes + packet.len() as f64 > self.spec.queue_bytes as f64 {
            c.dropped_packets.fetch_add(1, Ordering::Relaxed);
            return;
        }
        let start = self.busy_until.max(now);
        let sent = start + Duration::from_secs_f64(packet.len() as f64 / bytes_per_s);
        self.busy_until = sent;
        self.in_flight
            .push_back((sent + self.spec.delay, packet.to_vec()));
    }

    fn next_arrival(&self) -> Option<Instant> {
        self.in_flight.front().map(|(at, _)| *at)
    }
}

/// The emulator's thread: `tuns` is [server side, delegate side]; what is
/// read from one is written to the other.
fn carry(mut tuns: [File; 2], spec: LinkSpec, counters: &[Counters; 2], stop: &AtomicBool) {
    let mut dirs = [
        Direction::new(spec, spec.seed),
        Direction::new(spec, spec.seed ^ 0x5bd1_e995_0000_0001),
    ];
    let mut buf = vec![0u8; 65_536];
    while !stop.load(Ordering::Relaxed) {
        // Deliver whatever has arrived.
        let now = Instant::now();
        for (d, dir) in dirs.iter_mut().enumerate() {
            while dir.next_arrival().is_some_and(|at| at <= now) {
                let Some((_, packet)) = dir.in_flight.pop_front() else {
                    break;
                };
                // Written into the other side's device: d is DOWN when it
                // came from the server's (index 0), so it goes to index 1.
                // One write is one packet: a TUN device takes it whole
                // or not at all.
                match tuns[1 - d].write(&packet) {
                    Ok(n) if n == packet.len() => {
                        counters[d]
                            .delivered_packets
                            .fetch_add(1, Ordering::Relaxed);
                        counters[d]
                            .delivered_bytes
                            .fetch_add(packet.len() as u64, Ordering::Relaxed);
                    }
                    // The receiving kernel would not take it: lost too.
                    _ => {
                        counters[d].dropped_packets.fetch_add(1, Ordering::Relaxed);
                    }
                }
            }
        }
        // Sleep until the next arrival or a packet to read.
        let wake = dirs
            .iter()
            .filter_map(Direction::next_arrival)
            .min()
            .map_or(TICK, |at| at.saturating_duration_since(Instant::now()))
            .min(TICK);
        if !wait_readable(&tuns, wake) {
            continue;
        }
        for (d, dir) in dirs.iter_mut().enumerate() {
            loop {
                match tuns[d].read(&mut buf) {
                    Ok(0) => break,
                    Ok(n) => dir.offer(&buf[..n], Instant::now(), &counters[d]),
                    Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    Err(_) => break,
                }
            }
        }
    }
}

/// Wait up to `timeout` for either device to have a packet; false on timeout.
fn wait_readable(tuns: &[File; 2], timeout: Duration) -> bool {
    let mut fds = [
        libc::pollfd {
            fd: tuns[0].as_raw_fd(),
            events: libc::POLLIN,
            revents: 0,
        },
        libc::pollfd {
            fd: tuns[1].as_raw_fd(),
            events: libc::POLLIN,
            revents: 0,
        },
    ];
    let ts = libc::timespec {
        tv_sec: timeout.as_secs() as libc::time_t,
        tv_nsec: timeout.subsec_nanos() as libc::c_long,
    };
    // SAFETY: ppoll reads two pollfds we own and a timespec, and writes
    // only their revents.
    let n = unsafe { libc::ppoll(fds.as_mut_ptr(), 2, &ts, std::ptr::null()) };
    n > 0
}

/// A small, seeded generator for loss draws (SplitMix64).
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A draw in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(loss: f64, queue_bytes: usize) -> LinkSpec {
        LinkSpec {
            rate_bps: 64_000.0,
            delay: Duration::from_millis(300),
            loss,
            queue_bytes,
            seed: 7,
        }
    }

    fn ipv4(len: usize) -> Vec<u8> {
        let mut p = vec![0u8; len];
        p[0] = 0x45;
        p
    }

    #[test]
    fn a_packet_arrives_after_its_sending_time_and_the_delay() {
        let c = Counters::default();
        let mut d = Direction::new(spec(0.0, 16_384), 1);
        let now = Instant::now();
        d.offer(&ipv4(1000), now, &c);
        d.offer(&ipv4(1000), now, &c);
        // 1,000 bytes at 8,000 bytes/s: 125 ms each, one after the other.
        let first = d.in_flight[0].0 - now;
        let second = d.in_flight[1].0 - now;
        assert!((first.as_secs_f64() - 0.425).abs() < 1e-6, "{first:?}");
        assert!((second.as_secs_f64() - 0.550).abs() < 1e-6, "{second:?}");
        assert_eq!(c.snapshot().offered_bytes, 2000);
    }

    #[test]
    fn a_full_queue_drops_what_comes_next() {
        let c = Counters::default();
        let mut d = Direction::new(spec(0.0, 3000), 1);
        let now = Instant::now();
        for _ in 0..5 {
            d.offer(&ipv4(1000), now, &c);
        }
        let s = c.snapshot();
        assert_eq!(s.offered_packets, 5);
        assert_eq!(s.dropped_packets, 2);
        assert_eq!(d.in_flight.len(), 3);
    }

    #[test]
    fn loss_is_drawn_at_the_configured_rate_and_repeats_with_its_seed() {
        let draw = |seed| {
            let c = Counters::default();
            let mut d = Direction::new(spec(0.03, usize::MAX), seed);
            let now = Instant::now();
            for _ in 0..100_000 {
                d.offer(&ipv4(40), now, &c);
            }
            c.snapshot().lost_packets
        };
        let lost = draw(11);
        assert!((2_700..3_300).contains(&lost), "{lost}");
        assert_eq!(draw(11), lost);
        assert_ne!(draw(12), lost);
    }

    #[test]
    fn only_ipv4_is_carried() {
        let c = Counters::default();
        let mut d = Direction::new(spec(0.0, 16_384), 1);
        let mut v6 = vec![0u8; 60];
        v6[0] = 0x60;
        d.offer(&v6, Instant::now(), &c);
        assert!(d.in_flight.is_empty());
        assert_eq!(c.snapshot().offered_packets, 0);
        assert_eq!(c.other_packets.load(Ordering::Relaxed), 1);
    }
}
