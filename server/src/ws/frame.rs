//! Server frames, framed once and shared by every recipient.
//!
//! A room sends each event to all its members. The frame for it (header and
//! payload, contiguous) is built once, here, into one `Bytes`; every
//! recipient's queue holds an `Arc<Wire>` to it and its writer hands those
//! very bytes to a vectored write. Nothing is copied per connection. The
//! permessage-deflate form is built the same way, once, the first time a
//! connection that negotiated it needs it.

use crate::ws::deflate;
use bytes::Bytes;
use serde::Serialize;
use std::sync::{Arc, OnceLock};

/// The longest header of a server frame: 2 bytes, then 8 for a 64-bit
/// length. Server frames are never masked (RFC 6455 §5.1), so no mask key.
pub const MAX_HEADER: usize = 10;

/// The FIN bit: this frame ends its message.
pub(crate) const FIN: u8 = 0x80;
/// RSV1, which permessage-deflate uses to mark a compressed message.
pub(crate) const RSV1: u8 = 0x40;

/// Frame opcodes (RFC 6455 §5.2).
pub(crate) mod opcode {
    pub const CONTINUATION: u8 = 0x0;
    pub const TEXT: u8 = 0x1;
    pub const BINARY: u8 = 0x2;
    pub const CLOSE: u8 = 0x8;
    pub const PING: u8 = 0x9;
    pub const PONG: u8 = 0xA;
}

/// The longest payload of a control frame (RFC 6455 §5.5).
pub const MAX_CONTROL_PAYLOAD: usize = 125;

/// One outgoing text message, framed once.
///
/// Shared by every recipient as `Arc<Wire>`: a writer picks the plain or
/// the compressed frame, depending on what its connection negotiated, and
/// writes those bytes as they are.
#[derive(Debug)]
pub struct Wire {
    /// Header and payload, contiguous: FIN, opcode text, no mask.
    plain: Bytes,
    /// Where the payload starts in `plain`.
    header_len: usize,
    /// The permessage-deflate frame, built by the first writer that needs
    /// it, so that a room whose members never negotiated deflate never
    /// spends a cycle on it. Compressed on its own (no context taken over
    /// from another message), so the same bytes are right for every
    /// connection. It is `plain` itself when compressing did not help.
    deflated: OnceLock<Bytes>,
}

impl Wire {
    /// Serialize `value` as JSON straight into the buffer the frame is sent
    /// from: the JSON is written after `MAX_HEADER` bytes of headroom, and
    /// the header goes in the end of that headroom, so the payload is never
    /// copied.
    pub fn serialize<T: Serialize>(value: &T) -> Arc<Wire> {
        let mut buf = Vec::with_capacity(MAX_HEADER + 256);
        buf.extend_from_slice(&[0; MAX_HEADER]);
        if let Err(e) = serde_json::to_writer(&mut buf, value) {
            // Our frames are plain data with string keys, which cannot fail
            // to serialize; if one ever does, an empty message is sent
            // rather than half of one.
            tracing::error!(error = %e, "a server frame failed to serialize");
            buf.truncate(MAX_HEADER);
        }
        Arc::new(Wire::from_headroom(buf))
    }

    /// A message already serialized. Its bytes are copied once, into a
    /// buffer with room for the header; `serialize` avoids even that.
    pub fn text(text: String) -> Arc<Wire> {
        let mut buf = Vec::with_capacity(MAX_HEADER + text.len());
        buf.extend_from_slice(&[0; MAX_HEADER]);
        buf.extend_from_slice(text.as_bytes());
        Arc::new(Wire::from_headroom(buf))
    }

    /// An event frame made from the event's stored JSON (an `EventFrame`
    /// object, as the record keeps it): the same object with
    /// `"type":"event"` in front, written once into the buffer it is sent
    /// from.
    pub fn event(stored: &str) -> Arc<Wire> {
        const HEAD: &[u8] = br#"{"type":"event","#;
        let rest = stored.strip_prefix('{').unwrap_or(stored);
        let mut buf = Vec::with_capacity(MAX_HEADER + HEAD.len() + rest.len());
        buf.extend_from_slice(&[0; MAX_HEADER]);
        buf.extend_from_slice(HEAD);
        buf.extend_from_slice(rest.as_bytes());
        Arc::new(Wire::from_headroom(buf))
    }

    /// `buf` is `MAX_HEADER` bytes of headroom, then the payload.
    fn from_headroom(buf: Vec<u8>) -> Wire {
        let payload_len = buf.len() - MAX_HEADER;
        let plain = frame_in_headroom(buf, FIN | opcode::TEXT);
        let header_len = plain.len() - payload_len;
        Wire {
            plain,
            header_len,
            deflated: OnceLock::new(),
        }
    }

    /// The message itself (UTF-8 JSON), without its header.
    pub fn payload(&self) -> &[u8] {
        &self.plain[self.header_len..]
    }

    /// The frame to write: compressed when the connection negotiated
    /// permessage-deflate (`deflate`), plain otherwise.
    pub fn frame(&self, deflate: bool) -> &Bytes {
        if !deflate {
            return &self.plain;
        }
        self.deflated.get_or_init(|| {
            match deflate::compress(self.payload(), MAX_HEADER) {
                // RFC 7692 §6.1 lets a sender leave any message
                // uncompressed; one that does not shrink is sent as it is.
                Some(buf) if buf.len() - MAX_HEADER < self.payload().len() => {
                    frame_in_headroom(buf, FIN | RSV1 | opcode::TEXT)
                }
                _ => self.plain.clone(),
            }
        })
    }

    /// The plain frame's length on the wire, header included: what a
    /// connection owes until its writer has written this message.
    // A frame always has a header, so an `is_empty` would always be false.
    #[allow(clippy::len_without_is_empty)]
    pub fn len(&self) -> usize {
        self.plain.len()
    }
}

/// The total of `Wire::len` over `frames`: what a replay page owes.
pub fn wire_bytes(frames: &[Arc<Wire>]) -> usize {
    frames.iter().map(|w| w.len()).sum()
}

/// The header of an unmasked frame whose first byte is `first` (FIN, RSV
/// bits, opcode) and whose payload is `len` bytes: 2, 4 or 10 bytes.
fn header(first: u8, len: usize) -> ([u8; MAX_HEADER], usize) {
    let mut h = [0; MAX_HEADER];
    h[0] = first;
    if len <= 125 {
        h[1] = len as u8;
        (h, 2)
    } else if len <= usize::from(u16::MAX) {
        h[1] = 126;
        h[2..4].copy_from_slice(&(len as u16).to_be_bytes());
        (h, 4)
    } else {
        h[1] = 127;
        h[2..10].copy_from_slice(&(len as u64).to_be_bytes());
        (h, 10)
    }
}

/// Write the header at the end of `buf`'s `MAX_HEADER` bytes of headroom,
/// just before the payload, and return the frame without copying it.
pub(crate) fn frame_in_headroom(buf: Vec<u8>, first: u8) -> Bytes {
    let payload_len = buf.len().saturating_sub(MAX_HEADER);
    let (h, n) = header(first, payload_len);
    let start = MAX_HEADER - n;
    let mut buf = buf;
    buf[start..MAX_HEADER].copy_from_slice(&h[..n]);
    Bytes::from(buf).slice(start..)
}

/// A small frame of this connection's own, built in one go.
fn small_frame(first: u8, payload: &[u8]) -> Bytes {
    let (h, n) = header(first, payload.len());
    let mut buf = Vec::with_capacity(n + payload.len());
    buf.extend_from_slice(&h[..n]);
    buf.extend_from_slice(payload);
    Bytes::from(buf)
}

/// A close frame with `code` and `reason`. The reason is cut (at a
/// character boundary) to the 123 bytes a control frame leaves it.
pub fn close_frame(code: u16, reason: &str) -> Bytes {
    let mut end = reason.len().min(MAX_CONTROL_PAYLOAD - 2);
    while !reason.is_char_boundary(end) {
        end -= 1;
    }
    let mut payload = Vec::with_capacity(2 + end);
    payload.extend_from_slice(&code.to_be_bytes());
    payload.extend_from_slice(&reason.as_bytes()[..end]);
    small_frame(FIN | opcode::CLOSE, &payload)
}

/// An empty ping, to notice a peer that went away without a word.
pub fn ping_frame() -> Bytes {
    small_frame(FIN | opcode::PING, &[])
}

/// The pong that answers a ping: the same payload (RFC 6455 §5.5.3), cut to
/// what a control frame may carry.
pub fn pong_frame(payload: &[u8]) -> Bytes {
    let end = payload.len().min(MAX_CONTROL_PAYLOAD);
    small_frame(FIN | opcode::PONG, &payload[..end])
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;
    use tungstenite::protocol::frame::coding::{Control, Data, OpCode};
    use tungstenite::protocol::frame::FrameHeader;

    /// Parse `frame` with tungstenite, an implementation independent of ours.
    fn parse(frame: &[u8]) -> (FrameHeader, u64, usize) {
        let mut cursor = Cursor::new(frame);
        let (header, len) = FrameHeader::parse(&mut cursor)
            .expect("a valid header")
            .expect("a complete header");
        (header, len, cursor.position() as usize)
    }

    #[test]
    fn header_encodings_at_each_length_boundary() {
        for (len, header_bytes) in [(0, 2), (125, 2), (126, 4), (65535, 4), (65536, 10)] {
            let wire = Wire::text("a".repeat(len));
            let frame = wire.frame(false);
            let (header, parsed_len, at) = parse(frame);
            assert_eq!(at, header_bytes, "header length for {len}");
            assert_eq!(parsed_len, len as u64);
            assert!(header.is_final && !header.rsv1 && !header.rsv2 && !header.rsv3);
            assert_eq!(header.opcode, OpCode::Data(Data::Text));
            assert_eq!(header.mask, None);
            assert_eq!(frame.len(), header_bytes + len);
            assert_eq!(wire.len(), frame.len());
            assert_eq!(wire.payload().len(), len);
            assert_eq!(&frame[at..], wire.payload());
        }
    }

    #[test]
    fn serialize_writes_the_json_after_the_header_in_one_buffer() {
        let value = serde_json::json!({"type": "ok", "seq": 7});
        let wire = Wire::serialize(&value);
        assert_eq!(wire.payload(), br#"{"seq":7,"type":"ok"}"#);
        let (_, len, at) = parse(wire.frame(false));
        assert_eq!(at, 2);
        assert_eq!(len as usize, wire.payload().len());
        // A long one takes the 4-byte header, still in the same buffer.
        let long = serde_json::json!({ "text": "x".repeat(1000) });
        let wire = Wire::serialize(&long);
        let (_, len, at) = parse(wire.frame(false));
        assert_eq!((at, len as usize), (4, wire.payload().len()));
    }

    #[test]
    fn the_deflated_frame_inflates_back_to_the_payload() {
        let text = r#"{"type":"event","text":"the floor is yours"}"#.repeat(20);
        let wire = Wire::text(text.clone());
        let frame = wire.frame(true);
        let (header, len, at) = parse(frame);
        assert!(header.rsv1, "compressed messages carry RSV1");
        assert!(header.is_final);
        assert_eq!(header.opcode, OpCode::Data(Data::Text));
        assert!((len as usize) < text.len());
        let inflated = crate::ws::testing::raw_inflate(&frame[at..]);
        assert_eq!(inflated, text.as_bytes());
        // Built once: every connection gets the very same bytes.
        assert_eq!(wire.frame(true).as_ptr(), frame.as_ptr());
    }

    #[test]
    fn a_message_that_does_not_shrink_is_sent_plain() {
        let wire = Wire::text("ok".to_string());
        assert_eq!(wire.frame(true), wire.frame(false));
        let (header, _, _) = parse(wire.frame(true));
        assert!(!header.rsv1);
    }

    #[test]
    fn compression_is_the_same_for_the_same_message() {
        let text = "order, order ".repeat(50);
        let a = Wire::text(text.clone());
        let b = Wire::text(text);
        assert_eq!(a.frame(true), b.frame(true));
    }

    #[test]
    fn control_frames_are_final_and_short() {
        let close = close_frame(1008, "slow_reader");
        let (header, len, at) = parse(&close);
        assert_eq!(header.opcode, OpCode::Control(Control::Close));
        assert!(header.is_final);
        assert_eq!(len, 2 + 11);
        assert_eq!(&close[at..at + 2], &1008u16.to_be_bytes());
        assert_eq!(&close[at + 2..], b"slow_reader");
        // A long reason is cut at a character boundary, within 125 bytes.
        let close = close_frame(1000, &"é".repeat(100));
        let (_, len, at) = parse(&close);
        assert!(len <= 125);
        assert!(std::str::from_utf8(&close[at + 2..]).is_ok());

        let (header, len, _) = parse(&ping_frame());
        assert_eq!((header.opcode, len), (OpCode::Control(Control::Ping), 0));
        let pong = pong_frame(b"are you there");
        let (header, _, at) = parse(&pong);
        assert_eq!(header.opcode, OpCode::Control(Control::Pong));
        assert_eq!(&pong[at..], b"are you there");
        let (_, len, _) = parse(&pong_frame(&[0; 300]));
        assert_eq!(len, 125);
    }
}
