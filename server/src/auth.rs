//! Tokens: how a participant proves who they are.
//!
//! A token is 32 random bytes, shown once to the admin and never stored:
//! the database keeps only its SHA-256. A token has 256 bits of entropy, so
//! a plain hash is enough (no password stretching is needed), and looking up
//! the hash by index means the secret itself is never compared byte by byte.

use anyhow::Result;
use dais_protocol::{Participant, Role, Stakeholder};
use sha2::{Digest, Sha256};

pub const TOKEN_PREFIX: &str = "dais_";

pub fn new_token() -> Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| anyhow::anyhow!("no system randomness: {e}"))?;
    Ok(format!("{TOKEN_PREFIX}{}", hex::encode(bytes)))
}

/// Compare two secrets in time that depends only on their lengths.
pub fn same_secret(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

pub fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

pub fn new_participant_id() -> Result<String> {
    let mut bytes = [0u8; 5];
    getrandom::fill(&mut bytes).map_err(|e| anyhow::anyhow!("no system randomness: {e}"))?;
    Ok(format!("p-{}", hex::encode(bytes)))
}

/// A new participant with a fresh token, checked but not yet saved: the
/// participant, the token (shown once) and its hash (what is kept).
pub fn new_participant(
    name: &str,
    delegation: &str,
    stakeholder: Stakeholder,
    role: Role,
    languages: Vec<String>,
) -> Result<(Participant, String, String)> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 80 {
        anyhow::bail!("a name must have 1 to 80 characters");
    }
    if delegation.chars().count() > 120 {
        anyhow::bail!("a delegation must have at most 120 characters");
    }
    let participant = Participant {
        id: new_participant_id()?,
        name: name.to_string(),
        delegation: delegation.trim().to_string(),
        stakeholder,
        role,
        languages,
        guest: false,
    };
    let token = new_token()?;
    let hash = hash_token(&token);
    Ok((participant, token, hash))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_unique_and_only_their_hash_is_kept() {
        let a = new_token().unwrap();
        let b = new_token().unwrap();
        assert_ne!(a, b);
        assert!(a.starts_with(TOKEN_PREFIX));
        assert_eq!(hash_token(&a).len(), 64);
        assert_ne!(hash_token(&a), hash_token(&b));
    }
}
