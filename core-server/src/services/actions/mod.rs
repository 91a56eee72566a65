//! Interactive messages: running a button or menu of a message attachment.
//! The server calls the action's integration with Mattermost's request and
//! applies its answer (a new version of the post, a message for the user
//! who clicked, a place to go). Dialogs opened from there are in `dialogs`.

pub mod cookie;
mod dialogs;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use utoipa::ToSchema;

pub use dialogs::{DialogAnswer, DialogSubmission, OpenDialog};

use self::cookie::{ActionCookie, CookieJar};
use super::{Actor, Core};
use crate::error::{Error, Result};
use crate::events::{Audience, EventKind};
use crate::model::message_actions::{self, ActionIntegration, ACTION_TYPE_SELECT};
use crate::model::*;
use crate::outbound::{Call, OutboundError, Reply};
use crate::time::now_ms;

/// What the client gets back from running an action.
#[derive(Debug, Clone, Default, PartialEq, Serialize, ToSchema)]
pub struct ActionOutcome {
    /// Matches the `trigger_id` of a dialog the integration opens in answer.
    pub trigger_id: String,
    /// Where the integration asks the client to go; empty for nowhere.
    pub goto_location: String,
}

/// Mattermost's `PostActionIntegrationRequest`: what an integration is sent.
#[derive(Debug, Serialize)]
struct ActionRequest<'a> {
    user_id: &'a str,
    user_name: &'a str,
    channel_id: &'a str,
    channel_name: &'a str,
    team_id: &'a str,
    team_domain: &'a str,
    post_id: &'a str,
    trigger_id: &'a str,
    #[serde(rename = "type")]
    action_type: &'a str,
    data_source: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    context: Option<Map<String, Value>>,
}

/// Mattermost's `PostActionIntegrationResponse`, and `goto_location`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ActionAnswer {
    update: Option<PostUpdate>,
    ephemeral_text: String,
    skip_slack_parsing: bool,
    goto_location: String,
}

/// The new version of the post an integration answers with: its message
/// and props replace the post's (absent props keep the post's).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct PostUpdate {
    message: String,
    props: Option<Value>,
}

/// The action to run and where it is.
struct Target {
    post_id: String,
    channel: Channel,
    /// The post, when it is stored (else it was an ephemeral one).
    stored: Option<Post>,
    root_id: String,
    action_type: String,
    data_source: String,
    integration: ActionIntegration,
    /// Props an ephemeral answer keeps from the post.
    retain_props: Map<String, Value>,
}

impl Core {
    /// The key action cookies are sealed with, read from the database once.
    pub(crate) async fn cookie_jar(&self) -> Result<&CookieJar> {
        self.action_cookies
            .get_or_try_init(|| async {
                let fresh = CookieJar::fresh_key()?;
                let stored = self
                    .store
                    .init_system_value(cookie::KEY_NAME, &fresh)
                    .await?;
                let key = hex::decode(stored)
                    .map_err(|e| Error::Internal(format!("stored action cookie key: {e}")))?;
                CookieJar::new(&key)
            })
            .await
    }

    /// Sends `post` to `recipient`'s sockets only, never storing it: its
    /// actions get ids, and cookies so they can be run without the post
    /// being stored. Every ephemeral post goes through here.
    pub(crate) async fn publish_ephemeral(&self, recipient: &str, mut post: Post) -> Result<Post> {
        self.prepare_ephemeral(&mut post).await?;
        self.events.publish(
            EventKind::EphemeralMessage {
                user_id: recipient.to_string(),
                post: post.clone(),
            },
            Audience::User(recipient.to_string()),
        );
        Ok(post)
    }

    /// Gives an ephemeral post's actions ids and cookies.
    async fn prepare_ephemeral(&self, post: &mut Post) -> Result<()> {
        message_actions::generate_action_ids(&mut post.props);
        if !message_actions::has_attachments(&post.props) {
            return Ok(());
        }
        let jar = self.cookie_jar().await?;
        let (retain_props, remove_props) = retained_props(&post.props);
        let root = if post.root_id.is_empty() {
            post.id.clone()
        } else {
            post.root_id.clone()
        };
        let mut failed = None;
        message_actions::set_action_cookies(&mut post.props, |action| {
            let cookie = ActionCookie {
                action_type: action.action_type.clone(),
                post_id: post.id.clone(),
                root_post_id: root.clone(),
                channel_id: post.channel_id.clone(),
                data_source: action.data_source.clone(),
                integration: action.integration.clone(),
                retain_props: retain_props.clone(),
                remove_props: remove_props.clone(),
            };
            jar.seal(&cookie).unwrap_or_else(|e| {
                failed = Some(e);
                String::new()
            })
        });
        match failed {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    /// Runs action `action_id` of post `post_id` for the actor, who must be
    /// able to read the post's channel: calls the action's integration and
    /// applies its answer. `cookie` is what the client got with an
    /// ephemeral post's action; it is used only when the post is not stored.
    pub async fn do_post_action(
        &self,
        actor: &Actor,
        post_id: &str,
        action_id: &str,
        selected_option: &str,
        cookie: &str,
    ) -> Result<ActionOutcome> {
        super::validate::id("post_id", post_id)?;
        let target = self
            .action_target(actor, post_id, action_id, cookie)
            .await?;
        let team_domain = match target.channel.team_id.as_str() {
            "" => String::new(),
            team_id => self.store.get_team(team_id).await?.name,
        };
        let mut context = target.integration.context.clone();
        let mut data_source = "";
        if target.action_type == ACTION_TYPE_SELECT && !selected_option.is_empty() {
            context
                .get_or_insert_with(Map::new)
                .insert("selected_option".into(), selected_option.into());
            data_source = &target.data_source;
        }
        let trigger_id = self.new_trigger_id(actor.id()).await?;
        let request = ActionRequest {
            user_id: actor.id(),
            user_name: &actor.user.username,
            channel_id: &target.channel.id,
            channel_name: &target.channel.name,
            team_id: &target.channel.team_id,
            team_domain: &team_domain,
            post_id: &target.post_id,
            trigger_id: &trigger_id,
            action_type: &target.action_type,
            data_source,
            context,
        };
        let body =
            serde_json::to_value(&request).map_err(|e| Error::Internal(format!("action: {e}")))?;
        let reply = self
            .post_to_integration(&target.integration.url, body)
            .await?;
        // An empty answer asks for nothing.
        let answer: ActionAnswer = if reply.body.iter().all(u8::is_ascii_whitespace) {
            ActionAnswer::default()
        } else {
            reply.json()?
        };
        if let Some(update) = answer.update {
            self.apply_action_update(actor, &target, update).await?;
        }
        if !answer.ephemeral_text.is_empty() {
            let text = if answer.skip_slack_parsing {
                answer.ephemeral_text
            } else {
                message_actions::slack_links_to_markdown(&answer.ephemeral_text)
            };
            // As Mattermost: written as the user who clicked, showing who
            // the post came from when it was an integration's.
            let post = Post::ephemeral(
                crate::id::new_id(),
                actor.id(),
                &target.channel.id,
                &target.root_id,
                text,
                Value::Object(target.retain_props.clone()),
                now_ms(),
            );
            self.publish_ephemeral(actor.id(), post).await?;
        }
        Ok(ActionOutcome {
            trigger_id: super::triggers::client_trigger_id(&trigger_id),
            goto_location: answer.goto_location,
        })
    }

    /// Finds the action: in the stored post, or for a post that is not
    /// stored, in the cookie. Either way the actor must be able to read
    /// the channel the action runs in.
    async fn action_target(
        &self,
        actor: &Actor,
        post_id: &str,
        action_id: &str,
        cookie: &str,
    ) -> Result<Target> {
        let stored = match self.store.get_post(post_id).await {
            Ok(post) if post.delete_at == 0 => Some(post),
            Ok(_) | Err(Error::NotFound { .. }) => None,
            Err(e) => return Err(e),
        };
        if let Some(post) = stored {
            let (channel, _) = self.channel_for_read(actor, &post.channel_id).await?;
            let action = Some(action_id)
                .filter(|id| message_actions::is_valid_action_id(id))
                .and_then(|id| message_actions::find_action(&post.props, id))
                .ok_or(Error::not_found("action"))?;
            let integration = action.integration.ok_or(Error::not_found("action"))?;
            let (retain_props, _) = retained_props(&post.props);
            let root_id = if post.root_id.is_empty() {
                post.id.clone()
            } else {
                post.root_id.clone()
            };
            return Ok(Target {
                post_id: post.id.clone(),
                channel,
                root_id,
                action_type: action.action_type,
                data_source: action.data_source,
                integration,
                retain_props,
                stored: Some(post),
            });
        }
        if cookie.is_empty() {
            return Err(Error::not_found("post"));
        }
        let cookie = self.cookie_jar().await?.open(cookie)?;
        if cookie.post_id != post_id {
            return Err(Error::invalid("cookie", "is for another post"));
        }
        let integration = cookie
            .integration
            .ok_or_else(|| Error::invalid("cookie", "names no integration"))?;
        let (channel, _) = self.channel_for_read(actor, &cookie.channel_id).await?;
        Ok(Target {
            post_id: cookie.post_id,
            channel,
            stored: None,
            root_id: cookie.root_post_id,
            action_type: cookie.action_type,
            data_source: cookie.data_source,
            integration,
            retain_props: cookie.retain_props,
        })
    }

    /// Posts `body` to an integration. Only a 200 counts, as on Mattermost.
    pub(super) async fn post_to_integration(&self, url: &str, body: Value) -> Result<Reply> {
        let reply = self
            .outbound
            .send(Call::post_json(url, body).header("Accept", "application/json"))
            .await?;
        if reply.status != 200 {
            return Err(OutboundError::Status {
                host: reply.host,
                status: reply.status,
            }
            .into());
        }
        Ok(reply)
    }

    /// Replaces the post's message and props with the integration's
    /// version, keeping its author, pins and who it appears to come from.
    async fn apply_action_update(
        &self,
        actor: &Actor,
        target: &Target,
        update: PostUpdate,
    ) -> Result<()> {
        let Some(stored) = &target.stored else {
            // The post lives only in the clicker's client: send them the new version.
            let mut post = Post::ephemeral(
                target.post_id.clone(),
                actor.id(),
                &target.channel.id,
                &target.root_id,
                update.message,
                update.props.unwrap_or_else(|| serde_json::json!({})),
                now_ms(),
            );
            if post.root_id == post.id {
                post.root_id.clear();
            }
            super::posts::check_props(&post.props)?;
            self.prepare_ephemeral(&mut post).await?;
            self.events.publish(
                EventKind::PostEdited { post },
                Audience::User(actor.id().to_string()),
            );
            return Ok(());
        };
        if target.channel.delete_at != 0 {
            return Err(Error::forbidden("the channel is archived"));
        }
        if update.message.chars().count() > MAX_MESSAGE_CHARS {
            return Err(Error::invalid(
                "update.message",
                format!("must be at most {MAX_MESSAGE_CHARS} characters"),
            ));
        }
        let mut post = stored.clone();
        let attachments_before = post.props.get(message_actions::ATTACHMENTS).cloned();
        if let Some(mut props) = update.props {
            if !props.is_object() {
                return Err(Error::invalid("update.props", "must be an object"));
            }
            super::posts::keep_origin_props(&mut props, &post.props);
            if let (Some(map), Some(from_bot)) = (props.as_object_mut(), post.props.get("from_bot"))
            {
                // The author is kept, and so is the mark of a bot's post.
                map.insert("from_bot".into(), from_bot.clone());
            }
            super::posts::check_props(&props)?;
            message_actions::generate_action_ids(&mut props);
            post.props = props;
        }
        let now = now_ms();
        let changed = post.message != update.message
            || post.props.get(message_actions::ATTACHMENTS).cloned() != attachments_before;
        let history = Post {
            id: crate::id::new_id(),
            delete_at: now,
            update_at: now,
            original_id: post.id.clone(),
            pending_post_id: String::new(),
            is_pinned: false,
            ..stored.clone()
        };
        post.hashtags = parse_hashtags(&update.message);
        post.message = update.message;
        post.update_at = now;
        if changed {
            post.edit_at = now;
        }
        self.store.edit_post(&history, &post).await?;
        self.events.publish(
            EventKind::PostEdited { post: post.clone() },
            Audience::Channel(post.channel_id.clone()),
        );
        Ok(())
    }
}

/// Of the props that say who a post came from, those it has (kept on an
/// answer) and those it lacks (removed from one).
fn retained_props(props: &Value) -> (Map<String, Value>, Vec<String>) {
    let mut retain = Map::new();
    let mut remove = Vec::new();
    for key in message_actions::RETAINED_PROPS {
        match props.get(*key) {
            Some(value) => {
                retain.insert((*key).to_string(), value.clone());
            }
            None => remove.push((*key).to_string()),
        }
    }
    (retain, remove)
}
