//! Identifiers in Mattermost's format: 16 random bytes (a v4 UUID) encoded in
//! base32 with the alphabet below and no padding, which gives 26 characters.
//! Using the same format everywhere lets the v4 bridge pass ids through untouched.

use rand::RngCore;

/// Mattermost's base32 alphabet (lower-case letters and digits only).
const ALPHABET: &[u8; 32] = b"ybndrfg8ejkmcpqxot1uwisza345h769";

/// Length of every id and session token.
pub const ID_LEN: usize = 26;

/// A fresh random 26-character id.
pub fn new_id() -> String {
    let mut bytes = [0u8; 16];
    rand::thread_rng().fill_bytes(&mut bytes);
    // Mark the bytes as a version 4, variant 1 UUID, as Mattermost's generator does.
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    encode(&bytes)
}

/// An id fixed by `parts` (the same parts always give the same id), for rows
/// that must be found again without a lookup: a re-run of a bulk import
/// derives the same post ids and so inserts nothing twice.
pub fn derived_id(parts: &[&str]) -> String {
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest_of(parts)[..16]);
    encode(&bytes)
}

/// SHA-256 of `parts`, each length-prefixed so ("ab", "c") and ("a", "bc") differ.
fn digest_of(parts: &[&str]) -> [u8; 32] {
    use sha2::{Digest, Sha256};
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update((part.len() as u64).to_le_bytes());
        hasher.update(part.as_bytes());
    }
    hasher.finalize().into()
}

/// Like [`derived_id`], but led by a time (ms): rows made in time order
/// get ids that share leading characters, so an index on them grows at a
/// few places instead of everywhere (bulk imports run about twice as fast).
pub fn derived_id_at(at_ms: i64, parts: &[&str]) -> String {
    let digest = digest_of(parts);
    let mut bytes = [0u8; 16];
    // 48 bits of time (until the year 10889), then 80 bits of the hash.
    bytes[..6].copy_from_slice(&at_ms.to_be_bytes()[2..]);
    bytes[6..].copy_from_slice(&digest[..10]);
    encode(&bytes)
}

/// Base32-encodes bytes with [`ALPHABET`], without padding.
fn encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(5) * 8);
    let mut buffer: u32 = 0;
    let mut bits = 0u32;
    for &byte in bytes {
        buffer = (buffer << 8) | u32::from(byte);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(char::from(ALPHABET[((buffer >> bits) & 31) as usize]));
        }
    }
    if bits > 0 {
        out.push(char::from(ALPHABET[((buffer << (5 - bits)) & 31) as usize]));
    }
    out
}

/// Whether `id` has the shape of an id: 26 ASCII letters or digits.
pub fn is_valid_id(id: &str) -> bool {
    id.len() == ID_LEN && id.bytes().all(|b| b.is_ascii_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn derived_ids_are_stable_valid_and_tell_their_parts_apart() {
        let a = derived_id(&["channel", "user", "1700000000000"]);
        assert_eq!(a, derived_id(&["channel", "user", "1700000000000"]));
        assert!(is_valid_id(&a), "{a}");
        assert_ne!(a, derived_id(&["channel", "user", "1700000000001"]));
        assert_ne!(derived_id(&["ab", "c"]), derived_id(&["a", "bc"]));
        let early = derived_id_at(1_700_000_000_000, &["x"]);
        let later = derived_id_at(1_700_000_001_000, &["y"]);
        assert!(is_valid_id(&early) && is_valid_id(&later));
        assert_eq!(early[..6], later[..6], "{early} {later}");
        assert_ne!(early, derived_id_at(1_700_000_000_000, &["z"]));
    }

    #[test]
    fn new_ids_are_26_chars_of_the_alphabet_and_unique() {
        let a = new_id();
        let b = new_id();
        assert_eq!(a.len(), ID_LEN);
        assert!(a.bytes().all(|c| ALPHABET.contains(&c)), "{a}");
        assert!(is_valid_id(&a));
        assert_ne!(a, b);
    }

    #[test]
    fn encoding_matches_known_vector() {
        // Sixteen zero bytes are all 'y' (index 0) in this alphabet.
        assert_eq!(encode(&[0u8; 16]), "y".repeat(26));
        // 0xff.. ends with the 3 leftover bits shifted left: 0b11100 = 28 -> 'h'.
        let all_ones = encode(&[0xffu8; 16]);
        assert_eq!(&all_ones[..25], &"9".repeat(25));
        assert_eq!(&all_ones[25..], "h");
    }

    proptest! {
        #[test]
        fn any_16_bytes_encode_to_a_valid_id(bytes in proptest::array::uniform16(any::<u8>())) {
            let id = encode(&bytes);
            prop_assert!(is_valid_id(&id));
        }

        #[test]
        fn wrong_lengths_or_symbols_are_not_ids(s in "[a-z0-9_\\-]{0,40}") {
            let expected = s.len() == ID_LEN && s.bytes().all(|b| b.is_ascii_alphanumeric());
            prop_assert_eq!(is_valid_id(&s), expected);
        }
    }
}
