//! Running a custom command: Mattermost's request to the command's URL,
//! through the guarded outbound client — a form-encoded POST, or a GET with
//! the same fields as its query — and reading the answer. Nothing here logs
//! the URL, the token or the text.

use super::{CommandResponse, Invocation};
use crate::error::Error;
use crate::model::*;
use crate::outbound::{Call, OutboundError};
use crate::services::Core;

/// Why a custom command gave the caller no answer: Mattermost's three
/// errors, each naming the trigger.
#[derive(Debug, thiserror::Error)]
pub enum CommandFailure {
    /// Not reached (refused, unreachable, timed out), or the answer could
    /// not be read.
    #[error("The /{trigger} command failed: {reason}.")]
    Failed { trigger: String, reason: String },
    /// The integration answered with a status other than 200.
    #[error("The /{trigger} command's integration answered with status {status}.")]
    Status { trigger: String, status: u16 },
    /// The integration answered JSON without a body.
    #[error("The /{trigger} command's integration sent an empty answer.")]
    Empty { trigger: String },
}

/// What running a command can fail with: its integration, or anything else.
#[derive(Debug, thiserror::Error)]
pub enum CommandError {
    #[error(transparent)]
    Integration(#[from] CommandFailure),
    #[error(transparent)]
    Core(#[from] Error),
}

impl From<CommandError> for Error {
    fn from(e: CommandError) -> Self {
        match e {
            CommandError::Integration(failure) => Error::Upstream(failure.to_string()),
            CommandError::Core(e) => e,
        }
    }
}

fn failed(trigger: &str, err: &OutboundError) -> CommandFailure {
    CommandFailure::Failed {
        trigger: trigger.to_string(),
        reason: err.to_string(),
    }
}

impl Core {
    /// Calls the command's integration and returns what it answered (not
    /// yet delivered), with a trigger id the integration may open a dialog
    /// with.
    pub(super) async fn run_custom_command(
        &self,
        inv: &Invocation<'_>,
        command: &CustomCommand,
    ) -> Result<CommandResponse, CommandError> {
        let site = self.site_base();
        if site.is_empty() {
            return Err(Error::invalid(
                "site_url",
                "the server's site_url must be set for custom commands to answer",
            )
            .into());
        }
        let team = inv
            .team
            .as_ref()
            .ok_or_else(|| Error::not_found("command"))?;
        let actor_id = inv.actor.id();
        let hook = self
            .create_command_webhook(command, actor_id, &inv.channel.id, &inv.root_id)
            .await?;
        let trigger_id = self.new_trigger_id(actor_id).await?;
        let mut fields: Vec<(String, String)> = [
            ("token", command.token.clone()),
            ("team_id", command.team_id.clone()),
            ("team_domain", team.name.clone()),
            ("channel_id", inv.channel.id.clone()),
            ("channel_name", inv.channel.name.clone()),
            ("user_id", actor_id.to_string()),
            ("user_name", inv.actor.user.username.clone()),
            ("command", format!("/{}", command.trigger)),
            ("text", inv.message.clone()),
            ("trigger_id", trigger_id.clone()),
            ("root_id", inv.root_id.clone()),
            ("response_url", format!("{site}/hooks/commands/{}", hook.id)),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        fields.extend(self.mention_fields(&inv.message, &team.id).await?);

        let call = if command.method == command_methods::GET {
            Call::get(&command.url, fields)
        } else {
            Call::post_form(&command.url, fields)
        }
        .header("Accept", "application/json")
        .header("Authorization", format!("Token {}", command.token));
        let trigger = &command.trigger;
        let reply = self
            .outbound
            .send(call)
            .await
            .map_err(|e| failed(trigger, &e))?;
        if reply.status != 200 {
            return Err(CommandFailure::Status {
                trigger: trigger.clone(),
                status: reply.status,
            }
            .into());
        }
        let is_json =
            reply.content_type.split(';').next().unwrap_or("").trim() == "application/json";
        if is_json && reply.body.iter().all(u8::is_ascii_whitespace) {
            return Err(CommandFailure::Empty {
                trigger: trigger.clone(),
            }
            .into());
        }
        let mut response = CommandResponse::from_http_body(&reply.content_type, &reply.body)
            .map_err(|e| CommandFailure::Failed {
                trigger: trigger.clone(),
                reason: format!("its answer is not a command response ({e})"),
            })?;
        // The client gets only the trigger's own id, as on Mattermost: the
        // open_dialog event of a dialog the command opens carries the same.
        response.trigger_id = crate::services::triggers::client_trigger_id(&trigger_id);
        Ok(response)
    }
}
