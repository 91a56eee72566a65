//! Account administration: the full profile update, activation, signing
//! out everywhere, and an admin's e-mail verification.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::{Map, Value};

use core_server::model::StringMap;
use core_server::services::{Core, UserPatch};

use crate::convert::{self, MmUser};
use crate::error::{MmError, MmResult};
use crate::extract::{check_id, status_ok, MmAuth, MmJson, MmPath};

/// The fields of Mattermost's `User` that a full update writes; the others
/// (roles, timestamps, auth data, …) are never taken from the body.
#[derive(Deserialize)]
pub struct FullUser {
    #[serde(default)]
    id: String,
    #[serde(default)]
    username: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    nickname: String,
    #[serde(default)]
    first_name: String,
    #[serde(default)]
    last_name: String,
    #[serde(default)]
    position: String,
    #[serde(default)]
    locale: String,
    props: Option<StringMap>,
    notify_props: Option<StringMap>,
    timezone: Option<StringMap>,
    /// Needed to change one's own e-mail address.
    password: Option<String>,
}

/// `PUT /api/v4/users/{user_id}`: replaces the profile. As Go reads the
/// body, a field left out is written empty (the locale, which this server
/// requires, is kept instead).
pub async fn update(
    State(core): State<Core>,
    auth: MmAuth,
    MmPath(id): MmPath<String>,
    MmJson(body): MmJson<Map<String, Value>>,
) -> MmResult<Json<MmUser>> {
    let id = auth.user_id(&id);
    check_id("user_id", &id)?;
    let body: FullUser = serde_json::from_value(Value::Object(body)).map_err(|e| {
        let mut err = MmError::invalid_body("user");
        err.detailed_error = e.to_string();
        err
    })?;
    if body.id != id {
        return Err(MmError::invalid_body("user_id"));
    }
    let FullUser {
        id: _,
        username,
        email,
        nickname,
        first_name,
        last_name,
        position,
        locale,
        props,
        notify_props,
        timezone,
        password,
    } = body;
    let update = UserPatch {
        username: Some(username),
        email: Some(email),
        first_name: Some(first_name),
        last_name: Some(last_name),
        nickname: Some(nickname),
        position: Some(position),
        locale: Some(locale).filter(|l| !l.is_empty()),
        props: Some(props.unwrap_or_default()),
        notify_props: Some(notify_props.unwrap_or_default()),
        timezone: Some(timezone.unwrap_or_default()),
        password,
    };
    Ok(Json(convert::user(
        core.update_user(&auth.0, &id, update).await?,
    )))
}

/// `PUT /api/v4/users/{user_id}/active`: `{"active": bool}`.
pub async fn set_active(
    State(core): State<Core>,
    auth: MmAuth,
    MmPath(id): MmPath<String>,
    MmJson(body): MmJson<Map<String, Value>>,
) -> MmResult<Response> {
    let id = auth.user_id(&id);
    check_id("user_id", &id)?;
    let active = body
        .get("active")
        .and_then(Value::as_bool)
        .ok_or_else(|| MmError::invalid_body("active"))?;
    core.set_user_active(&auth.0, &id, active)
        .await
        .map_err(|e| match e {
            // Mattermost names this refusal after the route.
            core_server::Error::Forbidden(_) => MmError::new(
                StatusCode::FORBIDDEN,
                "api.user.update_active.permissions.app_error",
                "You do not have the appropriate permissions.",
            ),
            other => other.into(),
        })?;
    Ok(status_ok().into_response())
}

/// `POST /api/v4/users/{user_id}/sessions/revoke/all`: signs the user out
/// everywhere (the calling session too, when it is theirs).
pub async fn revoke_user_sessions(
    State(core): State<Core>,
    auth: MmAuth,
    MmPath(id): MmPath<String>,
) -> MmResult<Response> {
    let id = auth.user_id(&id);
    check_id("user_id", &id)?;
    core.revoke_user_sessions(&auth.0, &id).await?;
    Ok(status_ok().into_response())
}

/// `POST /api/v4/users/sessions/revoke/all`: signs everyone out.
pub async fn revoke_all_sessions(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
) -> MmResult<Response> {
    core.revoke_all_sessions(&actor).await?;
    Ok(status_ok().into_response())
}

/// `POST /api/v4/users/{user_id}/email/verify/member`: the user as read
/// before the address was marked verified, as Mattermost answers.
pub async fn verify_email(
    State(core): State<Core>,
    auth: MmAuth,
    MmPath(id): MmPath<String>,
) -> MmResult<Json<MmUser>> {
    let id = auth.user_id(&id);
    check_id("user_id", &id)?;
    Ok(Json(convert::user(
        core.verify_email_by_admin(&auth.0, &id).await?,
    )))
}
