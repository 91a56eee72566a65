//! Firing outgoing webhooks: after a post is saved in a public channel, the
//! hooks its first word triggers get Mattermost's payload at each of their
//! callback URLs (JSON or a form, as each hook says), and whatever an
//! integration answers is posted as the hook's creator. It all runs after
//! the post's own answer, and a failure is logged without the URL, the token
//! or the text, and changes nothing for the post.

use serde::{Deserialize, Serialize};

use super::super::webhook_posts::{attachments_given, WebhookPost};
use super::super::Core;
use crate::error::Result;
use crate::model::*;
use crate::outbound::Call;

/// The content type that makes a hook send JSON; anything else sends a form.
const JSON: &str = "application/json";

/// What Mattermost sends to an outgoing webhook's URLs.
#[derive(Debug, Clone, PartialEq, Serialize)]
struct Payload {
    token: String,
    team_id: String,
    team_domain: String,
    channel_id: String,
    channel_name: String,
    /// The post's creation time: ms in JSON, seconds in a form (as Mattermost).
    timestamp: i64,
    user_id: String,
    user_name: String,
    post_id: String,
    text: String,
    trigger_word: String,
    /// The post's file ids, joined by commas.
    file_ids: String,
}

impl Payload {
    /// The payload as form fields, in Mattermost's order.
    fn form_fields(&self) -> Vec<(String, String)> {
        [
            ("token", self.token.clone()),
            ("team_id", self.team_id.clone()),
            ("team_domain", self.team_domain.clone()),
            ("channel_id", self.channel_id.clone()),
            ("channel_name", self.channel_name.clone()),
            ("timestamp", (self.timestamp / 1000).to_string()),
            ("user_id", self.user_id.clone()),
            ("user_name", self.user_name.clone()),
            ("post_id", self.post_id.clone()),
            ("text", self.text.clone()),
            ("trigger_word", self.trigger_word.clone()),
            ("file_ids", self.file_ids.clone()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect()
    }
}

/// What an integration may answer (all of it optional).
#[derive(Debug, Clone, Default, Deserialize)]
struct Answer {
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    username: Option<String>,
    #[serde(default)]
    icon_url: Option<String>,
    #[serde(default)]
    props: Option<serde_json::Value>,
    #[serde(default)]
    attachments: Option<serde_json::Value>,
    #[serde(default, rename = "type")]
    post_type: Option<String>,
    /// `comment` answers in the triggering post's thread.
    #[serde(default)]
    response_type: Option<String>,
}

/// The answer that replies in the triggering post's thread.
const COMMENT: &str = "comment";

/// The trigger word a post's first word fires `hook` with: `Some("")` for a
/// hook bound to the post's channel without trigger words (it fires on
/// every post there), `None` when it does not fire.
fn trigger_for<'h>(
    hook: &'h OutgoingWebhook,
    channel_id: &str,
    first_word: &str,
) -> Option<&'h str> {
    if hook.channel_id == channel_id && hook.trigger_words.is_empty() {
        return Some("");
    }
    if !hook.channel_id.is_empty() && hook.channel_id != channel_id {
        return None;
    }
    hook.trigger_word_for(first_word)
}

/// Whether a post may fire outgoing webhooks: not a system message, and not
/// itself the work of a webhook (which could otherwise answer itself forever).
fn may_fire(post: &Post) -> bool {
    !post.is_system_message()
        && post.props.get("from_webhook").and_then(|v| v.as_str()) != Some("true")
}

impl Core {
    /// Hands a new post to the outgoing webhooks that listen for it, after
    /// the post's own answer (a spawned task): `author` wrote it in `channel`.
    pub(crate) fn fire_outgoing_webhooks(&self, channel: &Channel, post: &Post, author: &User) {
        if !self.config().enable_outgoing_webhooks
            || channel.channel_type != channel_types::OPEN
            || !may_fire(post)
        {
            return;
        }
        let (core, channel, post, author) =
            (self.clone(), channel.clone(), post.clone(), author.clone());
        tokio::spawn(async move {
            if let Err(e) = core.run_outgoing_webhooks(&channel, &post, &author).await {
                tracing::warn!(error = %e, post_id = %post.id, "outgoing webhooks failed");
            }
        });
    }

    /// Sends the post to every hook it triggers, each URL at once, and
    /// posts their answers.
    async fn run_outgoing_webhooks(
        &self,
        channel: &Channel,
        post: &Post,
        author: &User,
    ) -> Result<()> {
        let hooks = self
            .store
            .outgoing_webhooks_for_channel(&channel.team_id, &channel.id)
            .await?;
        let first_word = post.message.split_whitespace().next().unwrap_or("");
        let fired: Vec<(&OutgoingWebhook, &str)> = hooks
            .iter()
            .filter_map(|h| trigger_for(h, &channel.id, first_word).map(|t| (h, t)))
            .collect();
        if fired.is_empty() {
            return Ok(());
        }
        let team = self.store.get_team(&channel.team_id).await?;
        let calls = fired.into_iter().flat_map(|(hook, trigger_word)| {
            let payload = Payload {
                token: hook.token.clone(),
                team_id: hook.team_id.clone(),
                team_domain: team.name.clone(),
                channel_id: post.channel_id.clone(),
                channel_name: channel.name.clone(),
                timestamp: post.create_at,
                user_id: post.user_id.clone(),
                user_name: author.username.clone(),
                post_id: post.id.clone(),
                text: post.message.clone(),
                trigger_word: trigger_word.to_string(),
                file_ids: post.file_ids.join(","),
            };
            hook.callback_urls.iter().map(move |url| {
                self.call_outgoing_webhook(hook, url, payload.clone(), channel, post)
            })
        });
        futures::future::join_all(calls).await;
        Ok(())
    }

    /// Sends the payload to one URL and posts the answer; failures are
    /// logged (by hook and post, never by URL, token or text).
    async fn call_outgoing_webhook(
        &self,
        hook: &OutgoingWebhook,
        url: &str,
        payload: Payload,
        channel: &Channel,
        post: &Post,
    ) {
        let call = if hook.content_type == JSON {
            match serde_json::to_value(&payload) {
                Ok(json) => Call::post_json(url, json),
                Err(e) => {
                    tracing::warn!(error = %e, hook_id = %hook.id, "outgoing webhook payload not encoded");
                    return;
                }
            }
        } else {
            Call::post_form(url, payload.form_fields())
        };
        let answer = match self.outbound.send(call.header("Accept", JSON)).await {
            Ok(reply) => match reply.success() {
                Ok(reply) => read_answer(&reply.body),
                Err(e) => Err(e.to_string()),
            },
            Err(e) => Err(e.to_string()),
        };
        let answer = match answer {
            Ok(Some(answer)) => answer,
            Ok(None) => return,
            Err(e) => {
                tracing::warn!(error = %e, hook_id = %hook.id, post_id = %post.id, "outgoing webhook request failed");
                return;
            }
        };
        if let Err(e) = self.post_outgoing_answer(hook, answer, channel, post).await {
            tracing::warn!(error = %e, hook_id = %hook.id, post_id = %post.id, "outgoing webhook answer not posted");
        }
    }

    /// Posts an integration's answer as the hook's creator: in the channel,
    /// or in the triggering post's thread for a `comment`.
    async fn post_outgoing_answer(
        &self,
        hook: &OutgoingWebhook,
        answer: Answer,
        channel: &Channel,
        post: &Post,
    ) -> Result<()> {
        if answer.text.is_none() && !attachments_given(answer.attachments.as_ref()) {
            return Ok(());
        }
        let creator = self.store.get_user(&hook.creator_id).await?;
        if creator.is_deleted() {
            return Err(crate::Error::forbidden(
                "the webhook's creator is deactivated",
            ));
        }
        let root_id = if answer.response_type.as_deref() == Some(COMMENT) {
            if post.root_id.is_empty() {
                post.id.clone()
            } else {
                post.root_id.clone()
            }
        } else {
            String::new()
        };
        // The answer's name and picture, else the hook's defaults.
        let pick = |own: Option<String>, default: &str| {
            own.filter(|s| !s.is_empty())
                .unwrap_or_else(|| default.to_string())
        };
        let reply = WebhookPost {
            channel_id: channel.id.clone(),
            root_id,
            text: answer.text.unwrap_or_default(),
            username: pick(answer.username, &hook.username),
            icon_url: pick(answer.icon_url, &hook.icon_url),
            display_name: hook.display_name.clone(),
            props: answer.props,
            attachments: answer.attachments,
            post_type: answer.post_type.unwrap_or_default(),
        };
        self.create_webhook_post(creator, reply).await?;
        Ok(())
    }
}

/// An integration's answer from a reply body: `None` for an empty body (no
/// answer), an error for a body that is not an answer.
fn read_answer(body: &[u8]) -> std::result::Result<Option<Answer>, String> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    serde_json::from_slice(body)
        .map(Some)
        .map_err(|e| format!("the answer is not JSON: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hook(channel_id: &str, words: &[&str], when: i64) -> OutgoingWebhook {
        OutgoingWebhook {
            channel_id: channel_id.into(),
            trigger_words: words.iter().map(|w| w.to_string()).collect(),
            trigger_when: when,
            ..OutgoingWebhook::default()
        }
    }

    #[test]
    fn first_words_trigger_exactly_or_by_prefix() {
        let exact = hook("", &["deploy", "ship"], trigger_when::EXACT_FIRST_WORD);
        assert_eq!(trigger_for(&exact, "c", "ship"), Some("ship"));
        assert_eq!(trigger_for(&exact, "c", "shipit"), None);
        assert_eq!(trigger_for(&exact, "c", ""), None);
        let prefix = hook("", &["dep", "ship"], trigger_when::STARTS_WITH);
        assert_eq!(trigger_for(&prefix, "c", "deploy"), Some("dep"));
        assert_eq!(trigger_for(&prefix, "c", "shipit"), Some("ship"));
        assert_eq!(trigger_for(&prefix, "c", "redeploy"), None);
    }

    #[test]
    fn channel_hooks_fire_in_their_channel_only() {
        let every_post = hook("c", &[], trigger_when::EXACT_FIRST_WORD);
        assert_eq!(trigger_for(&every_post, "c", "anything"), Some(""));
        assert_eq!(trigger_for(&every_post, "c", ""), Some(""));
        assert_eq!(trigger_for(&every_post, "d", "anything"), None);
        let worded = hook("c", &["go"], trigger_when::EXACT_FIRST_WORD);
        assert_eq!(trigger_for(&worded, "c", "go"), Some("go"));
        assert_eq!(trigger_for(&worded, "c", "stop"), None);
        assert_eq!(trigger_for(&worded, "d", "go"), None);
    }

    #[test]
    fn webhook_and_system_posts_fire_nothing() {
        let mut post = Post {
            props: serde_json::json!({}),
            ..Post::default()
        };
        assert!(may_fire(&post));
        post.props = serde_json::json!({"from_webhook": "true"});
        assert!(!may_fire(&post));
        post.props = serde_json::json!({});
        post.post_type = "system_join_channel".into();
        assert!(!may_fire(&post));
    }

    #[test]
    fn forms_carry_seconds_and_json_milliseconds() {
        let payload = Payload {
            token: "t".into(),
            team_id: "team".into(),
            team_domain: "dom".into(),
            channel_id: "c".into(),
            channel_name: "town".into(),
            timestamp: 1_700_000_123_456,
            user_id: "u".into(),
            user_name: "ann".into(),
            post_id: "p".into(),
            text: "deploy now".into(),
            trigger_word: "deploy".into(),
            file_ids: "f1,f2".into(),
        };
        let json = serde_json::to_value(&payload).expect("json");
        assert_eq!(json["timestamp"], 1_700_000_123_456_i64);
        assert_eq!(json["file_ids"], "f1,f2");
        let form = payload.form_fields();
        assert_eq!(form.len(), 12);
        assert!(form.contains(&("timestamp".into(), "1700000123".into())));
        assert!(form.contains(&("text".into(), "deploy now".into())));
    }

    #[test]
    fn answers_are_read_from_json_and_empty_bodies_are_none() {
        assert!(read_answer(b"").expect("empty").is_none());
        assert!(read_answer(b" \n").expect("blank").is_none());
        assert!(read_answer(b"<html>").is_err());
        let answer = read_answer(br#"{"text": "done", "response_type": "comment"}"#)
            .expect("json")
            .expect("answer");
        assert_eq!(answer.text.as_deref(), Some("done"));
        assert_eq!(answer.response_type.as_deref(), Some(COMMENT));
    }
}
