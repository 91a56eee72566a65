//! Delivering what a custom command's integration answered (at once, or
//! later through its `response_url`), as Mattermost does: `in_channel`
//! answers are posted as the caller, marked `from_webhook` and shown with
//! the command's (else the answer's) name and icon where the server allows
//! overrides; other answers reach only the caller's sockets and are never
//! stored. Unless it asks to skip it, the text gets Slack's rewriting.

use serde_json::{Map, Value};

use super::{slack, CommandResponse, Invocation, EPHEMERAL, IN_CHANNEL};
use crate::error::{Error, Result};
use crate::model::*;
use crate::services::posts::PostOrigin;
use crate::services::{Actor, Core, NewPost};

/// Who answers where: the caller, the channel and thread the command ran
/// in, and the command.
pub(crate) struct Answering<'a> {
    pub actor: &'a Actor,
    pub channel_id: String,
    pub root_id: String,
    pub command: &'a CustomCommand,
}

impl<'a> Answering<'a> {
    pub fn new(invocation: &'a Invocation<'a>, command: &'a CustomCommand) -> Self {
        Answering {
            actor: invocation.actor,
            channel_id: invocation.channel.id.clone(),
            root_id: invocation.root_id.clone(),
            command,
        }
    }
}

/// Mattermost's type of a post that carries attachments.
const SLACK_ATTACHMENT: &str = "slack_attachment";
/// Types only the server gives posts.
const SYSTEM_TYPE_PREFIX: &str = "system_";

/// Props an answer's own `props` may carry only where overrides are on.
const USERNAME_PROPS: &[&str] = &["override_username"];
const ICON_PROPS: &[&str] = &["override_icon_url", "override_icon_emoji"];

impl Core {
    /// Delivers an answer and its `extra_responses`; all are tried, and the
    /// last failure, if any, is returned.
    pub(crate) async fn deliver_custom_responses(
        &self,
        to: &Answering<'_>,
        response: &CommandResponse,
    ) -> Result<()> {
        let mut failed = None;
        for one in std::iter::once(response).chain(response.extra_responses.iter().flatten()) {
            if let Err(e) = self.deliver_custom(to, one).await {
                failed = Some(e);
            }
        }
        failed.map_or(Ok(()), Err)
    }

    async fn deliver_custom(&self, to: &Answering<'_>, response: &CommandResponse) -> Result<()> {
        let mut channel_id = to.channel_id.clone();
        if !response.channel_id.is_empty() && response.channel_id != channel_id {
            // Only into a channel the caller belongs to.
            self.channel_for_member(to.actor, &response.channel_id)
                .await?;
            channel_id = response.channel_id.clone();
        }
        if response.post_type.starts_with(SYSTEM_TYPE_PREFIX) {
            return Err(Error::invalid(
                "type",
                "an answer may not post system messages",
            ));
        }
        let mut props = match &response.props {
            Some(Value::Object(map)) => map.clone(),
            _ => Map::new(),
        };
        // A command is not a webhook: it has no webhook name to show.
        props.remove("webhook_display_name");
        self.apply_overrides(&mut props, to.command, response);
        props.insert("from_webhook".into(), "true".into());

        let mut text = response.text.clone();
        let mut attachments = response
            .attachments
            .clone()
            .filter(|a| a.as_array().is_some_and(|list| !list.is_empty()));
        if !response.skip_slack_parsing {
            text = self
                .rewrite_slack_markup(&text, attachments.as_mut())
                .await?;
        }
        let mut post_type = response.post_type.clone();
        let has_attachments = attachments.is_some();
        if let Some(mut a) = attachments {
            slack::attachment_links_to_markdown(&mut a);
            if post_type.is_empty() {
                post_type = SLACK_ATTACHMENT.into();
            }
            props.insert("attachments".into(), a);
        }
        if text.is_empty() && !has_attachments {
            return Ok(());
        }
        if response.response_type == IN_CHANNEL {
            self.create_post_from(
                to.actor,
                &channel_id,
                NewPost {
                    message: text,
                    root_id: to.root_id.clone(),
                    props: Some(Value::Object(props)),
                    post_type,
                    ..NewPost::default()
                },
                PostOrigin::Webhook,
            )
            .await?;
        } else if response.response_type.is_empty() || response.response_type == EPHEMERAL {
            self.send_ephemeral_with_props(
                to.actor.id(),
                &channel_id,
                &to.root_id,
                &text,
                Value::Object(props),
            )
            .await?;
        }
        Ok(())
    }

    /// The name and icon a post shows: the command's, else the answer's,
    /// each only where the server allows that override (which also limits
    /// what the answer's own props may say).
    fn apply_overrides(
        &self,
        props: &mut Map<String, Value>,
        command: &CustomCommand,
        response: &CommandResponse,
    ) {
        let pick = |own: &str, answered: &str| -> Option<String> {
            [own, answered]
                .into_iter()
                .find(|s| !s.is_empty())
                .map(str::to_string)
        };
        if self.config().enable_post_username_override {
            if let Some(name) = pick(&command.username, &response.username) {
                props.insert("override_username".into(), name.into());
            }
        } else {
            USERNAME_PROPS.iter().for_each(|k| {
                props.remove(*k);
            });
        }
        if self.config().enable_post_icon_override {
            if let Some(icon) = pick(&command.icon_url, &response.icon_url) {
                props.insert("override_icon_url".into(), icon.into());
            }
        } else {
            ICON_PROPS.iter().for_each(|k| {
                props.remove(*k);
            });
        }
    }
}
