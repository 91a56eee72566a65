//! Trigger ids: what a slash command or a message action hands its
//! integration so that the integration may open an interactive dialog for
//! the user who triggered it, for a few seconds (Mattermost's rule).
//!
//! A trigger id is signed rather than stored: any node of a cluster can check
//! one, since the signing key is kept in the database.

use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::Core;
use crate::error::{Error, Result};
use crate::id::new_id;
use crate::time::now_ms;

/// How long a trigger id opens a dialog (Mattermost's
/// `InteractiveDialogTriggerTimeoutMilliseconds`).
pub const TRIGGER_LIFETIME_MS: i64 = 3_000;

const KEY_NAME: &str = "trigger_signing_key";

fn sign(key: &[u8], text: &str) -> Result<String> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key)
        .map_err(|e| Error::Internal(format!("trigger key: {e}")))?;
    mac.update(text.as_bytes());
    Ok(hex::encode(mac.finalize().into_bytes()))
}

fn verify(key: &[u8], text: &str, signature: &str) -> Result<bool> {
    let Ok(signature) = hex::decode(signature) else {
        return Ok(false);
    };
    let mut mac = Hmac::<Sha256>::new_from_slice(key)
        .map_err(|e| Error::Internal(format!("trigger key: {e}")))?;
    mac.update(text.as_bytes());
    Ok(mac.verify_slice(&signature).is_ok())
}

impl Core {
    async fn trigger_key(&self) -> Result<Vec<u8>> {
        let key = self
            .trigger_key
            .get_or_try_init(|| async {
                let fresh = hex::encode(rand::random::<[u8; 32]>());
                let stored = self.store.init_system_value(KEY_NAME, &fresh).await?;
                hex::decode(stored).map_err(|e| Error::Internal(format!("stored trigger key: {e}")))
            })
            .await?;
        Ok(key.clone())
    }

    /// A new trigger id for `user_id`, valid for [`TRIGGER_LIFETIME_MS`].
    pub async fn new_trigger_id(&self, user_id: &str) -> Result<String> {
        let key = self.trigger_key().await?;
        let text = format!("{}:{}:{}", new_id(), user_id, now_ms());
        let signature = sign(&key, &text)?;
        Ok(base64::engine::general_purpose::STANDARD.encode(format!("{text}:{signature}")))
    }

    /// Checks that `trigger_id` was issued by this server to `user_id` and has
    /// not expired; the error names the field.
    pub async fn check_trigger_id(&self, user_id: &str, trigger_id: &str) -> Result<()> {
        let invalid = || Error::invalid("trigger_id", "is not a valid trigger id");
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(trigger_id.trim())
            .map_err(|_| invalid())?;
        let decoded = String::from_utf8(decoded).map_err(|_| invalid())?;
        let Some((text, signature)) = decoded.rsplit_once(':') else {
            return Err(invalid());
        };
        let key = self.trigger_key().await?;
        if !verify(&key, text, signature)? {
            return Err(invalid());
        }
        let mut parts = text.split(':');
        let (_, owner, issued) = (parts.next(), parts.next(), parts.next());
        if owner != Some(user_id) {
            return Err(Error::invalid("trigger_id", "was issued to another user"));
        }
        let issued: i64 = issued.and_then(|t| t.parse().ok()).ok_or_else(invalid)?;
        if now_ms() - issued > TRIGGER_LIFETIME_MS {
            return Err(Error::invalid("trigger_id", "has expired"));
        }
        Ok(())
    }
}

/// A checked trigger id: whom it was issued to, and the part a client is
/// shown (the integration gets the whole signed id; the client's
/// `open_dialog` event and action answer carry only this part).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedTrigger {
    pub client_id: String,
    pub user_id: String,
}

/// The parts of a trigger id as written, unchecked: (client id, user id).
fn trigger_parts(trigger_id: &str) -> Option<(String, String)> {
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(trigger_id.trim())
        .ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let mut parts = text.split(':');
    let client = parts.next()?.to_string();
    let user = parts.next()?.to_string();
    Some((client, user))
}

/// The part of a trigger id a client is shown (empty for a malformed one).
pub fn client_trigger_id(trigger_id: &str) -> String {
    trigger_parts(trigger_id)
        .map(|(client, _)| client)
        .unwrap_or_default()
}

impl Core {
    /// Checks a trigger id that arrives without a session (opening a
    /// dialog): the user it names, if its signature and age are good.
    pub async fn verify_trigger_id(&self, trigger_id: &str) -> Result<VerifiedTrigger> {
        let (client_id, user_id) = trigger_parts(trigger_id)
            .ok_or_else(|| Error::invalid("trigger_id", "is not a valid trigger id"))?;
        self.check_trigger_id(&user_id, trigger_id).await?;
        Ok(VerifiedTrigger { client_id, user_id })
    }
}
