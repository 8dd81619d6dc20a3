//! Numbers, times of day and durations as the interface language writes
//! them, with ICU4X: `14:05` in Chinese and French, `2:05 PM` in English,
//! `1 234` in Russian. Fluent prints numbers bare, so the bundles get a
//! formatter that hands integers to ICU4X (see [`fluent_number`]); plural
//! rules still see the number itself.

// A reader comes to this module's public items from the rest of the
// client, so each says what it is for.
#![warn(missing_docs)]

use fluent_bundle::FluentValue;
use icu_datetime::fieldsets::{T, YMDE};
use icu_datetime::input::{Date, Time};
use icu_datetime::{DateTimeFormatter, NoCalendarFormatter};
use icu_decimal::input::Decimal;
use icu_decimal::DecimalFormatter;
use icu_locale_core::Locale;
use intl_memoizer::{IntlLangMemoizer, Memoizable};
use unic_langid::LanguageIdentifier;

/// The formatters of one locale. Either may be missing (a locale ICU4X has
/// no data for); then the plain Latin forms are used.
pub struct Formats {
    time: Option<NoCalendarFormatter<T>>,
    /// Dates with the weekday, for the record's date lines.
    date: Option<DateTimeFormatter<YMDE>>,
    decimal: Option<DecimalFormatter>,
}

impl std::fmt::Debug for Formats {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Formats").finish_non_exhaustive()
    }
}

fn icu_locale(lang: &LanguageIdentifier) -> Option<Locale> {
    lang.to_string().parse().ok()
}

fn decimal_formatter(lang: &LanguageIdentifier) -> Option<DecimalFormatter> {
    let locale = icu_locale(lang)?;
    DecimalFormatter::try_new((&locale).into(), Default::default()).ok()
}

impl Formats {
    /// The formatters of `lang`; where ICU4X has no data for it, the plain
    /// Latin forms stand in.
    pub fn new(lang: &LanguageIdentifier) -> Self {
        let time = icu_locale(lang)
            .and_then(|locale| NoCalendarFormatter::try_new((&locale).into(), T::hm()).ok());
        let date = icu_locale(lang)
            .and_then(|locale| DateTimeFormatter::try_new((&locale).into(), YMDE::long()).ok());
        Formats {
            time,
            date,
            decimal: decimal_formatter(lang),
        }
    }

    /// A whole number: `1,234`, `١٬٢٣٤`.
    pub fn number(&self, n: i64) -> String {
        match &self.decimal {
            Some(formatter) => formatter.format(&Decimal::from(n)).to_string(),
            None => n.to_string(),
        }
    }

    /// A number with `places` decimals, rounded: `0.38`, `47,5`, in the
    /// locale's digits and decimal separator.
    pub fn decimal(&self, x: f64, places: u8) -> String {
        let places = i16::from(places.min(6));
        let scaled = (x * 10f64.powi(i32::from(places))).round();
        if !scaled.is_finite() || scaled.abs() > 1e15 {
            return format!("{x:.*}", places as usize);
        }
        match &self.decimal {
            Some(formatter) => {
                let mut decimal = Decimal::from(scaled as i64);
                decimal.absolute.multiply_pow10(-places);
                decimal.absolute.pad_end(-places);
                formatter.format(&decimal).to_string()
            }
            None => format!(
                "{:.*}",
                places as usize,
                scaled / 10f64.powi(i32::from(places))
            ),
        }
    }

    /// A number of at least two digits, for seconds: `05`, `٠٥`.
    fn two_digits(&self, n: i64) -> String {
        match &self.decimal {
            Some(formatter) => {
                let mut decimal = Decimal::from(n);
                decimal.absolute.pad_start(2);
                formatter.format(&decimal).to_string()
            }
            None => format!("{n:02}"),
        }
    }

    /// A time of day.
    pub fn time(&self, hour: u8, minute: u8) -> String {
        let time = Time::try_new(hour, minute, 0, 0).ok();
        match (&self.time, time) {
            (Some(formatter), Some(time)) => formatter.format(&time).to_string(),
            _ => format!("{hour:02}:{minute:02}"),
        }
    }

    /// A date with its weekday: `Saturday, November 28, 2026`,
    /// `2026年11月28日星期六`.
    pub fn date(&self, year: i32, month: u8, day: u8) -> String {
        let date = Date::try_new_iso(year, month, day).ok();
        match (&self.date, date) {
            (Some(formatter), Some(date)) => formatter.format(&date).to_string(),
            _ => format!("{year:04}-{month:02}-{day:02}"),
        }
    }

    /// A length of time that has passed, as the record tells it (a turn
    /// that lasted `1:05`): whole seconds, as every view of the record
    /// counts them (`dais_words::bundle::duration`), in the interface's
    /// digits. A clock counting down uses [`Formats::duration`].
    pub fn elapsed(&self, ms: i64) -> String {
        let seconds = ms.max(0) / 1000;
        format!(
            "{}:{}",
            self.number(seconds / 60),
            self.two_digits(seconds % 60)
        )
    }

    /// A duration as minutes and seconds, rounded up so that 0:00 means the
    /// time is over: `1:23`.
    pub fn duration(&self, ms: i64) -> String {
        let seconds = (ms.max(0) + 999) / 1000;
        format!(
            "{}:{}",
            self.number(seconds / 60),
            self.two_digits(seconds % 60)
        )
    }
}

/// The decimal formatter as Fluent's memoizer keeps it, one per locale.
struct FluentDecimal(Option<DecimalFormatter>);

impl Memoizable for FluentDecimal {
    type Args = ();
    type Error = ();

    fn construct(lang: LanguageIdentifier, _args: ()) -> Result<Self, ()> {
        Ok(FluentDecimal(decimal_formatter(&lang)))
    }
}

/// Fluent's number formatter: whole numbers in the bundle's locale.
pub fn fluent_number(value: &FluentValue, memoizer: &IntlLangMemoizer) -> Option<String> {
    let FluentValue::Number(number) = value else {
        return None;
    };
    let n = number.value;
    if n.fract() != 0.0 || n.abs() > 1e15 {
        return None;
    }
    memoizer
        .with_try_get::<FluentDecimal, _, _>((), |f| {
            f.0.as_ref()
                .map(|formatter| formatter.format(&Decimal::from(n as i64)).to_string())
        })
        .ok()
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn formats(tag: &str) -> Formats {
        Formats::new(&tag.parse().expect("valid tag"))
    }

    #[test]
    fn durations_use_the_locale_digits() {
        assert_eq!(formats("en").duration(83_000), "1:23");
        assert_eq!(formats("zh-CN").duration(5_000), "0:05");
        // CLDR gives plain `ar` Latin digits (Arabic-Indic ones are regional).
        assert_eq!(formats("ar").duration(83_000), "1:23");
    }

    #[test]
    fn times_follow_the_locale() {
        assert_eq!(formats("zh-CN").time(14, 5), "14:05");
        assert_eq!(formats("fr").time(14, 5), "14:05");
        assert!(formats("en").time(14, 5).contains("2:05"));
    }

    #[test]
    fn dates_follow_the_locale() {
        assert_eq!(
            formats("en").date(2026, 11, 28),
            "Saturday, November 28, 2026"
        );
        assert!(formats("fr").date(2026, 11, 28).contains("novembre"));
        assert!(formats("zh-CN")
            .date(2026, 11, 28)
            .contains("2026年11月28日"));
    }

    #[test]
    fn decimals_keep_their_places_in_the_locale() {
        assert_eq!(formats("en").decimal(0.3814, 2), "0.38");
        assert_eq!(formats("en").decimal(1.0, 2), "1.00");
        assert_eq!(formats("en").decimal(47.48, 1), "47.5");
        assert_eq!(formats("fr").decimal(47.48, 1), "47,5");
        assert_eq!(formats("ar").decimal(0.5, 2), "0.50");
        assert_eq!(formats("en").decimal(0.0, 1), "0.0");
    }

    #[test]
    fn numbers_are_grouped_per_locale() {
        assert_eq!(formats("en").number(1234), "1,234");
        assert_ne!(formats("ru").number(1234), "1234");
    }
}
