//! Nonces for `say`: a fresh one on every speech, as a real client sends
//! them, so that the server's nonce path (a lookup and an insert in the
//! room's window of recent nonces) is part of what is measured.
//!
//! They look like random UUIDs (version 4, 36 characters), which is what a
//! client written against the protocol would most likely send. They need
//! only be unique per participant, not unpredictable, so they come from a
//! SplitMix64 sequence per thread, seeded from the clock, the process id
//! and the thread: a few nanoseconds each, no lock, and no extra crate.

use std::cell::Cell;
use std::sync::atomic::{AtomicU64, Ordering};

/// A new UUID-like nonce, e.g. `3f1c9a2e-7b4d-4c1e-9a0f-5d2b8e6c4a1f`.
pub fn fresh() -> String {
    let (hi, lo) = (next(), next());
    // Version 4 in the third group, the RFC 4122 variant in the fourth.
    let hi = (hi & !0xf000) | 0x4000;
    let lo = (lo & !(0xc << 60)) | (0x8 << 60);
    format!(
        "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
        hi >> 32,
        (hi >> 16) & 0xffff,
        hi & 0xffff,
        lo >> 48,
        lo & 0xffff_ffff_ffff
    )
}

fn next() -> u64 {
    thread_local! {
        static STATE: Cell<u64> = Cell::new(seed());
    }
    STATE.with(|s| {
        let x = s.get().wrapping_add(0x9e37_79b9_7f4a_7c15);
        s.set(x);
        let mut z = x;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    })
}

/// A different starting point for every thread of every run.
fn seed() -> u64 {
    static THREADS: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64);
    let thread = THREADS.fetch_add(1, Ordering::Relaxed);
    nanos ^ (u64::from(std::process::id()) << 32) ^ thread.wrapping_mul(0xd1b5_4a32_d192_ed03)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn nonces_look_like_uuids_and_do_not_repeat() {
        let n = fresh();
        assert_eq!(n.len(), 36, "{n}");
        let groups: Vec<&str> = n.split('-').collect();
        assert_eq!(
            groups.iter().map(|g| g.len()).collect::<Vec<_>>(),
            [8, 4, 4, 4, 12]
        );
        assert!(groups[2].starts_with('4'), "{n}");
        assert!(matches!(&groups[3][..1], "8" | "9" | "a" | "b"), "{n}");
        let many: HashSet<String> = (0..100_000).map(|_| fresh()).collect();
        assert_eq!(many.len(), 100_000);
    }
}
