//! permessage-deflate (RFC 7692): negotiated in the handshake, then used
//! to compress server messages and to inflate client messages.
//!
//! The server never keeps a compression context between messages
//! (`server_no_context_takeover`, always): each server message is
//! compressed once for all its recipients (see `frame::Wire`), which only
//! works if its compressed form does not depend on what a connection was
//! sent before. Inflating client messages follows what the client chose.

use axum::http::HeaderValue;
use flate2::{Compress, Compression, Decompress, FlushCompress, FlushDecompress, Status};

/// What ends every sync flush: RFC 7692 §7.2.1 has the sender drop these
/// four bytes from each message, and §7.2.2 the receiver put them back.
pub(crate) const TAIL: [u8; 4] = [0x00, 0x00, 0xff, 0xff];

/// Server payloads shorter than this go out uncompressed (RFC 7692 lets
/// any message be sent so): deflate saves little on a short JSON frame,
/// and setting up a compressor for one costs more than sending it plain.
pub const MIN_DEFLATE: usize = 128;

/// What the handshake agreed, as far as reading client messages goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeflateParams {
    /// The client compresses each message on its own. Then no inflate state
    /// is kept between messages; otherwise one per connection is, for as
    /// long as the connection lasts (about 43 KiB), since the client's next
    /// message may refer back to this one.
    pub client_no_context_takeover: bool,
}

/// Choose what to answer a `Sec-WebSocket-Extensions` offer: the first
/// permessage-deflate offer whose parameters we can honour, with our
/// response header, or `None` (no compression) when there is none.
///
/// We always answer `server_no_context_takeover`, and echo
/// `client_no_context_takeover` when the client offers it. An offer of
/// `server_max_window_bits` below 15 is declined: it asks us to compress
/// with a smaller window than the 32 KiB one flate2's pure-Rust backend
/// (miniz_oxide) always uses, and a client that asks for it may really
/// have only that much room to inflate into. `client_max_window_bits`
/// needs nothing from us: our inflater's 32 KiB window reads any smaller
/// one, so it is accepted and left out of the answer (then the client may
/// use up to 15 bits, which we read).
pub fn negotiate(offer: Option<&HeaderValue>) -> Option<(HeaderValue, DeflateParams)> {
    let offer = offer?.to_str().ok()?;
    offer.split(',').find_map(accept_offer)
}

/// One extension of an offer: `permessage-deflate; param; param=value`.
fn accept_offer(extension: &str) -> Option<(HeaderValue, DeflateParams)> {
    let mut parts = extension.split(';').map(str::trim);
    if !parts.next()?.eq_ignore_ascii_case("permessage-deflate") {
        return None;
    }
    // RFC 7692 §7: an offer with a parameter twice, an unknown parameter,
    // or a value out of range must be declined.
    let mut server_no_context_takeover = false;
    let mut client_no_context_takeover = false;
    let mut server_max_window_bits = false;
    let mut client_max_window_bits = false;
    for param in parts {
        let (name, value) = match param.split_once('=') {
            Some((name, value)) => (name.trim(), Some(unquote(value.trim()))),
            None => (param, None),
        };
        let seen = if name.eq_ignore_ascii_case("server_no_context_takeover") && value.is_none() {
            &mut server_no_context_takeover
        } else if name.eq_ignore_ascii_case("client_no_context_takeover") && value.is_none() {
            &mut client_no_context_takeover
        } else if name.eq_ignore_ascii_case("server_max_window_bits") {
            // Required to have a value; only 15 is ours to honour.
            if window_bits(value?)? != 15 {
                return None;
            }
            &mut server_max_window_bits
        } else if name.eq_ignore_ascii_case("client_max_window_bits") {
            // Without a value it only says the client understands it.
            if let Some(value) = value {
                window_bits(value)?;
            }
            &mut client_max_window_bits
        } else {
            return None;
        };
        if std::mem::replace(seen, true) {
            return None;
        }
    }
    let mut answer = String::from("permessage-deflate; server_no_context_takeover");
    if client_no_context_takeover {
        answer.push_str("; client_no_context_takeover");
    }
    if server_max_window_bits {
        // Accepting this parameter means answering it (RFC 7692 §7.1.2.1).
        answer.push_str("; server_max_window_bits=15");
    }
    let answer = HeaderValue::from_str(&answer).ok()?;
    Some((
        answer,
        DeflateParams {
            client_no_context_takeover,
        },
    ))
}

/// A parameter value may be a quoted string (RFC 6455 §9.1).
fn unquote(value: &str) -> &str {
    value
        .strip_prefix('"')
        .and_then(|v| v.strip_suffix('"'))
        .unwrap_or(value)
}

/// A window size: 8 to 15, in digits with no leading zero (RFC 7692 §7.1.2).
fn window_bits(value: &str) -> Option<u8> {
    if value.starts_with('0') || value.len() > 2 || !value.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let bits: u8 = value.parse().ok()?;
    (8..=15).contains(&bits).then_some(bits)
}

/// Compress one server message on its own, after `headroom` bytes left for
/// the frame header, with the sync-flush tail removed (RFC 7692 §7.2.1).
/// `None` if the payload is too short to be worth it, or compressing failed.
///
/// A fresh compressor per message: no state is shared between messages, so
/// the result depends on this payload alone and serves every connection.
pub fn compress(payload: &[u8], headroom: usize) -> Option<Vec<u8>> {
    if payload.len() < MIN_DEFLATE {
        return None;
    }
    let mut compressor = Compress::new(Compression::default(), false);
    let mut out = Vec::with_capacity(headroom + payload.len() / 2 + 64);
    out.resize(headroom, 0);
    loop {
        if out.len() == out.capacity() {
            out.reserve(payload.len() / 4 + 64);
        }
        let before = (compressor.total_in(), compressor.total_out());
        let consumed = usize::try_from(compressor.total_in()).ok()?;
        compressor
            .compress_vec(&payload[consumed..], &mut out, FlushCompress::Sync)
            .ok()?;
        let consumed = usize::try_from(compressor.total_in()).ok()?;
        // All input taken and room left over: the flush is complete.
        let room_left = out.len() < out.capacity();
        if consumed == payload.len() && room_left {
            break;
        }
        if room_left && before == (compressor.total_in(), compressor.total_out()) {
            return None;
        }
    }
    if !out[headroom..].ends_with(&TAIL) {
        return None;
    }
    out.truncate(out.len() - TAIL.len());
    Some(out)
}

/// Why a compressed client message could not be inflated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InflateError {
    /// It inflates to more than the message limit (a decompression bomb,
    /// or just too long).
    TooLarge,
    /// Not valid deflate data.
    Corrupt,
}

/// Inflates a connection's compressed client messages.
#[derive(Debug)]
pub struct Inflate {
    /// The client compresses each message on its own: a fresh state for
    /// each, dropped after it.
    fresh_each_message: bool,
    /// The inflate state, created with the first compressed message, so a
    /// connection that never sends one pays nothing for it.
    state: Option<Decompress>,
}

impl Inflate {
    /// The inflater for what the handshake agreed.
    pub fn new(params: DeflateParams) -> Inflate {
        Inflate {
            fresh_each_message: params.client_no_context_takeover,
            state: None,
        }
    }

    /// Inflate one whole message (the payloads of all its frames, in
    /// order). Fails with `TooLarge` as soon as the output would pass
    /// `max` bytes, whatever the input's size.
    pub fn message(&mut self, mut data: Vec<u8>, max: usize) -> Result<Vec<u8>, InflateError> {
        data.extend_from_slice(&TAIL);
        let state = self.state.get_or_insert_with(|| Decompress::new(false));
        let result = inflate_into(state, &data, max);
        // A failed message ends the connection; a fresh-per-message client
        // needs no state kept for the next one.
        if self.fresh_each_message || result.is_err() {
            self.state = None;
        }
        result
    }

    /// Whether an inflate state is held between messages (for tests).
    #[cfg(test)]
    pub(crate) fn holds_state(&self) -> bool {
        self.state.is_some()
    }
}

fn inflate_into(state: &mut Decompress, data: &[u8], max: usize) -> Result<Vec<u8>, InflateError> {
    let limit = max.saturating_add(1);
    let start = state.total_in();
    let mut out: Vec<u8> = Vec::new();
    loop {
        let consumed =
            usize::try_from(state.total_in() - start).map_err(|_| InflateError::Corrupt)?;
        if out.len() == out.capacity() {
            // Grow by doubling, never past one byte over the limit, which
            // is enough to tell that the message is over it.
            let want = out.len().max(data.len() * 3).max(256);
            out.reserve(want.min(limit - out.len()));
        }
        let before = (state.total_in(), state.total_out());
        let status = state
            .decompress_vec(&data[consumed..], &mut out, FlushDecompress::Sync)
            .map_err(|_| InflateError::Corrupt)?;
        if out.len() > max {
            return Err(InflateError::TooLarge);
        }
        if status == Status::StreamEnd {
            // A final block ends the client's deflate stream; what follows
            // (our tail) belongs to none, and the next message starts anew.
            state.reset(false);
            return Ok(out);
        }
        let consumed =
            usize::try_from(state.total_in() - start).map_err(|_| InflateError::Corrupt)?;
        let room_left = out.len() < out.capacity();
        if consumed == data.len() && room_left {
            return Ok(out);
        }
        if room_left && before == (state.total_in(), state.total_out()) {
            // Input left, room left, and no progress: truncated or broken.
            return Err(InflateError::Corrupt);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ws::testing::{raw_inflate, ClientDeflate};

    fn offer(s: &str) -> Option<(String, DeflateParams)> {
        negotiate(Some(&HeaderValue::from_str(s).expect("a header value")))
            .map(|(h, p)| (h.to_str().expect("ascii").to_string(), p))
    }

    #[test]
    fn a_browser_offer_is_accepted_without_client_window_bits() {
        // Chrome, Firefox and Python websockets all send this.
        let (answer, params) =
            offer("permessage-deflate; client_max_window_bits").expect("accepted");
        assert_eq!(answer, "permessage-deflate; server_no_context_takeover");
        assert!(!params.client_no_context_takeover);
    }

    #[test]
    fn client_no_context_takeover_is_echoed() {
        let (answer, params) =
            offer("permessage-deflate; client_no_context_takeover; server_no_context_takeover")
                .expect("accepted");
        assert_eq!(
            answer,
            "permessage-deflate; server_no_context_takeover; client_no_context_takeover"
        );
        assert!(params.client_no_context_takeover);
    }

    #[test]
    fn the_first_offer_we_can_honour_wins() {
        // A small server window first, then a fallback: the fallback.
        let (answer, _) = offer(
            "permessage-deflate; server_max_window_bits=10, permessage-deflate; client_max_window_bits",
        )
        .expect("the second offer");
        assert_eq!(answer, "permessage-deflate; server_no_context_takeover");
        // A window of 15 is what we use anyway: accepted, and answered.
        let (answer, _) =
            offer("permessage-deflate; server_max_window_bits=\"15\"").expect("accepted");
        assert_eq!(
            answer,
            "permessage-deflate; server_no_context_takeover; server_max_window_bits=15"
        );
        // Another extension before ours.
        assert!(offer("x-webkit-deflate-frame, permessage-deflate").is_some());
    }

    #[test]
    fn bad_or_duplicate_parameters_decline_the_offer() {
        for bad in [
            "permessage-deflate; client_no_context_takeover; client_no_context_takeover",
            "permessage-deflate; server_max_window_bits",
            "permessage-deflate; server_max_window_bits=16",
            "permessage-deflate; client_max_window_bits=7",
            "permessage-deflate; client_max_window_bits=010",
            "permessage-deflate; server_no_context_takeover=1",
            "permessage-deflate; mystery",
            "permessage-deflate; server_max_window_bits=8",
            "garbage;;;==,",
            "",
        ] {
            assert_eq!(offer(bad), None, "{bad}");
        }
        assert_eq!(negotiate(None), None);
    }

    #[test]
    fn our_compression_inflates_with_a_plain_raw_inflater() {
        let text = r#"{"type":"event","kind":"speech","text":"Madam Chair, thank you."}"#.repeat(8);
        let out = compress(text.as_bytes(), 0).expect("worth compressing");
        assert!(out.len() < text.len());
        assert!(!out.ends_with(&TAIL), "the tail is stripped");
        assert_eq!(raw_inflate(&out), text.as_bytes());
        // Too short to bother.
        assert_eq!(compress(b"{\"type\":\"ok\"}", 0), None);
    }

    #[test]
    fn a_client_with_context_takeover_is_inflated_message_after_message() {
        let mut client = ClientDeflate::new();
        let mut inflate = Inflate::new(DeflateParams {
            client_no_context_takeover: false,
        });
        let first = "point of order, Madam Chair ".repeat(10);
        let second = "point of order, Madam Chair, again ".repeat(10);
        let a = client.message(first.as_bytes());
        // The second refers back to the first: readable only with its context.
        let b = client.message(second.as_bytes());
        let alone = ClientDeflate::new().message(second.as_bytes());
        assert!(
            b.len() < alone.len(),
            "the second reuses the first's window"
        );
        assert_eq!(inflate.message(a, 1 << 16), Ok(first.into_bytes()));
        assert!(inflate.holds_state());
        assert_eq!(inflate.message(b, 1 << 16), Ok(second.into_bytes()));
    }

    #[test]
    fn a_client_without_context_takeover_keeps_no_state() {
        let mut inflate = Inflate::new(DeflateParams {
            client_no_context_takeover: true,
        });
        for text in ["the floor is yours ".repeat(9), "right of reply ".repeat(9)] {
            let compressed = ClientDeflate::new().message(text.as_bytes());
            assert_eq!(inflate.message(compressed, 1 << 16), Ok(text.into_bytes()));
            assert!(!inflate.holds_state());
        }
    }

    #[test]
    fn a_decompression_bomb_stops_at_the_limit() {
        let bomb = ClientDeflate::new().message(&vec![b'a'; 10 << 20]);
        assert!(bomb.len() < 20_000);
        let mut inflate = Inflate::new(DeflateParams {
            client_no_context_takeover: true,
        });
        assert_eq!(inflate.message(bomb, 64 << 10), Err(InflateError::TooLarge));
        // Exactly at the limit is fine.
        let exact = ClientDeflate::new().message(&[b'a'; 1000]);
        assert_eq!(inflate.message(exact, 1000).map(|v| v.len()), Ok(1000));
    }

    #[test]
    fn corrupt_data_is_refused() {
        let mut inflate = Inflate::new(DeflateParams {
            client_no_context_takeover: false,
        });
        assert_eq!(
            inflate.message(vec![0xff; 40], 1 << 16),
            Err(InflateError::Corrupt)
        );
    }
}
