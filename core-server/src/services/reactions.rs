//! Emoji reactions to posts.

use super::{validate, Actor, Core};
use crate::error::{Error, Result};
use crate::events::{Audience, EventKind};
use crate::model::*;
use crate::time::now_ms;

/// Emoji names: 1–64 of lower-case letters, digits, `_`, `-` and `+`.
fn check_emoji_name(name: &str) -> Result<()> {
    validate::length("emoji_name", name, 1, 64)?;
    if !name
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "_-+".contains(c))
    {
        return Err(Error::invalid(
            "emoji_name",
            "may contain only a-z, 0-9, '_', '-' and '+'",
        ));
    }
    Ok(())
}

impl Core {
    /// Adds the actor's reaction to a post in a channel they belong to.
    pub async fn add_reaction(
        &self,
        actor: &Actor,
        post_id: &str,
        emoji_name: &str,
    ) -> Result<Reaction> {
        check_emoji_name(emoji_name)?;
        let post = self.get_post(actor, post_id).await?;
        let (channel, _) = self.channel_for_member(actor, &post.channel_id).await?;
        if channel.delete_at != 0 {
            return Err(Error::forbidden("the channel is archived"));
        }
        let now = now_ms();
        let reaction = Reaction {
            user_id: actor.id().to_string(),
            post_id: post.id.clone(),
            emoji_name: emoji_name.to_string(),
            channel_id: post.channel_id.clone(),
            create_at: now,
            update_at: now,
            delete_at: 0,
        };
        self.store.save_reaction(&reaction).await?;
        self.events.publish(
            EventKind::ReactionAdded {
                reaction: reaction.clone(),
            },
            Audience::Channel(post.channel_id),
        );
        Ok(reaction)
    }

    /// Removes the actor's own reaction.
    pub async fn remove_reaction(
        &self,
        actor: &Actor,
        post_id: &str,
        emoji_name: &str,
    ) -> Result<()> {
        check_emoji_name(emoji_name)?;
        let post = self.get_post(actor, post_id).await?;
        let now = now_ms();
        self.store
            .delete_reaction(&post.id, actor.id(), emoji_name, now)
            .await?;
        let reaction = Reaction {
            user_id: actor.id().to_string(),
            post_id: post.id.clone(),
            emoji_name: emoji_name.to_string(),
            channel_id: post.channel_id.clone(),
            create_at: now,
            update_at: now,
            delete_at: now,
        };
        self.events.publish(
            EventKind::ReactionRemoved { reaction },
            Audience::Channel(post.channel_id),
        );
        Ok(())
    }

    /// A post's reactions.
    pub async fn list_reactions(&self, actor: &Actor, post_id: &str) -> Result<Vec<Reaction>> {
        let post = self.get_post(actor, post_id).await?;
        self.store.list_reactions(&post.id).await
    }
}
