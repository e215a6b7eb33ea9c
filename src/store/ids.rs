//! Row identifiers (time-ordered, with random bits) and confirmation tokens, their randomness
//! from the operating system's CSPRNG.
//!
//! A token is 256 random bits, sent in the email as URL-safe base64 (43 characters); the
//! database keeps only its SHA-256, so a copy of the database confirms nobody.

use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};

use super::{StoreError, now_us};

/// How long a confirmation link works.
pub const TOKEN_TTL: Duration = Duration::from_secs(48 * 3600);

/// The length of an encoded token: 32 bytes in unpadded base64.
pub const TOKEN_CHARS: usize = 43;

/// A fresh row id: a UUIDv7 (the time in milliseconds, then 74 random bits) as 32 lower-case
/// hex digits. Ids made later sort later, so a new row lands at the end of every index on an id
/// instead of on a random page: a commit writes a few pages, not one per row per index.
pub fn new_id() -> Result<String, StoreError> {
    let mut random = [0u8; 10];
    getrandom::fill(&mut random).map_err(|_| StoreError::Random)?;
    Ok(id_at(
        u64::try_from(now_us() / 1000).unwrap_or_default(),
        random,
    ))
}

fn id_at(unix_millis: u64, random: [u8; 10]) -> String {
    let id = uuid::Builder::from_unix_timestamp_millis(unix_millis, &random).into_uuid();
    id.simple().to_string()
}

/// A confirmation token as it goes into the link, with the hash the database keeps.
pub struct Token {
    pub secret: String,
    pub hash: String,
}

impl Token {
    pub fn generate() -> Result<Token, StoreError> {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).map_err(|_| StoreError::Random)?;
        let secret = URL_SAFE_NO_PAD.encode(bytes);
        let hash = hash_token(&secret);
        Ok(Token { secret, hash })
    }
}

/// Whether `s` could be a token we issued: checked before any database look-up.
pub fn looks_like_token(s: &str) -> bool {
    s.len() == TOKEN_CHARS
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// The stored form of a token: SHA-256, in hex.
pub fn hash_token(secret: &str) -> String {
    hex(&Sha256::digest(secret.as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0xf)]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_random_and_stored_hashed() {
        let a = Token::generate().unwrap();
        let b = Token::generate().unwrap();
        assert_ne!(a.secret, b.secret);
        assert!(looks_like_token(&a.secret), "{}", a.secret);
        assert_eq!(a.hash, hash_token(&a.secret));
        assert_eq!(a.hash.len(), 64);
        assert!(!a.hash.contains(&a.secret));
    }

    #[test]
    fn the_hash_is_sha256_in_hex() {
        assert_eq!(
            hash_token("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn only_token_shaped_strings_reach_the_database() {
        assert!(!looks_like_token(""));
        assert!(!looks_like_token("../../etc/passwd"));
        assert!(!looks_like_token(&"a".repeat(44)));
        assert!(!looks_like_token(&format!("{}=", "a".repeat(42))));
        assert!(looks_like_token(&"a-_Z".repeat(11)[..43]));
    }

    #[test]
    fn ids_are_128_bits_of_hex() {
        let id = new_id().unwrap();
        assert_eq!(id.len(), 32);
        assert!(id.bytes().all(|b| b.is_ascii_hexdigit()));
        assert_ne!(id, new_id().unwrap());
    }

    #[test]
    fn ids_made_later_sort_later_whatever_their_random_bits() {
        let earlier = id_at(1_700_000_000_000, [0xff; 10]);
        let later = id_at(1_700_000_000_001, [0; 10]);
        assert!(earlier < later, "{earlier} then {later}");
        assert_eq!(later.len(), 32);
        assert_ne!(id_at(1, [0; 10]), id_at(1, [1; 10]));
    }

    #[test]
    fn an_id_begins_with_the_time_it_was_made_in_milliseconds() {
        let before = now_us() / 1000;
        let id = new_id().unwrap();
        let after = now_us() / 1000;
        let millis = i64::from_str_radix(&id[..12], 16).unwrap();
        assert!(
            (before..=after).contains(&millis),
            "{id}: {before}..{after}"
        );
    }
}
