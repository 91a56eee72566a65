//! Collapsed reply threads: the threads one follows in a team, following and
//! unfollowing, and marking them read.

use axum::extract::State;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::error::ApiResult;
use super::extract::{ApiJson, ApiPath, ApiQuery, Auth};
use super::Ok as OkBody;
use crate::model::ThreadView;
use crate::services::{Core, ThreadList, ThreadQuery};

/// Which followed threads to list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ThreadsQuery {
    /// Only threads with unread replies or mentions.
    pub unread_only: Option<bool>,
    /// The next page: threads listed after the one whose last reply was at
    /// `before` (ms) and whose root is `before_id` (the last thread of the
    /// page before). `before` alone pages by time only.
    pub before: Option<i64>,
    pub before_id: Option<String>,
    /// Page size, 1–200 (default 30).
    pub limit: Option<i64>,
}

/// The threads one follows in a team, most recently active first.
#[derive(Debug, Serialize, ToSchema)]
pub struct FollowedThreads {
    pub threads: Vec<ThreadView>,
    /// Threads followed in the team.
    pub total: i64,
    /// Followed threads with unread replies.
    pub total_unread_threads: i64,
    /// Unread mentions across followed threads.
    pub total_unread_mentions: i64,
}

impl From<ThreadList> for FollowedThreads {
    fn from(list: ThreadList) -> Self {
        FollowedThreads {
            threads: list.threads,
            total: list.total,
            total_unread_threads: list.total_unread_threads,
            total_unread_mentions: list.total_unread_mentions,
        }
    }
}

/// `GET /api/v1/teams/{team_id}/threads`: the caller's followed threads.
#[utoipa::path(get, path = "/api/v1/teams/{team_id}/threads", tag = "threads", security(("bearer" = [])),
    params(("team_id" = String, Path), ThreadsQuery), responses((status = 200, body = FollowedThreads)))]
pub async fn list_threads(
    State(core): State<Core>,
    Auth(actor): Auth,
    ApiPath(team_id): ApiPath<String>,
    ApiQuery(q): ApiQuery<ThreadsQuery>,
) -> ApiResult<Json<FollowedThreads>> {
    let query = ThreadQuery {
        before: q
            .before
            .map(|at| (at, q.before_id.clone().unwrap_or_default())),
        unread_only: q.unread_only.unwrap_or(false),
        limit: q.limit.unwrap_or(30),
        ..ThreadQuery::default()
    };
    Ok(Json(
        core.list_threads(&actor, &team_id, query).await?.into(),
    ))
}

/// `POST /api/v1/teams/{team_id}/threads/read`: marks every followed thread of the team read.
#[utoipa::path(post, path = "/api/v1/teams/{team_id}/threads/read", tag = "threads", security(("bearer" = [])),
    params(("team_id" = String, Path)), responses((status = 200, body = super::Ok)))]
pub async fn mark_all_read(
    State(core): State<Core>,
    Auth(actor): Auth,
    ApiPath(team_id): ApiPath<String>,
) -> ApiResult<Json<OkBody>> {
    core.mark_all_threads_read(&actor, &team_id).await?;
    Ok(Json(OkBody::default()))
}

/// Follow or stop following.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FollowRequest {
    pub following: bool,
}

/// `PUT /api/v1/posts/{post_id}/following`: follows (or unfollows) the thread of a root post.
#[utoipa::path(put, path = "/api/v1/posts/{post_id}/following", tag = "threads", security(("bearer" = [])),
    params(("post_id" = String, Path)), request_body = FollowRequest, responses((status = 200, body = super::Ok)))]
pub async fn set_following(
    State(core): State<Core>,
    Auth(actor): Auth,
    ApiPath(post_id): ApiPath<String>,
    ApiJson(body): ApiJson<FollowRequest>,
) -> ApiResult<Json<OkBody>> {
    core.set_thread_following(&actor, &post_id, body.following)
        .await?;
    Ok(Json(OkBody::default()))
}

/// Where to mark a thread read up to.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ThreadReadRequest {
    /// Read up to this time (ms); now when left out.
    pub timestamp: Option<i64>,
}

/// `POST /api/v1/posts/{post_id}/thread/read`: marks the thread read.
#[utoipa::path(post, path = "/api/v1/posts/{post_id}/thread/read", tag = "threads", security(("bearer" = [])),
    params(("post_id" = String, Path)), request_body = ThreadReadRequest, responses((status = 200, body = super::Ok)))]
pub async fn mark_thread_read(
    State(core): State<Core>,
    Auth(actor): Auth,
    ApiPath(post_id): ApiPath<String>,
    ApiJson(body): ApiJson<ThreadReadRequest>,
) -> ApiResult<Json<OkBody>> {
    let at = body.timestamp.unwrap_or_else(crate::time::now_ms);
    core.mark_thread_read(&actor, &post_id, at).await?;
    Ok(Json(OkBody::default()))
}
