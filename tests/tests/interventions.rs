//! Points of order, right of reply, consensus polls, interpretation.

use dais_e2e::session;
use serde_json::json;

#[tokio::test]
async fn a_point_of_order_is_shown_at_once_and_listed_until_the_chair_rules() {
    let (_server, mut chair, mut d) = session(2).await;
    chair.join("debate").await;
    d[0].join("debate").await;
    d[1].join("debate").await;
    // Whatever the mode, and without the floor.
    let ok = d[0]
        .ok(json!({"type": "point_of_order", "room": "debate", "text": "The speaker exceeds the time"}))
        .await;
    let point = d[1].event("point_of_order").await;
    assert_eq!(point["seq"], ok["seq"]);
    let state = chair
        .state_where("a pending point", |s| {
            s["points_of_order"].as_array().map(Vec::len) == Some(1)
        })
        .await;
    assert_eq!(state["points_of_order"][0]["by"]["id"], d[0].id());
    chair
        .refused(
            json!({"type": "rule", "room": "debate", "point": 9999, "ruling": "?"}),
            "unknown_point",
        )
        .await;
    chair
        .ok(json!({"type": "rule", "room": "debate", "point": ok["seq"], "ruling": "The point is well taken.", "upheld": true}))
        .await;
    let ruling = d[1].event("ruling").await;
    assert_eq!(ruling["point"], ok["seq"]);
    assert_eq!(ruling["upheld"], true);
    assert_eq!(ruling["by"]["role"], "moderator");
    chair
        .state_where("no pending point", |s| {
            s["points_of_order"].as_array().map(Vec::len) == Some(0)
        })
        .await;
}

#[tokio::test]
async fn a_right_of_reply_goes_ahead_of_speeches() {
    let (_server, mut chair, mut d) = session(3).await;
    chair.join("debate").await;
    for c in d.iter_mut() {
        c.join("debate").await;
    }
    chair
        .ok(json!({"type": "grant", "room": "debate", "participant": d[0].id()}))
        .await;
    let said = d[0]
        .ok(json!({"type": "say", "room": "debate", "text": "Delegation D2 has misrepresented us.", "lang": "en"}))
        .await;
    d[0].ok(json!({"type": "yield", "room": "debate"})).await;
    d[2].ok(json!({"type": "request_floor", "room": "debate"}))
        .await;
    d[1].refused(
        json!({"type": "request_reply", "room": "debate", "to": 9999}),
        "unknown_event",
    )
    .await;
    d[1].ok(json!({"type": "request_reply", "room": "debate", "to": said["seq"]}))
        .await;
    let asked = chair.event("reply_requested").await;
    assert_eq!(asked["to"], said["seq"]);
    let next = chair.ok(json!({"type": "next", "room": "debate"})).await;
    let granted = chair
        .wait_for("the grant made by next", |f| {
            f["kind"] == "floor_granted" && f["seq"] == next["seq"]
        })
        .await;
    assert_eq!(granted["to"]["id"], d[1].id());
    assert_eq!(granted["class"], "reply");
    assert_eq!(granted["reply_to"], said["seq"]);
}

#[tokio::test]
async fn a_poll_counts_one_vote_per_delegation_the_latest_one() {
    let (server, mut chair, mut d) = session(1).await;
    // Two delegates of the same delegation.
    let (_, token) = server.add("Second of D1", "D1", "government", "delegate");
    let mut same = server.login(&token).await;
    chair.join("debate").await;
    d[0].join("debate").await;
    same.join("debate").await;
    d[0].refused(
        json!({"type": "vote", "room": "debate", "option": 0}),
        "no_open_poll",
    )
    .await;
    chair
        .ok(json!({"type": "poll_open", "room": "debate", "question": "Adopt the agenda?"}))
        .await;
    let opened = chair.event("poll_opened").await;
    assert_eq!(opened["options"], json!(["support", "object", "abstain"]));
    chair
        .refused(
            json!({"type": "poll_open", "room": "debate", "question": "Another?"}),
            "poll_already_open",
        )
        .await;
    d[0].refused(
        json!({"type": "vote", "room": "debate", "option": 7}),
        "invalid_option",
    )
    .await;
    d[0].ok(json!({"type": "vote", "room": "debate", "option": 1}))
        .await;
    same.ok(json!({"type": "vote", "room": "debate", "option": 0}))
        .await;
    let second = chair
        .wait_for("the replacing vote", |f| {
            f["kind"] == "vote_cast" && f["replaced"] == true
        })
        .await;
    assert_eq!(second["by"]["delegation"], "D1");
    let state = chair
        .state_where("one counted vote", |s| {
            s["poll"]["counts"] == json!([1, 0, 0])
        })
        .await;
    assert_eq!(state["poll"]["voted"], json!(["D1"]));
    chair
        .ok(json!({"type": "poll_close", "room": "debate"}))
        .await;
    let closed = d[0].event("poll_closed").await;
    assert_eq!(closed["counts"], json!([1, 0, 0]));
    assert_eq!(closed["votes"], json!({"D1": 0}));
    chair
        .state_where("no open poll", |s| s["poll"].is_null())
        .await;
}

#[tokio::test]
async fn an_interpretation_is_linked_to_its_message() {
    let (server, mut chair, mut d) = session(2).await;
    let (_, token) = server.add(
        "Interpreter",
        "Secretariat",
        "intergovernmental",
        "interpreter",
    );
    let mut interp = server.login(&token).await;
    chair.join("open").await;
    interp.join("open").await;
    d[0].join("open").await;
    d[1].join("open").await;
    let said = d[0]
        .ok(json!({"type": "say", "room": "open", "text": "我们支持多边治理。", "lang": "zh-CN"}))
        .await;
    interp
        .ok(json!({"type": "interpret", "room": "open", "of": said["seq"], "text": "We support multilateral governance.", "lang": "en"}))
        .await;
    let i = d[1].event("interpretation").await;
    assert_eq!(i["of"], said["seq"]);
    assert_eq!(i["lang"], "en");
    assert_eq!(i["by"]["role"], "interpreter");
    // Another delegate may not put words in the author's mouth; the author may.
    d[1].refused(
        json!({"type": "interpret", "room": "open", "of": said["seq"], "text": "Nous refusons.", "lang": "fr"}),
        "forbidden",
    )
    .await;
    d[0].ok(json!({"type": "interpret", "room": "open", "of": said["seq"], "text": "Nous soutenons la gouvernance multilatérale.", "lang": "fr"}))
        .await;
    let grant = d[0]
        .ok(json!({"type": "request_floor", "room": "open"}))
        .await;
    interp
        .refused(json!({"type": "interpret", "room": "open", "of": grant["seq"], "text": "x", "lang": "en"}), "unknown_event")
        .await;
}
