//! Client frames in: read from the socket, checked, assembled into messages.
//!
//! Every frame is returned to the caller, not only whole messages (a
//! fragment, a ping, a pong all come back as an `Incoming`), so that the
//! rate limit counts every frame a client sends. Limits are checked from a
//! frame's header, before its payload is read, so a header that declares a
//! gigabyte costs nothing.
//!
//! Memory: between frames the reader holds no buffer at all. Plain TCP is
//! read when it is readable, into a 4 KiB array on the stack; only the
//! unread rest of a frame that is still arriving is kept, on the heap.

use crate::ws::close::CloseReason;
use crate::ws::deflate::{Inflate, InflateError};
use crate::ws::frame::{opcode, MAX_CONTROL_PAYLOAD};
use crate::ws::io::ReadHalf;
use bytes::Bytes;
use std::future::poll_fn;
use std::io;
use std::mem::MaybeUninit;
use std::pin::Pin;
use std::task::{ready, Context, Poll};
use tokio::io::{AsyncRead, AsyncReadExt, ReadBuf};

/// The most bytes one read takes on the stack.
const STACK_READ: usize = 4096;

/// The longest client frame header: 2 bytes, 8 of length, 4 of mask.
const MAX_CLIENT_HEADER: usize = 14;

/// Limits on what a client may send.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReaderLimits {
    /// The longest message, in bytes, after inflating if it was compressed;
    /// the compressed form is held to it as well.
    pub max_message_bytes: usize,
    /// The most frames one message may be split into: a message in a
    /// thousand one-byte fragments costs the server a thousand frames'
    /// work for one message's worth of rate limit.
    pub max_fragments: usize,
}

impl Default for ReaderLimits {
    fn default() -> Self {
        ReaderLimits {
            max_message_bytes: 64 * 1024,
            max_fragments: 64,
        }
    }
}

/// One frame's worth of what the client sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Incoming {
    /// A whole text message, inflated if it was compressed, valid UTF-8.
    Text(String),
    /// A whole binary message; the protocol has no use for its content.
    Binary,
    /// A ping, with its payload, which the pong must echo.
    Ping(Bytes),
    /// A pong: proof of life, nothing more.
    Pong,
    /// The client's close frame, with its code and reason if it gave them.
    Close(Option<(u16, String)>),
    /// A data frame that does not end its message yet: returned so that the
    /// caller can count it, then read on.
    Fragment,
}

/// Why reading ended.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The peer closed the TCP connection (without a close frame, or after
    /// one the caller did not stop for).
    #[error("the peer closed the connection")]
    Eof,
    /// The socket failed (reset, TLS error).
    #[error("reading from the socket failed: {0}")]
    Io(#[from] io::Error),
    /// A frame declared, or a message added up or inflated to, more than
    /// `max_message_bytes`.
    #[error("a message over the size limit")]
    TooLarge,
    /// A message in more than `max_fragments` frames.
    #[error("a message in more fragments than allowed")]
    TooManyFragments,
    /// The client broke RFC 6455 (or 7692); the text says how, for logs.
    #[error("websocket protocol error: {0}")]
    Protocol(&'static str),
    /// A text message or a close reason that is not UTF-8.
    #[error("a text message or close reason that is not UTF-8")]
    InvalidUtf8,
}

impl ReadError {
    /// Why the connection closes, for the close frame; `Normal` when the
    /// socket itself is gone and no close frame can reach anyone.
    pub fn close_reason(&self) -> CloseReason {
        match self {
            ReadError::Eof | ReadError::Io(_) => CloseReason::Normal,
            ReadError::TooLarge => CloseReason::TooLarge,
            ReadError::TooManyFragments => CloseReason::TooManyFragments,
            ReadError::Protocol(_) => CloseReason::ProtocolError,
            ReadError::InvalidUtf8 => CloseReason::InvalidUtf8,
        }
    }

    /// The close code: 1009 too large, 1008 too many fragments, 1002
    /// protocol error, 1007 invalid UTF-8.
    pub fn close_code(&self) -> u16 {
        self.close_reason().code()
    }

    /// The close frame's reason, a stable snake_case word clients can match.
    pub fn reason(&self) -> &'static str {
        self.close_reason().as_str()
    }
}

/// A frame header, parsed and checked on its own.
#[derive(Debug, Clone, Copy)]
struct Header {
    fin: bool,
    rsv1: bool,
    opcode: u8,
    mask: [u8; 4],
    /// Header bytes, mask included.
    len: usize,
    payload_len: usize,
}

impl Header {
    fn is_control(&self) -> bool {
        self.opcode & 0x08 != 0
    }

    /// Parse a header from the start of `buf`: `None` until it is all there.
    /// Checks what the header alone can tell.
    fn parse(buf: &[u8]) -> Result<Option<Header>, ReadError> {
        let [b0, b1, ..] = *buf else {
            return Ok(None);
        };
        if b0 & 0x30 != 0 {
            return Err(ReadError::Protocol("RSV2 or RSV3 set"));
        }
        let opcode = b0 & 0x0f;
        if !matches!(
            opcode,
            opcode::CONTINUATION
                | opcode::TEXT
                | opcode::BINARY
                | opcode::CLOSE
                | opcode::PING
                | opcode::PONG
        ) {
            return Err(ReadError::Protocol("reserved opcode"));
        }
        if b1 & 0x80 == 0 {
            return Err(ReadError::Protocol("client frame not masked"));
        }
        let fin = b0 & 0x80 != 0;
        let (payload_len, at) = match b1 & 0x7f {
            126 => match buf.get(2..4) {
                Some(&[a, b]) => (u64::from(u16::from_be_bytes([a, b])), 4),
                _ => return Ok(None),
            },
            127 => match buf.get(2..10).and_then(|s| <[u8; 8]>::try_from(s).ok()) {
                Some(bytes) => {
                    let len = u64::from_be_bytes(bytes);
                    if len >> 63 != 0 {
                        return Err(ReadError::Protocol("length with its top bit set"));
                    }
                    (len, 10)
                }
                None => return Ok(None),
            },
            short => (u64::from(short), 2),
        };
        let Some(mask) = buf
            .get(at..at + 4)
            .and_then(|s| <[u8; 4]>::try_from(s).ok())
        else {
            return Ok(None);
        };
        let header = Header {
            fin,
            rsv1: b0 & 0x40 != 0,
            opcode,
            mask,
            len: at + 4,
            // Past usize (32-bit targets) is past any limit anyway.
            payload_len: usize::try_from(payload_len).unwrap_or(usize::MAX),
        };
        if header.is_control() {
            if header.payload_len > MAX_CONTROL_PAYLOAD {
                return Err(ReadError::Protocol("control frame over 125 bytes"));
            }
            if !fin {
                return Err(ReadError::Protocol("fragmented control frame"));
            }
            if header.rsv1 {
                return Err(ReadError::Protocol("RSV1 on a control frame"));
            }
        }
        Ok(Some(header))
    }
}

/// A data message whose frames are still arriving.
#[derive(Debug)]
struct Partial {
    text: bool,
    /// RSV1 was set on its first frame: its payload is deflated.
    compressed: bool,
    data: Vec<u8>,
    /// Frames so far, for `max_fragments`.
    frames: usize,
}

/// What parsing the buffered bytes gave.
enum Parsed {
    Frame(Incoming),
    /// The frame under way needs at least this many more bytes.
    Need(usize),
}

/// Reads a connection's client frames, one `next` at a time.
#[derive(Debug)]
pub struct FrameReader {
    limits: ReaderLimits,
    /// Present when permessage-deflate was negotiated.
    inflate: Option<Inflate>,
    /// Bytes read and not yet consumed: the start of a frame still
    /// arriving (or frames that came in the same read). Empty between
    /// frames, and then without an allocation.
    buf: Vec<u8>,
    /// A fragmented data message under way.
    partial: Option<Partial>,
}

impl FrameReader {
    /// A reader for one connection. `already_read` is what hyper read past
    /// the HTTP request (a client may send its first frame right behind
    /// it); it is read before the socket.
    pub fn new(limits: ReaderLimits, deflate: Option<Inflate>, already_read: Bytes) -> FrameReader {
        FrameReader {
            limits,
            inflate: deflate,
            buf: Vec::from(already_read),
            partial: None,
        }
    }

    /// The next frame from the client.
    ///
    /// Cancel-safe: dropped at its await (in a `select!` with a timer, say),
    /// it loses nothing, since bytes move from the socket into the reader
    /// only when a read completes, and a frame is taken out of the reader
    /// only when it is returned.
    pub async fn next(&mut self, io: &mut ReadHalf) -> Result<Incoming, ReadError> {
        loop {
            let need = match self.parse()? {
                Parsed::Frame(incoming) => return Ok(incoming),
                Parsed::Need(n) => n,
            };
            let n = match io {
                ReadHalf::Tcp(r) => {
                    r.readable().await?;
                    match read_tcp_now(r, &mut self.buf, need) {
                        Err(e) if e.kind() == io::ErrorKind::WouldBlock => continue,
                        other => other?,
                    }
                }
                ReadHalf::Tls(r) => read_some(r, &mut self.buf, need).await?,
            };
            if n == 0 {
                return Err(ReadError::Eof);
            }
        }
    }

    /// Take one whole frame from `buf` if it is there, after checking its
    /// header against what came before and against the limits.
    fn parse(&mut self) -> Result<Parsed, ReadError> {
        let Some(header) = Header::parse(&self.buf)? else {
            // Read on: a header is at most 14 bytes, so one read will do.
            return Ok(Parsed::Need(
                MAX_CLIENT_HEADER.saturating_sub(self.buf.len()).max(1),
            ));
        };
        self.check(&header)?;
        let end = header.len + header.payload_len;
        if self.buf.len() < end {
            return Ok(Parsed::Need(end - self.buf.len()));
        }
        let payload = &mut self.buf[header.len..end];
        unmask(payload, header.mask);
        let incoming = match header.opcode {
            opcode::PING => Incoming::Ping(Bytes::copy_from_slice(payload)),
            opcode::PONG => Incoming::Pong,
            opcode::CLOSE => close_payload(payload)?,
            opcode::CONTINUATION => {
                let mut partial = self
                    .partial
                    .take()
                    .ok_or(ReadError::Protocol("continuation without a message"))?;
                partial.data.extend_from_slice(payload);
                partial.frames += 1;
                if header.fin {
                    self.finish(partial)?
                } else {
                    self.partial = Some(partial);
                    Incoming::Fragment
                }
            }
            // Text or binary: `check` refused any other opcode.
            _ => {
                let partial = Partial {
                    text: header.opcode == opcode::TEXT,
                    compressed: header.rsv1,
                    data: payload.to_vec(),
                    frames: 1,
                };
                if header.fin {
                    self.finish(partial)?
                } else {
                    self.partial = Some(partial);
                    Incoming::Fragment
                }
            }
        };
        self.consume(end);
        Ok(Parsed::Frame(incoming))
    }

    /// The rules that depend on the frames before this one, and the limits,
    /// all checked before the payload is read.
    fn check(&self, header: &Header) -> Result<(), ReadError> {
        if header.is_control() {
            return Ok(());
        }
        let (so_far, frames) = match (&self.partial, header.opcode) {
            (None, opcode::CONTINUATION) => {
                return Err(ReadError::Protocol("continuation without a message"));
            }
            (Some(_), opcode::TEXT | opcode::BINARY) => {
                return Err(ReadError::Protocol("new message before the last one ended"));
            }
            (Some(partial), _) => {
                if header.rsv1 {
                    return Err(ReadError::Protocol("RSV1 on a continuation frame"));
                }
                (partial.data.len(), partial.frames + 1)
            }
            (None, _) => {
                if header.rsv1 && self.inflate.is_none() {
                    return Err(ReadError::Protocol("RSV1 without permessage-deflate"));
                }
                (0, 1)
            }
        };
        if frames > self.limits.max_fragments.max(1) {
            return Err(ReadError::TooManyFragments);
        }
        if header.payload_len > self.limits.max_message_bytes.saturating_sub(so_far) {
            return Err(ReadError::TooLarge);
        }
        Ok(())
    }

    /// A message's last frame is in: inflate it, check its text.
    fn finish(&mut self, partial: Partial) -> Result<Incoming, ReadError> {
        let data = if partial.compressed {
            let inflate = self
                .inflate
                .as_mut()
                .ok_or(ReadError::Protocol("RSV1 without permessage-deflate"))?;
            inflate
                .message(partial.data, self.limits.max_message_bytes)
                .map_err(|e| match e {
                    InflateError::TooLarge => ReadError::TooLarge,
                    InflateError::Corrupt => ReadError::Protocol("invalid deflate data"),
                })?
        } else {
            partial.data
        };
        if !partial.text {
            return Ok(Incoming::Binary);
        }
        String::from_utf8(data)
            .map(Incoming::Text)
            .map_err(|_| ReadError::InvalidUtf8)
    }

    /// Drop the first `n` bytes of `buf`; keep no allocation once it is
    /// empty, and no large one for a few bytes left over.
    fn consume(&mut self, n: usize) {
        if n >= self.buf.len() {
            self.buf = Vec::new();
        } else if self.buf.capacity() > 2 * STACK_READ {
            self.buf = self.buf.split_off(n);
        } else {
            self.buf.drain(..n);
        }
    }
}

/// A close frame's payload: nothing, or a code and a UTF-8 reason.
fn close_payload(payload: &[u8]) -> Result<Incoming, ReadError> {
    let (code, reason) = match payload {
        [] => return Ok(Incoming::Close(None)),
        [a, b, reason @ ..] => (u16::from_be_bytes([*a, *b]), reason),
        [_] => return Err(ReadError::Protocol("close frame with a one-byte payload")),
    };
    // RFC 6455 §7.4: codes a peer may send; 1004-1006 and 1015 are
    // reserved, below 1000 and 1016-2999 unassigned.
    if !matches!(code, 1000..=1003 | 1007..=1014 | 3000..=4999) {
        return Err(ReadError::Protocol("invalid close code"));
    }
    let reason = std::str::from_utf8(reason).map_err(|_| ReadError::InvalidUtf8)?;
    Ok(Incoming::Close(Some((code, reason.to_string()))))
}

/// Unmask a client payload in place (RFC 6455 §5.3).
fn unmask(payload: &mut [u8], mask: [u8; 4]) {
    for (i, b) in payload.iter_mut().enumerate() {
        *b ^= mask[i & 3];
    }
}

/// Read what the socket has now, without waiting. Small reads go through
/// an array on the stack, so nothing is allocated for a frame until it is
/// known to be incomplete; the rest of a long frame (`need` bytes, already
/// checked against the limit) is read straight into `buf`.
fn read_tcp_now(
    r: &tokio::net::tcp::OwnedReadHalf,
    buf: &mut Vec<u8>,
    need: usize,
) -> io::Result<usize> {
    if need > STACK_READ {
        buf.reserve(need);
        return r.try_read_buf(buf);
    }
    let mut stack = [0u8; STACK_READ];
    let n = r.try_read(&mut stack)?;
    buf.extend_from_slice(&stack[..n]);
    Ok(n)
}

/// Read from a stream that is not a plain socket (TLS): the same as
/// `read_tcp_now`, but through `poll_read`. The stack array lives only
/// inside one poll, so it is not kept while the connection waits.
async fn read_some<R: AsyncRead + Unpin>(
    r: &mut R,
    buf: &mut Vec<u8>,
    need: usize,
) -> io::Result<usize> {
    if need > STACK_READ {
        buf.reserve(need);
        return r.read_buf(buf).await;
    }
    poll_fn(|cx| poll_read_small(Pin::new(&mut *r), cx, buf)).await
}

fn poll_read_small<R: AsyncRead>(
    r: Pin<&mut R>,
    cx: &mut Context<'_>,
    buf: &mut Vec<u8>,
) -> Poll<io::Result<usize>> {
    let mut stack = [MaybeUninit::<u8>::uninit(); STACK_READ];
    let mut read = ReadBuf::uninit(&mut stack);
    ready!(r.poll_read(cx, &mut read))?;
    buf.extend_from_slice(read.filled());
    Poll::Ready(Ok(read.filled().len()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ws::deflate::DeflateParams;
    use crate::ws::frame::{FIN, RSV1};
    use crate::ws::io::Io;
    use crate::ws::testing::{client_frame, frame_with_mask, tcp_pair, ClientDeflate};
    use std::time::Duration;
    use tokio::io::AsyncWriteExt;
    use tokio::net::TcpStream;

    const TEXT: u8 = FIN | opcode::TEXT;

    /// A reader on the server end of a loopback pair, and the client end.
    async fn reader(limits: ReaderLimits, deflate: bool) -> (FrameReader, ReadHalf, TcpStream) {
        let (client, server) = tcp_pair().await;
        let (r, _w) = Io::Tcp(server).split();
        // The write half is dropped: these tests only read.
        let inflate = deflate.then(|| {
            Inflate::new(DeflateParams {
                client_no_context_takeover: false,
            })
        });
        (FrameReader::new(limits, inflate, Bytes::new()), r, client)
    }

    async fn next(reader: &mut FrameReader, r: &mut ReadHalf) -> Result<Incoming, ReadError> {
        tokio::time::timeout(Duration::from_secs(5), reader.next(r))
            .await
            .expect("the reader answers without waiting for more")
    }

    fn protocol(result: Result<Incoming, ReadError>) -> &'static str {
        match result {
            Err(ReadError::Protocol(why)) => why,
            other => panic!("expected a protocol error, got {other:?}"),
        }
    }

    #[tokio::test]
    async fn a_masked_text_frame_is_read_and_the_buffer_released() {
        let (mut reader, mut r, mut client) = reader(ReaderLimits::default(), false).await;
        client
            .write_all(&client_frame(TEXT, "¡Señora Presidenta!".as_bytes()))
            .await
            .expect("write");
        let got = next(&mut reader, &mut r).await.expect("a frame");
        assert_eq!(got, Incoming::Text("¡Señora Presidenta!".into()));
        assert_eq!(reader.buf.capacity(), 0, "an idle reader holds no buffer");
    }

    #[tokio::test]
    async fn an_unmasked_client_frame_is_a_protocol_error() {
        let (mut reader, mut r, mut client) = reader(ReaderLimits::default(), false).await;
        client
            .write_all(&frame_with_mask(TEXT, b"hello", None))
            .await
            .expect("write");
        assert_eq!(
            protocol(next(&mut reader, &mut r).await),
            "client frame not masked"
        );
    }

    #[tokio::test]
    async fn fragments_assemble_around_a_ping_and_each_is_returned() {
        let (mut reader, mut r, mut client) = reader(ReaderLimits::default(), false).await;
        // "é" split across two fragments: UTF-8 is checked on the whole.
        let text = "Mme la Présidente".as_bytes();
        let cut = text.iter().position(|&b| b == 0xc3).expect("é") + 1;
        let mut bytes = client_frame(opcode::TEXT, &text[..cut]);
        bytes.extend(client_frame(FIN | opcode::PING, b"hi"));
        bytes.extend(client_frame(opcode::CONTINUATION, &text[cut..cut + 2]));
        bytes.extend(client_frame(FIN | opcode::PONG, b""));
        bytes.extend(client_frame(FIN | opcode::CONTINUATION, &text[cut + 2..]));
        client.write_all(&bytes).await.expect("write");
        let mut got = Vec::new();
        for _ in 0..5 {
            got.push(next(&mut reader, &mut r).await.expect("a frame"));
        }
        assert_eq!(
            got,
            vec![
                Incoming::Fragment,
                Incoming::Ping(Bytes::from_static(b"hi")),
                Incoming::Fragment,
                Incoming::Pong,
                Incoming::Text("Mme la Présidente".into()),
            ]
        );
        assert_eq!(reader.buf.capacity(), 0);
    }

    #[tokio::test]
    async fn a_frame_arriving_a_byte_at_a_time_is_read_whole() {
        let (mut reader, mut r, mut client) = reader(ReaderLimits::default(), false).await;
        let text = "x".repeat(300);
        let bytes = client_frame(TEXT, text.as_bytes());
        let writer = tokio::spawn(async move {
            for b in bytes {
                client.write_all(&[b]).await.expect("write");
                tokio::time::sleep(Duration::from_micros(200)).await;
            }
            client
        });
        assert_eq!(
            next(&mut reader, &mut r).await.expect("a frame"),
            Incoming::Text(text)
        );
        writer.await.expect("writer");
    }

    #[tokio::test]
    async fn a_long_frame_is_read_past_the_stack_buffer() {
        let (mut reader, mut r, mut client) = reader(ReaderLimits::default(), false).await;
        let text: String = (0..60_000)
            .map(|i| char::from(b'a' + (i % 26) as u8))
            .collect();
        let bytes = client_frame(TEXT, text.as_bytes());
        tokio::spawn(async move { client.write_all(&bytes).await.map(|()| client) });
        assert_eq!(
            next(&mut reader, &mut r).await.expect("a frame"),
            Incoming::Text(text)
        );
        assert_eq!(reader.buf.capacity(), 0);
    }

    #[tokio::test]
    async fn bytes_read_before_the_upgrade_come_first() {
        let (mut client, server) = tcp_pair().await;
        let (mut r, _w) = Io::Tcp(server).split();
        let mut already = client_frame(TEXT, b"first");
        // Half of the next frame, its rest still on the socket.
        let second = client_frame(TEXT, b"second");
        already.extend_from_slice(&second[..4]);
        let mut reader = FrameReader::new(ReaderLimits::default(), None, Bytes::from(already));
        client.write_all(&second[4..]).await.expect("write");
        assert_eq!(
            next(&mut reader, &mut r).await.expect("a"),
            Incoming::Text("first".into())
        );
        assert_eq!(
            next(&mut reader, &mut r).await.expect("b"),
            Incoming::Text("second".into())
        );
    }

    #[tokio::test]
    async fn a_declared_length_over_the_limit_is_refused_before_its_payload() {
        let (mut reader, mut r, mut client) = reader(ReaderLimits::default(), false).await;
        // A header that announces a gigabyte, and not one byte of it: the
        // reader must answer now, not wait for (or allocate) the payload.
        let mut header = vec![TEXT, 0x80 | 127];
        header.extend_from_slice(&(1u64 << 30).to_be_bytes());
        header.extend_from_slice(&[1, 2, 3, 4]);
        client.write_all(&header).await.expect("write");
        let err = next(&mut reader, &mut r).await.expect_err("too large");
        assert!(matches!(err, ReadError::TooLarge));
        assert_eq!((err.close_code(), err.reason()), (1009, "frame_too_large"));
        assert!(reader.buf.capacity() < 1024, "nothing was reserved for it");
    }

    #[tokio::test]
    async fn fragments_adding_up_past_the_limit_are_too_large() {
        let limits = ReaderLimits {
            max_message_bytes: 1000,
            max_fragments: 64,
        };
        let (mut reader, mut r, mut client) = reader(limits, false).await;
        let mut bytes = client_frame(opcode::TEXT, &[b'a'; 600]);
        bytes.extend(client_frame(FIN | opcode::CONTINUATION, &[b'a'; 401]));
        client.write_all(&bytes).await.expect("write");
        assert_eq!(
            next(&mut reader, &mut r).await.expect("first"),
            Incoming::Fragment
        );
        assert!(matches!(
            next(&mut reader, &mut r).await,
            Err(ReadError::TooLarge)
        ));
    }

    #[tokio::test]
    async fn a_message_in_too_many_fragments_is_refused() {
        let limits = ReaderLimits {
            max_message_bytes: 1 << 16,
            max_fragments: 3,
        };
        let (mut reader, mut r, mut client) = reader(limits, false).await;
        let mut bytes = client_frame(opcode::TEXT, b"a");
        for _ in 0..3 {
            bytes.extend(client_frame(opcode::CONTINUATION, b"a"));
        }
        client.write_all(&bytes).await.expect("write");
        for _ in 0..3 {
            assert_eq!(
                next(&mut reader, &mut r).await.expect("frame"),
                Incoming::Fragment
            );
        }
        let err = next(&mut reader, &mut r).await.expect_err("the fourth");
        assert!(matches!(err, ReadError::TooManyFragments));
        assert_eq!(
            (err.close_code(), err.reason()),
            (1008, "too_many_fragments")
        );
    }

    #[tokio::test]
    async fn invalid_utf8_text_closes_with_1007() {
        let (mut reader, mut r, mut client) = reader(ReaderLimits::default(), false).await;
        client
            .write_all(&client_frame(TEXT, &[b'o', b'k', 0xff]))
            .await
            .expect("write");
        let err = next(&mut reader, &mut r).await.expect_err("invalid");
        assert!(matches!(err, ReadError::InvalidUtf8));
        assert_eq!((err.close_code(), err.reason()), (1007, "invalid_utf8"));
    }

    #[tokio::test]
    async fn binary_messages_are_read_and_not_kept() {
        let (mut reader, mut r, mut client) = reader(ReaderLimits::default(), false).await;
        client
            .write_all(&client_frame(FIN | opcode::BINARY, &[0xff, 0x00]))
            .await
            .expect("write");
        assert_eq!(
            next(&mut reader, &mut r).await.expect("frame"),
            Incoming::Binary
        );
    }

    #[tokio::test]
    async fn a_control_frame_over_125_bytes_is_a_protocol_error() {
        let (mut reader, mut r, mut client) = reader(ReaderLimits::default(), false).await;
        client
            .write_all(&client_frame(FIN | opcode::PING, &[0; 126]))
            .await
            .expect("write");
        assert_eq!(
            protocol(next(&mut reader, &mut r).await),
            "control frame over 125 bytes"
        );
    }

    #[tokio::test]
    async fn a_fragmented_control_frame_is_a_protocol_error() {
        let (mut reader, mut r, mut client) = reader(ReaderLimits::default(), false).await;
        client
            .write_all(&client_frame(opcode::PING, b"x"))
            .await
            .expect("write");
        assert_eq!(
            protocol(next(&mut reader, &mut r).await),
            "fragmented control frame"
        );
    }

    #[tokio::test]
    async fn reserved_bits_and_opcodes_are_protocol_errors() {
        for (first, why) in [
            (TEXT | 0x20, "RSV2 or RSV3 set"),
            (TEXT | 0x10, "RSV2 or RSV3 set"),
            (TEXT | RSV1, "RSV1 without permessage-deflate"),
            (FIN | 0x3, "reserved opcode"),
            (FIN | 0xB, "reserved opcode"),
            (FIN | opcode::CONTINUATION, "continuation without a message"),
        ] {
            let (mut reader, mut r, mut client) = reader(ReaderLimits::default(), false).await;
            client
                .write_all(&client_frame(first, b"x"))
                .await
                .expect("write");
            assert_eq!(protocol(next(&mut reader, &mut r).await), why, "{first:#x}");
        }
    }

    #[tokio::test]
    async fn a_new_message_before_the_last_one_ended_is_a_protocol_error() {
        let (mut reader, mut r, mut client) = reader(ReaderLimits::default(), false).await;
        let mut bytes = client_frame(opcode::TEXT, b"a");
        bytes.extend(client_frame(TEXT, b"b"));
        client.write_all(&bytes).await.expect("write");
        assert_eq!(
            next(&mut reader, &mut r).await.expect("first"),
            Incoming::Fragment
        );
        assert_eq!(
            protocol(next(&mut reader, &mut r).await),
            "new message before the last one ended"
        );
    }

    #[tokio::test]
    async fn close_frames_carry_a_valid_code_and_a_utf8_reason() {
        let mut with_reason = 1001u16.to_be_bytes().to_vec();
        with_reason.extend_from_slice("au revoir".as_bytes());
        let cases: Vec<(Vec<u8>, Result<Incoming, &str>)> = vec![
            (vec![], Ok(Incoming::Close(None))),
            (
                with_reason,
                Ok(Incoming::Close(Some((1001, "au revoir".into())))),
            ),
            (vec![0x03], Err("close frame with a one-byte payload")),
            (1005u16.to_be_bytes().to_vec(), Err("invalid close code")),
            (999u16.to_be_bytes().to_vec(), Err("invalid close code")),
        ];
        for (payload, want) in cases {
            let (mut reader, mut r, mut client) = reader(ReaderLimits::default(), false).await;
            client
                .write_all(&client_frame(FIN | opcode::CLOSE, &payload))
                .await
                .expect("write");
            match want {
                Ok(incoming) => {
                    assert_eq!(next(&mut reader, &mut r).await.expect("close"), incoming)
                }
                Err(why) => assert_eq!(protocol(next(&mut reader, &mut r).await), why),
            }
        }
        let (mut reader, mut r, mut client) = reader(ReaderLimits::default(), false).await;
        let mut bad = 1000u16.to_be_bytes().to_vec();
        bad.push(0xff);
        client
            .write_all(&client_frame(FIN | opcode::CLOSE, &bad))
            .await
            .expect("write");
        assert!(matches!(
            next(&mut reader, &mut r).await,
            Err(ReadError::InvalidUtf8)
        ));
    }

    #[tokio::test]
    async fn the_end_of_the_stream_is_eof() {
        let (mut reader, mut r, client) = reader(ReaderLimits::default(), false).await;
        drop(client);
        assert!(matches!(
            next(&mut reader, &mut r).await,
            Err(ReadError::Eof)
        ));
    }

    #[tokio::test]
    async fn compressed_messages_inflate_with_context_takeover() {
        let (mut reader, mut r, mut client) = reader(ReaderLimits::default(), true).await;
        let mut deflate = ClientDeflate::new();
        let first = "I yield the floor to the delegate of Chile. ".repeat(5);
        let second = "I yield the floor to the delegate of Peru. ".repeat(5);
        let a = deflate.message(first.as_bytes());
        let b = deflate.message(second.as_bytes());
        // The second in two fragments, RSV1 on the first only.
        let mut bytes = client_frame(TEXT | RSV1, &a);
        bytes.extend(client_frame(opcode::TEXT | RSV1, &b[..b.len() / 2]));
        bytes.extend(client_frame(FIN | opcode::CONTINUATION, &b[b.len() / 2..]));
        client.write_all(&bytes).await.expect("write");
        assert_eq!(
            next(&mut reader, &mut r).await.expect("a"),
            Incoming::Text(first)
        );
        assert_eq!(
            next(&mut reader, &mut r).await.expect("frag"),
            Incoming::Fragment
        );
        assert_eq!(
            next(&mut reader, &mut r).await.expect("b"),
            Incoming::Text(second)
        );
    }

    #[tokio::test]
    async fn rsv1_on_a_continuation_is_a_protocol_error() {
        let (mut reader, mut r, mut client) = reader(ReaderLimits::default(), true).await;
        let mut bytes = client_frame(opcode::TEXT, b"a");
        bytes.extend(client_frame(FIN | RSV1 | opcode::CONTINUATION, b"b"));
        client.write_all(&bytes).await.expect("write");
        assert_eq!(
            next(&mut reader, &mut r).await.expect("first"),
            Incoming::Fragment
        );
        assert_eq!(
            protocol(next(&mut reader, &mut r).await),
            "RSV1 on a continuation frame"
        );
    }

    #[tokio::test]
    async fn a_compressed_message_inflating_past_the_limit_is_too_large() {
        let (mut reader, mut r, mut client) = reader(ReaderLimits::default(), true).await;
        let bomb = ClientDeflate::new().message(&vec![b' '; 1 << 20]);
        assert!(bomb.len() < ReaderLimits::default().max_message_bytes);
        client
            .write_all(&client_frame(TEXT | RSV1, &bomb))
            .await
            .expect("write");
        assert!(matches!(
            next(&mut reader, &mut r).await,
            Err(ReadError::TooLarge)
        ));
    }

    #[tokio::test]
    async fn the_tls_read_path_reads_through_poll_read() {
        // The TLS arm reads through `read_some`, generic over the stream:
        // checked here on an in-memory pipe.
        let (mut a, mut b) = tokio::io::duplex(64);
        a.write_all(b"hello").await.expect("write");
        let mut buf = Vec::new();
        let n = read_some(&mut b, &mut buf, 1).await.expect("read");
        assert_eq!(&buf[..n], b"hello");
        let long = vec![7u8; 10_000];
        let writer = tokio::spawn(async move { a.write_all(&long).await.map(|()| a) });
        let mut buf = Vec::new();
        while buf.len() < 10_000 {
            let need = 10_000 - buf.len();
            let n = read_some(&mut b, &mut buf, need).await.expect("read");
            assert!(n > 0);
        }
        assert_eq!(buf, vec![7u8; 10_000]);
        writer.await.expect("join").expect("write");
    }
}
