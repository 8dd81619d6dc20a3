//! How the server speaks where the public reads: the words of every event
//! come from the `words` crate (the same as the client's); this module holds
//! the public pages' voice ([`Public`]: a guest's or an observer's name is
//! never shown) and the names the pages give people and delegations. The
//! export's voice, for the admin's record, is the export's (`export::Export`).

use dais_protocol::{Actor, Role};
pub use dais_words::{duration, intervention_id, mode_id, Lang, Naming, Voice, Words};
use fluent_bundle::FluentArgs;

/// The time of day (UTC) of a server timestamp: `10:05:03`, and its ISO form.
pub fn clock(ms: i64) -> (String, String) {
    let t = std::time::UNIX_EPOCH + std::time::Duration::from_millis(ms.max(0) as u64);
    let iso = humantime::format_rfc3339_seconds(t).to_string();
    let hms = iso.get(11..19).unwrap_or_default().to_string();
    (hms, iso)
}

/// How a person is named where the public can read: a guest's name is
/// their own claim and an observer never takes part, so neither is shown.
pub fn public_name(words: &Words, a: &Actor, own_name: bool) -> String {
    if a.guest {
        return words.t("web-a-guest");
    }
    if a.role == Role::Observer {
        return words.t("web-an-observer");
    }
    if own_name || a.delegation.is_empty() {
        a.name.clone()
    } else {
        a.delegation.clone()
    }
}

/// What the public may call a delegation of the figures: its name, or for
/// a participant of none, "a guest" (a registered participant without a
/// delegation is named by the record, not here).
pub fn delegation_label(w: &Words, d: &dais_protocol::DelegationFigures) -> String {
    if !d.delegation.is_empty() {
        d.delegation.clone()
    } else if d.guest {
        w.t("web-a-guest")
    } else {
        d.participant.clone().unwrap_or_default()
    }
}

/// The public pages' voice.
pub struct Public<'w>(pub &'w Words);

impl Voice for Public<'_> {
    fn message(&self, id: &str, args: Option<&FluentArgs>) -> String {
        self.0.format(id, args)
    }

    fn name(&self, who: &Actor, naming: Naming) -> String {
        match naming {
            Naming::Who => public_name(self.0, who, false),
            Naming::Own | Naming::Chair => public_name(self.0, who, true),
            // A guest already read as "a guest" is not told twice.
            Naming::Again if who.guest || who.role == Role::Observer => String::new(),
            Naming::Again => who.name.clone(),
        }
    }

    fn clock(&self, ms: i64) -> String {
        clock(ms).0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use dais_protocol::{Event, EventFrame, Stakeholder, TurnEndReason};

    fn actor(role: Role, guest: bool) -> Actor {
        Actor {
            id: "p-1".into(),
            name: "Marta Ruiz".into(),
            delegation: "Uruguay".into(),
            stakeholder: Stakeholder::Government,
            role,
            guest,
        }
    }

    fn plain(s: &str) -> String {
        s.chars()
            .filter(|c| !matches!(c, '\u{2066}'..='\u{2069}'))
            .collect()
    }

    #[test]
    fn a_turn_ended_reads_with_its_reason_and_time() {
        let frame = EventFrame {
            room: "r".into(),
            seq: 1,
            ts: 0,
            event: Event::TurnEnded {
                turn: 1,
                holder: actor(Role::Delegate, false),
                reason: TurnEndReason::TimeExpired,
                by: None,
                spoke_ms: 65_000,
                note: None,
            },
        };
        let said = dais_words::describe(&frame, &|_| None).expect("words");
        let text = said.render(&Public(Words::of(Lang::En)));
        assert_eq!(plain(&text), "Uruguay finished: time ran out, 1:05");
    }

    #[test]
    fn the_public_never_reads_a_guests_or_an_observers_name() {
        let w = Words::of(Lang::En);
        assert_eq!(
            public_name(w, &actor(Role::Delegate, true), true),
            "a guest"
        );
        assert_eq!(
            public_name(w, &actor(Role::Observer, false), false),
            "an observer"
        );
        assert_eq!(
            public_name(w, &actor(Role::Delegate, false), false),
            "Uruguay"
        );
        assert_eq!(
            public_name(w, &actor(Role::Moderator, false), true),
            "Marta Ruiz"
        );
        assert_eq!(
            public_name(Words::of(Lang::Ar), &actor(Role::Delegate, true), true),
            "ضيف"
        );
    }
}
