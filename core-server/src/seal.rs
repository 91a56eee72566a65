//! Sealing with AES-256-GCM under a server-wide key: what is sealed can be
//! neither read nor changed without the key. Action cookies and agents'
//! credentials are sealed this way, each kind under a key of its own.

use base64::Engine;
use ring::aead::{Aad, LessSafeKey, Nonce, UnboundKey, AES_256_GCM, NONCE_LEN};
use ring::rand::{SecureRandom, SystemRandom};

use crate::error::{Error, Result};

/// Seals and opens with one key.
pub struct Sealer {
    key: LessSafeKey,
}

impl Sealer {
    /// A sealer for a 32-byte key.
    pub fn new(key: &[u8]) -> Result<Self> {
        let key = UnboundKey::new(&AES_256_GCM, key)
            .map_err(|_| Error::Internal("a sealing key is not 32 bytes".into()))?;
        Ok(Sealer {
            key: LessSafeKey::new(key),
        })
    }

    /// A fresh random key, hex-encoded for storing.
    pub fn fresh_key() -> Result<String> {
        let mut key = [0u8; 32];
        SystemRandom::new()
            .fill(&mut key)
            .map_err(|_| Error::Internal("no randomness for a sealing key".into()))?;
        Ok(hex::encode(key))
    }

    /// The bytes, encrypted: base64 of a fresh nonce followed by the sealed bytes.
    pub fn seal(&self, plain: &[u8]) -> Result<String> {
        let mut nonce = [0u8; NONCE_LEN];
        SystemRandom::new()
            .fill(&mut nonce)
            .map_err(|_| Error::Internal("no randomness for a nonce".into()))?;
        let mut data = plain.to_vec();
        self.key
            .seal_in_place_append_tag(Nonce::assume_unique_for_key(nonce), Aad::empty(), &mut data)
            .map_err(|_| Error::Internal("could not seal".into()))?;
        let mut out = nonce.to_vec();
        out.extend_from_slice(&data);
        Ok(base64::engine::general_purpose::STANDARD.encode(out))
    }

    /// What was sealed, or `None` when `sealed` was not sealed under this
    /// key or was changed since.
    pub fn open(&self, sealed: &str) -> Option<Vec<u8>> {
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(sealed.trim())
            .ok()?;
        if bytes.len() < NONCE_LEN {
            return None;
        }
        let (nonce, rest) = bytes.split_at(NONCE_LEN);
        let nonce = Nonce::try_assume_unique_for_key(nonce).ok()?;
        let mut rest = rest.to_vec();
        let plain = self
            .key
            .open_in_place(nonce, Aad::empty(), &mut rest)
            .ok()?;
        Some(plain.to_vec())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sealer() -> Sealer {
        let key = hex::decode(Sealer::fresh_key().expect("key")).expect("hex");
        Sealer::new(&key).expect("sealer")
    }

    #[test]
    fn sealed_text_opens_only_under_its_key_and_unchanged() {
        let sealer = sealer();
        let sealed = sealer.seal(b"api-key-123").expect("sealed");
        assert!(!sealed.contains("api-key"));
        assert_eq!(sealer.open(&sealed).as_deref(), Some(&b"api-key-123"[..]));
        assert_ne!(sealer.seal(b"api-key-123").expect("sealed"), sealed);
        assert!(self::sealer().open(&sealed).is_none());
        let mut bytes = base64::engine::general_purpose::STANDARD
            .decode(&sealed)
            .expect("base64");
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        let changed = base64::engine::general_purpose::STANDARD.encode(&bytes);
        assert!(sealer.open(&changed).is_none());
        assert!(sealer.open("").is_none());
        assert!(sealer.open("not base64!").is_none());
    }
}
