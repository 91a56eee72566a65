//! Per-user settings: preferences (flags among them), sidebars and statuses.
//! Its SQL, for both dialects, is `sql.rs` beside this file.

use async_trait::async_trait;

use crate::error::Result;
use crate::model::*;

/// Per-user settings: preferences (flags among them), sidebars and statuses.
#[async_trait]
pub trait PreferenceStore: Send + Sync {
    async fn save_preferences(&self, preferences: &[Preference]) -> Result<()>;

    async fn delete_preferences(&self, user_id: &str, keys: &[(String, String)]) -> Result<()>;

    async fn list_preferences(&self, user_id: &str) -> Result<Vec<Preference>>;

    /// Who flagged which of `post_ids`: (post id, user id) pairs.
    async fn list_post_flaggers(&self, post_ids: &[String]) -> Result<Vec<(String, String)>>;

    /// A user's stored sidebar document for a team, if any.
    async fn get_sidebar(&self, user_id: &str, team_id: &str) -> Result<Option<String>>;

    async fn save_sidebar(&self, user_id: &str, team_id: &str, doc: &str) -> Result<()>;

    async fn save_status(&self, status: &Status) -> Result<()>;

    async fn get_status(&self, user_id: &str) -> Result<Option<Status>>;

    /// The stored statuses of some users (those that have one; in no
    /// particular order). At most a few hundred ids per call.
    async fn get_statuses(&self, user_ids: &[String]) -> Result<Vec<Status>>;

    /// Statuses in do-not-disturb whose end time (seconds) has passed.
    async fn list_expired_dnd(&self, now_seconds: i64) -> Result<Vec<Status>>;
}
