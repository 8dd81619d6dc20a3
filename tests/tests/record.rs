//! The record: resume with `since`, nonces, history, restarts, export.

use dais_e2e::{holder, queue, seqs, session, Server, TEST_ROOMS};
use serde_json::{json, Value};

#[tokio::test]
async fn since_replays_what_was_missed_with_no_gap_and_no_duplicate() {
    let server = Server::start_with_config(Some(TEST_ROOMS));
    let mut chair = server.login(&server.chair_token()).await;
    chair.join("debate").await;
    let (_, token) = server.add("Delegate", "D1", "government", "delegate");
    let mut delegate = server.login(&token).await;
    let joined = delegate.join("debate").await;
    let seen = joined["seq"].as_u64().unwrap();
    // The delegate's connection drops; the meeting goes on.
    delegate.close().await;
    for i in 0..30 {
        chair
            .ok(json!({"type": "announce", "room": "debate", "text": format!("Notice {i}")}))
            .await;
    }
    // Back, with the last seq it saw.
    let mut back = server.login(&token).await;
    back.send(json!({"type": "join", "room": "debate", "since": seen, "id": 1}))
        .await;
    let mut frames: Vec<Value> = Vec::new();
    loop {
        let f = back.next_frame().await.unwrap();
        let done = f["type"] == "ok" && f["id"] == 1;
        frames.push(f);
        if done {
            break;
        }
    }
    let replayed = seqs(&frames, "debate");
    let expected: Vec<u64> = (seen + 1..=seen + 30).collect();
    assert_eq!(replayed, expected, "every missed event, once, in order");
    assert_eq!(frames.last().unwrap()["seq"], seen + 30);
    // Live events follow on from there.
    chair
        .ok(json!({"type": "announce", "room": "debate", "text": "Live"}))
        .await;
    let live = back.event("announcement").await;
    assert_eq!(live["seq"], seen + 31);
}

#[tokio::test]
async fn a_retried_nonce_returns_the_original_seq_and_creates_nothing() {
    let (_server, mut chair, _d) = session(0).await;
    chair.join("open").await;
    let say =
        json!({"type": "say", "room": "open", "text": "Once only", "lang": "en", "nonce": "n-42"});
    let first = chair.ok(say.clone()).await;
    let again = chair.ok(say).await;
    assert_eq!(again["seq"], first["seq"]);
    assert_eq!(again["duplicate"], true);
    chair
        .ok(json!({"type": "say", "room": "open", "text": "Next", "lang": "en"}))
        .await;
    let history = chair
        .request(json!({"type": "history", "room": "open"}))
        .await;
    let speeches: Vec<&Value> = history["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["text"] == "Once only")
        .collect();
    assert_eq!(speeches.len(), 1);
}

#[tokio::test]
async fn history_pages_back_through_the_whole_record() {
    let config = format!("{TEST_ROOMS}\n[limits]\nmessages_per_second = 1000\nburst = 1000\n");
    let (_server, mut chair, _d) = dais_e2e::session_with(&config, 0).await;
    chair.join("open").await;
    for i in 0..120 {
        chair
            .ok(json!({"type": "say", "room": "open", "text": format!("m{i}"), "lang": "en"}))
            .await;
    }
    let mut before: Option<u64> = None;
    let mut all = Vec::new();
    loop {
        let mut req = json!({"type": "history", "room": "open", "limit": 50});
        if let Some(b) = before {
            req["before"] = json!(b);
        }
        let page = chair.request(req).await;
        assert_eq!(page["type"], "history");
        let events = page["events"].as_array().unwrap().clone();
        before = events.first().and_then(|e| e["seq"].as_u64());
        let more = page["more"].as_bool().unwrap();
        let mut seqs: Vec<u64> = events.iter().map(|e| e["seq"].as_u64().unwrap()).collect();
        seqs.extend(all);
        all = seqs;
        if !more {
            break;
        }
    }
    assert_eq!(all, (1..=120).collect::<Vec<u64>>());
}

#[tokio::test]
async fn a_killed_server_restarts_with_its_log_queue_floor_clock_and_poll() {
    let mut server = Server::start_with_config(Some(TEST_ROOMS));
    let mut chair = server.login(&server.chair_token()).await;
    let mut d = Vec::new();
    for i in 1..=3 {
        let (_, token) = server.add(
            &format!("Delegate {i}"),
            &format!("D{i}"),
            "government",
            "delegate",
        );
        let mut c = server.login(&token).await;
        c.join("debate").await;
        d.push((token, c));
    }
    chair.join("debate").await;
    d[1].1
        .ok(json!({"type": "request_floor", "room": "debate"}))
        .await;
    d[2].1
        .ok(json!({"type": "request_floor", "room": "debate"}))
        .await;
    chair
        .ok(json!({"type": "grant", "room": "debate", "participant": d[0].1.id()}))
        .await;
    d[0].1
        .ok(json!({"type": "say", "room": "debate", "text": "Before the crash", "lang": "en"}))
        .await;
    chair
        .ok(json!({"type": "poll_open", "room": "debate", "question": "Continue?"}))
        .await;
    d[1].1
        .ok(json!({"type": "vote", "room": "debate", "option": 0}))
        .await;
    let before = chair
        .state_where("the state after the vote", |s| {
            s["poll"]["counts"] == json!([1, 0, 0])
        })
        .await;
    let last = chair
        .ok(json!({"type": "announce", "room": "debate", "text": "Last word"}))
        .await;

    server.kill();
    server.restart();

    let mut chair = server.login(&server.chair_token()).await;
    chair
        .send(json!({"type": "join", "room": "debate", "since": 0, "id": 1}))
        .await;
    let mut frames = Vec::new();
    loop {
        let f = chair.next_frame().await.unwrap();
        let done = f["type"] == "ok" && f["id"] == 1;
        frames.push(f);
        if done {
            break;
        }
    }
    // The whole log, then the outage itself on the record: the turn that
    // was running is paused with the time it had when the server died.
    let acked = last["seq"].as_u64().unwrap();
    let last_seq = acked + 1;
    assert_eq!(
        seqs(&frames, "debate"),
        (1..=last_seq).collect::<Vec<_>>(),
        "the whole log"
    );
    let restored = frames
        .iter()
        .find(|f| f["seq"] == last_seq)
        .expect("the outage event");
    assert_eq!(restored["kind"], "service_restored", "{restored}");
    let after = frames
        .iter()
        .rev()
        .find(|f| f["type"] == "room_state")
        .unwrap();
    assert_eq!(holder(after), holder(&before), "the floor");
    assert_eq!(after["floor"]["turn"], before["floor"]["turn"]);
    let deadline = before["floor"]["clock"]["deadline"].as_i64().unwrap();
    let down_from = restored["down_from"].as_i64().unwrap();
    assert_eq!(after["floor"]["clock"]["state"], "paused", "the clock");
    assert_eq!(
        after["floor"]["clock"]["remaining_ms"].as_i64().unwrap(),
        deadline - down_from,
        "the time it had when the server went down"
    );
    assert_eq!(queue(after), queue(&before), "the queue");
    assert_eq!(after["poll"]["counts"], json!([1, 0, 0]), "the poll");
    assert_eq!(after["speaking_time"], before["speaking_time"]);
    // And the record continues with no gap.
    let next = chair
        .ok(json!({"type": "announce", "room": "debate", "text": "We resume"}))
        .await;
    assert_eq!(next["seq"], last_seq + 1);
    // The holder, reconnecting, still has the floor.
    let mut holder_again = server.login(&d[0].0).await;
    holder_again.join("debate").await;
    holder_again
        .ok(json!({"type": "say", "room": "debate", "text": "As I was saying", "lang": "en"}))
        .await;
}

#[tokio::test]
async fn sigterm_tells_clients_and_exits_cleanly_with_the_record_on_disk() {
    let mut server = Server::start();
    let mut chair = server.login(&server.chair_token()).await;
    chair.join("cyber-security").await;
    let last = chair
        .ok(json!({"type": "announce", "room": "cyber-security", "text": "Closing"}))
        .await;
    let status = server.terminate();
    assert!(status.success(), "exit status {status}");
    let (code, reason) = chair.wait_closed().await;
    assert_eq!((code, reason.as_str()), (1012, "server_shutdown"));
    let json = server.cli(&["export", "--room", "cyber-security", "--format", "json"]);
    let record: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        record["events"].as_array().unwrap().last().unwrap()["seq"],
        last["seq"]
    );
}

#[tokio::test]
async fn export_writes_the_record_of_proceedings() {
    let (server, mut chair, mut d) = session(2).await;
    let (_, token) = server.add(
        "Interpreter",
        "Secretariat",
        "intergovernmental",
        "interpreter",
    );
    let mut interp = server.login(&token).await;
    chair.join("debate").await;
    interp.join("debate").await;
    for c in d.iter_mut() {
        c.join("debate").await;
    }
    chair
        .ok(json!({"type": "grant", "room": "debate", "participant": d[0].id()}))
        .await;
    let said = d[0]
        .ok(json!({"type": "say", "room": "debate", "text": "نحن ندعم الحوار المتعدد الأطراف", "lang": "ar"}))
        .await;
    interp
        .ok(json!({"type": "interpret", "room": "debate", "of": said["seq"], "text": "We support multilateral dialogue", "lang": "en"}))
        .await;
    let point = d[1]
        .ok(json!({"type": "point_of_order", "room": "debate", "text": "Quorum?"}))
        .await;
    chair
        .ok(json!({"type": "rule", "room": "debate", "point": point["seq"], "ruling": "Quorum is present"}))
        .await;
    d[0].ok(json!({"type": "yield", "room": "debate"})).await;
    chair
        .ok(json!({"type": "poll_open", "room": "debate", "question": "Adopt the report?"}))
        .await;
    d[0].ok(json!({"type": "vote", "room": "debate", "option": 0}))
        .await;
    d[1].ok(json!({"type": "vote", "room": "debate", "option": 2}))
        .await;
    chair
        .ok(json!({"type": "poll_close", "room": "debate"}))
        .await;

    // Names keep their bidi isolation marks in the record; read without them.
    let plain = |s: String| -> String {
        s.chars()
            .filter(|c| !matches!(c, '\u{2066}'..='\u{2069}'))
            .collect()
    };
    let md = plain(server.cli(&["export", "--room", "debate"]));
    for needle in [
        "# Record of proceedings: Debate",
        "**Delegate 1 (D1) (spoke in Arabic):** نحن ندعم الحوار المتعدد الأطراف",
        "Interpretation into English by Interpreter: We support multilateral dialogue",
        "Point of order: D2: Quorum?",
        "Quorum is present",
        "Adopt the report?",
        "- support: 1",
        "- abstain: 1",
        "| D1 |",
        "| Governments |",
        "## Fairness",
        "Gini coefficient of speaking time",
    ] {
        assert!(md.contains(needle), "the record lacks {needle:?}:\n{md}");
    }
    // The same record in Arabic, from the same words as the client's.
    let ar = plain(server.cli(&["export", "--room", "debate", "--lang", "ar"]));
    for needle in [
        "# محضر الجلسات: Debate",
        "## وقائع الجلسات",
        "نقطة نظام: D2",
        "ترجمة إلى الإنجليزية من Interpreter: We support multilateral dialogue",
        "## الإنصاف",
    ] {
        assert!(
            ar.contains(needle),
            "the Arabic record lacks {needle:?}:\n{ar}"
        );
    }
    assert!(
        !ar.contains("(تكلم بـ"),
        "an Arabic speech in the Arabic record says no language"
    );
    let json = server.cli(&["export", "--room", "debate", "--format", "json"]);
    let record: Value = serde_json::from_str(&json).unwrap();
    let kinds: Vec<&str> = record["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["kind"].as_str())
        .collect();
    for k in [
        "speech",
        "interpretation",
        "point_of_order",
        "ruling",
        "poll_closed",
    ] {
        assert!(kinds.contains(&k), "{k} missing from {kinds:?}");
    }
    assert!(record["speaking_time"]["delegations"]["D1"]
        .as_i64()
        .is_some());
    // The fairness figures ride along.
    let fairness = &record["fairness"];
    assert_eq!(fairness["room"], "debate");
    assert!(fairness["turns"].as_u64().unwrap() >= 1, "{fairness}");
    assert!(fairness["delegations"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["delegation"] == "D1"));
}

#[tokio::test]
async fn an_online_backup_restores_to_a_working_server() {
    let server = Server::start();
    let mut chair = server.login(&server.chair_token()).await;
    chair.join("connectivity").await;
    let mut last = json!(0);
    for i in 0..20 {
        last = chair
            .ok(json!({"type": "announce", "room": "connectivity", "text": format!("item {i}")}))
            .await["seq"]
            .clone();
    }
    // While the server runs and keeps writing.
    let copy = server.dir().join("backup.db");
    server.cli(&["backup", "--to", copy.to_str().unwrap()]);
    chair
        .ok(json!({"type": "announce", "room": "connectivity", "text": "after the backup"}))
        .await;

    let restored = tempfile::tempdir().unwrap();
    let data = restored.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    std::fs::copy(&copy, data.join("dais.db")).unwrap();
    let out = std::process::Command::new(dais_e2e::server_binary())
        .arg("--data")
        .arg(&data)
        .args(["export", "--room", "connectivity", "--format", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let record: Value = serde_json::from_slice(&out.stdout).unwrap();
    let events = record["events"].as_array().unwrap();
    assert_eq!(
        events.last().unwrap()["seq"],
        last,
        "everything up to the backup, nothing after"
    );
}

/// The room remembers its nonces (so a `say` never waits on the store),
/// reloads them from the record at start, and forgets them after the
/// documented window.
#[tokio::test]
async fn nonces_outlive_a_restart_and_expire_after_their_window() {
    let config = "[limits]\nnonce_window_secs = 2\n[[room]]\nid = \"open\"\ntitles = { en = \"Open\" }\nmode = \"open\"\n";
    let mut server = dais_e2e::Server::start_with_config(Some(config));
    let mut chair = server.login(&server.chair_token()).await;
    chair.join("open").await;
    let say =
        json!({"type": "say", "room": "open", "text": "Retried", "lang": "en", "nonce": "n-7"});
    let first = chair.ok(say.clone()).await;
    drop(chair);
    server.restart();
    let mut chair = server.login(&server.chair_token()).await;
    chair.join("open").await;
    let again = chair.ok(say.clone()).await;
    assert_eq!(again["seq"], first["seq"], "recognised after a restart");
    assert_eq!(again["duplicate"], true);
    // Past the window, the same nonce is a new request.
    tokio::time::sleep(std::time::Duration::from_millis(2500)).await;
    let late = chair.ok(say).await;
    assert!(late.get("duplicate").is_none(), "{late}");
    assert_ne!(late["seq"], first["seq"]);
}

/// A room sends the frames of requests that came in together in one go;
/// the sender's `ok` still never overtakes its own event.
#[tokio::test]
async fn the_senders_ok_comes_after_its_event_even_in_a_burst() {
    let config = format!(
        "[limits]\nmessages_per_second = 100000\nburst = 100000\n{}",
        dais_e2e::TEST_ROOMS
    );
    let (_server, mut chair, _d) = dais_e2e::session_with(&config, 0).await;
    chair.join("open").await;
    for i in 0..200 {
        chair
            .send(json!({"type": "say", "room": "open", "text": format!("n{i}"), "lang": "en", "id": 1000 + i}))
            .await;
    }
    let mut seen_events = std::collections::BTreeSet::new();
    let mut oks = 0;
    while oks < 200 {
        let f = chair.next_frame().await.expect("frames");
        match f["type"].as_str() {
            Some("event") => {
                seen_events.insert(f["seq"].as_u64().unwrap());
            }
            Some("ok") if f["id"].as_u64().is_some_and(|i| i >= 1000) => {
                let seq = f["seq"].as_u64().unwrap();
                assert!(seen_events.contains(&seq), "ok for {seq} before its event");
                oks += 1;
            }
            _ => {}
        }
    }
}
