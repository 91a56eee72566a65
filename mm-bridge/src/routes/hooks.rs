//! Incoming webhooks: their management under `/api/v4/hooks/incoming`, and
//! `POST /hooks/{id}`, which posts a payload (JSON, or a `payload` form field).

use std::collections::HashMap;

use axum::extract::{FromRequest, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};

use core_server::model::IncomingWebhook;
use core_server::services::{Core, HookInput, HookPayload};

use crate::error::{MmError, MmResult};
use crate::extract::{check_id, status_ok, MmAuth, MmJson, MmPath, MmQuery, Paging};

/// Mattermost's `IncomingWebhook`.
#[derive(Serialize)]
pub struct MmHook {
    id: String,
    create_at: i64,
    update_at: i64,
    delete_at: i64,
    user_id: String,
    channel_id: String,
    team_id: String,
    display_name: String,
    description: String,
    username: String,
    icon_url: String,
    channel_locked: bool,
}

fn hook(h: IncomingWebhook) -> MmHook {
    let IncomingWebhook {
        id,
        create_at,
        update_at,
        delete_at,
        user_id,
        channel_id,
        team_id,
        display_name,
        description,
        username,
        icon_url,
        channel_locked,
    } = h;
    MmHook {
        id,
        create_at,
        update_at,
        delete_at,
        user_id,
        channel_id,
        team_id,
        display_name,
        description,
        username,
        icon_url,
        channel_locked,
    }
}

/// `POST /api/v4/hooks/incoming` (201)
pub async fn create(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmJson(b): MmJson<HookInput>,
) -> MmResult<(StatusCode, Json<MmHook>)> {
    check_id("channel_id", &b.channel_id).map_err(|_| MmError::invalid_body("channel_id"))?;
    Ok((
        StatusCode::CREATED,
        Json(hook(core.create_incoming_webhook(&actor, b).await?)),
    ))
}

#[derive(Deserialize)]
pub struct ListQuery {
    team_id: Option<String>,
    #[serde(flatten)]
    paging: Paging,
}

/// `GET /api/v4/hooks/incoming`
pub async fn list(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmQuery(q): MmQuery<ListQuery>,
) -> MmResult<Json<Vec<MmHook>>> {
    let team = q.team_id.filter(|t| !t.is_empty());
    if let Some(t) = &team {
        check_id("team_id", t)?;
    }
    let hooks = core
        .list_incoming_webhooks(
            &actor,
            team.as_deref(),
            q.paging.offset(),
            q.paging.per_page(),
        )
        .await?;
    Ok(Json(hooks.into_iter().map(hook).collect()))
}

/// `GET /api/v4/hooks/incoming/{hook_id}`
pub async fn get(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmPath(id): MmPath<String>,
) -> MmResult<Json<MmHook>> {
    check_id("hook_id", &id)?;
    Ok(Json(hook(core.get_incoming_webhook(&actor, &id).await?)))
}

/// `PUT /api/v4/hooks/incoming/{hook_id}` (201, as Mattermost answers)
pub async fn update(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmPath(id): MmPath<String>,
    MmJson(b): MmJson<HookInput>,
) -> MmResult<(StatusCode, Json<MmHook>)> {
    check_id("hook_id", &id)?;
    let updated = core.update_incoming_webhook(&actor, &id, b).await?;
    Ok((StatusCode::CREATED, Json(hook(updated))))
}

/// `DELETE /api/v4/hooks/incoming/{hook_id}`
pub async fn delete(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmPath(id): MmPath<String>,
) -> MmResult<Response> {
    check_id("hook_id", &id)?;
    core.delete_incoming_webhook(&actor, &id).await?;
    Ok(status_ok().into_response())
}

/// `POST /hooks/{hook_id}`: answers `text/plain` `ok`.
pub async fn execute(
    State(core): State<Core>,
    MmPath(id): MmPath<String>,
    request: Request,
) -> MmResult<Response> {
    check_id("hook_id", &id)?;
    let is_form = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    let payload: HookPayload = if is_form {
        let axum::Form(form) = axum::Form::<HashMap<String, String>>::from_request(request, &())
            .await
            .map_err(|_| MmError::invalid_body("payload"))?;
        let raw = form
            .get("payload")
            .ok_or_else(|| MmError::invalid_body("payload"))?;
        serde_json::from_str(raw).map_err(|_| MmError::invalid_body("payload"))?
    } else {
        let bytes = axum::body::Bytes::from_request(request, &())
            .await
            .map_err(|_| MmError::invalid_body("payload"))?;
        serde_json::from_slice(&bytes).map_err(|_| MmError::invalid_body("payload"))?
    };
    core.execute_incoming_webhook(&id, payload)
        .await
        .map_err(|e| match e {
            // Mattermost answers unknown and deleted hooks, and empty payloads, with 400s of their own.
            core_server::Error::NotFound { .. } => MmError::new(
                StatusCode::BAD_REQUEST,
                "web.incoming_webhook.invalid.app_error",
                "Invalid webhook.",
            ),
            core_server::Error::Invalid { field, .. } if field == "text" => MmError::new(
                StatusCode::BAD_REQUEST,
                "web.incoming_webhook.text.app_error",
                "No text specified.",
            ),
            other => other.into(),
        })?;
    let mut response = "ok".into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain"));
    Ok(response)
}
