//! Channels, their members, and each member's read state.
//! Its SQL, for both dialects, is `sql.rs` beside this file.

use async_trait::async_trait;

use crate::error::Result;
use crate::model::*;

/// Channels, their members, and each member's read state.
#[async_trait]
pub trait ChannelStore: Send + Sync {
    /// Creates a channel with its first members.
    async fn create_channel(&self, channel: &Channel, members: &[ChannelMember]) -> Result<()>;

    async fn get_channel(&self, id: &str) -> Result<Channel>;

    async fn get_channel_by_name(&self, team_id: &str, name: &str) -> Result<Channel>;

    /// A channel and `user_id`'s membership of it (if any), in one read.
    async fn get_channel_with_member(
        &self,
        channel_id: &str,
        user_id: &str,
    ) -> Result<(Channel, Option<ChannelMember>)>;

    async fn update_channel(&self, channel: &Channel) -> Result<()>;

    /// A team's public channels plus the private ones `user_id` belongs to.
    async fn list_team_channels(&self, team_id: &str, user_id: &str) -> Result<Vec<Channel>>;

    /// Every channel the user belongs to, optionally only one team's (DMs and GMs always).
    async fn list_user_channels(
        &self,
        user_id: &str,
        team_id: Option<&str>,
    ) -> Result<Vec<Channel>>;

    /// Every channel (all types, archived ones too) ordered by id, after `after_id`.
    async fn list_all_channels(&self, after_id: Option<&str>, limit: i64) -> Result<Vec<Channel>>;

    /// Inserts or replaces a channel membership.
    async fn save_channel_member(&self, member: &ChannelMember) -> Result<()>;

    /// Writes a member's read state (last viewed, message and mention counts).
    async fn set_channel_read_state(&self, member: &ChannelMember) -> Result<()>;

    async fn get_channel_member(&self, channel_id: &str, user_id: &str) -> Result<ChannelMember>;

    async fn delete_channel_member(&self, channel_id: &str, user_id: &str) -> Result<()>;

    /// Members ordered by user id, after `after_user_id`.
    async fn list_channel_members(
        &self,
        channel_id: &str,
        after_user_id: Option<&str>,
        limit: i64,
    ) -> Result<Vec<ChannelMember>>;

    async fn count_channel_members(&self, channel_id: &str) -> Result<i64>;

    /// A channel's member count and its pinned live posts' count, in one read.
    async fn count_members_and_pinned(&self, channel_id: &str) -> Result<(i64, i64)>;

    /// The distinct timezone settings of a channel's active members.
    async fn channel_member_timezones(&self, channel_id: &str) -> Result<Vec<StringMap>>;

    /// The user's memberships of the channels of one team (and of DMs and GMs).
    async fn list_user_channel_members(
        &self,
        user_id: &str,
        team_id: Option<&str>,
    ) -> Result<Vec<ChannelMember>>;

    /// The channels (with their team, `""` for DMs and GMs) and teams a user belongs to.
    async fn list_memberships(&self, user_id: &str) -> Result<Memberships>;

    /// Marks the channel read for the user: counts caught up, mentions cleared.
    async fn view_channel(&self, channel_id: &str, user_id: &str, at: i64)
        -> Result<ChannelMember>;

    /// Counts one more mention for each of `user_ids` in the channel (and a root
    /// mention when the post is a root post).
    async fn add_mentions(&self, channel_id: &str, user_ids: &[String], root: bool) -> Result<()>;

    /// Unread state of each channel the user belongs to, optionally within one team.
    async fn list_unreads(
        &self,
        user_id: &str,
        team_id: Option<&str>,
    ) -> Result<Vec<ChannelUnread>>;
}
