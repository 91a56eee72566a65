//! Teams and their members and channels.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use utoipa::ToSchema;

use super::error::ApiResult;
use super::extract::{user_param, ApiJson, ApiPath, ApiQuery, Auth};
use super::{Ok as OkBody, PageQuery};
use crate::model::*;
use crate::services::{Core, NewChannel, NewTeam, TeamPatch};

/// `POST /api/v1/teams`
#[utoipa::path(post, path = "/api/v1/teams", tag = "teams", security(("bearer" = [])),
    request_body = NewTeam, responses((status = 201, body = Team), (status = 409, body = super::error::ErrorBody)))]
pub async fn create_team(
    State(core): State<Core>,
    Auth(actor): Auth,
    ApiJson(input): ApiJson<NewTeam>,
) -> ApiResult<(StatusCode, Json<Team>)> {
    Ok((
        StatusCode::CREATED,
        Json(core.create_team(&actor, input).await?),
    ))
}

/// `GET /api/v1/teams`: teams one can see (open ones and one's own; all for admins).
#[utoipa::path(get, path = "/api/v1/teams", tag = "teams", security(("bearer" = [])),
    params(PageQuery), responses((status = 200, body = Page<Team>)))]
pub async fn list_teams(
    State(core): State<Core>,
    Auth(actor): Auth,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> ApiResult<Json<Page<Team>>> {
    Ok(Json(
        core.list_teams(&actor, q.cursor.as_deref(), q.limit)
            .await?,
    ))
}

/// `GET /api/v1/teams/{team_id}`
#[utoipa::path(get, path = "/api/v1/teams/{team_id}", tag = "teams", security(("bearer" = [])),
    params(("team_id" = String, Path)), responses((status = 200, body = Team), (status = 403, body = super::error::ErrorBody)))]
pub async fn get_team(
    State(core): State<Core>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<Team>> {
    Ok(Json(core.get_team(&actor, &id).await?))
}

/// `GET /api/v1/teams/name/{name}`
#[utoipa::path(get, path = "/api/v1/teams/name/{name}", tag = "teams", security(("bearer" = [])),
    params(("name" = String, Path)), responses((status = 200, body = Team)))]
pub async fn get_team_by_name(
    State(core): State<Core>,
    Auth(actor): Auth,
    ApiPath(name): ApiPath<String>,
) -> ApiResult<Json<Team>> {
    Ok(Json(core.get_team_by_name(&actor, &name).await?))
}

/// `PATCH /api/v1/teams/{team_id}`
#[utoipa::path(patch, path = "/api/v1/teams/{team_id}", tag = "teams", security(("bearer" = [])),
    params(("team_id" = String, Path)), request_body = TeamPatch, responses((status = 200, body = Team)))]
pub async fn patch_team(
    State(core): State<Core>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<String>,
    ApiJson(patch): ApiJson<TeamPatch>,
) -> ApiResult<Json<Team>> {
    Ok(Json(core.patch_team(&actor, &id, patch).await?))
}

/// `DELETE /api/v1/teams/{team_id}`: archives the team.
#[utoipa::path(delete, path = "/api/v1/teams/{team_id}", tag = "teams", security(("bearer" = [])),
    params(("team_id" = String, Path)), responses((status = 200, body = Team)))]
pub async fn delete_team(
    State(core): State<Core>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<Team>> {
    Ok(Json(core.delete_team(&actor, &id).await?))
}

/// `GET /api/v1/teams/{team_id}/members`
#[utoipa::path(get, path = "/api/v1/teams/{team_id}/members", tag = "teams", security(("bearer" = [])),
    params(("team_id" = String, Path), PageQuery), responses((status = 200, body = Page<TeamMember>)))]
pub async fn list_team_members(
    State(core): State<Core>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<String>,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> ApiResult<Json<Page<TeamMember>>> {
    Ok(Json(
        core.list_team_members(&actor, &id, q.cursor.as_deref(), q.limit)
            .await?,
    ))
}

/// Whom to add.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MemberRequest {
    pub user_id: String,
}

/// `POST /api/v1/teams/{team_id}/members`: join (open teams) or add someone (team admins).
#[utoipa::path(post, path = "/api/v1/teams/{team_id}/members", tag = "teams", security(("bearer" = [])),
    params(("team_id" = String, Path)), request_body = MemberRequest, responses((status = 201, body = TeamMember)))]
pub async fn add_team_member(
    State(core): State<Core>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<MemberRequest>,
) -> ApiResult<(StatusCode, Json<TeamMember>)> {
    let user_id = user_param(&actor, &body.user_id);
    Ok((
        StatusCode::CREATED,
        Json(core.add_team_member(&actor, &id, &user_id).await?),
    ))
}

/// `GET /api/v1/teams/{team_id}/members/{user_id}`
#[utoipa::path(get, path = "/api/v1/teams/{team_id}/members/{user_id}", tag = "teams", security(("bearer" = [])),
    params(("team_id" = String, Path), ("user_id" = String, Path)), responses((status = 200, body = TeamMember)))]
pub async fn get_team_member(
    State(core): State<Core>,
    Auth(actor): Auth,
    ApiPath((team_id, user_id)): ApiPath<(String, String)>,
) -> ApiResult<Json<TeamMember>> {
    let user_id = user_param(&actor, &user_id);
    Ok(Json(
        core.get_team_member(&actor, &team_id, &user_id).await?,
    ))
}

/// `DELETE /api/v1/teams/{team_id}/members/{user_id}`: leave, or remove someone.
#[utoipa::path(delete, path = "/api/v1/teams/{team_id}/members/{user_id}", tag = "teams", security(("bearer" = [])),
    params(("team_id" = String, Path), ("user_id" = String, Path)), responses((status = 200, body = super::Ok)))]
pub async fn remove_team_member(
    State(core): State<Core>,
    Auth(actor): Auth,
    ApiPath((team_id, user_id)): ApiPath<(String, String)>,
) -> ApiResult<Json<OkBody>> {
    let user_id = user_param(&actor, &user_id);
    core.remove_team_member(&actor, &team_id, &user_id).await?;
    Ok(Json(OkBody::default()))
}

/// `GET /api/v1/teams/{team_id}/channels`: public channels and one's private ones.
#[utoipa::path(get, path = "/api/v1/teams/{team_id}/channels", tag = "channels", security(("bearer" = [])),
    params(("team_id" = String, Path)), responses((status = 200, body = Vec<Channel>)))]
pub async fn list_team_channels(
    State(core): State<Core>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<Vec<Channel>>> {
    Ok(Json(core.list_team_channels(&actor, &id).await?))
}

/// `POST /api/v1/teams/{team_id}/channels`
#[utoipa::path(post, path = "/api/v1/teams/{team_id}/channels", tag = "channels", security(("bearer" = [])),
    params(("team_id" = String, Path)), request_body = NewChannel, responses((status = 201, body = Channel)))]
pub async fn create_channel(
    State(core): State<Core>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<String>,
    ApiJson(input): ApiJson<NewChannel>,
) -> ApiResult<(StatusCode, Json<Channel>)> {
    Ok((
        StatusCode::CREATED,
        Json(core.create_channel(&actor, &id, input).await?),
    ))
}

/// `GET /api/v1/teams/{team_id}/channels/name/{name}`
#[utoipa::path(get, path = "/api/v1/teams/{team_id}/channels/name/{name}", tag = "channels", security(("bearer" = [])),
    params(("team_id" = String, Path), ("name" = String, Path)), responses((status = 200, body = Channel)))]
pub async fn get_channel_by_name(
    State(core): State<Core>,
    Auth(actor): Auth,
    ApiPath((team_id, name)): ApiPath<(String, String)>,
) -> ApiResult<Json<Channel>> {
    Ok(Json(
        core.get_channel_by_name(&actor, &team_id, &name).await?,
    ))
}

/// `GET /api/v1/invites/{invite_id}`: the team an invitation link is for,
/// shown to the visitor before signing up (no session needed).
#[utoipa::path(get, path = "/api/v1/invites/{invite_id}", tag = "teams",
    params(("invite_id" = String, Path)),
    responses((status = 200, description = "the team, without its invite id and e-mail", body = Team),
        (status = 404, body = super::error::ErrorBody)))]
pub async fn get_invite(
    State(core): State<Core>,
    ApiPath(invite_id): ApiPath<String>,
) -> ApiResult<Json<Team>> {
    Ok(Json(core.team_for_invite(&invite_id).await?))
}

/// `POST /api/v1/invites/{invite_id}/join`: joins the team of an
/// invitation link, for someone who already has an account.
#[utoipa::path(post, path = "/api/v1/invites/{invite_id}/join", tag = "teams", security(("bearer" = [])),
    params(("invite_id" = String, Path)),
    responses((status = 200, body = TeamMember), (status = 404, body = super::error::ErrorBody)))]
pub async fn join_by_invite(
    State(core): State<Core>,
    Auth(actor): Auth,
    ApiPath(invite_id): ApiPath<String>,
) -> ApiResult<Json<TeamMember>> {
    Ok(Json(core.join_by_invite(&actor, &invite_id).await?))
}

/// `POST /api/v1/teams/{team_id}/invite_id`: replaces the team's invite id,
/// so earlier invitation links stop working (`manage_team`).
#[utoipa::path(post, path = "/api/v1/teams/{team_id}/invite_id", tag = "teams", security(("bearer" = [])),
    params(("team_id" = String, Path)),
    responses((status = 200, body = Team), (status = 403, body = super::error::ErrorBody)))]
pub async fn regenerate_invite_id(
    State(core): State<Core>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<Team>> {
    Ok(Json(core.regenerate_invite_id(&actor, &id).await?))
}
