//! Slash commands: running one, listing a team's, and the `/` suggestion
//! list. Managing custom commands is `custom_commands.rs`.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};

use core_server::services::{
    BuiltinCommand, CommandArgs, CommandError, CommandFailure, CommandList, CommandResponse, Core,
    Suggestion,
};

use super::custom_commands::{command_error, custom, MmCommand};
use crate::error::{MmError, MmResult};
use crate::extract::{check_id, query_bool, MmAuth, MmJson, MmPath, MmQuery};

/// Mattermost's `CommandArgs`; `user_id` is the session's, whatever is sent.
#[derive(Deserialize)]
pub struct ExecuteBody {
    #[serde(default)]
    command: String,
    #[serde(default)]
    channel_id: String,
    #[serde(default)]
    team_id: String,
    #[serde(default)]
    root_id: String,
}

/// The longest trigger an error message repeats.
const MAX_TRIGGER_IN_MESSAGE: usize = 512;

/// `POST /api/v4/commands/execute`: runs the command; answers its
/// `CommandResponse` (any text has already been posted or sent).
pub async fn execute(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmJson(b): MmJson<ExecuteBody>,
) -> MmResult<Json<CommandResponse>> {
    if b.command.chars().count() <= 1
        || !b.command.starts_with('/')
        || check_id("channel_id", &b.channel_id).is_err()
    {
        return Err(MmError::new(
            StatusCode::BAD_REQUEST,
            "api.command.execute_command.start.app_error",
            "No command trigger found: send a command starting with / and the channel_id to run it in.",
        ));
    }
    let trigger: String = b
        .command
        .trim_start_matches('/')
        .split(char::is_whitespace)
        .next()
        .unwrap_or("")
        .to_lowercase();
    let args = CommandArgs {
        channel_id: b.channel_id,
        team_id: b.team_id,
        root_id: b.root_id,
        command: b.command,
    };
    match core.execute_command(&actor, args).await {
        Ok(response) => Ok(Json(response)),
        Err(CommandError::Core(core_server::Error::NotFound { entity: "command" })) => {
            let shown: String = if trigger.chars().count() > MAX_TRIGGER_IN_MESSAGE {
                let cut: String = trigger.chars().take(MAX_TRIGGER_IN_MESSAGE).collect();
                format!("{cut}...")
            } else {
                trigger
            };
            Err(MmError::new(
                StatusCode::NOT_FOUND,
                "api.command.execute_command.not_found.app_error",
                format!("Command with a trigger of '{shown}' not found. To send a message beginning with \"/\", try adding an empty space at the beginning of the message."),
            ))
        }
        Err(CommandError::Core(core_server::Error::Invalid { field, .. }))
            if field == "site_url" =>
        {
            Err(MmError::new(
                StatusCode::BAD_REQUEST,
                "api.command.execute_command.site_url_required.app_error",
                "Custom slash commands need the server's site URL to be set.",
            ))
        }
        Err(CommandError::Core(e)) => Err(command_error(e)),
        Err(CommandError::Integration(failure)) => Err(integration_error(&failure)),
    }
}

/// An integration's failure as Mattermost reports it, with 502 rather than
/// Mattermost's 500: the fault is the integration's, not this server's.
fn integration_error(failure: &CommandFailure) -> MmError {
    let id = match failure {
        CommandFailure::Failed { .. } => "api.command.execute_command.failed.app_error",
        CommandFailure::Status { .. } => "api.command.execute_command.failed_resp.app_error",
        CommandFailure::Empty { .. } => "api.command.execute_command.failed_empty.app_error",
    };
    MmError::new(StatusCode::BAD_GATEWAY, id, failure.to_string())
}

/// A built-in as Mattermost lists one: no id, token or URL.
fn listed(c: &BuiltinCommand) -> MmCommand {
    MmCommand {
        id: String::new(),
        token: String::new(),
        create_at: 0,
        update_at: 0,
        delete_at: 0,
        creator_id: String::new(),
        team_id: String::new(),
        trigger: c.trigger.to_string(),
        method: String::new(),
        username: String::new(),
        icon_url: String::new(),
        auto_complete: true,
        auto_complete_desc: c.description.to_string(),
        auto_complete_hint: c.hint.to_string(),
        display_name: c.display_name.to_string(),
        description: String::new(),
        url: String::new(),
        plugin_id: String::new(),
    }
}

/// Both kinds of command, built-ins first.
fn all_listed(list: CommandList) -> Vec<MmCommand> {
    let CommandList {
        builtins,
        custom: teams,
    } = list;
    builtins
        .into_iter()
        .map(listed)
        .chain(teams.into_iter().map(custom))
        .collect()
}

#[derive(Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    team_id: String,
    #[serde(default)]
    custom_only: Option<String>,
}

/// `GET /api/v4/commands?team_id=&custom_only=`: with `custom_only`, the
/// team's commands one manages, tokens included; else the built-ins and
/// the custom commands one manages (or may run), without secrets.
pub async fn list(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmQuery(q): MmQuery<ListQuery>,
) -> MmResult<Json<Vec<MmCommand>>> {
    check_id("team_id", &q.team_id).map_err(|_| MmError::invalid_body("team_id"))?;
    let custom_only = query_bool(q.custom_only.as_deref());
    let list = core
        .list_team_commands(&actor, &q.team_id, custom_only)
        .await
        .map_err(command_error)?;
    Ok(Json(all_listed(list)))
}

/// `GET /api/v4/teams/{team_id}/commands/autocomplete`
pub async fn autocomplete(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmPath(team_id): MmPath<String>,
) -> MmResult<Json<Vec<MmCommand>>> {
    check_id("team_id", &team_id)?;
    let list = core.autocomplete_commands(&actor, &team_id).await?;
    Ok(Json(all_listed(list)))
}

/// Mattermost's `AutocompleteSuggestion`, whose keys are capitalised.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct MmSuggestion {
    complete: String,
    suggestion: String,
    hint: String,
    description: String,
    icon_data: String,
}

#[derive(Deserialize)]
pub struct SuggestionsQuery {
    #[serde(default)]
    user_input: String,
}

/// `GET /api/v4/teams/{team_id}/commands/autocomplete_suggestions?user_input=`
pub async fn suggestions(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmPath(team_id): MmPath<String>,
    MmQuery(q): MmQuery<SuggestionsQuery>,
) -> MmResult<Json<Vec<MmSuggestion>>> {
    check_id("team_id", &team_id)?;
    if q.user_input.is_empty() {
        // Outsiders learn nothing, not even that the input was missing.
        core.autocomplete_commands(&actor, &team_id).await?;
        return Err(MmError::invalid_param("user_input"));
    }
    let found = core
        .command_suggestions(&actor, &team_id, &q.user_input)
        .await?;
    Ok(Json(
        found
            .into_iter()
            .map(|s: Suggestion| MmSuggestion {
                complete: s.complete,
                suggestion: s.suggestion,
                hint: s.hint,
                description: s.description,
                icon_data: String::new(),
            })
            .collect(),
    ))
}
