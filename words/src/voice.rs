//! How a view speaks the words of [`crate::event`]: it names people, tells
//! times and cuts quotes its own way (the public pages hide a guest's name,
//! the export escapes Markdown, the terminal uses the locale's digits), and
//! [`Said::render`] does the rest the same way for all of them.

use crate::event::{floor_granted_id, Arg, Naming, Said};
use dais_protocol::Actor;
use fluent_bundle::{FluentArgs, FluentValue};

/// What a view supplies to turn [`Said`] into a sentence.
pub trait Voice {
    /// Message `id` with `args`, in the view's language.
    fn message(&self, id: &str, args: Option<&FluentArgs>) -> String;
    /// A participant, named as `naming` asks; an empty string for a name
    /// the view does not show (the public never reads a guest's name).
    fn name(&self, who: &Actor, naming: Naming) -> String;
    /// A length of time: `1:05`.
    fn duration(&self, ms: i64) -> String {
        crate::bundle::duration(ms)
    }
    /// A moment's time of day.
    fn clock(&self, ms: i64) -> String;
    /// A language's name, from its tag.
    fn language(&self, tag: &str) -> String {
        match crate::bundle::language_id(tag) {
            Some(id) => self.message(&id, None),
            None => tag.to_string(),
        }
    }
    /// The opening words of someone's text, cut to fit (and made safe for
    /// the view: escaped, for Markdown).
    fn quote(&self, text: &str) -> String {
        cut(text, 32)
    }
}

impl Said<'_> {
    /// The sentence, in `voice`. A floor granted to someone whose own name
    /// would only repeat how they were first named (no delegation, or a
    /// name the view does not show) is said in its short form.
    pub fn render(&self, voice: &dyn Voice) -> String {
        let mut args = FluentArgs::new();
        let mut id = self.id;
        for (key, arg) in &self.args {
            let value: FluentValue = match arg {
                Arg::Person(a, naming) => {
                    let name = voice.name(a, *naming);
                    if *naming == Naming::Again && (a.delegation.is_empty() || name.is_empty()) {
                        if let Some(class) = self.facts.class {
                            id = floor_granted_id(class, false);
                        }
                    }
                    name.into()
                }
                Arg::Message(id) => voice.message(id, None).into(),
                Arg::Select(word) => (*word).into(),
                Arg::Text(text) => (*text).into(),
                Arg::Language(tag) => voice.language(tag).into(),
                Arg::Number(n) => (*n).into(),
                Arg::Duration(ms) => voice.duration(*ms).into(),
                Arg::Clock(ms) => voice.clock(*ms).into(),
                Arg::Quote(text) => voice.quote(text).into(),
            };
            args.set(*key, value);
        }
        voice.message(id, Some(&args))
    }

    /// "(out of order)" when the floor was given out of the list's order,
    /// for the view to put after the sentence.
    pub fn out_of_order(&self, voice: &dyn Voice) -> Option<String> {
        self.facts
            .out_of_order
            .then(|| voice.message("ev-out-of-order", None))
    }
}

/// `text` cut to `most` characters, with an ellipsis when cut.
pub fn cut(text: &str, most: usize) -> String {
    if text.chars().count() <= most {
        return text.to_string();
    }
    let mut out: String = text.chars().take(most.saturating_sub(1)).collect();
    out.push('…');
    out
}
