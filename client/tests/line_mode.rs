//! Line mode, as a screen reader gets it: the real client with `--line` in
//! a pseudo-terminal (util-linux's `script`), against the real server, its
//! lines read and compared whole. A chair and a delegate: the delegate asks
//! for the floor, is told it is their turn and that ten seconds are left,
//! a poll opens and the delegate votes by number.
//!
//! Needs `script` and the `dais-server` binary next to `dais` (a workspace
//! build makes both); without them the test says so and passes.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// One client in line mode, in a pty.
struct Client {
    name: &'static str,
    child: Child,
    stdin: ChildStdin,
    lines: mpsc::Receiver<String>,
    /// Every line read so far, times masked.
    seen: Vec<String>,
}

/// `14:05 ` or `2:05 PM ` at the start of a line becomes `<time> `: the
/// rest of the line is compared exactly.
fn mask_time(line: &str) -> String {
    let bytes: Vec<char> = line.chars().collect();
    let digits = |from: usize, n: usize| {
        (from..from + n).all(|i| bytes.get(i).is_some_and(char::is_ascii_digit))
    };
    for hours in [1, 2] {
        if digits(0, hours) && bytes.get(hours) == Some(&':') && digits(hours + 1, 2) {
            let mut rest: String = bytes[hours + 3..].iter().collect();
            for suffix in ["\u{202f}AM", "\u{202f}PM", " AM", " PM"] {
                if let Some(after) = rest.strip_prefix(suffix) {
                    rest = after.to_owned();
                }
            }
            return format!("<time>{rest}");
        }
    }
    line.to_owned()
}

impl Client {
    fn start(name: &'static str, dais: &Path, args: &str) -> Client {
        let command = format!(
            "{} --line {args} --config /nonexistent.toml",
            dais.display()
        );
        let mut child = Command::new("script")
            .args(["-qfec", &command, "/dev/null"])
            .env("TZ", "UTC")
            .env("TERM", "xterm-256color")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("script: {e}"));
        let stdin = child.stdin.take().unwrap_or_else(|| panic!("stdin"));
        let stdout = child.stdout.take().unwrap_or_else(|| panic!("stdout"));
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).split(b'\n') {
                let Ok(line) = line else { return };
                let text = String::from_utf8_lossy(&line)
                    .trim_end_matches('\r')
                    .to_owned();
                if tx.send(text).is_err() {
                    return;
                }
            }
        });
        Client {
            name,
            child,
            stdin,
            lines,
            seen: Vec::new(),
        }
    }

    fn type_line(&mut self, text: &str) {
        let _ = writeln!(self.stdin, "{text}");
        let _ = self.stdin.flush();
    }

    /// Read lines until one equals `wanted` (times masked); return the
    /// lines read on the way, the wanted one included.
    fn expect(&mut self, wanted: &str) -> Vec<String> {
        let deadline = Instant::now() + Duration::from_secs(20);
        let mut read = Vec::new();
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    let line = mask_time(&line);
                    // The typed text comes back first: the pty echoes it.
                    let line = line.trim_start_matches("> ").to_owned();
                    self.seen.push(line.clone());
                    read.push(line.clone());
                    if line == wanted {
                        return read;
                    }
                }
                Err(_) => panic!(
                    "{}: `{wanted}` not read within 20 s; read:\n{}",
                    self.name,
                    self.seen.join("\n")
                ),
            }
        }
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn line_mode_speaks_one_line_per_event_and_takes_slash_commands() {
    let dais = PathBuf::from(env!("CARGO_BIN_EXE_dais"));
    let server_bin = dais.with_file_name("dais-server");
    let script_ok = Command::new("script")
        .arg("--version")
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !script_ok || !server_bin.exists() {
        eprintln!("skipped: needs script and {}", server_bin.display());
        return;
    }
    let data = tempfile::tempdir().unwrap_or_else(|e| panic!("temp dir: {e}"));
    // The kit's spawner returns once the server has written its address,
    // which it does after the first start's chair token is on disk.
    let running = dais_kit::Spawner::new(&server_bin, data.path())
        .start()
        .unwrap_or_else(|e| panic!("start the server: {e}"));
    let url = running.url.clone();
    let port = running.addr.port();
    let _server = Server(running.child);
    let chair_token = data.path().join("chair.token");
    let output = Command::new(&server_bin)
        .arg("--data")
        .arg(data.path())
        .args([
            "participant",
            "add",
            "--name",
            "Amal",
            "--delegation",
            "Aland",
        ])
        .args(["--stakeholder", "government", "--role", "delegate"])
        .output()
        .unwrap_or_else(|e| panic!("participant add: {e}"));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let token = stdout
        .split_whitespace()
        .find(|w| w.starts_with("dais_"))
        .unwrap_or_else(|| panic!("no token in: {stdout}"));
    let delegate_token = data.path().join("aland.token");
    std::fs::write(&delegate_token, token).unwrap_or_else(|e| panic!("token file: {e}"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(&delegate_token, std::fs::Permissions::from_mode(0o600));
    }

    let mut chair = Client::start(
        "chair",
        &dais,
        &format!(
            "--server {url} --token-file {} --lang en",
            chair_token.display()
        ),
    );
    chair.expect(&format!(
        "Connected to 127.0.0.1:{port} as Secretariat (Chair). /help lists the commands."
    ));
    let room = chair.expect_room();
    let mut aland = Client::start(
        "aland",
        &dais,
        &format!(
            "--server {url} --token-file {} --lang en",
            delegate_token.display()
        ),
    );
    aland.expect(&format!(
        "Connected to 127.0.0.1:{port} as Aland (Delegate). /help lists the commands."
    ));
    aland.expect(&room);

    // A turn of fifteen seconds: the ten-second warning comes soon.
    chair.type_line("/time-limit 15");
    aland.expect("<time> Secretariat set the time per turn: 0:15");

    // The delegate asks for the floor by slash command; the chair sees it.
    aland.type_line("/request-floor");
    chair.expect("<time> Aland asks for the floor");
    chair.type_line("/next");
    let read = aland.expect("Attention: You have the floor");
    assert!(
        read.contains(&"<time> The floor goes to Aland (Amal)".to_owned()),
        "{read:?}"
    );
    aland.type_line("We support the draft.");
    chair.expect("<time> Aland (English): We support the draft.");
    aland.expect("Attention: 10 seconds left");

    // A poll: announced with its options and how to vote; the vote is a
    // numbered list answered with a number.
    chair.type_line("/poll Adopt the draft?");
    chair.expect("Options separated by ; (empty: support; object; abstain)");
    chair.type_line("");
    let read = aland.expect("Vote with /vote and the number of an option.");
    assert_eq!(
        read[read.len() - 2],
        "<time> Poll opened by Secretariat: Adopt the draft? 1. Support 2. Object 3. Abstain",
        "{read:?}"
    );
    aland.type_line("/vote");
    let read = aland.expect("Answer with a number, or an empty line to cancel:");
    assert_eq!(
        read[read.len() - 5..],
        [
            "Your vote",
            "1. Support",
            "2. Object",
            "3. Abstain",
            "Answer with a number, or an empty line to cancel:",
        ],
        "{read:?}"
    );
    aland.type_line("1");
    aland.expect("Your vote was counted");

    // The fairness figures, as plain lines: a heading, the totals, one line
    // per stakeholder group and per delegation, the violations and the
    // chair's interventions (issue 11).
    chair.type_line("/fairness");
    let title = room
        .trim_start_matches("Room: ")
        .rsplit_once(" (")
        .map_or(room.as_str(), |(title, _)| title)
        .to_owned();
    let heading = chair.expect_starting(&format!(
        "Fairness figures of {title}, whole record, up to event "
    ));
    assert!(heading.ends_with(':'), "{heading}");
    chair.expect_starting("Turns: ");
    chair.expect_starting("Gini coefficient: ");
    chair.expect_starting("Representation spread: ");
    chair.expect("Requests for the floor: 1 · served 1 · withdrawn 0 · never served 0");
    chair.expect_starting("Governments: ");
    chair.expect_starting("Aland (Governments): ");
    chair.expect("Precedence violations: 0");
    chair.expect("The chair's interventions: 0");

    // Nothing a screen reader would spell out: no escape sequences.
    for line in aland.seen.iter().chain(&chair.seen) {
        assert!(!line.contains('\u{1b}'), "an escape sequence in {line:?}");
        assert!(!line.contains(['\u{2068}', '\u{2069}']), "{line:?}");
    }
    chair.type_line("/quit");
    aland.type_line("/quit");
}

impl Client {
    /// Read lines until one starts with `prefix` (times masked); return it.
    fn expect_starting(&mut self, prefix: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    let line = mask_time(&line).trim_start_matches("> ").to_owned();
                    self.seen.push(line.clone());
                    if line.starts_with(prefix) {
                        return line;
                    }
                }
                Err(_) => panic!(
                    "{}: no line starting `{prefix}` within 20 s; read:\n{}",
                    self.name,
                    self.seen.join("\n")
                ),
            }
        }
    }

    /// The line that names the room entered, whichever the server opened first.
    fn expect_room(&mut self) -> String {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    let line = line.trim_start_matches("> ").to_owned();
                    self.seen.push(line.clone());
                    if line.starts_with("Room: ") {
                        return line;
                    }
                }
                Err(_) => panic!("{}: no room line:\n{}", self.name, self.seen.join("\n")),
            }
        }
    }
}
