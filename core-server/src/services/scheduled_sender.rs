//! The sender of scheduled posts. Every node polls (each
//! `scheduled_posts_poll_seconds`) for due posts and leases the ones it
//! takes, so two nodes never post the same one at once. A due post is posted
//! as its author through the ordinary post path (events, mentions, pushes
//! and unread counts as for any post), then removed; one that cannot be
//! posted keeps the reason in `error_code`, as Mattermost's codes name it.
//!
//! Restarts lose nothing: a lease taken by a node that stopped runs out and
//! another round takes the post again; and the post is created with the
//! scheduled post's id as its `pending_post_id`, so a second attempt after a
//! post went out (the node stopped before removing it) finds that post
//! instead of posting it twice.

use std::time::Duration;

use super::posts::{check_message, has_attachments};
use super::scheduled_posts::Change;
use super::{Actor, Core, NewPost};
use crate::error::Error;
use crate::model::scheduled_post_errors as codes;
use crate::model::*;
use crate::time::now_ms;

/// Posts taken per round.
const BATCH: i64 = 50;
/// How long a node owns the posts it took: far longer than posting takes.
const LEASE_MS: i64 = 5 * 60_000;
/// A post this late is not sent any more (the server was down, say): it
/// fails with `unable_to_send`, as on Mattermost.
const TOO_LATE_MS: i64 = 24 * 60 * 60_000;

/// What became of one due post.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Sent {
    /// Posted, and removed from the scheduled ones.
    Posted,
    /// Not posted, for this reason (one of `scheduled_post_errors`).
    Failed(&'static str),
    /// Not posted for now (a backend failed); its lease runs out and a later
    /// round tries again.
    Later,
}

impl Core {
    /// Starts the sender on this node.
    pub(crate) fn start_scheduled_sender(&self) {
        let every = Duration::from_secs(self.config().scheduled_posts_poll_seconds.max(1));
        let core = self.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(every);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tick.tick().await;
                core.send_due_scheduled_posts().await;
            }
        });
    }

    /// One round: takes the due posts batch by batch and sends each; returns
    /// what became of each, by scheduled post id.
    pub async fn send_due_scheduled_posts(&self) -> Vec<(String, Sent)> {
        let mut done = Vec::new();
        loop {
            let now = now_ms();
            let mut batch = match self
                .store
                .claim_due_scheduled_posts(now, now + LEASE_MS, BATCH)
                .await
            {
                Ok(batch) => batch,
                Err(e) => {
                    tracing::warn!(error = %e, "cannot read the scheduled posts");
                    return done;
                }
            };
            let full = batch.len() >= usize::try_from(BATCH).unwrap_or(usize::MAX);
            batch.sort_by(|a, b| (a.scheduled_at, &a.id).cmp(&(b.scheduled_at, &b.id)));
            for post in batch {
                let id = post.id.clone();
                let sent = self.send_scheduled_post(post).await;
                done.push((id, sent));
            }
            if !full {
                return done;
            }
        }
    }

    /// Posts one due post as its author, or records why it cannot be.
    async fn send_scheduled_post(&self, post: ScheduledPost) -> Sent {
        let sent = match self.scheduled_post_author(&post).await {
            Ok(author) => self.post_as_author(author, &post).await,
            Err(sent) => sent,
        };
        match sent {
            Sent::Posted => self.settle_posted(post).await,
            Sent::Failed(code) => self.settle_failed(&post, code).await,
            Sent::Later => sent,
        }
    }

    /// The author, as the actor the post is made by, if the post may still
    /// go out: checked in Mattermost's order, so the reason given is theirs.
    async fn scheduled_post_author(&self, post: &ScheduledPost) -> Result<Actor, Sent> {
        if post.scheduled_at < now_ms() - TOO_LATE_MS {
            return Err(Sent::Failed(codes::UNABLE_TO_SEND));
        }
        let channel = self
            .store
            .get_channel(&post.channel_id)
            .await
            .map_err(|e| failure(e, codes::CHANNEL_NOT_FOUND))?;
        let user = self
            .store
            .get_user(&post.user_id)
            .await
            .map_err(|e| failure(e, codes::USER_MISSING))?;
        if user.delete_at != 0 {
            return Err(Sent::Failed(codes::USER_DELETED));
        }
        if channel.delete_at != 0 {
            return Err(Sent::Failed(codes::CHANNEL_ARCHIVED));
        }
        if !post.root_id.is_empty() {
            let root = self
                .store
                .get_post(&post.root_id)
                .await
                .map_err(|e| failure(e, codes::THREAD_DELETED))?;
            if root.delete_at != 0 {
                return Err(Sent::Failed(codes::THREAD_DELETED));
            }
        }
        let actor = Actor::on_behalf_of(user);
        if let Err(e) = self.postable_channel(&actor, &channel.id).await {
            return Err(failure(e, codes::NO_CHANNEL_PERMISSION));
        }
        if check_message(
            &post.message,
            !post.file_ids.is_empty() || has_attachments(Some(&post.props)),
        )
        .is_err()
        {
            return Err(Sent::Failed(codes::INVALID_POST));
        }
        Ok(actor)
    }

    /// Posts it through the ordinary post path.
    async fn post_as_author(&self, author: Actor, post: &ScheduledPost) -> Sent {
        let input = NewPost {
            message: post.message.clone(),
            root_id: post.root_id.clone(),
            props: Some(post.props.clone()),
            file_ids: post.file_ids.clone(),
            // Posting it again (after a stop) finds the first post.
            pending_post_id: post.id.clone(),
            ..NewPost::default()
        };
        match self.create_post(&author, &post.channel_id, input).await {
            Ok(_) => Sent::Posted,
            Err(Error::Forbidden(_)) => Sent::Failed(codes::NO_CHANNEL_PERMISSION),
            Err(Error::Invalid { field, .. }) if field == "root_id" => {
                Sent::Failed(codes::THREAD_DELETED)
            }
            Err(Error::Invalid { .. } | Error::TooLarge(_)) => Sent::Failed(codes::INVALID_POST),
            Err(e @ Error::Unavailable(_)) => {
                tracing::warn!(error = %e, scheduled_post_id = %post.id, "scheduled post not sent yet");
                Sent::Later
            }
            Err(e) => {
                tracing::warn!(error = %e, scheduled_post_id = %post.id, "scheduled post not sent");
                Sent::Failed(codes::UNKNOWN)
            }
        }
    }

    /// Removes a posted one and tells its author's apps it is gone.
    async fn settle_posted(&self, post: ScheduledPost) -> Sent {
        match self.store.delete_scheduled_post(&post.id).await {
            Ok(_) => {
                if let Ok(view) = self.scheduled_view(post).await {
                    self.announce_scheduled(&view, Change::Deleted);
                }
            }
            // Posted; a later round finds the post by its pending id and
            // removes the scheduled one then.
            Err(e) => {
                tracing::warn!(error = %e, scheduled_post_id = %post.id, "posted, but not yet removed from the scheduled posts")
            }
        }
        Sent::Posted
    }

    /// Records why it was not posted and tells its author's apps.
    async fn settle_failed(&self, post: &ScheduledPost, code: &'static str) -> Sent {
        tracing::info!(scheduled_post_id = %post.id, error_code = code, "scheduled post could not be posted");
        match self
            .store
            .fail_scheduled_post(&post.id, code, now_ms())
            .await
        {
            Ok(Some(failed)) => {
                if let Ok(view) = self.scheduled_view(failed).await {
                    self.announce_scheduled(&view, Change::Updated);
                }
                Sent::Failed(code)
            }
            // Deleted meanwhile by its author: nothing left to say.
            Ok(None) => Sent::Failed(code),
            Err(e) => {
                tracing::warn!(error = %e, scheduled_post_id = %post.id, "could not record a failed scheduled post");
                Sent::Later
            }
        }
    }
}

/// A lookup that failed: a missing record is the post's `code`, anything
/// else (a backend down) means trying again later.
fn failure(e: Error, code: &'static str) -> Sent {
    match e {
        Error::NotFound { .. } | Error::Forbidden(_) => Sent::Failed(code),
        e => {
            tracing::warn!(error = %e, "scheduled post not sent yet");
            Sent::Later
        }
    }
}
