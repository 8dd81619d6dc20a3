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

/// `14:05`, `2:05 PM`: the time of day of a moment in the interface's
/// locale, in logical order, in the zone `utc_offset` (seconds east of
/// UTC) or the local one.
pub fn time_of_day(l10n: &Localizer, utc_offset: Option<i32>, ms: i64) -> String {
    use chrono::{FixedOffset, Local, TimeZone, Timelike};
    let parts = match utc_offset {
        Some(offset) => FixedOffset::east_opt(offset)
            .and_then(|tz| tz.timestamp_millis_opt(ms).single())
            .map(|t| (t.hour(), t.minute())),
        None => Local
            .timestamp_millis_opt(ms)
            .single()
            .map(|t| (t.hour(), t.minute())),
    };
    parts
        .map(|(h, m)| {
            crate::bidi::strip_isolates(&l10n.formats().time(h as u8, m as u8)).into_owned()
        })
        .unwrap_or_default()
}
