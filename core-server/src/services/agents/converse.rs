//! Conversations with agents. A post is meant for an agent when it is a
//! direct message to the agent's bot, when it @mentions a bot that belongs to
//! the channel, or when it replies in a thread where the agent waits for
//! input. The message goes to the agent with the conversation (the direct
//! channel, or the thread's root post) as its `contextId`, and the answer is
//! posted as the bot: in the thread for mentions, edited as it grows for
//! agents that stream. Failures are told to the user as a bot message, and
//! nothing here logs what anyone wrote.

use std::time::{Duration, Instant};

use futures::StreamExt;
use serde_json::json;

use super::render::{render, Rendered};
use super::wire::{self, Answer, EventReader, Outgoing, TaskState, WireError};
use crate::error::{Error, Result};
use crate::events::{Audience, EventKind};
use crate::model::*;
use crate::outbound::{Call, OutboundError};
use crate::services::{Actor, Core, NewPost};
use crate::time::now_ms;

/// How often a growing answer's post is rewritten, at most.
const GROW_EVERY: Duration = Duration::from_millis(300);

/// One message for one agent.
#[derive(Debug, Clone)]
struct Turn {
    agent_id: String,
    /// The direct channel, or the thread's root post.
    context_id: String,
    /// Where the answer goes: the thread's root, or empty for the channel.
    reply_root: String,
}

/// Why an agent gave no answer, as the user is told.
#[derive(Debug, thiserror::Error)]
enum Failure {
    #[error("the agent is turned off")]
    Disabled,
    #[error("the agent did not answer within {0} seconds")]
    Timeout(u64),
    #[error("the agent could not be reached ({0})")]
    Unreachable(String),
    #[error("the agent answered with HTTP status {0}")]
    Status(u16),
    #[error("{0}")]
    Wire(#[from] WireError),
    #[error("the agent's answer could not be read")]
    Unreadable,
    #[error("the agent could not finish the task")]
    TaskFailed,
}

impl From<OutboundError> for Failure {
    fn from(err: OutboundError) -> Self {
        match err {
            OutboundError::Timeout { seconds, .. } => Failure::Timeout(seconds),
            OutboundError::Status { status, .. } => Failure::Status(status),
            OutboundError::BadJson { .. } => Failure::Unreadable,
            other => Failure::Unreachable(other.to_string()),
        }
    }
}

/// The usernames a message @mentions, lower case.
fn mentioned_names(message: &str) -> Vec<String> {
    message
        .split(|c: char| c.is_whitespace() || ",;:!?()[]<>\"'".contains(c))
        .filter_map(|word| word.strip_prefix('@'))
        .map(|name| name.trim_end_matches(['.', '-', '_']).to_lowercase())
        .filter(|name| !name.is_empty())
        .collect()
}

/// The message without the bot's own @mention, which tells the agent nothing.
fn without_mention(message: &str, username: &str) -> String {
    let own = format!("@{}", username.to_lowercase());
    let kept: Vec<&str> = message
        .split(' ')
        .filter(|word| {
            word.to_lowercase()
                .trim_end_matches([',', ':', '.', '!', '?'])
                != own
        })
        .collect();
    match kept.join(" ").trim() {
        "" => message.trim().to_string(),
        text => text.to_string(),
    }
}

/// The post that shows an answer, made on its first words and rewritten as
/// more arrive.
struct ReplyPost<'a> {
    core: &'a Core,
    bot: &'a Actor,
    channel_id: &'a str,
    root_id: &'a str,
    post: Option<Post>,
    shown: String,
    last_write: Option<Instant>,
}

impl ReplyPost<'_> {
    /// Shows `rendered`: the first time as a new post, then by rewriting it
    /// (not more often than [`GROW_EVERY`] unless `last`).
    async fn show(&mut self, rendered: Rendered, last: bool) -> Result<()> {
        if rendered.message.is_empty() && rendered.files.is_empty() {
            return Ok(());
        }
        if rendered.message == self.shown && !last {
            return Ok(());
        }
        if !last && self.last_write.is_some_and(|at| at.elapsed() < GROW_EVERY) {
            return Ok(());
        }
        let file_ids = if last {
            self.attach(&rendered).await?
        } else {
            Vec::new()
        };
        match &mut self.post {
            None => {
                let props = json!({"from_agent": "true"});
                let post = self
                    .core
                    .create_post_from(
                        self.bot,
                        self.channel_id,
                        NewPost {
                            message: rendered.message.clone(),
                            root_id: self.root_id.to_string(),
                            props: Some(props),
                            file_ids,
                            pending_post_id: String::new(),
                            post_type: String::new(),
                        },
                        crate::services::posts::PostOrigin::Server,
                    )
                    .await?;
                self.post = Some(post);
            }
            Some(post) => {
                if rendered.message == post.message && file_ids.is_empty() {
                    return Ok(());
                }
                post.message = rendered.message.clone();
                post.hashtags = crate::model::parse_hashtags(&post.message);
                if !file_ids.is_empty() {
                    self.core
                        .store
                        .attach_files(
                            &post.id,
                            self.channel_id,
                            self.bot.id(),
                            &file_ids,
                            now_ms(),
                        )
                        .await?;
                    post.file_ids.extend(file_ids);
                }
                post.update_at = now_ms();
                self.core.store.grow_post(post).await?;
                self.core.events.publish(
                    EventKind::PostEdited { post: post.clone() },
                    Audience::Channel(post.channel_id.clone()),
                );
            }
        }
        self.shown = rendered.message;
        self.last_write = Some(Instant::now());
        Ok(())
    }

    /// Stores the files an answer carries, as the bot's uploads to the channel.
    async fn attach(&self, rendered: &Rendered) -> Result<Vec<String>> {
        let mut ids = Vec::new();
        for file in rendered.files.iter().take(10) {
            let bytes = bytes::Bytes::from(file.bytes.clone());
            let body = futures::stream::once(async move { Ok::<_, std::io::Error>(bytes) }).boxed();
            let info = self
                .core
                .upload_file(self.bot, self.channel_id, &file.name, body)
                .await?;
            ids.push(info.id);
        }
        Ok(ids)
    }
}

impl Core {
    /// Hands a new post to the agents it is meant for, after the post's own
    /// answer (a spawned task).
    pub(crate) fn notice_agents(&self, channel: &Channel, post: &Post, author: &User) {
        // Most servers have no agents: then a post costs no task at all.
        if post.is_system_message()
            || post.message.trim().is_empty()
            || self.agent_directory.surely_none()
        {
            return;
        }
        let (core, channel, post, author) =
            (self.clone(), channel.clone(), post.clone(), author.clone());
        tokio::spawn(async move {
            let turns = match core.turns_for(&channel, &post, &author).await {
                Ok(turns) => turns,
                Err(e) => {
                    tracing::warn!(error = %e, post_id = %post.id, "could not tell whether a post is for an agent");
                    return;
                }
            };
            for turn in turns {
                let core = core.clone();
                let (channel, post, author) = (channel.clone(), post.clone(), author.clone());
                tokio::spawn(async move {
                    if let Err(e) = core.converse(&turn, &channel, &post, &author).await {
                        tracing::warn!(error = %e, agent_id = %turn.agent_id, post_id = %post.id, "agent conversation failed");
                    }
                });
            }
        });
    }

    /// The agents a post is meant for, each with its conversation.
    async fn turns_for(&self, channel: &Channel, post: &Post, author: &User) -> Result<Vec<Turn>> {
        let known = self.agent_directory.known(self.store.as_ref()).await?;
        // Agents never answer agents: two of them could talk forever.
        if known.is_empty() || known.iter().any(|a| a.id == author.id) {
            return Ok(Vec::new());
        }
        if channel.channel_type == channel_types::DIRECT {
            let other = channel
                .name
                .split("__")
                .find(|id| *id != author.id)
                .unwrap_or("");
            return Ok(known
                .iter()
                .filter(|a| a.id == other)
                .map(|a| Turn {
                    agent_id: a.id.clone(),
                    context_id: channel.id.clone(),
                    reply_root: post.root_id.clone(),
                })
                .collect());
        }
        let root = if post.root_id.is_empty() {
            post.id.clone()
        } else {
            post.root_id.clone()
        };
        let names = mentioned_names(&post.message);
        let mut turns: Vec<Turn> = Vec::new();
        for agent in known.iter().filter(|a| names.contains(&a.username)) {
            match self.store.get_channel_member(&channel.id, &agent.id).await {
                Ok(_) => turns.push(Turn {
                    agent_id: agent.id.clone(),
                    context_id: root.clone(),
                    reply_root: root.clone(),
                }),
                Err(Error::NotFound { .. }) => {}
                Err(e) => return Err(e),
            }
        }
        // A reply in a thread where an agent waits for input continues its task.
        if !post.root_id.is_empty() {
            for task in self.store.agent_tasks_in(&post.root_id).await? {
                if !turns.iter().any(|t| t.agent_id == task.agent_id)
                    && known.iter().any(|a| a.id == task.agent_id)
                {
                    turns.push(Turn {
                        agent_id: task.agent_id,
                        context_id: root.clone(),
                        reply_root: root.clone(),
                    });
                }
            }
        }
        Ok(turns)
    }

    /// One exchange: the message to the agent, its answer to the conversation.
    async fn converse(
        &self,
        turn: &Turn,
        channel: &Channel,
        post: &Post,
        author: &User,
    ) -> Result<()> {
        let agent = self.store.get_agent(&turn.agent_id).await?;
        let bot = Actor::on_behalf_of(self.store.get_user(&agent.id).await?);
        let mut reply = ReplyPost {
            core: self,
            bot: &bot,
            channel_id: &channel.id,
            root_id: &turn.reply_root,
            post: None,
            shown: String::new(),
            last_write: None,
        };
        let outcome = if agent.enabled {
            self.events.publish(
                EventKind::Typing {
                    channel_id: channel.id.clone(),
                    parent_id: turn.reply_root.clone(),
                    user_id: agent.id.clone(),
                },
                Audience::Channel(channel.id.clone()),
            );
            self.ask_agent(&agent, turn, post, author, &mut reply).await
        } else {
            Err(Failure::Disabled)
        };
        let error = match outcome {
            Ok(()) => String::new(),
            Err(failure) => {
                let warning = format!(
                    ":warning: {} could not answer: {failure}.",
                    agent.display_name
                );
                // What a stream had shown stays, with the warning under it.
                let text = if reply.shown.is_empty() {
                    warning
                } else {
                    format!("{}\n\n{warning}", reply.shown)
                };
                reply
                    .show(
                        Rendered {
                            message: text,
                            files: Vec::new(),
                        },
                        true,
                    )
                    .await?;
                failure.to_string()
            }
        };
        if error != agent.last_error {
            self.store
                .set_agent_error(&agent.id, &error, now_ms())
                .await?;
        }
        Ok(())
    }

    /// Sends the message (continuing a waiting task, if any), shows the
    /// answer as it comes and keeps the task when it waits for more input.
    async fn ask_agent(
        &self,
        agent: &Agent,
        turn: &Turn,
        post: &Post,
        author: &User,
        reply: &mut ReplyPost<'_>,
    ) -> std::result::Result<(), Failure> {
        let waiting = self
            .store
            .get_agent_task(&agent.id, &turn.context_id)
            .await
            .map_err(|e| Failure::Unreachable(e.to_string()))?;
        let bot_name = reply.bot.user.username.clone();
        let text = without_mention(&post.message, &bot_name);
        let metadata = json!({
            "user_id": author.id,
            "username": author.username,
            "channel_id": post.channel_id,
            "post_id": post.id,
        });
        let mut outgoing = Outgoing {
            text: &text,
            context_id: &turn.context_id,
            task_id: waiting.as_ref().map(|t| t.task_id.as_str()),
            metadata,
        };
        let answer = match self.call_agent(agent, &outgoing, reply).await {
            // The task may have ended at the agent's side: start afresh.
            Err(Failure::Wire(WireError::Rpc { .. })) if outgoing.task_id.is_some() => {
                self.store
                    .delete_agent_task(&agent.id, &turn.context_id)
                    .await
                    .map_err(|e| Failure::Unreachable(e.to_string()))?;
                outgoing.task_id = None;
                self.call_agent(agent, &outgoing, reply).await?
            }
            other => other?,
        };
        let keep_task = answer.state == TaskState::InputRequired;
        match (&answer.task_id, keep_task) {
            (Some(task_id), true) => self
                .store
                .put_agent_task(&AgentTask {
                    agent_id: agent.id.clone(),
                    context_id: turn.context_id.clone(),
                    task_id: task_id.clone(),
                    update_at: now_ms(),
                })
                .await
                .map_err(|e| Failure::Unreachable(e.to_string()))?,
            _ if waiting.is_some() => self
                .store
                .delete_agent_task(&agent.id, &turn.context_id)
                .await
                .map_err(|e| Failure::Unreachable(e.to_string()))?,
            _ => {}
        }
        let shown = render(&answer.parts());
        let nothing = shown.message.is_empty() && shown.files.is_empty();
        if answer.state == TaskState::Failed && nothing {
            return Err(Failure::TaskFailed);
        }
        if nothing {
            return Err(Failure::Unreadable);
        }
        reply
            .show(shown, true)
            .await
            .map_err(|e| Failure::Unreachable(e.to_string()))?;
        Ok(())
    }

    /// One JSON-RPC call, streamed when the agent streams; a growing answer
    /// is shown as it grows.
    async fn call_agent(
        &self,
        agent: &Agent,
        outgoing: &Outgoing<'_>,
        reply: &mut ReplyPost<'_>,
    ) -> std::result::Result<Answer, Failure> {
        let request = wire::request(&agent.protocol_version, agent.streaming, outgoing);
        let seconds = self.config().agent_timeout_seconds;
        let mut call = Call::post_json(&agent.endpoint_url, request)
            .timeout(Duration::from_secs(seconds))
            .header(
                "Accept",
                if agent.streaming {
                    "text/event-stream"
                } else {
                    "application/json"
                },
            );
        if agent.protocol_version == super::card::V1 {
            call = call.header(wire::VERSION_HEADER, super::card::V1);
        }
        let secret = self
            .agent_secret(agent)
            .await
            .map_err(|e| Failure::Unreachable(e.to_string()))?;
        if !secret.is_empty() {
            call = match agent.auth_scheme.as_str() {
                agent_auth::API_KEY => match header_name(&agent.auth_header) {
                    Some(name) => call.header(name, secret),
                    None => call,
                },
                _ => call.header("Authorization", format!("Bearer {secret}")),
            };
        }
        let mut open = self.outbound.open(call).await?;
        if !(200..300).contains(&open.status) {
            return Err(Failure::Status(open.status));
        }
        let mut answer = Answer::default();
        if open.content_type.starts_with("text/event-stream") {
            let mut events = EventReader::default();
            while let Some(chunk) = open.chunk().await? {
                for event in events.feed(&chunk) {
                    let value: serde_json::Value =
                        serde_json::from_str(&event).map_err(|_| Failure::Unreadable)?;
                    answer.apply(&value)?;
                }
                let _ = reply.show(render(&answer.parts()), false).await;
            }
        } else {
            let mut body = Vec::new();
            while let Some(chunk) = open.chunk().await? {
                body.extend_from_slice(&chunk);
            }
            let value: serde_json::Value =
                serde_json::from_slice(&body).map_err(|_| Failure::Unreadable)?;
            answer.apply(&value)?;
        }
        Ok(answer)
    }
}

/// The header an API key goes in, when the card named a usable one.
fn header_name(name: &str) -> Option<&str> {
    let valid = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_".contains(c));
    valid.then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mentions_are_read_from_words() {
        assert_eq!(
            mentioned_names("hey @Echo-Agent, and @bob. (@carol) mail@x"),
            vec!["echo-agent", "bob", "carol"]
        );
        assert!(mentioned_names("no mentions here").is_empty());
    }

    #[test]
    fn the_bots_own_mention_is_left_out() {
        assert_eq!(without_mention("@echo hello there", "echo"), "hello there");
        assert_eq!(without_mention("hi @Echo: what?", "echo"), "hi what?");
        assert_eq!(without_mention("@echo", "echo"), "@echo");
        assert_eq!(without_mention("@other hi", "echo"), "@other hi");
    }

    #[test]
    fn header_names_are_checked() {
        assert_eq!(header_name("X-API-Key"), Some("X-API-Key"));
        assert_eq!(header_name("bad header"), None);
        assert_eq!(header_name(""), None);
    }
}
