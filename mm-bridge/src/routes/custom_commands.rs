//! Custom slash commands: their management under `/api/v4/commands`, and
//! `POST /hooks/commands/{id}`, where an integration answers a run again
//! through its `response_url`.

use axum::extract::{FromRequest, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};

use core_server::model::CustomCommand;
use core_server::services::{CommandInput, CommandResponse, Core, COMMANDS_DISABLED};

use crate::error::{MmError, MmResult};
use crate::extract::{check_id, status_ok, MmAuth, MmJson, MmPath};

/// Mattermost's `Command`, for built-in and custom commands alike.
#[derive(Serialize)]
pub struct MmCommand {
    pub(super) id: String,
    pub(super) token: String,
    pub(super) create_at: i64,
    pub(super) update_at: i64,
    pub(super) delete_at: i64,
    pub(super) creator_id: String,
    pub(super) team_id: String,
    pub(super) trigger: String,
    pub(super) method: String,
    pub(super) username: String,
    pub(super) icon_url: String,
    pub(super) auto_complete: bool,
    pub(super) auto_complete_desc: String,
    pub(super) auto_complete_hint: String,
    pub(super) display_name: String,
    pub(super) description: String,
    pub(super) url: String,
    pub(super) plugin_id: String,
}

/// A custom command as Mattermost encodes it (sanitized ones arrive with
/// their secret fields already empty).
pub(super) fn custom(c: CustomCommand) -> MmCommand {
    let CustomCommand {
        id,
        token,
        create_at,
        update_at,
        delete_at,
        creator_id,
        team_id,
        trigger,
        method,
        username,
        icon_url,
        auto_complete,
        auto_complete_desc,
        auto_complete_hint,
        display_name,
        description,
        url,
    } = c;
    MmCommand {
        id,
        token,
        create_at,
        update_at,
        delete_at,
        creator_id,
        team_id,
        trigger,
        method,
        username,
        icon_url,
        auto_complete,
        auto_complete_desc,
        auto_complete_hint,
        display_name,
        description,
        url,
        plugin_id: String::new(),
    }
}

/// Core errors of the command routes, with Mattermost's ids where it has
/// its own.
pub(super) fn command_error(e: core_server::Error) -> MmError {
    use core_server::Error;
    match e {
        Error::NotImplemented(m) if m == COMMANDS_DISABLED => MmError::new(
            StatusCode::NOT_IMPLEMENTED,
            "api.command.disabled.app_error",
            "Custom slash commands are disabled on this server.",
        ),
        Error::NotFound { entity: "command" } => MmError::new(
            StatusCode::NOT_FOUND,
            "store.sql_command.save.get.app_error",
            "The command was not found.",
        ),
        Error::Conflict { field, .. } if field == "trigger" => MmError::new(
            StatusCode::BAD_REQUEST,
            "api.command.duplicate_trigger.app_error",
            "This trigger is already used by another command of the team.",
        ),
        Error::Invalid { field, reason } => {
            let known = [
                "trigger",
                "url",
                "method",
                "display_name",
                "description",
                "team_id",
                "creator_id",
            ];
            if known.contains(&field.as_str()) {
                let id = format!("model.command.is_valid.{field}.app_error");
                let mut err = MmError::new(
                    StatusCode::BAD_REQUEST,
                    &id,
                    format!("Invalid {field}: {reason}."),
                );
                err.detailed_error = format!("{field}: {reason}");
                err
            } else {
                Error::Invalid { field, reason }.into()
            }
        }
        other => other.into(),
    }
}

/// `POST /api/v4/commands` (201)
pub async fn create(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmJson(b): MmJson<CommandInput>,
) -> MmResult<(StatusCode, Json<MmCommand>)> {
    check_id("team_id", &b.team_id).map_err(|_| MmError::invalid_body("team_id"))?;
    let created = core
        .create_custom_command(&actor, b)
        .await
        .map_err(command_error)?;
    Ok((StatusCode::CREATED, Json(custom(created))))
}

/// `GET /api/v4/commands/{command_id}`
pub async fn get(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmPath(id): MmPath<String>,
) -> MmResult<Json<MmCommand>> {
    check_id("command_id", &id)?;
    let command = core
        .get_custom_command(&actor, &id)
        .await
        .map_err(command_error)?;
    Ok(Json(custom(command)))
}

/// The body of an update: the whole command, whose `id` must be the path's.
#[derive(Deserialize)]
pub struct UpdateBody {
    #[serde(default)]
    id: String,
    #[serde(flatten)]
    input: CommandInput,
}

/// `PUT /api/v4/commands/{command_id}`
pub async fn update(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmPath(id): MmPath<String>,
    MmJson(b): MmJson<UpdateBody>,
) -> MmResult<Json<MmCommand>> {
    check_id("command_id", &id)?;
    if b.id != id {
        return Err(MmError::invalid_body("command"));
    }
    match core.update_custom_command(&actor, &id, b.input).await {
        Ok(updated) => Ok(Json(custom(updated))),
        Err(core_server::Error::Invalid { field, .. }) if field == "team_id" => Err(MmError::new(
            StatusCode::BAD_REQUEST,
            "api.command.team_mismatch.app_error",
            "A command cannot be moved to another team by updating it.",
        )),
        Err(e) => Err(command_error(e)),
    }
}

#[derive(Deserialize)]
pub struct MoveBody {
    #[serde(default)]
    team_id: String,
}

/// `PUT /api/v4/commands/{command_id}/move`
pub async fn move_to_team(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmPath(id): MmPath<String>,
    MmJson(b): MmJson<MoveBody>,
) -> MmResult<Response> {
    check_id("command_id", &id)?;
    check_id("team_id", &b.team_id).map_err(|_| MmError::invalid_body("team_id"))?;
    match core.move_custom_command(&actor, &id, &b.team_id).await {
        Ok(()) => Ok(status_ok().into_response()),
        Err(core_server::Error::Invalid { field, .. }) if field == "creator_id" => {
            Err(MmError::new(
                StatusCode::BAD_REQUEST,
                "api.command.move_command.creator_no_permission.app_error",
                "The command's creator may not manage commands in that team.",
            ))
        }
        Err(e) => Err(command_error(e)),
    }
}

/// `DELETE /api/v4/commands/{command_id}`
pub async fn delete(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmPath(id): MmPath<String>,
) -> MmResult<Response> {
    check_id("command_id", &id)?;
    core.delete_custom_command(&actor, &id)
        .await
        .map_err(command_error)?;
    Ok(status_ok().into_response())
}

#[derive(Serialize)]
pub struct NewToken {
    token: String,
}

/// `PUT /api/v4/commands/{command_id}/regen_token`: `{"token": …}`
pub async fn regen_token(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmPath(id): MmPath<String>,
) -> MmResult<Json<NewToken>> {
    check_id("command_id", &id)?;
    let token = core
        .regen_command_token(&actor, &id)
        .await
        .map_err(command_error)?;
    Ok(Json(NewToken { token }))
}

/// `POST /hooks/commands/{id}`: an integration answers a run again, within
/// Mattermost's limits; answers `text/plain` `ok`. No session: the id is
/// the secret.
pub async fn execute_hook(
    State(core): State<Core>,
    MmPath(id): MmPath<String>,
    request: Request,
) -> MmResult<Response> {
    check_id("hook_id", &id)?;
    let content_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let parse_error = || {
        MmError::new(
            StatusCode::BAD_REQUEST,
            "web.command_webhook.parse.app_error",
            "The command response could not be read.",
        )
    };
    let bytes = axum::body::Bytes::from_request(request, &())
        .await
        .map_err(|_| parse_error())?;
    let response =
        CommandResponse::from_http_body(&content_type, &bytes).map_err(|_| parse_error())?;
    core.execute_command_webhook(&id, response)
        .await
        .map_err(|e| match e {
            core_server::Error::NotFound {
                entity: "command webhook",
            } => MmError::new(
                StatusCode::NOT_FOUND,
                "app.command_webhook.get.missing",
                "The command's response URL does not exist or has expired.",
            ),
            core_server::Error::NotFound { entity: "command" } => MmError::new(
                StatusCode::BAD_REQUEST,
                "web.command_webhook.command.app_error",
                "The command of this response URL no longer exists.",
            ),
            core_server::Error::Invalid { field, .. } if field == "use_count" => MmError::new(
                StatusCode::BAD_REQUEST,
                "app.command_webhook.try_use.invalid",
                "The command's response URL has been used as often as it may be.",
            ),
            other => command_error(other),
        })?;
    let mut response = "ok".into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain"));
    Ok(response)
}
