//! The member list, paged: a plenary of ten thousand is never sent whole.

use dais_e2e::{Client, Server};
use futures_util::StreamExt;
use serde_json::{json, Value};
use std::collections::BTreeSet;

const CONFIG: &str = r#"
[limits]
connections_per_address = 1000
connections_per_second = 100000
connection_burst = 100000
messages_per_second = 100000
burst = 100000

[[room]]
id = "plenary"
titles = { en = "Plenary" }
"#;

/// Every page, following `next` until it is absent.
async fn all_pages(c: &mut Client, query: Value) -> (Vec<Value>, usize, u64) {
    let mut members = Vec::new();
    let mut pages = 0;
    let mut after: Option<String> = None;
    let total = loop {
        let mut q = query.clone();
        q["type"] = json!("members");
        q["room"] = json!("plenary");
        if let Some(a) = &after {
            q["after"] = json!(a);
        }
        let page = c.ok_frame(q).await;
        assert_eq!(page["type"], "members", "{page}");
        // A page stays a small frame, whatever the room's size.
        assert!(
            page.to_string().len() <= 70 * 1024,
            "a page of {} bytes",
            page.to_string().len()
        );
        pages += 1;
        members.extend(page["members"].as_array().unwrap().iter().cloned());
        match page["next"].as_str() {
            Some(next) => after = Some(next.to_string()),
            None => break page["total"].as_u64().unwrap(),
        }
    };
    (members, pages, total)
}

/// Ten thousand members join (each once, then goes away: registered
/// members stay members while offline), and the chair pages through them
/// all: each exactly once, in name order, with the filters applied.
#[tokio::test]
async fn paging_through_ten_thousand_members() {
    let server = Server::start_with_config(Some(CONFIG));
    let out = server.cli(&[
        "participant",
        "add",
        "--name",
        "Delegate",
        "--stakeholder",
        "government",
        "--count",
        "10000",
        "--json",
    ]);
    let tokens: Vec<(String, String)> = out
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            (
                v["id"].as_str().unwrap().to_string(),
                v["token"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(tokens.len(), 10_000);
    // A hundred observers of civil society, for the filters.
    let out = server.cli(&[
        "participant",
        "add",
        "--name",
        "Élodie Observer",
        "--stakeholder",
        "civil_society",
        "--role",
        "observer",
        "--count",
        "100",
        "--json",
    ]);
    let observers: Vec<String> = out
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["token"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    let url = server.url.clone();
    let everyone: Vec<String> = tokens
        .iter()
        .map(|(_, t)| t.clone())
        .chain(observers.iter().cloned())
        .collect();
    futures_util::stream::iter(everyone)
        .for_each_concurrent(64, |token| {
            let url = url.clone();
            async move {
                let mut c = Client::connect(&url).await;
                let w = c.hello(&token).await;
                assert_eq!(w["type"], "welcome", "{w}");
                c.join("plenary").await;
                c.close().await;
            }
        })
        .await;

    let mut chair = server.login(&server.chair_token()).await;
    let state = chair.join_state("plenary").await;
    assert_eq!(state["counts"]["members"], 10_101, "{}", state["counts"]);
    assert_eq!(state["counts"]["roles"]["delegate"]["members"], 10_000);
    // The snapshot counts, it does not list: it stays small.
    assert!(
        state.to_string().len() < 4096,
        "{} bytes",
        state.to_string().len()
    );

    let (members, pages, total) = all_pages(&mut chair, json!({"limit": 500})).await;
    assert_eq!(total, 10_101);
    assert_eq!(members.len(), 10_101, "each member once");
    assert!(pages >= 21, "{pages} pages");
    let ids: BTreeSet<&str> = members
        .iter()
        .filter_map(|m| m["who"]["id"].as_str())
        .collect();
    assert_eq!(ids.len(), 10_101, "no member twice");
    for (id, _) in &tokens {
        assert!(ids.contains(id.as_str()), "{id} missing");
    }
    // In name order, case and accents aside ("Chair", "Delegate 1",
    // "Delegate 10", ..., "Élodie Observer 1", ...).
    let names: Vec<String> = members
        .iter()
        .map(|m| {
            m["who"]["name"]
                .as_str()
                .unwrap()
                .to_lowercase()
                .replace('é', "e")
        })
        .collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted);

    // Filters: a group, a prefix (accents ignored), online only.
    let (observers_page, _, total) =
        all_pages(&mut chair, json!({"stakeholder": "civil_society"})).await;
    assert_eq!((observers_page.len(), total), (100, 100));
    let (by_prefix, _, _) = all_pages(&mut chair, json!({"prefix": "elodie"})).await;
    assert_eq!(by_prefix.len(), 100);
    let (delegate_99, _, _) = all_pages(&mut chair, json!({"prefix": "Delegate 999"})).await;
    // "Delegate 999" and "Delegate 9990" to "Delegate 9999".
    assert_eq!(delegate_99.len(), 11);
    let (online, _, total) = all_pages(&mut chair, json!({"online": true})).await;
    assert_eq!(
        (online.len(), total),
        (1, 1),
        "only the chair is still here"
    );
    assert_eq!(online[0]["who"]["id"], chair.id().as_str());
    // A default page is 100, and a bad cursor is refused.
    let page = chair
        .ok_frame(json!({"type": "members", "room": "plenary"}))
        .await;
    assert_eq!(page["members"].as_array().unwrap().len(), 100);
    chair
        .refused(
            json!({"type": "members", "room": "plenary", "after": "no cursor here"}),
            "invalid_field",
        )
        .await;
}

/// Only members may page the list.
#[tokio::test]
async fn the_member_list_is_for_members() {
    let server = Server::start_with_config(Some(CONFIG));
    let mut chair = server.login(&server.chair_token()).await;
    chair
        .refused(json!({"type": "members", "room": "plenary"}), "not_joined")
        .await;
    chair.join("plenary").await;
    let page = chair
        .ok_frame(json!({"type": "members", "room": "plenary"}))
        .await;
    assert_eq!(page["total"], 1);
    assert_eq!(page["members"][0]["who"]["id"], chair.id().as_str());
    assert_eq!(page["members"][0]["online"], true);
    assert_eq!(page["members"][0]["speaking_ms"], 0);
    assert!(page.get("next").is_none(), "{page}");
}
