//! What notifications read and queue: who a post may notify, phone badges, the push queue, and mailed tokens and digests.
//! Its SQL, for both dialects, is `sql.rs` beside this file.

use async_trait::async_trait;

use crate::error::Result;
use crate::model::*;

/// What notifications read and queue: who a post may notify, phone badges, the push queue, and mailed tokens and digests.
#[async_trait]
pub trait NotifyStore: Send + Sync {
    /// The members of a channel (active accounts) with their notify settings.
    async fn list_channel_recipients(&self, channel_id: &str) -> Result<Vec<ChannelRecipient>>;

    /// A counter that moves whenever `list_channel_recipients` of the
    /// channel would answer differently (kept by the database's triggers);
    /// 0 for a channel whose members never changed.
    async fn channel_recipients_version(&self, channel_id: &str) -> Result<i64>;

    /// The status and last view of some members of a channel (those still
    /// members; in no particular order).
    async fn recipient_presence(
        &self,
        channel_id: &str,
        user_ids: &[String],
    ) -> Result<Vec<RecipientPresence>>;

    /// The members of a channel whose status is `online`.
    async fn online_channel_members(&self, channel_id: &str) -> Result<Vec<String>>;

    /// The badge a user's phone shows: unread messages in direct channels
    /// plus mentions elsewhere.
    async fn badge_count(&self, user_id: &str) -> Result<i64>;

    async fn enqueue_pushes(&self, jobs: &[PushJob]) -> Result<()>;

    /// Leases up to `limit` due jobs to the caller until `lease_until`.
    async fn claim_pushes(&self, now: i64, lease_until: i64, limit: i64) -> Result<Vec<PushJob>>;

    async fn finish_push(&self, id: &str) -> Result<()>;

    /// The queue as it stands, oldest first (for diagnostics).
    async fn list_push_jobs(&self, limit: i64) -> Result<Vec<PushJob>>;

    /// Pushes queued and mention-digest entries waiting (for the metrics).
    async fn queue_depths(&self) -> Result<(i64, i64)>;

    /// Puts a job back for another attempt at `next_attempt_at`.
    async fn retry_push(&self, id: &str, attempts: i64, next_attempt_at: i64) -> Result<()>;

    /// Saves a token, replacing the user's earlier ones of its kind.
    async fn save_email_token(&self, token: &EmailToken) -> Result<()>;

    /// When the user's current token of a kind was issued, if there is one.
    async fn email_token_issued_at(&self, user_id: &str, kind: &str) -> Result<Option<i64>>;

    /// Removes and returns a token of a kind: a token works once.
    async fn take_email_token(&self, token_hash: &str, kind: &str) -> Result<Option<EmailToken>>;

    /// Adds tokens (invitations: many per sender), first dropping the
    /// tokens of their kinds created before `purge_before`, which have expired.
    async fn add_email_tokens(&self, tokens: &[EmailToken], purge_before: i64) -> Result<()>;

    /// A token of a kind, left in place.
    async fn get_email_token(&self, token_hash: &str, kind: &str) -> Result<Option<EmailToken>>;

    /// Removes a token, if it is there.
    async fn delete_email_token(&self, token_hash: &str) -> Result<()>;

    /// Removes every token of a kind; returns how many there were.
    async fn delete_email_tokens_of_kind(&self, kind: &str) -> Result<u64>;

    async fn queue_digest(&self, entries: &[DigestEntry]) -> Result<()>;

    /// Users with a digest entry older than `before`.
    async fn list_digest_users(&self, before: i64, limit: i64) -> Result<Vec<String>>;

    /// Removes and returns a user's digest entries, oldest first.
    async fn take_digest(&self, user_id: &str) -> Result<Vec<DigestEntry>>;
}
