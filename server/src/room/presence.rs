//! Presence as small batched deltas: who came online, went offline or left,
//! since the last batch. Presence is not part of the record (no seq, not
//! stored): it is the room's live attendance, told to whoever is there.
//!
//! A batch goes out at once when the room has been quiet, otherwise at the
//! end of an interval that grows with the room (250 ms, up to 2 s for ten
//! thousand members), so a crowd filing into a plenary costs a few frames,
//! not one per arrival. A batch lists each member once, with their latest
//! state; changes that undo themselves within a batch (in and out again)
//! are not sent at all. When more than `LIST_MAX` members changed, the batch
//! carries only the counts and says `more`: a client that shows the list
//! pages it again, and everyone else has the counts.

use dais_protocol::{Actor, Counts, ParticipantId, Presence, PresenceChange, PresenceState, Seq};
use std::collections::BTreeMap;
use std::time::Duration;
use tokio::time::Instant;

/// Shortest time between two batches.
const INTERVAL: Duration = Duration::from_millis(250);
/// ...growing by this much per member: a batch goes to every member, so in
/// a large room fewer, larger batches cost less than many small ones.
const INTERVAL_PER_MEMBER: Duration = Duration::from_micros(200);
/// Longest time between two batches, however large the room.
const INTERVAL_MAX: Duration = Duration::from_secs(2);
/// Most changes a batch lists; past this it sends the counts only.
pub const LIST_MAX: usize = 100;

/// A presence frame with no changes, only the counts (for a relay that
/// starts again and must learn them).
pub fn counts_only(room: &str, seq: Seq, counts: Counts) -> Presence {
    Presence {
        room: room.to_string(),
        seq,
        changes: Vec::new(),
        more: true,
        counts,
    }
}

/// The interval between batches in a room of `members`.
pub fn interval(members: usize) -> Duration {
    let grown = INTERVAL_PER_MEMBER.saturating_mul(members.min(1_000_000) as u32);
    grown.clamp(INTERVAL, INTERVAL_MAX)
}

#[derive(Debug, Default)]
pub struct PresenceBatch {
    /// Each member who changed: as they are now, their state when the last
    /// batch went out, and their latest state.
    pending: BTreeMap<ParticipantId, (Actor, PresenceState, PresenceState)>,
    last_sent: Option<Instant>,
}

impl PresenceBatch {
    pub fn new() -> Self {
        Self::default()
    }

    /// `who` went from `from` to `to`.
    pub fn record(&mut self, who: Actor, from: PresenceState, to: PresenceState) {
        match self.pending.get_mut(&who.id) {
            Some(entry) => {
                entry.0 = who;
                entry.2 = to;
            }
            None => {
                self.pending.insert(who.id.clone(), (who, from, to));
            }
        }
    }

    /// When the next batch should go, if anything is waiting.
    pub fn due(&self, members: usize) -> Option<Instant> {
        if self.pending.is_empty() {
            return None;
        }
        Some(match self.last_sent {
            Some(t) => t + interval(members),
            None => Instant::now(),
        })
    }

    /// Whether the next batch is due now.
    pub fn due_now(&self, members: usize) -> bool {
        self.due(members).is_some_and(|t| t <= Instant::now())
    }

    /// The batch to send, if any change is left once the ones that undid
    /// themselves are dropped.
    pub fn take(&mut self, room: &str, seq: Seq, counts: Counts) -> Option<Presence> {
        let changes: Vec<PresenceChange> = std::mem::take(&mut self.pending)
            .into_values()
            .filter(|(_, from, to)| from != to)
            .map(|(who, _, state)| PresenceChange { who, state })
            .collect();
        if changes.is_empty() {
            return None;
        }
        self.last_sent = Some(Instant::now());
        let more = changes.len() > LIST_MAX;
        Some(Presence {
            room: room.to_string(),
            seq,
            changes: if more { Vec::new() } else { changes },
            more,
            counts,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use dais_protocol::{Role, Stakeholder};

    fn actor(id: &str) -> Actor {
        Actor {
            id: id.into(),
            name: id.into(),
            delegation: String::new(),
            stakeholder: Stakeholder::CivilSociety,
            role: Role::Observer,
            guest: true,
        }
    }

    #[test]
    fn a_change_that_undoes_itself_within_a_batch_is_not_sent() {
        let mut b = PresenceBatch::new();
        b.record(actor("a"), PresenceState::Left, PresenceState::Online);
        b.record(actor("a"), PresenceState::Online, PresenceState::Left);
        b.record(actor("b"), PresenceState::Offline, PresenceState::Online);
        let batch = b.take("r", 1, Counts::default()).expect("b changed");
        assert_eq!(batch.changes.len(), 1);
        assert_eq!(batch.changes[0].who.id, "b");
        assert_eq!(batch.changes[0].state, PresenceState::Online);
        assert!(b.take("r", 1, Counts::default()).is_none());
    }

    #[test]
    fn a_crowd_is_counted_not_listed() {
        let mut b = PresenceBatch::new();
        for i in 0..=LIST_MAX {
            b.record(
                actor(&format!("g-{i}")),
                PresenceState::Left,
                PresenceState::Online,
            );
        }
        let batch = b.take("r", 1, Counts::default()).expect("a batch");
        assert!(batch.more);
        assert!(batch.changes.is_empty());
    }

    #[test]
    fn the_interval_grows_with_the_room_within_bounds() {
        assert_eq!(interval(10), INTERVAL);
        assert_eq!(interval(5_000), Duration::from_secs(1));
        assert_eq!(interval(100_000), INTERVAL_MAX);
    }

    #[tokio::test]
    async fn the_first_change_is_due_at_once_and_the_next_after_the_interval() {
        let mut b = PresenceBatch::new();
        b.record(actor("a"), PresenceState::Left, PresenceState::Online);
        assert!(b.due_now(10));
        b.take("r", 1, Counts::default());
        b.record(actor("b"), PresenceState::Left, PresenceState::Online);
        assert!(!b.due_now(10));
        assert!(b.due(10).is_some());
    }
}
