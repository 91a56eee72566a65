//! Scheduled posts ("send later"): a user writes a message now and it is
//! posted as them at the time they chose. Only the author sees, changes or
//! deletes one; scheduling asks what posting asks (a channel they belong to
//! and may post in, a live thread, a valid message and files) plus a time
//! that has not passed. The sender (`scheduled_sender`) posts due ones.

use serde::Deserialize;
use utoipa::ToSchema;

use super::posts::{check_file_ids, check_message, check_props, strip_refused_props, PostOrigin};
use super::{validate, Actor, Core};
use crate::error::{Error, Result};
use crate::events::{Audience, EventKind};
use crate::id::new_id;
use crate::model::*;
use crate::time::now_ms;

/// How far in the past a new time may lie, for clocks and networks that lag
/// a little (as Mattermost allows).
const PAST_GRACE_MS: i64 = 5_000;

/// The refusal when a scheduled post belongs to someone else. Mattermost
/// says so (403) rather than pretending it does not exist.
pub const NOT_OWNER: &str = "the scheduled post belongs to another user";

/// What an author writes when scheduling a post, or changing one.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct ScheduledPostInput {
    #[serde(default)]
    pub channel_id: String,
    /// The thread to reply to, for a reply.
    #[serde(default)]
    pub root_id: String,
    #[serde(default)]
    pub message: String,
    #[serde(default)]
    #[schema(value_type = Option<Object>)]
    pub props: Option<serde_json::Value>,
    #[serde(default)]
    pub file_ids: Vec<String>,
    /// `priority`, `requested_ack`, `persistent_notifications`, kept as given.
    #[serde(default)]
    #[schema(value_type = Option<Object>)]
    pub priority: Option<serde_json::Value>,
    /// When to post it, ms.
    pub scheduled_at: i64,
}

/// A scheduled post's content, checked, with the files the author may attach.
struct Content {
    message: String,
    props: serde_json::Value,
    file_ids: Vec<String>,
    priority: serde_json::Value,
    scheduled_at: i64,
}

/// A user's scheduled posts in a team, and (when asked for) in their
/// direct and group channels.
#[derive(Debug, Clone, Default)]
pub struct ScheduledPostLists {
    pub team: Vec<ScheduledPostView>,
    pub direct: Option<Vec<ScheduledPostView>>,
}

impl Core {
    /// Schedules a post in a channel the actor may post in.
    pub async fn create_scheduled_post(
        &self,
        actor: &Actor,
        input: ScheduledPostInput,
    ) -> Result<ScheduledPostView> {
        validate::id("channel_id", &input.channel_id)?;
        let channel = self.schedulable_channel(actor, &input.channel_id).await?;
        self.check_reply_root(&channel, &input.root_id).await?;
        let root_id = input.root_id.clone();
        let content = self.checked_content(actor, input).await?;
        let now = now_ms();
        let post = ScheduledPost {
            id: new_id(),
            create_at: now,
            update_at: now,
            user_id: actor.id().to_string(),
            channel_id: channel.id,
            root_id,
            message: content.message,
            props: content.props,
            file_ids: content.file_ids,
            priority: content.priority,
            scheduled_at: content.scheduled_at,
            processed_at: 0,
            error_code: String::new(),
        };
        self.store.create_scheduled_post(&post).await?;
        let view = self.scheduled_view(post).await?;
        self.announce_scheduled(&view, Change::Created);
        Ok(view)
    }

    /// Changes the content or the time of one of the actor's scheduled
    /// posts; its channel and thread stay. A post that had failed waits to
    /// be sent again.
    pub async fn update_scheduled_post(
        &self,
        actor: &Actor,
        id: &str,
        input: ScheduledPostInput,
    ) -> Result<ScheduledPostView> {
        let existing = self.own_scheduled_post(actor, id).await?;
        self.schedulable_channel(actor, &existing.channel_id)
            .await?;
        let content = self.checked_content(actor, input).await?;
        let post = ScheduledPost {
            update_at: now_ms(),
            message: content.message,
            props: content.props,
            file_ids: content.file_ids,
            priority: content.priority,
            scheduled_at: content.scheduled_at,
            processed_at: 0,
            error_code: String::new(),
            ..existing
        };
        self.store.update_scheduled_post(&post).await?;
        let view = self.scheduled_view(post).await?;
        self.announce_scheduled(&view, Change::Updated);
        Ok(view)
    }

    /// Deletes one of the actor's scheduled posts (wherever it was to go);
    /// returns it as it was.
    pub async fn delete_scheduled_post(
        &self,
        actor: &Actor,
        id: &str,
    ) -> Result<ScheduledPostView> {
        let existing = self.own_scheduled_post(actor, id).await?;
        if !self.store.delete_scheduled_post(&existing.id).await? {
            return Err(Error::not_found("scheduled post"));
        }
        let view = self.scheduled_view(existing).await?;
        self.announce_scheduled(&view, Change::Deleted);
        Ok(view)
    }

    /// The actor's scheduled posts in a team they belong to, soonest first,
    /// and with `direct` those in their direct and group channels.
    pub async fn list_scheduled_posts(
        &self,
        actor: &Actor,
        team_id: &str,
        direct: bool,
    ) -> Result<ScheduledPostLists> {
        self.team_for_member(actor, team_id).await?;
        let team = self.scheduled_views(actor.id(), team_id).await?;
        let direct = if direct {
            Some(self.scheduled_views(actor.id(), "").await?)
        } else {
            None
        };
        Ok(ScheduledPostLists { team, direct })
    }

    /// A scheduled post of the actor's.
    async fn own_scheduled_post(&self, actor: &Actor, id: &str) -> Result<ScheduledPost> {
        validate::id("scheduled_post_id", id)?;
        let post = self.store.get_scheduled_post(id).await?;
        if post.user_id != actor.id() {
            return Err(Error::forbidden(NOT_OWNER));
        }
        Ok(post)
    }

    /// A channel the actor may schedule posts in: one they may post in,
    /// not archived.
    async fn schedulable_channel(&self, actor: &Actor, channel_id: &str) -> Result<Channel> {
        let channel = self.postable_channel(actor, channel_id).await?;
        if channel.delete_at != 0 {
            return Err(Error::invalid("channel", "is archived"));
        }
        Ok(channel)
    }

    /// Checks what posting would check of the content, and the time. Of the
    /// files, those the actor uploaded and has not posted are kept, as
    /// posting keeps them (a scheduled post's files stay unposted until it
    /// goes out).
    async fn checked_content(
        &self,
        actor: &Actor,
        mut input: ScheduledPostInput,
    ) -> Result<Content> {
        if input.scheduled_at < now_ms() - PAST_GRACE_MS {
            return Err(Error::invalid("scheduled_at", "is in the past"));
        }
        check_file_ids(&input.file_ids)?;
        strip_refused_props(&mut input.props, PostOrigin::Client);
        let props = input.props.unwrap_or_else(|| serde_json::json!({}));
        check_props(&props)?;
        let priority = match input.priority {
            None | Some(serde_json::Value::Null) => serde_json::json!({}),
            Some(p) if p.is_object() => p,
            Some(_) => return Err(Error::invalid("priority", "must be an object")),
        };
        let file_ids = self.usable_file_ids(actor, &input.file_ids).await?;
        if input.message.trim().is_empty() && file_ids.is_empty() {
            return Err(Error::invalid("post", "has neither a message nor files"));
        }
        check_message(&input.message, !file_ids.is_empty())?;
        Ok(Content {
            message: input.message,
            props,
            file_ids,
            priority,
            scheduled_at: input.scheduled_at,
        })
    }

    /// Scheduled posts of a user in a team (`""`: direct and group channels), with their files.
    async fn scheduled_views(
        &self,
        user_id: &str,
        team_id: &str,
    ) -> Result<Vec<ScheduledPostView>> {
        let posts = self
            .store
            .list_user_scheduled_posts(user_id, team_id)
            .await?;
        let ids: Vec<String> = posts.iter().flat_map(|p| p.file_ids.clone()).collect();
        let files = self.store.list_files_by_ids(&ids).await?;
        Ok(posts
            .into_iter()
            .map(|post| with_files(post, &files))
            .collect())
    }

    /// A scheduled post with the records of its files.
    pub(super) async fn scheduled_view(&self, post: ScheduledPost) -> Result<ScheduledPostView> {
        let files = self.store.list_files_by_ids(&post.file_ids).await?;
        Ok(with_files(post, &files))
    }

    /// Tells the author's apps (and only them) what became of a scheduled post.
    pub(super) fn announce_scheduled(&self, view: &ScheduledPostView, change: Change) {
        let scheduled_post = view.clone();
        let kind = match change {
            Change::Created => EventKind::ScheduledPostCreated { scheduled_post },
            Change::Updated => EventKind::ScheduledPostUpdated { scheduled_post },
            Change::Deleted => EventKind::ScheduledPostDeleted { scheduled_post },
        };
        self.events
            .publish(kind, Audience::User(view.post.user_id.clone()));
    }
}

/// What happened to a scheduled post, for its author's apps.
#[derive(Debug, Clone, Copy)]
pub(super) enum Change {
    Created,
    Updated,
    Deleted,
}

/// A scheduled post with those of `files` that are its own, in its order.
fn with_files(post: ScheduledPost, files: &[FileInfo]) -> ScheduledPostView {
    let files = post
        .file_ids
        .iter()
        .filter_map(|id| files.iter().find(|f| f.id == *id).cloned())
        .collect();
    ScheduledPostView { post, files }
}
