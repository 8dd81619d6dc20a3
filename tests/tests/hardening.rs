//! Self-hosting on the internet: TLS, stalled handshakes, tokens kept out
//! of the log, and answers that do not tell a wrong token from a revoked one.

use dais_e2e::{Client, Server, WAIT};
use serde_json::json;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio_rustls::rustls;

#[tokio::test]
async fn wss_serves_the_protocol_over_tls() {
    let certified = rcgen::generate_simple_self_signed(vec!["localhost".to_string()]).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let cert = dir.path().join("cert.pem");
    let key = dir.path().join("key.pem");
    std::fs::write(&cert, certified.cert.pem()).unwrap();
    std::fs::write(&key, certified.signing_key.serialize_pem()).unwrap();
    let server = Server::start_with_args(
        None,
        &[
            "--tls-cert".into(),
            cert.display().to_string(),
            "--tls-key".into(),
            key.display().to_string(),
        ],
    );
    assert!(server.url.starts_with("wss://"), "{}", server.url);

    let mut roots = rustls::RootCertStore::empty();
    roots.add(certified.cert.der().clone()).unwrap();
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_root_certificates(roots)
    .with_no_client_auth();
    let addr = server.url.trim_start_matches("wss://").to_string();
    let tcp = tokio::net::TcpStream::connect(&addr).await.unwrap();
    let name = rustls::pki_types::ServerName::try_from("localhost").unwrap();
    let tls = tokio_rustls::TlsConnector::from(Arc::new(config))
        .connect(name, tcp)
        .await
        .unwrap();
    let (ws, _) = tokio_tungstenite::client_async("wss://localhost/", tls)
        .await
        .unwrap();
    use futures_util::{SinkExt, StreamExt};
    let (mut tx, mut rx) = ws.split();
    tx.send(tokio_tungstenite::tungstenite::Message::text(
        json!({"type": "hello", "protocol": 2, "token": server.chair_token()}).to_string(),
    ))
    .await
    .unwrap();
    let answer = tokio::time::timeout(WAIT, rx.next())
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    let v: serde_json::Value = serde_json::from_str(answer.to_text().unwrap()).unwrap();
    assert_eq!(v["type"], "welcome");

    // Plain ws:// to a TLS port gets nowhere.
    let plain = tokio_tungstenite::connect_async(format!("ws://{addr}/")).await;
    assert!(plain.is_err());
}

#[tokio::test]
async fn a_peer_that_stalls_in_the_http_handshake_is_dropped() {
    let server = Server::start_with_config(Some("[limits]\nhandshake_timeout_secs = 1\n"));
    let addr = server.url.trim_start_matches("ws://").to_string();
    let mut stalled = tokio::net::TcpStream::connect(&addr).await.unwrap();
    stalled
        .write_all(b"GET / HTTP/1.1\r\nHost: localhost\r\n")
        .await
        .unwrap();
    let mut idle = tokio::net::TcpStream::connect(&addr).await.unwrap();
    for stream in [&mut stalled, &mut idle] {
        let mut buf = [0u8; 256];
        let n = tokio::time::timeout(WAIT, stream.read(&mut buf))
            .await
            .expect("the server should drop a stalled handshake")
            .unwrap_or(0);
        let text = String::from_utf8_lossy(&buf[..n]);
        assert!(n == 0 || text.starts_with("HTTP/1.1 408"), "{text}");
    }
    // Meanwhile real clients are served.
    let mut c = server.login(&server.chair_token()).await;
    c.join("cyber-security").await;
}

#[tokio::test]
async fn tokens_never_reach_the_log() {
    let server = Server::start_with_config(Some("[server]\nallow_guests = true\n"));
    let (id, token) = server.add("Amina", "Morocco", "government", "delegate");
    let mut c = server.login(&token).await;
    c.join("cyber-security").await;
    let mut bad = server.connect().await;
    bad.hello("dais_not_a_real_token_0123456789").await;
    server.cli(&["participant", "revoke", &id]);
    c.wait_closed().await;
    let mut chair = server.login(&server.chair_token()).await;
    chair.join("cyber-security").await;
    let log = server.log_lines().join("\n");
    assert!(log.contains("authenticated"), "the log is there: {log}");
    for secret in [
        token.as_str(),
        &server.chair_token(),
        "dais_not_a_real_token_0123456789",
    ] {
        assert!(!log.contains(secret), "a token leaked into the log");
    }
}

/// Median time to get an answer to a hello with `token`.
async fn hello_time(server: &Server, token: &str) -> Duration {
    let mut c: Client = server.connect().await;
    let start = Instant::now();
    let answer = c.hello(token).await;
    let took = start.elapsed();
    assert_eq!(answer["code"], "invalid_token");
    took
}

#[tokio::test]
async fn a_wrong_token_is_answered_like_a_revoked_one() {
    // 80 failed hellos from one address: more than the throttle allows.
    let server = Server::start_with_config(Some(
        "[limits]\nfailed_logins_per_minute = 100000\nconnections_per_second = 100000\n",
    ));
    let (id, revoked) = server.add("Former", "Gone", "government", "delegate");
    server.cli(&["participant", "revoke", &id]);
    let wrong = format!("dais_{}", "0".repeat(64));
    let (mut a, mut b) = (Vec::new(), Vec::new());
    // Interleaved, so that the machine's load falls on both alike.
    for _ in 0..40 {
        a.push(hello_time(&server, &wrong).await);
        b.push(hello_time(&server, &revoked).await);
    }
    a.sort();
    b.sort();
    let (ma, mb) = (a[20].as_secs_f64(), b[20].as_secs_f64());
    let ratio = ma.max(mb) / ma.min(mb);
    // Same answer, same path (one indexed lookup of the token's hash): the
    // medians differ by noise only. A generous bound keeps a busy machine
    // from failing the test while catching a real difference in work.
    assert!(ratio < 3.0, "wrong {ma:.6}s vs revoked {mb:.6}s");
}
