//! Custom statuses: set, clear, and forget a recent one.

use axum::extract::State;
use axum::response::{IntoResponse, Response};

use core_server::services::{Core, CustomStatus};

use crate::error::{MmError, MmResult};
use crate::extract::{check_id, status_ok, MmAuth, MmJson, MmPath};

/// The user in the path, who must be the caller (or the caller an admin):
/// refused before the body is read, so nothing about it leaks.
fn user_param(auth: &MmAuth, raw: &str) -> MmResult<String> {
    let id = auth.user_id(raw);
    check_id("user_id", &id)?;
    if !auth.0.is_self_or_admin(&id) {
        return Err(MmError::forbidden());
    }
    Ok(id)
}

/// Reads a `CustomStatus` body; a body that is not one names `field`.
fn status_body(
    body: Result<MmJson<serde_json::Value>, MmError>,
    field: &str,
) -> MmResult<CustomStatus> {
    let MmJson(value) = body.map_err(|_| MmError::invalid_body(field))?;
    serde_json::from_value(value).map_err(|_| MmError::invalid_body(field))
}

/// `PUT /api/v4/users/{user_id}/status/custom`
pub async fn set(
    State(core): State<Core>,
    auth: MmAuth,
    MmPath(user): MmPath<String>,
    body: Result<MmJson<serde_json::Value>, MmError>,
) -> MmResult<Response> {
    let user = user_param(&auth, &user)?;
    let status = status_body(body, "custom_status")?;
    core.set_custom_status(&auth.0, &user, status).await?;
    Ok(status_ok().into_response())
}

/// `DELETE /api/v4/users/{user_id}/status/custom`
pub async fn clear(
    State(core): State<Core>,
    auth: MmAuth,
    MmPath(user): MmPath<String>,
) -> MmResult<Response> {
    let user = user_param(&auth, &user)?;
    core.clear_custom_status(&auth.0, &user).await?;
    Ok(status_ok().into_response())
}

/// `DELETE /api/v4/users/{user_id}/status/custom/recent` and
/// `POST …/recent/delete` (for clients that cannot send a DELETE body).
pub async fn forget_recent(
    State(core): State<Core>,
    auth: MmAuth,
    MmPath(user): MmPath<String>,
    body: Result<MmJson<serde_json::Value>, MmError>,
) -> MmResult<Response> {
    let user = user_param(&auth, &user)?;
    let status = status_body(body, "recent_custom_status")?;
    core.remove_recent_custom_status(&auth.0, &user, status)
        .await?;
    Ok(status_ok().into_response())
}
