use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// An incoming webhook: whoever knows its id can post into its channel, as its creator.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct IncomingWebhook {
    pub id: String,
    pub create_at: i64,
    pub update_at: i64,
    pub delete_at: i64,
    /// The creator; posts appear as this user.
    pub user_id: String,
    pub channel_id: String,
    pub team_id: String,
    pub display_name: String,
    pub description: String,
    /// Default name shown on posts instead of the creator's.
    pub username: String,
    /// Default picture shown on posts.
    pub icon_url: String,
    /// Whether a payload may not redirect the post to another channel.
    pub channel_locked: bool,
}
