use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::StringMap;

/// A conversation: public (`O`), private (`P`), direct (`D`) or group (`G`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Channel {
    pub id: String,
    pub create_at: i64,
    pub update_at: i64,
    /// Set when archived; 0 while live.
    pub delete_at: i64,
    /// Empty for direct and group channels.
    pub team_id: String,
    /// `O`, `P`, `D` or `G`.
    #[serde(rename = "type")]
    pub channel_type: String,
    pub display_name: String,
    /// Unique within the team. A DM's name is the two user ids sorted and joined by `__`.
    pub name: String,
    pub header: String,
    pub purpose: String,
    pub last_post_at: i64,
    pub last_root_post_at: i64,
    pub total_msg_count: i64,
    pub total_msg_count_root: i64,
    pub creator_id: String,
    #[schema(value_type = Object)]
    pub props: serde_json::Value,
    pub extra_update_at: i64,
    pub group_constrained: bool,
    pub shared: bool,
}

/// The channel types.
pub mod channel_types {
    /// Public channel.
    pub const OPEN: &str = "O";
    /// Private channel.
    pub const PRIVATE: &str = "P";
    /// Direct message between two users.
    pub const DIRECT: &str = "D";
    /// Group message among three to eight users.
    pub const GROUP: &str = "G";
}

impl Channel {
    /// Whether this is a DM or GM (no team, no admins).
    pub fn is_direct_or_group(&self) -> bool {
        self.channel_type == channel_types::DIRECT || self.channel_type == channel_types::GROUP
    }
}

/// A user's membership in a channel, with the read state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ChannelMember {
    pub channel_id: String,
    pub user_id: String,
    /// Space-separated: `channel_user`, optionally `channel_admin`.
    pub roles: String,
    pub last_viewed_at: i64,
    /// The channel's `total_msg_count` when the member last read it.
    pub msg_count: i64,
    pub mention_count: i64,
    pub mention_count_root: i64,
    pub urgent_mention_count: i64,
    pub msg_count_root: i64,
    pub notify_props: StringMap,
    pub last_update_at: i64,
}

/// Mattermost's default per-channel notification settings.
pub fn default_channel_notify_props() -> StringMap {
    [
        ("desktop", "default"),
        ("push", "default"),
        ("email", "default"),
        ("mark_unread", "all"),
        ("ignore_channel_mentions", "default"),
        ("channel_auto_follow_threads", "off"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

/// The name of the DM between two users: their ids sorted and joined by `__`.
pub fn direct_channel_name(a: &str, b: &str) -> String {
    if a <= b {
        format!("{a}__{b}")
    } else {
        format!("{b}__{a}")
    }
}

/// The unread state of one channel for one user.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ChannelUnread {
    pub channel_id: String,
    pub team_id: String,
    /// Messages posted since the user last read the channel.
    pub msg_count: i64,
    pub mention_count: i64,
    pub msg_count_root: i64,
    pub mention_count_root: i64,
    pub last_viewed_at: i64,
}
