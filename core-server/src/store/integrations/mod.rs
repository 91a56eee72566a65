//! What integrations act through: personal access tokens, bots and incoming webhooks.
//! Its SQL, for both dialects, is `sql.rs` beside this file.

use async_trait::async_trait;

use crate::error::Result;
use crate::model::*;

/// What integrations act through: personal access tokens, bots and incoming webhooks.
#[async_trait]
pub trait IntegrationStore: Send + Sync {
    /// Saves a token together with the never-expiring session that authenticates it.
    async fn create_access_token(&self, token: &UserAccessToken, session: &Session) -> Result<()>;

    async fn get_access_token(&self, id: &str) -> Result<UserAccessToken>;

    /// The token with this hash, if any.
    async fn get_access_token_by_hash(&self, token_hash: &str) -> Result<Option<UserAccessToken>>;

    /// A user's tokens, newest first.
    async fn list_access_tokens(&self, user_id: &str) -> Result<Vec<UserAccessToken>>;

    /// Every user's tokens, a page at a time, ordered by id.
    async fn list_all_access_tokens(&self, offset: i64, limit: i64)
        -> Result<Vec<UserAccessToken>>;

    /// The tokens whose id, user id or user's username is exactly `term`.
    async fn search_access_tokens(&self, term: &str) -> Result<Vec<UserAccessToken>>;

    /// Activates (recreating `session`) or deactivates (dropping its session) a token.
    async fn set_access_token_active(
        &self,
        id: &str,
        active: bool,
        session: Option<&Session>,
    ) -> Result<()>;

    /// Deletes a token and its session.
    async fn delete_access_token(&self, id: &str) -> Result<()>;

    /// Creates a bot: its user row and its bot row.
    async fn create_bot(&self, user: &User, bot: &Bot) -> Result<()>;

    async fn get_bot(&self, user_id: &str) -> Result<Bot>;

    /// Turns an existing account into a bot (given its bot row) or a bot
    /// back into a person (`None`), its user row and bot row together.
    async fn set_account_kind(&self, user_id: &str, bot: Option<&Bot>, at: i64) -> Result<()>;

    /// Bots ordered by username; `owner_id` limits to one owner's.
    async fn list_bots(
        &self,
        owner_id: Option<&str>,
        include_deleted: bool,
        offset: i64,
        limit: i64,
    ) -> Result<Vec<Bot>>;

    /// Writes a bot's own fields (display name, description, owner, times).
    async fn update_bot(&self, bot: &Bot) -> Result<()>;

    async fn create_incoming_webhook(&self, hook: &IncomingWebhook) -> Result<()>;

    async fn get_incoming_webhook(&self, id: &str) -> Result<IncomingWebhook>;

    /// Live hooks, optionally of one team, ordered by creation.
    async fn list_incoming_webhooks(
        &self,
        team_id: Option<&str>,
        offset: i64,
        limit: i64,
    ) -> Result<Vec<IncomingWebhook>>;

    /// Writes every field of the hook.
    async fn update_incoming_webhook(&self, hook: &IncomingWebhook) -> Result<()>;
}
