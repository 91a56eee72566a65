use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A message in a channel; replies point at their thread's root with `root_id`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Post {
    pub id: String,
    pub create_at: i64,
    pub update_at: i64,
    /// Set when the message was last edited.
    pub edit_at: i64,
    /// Set when deleted; 0 while live.
    pub delete_at: i64,
    pub is_pinned: bool,
    pub user_id: String,
    pub channel_id: String,
    /// Empty for a root post, else the thread's root post id.
    pub root_id: String,
    /// On an edit-history copy: the id of the live post it was edited from.
    pub original_id: String,
    pub message: String,
    /// `""` for user messages, `system_*` for system messages.
    #[serde(rename = "type")]
    pub post_type: String,
    /// Serialized without the actions' integrations (their URLs and
    /// context): a serialized post only ever leaves for clients (the v1 API
    /// and socket) or for other nodes' sockets, and no client may see them.
    #[schema(value_type = Object)]
    #[serde(serialize_with = "serialize_props_for_client")]
    pub props: serde_json::Value,
    /// Space-separated hashtags found in the message.
    pub hashtags: String,
    pub file_ids: Vec<String>,
    /// Client-made id echoed back so a client can match its optimistic post.
    pub pending_post_id: String,
    /// On a root post: number of live replies.
    pub reply_count: i64,
    /// On a root post: time of the latest reply.
    pub last_reply_at: i64,
}

fn serialize_props_for_client<S: serde::Serializer>(
    props: &serde_json::Value,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    if super::message_actions::has_attachments(props) {
        super::message_actions::props_for_client(props).serialize(serializer)
    } else {
        props.serialize(serializer)
    }
}

/// Post types the server writes itself.
pub mod post_types {
    /// An action in the third person, from `/me`.
    pub const ME: &str = "me";
    /// Shown once to one user and never stored (command replies).
    pub const EPHEMERAL: &str = "system_ephemeral";
}

impl Post {
    /// A message shown to one user only, never stored: a command's reply or
    /// an integration's notice.
    pub fn ephemeral(
        id: String,
        user_id: &str,
        channel_id: &str,
        root_id: &str,
        message: String,
        props: serde_json::Value,
        now: i64,
    ) -> Post {
        Post {
            id,
            create_at: now,
            update_at: now,
            edit_at: 0,
            delete_at: 0,
            is_pinned: false,
            user_id: user_id.to_string(),
            channel_id: channel_id.to_string(),
            root_id: root_id.to_string(),
            original_id: String::new(),
            message,
            post_type: post_types::EPHEMERAL.to_string(),
            props,
            hashtags: String::new(),
            file_ids: Vec::new(),
            pending_post_id: String::new(),
            reply_count: 0,
            last_reply_at: 0,
        }
    }

    /// Joins, leaves, header changes and the like, written by the server.
    pub fn is_system_message(&self) -> bool {
        self.post_type.starts_with("system_")
    }

    /// Whether an incoming webhook made it.
    pub fn from_webhook(&self) -> bool {
        self.props.get("from_webhook").and_then(|v| v.as_str()) == Some("true")
    }

    /// The post as it may still be shown: a live post whole; of a deleted
    /// one only what says that it was there (its id, author, place, kind and
    /// times), never its message, props, hashtags or files.
    pub fn redacted(self) -> Post {
        if self.delete_at == 0 {
            return self;
        }
        Post {
            message: String::new(),
            props: serde_json::Value::Object(Default::default()),
            hashtags: String::new(),
            file_ids: Vec::new(),
            pending_post_id: String::new(),
            is_pinned: false,
            ..self
        }
    }
}

/// A user's emoji reaction to a post.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Reaction {
    pub user_id: String,
    pub post_id: String,
    /// Emoji name without colons.
    pub emoji_name: String,
    pub channel_id: String,
    pub create_at: i64,
    pub update_at: i64,
    pub delete_at: i64,
}

/// Longest message, in characters (Mattermost's `MaxPostSize`).
pub const MAX_MESSAGE_CHARS: usize = 16383;
/// Most files attached to one post.
pub const MAX_FILES_PER_POST: usize = 10;

/// The hashtags in a message, space-separated, as Mattermost stores them.
pub fn parse_hashtags(message: &str) -> String {
    let mut tags: Vec<&str> = Vec::new();
    for word in message.split(|c: char| c.is_whitespace() || ",;.!?()[]{}\"'".contains(c)) {
        let Some(rest) = word.strip_prefix('#') else {
            continue;
        };
        let valid = rest.len() >= 2
            && rest.chars().next().is_some_and(|c| c.is_alphabetic())
            && rest
                .chars()
                .all(|c| c.is_alphanumeric() || c == '_' || c == '-');
        if valid && !tags.contains(&word) {
            tags.push(word);
        }
    }
    tags.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashtags_are_found_once_each() {
        assert_eq!(
            parse_hashtags("ship #rust and #rust, then #go."),
            "#rust #go"
        );
        assert_eq!(parse_hashtags("no #1 tags # here #a"), "");
    }
}

/// A user's relation to a thread (a root post): whether they follow it and how
/// far they have read it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ThreadMember {
    /// The thread's root post.
    pub post_id: String,
    pub user_id: String,
    pub following: bool,
    /// When the user last read the thread, ms.
    pub last_viewed: i64,
    /// When the membership last changed, ms.
    pub last_updated: i64,
    /// Mentions of the user in the thread since `last_viewed`.
    pub unread_mentions: i64,
}

/// A followed thread as its follower sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ThreadView {
    /// The root post (with `reply_count` and `last_reply_at`).
    pub root: Post,
    pub member: ThreadMember,
    /// Replies by others since the follower last read the thread.
    pub unread_replies: i64,
    /// Everyone who replied, oldest first.
    pub participants: Vec<String>,
}

/// A custom emoji. Its image is read separately.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Emoji {
    pub id: String,
    pub create_at: i64,
    pub update_at: i64,
    pub delete_at: i64,
    pub creator_id: String,
    /// Unique among live emoji: 1–64 of `a-z`, `0-9`, `_`, `-`, `+`.
    pub name: String,
}
