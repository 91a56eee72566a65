//! Personal access tokens: long-lived bearer tokens for scripts and bots.
//! Only system admins create them (for anyone, bots included), as on a
//! default Mattermost install.

use super::auth::hash_token;
use super::{validate, Actor, Core};
use crate::error::{Error, Result};
use crate::id::new_id;
use crate::model::*;
use crate::time::now_ms;

/// The never-expiring session that authenticates a token.
fn token_session(token: &UserAccessToken, user: &User) -> Session {
    Session {
        id: new_id(),
        token_hash: token.token_hash.clone(),
        user_id: token.user_id.clone(),
        create_at: now_ms(),
        expires_at: 0,
        last_activity_at: 0,
        device_id: String::new(),
        roles: user.roles.clone(),
        props: [
            ("type".to_string(), "UserAccessToken".to_string()),
            ("user_access_token_id".to_string(), token.id.clone()),
            ("csrf".to_string(), new_id()),
        ]
        .into_iter()
        .collect(),
    }
}

/// Everyone's tokens are for system admins.
fn require_token_admin(actor: &Actor) -> Result<()> {
    if actor.is_admin() {
        Ok(())
    } else {
        Err(Error::forbidden(
            "only a system admin can see every user's access tokens",
        ))
    }
}

impl Core {
    /// Creates a token for `user_id`; returns the token (shown only now) and its record.
    pub async fn create_access_token(
        &self,
        actor: &Actor,
        user_id: &str,
        description: &str,
    ) -> Result<(String, UserAccessToken)> {
        validate::id("user_id", user_id)?;
        if !actor.is_admin() {
            return Err(Error::forbidden(
                "only a system admin can create access tokens",
            ));
        }
        validate::length("description", description.trim(), 1, 255)?;
        let user = self.store.get_user(user_id).await?;
        if user.is_deleted() {
            return Err(Error::invalid("user_id", "the user is deactivated"));
        }
        let token = new_id();
        let record = UserAccessToken {
            id: new_id(),
            token_hash: hash_token(&token),
            user_id: user.id.clone(),
            description: description.trim().to_string(),
            is_active: true,
            create_at: now_ms(),
        };
        self.store
            .create_access_token(&record, &token_session(&record, &user))
            .await?;
        Ok((token, record))
    }

    /// A user's tokens: one's own, or anyone's for an admin.
    pub async fn list_access_tokens(
        &self,
        actor: &Actor,
        user_id: &str,
    ) -> Result<Vec<UserAccessToken>> {
        validate::id("user_id", user_id)?;
        if !actor.is_self_or_admin(user_id) {
            return Err(Error::forbidden("you may only list your own access tokens"));
        }
        self.store.list_access_tokens(user_id).await
    }

    /// Every user's tokens, a page at a time: for system admins.
    pub async fn list_all_access_tokens(
        &self,
        actor: &Actor,
        offset: i64,
        limit: i64,
    ) -> Result<Vec<UserAccessToken>> {
        require_token_admin(actor)?;
        self.store.list_all_access_tokens(offset, limit).await
    }

    /// The tokens with this id, of this user id or of the user with this
    /// username (exact matches): for system admins.
    pub async fn search_access_tokens(
        &self,
        actor: &Actor,
        term: &str,
    ) -> Result<Vec<UserAccessToken>> {
        require_token_admin(actor)?;
        let term = term.trim().to_lowercase();
        if term.is_empty() {
            return Err(Error::invalid("term", "must not be empty"));
        }
        validate::length("term", &term, 1, 64)?;
        self.store.search_access_tokens(&term).await
    }

    /// One token, for its user or an admin.
    pub async fn get_access_token(&self, actor: &Actor, token_id: &str) -> Result<UserAccessToken> {
        validate::id("token_id", token_id)?;
        let token = self.store.get_access_token(token_id).await?;
        if !actor.is_self_or_admin(&token.user_id) {
            return Err(Error::forbidden("this access token is not yours"));
        }
        Ok(token)
    }

    /// Recreates the session of an active token for an active user.
    pub(crate) async fn restore_token_session(&self, token: &UserAccessToken) -> Result<()> {
        let user = self.store.get_user(&token.user_id).await?;
        if user.is_deleted() {
            return Ok(());
        }
        match self
            .store
            .create_session(&token_session(token, &user))
            .await
        {
            // Two requests raced to restore it; either session serves.
            Ok(()) | Err(Error::Conflict { .. }) => Ok(()),
            Err(e) => Err(e),
        }
    }

    /// Revokes a token for good; sockets it opened close at once.
    pub async fn revoke_access_token(&self, actor: &Actor, token_id: &str) -> Result<()> {
        let token = self.get_access_token(actor, token_id).await?;
        let session = self.token_session_id(&token).await?;
        self.store.delete_access_token(&token.id).await?;
        self.sessions.forget_user(&token.user_id);
        if let Some(session_id) = session {
            self.session_ended(&token.user_id, &session_id);
        }
        Ok(())
    }

    /// The id of the session a token signs in with, if it has one now.
    async fn token_session_id(&self, token: &UserAccessToken) -> Result<Option<String>> {
        match self.store.get_session_with_user(&token.token_hash).await {
            Ok((session, _)) => Ok(Some(session.id)),
            Err(Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Disables or re-enables a token.
    pub async fn set_access_token_active(
        &self,
        actor: &Actor,
        token_id: &str,
        active: bool,
    ) -> Result<()> {
        let token = self.get_access_token(actor, token_id).await?;
        let user = self.store.get_user(&token.user_id).await?;
        let old = self.token_session_id(&token).await?;
        let session = token_session(&token, &user);
        self.store
            .set_access_token_active(&token.id, active, Some(&session))
            .await?;
        self.sessions.forget_user(&token.user_id);
        // A disabled token's sockets close; so do those of the session a
        // re-enabled token replaced.
        if let Some(session_id) = old {
            self.session_ended(&token.user_id, &session_id);
        }
        Ok(())
    }
}
