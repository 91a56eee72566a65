//! Action cookies: an ephemeral post is never stored, so to run one of its
//! actions the client sends back, with the request, a cookie the server set
//! on the action when it sent the post. The cookie holds what running the
//! action needs (its URL and context among it), sealed with AES-256-GCM
//! under a server-wide key: the client can neither read nor change it, as
//! Mattermost's encrypted `PostActionCookie`.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::model::message_actions::ActionIntegration;
use crate::seal::Sealer;

/// Where the key lives among the server-wide values.
pub(super) const KEY_NAME: &str = "post_action_cookie_key";

/// What a cookie carries (Mattermost's `PostActionCookie` fields).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ActionCookie {
    #[serde(rename = "type", default, skip_serializing_if = "String::is_empty")]
    pub action_type: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub post_id: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub root_post_id: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub channel_id: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub data_source: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub integration: Option<ActionIntegration>,
    /// Props of the post kept on an ephemeral answer (who it came from).
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub retain_props: Map<String, Value>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub remove_props: Vec<String>,
}

/// Seals and opens cookies with one key.
pub struct CookieJar {
    sealer: Sealer,
}

impl CookieJar {
    /// A jar for a 32-byte key.
    pub fn new(key: &[u8]) -> Result<Self> {
        Ok(CookieJar {
            sealer: Sealer::new(key)?,
        })
    }

    /// A fresh random key, hex-encoded for storing.
    pub fn fresh_key() -> Result<String> {
        Sealer::fresh_key()
    }

    /// The cookie, encrypted: base64 of the nonce followed by the sealed JSON.
    pub fn seal(&self, cookie: &ActionCookie) -> Result<String> {
        let data =
            serde_json::to_vec(cookie).map_err(|e| Error::Internal(format!("cookie: {e}")))?;
        self.sealer.seal(&data)
    }

    /// The cookie a client sent back; refused when it was not sealed here
    /// or was changed.
    pub fn open(&self, sealed: &str) -> Result<ActionCookie> {
        let refused = || Error::invalid("cookie", "is not a cookie of this server");
        let plain = self.sealer.open(sealed).ok_or_else(refused)?;
        serde_json::from_slice(&plain).map_err(|_| refused())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine;
    use ring::aead::NONCE_LEN;

    fn jar() -> CookieJar {
        let key = hex::decode(CookieJar::fresh_key().expect("key")).expect("hex");
        CookieJar::new(&key).expect("jar")
    }

    fn cookie() -> ActionCookie {
        ActionCookie {
            action_type: "button".into(),
            post_id: "p".repeat(26),
            root_post_id: "p".repeat(26),
            channel_id: "c".repeat(26),
            integration: Some(ActionIntegration {
                url: "http://hook.example/act".into(),
                context: serde_json::from_value(serde_json::json!({"secret": "s3"})).ok(),
            }),
            ..Default::default()
        }
    }

    #[test]
    fn a_sealed_cookie_opens_to_what_was_sealed_and_hides_it() {
        let jar = jar();
        let sealed = jar.seal(&cookie()).expect("sealed");
        assert!(!sealed.contains("hook"));
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(&sealed)
            .expect("base64");
        assert!(!String::from_utf8_lossy(&decoded).contains("hook.example"));
        assert_eq!(jar.open(&sealed).expect("opens"), cookie());
        // Two seals of the same cookie differ (fresh nonces).
        assert_ne!(jar.seal(&cookie()).expect("sealed"), sealed);
    }

    #[test]
    fn a_tampered_cookie_is_refused() {
        let jar = jar();
        let sealed = jar.seal(&cookie()).expect("sealed");
        let mut bytes = base64::engine::general_purpose::STANDARD
            .decode(&sealed)
            .expect("base64");
        for i in [0, NONCE_LEN, bytes.len() - 1] {
            bytes[i] ^= 1;
            let changed = base64::engine::general_purpose::STANDARD.encode(&bytes);
            assert!(matches!(
                jar.open(&changed),
                Err(Error::Invalid { ref field, .. }) if field == "cookie"
            ));
            bytes[i] ^= 1;
        }
        // A cookie made by hand, or under another key, is refused too.
        let plain = base64::engine::general_purpose::STANDARD
            .encode(serde_json::to_vec(&cookie()).expect("json"));
        assert!(jar.open(&plain).is_err());
        assert!(jar.open("").is_err());
        assert!(jar.open("not base64!").is_err());
        assert!(self::jar().open(&sealed).is_err());
    }
}
