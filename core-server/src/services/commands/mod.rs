//! Slash commands: what the apps send for every message that starts with `/`.
//! A command is looked up by its trigger and run; its response is delivered
//! as Mattermost does: `in_channel` text becomes a post by the caller,
//! ephemeral text reaches only the caller's sockets and is never stored, and
//! a `goto_location` tells the app where to go next.
//!
//! Lookup goes through [`Command`], so team commands with HTTP callbacks can
//! join the built-ins as another variant without touching delivery.

mod builtin;
mod channel_cmds;
mod message_cmds;
mod user_cmds;

use serde::Serialize;

use super::posts::PostOrigin;
use super::{Actor, Core, NewPost};
use crate::error::{Error, Result};
use crate::events::{Audience, EventKind};
use crate::id::new_id;
use crate::model::*;
use crate::time::now_ms;

pub use builtin::{BuiltinCommand, BUILTIN_COMMANDS};

/// What the caller ran, and where.
#[derive(Debug, Clone, Default)]
pub struct CommandArgs {
    pub channel_id: String,
    /// Only read for direct and group channels, which belong to no team.
    pub team_id: String,
    pub root_id: String,
    /// The whole message, starting with `/`.
    pub command: String,
}

/// Mattermost's `CommandResponse`, every field always present.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct CommandResponse {
    pub response_type: String,
    pub text: String,
    pub username: String,
    pub channel_id: String,
    pub icon_url: String,
    #[serde(rename = "type")]
    pub post_type: String,
    pub props: Option<serde_json::Value>,
    pub goto_location: String,
    pub trigger_id: String,
    pub skip_slack_parsing: bool,
    pub attachments: Option<serde_json::Value>,
    pub extra_responses: Option<Vec<CommandResponse>>,
}

pub const IN_CHANNEL: &str = "in_channel";
pub const EPHEMERAL: &str = "ephemeral";

impl CommandResponse {
    /// Text only the caller sees.
    pub fn ephemeral(text: impl Into<String>) -> Self {
        CommandResponse {
            response_type: EPHEMERAL.into(),
            text: text.into(),
            ..Self::default()
        }
    }

    /// Text posted in the channel as the caller.
    pub fn in_channel(text: impl Into<String>) -> Self {
        CommandResponse {
            response_type: IN_CHANNEL.into(),
            text: text.into(),
            ..Self::default()
        }
    }

    /// Nothing to show: the command's effect is its own feedback.
    pub fn done() -> Self {
        Self::default()
    }

    /// Send the app somewhere.
    pub fn goto(location: String) -> Self {
        CommandResponse {
            goto_location: location,
            ..Self::default()
        }
    }
}

/// One line of the `/` suggestion list (Mattermost's `AutocompleteSuggestion`).
#[derive(Debug, Clone, PartialEq)]
pub struct Suggestion {
    /// The input as it would read with the suggestion taken.
    pub complete: String,
    pub suggestion: String,
    pub hint: String,
    pub description: String,
}

/// A command found by its trigger.
enum Command {
    Builtin(&'static BuiltinCommand),
}

/// What a running command knows: the caller, the channel and its team.
pub(crate) struct Invocation<'a> {
    pub core: &'a Core,
    pub actor: &'a Actor,
    pub channel: Channel,
    pub member: ChannelMember,
    /// The channel's team, or for a direct or group channel the caller's current one.
    pub team: Option<Team>,
    pub root_id: String,
    /// Everything after the trigger and the one space that ends it.
    pub message: String,
}

impl Invocation<'_> {
    /// The web address of a channel of the current team.
    pub fn channel_location(&self, channel_name: &str) -> Option<String> {
        let team = self.team.as_ref()?;
        Some(format!(
            "{}/{}/channels/{}",
            self.core.site_base(),
            team.name,
            channel_name
        ))
    }

    /// The current team's id, or an ephemeral refusal when there is none
    /// (a direct message sent from no team).
    pub fn team_id(&self) -> Option<&str> {
        self.team.as_ref().map(|t| t.id.as_str())
    }
}

/// Splits `/trigger rest` into the lower-case trigger (without `/`) and the
/// rest after the single whitespace character that ends the trigger.
pub(crate) fn split_command(command: &str) -> (String, String) {
    let body = command.strip_prefix('/').unwrap_or(command);
    match body.char_indices().find(|(_, c)| c.is_whitespace()) {
        Some((i, c)) => (
            body[..i].to_lowercase(),
            body[i + c.len_utf8()..].to_string(),
        ),
        None => (body.to_lowercase(), String::new()),
    }
}

impl Core {
    /// The site's base address without a trailing `/`, for `goto_location`.
    pub(crate) fn site_base(&self) -> String {
        self.config
            .site_url
            .as_deref()
            .unwrap_or("")
            .trim_end_matches('/')
            .to_string()
    }

    fn find_command(&self, trigger: &str) -> Option<Command> {
        BUILTIN_COMMANDS
            .iter()
            .find(|c| c.trigger == trigger)
            .map(Command::Builtin)
    }

    /// Runs a slash command in a channel the actor may post in and delivers
    /// its response. `Error::NotFound { entity: "command" }` for an unknown
    /// trigger.
    pub async fn execute_command(
        &self,
        actor: &Actor,
        args: CommandArgs,
    ) -> Result<CommandResponse> {
        if args.command.chars().count() <= 1 || !args.command.starts_with('/') {
            return Err(Error::invalid("command", "must be / followed by a command"));
        }
        super::validate::length("command", &args.command, 2, 16_383)?;
        let (channel, member) = self.channel_for_member(actor, &args.channel_id).await?;
        if channel.delete_at != 0 {
            return Err(Error::invalid("channel_id", "the channel is archived"));
        }
        let team_id = if channel.team_id.is_empty() {
            args.team_id.clone()
        } else {
            channel.team_id.clone()
        };
        let team = if team_id.is_empty() {
            None
        } else {
            Some(self.team_for_member(actor, &team_id).await?)
        };
        if !args.root_id.is_empty() {
            super::validate::id("root_id", &args.root_id)?;
        }
        let (trigger, message) = split_command(&args.command);
        let Some(command) = self.find_command(&trigger) else {
            return Err(Error::not_found("command"));
        };
        let invocation = Invocation {
            core: self,
            actor,
            channel,
            member,
            team,
            root_id: args.root_id,
            message,
        };
        let response = match command {
            Command::Builtin(builtin) => builtin.run(&invocation).await?,
        };
        self.deliver_response(&invocation, &response).await?;
        for extra in response.extra_responses.iter().flatten() {
            self.deliver_response(&invocation, extra).await?;
        }
        Ok(response)
    }

    /// Posts or sends a response's text, as its `response_type` says.
    async fn deliver_response(
        &self,
        invocation: &Invocation<'_>,
        response: &CommandResponse,
    ) -> Result<()> {
        if response.text.is_empty() {
            return Ok(());
        }
        if response.response_type == IN_CHANNEL {
            self.create_post_from(
                invocation.actor,
                &invocation.channel.id,
                NewPost {
                    message: response.text.clone(),
                    root_id: invocation.root_id.clone(),
                    props: response.props.clone(),
                    post_type: response.post_type.clone(),
                    ..NewPost::default()
                },
                PostOrigin::Client,
            )
            .await?;
        } else {
            self.send_ephemeral(
                invocation.actor.id(),
                &invocation.channel.id,
                &invocation.root_id,
                &response.text,
            );
        }
        Ok(())
    }

    /// A message only `user_id` sees, on their open sockets; never stored.
    pub(crate) fn send_ephemeral(
        &self,
        user_id: &str,
        channel_id: &str,
        root_id: &str,
        text: &str,
    ) {
        let post = Post::ephemeral(
            new_id(),
            user_id,
            channel_id,
            root_id,
            text.to_string(),
            serde_json::json!({}),
            now_ms(),
        );
        self.events.publish(
            EventKind::EphemeralMessage {
                user_id: user_id.to_string(),
                post,
            },
            Audience::User(user_id.to_string()),
        );
    }

    /// The commands the `/` list offers in a team the actor belongs to.
    pub async fn list_commands(
        &self,
        actor: &Actor,
        team_id: &str,
    ) -> Result<Vec<&'static BuiltinCommand>> {
        self.team_for_member(actor, team_id).await?;
        Ok(BUILTIN_COMMANDS.iter().collect())
    }

    /// Suggestions for what the user has typed after `/`: the commands whose
    /// trigger starts with it, or once a command and a space are typed, what
    /// that command expects next.
    pub async fn command_suggestions(
        &self,
        actor: &Actor,
        team_id: &str,
        input: &str,
    ) -> Result<Vec<Suggestion>> {
        self.team_for_member(actor, team_id).await?;
        let input = input.strip_prefix('/').unwrap_or(input);
        let mut commands: Vec<&BuiltinCommand> = BUILTIN_COMMANDS.iter().collect();
        commands.sort_by_key(|c| c.trigger);
        let Some(space) = input.find(' ') else {
            let typed = input.to_lowercase();
            return Ok(commands
                .into_iter()
                .filter(|c| c.trigger.starts_with(&typed))
                .map(|c| Suggestion {
                    complete: c.trigger.to_string(),
                    suggestion: c.trigger.to_string(),
                    hint: c.hint.to_string(),
                    description: c.description.to_string(),
                })
                .collect());
        };
        let trigger = input[..space].to_lowercase();
        let rest = &input[space + 1..];
        Ok(commands
            .into_iter()
            .filter(|c| c.trigger == trigger && !c.hint.is_empty() && !rest.contains(' '))
            .map(|c| Suggestion {
                complete: input.to_string(),
                suggestion: String::new(),
                hint: c.hint.to_string(),
                description: c.description.to_string(),
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::split_command;

    #[test]
    fn the_trigger_ends_at_the_first_whitespace_and_the_rest_is_kept_as_typed() {
        assert_eq!(
            split_command("/Echo  hi there"),
            ("echo".into(), " hi there".into())
        );
        assert_eq!(split_command("/away"), ("away".into(), String::new()));
        assert_eq!(
            split_command("/code\nfn main() {}"),
            ("code".into(), "fn main() {}".into())
        );
    }
}
