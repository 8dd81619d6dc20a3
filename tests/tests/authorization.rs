//! The authorization matrix of docs/PROTOCOL.md, cell by cell, against the
//! real server, in every mode. The table is read from the document itself.

use dais_e2e::{Client, Server};
use serde_json::{json, Value};

const CONFIG: &str = "[server]\nallow_guests = true\n[limits]\nmessages_per_second = 100000\nburst = 100000\n# The unauthenticated senders must outlive the whole matrix.\nhello_timeout_secs = 3600\n# One room per row and mode, and every sender connects from 127.0.0.1.\nmax_rooms = 1000\nconnections_per_second = 100000\nconnection_burst = 100000\n";

/// Error codes that mean "refused because of who you are".
const ROLE_CODES: &[&str] = &[
    "forbidden",
    "unauthenticated",
    "not_your_turn",
    "muted",
    "not_joined",
    "removed",
];

const COLUMNS: [&str; 9] = [
    "unauth.",
    "revoked",
    "guest",
    "observer",
    "delegate",
    "interpreter",
    "moderator",
    "muted",
    "removed",
];

/// (request type, expected outcome per column) from the document.
fn matrix() -> Vec<(String, Vec<String>)> {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/PROTOCOL.md"))
        .unwrap();
    let start = doc
        .find("<!-- authorization matrix: begin -->")
        .expect("matrix start");
    let end = doc
        .find("<!-- authorization matrix: end -->")
        .expect("matrix end");
    let mut lines = doc[start..end].lines().filter(|l| l.starts_with('|'));
    let header: Vec<String> = cells(lines.next().unwrap());
    assert_eq!(
        header[1..],
        COLUMNS.map(String::from),
        "the matrix's columns changed"
    );
    lines
        .skip(1)
        .map(|l| {
            let c = cells(l);
            (c[0].clone(), c[1..].to_vec())
        })
        .collect()
}

fn cells(line: &str) -> Vec<String> {
    line.trim()
        .trim_matches('|')
        .split('|')
        .map(|c| c.trim().trim_matches('`').to_string())
        .collect()
}

struct Ids {
    room: String,
    mode: &'static str,
    raiser: String,
    point: Value,
    said: Value,
}

fn body(request: &str, ids: &Ids, n: usize) -> Value {
    let room = ids.room.as_str();
    let mut v = match request {
        "say" => json!({"text": "Words", "lang": "en"}),
        "point_of_order" => json!({"text": "A point"}),
        "request_reply" => json!({"to": ids.said}),
        "vote" => json!({"option": 0}),
        "interpret" => json!({"of": ids.said, "text": "Des mots", "lang": "fr"}),
        "grant" | "mute" | "unmute" | "remove" => json!({"participant": ids.raiser}),
        "set_mode" => json!({"mode": ids.mode}),
        "set_time_limit" => json!({"seconds": 60}),
        "reorder_queue" => json!({"order": []}),
        "rule" => json!({"point": ids.point, "ruling": "Noted"}),
        "poll_open" => json!({"question": "Again?"}),
        "announce" => json!({"text": "Notice"}),
        "room_create" => json!({"titles": {"en": "Another"}}),
        _ => json!({}),
    };
    v["type"] = json!(request);
    match request {
        // The room list is not about one room.
        "rooms" => {}
        "room_create" => v["room"] = json!(format!("{room}-new-{n}")),
        _ => v["room"] = json!(room),
    }
    v
}

struct Cast {
    host: Client,
    raiser: Client,
    /// In COLUMNS order.
    senders: Vec<Client>,
}

async fn cast(server: &Server, tokens: &Tokens) -> Cast {
    let host = server.login(&server.chair_token()).await;
    let raiser = server.login(&tokens.raiser).await;
    let unauth = server.connect().await;
    let mut revoked = server.connect().await;
    assert_eq!(
        revoked.hello(&tokens.revoked).await["code"],
        "invalid_token"
    );
    let mut guest = server.connect().await;
    guest
        .send(json!({"type": "hello", "protocol": 2, "guest": "Visitor"}))
        .await;
    assert_eq!(guest.next_frame().await.unwrap()["type"], "welcome");
    let mut senders = vec![unauth, revoked, guest];
    for t in [
        &tokens.observer,
        &tokens.delegate,
        &tokens.interpreter,
        &tokens.moderator,
        &tokens.muted,
        &tokens.removed,
    ] {
        senders.push(server.login(t).await);
    }
    Cast {
        host,
        raiser,
        senders,
    }
}

struct Tokens {
    raiser: String,
    revoked: String,
    observer: String,
    delegate: String,
    interpreter: String,
    moderator: String,
    muted: String,
    removed: String,
}

fn verdict(reply: &Value) -> String {
    match reply["type"].as_str() {
        Some("error") => {
            let code = reply["code"].as_str().unwrap_or_default();
            if ROLE_CODES.contains(&code) {
                code.to_string()
            } else {
                "yes".into()
            }
        }
        _ => "yes".into(),
    }
}

async fn run_mode(server: &Server, tokens: &Tokens, mode: &'static str) -> usize {
    let table = matrix();
    let mut c = cast(server, tokens).await;
    let mut tried = 0;
    for (n, (request, expected)) in table.iter().enumerate() {
        let room = format!("{}-{n}", mode.replace('_', "-"));
        c.host
            .ok(json!({"type": "room_create", "room": room, "titles": {"en": "Matrix"}, "mode": mode}))
            .await;
        c.host.join(&room).await;
        c.raiser.join(&room).await;
        for s in c.senders.iter_mut().skip(2) {
            s.join(&room).await;
        }
        let point = c
            .raiser
            .ok(json!({"type": "point_of_order", "room": room}))
            .await["seq"]
            .clone();
        let said = c
            .host
            .ok(json!({"type": "announce", "room": room, "text": "Opening"}))
            .await["seq"]
            .clone();
        c.host
            .ok(json!({"type": "poll_open", "room": room, "question": "Agree?"}))
            .await;
        let muted = c.senders[7].id();
        let removed = c.senders[8].id();
        c.host
            .ok(json!({"type": "mute", "room": room, "participant": muted}))
            .await;
        c.host
            .ok(json!({"type": "remove", "room": room, "participant": removed}))
            .await;
        let ids = Ids {
            room: room.clone(),
            mode,
            raiser: c.raiser.id(),
            point,
            said,
        };
        // The moderator goes last: what a chair does may change the room.
        for col in [0, 1, 2, 3, 4, 5, 7, 8, 6] {
            let want = match expected[col].as_str() {
                "turn" if mode == "open" => "yes".to_string(),
                "turn" => "not_your_turn".to_string(),
                // On someone else's message (the host's announcement);
                // their own is tried below.
                "own" => "forbidden".to_string(),
                other => other.to_string(),
            };
            let sender = &mut c.senders[col];
            let req = body(request, &ids, col);
            let got = if col == 0 {
                // Never said hello: the reply has no id to match on.
                sender.send(req.clone()).await;
                verdict(
                    &sender
                        .wait_for("an answer", |f| f["type"] == "error" || f["type"] == "ok")
                        .await,
                )
            } else {
                verdict(&sender.request(req.clone()).await)
            };
            assert_eq!(
                got, want,
                "{request} from {} in {mode}: {req}",
                COLUMNS[col]
            );
            if expected[col] == "own" {
                // Their own message, where they can make one: a chair's
                // announcement in any mode, a delegate's speech where the
                // mode lets them speak.
                let own = if COLUMNS[col] == "moderator" {
                    Some(json!({"type": "announce", "room": room, "text": "Mine"}))
                } else if mode == "open" {
                    Some(json!({"type": "say", "room": room, "text": "Mine", "lang": "en"}))
                } else {
                    None
                };
                if let Some(own) = own {
                    let of = sender.ok(own).await["seq"].clone();
                    let mut mine = req.clone();
                    mine["of"] = of;
                    let got = verdict(&sender.request(mine.clone()).await);
                    assert_eq!(
                        got, "yes",
                        "{request} of their own from {} in {mode}: {mine}",
                        COLUMNS[col]
                    );
                }
            }
            tried += 1;
            sender.clear();
        }
        c.host.clear();
        c.raiser.clear();
    }
    tried
}

#[tokio::test]
async fn every_cell_of_the_authorization_matrix_holds_in_every_mode() {
    let server = Server::start_with_config(Some(CONFIG));
    let (revoked_id, revoked) = server.add("Former", "Gone", "government", "delegate");
    server.cli(&["participant", "revoke", &revoked_id]);
    let tokens = Tokens {
        raiser: server.add("Raiser", "R", "government", "delegate").1,
        revoked,
        observer: server
            .add("Observer", "Press", "civil_society", "observer")
            .1,
        delegate: server.add("Delegate", "D", "government", "delegate").1,
        interpreter: server
            .add("Interpreter", "UN", "intergovernmental", "interpreter")
            .1,
        moderator: server
            .add("Vice Chair", "UN", "intergovernmental", "moderator")
            .1,
        muted: server.add("Muted", "M", "academia", "delegate").1,
        removed: server.add("Removed", "X", "private_sector", "delegate").1,
    };
    let modes = ["speakers_list", "round_robin", "open", "suspended"];
    let runs = modes.map(|m| run_mode(&server, &tokens, m));
    let tried: usize = futures_util::future::join_all(runs).await.into_iter().sum();
    let rows = matrix().len();
    assert_eq!(
        rows,
        dais_protocol::request::REQUEST_TYPES.len() - 1,
        "every request but hello has a row"
    );
    assert_eq!(tried, rows * COLUMNS.len() * modes.len());
}
