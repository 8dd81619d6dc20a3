//! Accepting connections: TCP, optional TLS, then HTTP/1.1 with upgrades.
//!
//! The loop is ours rather than `axum::serve` for three reasons: a peer that
//! opens a connection and never finishes its HTTP request (or its TLS
//! handshake) must be dropped after a bound, which needs hyper's header read
//! timeout; `wss://` needs a TLS layer in front of HTTP; and every TCP
//! connection is counted against its address from the moment it is
//! accepted (half-open ones included), and one that comes too fast or one
//! too many is answered 429 and closed before any TLS, HTTP or websocket
//! work is spent on it. On the shutdown signal the loop stops accepting,
//! and each HTTP connection answers the request in hand and closes.

use crate::gate::{Gate, Refusal, Slot};
use crate::shutdown::{Shutdown, Signal};
use anyhow::{Context, Result};
use axum::extract::ConnectInfo;
use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::AsyncWriteExt;
use tokio::net::TcpListener;
use tokio_rustls::rustls;
use tokio_rustls::TlsAcceptor;
use tower::ServiceExt;

/// Load a certificate chain and its private key (PEM files) for `wss://`.
pub fn tls_acceptor(cert: &Path, key: &Path) -> Result<TlsAcceptor> {
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(cert)
        .with_context(|| format!("cannot read the certificate {}", cert.display()))?
        .collect::<Result<_, _>>()
        .with_context(|| format!("{} is not a PEM certificate chain", cert.display()))?;
    if certs.is_empty() {
        anyhow::bail!("{} holds no certificate", cert.display());
    }
    let key = PrivateKeyDer::from_pem_file(key)
        .with_context(|| format!("cannot read a PEM private key from {}", key.display()))?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .context("TLS setup")?
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .context("the certificate and the key do not go together")?;
    Ok(TlsAcceptor::from(Arc::new(config)))
}

/// A connection's place in its address's count, handed to the request (and
/// so to the websocket it may become), and let go when the last holder ends.
pub type SlotRef = Arc<Slot>;

/// What a refused connection is told, when it speaks plain HTTP.
fn refusal_response(why: Refusal) -> String {
    let reason = match why {
        Refusal::TooMany => "too_many_connections",
        Refusal::TooFast => "too_many_new_connections",
    };
    format!(
        "HTTP/1.1 429 Too Many Requests\r\nRetry-After: {}\r\nContent-Type: text/plain\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{reason}\n",
        crate::gate::RETRY_AFTER.as_secs(),
        reason.len() + 1
    )
}

/// Accept connections until the shutdown signal. `handshake_timeout` bounds
/// both the TLS handshake and the reading of the HTTP request's headers;
/// `send_buffer` (bytes, 0 for the kernel's autotuning) is each accepted
/// connection's kernel send buffer (`limits.send_buffer_bytes`).
pub async fn serve(
    listener: TcpListener,
    app: Router,
    tls: Option<TlsAcceptor>,
    gate: Arc<Gate>,
    handshake_timeout: Duration,
    send_buffer: usize,
    shutdown: Shutdown,
) {
    loop {
        let (stream, addr) = tokio::select! {
            _ = shutdown.signalled() => return,
            accepted = listener.accept() => match accepted {
                Ok(pair) => pair,
                Err(e) => {
                    // Out of file descriptors, most likely: back off a little
                    // instead of spinning, and keep serving the others.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        let slot = match gate.admit(addr.ip(), std::time::Instant::now()) {
            Ok(slot) => Arc::new(slot),
            Err(why) => {
                crate::metrics::add(&crate::metrics::CONNECTIONS_REFUSED, 1);
                let plain = tls.is_none();
                tokio::spawn(async move {
                    let mut stream = stream;
                    // Best effort, never waiting: a refused peer gets no more
                    // of the server's time than one write.
                    if plain {
                        let _ = stream.try_write(refusal_response(why).as_bytes());
                    }
                    let _ = stream.shutdown().await;
                });
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        if let Err(e) = set_send_buffer(&stream, send_buffer) {
            tracing::debug!(peer = %addr, error = %e, "cannot set the send buffer");
        }
        let app = app.clone();
        let tls = tls.clone();
        let http = Http {
            addr,
            slot,
            header_timeout: handshake_timeout,
            signal: shutdown.signal(),
        };
        // The shutdown waits for the connection's requests to be answered.
        let guard = shutdown.guard();
        tokio::spawn(async move {
            let _guard = guard;
            match tls {
                None => http.serve(TokioIo::new(stream), app).await,
                Some(acceptor) => {
                    match tokio::time::timeout(handshake_timeout, acceptor.accept(stream)).await {
                        Ok(Ok(tls_stream)) => http.serve(TokioIo::new(tls_stream), app).await,
                        Ok(Err(e)) => {
                            tracing::debug!(peer = %addr, error = %e, "TLS handshake failed")
                        }
                        Err(_) => tracing::debug!(peer = %addr, "TLS handshake timed out"),
                    }
                }
            }
        });
    }
}

/// Fix a connection's kernel send buffer at `bytes` (0: leave it to the
/// kernel). A small fixed buffer keeps a reader that stopped reading from
/// holding megabytes of kernel memory, and lets its outbox see it fall
/// behind; a debate's traffic never needs more.
fn set_send_buffer(stream: &tokio::net::TcpStream, bytes: usize) -> std::io::Result<()> {
    if bytes == 0 {
        return Ok(());
    }
    socket2::SockRef::from(stream).set_send_buffer_size(bytes)
}

/// What serving HTTP on one accepted connection needs besides the socket.
struct Http {
    addr: SocketAddr,
    /// The address's place in the per-address count, handed to the
    /// request (a websocket or a live stream keeps it while it runs).
    slot: SlotRef,
    /// Bounds the reading of a request's headers.
    header_timeout: Duration,
    /// This connection's own view of the shutdown signal, polled whenever
    /// the connection wakes.
    signal: Signal,
}

impl Http {
    /// Serve HTTP/1.1 on `io` until the peer is done, the connection
    /// becomes a websocket, or the shutdown signal (after which the
    /// request in hand is answered and the connection closed).
    async fn serve<I>(self, io: TokioIo<I>, app: Router)
    where
        I: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
    {
        let Http {
            addr,
            slot,
            header_timeout,
            signal,
        } = self;
        let service = hyper::service::service_fn(
            move |mut request: hyper::Request<hyper::body::Incoming>| {
                request.extensions_mut().insert(ConnectInfo(addr));
                request.extensions_mut().insert(slot.clone());
                app.clone().oneshot(request)
            },
        );
        let mut builder = hyper::server::conn::http1::Builder::new();
        builder
            .timer(TokioTimer::new())
            .header_read_timeout(header_timeout);
        let conn = builder.serve_connection(io, service).with_upgrades();
        tokio::pin!(conn);
        let result = tokio::select! {
            result = conn.as_mut() => result,
            _ = signal.given() => {
                conn.as_mut().graceful_shutdown();
                conn.await
            }
        };
        if let Err(e) = result {
            tracing::debug!(peer = %addr, error = %e, "connection ended with an error");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn pair() -> tokio::net::TcpStream {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let _client = tokio::net::TcpStream::connect(addr).await.unwrap();
        listener.accept().await.unwrap().0
    }

    #[tokio::test]
    async fn the_shutdown_signal_stops_accepting_and_closes_idle_connections() {
        use tokio::io::AsyncReadExt;
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let app = Router::new().route("/", axum::routing::get(|| async { "hi" }));
        let gate = Gate::new(&crate::limits::Limits::default());
        let shutdown = Shutdown::new();
        let accepting = tokio::spawn(serve(
            listener,
            app,
            None,
            gate,
            Duration::from_secs(5),
            0,
            shutdown.clone(),
        ));
        // A kept-alive connection, idle after its first answer.
        let mut client = tokio::net::TcpStream::connect(addr).await.unwrap();
        client
            .write_all(b"GET / HTTP/1.1\r\nHost: dais\r\n\r\n")
            .await
            .unwrap();
        let mut answer = vec![0; 1024];
        let n = client.read(&mut answer).await.unwrap();
        assert!(answer[..n].starts_with(b"HTTP/1.1 200"));

        shutdown.begin();
        tokio::time::timeout(Duration::from_secs(2), accepting)
            .await
            .expect("the accept loop stops")
            .unwrap();
        assert!(shutdown.all_done(Duration::from_secs(2)).await);
        let n = tokio::time::timeout(Duration::from_secs(2), client.read(&mut answer))
            .await
            .expect("the idle connection is closed")
            .unwrap();
        assert_eq!(n, 0);
    }

    #[tokio::test]
    async fn the_send_buffer_is_fixed_where_asked_and_left_alone_otherwise() {
        let fixed = pair().await;
        set_send_buffer(&fixed, 128 * 1024).unwrap();
        let size = socket2::SockRef::from(&fixed).send_buffer_size().unwrap();
        // Linux doubles what it is given, for its own bookkeeping.
        assert!((128 * 1024..=256 * 1024).contains(&size), "{size}");

        let left = pair().await;
        let before = socket2::SockRef::from(&left).send_buffer_size().unwrap();
        set_send_buffer(&left, 0).unwrap();
        assert_eq!(
            socket2::SockRef::from(&left).send_buffer_size().unwrap(),
            before
        );
    }
}
