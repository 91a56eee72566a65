//! Slash commands for the web app: suggestions while `/` is typed, and
//! running a command in a channel.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::error::{ApiError, ApiResult};
use super::extract::{ApiJson, ApiPath, ApiQuery, Auth};
use crate::services::{split_command, CommandArgs, CommandError, Core, Suggestion};

/// What has been typed so far.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SuggestionsQuery {
    /// The composer's text, starting with `/`.
    pub text: String,
}

/// One suggestion for the `/` list.
#[derive(Debug, Serialize, ToSchema)]
pub struct CommandSuggestion {
    /// The composer's text with this suggestion taken.
    pub complete: String,
    /// The command (empty when the suggestion is a hint for its arguments).
    pub suggestion: String,
    /// What the command expects after it.
    pub hint: String,
    pub description: String,
}

impl From<Suggestion> for CommandSuggestion {
    fn from(s: Suggestion) -> Self {
        CommandSuggestion {
            complete: s.complete,
            suggestion: s.suggestion,
            hint: s.hint,
            description: s.description,
        }
    }
}

/// `GET /api/v1/teams/{team_id}/commands/suggestions?text=/…`: the built-in
/// commands and the team's custom ones that match what was typed.
#[utoipa::path(get, path = "/api/v1/teams/{team_id}/commands/suggestions", tag = "commands", security(("bearer" = [])),
    params(("team_id" = String, Path), SuggestionsQuery), responses((status = 200, body = Vec<CommandSuggestion>)))]
pub async fn suggestions(
    State(core): State<Core>,
    Auth(actor): Auth,
    ApiPath(team_id): ApiPath<String>,
    ApiQuery(q): ApiQuery<SuggestionsQuery>,
) -> ApiResult<Json<Vec<CommandSuggestion>>> {
    let found = core.command_suggestions(&actor, &team_id, &q.text).await?;
    Ok(Json(found.into_iter().map(Into::into).collect()))
}

/// A command to run.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExecuteRequest {
    /// The channel it is typed in.
    pub channel_id: String,
    /// The whole text, starting with `/`.
    pub command: String,
    /// The thread it is typed in, if any.
    #[serde(default)]
    pub root_id: String,
    /// The team the user is looking at, for direct and group messages.
    #[serde(default)]
    pub team_id: String,
}

/// What the web app does after a command ran; its text, if any, has been
/// posted or sent to the user's sockets already.
#[derive(Debug, Serialize, ToSchema)]
pub struct CommandOutcome {
    /// `in_channel` or `ephemeral`.
    pub response_type: String,
    /// Where the command sends the user (a URL), if anywhere.
    pub goto_location: String,
}

/// `POST /api/v1/commands/execute`: runs a slash command.
#[utoipa::path(post, path = "/api/v1/commands/execute", tag = "commands", security(("bearer" = [])),
    request_body = ExecuteRequest,
    responses((status = 200, body = CommandOutcome), (status = 404, body = super::error::ErrorBody),
        (status = 502, description = "the command's integration failed", body = super::error::ErrorBody)))]
pub async fn execute(
    State(core): State<Core>,
    Auth(actor): Auth,
    ApiJson(body): ApiJson<ExecuteRequest>,
) -> ApiResult<Json<CommandOutcome>> {
    // The trigger as the error repeats it, cut short if someone pastes a novel.
    let trigger: String = split_command(&body.command).0.chars().take(64).collect();
    let args = CommandArgs {
        channel_id: body.channel_id,
        team_id: body.team_id,
        root_id: body.root_id,
        command: body.command,
    };
    match core.execute_command(&actor, args).await {
        Ok(response) => Ok(Json(CommandOutcome {
            response_type: response.response_type,
            goto_location: response.goto_location,
        })),
        Err(CommandError::Core(crate::Error::NotFound { entity: "command" })) => {
            Err(ApiError::new(
                StatusCode::NOT_FOUND,
                "command_not_found",
                format!("there is no /{trigger} command; to send a message that starts with /, begin it with a space"),
            ))
        }
        Err(e) => Err(crate::Error::from(e).into()),
    }
}
