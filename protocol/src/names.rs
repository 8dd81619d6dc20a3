//! How names are compared: the server sorts and searches member lists this
//! way, and a client that keeps a part of the list in order must do the
//! same, so the rule lives here once.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// A name as member lists sort and filter it: compatibility-decomposed,
/// without accents, in lower case, so that "Élodie" sorts with "elodie"
/// and a prefix finds both.
pub fn fold(name: &str) -> String {
    name.nfkd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn case_and_accents_do_not_count() {
        assert_eq!(super::fold("Élodie MÜLLER"), "elodie muller");
        assert_eq!(super::fold("王小明"), "王小明");
    }
}
