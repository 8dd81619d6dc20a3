//! The HTTP/1.1 upgrade to a websocket (RFC 6455 §4.2), without axum's
//! `WebSocketUpgrade`, which would hand us tungstenite's stream: we want
//! the socket itself, for our own reader and writer.
//!
//! `accept` checks the request and answers it (101, or 400/426); the
//! socket comes later, once hyper has sent the 101, from `Pending::io` in a
//! task of its own.

use crate::ws::deflate::{self, DeflateParams};
use crate::ws::io::Io;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, Method, StatusCode, Version};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use hyper::upgrade::OnUpgrade;
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;
use tokio_rustls::server::TlsStream;

/// An accepted handshake whose socket is not ours yet: hyper hands it over
/// after it has written the 101 response.
#[derive(Debug)]
pub struct Pending {
    on_upgrade: OnUpgrade,
    deflate: Option<DeflateParams>,
}

/// Why an accepted handshake yielded no socket.
#[derive(Debug, thiserror::Error)]
pub enum UpgradeError {
    /// The client went away before the upgrade completed, or hyper failed.
    #[error("the HTTP upgrade failed: {0}")]
    Hyper(#[from] hyper::Error),
    /// The listener gave hyper a stream of a kind we do not know: the
    /// listener and this module disagree, a bug.
    #[error("the upgraded connection is neither TCP nor TLS over TCP")]
    UnknownStream,
}

/// Check a websocket handshake and answer it. On success, the 101 response
/// to return to hyper and the `Pending` socket to await in a spawned task
/// (awaiting it before the response is returned would wait forever). On
/// failure, the response that says what was wrong: 426 with the version
/// we speak for a wrong `Sec-WebSocket-Version`, 400 for the rest.
// The error is the response itself, handed straight back to hyper once per
// refused handshake: boxing it would only add an allocation.
#[allow(clippy::result_large_err)]
pub fn accept(req: &mut Request) -> Result<(Response, Pending), Response> {
    if req.method() != Method::GET {
        return Err(bad_request("a websocket handshake is a GET\n"));
    }
    if req.version() != Version::HTTP_11 {
        return Err(bad_request("a websocket handshake needs HTTP/1.1\n"));
    }
    let headers = req.headers();
    if !has_token(headers, &header::CONNECTION, "upgrade") {
        return Err(bad_request("expected Connection: upgrade\n"));
    }
    if !has_token(headers, &header::UPGRADE, "websocket") {
        return Err(bad_request("expected Upgrade: websocket\n"));
    }
    let version = headers.get(header::SEC_WEBSOCKET_VERSION);
    if version.map(|v| v.as_bytes().trim_ascii()) != Some(b"13") {
        let mut response = (
            StatusCode::UPGRADE_REQUIRED,
            "this server speaks websocket version 13\n",
        )
            .into_response();
        response.headers_mut().insert(
            header::SEC_WEBSOCKET_VERSION,
            HeaderValue::from_static("13"),
        );
        return Err(response);
    }
    let Some(key) = headers
        .get(header::SEC_WEBSOCKET_KEY)
        .filter(|k| valid_key(k.as_bytes()))
    else {
        return Err(bad_request(
            "expected a Sec-WebSocket-Key of 16 bytes in base64\n",
        ));
    };
    let Ok(accept_key) =
        HeaderValue::from_str(&tungstenite::handshake::derive_accept_key(key.as_bytes()))
    else {
        // Base64 is always a valid header value; this cannot happen.
        return Err(StatusCode::INTERNAL_SERVER_ERROR.into_response());
    };
    // Offers may come in several header lines, in order of preference.
    let negotiated = headers
        .get_all(header::SEC_WEBSOCKET_EXTENSIONS)
        .iter()
        .find_map(|offer| deflate::negotiate(Some(offer)));
    let Some(on_upgrade) = req.extensions_mut().remove::<OnUpgrade>() else {
        // HTTP/2, or a server built without upgrades.
        return Err(bad_request("this connection cannot be upgraded\n"));
    };

    let mut response = Response::new(Body::empty());
    *response.status_mut() = StatusCode::SWITCHING_PROTOCOLS;
    let h = response.headers_mut();
    h.insert(header::CONNECTION, HeaderValue::from_static("upgrade"));
    h.insert(header::UPGRADE, HeaderValue::from_static("websocket"));
    h.insert(header::SEC_WEBSOCKET_ACCEPT, accept_key);
    let deflate = negotiated.map(|(answer, params)| {
        h.insert(header::SEC_WEBSOCKET_EXTENSIONS, answer);
        params
    });
    Ok((
        response,
        Pending {
            on_upgrade,
            deflate,
        },
    ))
}

impl Pending {
    /// What permessage-deflate was agreed, if any.
    pub fn deflate(&self) -> Option<DeflateParams> {
        self.deflate
    }

    /// Wait for hyper to hand the socket over, once the 101 is sent.
    /// Returns the socket, the bytes hyper had already read past the
    /// request (the client's first frames, perhaps: give them to
    /// `FrameReader::new`), and the deflate parameters.
    pub async fn io(self) -> Result<(Io, Bytes, Option<DeflateParams>), UpgradeError> {
        let upgraded = self.on_upgrade.await?;
        // The two kinds of stream `listener::serve` gives hyper.
        let upgraded = match upgraded.downcast::<TokioIo<TcpStream>>() {
            Ok(parts) => {
                return Ok((Io::Tcp(parts.io.into_inner()), parts.read_buf, self.deflate));
            }
            Err(upgraded) => upgraded,
        };
        match upgraded.downcast::<TokioIo<TlsStream<TcpStream>>>() {
            Ok(parts) => Ok((
                Io::Tls(Box::new(parts.io.into_inner())),
                parts.read_buf,
                self.deflate,
            )),
            Err(_) => Err(UpgradeError::UnknownStream),
        }
    }
}

fn bad_request(why: &'static str) -> Response {
    (StatusCode::BAD_REQUEST, why).into_response()
}

/// Whether a comma-separated header (any of its lines) lists `token`,
/// ignoring case: `Connection: keep-alive, Upgrade` counts.
fn has_token(headers: &HeaderMap, name: &HeaderName, token: &str) -> bool {
    headers.get_all(name).iter().any(|value| {
        value
            .to_str()
            .map(|v| v.split(',').any(|t| t.trim().eq_ignore_ascii_case(token)))
            .unwrap_or(false)
    })
}

/// A `Sec-WebSocket-Key` is 16 bytes in base64 (RFC 6455 §4.1): 22
/// characters of the alphabet, the last carrying 2 bits and 4 zeros, then
/// `==`.
fn valid_key(key: &[u8]) -> bool {
    fn sextet(c: u8) -> Option<u8> {
        match c {
            b'A'..=b'Z' => Some(c - b'A'),
            b'a'..=b'z' => Some(c - b'a' + 26),
            b'0'..=b'9' => Some(c - b'0' + 52),
            b'+' => Some(62),
            b'/' => Some(63),
            _ => None,
        }
    }
    let [body @ .., last, b'=', b'='] = key else {
        return false;
    };
    body.len() == 21
        && body.iter().all(|&c| sextet(c).is_some())
        && sextet(*last).is_some_and(|s| s & 0x0f == 0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ws::deflate::Inflate;
    use crate::ws::frame::{opcode, pong_frame, FIN, RSV1};
    use crate::ws::reader::{FrameReader, Incoming, ReaderLimits};
    use crate::ws::testing::{client_frame, raw_inflate, read_server_frame, ClientDeflate};
    use crate::ws::{write_loop, CloseReason, Item, Outbox};
    use futures_util::{SinkExt, StreamExt};
    use hyper::service::service_fn;
    use std::convert::Infallible;
    use std::net::SocketAddr;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::TcpListener;
    use tokio_tungstenite::tungstenite::Message;

    fn request(headers: &[(&str, &str)]) -> Request {
        let mut builder = Request::builder().uri("/ws");
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        let mut req = builder.body(Body::empty()).expect("a request");
        // Where hyper puts one (here one that never completes).
        let on_upgrade = hyper::upgrade::on(hyper::Request::new(()));
        req.extensions_mut().insert(on_upgrade);
        req
    }

    const GOOD: [(&str, &str); 4] = [
        ("connection", "keep-alive, Upgrade"),
        ("upgrade", "WebSocket"),
        ("sec-websocket-version", "13"),
        ("sec-websocket-key", "dGhlIHNhbXBsZSBub25jZQ=="),
    ];

    fn with(change: (&'static str, &'static str)) -> Vec<(&'static str, &'static str)> {
        let mut headers: Vec<_> = GOOD
            .iter()
            .filter(|(n, _)| *n != change.0)
            .copied()
            .collect();
        if !change.1.is_empty() {
            headers.push(change);
        }
        headers
    }

    #[test]
    fn a_good_handshake_gets_101_and_the_rfc_accept_key() {
        let (response, pending) = accept(&mut request(&GOOD)).expect("accepted");
        assert_eq!(response.status(), StatusCode::SWITCHING_PROTOCOLS);
        // The example of RFC 6455 §1.3.
        assert_eq!(
            response.headers()[header::SEC_WEBSOCKET_ACCEPT],
            "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="
        );
        assert!(!response
            .headers()
            .contains_key(header::SEC_WEBSOCKET_EXTENSIONS));
        assert_eq!(pending.deflate(), None);
    }

    #[test]
    fn a_deflate_offer_is_answered_in_the_101() {
        let mut headers = GOOD.to_vec();
        headers.push((
            "sec-websocket-extensions",
            "permessage-deflate; client_max_window_bits",
        ));
        let (response, pending) = accept(&mut request(&headers)).expect("accepted");
        assert_eq!(
            response.headers()[header::SEC_WEBSOCKET_EXTENSIONS],
            "permessage-deflate; server_no_context_takeover"
        );
        assert!(pending.deflate().is_some());
    }

    #[test]
    fn bad_handshakes_get_400_and_a_wrong_version_426() {
        for (change, status) in [
            (("connection", "keep-alive"), StatusCode::BAD_REQUEST),
            (("connection", ""), StatusCode::BAD_REQUEST),
            (("upgrade", "h2c"), StatusCode::BAD_REQUEST),
            (("sec-websocket-key", ""), StatusCode::BAD_REQUEST),
            (("sec-websocket-key", "c2hvcnQ="), StatusCode::BAD_REQUEST),
            (
                ("sec-websocket-key", "dGhlIHNhbXBsZSBub25jZR=="),
                StatusCode::BAD_REQUEST,
            ),
            (
                ("sec-websocket-key", "dGhlIHNhbXBsZSBub25j*Q=="),
                StatusCode::BAD_REQUEST,
            ),
            (("sec-websocket-version", "8"), StatusCode::UPGRADE_REQUIRED),
            (("sec-websocket-version", ""), StatusCode::UPGRADE_REQUIRED),
        ] {
            let response = accept(&mut request(&with(change))).expect_err("refused");
            assert_eq!(response.status(), status, "{change:?}");
            if status == StatusCode::UPGRADE_REQUIRED {
                assert_eq!(response.headers()[header::SEC_WEBSOCKET_VERSION], "13");
            }
        }
        let mut post = request(&GOOD);
        *post.method_mut() = Method::POST;
        assert_eq!(
            accept(&mut post).expect_err("a POST").status(),
            StatusCode::BAD_REQUEST
        );
        // No OnUpgrade in the extensions: not upgradable, still no panic.
        let mut plain = request(&GOOD);
        plain.extensions_mut().clear();
        assert_eq!(
            accept(&mut plain).expect_err("plain").status(),
            StatusCode::BAD_REQUEST
        );
    }

    /// A hyper HTTP/1.1 server, as `listener::serve` builds it, whose
    /// websocket echoes each text message back as "echo: ...".
    async fn echo_server() -> SocketAddr {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    return;
                };
                let service = service_fn(|req: hyper::Request<hyper::body::Incoming>| async move {
                    let mut req = req.map(Body::new);
                    Ok::<_, Infallible>(match accept(&mut req) {
                        Ok((response, pending)) => {
                            tokio::spawn(echo(pending));
                            response
                        }
                        Err(response) => response,
                    })
                });
                tokio::spawn(
                    hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .with_upgrades(),
                );
            }
        });
        addr
    }

    async fn echo(pending: Pending) {
        let (io, already_read, deflate) = pending.io().await.expect("the upgraded socket");
        let (mut r, w) = io.split();
        let outbox = Outbox::new(1, 64, 1 << 20);
        let writer = tokio::spawn(write_loop(outbox.clone(), w, deflate.is_some()));
        let mut reader = FrameReader::new(
            ReaderLimits::default(),
            deflate.map(Inflate::new),
            already_read,
        );
        loop {
            match reader.next(&mut r).await {
                Ok(Incoming::Text(text)) => {
                    outbox.send_text(format!("echo: {text}"));
                }
                Ok(Incoming::Ping(payload)) => {
                    outbox.send(Item::Own(pong_frame(&payload)));
                }
                Ok(Incoming::Close(_)) => {
                    outbox.closer.close(CloseReason::Normal);
                    break;
                }
                Ok(_) => {}
                Err(e) => {
                    outbox.closer.close(e.close_reason());
                    break;
                }
            }
        }
        let _ = writer.await;
    }

    #[tokio::test]
    async fn a_tungstenite_client_exchanges_text_through_hyper() {
        let addr = echo_server().await;
        let (mut ws, response) = tokio_tungstenite::connect_async(format!("ws://{addr}/ws"))
            .await
            .expect("handshake");
        assert_eq!(response.status(), StatusCode::SWITCHING_PROTOCOLS);
        for text in ["hello", "مرحبا", &"long ".repeat(10_000)] {
            ws.send(Message::Text(text.into())).await.expect("send");
            let reply = ws.next().await.expect("a reply").expect("a message");
            assert_eq!(reply, Message::Text(format!("echo: {text}").into()));
        }
        ws.close(None).await.expect("close");
        // The server answers our close with its own.
        while let Some(Ok(msg)) = ws.next().await {
            if let Message::Close(frame) = msg {
                assert_eq!(frame.map(|f| u16::from(f.code)), Some(1000));
                break;
            }
        }
    }

    #[tokio::test]
    async fn a_deflate_client_gets_frames_it_can_inflate() {
        let addr = echo_server().await;
        let mut stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
        let text = "Thank you, Madam Chair. The delegation of Norway ".repeat(10);
        let mut deflate = ClientDeflate::new();
        // The request and the first frame in one write: the frame reaches
        // the server in the bytes hyper reads past the request.
        let mut bytes = b"GET /ws HTTP/1.1\r\nHost: dais\r\nConnection: Upgrade\r\n\
            Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\n\
            Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\
            Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n\r\n"
            .to_vec();
        bytes.extend(client_frame(
            FIN | RSV1 | opcode::TEXT,
            &deflate.message(text.as_bytes()),
        ));
        stream.write_all(&bytes).await.expect("write");
        let mut head = Vec::new();
        while !head.ends_with(b"\r\n\r\n") {
            head.push(stream.read_u8().await.expect("response"));
        }
        let head = String::from_utf8(head).expect("ascii").to_ascii_lowercase();
        assert!(head.starts_with("http/1.1 101"), "{head}");
        assert!(head.contains(
            "sec-websocket-extensions: permessage-deflate; server_no_context_takeover\r\n"
        ));
        let reply = read_server_frame(&mut stream).await.expect("a frame");
        assert!(reply.rsv1, "the echo is long enough to be compressed");
        assert_eq!(
            raw_inflate(&reply.payload),
            format!("echo: {text}").as_bytes()
        );
        // And a second message, with the client's context taken over.
        let second = "Thank you, Madam Chair. The delegation of Chile ".repeat(10);
        stream
            .write_all(&client_frame(
                FIN | RSV1 | opcode::TEXT,
                &deflate.message(second.as_bytes()),
            ))
            .await
            .expect("write");
        let reply = read_server_frame(&mut stream).await.expect("a frame");
        assert_eq!(
            raw_inflate(&reply.payload),
            format!("echo: {second}").as_bytes()
        );
    }
}
