//! Reactions to posts, and the custom emoji they may use.
//! Its SQL, for both dialects, is `sql.rs` beside this file.

use async_trait::async_trait;

use crate::error::Result;
use crate::model::*;

/// Reactions to posts, and the custom emoji they may use.
#[async_trait]
pub trait ReactionStore: Send + Sync {
    async fn save_reaction(&self, reaction: &Reaction) -> Result<()>;

    async fn delete_reaction(
        &self,
        post_id: &str,
        user_id: &str,
        emoji: &str,
        at: i64,
    ) -> Result<()>;

    /// Live reactions to a post, oldest first.
    async fn list_reactions(&self, post_id: &str) -> Result<Vec<Reaction>>;

    /// Live reactions to any of `post_ids`, oldest first.
    async fn list_reactions_for_posts(&self, post_ids: &[String]) -> Result<Vec<Reaction>>;

    /// Saves an emoji with its image.
    async fn create_emoji(&self, emoji: &Emoji, content_type: &str, image: &[u8]) -> Result<()>;

    /// A live emoji by id or (when `by_name`) by name.
    async fn get_emoji(&self, key: &str, by_name: bool) -> Result<Emoji>;

    /// A live emoji's image and its content type.
    async fn get_emoji_image(&self, id: &str) -> Result<(String, Vec<u8>)>;

    /// Live emoji whose name starts with `prefix` (all when empty), by name.
    async fn list_emoji(&self, prefix: &str, offset: i64, limit: i64) -> Result<Vec<Emoji>>;

    async fn delete_emoji(&self, id: &str, at: i64) -> Result<()>;
}
