//! Mentions mailed to users who were away: each mention of a user who is
//! not online (and allows e-mail for that channel) waits in `email_digest`;
//! once the oldest has waited `email_digest_seconds`, everything still
//! unread goes out as one message. A failed send puts the mentions back.

use super::messages::{self, Missed};
use crate::error::Result;
use crate::model::{Channel, ChannelRecipient, DigestEntry, Post, RecipientPresence};
use crate::notify::prop;
use crate::notify::ChannelAudience;
use crate::services::Core;
use crate::time::now_ms;

/// Longest message excerpt in a digest, in characters.
const EXCERPT: usize = 300;

/// Whether a member's settings let a mention be mailed.
fn settings_allow_email(r: &ChannelRecipient) -> bool {
    // The channel's `true`/`false` wins; `default` (or nothing) defers to the user's.
    let wanted = match prop(&r.member_notify_props, "email") {
        "true" => true,
        "false" => false,
        _ => prop(&r.user_notify_props, "email") != "false",
    };
    let muted = prop(&r.member_notify_props, "mark_unread") == "mention";
    wanted && !muted && !r.is_bot
}

/// Whether the member is away (mentions of present members are not mailed).
fn away(p: &RecipientPresence) -> bool {
    !p.status
        .as_ref()
        .is_some_and(|s| matches!(s.status.as_str(), "online" | "dnd" | "ooo"))
}

/// How often due digests are looked for.
const DIGEST_TICK: std::time::Duration = std::time::Duration::from_secs(30);

impl Core {
    /// Sends due digests every 30 s (when e-mail is set up), apart from the
    /// presence work so a slow mail server cannot hold that up.
    pub(crate) fn start_digest_sender(&self) {
        if self.mailer.is_none() {
            return;
        }
        let core = self.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(DIGEST_TICK);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tick.tick().await;
                match core.send_due_digests().await {
                    Ok(0) => {}
                    Ok(n) => tracing::info!(sent = n, "mailed mention digests"),
                    Err(e) => tracing::warn!(error = %e, "could not send mention digests"),
                }
            }
        });
    }

    /// Queues a post for the digests of the mentioned members who are away.
    pub(crate) async fn queue_mention_emails(
        &self,
        post: &Post,
        audience: &ChannelAudience,
        mentioned: &[String],
    ) -> Result<()> {
        if self.mailer.is_none() {
            return Ok(());
        }
        let allowed: Vec<String> = mentioned
            .iter()
            .filter(|id| audience.get(id).is_some_and(settings_allow_email))
            .cloned()
            .collect();
        let entries: Vec<DigestEntry> = self
            .store
            .recipient_presence(&post.channel_id, &allowed)
            .await?
            .into_iter()
            .filter(away)
            .map(|r| DigestEntry {
                user_id: r.user_id,
                post_id: post.id.clone(),
                channel_id: post.channel_id.clone(),
                create_at: post.create_at,
            })
            .collect();
        self.store.queue_digest(&entries).await
    }

    /// Mails the digests that are due; returns how many were sent.
    pub async fn send_due_digests(&self) -> Result<usize> {
        let Some(mailer) = self.mailer.as_deref() else {
            return Ok(0);
        };
        let wait_ms = i64::try_from(self.config().email_digest_seconds)
            .unwrap_or(i64::MAX / 1000)
            .saturating_mul(1000);
        let mut sent = 0;
        let due = self
            .store
            .list_digest_users(now_ms() - wait_ms, 100)
            .await?;
        for user_id in due {
            let entries = self.store.take_digest(&user_id).await?;
            let outcome = async {
                let user = self.store.get_user(&user_id).await?;
                let missed = self.still_unread(&user_id, &entries).await?;
                if missed.is_empty() || user.is_deleted() {
                    return Ok(false);
                }
                mailer
                    .send(&user.email, messages::digest(&self.site_name(), &missed))
                    .await
                    .map(|()| true)
            }
            .await;
            match outcome {
                Ok(true) => sent += 1,
                Ok(false) => {}
                Err(e) => {
                    // Back in line behind the others, so one bad address
                    // cannot hold up everyone's digests.
                    tracing::warn!(error = %e, %user_id, "digest not sent; will retry");
                    let now = now_ms();
                    let later: Vec<DigestEntry> = entries
                        .into_iter()
                        .map(|entry| DigestEntry {
                            create_at: now,
                            ..entry
                        })
                        .collect();
                    self.store.queue_digest(&later).await?;
                }
            }
        }
        Ok(sent)
    }

    /// The entries whose post is live and whose channel the user has not read since.
    async fn still_unread(&self, user_id: &str, entries: &[DigestEntry]) -> Result<Vec<Missed>> {
        let site = self.site_url();
        let mut missed = Vec::new();
        for entry in entries {
            let Ok(post) = self.store.get_post(&entry.post_id).await else {
                continue;
            };
            let Ok(member) = self
                .store
                .get_channel_member(&entry.channel_id, user_id)
                .await
            else {
                continue;
            };
            if post.delete_at != 0 || member.last_viewed_at >= post.create_at {
                continue;
            }
            let channel: Channel = self.store.get_channel(&entry.channel_id).await?;
            let sender = self.store.get_user(&post.user_id).await?;
            missed.push(Missed {
                sender: format!("@{}", sender.username),
                channel: match channel.channel_type.as_str() {
                    "D" => "a direct message".to_string(),
                    "G" => "a group message".to_string(),
                    _ => channel.display_name.clone(),
                },
                message: post.message.chars().take(EXCERPT).collect(),
                link: format!("{site}/_redirect/pl/{}", post.id),
            });
        }
        Ok(missed)
    }
}
