//! Scheduled posts ("send later") and the lease that lets one node at a time
//! post a due one. Its SQL, for both dialects, is `sql.rs` beside this file.

use async_trait::async_trait;

use crate::error::Result;
use crate::model::*;

/// Scheduled posts ("send later") and the lease that lets one node at a time post a due one.
#[async_trait]
pub trait ScheduledPostStore: Send + Sync {
    async fn create_scheduled_post(&self, post: &ScheduledPost) -> Result<()>;

    /// One scheduled post, or `scheduled post` not found.
    async fn get_scheduled_post(&self, id: &str) -> Result<ScheduledPost>;

    /// A user's scheduled posts in the channels of a team, or, for team
    /// `""`, in their direct and group channels; soonest first. Failed ones
    /// are included: their author decides what becomes of them.
    async fn list_user_scheduled_posts(
        &self,
        user_id: &str,
        team_id: &str,
    ) -> Result<Vec<ScheduledPost>>;

    /// Writes what an author may change (message, props, files, priority,
    /// time) and the sending state (`update_at`, `processed_at`,
    /// `error_code`); `scheduled post` not found when it is gone.
    async fn update_scheduled_post(&self, post: &ScheduledPost) -> Result<()>;

    /// Removes a scheduled post; `false` when it was already gone.
    async fn delete_scheduled_post(&self, id: &str) -> Result<bool>;

    /// Leases up to `limit` due posts (time reached, not failed, no live
    /// lease) to the caller until `lease_until`, soonest first: two callers
    /// never get the same post while its lease runs.
    async fn claim_due_scheduled_posts(
        &self,
        now: i64,
        lease_until: i64,
        limit: i64,
    ) -> Result<Vec<ScheduledPost>>;

    /// Records why a post could not be sent and releases its lease; returns
    /// the post as stored now, or `None` when it was deleted meanwhile.
    async fn fail_scheduled_post(
        &self,
        id: &str,
        error_code: &str,
        at: i64,
    ) -> Result<Option<ScheduledPost>>;
}
