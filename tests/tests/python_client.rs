//! docs/PROTOCOL.md promises that a client written from it alone works. Its
//! Python example is taken from the document as it stands, pointed at a real
//! server, and run: it joins, asks for the floor, is given it by a chair, and
//! speaks.
//!
//! Needs `python3` with the `websockets` package (`pip install websockets`;
//! `.ci/run` installs it). Without them the test says so and passes, unless
//! `DAIS_REQUIRE_PYTHON` is set, as it is in CI.

use dais_e2e::Server;
use serde_json::json;
use std::process::{Command, Stdio};

fn python_with_websockets() -> bool {
    Command::new("python3")
        .args(["-c", "import websockets"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map(|s| s.success())
        .unwrap_or(false)
}

/// The first ```python block of PROTOCOL.md.
fn example_from_protocol_md() -> String {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/PROTOCOL.md"))
        .expect("docs/PROTOCOL.md");
    let start = doc.find("```python\n").expect("a Python example") + "```python\n".len();
    let end = start + doc[start..].find("\n```").expect("the example's end");
    doc[start..end].to_string()
}

#[tokio::test]
async fn the_python_example_in_protocol_md_speaks() {
    if !python_with_websockets() {
        assert!(
            std::env::var_os("DAIS_REQUIRE_PYTHON").is_none(),
            "python3 with the websockets package is required (pip install websockets)"
        );
        eprintln!("skipped: python3 with the websockets package is not installed");
        return;
    }
    let server = Server::start();
    let (_, token) = server.add("Marta Ruiz", "Uruguay", "government", "delegate");
    let example = example_from_protocol_md();
    for placeholder in ["ws://localhost:7878/", "\"dais_...\""] {
        assert!(
            example.contains(placeholder),
            "the example has {placeholder}"
        );
    }
    let script = example
        .replace("ws://localhost:7878/", &format!("{}/", server.url))
        .replace("\"dais_...\"", &format!("\"{token}\""));
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("client.py");
    std::fs::write(&path, script).expect("write the script");

    let mut chair = server.login(&server.chair_token()).await;
    chair.join("cyber-security").await;
    let python = tokio::process::Command::new("python3")
        .arg(&path)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("run python3");
    // The chair gives the floor to whoever asks, as a chair would.
    chair.event("floor_requested").await;
    chair
        .ok(json!({"type": "next", "room": "cyber-security"}))
        .await;
    let speech = chair.event("speech").await;
    assert_eq!(speech["text"], "Thank you, Chair.");
    assert_eq!(speech["by"]["name"], "Marta Ruiz");
    let out = tokio::time::timeout(dais_e2e::WAIT, python.wait_with_output())
        .await
        .expect("the example finishes")
        .expect("python3 ran");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "the example failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains(&format!("spoke as event {}", speech["seq"])),
        "{stdout}"
    );
}
