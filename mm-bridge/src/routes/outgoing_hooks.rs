//! Outgoing webhooks under `/api/v4/hooks/outgoing`: creating, listing,
//! reading, replacing, deleting them and renewing their tokens. Every
//! answer goes to someone who may manage the hook, so its token is shown.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};

use core_server::model::OutgoingWebhook;
use core_server::services::outgoing_webhooks::refusals;
use core_server::services::{Core, OutgoingHookInput, OutgoingHookScope};
use core_server::Error;

use crate::error::{MmError, MmResult};
use crate::extract::{check_id, status_ok, MmAuth, MmJson, MmPath, MmQuery, Paging};

/// Mattermost's `OutgoingWebhook`.
#[derive(Serialize)]
pub struct MmOutgoingHook {
    id: String,
    token: String,
    create_at: i64,
    update_at: i64,
    delete_at: i64,
    creator_id: String,
    channel_id: String,
    team_id: String,
    trigger_words: Vec<String>,
    trigger_when: i64,
    callback_urls: Vec<String>,
    display_name: String,
    description: String,
    content_type: String,
    username: String,
    icon_url: String,
}

fn hook(h: OutgoingWebhook) -> MmOutgoingHook {
    let OutgoingWebhook {
        id,
        token,
        create_at,
        update_at,
        delete_at,
        creator_id,
        channel_id,
        team_id,
        trigger_words,
        trigger_when,
        callback_urls,
        display_name,
        description,
        content_type,
        username,
        icon_url,
    } = h;
    MmOutgoingHook {
        id,
        token,
        create_at,
        update_at,
        delete_at,
        creator_id,
        channel_id,
        team_id,
        trigger_words,
        trigger_when,
        callback_urls,
        display_name,
        description,
        content_type,
        username,
        icon_url,
    }
}

/// The fields of a hook this server reads; the apps send the whole record
/// (token, times), which is ignored. Lists may be `null`.
#[derive(Deserialize)]
pub struct HookBody {
    #[serde(default)]
    id: String,
    #[serde(default)]
    team_id: String,
    #[serde(default)]
    channel_id: String,
    #[serde(default)]
    creator_id: String,
    #[serde(default)]
    trigger_words: Option<Vec<String>>,
    #[serde(default)]
    trigger_when: i64,
    #[serde(default)]
    callback_urls: Option<Vec<String>>,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    content_type: String,
    #[serde(default)]
    username: String,
    #[serde(default)]
    icon_url: String,
}

impl HookBody {
    fn into_input(self) -> OutgoingHookInput {
        OutgoingHookInput {
            team_id: self.team_id,
            channel_id: self.channel_id,
            creator_id: self.creator_id,
            trigger_words: self.trigger_words.unwrap_or_default(),
            trigger_when: self.trigger_when,
            callback_urls: self.callback_urls.unwrap_or_default(),
            display_name: self.display_name,
            description: self.description,
            content_type: self.content_type,
            username: self.username,
            icon_url: self.icon_url,
        }
    }
}

/// Whether a refusal comes from creating or from replacing a hook
/// (Mattermost names a few of them after the action).
#[derive(Clone, Copy, PartialEq)]
enum Action {
    Create,
    Other,
}

/// The core's refusals in Mattermost's words for outgoing webhooks.
fn hook_error(action: Action, e: Error) -> MmError {
    let bad = |id: &str, message: &str| MmError::new(StatusCode::BAD_REQUEST, id, message);
    let forbidden = |id: &str, message: &str| MmError::new(StatusCode::FORBIDDEN, id, message);
    match e {
        Error::NotImplemented(m) if m == refusals::DISABLED => MmError::new(
            StatusCode::NOT_IMPLEMENTED,
            "api.outgoing_webhook.disabled.app_error",
            "Outgoing webhooks have been disabled by the system admin.",
        ),
        Error::NotFound {
            entity: "outgoing webhook",
        } => MmError::new(
            StatusCode::NOT_FOUND,
            "app.webhooks.get_outgoing.app_error",
            "Unable to get the webhook.",
        ),
        Error::Forbidden(m) if m == refusals::NOT_PUBLIC => forbidden(
            "api.webhook.create_outgoing.not_open.app_error",
            "Outgoing webhooks can only be created for public channels.",
        ),
        Error::Forbidden(m) if m == refusals::OTHER_TEAM => forbidden(
            "api.webhook.create_outgoing.permissions.app_error",
            "Invalid permissions to create outgoing webhook.",
        ),
        Error::Invalid { field, reason } => {
            let id = match (field.as_str(), reason.as_str()) {
                (_, refusals::NEEDS_TRIGGERS) => "api.webhook.create_outgoing.triggers.app_error",
                (_, refusals::TAKEN) if action == Action::Create => {
                    "api.webhook.create_outgoing.intersect.app_error"
                }
                (_, refusals::TAKEN) => "api.webhook.update_outgoing.intersect.app_error",
                (_, refusals::TEAM_CHANGED) => "api.webhook.team_mismatch.app_error",
                (_, refusals::CALLBACKS) => "model.outgoing_hook.is_valid.callback.app_error",
                ("callback_urls", _) => "model.outgoing_hook.is_valid.url.app_error",
                ("trigger_words", _) => "model.outgoing_hook.is_valid.trigger_words.app_error",
                // Mattermost reports a bad trigger_when under content_type.
                ("trigger_when" | "content_type", _) => {
                    "model.outgoing_hook.is_valid.content_type.app_error"
                }
                ("team_id", _) => "model.outgoing_hook.is_valid.team_id.app_error",
                ("channel_id", _) => "model.outgoing_hook.is_valid.channel_id.app_error",
                ("creator_id", _) => "model.outgoing_hook.is_valid.user_id.app_error",
                ("display_name", _) => "model.outgoing_hook.is_valid.display_name.app_error",
                ("description", _) => "model.outgoing_hook.is_valid.description.app_error",
                ("username", _) => "model.outgoing_hook.username.app_error",
                ("icon_url", _) => "model.outgoing_hook.icon_url.app_error",
                _ => return Error::Invalid { field, reason }.into(),
            };
            let mut e = bad(id, &format!("Invalid outgoing webhook: {field} {reason}."));
            e.detailed_error = format!("{field}: {reason}");
            e
        }
        other => other.into(),
    }
}

/// `POST /api/v4/hooks/outgoing` (201)
pub async fn create(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmJson(b): MmJson<HookBody>,
) -> MmResult<(StatusCode, Json<MmOutgoingHook>)> {
    let created = core
        .create_outgoing_webhook(&actor, b.into_input())
        .await
        .map_err(|e| hook_error(Action::Create, e))?;
    Ok((StatusCode::CREATED, Json(hook(created))))
}

#[derive(Deserialize)]
pub struct ListQuery {
    team_id: Option<String>,
    channel_id: Option<String>,
    #[serde(flatten)]
    paging: Paging,
}

/// `GET /api/v4/hooks/outgoing`: a channel's (`channel_id`), a team's
/// (`team_id`) or every team's hooks.
pub async fn list(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmQuery(q): MmQuery<ListQuery>,
) -> MmResult<Json<Vec<MmOutgoingHook>>> {
    let team = q.team_id.filter(|t| !t.is_empty());
    let channel = q.channel_id.filter(|c| !c.is_empty());
    if let Some(t) = &team {
        check_id("team_id", t)?;
    }
    if let Some(c) = &channel {
        check_id("channel_id", c)?;
    }
    let scope = OutgoingHookScope {
        team_id: team.as_deref(),
        channel_id: channel.as_deref(),
    };
    let hooks = core
        .list_outgoing_webhooks(&actor, scope, q.paging.offset(), q.paging.per_page())
        .await
        .map_err(|e| hook_error(Action::Other, e))?;
    Ok(Json(hooks.into_iter().map(hook).collect()))
}

/// `GET /api/v4/hooks/outgoing/{hook_id}`
pub async fn get(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmPath(id): MmPath<String>,
) -> MmResult<Json<MmOutgoingHook>> {
    check_id("hook_id", &id)?;
    let found = core
        .get_outgoing_webhook(&actor, &id)
        .await
        .map_err(|e| hook_error(Action::Other, e))?;
    Ok(Json(hook(found)))
}

/// `PUT /api/v4/hooks/outgoing/{hook_id}`: the body is the whole hook, its
/// id the path's.
pub async fn update(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmPath(id): MmPath<String>,
    MmJson(b): MmJson<HookBody>,
) -> MmResult<Json<MmOutgoingHook>> {
    check_id("hook_id", &id)?;
    if b.id != id {
        return Err(MmError::invalid_param("hook_id"));
    }
    let updated = core
        .update_outgoing_webhook(&actor, &id, b.into_input())
        .await
        .map_err(|e| hook_error(Action::Other, e))?;
    Ok(Json(hook(updated)))
}

/// `DELETE /api/v4/hooks/outgoing/{hook_id}`
pub async fn delete(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmPath(id): MmPath<String>,
) -> MmResult<Response> {
    check_id("hook_id", &id)?;
    core.delete_outgoing_webhook(&actor, &id)
        .await
        .map_err(|e| hook_error(Action::Other, e))?;
    Ok(status_ok().into_response())
}

/// `POST /api/v4/hooks/outgoing/{hook_id}/regen_token`
pub async fn regen_token(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmPath(id): MmPath<String>,
) -> MmResult<Json<MmOutgoingHook>> {
    check_id("hook_id", &id)?;
    let renewed = core
        .regenerate_outgoing_webhook_token(&actor, &id)
        .await
        .map_err(|e| hook_error(Action::Other, e))?;
    Ok(Json(hook(renewed)))
}
