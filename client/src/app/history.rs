//! What you sent before, recalled with ↑ and ↓ in the input, as in a shell
//! or any chat client. What you were typing when you started browsing is
//! kept and comes back after the newest entry.

/// At most this many entries are kept.
const MAX_ENTRIES: usize = 200;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InputHistory {
    /// Oldest first.
    entries: Vec<String>,
    /// The entry shown, while browsing; `None` while typing anew.
    at: Option<usize>,
    /// What was in the input when browsing started.
    draft: String,
}

impl InputHistory {
    /// Remember a sent text (not twice in a row) and stop browsing.
    pub fn push(&mut self, text: &str) {
        self.at = None;
        self.draft.clear();
        if text.trim().is_empty() || self.entries.last().is_some_and(|e| e == text) {
            return;
        }
        self.entries.push(text.to_owned());
        if self.entries.len() > MAX_ENTRIES {
            self.entries.remove(0);
        }
    }

    /// The entry before the one shown, given what the input holds now.
    pub fn older(&mut self, current: &str) -> Option<String> {
        let at = match self.at {
            None => {
                self.draft = current.to_owned();
                self.entries.len().checked_sub(1)?
            }
            Some(at) => at.checked_sub(1)?,
        };
        self.at = Some(at);
        self.entries.get(at).cloned()
    }

    /// The entry after the one shown, or the draft after the newest.
    pub fn newer(&mut self) -> Option<String> {
        let at = self.at?;
        if at + 1 < self.entries.len() {
            self.at = Some(at + 1);
            self.entries.get(at + 1).cloned()
        } else {
            self.at = None;
            Some(std::mem::take(&mut self.draft))
        }
    }

    /// Whether ↑ ↓ are browsing.
    pub fn browsing(&self) -> bool {
        self.at.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn up_goes_back_and_down_returns_to_the_draft() {
        let mut h = InputHistory::default();
        h.push("first");
        h.push("second");
        h.push("second");
        assert_eq!(h.older("draft").as_deref(), Some("second"));
        assert_eq!(h.older("second").as_deref(), Some("first"));
        assert_eq!(h.older("first"), None, "nothing older");
        assert_eq!(h.newer().as_deref(), Some("second"));
        assert_eq!(h.newer().as_deref(), Some("draft"));
        assert_eq!(h.newer(), None);
    }
}
