//! The Fluent messages of each of the six languages, with English behind
//! them: a message missing from a language (or failing to format there) is
//! taken from English, never shown as its id unless English lacks it too.

use crate::lang::Lang;
use dais_protocol::{ErrorCode, Mode, Stakeholder, TurnEndReason};
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource};
use std::sync::OnceLock;

/// One language's messages, shareable between threads (the server's
/// pages are rendered on any of its workers).
pub struct Words {
    lang: Lang,
    bundle: FluentBundle<FluentResource>,
}

/// The parsed Fluent file of `lang`. A broken entry is the locale tests'
/// business: what parses is kept.
pub fn resource(lang: Lang) -> FluentResource {
    match FluentResource::try_new(lang.source().to_owned()) {
        Ok(r) => r,
        Err((r, _)) => r,
    }
}

fn bundle(lang: Lang) -> FluentBundle<FluentResource> {
    let id = lang.tag().parse().unwrap_or_default();
    let mut bundle = FluentBundle::new_concurrent(vec![id]);
    // Names keep their isolation marks: a Latin name in an Arabic sentence
    // (or the reverse) is laid out on its own, in a browser as in a terminal.
    bundle.set_use_isolating(true);
    let _ = bundle.add_resource(resource(lang));
    bundle
}

fn all() -> &'static [Words; 6] {
    static ALL: OnceLock<[Words; 6]> = OnceLock::new();
    ALL.get_or_init(|| {
        Lang::ALL.map(|lang| Words {
            lang,
            bundle: bundle(lang),
        })
    })
}

impl Words {
    /// The words of `lang`.
    pub fn of(lang: Lang) -> &'static Words {
        &all()[lang as usize]
    }

    /// The words of the language closest to `tag` (English for any other).
    pub fn for_tag(tag: &str) -> &'static Words {
        Words::of(Lang::pick(tag))
    }

    /// The language of these words.
    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// Its tag: `zh-CN`.
    pub fn tag(&self) -> &'static str {
        self.lang.tag()
    }

    /// Written right to left.
    pub fn rtl(&self) -> bool {
        self.lang.is_rtl()
    }

    /// Whether this language itself (not its fallback) has message `id`.
    pub fn has_own(&self, id: &str) -> bool {
        self.bundle.has_message(id)
    }

    /// A message without arguments.
    pub fn t(&self, id: &str) -> String {
        self.format(id, None)
    }

    /// A message with arguments.
    pub fn ta(&self, id: &str, args: &FluentArgs) -> String {
        self.format(id, Some(args))
    }

    /// Message `id` (or `id.attribute`), from this language or its fallback.
    pub fn format(&self, id: &str, args: Option<&FluentArgs>) -> String {
        let mut chain = vec![&self.bundle];
        if let Some(fallback) = self.lang.fallback() {
            chain.push(&Words::of(fallback).bundle);
        }
        format_first(chain, id, args).unwrap_or_else(|| id.to_string())
    }

    /// The name of a language in this language (`lang-fr`: "French"), or
    /// the tag itself for a language outside the six.
    pub fn language(&self, tag: &str) -> String {
        match language_id(tag) {
            Some(id) => self.t(&id),
            None => tag.to_string(),
        }
    }

    /// A stakeholder group's name.
    pub fn stakeholder(&self, g: Stakeholder) -> String {
        self.t(&stakeholder_id(g))
    }
}

/// Message `id` (or `id.attribute`) from the first of `bundles` that has
/// it and formats it without error: a chain of languages, most preferred
/// first. The client's bundles (with its number formatter) and the
/// server's go through this one loop.
pub fn format_first<'b, R, M>(
    bundles: impl IntoIterator<Item = &'b fluent_bundle::bundle::FluentBundle<R, M>>,
    id: &str,
    args: Option<&FluentArgs>,
) -> Option<String>
where
    R: std::borrow::Borrow<FluentResource> + 'b,
    M: fluent_bundle::memoizer::MemoizerKind + 'b,
{
    let (id, attribute) = match id.split_once('.') {
        Some((id, attribute)) => (id, Some(attribute)),
        None => (id, None),
    };
    for bundle in bundles {
        let Some(message) = bundle.get_message(id) else {
            continue;
        };
        let pattern = match attribute {
            Some(name) => message.get_attribute(name).map(|a| a.value()),
            None => message.value(),
        };
        let Some(pattern) = pattern else {
            continue;
        };
        let mut errors = Vec::new();
        let text = bundle.format_pattern(pattern, args, &mut errors);
        if errors.is_empty() {
            return Some(text.into_owned());
        }
        // A resolver error in this language: try the next one.
    }
    None
}

/// The message naming a language (`lang-zh` for `zh-CN`), for the six only.
pub fn language_id(tag: &str) -> Option<String> {
    let primary = tag
        .split(['-', '_'])
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    Lang::ALL
        .iter()
        .any(|l| l.primary() == primary)
        .then(|| format!("lang-{primary}"))
}

/// A duration as minutes and seconds, in Latin digits: `3:05`.
pub fn duration(ms: i64) -> String {
    let s = ms.max(0) / 1000;
    format!("{}:{:02}", s / 60, s % 60)
}

/// Why a turn ended, as a message id.
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

/// A room's mode, as a message id.
pub fn mode_id(mode: Mode) -> &'static str {
    match mode {
        Mode::SpeakersList => "mode-speakers-list",
        Mode::RoundRobin => "mode-round-robin",
        Mode::Open => "mode-open",
        Mode::Suspended => "mode-suspended",
    }
}

/// A stakeholder group's name, as a message id.
pub fn stakeholder_id(g: Stakeholder) -> String {
    format!("stakeholder-{}", g.as_str().replace('_', "-"))
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

/// An error code's message id (`error-room-full`); a code without a message
/// of its own is told with `error-unknown` and the code.
pub fn error_id(code: ErrorCode) -> String {
    format!("error-{}", code.as_str().replace('_', "-"))
}
