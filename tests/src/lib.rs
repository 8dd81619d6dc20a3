//! Helpers for the end-to-end tests: start the real `dais-server` binary on
//! an ephemeral port in a fresh data directory (through `dais-kit`, the
//! spawner the load generator and the client's tests use too), provision
//! participants with its CLI, and talk to it over real websockets.
//!
//! Nothing here sleeps a fixed time to wait for something: every wait is for
//! a frame or a line of output, with a generous timeout that only fires when
//! something is really wrong (the machines are shared and can be slow).

pub mod browser;
pub mod cluster;

use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use std::collections::VecDeque;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

/// How long any single wait may take before the test fails.
pub const WAIT: Duration = Duration::from_secs(30);

/// The `dais-server` binary that `cargo test --workspace` builds (the server
/// crate has integration tests, so cargo builds its binary first).
pub fn server_binary() -> PathBuf {
    dais_kit::server_binary().expect(
        "no dais-server beside this test: run `cargo test --workspace` (it builds the server) or set DAIS_SERVER_BIN",
    )
}

/// A running server process with its own data directory.
pub struct Server {
    child: Option<Child>,
    pub url: String,
    pub data: PathBuf,
    pub config: Option<PathBuf>,
    /// Extra command-line arguments, kept for restarts.
    pub args: Vec<String>,
    /// Extra environment variables, kept for restarts.
    pub env: Vec<(String, String)>,
    _dir: tempfile::TempDir,
    /// Lines the server wrote to stderr, for tests that look at the log.
    pub log: mpsc::Receiver<String>,
}

impl Server {
    pub fn start() -> Server {
        Server::start_with_config(None)
    }

    /// Start with a TOML config (written to the data directory's parent).
    pub fn start_with_config(config: Option<&str>) -> Server {
        Server::start_with_args(config, &[])
    }

    /// Start with a config and extra command-line arguments.
    pub fn start_with_args(config: Option<&str>, args: &[String]) -> Server {
        Server::start_with_env(config, args, &[])
    }

    /// Start with a config, extra arguments and environment variables (say,
    /// `RUST_LOG=trace`).
    pub fn start_with_env(config: Option<&str>, args: &[String], env: &[(&str, &str)]) -> Server {
        let dir = tempfile::tempdir().expect("tempdir");
        let data = dir.path().join("data");
        let config = config.map(|text| {
            let path = dir.path().join("dais.toml");
            std::fs::write(&path, text).expect("write config");
            path
        });
        let env: Vec<(String, String)> = env
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let (child, url, log) = spawn(&data, config.as_deref(), args, &env, "127.0.0.1:0");
        Server {
            child: Some(child),
            url,
            data,
            config,
            args: args.to_vec(),
            env,
            _dir: dir,
            log,
        }
    }

    /// The server process's id, while it runs.
    pub fn pid(&self) -> Option<u32> {
        self.child.as_ref().map(|c| c.id())
    }

    /// The server's resident memory in KiB (Linux: VmRSS of /proc/PID/status).
    pub fn rss_kib(&self) -> u64 {
        let pid = self.pid().expect("running");
        std::fs::read_to_string(format!("/proc/{pid}/status"))
            .ok()
            .and_then(|s| {
                s.lines()
                    .find_map(|l| l.strip_prefix("VmRSS:"))
                    .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            })
            .expect("VmRSS in /proc/PID/status")
    }

    /// The chair's token, created on first start.
    pub fn chair_token(&self) -> String {
        std::fs::read_to_string(self.data.join("chair.token"))
            .expect("chair.token")
            .trim()
            .to_string()
    }

    /// Run `dais-server --data DIR ARGS...` and return its stdout.
    pub fn cli(&self, args: &[&str]) -> String {
        let out = Command::new(server_binary())
            .arg("--data")
            .arg(&self.data)
            .args(args)
            .output()
            .expect("run dais-server");
        assert!(
            out.status.success(),
            "dais-server {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Provision a participant; returns (id, token).
    pub fn add(
        &self,
        name: &str,
        delegation: &str,
        stakeholder: &str,
        role: &str,
    ) -> (String, String) {
        let out = self.cli(&[
            "participant",
            "add",
            "--name",
            name,
            "--delegation",
            delegation,
            "--stakeholder",
            stakeholder,
            "--role",
            role,
            "--json",
        ]);
        let v: Value = serde_json::from_str(out.trim()).expect("participant json");
        (
            v["id"].as_str().expect("id").to_string(),
            v["token"].as_str().expect("token").to_string(),
        )
    }

    /// Kill the process without warning (SIGKILL).
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Every line the server has logged so far.
    pub fn log_lines(&self) -> Vec<String> {
        self.log.try_iter().collect()
    }

    /// A directory that lives as long as the server, for test files.
    pub fn dir(&self) -> &Path {
        self._dir.path()
    }

    /// Ask the process to stop (SIGTERM) and wait for it to exit.
    pub fn terminate(&mut self) -> std::process::ExitStatus {
        let mut child = self.child.take().expect("server running");
        let pid = child.id().to_string();
        let _ = Command::new("kill").args(["-TERM", &pid]).status();
        child.wait().expect("wait for server")
    }

    /// Start again on the same data directory (on a new port).
    pub fn restart(&mut self) {
        self.kill();
        let (child, url, log) = spawn(
            &self.data,
            self.config.as_deref(),
            &self.args,
            &self.env,
            "127.0.0.1:0",
        );
        self.child = Some(child);
        self.url = url;
        self.log = log;
    }

    /// Start again on the same data directory and the same port, as an
    /// admin restarting the service would: a browser that held a page open
    /// reconnects to the same address.
    pub fn restart_on_same_port(&mut self) {
        let listen = self
            .url
            .trim_start_matches("ws://")
            .trim_end_matches('/')
            .to_string();
        self.kill();
        let (child, url, log) = spawn(
            &self.data,
            self.config.as_deref(),
            &self.args,
            &self.env,
            &listen,
        );
        self.child = Some(child);
        self.url = url;
        self.log = log;
    }

    /// The server's address for a browser: `http://127.0.0.1:PORT`.
    pub fn http(&self) -> String {
        self.url
            .replacen("ws://", "http://", 1)
            .trim_end_matches('/')
            .to_string()
    }

    pub async fn connect(&self) -> Client {
        Client::connect(&self.url).await
    }

    pub async fn login(&self, token: &str) -> Client {
        let mut c = self.connect().await;
        let welcome = c.hello(token).await;
        assert_eq!(welcome["type"], "welcome", "hello failed: {welcome}");
        c
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Start the server through the kit's spawner (it learns the address from
/// `--address-file`), keeping every line of its stderr for `log_lines`.
fn spawn(
    data: &Path,
    config: Option<&Path>,
    args: &[String],
    env: &[(String, String)],
    listen: &str,
) -> (Child, String, mpsc::Receiver<String>) {
    let mut spawner = dais_kit::Spawner::new(server_binary(), data)
        .listen(listen)
        .timeout(WAIT);
    let cmd = spawner.command();
    cmd.args(args);
    if let Some(c) = config {
        cmd.arg("--config").arg(c);
    }
    // Debug for the server itself, so the check that no token is logged
    // covers every line it can write.
    cmd.env("RUST_LOG", "info,dais_server=debug")
        .envs(env.iter().map(|(k, v)| (k, v)))
        .stderr(Stdio::piped());
    let mut running = spawner.start().expect("start dais-server");
    let stderr = running.child.stderr.take().expect("stderr");
    let (tx, rx) = mpsc::channel();
    // Read to the end, so that the server never blocks on a full pipe.
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines() {
            let Ok(line) = line else { break };
            let _ = tx.send(line);
        }
    });
    (running.child, running.url, rx)
}

type Ws = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// A websocket client that keeps every frame it has not been asked about yet.
pub struct Client {
    ws: Ws,
    next_id: u64,
    /// Frames received but not yet consumed by a wait.
    pub backlog: VecDeque<Value>,
    /// How the server closed the connection, once it has: (code, reason).
    pub closed: Option<(u16, String)>,
    pub me: Value,
}

impl Client {
    pub async fn connect(url: &str) -> Client {
        let (ws, _) = tokio::time::timeout(WAIT, tokio_tungstenite::connect_async(url))
            .await
            .expect("connect timed out")
            .expect("connect");
        Client {
            ws,
            next_id: 0,
            backlog: VecDeque::new(),
            closed: None,
            me: Value::Null,
        }
    }

    /// Say hello with a token; returns the answer (welcome or error).
    pub async fn hello(&mut self, token: &str) -> Value {
        self.send(json!({"type": "hello", "protocol": 2, "token": token}))
            .await;
        let answer = self.next_frame().await.expect("an answer to hello");
        if answer["type"] == "welcome" {
            self.me = answer["participant"].clone();
        }
        answer
    }

    pub fn id(&self) -> String {
        self.me["id"].as_str().unwrap_or_default().to_string()
    }

    pub async fn send(&mut self, v: Value) {
        self.send_text(v.to_string()).await;
    }

    pub async fn send_text(&mut self, text: String) {
        self.ws.send(Message::text(text)).await.expect("send");
    }

    /// Send, tolerating a connection the server has already closed.
    pub async fn try_send(&mut self, v: Value) -> bool {
        self.ws.send(Message::text(v.to_string())).await.is_ok()
    }

    pub async fn send_raw(&mut self, msg: Message) {
        self.ws.send(msg).await.expect("send");
    }

    /// Send any websocket message (a ping, a raw frame), tolerating a
    /// connection the server has already closed.
    pub async fn try_send_raw(&mut self, msg: Message) -> bool {
        self.ws.send(msg).await.is_ok()
    }

    /// Whether the server has closed the connection, reading (and keeping)
    /// whatever has arrived without waiting for more.
    pub async fn closed_now(&mut self) -> bool {
        loop {
            if self.closed.is_some() {
                return true;
            }
            match tokio::time::timeout(Duration::from_millis(1), self.ws.next()).await {
                Err(_) => return false,
                Ok(Some(Ok(Message::Text(t)))) => {
                    if let Ok(v) = serde_json::from_str(t.as_str()) {
                        self.backlog.push_back(v);
                    }
                }
                Ok(Some(Ok(Message::Close(frame)))) => {
                    self.closed = Some(
                        frame
                            .map(|f| (u16::from(f.code), f.reason.to_string()))
                            .unwrap_or((1005, String::new())),
                    );
                }
                Ok(Some(Ok(_))) => {}
                Ok(Some(Err(_))) | Ok(None) => {
                    self.closed.get_or_insert((1006, String::new()));
                }
            }
        }
    }

    /// The next frame from the server, or None once the connection closed.
    pub async fn next_frame(&mut self) -> Option<Value> {
        if let Some(v) = self.backlog.pop_front() {
            return Some(v);
        }
        self.read().await
    }

    async fn read(&mut self) -> Option<Value> {
        self.read_until(tokio::time::Instant::now() + WAIT).await
    }

    /// Read the next text frame, failing the test at `deadline`. Pings and
    /// pongs do not count as frames, so a quiet server still times out.
    async fn read_until(&mut self, deadline: tokio::time::Instant) -> Option<Value> {
        loop {
            if self.closed.is_some() {
                return None;
            }
            let msg = tokio::time::timeout_at(deadline, self.ws.next())
                .await
                .expect("timed out waiting for a frame from the server");
            match msg {
                Some(Ok(Message::Text(t))) => {
                    return Some(
                        serde_json::from_str(t.as_str()).expect("server sent invalid JSON"),
                    );
                }
                Some(Ok(Message::Close(frame))) => {
                    self.closed = Some(
                        frame
                            .map(|f| (u16::from(f.code), f.reason.to_string()))
                            .unwrap_or((1005, String::new())),
                    );
                    return None;
                }
                Some(Ok(_)) => continue,
                Some(Err(_)) | None => {
                    self.closed.get_or_insert((1006, String::new()));
                    return None;
                }
            }
        }
    }

    /// Wait for a frame matching `pred`, keeping the others for later.
    pub async fn wait_for(&mut self, what: &str, pred: impl Fn(&Value) -> bool) -> Value {
        if let Some(pos) = self.backlog.iter().position(&pred) {
            return self.backlog.remove(pos).expect("position is valid");
        }
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            match self.read_until(deadline).await {
                Some(v) if pred(&v) => return v,
                Some(v) => self.backlog.push_back(v),
                None => panic!(
                    "connection closed ({:?}) while waiting for {what}",
                    self.closed
                ),
            }
        }
    }

    /// Wait for an event of `kind`.
    pub async fn event(&mut self, kind: &str) -> Value {
        self.wait_for(&format!("a {kind} event"), |v| {
            v["type"] == "event" && v["kind"] == kind
        })
        .await
    }

    /// Wait for a room_state that satisfies `pred`.
    pub async fn state_where(&mut self, what: &str, pred: impl Fn(&Value) -> bool) -> Value {
        self.wait_for(what, |v| v["type"] == "room_state" && pred(v))
            .await
    }

    /// Send a request with a fresh id and wait for its ok or error.
    pub async fn request(&mut self, mut v: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        v["id"] = json!(id);
        self.send(v).await;
        self.wait_for(&format!("the reply to request {id}"), |f| {
            matches!(
                f["type"].as_str(),
                Some("ok" | "error" | "history" | "members" | "rooms" | "fairness")
            ) && f["id"] == json!(id)
        })
        .await
    }

    /// A request whose answer is a frame of its own (`members`, `history`,
    /// `rooms`), which must not be an error; returns it.
    pub async fn ok_frame(&mut self, mut v: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        v["id"] = json!(id);
        let what = v.to_string();
        self.send(v).await;
        let reply = self
            .wait_for(&format!("the reply to request {id}"), |f| {
                f["type"] != "event"
                    && f["type"] != "room_state"
                    && f["type"] != "presence"
                    && f["id"] == json!(id)
            })
            .await;
        assert_ne!(reply["type"], "error", "{what} was refused: {reply}");
        reply
    }

    /// A request that must succeed; returns the ok.
    pub async fn ok(&mut self, v: Value) -> Value {
        let what = v.to_string();
        let reply = self.request(v).await;
        assert_eq!(reply["type"], "ok", "{what} was refused: {reply}");
        reply
    }

    /// A request that must fail with `code`.
    pub async fn refused(&mut self, v: Value, code: &str) -> Value {
        let what = v.to_string();
        let reply = self.request(v).await;
        assert_eq!(
            reply["type"], "error",
            "{what} should have been refused: {reply}"
        );
        assert_eq!(reply["code"], code, "{what}: wrong code in {reply}");
        reply
    }

    pub async fn join(&mut self, room: &str) -> Value {
        self.ok(json!({"type": "join", "room": room})).await
    }

    /// Join and return the `room_state` that comes before the `ok`.
    pub async fn join_state(&mut self, room: &str) -> Value {
        self.join(room).await;
        self.wait_for("the join's room_state", |v| {
            v["type"] == "room_state" && v["room"] == room
        })
        .await
    }

    /// Drop every frame received so far.
    pub fn clear(&mut self) {
        self.backlog.clear();
    }

    /// Wait until the server closes the connection; returns (code, reason).
    pub async fn wait_closed(&mut self) -> (u16, String) {
        self.backlog.clear();
        while self.read().await.is_some() {}
        self.closed.clone().unwrap_or((1006, String::new()))
    }

    pub async fn close(mut self) {
        let _ = self.ws.close(None).await;
    }
}

/// A plain HTTP GET of `path` on the server at `url` (`ws://host:port`):
/// the whole answer, status line, headers and body.
pub async fn http_get(url: &str, path: &str) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let addr = url.trim_start_matches("ws://").trim_end_matches('/');
    let mut stream = TcpStream::connect(addr).await.expect("connect");
    let request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    // A refused connection may be closed before the request is written.
    let _ = stream.write_all(request.as_bytes()).await;
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(WAIT, stream.read_to_end(&mut answer))
        .await
        .expect("an answer in time");
    String::from_utf8_lossy(&answer).into_owned()
}

/// Every `seq` of the events in `frames` for `room`, in order.
pub fn seqs(frames: &[Value], room: &str) -> Vec<u64> {
    frames
        .iter()
        .filter(|f| f["type"] == "event" && f["room"] == room)
        .filter_map(|f| f["seq"].as_u64())
        .collect()
}

/// Rooms for the turn-taking tests, each set up for one kind of rule.
pub const TEST_ROOMS: &str = r#"
[[room]]
id = "debate"
titles = { en = "Debate" }
time_limit = 300

[[room]]
id = "fair"
titles = { en = "Fair" }
time_limit = 300
policy = { order = "fair" }

[[room]]
id = "balanced"
titles = { en = "Balanced" }
time_limit = 300
policy = { order = "fifo", balance_stakeholders = true }

[[room]]
id = "timed"
titles = { en = "Timed" }
time_limit = 1

[[room]]
id = "timed-auto"
titles = { en = "Timed, auto" }
time_limit = 1
auto_advance = true

[[room]]
id = "tour"
titles = { en = "Tour de table" }
mode = "round_robin"
time_limit = 300

[[room]]
id = "open"
titles = { en = "Open" }
mode = "open"
"#;

/// A server with `TEST_ROOMS`, the chair logged in, and `n` delegates
/// (Delegate 1, 2, ... of delegations D1, D2, ...; government) logged in.
pub async fn session(n: usize) -> (Server, Client, Vec<Client>) {
    session_with(TEST_ROOMS, n).await
}

pub async fn session_with(config: &str, n: usize) -> (Server, Client, Vec<Client>) {
    let server = Server::start_with_config(Some(config));
    let chair = server.login(&server.chair_token()).await;
    let mut delegates = Vec::new();
    for i in 1..=n {
        let (_, token) = server.add(
            &format!("Delegate {i}"),
            &format!("D{i}"),
            "government",
            "delegate",
        );
        delegates.push(server.login(&token).await);
    }
    (server, chair, delegates)
}

/// Holder of the floor in a room_state, if any.
pub fn holder(state: &Value) -> Option<String> {
    state["floor"]["holder"]["id"].as_str().map(str::to_string)
}

/// The ids in a room_state's queue, in order.
pub fn queue(state: &Value) -> Vec<String> {
    state["queue"]
        .as_array()
        .map(|q| {
            q.iter()
                .filter_map(|e| e["who"]["id"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}
