//! The one way the tests, the client's tests, the server's CLI tests and the
//! load generator start a `dais-server`: a [`Spawner`] runs the binary on
//! an ephemeral port with `--address-file`, and waits for that file to say
//! where it listens. Nothing reads the server's log to find the port, so
//! the log's wording is free to change and a server that dies on start is
//! noticed at once instead of after a timeout.
//!
//! Only the standard library: the load generator is a release binary and
//! depends on this crate too.

use std::ffi::OsStr;
use std::io;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// How often the spawner looks for the address file. The server writes it
/// within milliseconds on a fresh data directory; a few more do not matter
/// to a test or a benchmark's set-up.
const POLL: Duration = Duration::from_millis(10);

/// The `dais-server` binary beside `exe` or one directory up: cargo puts
/// test binaries in `target/PROFILE/deps/` and binaries (the load
/// generator's, the client's) in `target/PROFILE/`, next to the server.
pub fn server_beside(exe: &Path) -> Option<PathBuf> {
    let name = format!("dais-server{}", std::env::consts::EXE_SUFFIX);
    exe.ancestors()
        .skip(1)
        .take(2)
        .map(|dir| dir.join(&name))
        .find(|bin| bin.exists())
}

/// The server a test starts: `DAIS_SERVER_BIN`, or the one beside the
/// running test binary (`cargo test --workspace` builds it first, as the
/// server crate has integration tests).
pub fn server_binary() -> Option<PathBuf> {
    if let Some(bin) = std::env::var_os("DAIS_SERVER_BIN") {
        return Some(PathBuf::from(bin));
    }
    server_beside(&std::env::current_exe().ok()?)
}

/// A `dais-server` about to start: `BIN --data DATA --listen LISTEN
/// --address-file FILE`, plus whatever the caller adds to [`command`]
/// (a config, TLS, cluster flags, the environment, where its output goes).
///
/// [`command`]: Spawner::command
pub struct Spawner {
    cmd: Command,
    listen: String,
    timeout: Duration,
}

/// A server that has said where it listens.
pub struct Running {
    /// The process; the caller decides when to stop it.
    pub child: Child,
    /// What clients use, as the server wrote it: `ws://127.0.0.1:PORT`, or
    /// `wss://...` with TLS.
    pub url: String,
    /// The address of `url`.
    pub addr: SocketAddr,
}

impl Spawner {
    /// The server `bin` on the data directory `data`, listening on
    /// 127.0.0.1 with a port of the kernel's choosing, its standard streams
    /// closed until the caller says otherwise; it gets a minute to start.
    pub fn new(bin: impl AsRef<OsStr>, data: &Path) -> Spawner {
        let mut cmd = Command::new(bin);
        cmd.arg("--data")
            .arg(data)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        Spawner {
            cmd,
            listen: "127.0.0.1:0".to_string(),
            timeout: Duration::from_secs(60),
        }
    }

    /// Listen on `addr` instead (a restart on the same port, another
    /// loopback address).
    pub fn listen(mut self, addr: impl Into<String>) -> Spawner {
        self.listen = addr.into();
        self
    }

    /// How long the server may take to say where it listens.
    pub fn timeout(mut self, timeout: Duration) -> Spawner {
        self.timeout = timeout;
        self
    }

    /// The command, for more arguments, environment, stdio or a `pre_exec`.
    pub fn command(&mut self) -> &mut Command {
        &mut self.cmd
    }

    /// Start the server and wait until it has written its address. If it
    /// exits first, or takes longer than the timeout, it is killed (when
    /// still running) and the error says which.
    pub fn start(mut self) -> io::Result<Running> {
        let file = address_file();
        // A file left by a process that had this one's id: the server
        // replaces it, but it must not be read before then.
        let _ = std::fs::remove_file(&file);
        self.cmd
            .arg("--listen")
            .arg(&self.listen)
            .arg("--address-file")
            .arg(&file);
        let mut child = self.cmd.spawn()?;
        match wait_for_address(&mut child, &file, self.timeout) {
            Ok(url) => {
                let _ = std::fs::remove_file(&file);
                let addr = socket_addr(&url)?;
                Ok(Running { child, url, addr })
            }
            Err(e) => {
                let _ = child.kill();
                let _ = child.wait();
                let _ = std::fs::remove_file(&file);
                Err(e)
            }
        }
    }
}

/// A path of this process's own in the temporary directory (several
/// servers may start at once from one test binary).
fn address_file() -> PathBuf {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    std::env::temp_dir().join(format!("dais-kit-{}-{n}.addr", std::process::id()))
}

/// The URL in `file` once the server has written it (a rename, so it is
/// there whole or not at all).
fn wait_for_address(child: &mut Child, file: &Path, timeout: Duration) -> io::Result<String> {
    let deadline = Instant::now() + timeout;
    loop {
        match std::fs::read_to_string(file) {
            Ok(text) => return Ok(text.trim().to_string()),
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
        if let Some(status) = child.try_wait()? {
            return Err(io::Error::other(format!(
                "dais-server exited ({status}) before it said where it listens"
            )));
        }
        if Instant::now() > deadline {
            return Err(io::Error::new(
                io::ErrorKind::TimedOut,
                format!("dais-server did not say where it listens within {timeout:?}"),
            ));
        }
        std::thread::sleep(POLL);
    }
}

/// The socket address of `ws://HOST:PORT` or `wss://HOST:PORT/`.
pub fn socket_addr(url: &str) -> io::Result<SocketAddr> {
    let hostport = url
        .strip_prefix("ws://")
        .or_else(|| url.strip_prefix("wss://"))
        .map(|rest| rest.trim_end_matches('/'));
    hostport
        .and_then(|h| h.parse().ok())
        .ok_or_else(|| io::Error::other(format!("`{url}` is not ws://HOST:PORT")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_address_is_read_from_either_scheme() {
        let addr: SocketAddr = "127.0.0.1:41234".parse().expect("an address");
        assert_eq!(socket_addr("ws://127.0.0.1:41234").ok(), Some(addr));
        assert_eq!(socket_addr("wss://127.0.0.1:41234/").ok(), Some(addr));
        assert!(socket_addr("http://127.0.0.1:41234").is_err());
        assert!(socket_addr("ws://localhost").is_err());
    }

    #[test]
    fn a_program_that_exits_without_an_address_is_an_error_at_once() {
        let started = Instant::now();
        let err = match Spawner::new("true", Path::new("/nonexistent")).start() {
            Ok(_) => panic!("`true` wrote no address"),
            Err(e) => e,
        };
        assert!(err.to_string().contains("exited"), "{err}");
        assert!(started.elapsed() < Duration::from_secs(10));
    }
}
