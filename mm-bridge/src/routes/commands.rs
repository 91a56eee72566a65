//! Slash commands: running one, and the `/` suggestion list.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};

use core_server::services::{BuiltinCommand, CommandArgs, CommandResponse, Core, Suggestion};

use crate::error::{MmError, MmResult};
use crate::extract::{check_id, MmAuth, MmJson, MmPath, MmQuery};

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
        Err(core_server::Error::NotFound { entity: "command" }) => {
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
        Err(e) => Err(e.into()),
    }
}

/// Mattermost's `Command`, as a built-in is listed: no id, token or URL.
#[derive(Serialize)]
pub struct MmCommand {
    id: String,
    token: String,
    create_at: i64,
    update_at: i64,
    delete_at: i64,
    creator_id: String,
    team_id: String,
    trigger: String,
    method: String,
    username: String,
    icon_url: String,
    auto_complete: bool,
    auto_complete_desc: String,
    auto_complete_hint: String,
    display_name: String,
    description: String,
    url: String,
    plugin_id: String,
}

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

#[derive(Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    team_id: String,
    #[serde(default)]
    custom_only: Option<String>,
}

/// `GET /api/v4/commands?team_id=`: the commands of a team one is in.
/// `custom_only=true` asks for team commands, which are off on this server
/// (`EnableCommands` false): 501, as Mattermost answers then.
pub async fn list(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmQuery(q): MmQuery<ListQuery>,
) -> MmResult<Json<Vec<MmCommand>>> {
    check_id("team_id", &q.team_id).map_err(|_| MmError::invalid_body("team_id"))?;
    let commands = core.list_commands(&actor, &q.team_id).await?;
    if q.custom_only.as_deref() == Some("true") {
        return Err(MmError::new(
            StatusCode::NOT_IMPLEMENTED,
            "api.command.disabled.app_error",
            "Custom slash commands are not enabled on this server.",
        ));
    }
    Ok(Json(commands.into_iter().map(listed).collect()))
}

/// `GET /api/v4/teams/{team_id}/commands/autocomplete`
pub async fn autocomplete(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmPath(team_id): MmPath<String>,
) -> MmResult<Json<Vec<MmCommand>>> {
    check_id("team_id", &team_id)?;
    let commands = core.list_commands(&actor, &team_id).await?;
    Ok(Json(commands.into_iter().map(listed).collect()))
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
        core.list_commands(&actor, &team_id).await?;
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
