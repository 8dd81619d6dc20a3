//! Crash safety: SIGKILL in the middle of a burst loses nothing that was
//! acknowledged, and the room comes back consistent.

use dais_e2e::{holder, queue, seqs, Server};
use serde_json::{json, Value};
use std::collections::BTreeSet;

const CONFIG: &str = r#"
[limits]
messages_per_second = 100000
burst = 100000

[[room]]
id = "plenary"
titles = { en = "Plenary" }
time_limit = 600
"#;

#[tokio::test]
async fn every_acknowledged_event_survives_a_kill_during_a_burst() {
    let mut server = Server::start_with_config(Some(CONFIG));
    let mut chair = server.login(&server.chair_token()).await;
    chair.join("plenary").await;
    let mut delegates = Vec::new();
    for i in 1..=4 {
        let (_, token) = server.add(
            &format!("Delegate {i}"),
            &format!("D{i}"),
            "government",
            "delegate",
        );
        let mut c = server.login(&token).await;
        c.join("plenary").await;
        delegates.push(c);
    }
    for d in delegates.iter_mut().skip(1) {
        d.ok(json!({"type": "request_floor", "room": "plenary"}))
            .await;
    }
    chair
        .ok(json!({"type": "grant", "room": "plenary", "participant": delegates[0].id()}))
        .await;
    chair
        .ok(json!({"type": "poll_open", "room": "plenary", "question": "Adopt?"}))
        .await;

    // A burst: the holder speaks, the chair announces and reorders, votes
    // come in, all pipelined without waiting for replies.
    let mut sent = 0u64;
    for i in 0..400u64 {
        delegates[0]
            .send(json!({"type": "say", "room": "plenary", "text": format!("speech {i}"), "lang": "en", "id": i}))
            .await;
        chair
            .send(json!({"type": "announce", "room": "plenary", "text": format!("notice {i}"), "id": 10_000 + i}))
            .await;
        if i % 50 == 0 {
            let v = (i / 50 % 3) as u32;
            delegates[1]
                .send(json!({"type": "vote", "room": "plenary", "option": v, "id": 20_000 + i}))
                .await;
        }
        sent += 1;
    }
    // Collect the chair's acknowledgements until a good number have
    // arrived, then kill while the rest of the burst is still in flight.
    let mut acked: BTreeSet<u64> = BTreeSet::new();
    while acked.len() < 200 {
        let f = chair.next_frame().await.expect("frames");
        if f["type"] == "ok" {
            if let Some(s) = f["seq"].as_u64() {
                acked.insert(s);
            }
        }
    }
    server.kill();
    assert!(sent > 0);

    server.restart();
    let mut chair = server.login(&server.chair_token()).await;
    chair
        .send(json!({"type": "join", "room": "plenary", "since": 0, "id": 1}))
        .await;
    let mut frames: Vec<Value> = Vec::new();
    loop {
        let f = chair.next_frame().await.unwrap();
        let done = f["type"] == "ok" && f["id"] == 1;
        frames.push(f);
        if done {
            break;
        }
    }
    let log = seqs(&frames, "plenary");
    let last = *log.last().unwrap();
    assert_eq!(log, (1..=last).collect::<Vec<_>>(), "no gap in the log");
    for s in &acked {
        assert!(
            *s <= last,
            "acknowledged event {s} lost (log ends at {last})"
        );
    }
    // The room's state agrees with its log.
    let state = frames
        .iter()
        .rev()
        .find(|f| f["type"] == "room_state")
        .unwrap();
    assert_eq!(state["seq"].as_u64(), Some(last));
    assert_eq!(holder(state), Some(delegates[0].id()), "the floor");
    assert_eq!(
        queue(state),
        vec![delegates[1].id(), delegates[2].id(), delegates[3].id()]
    );
    // The turn that was running is paused with the time it had left when
    // the server went down, and the outage is on the record.
    assert_eq!(state["floor"]["clock"]["state"], "paused", "{state}");
    let restored = frames
        .iter()
        .rev()
        .find(|f| f["kind"] == "service_restored")
        .expect("the outage recorded");
    assert_eq!(restored["cause"], "restart");
    assert_eq!(restored["turn"], state["floor"]["turn"]);
    assert_eq!(
        restored["remaining_ms"],
        state["floor"]["clock"]["remaining_ms"]
    );
    let counts = state["poll"]["counts"].as_array().unwrap();
    assert_eq!(
        counts.iter().filter_map(Value::as_u64).sum::<u64>(),
        1,
        "one delegation, one vote"
    );
    // And the record goes on from there.
    let next = chair
        .ok(json!({"type": "announce", "room": "plenary", "text": "We resume"}))
        .await;
    assert_eq!(next["seq"], last + 1);
}
