//! "Mark as unread": a user's read state of a channel moves back to just
//! before one post, and the counts are worked out again from that post on,
//! as Mattermost's MarkChannelAsUnreadFromPost does.

use super::{validate, Actor, Core};
use crate::error::{Error, Result};
use crate::events::{Audience, EventKind};
use crate::model::*;
use crate::notify::mentions::Keywords;
use crate::time::now_ms;

/// Posts read to count what became unread; a channel marked unread further
/// back than this counts this many (the apps show "many" long before).
const MAX_COUNTED: i64 = 10_000;

impl Core {
    /// Marks `post_id`'s channel unread for `user_id` from that post on;
    /// the member's new read state and the channel's team.
    pub async fn set_unread_from_post(
        &self,
        actor: &Actor,
        user_id: &str,
        post_id: &str,
    ) -> Result<(ChannelMember, String)> {
        validate::id("user_id", user_id)?;
        validate::id("post_id", post_id)?;
        if !actor.is_self_or_admin(user_id) {
            return Err(Error::forbidden(
                "only the user or an admin may mark unread",
            ));
        }
        let post = self.store.get_post(post_id).await?;
        if post.delete_at != 0 {
            return Err(Error::not_found("post"));
        }
        let (channel, _) = self.channel_for_read(actor, &post.channel_id).await?;
        let member = self.store.get_channel_member(&channel.id, user_id).await?;
        let reader = Reader::new(self.store.get_user(user_id).await?, &member, &channel);
        let unread = self
            .store
            .list_channel_posts_from(&channel.id, post.create_at, MAX_COUNTED)
            .await?;
        let (mut posts, mut roots, mut mentions, mut mention_roots) = (0i64, 0i64, 0i64, 0i64);
        for p in &unread {
            let root = p.root_id.is_empty();
            posts += 1;
            roots += i64::from(root);
            if reader.is_mentioned_by(p) {
                mentions += 1;
                mention_roots += i64::from(root);
            }
        }
        let updated = ChannelMember {
            last_viewed_at: post.create_at - 1,
            msg_count: (channel.total_msg_count - posts).max(0),
            msg_count_root: (channel.total_msg_count_root - roots).max(0),
            mention_count: mentions,
            mention_count_root: mention_roots,
            urgent_mention_count: 0,
            last_update_at: now_ms(),
            ..member
        };
        self.store.set_channel_read_state(&updated).await?;
        self.events.publish(
            EventKind::PostUnread {
                post_id: post.id.clone(),
                team_id: channel.team_id.clone(),
                member: updated.clone(),
            },
            Audience::User(user_id.to_string()),
        );
        Ok((updated, channel.team_id))
    }

    /// Marks a thread unread for the actor from one of its posts on: read
    /// up to just before it, its mentions of the actor counted again.
    pub async fn set_thread_unread_from_post(
        &self,
        actor: &Actor,
        root_id: &str,
        post_id: &str,
    ) -> Result<()> {
        validate::id("thread_id", root_id)?;
        validate::id("post_id", post_id)?;
        let post = self.get_post(actor, post_id).await?;
        if post.id != root_id && post.root_id != root_id {
            return Err(Error::invalid("post_id", "is not a post of this thread"));
        }
        let (channel, member) = self.channel_for_member(actor, &post.channel_id).await?;
        let reader = Reader::new(actor.user.clone(), &member, &channel);
        let viewed = post.create_at - 1;
        let mentions = self
            .store
            .list_thread(root_id)
            .await?
            .iter()
            .filter(|p| !p.root_id.is_empty() && p.create_at > viewed)
            .filter(|p| reader.is_mentioned_by(p))
            .count();
        let before = self.store.get_thread_member(root_id, actor.id()).await?;
        self.store
            .upsert_thread_member(
                root_id,
                actor.id(),
                before.as_ref().map(|m| m.following).or(Some(true)),
                Some(viewed),
                i64::try_from(mentions).unwrap_or(i64::MAX),
                now_ms(),
            )
            .await?;
        self.announce_thread_read(actor, &channel, root_id, viewed, before)
            .await
    }
}

/// Whose mentions a recount looks for, in one channel.
struct Reader {
    user_id: String,
    direct: bool,
    keywords: Keywords,
}

impl Reader {
    fn new(user: User, member: &ChannelMember, channel: &Channel) -> Self {
        let reader = ChannelRecipient {
            user_id: user.id.clone(),
            username: user.username,
            first_name: user.first_name,
            is_bot: user.is_bot,
            user_notify_props: std::sync::Arc::new(user.notify_props),
            member_notify_props: std::sync::Arc::new(member.notify_props.clone()),
        };
        Reader {
            user_id: user.id,
            direct: channel.channel_type == channel_types::DIRECT,
            keywords: Keywords::new(std::slice::from_ref(&reader)),
        }
    }

    /// Whether another's post mentions the reader (every post of the other
    /// one in a direct message does).
    fn is_mentioned_by(&self, post: &Post) -> bool {
        if post.user_id == self.user_id {
            return false;
        }
        if self.direct {
            return true;
        }
        let mut found = self.keywords.find(&post.message, true);
        if found.here {
            // The reader is reading: online, so `@here` reaches them.
            self.keywords
                .add_here(std::slice::from_ref(&self.user_id), &mut found);
        }
        found
            .users
            .get(&self.user_id)
            .is_some_and(|kind| kind.is_mention())
    }
}
