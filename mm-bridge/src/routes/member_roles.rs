//! Roles and settings of memberships: a channel's privacy, channel and team
//! member roles (explicit or as scheme flags), a channel member's
//! notification settings, and a user's system roles.

use std::collections::BTreeMap;

use axum::extract::State;
use axum::Json;
use serde::Deserialize;

use core_server::services::Core;

use crate::convert::{self, MmChannel};
use crate::error::MmResult;
use crate::extract::{check_id, status_ok, MmAuth, MmJson, MmPath, StatusOk};

#[derive(Deserialize)]
pub struct PrivacyBody {
    privacy: String,
}

#[derive(Deserialize)]
pub struct RolesBody {
    roles: String,
}

#[derive(Deserialize)]
pub struct SchemeRolesBody {
    scheme_admin: bool,
    #[allow(dead_code)]
    #[serde(default)]
    scheme_user: bool,
}

/// `PUT /api/v4/channels/{channel_id}/privacy`
pub async fn channel_privacy(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmPath(id): MmPath<String>,
    MmJson(b): MmJson<PrivacyBody>,
) -> MmResult<Json<MmChannel>> {
    check_id("channel_id", &id)?;
    Ok(Json(convert::channel(
        core.set_channel_privacy(&actor, &id, &b.privacy).await?,
    )))
}

/// `PUT /api/v4/channels/{channel_id}/members/{user_id}/roles`
pub async fn channel_member_roles(
    State(core): State<Core>,
    auth: MmAuth,
    MmPath((channel_id, user_id)): MmPath<(String, String)>,
    MmJson(b): MmJson<RolesBody>,
) -> MmResult<Json<StatusOk>> {
    check_id("channel_id", &channel_id)?;
    let user_id = auth.user_id(&user_id);
    check_id("user_id", &user_id)?;
    core.set_channel_member_roles(&auth.0, &channel_id, &user_id, &b.roles, false)
        .await?;
    Ok(status_ok())
}

/// `PUT /api/v4/channels/{channel_id}/members/{user_id}/schemeRoles`
pub async fn channel_member_scheme_roles(
    State(core): State<Core>,
    auth: MmAuth,
    MmPath((channel_id, user_id)): MmPath<(String, String)>,
    MmJson(b): MmJson<SchemeRolesBody>,
) -> MmResult<Json<StatusOk>> {
    check_id("channel_id", &channel_id)?;
    let user_id = auth.user_id(&user_id);
    check_id("user_id", &user_id)?;
    core.set_channel_member_roles(&auth.0, &channel_id, &user_id, "", b.scheme_admin)
        .await?;
    Ok(status_ok())
}

/// `PUT /api/v4/channels/{channel_id}/members/{user_id}/notify_props`
pub async fn channel_member_notify_props(
    State(core): State<Core>,
    auth: MmAuth,
    MmPath((channel_id, user_id)): MmPath<(String, String)>,
    MmJson(b): MmJson<BTreeMap<String, String>>,
) -> MmResult<Json<StatusOk>> {
    check_id("channel_id", &channel_id)?;
    let user_id = auth.user_id(&user_id);
    check_id("user_id", &user_id)?;
    // Clients send the ids back inside the map; they are not settings.
    let props = b
        .into_iter()
        .filter(|(k, _)| k != "channel_id" && k != "user_id")
        .collect();
    core.set_channel_member_notify_props(&auth.0, &channel_id, &user_id, props)
        .await?;
    Ok(status_ok())
}

/// `PUT /api/v4/teams/{team_id}/members/{user_id}/roles`
pub async fn team_member_roles(
    State(core): State<Core>,
    auth: MmAuth,
    MmPath((team_id, user_id)): MmPath<(String, String)>,
    MmJson(b): MmJson<RolesBody>,
) -> MmResult<Json<StatusOk>> {
    check_id("team_id", &team_id)?;
    let user_id = auth.user_id(&user_id);
    check_id("user_id", &user_id)?;
    core.set_team_member_roles(&auth.0, &team_id, &user_id, &b.roles, false)
        .await?;
    Ok(status_ok())
}

/// `PUT /api/v4/teams/{team_id}/members/{user_id}/schemeRoles`
pub async fn team_member_scheme_roles(
    State(core): State<Core>,
    auth: MmAuth,
    MmPath((team_id, user_id)): MmPath<(String, String)>,
    MmJson(b): MmJson<SchemeRolesBody>,
) -> MmResult<Json<StatusOk>> {
    check_id("team_id", &team_id)?;
    let user_id = auth.user_id(&user_id);
    check_id("user_id", &user_id)?;
    core.set_team_member_roles(&auth.0, &team_id, &user_id, "", b.scheme_admin)
        .await?;
    Ok(status_ok())
}

/// `PUT /api/v4/users/{user_id}/roles`
pub async fn user_roles(
    State(core): State<Core>,
    auth: MmAuth,
    MmPath(user_id): MmPath<String>,
    MmJson(b): MmJson<RolesBody>,
) -> MmResult<Json<StatusOk>> {
    let user_id = auth.user_id(&user_id);
    check_id("user_id", &user_id)?;
    core.set_user_roles(&auth.0, &user_id, &b.roles).await?;
    Ok(status_ok())
}
