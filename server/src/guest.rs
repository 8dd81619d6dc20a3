//! Guests: people admitted by name, without a token, where the config
//! allows it.
//!
//! A guest's identity must outlast one connection, or a muted or removed
//! guest (or one over the rate limit) would escape by reconnecting. So a new
//! guest gets a credential in `welcome`, to send as `token` next time: it
//! names their id and display name and carries an HMAC made with a key kept
//! in the data directory (`guest.key`), so the server can check it without a
//! database row per guest (a plenary admits thousands). A credential is good
//! for `CREDENTIAL_DAYS`; replacing `guest.key` ends every one at once.
//!
//! A guest's name is their own claim, not the admin's: it may not copy a
//! moderator's name or a chair's title, and every screen marks guests.

use crate::room::state::fold_name;
use anyhow::{Context, Result};
use dais_protocol::{ErrorCode, Millis};
use hmac::{KeyInit, Mac};
use std::path::Path;

type HmacSha256 = hmac::Hmac<sha2::Sha256>;

/// What a guest credential starts with (a participant's token starts `dais_`).
pub const CREDENTIAL_PREFIX: &str = "daisg_";
/// How long a guest credential is good for.
pub const CREDENTIAL_DAYS: i64 = 7;
/// Longest guest name, in characters.
pub const MAX_NAME: usize = 40;

/// Words that read as an office of the meeting, in the six languages: a
/// guest may not call themselves by them.
const TITLES: &[&str] = &[
    "chair",
    "chairman",
    "chairwoman",
    "chairperson",
    "moderator",
    "secretariat",
    "president",
    "presidente",
    "presidenta",
    "presidence",
    "secretaria",
    "moderateur",
    "moderador",
    "председатель",
    "модератор",
    "секретариат",
    "主席",
    "秘书处",
    "主持人",
    "الرئيس",
    "رئيس",
    "الأمانة",
    "المنسق",
];

/// The key that signs guest credentials.
pub struct GuestKey {
    key: [u8; 32],
}

impl GuestKey {
    /// A new random key, as hex (cluster: stored once in the record, where
    /// every node reads the same one).
    pub fn random_hex() -> Result<String> {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).map_err(|e| anyhow::anyhow!("no system randomness: {e}"))?;
        Ok(hex::encode(bytes))
    }

    /// A key from its hex.
    pub fn from_hex(text: &str) -> Result<GuestKey> {
        let bytes = hex::decode(text.trim())
            .ok()
            .filter(|b| b.len() == 32)
            .context("the stored guest key is not 32 bytes of hex")?;
        let mut key = [0u8; 32];
        key.copy_from_slice(&bytes);
        Ok(GuestKey { key })
    }

    /// The key as kept in the data directory's file at `path` (the record
    /// reads it, or makes it on a first start: `record::open`).
    pub fn from_file(text: &str, path: &Path) -> Result<GuestKey> {
        let bytes = hex::decode(text.trim())
            .ok()
            .filter(|b| b.len() == 32)
            .with_context(|| format!("{} is not a guest key", path.display()))?;
        let mut key = [0u8; 32];
        key.copy_from_slice(&bytes);
        Ok(GuestKey { key })
    }

    #[cfg(test)]
    pub fn fixed(key: [u8; 32]) -> GuestKey {
        GuestKey { key }
    }

    fn mac(&self, message: &str) -> HmacSha256 {
        // HMAC takes keys of any length; 32 bytes cannot fail.
        let mut mac = <HmacSha256 as KeyInit>::new_from_slice(&self.key)
            .unwrap_or_else(|_| unreachable!("HMAC accepts a 32-byte key"));
        mac.update(message.as_bytes());
        mac
    }

    /// A credential for guest `id` called `name`, issued at `now`.
    pub fn issue(&self, id: &str, name: &str, now: Millis) -> String {
        let body = format!("{id}.{now:x}.{}", hex::encode(name.as_bytes()));
        let tag = hex::encode(self.mac(&body).finalize().into_bytes());
        format!("{CREDENTIAL_PREFIX}{body}.{tag}")
    }

    /// The guest (id, name) a credential names, if it is ours and current.
    pub fn verify(&self, credential: &str, now: Millis) -> Option<(String, String)> {
        let rest = credential.strip_prefix(CREDENTIAL_PREFIX)?;
        let (body, tag) = rest.rsplit_once('.')?;
        let tag = hex::decode(tag).ok()?;
        self.mac(body).verify_slice(&tag).ok()?;
        let mut parts = body.splitn(3, '.');
        let id = parts.next()?;
        let issued = i64::from_str_radix(parts.next()?, 16).ok()?;
        let name = String::from_utf8(hex::decode(parts.next()?).ok()?).ok()?;
        let valid = now - issued < CREDENTIAL_DAYS * 86_400_000 && issued <= now + 60_000;
        (valid && id.starts_with("g-")).then(|| (id.to_string(), name))
    }
}

/// A new guest's name, trimmed, or why it is refused: empty, too long or
/// with characters a name may not have (`invalid_guest_name`), or a copy of
/// a moderator's name or delegation, or of a chair's title
/// (`guest_name_reserved`).
pub fn check_name(name: &str, moderators: &[String]) -> Result<String, ErrorCode> {
    let name = name.trim();
    if name.is_empty()
        || name.chars().count() > MAX_NAME
        || crate::limits::check_name_text(name).is_err()
    {
        return Err(ErrorCode::InvalidGuestName);
    }
    let folded = squeeze(&fold_name(name));
    let copies = moderators.iter().any(|m| squeeze(&fold_name(m)) == folded);
    // Titles are folded the same way (Arabic hamza and French accents go).
    let titles: Vec<String> = TITLES.iter().map(|t| fold_name(t)).collect();
    let titled = folded
        .split(|c: char| !c.is_alphanumeric())
        .any(|word| titles.iter().any(|t| t == word))
        // Scripts written without spaces between words hold a title anywhere.
        || titles
            .iter()
            .any(|t| is_cjk(t) && folded.contains(t.as_str()));
    if copies || titled {
        return Err(ErrorCode::GuestNameReserved);
    }
    Ok(name.to_string())
}

/// Whether a word is written in Han characters (no spaces between words).
fn is_cjk(word: &str) -> bool {
    word.chars().all(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c))
}

/// Whitespace runs as one space, so "Amina  Haddad" copies "Amina Haddad".
fn squeeze(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: Millis = 1_800_000_000_000;

    #[test]
    fn a_credential_names_its_guest_and_cannot_be_forged() {
        let key = GuestKey::fixed([7; 32]);
        let c = key.issue("g-0a1b2c3d4e", "Visitor from Nairobi", NOW);
        assert_eq!(
            key.verify(&c, NOW + 1000),
            Some(("g-0a1b2c3d4e".into(), "Visitor from Nairobi".into()))
        );
        // Another name in the same credential breaks the tag.
        let forged = c.replacen(&hex::encode("Visitor"), &hex::encode("Chairma"), 1);
        assert_eq!(key.verify(&forged, NOW), None);
        // Another server's key does not accept it.
        assert_eq!(GuestKey::fixed([8; 32]).verify(&c, NOW), None);
        // It expires.
        assert_eq!(key.verify(&c, NOW + CREDENTIAL_DAYS * 86_400_000), None);
        assert_eq!(key.verify("dais_0123", NOW), None);
    }

    #[test]
    fn a_guest_may_not_copy_a_chair() {
        let mods = vec!["Amina Diallo".to_string(), "IGF Secretariat".to_string()];
        assert_eq!(
            check_name("  Visitor from Nairobi ", &mods),
            Ok("Visitor from Nairobi".into())
        );
        for reserved in [
            "Chair",
            "chair",
            "The Chair",
            "amina  DIALLO",
            "Amína Diallo",
            "igf secretariat",
            "Secretariat · Chair",
            "主席",
            "الرئيس",
            "Председатель",
        ] {
            assert_eq!(
                check_name(reserved, &mods),
                Err(ErrorCode::GuestNameReserved),
                "{reserved}"
            );
        }
        for bad in ["", "   ", "a\u{1b}[2J", "x\u{202e}riahC", &"x".repeat(41)] {
            assert_eq!(
                check_name(bad, &mods),
                Err(ErrorCode::InvalidGuestName),
                "{bad:?}"
            );
        }
        // A word that merely contains a title is fine.
        assert!(check_name("Chairo Banda", &mods).is_ok());
    }
}
