use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::FileInfo;

/// A message its author wrote now and asked to have posted later ("send
/// later"). It lives until it is posted (then it is removed) or until it
/// cannot be (then `error_code` says why and it stays for its author to fix
/// or delete).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ScheduledPost {
    pub id: String,
    pub create_at: i64,
    pub update_at: i64,
    /// The author; only they see, change or delete it.
    pub user_id: String,
    pub channel_id: String,
    /// The thread it will reply to; empty for a root post.
    pub root_id: String,
    pub message: String,
    #[schema(value_type = Object)]
    pub props: serde_json::Value,
    /// Uploaded files, attached when the post goes out.
    pub file_ids: Vec<String>,
    /// The priority the client asked for (`priority`, `requested_ack`,
    /// `persistent_notifications`), kept as given; an empty object for none.
    #[schema(value_type = Object)]
    pub priority: serde_json::Value,
    /// When to post it, ms.
    pub scheduled_at: i64,
    /// When sending it last failed, ms; 0 while it waits.
    pub processed_at: i64,
    /// Why it could not be posted (one of [`scheduled_post_errors`]); empty while it waits.
    pub error_code: String,
}

/// Why a scheduled post could not be posted, as Mattermost names the reasons.
pub mod scheduled_post_errors {
    pub const UNKNOWN: &str = "unknown";
    pub const CHANNEL_ARCHIVED: &str = "channel_archived";
    pub const CHANNEL_NOT_FOUND: &str = "channel_not_found";
    pub const USER_MISSING: &str = "user_missing";
    pub const USER_DELETED: &str = "user_deleted";
    pub const NO_CHANNEL_PERMISSION: &str = "no_channel_permission";
    pub const THREAD_DELETED: &str = "thread_deleted";
    /// Not sent within a day of its time (the server was down, say).
    pub const UNABLE_TO_SEND: &str = "unable_to_send";
    pub const INVALID_POST: &str = "invalid_post";
}

/// A scheduled post with the records of its files, as its author's apps show it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ScheduledPostView {
    pub post: ScheduledPost,
    pub files: Vec<FileInfo>,
}
