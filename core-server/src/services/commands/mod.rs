//! Slash commands: what the apps send for every message that starts with `/`.
//! A command is looked up by its trigger and run; its response is delivered
//! as Mattermost does: `in_channel` text becomes a post by the caller,
//! ephemeral text reaches only the caller's sockets and is never stored, and
//! a `goto_location` tells the app where to go next.
//!
//! Lookup goes through [`Command`]: the built-ins first (as custom commands
//! may not take their triggers), then the team's custom commands, which
//! call an integration over HTTP (`run.rs`) and answer as it says
//! (`respond.rs`).

mod builtin;
mod channel_cmds;
mod custom;
mod mentions;
mod message_cmds;
mod respond;
mod response_url;
mod run;
pub(crate) mod slack;
mod user_cmds;

use serde::{Deserialize, Serialize};

use super::posts::PostOrigin;
use super::{Actor, Core, NewPost};
use crate::error::{Error, Result};
use crate::events::{Audience, EventKind};
use crate::id::new_id;
use crate::model::*;
use crate::time::now_ms;

pub use builtin::{BuiltinCommand, BUILTIN_COMMANDS};
pub use custom::{sanitized, CommandInput, CommandList, COMMANDS_DISABLED};
pub use run::{CommandError, CommandFailure};

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

/// Mattermost's `CommandResponse`, every field always present. Integrations
/// send it too, with any field left out.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
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

    /// An answer read as Mattermost reads one from an HTTP body: JSON when
    /// the content type says `application/json`, else the body as its text.
    pub fn from_http_body(content_type: &str, body: &[u8]) -> serde_json::Result<Self> {
        let essence = content_type.split(';').next().unwrap_or("").trim();
        if essence.eq_ignore_ascii_case("application/json") {
            serde_json::from_slice(body)
        } else {
            Ok(CommandResponse {
                text: String::from_utf8_lossy(body).into_owned(),
                ..Self::default()
            })
        }
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
    /// A team's command, answered by its integration.
    Custom(Box<CustomCommand>),
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
        self.config()
            .site_url
            .as_deref()
            .unwrap_or("")
            .trim_end_matches('/')
            .to_string()
    }

    /// The built-in with this trigger, else the team's custom command (501
    /// while custom commands are off, as Mattermost answers then).
    async fn find_command(&self, team: Option<&Team>, trigger: &str) -> Result<Option<Command>> {
        if let Some(builtin) = BUILTIN_COMMANDS.iter().find(|c| c.trigger == trigger) {
            return Ok(Some(Command::Builtin(builtin)));
        }
        self.require_commands_enabled()?;
        let Some(team) = team else {
            return Ok(None);
        };
        Ok(self
            .store
            .find_team_command(&team.id, trigger)
            .await?
            .map(|c| Command::Custom(Box::new(c))))
    }

    /// Runs a slash command in a channel the actor may post in and delivers
    /// its response. `Error::NotFound { entity: "command" }` for an unknown
    /// trigger; a custom command's integration failing is
    /// [`CommandError::Integration`].
    pub async fn execute_command(
        &self,
        actor: &Actor,
        args: CommandArgs,
    ) -> Result<CommandResponse, CommandError> {
        if args.command.chars().count() <= 1 || !args.command.starts_with('/') {
            return Err(Error::invalid("command", "must be / followed by a command").into());
        }
        super::validate::length("command", &args.command, 2, 16_383)?;
        let (channel, member) = self.channel_for_member(actor, &args.channel_id).await?;
        if channel.delete_at != 0 {
            return Err(Error::invalid("channel_id", "the channel is archived").into());
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
        let Some(command) = self.find_command(team.as_ref(), &trigger).await? else {
            return Err(Error::not_found("command").into());
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
            Command::Custom(custom) => {
                let response = self.run_custom_command(&invocation, &custom).await?;
                self.deliver_custom_responses(
                    &respond::Answering::new(&invocation, &custom),
                    &response,
                )
                .await?;
                return Ok(response);
            }
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

    /// [`Core::send_ephemeral`] with props (attachments, the name and icon
    /// an integration shows); attachment actions get ids and cookies.
    pub(crate) async fn send_ephemeral_with_props(
        &self,
        user_id: &str,
        channel_id: &str,
        root_id: &str,
        text: &str,
        props: serde_json::Value,
    ) -> Result<()> {
        let post = Post::ephemeral(
            new_id(),
            user_id,
            channel_id,
            root_id,
            text.to_string(),
            props,
            now_ms(),
        );
        self.publish_ephemeral(user_id, post).await.map(|_| ())
    }

    /// Suggestions for what the user has typed after `/`: the commands whose
    /// trigger starts with it, or once a command and a space are typed, what
    /// that command expects next. Custom commands that ask to be offered
    /// join the built-ins.
    pub async fn command_suggestions(
        &self,
        actor: &Actor,
        team_id: &str,
        input: &str,
    ) -> Result<Vec<Suggestion>> {
        let listed = self.autocomplete_commands(actor, team_id).await?;
        // (trigger, hint, description) of every command offered.
        let mut commands: Vec<(String, String, String)> = listed
            .builtins
            .iter()
            .map(|c| (c.trigger.into(), c.hint.into(), c.description.into()))
            .chain(
                listed
                    .custom
                    .into_iter()
                    .map(|c| (c.trigger, c.auto_complete_hint, c.auto_complete_desc)),
            )
            .collect();
        commands.sort();
        let input = input.strip_prefix('/').unwrap_or(input);
        let Some(space) = input.find(' ') else {
            let typed = input.to_lowercase();
            return Ok(commands
                .into_iter()
                .filter(|(trigger, ..)| trigger.starts_with(&typed))
                .map(|(trigger, hint, description)| Suggestion {
                    complete: trigger.clone(),
                    suggestion: trigger,
                    hint,
                    description,
                })
                .collect());
        };
        let trigger = input[..space].to_lowercase();
        let rest = &input[space + 1..];
        Ok(commands
            .into_iter()
            .filter(|(t, hint, _)| *t == trigger && !hint.is_empty() && !rest.contains(' '))
            .map(|(_, hint, description)| Suggestion {
                complete: input.to_string(),
                suggestion: String::new(),
                hint,
                description,
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
