//! Guests: admitted by name where the config allows it, and held to what
//! they did however they reconnect.

use dais_e2e::{Client, Server};
use serde_json::{json, Value};

const CONFIG: &str = r#"
[server]
allow_guests = true
guest_role = "delegate"

[[room]]
id = "open"
titles = { en = "Open floor" }
mode = "open"
"#;

async fn guest_hello(server: &Server, hello: Value) -> (Client, Value) {
    let mut c = server.connect().await;
    c.send(hello).await;
    let answer = c.next_frame().await.expect("an answer to hello");
    if answer["type"] == "welcome" {
        c.me = answer["participant"].clone();
    }
    (c, answer)
}

async fn new_guest(server: &Server, name: &str) -> (Client, String) {
    let (c, welcome) = guest_hello(
        server,
        json!({"type": "hello", "protocol": 2, "guest": name}),
    )
    .await;
    assert_eq!(welcome["type"], "welcome", "{welcome}");
    let credential = welcome["guest_token"]
        .as_str()
        .expect("a new guest gets a credential")
        .to_string();
    assert!(credential.starts_with("daisg_"), "{credential}");
    (c, credential)
}

async fn returning(server: &Server, credential: &str) -> (Client, Value) {
    guest_hello(
        server,
        json!({"type": "hello", "protocol": 2, "token": credential}),
    )
    .await
}

#[tokio::test]
async fn a_guest_comes_back_as_the_same_guest_with_their_credential() {
    let server = Server::start_with_config(Some(CONFIG));
    let (first, credential) = new_guest(&server, "Visitor from Nairobi").await;
    let id = first.id();
    assert!(id.starts_with("g-"), "{id}");
    assert_eq!(first.me["guest"], true);
    first.close().await;
    let (again, welcome) = returning(&server, &credential).await;
    assert_eq!(welcome["type"], "welcome", "{welcome}");
    assert_eq!(again.id(), id);
    assert_eq!(welcome["participant"]["name"], "Visitor from Nairobi");
    // Renewed at every return.
    let renewed = welcome["guest_token"]
        .as_str()
        .expect("a renewed credential");
    let (_third, welcome) = returning(&server, renewed).await;
    assert_eq!(welcome["participant"]["id"], id.as_str());
    // A forged one is a bad token.
    let forged = credential.replacen("daisg_g-", "daisg_g-0", 1);
    let (_c, answer) = returning(&server, &forged).await;
    assert_eq!(answer["code"], "invalid_token", "{answer}");
}

#[tokio::test]
async fn a_muted_guest_stays_muted_whether_they_reconnect_with_their_credential_or_without() {
    let server = Server::start_with_config(Some(CONFIG));
    let mut chair = server.login(&server.chair_token()).await;
    chair.join("open").await;
    let (mut g, credential) = new_guest(&server, "Loud Visitor").await;
    g.join("open").await;
    g.ok(json!({"type": "say", "room": "open", "text": "First!", "lang": "en"}))
        .await;
    chair
        .ok(json!({"type": "mute", "room": "open", "participant": g.id()}))
        .await;
    g.refused(
        json!({"type": "say", "room": "open", "text": "Again", "lang": "en"}),
        "muted",
    )
    .await;
    g.close().await;
    // Back with the credential: the same guest, still muted.
    let (mut back, _) = returning(&server, &credential).await;
    back.join("open").await;
    back.refused(
        json!({"type": "say", "room": "open", "text": "Again", "lang": "en"}),
        "muted",
    )
    .await;
    // Back without it, under another name: a new guest from the same
    // address, muted all the same.
    let (mut other, _) = new_guest(&server, "Quiet Visitor").await;
    assert_ne!(other.id(), back.id());
    other.join("open").await;
    other
        .refused(
            json!({"type": "say", "room": "open", "text": "Hi", "lang": "en"}),
            "muted",
        )
        .await;
}

#[tokio::test]
async fn a_removed_guest_cannot_rejoin_under_a_new_name() {
    let server = Server::start_with_config(Some(CONFIG));
    let mut chair = server.login(&server.chair_token()).await;
    chair.join("open").await;
    let (mut g, credential) = new_guest(&server, "Disruptor").await;
    g.join("open").await;
    chair
        .ok(json!({"type": "remove", "room": "open", "participant": g.id()}))
        .await;
    let (mut back, _) = returning(&server, &credential).await;
    back.refused(json!({"type": "join", "room": "open"}), "removed")
        .await;
    let (mut other, _) = new_guest(&server, "Someone Else").await;
    other
        .refused(json!({"type": "join", "room": "open"}), "removed")
        .await;
    // A registered delegate from the same address is not affected.
    let (_, token) = server.add("Amina", "Morocco", "government", "delegate");
    let mut amina = server.login(&token).await;
    amina.join("open").await;
}

/// Reconnecting does not refill a guest's allowance: 190 speeches in a few
/// seconds, across many connections, are held to the rate limit.
#[tokio::test]
async fn a_guests_rate_limit_holds_across_reconnections() {
    let config = CONFIG.replace(
        "[[room]]",
        "[limits]\nmessages_per_second = 5\nburst = 10\nflood_strikes = 1000\n\n[[room]]",
    );
    let server = Server::start_with_config(Some(&config));
    let (mut g, credential) = new_guest(&server, "Eager Visitor").await;
    g.join("open").await;
    let started = std::time::Instant::now();
    let mut accepted = 0;
    let mut sent = 0;
    for round in 0..10 {
        if round > 0 {
            g.close().await;
            let (back, welcome) = returning(&server, &credential).await;
            assert_eq!(welcome["type"], "welcome", "{welcome}");
            g = back;
            // The join itself meets the same spent allowance: wait for it.
            loop {
                let reply = g.request(json!({"type": "join", "room": "open"})).await;
                if reply["type"] == "ok" {
                    break;
                }
                assert_eq!(reply["code"], "rate_limited", "{reply}");
                tokio::time::sleep(std::time::Duration::from_millis(250)).await;
            }
        }
        for i in 0..19 {
            let reply = g
                .request(json!({"type": "say", "room": "open", "text": format!("{round}-{i}"), "lang": "en"}))
                .await;
            sent += 1;
            if reply["type"] == "ok" {
                accepted += 1;
            } else {
                assert_eq!(reply["code"], "rate_limited", "{reply}");
            }
        }
    }
    let elapsed = started.elapsed().as_secs_f64();
    // The burst, plus what the rate earned meanwhile, plus the hellos and
    // joins that spent from the same allowance: never a fresh burst per
    // connection (which would let nearly all 190 through).
    let allowance = 10.0 + 5.0 * elapsed;
    assert!(
        (accepted as f64) <= allowance,
        "{accepted} of {sent} accepted in {elapsed:.1} s; the allowance was {allowance:.0}"
    );
    assert!(accepted < sent / 2, "{accepted} of {sent}");
}

#[tokio::test]
async fn a_guest_may_not_take_a_chairs_name_or_title() {
    let server = Server::start_with_config(Some(CONFIG));
    let (_, _) = server.add(
        "Amina Diallo",
        "IGF Secretariat",
        "intergovernmental",
        "moderator",
    );
    // The moderators' names are read at start and then every few seconds.
    let mut refused = false;
    for _ in 0..100 {
        let (_, answer) = guest_hello(
            &server,
            json!({"type": "hello", "protocol": 2, "guest": "amina  DIALLO"}),
        )
        .await;
        if answer["code"] == "guest_name_reserved" {
            refused = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(refused, "a moderator's name was taken by a guest");
    for name in [
        "Chair",
        "The Chair",
        "Secretariat · Chair",
        "主席",
        "IGF Secretariat",
    ] {
        let (_, answer) = guest_hello(
            &server,
            json!({"type": "hello", "protocol": 2, "guest": name}),
        )
        .await;
        assert_eq!(answer["code"], "guest_name_reserved", "{name}: {answer}");
    }
    for name in ["Visitor\u{202e}riahC", "Visitor\u{1b}[2J", ""] {
        let (_, answer) = guest_hello(
            &server,
            json!({"type": "hello", "protocol": 2, "guest": name}),
        )
        .await;
        assert_eq!(answer["code"], "invalid_guest_name", "{name:?}: {answer}");
    }
}
