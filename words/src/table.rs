//! The table every view's test walks: one event of each kind (every
//! variant of `dais_protocol::Event`, some more than once: each class of
//! turn, a guest), and the facts a view must carry for each, whatever its
//! layout. The export's and the public page's tests (server) and the
//! transcript's and line mode's (client) walk it in the six languages, so
//! that the four say the same.

use crate::bundle::Words;
use crate::event::{floor_granted_id, Said};
use dais_protocol::{
    Actor, EntryClass, Event, EventFrame, Mode, OutageCause, Role, Stakeholder, TurnEndReason,
};

/// The room of the table's events.
pub const ROOM: &str = "plenary";

fn actor(id: &str, name: &str, delegation: &str, role: Role, guest: bool) -> Actor {
    Actor {
        id: id.into(),
        name: name.into(),
        delegation: delegation.into(),
        stakeholder: Stakeholder::Government,
        role,
        guest,
    }
}

/// The chair.
pub fn chair() -> Actor {
    actor("p-chair", "María López", "Chair", Role::Moderator, false)
}

/// A delegate.
pub fn france() -> Actor {
    actor("p-fr", "Luc Martin", "France", Role::Delegate, false)
}

/// Another delegate.
pub fn kenya() -> Actor {
    actor("p-ke", "Wanjiru Kamau", "Kenya", Role::Delegate, false)
}

/// A guest of no delegation: their name is their own claim.
pub fn guest() -> Actor {
    actor("g-1", "Zoe Quill", "", Role::Delegate, true)
}

/// How many kinds of event there are: the variants of `Event` (its
/// `kind()` names each one, by an exhaustive match).
pub const KINDS: usize = 33;

/// The kind of an event: `floor_granted`.
pub fn kind(event: &Event) -> &'static str {
    event.kind()
}

fn granted(to: Actor, class: EntryClass, out_of_order: bool) -> Event {
    Event::FloorGranted {
        to,
        turn: 3,
        class,
        reply_to: (class == EntryClass::Reply).then_some(1),
        deadline: 1_767_261_700_000,
        allotted_ms: 180_000,
        by: Some(chair()),
        out_of_order,
        reason: out_of_order.then(|| "urgent".to_string()),
    }
}

/// A poll opened, voted in and closed.
fn polls() -> Vec<Event> {
    let by = chair;
    vec![
        Event::PollOpened {
            by: by(),
            poll: 1,
            question: "Adopt the agenda?".into(),
            options: vec!["support".into(), "object".into()],
        },
        Event::VoteCast {
            by: france(),
            poll: 1,
            option: 0,
            replaced: false,
        },
        Event::PollClosed {
            by: by(),
            poll: 1,
            question: "Adopt the agenda?".into(),
            options: vec!["support".into(), "object".into()],
            counts: vec![1, 0],
            votes: [("France".to_string(), 0)].into_iter().collect(),
        },
    ]
}

/// The table: one frame per event, in seq order from 1. The first is a
/// speech by France that a right of reply later answers.
pub fn events() -> Vec<EventFrame> {
    let by = chair;
    let events = vec![
        Event::Speech {
            by: france(),
            text: "We support the draft.\nSecond line.".into(),
            lang: "en".into(),
        },
        Event::Interpretation {
            by: kenya(),
            of: 1,
            text: "Nous soutenons le projet.".into(),
            lang: "fr".into(),
        },
        Event::Announcement {
            by: by(),
            text: "The session resumes at three.".into(),
            lang: "en".into(),
        },
        Event::FloorRequested {
            by: guest(),
            class: EntryClass::Speech,
            reply_to: None,
        },
        Event::FloorRequested {
            by: kenya(),
            class: EntryClass::ClarifyingQuestion,
            reply_to: None,
        },
        Event::ReplyRequested { by: kenya(), to: 1 },
        Event::FloorRequested {
            by: kenya(),
            class: EntryClass::Reply,
            reply_to: Some(1),
        },
        Event::FloorWithdrawn { by: france() },
        granted(guest(), EntryClass::Speech, false),
        granted(kenya(), EntryClass::Reply, true),
        granted(france(), EntryClass::ClarifyingQuestion, false),
        Event::TurnEnded {
            turn: 3,
            holder: guest(),
            reason: TurnEndReason::TimeExpired,
            by: None,
            // Half a second over: a view that rounds up says 1:06.
            spoke_ms: 65_500,
            note: None,
        },
        Event::ClockPaused {
            by: by(),
            turn: 3,
            remaining_ms: 30_000,
        },
        Event::ClockResumed {
            by: by(),
            turn: 3,
            deadline: 1_767_261_800_000,
        },
        Event::ModeChanged {
            by: by(),
            mode: Mode::RoundRobin,
        },
        Event::TimeLimitChanged {
            by: by(),
            seconds: 120,
        },
        Event::QueueReordered {
            by: by(),
            order: vec!["p-ke".into(), "p-fr".into()],
            reason: Some("precedence".into()),
        },
        Event::QueueCleared {
            by: by(),
            reason: None,
        },
        Event::ListClosed {
            by: by(),
            reason: Some("time".into()),
        },
        Event::ListOpened { by: by() },
        Event::RoundStarted {
            by: by(),
            round: 2,
            order: vec![france(), kenya()],
        },
        Event::RoundEnded { round: 2 },
        Event::PointOfOrder {
            by: guest(),
            text: Some("The speaker is off topic.".into()),
        },
        Event::Ruling {
            by: by(),
            point: 23,
            ruling: "The point is well taken.".into(),
            upheld: Some(true),
        },
        Event::Muted {
            by: by(),
            who: guest(),
            until: None,
            reason: Some("noise".into()),
        },
        Event::Unmuted {
            by: by(),
            who: guest(),
        },
        Event::Removed {
            by: by(),
            who: guest(),
            reason: None,
        },
        Event::RoomCreated { by: by() },
        Event::RoomLocked { by: by() },
        Event::RoomUnlocked { by: by() },
        Event::RoomPublished { by: by() },
        Event::RoomUnpublished { by: by() },
        Event::ServiceRestored {
            down_from: 1_767_261_600_000,
            cause: OutageCause::Failover,
            node: Some("node-b".into()),
            previous: Some("node-a".into()),
            turn: Some(3),
            remaining_ms: Some(42_000),
        },
        Event::RoomClosed { by: by() },
    ];
    let (first, rest) = events.split_at(24);
    let events = first
        .iter()
        .cloned()
        .chain(polls())
        .chain(rest.iter().cloned());
    events
        .into_iter()
        .enumerate()
        .map(|(i, event)| EventFrame {
            room: ROOM.into(),
            seq: i as u64 + 1,
            ts: 1_767_261_640_000 + i as i64 * 1_000,
            event,
        })
        .collect()
}

/// The words that say a turn's class (`Right of reply`, `答辩权：`) in a
/// sentence `said` of language `words`: the longest stretch of the message's
/// own text between its arguments. `None` for a sentence of no class.
pub fn class_words(words: &Words, said: &Said<'_>) -> Option<String> {
    let class = said.facts.class?;
    let id = if said.id.starts_with("ev-floor-granted") {
        floor_granted_id(class, false)
    } else {
        said.id
    };
    let mut args = fluent_bundle::FluentArgs::new();
    for key in ["who", "name", "author", "time", "quote"] {
        args.set(key, "");
    }
    let text = words.ta(id, &args);
    text.split(['\u{2068}', '\u{2069}'])
        .map(str::trim)
        .max_by_key(|s| s.chars().count())
        .map(str::to_string)
}

/// Whether `text`, a view's rendering of the event `said` tells in
/// language `words`, carries its facts: the words of its turn's class, the
/// author of the message a right of reply answers, and a guest marked
/// exactly once (`guest_mark`: how the view marks a guest). An error says
/// which fact is missing.
pub fn carries(words: &Words, said: &Said<'_>, text: &str, guest_mark: &str) -> Result<(), String> {
    let plain = |s: &str| -> String {
        s.chars()
            .filter(|c| !matches!(c, '\u{2066}'..='\u{2069}'))
            .collect::<String>()
            .to_lowercase()
    };
    let text = plain(text);
    if let Some(class) = class_words(words, said) {
        if !text.contains(&plain(&class)) {
            return Err(format!("no class words “{class}” in “{text}”"));
        }
    }
    if let Some(author) = said.facts.reply_to.and_then(|r| r.author()) {
        if !text.contains(&plain(&author.delegation)) {
            return Err(format!(
                "no reply target “{}” in “{text}”",
                author.delegation
            ));
        }
    }
    // A length of time reads the same in every view: whole seconds, as
    // `duration` counts them (a turn of 65.5 s lasted 1:05 everywhere,
    // not 1:06 on one screen and 1:05 in the export).
    for (_, arg) in &said.args {
        if let crate::event::Arg::Duration(ms) = arg {
            let time = crate::bundle::duration(*ms);
            if !text.contains(&time) {
                return Err(format!("no length of time “{time}” in “{text}”"));
            }
        }
    }
    if said.facts.who.is_some_and(|w| w.guest) {
        let marks = text.matches(&plain(guest_mark)).count();
        if marks != 1 {
            return Err(format!("a guest marked {marks} times in “{text}”"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::{describe, in_slice, Arg};
    use crate::lang::Lang;
    use std::collections::BTreeSet;

    #[test]
    fn the_table_holds_every_kind_of_event() {
        let kinds: BTreeSet<&str> = events().iter().map(|e| kind(&e.event)).collect();
        assert_eq!(kinds.len(), KINDS, "{kinds:?}");
    }

    /// Every message an event is said with exists in every locale's own
    /// file (not only through the English fallback), with every message
    /// its arguments name.
    #[test]
    fn no_message_of_an_event_is_missing_in_any_locale() {
        let table = events();
        let lookup = in_slice(&table);
        for lang in Lang::ALL {
            let words = Words::of(lang);
            for frame in &table {
                let Some(said) = describe(frame, &lookup) else {
                    continue;
                };
                let mut ids = vec![said.id];
                if let Some(class) = said.facts.class {
                    if said.id.starts_with("ev-floor-granted") {
                        ids.push(floor_granted_id(class, false));
                    }
                }
                ids.extend(said.then.iter().map(|t| t.id));
                ids.extend(said.args.iter().filter_map(|(_, a)| match a {
                    Arg::Message(id) => Some(*id),
                    _ => None,
                }));
                for id in ids {
                    assert!(words.has_own(id), "{lang}: {id} ({})", kind(&frame.event));
                }
            }
        }
    }

    #[test]
    fn each_sentence_carries_its_facts() {
        let table = events();
        let lookup = in_slice(&table);
        let said: Vec<_> = table.iter().filter_map(|f| describe(f, &lookup)).collect();
        // A right of reply is told once, by its reply_requested, with its target.
        let replies: Vec<_> = said
            .iter()
            .filter(|s| s.facts.class == Some(EntryClass::Reply) && s.facts.reply_to.is_some())
            .collect();
        assert_eq!(replies.len(), 1);
        assert_eq!(replies[0].id, "ev-reply-requested-to");
        assert_eq!(
            replies[0].facts.reply_to.and_then(|r| r.author()),
            Some(&france())
        );
        // Each class of turn granted has its own words, in every language.
        for lang in Lang::ALL {
            let words = Words::of(lang);
            let classes: BTreeSet<String> = said
                .iter()
                .filter(|s| s.id.starts_with("ev-floor-granted"))
                .filter_map(|s| class_words(words, s))
                .collect();
            assert_eq!(classes.len(), 3, "{lang}: {classes:?}");
        }
        // No vote is told; every other kind is.
        let told: BTreeSet<&str> = table
            .iter()
            .filter(|f| describe(f, &lookup).is_some())
            .map(|f| kind(&f.event))
            .collect();
        assert_eq!(told.len(), KINDS - 1);
    }
}
