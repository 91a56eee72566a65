//! "Mark as unread": a user's read state of a channel moves back to just
//! before one post, and the counts are worked out again from that post on,
//! as Mattermost's MarkChannelAsUnreadFromPost does.

use super::{validate, Actor, Core};
use crate::error::{Error, Result};
use crate::events::{Audience, EventKind};
use crate::model::*;
use crate::notify::mentions::{Candidate, Keywords};
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
        let user = self.store.get_user(user_id).await?;

        let candidate = Candidate {
            user_id: user.id.clone(),
            username: user.username.clone(),
            first_name: user.first_name.clone(),
            user_props: user.notify_props.clone(),
            member_props: member.notify_props.clone(),
            online: true,
        };
        let keywords = Keywords::new(std::slice::from_ref(&candidate), true);
        let unread = self
            .store
            .list_channel_posts_from(&channel.id, post.create_at, MAX_COUNTED)
            .await?;
        let (mut posts, mut roots, mut mentions, mut mention_roots) = (0i64, 0i64, 0i64, 0i64);
        for p in &unread {
            let root = p.root_id.is_empty();
            posts += 1;
            roots += i64::from(root);
            if p.user_id == user.id {
                continue;
            }
            let mentioned = channel.channel_type == channel_types::DIRECT
                || keywords
                    .find(&p.message)
                    .users
                    .get(&user.id)
                    .is_some_and(|kind| kind.is_mention());
            if mentioned {
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
            Audience::User(user.id.clone()),
        );
        Ok((updated, channel.team_id))
    }
}
