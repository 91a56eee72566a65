//! Posts made by webhooks, incoming and outgoing alike, as Mattermost makes
//! them: posted as the hook's creator and marked `from_webhook`, with the
//! name and picture the integration chose (where the server allows
//! overrides), Slack's markup rewritten as for commands' answers
//! (`commands::slack`), and a text too long for one post split over several.

use super::commands::slack;
use super::posts::PostOrigin;
use super::{Actor, Core, NewPost};
use crate::error::{Error, Result};
use crate::model::*;

/// Mattermost's type of a post that carries attachments.
const SLACK_ATTACHMENT: &str = "slack_attachment";

/// The name a webhook's post shows when nobody chose one.
const DEFAULT_USERNAME: &str = "webhook";

/// Props an integration may not set itself: the server sets them from the
/// hook and the integration's answer.
const SERVER_SET: &[&str] = &["from_webhook", "override_username", "override_icon_url"];

/// What a webhook asks to post.
#[derive(Debug, Clone, Default)]
pub(crate) struct WebhookPost {
    pub channel_id: String,
    /// The thread to reply in; empty for a root post.
    pub root_id: String,
    pub text: String,
    /// The name to show instead of the creator's (the integration's choice,
    /// else its hook's); empty for the default.
    pub username: String,
    /// The picture to show instead of the creator's; empty for none.
    pub icon_url: String,
    /// The hook's display name, kept on the post as `webhook_display_name`.
    pub display_name: String,
    /// The integration's own props (an object; anything else is ignored).
    pub props: Option<serde_json::Value>,
    /// Slack-style message attachments (an array; anything else is ignored).
    pub attachments: Option<serde_json::Value>,
    /// The post type the integration asked for: empty, or a `custom_` type.
    pub post_type: String,
}

/// Whether `attachments` is a non-empty array.
pub(crate) fn attachments_given(attachments: Option<&serde_json::Value>) -> bool {
    attachments
        .and_then(serde_json::Value::as_array)
        .is_some_and(|a| !a.is_empty())
}

impl Core {
    /// Posts what a webhook asked for as `creator` (Mattermost's
    /// CreateWebhookPost); returns the first post when the text was split.
    pub(crate) async fn create_webhook_post(
        &self,
        creator: User,
        post: WebhookPost,
    ) -> Result<Post> {
        check_post_type(&post.post_type)?;
        let mut props = match post.props {
            Some(serde_json::Value::Object(map)) => map,
            _ => serde_json::Map::new(),
        };
        for key in SERVER_SET {
            props.remove(*key);
        }
        props.insert("from_webhook".into(), "true".into());
        if self.config().enable_post_username_override {
            let username = if post.username.is_empty() {
                DEFAULT_USERNAME.to_string()
            } else {
                post.username
            };
            props.insert("override_username".into(), username.into());
        }
        if self.config().enable_post_icon_override && !post.icon_url.is_empty() {
            props.insert("override_icon_url".into(), post.icon_url.into());
        }
        if !post.display_name.is_empty() {
            props.insert("webhook_display_name".into(), post.display_name.into());
        }
        // Attachments go on the last part of a split text, as Mattermost puts them.
        props.remove("attachments");
        let mut attachments = post.attachments.filter(|a| attachments_given(Some(a)));
        let text = self
            .rewrite_slack_markup(&post.text, attachments.as_mut())
            .await?;
        let mut post_type = post.post_type;
        if let Some(a) = attachments.as_mut() {
            slack::attachment_links_to_markdown(a);
            if post_type.is_empty() {
                post_type = SLACK_ATTACHMENT.into();
            }
        }
        let parts = split_text(&text, MAX_MESSAGE_CHARS);
        // The hook acts with its creator's rights, without a session of theirs.
        let actor = Actor::on_behalf_of(creator);
        let mut first = None;
        let last = parts.len() - 1;
        for (i, message) in parts.into_iter().enumerate() {
            let mut part_props = props.clone();
            if i == last {
                if let Some(a) = &attachments {
                    part_props.insert("attachments".into(), a.clone());
                }
            }
            let input = NewPost {
                message,
                root_id: post.root_id.clone(),
                props: Some(serde_json::Value::Object(part_props)),
                post_type: post_type.clone(),
                ..NewPost::default()
            };
            let saved = self
                .create_post_from(&actor, &post.channel_id, input, PostOrigin::Webhook)
                .await?;
            first.get_or_insert(saved);
        }
        first.ok_or_else(|| Error::Internal("a webhook post had no parts".into()))
    }
}

/// Refuses the post types an integration may not use: system messages, and
/// anything but Mattermost's `custom_` types for plugins (and its
/// `slack_attachment`).
fn check_post_type(post_type: &str) -> Result<()> {
    let allowed = post_type.is_empty()
        || post_type == SLACK_ATTACHMENT
        || (post_type.starts_with("custom_") && post_type.len() <= 26);
    if allowed {
        Ok(())
    } else {
        Err(Error::invalid(
            "type",
            "must be empty or a custom_ post type of at most 26 characters",
        ))
    }
}

/// `text` in parts of at most `max` characters each (one empty part for an
/// empty text).
fn split_text(text: &str, max: usize) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    if chars.is_empty() {
        return vec![String::new()];
    }
    chars
        .chunks(max.max(1))
        .map(|c| c.iter().collect())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_texts_split_on_characters() {
        assert_eq!(split_text("", 3), vec![String::new()]);
        assert_eq!(split_text("abcdefg", 3), vec!["abc", "def", "g"]);
        assert_eq!(split_text("ééé", 2), vec!["éé", "é"]);
    }

    #[test]
    fn only_custom_post_types_are_allowed() {
        assert!(check_post_type("").is_ok());
        assert!(check_post_type("custom_poll").is_ok());
        assert!(check_post_type("slack_attachment").is_ok());
        assert!(check_post_type("system_join_channel").is_err());
        assert!(check_post_type("me").is_err());
        assert!(check_post_type(&format!("custom_{}", "x".repeat(20))).is_err());
    }
}
