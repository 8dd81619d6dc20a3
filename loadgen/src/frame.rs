//! Reading server frames quickly enough not to be the bottleneck.
//!
//! A listener in a fan-out receives hundreds of thousands of events a
//! second on one core, so it does not build a full `ServerFrame` for each:
//! it reads the few fields it needs (seq, kind, the timestamp in a speech's
//! text) straight from the JSON text. The server writes events as
//! `{"type":"event","room":...,"seq":N,"ts":N,"kind":"..."` (the type tag
//! first, then `EventFrame`'s fields in order), and room ids and kinds hold
//! no quotes, so finding a key's first occurrence is exact. Everything else
//! (welcome, ok, error, history) is rare and decoded with the protocol types.

use dais_protocol::ServerFrame;

/// What the text of a speech sent by this load generator starts with:
/// `lg <send time in ns> <number> `, then padding.
pub const STAMP_PREFIX: &str = "lg ";

/// The few fields of an event a listener looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EventPeek<'a> {
    pub seq: u64,
    pub kind: &'a str,
    /// For a speech from this load generator: when it was sent (ns on
    /// `sys::now_ns`'s clock) and its number.
    pub stamp: Option<(u64, u64)>,
}

#[derive(Debug, PartialEq)]
pub enum Peek<'a> {
    Event(EventPeek<'a>),
    /// A room snapshot: listeners only count these.
    RoomState,
    /// Anything else, decoded.
    Other(Box<ServerFrame>),
    /// Not a frame this protocol knows.
    Unknown,
}

pub fn peek(text: &str) -> Peek<'_> {
    if text.starts_with(r#"{"type":"event""#) {
        match peek_event(text) {
            Some(e) => Peek::Event(e),
            None => Peek::Unknown,
        }
    } else if text.starts_with(r#"{"type":"room_state""#) {
        Peek::RoomState
    } else {
        match serde_json::from_str::<ServerFrame>(text) {
            Ok(f) => Peek::Other(Box::new(f)),
            Err(_) => Peek::Unknown,
        }
    }
}

fn peek_event(text: &str) -> Option<EventPeek<'_>> {
    let seq = u64_after(text, r#""seq":"#)?;
    let kind = str_after(text, r#""kind":""#)?;
    let stamp = if kind == "speech" {
        stamp_in(text)
    } else {
        None
    };
    Some(EventPeek { seq, kind, stamp })
}

/// The unsigned integer that follows the first occurrence of `key`.
fn u64_after(text: &str, key: &str) -> Option<u64> {
    let at = text.find(key)? + key.len();
    leading_u64(&text[at..]).map(|(n, _)| n)
}

/// The digits at the start of `s`, and what follows them.
fn leading_u64(s: &str) -> Option<(u64, &str)> {
    let end = s.bytes().take_while(u8::is_ascii_digit).count();
    if end == 0 {
        return None;
    }
    Some((s[..end].parse().ok()?, &s[end..]))
}

/// The string (without escapes) that follows the first occurrence of `key`,
/// where `key` ends with the opening quote.
fn str_after<'a>(text: &'a str, key: &str) -> Option<&'a str> {
    let at = text.find(key)? + key.len();
    let len = text[at..].find('"')?;
    Some(&text[at..at + len])
}

fn stamp_in(text: &str) -> Option<(u64, u64)> {
    let key = r#""text":"lg "#;
    let at = text.find(key)? + key.len();
    let (sent, rest) = leading_u64(&text[at..])?;
    let (n, _) = leading_u64(rest.strip_prefix(' ')?)?;
    Some((sent, n))
}

/// The text of a stamped speech, padded to `bytes`.
pub fn stamped_text(sent_ns: u64, n: u64, bytes: usize) -> String {
    let mut text = format!("{STAMP_PREFIX}{sent_ns} {n} ");
    while text.len() < bytes {
        text.push('x');
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use dais_protocol::{Actor, Event, EventFrame, Role, Stakeholder};

    fn speech(seq: u64, text: &str) -> String {
        let frame = EventFrame {
            room: "lg-fanout-1".into(),
            seq,
            ts: 1_767_262_500_000,
            event: Event::Speech {
                by: Actor {
                    id: "p-0123456789".into(),
                    name: "Load delegate 1".into(),
                    delegation: "LD-d1".into(),
                    stakeholder: Stakeholder::Government,
                    role: Role::Delegate,
                },
                text: text.into(),
                lang: "en".into(),
            },
        };
        // As the server puts it on the wire: the stored body behind a type tag.
        let body = serde_json::to_string(&frame).unwrap();
        format!("{{\"type\":\"event\",{}", &body[1..])
    }

    #[test]
    fn a_stamped_speech_is_read_without_decoding_it() {
        let wire = speech(42, &stamped_text(123_456_789, 7, 120));
        let Peek::Event(e) = peek(&wire) else {
            panic!("not an event: {wire}")
        };
        assert_eq!(e.seq, 42);
        assert_eq!(e.kind, "speech");
        assert_eq!(e.stamp, Some((123_456_789, 7)));
        // The fast reading agrees with the protocol types.
        let full: ServerFrame = serde_json::from_str(&wire).unwrap();
        let ServerFrame::Event(full) = full else {
            panic!("not an event")
        };
        assert_eq!(full.seq, 42);
    }

    #[test]
    fn a_speech_from_someone_else_has_no_stamp() {
        let wire = speech(3, "We support the proposal.");
        let Peek::Event(e) = peek(&wire) else {
            panic!("not an event")
        };
        assert_eq!((e.seq, e.kind, e.stamp), (3, "speech", None));
    }

    #[test]
    fn other_frames_are_decoded_with_the_protocol_types() {
        let ok = r#"{"type":"ok","id":5,"room":"r","seq":9}"#;
        match peek(ok) {
            Peek::Other(f) => match *f {
                ServerFrame::Ok { seq, .. } => assert_eq!(seq, Some(9)),
                other => panic!("{other:?}"),
            },
            other => panic!("{other:?}"),
        }
        assert_eq!(peek(r#"{"type":"room_state","room":"r"}"#), Peek::RoomState);
        assert_eq!(peek("not json"), Peek::Unknown);
    }

    #[test]
    fn stamped_text_has_the_asked_size() {
        assert_eq!(stamped_text(1, 2, 100).len(), 100);
        assert!(stamped_text(1, 2, 1).starts_with("lg 1 2 "));
    }
}
