//! How participants are named on screen: by their delegation, or by their
//! own name when they speak for none, and always with the guest badge when
//! they are a guest. A guest chooses their own name; the badge is what
//! keeps "Chair" typed by a guest from reading like the chair, so no line
//! that names a participant may drop it, however narrow the pane.

// A reader comes to this module's public items from the rest of the
// client, so each says what it is for.
#![warn(missing_docs)]

use dais_protocol::Actor;

use crate::bidi::{truncate, width};
use crate::i18n::Localizer;

/// The Fluent id of the badge drawn after a guest's name.
pub const GUEST_BADGE: &str = "badge-guest";
/// The Fluent id of a guest's name with the badge, for sentences.
pub const GUEST_NAME: &str = "name-guest";

/// How a participant is named in one line: the delegation, or the person
/// when they speak for none. Without the guest badge: see [`marked`].
pub fn who(actor: &Actor) -> &str {
    if actor.delegation.is_empty() {
        &actor.name
    } else {
        &actor.delegation
    }
}

/// [`who`] with the guest badge for a guest, for sentences and lists.
pub fn marked(l10n: &Localizer, actor: &Actor) -> String {
    mark(l10n, actor, who(actor))
}

/// `text` (a name of `actor`) with the guest badge when `actor` is a guest.
pub fn mark(l10n: &Localizer, actor: &Actor, text: &str) -> String {
    if actor.guest {
        l10n.ta(GUEST_NAME, &crate::args!["name" => text.to_owned()])
    } else {
        text.to_owned()
    }
}

/// The badge alone (`guest`), for a pane that draws it as a piece of its
/// own; empty for anyone else.
pub fn badge(l10n: &Localizer, actor: &Actor) -> String {
    if actor.guest {
        crate::bidi::strip_isolates(&l10n.t(GUEST_BADGE)).into_owned()
    } else {
        String::new()
    }
}

/// `name` cut to fit `room` cells together with the badge that follows it
/// (one space apart): the name gives way, the badge never does.
pub fn fit(name: &str, badge: &str, room: usize) -> String {
    if badge.is_empty() {
        return truncate(name, room);
    }
    truncate(name, room.saturating_sub(width(badge) + 1).max(1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use dais_protocol::{Role, Stakeholder};

    fn guest(name: &str) -> Actor {
        Actor {
            id: "g-1".into(),
            name: name.into(),
            delegation: String::new(),
            stakeholder: Stakeholder::CivilSociety,
            role: Role::Observer,
            guest: true,
        }
    }

    #[test]
    fn a_guest_is_marked_in_every_language() {
        for (tag, _) in crate::i18n::LOCALES {
            let l10n = Localizer::for_tag(tag);
            let shown = crate::bidi::strip_isolates(&marked(&l10n, &guest("Chair"))).into_owned();
            let badge = badge(&l10n, &guest("Chair"));
            assert!(!badge.is_empty(), "{tag}");
            assert!(
                shown.contains("Chair") && shown.contains(&badge),
                "{tag}: {shown}"
            );
        }
    }

    #[test]
    fn a_registered_participant_has_no_badge() {
        let l10n = Localizer::for_tag("en");
        let mut actor = guest("Ana");
        actor.guest = false;
        assert_eq!(marked(&l10n, &actor), "Ana");
        assert_eq!(badge(&l10n, &actor), "");
    }

    #[test]
    fn the_name_gives_way_to_the_badge() {
        let fitted = fit("A very long guest name indeed", "guest", 12);
        assert!(width(&fitted) + 1 + width("guest") <= 12, "{fitted}");
    }
}
