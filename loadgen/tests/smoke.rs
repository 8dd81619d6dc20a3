//! Small runs against the real server, checked for correctness only: a
//! fan-out (200 listeners), a flood (50 listeners, one flooder) and a
//! plenary (500 guests), one speaker and a few seconds each, and every
//! listener must get every speech, in order, exactly once. Nothing here
//! depends on how fast the machine is; the limits below are generous bounds
//! that only a broken run reaches.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

const LISTENERS: u64 = 200;

/// The `dais-server` binary that `cargo test --workspace` builds (the server
/// crate has integration tests, so its binary is built before any test runs).
fn server_binary() -> PathBuf {
    if let Some(p) = std::env::var_os("DAIS_SERVER_BIN") {
        return PathBuf::from(p);
    }
    let exe = std::env::current_exe().expect("the test's own path");
    // target/debug/deps/smoke-1234 -> target/debug/dais-server
    let profile_dir = exe
        .parent()
        .and_then(Path::parent)
        .expect("a target directory");
    let bin = profile_dir.join(format!("dais-server{}", std::env::consts::EXE_SUFFIX));
    assert!(
        bin.exists(),
        "{} is missing: run `cargo test --workspace` (which builds it) or set DAIS_SERVER_BIN",
        bin.display()
    );
    bin
}

/// Run one scenario against a fresh server in `dir` (the given arguments
/// plus generous bounds), and return its JSON report and what it printed.
fn run_loadgen(dir: &Path, scenario: &[&str]) -> (Value, String) {
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
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "dais-loadgen failed ({}):\n{stdout}\n{stderr}",
        output.status
    );
    let text = std::fs::read_to_string(&report_path).expect("the JSON report");
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
