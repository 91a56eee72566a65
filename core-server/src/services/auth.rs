//! Authentication: Argon2id passwords, opaque session tokens stored as their
//! SHA-256, login and logout.

use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;
use sha2::{Digest, Sha256};

use super::Core;
use crate::error::{Error, Result};
use crate::id::new_id;
use crate::model::*;
use crate::time::now_ms;

/// Longest accepted password, to bound hashing work.
pub const MAX_PASSWORD_LEN: usize = 256;

/// The caller of a service method: a valid session and its user.
#[derive(Debug, Clone)]
pub struct Actor {
    pub user: User,
    pub session: Session,
}

impl Actor {
    /// The caller's user id.
    pub fn id(&self) -> &str {
        &self.user.id
    }

    /// Whether the caller is a system administrator.
    pub fn is_admin(&self) -> bool {
        self.user.is_system_admin()
    }

    /// Whether the caller is `user_id` or an administrator.
    pub fn is_self_or_admin(&self, user_id: &str) -> bool {
        self.user.id == user_id || self.is_admin()
    }

    /// `user` acting without a session of theirs, with their own rights:
    /// the server doing something on their behalf (a webhook they made, a
    /// post they scheduled, the system bot).
    pub fn on_behalf_of(user: User) -> Actor {
        Actor {
            session: Session {
                id: String::new(),
                token_hash: String::new(),
                user_id: user.id.clone(),
                create_at: 0,
                expires_at: 0,
                last_activity_at: 0,
                device_id: String::new(),
                roles: user.roles.clone(),
                props: StringMap::new(),
            },
            user,
        }
    }
}

/// What a successful login returns.
#[derive(Debug, Clone)]
pub struct LoginResult {
    /// The bearer token; shown once, stored only as a hash.
    pub token: String,
    pub session: Session,
    pub user: User,
}

/// Hex SHA-256 of a token, the form in which tokens are stored and looked up.
pub fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Hashes a password with Argon2id on the password threads.
pub async fn hash_password(password: &str) -> Result<String> {
    let password = password.to_owned();
    super::password_threads::run(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| Error::Internal(format!("password hashing failed: {e}")))
    })
    .await?
}

/// Verifies `password` against a throwaway hash: what refusing an unknown
/// account costs, so that it costs as much as refusing a known one.
async fn spend_a_verification(password: &str) -> Result<()> {
    static DUMMY: tokio::sync::OnceCell<String> = tokio::sync::OnceCell::const_new();
    let hash = DUMMY
        .get_or_try_init(|| hash_password("not anyone's password"))
        .await?;
    verify_password(password, hash).await.map(|_| ())
}

/// Checks a password against a stored hash on the password threads.
pub async fn verify_password(password: &str, hash: &str) -> Result<bool> {
    let password = password.to_owned();
    let hash = hash.to_owned();
    super::password_threads::run(move || {
        let parsed = PasswordHash::new(&hash)
            .map_err(|e| Error::Internal(format!("stored password hash is malformed: {e}")))?;
        Ok(Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok())
    })
    .await?
}

impl Core {
    /// Checks a new password against the policy.
    pub fn check_password_policy(&self, password: &str) -> Result<()> {
        let chars = password.chars().count();
        let min = self.config().password_min_length;
        if chars < min {
            return Err(Error::invalid(
                "password",
                format!("must be at least {min} characters"),
            ));
        }
        if password.len() > MAX_PASSWORD_LEN {
            return Err(Error::invalid(
                "password",
                format!("must be at most {MAX_PASSWORD_LEN} bytes"),
            ));
        }
        if password.trim().is_empty() {
            return Err(Error::invalid("password", "must not be blank"));
        }
        Ok(())
    }

    /// Logs in by username or e-mail (case-insensitive) and password.
    pub async fn login(
        &self,
        login_id: &str,
        password: &str,
        device_id: &str,
    ) -> Result<LoginResult> {
        self.login_from("local", login_id, password, device_id)
            .await
    }

    /// [`Core::login`] from a client address, whose failed logins are
    /// limited (`login_failures_per_minute`). An account is locked after
    /// `maximum_login_attempts` failures in a row, its correct password
    /// refused too, until the password is reset. Unknown accounts take as
    /// long to refuse as known ones, so timing tells nothing.
    pub async fn login_from(
        &self,
        client: &str,
        login_id: &str,
        password: &str,
        device_id: &str,
    ) -> Result<LoginResult> {
        let checked = self.check_password(client, login_id, password).await;
        // A malformed request is not a login attempt.
        if !matches!(checked, Err(Error::Invalid { .. })) {
            crate::metrics::login(checked.is_ok());
        }
        self.create_session(checked?, device_id).await
    }

    /// The account whose password this is, with every rule of a password
    /// login applied (limits, lock-out, deactivation, bots, accounts of an
    /// identity provider); opens no session.
    pub(crate) async fn check_password(
        &self,
        client: &str,
        login_id: &str,
        password: &str,
    ) -> Result<User> {
        let bad = || Error::Unauthorized("invalid login or password".into());
        let login = login_id.trim().to_lowercase();
        if login.is_empty() {
            return Err(Error::invalid("login_id", "must not be empty"));
        }
        if !self.login_failures.has_room(client) {
            return Err(Error::RateLimited);
        }
        if password.len() > MAX_PASSWORD_LEN {
            self.login_failures.check(client);
            return Err(bad());
        }
        let found = if login.contains('@') {
            self.store.get_user_by_email(&login).await
        } else {
            self.store.get_user_by_username(&login).await
        };
        let user = match found {
            Ok(user) => user,
            Err(Error::NotFound { .. }) => {
                spend_a_verification(password).await?;
                self.login_failures.check(client);
                return Err(bad());
            }
            Err(e) => return Err(e),
        };
        let max_attempts = i64::from(self.config().maximum_login_attempts);
        let failed_before = self.store.failed_logins(&user.id).await?;
        if max_attempts > 0 && failed_before >= max_attempts {
            return Err(Error::LockedOut);
        }
        let verified = match self.store.get_password_hash(&user.id).await? {
            Some(hash) => verify_password(password, &hash).await?,
            None => {
                spend_a_verification(password).await?;
                false
            }
        };
        if !verified {
            self.login_failures.check(client);
            let failed = self.store.count_failed_login(&user.id).await?;
            if max_attempts > 0 && failed >= max_attempts {
                tracing::warn!(user_id = %user.id, "account locked after too many failed logins");
            }
            return Err(bad());
        }
        // Most logins have nothing to clear: no turn at the writer for them.
        if failed_before > 0 {
            self.store.clear_failed_logins(&user.id).await?;
        }
        if user.is_deleted() {
            return Err(Error::Unauthorized("this account is deactivated".into()));
        }
        if user.is_bot {
            return Err(Error::Unauthorized(
                "bots cannot log in with a password".into(),
            ));
        }
        if !user.auth_service.is_empty() {
            return Err(Error::Unauthorized(format!(
                "this account signs in with {}, not a password",
                user.auth_service
            )));
        }
        Ok(user)
    }

    /// Lets an account locked by failed logins try its password again
    /// (system admins only; accounts of an identity provider have none).
    pub async fn reset_failed_logins(&self, actor: &Actor, user_id: &str) -> Result<()> {
        super::validate::id("user_id", user_id)?;
        if !actor.is_admin() {
            return Err(Error::forbidden(
                "only system admins reset failed login attempts",
            ));
        }
        let user = self.store.get_user(user_id).await?;
        if !user.auth_service.is_empty() {
            return Err(Error::invalid(
                "user_id",
                "signs in through an identity provider, not a password",
            ));
        }
        self.store.clear_failed_logins(user_id).await
    }

    /// Opens a session for a user whose credentials were already checked.
    pub async fn create_session(&self, user: User, device_id: &str) -> Result<LoginResult> {
        self.create_session_with(user, device_id, StringMap::new())
            .await
    }

    /// [`Core::create_session`] with extra session props.
    pub(crate) async fn create_session_with(
        &self,
        user: User,
        device_id: &str,
        mut props: StringMap,
    ) -> Result<LoginResult> {
        let now = now_ms();
        let token = new_id();
        let length_ms = i64::try_from(self.config().session_length_hours)
            .unwrap_or(i64::MAX / 3_600_000)
            .saturating_mul(3_600_000);
        if !device_id.is_empty() {
            // A device keeps one session: logging in again replaces the old one.
            for old in self.store.list_sessions(&user.id).await? {
                if old.device_id == device_id {
                    self.store.delete_session(&old.id).await?;
                }
            }
            self.sessions.forget_user(&user.id);
        }
        let session = Session {
            id: new_id(),
            token_hash: hash_token(&token),
            user_id: user.id.clone(),
            create_at: now,
            expires_at: now.saturating_add(length_ms),
            last_activity_at: now,
            device_id: device_id.to_string(),
            roles: user.roles.clone(),
            props: {
                props.insert("csrf".to_string(), new_id());
                props
            },
        };
        self.store.create_session(&session).await?;
        Ok(LoginResult {
            token,
            session,
            user,
        })
    }

    /// Resolves a bearer token to its actor, or `Unauthorized`.
    pub async fn authenticate(&self, token: &str) -> Result<Actor> {
        let expired =
            || Error::Unauthorized("invalid or expired session, please log in again".into());
        if token.is_empty() || token.len() > 128 {
            return Err(expired());
        }
        let hash = hash_token(token);
        let (session, user) = match self.cached_session(&hash).await {
            Ok(found) => found,
            // An active access token whose session was dropped (its user was
            // deactivated and came back) gets a new session, as on Mattermost.
            Err(Error::NotFound { .. }) => {
                match self.store.get_access_token_by_hash(&hash).await? {
                    Some(t) if t.is_active => {
                        self.restore_token_session(&t).await?;
                        match self.store.get_session_with_user(&hash).await {
                            Ok(found) => found,
                            Err(Error::NotFound { .. }) => return Err(expired()),
                            Err(e) => return Err(e),
                        }
                    }
                    _ => return Err(expired()),
                }
            }
            Err(e) => return Err(e),
        };
        if session.expires_at != 0 && session.expires_at < now_ms() {
            self.sessions.forget_user(&user.id);
            self.store.delete_session(&session.id).await?;
            return Err(expired());
        }
        if user.is_deleted() {
            return Err(expired());
        }
        Ok(Actor { user, session })
    }

    /// Saves a changed account. Its cached sessions go at once, so this
    /// node's next request sees the change even before its event is out.
    pub(crate) async fn save_user(&self, user: &User) -> Result<()> {
        self.store.update_user(user).await?;
        self.sessions.forget_user(&user.id);
        Ok(())
    }

    /// The session and user of a token hash: from the cache when read a
    /// moment ago, else from the store (and then cached).
    async fn cached_session(&self, hash: &str) -> Result<(Session, User)> {
        if let Some(found) = self.sessions.get(hash) {
            return Ok(found);
        }
        let generation = self.sessions.generation();
        let (session, user) = self.store.get_session_with_user(hash).await?;
        self.sessions.put(hash, &session, &user, generation);
        Ok((session, user))
    }

    /// Attaches a push device to the caller's session; other sessions of the
    /// same device are revoked, as a device belongs to one login.
    pub async fn attach_device(&self, actor: &Actor, device_id: &str) -> Result<()> {
        crate::services::validate::length("device_id", device_id, 1, 512)?;
        for other in self.store.list_sessions(actor.id()).await? {
            if other.device_id == device_id && other.id != actor.session.id {
                self.store.delete_session(&other.id).await?;
            }
        }
        self.store
            .set_session_device(&actor.session.id, device_id)
            .await?;
        self.sessions.forget_user(actor.id());
        Ok(())
    }

    /// Revokes the caller's session.
    pub async fn logout(&self, actor: &Actor) -> Result<()> {
        self.store.delete_session(&actor.session.id).await?;
        self.session_ended(actor.id(), &actor.session.id);
        Ok(())
    }

    /// Ends a user's sessions, all of them or all but `keep`, and closes
    /// their sockets on every node.
    pub(crate) async fn end_sessions(&self, user_id: &str, keep: Option<&str>) -> Result<()> {
        for session in self.store.list_sessions(user_id).await? {
            if keep == Some(session.id.as_str()) {
                continue;
            }
            self.store.delete_session(&session.id).await?;
            self.session_ended(user_id, &session.id);
        }
        Ok(())
    }

    /// Closes the sockets of an ended session, on every node.
    pub(crate) fn session_ended(&self, user_id: &str, session_id: &str) {
        // Publishing drops the user's cached sessions here at once (the bus
        // shows the event to the cache before anything else).
        self.events.publish(
            crate::events::EventKind::SessionRevoked {
                user_id: user_id.to_string(),
                session_id: session_id.to_string(),
            },
            crate::events::Audience::User(user_id.to_string()),
        );
    }

    /// The caller's (or, for an admin, anyone's) sessions.
    pub async fn list_sessions(&self, actor: &Actor, user_id: &str) -> Result<Vec<Session>> {
        if !actor.is_self_or_admin(user_id) {
            return Err(Error::forbidden("you may only list your own sessions"));
        }
        self.store.list_sessions(user_id).await
    }

    /// Signs a user out everywhere: one's own sessions (the calling one
    /// included), or anyone's for an admin. Access tokens stay valid and
    /// open a new session when next used.
    pub async fn revoke_user_sessions(&self, actor: &Actor, user_id: &str) -> Result<()> {
        crate::services::validate::id("user_id", user_id)?;
        if !actor.is_self_or_admin(user_id) {
            return Err(Error::forbidden("you may only revoke your own sessions"));
        }
        self.end_sessions(user_id, None).await
    }

    /// Signs everyone out, the calling admin included: every session ends
    /// and its sockets close, on every node.
    pub async fn revoke_all_sessions(&self, actor: &Actor) -> Result<()> {
        if !actor.is_admin() {
            return Err(Error::forbidden(
                "only a system admin can revoke everyone's sessions",
            ));
        }
        let ended = self.store.delete_all_sessions().await?;
        self.sessions.forget_all();
        for (user_id, session_id) in ended {
            self.session_ended(&user_id, &session_id);
        }
        Ok(())
    }

    /// Revokes one of the caller's sessions (or anyone's, for an admin).
    pub async fn revoke_session(
        &self,
        actor: &Actor,
        user_id: &str,
        session_id: &str,
    ) -> Result<()> {
        if !actor.is_self_or_admin(user_id) {
            return Err(Error::forbidden("you may only revoke your own sessions"));
        }
        let sessions = self.store.list_sessions(user_id).await?;
        if !sessions.iter().any(|s| s.id == session_id) {
            return Err(Error::not_found("session"));
        }
        self.store.delete_session(session_id).await?;
        self.session_ended(user_id, session_id);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn passwords_hash_with_argon2id_and_verify() {
        let hash = hash_password("correct horse").await.expect("hash");
        assert!(hash.starts_with("$argon2id$"), "{hash}");
        assert!(verify_password("correct horse", &hash)
            .await
            .expect("verify"));
        assert!(!verify_password("wrong horse", &hash).await.expect("verify"));
    }

    #[test]
    fn token_hash_is_stable_hex_sha256() {
        assert_eq!(hash_token("abc").len(), 64);
        assert_eq!(hash_token("abc"), hash_token("abc"));
        assert_ne!(hash_token("abc"), hash_token("abd"));
    }
}
