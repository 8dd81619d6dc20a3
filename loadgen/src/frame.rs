//! Reading server frames quickly enough not to be the bottleneck.
//!
//! A listener in a fan-out receives hundreds of thousands of events a
//! second on one core, so it does not build a full `ServerFrame` for each:
//! it reads the few fields it needs (seq, kind, the timestamp in a speech's
//! text) straight from the JSON text. The server writes events as
//! `{"type":"event","room":...,"seq":N,"ts":N,"kind":"..."` (the type tag
//! first, then `EventFrame`'s fields in order), and room ids and kinds hold
//! no quotes, so finding a key's first occurrence is exact. Snapshots and
//! presence (`room_state`, `presence`), which also reach every member, and
//! the room list's updates are told apart by their type tag alone and
//! counted, never decoded. Everything else (welcome, ok, error, history) is
//! rare and decoded with the protocol types.

use dais_protocol::{EventFrame, ServerFrame};

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

/// Server frames by type, as listeners count them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FrameKind {
    Event,
    /// A room snapshot: on join, and after changes of floor, queue or mode.
    RoomState,
    /// A batch of arrivals and departures, sent to every member.
    Presence,
    /// One room of the list changed (`room_update`).
    RoomUpdate,
    /// A room left the list (`room_removed`).
    RoomRemoved,
    /// A page of the member list (the answer to `members`).
    Members,
    /// Anything else: welcome, ok, error, history, rooms.
    Other,
}

impl FrameKind {
    pub const ALL: [FrameKind; 7] = [
        FrameKind::Event,
        FrameKind::RoomState,
        FrameKind::Presence,
        FrameKind::RoomUpdate,
        FrameKind::RoomRemoved,
        FrameKind::Members,
        FrameKind::Other,
    ];

    /// The frame's `type` on the wire ("other" for the rest).
    pub fn name(self) -> &'static str {
        match self {
            FrameKind::Event => "event",
            FrameKind::RoomState => "room_state",
            FrameKind::Presence => "presence",
            FrameKind::RoomUpdate => "room_update",
            FrameKind::RoomRemoved => "room_removed",
            FrameKind::Members => "members",
            FrameKind::Other => "other",
        }
    }

    /// The kinds that are counted by their tag and never decoded.
    fn counted(tag: &str) -> Option<FrameKind> {
        FrameKind::ALL[1..6]
            .iter()
            .copied()
            .find(|k| k.name() == tag)
    }
}

#[derive(Debug, PartialEq)]
pub enum Peek<'a> {
    Event(EventPeek<'a>),
    /// A frame listeners only count: a snapshot, presence, a list update.
    Counted(FrameKind),
    /// Anything else, decoded.
    Other(Box<ServerFrame>),
    /// Not a frame this protocol knows.
    Unknown,
}

/// How every server frame starts: the type tag comes first.
const TYPE_TAG: &str = r#"{"type":""#;

pub fn peek(text: &str) -> Peek<'_> {
    let tag = text
        .strip_prefix(TYPE_TAG)
        .and_then(|rest| rest.find('"').map(|end| &rest[..end]));
    match tag {
        Some("event") => match peek_event(text) {
            Some(e) => Peek::Event(e),
            None => Peek::Unknown,
        },
        Some(tag) => match FrameKind::counted(tag) {
            Some(c) => Peek::Counted(c),
            None => decode(text),
        },
        None => decode(text),
    }
}

impl Peek<'_> {
    pub fn kind(&self) -> FrameKind {
        match self {
            Peek::Event(_) => FrameKind::Event,
            Peek::Counted(k) => *k,
            Peek::Other(_) | Peek::Unknown => FrameKind::Other,
        }
    }
}

fn decode(text: &str) -> Peek<'_> {
    match serde_json::from_str::<ServerFrame>(text) {
        Ok(f) => Peek::Other(Box::new(f)),
        Err(_) => Peek::Unknown,
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

/// An event as Dais writes it on the wire: its stored JSON (`EventFrame`)
/// with the type tag in front. The floor broadcaster is given speeches in
/// this form, so that its listeners read the same bytes as Dais's.
pub fn event_wire(frame: &EventFrame) -> String {
    let body = serde_json::to_string(frame).unwrap_or_default();
    format!(
        "{{\"type\":\"event\",{}",
        body.strip_prefix('{').unwrap_or(&body)
    )
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
        event_wire(&EventFrame {
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
                    guest: false,
                },
                text: text.into(),
                lang: "en".into(),
            },
        })
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
        assert_eq!(peek("not json"), Peek::Unknown);
    }

    #[test]
    fn snapshots_presence_and_list_updates_are_counted_by_their_tag() {
        for (wire, kind) in [
            (r#"{"type":"room_state","room":"r"}"#, FrameKind::RoomState),
            (
                r#"{"type":"presence","room":"r","seq":3}"#,
                FrameKind::Presence,
            ),
            (r#"{"type":"room_update","room":{}}"#, FrameKind::RoomUpdate),
            (
                r#"{"type":"room_removed","room":"r"}"#,
                FrameKind::RoomRemoved,
            ),
            (r#"{"type":"members","room":"r"}"#, FrameKind::Members),
        ] {
            assert_eq!(peek(wire), Peek::Counted(kind), "{wire}");
            assert_eq!(peek(wire).kind(), kind);
        }
        // The server's own serialization puts the tag first.
        let presence = ServerFrame::Presence(Box::new(dais_protocol::Presence {
            room: "r".into(),
            seq: 1,
            changes: Vec::new(),
            more: true,
            counts: Default::default(),
        }));
        assert_eq!(
            peek(&presence.to_json()),
            Peek::Counted(FrameKind::Presence)
        );
    }

    #[test]
    fn stamped_text_has_the_asked_size() {
        assert_eq!(stamped_text(1, 2, 100).len(), 100);
        assert!(stamped_text(1, 2, 1).starts_with("lg 1 2 "));
    }
}
