//! A reader that stops reading never stalls the room: it is disconnected
//! with a reason once its queue is full, and can come back with `since`.

use dais_e2e::Server;
use serde_json::json;

const CONFIG: &str = r#"
[limits]
outbox_frames = 64
max_text_chars = 16000
messages_per_second = 100000
burst = 100000

[[room]]
id = "plenary"
titles = { en = "Plenary" }
mode = "open"
"#;

#[tokio::test]
async fn a_slow_reader_is_dropped_and_the_others_get_everything() {
    slow_reader_with(CONFIG).await;
}

/// The same, with a queue long enough in frames that only its byte limit
/// can catch the sleeper.
#[tokio::test]
async fn a_slow_reader_is_dropped_by_the_byte_limit_too() {
    let config = CONFIG.replace(
        "outbox_frames = 64",
        "outbox_frames = 1000000\noutbox_bytes = 1048576",
    );
    slow_reader_with(&config).await;
}

async fn slow_reader_with(config: &str) {
    let server = Server::start_with_config(Some(config));
    let mut chair = server.login(&server.chair_token()).await;
    chair.join("plenary").await;
    let (_, token) = server.add("Sleepy", "D1", "government", "delegate");
    let mut slow = server.login(&token).await;
    let joined = slow.join("plenary").await;
    let seen = joined["seq"].as_u64().unwrap();
    let (_, token2) = server.add("Attentive", "D2", "government", "delegate");
    let mut reader = server.login(&token2).await;
    reader.join("plenary").await;

    // Enough text to fill the socket buffers of a reader that reads nothing.
    let text = "x".repeat(15_000);
    let n = 1500u64;
    let attentive = tokio::spawn(async move {
        let mut last = seen;
        for _ in 0..n {
            let speech = reader.event("speech").await;
            let seq = speech["seq"].as_u64().unwrap();
            assert_eq!(seq, last + 1, "in order, no gap");
            last = seq;
        }
        last
    });
    // The speaker sends in chunks and reads its acknowledgements, as a real
    // client does, so that only the sleeper falls behind.
    let chunk = 10;
    for c in 0..n / chunk {
        for i in 0..chunk {
            let id = c * chunk + i + 1000;
            chair
                .send(
                    json!({"type": "say", "room": "plenary", "text": text, "lang": "en", "id": id}),
                )
                .await;
        }
        let last_id = c * chunk + chunk - 1 + 1000;
        chair
            .wait_for("the chunk's last ok", |f| {
                f["type"] == "ok" && f["id"] == last_id
            })
            .await;
        chair.clear();
    }
    let last = attentive.await.expect("the attentive reader");
    // The sleeper was let go as a slow reader. It may never see the close
    // frame that says so: its window was shut, and the server gives up on
    // a socket it cannot write to within two seconds rather than hold it
    // (PROTOCOL.md says to treat a reset like any drop). So the server's
    // own count says why, and the sleeper finds its connection gone.
    let metrics = dais_e2e::http_get(&server.url, "/metrics").await;
    let closes = metrics
        .lines()
        .find_map(|l| l.strip_prefix("dais_slow_reader_closes_total "))
        .and_then(|v| v.trim().parse::<u64>().ok());
    assert_eq!(closes, Some(1), "{metrics}");
    let (code, reason) = slow.wait_closed().await;
    assert!(
        (code, reason.as_str()) == (1008, "slow_reader") || code == 1006,
        "closed with {code} {reason}"
    );
    // And it comes back with since, missing nothing.
    let mut back = server.login(&token).await;
    back.send(json!({"type": "join", "room": "plenary", "since": seen, "id": 1}))
        .await;
    let ok = back
        .wait_for("the join", |f| f["type"] == "ok" && f["id"] == 1)
        .await;
    assert_eq!(ok["seq"].as_u64().unwrap(), last);
    let replayed = dais_e2e::seqs(&back.backlog.iter().cloned().collect::<Vec<_>>(), "plenary");
    assert_eq!(replayed, (seen + 1..=last).collect::<Vec<_>>());
}
