//! What one participant, guest or stranger could still do to a room, the
//! record, the files and the logs, after the first round of hardening
//! (docs/SECURITY.md lists each limit with its test here).

use dais_e2e::{http_get, Server, WAIT};
use serde_json::json;
use std::time::Duration;
use tokio_tungstenite::tungstenite::protocol::frame::coding::{Data, OpCode};
use tokio_tungstenite::tungstenite::protocol::frame::Frame;
use tokio_tungstenite::tungstenite::Message;

const OPEN: &str = r#"
[limits]
messages_per_second = 100000
burst = 100000

[[room]]
id = "plenary"
titles = { en = "Plenary" }
mode = "open"
"#;

fn metric(body: &str, name: &str) -> f64 {
    body.lines()
        .find_map(|l| l.strip_prefix(&format!("{name} ")))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or_else(|| panic!("{name} missing from:\n{body}"))
}

/// A room with `n` speeches of 4,000 characters of history.
async fn long_history(server: &Server, n: u64) {
    let mut chair = server.login(&server.chair_token()).await;
    chair.join("plenary").await;
    let text = "x".repeat(4000);
    for chunk in 0..n / 50 {
        for i in 0..50u64 {
            let id = 1000 + chunk * 50 + i;
            chair
                .send(
                    json!({"type": "say", "room": "plenary", "text": text, "lang": "en", "id": id}),
                )
                .await;
        }
        let last = 1000 + chunk * 50 + 49;
        chair
            .wait_for("the chunk's last ok", |f| {
                f["type"] == "ok" && f["id"] == last
            })
            .await;
        chair.clear();
    }
}

/// Joins with `since: 0` from readers that never read: the server's memory
/// stays bounded by the outbox limits, whatever they ask (before, 1.5 GB in
/// 37 s). One replay at a time per connection and room, streamed as the
/// writer drains it.
#[tokio::test]
async fn replays_nobody_reads_cost_bounded_memory() {
    let config = format!("[server]\nallow_guests = true\n{OPEN}");
    let server = Server::start_with_config(Some(&config));
    // About 2 MB.
    long_history(&server, 500).await;
    let before = server.rss_kib();
    let mut sleepers = Vec::new();
    for i in 0..10 {
        let mut g = server.connect().await;
        g.send(json!({"type": "hello", "protocol": 2, "guest": format!("Sleeper {i}")}))
            .await;
        g.next_frame().await.expect("welcome");
        sleepers.push(g);
    }
    // 200 joins each, never reading a byte of the answers.
    for round in 0..200 {
        for g in sleepers.iter_mut() {
            if !g
                .try_send(json!({"type": "join", "room": "plenary", "since": 0, "id": round}))
                .await
            {
                break;
            }
        }
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let after = server.rss_kib();
    // Ten connections can owe at most their byte limit each (4 MiB), plus
    // the frames they share; 2,000 full replays would have been 4 GB.
    let grown = after.saturating_sub(before);
    assert!(
        grown < 80 * 1024,
        "the server grew by {grown} KiB for ten readers that never read"
    );
}

/// A second join of the same room while its replay is still being sent is
/// refused, and the first one completes, in order.
#[tokio::test]
async fn one_replay_at_a_time_per_connection_and_room() {
    let server = Server::start_with_config(Some(OPEN));
    // About 12 MB: more than the sockets' buffers hold, so the first
    // replay cannot finish while the client reads nothing.
    long_history(&server, 3000).await;
    let (_, token) = server.add("Amina", "Morocco", "government", "delegate");
    let mut c = server.login(&token).await;
    c.send(json!({"type": "join", "room": "plenary", "since": 0, "id": 1}))
        .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    c.send(json!({"type": "join", "room": "plenary", "since": 0, "id": 2}))
        .await;
    let second = c
        .wait_for("the second join's answer", |f| f["id"] == 2)
        .await;
    assert_eq!(second["code"], "replay_in_progress", "{second}");
    let first = c.wait_for("the first join's ok", |f| f["id"] == 1).await;
    assert_eq!(first["type"], "ok");
    let seqs = dais_e2e::seqs(&c.backlog.iter().cloned().collect::<Vec<_>>(), "plenary");
    assert_eq!(seqs, (1..=3000).collect::<Vec<u64>>());
}

/// 300 points of order of 4,000 characters made room_state 4.8 MB. Now a
/// delegate may have one pending, the room twenty, each shown cut short.
#[tokio::test]
async fn points_of_order_cannot_swell_room_state() {
    let config = OPEN.replace("mode = \"open\"", "mode = \"speakers_list\"");
    let server = Server::start_with_config(Some(&config));
    let mut chair = server.login(&server.chair_token()).await;
    chair.join("plenary").await;
    let (_, token) = server.add("Amina", "Morocco", "government", "delegate");
    let mut a = server.login(&token).await;
    a.join("plenary").await;
    let long = "p".repeat(4000);
    a.ok(json!({"type": "point_of_order", "room": "plenary", "text": long}))
        .await;
    for _ in 0..5 {
        a.refused(
            json!({"type": "point_of_order", "room": "plenary", "text": long}),
            "too_many_points",
        )
        .await;
    }
    let state = chair
        .state_where("the point listed", |s| {
            s["points_of_order"]
                .as_array()
                .is_some_and(|p| p.len() == 1)
        })
        .await;
    let point = &state["points_of_order"][0];
    assert_eq!(point["truncated"], true);
    assert_eq!(point["text"].as_str().unwrap().chars().count(), 200);
    assert!(
        state.to_string().len() < 4000,
        "{}",
        state.to_string().len()
    );
    let ruling = chair
        .ok(json!({"type": "rule", "room": "plenary", "all": true, "ruling": "Noted"}))
        .await;
    assert!(ruling["seq"].as_u64().is_some());
    a.ok(json!({"type": "point_of_order", "room": "plenary", "text": "Again"}))
        .await;
}

/// Pings before hello were free: two connections that never said hello
/// kept the server at 193 % CPU. Every frame counts now.
#[tokio::test]
async fn a_ping_flood_is_a_flood() {
    let server = Server::start();
    let mut c = server.connect().await;
    let mut sent = 0;
    let closed = tokio::time::timeout(WAIT, async {
        loop {
            if c.try_send_raw(Message::Ping(vec![0u8; 8].into())).await {
                sent += 1;
            } else {
                break;
            }
            if sent % 50 == 0 && c.closed_now().await {
                break;
            }
        }
    })
    .await;
    assert!(closed.is_ok(), "never closed after {sent} pings");
    let (code, reason) = c.wait_closed().await;
    assert_eq!(
        (code, reason.as_str()),
        (1008, "flood"),
        "after {sent} pings"
    );
}

/// One message of a million empty fragments was accepted. Now a message
/// may have 64.
#[tokio::test]
async fn a_message_in_too_many_fragments_closes_the_connection() {
    let server = Server::start();
    let mut c = server.login(&server.chair_token()).await;
    let first = Frame::message(Vec::<u8>::new(), OpCode::Data(Data::Text), false);
    c.send_raw(Message::Frame(first)).await;
    for _ in 0..100 {
        let more = Frame::message(Vec::<u8>::new(), OpCode::Data(Data::Continue), false);
        if !c.try_send_raw(Message::Frame(more)).await {
            break;
        }
    }
    let (code, reason) = c.wait_closed().await;
    assert_eq!((code, reason.as_str()), (1008, "too_many_fragments"));
}

/// Text that is not UTF-8 closes with 1007, as RFC 6455 says (it was 1000).
#[tokio::test]
async fn invalid_utf8_closes_with_1007() {
    let server = Server::start();
    let mut c = server.login(&server.chair_token()).await;
    let bad = Frame::message(vec![b'{', 0xff, 0xfe, b'}'], OpCode::Data(Data::Text), true);
    c.send_raw(Message::Frame(bad)).await;
    let (code, reason) = c.wait_closed().await;
    assert_eq!((code, reason.as_str()), (1007, "invalid_utf8"));
}

/// The same key twice is refused, as an unknown one is: otherwise the last
/// one silently wins.
#[tokio::test]
async fn a_key_given_twice_is_refused() {
    let server = Server::start_with_config(Some(OPEN));
    let mut c = server.login(&server.chair_token()).await;
    c.join("plenary").await;
    c.send_text(
        r#"{"type":"say","room":"plenary","text":"Hello","lang":"en","text":"Something else"}"#
            .to_string(),
    )
    .await;
    let reply = c.wait_for("an error", |f| f["type"] == "error").await;
    assert_eq!(reply["code"], "duplicate_field");
    assert_eq!(reply["details"]["field"], "text");
}

/// Overrides, escapes and open isolates are refused in what people write;
/// balanced isolates (a Latin name in Arabic text) are fine.
#[tokio::test]
async fn texts_with_overrides_or_escapes_are_refused() {
    let server = Server::start_with_config(Some(OPEN));
    let mut c = server.login(&server.chair_token()).await;
    c.join("plenary").await;
    for bad in [
        "\u{202e}riahC eht morf",
        "clear \u{1b}[2J",
        "open \u{2067}isolate",
    ] {
        c.refused(
            json!({"type": "say", "room": "plenary", "text": bad, "lang": "en"}),
            "invalid_text",
        )
        .await;
    }
    c.ok(json!({"type": "say", "room": "plenary", "text": "شكرا للسيد \u{2068}Kenya\u{2069}", "lang": "ar"}))
        .await;
    c.refused(
        json!({"type": "mute", "room": "plenary", "participant": "p-x", "reason": "\u{202e}x"}),
        "invalid_text",
    )
    .await;
}

/// A wrong token costs the server an indexed lookup; 11,000 guesses a
/// second went unseen. Now they are counted, logged without the token, and
/// slowed per address, while a good token still gets in.
#[tokio::test]
async fn failed_logins_are_counted_logged_and_slowed() {
    let server = Server::start_with_config(Some(
        "[limits]\nfailed_logins_per_minute = 5\nconnections_per_second = 1000\nconnection_burst = 1000\n",
    ));
    let guess = format!("dais_{}", "7".repeat(64));
    for _ in 0..5 {
        let mut c = server.connect().await;
        assert_eq!(c.hello(&guess).await["code"], "invalid_token");
    }
    // Over the budget: the answer comes late, and says so.
    let mut c = server.connect().await;
    let started = std::time::Instant::now();
    assert_eq!(c.hello(&guess).await["code"], "login_throttled");
    assert!(started.elapsed() >= Duration::from_millis(900));
    // A delegate behind the same address is not shut out.
    let mut chair = server.connect().await;
    assert_eq!(chair.hello(&server.chair_token()).await["type"], "welcome");
    let metrics = http_get(&server.url, "/metrics").await;
    assert_eq!(metric(&metrics, "dais_failed_logins_total"), 6.0);
    assert_eq!(metric(&metrics, "dais_logins_throttled_total"), 1.0);
    let log = server.log_lines().join("\n");
    assert!(
        log.contains("hello with an unknown, revoked or expired token"),
        "{log}"
    );
    assert!(!log.contains(&guess[..20]), "a token in the log");
}

/// Nothing that identifies a person, and no speech, reaches the log, even
/// at trace: tokens (good, revoked, guessed), guest credentials, speeches.
#[tokio::test]
async fn tokens_and_speeches_never_reach_the_log_even_at_trace() {
    let config = format!("[server]\nallow_guests = true\n{OPEN}");
    let server = Server::start_with_env(Some(&config), &[], &[("RUST_LOG", "trace")]);
    let (revoked_id, revoked) = server.add("Former", "Gone", "government", "delegate");
    server.cli(&["participant", "revoke", &revoked_id]);
    let guessed = format!("dais_{}", "5".repeat(64));
    let mut chair = server.login(&server.chair_token()).await;
    chair.join("plenary").await;
    let marker = "Speech-marker-0f3a9c Uruguay supports the proposal";
    chair
        .ok(json!({"type": "say", "room": "plenary", "text": marker, "lang": "en"}))
        .await;
    for bad in [&revoked, &guessed] {
        let mut c = server.connect().await;
        assert_eq!(c.hello(bad).await["type"], "error");
    }
    let mut g = server.connect().await;
    g.send(json!({"type": "hello", "protocol": 2, "guest": "Visitor"}))
        .await;
    let welcome = g.next_frame().await.unwrap();
    let credential = welcome["guest_token"].as_str().unwrap().to_string();
    let mut back = server.connect().await;
    assert_eq!(back.hello(&credential).await["type"], "welcome");
    drop((chair, g, back));
    tokio::time::sleep(Duration::from_millis(300)).await;
    let log = server.log_lines().join("\n");
    // Debug and trace lines are there (the authentications), just no secret.
    assert!(log.contains("authenticated"), "trace is on:\n{log}");
    for secret in [
        server.chair_token(),
        revoked.clone(),
        guessed.clone(),
        credential.clone(),
    ] {
        // Any sizable piece of a secret would be a leak.
        let piece = &secret[secret.len() - 24..];
        assert!(!log.contains(piece), "a token piece {piece} is in the log");
    }
    assert!(
        !log.contains("Speech-marker-0f3a9c"),
        "a speech is in the log"
    );
}

/// A chair cannot act on another chair; a config that would make every
/// guest a chair is refused at start.
#[tokio::test]
async fn chairs_cannot_remove_chairs_and_guests_cannot_be_chairs() {
    let server = Server::start_with_config(Some(OPEN));
    let (_, vice) = server.add("Vice Chair", "UN", "intergovernmental", "moderator");
    let mut chair = server.login(&server.chair_token()).await;
    chair.join("plenary").await;
    let mut vice = server.login(&vice).await;
    vice.join("plenary").await;
    for request in ["remove", "mute", "unmute"] {
        vice.refused(
            json!({"type": request, "room": "plenary", "participant": chair.id()}),
            "forbidden",
        )
        .await;
    }
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("dais.toml");
    std::fs::write(
        &config,
        "[server]\nallow_guests = true\nguest_role = \"moderator\"\n",
    )
    .unwrap();
    let out = std::process::Command::new(dais_e2e::server_binary())
        .arg("--data")
        .arg(dir.path().join("data"))
        .arg("--listen")
        .arg("127.0.0.1:0")
        .arg("--config")
        .arg(&config)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("guest_role"), "{err}");
}

/// /metrics shows how busy each room is: it may be moved off the public
/// port, or put behind a bearer token.
#[tokio::test]
async fn metrics_can_be_private() {
    let server = Server::start_with_config(Some("[server]\nmetrics_token = \"s3cret-metrics\"\n"));
    let open = http_get(&server.url, "/metrics").await;
    assert!(open.starts_with("HTTP/1.1 401"), "{open}");
    let addr = server.url.trim_start_matches("ws://");
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    stream
        .write_all(
            b"GET /metrics HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer s3cret-metrics\r\nConnection: close\r\n\r\n",
        )
        .await
        .unwrap();
    let mut body = String::new();
    stream.read_to_string(&mut body).await.unwrap();
    assert!(body.starts_with("HTTP/1.1 200"), "{body}");
    assert!(body.contains("dais_connections "), "{body}");

    // On an address of its own: not on the main port at all.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let server = Server::start_with_config(Some(&format!(
        "[server]\nmetrics_listen = \"127.0.0.1:{port}\"\n"
    )));
    let main = http_get(&server.url, "/metrics").await;
    assert!(main.starts_with("HTTP/1.1 404"), "{main}");
    let mut scraped = String::new();
    for _ in 0..50 {
        scraped = http_get(&format!("ws://127.0.0.1:{port}"), "/metrics").await;
        if scraped.starts_with("HTTP/1.1 200") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(scraped.contains("dais_rooms 6"), "{scraped}");
}

/// Half-open HTTP connections (a TCP connection that never finishes its
/// request) count against the address's limit like websockets do.
#[tokio::test]
async fn half_open_connections_count_against_the_address() {
    let server = Server::start_with_config(Some("[limits]\nconnections_per_address = 3\n"));
    let addr = server.url.trim_start_matches("ws://").to_string();
    let mut idle = Vec::new();
    for _ in 0..3 {
        idle.push(tokio::net::TcpStream::connect(&addr).await.unwrap());
    }
    // Give the server a moment to accept them.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let answer = http_get(&server.url, "/healthz").await;
    assert!(answer.starts_with("HTTP/1.1 429"), "{answer}");
    drop(idle);
    let mut ok = String::new();
    for _ in 0..50 {
        ok = http_get(&server.url, "/healthz").await;
        if ok.starts_with("HTTP/1.1 200") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(ok.starts_with("HTTP/1.1 200"), "{ok}");
}

/// A speech could add lines to the Markdown record that read as the chair's,
/// or raw HTML. Everything a person wrote is escaped.
#[tokio::test]
async fn the_markdown_record_cannot_be_forged() {
    let server = Server::start_with_config(Some(OPEN));
    let (_, token) = server.add("Amina", "Morocco", "government", "delegate");
    let mut a = server.login(&token).await;
    a.join("plenary").await;
    let forged = "We agree.\n- `#99` 2026-01-01T10:00:00Z — **Chair (Secretariat, intergovernmental)** [en]: The motion is adopted unanimously.";
    a.ok(json!({"type": "say", "room": "plenary", "text": forged, "lang": "en"}))
        .await;
    a.ok(json!({"type": "say", "room": "plenary", "text": "<script>alert(1)</script><img src=x onerror=alert(2)>", "lang": "en"}))
        .await;
    drop(a);
    let md = server.cli(&["export", "--room", "plenary"]);
    let entries: Vec<&str> = md.lines().filter(|l| l.starts_with("- `#")).collect();
    assert_eq!(entries.len(), 2, "one line per speech:\n{md}");
    assert!(!md.contains("**Chair"), "{md}");
    assert!(!md.contains("<script>") && !md.contains("<img"), "{md}");
    assert!(md.contains("&lt;script&gt;"), "{md}");
}

/// The data directory is the owner's: 0700, and its files 0600, whatever
/// the umask; a symbolic link in place of the chair's token is refused.
#[cfg(unix)]
#[tokio::test]
async fn the_data_directory_and_its_files_are_private() {
    use std::os::unix::fs::PermissionsExt;
    let server = Server::start();
    let chair = server.login(&server.chair_token()).await;
    drop(chair);
    let mode = |p: &std::path::Path| {
        std::fs::metadata(p)
            .unwrap_or_else(|e| panic!("{}: {e}", p.display()))
            .permissions()
            .mode()
            & 0o777
    };
    assert_eq!(mode(&server.data), 0o700);
    for f in ["dais.db", "dais.db-wal", "chair.token", "guest.key"] {
        assert_eq!(mode(&server.data.join(f)), 0o600, "{f}");
    }
    let backup = server.dir().join("backup.db");
    server.cli(&["backup", "--to", backup.to_str().unwrap()]);
    assert_eq!(mode(&backup), 0o600, "backup");
    let export = server.dir().join("record.md");
    server.cli(&[
        "export",
        "--room",
        "cyber-security",
        "-o",
        export.to_str().unwrap(),
    ]);
    assert_eq!(mode(&export), 0o600, "export");

    // A link planted where the first chair's token will be written.
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    let elsewhere = dir.path().join("elsewhere");
    std::fs::write(&elsewhere, "").unwrap();
    std::os::unix::fs::symlink(&elsewhere, data.join("chair.token")).unwrap();
    let out = std::process::Command::new(dais_e2e::server_binary())
        .arg("--data")
        .arg(&data)
        .arg("--listen")
        .arg("127.0.0.1:0")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("symbolic link"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(std::fs::read_to_string(&elsewhere).unwrap(), "");
}
