//! Text for speeches that should read like speech: sentences of words a
//! delegate would use, drawn from a seeded generator.
//!
//! The other scenarios pad their speeches with one letter repeated, which
//! costs nothing to make and is fine for counting deliveries. But the
//! poor-link scenario measures what permessage-deflate saves on the wire,
//! and a run of `x` compresses to almost nothing: its figure would flatter
//! compression. Words from a vocabulary of a few hundred, in sentences,
//! compress about as a statement read out in a meeting does, which is what
//! the figure is for.

use std::fmt::Write;

/// Words of a debate's register, none repeated.
const WORDS: &[&str] = &[
    "the",
    "delegation",
    "of",
    "our",
    "we",
    "support",
    "proposal",
    "draft",
    "paragraph",
    "text",
    "agreement",
    "committee",
    "chair",
    "madam",
    "thank",
    "you",
    "for",
    "giving",
    "me",
    "floor",
    "and",
    "to",
    "in",
    "on",
    "with",
    "that",
    "this",
    "is",
    "are",
    "would",
    "should",
    "could",
    "must",
    "may",
    "not",
    "all",
    "every",
    "stakeholder",
    "government",
    "civil",
    "society",
    "private",
    "sector",
    "technical",
    "community",
    "academia",
    "users",
    "internet",
    "governance",
    "access",
    "open",
    "free",
    "secure",
    "stable",
    "resilient",
    "network",
    "infrastructure",
    "data",
    "protection",
    "privacy",
    "rights",
    "human",
    "digital",
    "divide",
    "capacity",
    "building",
    "developing",
    "countries",
    "regions",
    "rural",
    "areas",
    "women",
    "youth",
    "languages",
    "multilingual",
    "content",
    "local",
    "global",
    "national",
    "regional",
    "cooperation",
    "coordination",
    "process",
    "multistakeholder",
    "model",
    "consensus",
    "language",
    "amendment",
    "amended",
    "as",
    "by",
    "from",
    "between",
    "among",
    "within",
    "across",
    "towards",
    "against",
    "without",
    "because",
    "therefore",
    "however",
    "moreover",
    "furthermore",
    "indeed",
    "clearly",
    "strongly",
    "fully",
    "broadly",
    "also",
    "still",
    "already",
    "need",
    "needs",
    "ensure",
    "promote",
    "protect",
    "respect",
    "recognise",
    "welcome",
    "note",
    "recall",
    "reaffirm",
    "encourage",
    "invite",
    "request",
    "urge",
    "consider",
    "discuss",
    "review",
    "adopt",
    "implement",
    "finance",
    "fund",
    "resources",
    "investment",
    "policy",
    "policies",
    "framework",
    "principles",
    "standards",
    "norms",
    "law",
    "regulation",
    "measures",
    "steps",
    "progress",
    "challenges",
    "risks",
    "opportunities",
    "benefits",
    "cybersecurity",
    "trust",
    "safety",
    "online",
    "platforms",
    "services",
    "connectivity",
    "affordable",
    "meaningful",
    "inclusive",
    "sustainable",
    "development",
    "goals",
    "agenda",
    "session",
    "meeting",
    "forum",
    "report",
    "secretariat",
    "working",
    "group",
    "experts",
    "members",
    "colleagues",
    "distinguished",
    "previous",
    "speaker",
    "point",
    "question",
    "answer",
    "concern",
    "concerns",
    "view",
    "views",
    "position",
    "statement",
    "important",
    "critical",
    "essential",
    "necessary",
    "possible",
    "useful",
    "balanced",
    "fair",
    "transparent",
    "accountable",
    "effective",
    "timely",
    "here",
    "there",
    "now",
    "today",
    "year",
    "years",
    "time",
    "future",
    "next",
    "first",
    "second",
    "third",
    "last",
    "many",
    "some",
    "more",
    "most",
    "less",
    "fewer",
    "only",
    "both",
    "each",
    "other",
    "others",
    "such",
    "which",
    "who",
    "what",
    "how",
    "where",
    "when",
    "why",
    "it",
    "its",
    "they",
    "their",
    "these",
    "those",
    "an",
    "a",
    "at",
    "or",
    "but",
    "if",
    "so",
    "than",
    "be",
    "been",
    "being",
    "have",
    "has",
    "had",
    "do",
    "does",
    "can",
    "will",
    "shall",
];

/// Up to `bytes` bytes of sentences, appended to `text` (which may already
/// hold a prefix, such as a speech's stamp), from the generator seeded with
/// `seed`: the same seed gives the same text.
pub fn fill(text: &mut String, bytes: usize, seed: u64) {
    let mut state = seed ^ 0x2545_f491_4f6c_dd1d;
    let mut next = move || {
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    };
    let mut in_sentence = 0;
    let mut sentence_len = 8 + next() % 14;
    loop {
        let word = WORDS[(next() % WORDS.len() as u64) as usize];
        let capital = in_sentence == 0;
        let end = in_sentence + 1 == sentence_len;
        let needed = word.len() + 2;
        if text.len() + needed > bytes {
            break;
        }
        if !text.is_empty() && !text.ends_with(' ') {
            text.push(' ');
        }
        if capital {
            let mut chars = word.chars();
            if let Some(first) = chars.next() {
                let _ = write!(text, "{}{}", first.to_ascii_uppercase(), chars.as_str());
            }
        } else {
            text.push_str(word);
        }
        in_sentence += 1;
        if end {
            text.push('.');
            in_sentence = 0;
            sentence_len = 8 + next() % 14;
        } else if next() % 9 == 0 {
            text.push(',');
        }
    }
    // Close the last sentence, and reach the size asked with spaces if a
    // word would not fit.
    if text.len() < bytes && !text.ends_with('.') && !text.is_empty() {
        text.push('.');
    }
    while text.len() < bytes {
        text.push(' ');
    }
}

/// The text of speech number `n`, sent at `sent_ns`: the stamp listeners
/// read (see `frame::stamped_text`), then sentences up to `bytes`.
pub fn stamped(sent_ns: u64, n: u64, bytes: usize) -> String {
    let mut text = format!("{}{sent_ns} {n} ", crate::frame::STAMP_PREFIX);
    fill(&mut text, bytes, n);
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_has_the_asked_size_and_repeats_with_its_seed() {
        let make = |seed| {
            let mut t = String::from("lg 1 2 ");
            fill(&mut t, 400, seed);
            t
        };
        let a = make(3);
        assert_eq!(a.len(), 400);
        assert!(a.starts_with("lg 1 2 "));
        assert_eq!(make(3), a);
        assert_ne!(make(4), a);
        assert!(a.contains(". "), "{a}");
    }

    #[test]
    fn the_vocabulary_has_no_word_twice() {
        let mut seen = std::collections::HashSet::new();
        for w in WORDS {
            assert!(seen.insert(w), "{w} twice");
        }
        assert!(WORDS.len() > 250);
    }
}
