//! Post lines: a root post with its replies, reactions, flags, followers
//! and attachments, added to the batch as one thread. Post ids are derived
//! from channel, author, time and thread, so a second run finds them again.

use futures::stream;

use super::{attachment_failure, bad, preference, store_failure, Applied, Failure, Importer};
use crate::bulk::format::PostLine;
use crate::error::Error;
use crate::id::{derived_id, derived_id_at};
use crate::model::*;
use crate::store::ImportBatch;

/// Posts (roots and replies) held before a batch is written: large enough
/// that each transaction carries thousands of rows, small enough to keep
/// memory flat.
const BATCH_POSTS: usize = 2000;

impl Importer<'_> {
    pub(super) async fn channel_post(&mut self, p: &PostLine) -> Applied {
        let team_id = self
            .team_id(p.team.as_deref().unwrap_or_default(), "post.team")
            .await?;
        let channel_id = self
            .channel_id(
                &team_id,
                p.channel.as_deref().unwrap_or_default(),
                "post.channel",
            )
            .await?;
        self.thread(&channel_id, p, "post").await
    }

    /// A root post and its replies, added to the batch together (or not at all).
    pub(super) async fn thread(
        &mut self,
        channel_id: &str,
        root: &PostLine,
        field: &str,
    ) -> Applied {
        let mut rows = ImportBatch::default();
        let root_post = self
            .post_rows(channel_id, "", root, field, &mut rows)
            .await?;
        for (i, reply) in root.replies.iter().flatten().enumerate() {
            self.post_rows(
                channel_id,
                &root_post.id,
                reply,
                &format!("{field}.replies[{i}]"),
                &mut rows,
            )
            .await?;
        }
        for (i, follower) in root.thread_followers.iter().flatten().enumerate() {
            let user_id = self
                .user_id(
                    follower.user.as_deref().unwrap_or_default(),
                    &format!("{field}.thread_followers[{i}].user"),
                )
                .await?;
            rows.followers.push(ThreadMember {
                post_id: root_post.id.clone(),
                user_id,
                following: true,
                last_viewed: follower.last_viewed.unwrap_or(0),
                last_updated: root_post.create_at,
                unread_mentions: follower.unread_mentions.unwrap_or(0),
            });
        }
        self.touched.insert(channel_id.to_string());
        self.posts_read += rows.posts.len() as u64;
        let batch = &mut self.batch;
        batch.posts.append(&mut rows.posts);
        batch.reactions.append(&mut rows.reactions);
        batch.files.append(&mut rows.files);
        batch.preferences.append(&mut rows.preferences);
        batch.followers.append(&mut rows.followers);
        if batch.posts.len() >= BATCH_POSTS {
            self.flush().await.map_err(Failure::Store)?;
        }
        Ok(())
    }

    /// One post's rows: the post, its reactions, files and flags.
    async fn post_rows(
        &mut self,
        channel_id: &str,
        root_id: &str,
        p: &PostLine,
        field: &str,
        rows: &mut ImportBatch,
    ) -> Applied<Post> {
        let user_id = self
            .user_id(
                p.user.as_deref().unwrap_or_default(),
                &format!("{field}.user"),
            )
            .await?;
        let create_at = p.create_at.unwrap_or(0);
        let message = p.message.clone().unwrap_or_default();
        let edit_at = p.edit_at.unwrap_or(0);
        let mut post = Post {
            id: post_id(channel_id, &user_id, create_at, root_id),
            create_at,
            update_at: create_at.max(edit_at),
            edit_at,
            delete_at: 0,
            is_pinned: p.is_pinned.unwrap_or(false),
            user_id,
            channel_id: channel_id.to_string(),
            root_id: root_id.to_string(),
            original_id: String::new(),
            hashtags: parse_hashtags(&message),
            message,
            post_type: p.post_type.clone().unwrap_or_default(),
            props: match &p.props {
                Some(v @ serde_json::Value::Object(_)) => v.clone(),
                _ => serde_json::json!({}),
            },
            file_ids: Vec::new(),
            pending_post_id: String::new(),
            reply_count: 0,
            last_reply_at: 0,
        };
        // As every saved post: each attachment action gets an id.
        crate::model::message_actions::generate_action_ids(&mut post.props);
        for (i, r) in p.reactions.iter().flatten().enumerate() {
            let user_id = self
                .user_id(
                    r.user.as_deref().unwrap_or_default(),
                    &format!("{field}.reactions[{i}].user"),
                )
                .await?;
            let at = r.create_at.unwrap_or(create_at);
            rows.reactions.push(Reaction {
                user_id,
                post_id: post.id.clone(),
                emoji_name: r.emoji_name.clone().unwrap_or_default(),
                channel_id: channel_id.to_string(),
                create_at: at,
                update_at: at,
                delete_at: 0,
            });
        }
        for (i, name) in p.flagged_by.iter().flatten().enumerate() {
            let user_id = self
                .user_id(name, &format!("{field}.flagged_by[{i}]"))
                .await?;
            rows.preferences
                .push(preference(&user_id, "flagged_post", &post.id, "true"));
        }
        for (i, a) in p.attachments.iter().flatten().enumerate() {
            let path = a.path.as_deref().unwrap_or_default();
            let info = self.attachment(&post, i, path).await.map_err(|e| match e {
                Failure::Line(invalid) => {
                    bad(format!("{field}.attachments[{i}].path"), invalid.reason)
                }
                other => other,
            })?;
            post.file_ids.push(info.id.clone());
            if let Some(info) = info.new {
                rows.files.push(info);
            }
        }
        rows.posts.push(post.clone());
        Ok(post)
    }

    /// Stores an attachment's bytes (once: a re-run finds its record).
    async fn attachment(&mut self, post: &Post, index: usize, path: &str) -> Applied<StoredFile> {
        let id = derived_id(&["file", &post.id, &index.to_string()]);
        // Another line of this run (the same post again) stored it already.
        if self.files_filling.contains(&id) || self.files_writing.contains(&id) {
            return Ok(StoredFile { id, new: None });
        }
        match self.core.store.get_file_info(&id).await {
            Ok(_) => return Ok(StoredFile { id, new: None }),
            Err(Error::NotFound { .. }) => {}
            Err(e) => return Err(Failure::Store(e)),
        }
        let bytes = self
            .files
            .read(path, self.core.config().max_file_size)
            .await
            .map_err(attachment_failure)?;
        let file_name = path.rsplit('/').next().unwrap_or(path);
        let body: crate::files::ByteStream<'static> =
            Box::pin(stream::iter([Ok(bytes::Bytes::from(bytes))]));
        let mut info = self
            .core
            .store_file_bytes(id.clone(), &post.user_id, post.create_at, file_name, body)
            .await
            .map_err(store_failure(""))?;
        info.post_id = post.id.clone();
        info.channel_id = post.channel_id.clone();
        self.files_filling.insert(id.clone());
        self.written.attachments += 1;
        Ok(StoredFile {
            id,
            new: Some(info),
        })
    }
}

/// An attachment's id, and its record when this run stored it.
struct StoredFile {
    id: String,
    new: Option<FileInfo>,
}

/// A post's id: fixed by its channel, author, time and thread, so the same
/// post imported again is recognised without a lookup.
pub fn post_id(channel_id: &str, user_id: &str, create_at: i64, root_id: &str) -> String {
    derived_id_at(
        create_at,
        &["post", channel_id, user_id, &create_at.to_string(), root_id],
    )
}
