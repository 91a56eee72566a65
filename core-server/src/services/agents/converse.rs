//! One exchange with an agent: the user's message goes out with the
//! conversation as its `contextId` (and the waiting task's `taskId`), the
//! answer comes back whole or as a stream and is shown as the bot's post.
//! A failure is told to the user in plain words, with the details kept for
//! admins (`last_error`); nothing here logs what anyone wrote.

use std::time::Duration;

use serde_json::json;

use super::render::{render, Rendered};
use super::reply::ReplyPost;
use super::routing::Turn;
use super::wire::{self, Answer, EventReader, Outgoing, TaskState, WireError};
use crate::error::Result;
use crate::events::{Audience, EventKind};
use crate::model::*;
use crate::outbound::{Call, OutboundError};
use crate::services::{Actor, Core};
use crate::time::now_ms;

/// Largest answer read from an agent: a streamed answer repeats its
/// envelope with every few words.
const MAX_ANSWER_BYTES: usize = 16 * 1024 * 1024;

/// Why an agent gave no answer. What the user reads says what happened;
/// the detail (hosts, server errors) is for admins only.
#[derive(Debug, thiserror::Error)]
enum Failure {
    #[error("the agent is turned off")]
    Disabled,
    #[error("the agent is busy with other conversations; try again in a moment")]
    Busy,
    #[error("the agent did not answer within {0} seconds")]
    Timeout(u64),
    #[error("the agent could not be reached")]
    Unreachable(String),
    #[error("the agent answered with HTTP status {0}")]
    Status(u16),
    #[error("the agent's answer was too long")]
    TooLong,
    #[error("{0}")]
    Wire(#[from] WireError),
    #[error("the agent's answer could not be read")]
    Unreadable,
    #[error("the agent did not finish its answer")]
    Unfinished,
    #[error("the agent could not finish the task")]
    TaskFailed,
    #[error("the server could not handle the agent's answer")]
    Server(#[from] crate::Error),
}

impl Failure {
    /// What admins see: the user's words, and the detail behind them.
    fn detail(&self) -> String {
        match self {
            Failure::Unreachable(detail) => format!("{self}: {detail}"),
            Failure::Server(e) => format!("{self}: {e}"),
            other => other.to_string(),
        }
    }
}

impl From<OutboundError> for Failure {
    fn from(err: OutboundError) -> Self {
        match err {
            OutboundError::Timeout { seconds, .. } => Failure::Timeout(seconds),
            OutboundError::Status { status, .. } => Failure::Status(status),
            OutboundError::BadJson { .. } => Failure::Unreadable,
            OutboundError::TooLarge { .. } => Failure::TooLong,
            other => Failure::Unreachable(other.to_string()),
        }
    }
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

/// The header an API key goes in, when the card named a usable one.
fn header_name(name: &str) -> Option<&str> {
    let valid = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_".contains(c));
    valid.then_some(name)
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
        let mut reply = ReplyPost::new(self, &bot, &channel.id, &turn.reply_root);
        // Each agent answers a few conversations at once; the rest are told so.
        let permit = self.agent_directory.permits(&agent.id).try_acquire_owned();
        let outcome = match (agent.enabled, permit) {
            (false, _) => Err(Failure::Disabled),
            (true, Err(_)) => Err(Failure::Busy),
            (true, Ok(_permit)) => {
                self.events.publish(
                    EventKind::Typing {
                        channel_id: channel.id.clone(),
                        parent_id: turn.reply_root.clone(),
                        user_id: agent.id.clone(),
                    },
                    Audience::Channel(channel.id.clone()),
                );
                self.ask_agent(&agent, turn, post, author, &mut reply).await
            }
        };
        let failure = outcome.err();
        let error = failure.as_ref().map(Failure::detail).unwrap_or_default();
        if error != agent.last_error {
            self.store
                .set_agent_error(&agent.id, &error, now_ms())
                .await?;
        }
        if let Some(failure) = failure {
            if let Failure::Server(e) = &failure {
                tracing::warn!(error = %e, agent_id = %agent.id, "an agent's answer could not be shown");
            }
            let warning = format!(
                ":warning: {} could not answer: {failure}.",
                agent.display_name
            );
            // What a stream had shown stays, with the warning under it.
            let message = if reply.shown.is_empty() {
                warning
            } else {
                format!("{}\n\n{warning}", reply.shown)
            };
            reply
                .finish(Rendered {
                    message,
                    files: Vec::new(),
                })
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
            .await?
            .filter(|t| t.update_at >= now_ms() - super::routing::TASK_WAITS_MS);
        let text = without_mention(&post.message, &reply.bot.user.username);
        let mut outgoing = Outgoing {
            text: &text,
            context_id: &turn.context_id,
            task_id: waiting.as_ref().map(|t| t.task_id.as_str()),
            metadata: json!({
                "user_id": author.id,
                "username": author.username,
                "channel_id": post.channel_id,
                "post_id": post.id,
            }),
        };
        let answer = match self.call_agent(agent, &outgoing, reply).await {
            // The task may have ended at the agent's side: start afresh.
            Err(Failure::Wire(WireError::Rpc { .. })) if outgoing.task_id.is_some() => {
                self.store
                    .delete_agent_task(&agent.id, &turn.context_id)
                    .await?;
                outgoing.task_id = None;
                self.call_agent(agent, &outgoing, reply).await?
            }
            other => other?,
        };
        match (&answer.task_id, answer.state) {
            (Some(task_id), TaskState::InputRequired) => {
                self.store
                    .put_agent_task(&AgentTask {
                        agent_id: agent.id.clone(),
                        context_id: turn.context_id.clone(),
                        task_id: task_id.clone(),
                        user_id: author.id.clone(),
                        update_at: now_ms(),
                    })
                    .await?
            }
            _ if waiting.is_some() => {
                self.store
                    .delete_agent_task(&agent.id, &turn.context_id)
                    .await?
            }
            _ => {}
        }
        let shown = render(&answer.parts());
        if shown.message.is_empty() && shown.files.is_empty() {
            return Err(match answer.state {
                TaskState::Failed => Failure::TaskFailed,
                TaskState::Working => Failure::Unfinished,
                _ => Failure::Unreadable,
            });
        }
        reply.finish(shown).await?;
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
        let accept = if agent.streaming {
            "text/event-stream"
        } else {
            "application/json"
        };
        let mut call = Call::post_json(&agent.endpoint_url, request)
            .timeout(Duration::from_secs(seconds))
            .max_bytes(MAX_ANSWER_BYTES)
            .header("Accept", accept);
        if agent.protocol_version == super::card::V1 {
            call = call.header(wire::VERSION_HEADER, super::card::V1);
        }
        let secret = self.agent_secret(agent).await?;
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
                // Rendered only when it may be shown: chunks can be many and small.
                if reply.due() {
                    reply.grow(render(&answer.parts())).await?;
                }
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

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn users_read_what_happened_and_admins_why() {
        let unreachable = Failure::from(OutboundError::Unreachable {
            host: "agents.internal".into(),
        });
        assert!(!unreachable.to_string().contains("agents.internal"));
        assert!(unreachable.detail().contains("agents.internal"));
        let server = Failure::Server(crate::Error::Internal("disk full".into()));
        assert!(!server.to_string().contains("disk"));
        assert!(server.detail().contains("disk full"));
    }
}
