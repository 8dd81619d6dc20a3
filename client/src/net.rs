//! The network task: one websocket to the server, kept alive.
//!
//! It connects, says `hello`, and forwards every frame to the interface as a
//! [`NetEvent`]. It may be given several servers (one cluster's): when one
//! fails (refused, timed out, TLS, HTTP 429, a drop) it moves on to the
//! next at once, and only when every one has failed in turn does it wait,
//! with exponential backoff; a lone server that turns it away with HTTP 429
//! (too many connections from this address) is tried again no sooner than
//! its `Retry-After`. It keeps who it signs in as: a new guest's `welcome`
//! carries a credential, sent as the token of every later `hello` of this
//! session so that the guest comes back as the same guest. It holds no
//! proceedings state of its own: on every
//! `welcome` the interface rejoins its rooms from the last seq it saw and
//! resends what the server has not confirmed, with the same nonces, so a
//! message is never lost and never posted twice. A frame handed to the task
//! while it is offline is dropped; the interface still holds it.

// A reader comes to this module's public items from the rest of the
// client, so each says what it is for.
#![warn(missing_docs)]

use std::time::{Duration, Instant};

use dais_protocol::{Envelope, ErrorCode, Request, ServerFrame, PROTOCOL_VERSION};
use futures_util::{SinkExt, StreamExt};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;
use tokio::sync::mpsc;
use tokio_rustls::rustls::pki_types::ServerName;
use tokio_rustls::TlsConnector;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use crate::link::NetEvent;

/// What the interface asks of the network task.
#[derive(Debug)]
pub enum NetCommand {
    /// One JSON text frame.
    Send(String),
    /// The interface language changed: the next `hello` says so, so that
    /// the room titles come in it.
    Language(String),
    /// Close the connection and end the task: the interface has quit.
    Shutdown,
}

/// Who to sign in as, and in which language the room titles should come.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Login {
    /// Who to sign in as; a new guest's becomes the credential the first
    /// `welcome` gives.
    pub credential: Credential,
    /// The interface language, as a BCP 47 tag.
    pub lang: String,
}

/// Who this client signs in as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Credential {
    /// A participant's token, or the credential a guest was given in an
    /// earlier `welcome` (to come back as the same guest).
    Token(String),
    /// A new guest, by the name they chose.
    Guest(String),
}

/// The first frame of every connection: who we are, and the interface
/// language (`lang`) the room titles should come in.
pub fn hello(credential: &Credential, lang: &str) -> Envelope {
    let (token, guest) = match credential {
        Credential::Token(token) => (Some(token.clone()), None),
        Credential::Guest(name) => (None, Some(name.clone())),
    };
    Envelope::new(Request::Hello {
        protocol: PROTOCOL_VERSION,
        token,
        guest,
        lang: Some(lang.to_owned()),
    })
}

/// The interface's end of the network task.
#[derive(Debug, Clone)]
pub struct NetHandle {
    tx: mpsc::UnboundedSender<NetCommand>,
}

impl NetHandle {
    /// Send one JSON text frame; dropped while offline (the interface keeps
    /// the request and resends it after the next `welcome`).
    pub fn send(&self, json: String) {
        // The task only ends after Shutdown, when nothing is sent any more.
        let _ = self.tx.send(NetCommand::Send(json));
    }

    /// The interface language changed to `tag`: later `hello`s say so.
    pub fn set_language(&self, tag: String) {
        let _ = self.tx.send(NetCommand::Language(tag));
    }

    /// Close the connection and end the task.
    pub fn shutdown(&self) {
        let _ = self.tx.send(NetCommand::Shutdown);
    }
}

/// Start the task. Its events arrive on `events`. A `wss://` address needs
/// `tls` (see [`crate::tls::connector`]); without it every try fails.
pub fn spawn(
    servers: Vec<String>,
    login: Login,
    tls: Option<TlsConnector>,
    events: mpsc::UnboundedSender<NetEvent>,
) -> (NetHandle, tokio::task::JoinHandle<()>) {
    let (tx, rx) = mpsc::unbounded_channel();
    let task = tokio::spawn(run(servers, login, tls, events, rx));
    (NetHandle { tx }, task)
}

/// An open websocket, over plain TCP or over TLS (boxed, as the two differ
/// much in size; each is moved once into its session).
enum Socket {
    Plain(Box<WebSocketStream<MaybeTlsStream<TcpStream>>>),
    Tls(Box<WebSocketStream<tokio_rustls::client::TlsStream<TcpStream>>>),
}

/// Why a try to connect failed; only logged, since every failure is retried.
#[derive(Debug, thiserror::Error)]
enum ConnectError {
    #[error("{0}")]
    WebSocket(#[from] tokio_tungstenite::tungstenite::Error),
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("wss:// needs a TLS connector")]
    NoTls,
    #[error("no host in the address")]
    NoHost,
    #[error("{0}")]
    Name(#[from] tokio_rustls::rustls::pki_types::InvalidDnsNameError),
}

/// Open the websocket. `ws://` goes through tungstenite's own connect;
/// `wss://` opens TCP, runs the TLS handshake with `tls` (which checks the
/// certificate against the host name of the address), then the websocket
/// handshake over it.
async fn connect(url: &str, tls: Option<&TlsConnector>) -> Result<Socket, ConnectError> {
    if !crate::tls::is_secure(url) {
        let (ws, _response) = tokio_tungstenite::connect_async(url).await?;
        return Ok(Socket::Plain(Box::new(ws)));
    }
    let tls = tls.ok_or(ConnectError::NoTls)?;
    let request = url.into_client_request()?;
    let uri = request.uri();
    // `[::1]` in an address is `::1` to the resolver and to TLS.
    let host = uri
        .host()
        .map(|h| h.trim_start_matches('[').trim_end_matches(']').to_owned())
        .filter(|h| !h.is_empty())
        .ok_or(ConnectError::NoHost)?;
    let port = uri.port_u16().unwrap_or(443);
    let tcp = TcpStream::connect((host.as_str(), port)).await?;
    let name = ServerName::try_from(host)?;
    let stream = tls.connect(name, tcp).await?;
    let (ws, _response) = tokio_tungstenite::client_async(request, stream).await?;
    Ok(Socket::Tls(Box::new(ws)))
}

/// How long a TCP connect plus websocket handshake may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// How long we wait for `welcome` after `hello`.
const WELCOME_TIMEOUT: Duration = Duration::from_secs(10);
/// The longest pause between two tries.
const MAX_BACKOFF_MS: u64 = 30_000;

/// Handshake errors that no retry can cure. (`login_throttled` is cured
/// by waiting: it is retried with the backoff.)
fn is_fatal(code: ErrorCode) -> bool {
    matches!(
        code,
        ErrorCode::InvalidToken
            | ErrorCode::UnsupportedProtocol
            | ErrorCode::GuestsNotAllowed
            | ErrorCode::InvalidGuestName
            | ErrorCode::GuestNameReserved
    )
}

/// The wait a 429 asks for: its `Retry-After` in seconds, if it has one.
fn busy(error: &ConnectError) -> Option<Option<Duration>> {
    let ConnectError::WebSocket(tokio_tungstenite::tungstenite::Error::Http(response)) = error
    else {
        return None;
    };
    if response.status().as_u16() != 429 {
        return None;
    }
    let retry_after = response
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map(|s| Duration::from_secs(s.min(MAX_BACKOFF_MS / 1000)));
    Some(retry_after)
}

/// Delay before try `attempt` (0-based): 0.5 s doubling to 30 s, with up to
/// 20 % jitter so that a room full of clients does not reconnect in step.
pub fn backoff_ms(attempt: u32, jitter_seed: u64) -> u64 {
    let base = 500u64
        .saturating_mul(1u64 << attempt.min(16))
        .min(MAX_BACKOFF_MS);
    let jitter = jitter_seed % (base / 5 + 1);
    base - base / 10 + jitter
}

/// Which server to try, and how long to wait first, after a failure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rotation {
    count: usize,
    index: usize,
    /// Servers tried in a row without a welcome, in this round.
    tried: usize,
    /// Whole rounds that failed: the backoff grows with them.
    round: u32,
}

impl Rotation {
    /// A rotation through `count` servers (at least one).
    pub fn new(count: usize) -> Self {
        Rotation {
            count: count.max(1),
            index: 0,
            tried: 0,
            round: 0,
        }
    }

    /// The server to try now.
    pub fn current(&self) -> usize {
        self.index
    }

    /// The server welcomed us: its failure later starts a fresh round.
    pub fn welcomed(&mut self) {
        self.tried = 0;
        self.round = 0;
    }

    /// The current server failed: move to the next one, and say how long
    /// to wait before trying it. Another server is tried at once (after a
    /// moment's jitter); once every server has failed in turn, the wait
    /// grows as [`backoff_ms`], and a lone server's `Retry-After`
    /// (`at_least_ms`) is respected.
    pub fn failed(&mut self, seed: u64, at_least_ms: u64) -> u64 {
        self.index = (self.index + 1) % self.count;
        self.tried += 1;
        if self.tried < self.count {
            return 100 + seed % 200;
        }
        self.tried = 0;
        let delay = backoff_ms(self.round, seed);
        self.round = self.round.saturating_add(1);
        if self.count == 1 {
            delay.max(at_least_ms)
        } else {
            delay
        }
    }
}

enum End {
    Shutdown,
    Fatal(ErrorCode),
    Lost {
        welcomed: bool,
    },
    /// Turned away with HTTP 429, with the server's `Retry-After`.
    Busy(Option<Duration>),
}

/// Who the task signs in as, across reconnects.
struct Identity {
    login: Login,
    /// A guest's chosen name, kept after the server gave a credential for
    /// it: if the credential is ever refused (it expired, say), the guest
    /// comes in again by name, as a new guest, rather than not at all.
    guest_name: Option<String>,
}

impl Identity {
    fn new(login: Login) -> Self {
        let guest_name = match &login.credential {
            Credential::Guest(name) => Some(name.clone()),
            Credential::Token(_) => None,
        };
        Identity { login, guest_name }
    }

    /// A credential the server gave in `welcome` stands for this guest from now on.
    fn welcomed_as_guest(&mut self, credential: String) {
        self.login.credential = Credential::Token(credential);
    }

    /// The server refused a guest's credential: back to the name, if we
    /// have one and were not already using it.
    fn fall_back(&mut self) -> bool {
        match (&self.guest_name, &self.login.credential) {
            (Some(name), Credential::Token(_)) => {
                self.login.credential = Credential::Guest(name.clone());
                true
            }
            _ => false,
        }
    }
}

async fn run(
    servers: Vec<String>,
    login: Login,
    tls: Option<TlsConnector>,
    events: mpsc::UnboundedSender<NetEvent>,
    mut commands: mpsc::UnboundedReceiver<NetCommand>,
) {
    let mut attempt = 0u32;
    let mut me = Identity::new(login);
    let mut rotation = Rotation::new(servers.len());
    loop {
        let url = servers[rotation.current() % servers.len().max(1)].clone();
        let connecting = NetEvent::Connecting {
            attempt,
            server: url.clone(),
            servers: servers.len(),
        };
        if events.send(connecting).is_err() {
            return;
        }
        let connect = tokio::time::timeout(CONNECT_TIMEOUT, connect(&url, tls.as_ref())).await;
        let end = match connect {
            Ok(Ok(Socket::Plain(ws))) => session(*ws, &mut me, &events, &mut commands).await,
            Ok(Ok(Socket::Tls(ws))) => session(*ws, &mut me, &events, &mut commands).await,
            Ok(Err(e)) => {
                log(&format!("could not connect to {url}: {e}"));
                match busy(&e) {
                    Some(retry_after) => End::Busy(retry_after),
                    None => End::Lost { welcomed: false },
                }
            }
            Err(_) => {
                log(&format!("could not connect to {url}: timed out"));
                End::Lost { welcomed: false }
            }
        };
        let mut wait_at_least = Duration::ZERO;
        match end {
            End::Shutdown => return,
            End::Fatal(ErrorCode::InvalidToken) if me.fall_back() => {
                log("the guest credential was refused: coming in by name again");
            }
            End::Fatal(code) => {
                let _ = events.send(NetEvent::Fatal(code));
                // Stay until the interface lets us go.
                while let Some(command) = commands.recv().await {
                    if matches!(command, NetCommand::Shutdown) {
                        break;
                    }
                }
                return;
            }
            End::Lost { welcomed } => {
                if welcomed {
                    attempt = 0;
                    rotation.welcomed();
                }
            }
            End::Busy(retry_after) => wait_at_least = retry_after.unwrap_or_default(),
        }
        let seed = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| u64::from(d.subsec_nanos()));
        // The server's Retry-After is a floor, the jitter still spreads us out.
        let delay = rotation.failed(seed, wait_at_least.as_millis() as u64);
        attempt = attempt.saturating_add(1);
        let event = if matches!(end, End::Busy(_)) {
            NetEvent::Busy { retry_in_ms: delay }
        } else {
            NetEvent::Disconnected { retry_in_ms: delay }
        };
        if events.send(event).is_err() {
            return;
        }
        let sleep = tokio::time::sleep(Duration::from_millis(delay));
        tokio::pin!(sleep);
        loop {
            tokio::select! {
                _ = &mut sleep => break,
                command = commands.recv() => match command {
                    None | Some(NetCommand::Shutdown) => return,
                    // Offline: the interface keeps it and resends after welcome.
                    Some(NetCommand::Send(_)) => {}
                    Some(NetCommand::Language(tag)) => me.login.lang = tag,
                },
            }
        }
    }
}

async fn session<S: AsyncRead + AsyncWrite + Unpin>(
    ws: WebSocketStream<S>,
    me: &mut Identity,
    events: &mpsc::UnboundedSender<NetEvent>,
    commands: &mut mpsc::UnboundedReceiver<NetCommand>,
) -> End {
    let (mut sink, mut stream) = ws.split();
    let first = hello(&me.login.credential, &me.login.lang);
    if sink.send(Message::text(first.to_json())).await.is_err() {
        return End::Lost { welcomed: false };
    }
    let started = Instant::now();
    let mut welcomed = false;
    let mut ping_every = Duration::from_secs(20);
    let mut last_heard = Instant::now();
    let mut ticker = tokio::time::interval(Duration::from_secs(2));
    loop {
        tokio::select! {
            message = stream.next() => match message {
                Some(Ok(Message::Text(text))) => {
                    last_heard = Instant::now();
                    // A frame this client does not know (a newer server) is
                    // skipped, and noted in the log when there is one.
                    let frame = match serde_json::from_str::<ServerFrame>(text.as_str()) {
                        Ok(frame) => frame,
                        Err(e) => {
                            log(&format!("skipped a frame ({e}): {}", text.as_str()));
                            continue;
                        }
                    };
                    if !welcomed {
                        match &frame {
                            ServerFrame::Welcome { ping_interval, guest_token, .. } => {
                                welcomed = true;
                                ping_every = Duration::from_secs(u64::from((*ping_interval).max(1)));
                                if let Some(credential) = guest_token {
                                    me.welcomed_as_guest(credential.clone());
                                }
                            }
                            ServerFrame::Error { code, .. } if is_fatal(*code) => {
                                return End::Fatal(*code);
                            }
                            _ => {}
                        }
                    }
                    if events.send(NetEvent::Frame(Box::new(frame))).is_err() {
                        return End::Shutdown;
                    }
                }
                Some(Ok(Message::Close(_))) | Some(Err(_)) | None => return End::Lost { welcomed },
                Some(Ok(_)) => last_heard = Instant::now(),
            },
            command = commands.recv() => match command {
                None | Some(NetCommand::Shutdown) => {
                    let _ = sink.send(Message::Close(None)).await;
                    return End::Shutdown;
                }
                Some(NetCommand::Send(json)) => {
                    if sink.send(Message::text(json)).await.is_err() {
                        return End::Lost { welcomed };
                    }
                }
                Some(NetCommand::Language(tag)) => me.login.lang = tag,
            },
            _ = ticker.tick() => {
                if !welcomed && started.elapsed() > WELCOME_TIMEOUT {
                    return End::Lost { welcomed };
                }
                let quiet = last_heard.elapsed();
                // Silence for two ping intervals: the connection is dead even
                // if TCP has not noticed yet.
                if quiet > ping_every * 2 + Duration::from_secs(5) {
                    return End::Lost { welcomed };
                }
                if quiet > ping_every && sink.send(Message::Ping(Default::default())).await.is_err() {
                    return End::Lost { welcomed };
                }
            }
        }
    }
}

/// Append a line to the file named by `DAIS_LOG`, if set. The terminal is
/// the interface's, so diagnostics go to a file or nowhere.
pub fn log(line: &str) {
    use std::io::Write;
    let Some(path) = std::env::var_os("DAIS_LOG") else {
        return;
    };
    if let Ok(mut file) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
    {
        let _ = writeln!(file, "{line}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hello_says_protocol_2_the_language_and_who_we_are() {
        let token = hello(&Credential::Token("dais_x".into()), "ar");
        let json = token.to_json();
        assert!(json.contains("\"protocol\":2"), "{json}");
        assert!(json.contains("\"lang\":\"ar\""), "{json}");
        assert!(json.contains("\"token\":\"dais_x\""), "{json}");
        let guest = hello(&Credential::Guest("Sam".into()), "en").to_json();
        assert!(
            guest.contains("\"guest\":\"Sam\"") && !guest.contains("token"),
            "{guest}"
        );
    }

    #[test]
    fn backoff_doubles_up_to_thirty_seconds() {
        assert!(backoff_ms(0, 0) >= 450 && backoff_ms(0, 0) <= 550);
        assert!(backoff_ms(1, 0) >= 900);
        assert!(backoff_ms(20, u64::MAX) <= MAX_BACKOFF_MS + MAX_BACKOFF_MS / 10);
        assert!(backoff_ms(3, 7) < backoff_ms(5, 7));
    }

    #[test]
    fn a_failed_server_gives_way_to_the_next_at_once_then_all_back_off() {
        let mut r = Rotation::new(3);
        assert_eq!(r.current(), 0);
        let quick = r.failed(7, 5_000);
        assert!(quick < 300, "the next server is tried at once: {quick}");
        assert_eq!(r.current(), 1);
        assert!(r.failed(7, 0) < 300);
        assert_eq!(r.current(), 2);
        // The third failure ends a round: now it backs off.
        let wait = r.failed(7, 0);
        assert!(wait >= 450, "{wait}");
        assert_eq!(r.current(), 0);
        // A welcome starts afresh.
        r.welcomed();
        assert!(r.failed(7, 0) < 300);
        assert_eq!(r.current(), 1);
    }

    #[test]
    fn a_lone_server_is_retried_with_backoff_and_its_retry_after() {
        let mut r = Rotation::new(1);
        let first = r.failed(0, 0);
        assert!((450..=550).contains(&first), "{first}");
        assert_eq!(r.failed(0, 5_000), 5_000, "Retry-After is a floor");
        assert_eq!(r.current(), 0);
    }

    #[test]
    fn a_bad_token_is_not_retried() {
        assert!(is_fatal(ErrorCode::InvalidToken));
        assert!(is_fatal(ErrorCode::GuestNameReserved));
        assert!(!is_fatal(ErrorCode::LoginThrottled));
    }

    #[test]
    fn a_guest_comes_back_with_the_credential_and_falls_back_to_the_name() {
        let mut me = Identity::new(Login {
            credential: Credential::Guest("Sam".into()),
            lang: "en".into(),
        });
        assert!(!me.fall_back(), "already by name");
        me.welcomed_as_guest("dais_guest_x".into());
        assert_eq!(
            me.login.credential,
            Credential::Token("dais_guest_x".into())
        );
        assert!(me.fall_back());
        assert_eq!(me.login.credential, Credential::Guest("Sam".into()));
        let mut delegate = Identity::new(Login {
            credential: Credential::Token("dais_t".into()),
            lang: "en".into(),
        });
        assert!(
            !delegate.fall_back(),
            "a participant's token is not a guest's"
        );
    }

    fn http_error(status: u16, retry_after: Option<&str>) -> ConnectError {
        let mut response = tokio_tungstenite::tungstenite::http::Response::builder().status(status);
        if let Some(value) = retry_after {
            response = response.header("Retry-After", value);
        }
        let response = response.body(None).expect("a response");
        ConnectError::WebSocket(tokio_tungstenite::tungstenite::Error::Http(Box::new(
            response,
        )))
    }

    #[test]
    fn a_429_is_told_apart_with_its_retry_after() {
        assert_eq!(
            busy(&http_error(429, Some("5"))),
            Some(Some(Duration::from_secs(5)))
        );
        assert_eq!(busy(&http_error(429, None)), Some(None));
        assert_eq!(busy(&http_error(503, Some("5"))), None);
        assert_eq!(busy(&ConnectError::NoHost), None);
    }
}
