//! A new post's notifications: find its mentions, count them, and queue a
//! push for each device of each member the rules say should get one.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::mentions::{reply_mentions, Found, MentionKind};
use super::prop;
use super::push::{self, Contents, PushNotification, Reason};
use super::recipients::ChannelAudience;
use crate::error::Result;
use crate::model::{Channel, ChannelRecipient, Post, PushJob, RecipientPresence, User};
use crate::services::Core;
use crate::time::now_ms;

/// Whom a post mentioned.
#[derive(Debug, Default, Clone)]
pub struct PostMentions {
    /// Everyone notified, with how.
    pub users: BTreeMap<String, MentionKind>,
}

impl PostMentions {
    /// Every user notified as mentioned (the `mentions` of the posted event).
    pub fn all(&self) -> Vec<String> {
        self.users.keys().cloned().collect()
    }

    /// Users named, or reached by a channel-wide word or a direct message.
    pub fn explicit(&self) -> Vec<String> {
        self.users
            .iter()
            .filter(|(_, kind)| kind.is_explicit())
            .map(|(id, _)| id.clone())
            .collect()
    }
}

impl Core {
    /// Finds a new post's mentions, bumps the mentioned members' counts,
    /// and queues its pushes.
    pub(crate) async fn notify_new_post(
        &self,
        channel: &Channel,
        post: &Post,
        sender: &User,
    ) -> Result<PostMentions> {
        let audience = self.channel_audience(&channel.id).await?;
        let found = self.find_mentions(channel, post, &audience).await?;
        let mentions = PostMentions { users: found.users };
        let ids = mentions.all();
        self.store
            .add_mentions(&channel.id, &ids, post.root_id.is_empty())
            .await?;
        // Pushes and e-mails do not change the answer: queue them after it.
        let (core, channel, post, sender) =
            (self.clone(), channel.clone(), post.clone(), sender.clone());
        let queued = mentions.clone();
        tokio::spawn(async move {
            if let Err(e) = core.queue_mention_emails(&post, &audience, &ids).await {
                tracing::warn!(error = %e, post_id = %post.id, "could not queue mention e-mails");
            }
            if core.config().push_proxy_url.is_some() {
                if let Err(e) = core
                    .queue_post_pushes(&channel, &post, &sender, &audience, &queued)
                    .await
                {
                    tracing::warn!(error = %e, post_id = %post.id, "could not queue pushes");
                }
            }
        });
        Ok(mentions)
    }

    async fn find_mentions(
        &self,
        channel: &Channel,
        post: &Post,
        audience: &ChannelAudience,
    ) -> Result<Found> {
        let recipients = &audience.recipients;
        let mut found = Found::default();
        if channel.channel_type == "D" {
            for r in recipients {
                found.add(&r.user_id, MentionKind::Direct);
            }
        } else {
            let small_enough =
                (recipients.len() as u64) < self.config().max_notifications_per_channel;
            let header_change = matches!(
                post.post_type.as_str(),
                "system_header_change" | "system_purpose_change"
            );
            let channel_mentions = small_enough && !header_change;
            found = audience.keywords.find(&post.message, channel_mentions);
            if found.here && channel_mentions {
                let online = self.store.online_channel_members(&channel.id).await?;
                audience.keywords.add_here(&online, &mut found);
            }
            if channel.channel_type == "G" {
                for r in recipients {
                    found.add(&r.user_id, MentionKind::Group);
                }
            }
            if !post.root_id.is_empty() {
                let root_author = self.store.get_post(&post.root_id).await?.user_id;
                let authors: HashSet<String> = self
                    .store
                    .list_thread_authors(&post.root_id)
                    .await?
                    .into_iter()
                    .collect();
                reply_mentions(|id| audience.get(id), &root_author, &authors, &mut found);
            }
        }
        if !post.from_webhook() {
            found.users.remove(&post.user_id);
        }
        Ok(found)
    }

    async fn queue_post_pushes(
        &self,
        channel: &Channel,
        post: &Post,
        sender: &User,
        audience: &ChannelAudience,
        mentions: &PostMentions,
    ) -> Result<()> {
        let recipients = &audience.recipients;
        let contents = Contents::parse(&self.config().push_contents).unwrap_or(Contents::Full);
        let group = channel.channel_type == "G";
        let direct = channel.channel_type == "D";
        let now = now_ms();
        let composer = Composer::new(channel, post, sender, self.server_id().await?);
        // Only the server sets this prop (the test notification).
        let forced = post.props.get("force_notification").is_some();
        // Settings first; then where those still wanted are right now.
        let by_settings: Vec<(&ChannelRecipient, Option<MentionKind>)> = recipients
            .iter()
            .filter(|r| !r.is_bot && (r.user_id != post.user_id || post.from_webhook()))
            .map(|r| (r, mentions.users.get(&r.user_id).copied()))
            .filter(|(r, kind)| forced || settings_want(r, *kind, post, group, direct))
            .collect();
        let ids: Vec<String> = by_settings.iter().map(|(r, _)| r.user_id.clone()).collect();
        let presence: HashMap<String, RecipientPresence> = self
            .store
            .recipient_presence(&channel.id, &ids)
            .await?
            .into_iter()
            .map(|p| (p.user_id.clone(), p))
            .collect();
        let mut jobs = Vec::new();
        for (r, kind) in by_settings {
            // A member who left since the post was made gets nothing.
            let Some(here) = presence.get(&r.user_id) else {
                continue;
            };
            let wanted = forced
                || push::status_allows(
                    &r.user_notify_props,
                    here.status.as_ref(),
                    here.last_viewed_at,
                    now,
                );
            if !wanted {
                continue;
            }
            // Only a group message's title names the other members.
            let others: Vec<String> = if group {
                recipients
                    .iter()
                    .filter(|o| o.user_id != r.user_id)
                    .map(|o| o.username.clone())
                    .collect()
            } else {
                Vec::new()
            };
            let badge = self.store.badge_count(&r.user_id).await?;
            let n = composer.message(&r.user_id, &others, kind, contents, badge);
            jobs.extend(self.jobs_for_devices(&r.user_id, &n, None, now).await?);
        }
        self.enqueue(jobs).await
    }

    /// One job per device session of a user (minus `except_session`).
    pub(crate) async fn jobs_for_devices(
        &self,
        user_id: &str,
        n: &PushNotification,
        except_session: Option<&str>,
        now: i64,
    ) -> Result<Vec<PushJob>> {
        let mut jobs = Vec::new();
        for session in self.store.list_sessions(user_id).await? {
            if session.expires_at <= now || Some(session.id.as_str()) == except_session {
                continue;
            }
            let Some((platform, token)) = push::split_device(&session.device_id) else {
                continue;
            };
            let mut one = n.clone();
            one.platform = platform.to_string();
            one.device_id = token.to_string();
            one.ack_id = crate::id::new_id();
            jobs.push(PushJob {
                id: crate::id::new_id(),
                user_id: user_id.to_string(),
                session_id: session.id.clone(),
                payload: serde_json::to_string(&one)
                    .map_err(|e| crate::Error::Internal(e.to_string()))?,
                attempts: 0,
                next_attempt_at: now,
                create_at: now,
            });
        }
        Ok(jobs)
    }

    /// Stores jobs and wakes the sender.
    pub(crate) async fn enqueue(&self, jobs: Vec<PushJob>) -> Result<()> {
        if jobs.is_empty() {
            return Ok(());
        }
        self.store.enqueue_pushes(&jobs).await?;
        self.push_wake.notify_one();
        Ok(())
    }
}

/// Whether a member's notify settings ask for a push of this post, given
/// how it mentioned them (if it did).
fn settings_want(
    r: &ChannelRecipient,
    kind: Option<MentionKind>,
    post: &Post,
    group: bool,
    direct: bool,
) -> bool {
    match kind {
        Some(kind) => push::settings_allow(
            &r.user_notify_props,
            &r.member_notify_props,
            kind.is_mention(),
            post,
            group,
        ),
        // Members who asked for every message (never in DMs: all are mentions).
        None => {
            let all = |props: &BTreeMap<String, String>| prop(props, "push") == "all";
            !direct
                && (all(&r.user_notify_props) || all(&r.member_notify_props))
                && push::settings_allow(
                    &r.user_notify_props,
                    &r.member_notify_props,
                    false,
                    post,
                    group,
                )
        }
    }
}

/// Builds a post's push message for one recipient.
pub(crate) struct Composer<'a> {
    channel: &'a Channel,
    post: &'a Post,
    sender_name: String,
    override_name: String,
    server_id: String,
}

impl<'a> Composer<'a> {
    pub(crate) fn new(
        channel: &'a Channel,
        post: &'a Post,
        sender: &User,
        server_id: String,
    ) -> Self {
        let direct = channel.channel_type == "D";
        // A webhook may post under another name (never in a direct message).
        let override_name = post
            .props
            .get("override_username")
            .and_then(|v| v.as_str())
            .filter(|_| post.from_webhook())
            .unwrap_or_default()
            .to_string();
        let sender_name = if !override_name.is_empty() && !direct {
            override_name.clone()
        } else if post.is_system_message() {
            "System".to_string()
        } else {
            format!("@{}", sender.username)
        };
        Composer {
            channel,
            post,
            sender_name,
            override_name,
            server_id,
        }
    }

    /// `others`: the usernames of the channel's other members (for a group
    /// message's title).
    pub(crate) fn message(
        &self,
        recipient_id: &str,
        others: &[String],
        kind: Option<MentionKind>,
        contents: Contents,
        badge: i64,
    ) -> PushNotification {
        let (channel, post) = (self.channel, self.post);
        let direct = channel.channel_type == "D";
        let mut n = PushNotification {
            server_id: self.server_id.clone(),
            post_id: post.id.clone(),
            category: "CAN_REPLY".into(),
            team_id: channel.team_id.clone(),
            channel_id: channel.id.clone(),
            root_id: post.root_id.clone(),
            kind: push::TYPE_MESSAGE.into(),
            version: "v2".into(),
            badge,
            ..PushNotification::default()
        };
        if contents == Contents::IdLoaded {
            // As Mattermost: the sender is the recipient until the app loads the post.
            n.is_id_loaded = true;
            n.sender_id = recipient_id.to_string();
            n.message = "You've received a new message.".into();
            return n;
        }
        n.sender_id = post.user_id.clone();
        n.sender_name = self.sender_name.clone();
        n.override_username = self.override_name.clone();
        if post.from_webhook() {
            n.from_webhook = "true".into();
        }
        if contents != Contents::GenericNoChannel || direct {
            n.channel_name = push::channel_title(channel, &self.sender_name, others);
        }
        n.message = push::message_text(contents, Reason { kind }, &self.sender_name, post, direct);
        n
    }
}
