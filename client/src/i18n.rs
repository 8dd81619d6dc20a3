//! Every string a user sees comes from the Fluent files in `locales/`, which
//! the `words` crate embeds (with the list of the six languages). A message
//! missing from the chosen locale falls back to the next locale in the chain
//! and finally to English, never to its id.

use fluent_bundle::{FluentArgs, FluentBundle, FluentResource};
use fluent_langneg::{negotiate_languages, NegotiationStrategy};
use unic_langid::LanguageIdentifier;

use crate::format::{fluent_number, Formats};

/// The locales we ship, with their Fluent source, from the one list in
/// `words`. English comes first: it is the fallback for every other locale
/// and the reference for the tests.
pub const LOCALES: &[(&str, &str)] = &dais_words::lang::LOCALES;

/// The locale every chain ends with.
pub const FALLBACK: &str = "en";

/// Build Fluent arguments: `args!["count" => 3, "name" => "Kenya"]`.
/// Counts must be passed as numbers so that plural rules apply.
#[macro_export]
macro_rules! args {
    ($($key:literal => $value:expr),* $(,)?) => {{
        #[allow(unused_mut)]
        let mut args = fluent_bundle::FluentArgs::new();
        $(args.set($key, $value);)*
        args
    }};
}

/// The interface language and its fallback chain.
pub struct Localizer {
    /// The negotiated locale, e.g. `zh-CN`.
    lang: LanguageIdentifier,
    /// One bundle per locale of the chain, most preferred first, `en` last.
    bundles: Vec<FluentBundle<FluentResource>>,
    /// Numbers, times and durations of the negotiated locale.
    formats: Formats,
}

impl std::fmt::Debug for Localizer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Localizer")
            .field("lang", &self.lang)
            .finish()
    }
}

fn available() -> Vec<LanguageIdentifier> {
    LOCALES
        .iter()
        .filter_map(|(tag, _)| tag.parse().ok())
        .collect()
}

/// Turn a POSIX locale name (`zh_CN.UTF-8`, `ar_EG.utf8@euro`, `C`) into a
/// language identifier, or `None` for the C/POSIX locale and garbage.
pub fn parse_posix_locale(value: &str) -> Option<LanguageIdentifier> {
    let base = value.split(['.', '@']).next().unwrap_or_default().trim();
    if base.is_empty() || base == "C" || base == "POSIX" {
        return None;
    }
    base.replace('_', "-").parse().ok()
}

/// The locale the environment asks for: LC_ALL, then LC_MESSAGES, then LANG,
/// the first that is set and not empty decides.
pub fn locale_from_env(get: impl Fn(&str) -> Option<String>) -> Option<LanguageIdentifier> {
    ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .find_map(|name| get(name).filter(|v| !v.trim().is_empty()))
        .and_then(|v| parse_posix_locale(&v))
}

/// The chain of shipped locales for a request: `fr-CA` gives `fr, en`.
pub fn negotiate(requested: &[LanguageIdentifier]) -> Vec<LanguageIdentifier> {
    let available = available();
    let default: LanguageIdentifier = FALLBACK.parse().unwrap_or_default();
    let mut chain: Vec<LanguageIdentifier> = negotiate_languages(
        requested,
        &available,
        Some(&default),
        NegotiationStrategy::Filtering,
    )
    .into_iter()
    .cloned()
    .collect();
    if !chain.contains(&default) {
        chain.push(default);
    }
    chain
}

fn source_of(lang: &LanguageIdentifier) -> Option<&'static str> {
    LOCALES
        .iter()
        .find(|(tag, _)| tag.parse::<LanguageIdentifier>().ok().as_ref() == Some(lang))
        .map(|(_, source)| *source)
}

impl Localizer {
    /// The best shipped locale for `requested`, falling back to English.
    pub fn new(requested: &[LanguageIdentifier]) -> Self {
        let chain = negotiate(requested);
        let bundles = chain
            .iter()
            .filter_map(|lang| {
                let source = source_of(lang)?;
                // A file with a broken entry still yields the entries that parse;
                // the locale tests fail on the broken one.
                let resource = match FluentResource::try_new(source.to_owned()) {
                    Ok(resource) => resource,
                    Err((resource, _errors)) => resource,
                };
                let mut bundle = FluentBundle::new(vec![lang.clone()]);
                // Placeables keep their isolation marks: the bidi step uses
                // them to order a Latin name inside an Arabic sentence, and
                // then removes them.
                bundle.set_use_isolating(true);
                // Numbers in the locale's digits and grouping.
                bundle.set_formatter(Some(fluent_number));
                // Duplicate ids are reported by the tests; keep the first.
                let _ = bundle.add_resource(resource);
                Some(bundle)
            })
            .collect();
        let lang = chain.first().cloned().unwrap_or_default();
        let formats = Formats::new(&lang);
        Localizer {
            lang,
            bundles,
            formats,
        }
    }

    /// The locale for a tag such as `fr-CA`, `zh_CN.UTF-8` or `ar`.
    pub fn for_tag(tag: &str) -> Self {
        let requested: Vec<LanguageIdentifier> = parse_posix_locale(tag).into_iter().collect();
        Self::new(&requested)
    }

    /// The negotiated locale.
    pub fn lang(&self) -> &LanguageIdentifier {
        &self.lang
    }

    /// The locale's tag, e.g. `zh-CN`.
    pub fn tag(&self) -> String {
        self.lang.to_string()
    }

    /// Numbers, times and durations in this locale.
    pub fn formats(&self) -> &Formats {
        &self.formats
    }

    /// True for a right-to-left interface language: the layout mirrors.
    pub fn is_rtl(&self) -> bool {
        // The interface speaks one of the six: their table says.
        dais_words::Lang::closest(&self.tag()).is_some_and(dais_words::Lang::is_rtl)
    }

    /// A message without arguments.
    pub fn t(&self, id: &str) -> String {
        self.format(id, None)
    }

    /// A message with arguments (see [`args!`]).
    pub fn ta(&self, id: &str, args: &FluentArgs) -> String {
        self.format(id, Some(args))
    }

    /// Format `id` from the first bundle of the chain that has it. The text
    /// still carries isolation marks around placeables.
    pub fn format(&self, id: &str, args: Option<&FluentArgs>) -> String {
        dais_words::bundle::format_first(&self.bundles, id, args).unwrap_or_else(|| id.to_owned())
    }

    /// True when some locale of the chain has `id`.
    pub fn has(&self, id: &str) -> bool {
        self.bundles.iter().any(|b| b.has_message(id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bidi::strip_isolates;

    fn lid(s: &str) -> LanguageIdentifier {
        s.parse().expect("valid tag")
    }

    #[test]
    fn posix_names_are_cleaned_before_parsing() {
        assert_eq!(parse_posix_locale("zh_CN.UTF-8"), Some(lid("zh-CN")));
        assert_eq!(
            parse_posix_locale("ar_EG.utf8@calendar"),
            Some(lid("ar-EG"))
        );
        assert_eq!(parse_posix_locale("C"), None);
        assert_eq!(parse_posix_locale("POSIX"), None);
        assert_eq!(parse_posix_locale(""), None);
    }

    #[test]
    fn lc_all_wins_over_lc_messages_and_lang() {
        let env = |name: &str| match name {
            "LC_ALL" => Some(String::new()),
            "LC_MESSAGES" => Some("fr_FR.UTF-8".to_owned()),
            "LANG" => Some("ru_RU.UTF-8".to_owned()),
            _ => None,
        };
        assert_eq!(locale_from_env(env), Some(lid("fr-FR")));
    }

    #[test]
    fn regional_variants_fall_back_to_the_language_then_english() {
        assert_eq!(negotiate(&[lid("fr-CA")]), vec![lid("fr"), lid("en")]);
        assert_eq!(negotiate(&[lid("zh-CN")]), vec![lid("zh-CN"), lid("en")]);
        assert_eq!(negotiate(&[lid("ar-EG")]), vec![lid("ar"), lid("en")]);
        assert_eq!(negotiate(&[lid("de-DE")]), vec![lid("en")]);
        assert_eq!(negotiate(&[]), vec![lid("en")]);
        assert_eq!(Localizer::for_tag("zh").tag(), "zh-CN");
        assert_eq!(Localizer::for_tag("zh_CN.UTF-8").tag(), "zh-CN");
        assert_eq!(Localizer::for_tag("pt-BR").tag(), "en");
    }

    #[test]
    fn unknown_ids_show_the_id_not_a_blank() {
        let l10n = Localizer::for_tag("fr");
        assert_eq!(l10n.t("no-such-message"), "no-such-message");
    }

    #[test]
    fn plurals_use_the_numeric_category() {
        let ru = Localizer::for_tag("ru");
        let few = strip_isolates(&ru.ta("points-title", &args!["count" => 3])).into_owned();
        let many = strip_isolates(&ru.ta("points-title", &args!["count" => 5])).into_owned();
        assert_ne!(few, many);
    }
}
