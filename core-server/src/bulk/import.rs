//! Writes checked lines of a bulk file into the store. Names (teams,
//! channels, users) are resolved in the file's order and against what is
//! already stored; posts go in batches; every row has a key a second run
//! finds again (post ids are derived from channel, author, time and thread),
//! so importing the same file twice adds nothing.

use std::collections::{HashMap, HashSet};

use futures::stream;

use super::attachments::{AttachmentError, Attachments};
use super::format::*;
use super::validate::Invalid;
use crate::error::Error;
use crate::id::{derived_id, derived_id_at, new_id};
use crate::model::*;
use crate::services::channels::{group_channel_name, new_channel};
use crate::services::teams::{default_channels, new_channel_member, DEFAULT_CHANNELS};
use crate::services::Core;
use crate::store::ImportBatch;
use crate::time::now_ms;

/// Posts (roots and replies) held before a batch is written: large enough
/// that each transaction carries thousands of rows, small enough to keep
/// memory flat.
const BATCH_POSTS: usize = 2000;

/// Why a line was not imported.
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    /// The line is skipped; the import goes on.
    #[error("{0}")]
    Line(Invalid),
    /// The store failed: the import stops.
    #[error("{0}")]
    Store(Error),
}

type Applied<T = ()> = Result<T, Failure>;

fn bad(field: impl Into<String>, reason: impl Into<String>) -> Failure {
    Failure::Line(Invalid {
        field: field.into(),
        reason: reason.into(),
    })
}

/// Store errors that concern the line's data skip the line; others stop.
fn store_failure(field: &str) -> impl Fn(Error) -> Failure + '_ {
    move |e| match e {
        Error::Invalid { reason, .. } | Error::Conflict { reason, .. } => bad(field, reason),
        Error::NotFound { entity } => bad(field, format!("{entity} not found")),
        Error::TooLarge(reason) => bad(field, reason),
        other => Failure::Store(other),
    }
}

/// What an import wrote (new rows; rows already there are not counted).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Written {
    pub teams: u64,
    pub channels: u64,
    pub users: u64,
    pub posts: u64,
    pub attachments: u64,
    pub emoji: u64,
}

/// The state of one import: resolved names and the batch being filled.
pub struct Importer<'a> {
    core: &'a Core,
    files: Attachments,
    teams: HashMap<String, String>,
    channels: HashMap<(String, String), String>,
    users: HashMap<String, String>,
    /// Channels that received posts: their counters are recounted at the end.
    touched: HashSet<String>,
    batch: ImportBatch,
    /// The batch being written while the next one is filled.
    writing: Option<tokio::task::JoinHandle<Result<u64, Error>>>,
    /// Attachment ids of the batch being filled and of the one being written:
    /// stored already, though not yet recorded.
    files_filling: HashSet<String>,
    files_writing: HashSet<String>,
    pub written: Written,
    /// Posts and replies read (new or not).
    pub posts_read: u64,
}

impl<'a> Importer<'a> {
    pub fn new(core: &'a Core, files: Attachments) -> Self {
        Importer {
            core,
            files,
            teams: HashMap::new(),
            channels: HashMap::new(),
            users: HashMap::new(),
            touched: HashSet::new(),
            batch: ImportBatch::default(),
            writing: None,
            files_filling: HashSet::new(),
            files_writing: HashSet::new(),
            written: Written::default(),
            posts_read: 0,
        }
    }

    /// Imports one checked line.
    pub async fn apply(&mut self, line: &Line) -> Applied {
        match line.kind.as_str() {
            "team" => match &line.team {
                Some(t) => self.team(t).await,
                None => Ok(()),
            },
            "channel" => match &line.channel {
                Some(c) => self.channel(c).await,
                None => Ok(()),
            },
            "user" => match &line.user {
                Some(u) => self.user(u).await,
                None => Ok(()),
            },
            "bot" => match &line.bot {
                Some(b) => self.bot(b).await,
                None => Ok(()),
            },
            "post" => match &line.post {
                Some(p) => self.channel_post(p).await,
                None => Ok(()),
            },
            "direct_channel" => match &line.direct_channel {
                Some(d) => self.direct_channel(d).await,
                None => Ok(()),
            },
            "direct_post" => match &line.direct_post {
                Some(d) => self.direct_post(d).await,
                None => Ok(()),
            },
            "emoji" => match &line.emoji {
                Some(e) => self.emoji(e).await,
                None => Ok(()),
            },
            // The version line was checked; roles and schemes are not imported.
            _ => Ok(()),
        }
    }

    /// Writes what is still batched and recounts the channels that got
    /// posts. Call once, after the last line.
    pub async fn finish(&mut self) -> Result<(), Error> {
        self.flush().await?;
        self.wait_for_write().await?;
        for channel_id in std::mem::take(&mut self.touched) {
            self.core.store.settle_imported_channel(&channel_id).await?;
        }
        Ok(())
    }

    /// Hands the batch to a writer task, once the previous one is written:
    /// the next batch is built while this one is stored.
    async fn flush(&mut self) -> Result<(), Error> {
        if self.batch.is_empty() {
            return Ok(());
        }
        self.wait_for_write().await?;
        let batch = std::mem::take(&mut self.batch);
        self.files_writing = std::mem::take(&mut self.files_filling);
        let store = self.core.store.clone();
        self.writing = Some(tokio::spawn(
            async move { store.import_batch(&batch).await },
        ));
        Ok(())
    }

    async fn wait_for_write(&mut self) -> Result<(), Error> {
        if let Some(writing) = self.writing.take() {
            self.written.posts += writing
                .await
                .map_err(|e| Error::Internal(format!("batch writer: {e}")))??;
            self.files_writing.clear();
        }
        Ok(())
    }

    // ---- names

    async fn team_id(&mut self, name: &str, field: &str) -> Applied<String> {
        let name = name.to_lowercase();
        if let Some(id) = self.teams.get(&name) {
            return Ok(id.clone());
        }
        match self.core.store.get_team_by_name(&name).await {
            Ok(team) => {
                self.teams.insert(name, team.id.clone());
                Ok(team.id)
            }
            Err(Error::NotFound { .. }) => Err(bad(field, format!("no team named {name:?}"))),
            Err(e) => Err(Failure::Store(e)),
        }
    }

    async fn channel_id(&mut self, team_id: &str, name: &str, field: &str) -> Applied<String> {
        let key = (team_id.to_string(), name.to_lowercase());
        if let Some(id) = self.channels.get(&key) {
            return Ok(id.clone());
        }
        match self.core.store.get_channel_by_name(team_id, &key.1).await {
            Ok(channel) => {
                self.channels.insert(key, channel.id.clone());
                Ok(channel.id)
            }
            Err(Error::NotFound { .. }) => Err(bad(
                field,
                format!("no channel named {:?} in the team", key.1),
            )),
            Err(e) => Err(Failure::Store(e)),
        }
    }

    async fn user_id(&mut self, username: &str, field: &str) -> Applied<String> {
        let username = username.to_lowercase();
        if let Some(id) = self.users.get(&username) {
            return Ok(id.clone());
        }
        match self.core.store.get_user_by_username(&username).await {
            Ok(user) => {
                self.users.insert(username, user.id.clone());
                Ok(user.id)
            }
            Err(Error::NotFound { .. }) => Err(bad(field, format!("no user named {username:?}"))),
            Err(e) => Err(Failure::Store(e)),
        }
    }

    // ---- teams and channels

    async fn team(&mut self, t: &TeamLine) -> Applied {
        let name = t.name.as_deref().unwrap_or_default().to_lowercase();
        let team_type = t.team_type.clone().unwrap_or_else(|| "O".into());
        let display_name = t.display_name.clone().unwrap_or_default();
        let store = &self.core.store;
        match store.get_team_by_name(&name).await {
            Ok(mut team) => {
                let before = team.clone();
                team.display_name = display_name;
                team.team_type = team_type;
                if let Some(d) = &t.description {
                    team.description = d.clone();
                }
                team.allow_open_invite = t.allow_open_invite.unwrap_or(team.allow_open_invite);
                if team != before {
                    team.update_at = now_ms();
                    store
                        .update_team(&team)
                        .await
                        .map_err(store_failure("team"))?;
                }
                self.teams.insert(name, team.id);
                Ok(())
            }
            Err(Error::NotFound { .. }) => {
                let now = now_ms();
                let team = Team {
                    id: new_id(),
                    create_at: now,
                    update_at: now,
                    delete_at: 0,
                    display_name,
                    name: name.clone(),
                    description: t.description.clone().unwrap_or_default(),
                    email: String::new(),
                    allow_open_invite: t.allow_open_invite.unwrap_or(team_type == "O"),
                    team_type,
                    company_name: String::new(),
                    allowed_domains: String::new(),
                    invite_id: new_id(),
                    last_team_icon_update: 0,
                };
                let channels = default_channels(&team.id, now);
                store
                    .create_team(&team, &channels, None, &[])
                    .await
                    .map_err(store_failure("team.name"))?;
                self.written.teams += 1;
                self.teams.insert(name, team.id);
                Ok(())
            }
            Err(e) => Err(Failure::Store(e)),
        }
    }

    async fn channel(&mut self, c: &ChannelLine) -> Applied {
        let team_id = self
            .team_id(c.team.as_deref().unwrap_or_default(), "channel.team")
            .await?;
        let name = c.name.as_deref().unwrap_or_default().to_lowercase();
        let channel_type = c.channel_type.clone().unwrap_or_else(|| "O".into());
        let store = &self.core.store;
        let existing = match store.get_channel_by_name(&team_id, &name).await {
            Ok(channel) => Some(channel),
            Err(Error::NotFound { .. }) => None,
            Err(e) => return Err(Failure::Store(e)),
        };
        let now = now_ms();
        let mut channel = existing.clone().unwrap_or_else(|| {
            new_channel(
                &team_id,
                &channel_type,
                name.clone(),
                String::new(),
                "",
                now,
            )
        });
        channel.channel_type = channel_type;
        channel.display_name = c.display_name.clone().unwrap_or_else(|| name.clone());
        if let Some(h) = &c.header {
            channel.header = h.clone();
        }
        if let Some(p) = &c.purpose {
            channel.purpose = p.clone();
        }
        channel.delete_at = c.deleted_at.unwrap_or(0);
        match existing {
            Some(before) if before == channel => {}
            Some(_) => {
                channel.update_at = now;
                store
                    .update_channel(&channel)
                    .await
                    .map_err(store_failure("channel"))?;
            }
            None => {
                store
                    .create_channel(&channel, &[])
                    .await
                    .map_err(store_failure("channel.name"))?;
                self.written.channels += 1;
            }
        }
        self.channels.insert((team_id, name), channel.id);
        Ok(())
    }

    // ---- users and bots

    async fn user(&mut self, u: &UserLine) -> Applied {
        let username = u.username.as_deref().unwrap_or_default().to_lowercase();
        let store = self.core.store.clone();
        let existing = match store.get_user_by_username(&username).await {
            Ok(user) => Some(user),
            Err(Error::NotFound { .. }) => None,
            Err(e) => return Err(Failure::Store(e)),
        };
        let now = now_ms();
        let mut user = existing.clone().unwrap_or_else(|| User {
            // The export's addresses were verified where they came from.
            email_verified: true,
            ..User::new_account(new_id(), username.clone(), String::new(), now)
        });
        apply_user_fields(&mut user, u);
        match existing {
            Some(before) if before == user => {}
            Some(_) => {
                user.update_at = now;
                store
                    .update_user(&user)
                    .await
                    .map_err(store_failure("user"))?;
            }
            None => {
                // Without a password in the file the account has none: its
                // owner sets one through a reset (or an admin does).
                let hash = match u.password.as_deref().filter(|p| !p.is_empty()) {
                    Some(p) => Some(
                        crate::services::auth::hash_password(p)
                            .await
                            .map_err(Failure::Store)?,
                    ),
                    None => None,
                };
                store
                    .create_user(&user, hash.as_deref())
                    .await
                    .map_err(|e| match e {
                        Error::Conflict { .. } => bad(
                            "user.email",
                            format!("{} belongs to another account", user.email),
                        ),
                        other => store_failure("user")(other),
                    })?;
                self.written.users += 1;
            }
        }
        self.users.insert(username, user.id.clone());
        let mut preferences = Vec::new();
        if let Some(theme) = u.theme.as_deref().filter(|t| !t.is_empty()) {
            preferences.push(preference(&user.id, "theme", "", theme));
        }
        if let Some(seconds) = u.email_interval.as_deref().and_then(email_interval_seconds) {
            preferences.push(preference(
                &user.id,
                "notifications",
                "email_interval",
                seconds,
            ));
        }
        for (i, team) in u.teams.iter().flatten().enumerate() {
            self.user_team(&user.id, team, i, &mut preferences).await?;
        }
        if !preferences.is_empty() {
            store
                .save_preferences(&preferences)
                .await
                .map_err(store_failure("user"))?;
        }
        Ok(())
    }

    async fn user_team(
        &mut self,
        user_id: &str,
        t: &UserTeam,
        index: usize,
        preferences: &mut Vec<Preference>,
    ) -> Applied {
        let field = format!("user.teams[{index}]");
        let team_id = self
            .team_id(
                t.name.as_deref().unwrap_or_default(),
                &format!("{field}.name"),
            )
            .await?;
        let now = now_ms();
        let member = TeamMember {
            team_id: team_id.clone(),
            user_id: user_id.to_string(),
            roles: team_roles(t.roles.as_deref().unwrap_or_default()),
            delete_at: 0,
            create_at: now,
            update_at: now,
        };
        if let Some(theme) = t.theme.as_deref().filter(|t| !t.is_empty()) {
            preferences.push(preference(user_id, "theme", &team_id, theme));
        }
        let mut rows = Vec::new();
        for (i, c) in t.channels.iter().flatten().enumerate() {
            let channel_field = format!("{field}.channels[{i}]");
            let channel_id = self
                .channel_id(
                    &team_id,
                    c.name.as_deref().unwrap_or_default(),
                    &format!("{channel_field}.name"),
                )
                .await?;
            let mut row = new_channel_member(
                &channel_id,
                user_id,
                &channel_roles(c.roles.as_deref()),
                now,
            );
            if let Some(props) = &c.notify_props {
                for (key, value) in [
                    ("desktop", &props.desktop),
                    ("push", &props.mobile),
                    ("mark_unread", &props.mark_unread),
                ] {
                    if let Some(v) = value {
                        row.notify_props.insert(key.to_string(), v.clone());
                    }
                }
            }
            row.last_viewed_at = c.last_viewed_at.unwrap_or(0);
            row.msg_count = c.msg_count.unwrap_or(0);
            row.mention_count = c.mention_count.unwrap_or(0);
            if c.favorite == Some(true) {
                preferences.push(preference(user_id, "favorite_channel", &channel_id, "true"));
            }
            rows.push(row);
        }
        // Every member is in the team's default channels, as when they join here.
        for (name, _) in DEFAULT_CHANNELS {
            if let Ok(id) = self.channel_id(&team_id, name, &field).await {
                if !rows.iter().any(|r| r.channel_id == id) {
                    rows.push(new_channel_member(&id, user_id, roles::CHANNEL_USER, now));
                }
            }
        }
        self.core
            .store
            .save_team_member(&member, &rows)
            .await
            .map_err(store_failure(&field))
    }

    async fn bot(&mut self, b: &BotLine) -> Applied {
        let username = b.username.as_deref().unwrap_or_default().to_lowercase();
        let owner_id = self
            .user_id(b.owner.as_deref().unwrap_or_default(), "bot.owner")
            .await?;
        let store = self.core.store.clone();
        let now = now_ms();
        let display_name = b.display_name.clone().unwrap_or_default();
        let description = b.description.clone().unwrap_or_default();
        let delete_at = b.delete_at.unwrap_or(0);
        match store.get_user_by_username(&username).await {
            Ok(user) if !user.is_bot => {
                return Err(bad(
                    "bot.username",
                    format!("{username:?} is a user, not a bot"),
                ))
            }
            Ok(user) => {
                let mut bot = store
                    .get_bot(&user.id)
                    .await
                    .map_err(store_failure("bot"))?;
                let before = bot.clone();
                bot.display_name = display_name;
                bot.description = description;
                bot.owner_id = owner_id;
                bot.delete_at = delete_at;
                if bot != before {
                    bot.update_at = now;
                    store.update_bot(&bot).await.map_err(store_failure("bot"))?;
                }
                self.users.insert(username, user.id);
            }
            Err(Error::NotFound { .. }) => {
                let id = new_id();
                let user = User {
                    delete_at,
                    email_verified: true,
                    first_name: display_name.clone(),
                    is_bot: true,
                    bot_description: description.clone(),
                    ..User::new_account(
                        id.clone(),
                        username.clone(),
                        format!("{username}@localhost"),
                        now,
                    )
                };
                let bot = Bot {
                    user_id: id.clone(),
                    username: username.clone(),
                    display_name,
                    description,
                    owner_id,
                    create_at: now,
                    update_at: now,
                    delete_at,
                    last_icon_update: 0,
                };
                store
                    .create_bot(&user, &bot)
                    .await
                    .map_err(store_failure("bot.username"))?;
                self.written.users += 1;
                self.users.insert(username, id);
            }
            Err(e) => return Err(Failure::Store(e)),
        }
        Ok(())
    }

    // ---- direct and group channels

    async fn direct_channel_id(&mut self, usernames: &[String], field: &str) -> Applied<String> {
        let mut ids = Vec::with_capacity(usernames.len());
        for (i, name) in usernames.iter().enumerate() {
            let id = self.user_id(name, &format!("{field}[{i}]")).await?;
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
        let (channel_type, name) = match ids.as_slice() {
            [only] => (channel_types::DIRECT, direct_channel_name(only, only)),
            [a, b] => (channel_types::DIRECT, direct_channel_name(a, b)),
            _ => (channel_types::GROUP, group_channel_name(&ids)),
        };
        let key = (String::new(), name.clone());
        if let Some(id) = self.channels.get(&key) {
            return Ok(id.clone());
        }
        let store = &self.core.store;
        let channel = match store.get_channel_by_name("", &name).await {
            Ok(channel) => channel,
            Err(Error::NotFound { .. }) => {
                let now = now_ms();
                let display_name = if channel_type == channel_types::GROUP {
                    let mut names: Vec<String> =
                        usernames.iter().map(|u| u.to_lowercase()).collect();
                    names.sort();
                    names.dedup();
                    names.join(", ")
                } else {
                    String::new()
                };
                let channel = new_channel("", channel_type, name.clone(), display_name, "", now);
                let rows: Vec<ChannelMember> = ids
                    .iter()
                    .map(|u| new_channel_member(&channel.id, u, roles::CHANNEL_USER, now))
                    .collect();
                store
                    .create_channel(&channel, &rows)
                    .await
                    .map_err(store_failure(field))?;
                self.written.channels += 1;
                channel
            }
            Err(e) => return Err(Failure::Store(e)),
        };
        self.channels.insert(key, channel.id.clone());
        Ok(channel.id)
    }

    async fn direct_channel(&mut self, d: &DirectChannelLine) -> Applied {
        let field = if d.participants.is_some() {
            "direct_channel.participants"
        } else {
            "direct_channel.members"
        };
        let channel_id = self.direct_channel_id(&d.usernames(), field).await?;
        let store = self.core.store.clone();
        if let Some(header) = &d.header {
            let mut channel = store
                .get_channel(&channel_id)
                .await
                .map_err(Failure::Store)?;
            if &channel.header != header {
                channel.header = header.clone();
                channel.update_at = now_ms();
                store
                    .update_channel(&channel)
                    .await
                    .map_err(store_failure("direct_channel.header"))?;
            }
        }
        let mut preferences = Vec::new();
        for (i, name) in d.favorited_by.iter().flatten().enumerate() {
            let user_id = self
                .user_id(name, &format!("direct_channel.favorited_by[{i}]"))
                .await?;
            preferences.push(preference(
                &user_id,
                "favorite_channel",
                &channel_id,
                "true",
            ));
        }
        if !preferences.is_empty() {
            store
                .save_preferences(&preferences)
                .await
                .map_err(store_failure("direct_channel.favorited_by"))?;
        }
        Ok(())
    }

    // ---- posts

    async fn channel_post(&mut self, p: &PostLine) -> Applied {
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

    async fn direct_post(&mut self, d: &DirectPostLine) -> Applied {
        let members = d.channel_members.clone().unwrap_or_default();
        let channel_id = self
            .direct_channel_id(&members, "direct_post.channel_members")
            .await?;
        self.thread(&channel_id, &d.post, "direct_post").await
    }

    /// A root post and its replies, added to the batch together (or not at all).
    async fn thread(&mut self, channel_id: &str, root: &PostLine, field: &str) -> Applied {
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
            .read(path, self.core.config.max_file_size)
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

    // ---- emoji

    async fn emoji(&mut self, e: &EmojiLine) -> Applied {
        let name = e.name.as_deref().unwrap_or_default().to_lowercase();
        let store = self.core.store.clone();
        match store.get_emoji(&name, true).await {
            Ok(_) => return Ok(()),
            Err(Error::NotFound { .. }) => {}
            Err(err) => return Err(Failure::Store(err)),
        }
        let image = self
            .files
            .read(
                e.image.as_deref().unwrap_or_default(),
                crate::services::emoji::MAX_EMOJI_BYTES as u64,
            )
            .await
            .map_err(|err| match attachment_failure(err) {
                Failure::Line(invalid) => bad("emoji.image", invalid.reason),
                other => other,
            })?;
        let content_type = crate::services::emoji::image_type(&image)
            .ok_or_else(|| bad("emoji.image", "is not a PNG, JPEG, GIF or WebP image"))?;
        let now = now_ms();
        let emoji = Emoji {
            id: derived_id(&["emoji", &name]),
            create_at: now,
            update_at: now,
            delete_at: 0,
            // Exports do not say who made an emoji: a creator id of no user.
            creator_id: derived_id(&["imported emoji"]),
            name,
        };
        store
            .create_emoji(&emoji, content_type, &image)
            .await
            .map_err(store_failure("emoji.name"))?;
        self.written.emoji += 1;
        Ok(())
    }
}

/// An attachment's id, and its record when this run stored it.
struct StoredFile {
    id: String,
    new: Option<FileInfo>,
}

fn attachment_failure(e: AttachmentError) -> Failure {
    match e {
        AttachmentError::Io(path, reason) if path.is_empty() => {
            Failure::Store(Error::Internal(reason))
        }
        other => bad("path", other.to_string()),
    }
}

/// A post's id: fixed by its channel, author, time and thread, so the same
/// post imported again is recognised without a lookup.
pub fn post_id(channel_id: &str, user_id: &str, create_at: i64, root_id: &str) -> String {
    derived_id_at(
        create_at,
        &["post", channel_id, user_id, &create_at.to_string(), root_id],
    )
}

fn preference(user_id: &str, category: &str, name: &str, value: &str) -> Preference {
    Preference {
        user_id: user_id.to_string(),
        category: category.to_string(),
        name: name.to_string(),
        value: value.to_string(),
    }
}

/// Mattermost's e-mail batching words, as the seconds its preference holds.
fn email_interval_seconds(word: &str) -> Option<&'static str> {
    match word {
        "immediately" => Some("30"),
        "fifteen" => Some("900"),
        "hour" => Some("3600"),
        _ => None,
    }
}

/// A team membership's roles as stored: `team_user` (or `team_guest`) first,
/// `team_admin` when the line gives it.
fn team_roles(line: &str) -> String {
    let tokens: Vec<&str> = line.split_whitespace().collect();
    let base = if tokens.contains(&"team_guest") {
        "team_guest"
    } else {
        roles::TEAM_USER
    };
    if tokens.contains(&roles::TEAM_ADMIN) {
        format!("{base} {}", roles::TEAM_ADMIN)
    } else {
        base.to_string()
    }
}

fn channel_roles(line: Option<&str>) -> String {
    let tokens: Vec<&str> = line.unwrap_or_default().split_whitespace().collect();
    if tokens.contains(&roles::CHANNEL_ADMIN) {
        format!("{} {}", roles::CHANNEL_USER, roles::CHANNEL_ADMIN)
    } else {
        roles::CHANNEL_USER.to_string()
    }
}

/// Copies a user line's profile fields onto a user (absent fields keep
/// the stored value).
fn apply_user_fields(user: &mut User, u: &UserLine) {
    let set = |target: &mut String, value: &Option<String>| {
        if let Some(v) = value {
            target.clone_from(v);
        }
    };
    if let Some(email) = &u.email {
        user.email = email.to_lowercase();
    }
    set(&mut user.nickname, &u.nickname);
    set(&mut user.first_name, &u.first_name);
    set(&mut user.last_name, &u.last_name);
    set(&mut user.position, &u.position);
    set(&mut user.locale, &u.locale);
    set(&mut user.auth_service, &u.auth_service);
    set(&mut user.auth_data, &u.auth_data);
    if let Some(list) = &u.roles {
        let mut tokens: Vec<&str> = list.split_whitespace().collect();
        if !tokens.contains(&roles::SYSTEM_USER) && !tokens.contains(&"system_guest") {
            tokens.insert(0, roles::SYSTEM_USER);
        }
        user.roles = tokens.join(" ");
    }
    if let Some(at) = u.delete_at {
        user.delete_at = at;
    }
    if let Some(props) = &u.notify_props {
        let pairs = [
            ("desktop", &props.desktop),
            ("desktop_sound", &props.desktop_sound),
            ("email", &props.email),
            ("push", &props.mobile),
            ("push_status", &props.mobile_push_status),
            ("channel", &props.channel),
            ("comments", &props.comments),
            ("mention_keys", &props.mention_keys),
        ];
        for (key, value) in pairs {
            if let Some(v) = value {
                user.notify_props.insert(key.to_string(), v.clone());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_are_normalised() {
        assert_eq!(team_roles("team_admin team_user"), "team_user team_admin");
        assert_eq!(team_roles(""), "team_user");
        assert_eq!(team_roles("team_guest"), "team_guest");
        assert_eq!(
            channel_roles(Some("channel_admin")),
            "channel_user channel_admin"
        );
        assert_eq!(channel_roles(None), "channel_user");
    }

    #[test]
    fn post_ids_depend_on_the_thread_too() {
        let root = post_id("c", "u", 1, "");
        assert_eq!(root, post_id("c", "u", 1, ""));
        assert_ne!(root, post_id("c", "u", 1, &root));
        assert_ne!(root, post_id("c", "u", 2, ""));
    }
}
