//! Users, and the per-user views: teams, channels, unreads, preferences, status.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::error::ApiResult;
use super::extract::{user_param, ApiBytes, ApiJson, ApiPath, ApiQuery, Auth, MaybeAuth};
use super::{Ok as OkBody, PageQuery};
use crate::model::*;
use crate::services::{Core, CustomStatus, NewUser, UserPatch};

/// `POST /api/v1/users`: sign up (or, for an admin, create an account).
/// While open sign-up is off, a stranger needs `invite_id` (a team's
/// invitation link) or `invite_token` (a mailed invitation), and joins
/// that team.
#[utoipa::path(post, path = "/api/v1/users", tag = "users", request_body = NewUser,
    responses((status = 201, body = User), (status = 400, body = super::error::ErrorBody),
        (status = 403, description = "sign-up is closed (code `sign_up_closed`) or the address is not accepted (`email_not_accepted`)", body = super::error::ErrorBody),
        (status = 404, description = "the invitation is unknown or used (`invitation_not_found`)", body = super::error::ErrorBody),
        (status = 409, body = super::error::ErrorBody)))]
pub async fn create_user(
    State(core): State<Core>,
    MaybeAuth(actor): MaybeAuth,
    ApiJson(input): ApiJson<NewUser>,
) -> ApiResult<(StatusCode, Json<User>)> {
    let user = core.sign_up(actor.as_ref(), input).await?;
    Ok((StatusCode::CREATED, Json(user)))
}

/// `GET /api/v1/users`
#[utoipa::path(get, path = "/api/v1/users", tag = "users", security(("bearer" = [])),
    params(PageQuery), responses((status = 200, body = Page<User>)))]
pub async fn list_users(
    State(core): State<Core>,
    Auth(actor): Auth,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> ApiResult<Json<Page<User>>> {
    Ok(Json(
        core.list_users(&actor, q.cursor.as_deref(), q.limit)
            .await?,
    ))
}

/// `POST /api/v1/users/ids`: several users by id.
#[utoipa::path(post, path = "/api/v1/users/ids", tag = "users", security(("bearer" = [])),
    request_body = Vec<String>, responses((status = 200, body = Vec<User>)))]
pub async fn get_users_by_ids(
    State(core): State<Core>,
    Auth(actor): Auth,
    ApiJson(ids): ApiJson<Vec<String>>,
) -> ApiResult<Json<Vec<User>>> {
    Ok(Json(core.get_users_by_ids(&actor, &ids).await?))
}

/// `GET /api/v1/users/me`
#[utoipa::path(get, path = "/api/v1/users/me", tag = "users", security(("bearer" = [])),
    responses((status = 200, body = User), (status = 401, body = super::error::ErrorBody)))]
pub async fn get_me(Auth(actor): Auth) -> Json<User> {
    Json(actor.user)
}

/// `GET /api/v1/users/{user_id}` (`me` for oneself)
#[utoipa::path(get, path = "/api/v1/users/{user_id}", tag = "users", security(("bearer" = [])),
    params(("user_id" = String, Path)), responses((status = 200, body = User), (status = 404, body = super::error::ErrorBody)))]
pub async fn get_user(
    State(core): State<Core>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<User>> {
    Ok(Json(core.get_user(&actor, &user_param(&actor, &id)).await?))
}

/// `PATCH /api/v1/users/{user_id}`
#[utoipa::path(patch, path = "/api/v1/users/{user_id}", tag = "users", security(("bearer" = [])),
    params(("user_id" = String, Path)), request_body = UserPatch, responses((status = 200, body = User)))]
pub async fn patch_user(
    State(core): State<Core>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<String>,
    ApiJson(patch): ApiJson<UserPatch>,
) -> ApiResult<Json<User>> {
    Ok(Json(
        core.patch_user(&actor, &user_param(&actor, &id), patch)
            .await?,
    ))
}

/// `DELETE /api/v1/users/{user_id}`: deactivates the account.
#[utoipa::path(delete, path = "/api/v1/users/{user_id}", tag = "users", security(("bearer" = [])),
    params(("user_id" = String, Path)), responses((status = 200, body = User)))]
pub async fn deactivate_user(
    State(core): State<Core>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<User>> {
    Ok(Json(
        core.deactivate_user(&actor, &user_param(&actor, &id))
            .await?,
    ))
}

/// A password change.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordChange {
    /// Required when changing one's own password.
    pub current_password: Option<String>,
    pub new_password: String,
}

/// `PUT /api/v1/users/{user_id}/password`
#[utoipa::path(put, path = "/api/v1/users/{user_id}/password", tag = "users", security(("bearer" = [])),
    params(("user_id" = String, Path)), request_body = PasswordChange, responses((status = 200, body = super::Ok)))]
pub async fn update_password(
    State(core): State<Core>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<PasswordChange>,
) -> ApiResult<Json<OkBody>> {
    let id = user_param(&actor, &id);
    core.update_password(
        &actor,
        &id,
        body.current_password.as_deref(),
        &body.new_password,
    )
    .await?;
    Ok(Json(OkBody::default()))
}

/// `GET /api/v1/users/username/{username}`
#[utoipa::path(get, path = "/api/v1/users/username/{username}", tag = "users", security(("bearer" = [])),
    params(("username" = String, Path)), responses((status = 200, body = User)))]
pub async fn get_user_by_username(
    State(core): State<Core>,
    Auth(actor): Auth,
    ApiPath(name): ApiPath<String>,
) -> ApiResult<Json<User>> {
    Ok(Json(core.get_user_by_username(&actor, &name).await?))
}

fn only_self(actor_id: &str, user_id: &str) -> ApiResult<()> {
    if actor_id == user_id {
        Ok(())
    } else {
        Err(crate::Error::forbidden("you may only list your own memberships").into())
    }
}

/// `GET /api/v1/users/{user_id}/teams`: the teams one belongs to.
#[utoipa::path(get, path = "/api/v1/users/{user_id}/teams", tag = "users", security(("bearer" = [])),
    params(("user_id" = String, Path)), responses((status = 200, body = Vec<Team>)))]
pub async fn list_user_teams(
    State(core): State<Core>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<Vec<Team>>> {
    only_self(actor.id(), &user_param(&actor, &id))?;
    Ok(Json(core.list_my_teams(&actor).await?))
}

/// Optional team filter.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TeamFilter {
    /// Only this team's channels (direct and group messages are always included).
    pub team_id: Option<String>,
}

/// `GET /api/v1/users/{user_id}/channels`: the channels one belongs to.
#[utoipa::path(get, path = "/api/v1/users/{user_id}/channels", tag = "users", security(("bearer" = [])),
    params(("user_id" = String, Path), TeamFilter), responses((status = 200, body = Vec<Channel>)))]
pub async fn list_user_channels(
    State(core): State<Core>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<String>,
    ApiQuery(filter): ApiQuery<TeamFilter>,
) -> ApiResult<Json<Vec<Channel>>> {
    only_self(actor.id(), &user_param(&actor, &id))?;
    Ok(Json(
        core.list_my_channels(&actor, filter.team_id.as_deref())
            .await?,
    ))
}

/// `GET /api/v1/users/{user_id}/unreads`: unread and mention counts per channel.
#[utoipa::path(get, path = "/api/v1/users/{user_id}/unreads", tag = "users", security(("bearer" = [])),
    params(("user_id" = String, Path), TeamFilter), responses((status = 200, body = Vec<ChannelUnread>)))]
pub async fn list_unreads(
    State(core): State<Core>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<String>,
    ApiQuery(filter): ApiQuery<TeamFilter>,
) -> ApiResult<Json<Vec<ChannelUnread>>> {
    only_self(actor.id(), &user_param(&actor, &id))?;
    Ok(Json(
        core.list_unreads(&actor, filter.team_id.as_deref()).await?,
    ))
}

/// `GET /api/v1/users/{user_id}/preferences`
#[utoipa::path(get, path = "/api/v1/users/{user_id}/preferences", tag = "preferences", security(("bearer" = [])),
    params(("user_id" = String, Path)), responses((status = 200, body = Vec<Preference>)))]
pub async fn list_preferences(
    State(core): State<Core>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<Vec<Preference>>> {
    Ok(Json(
        core.list_preferences(&actor, &user_param(&actor, &id))
            .await?,
    ))
}

/// `PUT /api/v1/users/{user_id}/preferences`: saves (replaces) preferences.
#[utoipa::path(put, path = "/api/v1/users/{user_id}/preferences", tag = "preferences", security(("bearer" = [])),
    params(("user_id" = String, Path)), request_body = Vec<Preference>, responses((status = 200, body = super::Ok)))]
pub async fn save_preferences(
    State(core): State<Core>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<String>,
    ApiJson(prefs): ApiJson<Vec<Preference>>,
) -> ApiResult<Json<OkBody>> {
    core.save_preferences(&actor, &user_param(&actor, &id), prefs)
        .await?;
    Ok(Json(OkBody::default()))
}

/// `POST /api/v1/users/{user_id}/preferences/delete`
#[utoipa::path(post, path = "/api/v1/users/{user_id}/preferences/delete", tag = "preferences", security(("bearer" = [])),
    params(("user_id" = String, Path)), request_body = Vec<Preference>, responses((status = 200, body = super::Ok)))]
pub async fn delete_preferences(
    State(core): State<Core>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<String>,
    ApiJson(prefs): ApiJson<Vec<Preference>>,
) -> ApiResult<Json<OkBody>> {
    core.delete_preferences(&actor, &user_param(&actor, &id), prefs)
        .await?;
    Ok(Json(OkBody::default()))
}

/// `GET /api/v1/users/{user_id}/status`
#[utoipa::path(get, path = "/api/v1/users/{user_id}/status", tag = "status", security(("bearer" = [])),
    params(("user_id" = String, Path)), responses((status = 200, body = Status)))]
pub async fn get_status(
    State(core): State<Core>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<Status>> {
    Ok(Json(
        core.get_status(&actor, &user_param(&actor, &id)).await?,
    ))
}

/// A manual status.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusUpdate {
    /// `online`, `away`, `dnd`, `offline` or `ooo`.
    pub status: String,
    /// End of do-not-disturb, seconds since the epoch.
    pub dnd_end_time: Option<i64>,
}

/// `PUT /api/v1/users/{user_id}/status`
#[utoipa::path(put, path = "/api/v1/users/{user_id}/status", tag = "status", security(("bearer" = [])),
    params(("user_id" = String, Path)), request_body = StatusUpdate, responses((status = 200, body = Status)))]
pub async fn set_status(
    State(core): State<Core>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<StatusUpdate>,
) -> ApiResult<Json<Status>> {
    let id = user_param(&actor, &id);
    Ok(Json(
        core.set_status(&actor, &id, &body.status, body.dnd_end_time)
            .await?,
    ))
}

/// User search parameters.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UserSearchQuery {
    /// The start of a username, name or nickname (a leading `@` is ignored).
    pub term: String,
    /// Only members of this team.
    pub team_id: Option<String>,
    /// At most this many users (1–200, default 60).
    pub limit: Option<i64>,
}

/// `GET /api/v1/users/search?term=…`: for @mention autocomplete.
#[utoipa::path(get, path = "/api/v1/users/search", tag = "users", security(("bearer" = [])),
    params(UserSearchQuery), responses((status = 200, body = Vec<User>)))]
pub async fn search_users(
    State(core): State<Core>,
    Auth(actor): Auth,
    ApiQuery(q): ApiQuery<UserSearchQuery>,
) -> ApiResult<Json<Vec<User>>> {
    Ok(Json(
        core.search_users(&actor, &q.term, q.team_id.as_deref(), q.limit.unwrap_or(60))
            .await?,
    ))
}

/// `POST /api/v1/users/status/ids`: the statuses of up to 200 users (unknown ones read as offline).
#[utoipa::path(post, path = "/api/v1/users/status/ids", tag = "users", security(("bearer" = [])),
    request_body = Vec<String>, responses((status = 200, body = Vec<Status>)))]
pub async fn get_statuses(
    State(core): State<Core>,
    Auth(actor): Auth,
    ApiJson(ids): ApiJson<Vec<String>>,
) -> ApiResult<Json<Vec<Status>>> {
    Ok(Json(core.get_statuses(&actor, &ids).await?))
}

/// `GET /api/v1/users/me/channel_members`: the caller's memberships, with read
/// state and notification settings.
#[utoipa::path(get, path = "/api/v1/users/me/channel_members", tag = "users", security(("bearer" = [])),
    params(TeamFilter), responses((status = 200, body = Vec<ChannelMember>)))]
pub async fn my_channel_members(
    State(core): State<Core>,
    Auth(actor): Auth,
    ApiQuery(q): ApiQuery<TeamFilter>,
) -> ApiResult<Json<Vec<ChannelMember>>> {
    Ok(Json(
        core.list_my_channel_members(&actor, q.team_id.as_deref())
            .await?,
    ))
}

/// `GET /api/v1/users/{user_id}/image`: the uploaded picture, else one
/// generated from the username.
#[utoipa::path(get, path = "/api/v1/users/{user_id}/image", tag = "users", security(("bearer" = [])),
    params(("user_id" = String, Path)), responses((status = 200, description = "PNG, JPEG, GIF or WebP")))]
pub async fn get_image(
    State(core): State<Core>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<axum::response::Response> {
    use axum::http::{header, HeaderValue};
    use axum::response::IntoResponse;
    let id = user_param(&actor, &id);
    let (content_type, bytes, updated) = core.picture(&actor, &id).await?;
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&content_type) {
        headers.insert(header::CONTENT_TYPE, v);
    }
    // Clients add `?v=<last_picture_update>` to the URL, so a day is safe.
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, max-age=86400"),
    );
    if let Ok(etag) = HeaderValue::from_str(&format!("\"{updated}\"")) {
        headers.insert(header::ETAG, etag);
    }
    Ok(response)
}

/// `PUT /api/v1/users/{user_id}/image`: the body is the picture (at most 2 MiB).
#[utoipa::path(put, path = "/api/v1/users/{user_id}/image", tag = "users", security(("bearer" = [])),
    params(("user_id" = String, Path)), request_body(content = Vec<u8>, content_type = "image/*"),
    responses((status = 200, body = OkBody), (status = 413, description = "larger than 2 MiB")))]
pub async fn set_image(
    State(core): State<Core>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<String>,
    ApiBytes(body): ApiBytes,
) -> ApiResult<Json<OkBody>> {
    let id = user_param(&actor, &id);
    core.set_picture(&actor, &id, &body).await?;
    Ok(Json(OkBody::default()))
}

/// `DELETE /api/v1/users/{user_id}/image`: back to the generated picture.
#[utoipa::path(delete, path = "/api/v1/users/{user_id}/image", tag = "users", security(("bearer" = [])),
    params(("user_id" = String, Path)), responses((status = 200, body = OkBody)))]
pub async fn reset_image(
    State(core): State<Core>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<OkBody>> {
    let id = user_param(&actor, &id);
    core.reset_picture(&actor, &id).await?;
    Ok(Json(OkBody::default()))
}

/// `PUT /api/v1/users/{user_id}/custom_status`: an emoji and a short text
/// beside one's name, until `expires_at` (RFC 3339) when `duration` says so.
#[utoipa::path(put, path = "/api/v1/users/{user_id}/custom_status", tag = "status", security(("bearer" = [])),
    params(("user_id" = String, Path)), request_body = CustomStatus, responses((status = 200, body = CustomStatus)))]
pub async fn set_custom_status(
    State(core): State<Core>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<CustomStatus>,
) -> ApiResult<Json<CustomStatus>> {
    let id = user_param(&actor, &id);
    Ok(Json(core.set_custom_status(&actor, &id, body).await?))
}

/// `DELETE /api/v1/users/{user_id}/custom_status`
#[utoipa::path(delete, path = "/api/v1/users/{user_id}/custom_status", tag = "status", security(("bearer" = [])),
    params(("user_id" = String, Path)), responses((status = 200, body = OkBody)))]
pub async fn clear_custom_status(
    State(core): State<Core>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<OkBody>> {
    let id = user_param(&actor, &id);
    core.clear_custom_status(&actor, &id).await?;
    Ok(Json(OkBody::default()))
}
