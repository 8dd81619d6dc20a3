//! The six languages of Dais, listed once: each one's tag, its name in
//! itself, its direction, the language it falls back to, the other tags
//! taken to mean it, and its Fluent file (compiled in). The server, the
//! client and the tests read this table instead of keeping lists of their own.

use unic_langid::LanguageIdentifier;

/// Which way a language is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Latin, Cyrillic, Chinese.
    LeftToRight,
    /// Arabic.
    RightToLeft,
}

/// One of the six languages of the interface, the record and interpretation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Lang {
    /// English (`en`).
    En,
    /// French (`fr`).
    Fr,
    /// Spanish (`es`).
    Es,
    /// Russian (`ru`).
    Ru,
    /// Chinese, simplified (`zh-CN`).
    ZhCn,
    /// Arabic (`ar`).
    Ar,
}

/// A language's line of the table.
struct Row {
    tag: &'static str,
    native: &'static str,
    direction: Direction,
    /// Other tags (compared without case, and by primary subtag when no
    /// alias matches) that mean this language: `zh-TW` is served `zh-CN`.
    aliases: &'static [&'static str],
    source: &'static str,
}

/// The table, in the order the languages are offered (English first: every
/// other falls back to it, and the tests take it as the reference).
const ROWS: [Row; 6] = [
    Row {
        tag: "en",
        native: "English",
        direction: Direction::LeftToRight,
        aliases: &[],
        source: include_str!("../../locales/en/dais.ftl"),
    },
    Row {
        tag: "fr",
        native: "Français",
        direction: Direction::LeftToRight,
        aliases: &[],
        source: include_str!("../../locales/fr/dais.ftl"),
    },
    Row {
        tag: "es",
        native: "Español",
        direction: Direction::LeftToRight,
        aliases: &[],
        source: include_str!("../../locales/es/dais.ftl"),
    },
    Row {
        tag: "ru",
        native: "Русский",
        direction: Direction::LeftToRight,
        aliases: &[],
        source: include_str!("../../locales/ru/dais.ftl"),
    },
    Row {
        tag: "zh-CN",
        native: "中文",
        direction: Direction::LeftToRight,
        aliases: &["zh", "zh-Hans", "zh-TW", "zh-Hant", "zh-HK", "zh-SG", "cmn"],
        source: include_str!("../../locales/zh-CN/dais.ftl"),
    },
    Row {
        tag: "ar",
        native: "العربية",
        direction: Direction::RightToLeft,
        aliases: &[],
        source: include_str!("../../locales/ar/dais.ftl"),
    },
];

/// The six tags, in the order they are offered: `["en", …, "ar"]`.
pub const TAGS: [&str; 6] = {
    let mut out = [""; 6];
    let mut i = 0;
    while i < 6 {
        out[i] = ROWS[i].tag;
        i += 1;
    }
    out
};

/// Each of the six's tag and name in itself, for a language picker.
pub const NATIVE: [(&str, &str); 6] = {
    let mut out = [("", ""); 6];
    let mut i = 0;
    while i < 6 {
        out[i] = (ROWS[i].tag, ROWS[i].native);
        i += 1;
    }
    out
};

/// Each of the six's tag and Fluent file, English first.
pub const LOCALES: [(&str, &str); 6] = {
    let mut out = [("", ""); 6];
    let mut i = 0;
    while i < 6 {
        out[i] = (ROWS[i].tag, ROWS[i].source);
        i += 1;
    }
    out
};

impl Lang {
    /// The six, in the order they are offered, English first.
    pub const ALL: [Lang; 6] = [Lang::En, Lang::Fr, Lang::Es, Lang::Ru, Lang::ZhCn, Lang::Ar];

    /// The language every other falls back to.
    pub const FALLBACK: Lang = Lang::En;

    fn row(self) -> &'static Row {
        &ROWS[self as usize]
    }

    /// The BCP 47 tag the locale files and the wire use: `zh-CN`.
    pub fn tag(self) -> &'static str {
        self.row().tag
    }

    /// The language's name in itself: `Français`, `العربية`.
    pub fn native(self) -> &'static str {
        self.row().native
    }

    /// Which way it is written.
    pub fn direction(self) -> Direction {
        self.row().direction
    }

    /// Written right to left: a page or a pane mirrors.
    pub fn is_rtl(self) -> bool {
        self.direction() == Direction::RightToLeft
    }

    /// The language a missing message is looked up in next (none for English).
    pub fn fallback(self) -> Option<Lang> {
        (self != Lang::FALLBACK).then_some(Lang::FALLBACK)
    }

    /// Other tags taken to mean this language.
    pub fn aliases(self) -> &'static [&'static str] {
        self.row().aliases
    }

    /// The language's Fluent file, `locales/<tag>/dais.ftl`, as compiled in.
    pub fn source(self) -> &'static str {
        self.row().source
    }

    /// The primary subtag: `zh` for `zh-CN`.
    pub fn primary(self) -> &'static str {
        self.tag().split('-').next().unwrap_or_default()
    }

    /// The language for exactly its tag or one of its aliases (no case),
    /// as a page's `lang` parameter or the export's `--lang` must name one.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let tag = tag.trim().replace('_', "-");
        Lang::ALL.into_iter().find(|l| {
            l.tag().eq_ignore_ascii_case(&tag)
                || l.aliases().iter().any(|a| a.eq_ignore_ascii_case(&tag))
        })
    }

    /// The one of the six closest to `tag`, if any: `fr-CA` is `fr`, `zh`
    /// and `zh-TW` are `zh-CN`, `zh_CN.UTF-8` is `zh-CN`.
    pub fn closest(tag: &str) -> Option<Lang> {
        let tag = tag.split(['.', '@']).next().unwrap_or_default();
        if let Some(lang) = Lang::from_tag(tag) {
            return Some(lang);
        }
        let primary = tag
            .split(['-', '_'])
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        Lang::ALL.into_iter().find(|l| l.primary() == primary)
    }

    /// [`Lang::closest`], or English for any other language.
    pub fn pick(tag: &str) -> Lang {
        Lang::closest(tag).unwrap_or(Lang::FALLBACK)
    }

    /// The best of the six for an HTTP `Accept-Language` header.
    pub fn from_accept_language(header: &str) -> Lang {
        let requested = fluent_langneg::accepted_languages::parse(header);
        let available = Lang::identifiers();
        let default: LanguageIdentifier = Lang::FALLBACK.tag().parse().unwrap_or_default();
        let chosen = fluent_langneg::negotiate_languages(
            &requested,
            &available,
            Some(&default),
            fluent_langneg::NegotiationStrategy::Lookup,
        );
        chosen
            .first()
            .map(|l| Lang::pick(&l.to_string()))
            .unwrap_or(Lang::FALLBACK)
    }

    /// The six as language identifiers, for negotiation.
    pub fn identifiers() -> Vec<LanguageIdentifier> {
        Lang::ALL
            .iter()
            .filter_map(|l| l.tag().parse().ok())
            .collect()
    }

    /// The six tags, in order.
    pub fn tags() -> [&'static str; 6] {
        TAGS
    }
}

impl std::fmt::Display for Lang {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.tag())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_map_to_the_six_languages() {
        assert_eq!(Lang::pick("fr-CA"), Lang::Fr);
        assert_eq!(Lang::pick("zh"), Lang::ZhCn);
        assert_eq!(Lang::pick("zh-TW"), Lang::ZhCn);
        assert_eq!(Lang::pick("zh_CN.UTF-8"), Lang::ZhCn);
        assert_eq!(Lang::pick("de"), Lang::En);
        assert_eq!(
            Lang::from_accept_language("ar-EG,ar;q=0.9,en;q=0.5"),
            Lang::Ar
        );
        assert_eq!(Lang::from_accept_language("de-DE, ru;q=0.8"), Lang::Ru);
        assert_eq!(Lang::from_accept_language(""), Lang::En);
        assert_eq!(Lang::from_tag("zh-cn"), Some(Lang::ZhCn));
        assert_eq!(Lang::from_tag("de"), None);
    }

    #[test]
    fn the_table_is_in_order_and_only_arabic_is_right_to_left() {
        for (i, lang) in Lang::ALL.into_iter().enumerate() {
            assert_eq!(lang as usize, i);
            assert_eq!(lang.is_rtl(), lang == Lang::Ar);
            assert!(!lang.source().is_empty());
        }
        assert_eq!(Lang::En.fallback(), None);
        assert_eq!(Lang::Ar.fallback(), Some(Lang::En));
    }
}
