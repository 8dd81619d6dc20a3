//! Events appended durably per second through the store's group commit
//! (`dais_server::record::Record::append`): one writer thread, one fsync per
//! group, an event acknowledged only once its group is on disk.
//!
//! Run with `cargo bench -p dais-server --bench store`. A plain timing loop
//! (no harness). Each case appends for about two seconds with a given number
//! of appends in flight: 1 is a lone speaker waiting for each `ok` (one
//! fsync per event); more in flight is what many rooms and speakers at once
//! look like, and shows what the group commit buys. The database lives in
//! cargo's target directory, on the same disk a server would use.

use dais_protocol::{Actor, Event, EventFrame, Role, Stakeholder};
use dais_server::record::{sqlite::SqliteStore as Store, Row};
use std::collections::VecDeque;
use std::time::{Duration, Instant};

const TEXT: &str = "Thank you, Chair. We support the proposal and wish to add a word on capacity building for developing countries.";

fn body(room: &str, seq: u64) -> String {
    let frame = EventFrame {
        room: room.to_string(),
        seq,
        ts: 1_767_262_500_000 + seq as i64,
        event: Event::Speech {
            by: Actor {
                id: "p-0123456789".into(),
                name: "Delegate 1".into(),
                delegation: "Delegation 1".into(),
                stakeholder: Stakeholder::Government,
                role: Role::Delegate,
                guest: false,
            },
            text: TEXT.into(),
            lang: "en".into(),
        },
    };
    serde_json::to_string(&frame).expect("event JSON")
}

/// Append for about `secs` with `in_flight` appends outstanding, spread over
/// `rooms` rooms, each carrying a snapshot of `snapshot_bytes`. Returns
/// events per second and the number of events appended.
fn run(
    store: &Store,
    rooms: usize,
    in_flight: usize,
    snapshot_bytes: usize,
    secs: f64,
    seqs: &mut [u64],
) -> (f64, u64) {
    let snapshot = format!("{{\"pad\":\"{}\"}}", "x".repeat(snapshot_bytes));
    let names: Vec<String> = (0..rooms).map(|r| format!("bench-{r}")).collect();
    let mut waiting = VecDeque::new();
    let start = Instant::now();
    let mut appended = 0u64;
    let mut k = 0usize;
    while start.elapsed() < Duration::from_secs_f64(secs) {
        while waiting.len() < in_flight {
            let r = k % rooms;
            k += 1;
            seqs[r] += 1;
            let row = Row {
                seq: seqs[r],
                ts: 0,
                kind: "speech",
                author: Some("p-0123456789".into()),
                nonce: None,
                body: body(&names[r], seqs[r]),
            };
            waiting.push_back(store.append(&names[r], vec![row], Some(snapshot.clone())));
        }
        let done = waiting.pop_front().expect("one in flight");
        done.blocking_recv()
            .expect("the store answers")
            .expect("the commit succeeds");
        appended += 1;
    }
    while let Some(done) = waiting.pop_front() {
        done.blocking_recv()
            .expect("the store answers")
            .expect("the commit succeeds");
        appended += 1;
    }
    (appended as f64 / start.elapsed().as_secs_f64(), appended)
}

fn main() {
    let filter: Option<String> = std::env::args().skip(1).find(|a| !a.starts_with('-'));
    let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).expect("a temporary directory");
    let store = Store::open(dir.path()).expect("open the store");
    println!(
        "Store::append, durable (WAL, synchronous=FULL), database in {}",
        dir.path().display()
    );
    let mut seqs = vec![0u64; 64];
    let cases: &[(usize, usize, usize)] = &[
        // (rooms, appends in flight, snapshot bytes)
        (1, 1, 2_000),
        (1, 16, 2_000),
        (1, 256, 2_000),
        (8, 256, 2_000),
        (1, 256, 50_000),
        (1, 4096, 2_000),
    ];
    for &(rooms, in_flight, snapshot_bytes) in cases {
        let name = format!("{rooms} room(s), {in_flight} in flight, {snapshot_bytes} B snapshot");
        if filter.as_deref().is_some_and(|f| !name.contains(f)) {
            continue;
        }
        let mut best = (0.0f64, 0u64);
        for _ in 0..2 {
            let r = run(&store, rooms, in_flight, snapshot_bytes, 2.0, &mut seqs);
            if r.0 > best.0 {
                best = r;
            }
        }
        println!(
            "{name:<48} {:>10.0} events/s  ({} events in the best run)",
            best.0, best.1
        );
    }
}
