//! The words of the record, in the six languages, from the same Fluent
//! files as the client (`locales/*/dais.ftl`, embedded at build time).
//!
//! The export and the public pages say what happened through one function,
//! [`describe`], which names the Fluent message for each event and its
//! arguments: the client's words for an event are the server's too. Each
//! renderer then decides how a person is named (the pages never show a
//! guest's or an observer's name) and how text is escaped.

use dais_protocol::{Actor, EntryClass, Event, Mode, Role, TurnEndReason};
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use std::sync::OnceLock;
use unic_langid::LanguageIdentifier;

/// The languages Dais speaks, English first (every other falls back to it).
pub const LANGS: [&str; 6] = ["en", "fr", "es", "ru", "zh-CN", "ar"];

const SOURCES: [&str; 6] = [
    include_str!("../../locales/en/dais.ftl"),
    include_str!("../../locales/fr/dais.ftl"),
    include_str!("../../locales/es/dais.ftl"),
    include_str!("../../locales/ru/dais.ftl"),
    include_str!("../../locales/zh-CN/dais.ftl"),
    include_str!("../../locales/ar/dais.ftl"),
];

/// One language's messages, with English behind them.
pub struct Words {
    tag: &'static str,
    bundle: FluentBundle<FluentResource>,
}

fn bundle(tag: &str, source: &str) -> FluentBundle<FluentResource> {
    let lang: LanguageIdentifier = tag.parse().unwrap_or_default();
    // A broken entry is the locale tests' business; keep what parses.
    let resource = match FluentResource::try_new(source.to_owned()) {
        Ok(r) => r,
        Err((r, _)) => r,
    };
    let mut bundle = FluentBundle::new_concurrent(vec![lang]);
    // Names keep their isolation marks: a Latin name in an Arabic sentence
    // (or the reverse) is laid out on its own, in a browser as in a terminal.
    bundle.set_use_isolating(true);
    let _ = bundle.add_resource(resource);
    bundle
}

fn all() -> &'static [Words; 6] {
    static ALL: OnceLock<[Words; 6]> = OnceLock::new();
    ALL.get_or_init(|| {
        std::array::from_fn(|i| Words {
            tag: LANGS[i],
            bundle: bundle(LANGS[i], SOURCES[i]),
        })
    })
}

/// The one of the six languages closest to `tag` (`fr-CA` is `fr`, `zh` and
/// `zh-TW` are `zh-CN`); English for any other.
pub fn pick(tag: &str) -> &'static str {
    let primary = tag
        .split(['-', '_'])
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    LANGS
        .iter()
        .find(|l| l.split('-').next() == Some(primary.as_str()))
        .copied()
        .unwrap_or("en")
}

/// Whether `tag` is exactly one of the six (as a page's `lang` parameter must be).
pub fn known(tag: &str) -> Option<&'static str> {
    LANGS.iter().find(|l| l.eq_ignore_ascii_case(tag)).copied()
}

/// The best of the six for an `Accept-Language` header.
pub fn from_accept_language(header: &str) -> &'static str {
    let requested = fluent_langneg::accepted_languages::parse(header);
    let available: Vec<LanguageIdentifier> = LANGS.iter().filter_map(|l| l.parse().ok()).collect();
    let default: LanguageIdentifier = "en".parse().unwrap_or_default();
    let chosen = fluent_langneg::negotiate_languages(
        &requested,
        &available,
        Some(&default),
        fluent_langneg::NegotiationStrategy::Lookup,
    );
    chosen.first().map(|l| pick(&l.to_string())).unwrap_or("en")
}

impl Words {
    /// The words of one of the six (any other tag: the closest, or English).
    pub fn of(tag: &str) -> &'static Words {
        let tag = pick(tag);
        let all = all();
        all.iter().find(|w| w.tag == tag).unwrap_or(&all[0])
    }

    pub fn tag(&self) -> &'static str {
        self.tag
    }

    /// Written right to left.
    pub fn rtl(&self) -> bool {
        self.tag == "ar"
    }

    /// A message without arguments.
    pub fn t(&self, id: &str) -> String {
        self.format(id, None)
    }

    /// A message with arguments.
    pub fn ta(&self, id: &str, args: &FluentArgs) -> String {
        self.format(id, Some(args))
    }

    fn format(&self, id: &str, args: Option<&FluentArgs>) -> String {
        for bundle in [&self.bundle, &all()[0].bundle] {
            let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) else {
                continue;
            };
            let mut errors = Vec::new();
            let text = bundle.format_pattern(pattern, args, &mut errors);
            if errors.is_empty() {
                return text.into_owned();
            }
        }
        id.to_string()
    }

    /// The name of a language in this language (`lang-fr`: "French"), or
    /// the tag itself for a language outside the six.
    pub fn language(&self, tag: &str) -> String {
        let primary = tag.split(['-', '_']).next().unwrap_or_default();
        let id = format!("lang-{}", primary.to_ascii_lowercase());
        if LANGS.iter().any(|l| l.split('-').next() == Some(primary)) {
            self.t(&id)
        } else {
            tag.to_string()
        }
    }

    /// A stakeholder group's name.
    pub fn stakeholder(&self, g: dais_protocol::Stakeholder) -> String {
        self.t(&format!("stakeholder-{}", g.as_str().replace('_', "-")))
    }
}

/// A duration as minutes and seconds: `3:05`.
pub fn duration(ms: i64) -> String {
    let s = ms.max(0) / 1000;
    format!("{}:{:02}", s / 60, s % 60)
}

/// One argument of an event's message, before the renderer names people
/// and escapes text.
#[derive(Debug, Clone, PartialEq)]
pub enum Arg<'a> {
    /// A participant, as a delegation (or a name, for one without).
    Who(&'a Actor),
    /// A participant's own name.
    Name(&'a Actor),
    /// The words of another message (a reason, a mode).
    Message(&'static str),
    /// A word a message selects its variant by (`upheld`, `cause`).
    Select(&'static str),
    /// Text as it is (a node's name).
    Text(&'a str),
    Number(i64),
    Duration(i64),
}

/// What to say about one event: a message and its arguments. `None` for
/// the events each renderer shows its own way (speeches, their
/// interpretations).
#[derive(Debug, Clone, PartialEq)]
pub struct Line<'a> {
    pub id: &'static str,
    pub args: Vec<(&'static str, Arg<'a>)>,
    /// Appended after the message, in brackets: "out of order".
    pub out_of_order: bool,
}

fn line<'a>(id: &'static str, args: Vec<(&'static str, Arg<'a>)>) -> Option<Line<'a>> {
    Some(Line {
        id,
        args,
        out_of_order: false,
    })
}

/// The Fluent message and arguments for an event as recorded (some words
/// need its time: how long an outage lasted).
pub fn describe_frame(frame: &dais_protocol::EventFrame) -> Option<Line<'_>> {
    let mut line = describe(&frame.event)?;
    if let Event::ServiceRestored { down_from, .. } = &frame.event {
        for (key, arg) in line.args.iter_mut() {
            if *key == "down" {
                *arg = Arg::Duration((frame.ts - down_from).max(0));
            }
        }
    }
    Some(line)
}

/// The Fluent message and arguments for `event`: the one place that says
/// which words tell each event, for the export and the pages alike (the
/// client's transcript uses the same ids).
pub fn describe(event: &Event) -> Option<Line<'_>> {
    use Arg::*;
    match event {
        Event::Speech { .. } | Event::Interpretation { .. } => None,
        Event::Announcement { by, .. } => line("ev-announcement", vec![("who", Name(by))]),
        Event::PointOfOrder { by, .. } => line("ev-point-of-order", vec![("who", Who(by))]),
        Event::Ruling { by, upheld, .. } => {
            let verdict = match upheld {
                Some(true) => "yes",
                Some(false) => "no",
                None => "none",
            };
            line(
                "ev-ruling",
                vec![("who", Name(by)), ("upheld", Select(verdict))],
            )
        }
        Event::FloorGranted {
            to,
            class,
            out_of_order,
            ..
        } => {
            let id = match class {
                EntryClass::Reply => "ev-floor-granted-reply",
                EntryClass::ClarifyingQuestion => "ev-floor-granted-clarifying",
                EntryClass::Speech => "ev-floor-granted",
            };
            Some(Line {
                id,
                args: vec![("who", Who(to)), ("name", Name(to))],
                out_of_order: *out_of_order,
            })
        }
        Event::TurnEnded {
            holder,
            reason,
            spoke_ms,
            ..
        } => line(
            "ev-turn-ended",
            vec![
                ("who", Who(holder)),
                ("reason", Message(reason_id(*reason))),
                ("time", Duration(*spoke_ms)),
            ],
        ),
        Event::FloorRequested { by, class, .. } => {
            let id = match class {
                EntryClass::Reply => "ev-reply-requested",
                EntryClass::ClarifyingQuestion => "ev-clarifying-requested",
                EntryClass::Speech => "ev-floor-requested",
            };
            line(id, vec![("who", Who(by))])
        }
        Event::ReplyRequested { by, .. } => line("ev-reply-requested", vec![("who", Who(by))]),
        Event::FloorWithdrawn { by } => line("ev-floor-withdrawn", vec![("who", Who(by))]),
        Event::ClockPaused { by, .. } => line("ev-clock-paused", vec![("who", Name(by))]),
        Event::ClockResumed { by, .. } => line("ev-clock-resumed", vec![("who", Name(by))]),
        Event::ModeChanged { by, mode } => line(
            "ev-mode-changed",
            vec![("who", Name(by)), ("mode", Message(mode_id(*mode)))],
        ),
        Event::TimeLimitChanged { by, seconds } => line(
            "ev-time-limit",
            vec![
                ("who", Name(by)),
                ("time", Duration(i64::from(*seconds) * 1000)),
            ],
        ),
        Event::QueueReordered { by, .. } => line("ev-queue-reordered", vec![("who", Name(by))]),
        Event::QueueCleared { by, .. } => line("ev-queue-cleared", vec![("who", Name(by))]),
        Event::ListClosed { by, .. } => line("ev-list-closed", vec![("who", Name(by))]),
        Event::ListOpened { by } => line("ev-list-opened", vec![("who", Name(by))]),
        Event::RoundStarted { by, round, order } => line(
            "ev-round-started",
            vec![
                ("who", Name(by)),
                ("round", Number(i64::from(*round))),
                ("count", Number(order.len() as i64)),
            ],
        ),
        Event::RoundEnded { round } => {
            line("ev-round-ended", vec![("round", Number(i64::from(*round)))])
        }
        Event::PollOpened { by, .. } => line("ev-poll-opened", vec![("who", Name(by))]),
        Event::PollClosed { .. } => line("ev-poll-closed", vec![]),
        Event::VoteCast { by, .. } => line("ev-vote-cast", vec![("who", Who(by))]),
        Event::Muted { who, .. } => line("ev-muted", vec![("who", Who(who))]),
        Event::Unmuted { who, .. } => line("ev-unmuted", vec![("who", Who(who))]),
        Event::Removed { who, .. } => line("ev-removed", vec![("who", Who(who))]),
        Event::RoomCreated { by } => line("ev-room-created", vec![("who", Name(by))]),
        Event::RoomLocked { by } => line("ev-room-locked", vec![("who", Name(by))]),
        Event::RoomUnlocked { by } => line("ev-room-unlocked", vec![("who", Name(by))]),
        Event::RoomClosed { by } => line("ev-room-closed", vec![("who", Name(by))]),
        Event::RoomPublished { by } => line("ev-room-published", vec![("who", Name(by))]),
        Event::RoomUnpublished { by } => line("ev-room-unpublished", vec![("who", Name(by))]),
        Event::ServiceRestored { cause, node, .. } => {
            let cause = match cause {
                dais_protocol::OutageCause::Restart => "restart",
                dais_protocol::OutageCause::Failover => "failover",
                dais_protocol::OutageCause::Handover => "handover",
            };
            line(
                "ev-service-restored",
                vec![
                    ("cause", Select(cause)),
                    ("node", Text(node.as_deref().unwrap_or(""))),
                    // How long it was down: `describe_frame` knows, from
                    // the event's time.
                    ("down", Duration(0)),
                ],
            )
        }
    }
}

/// The chair's (or the speaker's) reason an event carries, shown after its line.
pub fn reason_of(event: &Event) -> Option<&str> {
    match event {
        Event::FloorGranted { reason, .. }
        | Event::QueueReordered { reason, .. }
        | Event::QueueCleared { reason, .. }
        | Event::ListClosed { reason, .. }
        | Event::Muted { reason, .. }
        | Event::Removed { reason, .. } => reason.as_deref(),
        Event::TurnEnded {
            reason: TurnEndReason::Revoked,
            note,
            ..
        } => note.as_deref(),
        _ => None,
    }
}

pub fn reason_id(reason: TurnEndReason) -> &'static str {
    match reason {
        TurnEndReason::Yielded => "reason-yielded",
        TurnEndReason::YieldedTo => "reason-yielded-to",
        TurnEndReason::Passed => "reason-passed",
        TurnEndReason::Revoked => "reason-revoked",
        TurnEndReason::TimeExpired => "reason-time-expired",
        TurnEndReason::NextCalled => "reason-next-called",
        TurnEndReason::Superseded => "reason-superseded",
        TurnEndReason::HolderLeft => "reason-holder-left",
        TurnEndReason::ModeChanged => "reason-mode-changed",
    }
}

pub fn mode_id(mode: Mode) -> &'static str {
    match mode {
        Mode::SpeakersList => "mode-speakers-list",
        Mode::RoundRobin => "mode-round-robin",
        Mode::Open => "mode-open",
        Mode::Suspended => "mode-suspended",
    }
}

/// The intervention kinds' message ids.
pub fn intervention_id(kind: dais_protocol::InterventionKind) -> &'static str {
    use dais_protocol::InterventionKind::*;
    match kind {
        Revoke => "intervention-revoke",
        Grant => "intervention-grant",
        Reorder => "intervention-reorder",
        Clear => "intervention-clear",
        Mute => "intervention-mute",
        Remove => "intervention-remove",
        Ruling => "intervention-ruling",
    }
}

impl Words {
    /// Render a line, naming people with `name` (which also escapes them as
    /// the output needs): the renderer's privacy rule lives there.
    pub fn line(&self, line: &Line<'_>, name: &dyn Fn(&Actor, bool) -> String) -> String {
        let mut args = FluentArgs::new();
        for (key, arg) in &line.args {
            let value: FluentValue = match arg {
                Arg::Who(a) => name(a, false).into(),
                Arg::Name(a) => name(a, true).into(),
                // `ev-ruling` selects on a plain word, not a message.
                Arg::Message(id) => self.t(id).into(),
                Arg::Select(word) => (*word).into(),
                Arg::Text(text) => (*text).into(),
                Arg::Number(n) => (*n).into(),
                Arg::Duration(ms) => duration(*ms).into(),
            };
            args.set(*key, value);
        }
        let mut text = self.ta(line.id, &args);
        if line.out_of_order {
            text.push_str(&format!(" ({})", self.t("ev-out-of-order")));
        }
        text
    }
}

/// How a person is named where the public can read: a guest's name is
/// their own claim and an observer never takes part, so neither is shown.
pub fn public_name(words: &Words, a: &Actor, own_name: bool) -> String {
    if a.guest {
        return words.t("web-a-guest");
    }
    if a.role == Role::Observer {
        return words.t("web-an-observer");
    }
    if own_name || a.delegation.is_empty() {
        a.name.clone()
    } else {
        a.delegation.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use dais_protocol::Stakeholder;

    fn actor(role: Role, guest: bool) -> Actor {
        Actor {
            id: "p-1".into(),
            name: "Marta Ruiz".into(),
            delegation: "Uruguay".into(),
            stakeholder: Stakeholder::Government,
            role,
            guest,
        }
    }

    fn plain(s: &str) -> String {
        s.chars()
            .filter(|c| !matches!(c, '\u{2066}'..='\u{2069}'))
            .collect()
    }

    #[test]
    fn tags_map_to_the_six_languages() {
        assert_eq!(pick("fr-CA"), "fr");
        assert_eq!(pick("zh"), "zh-CN");
        assert_eq!(pick("zh-TW"), "zh-CN");
        assert_eq!(pick("de"), "en");
        assert_eq!(from_accept_language("ar-EG,ar;q=0.9,en;q=0.5"), "ar");
        assert_eq!(from_accept_language("de-DE, ru;q=0.8"), "ru");
        assert_eq!(from_accept_language(""), "en");
        assert_eq!(known("zh-cn"), Some("zh-CN"));
        assert_eq!(known("de"), None);
    }

    #[test]
    fn every_event_has_words_in_every_language() {
        let by = actor(Role::Moderator, false);
        let events = [
            Event::RoomPublished { by: by.clone() },
            Event::TurnEnded {
                turn: 1,
                holder: by.clone(),
                reason: TurnEndReason::TimeExpired,
                by: None,
                spoke_ms: 65_000,
                note: None,
            },
            Event::Ruling {
                by: by.clone(),
                point: 1,
                ruling: "x".into(),
                upheld: Some(true),
            },
        ];
        for tag in LANGS {
            let w = Words::of(tag);
            for e in &events {
                let line = describe(e).expect("a line");
                let text = w.line(&line, &|a, _| a.name.clone());
                assert!(!text.starts_with("ev-"), "{tag}: {text}");
                assert!(plain(&text).contains("Marta Ruiz"), "{tag}: {text}");
            }
        }
        let en = Words::of("en");
        let ended = en.line(&describe(&events[1]).unwrap(), &|a, _| a.name.clone());
        assert_eq!(plain(&ended), "Marta Ruiz finished: time ran out, 1:05");
    }

    #[test]
    fn the_public_never_reads_a_guests_or_an_observers_name() {
        let w = Words::of("en");
        assert_eq!(
            public_name(w, &actor(Role::Delegate, true), true),
            "a guest"
        );
        assert_eq!(
            public_name(w, &actor(Role::Observer, false), false),
            "an observer"
        );
        assert_eq!(
            public_name(w, &actor(Role::Delegate, false), false),
            "Uruguay"
        );
        assert_eq!(
            public_name(w, &actor(Role::Moderator, false), true),
            "Marta Ruiz"
        );
        assert_eq!(
            public_name(Words::of("ar"), &actor(Role::Delegate, true), true),
            "ضيف"
        );
    }
}
