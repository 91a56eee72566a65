use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use core_server::model::{message_actions, Post};

use super::MmReaction;

/// What Mattermost attaches to a post for display; only reactions are filled today.
#[derive(Debug, Serialize, Clone, Default)]
pub struct MmPostMetadata {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub embeds: Vec<serde_json::Value>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub emojis: Vec<serde_json::Value>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub files: Vec<super::MmFileInfo>,
    #[serde(skip_serializing_if = "serde_json::Map::is_empty")]
    pub images: serde_json::Map<String, serde_json::Value>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub reactions: Vec<MmReaction>,
}

/// Mattermost's `Post`.
#[derive(Debug, Serialize, Clone)]
pub struct MmPost {
    pub id: String,
    pub create_at: i64,
    pub update_at: i64,
    pub edit_at: i64,
    pub delete_at: i64,
    pub is_pinned: bool,
    pub user_id: String,
    pub channel_id: String,
    pub root_id: String,
    pub original_id: String,
    pub message: String,
    #[serde(rename = "type")]
    pub post_type: String,
    pub props: serde_json::Value,
    pub hashtags: String,
    pub file_ids: Vec<String>,
    pub pending_post_id: String,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub has_reactions: bool,
    pub reply_count: i64,
    pub last_reply_at: i64,
    pub participants: Option<Vec<serde_json::Value>>,
    /// Whether the reader follows the thread; only on roots listed with
    /// collapsed reply threads.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_following: Option<bool>,
    pub metadata: MmPostMetadata,
}

/// Converts a post with its live reactions. Every post a v4 client gets
/// (REST and socket) passes here, so this is where the actions'
/// integrations are stripped from its props, as Mattermost strips them.
pub fn post(p: Post, reactions: Vec<MmReaction>) -> MmPost {
    let Post {
        id,
        create_at,
        update_at,
        edit_at,
        delete_at,
        is_pinned,
        user_id,
        channel_id,
        root_id,
        original_id,
        message,
        post_type,
        props,
        hashtags,
        file_ids,
        pending_post_id,
        reply_count,
        last_reply_at,
    } = p;
    MmPost {
        id,
        create_at,
        update_at,
        edit_at,
        delete_at,
        is_pinned,
        user_id,
        channel_id,
        root_id,
        original_id,
        message,
        post_type,
        props: client_props(props),
        hashtags,
        file_ids,
        pending_post_id,
        has_reactions: !reactions.is_empty(),
        reply_count,
        last_reply_at,
        participants: None,
        is_following: None,
        metadata: MmPostMetadata {
            reactions,
            ..Default::default()
        },
    }
}

/// The props without the actions' integrations.
fn client_props(mut props: serde_json::Value) -> serde_json::Value {
    message_actions::strip_action_integrations(&mut props);
    props
}

/// Mattermost's `PostList`: `order` lists the page's ids newest first; `posts`
/// holds them (and may hold more, such as thread roots).
#[derive(Debug, Serialize, Default)]
pub struct MmPostList {
    pub order: Vec<String>,
    pub posts: BTreeMap<String, MmPost>,
    pub next_post_id: String,
    pub prev_post_id: String,
    pub has_next: bool,
    pub first_inaccessible_post_time: i64,
}

/// Builds a post list from posts in display order, attaching reactions by post id.
pub fn post_list(posts: Vec<Post>, mut reactions: HashMap<String, Vec<MmReaction>>) -> MmPostList {
    let mut list = MmPostList::default();
    for p in posts {
        list.order.push(p.id.clone());
        let r = reactions.remove(&p.id).unwrap_or_default();
        list.posts.insert(p.id.clone(), post(p, r));
    }
    list
}
