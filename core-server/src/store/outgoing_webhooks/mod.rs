//! Outgoing webhooks: kept per team (bound to one channel or to the whole
//! team), listed for those who manage them, and found for a new post.
//! Its SQL, for both dialects, is `sql.rs` beside this file.

use async_trait::async_trait;

use crate::error::Result;
use crate::model::*;

/// Which live outgoing webhooks a listing returns; `None` matches any.
#[derive(Debug, Clone, Copy, Default)]
pub struct OutgoingHookFilter<'a> {
    pub team_id: Option<&'a str>,
    /// The hook's channel, exactly: `Some("")` is the team-wide hooks only.
    pub channel_id: Option<&'a str>,
    pub creator_id: Option<&'a str>,
}

/// Outgoing webhooks.
#[async_trait]
pub trait OutgoingWebhookStore: Send + Sync {
    async fn create_outgoing_webhook(&self, hook: &OutgoingWebhook) -> Result<()>;

    /// A live hook, or `outgoing webhook` not found (deleted ones too).
    async fn get_outgoing_webhook(&self, id: &str) -> Result<OutgoingWebhook>;

    /// Live hooks matching `filter`, oldest first, a page at a time.
    async fn list_outgoing_webhooks(
        &self,
        filter: OutgoingHookFilter<'_>,
        offset: i64,
        limit: i64,
    ) -> Result<Vec<OutgoingWebhook>>;

    /// The live hooks a post in `channel_id` of `team_id` may fire: those
    /// bound to that channel and the team-wide ones, oldest first.
    async fn outgoing_webhooks_for_channel(
        &self,
        team_id: &str,
        channel_id: &str,
    ) -> Result<Vec<OutgoingWebhook>>;

    /// Writes every field but the id, the team and the creation time (a
    /// deletion is a write of `delete_at`); `outgoing webhook` not found
    /// when the row is gone.
    async fn update_outgoing_webhook(&self, hook: &OutgoingWebhook) -> Result<()>;
}
