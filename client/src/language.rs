//! Languages: which one a text is written in, how each is named in the
//! interface language, and which way each is written.
//!
//! A message is tagged with the language of its text (so that an Arabic
//! speech of a chair whose interface is English is tagged `ar`), told by
//! `whatlang` from its letters and words; the author can say otherwise
//! with `--speak` or `/lang`.

use crate::i18n::Localizer;

/// The six languages of the interface and of interpretation (the one list
/// is `words`'s).
pub const SIX: &[&str] = &dais_words::lang::TAGS;

/// whatlang's ISO 639-3 codes and the tags we send for them.
const TAGS: &[(&str, &str)] = &[
    ("eng", "en"),
    ("fra", "fr"),
    ("spa", "es"),
    ("rus", "ru"),
    ("cmn", "zh-CN"),
    ("ara", "ar"),
    ("heb", "he"),
    ("por", "pt"),
    ("deu", "de"),
    ("ita", "it"),
    ("nld", "nl"),
    ("pol", "pl"),
    ("ukr", "uk"),
    ("tur", "tr"),
    ("pes", "fa"),
    ("urd", "ur"),
    ("hin", "hi"),
    ("jpn", "ja"),
    ("kor", "ko"),
    ("ind", "id"),
    ("vie", "vi"),
    ("tha", "th"),
    ("swe", "sv"),
];

/// The language `text` is written in, when it can be told. A script used
/// by one of the six languages only (Chinese characters, Arabic letters,
/// Cyrillic) settles it even for a word or two; Latin text needs enough
/// words for whatlang to be sure.
pub fn detect(text: &str) -> Option<&'static str> {
    let info = whatlang::detect(text)?;
    let by_lang = TAGS
        .iter()
        .find(|(code, _)| *code == info.lang().code())
        .map(|(_, tag)| *tag);
    if info.is_reliable() {
        return by_lang;
    }
    match info.script() {
        whatlang::Script::Mandarin => Some("zh-CN"),
        whatlang::Script::Arabic => {
            Some(by_lang.filter(|t| *t == "fa" || *t == "ur").unwrap_or("ar"))
        }
        whatlang::Script::Hebrew => Some("he"),
        whatlang::Script::Cyrillic => Some(by_lang.filter(|t| *t == "uk").unwrap_or("ru")),
        _ => None,
    }
}

/// A tag as the user typed it (`FR`, `zh`, `zh_CN`), made canonical, if
/// it is a language tag at all.
pub fn canonical(tag: &str) -> Option<String> {
    let tag = tag.trim().replace('_', "-");
    let id: unic_langid::LanguageIdentifier = tag.parse().ok()?;
    if id.language.as_str() == "zh" && id.region.is_none() {
        return Some("zh-CN".to_owned());
    }
    Some(id.to_string())
}

/// Whether a language is written right to left.
pub fn is_rtl(tag: &str) -> bool {
    matches!(
        tag.split(['-', '_']).next().unwrap_or_default(),
        "ar" | "he" | "fa" | "ur" | "yi" | "ps" | "ckb" | "dv"
    )
}

/// A language's name in the interface language (`Chinese`, `chinois`,
/// `الصينية`), or its tag when the interface has no name for it.
pub fn name(l10n: &Localizer, tag: &str) -> String {
    let base = tag.split(['-', '_']).next().unwrap_or_default();
    let id = format!("lang-{}", base.to_ascii_lowercase());
    if l10n.has(&id) {
        l10n.t(&id)
    } else {
        tag.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_language_of_a_text_is_told_from_the_text() {
        assert_eq!(detect("نؤيد مشروع القرار بصيغته المعدلة"), Some("ar"));
        assert_eq!(detect("ITU نؤيد"), Some("ar"));
        assert_eq!(detect("我们支持"), Some("zh-CN"));
        assert_eq!(detect("Мы поддерживаем проект"), Some("ru"));
        assert_eq!(
            detect("La France soutient le projet de résolution tel qu'amendé."),
            Some("fr")
        );
        assert_eq!(detect("ok"), None, "too short to tell");
    }

    #[test]
    fn tags_are_made_canonical() {
        assert_eq!(canonical("zh").as_deref(), Some("zh-CN"));
        assert_eq!(canonical("FR").as_deref(), Some("fr"));
        assert_eq!(canonical("pt_BR").as_deref(), Some("pt-BR"));
        assert_eq!(canonical("not a tag"), None);
    }

    #[test]
    fn every_language_of_the_six_has_a_name_in_every_locale() {
        for (ui, _) in crate::i18n::LOCALES {
            let l10n = Localizer::for_tag(ui);
            for tag in SIX {
                assert_ne!(name(&l10n, tag), *tag, "{ui}: {tag}");
            }
        }
    }
}
