//! A real session: the real server and four real clients in tmux, driven by
//! keys, read from the screen. The chair works in Chinese (signed in with a
//! token file), one delegate in Arabic, one in English, and a guest follows
//! in English: a delegate asks for the floor, the chair gives it, the
//! delegate speaks, the time runs out, the floor passes on; the server
//! restarts and everyone comes back; the English delegate switches to
//! French and the room titles follow.
//!
//! Needs `tmux` and the `dais-server` binary next to `dais` (a workspace
//! build makes both); without them the test says so and passes.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use dais::bidi::{visual_line, BidiMode};
use dais::i18n::Localizer;

/// Everything this test started, ended when it is dropped.
struct Session {
    socket: String,
    server: Child,
    _data: tempfile::TempDir,
}

impl Drop for Session {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["-L", &self.socket, "kill-server"])
            .status();
        let _ = self.server.kill();
        let _ = self.server.wait();
    }
}

impl Session {
    fn tmux(&self, args: &[&str]) -> String {
        let output = Command::new("tmux")
            .args(["-L", &self.socket])
            .args(args)
            .output()
            .unwrap_or_else(|e| panic!("tmux {args:?}: {e}"));
        String::from_utf8_lossy(&output.stdout).into_owned()
    }

    /// A client signed in with `login` (`--token …`, `--token-file …` or
    /// `--guest …`).
    fn start_client(&self, name: &str, client: &Path, url: &str, login: &str, lang: &str) {
        let command = format!(
            "{} --server {url} {login} --lang {lang} --config /nonexistent.toml 2>/dev/null; sleep 30",
            client.display()
        );
        self.tmux(&[
            "new-session",
            "-d",
            "-s",
            name,
            "-x",
            "120",
            "-y",
            "40",
            &command,
        ]);
    }

    fn keys(&self, name: &str, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", name];
        args.extend_from_slice(keys);
        self.tmux(&args);
    }

    fn text(&self, name: &str, text: &str) {
        self.tmux(&["send-keys", "-t", name, "-l", text]);
    }

    fn screen(&self, name: &str) -> String {
        self.tmux(&["capture-pane", "-p", "-t", name])
    }

    /// Wait until `text` is on the screen, rather than sleeping a fixed time.
    fn wait_for(&self, name: &str, text: &str, timeout: Duration) {
        let start = Instant::now();
        loop {
            let screen = self.screen(name);
            if screen.contains(text) {
                return;
            }
            if start.elapsed() > timeout {
                panic!("{name}: `{text}` did not appear within {timeout:?}:\n{screen}");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

fn add_participant(server: &Path, data: &Path, name: &str, delegation: &str) -> String {
    let output = Command::new(server)
        .arg("--data")
        .arg(data)
        .args([
            "participant",
            "add",
            "--name",
            name,
            "--delegation",
            delegation,
        ])
        .args(["--stakeholder", "government", "--role", "delegate"])
        .output()
        .unwrap_or_else(|e| panic!("participant add: {e}"));
    let stdout = String::from_utf8_lossy(&output.stdout);
    stdout
        .split_whitespace()
        .find(|w| w.starts_with("dais_"))
        .unwrap_or_else(|| panic!("no token in: {stdout}"))
        .to_owned()
}

/// A label as the client draws it: localized, bidi-ordered, without marks.
fn shown(lang: &str, id: &str) -> String {
    let l10n = Localizer::for_tag(lang);
    visual_line(&l10n.t(id), l10n.is_rtl(), BidiMode::App)
}

#[test]
fn a_moderated_exchange_in_three_languages() {
    let client = PathBuf::from(env!("CARGO_BIN_EXE_dais"));
    let server_bin = client.with_file_name("dais-server");
    let tmux_ok = Command::new("tmux")
        .arg("-V")
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !tmux_ok || !server_bin.exists() {
        eprintln!("skipped: needs tmux and {}", server_bin.display());
        return;
    }
    let data = tempfile::tempdir().unwrap_or_else(|e| panic!("temp dir: {e}"));
    let config = data.path().join("server.toml");
    std::fs::write(&config, "[server]\nallow_guests = true\n")
        .unwrap_or_else(|e| panic!("server config: {e}"));
    // The first start takes a port of the kernel's choosing; the restart
    // below comes back on the same one, as a service does.
    let start_server = |data: &Path, listen: &str| {
        let mut spawner = dais_kit::Spawner::new(&server_bin, data).listen(listen);
        spawner.command().arg("--config").arg(&config);
        spawner
            .start()
            .unwrap_or_else(|e| panic!("start the server: {e}"))
    };
    let running = start_server(data.path(), "127.0.0.1:0");
    let url = running.url.clone();
    let port = running.addr.port();
    let mut session = Session {
        socket: format!("dais-test-{}", std::process::id()),
        server: running.child,
        _data: data,
    };
    let token_file = session._data.path().join("chair.token");
    // The chair's token is read from the file the server wrote, as
    // --token-file recommends (a token on the command line shows in `ps`).
    let chair_login = format!("--token-file {}", token_file.display());
    let aland = add_participant(&server_bin, session._data.path(), "Amal", "Aland");
    let borduria = add_participant(&server_bin, session._data.path(), "Boris", "Borduria");

    let wait = Duration::from_secs(15);
    session.start_client("chair", &client, &url, &chair_login, "zh-CN");
    session.start_client("aland", &client, &url, &format!("--token {aland}"), "ar");
    session.start_client(
        "borduria",
        &client,
        &url,
        &format!("--token {borduria}"),
        "en",
    );
    session.start_client("guest", &client, &url, "--guest Gwen", "en");
    session.wait_for("chair", &shown("zh-CN", "status-online"), wait);
    session.wait_for("aland", &shown("ar", "status-online"), wait);
    session.wait_for("borduria", "Connected", wait);
    session.wait_for("guest", "Connected · Observer [guest]", wait);

    // Everyone is counted, and the guest is marked as one on every screen.
    session.wait_for("borduria", "4 online of 4", wait);
    session.wait_for("borduria", "Gwen [guest]", wait);
    session.wait_for("chair", "Gwen [访客]", wait);
    session.wait_for("guest", "1 guest", wait);

    // A short turn, so that the time runs out during the test.
    session.text("chair", "/time-limit 3");
    session.keys("chair", &["Enter"]);
    session.wait_for("chair", "0:03", wait);

    // Both delegates ask for the floor; the chair sees them queue.
    session.keys("aland", &["F2"]);
    session.wait_for("chair", "1. Aland", wait);
    session.keys("borduria", &["F2"]);
    session.wait_for("chair", "2. Borduria", wait);
    session.wait_for("borduria", "2. Borduria ◀ you", wait);

    // The chair gives the floor to the head of the list (a slash command,
    // typed whole, acts without the question F7 asks when it cuts a
    // speaker off).
    session.text("chair", "/next");
    session.keys("chair", &["Enter"]);
    session.wait_for("aland", &shown("ar", "notice-your-floor"), wait);
    session.wait_for("borduria", "The floor goes to Aland", wait);

    // The delegate speaks; everyone reads it.
    session.text("aland", "We support the draft");
    session.keys("aland", &["Enter"]);
    session.wait_for("chair", "We support the draft", wait);
    session.wait_for("borduria", "We support the draft", wait);

    // The time runs out, and the chair moves on to the next in line.
    session.wait_for("borduria", "time ran out", wait);
    session.text("chair", "/next");
    session.keys("chair", &["Enter"]);
    session.wait_for("borduria", "You have the floor", wait);
    session.wait_for("aland", "Borduria", wait);

    // The server restarts (SIGTERM, as systemd does). The clients say they
    // are offline; what the chair types meanwhile is kept, sent once the
    // server is back, and everyone reads it once.
    let pid = session.server.id().to_string();
    let stopped = Command::new("kill").args(["-TERM", &pid]).status();
    assert!(stopped.is_ok_and(|s| s.success()), "kill -TERM {pid}");
    let _ = session.server.wait();
    session.wait_for("borduria", &format!("Offline (127.0.0.1:{port})"), wait);
    session.text("chair", "Back after the restart");
    session.keys("chair", &["Enter"]);
    session.server = start_server(session._data.path(), &format!("127.0.0.1:{port}")).child;
    session.wait_for(
        "borduria",
        "Back after the restart",
        Duration::from_secs(30),
    );
    session.wait_for("aland", "Back after the restart", wait);
    session.wait_for("chair", &shown("zh-CN", "status-online"), wait);
    assert_eq!(
        session
            .screen("borduria")
            .matches("Back after the restart")
            .count(),
        1,
        "shown once:\n{}",
        session.screen("borduria")
    );
    // The guest came back too (with the credential its welcome gave), and
    // is listed once.
    session.wait_for("guest", "Back after the restart", wait);
    session.wait_for("borduria", "4 online of 4", wait);
    assert_eq!(
        session.screen("borduria").matches("Gwen [guest]").count(),
        1,
        "{}",
        session.screen("borduria")
    );

    // F12, then 2: French. The room list comes again, titled in French.
    session.keys("borduria", &["F12"]);
    session.keys("borduria", &["2"]);
    session.wait_for("borduria", "Cybersécurité", wait);
    session.wait_for("borduria", "4 en ligne sur 4", wait);
    session.wait_for("borduria", "Gwen [invité]", wait);

    // Quitting restores the terminal: the shell's `sleep` is what remains.
    session.keys("borduria", &["C-q"]);
    let start = Instant::now();
    while session.screen("borduria").contains("Connecté") {
        assert!(start.elapsed() < wait, "the client did not quit");
        std::thread::sleep(Duration::from_millis(100));
    }
}
