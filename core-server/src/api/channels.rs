//! Channels, their members and read state, and direct and group messages.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use utoipa::ToSchema;

use super::error::ApiResult;
use super::extract::{user_param, ApiJson, ApiPath, ApiQuery, Auth};
use super::teams::MemberRequest;
use super::{Ok as OkBody, PageQuery};
use crate::model::*;
use crate::services::{ChannelPatch, Core};

fn created_or_found(channel: Channel, created: bool) -> (StatusCode, Json<Channel>) {
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    (status, Json(channel))
}

/// `POST /api/v1/channels/direct`: opens the DM with a user (idempotent).
#[utoipa::path(post, path = "/api/v1/channels/direct", tag = "channels", security(("bearer" = [])),
    request_body = MemberRequest, responses((status = 201, body = Channel), (status = 200, body = Channel)))]
pub async fn create_direct(
    State(core): State<Core>,
    Auth(actor): Auth,
    ApiJson(body): ApiJson<MemberRequest>,
) -> ApiResult<(StatusCode, Json<Channel>)> {
    let other = user_param(&actor, &body.user_id);
    let (channel, created) = core.create_direct_channel(&actor, &other).await?;
    Ok(created_or_found(channel, created))
}

/// Members of a group message, besides the caller.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GroupRequest {
    pub user_ids: Vec<String>,
}

/// `POST /api/v1/channels/group`: opens the group message among users (idempotent).
#[utoipa::path(post, path = "/api/v1/channels/group", tag = "channels", security(("bearer" = [])),
    request_body = GroupRequest, responses((status = 201, body = Channel), (status = 200, body = Channel)))]
pub async fn create_group(
    State(core): State<Core>,
    Auth(actor): Auth,
    ApiJson(body): ApiJson<GroupRequest>,
) -> ApiResult<(StatusCode, Json<Channel>)> {
    let (channel, created) = core.create_group_channel(&actor, &body.user_ids).await?;
    Ok(created_or_found(channel, created))
}

/// `GET /api/v1/channels/{channel_id}`
#[utoipa::path(get, path = "/api/v1/channels/{channel_id}", tag = "channels", security(("bearer" = [])),
    params(("channel_id" = String, Path)), responses((status = 200, body = Channel), (status = 403, body = super::error::ErrorBody)))]
pub async fn get_channel(
    State(core): State<Core>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<Channel>> {
    Ok(Json(core.get_channel(&actor, &id).await?))
}

/// `PATCH /api/v1/channels/{channel_id}`
#[utoipa::path(patch, path = "/api/v1/channels/{channel_id}", tag = "channels", security(("bearer" = [])),
    params(("channel_id" = String, Path)), request_body = ChannelPatch, responses((status = 200, body = Channel)))]
pub async fn patch_channel(
    State(core): State<Core>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<String>,
    ApiJson(patch): ApiJson<ChannelPatch>,
) -> ApiResult<Json<Channel>> {
    Ok(Json(core.patch_channel(&actor, &id, patch).await?))
}

/// `DELETE /api/v1/channels/{channel_id}`: archives the channel.
#[utoipa::path(delete, path = "/api/v1/channels/{channel_id}", tag = "channels", security(("bearer" = [])),
    params(("channel_id" = String, Path)), responses((status = 200, body = Channel)))]
pub async fn delete_channel(
    State(core): State<Core>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<Channel>> {
    Ok(Json(core.delete_channel(&actor, &id).await?))
}

/// `GET /api/v1/channels/{channel_id}/members`
#[utoipa::path(get, path = "/api/v1/channels/{channel_id}/members", tag = "channels", security(("bearer" = [])),
    params(("channel_id" = String, Path), PageQuery), responses((status = 200, body = Page<ChannelMember>)))]
pub async fn list_channel_members(
    State(core): State<Core>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<String>,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> ApiResult<Json<Page<ChannelMember>>> {
    Ok(Json(
        core.list_channel_members(&actor, &id, q.cursor.as_deref(), q.limit)
            .await?,
    ))
}

/// `POST /api/v1/channels/{channel_id}/members`: join, or add a team member.
#[utoipa::path(post, path = "/api/v1/channels/{channel_id}/members", tag = "channels", security(("bearer" = [])),
    params(("channel_id" = String, Path)), request_body = MemberRequest, responses((status = 201, body = ChannelMember)))]
pub async fn add_channel_member(
    State(core): State<Core>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<MemberRequest>,
) -> ApiResult<(StatusCode, Json<ChannelMember>)> {
    let user_id = user_param(&actor, &body.user_id);
    Ok((
        StatusCode::CREATED,
        Json(core.add_channel_member(&actor, &id, &user_id).await?),
    ))
}

/// `GET /api/v1/channels/{channel_id}/members/{user_id}`
#[utoipa::path(get, path = "/api/v1/channels/{channel_id}/members/{user_id}", tag = "channels", security(("bearer" = [])),
    params(("channel_id" = String, Path), ("user_id" = String, Path)), responses((status = 200, body = ChannelMember)))]
pub async fn get_channel_member(
    State(core): State<Core>,
    Auth(actor): Auth,
    ApiPath((channel_id, user_id)): ApiPath<(String, String)>,
) -> ApiResult<Json<ChannelMember>> {
    let user_id = user_param(&actor, &user_id);
    Ok(Json(
        core.get_channel_member(&actor, &channel_id, &user_id)
            .await?,
    ))
}

/// `DELETE /api/v1/channels/{channel_id}/members/{user_id}`: leave, or remove someone.
#[utoipa::path(delete, path = "/api/v1/channels/{channel_id}/members/{user_id}", tag = "channels", security(("bearer" = [])),
    params(("channel_id" = String, Path), ("user_id" = String, Path)), responses((status = 200, body = super::Ok)))]
pub async fn remove_channel_member(
    State(core): State<Core>,
    Auth(actor): Auth,
    ApiPath((channel_id, user_id)): ApiPath<(String, String)>,
) -> ApiResult<Json<OkBody>> {
    let user_id = user_param(&actor, &user_id);
    core.remove_channel_member(&actor, &channel_id, &user_id)
        .await?;
    Ok(Json(OkBody::default()))
}

/// `POST /api/v1/channels/{channel_id}/read`: marks the channel read.
#[utoipa::path(post, path = "/api/v1/channels/{channel_id}/read", tag = "channels", security(("bearer" = [])),
    params(("channel_id" = String, Path)), responses((status = 200, body = ChannelMember)))]
pub async fn view_channel(
    State(core): State<Core>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<ChannelMember>> {
    Ok(Json(core.view_channel(&actor, &id).await?))
}

/// `POST /api/v1/channels/{channel_id}/restore`: brings an archived channel back.
#[utoipa::path(post, path = "/api/v1/channels/{channel_id}/restore", tag = "channels", security(("bearer" = [])),
    params(("channel_id" = String, Path)), responses((status = 200, body = Channel)))]
pub async fn restore_channel(
    State(core): State<Core>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<Channel>> {
    Ok(Json(core.restore_channel(&actor, &id).await?))
}

/// `PATCH /api/v1/channels/{channel_id}/members/{user_id}/notify_props`:
/// one's notification settings for the channel (`desktop`, `push`, `email`:
/// `default`/`all`/`mention`/`none`; `mark_unread`: `all`/`mention` mutes;
/// `ignore_channel_mentions`: `default`/`on`/`off`), only the keys sent.
#[utoipa::path(patch, path = "/api/v1/channels/{channel_id}/members/{user_id}/notify_props", tag = "channels", security(("bearer" = [])),
    params(("channel_id" = String, Path), ("user_id" = String, Path)), request_body = std::collections::BTreeMap<String, String>,
    responses((status = 200, body = ChannelMember)))]
pub async fn patch_notify_props(
    State(core): State<Core>,
    Auth(actor): Auth,
    ApiPath((channel_id, user_id)): ApiPath<(String, String)>,
    ApiJson(props): ApiJson<StringMap>,
) -> ApiResult<Json<ChannelMember>> {
    let user_id = user_param(&actor, &user_id);
    Ok(Json(
        core.set_channel_member_notify_props(&actor, &channel_id, &user_id, props)
            .await?,
    ))
}
