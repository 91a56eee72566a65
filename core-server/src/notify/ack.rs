//! The other pushes: acknowledging a push (and loading an id-only push's
//! text), and `clear` pushes when a user reads a channel on another device.

use serde::{Deserialize, Serialize};

use super::fanout::Composer;
use super::push::{self, Contents, PushNotification};
use crate::error::{Error, Result};
use crate::model::{Channel, ChannelMember, User};
use crate::services::{Actor, Core};
use crate::time::now_ms;

/// Mattermost's `PushNotificationAck`, sent by the apps when a push arrives.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct PushAck {
    pub id: String,
    pub received_at: i64,
    pub platform: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub post_id: String,
    pub is_id_loaded: bool,
}

/// What an acknowledgement answers.
#[derive(Debug)]
pub enum AckOutcome {
    /// Acknowledged.
    Ok,
    /// An id-only push's full notification.
    Loaded(Box<PushNotification>),
    /// An id-only ack without a post to load.
    Nothing,
}

impl Core {
    /// Records that a push arrived (forwarded to the proxy for its metrics)
    /// and, for an id-only push, answers its content if the actor may read
    /// the post.
    pub async fn ack_push(&self, actor: &Actor, ack: PushAck) -> Result<AckOutcome> {
        let Some(proxy) = self.config().push_proxy_url.clone() else {
            return Err(Error::NotImplemented(
                "push notifications are not set up on this server".into(),
            ));
        };
        let forwarded = ack.clone();
        // Best effort: the proxy only counts acks.
        tokio::spawn(async move {
            let url = format!("{}/api/v1/ack", proxy.trim_end_matches('/'));
            if let Err(e) = super::queue::proxy_client()
                .post(url)
                .json(&forwarded)
                .send()
                .await
            {
                tracing::debug!(error = %e, "could not forward a push ack");
            }
        });
        if !ack.is_id_loaded {
            return Ok(AckOutcome::Ok);
        }
        if ack.post_id.is_empty() || ack.kind != push::TYPE_MESSAGE {
            return Ok(AckOutcome::Nothing);
        }
        let post = self.get_post(actor, &ack.post_id).await?;
        let channel = self.store.get_channel(&post.channel_id).await?;
        let sender = self.store.get_user(&post.user_id).await?;
        let others = self.other_member_names(&channel, actor.id()).await?;
        let badge = self.store.badge_count(actor.id()).await?;
        let composer = Composer::new(&channel, &post, &sender, self.server_id().await?);
        let mut n = composer.message(actor.id(), &others, None, Contents::Full, badge);
        n.ack_id = ack.id;
        n.platform = ack.platform;
        Ok(AckOutcome::Loaded(Box::new(n)))
    }

    async fn other_member_names(&self, channel: &Channel, user_id: &str) -> Result<Vec<String>> {
        if channel.channel_type != "G" {
            return Ok(Vec::new());
        }
        Ok(self
            .channel_audience(&channel.id)
            .await?
            .recipients
            .iter()
            .filter(|r| r.user_id != user_id)
            .map(|r| r.username.clone())
            .collect())
    }

    /// After the actor read a channel: a `clear` push to their other
    /// devices when the channel had something their phone may be showing.
    pub(crate) async fn queue_clear(
        &self,
        actor: &Actor,
        channel: &Channel,
        before: &ChannelMember,
    ) -> Result<()> {
        if self.config().push_proxy_url.is_none() {
            return Ok(());
        }
        let user: &User = &actor.user;
        let level = match before.notify_props.get("push").map(String::as_str) {
            None | Some("") | Some("default") => user
                .notify_props
                .get("push")
                .map_or("mention", String::as_str),
            Some(other) => other,
        };
        let unread_messages = channel.total_msg_count > before.msg_count;
        let clear = ((level == "all" || channel.channel_type == "D") && unread_messages)
            || before.mention_count > 0;
        if !clear {
            return Ok(());
        }
        let n = PushNotification {
            kind: push::TYPE_CLEAR.into(),
            version: "v2".into(),
            channel_id: channel.id.clone(),
            content_available: 1,
            badge: self.store.badge_count(actor.id()).await?,
            server_id: self.server_id().await?,
            ..PushNotification::default()
        };
        let jobs = self
            .jobs_for_devices(actor.id(), &n, Some(&actor.session.id), now_ms())
            .await?;
        self.enqueue(jobs).await
    }
}
