//! The public web pages over plain HTTP, against the real server: which
//! rooms are public and who decides, the 404 of a closed session, the
//! Content-Security-Policy, the rate limit, no guest's name on a page, the
//! live stream's resume by Last-Event-ID, and the `fairness` request.

use dais_e2e::{http_get, Server};
use serde_json::json;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const ROOMS: &str = r#"
[server]
allow_guests = true
guest_role = "delegate"

[[room]]
id = "plenary"
titles = { en = "Plenary", ar = "الجلسة العامة" }
mode = "open"
public = true

[[room]]
id = "closed-session"
titles = { en = "Closed session" }
mode = "open"
"#;

fn status(answer: &str) -> u16 {
    answer
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

fn header<'a>(answer: &'a str, name: &str) -> Option<&'a str> {
    let head = answer.split("\r\n\r\n").next()?;
    head.lines().find_map(|l| {
        let (k, v) = l.split_once(':')?;
        k.trim().eq_ignore_ascii_case(name).then(|| v.trim())
    })
}

/// Text without the bidi isolation marks that Fluent puts around names.
fn plain(s: &str) -> String {
    s.chars()
        .filter(|c| !matches!(c, '\u{2066}'..='\u{2069}'))
        .collect()
}

#[tokio::test]
async fn public_pages_send_a_csp_and_a_closed_session_answers_404() {
    let server = Server::start_with_config(Some(ROOMS));
    let index = http_get(&server.url, "/").await;
    assert_eq!(status(&index), 200, "{index}");
    assert!(index.contains("/rooms/plenary"), "{index}");
    assert!(!index.contains("closed-session"), "{index}");
    let csp = header(&index, "content-security-policy").expect("a CSP");
    assert!(csp.contains("default-src 'none'") && csp.contains("script-src 'self'"));
    for path in ["/rooms/plenary", "/rooms/plenary/fairness"] {
        let page = http_get(&server.url, path).await;
        assert_eq!(status(&page), 200, "{path}: {page}");
        assert!(header(&page, "content-security-policy").is_some(), "{path}");
    }
    // A private room and a room that does not exist look the same.
    for path in [
        "/rooms/closed-session",
        "/rooms/closed-session/fairness",
        "/rooms/closed-session/events",
        "/rooms/no-such-room",
        "/rooms/no-such-room/events",
    ] {
        let page = http_get(&server.url, path).await;
        assert_eq!(status(&page), 404, "{path}: {page}");
        assert!(header(&page, "content-security-policy").is_some(), "{path}");
    }
    // Arabic, by the switcher or by Accept-Language.
    let ar = http_get(&server.url, "/rooms/plenary?lang=ar").await;
    assert!(ar.contains(r#"<html lang="ar" dir="rtl">"#), "{ar}");
    assert!(ar.contains("الجلسة العامة"), "{ar}");
    let addr = server.url.trim_start_matches("ws://").trim_end_matches('/');
    let mut s = TcpStream::connect(addr).await.expect("connect");
    s.write_all(
        format!("GET /rooms/plenary HTTP/1.1\r\nHost: {addr}\r\nAccept-Language: ar-EG,ar;q=0.9,en;q=0.5\r\nConnection: close\r\n\r\n").as_bytes(),
    )
    .await
    .expect("write");
    let mut answer = Vec::new();
    s.read_to_end(&mut answer).await.expect("read");
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.contains(r#"<html lang="ar" dir="rtl">"#), "{answer}");
    assert_eq!(header(&answer, "vary"), Some("Accept-Language"));
}

#[tokio::test]
async fn a_chair_publishes_and_unpublishes_a_room_and_the_record_says_who() {
    let server = Server::start_with_config(Some(ROOMS));
    let mut chair = server.login(&server.chair_token()).await;
    chair.join("closed-session").await;
    chair
        .ok(json!({"type": "room_publish", "room": "closed-session"}))
        .await;
    let event = chair.event("room_published").await;
    assert_eq!(event["by"]["id"], chair.id());
    assert_eq!(
        status(&http_get(&server.url, "/rooms/closed-session").await),
        200
    );
    let page = plain(&http_get(&server.url, "/rooms/closed-session").await);
    assert!(
        page.contains("Chair opened the record of this room to the public"),
        "{page}"
    );
    chair
        .ok(json!({"type": "room_unpublish", "room": "closed-session"}))
        .await;
    chair.event("room_unpublished").await;
    assert_eq!(
        status(&http_get(&server.url, "/rooms/closed-session").await),
        404
    );
    // A room created public is on the pages from its first event.
    chair
        .ok(json!({"type": "room_create", "room": "forum", "titles": {"en": "Forum"}, "public": true}))
        .await;
    assert_eq!(status(&http_get(&server.url, "/rooms/forum").await), 200);
    chair
        .ok(json!({"type": "room_create", "room": "side", "titles": {"en": "Side"}}))
        .await;
    assert_eq!(status(&http_get(&server.url, "/rooms/side").await), 404);
    // A delegate may not publish.
    let (_, token) = server.add("Delegate", "Chile", "government", "delegate");
    let mut d = server.login(&token).await;
    d.join("closed-session").await;
    d.refused(
        json!({"type": "room_publish", "room": "closed-session"}),
        "forbidden",
    )
    .await;
}

#[tokio::test]
async fn the_default_topic_rooms_are_public() {
    let server = Server::start();
    let index = http_get(&server.url, "/").await;
    for room in ["cyber-security", "connectivity", "shared-governance"] {
        assert!(
            index.contains(&format!("/rooms/{room}?")),
            "{room}: {index}"
        );
    }
}

#[tokio::test]
async fn pages_are_rate_limited_per_address() {
    let config =
        format!("{ROOMS}\n[limits]\npage_requests_per_second = 1\npage_request_burst = 3\n");
    let server = Server::start_with_config(Some(&config));
    let mut statuses = Vec::new();
    for _ in 0..5 {
        statuses.push(status(&http_get(&server.url, "/rooms/plenary").await));
    }
    assert_eq!(&statuses[..3], &[200, 200, 200], "{statuses:?}");
    assert!(statuses[3..].contains(&429), "{statuses:?}");
    let refused = http_get(&server.url, "/").await;
    assert_eq!(status(&refused), 429);
    assert_eq!(header(&refused, "retry-after"), Some("1"));
    // The websocket is not a page: the chair still gets in.
    let _chair = server.login(&server.chair_token()).await;
}

#[tokio::test]
async fn a_guests_name_and_a_token_never_reach_a_page() {
    let server = Server::start_with_config(Some(ROOMS));
    let mut guest = server.connect().await;
    guest
        .send(json!({"type": "hello", "protocol": 2, "guest": "Visitor Nairobi"}))
        .await;
    let welcome = guest.next_frame().await.expect("welcome");
    let guest_token = welcome["guest_token"]
        .as_str()
        .expect("a guest token")
        .to_string();
    guest.join("plenary").await;
    guest
        .ok(json!({"type": "say", "room": "plenary", "text": "Hello <b>all</b>", "lang": "en"}))
        .await;
    let chair_token = server.chair_token();
    for path in ["/rooms/plenary", "/rooms/plenary/fairness"] {
        let page = plain(&http_get(&server.url, path).await);
        assert!(!page.contains("Visitor Nairobi"), "{path}: {page}");
        assert!(!page.contains(&guest_token) && !page.contains(&chair_token));
        assert!(
            !page.contains("daisg_") && !page.contains("dais_"),
            "{path}"
        );
        assert!(
            page.contains("A guest") || page.contains("a guest"),
            "{path}: {page}"
        );
    }
    let page = http_get(&server.url, "/rooms/plenary").await;
    assert!(page.contains("Hello &lt;b&gt;all&lt;/b&gt;"), "{page}");
}

/// Open a live stream and read until `want` SSE messages with an id came.
async fn stream(
    url: &str,
    path: &str,
    last_event_id: Option<u64>,
    want: usize,
) -> Vec<(u64, String, String)> {
    let addr = url.trim_start_matches("ws://").trim_end_matches('/');
    let mut s = TcpStream::connect(addr).await.expect("connect");
    let resume = last_event_id
        .map(|id| format!("Last-Event-ID: {id}\r\n"))
        .unwrap_or_default();
    let request =
        format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n{resume}\r\n");
    s.write_all(request.as_bytes()).await.expect("write");
    let mut got = Vec::new();
    let mut buf = Vec::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    while got.len() < want {
        let mut chunk = [0u8; 8192];
        let n = tokio::time::timeout_at(deadline, s.read(&mut chunk))
            .await
            .expect("events in time")
            .expect("read");
        assert!(n > 0, "the stream ended early");
        buf.extend_from_slice(&chunk[..n]);
        let text = String::from_utf8_lossy(&buf).to_string();
        got = text
            .split("\n\n")
            .filter_map(|m| {
                let mut id = None;
                let mut kind = String::new();
                let mut data = String::new();
                for line in m.lines() {
                    // Chunked encoding puts sizes between the messages.
                    if let Some(v) = line.strip_prefix("id: ") {
                        id = v.trim().parse().ok();
                    } else if let Some(v) = line.strip_prefix("event: ") {
                        kind = v.to_string();
                    } else if let Some(v) = line.strip_prefix("data: ") {
                        data = v.to_string();
                    }
                }
                Some((id?, kind, data))
            })
            .collect();
    }
    got
}

#[tokio::test]
async fn the_live_stream_resumes_after_last_event_id_without_gap_or_duplicate() {
    let server = Server::start_with_config(Some(ROOMS));
    let mut chair = server.login(&server.chair_token()).await;
    chair.join("plenary").await;
    let mut last = 0;
    for i in 0..5 {
        last = chair
            .ok(json!({"type": "say", "room": "plenary", "text": format!("statement {i}"), "lang": "en"}))
            .await["seq"]
            .as_u64()
            .unwrap();
    }
    // From the start, then from the middle as a reconnecting browser would.
    let all = stream(
        &server.url,
        "/rooms/plenary/events?since=0",
        None,
        last as usize,
    )
    .await;
    let ids: Vec<u64> = all.iter().map(|(id, _, _)| *id).collect();
    assert_eq!(ids, (1..=last).collect::<Vec<_>>());
    let resumed = stream(
        &server.url,
        "/rooms/plenary/events?since=0",
        Some(last - 2),
        2,
    )
    .await;
    let ids: Vec<u64> = resumed.iter().map(|(id, _, _)| *id).collect();
    assert_eq!(ids, vec![last - 1, last]);
    assert!(resumed[1].2.contains("statement 4"), "{resumed:?}");
    // And live: a new statement arrives on an open stream.
    let url = server.url.clone();
    let live =
        tokio::spawn(async move { stream(&url, "/rooms/plenary/events", Some(last), 1).await });
    tokio::time::sleep(Duration::from_millis(300)).await;
    let next = chair
        .ok(json!({"type": "say", "room": "plenary", "text": "live statement", "lang": "en"}))
        .await["seq"]
        .as_u64()
        .unwrap();
    let got = live.await.unwrap();
    assert_eq!(got[0].0, next);
    assert_eq!(got[0].1, "record");
    assert!(got[0].2.contains("live statement"));
}

#[tokio::test]
async fn members_ask_for_the_fairness_figures_with_a_window() {
    let server = Server::start_with_config(Some(dais_e2e::TEST_ROOMS));
    let mut chair = server.login(&server.chair_token()).await;
    let (_, t1) = server.add("Ana", "Chile", "government", "delegate");
    let (_, t2) = server.add("Ben", "ISOC", "technical_community", "delegate");
    let mut a = server.login(&t1).await;
    let mut b = server.login(&t2).await;
    for c in [&mut chair, &mut a, &mut b] {
        c.join("debate").await;
    }
    a.ok(json!({"type": "request_floor", "room": "debate"}))
        .await;
    chair.ok(json!({"type": "next", "room": "debate"})).await;
    tokio::time::sleep(Duration::from_millis(50)).await;
    a.ok(json!({"type": "yield", "room": "debate"})).await;
    let f = b
        .ok_frame(json!({"type": "fairness", "room": "debate"}))
        .await;
    assert_eq!(f["type"], "fairness");
    assert_eq!(f["room"], "debate");
    assert_eq!(f["turns"], 1);
    assert_eq!(f["delegations_present"], 2, "{f}");
    assert_eq!(f["requests"]["served"], 1);
    let groups: Vec<&str> = f["stakeholders"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["stakeholder"].as_str().unwrap())
        .collect();
    assert_eq!(groups, ["government", "technical_community"]);
    // A window before anything happened.
    let empty = b
        .ok_frame(json!({"type": "fairness", "room": "debate", "from": 0, "to": 1}))
        .await;
    assert_eq!(empty["turns"], 0);
    b.refused(
        json!({"type": "fairness", "room": "debate", "from": 10, "to": 5}),
        "invalid_field",
    )
    .await;
    b.refused(json!({"type": "fairness", "room": "fair"}), "not_joined")
        .await;
}
