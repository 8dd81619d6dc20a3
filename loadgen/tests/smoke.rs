//! Small runs against the real server, checked for correctness only: a
//! fan-out (200 listeners), a flood (50 listeners, one flooder) and a
//! plenary (500 guests), one speaker and a few seconds each, and every
//! listener must get every speech, in order, exactly once. Nothing here
//! depends on how fast the machine is; the limits below are generous bounds
//! that only a broken run reaches.
//!
//! And a short poor-link run (50 members, 15 s of debate, two delegates on
//! an emulated 64 kbit/s, 600 ms, 3 % loss link), which needs root, `ip`
//! and netem or /dev/net/tun: where it cannot start it is skipped with a
//! line that says why, except under `CI=true`, where it fails.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

const LISTENERS: u64 = 200;

/// The `dais-server` binary that `cargo test --workspace` builds (the server
/// crate has integration tests, so its binary is built before any test runs).
fn server_binary() -> PathBuf {
    dais_kit::server_binary().expect(
        "no dais-server beside this test: run `cargo test --workspace` (which builds it) or set DAIS_SERVER_BIN",
    )
}

/// Run one scenario against a fresh server in `dir` (the given arguments
/// plus generous bounds), and return its JSON report and what it printed.
fn run_loadgen(dir: &Path, scenario: &[&str]) -> (Value, String) {
    let (output, report_path) = start_loadgen(dir, scenario);
    read_report(&output, &report_path)
}

/// The exit status of dais-loadgen when the run cannot start on this
/// machine (`UNAVAILABLE` in its main.rs).
const UNAVAILABLE: i32 = 3;

/// Run one scenario to its end; its output and where its report is.
fn start_loadgen(dir: &Path, scenario: &[&str]) -> (std::process::Output, PathBuf) {
    let report_path = dir.join("report.json");
    let output = Command::new(env!("CARGO_BIN_EXE_dais-loadgen"))
        .arg("--spawn")
        .arg("--server-bin")
        .arg(server_binary())
        .arg("--data")
        .arg(dir.join("data"))
        .args(scenario)
        .args([
            "--setup-timeout",
            "120",
            "--drain",
            "60",
            "--max-time",
            "240",
        ])
        .arg("--json")
        .arg(&report_path)
        .output()
        .expect("run dais-loadgen");
    (output, report_path)
}

/// The JSON report of a run that must have succeeded, and what it printed.
fn read_report(output: &std::process::Output, report_path: &Path) -> (Value, String) {
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "dais-loadgen failed ({}):\n{stdout}\n{stderr}",
        output.status
    );
    let text = std::fs::read_to_string(report_path).expect("the JSON report");
    let report: Value = serde_json::from_str(&text).expect("a JSON report");
    (report, stdout)
}

#[test]
fn every_listener_gets_every_speech_in_order_exactly_once() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let listeners = LISTENERS.to_string();
    let (report, stdout) = run_loadgen(
        dir.path(),
        &[
            "--scenario",
            "fanout",
            "--connections",
            &listeners,
            "--duration",
            "3",
            "--rate",
            "20",
        ],
    );
    let checks = &report["checks"];
    assert_eq!(checks["listeners"], LISTENERS, "{stdout}");
    assert_eq!(checks["complete"], LISTENERS, "{stdout}");
    assert_eq!(checks["gaps"], 0, "{stdout}");
    assert_eq!(checks["duplicates"], 0, "{stdout}");
    assert_eq!(checks["missing"], 0, "{stdout}");
    assert_eq!(checks["passed"], true, "{stdout}");
    assert!(
        report["errors"].as_object().is_some_and(|e| e.is_empty()),
        "{stdout}"
    );
    assert!(
        report["closes"].as_object().is_some_and(|c| c.is_empty()),
        "{stdout}"
    );
    // Every acknowledged speech reached every listener, once.
    let figures = &report["figures"];
    let sent = figures["speeches_sent"].as_u64().expect("speeches_sent");
    let acked = figures["speeches_acked"].as_u64().expect("speeches_acked");
    assert!(acked > 0, "no speech was acknowledged: {stdout}");
    assert_eq!(acked, sent, "{stdout}");
    assert_eq!(figures["deliveries"], acked * LISTENERS, "{stdout}");
}

/// A flooder sends speeches as fast as it can under the server's default
/// rate limit: it must be refused (`rate_limited`), while the speaker, which
/// stays under the limit, is never refused and every listener still gets
/// every speech, in order, once.
#[test]
fn a_flood_is_refused_and_the_listeners_still_get_everything() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let (report, stdout) = run_loadgen(
        dir.path(),
        &[
            "--scenario",
            "flood",
            "--flooders",
            "1",
            "--connections",
            "50",
            "--duration",
            "4",
            "--rate",
            "10",
        ],
    );
    let checks = &report["checks"];
    assert_eq!(checks["listeners"], 50, "{stdout}");
    assert_eq!(checks["complete"], 50, "{stdout}");
    assert_eq!(checks["passed"], true, "{stdout}");
    let figures = &report["figures"];
    assert_eq!(
        figures["speeches_acked"], figures["speeches_sent"],
        "{stdout}"
    );
    let refused = figures["flood_rate_limited_answers"].as_u64();
    assert!(
        refused.is_some_and(|n| n > 0),
        "no flood frame was refused: {stdout}"
    );
}

/// A plenary of guests: 500 distinct guests (each `hello` with a name, on a
/// server that admits guests) join one room, then a delegate speaks. Every
/// guest must get every speech, in order, once, and hear of the others'
/// arrivals in presence frames.
#[test]
fn every_guest_of_a_plenary_gets_every_speech_in_order_exactly_once() {
    const GUESTS: u64 = 500;
    let dir = tempfile::tempdir().expect("a temporary directory");
    let guests = GUESTS.to_string();
    let (report, stdout) = run_loadgen(
        dir.path(),
        &[
            "--scenario",
            "plenary",
            "--connections",
            &guests,
            "--duration",
            "3",
            "--rate",
            "10",
        ],
    );
    let checks = &report["checks"];
    assert_eq!(checks["listeners"], GUESTS, "{stdout}");
    assert_eq!(checks["complete"], GUESTS, "{stdout}");
    assert_eq!(checks["passed"], true, "{stdout}");
    assert!(
        report["errors"].as_object().is_some_and(|e| e.is_empty()),
        "{stdout}"
    );
    assert!(
        report["closes"].as_object().is_some_and(|c| c.is_empty()),
        "{stdout}"
    );
    let figures = &report["figures"];
    assert_eq!(figures["members"], GUESTS, "{stdout}");
    assert_eq!(figures["members_are"], "guests", "{stdout}");
    let acked = figures["speeches_acked"].as_u64().expect("speeches_acked");
    assert!(acked > 0, "no speech was acknowledged: {stdout}");
    assert_eq!(figures["speeches_sent"], acked, "{stdout}");
    assert_eq!(figures["deliveries"], acked * GUESTS, "{stdout}");
    let presence = figures["presence_frames"]
        .as_u64()
        .expect("presence_frames");
    assert!(presence > 0, "no presence frame reached a guest: {stdout}");
    // Each guest was its own participant: the server admitted 500 guests.
    let admitted = report["server_metrics"]["dais_guests_admitted_total"].as_f64();
    assert_eq!(admitted, Some(GUESTS as f64), "{stdout}");
}

/// A delegate on a poor link (64 kbit/s, 300 ms each way, 3 % loss; the
/// kernel's netem, or the load generator's own emulator) joins a debate in
/// a room of 50 members in under 10 seconds, follows it with no gap, is
/// given the floor and speaks, and the speech is acknowledged: once
/// offering permessage-deflate, once not. The members get every event too.
#[test]
fn a_delegate_on_a_poor_link_joins_follows_and_speaks() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let (output, report_path) = start_loadgen(
        dir.path(),
        &[
            "--scenario",
            "poor-link",
            "--connections",
            "50",
            "--duration",
            "15",
            "--rate",
            "1",
            "--turn-speeches",
            "3",
            "--floor-after",
            "2",
        ],
    );
    if output.status.code() == Some(UNAVAILABLE) {
        let why = String::from_utf8_lossy(&output.stderr);
        let why = why.trim();
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("the poor-link run must run in CI, and it cannot start here: {why}");
        }
        eprintln!("SKIPPED a_delegate_on_a_poor_link_joins_follows_and_speaks: {why}");
        return;
    }
    let (report, stdout) = read_report(&output, &report_path);
    let checks = &report["checks"];
    assert_eq!(checks["passed"], true, "{stdout}");
    assert_eq!(checks["gaps"], 0, "{stdout}");
    assert_eq!(checks["duplicates"], 0, "{stdout}");
    // 50 members and the two delegates on the link.
    assert_eq!(checks["complete"], 52, "{stdout}");
    let figures = &report["figures"];
    for who in ["deflate", "plain"] {
        let join = figures[format!("{who}_join_s")].as_f64();
        assert!(
            join.is_some_and(|s| s < 10.0),
            "{who} joined in {join:?} s: {stdout}"
        );
        assert_eq!(figures[format!("{who}_gaps")], 0, "{stdout}");
        assert_eq!(figures[format!("{who}_duplicates")], 0, "{stdout}");
        assert_eq!(
            figures[format!("{who}_last_seq")],
            figures["debate_last_seq"],
            "{stdout}"
        );
        assert_eq!(figures[format!("{who}_floor_taken")], true, "{stdout}");
        assert_eq!(figures[format!("{who}_speech_acked")], true, "{stdout}");
    }
    let negotiated = figures["deflate_negotiated"].as_str().unwrap_or_default();
    assert!(negotiated.contains("permessage-deflate"), "{stdout}");
    assert_eq!(figures["plain_negotiated"], "none", "{stdout}");
    let emulation = figures["link_emulation"].as_str().unwrap_or_default();
    assert!(["netem", "tun"].contains(&emulation), "{stdout}");
}
