//! One client connection: a TCP socket bound to a loopback source address,
//! the websocket handshake, and the requests every scenario makes (hello,
//! join, a request that waits for its answer).
//!
//! A TCP connection is named by (source address, source port, destination),
//! so one source address can open at most as many connections to the server
//! as there are ephemeral ports (about 28,000 here), and the server limits
//! connections per address besides (64 open, and 10 new ones a second with
//! a burst of 64, by default). Binding each socket to its own address in
//! 127.1.0.0/16 before connecting spreads the load over many addresses.

use crate::frame::{peek, Peek};
use crate::netns::Netns;
use crate::sys::now_ns;
use anyhow::{anyhow, bail, Context, Result};
use dais_protocol::{Envelope, ErrorCode, Participant, Request, RequestId, Seq, ServerFrame};
use futures_util::{SinkExt, StreamExt};
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;
use tokio::net::{TcpSocket, TcpStream};
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::tungstenite::{self, Message, Utf8Bytes};
use tokio_tungstenite::WebSocketStream;

/// Longest wait for any one answer during set-up.
pub const ANSWER_WAIT: Duration = Duration::from_secs(120);

pub type Ws = WebSocketStream<TcpStream>;

/// How a connection says who it is in its `hello`.
#[derive(Debug, Clone)]
pub enum Login {
    /// A provisioned participant's token.
    Token(String),
    /// A new guest with this display name, where the server admits guests.
    Guest(String),
}

/// The reason in the body of the server's 429 when a handshake was refused
/// at accept (`too_many_connections`, `too_many_new_connections`), if that
/// is why `dial` failed.
pub fn refusal(e: &anyhow::Error) -> Option<String> {
    e.chain()
        .find_map(|cause| match cause.downcast_ref::<tungstenite::Error>() {
            Some(tungstenite::Error::Http(response)) => {
                let body = response
                    .body()
                    .as_deref()
                    .map(|b| String::from_utf8_lossy(b).trim().to_string())
                    .unwrap_or_default();
                Some(if body.is_empty() {
                    format!("http {}", response.status().as_u16())
                } else {
                    body
                })
            }
            _ => None,
        })
}

/// Opens connections to the server from spread-out source addresses.
pub struct Dialer {
    pub addr: SocketAddr,
    pub url: String,
    pub per_address: usize,
    config: WebSocketConfig,
    /// The network namespace the connections are made in, when it is not
    /// this process's own (poor-link: the server's namespace).
    netns: Option<Arc<Netns>>,
}

impl Dialer {
    pub fn new(addr: SocketAddr, url: String, per_address: usize) -> Dialer {
        // A small read buffer, as the server uses: tens of thousands of
        // connections in this process should not cost 128 KiB each.
        let config = WebSocketConfig::default()
            .read_buffer_size(8 * 1024)
            .write_buffer_size(0)
            .max_message_size(Some(16 << 20));
        Dialer {
            addr,
            url,
            per_address: per_address.max(1),
            config,
            netns: None,
        }
    }

    /// Make every connection inside `netns`.
    pub fn in_netns(mut self, netns: Option<Arc<Netns>>) -> Dialer {
        self.netns = netns;
        self
    }

    /// A TCP connection to the server from `source` (any local address if
    /// None), in the dialer's namespace.
    pub async fn tcp(&self, source: Option<Ipv4Addr>) -> Result<TcpStream> {
        let socket = match &self.netns {
            Some(ns) => ns.tcp_socket().await?,
            None => TcpSocket::new_v4()?,
        };
        if let Some(source) = source {
            socket
                .bind(SocketAddr::new(source.into(), 0))
                .with_context(|| format!("cannot bind to {source}"))?;
        }
        let from = source.map_or_else(|| "here".to_string(), |s| s.to_string());
        socket
            .connect(self.addr)
            .await
            .with_context(|| format!("cannot connect from {from} to {}", self.addr))
    }

    /// The source address of connection number `index`: 127.1.0.1 for the
    /// first `per_address` connections, 127.1.0.2 for the next, and so on
    /// (the last octet stays within 1..=250).
    pub fn source_for(&self, index: usize) -> Ipv4Addr {
        let k = index / self.per_address;
        Ipv4Addr::new(127, 1, (k / 250) as u8, (k % 250 + 1) as u8)
    }

    /// Connect connection number `index` and run the websocket handshake.
    pub async fn dial(&self, index: usize) -> Result<Client> {
        let stream = self.tcp(Some(self.source_for(index))).await?;
        // Speeches are small frames: send each at once.
        stream.set_nodelay(true)?;
        let (ws, _) = tokio_tungstenite::client_async_with_config(
            self.url.as_str(),
            stream,
            Some(self.config),
        )
        .await
        .context("websocket handshake failed")?;
        Ok(Client {
            ws,
            next_id: 0,
            closed: None,
        })
    }
}

/// What a join brought back.
pub struct Joined {
    /// The room's latest seq when the join was done: live events follow it.
    pub seq: Seq,
    /// Seqs of the events replayed before the `ok`, in the order received.
    pub replayed: Vec<Seq>,
}

pub struct Client {
    pub ws: Ws,
    next_id: u64,
    /// How the server closed the connection, once it has: (code, reason).
    pub closed: Option<(u16, String)>,
}

impl Client {
    pub fn fresh_id(&mut self) -> u64 {
        self.next_id += 1;
        self.next_id
    }

    /// Send a request, with `id` if given. A `say` always carries a fresh
    /// nonce, as a real client's does (see `nonce`).
    pub async fn send(&mut self, request: Request, id: Option<u64>) -> Result<()> {
        let is_say = matches!(request, Request::Say { .. });
        let mut envelope = Envelope::new(request);
        if let Some(id) = id {
            envelope = envelope.with_id(id);
        }
        if is_say {
            envelope = envelope.with_nonce(crate::nonce::fresh());
        }
        self.ws
            .send(Message::text(envelope.to_json()))
            .await
            .context("send failed")
    }

    /// The next text frame; None once the connection is closed.
    pub async fn next_text(&mut self) -> Option<Utf8Bytes> {
        loop {
            if self.closed.is_some() {
                return None;
            }
            match self.ws.next().await {
                Some(Ok(Message::Text(t))) => return Some(t),
                Some(Ok(Message::Close(frame))) => {
                    self.closed = Some(
                        frame
                            .map(|f| (u16::from(f.code), f.reason.to_string()))
                            .unwrap_or((1005, String::new())),
                    );
                }
                Some(Ok(_)) => {}
                Some(Err(e)) => {
                    self.closed = Some((1006, e.to_string()));
                }
                None => {
                    self.closed.get_or_insert((1006, String::new()));
                }
            }
        }
    }

    /// Send `hello` (as a participant or as a new guest) and wait for `welcome`.
    pub async fn hello(&mut self, login: &Login) -> Result<Participant> {
        let (token, guest) = match login {
            Login::Token(t) => (Some(t.clone()), None),
            Login::Guest(name) => (None, Some(name.clone())),
        };
        let request = Request::Hello {
            protocol: dais_protocol::PROTOCOL_VERSION,
            token,
            guest,
            lang: None,
        };
        self.send(request, None).await?;
        let answer = self
            .answer(|f| matches!(f, ServerFrame::Welcome { .. } | ServerFrame::Error { .. }))
            .await?;
        match answer {
            ServerFrame::Welcome { participant, .. } => Ok(participant),
            ServerFrame::Error { code, .. } => bail!("hello refused: {}", code_str(code)),
            _ => unreachable!("answer() only returns matching frames"),
        }
    }

    /// Join a room (resuming after `since`, if given) and wait for its `ok`,
    /// noting the seqs of the events replayed before it.
    pub async fn join(&mut self, room: &str, since: Option<Seq>) -> Result<Joined> {
        let id = self.fresh_id();
        let request = Request::Join {
            room: room.to_string(),
            since,
        };
        self.send(request, Some(id)).await?;
        let mut replayed = Vec::new();
        let deadline = tokio::time::Instant::now() + ANSWER_WAIT;
        loop {
            let text = tokio::time::timeout_at(deadline, self.next_text())
                .await
                .map_err(|_| anyhow!("no answer to join within {ANSWER_WAIT:?}"))?
                .ok_or_else(|| anyhow!("closed while joining: {:?}", self.closed))?;
            match peek(&text) {
                Peek::Event(e) => replayed.push(e.seq),
                Peek::Other(f) => match *f {
                    ServerFrame::Ok {
                        id: Some(RequestId::Number(n)),
                        seq,
                        ..
                    } if n == id => {
                        return Ok(Joined {
                            seq: seq.unwrap_or(0),
                            replayed,
                        })
                    }
                    ServerFrame::Error {
                        id: Some(RequestId::Number(n)),
                        code,
                        ..
                    } if n == id => {
                        bail!("join refused: {}", code_str(code))
                    }
                    _ => {}
                },
                Peek::Counted(_) | Peek::Unknown => {}
            }
        }
    }

    /// Send a request and wait for its ok or error, dropping other frames.
    pub async fn request(&mut self, request: Request) -> Result<ServerFrame> {
        let id = self.fresh_id();
        self.send(request, Some(id)).await?;
        let want = RequestId::Number(id);
        self.answer(|f| match f {
            ServerFrame::Ok { id: Some(i), .. } | ServerFrame::Error { id: Some(i), .. } => {
                *i == want
            }
            _ => false,
        })
        .await
    }

    /// Wait for the first decoded frame that `pred` accepts.
    async fn answer(&mut self, pred: impl Fn(&ServerFrame) -> bool) -> Result<ServerFrame> {
        let deadline = tokio::time::Instant::now() + ANSWER_WAIT;
        loop {
            let text = tokio::time::timeout_at(deadline, self.next_text())
                .await
                .map_err(|_| anyhow!("no answer within {ANSWER_WAIT:?}"))?
                .ok_or_else(|| anyhow!("closed while waiting: {:?}", self.closed))?;
            if let Peek::Other(f) = peek(&text) {
                if pred(&f) {
                    return Ok(*f);
                }
            }
        }
    }

    /// Close politely, waiting a little for the server's answer.
    pub async fn close(mut self) {
        let _ = tokio::time::timeout(Duration::from_secs(2), async {
            let _ = self.ws.close(None).await;
            while let Some(Ok(_)) = self.ws.next().await {}
        })
        .await;
    }
}

/// An error code as its wire string (`not_your_turn`, ...).
pub fn code_str(code: ErrorCode) -> String {
    serde_json::to_value(code)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_else(|| format!("{code:?}"))
}

/// Microseconds since `start_ns` on the process clock.
pub fn us_since(start_ns: u64) -> u64 {
    now_ns().saturating_sub(start_ns) / 1000
}
