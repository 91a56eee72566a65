//! Password resets and address checks: a random token is mailed, only its
//! hash is stored, and using it removes it (in the same statement, so two
//! uses at once cannot both succeed). Tokens expire after a day. Requests
//! answer the same, at once, whether the address exists or the mail went
//! out (as Mattermost's hardened mode); sending happens in the background.

use rand::distributions::{Alphanumeric, DistString};
use sha2::{Digest, Sha256};

use super::messages;
use crate::error::{Error, Result};
use crate::model::EmailToken;
use crate::services::auth::hash_password;
use crate::services::Core;
use crate::time::now_ms;

/// Characters in a token (as Mattermost's): 62 symbols, about 381 bits.
pub const TOKEN_LENGTH: usize = 64;
/// How long a mailed link works.
pub const TOKEN_LIFETIME_MS: i64 = 24 * 60 * 60 * 1000;
/// Why a token was refused (the reason of the `token` field's error).
pub const INVALID_LINK: &str = "the link is not valid";
pub const EXPIRED_LINK: &str = "the link has expired";
/// One link of a kind per account per minute: requests beyond that are
/// answered the same but send nothing (no inbox flooding).
const RESEND_AFTER_MS: i64 = 60_000;
const PASSWORD_RECOVERY: &str = "password_recovery";
const VERIFY_EMAIL: &str = "verify_email";

pub(super) fn new_token() -> String {
    Alphanumeric.sample_string(&mut rand::rngs::OsRng, TOKEN_LENGTH)
}

pub(super) fn hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

pub(super) fn check_shape(token: &str) -> Result<()> {
    if token.len() != TOKEN_LENGTH || !token.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(Error::invalid("token", "is not a valid token"));
    }
    Ok(())
}

impl Core {
    /// This server's public address, for links in e-mails.
    pub fn site_url(&self) -> String {
        match &self.config().site_url {
            Some(url) => url.trim_end_matches('/').to_string(),
            None => format!(
                "http://{}",
                self.config().listen.replace("0.0.0.0", "localhost")
            ),
        }
    }

    /// The name e-mails call this server by: its site's host.
    pub fn site_name(&self) -> String {
        url::Url::parse(&self.site_url())
            .ok()
            .and_then(|u| u.host_str().map(String::from))
            .unwrap_or_else(|| "rustchat".into())
    }

    pub(super) fn mailer(&self) -> Result<&super::Mailer> {
        self.mailer
            .as_deref()
            .ok_or_else(|| Error::NotImplemented("e-mail is not set up on this server".into()))
    }

    /// Sends in the background: the answer takes as long, and says the
    /// same, whether or not the address has an account or the mail went out.
    pub(super) fn send_later(&self, to: String, email: super::mailer::Email) {
        let Some(mailer) = self.mailer.clone() else {
            return;
        };
        tokio::spawn(async move {
            if let Err(e) = mailer.send(&to, email).await {
                tracing::warn!(error = %e, "an account e-mail was not sent");
            }
        });
    }

    /// A new token, unless one of this kind went out within the last minute.
    async fn issue_token(&self, kind: &str, user_id: &str, email: &str) -> Result<Option<String>> {
        if let Some(at) = self.store.email_token_issued_at(user_id, kind).await? {
            if now_ms() - at < RESEND_AFTER_MS {
                return Ok(None);
            }
        }
        let token = new_token();
        self.store
            .save_email_token(&EmailToken {
                token_hash: hash(&token),
                kind: kind.into(),
                user_id: user_id.into(),
                email: email.into(),
                create_at: now_ms(),
                team_id: String::new(),
                channel_ids: Vec::new(),
            })
            .await?;
        Ok(Some(token))
    }

    /// Mails a password reset link to the account with this address. An
    /// unknown address is not an error (nobody learns which addresses exist).
    pub async fn send_password_reset(&self, email: &str) -> Result<()> {
        let email = email.trim().to_lowercase();
        if email.is_empty() {
            return Err(Error::invalid("email", "is required"));
        }
        self.mailer()?;
        let user = match self.store.get_user_by_email(&email).await {
            Ok(user) if !user.is_deleted() && !user.is_bot => user,
            Ok(_) | Err(Error::NotFound { .. }) => return Ok(()),
            Err(e) => return Err(e),
        };
        let Some(token) = self
            .issue_token(PASSWORD_RECOVERY, &user.id, &user.email)
            .await?
        else {
            return Ok(());
        };
        let link = format!("{}/reset_password_complete?token={token}", self.site_url());
        let hours = TOKEN_LIFETIME_MS / 3_600_000;
        self.send_later(
            user.email,
            messages::password_reset(&self.site_name(), &link, hours),
        );
        Ok(())
    }

    /// Sets a new password with a mailed token, signs the account out
    /// everywhere, and tells its owner.
    pub async fn reset_password(&self, token: &str, new_password: &str) -> Result<()> {
        check_shape(token)?;
        // The password is checked first, so a refused one keeps the token usable.
        self.check_password_policy(new_password)?;
        let Some(stored) = self
            .store
            .take_email_token(&hash(token), PASSWORD_RECOVERY)
            .await?
        else {
            return Err(Error::invalid("token", INVALID_LINK));
        };
        if now_ms() - stored.create_at > TOKEN_LIFETIME_MS {
            return Err(Error::invalid("token", EXPIRED_LINK));
        }
        let user = self.store.get_user(&stored.user_id).await?;
        if user.is_deleted() || user.email != stored.email {
            return Err(Error::invalid("token", EXPIRED_LINK));
        }
        let password_hash = hash_password(new_password).await?;
        self.store
            .set_password_hash(&user.id, &password_hash, now_ms())
            .await?;
        self.end_sessions(&user.id, None).await?;
        self.send_later(user.email, messages::password_changed(&self.site_name()));
        Ok(())
    }

    /// Mails an address-confirmation link; unknown or confirmed addresses
    /// are not an error.
    pub async fn send_email_verification(&self, email: &str) -> Result<()> {
        let email = email.trim().to_lowercase();
        if email.is_empty() {
            return Err(Error::invalid("email", "is required"));
        }
        self.mailer()?;
        let user = match self.store.get_user_by_email(&email).await {
            Ok(user) if !user.is_deleted() && !user.email_verified => user,
            Ok(_) | Err(Error::NotFound { .. }) => return Ok(()),
            Err(e) => return Err(e),
        };
        let Some(token) = self
            .issue_token(VERIFY_EMAIL, &user.id, &user.email)
            .await?
        else {
            return Ok(());
        };
        let link = format!(
            "{}/do_verify_email?token={token}&email={}",
            self.site_url(),
            url::form_urlencoded::byte_serialize(user.email.as_bytes()).collect::<String>()
        );
        self.send_later(
            user.email,
            messages::verify_address(&self.site_name(), &link),
        );
        Ok(())
    }

    /// Marks an address confirmed with a mailed token.
    pub async fn verify_email(&self, token: &str) -> Result<()> {
        check_shape(token)?;
        let Some(stored) = self
            .store
            .take_email_token(&hash(token), VERIFY_EMAIL)
            .await?
        else {
            return Err(Error::invalid("token", INVALID_LINK));
        };
        let mut user = self.store.get_user(&stored.user_id).await?;
        if now_ms() - stored.create_at > TOKEN_LIFETIME_MS
            || user.email != stored.email
            || user.is_deleted()
        {
            return Err(Error::invalid("token", EXPIRED_LINK));
        }
        user.email_verified = true;
        user.update_at = now_ms();
        self.save_user(&user).await?;
        self.user_updated(&user);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_random_and_stored_hashed() {
        let a = new_token();
        let b = new_token();
        assert_eq!(a.len(), TOKEN_LENGTH);
        assert_ne!(a, b);
        assert!(check_shape(&a).is_ok());
        assert_eq!(hash(&a).len(), 64);
        assert_ne!(hash(&a), a);
        assert!(check_shape("short").is_err());
        assert!(check_shape(&"é".repeat(32)).is_err());
    }
}
