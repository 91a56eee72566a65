//! Incoming webhooks: team and system admins create them for a channel; anyone
//! holding a hook's id can then post into that channel, as the hook's creator.

use serde::Deserialize;
use utoipa::ToSchema;

use super::posts::PostOrigin;
use super::{validate, Actor, Core, NewPost};
use crate::error::{Error, Result};
use crate::id::new_id;
use crate::model::*;
use crate::time::now_ms;

/// A new incoming webhook, or the full replacement of one.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct HookInput {
    pub channel_id: String,
    #[serde(default)]
    pub display_name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub username: String,
    #[serde(default)]
    pub icon_url: String,
    #[serde(default)]
    pub channel_locked: bool,
}

/// What a caller of a hook sends (Slack-compatible).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct HookPayload {
    #[serde(default)]
    pub text: String,
    /// A channel name (or `~name`) to post in instead, unless the hook is locked.
    #[serde(default)]
    pub channel: String,
    #[serde(default)]
    pub username: String,
    #[serde(default)]
    pub icon_url: String,
    #[serde(default)]
    pub attachments: Option<serde_json::Value>,
    #[serde(default)]
    pub props: Option<serde_json::Value>,
}

fn check_input(input: &HookInput) -> Result<()> {
    validate::id("channel_id", &input.channel_id)?;
    validate::length("display_name", &input.display_name, 0, 64)?;
    validate::length("description", &input.description, 0, 500)?;
    validate::length("username", &input.username, 0, 255)?;
    validate::length("icon_url", &input.icon_url, 0, 1024)?;
    Ok(())
}

impl Core {
    /// The channel a hook may post in: a live public or private team channel
    /// in whose team the actor may manage their own incoming webhooks.
    async fn hook_channel(&self, actor: &Actor, channel_id: &str) -> Result<Channel> {
        let (channel, _) = self.channel_for_read(actor, channel_id).await?;
        if channel.is_direct_or_group() || channel.delete_at != 0 {
            return Err(Error::invalid("channel_id", "must be a live team channel"));
        }
        self.require_team_permission(
            actor,
            &channel.team_id,
            Permission::ManageOwnIncomingWebhooks,
        )
        .await?;
        Ok(channel)
    }

    /// Creates a hook posting into `input.channel_id`.
    pub async fn create_incoming_webhook(
        &self,
        actor: &Actor,
        input: HookInput,
    ) -> Result<IncomingWebhook> {
        check_input(&input)?;
        let channel = self.hook_channel(actor, &input.channel_id).await?;
        let now = now_ms();
        let hook = IncomingWebhook {
            id: new_id(),
            create_at: now,
            update_at: now,
            delete_at: 0,
            user_id: actor.id().to_string(),
            channel_id: channel.id,
            team_id: channel.team_id,
            display_name: input.display_name,
            description: input.description,
            username: input.username,
            icon_url: input.icon_url,
            channel_locked: input.channel_locked,
        };
        self.store.create_incoming_webhook(&hook).await?;
        Ok(hook)
    }

    /// A live hook the actor manages (its team's admins, system admins).
    pub async fn get_incoming_webhook(
        &self,
        actor: &Actor,
        hook_id: &str,
    ) -> Result<IncomingWebhook> {
        validate::id("hook_id", hook_id)?;
        let hook = self.store.get_incoming_webhook(hook_id).await?;
        if hook.delete_at != 0 {
            return Err(Error::not_found("incoming webhook"));
        }
        let needed = if hook.user_id == actor.id() {
            Permission::ManageOwnIncomingWebhooks
        } else {
            Permission::ManageOthersIncomingWebhooks
        };
        self.require_team_permission(actor, &hook.team_id, needed)
            .await?;
        Ok(hook)
    }

    /// Hooks of a team (team admins) or of every team (system admins).
    pub async fn list_incoming_webhooks(
        &self,
        actor: &Actor,
        team_id: Option<&str>,
        offset: i64,
        limit: i64,
    ) -> Result<Vec<IncomingWebhook>> {
        match team_id {
            Some(team) => {
                validate::id("team_id", team)?;
                self.require_team_permission(actor, team, Permission::ManageOthersIncomingWebhooks)
                    .await?;
            }
            None if !actor.is_admin() => {
                return Err(Error::forbidden(
                    "only system admins list every team's webhooks",
                ))
            }
            None => {}
        }
        self.store
            .list_incoming_webhooks(team_id, offset, limit)
            .await
    }

    /// Replaces a hook's settings (its channel must stay in the same team).
    pub async fn update_incoming_webhook(
        &self,
        actor: &Actor,
        hook_id: &str,
        input: HookInput,
    ) -> Result<IncomingWebhook> {
        check_input(&input)?;
        let mut hook = self.get_incoming_webhook(actor, hook_id).await?;
        let channel = self.hook_channel(actor, &input.channel_id).await?;
        if channel.team_id != hook.team_id {
            return Err(Error::invalid("channel_id", "must be in the hook's team"));
        }
        hook.channel_id = channel.id;
        hook.display_name = input.display_name;
        hook.description = input.description;
        hook.username = input.username;
        hook.icon_url = input.icon_url;
        hook.channel_locked = input.channel_locked;
        hook.update_at = now_ms();
        self.store.update_incoming_webhook(&hook).await?;
        Ok(hook)
    }

    /// Deletes a hook; its URL stops working.
    pub async fn delete_incoming_webhook(&self, actor: &Actor, hook_id: &str) -> Result<()> {
        let mut hook = self.get_incoming_webhook(actor, hook_id).await?;
        let now = now_ms();
        hook.delete_at = now;
        hook.update_at = now;
        self.store.update_incoming_webhook(&hook).await
    }

    /// Runs a hook: posts the payload as the hook's creator. No session: the
    /// hook id is the secret.
    pub async fn execute_incoming_webhook(
        &self,
        hook_id: &str,
        payload: HookPayload,
    ) -> Result<Post> {
        validate::id("hook_id", hook_id)?;
        let hook = match self.store.get_incoming_webhook(hook_id).await {
            Ok(h) if h.delete_at == 0 => h,
            Ok(_) | Err(Error::NotFound { .. }) => {
                return Err(Error::not_found("incoming webhook"))
            }
            Err(e) => return Err(e),
        };
        let has_attachments = payload
            .attachments
            .as_ref()
            .is_some_and(|a| a.as_array().is_some_and(|a| !a.is_empty()));
        if payload.text.trim().is_empty() && !has_attachments {
            return Err(Error::invalid(
                "text",
                "a webhook payload needs text or attachments",
            ));
        }
        let creator = self.store.get_user(&hook.user_id).await?;
        if creator.is_deleted() {
            return Err(Error::forbidden("the webhook's creator is deactivated"));
        }
        let channel_id = match payload.channel.trim().trim_start_matches('~') {
            "" => hook.channel_id.clone(),
            _ if hook.channel_locked => {
                return Err(Error::forbidden(
                    "this webhook may only post in its own channel",
                ))
            }
            name => {
                self.store
                    .get_channel_by_name(&hook.team_id, &name.to_lowercase())
                    .await?
                    .id
            }
        };
        let mut props = match payload.props {
            Some(serde_json::Value::Object(map)) => map,
            _ => serde_json::Map::new(),
        };
        props.insert("from_webhook".into(), "true".into());
        // As on Mattermost with username overrides on: the payload's name, else
        // the hook's, else "webhook".
        let username = [payload.username, hook.username.clone()]
            .into_iter()
            .find(|u| !u.is_empty())
            .unwrap_or_else(|| "webhook".to_string());
        if self.config.enable_post_username_override {
            props.insert("override_username".into(), username.into());
        }
        if !hook.display_name.is_empty() {
            props.insert(
                "webhook_display_name".into(),
                hook.display_name.clone().into(),
            );
        }
        let icon = if payload.icon_url.is_empty() {
            hook.icon_url.clone()
        } else {
            payload.icon_url
        };
        if !icon.is_empty() && self.config.enable_post_icon_override {
            props.insert("override_icon_url".into(), icon.into());
        }
        if let Some(attachments) = payload.attachments.filter(|a| a.is_array()) {
            props.insert("attachments".into(), attachments);
        }
        // The hook acts with its creator's rights, without a session of theirs.
        let actor = Actor::on_behalf_of(creator);
        let input = NewPost {
            message: payload.text,
            root_id: String::new(),
            props: Some(serde_json::Value::Object(props)),
            file_ids: Vec::new(),
            pending_post_id: String::new(),
            ..NewPost::default()
        };
        self.create_post_from(&actor, &channel_id, input, PostOrigin::Webhook)
            .await
    }
}
