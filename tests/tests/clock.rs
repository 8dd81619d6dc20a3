//! Timed turns, the clock, and the tour de table.

use dais_e2e::{holder, queue, session};
use serde_json::json;

#[tokio::test]
async fn a_turn_ends_when_its_time_runs_out_and_the_floor_stays_free() {
    let (_server, mut chair, mut d) = session(2).await;
    chair.join("timed").await;
    for c in d.iter_mut() {
        c.join("timed").await;
    }
    d[0].ok(json!({"type": "request_floor", "room": "timed"}))
        .await;
    d[1].ok(json!({"type": "request_floor", "room": "timed"}))
        .await;
    chair.ok(json!({"type": "next", "room": "timed"})).await;
    let ended = chair.event("turn_ended").await;
    assert_eq!(ended["reason"], "time_expired");
    assert!(
        ended.get("by").is_none(),
        "the server ended it, not a chair: {ended}"
    );
    assert!(ended["spoke_ms"].as_i64().unwrap() >= 1000);
    let after = ended["seq"].as_u64().unwrap();
    let state = chair
        .state_where("the state after the turn", |s| {
            s["seq"].as_u64() >= Some(after)
        })
        .await;
    assert!(state["floor"].is_null(), "{state}");
    assert_eq!(
        queue(&state),
        vec![d[1].id()],
        "without auto_advance the next waits for the chair"
    );
    d[0].refused(
        json!({"type": "say", "room": "timed", "text": "one more thing", "lang": "en"}),
        "not_your_turn",
    )
    .await;
}

#[tokio::test]
async fn with_auto_advance_the_next_in_line_gets_the_floor_when_time_runs_out() {
    let (_server, mut chair, mut d) = session(2).await;
    chair.join("timed-auto").await;
    for c in d.iter_mut() {
        c.join("timed-auto").await;
    }
    d[0].ok(json!({"type": "request_floor", "room": "timed-auto"}))
        .await;
    d[1].ok(json!({"type": "request_floor", "room": "timed-auto"}))
        .await;
    chair
        .ok(json!({"type": "next", "room": "timed-auto"}))
        .await;
    let first = chair.event("floor_granted").await;
    assert_eq!(first["to"]["id"], d[0].id());
    let ended = chair.event("turn_ended").await;
    assert_eq!(ended["reason"], "time_expired");
    let second = chair.event("floor_granted").await;
    assert_eq!(second["to"]["id"], d[1].id());
    assert!(second.get("by").is_none(), "given by the server: {second}");
    assert_eq!(
        second["seq"].as_u64().unwrap(),
        ended["seq"].as_u64().unwrap() + 1
    );
}

#[tokio::test]
async fn pausing_stops_the_clock_and_resuming_restarts_it() {
    let (_server, mut chair, mut d) = session(1).await;
    chair.join("debate").await;
    d[0].join("debate").await;
    chair
        .refused(json!({"type": "pause", "room": "debate"}), "floor_free")
        .await;
    chair
        .ok(json!({"type": "grant", "room": "debate", "participant": d[0].id()}))
        .await;
    chair.ok(json!({"type": "pause", "room": "debate"})).await;
    let state = chair
        .state_where("a paused clock", |s| {
            s["floor"]["clock"]["state"] == "paused"
        })
        .await;
    let remaining = state["floor"]["clock"]["remaining_ms"].as_i64().unwrap();
    assert!(remaining > 290_000 && remaining <= 300_000, "{remaining}");
    chair
        .refused(json!({"type": "pause", "room": "debate"}), "clock_paused")
        .await;
    let resumed = chair.ok(json!({"type": "resume", "room": "debate"})).await;
    let state = chair
        .state_where("the resumed state", |s| s["seq"] == resumed["seq"])
        .await;
    assert_eq!(state["floor"]["clock"]["state"], "running");
    let deadline = state["floor"]["clock"]["deadline"].as_i64().unwrap();
    let now = state["server_time"].as_i64().unwrap();
    assert!(deadline - now <= remaining && deadline - now > remaining - 10_000);
    chair
        .refused(json!({"type": "resume", "room": "debate"}), "clock_running")
        .await;
}

#[tokio::test]
async fn the_chair_changes_the_time_limit_for_the_next_turns() {
    let (_server, mut chair, mut d) = session(1).await;
    chair.join("debate").await;
    d[0].join("debate").await;
    chair
        .refused(
            json!({"type": "set_time_limit", "room": "debate", "seconds": 0}),
            "invalid_time_limit",
        )
        .await;
    chair
        .ok(json!({"type": "set_time_limit", "room": "debate", "seconds": 45}))
        .await;
    chair
        .ok(json!({"type": "grant", "room": "debate", "participant": d[0].id()}))
        .await;
    let granted = chair.event("floor_granted").await;
    assert_eq!(granted["allotted_ms"], 45_000);
}

#[tokio::test]
async fn a_round_gives_everyone_present_a_turn_in_order_and_a_pass_moves_on() {
    let (_server, mut chair, mut d) = session(3).await;
    chair.join("tour").await;
    for c in d.iter_mut() {
        c.join("tour").await;
    }
    chair
        .ok(json!({"type": "start_round", "room": "tour"}))
        .await;
    let started = chair.event("round_started").await;
    let order: Vec<String> = started["order"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(order.len(), 3);
    let ids: Vec<String> = d.iter().map(|c| c.id()).collect();
    let by_id = |id: &str| ids.iter().position(|c| c == id).unwrap();
    // The first speaks and yields, the second passes, the third yields.
    let first = chair.event("floor_granted").await;
    assert_eq!(first["to"]["id"], order[0].as_str());
    let i = by_id(&order[0]);
    d[i].ok(json!({"type": "say", "room": "tour", "text": "Our position is known.", "lang": "fr"}))
        .await;
    d[i].ok(json!({"type": "yield", "room": "tour"})).await;
    let second = chair.event("floor_granted").await;
    assert_eq!(second["to"]["id"], order[1].as_str());
    let i = by_id(&order[1]);
    d[i].ok(json!({"type": "pass", "room": "tour"})).await;
    let passed = chair
        .wait_for("a passed turn", |f| {
            f["kind"] == "turn_ended" && f["reason"] == "passed"
        })
        .await;
    assert_eq!(passed["holder"]["id"], order[1].as_str());
    let third = chair.event("floor_granted").await;
    assert_eq!(third["to"]["id"], order[2].as_str());
    let i = by_id(&order[2]);
    d[i].ok(json!({"type": "yield", "room": "tour"})).await;
    chair.event("round_ended").await;
    let state = chair
        .state_where("no round", |s| s["round"].is_null())
        .await;
    assert_eq!(holder(&state), None);
    // The next round starts from someone else.
    chair
        .ok(json!({"type": "start_round", "room": "tour"}))
        .await;
    let next = chair.event("round_started").await;
    assert_ne!(
        next["order"][0]["id"],
        order[0].as_str(),
        "the starting point rotates"
    );
    chair
        .refused(
            json!({"type": "start_round", "room": "tour"}),
            "round_in_progress",
        )
        .await;
}

/// An outage costs nobody speaking time: across a restart, the running
/// turn is paused with the time it had when the server stopped (not when
/// it came back), and the record says so.
#[tokio::test]
async fn a_restart_gives_the_speaker_back_the_time_it_took() {
    let mut server = dais_e2e::Server::start_with_config(Some(dais_e2e::TEST_ROOMS));
    let mut chair = server.login(&server.chair_token()).await;
    chair.join("debate").await;
    let (a, token) = server.add("Amina", "Morocco", "government", "delegate");
    let mut amina = server.login(&token).await;
    amina.join("debate").await;
    chair
        .ok(json!({"type": "grant", "room": "debate", "participant": a}))
        .await;
    let granted = chair.event("floor_granted").await;
    let deadline = granted["deadline"].as_i64().unwrap();
    drop((chair, amina));
    let stopped = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64;
    assert!(server.terminate().success());
    // Down for three seconds.
    tokio::time::sleep(std::time::Duration::from_secs(3)).await;
    server.restart();
    let mut chair = server.login(&server.chair_token()).await;
    let state = chair.join_state("debate").await;
    assert_eq!(state["floor"]["clock"]["state"], "paused", "{state}");
    let remaining = state["floor"]["clock"]["remaining_ms"].as_i64().unwrap();
    let had = deadline - stopped;
    // What it had at the stop (the stop is noted as it happens), give or
    // take the moments between our clock reading and the server's.
    assert!(
        (had - 1500..=had + 100).contains(&remaining),
        "had {had} ms at the stop, got back {remaining} ms"
    );
    let history = chair
        .request(json!({"type": "history", "room": "debate"}))
        .await;
    let restored = history["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "service_restored")
        .cloned()
        .expect("the outage in the record");
    assert_eq!(restored["turn"], state["floor"]["turn"]);
    // The chair resumes it when the speaker is back.
    chair.ok(json!({"type": "resume", "room": "debate"})).await;
}
