//! The room's recent nonces: a retried request (same participant, same
//! nonce) gets the seq of the event it created the first time instead of a
//! second event.
//!
//! They are kept in the room, not looked up in the store, so that a `say`
//! is accepted without waiting for the store (whose writer may be busy with
//! the previous group commit). At start they are reloaded from the record,
//! so a retry after a restart is still recognised. A nonce is remembered
//! for `window` (one hour by default) and a room remembers at most `max`
//! (the oldest are forgotten first): a retry later than that creates a new
//! event. docs/PROTOCOL.md states the window.

use dais_protocol::{Millis, ParticipantId, Seq};
use std::collections::{HashMap, VecDeque};
use std::time::Duration;

type Key = (ParticipantId, String);

#[derive(Debug)]
pub struct Nonces {
    seqs: HashMap<Key, (Seq, Millis)>,
    /// The same keys, oldest first, to forget them in order.
    order: VecDeque<(Millis, Key)>,
    window_ms: Millis,
    max: usize,
}

impl Nonces {
    pub fn new(window: Duration, max: usize) -> Nonces {
        Nonces {
            seqs: HashMap::new(),
            order: VecDeque::new(),
            window_ms: window.as_millis().min(i64::MAX as u128) as Millis,
            max: max.max(1),
        }
    }

    /// The seq an earlier request with this nonce created, if it is recent.
    pub fn get(&self, who: &str, nonce: &str, now: Millis) -> Option<Seq> {
        let (seq, at) = self.seqs.get(&(who.to_string(), nonce.to_string()))?;
        (now - at <= self.window_ms).then_some(*seq)
    }

    /// Remember that this nonce created `seq` at `at`.
    pub fn insert(&mut self, who: &str, nonce: String, seq: Seq, at: Millis) {
        let key = (who.to_string(), nonce);
        if self.seqs.insert(key.clone(), (seq, at)).is_none() {
            self.order.push_back((at, key));
        }
        self.forget(at);
    }

    /// Drop what is older than the window, and the oldest beyond `max`.
    fn forget(&mut self, now: Millis) {
        while let Some((at, _)) = self.order.front() {
            if now - at <= self.window_ms && self.order.len() <= self.max {
                break;
            }
            if let Some((_, key)) = self.order.pop_front() {
                self.seqs.remove(&key);
            }
        }
        if self.order.is_empty() && self.order.capacity() > 1024 {
            self.order = VecDeque::new();
            self.seqs = HashMap::new();
        }
    }

    pub fn len(&self) -> usize {
        self.order.len()
    }

    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }

    pub fn window_ms(&self) -> Millis {
        self.window_ms
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_nonce_is_recognised_within_the_window_and_forgotten_after() {
        let mut n = Nonces::new(Duration::from_secs(60), 100);
        n.insert("p-1", "x".into(), 7, 1_000);
        assert_eq!(n.get("p-1", "x", 30_000), Some(7));
        assert_eq!(
            n.get("p-2", "x", 30_000),
            None,
            "nonces are per participant"
        );
        assert_eq!(n.get("p-1", "x", 62_000), None);
        n.insert("p-1", "y".into(), 8, 62_000);
        assert_eq!(n.len(), 1, "the expired one was dropped");
    }

    #[test]
    fn past_the_maximum_the_oldest_go_first() {
        let mut n = Nonces::new(Duration::from_secs(3600), 2);
        n.insert("p", "a".into(), 1, 0);
        n.insert("p", "b".into(), 2, 1);
        n.insert("p", "c".into(), 3, 2);
        assert_eq!(n.get("p", "a", 3), None);
        assert_eq!(n.get("p", "b", 3), Some(2));
        assert_eq!(n.get("p", "c", 3), Some(3));
    }
}
