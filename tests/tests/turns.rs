//! The speakers' list and the modes: who may speak, and in which order.

use dais_e2e::{holder, queue, session, TEST_ROOMS};
use serde_json::json;
use std::time::Duration;

#[tokio::test]
async fn delegate_without_floor_cannot_speak() {
    let (_server, _chair, mut d) = session(1).await;
    d[0].join("debate").await;
    d[0].refused(
        json!({"type": "say", "room": "debate", "text": "Hello", "lang": "en"}),
        "not_your_turn",
    )
    .await;
}

#[tokio::test]
async fn delegate_sending_moderator_commands_is_forbidden() {
    let (_server, _chair, mut d) = session(1).await;
    d[0].join("debate").await;
    let me = d[0].id();
    for request in [
        json!({"type": "next", "room": "debate"}),
        json!({"type": "grant", "room": "debate", "participant": me}),
        json!({"type": "revoke", "room": "debate"}),
        json!({"type": "set_mode", "room": "debate", "mode": "open"}),
        json!({"type": "set_time_limit", "room": "debate", "seconds": 10}),
        json!({"type": "clear_queue", "room": "debate"}),
        json!({"type": "poll_open", "room": "debate", "question": "Agree?"}),
        json!({"type": "announce", "room": "debate", "text": "I am the chair now"}),
        json!({"type": "room_lock", "room": "debate"}),
        json!({"type": "room_create", "room": "mine", "titles": {"en": "Mine"}}),
    ] {
        d[0].refused(request, "forbidden").await;
    }
}

#[tokio::test]
async fn the_floor_holder_speaks_and_everyone_hears_it() {
    let (_server, mut chair, mut d) = session(2).await;
    chair.join("debate").await;
    d[0].join("debate").await;
    d[1].join("debate").await;
    d[0].ok(json!({"type": "request_floor", "room": "debate"}))
        .await;
    chair.ok(json!({"type": "next", "room": "debate"})).await;
    let granted = d[1].event("floor_granted").await;
    assert_eq!(granted["to"]["id"], d[0].id());
    assert_eq!(granted["by"]["role"], "moderator");
    let ok = d[0]
        .ok(json!({"type": "say", "room": "debate", "text": "Distinguished chair, 网络安全 matters.", "lang": "en"}))
        .await;
    let speech = d[1].event("speech").await;
    assert_eq!(speech["seq"], ok["seq"], "the ok carries the event's seq");
    assert_eq!(
        speech["by"]["id"],
        d[0].id(),
        "identity comes from the connection"
    );
    assert_eq!(speech["by"]["delegation"], "D1");
    assert_eq!(speech["text"], "Distinguished chair, 网络安全 matters.");
    assert!(speech["ts"].as_i64().unwrap() > 0);
    // The chair may always speak; the other delegate may not.
    chair
        .ok(json!({"type": "say", "room": "debate", "text": "Thank you.", "lang": "en"}))
        .await;
    d[1].refused(
        json!({"type": "say", "room": "debate", "text": "Me too", "lang": "en"}),
        "not_your_turn",
    )
    .await;
}

#[tokio::test]
async fn open_mode_lets_all_but_observers_speak_and_suspended_only_the_chair() {
    let (server, mut chair, mut d) = session(1).await;
    let (_, obs_token) = server.add("Watcher", "Press", "civil_society", "observer");
    let mut observer = server.login(&obs_token).await;
    for c in [&mut chair, &mut d[0], &mut observer] {
        c.join("open").await;
    }
    d[0].ok(json!({"type": "say", "room": "open", "text": "Anyone may speak here", "lang": "en"}))
        .await;
    observer
        .refused(
            json!({"type": "say", "room": "open", "text": "Me?", "lang": "en"}),
            "forbidden",
        )
        .await;
    chair
        .ok(json!({"type": "set_mode", "room": "open", "mode": "suspended"}))
        .await;
    d[0].refused(
        json!({"type": "say", "room": "open", "text": "And now?", "lang": "en"}),
        "not_your_turn",
    )
    .await;
    chair.ok(json!({"type": "say", "room": "open", "text": "The meeting is suspended.", "lang": "en"})).await;
}

#[tokio::test]
async fn observers_cannot_queue_vote_reply_or_raise_points_of_order() {
    let (server, mut chair, _d) = session(0).await;
    let (_, obs_token) = server.add("Watcher", "Press", "civil_society", "observer");
    let mut observer = server.login(&obs_token).await;
    chair.join("debate").await;
    observer.join("debate").await;
    let said = chair
        .ok(json!({"type": "say", "room": "debate", "text": "Opening", "lang": "en"}))
        .await;
    chair
        .ok(json!({"type": "poll_open", "room": "debate", "question": "Adopt?"}))
        .await;
    observer
        .refused(
            json!({"type": "request_floor", "room": "debate"}),
            "forbidden",
        )
        .await;
    observer
        .refused(
            json!({"type": "point_of_order", "room": "debate"}),
            "forbidden",
        )
        .await;
    observer
        .refused(
            json!({"type": "vote", "room": "debate", "option": 0}),
            "forbidden",
        )
        .await;
    observer
        .refused(
            json!({"type": "request_reply", "room": "debate", "to": said["seq"]}),
            "forbidden",
        )
        .await;
}

#[tokio::test]
async fn a_second_request_for_the_floor_is_refused_and_withdraw_works() {
    let (_server, _chair, mut d) = session(1).await;
    d[0].join("debate").await;
    d[0].ok(json!({"type": "request_floor", "room": "debate"}))
        .await;
    d[0].refused(
        json!({"type": "request_floor", "room": "debate"}),
        "already_in_queue",
    )
    .await;
    d[0].ok(json!({"type": "withdraw", "room": "debate"})).await;
    d[0].refused(
        json!({"type": "withdraw", "room": "debate"}),
        "not_in_queue",
    )
    .await;
}

#[tokio::test]
async fn fifo_gives_the_floor_in_request_order_with_clarifying_questions_first() {
    let (_server, mut chair, mut d) = session(3).await;
    chair.join("debate").await;
    for c in d.iter_mut() {
        c.join("debate").await;
    }
    d[1].ok(json!({"type": "request_floor", "room": "debate"}))
        .await;
    d[0].ok(json!({"type": "request_floor", "room": "debate"}))
        .await;
    d[2].ok(json!({"type": "request_floor", "room": "debate", "class": "clarifying_question"}))
        .await;
    let expected = vec![d[2].id(), d[1].id(), d[0].id()];
    let state = chair
        .state_where("a queue of three", |s| {
            s["queue"].as_array().map(Vec::len) == Some(3)
        })
        .await;
    assert_eq!(queue(&state), expected);
    for who in expected {
        chair.ok(json!({"type": "next", "room": "debate"})).await;
        let granted = chair.event("floor_granted").await;
        assert_eq!(granted["to"]["id"], who.as_str());
    }
    chair.ok(json!({"type": "next", "room": "debate"})).await;
    chair
        .refused(json!({"type": "next", "room": "debate"}), "queue_empty")
        .await;
}

/// Hold the floor long enough to have measurable speaking time.
async fn speak_a_little(chair: &mut dais_e2e::Client, room: &str, who: &str) {
    chair
        .ok(json!({"type": "grant", "room": room, "participant": who}))
        .await;
    tokio::time::sleep(Duration::from_millis(60)).await;
    chair.ok(json!({"type": "revoke", "room": room})).await;
    let ended = chair.event("turn_ended").await;
    assert!(ended["spoke_ms"].as_i64().unwrap() >= 50, "{ended}");
}

#[tokio::test]
async fn fair_order_puts_who_has_spoken_least_first() {
    let (_server, mut chair, mut d) = session(2).await;
    chair.join("fair").await;
    for c in d.iter_mut() {
        c.join("fair").await;
    }
    let (a, b) = (d[0].id(), d[1].id());
    speak_a_little(&mut chair, "fair", &a).await;
    // A asks first, but B has not spoken yet.
    d[0].ok(json!({"type": "request_floor", "room": "fair"}))
        .await;
    d[1].ok(json!({"type": "request_floor", "room": "fair"}))
        .await;
    let state = chair
        .state_where("two in the queue", |s| queue(s).len() == 2)
        .await;
    assert_eq!(queue(&state), vec![b.clone(), a.clone()]);
    // Per participant, speaking time is no longer in room_state: it is in
    // a `members` page, and in `join`'s ok for oneself.
    assert!(
        state["speaking_time"].get("participants").is_none(),
        "{state}"
    );
    let page = chair
        .ok_frame(json!({"type": "members", "room": "fair", "prefix": "delegate 1"}))
        .await;
    assert_eq!(page["members"][0]["who"]["id"], a.as_str(), "{page}");
    assert!(
        page["members"][0]["speaking_ms"].as_i64().unwrap() >= 50,
        "{page}"
    );
    let joined = d[0].ok(json!({"type": "join", "room": "fair"})).await;
    assert!(
        joined["you"]["speaking_ms"].as_i64().unwrap() >= 50,
        "{joined}"
    );
    assert!(
        state["speaking_time"]["delegations"]["D1"]
            .as_i64()
            .unwrap()
            >= 50
    );
    assert!(
        state["speaking_time"]["stakeholders"]["government"]
            .as_i64()
            .unwrap()
            >= 50
    );
}

#[tokio::test]
async fn balance_stakeholders_prefers_the_group_that_has_spoken_least() {
    let (server, mut chair, mut d) = session(2).await;
    let (_, token) = server.add("Civil Voice", "Access Now", "civil_society", "delegate");
    let mut civil = server.login(&token).await;
    chair.join("balanced").await;
    civil.join("balanced").await;
    for c in d.iter_mut() {
        c.join("balanced").await;
    }
    speak_a_little(&mut chair, "balanced", &d[0].id()).await;
    // A government delegate asks before civil society does.
    d[1].ok(json!({"type": "request_floor", "room": "balanced"}))
        .await;
    civil
        .ok(json!({"type": "request_floor", "room": "balanced"}))
        .await;
    let state = chair
        .state_where("two in the queue", |s| queue(s).len() == 2)
        .await;
    assert_eq!(queue(&state), vec![civil.id(), d[1].id()]);
}

#[tokio::test]
async fn two_chairs_pressing_next_at_once_skip_nobody() {
    let (server, mut chair, mut d) = session(3).await;
    let (_, token) = server.add(
        "Vice Chair",
        "Secretariat",
        "intergovernmental",
        "moderator",
    );
    let mut vice = server.login(&token).await;
    chair.join("debate").await;
    vice.join("debate").await;
    for c in d.iter_mut() {
        c.join("debate").await;
        c.ok(json!({"type": "request_floor", "room": "debate"}))
            .await;
    }
    chair.ok(json!({"type": "next", "room": "debate"})).await;
    let state = chair
        .state_where("d1 holds the floor", |s| holder(s) == Some(d[0].id()))
        .await;
    let turn = state["floor"]["turn"].clone();
    // Both chairs saw the same turn and press next naming it.
    chair
        .ok(json!({"type": "next", "room": "debate", "turn": turn}))
        .await;
    vice.refused(
        json!({"type": "next", "room": "debate", "turn": turn}),
        "stale_turn",
    )
    .await;
    let state = chair
        .state_where("d2 holds the floor", |s| holder(s) == Some(d[1].id()))
        .await;
    assert_eq!(queue(&state), vec![d[2].id()], "nobody was skipped");
}

#[tokio::test]
async fn a_closed_list_refuses_requests_but_not_points_of_order() {
    let (_server, mut chair, mut d) = session(1).await;
    chair.join("debate").await;
    d[0].join("debate").await;
    chair
        .ok(json!({"type": "close_list", "room": "debate", "reason": "time"}))
        .await;
    d[0].refused(
        json!({"type": "request_floor", "room": "debate"}),
        "list_closed",
    )
    .await;
    d[0].ok(json!({"type": "point_of_order", "room": "debate", "text": "The list closed early"}))
        .await;
    chair
        .ok(json!({"type": "open_list", "room": "debate"}))
        .await;
    d[0].ok(json!({"type": "request_floor", "room": "debate"}))
        .await;
}

#[tokio::test]
async fn yielding_to_a_delegate_hands_over_the_remaining_time() {
    let (_server, mut chair, mut d) = session(2).await;
    chair.join("debate").await;
    for c in d.iter_mut() {
        c.join("debate").await;
    }
    let (a, b) = (d[0].id(), d[1].id());
    chair
        .ok(json!({"type": "grant", "room": "debate", "participant": a}))
        .await;
    let first = chair.event("floor_granted").await;
    d[0].ok(json!({"type": "yield", "room": "debate", "to": b}))
        .await;
    let ended = chair.event("turn_ended").await;
    assert_eq!(ended["reason"], "yielded_to");
    let second = chair.event("floor_granted").await;
    assert_eq!(second["to"]["id"], b.as_str());
    let (a_left, b_has) = (
        first["allotted_ms"].as_i64().unwrap(),
        second["allotted_ms"].as_i64().unwrap(),
    );
    assert!(
        b_has <= a_left && b_has > a_left - 10_000,
        "{b_has} of {a_left}"
    );
    d[0].refused(
        json!({"type": "yield", "room": "debate"}),
        "not_floor_holder",
    )
    .await;
    d[1].ok(json!({"type": "yield", "room": "debate"})).await;
    let ended = chair.event("turn_ended").await;
    assert_eq!(ended["reason"], "yielded");
}

#[tokio::test]
async fn the_chair_reorders_and_clears_the_queue_on_the_record() {
    let (_server, mut chair, mut d) = session(3).await;
    chair.join("debate").await;
    for c in d.iter_mut() {
        c.join("debate").await;
        c.ok(json!({"type": "request_floor", "room": "debate"}))
            .await;
    }
    let order = vec![d[2].id(), d[0].id(), d[1].id()];
    chair
        .refused(
            json!({"type": "reorder_queue", "room": "debate", "order": [d[0].id()]}),
            "invalid_order",
        )
        .await;
    chair
        .ok(json!({"type": "reorder_queue", "room": "debate", "order": order, "reason": "regional balance"}))
        .await;
    let ev = chair.event("queue_reordered").await;
    assert_eq!(ev["by"]["role"], "moderator");
    assert_eq!(ev["reason"], "regional balance");
    let state = chair
        .state_where("the new order", |s| queue(s) == order)
        .await;
    assert_eq!(queue(&state), order);
    chair
        .ok(json!({"type": "clear_queue", "room": "debate"}))
        .await;
    chair
        .state_where("an empty queue", |s| queue(s).is_empty())
        .await;
}

#[tokio::test]
async fn mute_and_remove_are_enforced_and_recorded() {
    let (_server, mut chair, mut d) = session(2).await;
    chair.join("open").await;
    d[0].join("open").await;
    d[1].join("open").await;
    let a = d[0].id();
    chair.ok(json!({"type": "mute", "room": "open", "participant": a, "seconds": 600, "reason": "disruption"})).await;
    let muted = d[1].event("muted").await;
    assert_eq!(muted["who"]["id"], a.as_str());
    d[0].refused(
        json!({"type": "say", "room": "open", "text": "Let me speak", "lang": "en"}),
        "muted",
    )
    .await;
    d[0].refused(json!({"type": "point_of_order", "room": "open"}), "muted")
        .await;
    chair
        .ok(json!({"type": "unmute", "room": "open", "participant": a}))
        .await;
    d[0].ok(json!({"type": "say", "room": "open", "text": "Thank you", "lang": "en"}))
        .await;
    let b = d[1].id();
    chair.ok(json!({"type": "remove", "room": "open", "participant": b, "reason": "repeated disruption"})).await;
    let removed = chair.event("removed").await;
    assert_eq!(removed["reason"], "repeated disruption");
    d[1].refused(
        json!({"type": "say", "room": "open", "text": "Still here?", "lang": "en"}),
        "not_joined",
    )
    .await;
    d[1].refused(json!({"type": "join", "room": "open"}), "removed")
        .await;
}

#[tokio::test]
async fn a_locked_room_admits_only_its_members_and_a_closed_one_nobody() {
    let (_server, mut chair, mut d) = session(2).await;
    chair.join("debate").await;
    d[0].join("debate").await;
    chair
        .ok(json!({"type": "room_lock", "room": "debate"}))
        .await;
    d[1].refused(json!({"type": "join", "room": "debate"}), "room_locked")
        .await;
    d[0].join("debate").await;
    chair
        .ok(json!({"type": "room_unlock", "room": "debate"}))
        .await;
    d[1].join("debate").await;
    chair
        .ok(json!({"type": "room_close", "room": "debate"}))
        .await;
    d[1].event("room_closed").await;
    chair
        .refused(json!({"type": "join", "room": "debate"}), "room_closed")
        .await;
}

#[tokio::test]
async fn a_chair_creates_a_room_at_run_time() {
    let (_server, mut chair, mut d) = session(1).await;
    let ok = chair
        .ok(json!({"type": "room_create", "room": "drafting", "titles": {"en": "Drafting group", "fr": "Groupe de rédaction"}, "time_limit": 90}))
        .await;
    assert_eq!(ok["seq"], 1);
    // Everyone is told of the one new room, not sent the whole list again.
    let update = d[0]
        .wait_for("a room update", |f| f["type"] == "room_update")
        .await;
    assert_eq!(update["room"]["id"], "drafting");
    assert_eq!(update["room"]["title"], "Drafting group");
    d[0].join("drafting").await;
    let state = d[0]
        .state_where("the new room", |s| s["room"] == "drafting")
        .await;
    assert_eq!(state["time_limit"], 90);
    chair
        .refused(
            json!({"type": "room_create", "room": "drafting", "titles": {"en": "Again"}}),
            "room_exists",
        )
        .await;
    chair
        .refused(
            json!({"type": "room_create", "room": "Bad Id!", "titles": {"en": "Bad"}}),
            "invalid_room",
        )
        .await;
    // Closing it takes it off everyone's list, by id.
    chair.join("drafting").await;
    chair
        .ok(json!({"type": "room_close", "room": "drafting"}))
        .await;
    let removed = d[0]
        .wait_for("the room removed", |f| f["type"] == "room_removed")
        .await;
    assert_eq!(removed["room"], "drafting");
}

/// Rooms and their titles are capped: a chair cannot make every
/// connection's room list (or welcome) as large as they like.
#[tokio::test]
async fn rooms_and_their_titles_are_capped() {
    let config = format!("[limits]\nmax_rooms = 9\n{}", dais_e2e::TEST_ROOMS);
    let (_server, mut chair, _) = dais_e2e::session_with(&config, 0).await;
    // Seven configured rooms: two more fit.
    for id in ["extra-1", "extra-2"] {
        chair
            .ok(json!({"type": "room_create", "room": id, "titles": {"en": "Extra"}}))
            .await;
    }
    chair
        .refused(
            json!({"type": "room_create", "room": "extra-3", "titles": {"en": "Extra"}}),
            "too_many_rooms",
        )
        .await;
    let long = "t".repeat(201);
    chair
        .refused(
            json!({"type": "room_create", "room": "long", "titles": {"en": long}}),
            "text_too_long",
        )
        .await;
    let many: serde_json::Map<String, serde_json::Value> =
        ["en", "fr", "es", "ru", "zh", "ar", "de", "pt", "it"]
            .iter()
            .map(|l| (l.to_string(), json!("T")))
            .collect();
    chair
        .refused(
            json!({"type": "room_create", "room": "many", "titles": many}),
            "text_too_long",
        )
        .await;
    chair
        .refused(
            json!({"type": "room_create", "room": "rtl", "titles": {"en": "\u{202e}riahC"}}),
            "invalid_text",
        )
        .await;
}

#[tokio::test]
async fn config_rooms_replace_the_default_topics() {
    let server = dais_e2e::Server::start_with_config(Some(TEST_ROOMS));
    let mut c = server.connect().await;
    let welcome = c.hello(&server.chair_token()).await;
    let mut ids: Vec<&str> = welcome["rooms"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["id"].as_str())
        .collect();
    ids.sort_unstable();
    assert_eq!(
        ids,
        [
            "balanced",
            "debate",
            "fair",
            "open",
            "timed",
            "timed-auto",
            "tour"
        ]
    );
}
