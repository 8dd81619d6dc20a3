//! A real browser for the public pages' tests: Debian's `chromium`, driven
//! through `chromedriver` (W3C WebDriver) started by the test on a free
//! port, headless. The WebDriver calls are a handful of JSON requests, so
//! they are made here over a plain HTTP/1.1 connection, with no client
//! library and nothing that could download a browser of its own.
//!
//! Where chromium, chromedriver or axe-core cannot be found, [`Browser::start`]
//! and [`axe_source`] say so and the test is skipped; under `CI=true` they
//! fail instead, so that CI never skips them silently (`.ci/run` installs
//! all three).

use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// True when running in CI, where a missing browser is a failure.
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

/// Say why a test cannot run: skip it here, fail it in CI.
pub fn unavailable(what: &str) {
    if in_ci() {
        panic!("{what}; CI must run the browser tests (.ci/run installs chromium, chromium-driver and axe-core)");
    }
    eprintln!("SKIPPED: {what} (install chromium and chromium-driver, or run .ci/run)");
}

fn find_program(env: &str, candidates: &[&str]) -> Option<PathBuf> {
    if let Ok(p) = std::env::var(env) {
        return Some(PathBuf::from(p)).filter(|p| p.exists());
    }
    for c in candidates {
        if c.starts_with('/') {
            if Path::new(c).exists() {
                return Some(PathBuf::from(c));
            }
            continue;
        }
        if let Some(path) = std::env::var_os("PATH") {
            for dir in std::env::split_paths(&path) {
                let p = dir.join(c);
                if p.exists() {
                    return Some(p);
                }
            }
        }
    }
    None
}

/// Where the tests keep what they make (screenshots, axe-core): the
/// target directory the test binary runs from.
pub fn artifacts_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("current exe");
    // target/debug/deps/test-xxxx -> target
    let target = exe
        .parent()
        .and_then(Path::parent)
        .and_then(Path::parent)
        .map(Path::to_path_buf)
        .unwrap_or_else(std::env::temp_dir);
    let dir = target.join("browser-artifacts");
    std::fs::create_dir_all(&dir).expect("artifacts dir");
    dir
}

/// axe-core's source (`axe.min.js`), from `AXE_CORE_JS`, from where
/// `.ci/run` installs it, or installed from the npm registry into the
/// target directory on first use. None (after [`unavailable`]) if none.
pub fn axe_source() -> Option<String> {
    let mut candidates: Vec<PathBuf> = Vec::new();
    if let Ok(p) = std::env::var("AXE_CORE_JS") {
        candidates.push(PathBuf::from(p));
    }
    let local = artifacts_dir().join("axe");
    candidates.push(local.join("node_modules/axe-core/axe.min.js"));
    if let Some(home) = std::env::var_os("HOME") {
        candidates
            .push(PathBuf::from(home).join(".cache/dais-axe/node_modules/axe-core/axe.min.js"));
    }
    if let Some(found) = candidates.iter().find(|p| p.exists()) {
        return std::fs::read_to_string(found).ok();
    }
    // npm reaches the registry here as in CI: install it once.
    let installed = Command::new("npm")
        .args(["install", "--silent", "--no-audit", "--no-fund", "--prefix"])
        .arg(&local)
        .arg("axe-core@4")
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .status()
        .is_ok_and(|s| s.success());
    let path = local.join("node_modules/axe-core/axe.min.js");
    if installed && path.exists() {
        return std::fs::read_to_string(path).ok();
    }
    unavailable("axe-core is not installed and npm could not install it");
    None
}

/// A headless chromium under chromedriver, with one session.
pub struct Browser {
    driver: Child,
    port: u16,
    session: String,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// One WebDriver request: method, path, JSON body; the answer's `value`.
async fn call(port: u16, method: &str, path: &str, body: Option<&Value>) -> Result<Value, String> {
    let mut s = TcpStream::connect(("127.0.0.1", port))
        .await
        .map_err(|e| e.to_string())?;
    let body = body.map(|b| b.to_string()).unwrap_or_default();
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    s.write_all(request.as_bytes())
        .await
        .map_err(|e| e.to_string())?;
    // Read the head, then exactly the body it announces: chromedriver
    // may keep the connection open whatever the request said.
    let mut answer = Vec::new();
    let mut chunk = [0u8; 16384];
    let json = loop {
        let n = s.read(&mut chunk).await.map_err(|e| e.to_string())?;
        answer.extend_from_slice(&chunk[..n]);
        if let Some(end) = answer.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&answer[..end]).to_ascii_lowercase();
            let rest = &answer[end + 4..];
            let length = head.lines().find_map(|l| {
                l.strip_prefix("content-length:")
                    .and_then(|v| v.trim().parse::<usize>().ok())
            });
            let chunked = head.contains("transfer-encoding: chunked");
            match length {
                Some(len) if rest.len() >= len => {
                    break String::from_utf8_lossy(&rest[..len]).to_string()
                }
                None if chunked && rest.windows(5).any(|w| w == b"\r\n0\r\n") => {
                    break dechunk(&String::from_utf8_lossy(rest))
                }
                None if !chunked && n == 0 => break String::from_utf8_lossy(rest).to_string(),
                _ => {}
            }
        }
        if n == 0 {
            return Err("the connection closed early".into());
        }
    };
    let v: Value = serde_json::from_str(&json).map_err(|e| format!("{e}: {json}"))?;
    if v["value"]["error"].is_string() {
        return Err(format!(
            "{}: {}",
            v["value"]["error"], v["value"]["message"]
        ));
    }
    Ok(v["value"].clone())
}

fn dechunk(mut rest: &str) -> String {
    let mut out = String::new();
    while let Some((size, tail)) = rest.split_once("\r\n") {
        let Ok(n) = usize::from_str_radix(size.trim(), 16) else {
            break;
        };
        if n == 0 || tail.len() < n {
            break;
        }
        out.push_str(&tail[..n]);
        rest = tail[n..].trim_start_matches("\r\n");
    }
    out
}

impl Browser {
    /// Start chromedriver and a headless chromium; None (after
    /// [`unavailable`]) where either is missing.
    pub async fn start() -> Option<Browser> {
        let Some(driver) = find_program("CHROMEDRIVER", &["chromedriver", "/usr/bin/chromedriver"])
        else {
            unavailable("chromedriver was not found");
            return None;
        };
        let Some(chrome) = find_program(
            "CHROME",
            &[
                "/usr/lib/chromium/chromium",
                "chromium",
                "/usr/bin/chromium",
            ],
        ) else {
            unavailable("chromium was not found");
            return None;
        };
        let port = free_port();
        let child = Command::new(&driver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let mut browser = Browser {
            driver: child,
            port,
            session: String::new(),
        };
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Ok(status) = call(port, "GET", "/status", None).await {
                if status["ready"] == true {
                    break;
                }
            }
            assert!(Instant::now() < deadline, "chromedriver did not start");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": chrome,
                "args": ["--headless", "--no-sandbox", "--disable-gpu", "--window-size=1280,1500", "--disable-dev-shm-usage"]
            },
            "goog:loggingPrefs": {"browser": "ALL"}
        }}});
        let session = call(port, "POST", "/session", Some(&caps))
            .await
            .expect("a browser session");
        browser.session = session["sessionId"]
            .as_str()
            .expect("session id")
            .to_string();
        Some(browser)
    }

    async fn cmd(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let path = format!("/session/{}{path}", self.session);
        call(self.port, method, &path, body.as_ref())
            .await
            .unwrap_or_else(|e| panic!("WebDriver {method} {path}: {e}"))
    }

    pub async fn goto(&self, url: &str) {
        self.cmd("POST", "/url", Some(json!({"url": url}))).await;
    }

    /// Run `script` (a function body; `arguments` holds `args`) in the page.
    pub async fn run(&self, script: &str, args: Value) -> Value {
        self.cmd(
            "POST",
            "/execute/sync",
            Some(json!({"script": script, "args": args})),
        )
        .await
    }

    /// Run an asynchronous script: it calls `arguments[arguments.length - 1]`
    /// with its result.
    pub async fn run_async(&self, script: &str, args: Value) -> Value {
        self.cmd("POST", "/timeouts", Some(json!({"script": 60_000})))
            .await;
        self.cmd(
            "POST",
            "/execute/async",
            Some(json!({"script": script, "args": args})),
        )
        .await
    }

    /// Wait until `script` returns true; how long it took, or None at `timeout`.
    pub async fn wait_for(&self, script: &str, timeout: Duration) -> Option<Duration> {
        let start = Instant::now();
        while start.elapsed() < timeout {
            if self.run(script, json!([])).await == true {
                return Some(start.elapsed());
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        None
    }

    /// Save a screenshot as PNG; returns its path.
    pub async fn screenshot(&self, name: &str) -> PathBuf {
        let b64 = self.cmd("GET", "/screenshot", None).await;
        let bytes = base64_decode(b64.as_str().expect("base64"));
        let path = artifacts_dir().join(format!("{name}.png"));
        std::fs::write(&path, bytes).expect("write screenshot");
        println!("screenshot: {}", path.display());
        path
    }

    /// The browser console's entries since the last call (level, message).
    pub async fn console(&self) -> Vec<(String, String)> {
        let entries = self
            .cmd("POST", "/se/log", Some(json!({"type": "browser"})))
            .await;
        entries
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|e| {
                        (
                            e["level"].as_str().unwrap_or_default().to_string(),
                            e["message"].as_str().unwrap_or_default().to_string(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Run axe-core (its source given) on the page; the violations.
    pub async fn axe(&self, source: &str) -> Vec<Value> {
        self.run(&format!("{source}\nreturn true;"), json!([]))
            .await;
        let result = self
            .run_async(
                "const done = arguments[arguments.length - 1];\
                 axe.run(document, {resultTypes: ['violations']})\
                   .then(r => done(r.violations))\
                   .catch(e => done([{id: 'axe-error', impact: 'critical', help: String(e)}]));",
                json!([]),
            )
            .await;
        result.as_array().cloned().unwrap_or_default()
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        // End the session (the browser with it), then the driver we started.
        let port = self.port;
        let path = format!("/session/{}", self.session);
        let _ = std::thread::spawn(move || {
            if let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            {
                let _ = rt.block_on(call(port, "DELETE", &path, None));
            }
        })
        .join();
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

fn base64_decode(s: &str) -> Vec<u8> {
    fn v(c: u8) -> Option<u8> {
        match c {
            b'A'..=b'Z' => Some(c - b'A'),
            b'a'..=b'z' => Some(c - b'a' + 26),
            b'0'..=b'9' => Some(c - b'0' + 52),
            b'+' => Some(62),
            b'/' => Some(63),
            _ => None,
        }
    }
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let mut acc = 0u32;
    let mut bits = 0;
    for c in s.bytes() {
        let Some(x) = v(c) else { continue };
        acc = (acc << 6) | u32::from(x);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    out
}
