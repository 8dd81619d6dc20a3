//! Presence in protocol 2: `room_state` counts the members, and who comes,
//! goes and leaves travels as small batched `presence` frames, never as
//! recorded events.

use dais_e2e::{session, session_with, Client, TEST_ROOMS};
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// Apply presence frames to a view of who is online, until `done` holds.
async fn follow_presence(
    c: &mut Client,
    what: &str,
    view: &mut BTreeMap<String, String>,
    done: impl Fn(&BTreeMap<String, String>, &Value) -> bool,
) -> Value {
    loop {
        let frame = c
            .wait_for(what, |v| v["type"] == "presence" || v["type"] == "event")
            .await;
        assert_ne!(
            frame["type"], "event",
            "presence must not be recorded as an event: {frame}"
        );
        for change in frame["changes"].as_array().into_iter().flatten() {
            let id = change["who"]["id"].as_str().unwrap_or_default().to_string();
            let state = change["state"].as_str().unwrap_or_default().to_string();
            if state == "left" {
                view.remove(&id);
            } else {
                view.insert(id, state);
            }
        }
        if done(view, &frame) {
            return frame;
        }
    }
}

fn online(view: &BTreeMap<String, String>) -> Vec<String> {
    view.iter()
        .filter(|(_, s)| *s == "online")
        .map(|(id, _)| id.clone())
        .collect()
}

/// Many delegates joining at once are coalesced into a few frames; the
/// chair sees every one of them arrive, and everyone ends up with the count.
#[tokio::test]
async fn a_crowd_joining_at_once_is_seen_in_full() {
    let (_server, mut chair, mut d) = session(12).await;
    let joined = chair.join("debate").await;
    assert_eq!(joined["you"]["speaking_ms"], 0, "{joined}");
    let mut everyone: Vec<String> = d.iter().map(|c| c.id()).collect();
    // The chair's own arrival was news too, to itself.
    everyone.push(chair.id());
    everyone.sort();
    let joins = d.iter_mut().map(|c| async move {
        c.send(json!({"type": "join", "room": "debate", "id": 1}))
            .await;
    });
    futures_util::future::join_all(joins).await;
    let mut view = BTreeMap::new();
    let last = follow_presence(&mut chair, "presence of all thirteen", &mut view, |v, _| {
        online(v) == everyone
    })
    .await;
    assert_eq!(last["counts"]["members"], 13, "{last}");
    assert_eq!(last["counts"]["online"], 13, "{last}");
    assert_eq!(last["counts"]["roles"]["delegate"]["online"], 12, "{last}");
    assert_eq!(
        last["counts"]["stakeholders"]["government"]["members"], 12,
        "{last}"
    );
    // Each delegate's own view ends at thirteen online too: the room_state
    // of its join, then the presence frames after it.
    for c in d.iter_mut() {
        c.wait_for("thirteen online", |v| {
            (v["type"] == "presence" || v["type"] == "room_state") && v["counts"]["online"] == 13
        })
        .await;
    }
}

/// A second connection of someone already present changes nobody's view,
/// so it is not news; the last one going is.
#[tokio::test]
async fn a_second_connection_is_not_news_but_the_last_one_leaving_is() {
    let (server, mut chair, _) = session(0).await;
    chair.join("debate").await;
    let (a, token) = server.add("Amina", "Morocco", "government", "delegate");
    let mut first = server.login(&token).await;
    first.join("debate").await;
    let mut view = BTreeMap::new();
    follow_presence(&mut chair, "Amina online", &mut view, |v, _| {
        v.get(&a).map(String::as_str) == Some("online")
    })
    .await;
    chair.clear();

    let mut again = server.login(&token).await;
    again.join("debate").await;
    first.close().await;
    // Something that changes the room: every frame the chair gets up to
    // its room_state is about it, none about Amina's connections.
    chair
        .ok(json!({"type": "set_time_limit", "room": "debate", "seconds": 120}))
        .await;
    let state = chair
        .wait_for("the next room_state", |v| v["type"] == "room_state")
        .await;
    assert_eq!(state["time_limit"], 120, "{state}");
    assert_eq!(state["counts"]["online"], 2, "{state}");
    assert!(
        chair.backlog.iter().all(|f| f["type"] != "presence"),
        "a second connection, or the first of two closing, is not news: {:?}",
        chair.backlog
    );
    chair.clear();

    // The last one goes: the chair is told, without anyone doing anything.
    again.close().await;
    let frame = follow_presence(&mut chair, "Amina offline", &mut view, |v, _| {
        v.get(&a).map(String::as_str) == Some("offline")
    })
    .await;
    assert_eq!(frame["counts"]["members"], 2, "still a member: {frame}");
    assert_eq!(frame["counts"]["online"], 1, "{frame}");
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
    let mut view = BTreeMap::new();
    follow_presence(&mut chair, "Amina a member", &mut view, |v, _| {
        v.contains_key(&a)
    })
    .await;
    amina.ok(json!({"type": "leave", "room": "debate"})).await;
    let frame = follow_presence(&mut chair, "Amina gone", &mut view, |v, _| {
        !v.contains_key(&a)
    })
    .await;
    assert_eq!(frame["counts"]["members"], 1, "{frame}");
}

/// A guest is a member only while connected: gone with their connection,
/// and not a member after a restart.
#[tokio::test]
async fn a_guests_membership_ends_with_their_connection() {
    let config = format!("[server]\nallow_guests = true\n{TEST_ROOMS}");
    let (mut server, mut chair, _) = session_with(&config, 0).await;
    chair.join("debate").await;
    let mut guest = server.connect().await;
    guest
        .send(json!({"type": "hello", "protocol": 2, "guest": "Visitor from Nairobi"}))
        .await;
    let welcome = guest.next_frame().await.unwrap();
    let gid = welcome["participant"]["id"].as_str().unwrap().to_string();
    guest.join("debate").await;
    let mut view = BTreeMap::new();
    let frame = follow_presence(&mut chair, "the guest arrives", &mut view, |v, _| {
        v.contains_key(&gid)
    })
    .await;
    let change = frame["changes"]
        .as_array()
        .and_then(|c| c.iter().find(|c| c["who"]["id"] == gid.as_str()))
        .cloned()
        .unwrap();
    assert_eq!(change["who"]["guest"], true, "guests are marked: {change}");
    assert_eq!(frame["counts"]["guests"]["members"], 1, "{frame}");
    guest.close().await;
    let frame = follow_presence(&mut chair, "the guest gone", &mut view, |v, _| {
        !v.contains_key(&gid)
    })
    .await;
    assert_eq!(frame["counts"]["guests"]["members"], 0, "{frame}");
    assert_eq!(frame["counts"]["members"], 1, "{frame}");

    // Registered members survive a restart; guests never were saved.
    let (_, token) = server.add("Amina", "Morocco", "government", "delegate");
    let mut amina = server.login(&token).await;
    amina.join("debate").await;
    drop(amina);
    drop(chair);
    server.restart();
    let mut chair = server.login(&server.chair_token()).await;
    let state = chair.join_state("debate").await;
    assert_eq!(
        state["counts"]["members"], 2,
        "the chair and Amina: {state}"
    );
    assert!(state["counts"]["guests"]["members"].as_u64().unwrap_or(0) == 0);
}

/// A crowd too large to list in one batch is counted, and said to be more.
#[tokio::test]
async fn a_batch_of_more_than_a_hundred_changes_carries_the_counts_only() {
    let config = format!(
        "[server]\nallow_guests = true\n[limits]\nconnections_per_address = 1000\nconnections_per_second = 100000\nconnection_burst = 100000\nguests_per_minute = 100000\n{TEST_ROOMS}"
    );
    let (server, mut chair, _) = session_with(&config, 0).await;
    chair.join("debate").await;
    // Hold the next batch back: one change now goes at once, so the rest
    // wait for the interval together.
    let mut first = server.connect().await;
    first
        .send(json!({"type": "hello", "protocol": 2, "guest": "Early"}))
        .await;
    first.next_frame().await.unwrap();
    first.join("debate").await;
    // Everyone says hello first, then all join at once: the joins land in
    // one interval, so in one batch.
    let hellos = (0..150).map(|i| {
        let server = &server;
        async move {
            let mut g = server.connect().await;
            g.send(json!({"type": "hello", "protocol": 2, "guest": format!("Guest {i}")}))
                .await;
            g.next_frame().await.unwrap();
            g
        }
    });
    let mut guests = futures_util::future::join_all(hellos).await;
    let joins = guests.iter_mut().map(|g| async move {
        g.send(json!({"type": "join", "room": "debate", "id": 1}))
            .await;
    });
    futures_util::future::join_all(joins).await;
    let frame = chair
        .wait_for("a batch with more", |v| {
            v["type"] == "presence" && v["more"] == true
        })
        .await;
    assert_eq!(frame["changes"], json!([]), "{frame}");
    let online = if frame["counts"]["online"] == 152 {
        frame
    } else {
        chair
            .wait_for("everyone counted", |v| {
                v["type"] == "presence" && v["counts"]["online"] == 152
            })
            .await
    };
    assert_eq!(online["counts"]["guests"]["online"], 151, "{online}");
}
