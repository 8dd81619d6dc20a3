//! Presence: who is in the room, told to everyone without a snapshot per
//! connection.

use dais_e2e::session;
use serde_json::{json, Value};

fn online(state: &Value) -> Vec<String> {
    let mut ids: Vec<String> = state["members"]
        .as_array()
        .map(|m| {
            m.iter()
                .filter(|m| m["online"] == true)
                .filter_map(|m| m["who"]["id"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    ids.sort();
    ids
}

/// Many delegates joining at once are coalesced into fewer snapshots, but
/// the last one always arrives and shows everyone.
#[tokio::test]
async fn a_crowd_joining_at_once_is_seen_in_full() {
    let (_server, mut chair, mut d) = session(12).await;
    chair.join("debate").await;
    let mut everyone: Vec<String> = d.iter().map(|c| c.id()).collect();
    everyone.push(chair.id());
    everyone.sort();
    let joins = d.iter_mut().map(|c| async move {
        c.send(json!({"type": "join", "room": "debate", "id": 1}))
            .await;
    });
    futures_util::future::join_all(joins).await;
    chair
        .state_where("a room_state with all thirteen online", |s| {
            online(s) == everyone
        })
        .await;
    // And each delegate, too, ends up seeing everyone.
    for c in d.iter_mut() {
        c.state_where("a room_state with all thirteen online", |s| {
            online(s) == everyone
        })
        .await;
    }
}

/// A second connection of someone already present changes nobody's view, so
/// it sends nobody a snapshot; the last one leaving does.
#[tokio::test]
async fn a_second_connection_is_not_news_but_the_last_one_leaving_is() {
    let (server, mut chair, _) = session(0).await;
    chair.join("debate").await;
    let (a, token) = server.add("Amina", "Morocco", "government", "delegate");
    let mut first = server.login(&token).await;
    first.join("debate").await;
    chair
        .state_where("the delegate online", |s| online(s).contains(&a))
        .await;
    chair.clear();

    let mut again = server.login(&token).await;
    again.join("debate").await;
    // Something that changes the room: the next snapshot the chair sees must
    // be the one it causes, not one for the second connection.
    chair
        .ok(json!({"type": "set_time_limit", "room": "debate", "seconds": 120}))
        .await;
    let next = chair
        .wait_for("the next room_state", |v| v["type"] == "room_state")
        .await;
    assert_eq!(next["time_limit"], 120, "{next}");

    // The first connection goes; the participant is still present.
    first.close().await;
    chair
        .ok(json!({"type": "set_time_limit", "room": "debate", "seconds": 90}))
        .await;
    let next = chair
        .wait_for("the next room_state", |v| v["type"] == "room_state")
        .await;
    assert_eq!(next["time_limit"], 90, "{next}");
    assert!(online(&next).contains(&a), "still online: {next}");

    // The last one goes: the chair is told, without anyone doing anything.
    again.close().await;
    chair
        .state_where("the delegate gone", |s| !online(s).contains(&a))
        .await;
}

/// Leaving creates no event unless the floor was yours; the others still
/// see the member go.
#[tokio::test]
async fn the_others_see_a_member_leave() {
    let (server, mut chair, _) = session(0).await;
    chair.join("debate").await;
    let (a, token) = server.add("Amina", "Morocco", "government", "delegate");
    let mut amina = server.login(&token).await;
    amina.join("debate").await;
    chair
        .state_where("Amina a member", |s| online(s).contains(&a))
        .await;
    amina.ok(json!({"type": "leave", "room": "debate"})).await;
    chair
        .state_where("Amina no longer a member", |s| {
            s["members"]
                .as_array()
                .is_some_and(|m| m.iter().all(|m| m["who"]["id"] != a.as_str()))
        })
        .await;
}
