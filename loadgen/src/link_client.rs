//! The client of a delegate on the poor link: a websocket made with yawc,
//! which negotiates permessage-deflate (RFC 7692) when asked to, over a
//! TCP connection made in the delegate's network namespace.
//!
//! The rest of the load generator uses tokio-tungstenite, which has no
//! permessage-deflate. yawc does (with flate2, as the server does), answers
//! the server's pings by itself and reassembles fragments, so both
//! delegates on the link use it, one offering compression and one not:
//! the same client on both sides of the comparison.
//!
//! The connection is wrapped in a tap that counts the bytes it carries
//! each way (the websocket's bytes, headers and all, before TCP and IP add
//! theirs) and keeps the server's handshake answer, to tell what was
//! negotiated.

use crate::netns::Netns;
use anyhow::{bail, Context, Result};
use dais_protocol::{Envelope, Request};
use futures_util::SinkExt;
use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context as TaskContext, Poll};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use yawc::{CompressionLevel, Frame, OpCode, Options, WebSocket};

/// How much of the first bytes read is kept: the handshake's answer.
const HEAD_BYTES: usize = 8 * 1024;

/// What a tap saw.
#[derive(Default)]
pub struct TapCounts {
    /// Bytes read from the server and written to it.
    pub read: AtomicU64,
    pub written: AtomicU64,
    /// The first bytes read, up to `HEAD_BYTES`.
    head: Mutex<Vec<u8>>,
}

impl TapCounts {
    /// The `Sec-WebSocket-Extensions` of the server's handshake answer, if
    /// it gave one: what was negotiated.
    pub fn extensions(&self) -> Option<String> {
        let head = self.head.lock().ok()?;
        let end = head.windows(4).position(|w| w == b"\r\n\r\n")?;
        let text = String::from_utf8_lossy(&head[..end]).into_owned();
        text.lines().find_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.trim()
                .eq_ignore_ascii_case("sec-websocket-extensions")
                .then(|| value.trim().to_string())
        })
    }
}

/// A stream that counts what passes through it.
pub struct Tap {
    inner: TcpStream,
    counts: Arc<TapCounts>,
}

impl AsyncRead for Tap {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut TaskContext<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.inner).poll_read(cx, buf);
        if let Poll::Ready(Ok(())) = polled {
            let new = &buf.filled()[before..];
            self.counts
                .read
                .fetch_add(new.len() as u64, Ordering::Relaxed);
            if let Ok(mut head) = self.counts.head.lock() {
                let room = HEAD_BYTES.saturating_sub(head.len());
                head.extend_from_slice(&new[..new.len().min(room)]);
            }
        }
        polled
    }
}

impl AsyncWrite for Tap {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut TaskContext<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let polled = Pin::new(&mut self.inner).poll_write(cx, buf);
        if let Poll::Ready(Ok(n)) = polled {
            self.counts.written.fetch_add(n as u64, Ordering::Relaxed);
        }
        polled
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut TaskContext<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut TaskContext<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

/// When each step of the connection was done, in ns on `sys::now_ns`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Connected {
    pub tcp_ns: u64,
    pub websocket_ns: u64,
}

pub struct LinkClient {
    ws: WebSocket<Tap>,
    next_id: u64,
    /// How the connection ended, once it has: (code, reason).
    pub closed: Option<(u16, String)>,
    pub counts: Arc<TapCounts>,
}

impl LinkClient {
    /// Connect from `source` in `netns` to the server at `server`, and run
    /// the websocket handshake, offering permessage-deflate if `deflate`.
    pub async fn connect(
        netns: &Netns,
        source: Ipv4Addr,
        server: SocketAddr,
        deflate: bool,
    ) -> Result<(LinkClient, Connected)> {
        let socket = netns.tcp_socket().await?;
        socket
            .bind(SocketAddr::new(source.into(), 0))
            .with_context(|| format!("cannot bind to {source}"))?;
        let stream = socket
            .connect(server)
            .await
            .with_context(|| format!("cannot connect from {source} to {server} over the link"))?;
        stream.set_nodelay(true)?;
        let tcp_ns = crate::sys::now_ns();
        let counts = Arc::new(TapCounts::default());
        let tap = Tap {
            inner: stream,
            counts: counts.clone(),
        };
        // Offered as a browser does: `permessage-deflate`, nothing pinned.
        let options = if deflate {
            Options::default().with_compression_level(CompressionLevel::default())
        } else {
            Options::default()
        }
        .with_utf8();
        let url = format!("ws://{server}/")
            .parse()
            .context("the server's URL")?;
        let ws = WebSocket::handshake(url, tap, options)
            .await
            .context("websocket handshake over the link failed")?;
        let connected = Connected {
            tcp_ns,
            websocket_ns: crate::sys::now_ns(),
        };
        Ok((
            LinkClient {
                ws,
                next_id: 0,
                closed: None,
                counts,
            },
            connected,
        ))
    }

    pub fn fresh_id(&mut self) -> u64 {
        self.next_id += 1;
        self.next_id
    }

    /// Send a request, with `id` if given; a `say` carries a fresh nonce.
    pub async fn send(&mut self, request: Request, id: Option<u64>) -> Result<()> {
        let is_say = matches!(request, Request::Say { .. });
        let mut envelope = Envelope::new(request);
        if let Some(id) = id {
            envelope = envelope.with_id(id);
        }
        if is_say {
            envelope = envelope.with_nonce(crate::nonce::fresh());
        }
        if self.closed.is_some() {
            bail!("the connection is closed: {:?}", self.closed);
        }
        self.ws
            .send(Frame::text(envelope.to_json()))
            .await
            .context("send over the link failed")
    }

    /// The next text message; None once the connection has ended.
    pub async fn next_text(&mut self) -> Option<String> {
        loop {
            if self.closed.is_some() {
                return None;
            }
            match self.ws.next_frame().await {
                Ok(frame) => match frame.opcode() {
                    OpCode::Text => return Some(frame.as_str().to_string()),
                    OpCode::Close => {
                        let code = frame.close_code().map_or(1005, u16::from);
                        let reason = frame
                            .close_reason()
                            .ok()
                            .flatten()
                            .unwrap_or_default()
                            .to_string();
                        self.closed = Some((code, reason));
                    }
                    _ => {}
                },
                Err(e) => self.closed = Some((1006, e.to_string())),
            }
        }
    }

    /// Close politely, waiting a little for the server's answer.
    pub async fn close(mut self) {
        let _ = tokio::time::timeout(std::time::Duration::from_secs(5), async {
            let _ = self
                .ws
                .send(Frame::close(yawc::close::CloseCode::Normal, b""))
                .await;
            while self.next_text().await.is_some() {}
        })
        .await;
    }
}
