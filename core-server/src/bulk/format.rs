//! The lines of Mattermost's bulk export format (`import.jsonl`, version 1):
//! one JSON object per line, `{"type": T, "<T>": {...}}`. Every field is
//! optional at this level (exports write `null` for empty ones); the
//! validator decides what a line must have.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// One line of the file.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct Line {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub info: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team: Option<TeamLine>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<ChannelLine>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<UserLine>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bot: Option<BotLine>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub post: Option<PostLine>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub direct_channel: Option<DirectChannelLine>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub direct_post: Option<DirectPostLine>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub emoji: Option<EmojiLine>,
    /// Roles and schemes are accepted and counted, not imported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheme: Option<Value>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct TeamLine {
    pub name: Option<String>,
    pub display_name: Option<String>,
    #[serde(rename = "type")]
    pub team_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allow_open_invite: Option<bool>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct ChannelLine {
    pub team: Option<String>,
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    #[serde(rename = "type")]
    pub channel_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub header: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purpose: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deleted_at: Option<i64>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct UserLine {
    pub username: Option<String>,
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth_service: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth_data: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nickname: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub roles: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delete_at: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notify_props: Option<UserNotifyProps>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub teams: Option<Vec<UserTeam>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub theme: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_interval: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct UserNotifyProps {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub desktop: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub desktop_sound: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mobile: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mobile_push_status: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comments: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mention_keys: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct UserTeam {
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub roles: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub theme: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channels: Option<Vec<UserChannel>>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct UserChannel {
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub roles: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notify_props: Option<ChannelNotifyProps>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub favorite: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub msg_count: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mention_count: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_viewed_at: Option<i64>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct ChannelNotifyProps {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub desktop: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mobile: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mark_unread: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct BotLine {
    pub username: Option<String>,
    pub owner: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delete_at: Option<i64>,
}

/// A channel post, or (without team and channel) a reply inside one.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct PostLine {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
    pub user: Option<String>,
    pub message: Option<String>,
    pub create_at: Option<i64>,
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub post_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edit_at: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub props: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_pinned: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flagged_by: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reactions: Option<Vec<ReactionLine>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replies: Option<Vec<PostLine>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attachments: Option<Vec<AttachmentLine>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thread_followers: Option<Vec<ThreadFollowerLine>>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct DirectPostLine {
    pub channel_members: Option<Vec<String>>,
    #[serde(flatten)]
    pub post: PostLine,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct ReactionLine {
    pub user: Option<String>,
    pub emoji_name: Option<String>,
    pub create_at: Option<i64>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct AttachmentLine {
    pub path: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct ThreadFollowerLine {
    pub user: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_viewed: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unread_mentions: Option<i64>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct DirectChannelLine {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub members: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub participants: Option<Vec<Participant>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub favorited_by: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub header: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct Participant {
    pub username: Option<String>,
}

impl DirectChannelLine {
    /// Member usernames, from `participants` (newer exports) or `members`.
    pub fn usernames(&self) -> Vec<String> {
        match &self.participants {
            Some(list) => list.iter().filter_map(|p| p.username.clone()).collect(),
            None => self.members.clone().unwrap_or_default(),
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct EmojiLine {
    pub name: Option<String>,
    pub image: Option<String>,
}
