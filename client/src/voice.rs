//! How the client speaks the words the `words` crate gives an event: names
//! as the room knows them with the guest badge, numbers in the locale's
//! digits, durations and times of day as each view shows them. The
//! transcript and line mode both speak through [`Speaker`], and keep only
//! their own layout.

use fluent_bundle::FluentArgs;

use crate::i18n::Localizer;

/// The client's voice: durations and times of day as the view shows them
/// (the full screen in visual order, line mode in logical order).
pub struct Speaker<'a> {
    pub l10n: &'a Localizer,
    /// A moment's time of day.
    pub clock: &'a dyn Fn(i64) -> String,
    /// A length of time.
    pub duration: &'a dyn Fn(i64) -> String,
}

impl dais_words::Voice for Speaker<'_> {
    fn message(&self, id: &str, args: Option<&FluentArgs>) -> String {
        self.l10n.format(id, args)
    }

    fn name(&self, who: &dais_protocol::Actor, naming: dais_words::Naming) -> String {
        use dais_words::Naming;
        match naming {
            // The chair as the panes show them: by their seat.
            Naming::Who | Naming::Chair => crate::names::marked(self.l10n, who),
            Naming::Own => crate::names::mark(self.l10n, who, &who.name),
            // The badge went with the first naming: once is enough.
            Naming::Again => who.name.clone(),
        }
    }

    fn duration(&self, ms: i64) -> String {
        (self.duration)(ms)
    }

    fn clock(&self, ms: i64) -> String {
        (self.clock)(ms)
    }

    fn language(&self, tag: &str) -> String {
        crate::language::name(self.l10n, tag)
    }

    fn quote(&self, text: &str) -> String {
        crate::bidi::truncate(text, 32)
    }
}
