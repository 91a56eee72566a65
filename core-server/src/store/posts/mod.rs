//! Posts, their edits and deletions, threads and who follows them, and search.
//! Its SQL, for both dialects, is `sql.rs` beside this file.

use async_trait::async_trait;

use super::{ChannelPosts, PostCursor, PostSearch};
use crate::error::Result;
use crate::model::*;

/// Posts, their edits and deletions, threads and who follows them, and search.
#[async_trait]
pub trait PostStore: Send + Sync {
    /// Saves a new post, bumps the channel's counters and the thread's reply
    /// count, and marks the channel read for the poster. A repeated
    /// `pending_post_id` from the same user returns the first post instead.
    async fn create_post(&self, post: &Post) -> Result<Post>;

    async fn get_post(&self, id: &str) -> Result<Post>;

    /// Replaces a post's editable fields and keeps the old version as `history`.
    async fn edit_post(&self, history: &Post, updated: &Post) -> Result<()>;

    /// Writes flags such as `is_pinned` and `props` without keeping history.
    async fn update_post(&self, post: &Post) -> Result<()>;

    /// Replaces the message, hashtags and files of a post still being
    /// written (an agent's streamed answer): no history, no edit mark.
    async fn grow_post(&self, post: &Post) -> Result<()>;

    /// Soft-deletes a post, and the replies when it is a root.
    async fn delete_post(&self, post: &Post, at: i64) -> Result<()>;

    /// Live posts of a channel, newest first, older than `before`.
    async fn list_channel_posts(
        &self,
        posts: ChannelPosts<'_>,
        before: Option<PostCursor<'_>>,
        limit: i64,
    ) -> Result<Vec<Post>>;

    /// A thread's live root and replies, oldest first.
    async fn list_thread(&self, root_id: &str) -> Result<Vec<Post>>;

    /// Live posts of a channel, newest first, skipping `offset`.
    async fn list_channel_posts_offset(
        &self,
        posts: ChannelPosts<'_>,
        offset: i64,
        limit: i64,
    ) -> Result<Vec<Post>>;

    /// Live posts of a channel, oldest first, newer than `after`.
    async fn list_channel_posts_after(
        &self,
        posts: ChannelPosts<'_>,
        after: PostCursor<'_>,
        limit: i64,
    ) -> Result<Vec<Post>>;

    /// Posts of a channel changed after `since` (deleted ones included), oldest change first.
    async fn list_channel_posts_since(
        &self,
        posts: ChannelPosts<'_>,
        since: i64,
        limit: i64,
    ) -> Result<Vec<Post>>;

    /// Live posts of a channel created at or after `from` (ms), oldest
    /// first, at most `limit`.
    async fn list_channel_posts_from(
        &self,
        channel_id: &str,
        from: i64,
        limit: i64,
    ) -> Result<Vec<Post>>;

    /// The latest `update_at` of any post of a channel (0 without posts): what
    /// changes whenever a listing of the channel's posts would.
    async fn last_post_update(&self, channel_id: &str) -> Result<i64>;

    /// Live pinned posts of a channel, newest first.
    async fn list_pinned_posts(&self, channel_id: &str) -> Result<Vec<Post>>;

    /// Live posts among `ids`.
    async fn get_posts_by_ids(&self, ids: &[String]) -> Result<Vec<Post>>;

    /// Live root posts of a channel, oldest first, after `after`.
    async fn list_root_posts(
        &self,
        channel_id: &str,
        after: Option<PostCursor<'_>>,
        limit: i64,
    ) -> Result<Vec<Post>>;

    /// Live replies to any of `root_ids`, oldest first.
    async fn list_replies(&self, root_ids: &[String]) -> Result<Vec<Post>>;

    /// The authors of a thread's live posts, the root's included.
    async fn list_thread_authors(&self, root_id: &str) -> Result<Vec<String>>;

    /// Live posts matching a search, newest first.
    async fn search_posts(&self, search: &PostSearch<'_>) -> Result<Vec<Post>>;

    /// Creates or changes a thread membership: `following` and `viewed_at`
    /// replace the stored values when given; `mentions` adds to the unread mentions
    /// (a view resets them first).
    async fn upsert_thread_member(
        &self,
        post_id: &str,
        user_id: &str,
        following: Option<bool>,
        viewed_at: Option<i64>,
        mentions: i64,
        at: i64,
    ) -> Result<()>;

    /// Every follower's view of a thread (members of its channel only).
    async fn list_thread_followers(&self, root_id: &str) -> Result<Vec<ThreadView>>;

    async fn get_thread_member(&self, post_id: &str, user_id: &str)
        -> Result<Option<ThreadMember>>;

    /// Who replied in each of `root_ids`, as (root id, user id) pairs in
    /// the order of their first reply.
    async fn list_thread_participants(&self, root_ids: &[String]) -> Result<Vec<(String, String)>>;

    /// Thread memberships of any of `post_ids` (followed or not).
    async fn list_thread_members(&self, post_ids: &[String]) -> Result<Vec<ThreadMember>>;

    /// One user's thread memberships among `post_ids` (followed or not).
    async fn list_user_thread_members(
        &self,
        user_id: &str,
        post_ids: &[String],
    ) -> Result<Vec<ThreadMember>>;

    /// Threads the user follows in a team's channels (and their DMs and GMs),
    /// most recently replied first, those whose root was deleted too when
    /// asked; `before` is a `last_reply_at` cursor.
    async fn list_user_threads(
        &self,
        user_id: &str,
        team_id: &str,
        include_deleted: bool,
        before: Option<i64>,
        limit: i64,
    ) -> Result<Vec<ThreadView>>;
}
