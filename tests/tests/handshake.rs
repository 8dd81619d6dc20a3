//! The handshake: hello, tokens, guests, protocol versions, liveness.

use dais_e2e::{Server, WAIT};
use serde_json::json;

#[tokio::test]
async fn welcome_carries_identity_and_the_six_topic_rooms() {
    let server = Server::start();
    let mut chair = server.connect().await;
    let welcome = chair.hello(&server.chair_token()).await;
    assert_eq!(welcome["type"], "welcome");
    assert_eq!(welcome["protocol"], 2);
    assert_eq!(welcome["participant"]["role"], "moderator");
    let rooms = welcome["rooms"].as_array().expect("rooms");
    let ids: Vec<&str> = rooms.iter().filter_map(|r| r["id"].as_str()).collect();
    for id in [
        "shared-governance",
        "dialogue-consultation",
        "multistakeholder",
        "cyber-sovereignty",
        "cyber-security",
        "connectivity",
    ] {
        assert!(ids.contains(&id), "missing room {id} in {ids:?}");
    }
    // One title per room, in the reader's language (the chair's is English).
    let security = rooms.iter().find(|r| r["id"] == "cyber-security").unwrap();
    assert_eq!(security["title"], "Cyber security");
    assert!(security.get("titles").is_none(), "{security}");
    assert_eq!(security["mode"], "speakers_list");
    // The list again, in another language.
    for (lang, title) in [("zh-CN", "网络安全"), ("ar", "الأمن السيبراني")] {
        let list = chair.ok_frame(json!({"type": "rooms", "lang": lang})).await;
        assert_eq!(list["type"], "rooms");
        let room = list["rooms"]
            .as_array()
            .and_then(|r| r.iter().find(|r| r["id"] == "cyber-security"))
            .cloned()
            .expect("the room");
        assert_eq!(room["title"], title);
    }
}

#[tokio::test]
async fn hello_names_the_language_of_the_room_list() {
    let server = Server::start();
    let mut c = server.connect().await;
    c.send(json!({"type": "hello", "protocol": 2, "token": server.chair_token(), "lang": "fr"}))
        .await;
    let welcome = c.next_frame().await.unwrap();
    let security = welcome["rooms"]
        .as_array()
        .and_then(|r| r.iter().find(|r| r["id"] == "cyber-security"))
        .cloned()
        .expect("the room");
    assert_eq!(security["title"], "Cybersécurité");
}

#[tokio::test]
async fn a_protocol_1_client_is_told_to_upgrade() {
    let server = Server::start();
    let mut c = server.connect().await;
    c.send(json!({"type": "hello", "protocol": 1, "token": server.chair_token()}))
        .await;
    let reply = c.next_frame().await.unwrap();
    assert_eq!(reply["code"], "unsupported_protocol");
    assert_eq!(reply["details"]["supported"], json!([2]));
}

#[tokio::test]
async fn a_request_before_hello_is_unauthenticated_and_the_connection_survives() {
    let server = Server::start();
    let mut c = server.connect().await;
    c.send(json!({"type": "join", "room": "cyber-security", "id": 1}))
        .await;
    let reply = c.next_frame().await.unwrap();
    assert_eq!(reply["code"], "unauthenticated");
    assert_eq!(reply["id"], 1);
    let welcome = c.hello(&server.chair_token()).await;
    assert_eq!(welcome["type"], "welcome");
}

#[tokio::test]
async fn a_bad_token_is_refused() {
    let server = Server::start();
    let mut c = server.connect().await;
    let reply = c.hello("dais_0000").await;
    assert_eq!(reply["type"], "error");
    assert_eq!(reply["code"], "invalid_token");
}

#[tokio::test]
async fn an_unknown_protocol_version_lists_the_supported_ones() {
    let server = Server::start();
    let mut c = server.connect().await;
    c.send(json!({"type": "hello", "protocol": 99, "token": server.chair_token()}))
        .await;
    let reply = c.next_frame().await.unwrap();
    assert_eq!(reply["code"], "unsupported_protocol");
    assert_eq!(reply["details"]["supported"], json!([2]));
}

#[tokio::test]
async fn a_second_hello_is_refused() {
    let server = Server::start();
    let mut c = server.login(&server.chair_token()).await;
    c.refused(
        json!({"type": "hello", "protocol": 2, "token": server.chair_token()}),
        "already_authenticated",
    )
    .await;
}

#[tokio::test]
async fn a_revoked_token_loses_its_connections_and_cannot_log_in() {
    let server = Server::start();
    let (id, token) = server.add(
        "Lena Petrova",
        "Russian Federation",
        "government",
        "delegate",
    );
    let mut live = server.login(&token).await;
    live.join("cyber-security").await;
    server.cli(&["participant", "revoke", &id]);
    let (code, reason) = live.wait_closed().await;
    assert_eq!((code, reason.as_str()), (1008, "token_revoked"));
    let mut again = server.connect().await;
    let reply = again.hello(&token).await;
    assert_eq!(
        reply["code"], "invalid_token",
        "a revoked token reads as invalid"
    );
}

#[tokio::test]
async fn no_hello_in_time_closes_the_connection() {
    let server = Server::start_with_config(Some("[limits]\nhello_timeout_secs = 1\n"));
    let mut c = server.connect().await;
    let (code, reason) = c.wait_closed().await;
    assert_eq!((code, reason.as_str()), (1008, "hello_timeout"));
}

#[tokio::test]
async fn a_peer_that_stops_answering_pings_is_dropped() {
    let server = Server::start_with_config(Some(
        "[limits]\nping_interval_secs = 1\nidle_timeout_secs = 2\n",
    ));
    let mut c = server.login(&server.chair_token()).await;
    // Not reading means not answering pings: like a laptop that went to sleep.
    tokio::time::sleep(std::time::Duration::from_secs(4)).await;
    let (code, reason) = c.wait_closed().await;
    assert_eq!((code, reason.as_str()), (1001, "ping_timeout"));
}

#[tokio::test]
async fn a_reading_client_is_kept_alive_by_pings() {
    let server = Server::start_with_config(Some(
        "[limits]\nping_interval_secs = 1\nidle_timeout_secs = 2\n",
    ));
    let mut c = server.login(&server.chair_token()).await;
    c.join("cyber-security").await;
    // Keep reading (so pongs go back) across several idle timeouts.
    let until = tokio::time::Instant::now() + std::time::Duration::from_secs(5);
    while tokio::time::Instant::now() < until {
        let _ = tokio::time::timeout(std::time::Duration::from_millis(200), c.next_frame()).await;
        assert!(c.closed.is_none(), "closed: {:?}", c.closed);
    }
    c.ok(json!({"type": "announce", "room": "cyber-security", "text": "still here"}))
        .await;
}

#[tokio::test]
async fn guests_are_refused_unless_the_config_admits_them() {
    let server = Server::start();
    let mut c = server.connect().await;
    c.send(json!({"type": "hello", "protocol": 2, "guest": "Visitor"}))
        .await;
    assert_eq!(c.next_frame().await.unwrap()["code"], "guests_not_allowed");

    let server = Server::start_with_config(Some("[server]\nallow_guests = true\n"));
    let mut g = server.connect().await;
    g.send(json!({"type": "hello", "protocol": 2, "guest": "Visitor"}))
        .await;
    let welcome = g.next_frame().await.unwrap();
    assert_eq!(welcome["type"], "welcome");
    assert_eq!(welcome["participant"]["role"], "observer");
    assert_eq!(welcome["participant"]["guest"], true);
    g.join("cyber-security").await;
    g.refused(
        json!({"type": "request_floor", "room": "cyber-security"}),
        "forbidden",
    )
    .await;
}

#[tokio::test]
async fn healthz_answers_over_plain_http() {
    let server = Server::start();
    let addr = server.url.trim_start_matches("ws://").to_string();
    let mut stream = tokio::net::TcpStream::connect(&addr).await.unwrap();
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut body = String::new();
    tokio::time::timeout(WAIT, stream.read_to_string(&mut body))
        .await
        .unwrap()
        .unwrap();
    assert!(body.starts_with("HTTP/1.1 200"), "{body}");
    assert!(body.ends_with("ok\n"), "{body}");
}

#[tokio::test]
async fn metrics_count_connections_and_events() {
    let server = Server::start();
    let mut chair = server.login(&server.chair_token()).await;
    chair.join("cyber-security").await;
    chair
        .ok(json!({"type": "announce", "room": "cyber-security", "text": "Counted"}))
        .await;
    let addr = server.url.trim_start_matches("ws://").to_string();
    let mut stream = tokio::net::TcpStream::connect(&addr).await.unwrap();
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    stream
        .write_all(b"GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut body = String::new();
    tokio::time::timeout(WAIT, stream.read_to_string(&mut body))
        .await
        .unwrap()
        .unwrap();
    let value = |name: &str| -> f64 {
        body.lines()
            .find_map(|l| l.strip_prefix(&format!("{name} ")))
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or_else(|| panic!("{name} missing from:\n{body}"))
    };
    assert_eq!(value("dais_connections"), 1.0);
    assert_eq!(value("dais_rooms"), 6.0);
    assert!(value("dais_events_total") >= 1.0);
    assert!(value("dais_deliveries_total") >= 1.0);
    assert!(value("dais_store_commits_total") >= 1.0);
    assert!(value("dais_store_commit_seconds_count") >= 1.0);
}
