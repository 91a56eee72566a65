//! Posts: creating, reading, threads, editing with history, deleting.

use serde::Deserialize;
use utoipa::ToSchema;

use super::{page_limit, validate, Actor, Core};
use crate::error::{Error, Result};
use crate::events::{Audience, EventKind};
use crate::id::new_id;
use crate::model::message_actions;
use crate::model::*;
use crate::store::{ChannelPosts, PostCursor};
use crate::time::now_ms;

/// Largest `props` object of a post, serialized.
const MAX_PROPS_BYTES: usize = 65_535;

/// A message for one user only.
#[derive(Debug, Clone, Default)]
pub struct NewEphemeral {
    pub channel_id: String,
    pub root_id: String,
    pub message: String,
    pub props: Option<serde_json::Value>,
}

/// A new post.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewPost {
    pub message: String,
    /// The thread's root post, for a reply.
    #[serde(default)]
    pub root_id: String,
    #[serde(default)]
    #[schema(value_type = Option<Object>)]
    pub props: Option<serde_json::Value>,
    #[serde(default)]
    pub file_ids: Vec<String>,
    /// Any client-made id; repeating it returns the first post instead of a duplicate.
    #[serde(default)]
    pub pending_post_id: String,
    /// Set by the server only (`me` from the `/me` command); never read from a request.
    #[serde(skip)]
    pub post_type: String,
}

/// Changes to a post; absent fields stay as they are.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PostPatch {
    pub message: Option<String>,
    pub is_pinned: Option<bool>,
    #[schema(value_type = Option<Object>)]
    pub props: Option<serde_json::Value>,
}

/// Whether props carry message attachments, which make a post without text
/// meaningful (as integrations post them).
pub(super) fn has_attachments(props: Option<&serde_json::Value>) -> bool {
    props.is_some_and(message_actions::has_attachments)
}

/// Checks a message's length, and that it is not empty unless the post has
/// other content (files or attachments).
pub(super) fn check_message(message: &str, has_other_content: bool) -> Result<()> {
    if message.chars().count() > MAX_MESSAGE_CHARS {
        return Err(Error::invalid(
            "message",
            format!("must be at most {MAX_MESSAGE_CHARS} characters"),
        ));
    }
    if message.trim().is_empty() && !has_other_content {
        return Err(Error::invalid("message", "must not be empty"));
    }
    Ok(())
}

pub(super) fn check_props(props: &serde_json::Value) -> Result<()> {
    if !props.is_object() {
        return Err(Error::invalid("props", "must be an object"));
    }
    if props.to_string().len() > MAX_PROPS_BYTES {
        return Err(Error::invalid(
            "props",
            format!("must be at most {MAX_PROPS_BYTES} bytes"),
        ));
    }
    Ok(())
}

/// Props only an incoming webhook may set: they change who a post appears
/// to come from (in pushes and the apps).
const WEBHOOK_PROPS: &[&str] = &[
    "from_webhook",
    "override_username",
    "override_icon_url",
    "webhook_display_name",
];

/// Props only the server sets: `force_notification` pushes a post past the
/// recipient's settings and status (the test notification); `from_agent`
/// marks an A2A agent's answer.
const SERVER_PROPS: &[&str] = &["force_notification", "from_agent"];

/// Who a post comes from, which decides the props it may carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PostOrigin {
    /// A user or bot through an API.
    Client,
    /// An incoming webhook: its override name and icon are kept.
    Webhook,
    /// The server itself: every prop is kept.
    Server,
}

impl PostOrigin {
    /// The props this origin may not set.
    fn refused_props(self) -> impl Iterator<Item = &'static &'static str> {
        let webhook: &[&str] = if self == PostOrigin::Client {
            WEBHOOK_PROPS
        } else {
            &[]
        };
        let server: &[&str] = if self == PostOrigin::Server {
            &[]
        } else {
            SERVER_PROPS
        };
        webhook.iter().chain(server)
    }
}

/// Drops the props `origin` may not set.
pub(super) fn strip_refused_props(props: &mut Option<serde_json::Value>, origin: PostOrigin) {
    if let Some(serde_json::Value::Object(map)) = props.as_mut() {
        for key in origin.refused_props() {
            map.remove(*key);
        }
    }
}

/// Gives `props` the stored post's values of the props that say who a post
/// comes from or that only the server sets (or removes them when it had
/// none), whatever the new props say.
pub(super) fn keep_origin_props(props: &mut serde_json::Value, stored: &serde_json::Value) {
    if let Some(map) = props.as_object_mut() {
        for key in WEBHOOK_PROPS.iter().chain(SERVER_PROPS) {
            match stored.get(*key) {
                Some(kept) => map.insert((*key).to_string(), kept.clone()),
                None => map.remove(*key),
            };
        }
    }
}

/// Checks the number and form of the file ids a post names.
pub(super) fn check_file_ids(file_ids: &[String]) -> Result<()> {
    if file_ids.len() > MAX_FILES_PER_POST {
        return Err(Error::invalid(
            "file_ids",
            format!("at most {MAX_FILES_PER_POST} files per post"),
        ));
    }
    for id in file_ids {
        validate::id("file_ids", id)?;
    }
    Ok(())
}

impl Core {
    /// Posts a message (or a reply) in a channel the actor belongs to.
    pub async fn create_post(
        &self,
        actor: &Actor,
        channel_id: &str,
        input: NewPost,
    ) -> Result<Post> {
        self.create_post_from(actor, channel_id, input, PostOrigin::Client)
            .await
    }

    /// Posts a message, with the props its origin may set.
    pub(crate) async fn create_post_from(
        &self,
        actor: &Actor,
        channel_id: &str,
        mut input: NewPost,
        origin: PostOrigin,
    ) -> Result<Post> {
        strip_refused_props(&mut input.props, origin);
        check_message(
            &input.message,
            !input.file_ids.is_empty() || has_attachments(input.props.as_ref()),
        )?;
        check_file_ids(&input.file_ids)?;
        let mut props = input.props.unwrap_or_else(|| serde_json::json!({}));
        check_props(&props)?;
        message_actions::generate_action_ids(&mut props);
        if actor.user.is_bot {
            // Clients mark bot posts by this prop, as Mattermost sets it.
            if let Some(map) = props.as_object_mut() {
                map.insert("from_bot".into(), "true".into());
            }
        }
        validate::length("pending_post_id", &input.pending_post_id, 0, 64)?;
        let channel = if origin == PostOrigin::Webhook {
            self.webhook_channel(actor, channel_id).await?
        } else {
            self.postable_channel(actor, channel_id).await?
        };
        if channel.delete_at != 0 {
            return Err(Error::forbidden("the channel is archived"));
        }
        let file_ids = self.usable_file_ids(actor, &input.file_ids).await?;
        self.check_reply_root(&channel, &input.root_id).await?;
        let now = now_ms();
        let post = Post {
            id: new_id(),
            create_at: now,
            update_at: now,
            edit_at: 0,
            delete_at: 0,
            is_pinned: false,
            user_id: actor.id().to_string(),
            channel_id: channel.id.clone(),
            root_id: input.root_id,
            original_id: String::new(),
            hashtags: parse_hashtags(&input.message),
            message: input.message,
            post_type: input.post_type,
            props,
            file_ids,
            pending_post_id: input.pending_post_id,
            reply_count: 0,
            last_reply_at: 0,
        };
        let saved = self.store.create_post(&post).await?;
        crate::metrics::post_created();
        if saved.id == post.id {
            self.store
                .attach_files(&saved.id, &channel.id, actor.id(), &saved.file_ids, now)
                .await?;
            let files = if saved.file_ids.is_empty() {
                Vec::new()
            } else {
                self.store.list_post_files(&saved.id, false).await?
            };
            // The post is saved: a failure here must not keep it from being delivered.
            let mentions = match self.notify_new_post(&channel, &saved, &actor.user).await {
                Ok(mentions) => mentions,
                Err(e) => {
                    tracing::warn!(error = %e, post_id = %saved.id, "mentions and notifications failed");
                    Default::default()
                }
            };
            let mentioned = mentions.all();
            let explicit = mentions.explicit();
            let mut followers = Vec::new();
            if !saved.root_id.is_empty() {
                let root_author = self.store.get_post(&saved.root_id).await?.user_id;
                self.track_reply(&saved, &root_author, &explicit).await?;
                followers = self.store.list_thread_followers(&saved.root_id).await?;
            }
            self.events.publish(
                EventKind::PostCreated {
                    post: saved.clone(),
                    sender_name: format!("@{}", actor.user.username),
                    channel: channel.clone(),
                    mentions: mentioned.clone(),
                    followers: followers.iter().map(|f| f.member.user_id.clone()).collect(),
                    files,
                },
                Audience::Channel(channel.id.clone()),
            );
            let participants = match followers.first() {
                Some(view) => self.participant_profiles(&view.participants).await?,
                None => Vec::new(),
            };
            for view in followers {
                // What the follower's counts were before this reply.
                let own = view.member.user_id == saved.user_id;
                let mentioned_them = !own && explicit.contains(&view.member.user_id);
                let user_id = view.member.user_id.clone();
                self.events.publish(
                    EventKind::ThreadUpdated {
                        user_id: user_id.clone(),
                        team_id: channel.team_id.clone(),
                        previous_unread_replies: (view.unread_replies - i64::from(!own)).max(0),
                        previous_unread_mentions: (view.member.unread_mentions
                            - i64::from(mentioned_them))
                        .max(0),
                        thread: view,
                        participants: participants.clone(),
                    },
                    Audience::User(user_id),
                );
            }
            // Only what people and bots post fires outgoing webhooks, as on
            // Mattermost: never a webhook's or the server's own posts.
            if origin == PostOrigin::Client {
                self.fire_outgoing_webhooks(&channel, &saved, &actor.user);
                self.notice_agents(&channel, &saved, &actor.user);
            }
        }
        Ok(saved)
    }

    /// A message only `recipient` sees, written as the actor and never
    /// stored: how integrations answer one user. System admins may (as
    /// Mattermost grants `create_post_ephemeral` by default), and bots in
    /// the channels they belong to, to the channel's members.
    pub async fn send_ephemeral_post(
        &self,
        actor: &Actor,
        recipient: &str,
        new: NewEphemeral,
    ) -> Result<Post> {
        if !actor.is_admin() && !actor.user.is_bot {
            return Err(Error::forbidden(
                "only system admins and bots send ephemeral messages",
            ));
        }
        validate::id("user_id", recipient)?;
        validate::id("channel_id", &new.channel_id)?;
        if !actor.is_admin() {
            // A bot answers people where it is: in its own channels, to their members.
            let channel = self.postable_channel(actor, &new.channel_id).await?;
            match self.store.get_channel_member(&channel.id, recipient).await {
                Ok(_) => {}
                Err(Error::NotFound { .. }) => {
                    return Err(Error::invalid("user_id", "is not a member of the channel"))
                }
                Err(e) => return Err(e),
            }
        }
        if !new.root_id.is_empty() {
            validate::id("root_id", &new.root_id)?;
        }
        let props = new.props.unwrap_or_else(|| serde_json::json!({}));
        check_message(&new.message, has_attachments(Some(&props)))?;
        check_props(&props)?;
        let post = Post::ephemeral(
            new_id(),
            actor.id(),
            &new.channel_id,
            &new.root_id,
            new.message,
            props,
            now_ms(),
        );
        self.publish_ephemeral(recipient, post).await
    }

    /// A channel the actor may post in: one they belong to. Archived ones
    /// are returned too; each caller refuses them in its own words.
    pub(super) async fn postable_channel(
        &self,
        actor: &Actor,
        channel_id: &str,
    ) -> Result<Channel> {
        let (channel, _) = self.channel_for_member(actor, channel_id).await?;
        Ok(channel)
    }

    /// A channel a webhook may post in as its creator: one they belong to,
    /// or, as on Mattermost, a public channel of their team without joining it.
    async fn webhook_channel(&self, actor: &Actor, channel_id: &str) -> Result<Channel> {
        let (channel, member) = self.channel_for_read(actor, channel_id).await?;
        if member.is_some() || channel.channel_type == channel_types::OPEN {
            Ok(channel)
        } else {
            Err(Error::forbidden("you are not a member of this channel"))
        }
    }

    /// Checks that a reply's `root_id` (when there is one) is a live root post of `channel`.
    pub(super) async fn check_reply_root(&self, channel: &Channel, root_id: &str) -> Result<()> {
        if root_id.is_empty() {
            return Ok(());
        }
        validate::id("root_id", root_id)?;
        let root = match self.store.get_post(root_id).await {
            Ok(p) => p,
            Err(Error::NotFound { .. }) => return Err(Error::invalid("root_id", "no such post")),
            Err(e) => return Err(e),
        };
        if root.channel_id != channel.id || !root.root_id.is_empty() || root.delete_at != 0 {
            return Err(Error::invalid(
                "root_id",
                "must be a live root post of this channel",
            ));
        }
        Ok(())
    }

    /// One live post in a channel the actor may read.
    pub async fn get_post(&self, actor: &Actor, post_id: &str) -> Result<Post> {
        validate::id("post_id", post_id)?;
        let post = self.store.get_post(post_id).await?;
        if post.delete_at != 0 {
            return Err(Error::not_found("post"));
        }
        self.channel_for_read(actor, &post.channel_id).await?;
        Ok(post)
    }

    /// A channel's posts, newest first, before the post `before` when given.
    pub async fn list_channel_posts(
        &self,
        actor: &Actor,
        channel_id: &str,
        before: Option<&str>,
        limit: Option<i64>,
    ) -> Result<crate::model::Page<Post>> {
        let limit = page_limit(limit)?;
        self.channel_for_read(actor, channel_id).await?;
        let cursor_post = match before {
            None | Some("") => None,
            Some(id) => {
                validate::id("cursor", id)?;
                match self.store.get_post(id).await {
                    Ok(p) if p.channel_id == channel_id => Some(p),
                    Ok(_) | Err(Error::NotFound { .. }) => {
                        return Err(Error::invalid("cursor", "is not a post of this channel"))
                    }
                    Err(e) => return Err(e),
                }
            }
        };
        let cursor = cursor_post.as_ref().map(|p| PostCursor {
            create_at: p.create_at,
            id: &p.id,
        });
        let rows = self
            .store
            .list_channel_posts(ChannelPosts::all(channel_id), cursor, limit + 1)
            .await?;
        Ok(super::into_page(rows, limit, |p| p.id.clone()))
    }

    /// A thread, root first, for a post id of any post in it.
    pub async fn get_thread(&self, actor: &Actor, post_id: &str) -> Result<Vec<Post>> {
        let post = self.get_post(actor, post_id).await?;
        let root = if post.root_id.is_empty() {
            post.id
        } else {
            post.root_id
        };
        self.store.list_thread(&root).await
    }

    /// Edits a post's message or props, keeping the old version: one's own
    /// posts with `edit_post`, anyone's with `edit_others_posts` (system
    /// admins, by default). Pins and unpins for any channel member.
    pub async fn patch_post(&self, actor: &Actor, post_id: &str, patch: PostPatch) -> Result<Post> {
        let mut post = self.get_post(actor, post_id).await?;
        let (channel, member) = self.channel_for_read(actor, &post.channel_id).await?;
        let changes_content = patch.message.is_some() || patch.props.is_some();
        if changes_content {
            let needed = if post.user_id == actor.id() {
                Permission::EditPost
            } else {
                Permission::EditOthersPosts
            };
            self.require_channel_permission(actor, &channel, member.as_ref(), needed)
                .await?;
        } else if member.is_none() && !actor.is_admin() {
            return Err(Error::forbidden("you are not a member of this channel"));
        }
        let now = now_ms();
        if changes_content {
            let history = Post {
                id: new_id(),
                delete_at: now,
                update_at: now,
                original_id: post.id.clone(),
                pending_post_id: String::new(),
                is_pinned: false,
                ..post.clone()
            };
            if let Some(message) = patch.message {
                let attachments = patch.props.as_ref().or(Some(&post.props));
                check_message(
                    &message,
                    !post.file_ids.is_empty() || has_attachments(attachments),
                )?;
                post.hashtags = parse_hashtags(&message);
                post.message = message;
            }
            if let Some(mut props) = patch.props {
                check_props(&props)?;
                // An edit cannot change who the post appears to come from,
                // nor set what only the server sets, nor redirect an action.
                keep_origin_props(&mut props, &post.props);
                message_actions::keep_stored_integrations(&mut props, &post.props);
                message_actions::generate_action_ids(&mut props);
                post.props = props;
            }
            post.edit_at = now;
            post.update_at = now;
            self.store.edit_post(&history, &post).await?;
        }
        if let Some(pinned) = patch.is_pinned {
            post.is_pinned = pinned;
            post.update_at = now;
            self.store.update_post(&post).await?;
        }
        self.events.publish(
            EventKind::PostEdited { post: post.clone() },
            Audience::Channel(post.channel_id.clone()),
        );
        Ok(post)
    }

    /// Deletes a post (and its replies if it is a root): one's own with
    /// `delete_post`, anyone's with `delete_others_posts` (team and system
    /// admins, by default).
    pub async fn delete_post(&self, actor: &Actor, post_id: &str) -> Result<Post> {
        let mut post = self.get_post(actor, post_id).await?;
        let (channel, member) = self.channel_for_read(actor, &post.channel_id).await?;
        let needed = if post.user_id == actor.id() {
            Permission::DeletePost
        } else {
            Permission::DeleteOthersPosts
        };
        self.require_channel_permission(actor, &channel, member.as_ref(), needed)
            .await?;
        let now = now_ms();
        self.store.delete_post(&post, now).await?;
        post.delete_at = now;
        post.update_at = now;
        let post = post.redacted();
        self.events.publish(
            EventKind::PostDeleted {
                post: post.clone(),
                deleted_by: actor.id().to_string(),
            },
            Audience::Channel(post.channel_id.clone()),
        );
        Ok(post)
    }

    /// Posts of a channel changed after `since`, deleted ones included.
    pub async fn posts_since(
        &self,
        actor: &Actor,
        posts: ChannelPosts<'_>,
        since: i64,
    ) -> Result<Vec<Post>> {
        self.channel_for_read(actor, posts.channel_id).await?;
        let changed = self
            .store
            .list_channel_posts_since(posts, since, 1000)
            .await?;
        Ok(changed.into_iter().map(Post::redacted).collect())
    }

    /// A channel's pinned posts, newest first.
    pub async fn pinned_posts(&self, actor: &Actor, channel_id: &str) -> Result<Vec<Post>> {
        self.channel_for_read(actor, channel_id).await?;
        self.store.list_pinned_posts(channel_id).await
    }

    /// The posts among `ids` that the actor may read.
    pub async fn get_posts_by_ids(&self, actor: &Actor, ids: &[String]) -> Result<Vec<Post>> {
        if ids.len() > 200 {
            return Err(Error::invalid("post_ids", "at most 200 ids per request"));
        }
        for id in ids {
            validate::id("post_ids", id)?;
        }
        let mut readable = Vec::new();
        let mut allowed: std::collections::HashMap<String, bool> = Default::default();
        for post in self.store.get_posts_by_ids(ids).await? {
            let ok = match allowed.get(&post.channel_id) {
                Some(ok) => *ok,
                None => {
                    let ok = self.channel_for_read(actor, &post.channel_id).await.is_ok();
                    allowed.insert(post.channel_id.clone(), ok);
                    ok
                }
            };
            if ok {
                readable.push(post);
            }
        }
        Ok(readable)
    }

    /// Live reactions of posts the caller has already been allowed to read.
    pub async fn reactions_of(&self, posts: &[Post]) -> Result<Vec<Reaction>> {
        let ids: Vec<String> = posts.iter().map(|p| p.id.clone()).collect();
        self.store.list_reactions_for_posts(&ids).await
    }

    /// Pins or unpins a post: any member of its channel.
    pub async fn set_pinned(&self, actor: &Actor, post_id: &str, pinned: bool) -> Result<Post> {
        self.patch_post(
            actor,
            post_id,
            PostPatch {
                is_pinned: Some(pinned),
                ..Default::default()
            },
        )
        .await
    }

    /// The posts the actor saved (the `flagged_post` preferences) that they can still read.
    pub async fn flagged_posts(
        &self,
        actor: &Actor,
        channel_id: Option<&str>,
    ) -> Result<Vec<Post>> {
        let ids: Vec<String> = self
            .store
            .list_preferences(actor.id())
            .await?
            .into_iter()
            .filter(|p| p.category == "flagged_post" && p.value == "true")
            .map(|p| p.name)
            .filter(|id| crate::id::is_valid_id(id))
            .take(200)
            .collect();
        let mut posts = self.get_posts_by_ids(actor, &ids).await?;
        if let Some(channel) = channel_id {
            posts.retain(|p| p.channel_id == channel);
        }
        Ok(posts)
    }
}
