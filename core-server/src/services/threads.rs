//! Threads (collapsed reply threads): who follows which thread, how far they
//! have read it, and the per-thread unread counts.

use std::collections::HashMap;

use super::{validate, Actor, Core};
use crate::error::{Error, Result};
use crate::events::{Audience, EventKind};
use crate::model::*;
use crate::time::now_ms;

/// Most threads read at once for lists and totals.
const MAX_THREADS: i64 = 1000;

/// Followed threads with their totals.
#[derive(Debug, Clone, Default)]
pub struct ThreadList {
    pub threads: Vec<ThreadView>,
    /// Threads followed in total.
    pub total: i64,
    /// Threads with unread replies.
    pub total_unread_threads: i64,
    /// Unread mentions across threads.
    pub total_unread_mentions: i64,
}

/// Which followed threads a listing keeps.
#[derive(Debug, Clone)]
pub struct ThreadQuery {
    /// Only threads listed after this one: last reply older than this (ms),
    /// or as old with a smaller root id (the listing's order breaks ties so).
    pub before: Option<(i64, String)>,
    /// Only threads listed before this one: last reply newer (ms), or as
    /// new with a larger root id.
    pub after: Option<(i64, String)>,
    /// Only threads replied to, edited, deleted or changed for the reader
    /// since this (ms).
    pub since: Option<i64>,
    /// Only threads with unread replies or mentions.
    pub unread_only: bool,
    /// Also threads whose root was deleted (so an app that syncs `since`
    /// learns of them).
    pub include_deleted: bool,
    pub limit: i64,
}

impl Default for ThreadQuery {
    fn default() -> Self {
        ThreadQuery {
            before: None,
            after: None,
            since: None,
            unread_only: false,
            include_deleted: false,
            limit: 200,
        }
    }
}

impl ThreadQuery {
    fn keeps(&self, t: &ThreadView) -> bool {
        let key = (t.root.last_reply_at, t.root.id.as_str());
        self.before
            .as_ref()
            .is_none_or(|(at, id)| key < (*at, id.as_str()))
            && self
                .after
                .as_ref()
                .is_none_or(|(at, id)| key > (*at, id.as_str()))
            && self
                .since
                .is_none_or(|s| key.0 >= s || t.member.last_updated >= s || t.root.update_at >= s)
            && (!self.unread_only || t.unread_replies > 0 || t.member.unread_mentions > 0)
    }
}

/// A thread root as one reader sees it with collapsed reply threads on.
#[derive(Debug, Clone, Default)]
pub struct CollapsedRoot {
    /// Whether the reader follows the thread.
    pub following: bool,
    /// Who replied, by first reply.
    pub participants: Vec<String>,
}

impl Core {
    /// The thread state of root posts the actor has already been allowed to
    /// read, keyed by root id; posts that are replies are left out.
    pub async fn collapsed_roots(
        &self,
        actor: &Actor,
        posts: &[Post],
    ) -> Result<HashMap<String, CollapsedRoot>> {
        let roots: Vec<String> = posts
            .iter()
            .filter(|p| p.root_id.is_empty())
            .map(|p| p.id.clone())
            .collect();
        let mut out: HashMap<String, CollapsedRoot> = roots
            .iter()
            .map(|id| (id.clone(), CollapsedRoot::default()))
            .collect();
        // Participants are repliers: a root without replies has none.
        let replied: Vec<String> = posts
            .iter()
            .filter(|p| p.root_id.is_empty() && p.reply_count > 0)
            .map(|p| p.id.clone())
            .collect();
        for (root, user) in self.store.list_thread_participants(&replied).await? {
            if let Some(r) = out.get_mut(&root) {
                r.participants.push(user);
            }
        }
        for m in self
            .store
            .list_user_thread_members(actor.id(), &roots)
            .await?
        {
            if let Some(r) = out.get_mut(&m.post_id) {
                r.following = m.following;
            }
        }
        Ok(out)
    }

    /// Public profiles of thread participants, in the order given; unknown
    /// ids are skipped.
    pub async fn participant_profiles(&self, ids: &[String]) -> Result<Vec<User>> {
        let mut users = self.store.get_users_by_ids(ids).await?;
        users.sort_by_key(|u| ids.iter().position(|id| *id == u.id));
        Ok(users.into_iter().map(User::public_profile).collect())
    }

    /// Updates thread memberships after a reply: the replier follows and has
    /// read it; the root's author follows unless they unfollowed; mentioned
    /// members follow and get an unread mention.
    pub(crate) async fn track_reply(
        &self,
        reply: &Post,
        root_author: &str,
        mentioned: &[String],
    ) -> Result<()> {
        let root = &reply.root_id;
        let now = reply.create_at;
        self.store
            .upsert_thread_member(root, &reply.user_id, Some(true), Some(now), 0, now)
            .await?;
        if root_author != reply.user_id {
            let mentions = i64::from(mentioned.iter().any(|m| m == root_author));
            self.store
                .upsert_thread_member(root, root_author, None, None, mentions, now)
                .await?;
        }
        for user in mentioned
            .iter()
            .filter(|u| **u != reply.user_id && *u != root_author)
        {
            self.store
                .upsert_thread_member(root, user, None, None, 1, now)
                .await?;
        }
        Ok(())
    }

    /// The threads the actor follows in a team, most recently active first;
    /// the totals count every followed thread, whatever the query keeps.
    pub async fn list_threads(
        &self,
        actor: &Actor,
        team_id: &str,
        query: ThreadQuery,
    ) -> Result<ThreadList> {
        self.team_for_member(actor, team_id).await?;
        let all = self
            .store
            .list_user_threads(
                actor.id(),
                team_id,
                query.include_deleted,
                None,
                MAX_THREADS,
            )
            .await?;
        let live = || all.iter().filter(|t| t.root.delete_at == 0);
        let mut list = ThreadList {
            total: i64::try_from(live().count()).unwrap_or(i64::MAX),
            ..Default::default()
        };
        for t in live() {
            if t.unread_replies > 0 {
                list.total_unread_threads += 1;
            }
            list.total_unread_mentions += t.member.unread_mentions;
        }
        let limit = usize::try_from(query.limit.clamp(1, 200)).unwrap_or(60);
        let kept = all.into_iter().filter(|t| query.keeps(t));
        list.threads = match query.after {
            // The threads right after the cursor: the oldest of the newer
            // ones, still listed newest first.
            Some(_) => {
                let mut newer: Vec<ThreadView> = kept.collect();
                let skip = newer.len().saturating_sub(limit);
                newer.split_off(skip)
            }
            None => kept.take(limit).collect(),
        };
        Ok(list)
    }

    /// One followed thread of the actor's.
    pub async fn get_thread_view(
        &self,
        actor: &Actor,
        team_id: &str,
        root_id: &str,
    ) -> Result<ThreadView> {
        validate::id("thread_id", root_id)?;
        let list = self
            .list_threads(actor, team_id, ThreadQuery::default())
            .await?;
        if let Some(found) = list.threads.into_iter().find(|t| t.root.id == root_id) {
            return Ok(found);
        }
        // Not among the first page: read it directly.
        let all = self
            .store
            .list_user_threads(actor.id(), team_id, false, None, MAX_THREADS)
            .await?;
        all.into_iter()
            .find(|t| t.root.id == root_id)
            .ok_or_else(|| Error::not_found("thread"))
    }

    async fn thread_root(&self, actor: &Actor, root_id: &str) -> Result<Post> {
        let root = self.get_post(actor, root_id).await?;
        if !root.root_id.is_empty() {
            return Err(Error::invalid(
                "thread_id",
                "is not the root post of a thread",
            ));
        }
        Ok(root)
    }

    /// Follows or unfollows a thread the actor can read.
    pub async fn set_thread_following(
        &self,
        actor: &Actor,
        root_id: &str,
        following: bool,
    ) -> Result<()> {
        let root = self.thread_root(actor, root_id).await?;
        self.store
            .upsert_thread_member(&root.id, actor.id(), Some(following), None, 0, now_ms())
            .await?;
        self.events.publish(
            EventKind::ThreadFollowChanged {
                user_id: actor.id().to_string(),
                thread_id: root.id.clone(),
                following,
                reply_count: root.reply_count,
            },
            Audience::User(actor.id().to_string()),
        );
        Ok(())
    }

    /// Marks a thread read up to `at` (ms); its unread mentions are cleared.
    pub async fn mark_thread_read(&self, actor: &Actor, root_id: &str, at: i64) -> Result<()> {
        if at < 0 {
            return Err(Error::invalid("timestamp", "must not be negative"));
        }
        let root = self.thread_root(actor, root_id).await?;
        let before = self.store.get_thread_member(&root.id, actor.id()).await?;
        let following = before.as_ref().map(|m| m.following);
        self.store
            .upsert_thread_member(
                &root.id,
                actor.id(),
                following.or(Some(true)),
                Some(at),
                0,
                now_ms(),
            )
            .await?;
        let channel = self.store.get_channel(&root.channel_id).await?;
        self.announce_thread_read(actor, &channel, &root.id, at, before)
            .await
    }

    /// Tells the actor's sockets where they now stand in a thread.
    pub(super) async fn announce_thread_read(
        &self,
        actor: &Actor,
        channel: &Channel,
        root_id: &str,
        at: i64,
        before: Option<ThreadMember>,
    ) -> Result<()> {
        let (unread_replies, unread_mentions) = self
            .get_thread_view(actor, &channel.team_id, root_id)
            .await
            .map_or((0, 0), |v| (v.unread_replies, v.member.unread_mentions));
        self.events.publish(
            EventKind::ThreadReadChanged {
                user_id: actor.id().to_string(),
                team_id: channel.team_id.clone(),
                channel_id: channel.id.clone(),
                thread_id: Some(root_id.to_string()),
                timestamp: at,
                unread_replies,
                unread_mentions,
                previous_unread_replies: 0,
                previous_unread_mentions: before.map_or(0, |m| m.unread_mentions),
            },
            Audience::User(actor.id().to_string()),
        );
        Ok(())
    }

    /// Marks every followed thread of a team read now.
    pub async fn mark_all_threads_read(&self, actor: &Actor, team_id: &str) -> Result<()> {
        self.team_for_member(actor, team_id).await?;
        let now = now_ms();
        for t in self
            .store
            .list_user_threads(actor.id(), team_id, false, None, MAX_THREADS)
            .await?
        {
            self.store
                .upsert_thread_member(&t.root.id, actor.id(), Some(true), Some(now), 0, now)
                .await?;
        }
        self.events.publish(
            EventKind::ThreadReadChanged {
                user_id: actor.id().to_string(),
                team_id: team_id.to_string(),
                channel_id: String::new(),
                thread_id: None,
                timestamp: now,
                unread_replies: 0,
                unread_mentions: 0,
                previous_unread_replies: 0,
                previous_unread_mentions: 0,
            },
            Audience::User(actor.id().to_string()),
        );
        Ok(())
    }
}
