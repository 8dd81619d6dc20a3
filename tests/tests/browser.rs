//! The public pages in a real browser (headless chromium): the record in
//! English and in Arabic (right to left), a speech sent over the websocket
//! showing up without a reload, a restart of the server with no gap and no
//! duplicate in the open page, markup in a speech shown as text, the
//! fairness charts, a clean console, and axe-core's accessibility check.
//! Screenshots of every page are saved under target/browser-artifacts/
//! (their paths are printed).
//!
//! Skipped, with a word saying so, where chromium, chromedriver or
//! axe-core are missing; under CI=true that is a failure instead.

use dais_e2e::browser::{axe_source, Browser};
use dais_e2e::Server;
use serde_json::{json, Value};
use std::time::Duration;

const CONFIG: &str = r#"
[[room]]
id = "plenary"
titles = { en = "Opening plenary", fr = "Séance plénière d'ouverture", ar = "الجلسة العامة الافتتاحية" }
description = "Statements by delegations on a multilateral, democratic and transparent Internet governance."
mode = "speakers_list"
time_limit = 300
policy = { order = "fair", balance_stakeholders = true }
public = true
"#;

/// The seqs of the record's items in the open page, in page order.
const ITEMS: &str = "return Array.from(document.querySelectorAll('#record > li')).map(li => Number(li.dataset.seq));";

fn serious(violations: &[Value]) -> Vec<String> {
    violations
        .iter()
        .filter(|v| matches!(v["impact"].as_str(), Some("serious" | "critical")))
        .map(|v| {
            let nodes: Vec<String> = v["nodes"]
                .as_array()
                .map(|n| {
                    n.iter()
                        .map(|x| {
                            x["html"]
                                .as_str()
                                .unwrap_or_default()
                                .chars()
                                .take(120)
                                .collect()
                        })
                        .collect()
                })
                .unwrap_or_default();
            format!("{} ({}): {} {:?}", v["id"], v["impact"], v["help"], nodes)
        })
        .collect()
}

fn errors(console: &[(String, String)]) -> Vec<String> {
    console
        .iter()
        .filter(|(level, _)| level == "SEVERE")
        .map(|(_, m)| m.clone())
        .collect()
}

/// The seqs a page shows: every event but interpretations, which are shown
/// with their speech.
async fn shown_seqs(chair: &mut dais_e2e::Client) -> Vec<u64> {
    let history = chair
        .ok_frame(json!({"type": "history", "room": "plenary", "limit": 500}))
        .await;
    history["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] != "interpretation")
        .map(|e| e["seq"].as_u64().unwrap())
        .collect()
}

#[tokio::test]
async fn the_public_record_in_a_real_browser() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let Some(axe) = axe_source() else {
        return;
    };
    let mut server = Server::start_with_config(Some(CONFIG));
    let mut chair = server.login(&server.chair_token()).await;
    let (_, t_uy) = server.add("Marta Ruiz", "Uruguay", "government", "delegate");
    let (_, t_isoc) = server.add(
        "Kenji Sato",
        "Asia Pacific Network Centre",
        "technical_community",
        "delegate",
    );
    let (_, t_int) = server.add(
        "Sofia Petrova",
        "Language Services",
        "intergovernmental",
        "interpreter",
    );
    let mut uy = server.login(&t_uy).await;
    let mut isoc = server.login(&t_isoc).await;
    let mut interp = server.login(&t_int).await;
    for c in [&mut chair, &mut uy, &mut isoc, &mut interp] {
        c.join("plenary").await;
    }
    // A short debate: a speech in Spanish with its interpretation, a
    // speech in Arabic, a speech that tries markup.
    uy.ok(json!({"type": "request_floor", "room": "plenary"}))
        .await;
    isoc.ok(json!({"type": "request_floor", "room": "plenary"}))
        .await;
    chair.ok(json!({"type": "next", "room": "plenary"})).await;
    let said = uy
        .ok(json!({"type": "say", "room": "plenary", "text": "Gracias, señora Presidenta. Uruguay apoya un internet multilateral, democrático y transparente.", "lang": "es"}))
        .await;
    interp
        .ok(json!({"type": "interpret", "room": "plenary", "of": said["seq"], "text": "Thank you, Madam Chair. Uruguay supports a multilateral, democratic and transparent Internet.", "lang": "en"}))
        .await;
    chair.ok(json!({"type": "next", "room": "plenary"})).await;
    isoc.ok(json!({"type": "say", "room": "plenary", "text": "<script>document.title='pwned'</script><img src=x onerror=\"document.title='pwned'\"> We ask for capacity building.", "lang": "en"}))
        .await;
    isoc.ok(json!({"type": "say", "room": "plenary", "text": "نحن ندعم الحوار المتعدد الأطراف", "lang": "ar"}))
        .await;

    let base = server.http();
    // The record, in English.
    browser.goto(&format!("{base}/rooms/plenary?lang=en")).await;
    let lang = browser
        .run(
            "return [document.documentElement.lang, document.documentElement.dir];",
            json!([]),
        )
        .await;
    assert_eq!(lang, json!(["en", "ltr"]));
    let page_text = browser
        .run("return document.body.innerText;", json!([]))
        .await;
    let page_text = page_text
        .as_str()
        .unwrap_or_default()
        .replace(['\u{2068}', '\u{2069}'], "");
    assert!(
        page_text.contains("Marta Ruiz (Uruguay) (spoke in Spanish):"),
        "{page_text}"
    );
    assert!(page_text.contains("Thank you, Madam Chair."), "{page_text}");
    // Markup in a speech is text: shown, not run.
    assert!(
        page_text.contains("<script>document.title='pwned'</script>"),
        "{page_text}"
    );
    let injected = browser
        .run("return [document.title, document.querySelectorAll('#record script, #record img').length];", json!([]))
        .await;
    assert_ne!(injected[0], "pwned");
    assert_eq!(injected[1], 0, "no element came from a speech");
    // The live stream is open before we speak.
    browser
        .wait_for("return performance.getEntriesByType('resource').some(r => r.name.includes('/events'));", Duration::from_secs(5))
        .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    // A speech over the websocket shows up without a reload, within 2 s.
    isoc.ok(json!({"type": "say", "room": "plenary", "text": "Live statement number one.", "lang": "en"}))
        .await;
    let took = browser
        .wait_for("return document.getElementById('record').innerText.includes('Live statement number one.');", Duration::from_secs(2))
        .await;
    assert!(
        took.is_some(),
        "the speech did not appear within two seconds"
    );
    println!(
        "a live speech appeared in the page after {:?}",
        took.unwrap()
    );
    browser.screenshot("room-en").await;
    let console = browser.console().await;
    assert!(errors(&console).is_empty(), "console errors: {console:?}");
    let bad = serious(&browser.axe(&axe).await);
    assert!(bad.is_empty(), "axe on the room page: {bad:#?}");

    // The server restarts; the page's stream comes back on its own and
    // picks up what was said meanwhile, with nothing twice.
    let before: Vec<u64> = serde_json::from_value(browser.run(ITEMS, json!([])).await).unwrap();
    server.restart_on_same_port();
    let mut chair = server.login(&server.chair_token()).await;
    chair.join("plenary").await;
    let mut isoc = server.login(&t_isoc).await;
    isoc.join("plenary").await;
    for text in ["After the restart, one.", "After the restart, two."] {
        chair
            .ok(json!({"type": "announce", "room": "plenary", "text": text, "lang": "en"}))
            .await;
    }
    let back = browser
        .wait_for("return document.getElementById('record').innerText.includes('After the restart, two.');", Duration::from_secs(15))
        .await;
    assert!(back.is_some(), "the page did not resume after the restart");
    // Discard the console's entries of the restart itself (the stream's
    // reconnection attempts while the server was down).
    let during = browser.console().await;
    println!("console while the server restarted: {during:?}");
    let after: Vec<u64> = serde_json::from_value(browser.run(ITEMS, json!([])).await).unwrap();
    let expected = shown_seqs(&mut chair).await;
    assert_eq!(
        after, expected,
        "the page's record is the record: no gap, no duplicate"
    );
    assert!(after.len() > before.len());
    assert!(after.starts_with(&before));

    // Arabic: right to left, the room's Arabic title, the interpretation
    // (none into Arabic) leaves the original.
    browser.goto(&format!("{base}/rooms/plenary?lang=ar")).await;
    let lang = browser
        .run("return [document.documentElement.lang, document.documentElement.dir, document.querySelector('h1').innerText];", json!([]))
        .await;
    assert_eq!(lang, json!(["ar", "rtl", "الجلسة العامة الافتتاحية"]));
    browser.screenshot("room-ar").await;
    let bad = serious(&browser.axe(&axe).await);
    assert!(bad.is_empty(), "axe on the Arabic room page: {bad:#?}");

    // The fairness figures, with their charts.
    for lang in ["en", "ar"] {
        browser
            .goto(&format!("{base}/rooms/plenary/fairness?lang={lang}"))
            .await;
        let charts = browser
            .run("return [document.querySelectorAll('svg.chart').length, document.querySelectorAll('svg.chart rect').length, document.querySelector('#chart-groups').getBoundingClientRect().height];", json!([]))
            .await;
        assert_eq!(charts[0], 2, "two charts: {charts}");
        assert!(charts[1].as_u64().unwrap() >= 4, "bars drawn: {charts}");
        assert!(
            charts[2].as_f64().unwrap() > 50.0,
            "the chart has a size: {charts}"
        );
        browser.screenshot(&format!("fairness-{lang}")).await;
        let bad = serious(&browser.axe(&axe).await);
        assert!(
            bad.is_empty(),
            "axe on the fairness page ({lang}): {bad:#?}"
        );
    }
    // The list of public rooms.
    browser.goto(&format!("{base}/?lang=fr")).await;
    browser.screenshot("index-fr").await;
    let console = browser.console().await;
    assert!(errors(&console).is_empty(), "console errors: {console:?}");
}
