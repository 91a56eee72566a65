//! Collapsed reply threads: the threads a user follows in a team, and marking
//! them read, followed or unfollowed.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};

use core_server::model::ThreadView;
use core_server::services::Core;

use crate::convert::{self, MmPost};
use crate::error::{MmError, MmResult};
use crate::extract::{check_id, query_bool, status_ok, MmAuth, MmPath, MmQuery};

/// Mattermost's `ThreadResponse`.
#[derive(Serialize)]
pub struct MmThread {
    id: String,
    reply_count: i64,
    last_reply_at: i64,
    last_viewed_at: i64,
    participants: Vec<serde_json::Value>,
    post: MmPost,
    unread_replies: i64,
    unread_mentions: i64,
    is_urgent: bool,
    delete_at: i64,
}

pub(crate) fn thread(t: ThreadView) -> MmThread {
    let ThreadView {
        root,
        member,
        unread_replies,
        participants,
    } = t;
    MmThread {
        id: root.id.clone(),
        reply_count: root.reply_count,
        last_reply_at: root.last_reply_at,
        last_viewed_at: member.last_viewed,
        participants: participants
            .into_iter()
            .map(|id| serde_json::json!({"id": id}))
            .collect(),
        delete_at: root.delete_at,
        post: convert::post(root, Vec::new()),
        unread_replies,
        unread_mentions: member.unread_mentions,
        is_urgent: false,
    }
}

/// Mattermost's `Threads`.
#[derive(Serialize)]
pub struct MmThreads {
    total: i64,
    total_unread_threads: i64,
    total_unread_mentions: i64,
    total_unread_urgent_mentions: i64,
    threads: Vec<MmThread>,
}

#[derive(Deserialize)]
pub struct ThreadsQuery {
    before: Option<String>,
    per_page: Option<String>,
    #[serde(rename = "pageSize")]
    page_size: Option<String>,
    unread: Option<String>,
    #[serde(rename = "totalsOnly")]
    totals_only: Option<String>,
}

/// `GET /api/v4/users/{user_id}/teams/{team_id}/threads`
pub async fn list(
    State(core): State<Core>,
    auth: MmAuth,
    MmPath((user, team)): MmPath<(String, String)>,
    MmQuery(q): MmQuery<ThreadsQuery>,
) -> MmResult<Json<MmThreads>> {
    auth.require_self(&user)?;
    check_id("team_id", &team)?;
    let per_page = q
        .per_page
        .or(q.page_size)
        .and_then(|p| p.parse::<i64>().ok())
        .filter(|p| *p > 0)
        .unwrap_or(25);
    // `before` is a thread id: list threads older than its last reply.
    let before = match q.before.filter(|b| !b.is_empty()) {
        Some(id) => {
            check_id("before", &id)?;
            Some(core.get_post(&auth.0, &id).await?.last_reply_at)
        }
        None => None,
    };
    let list = core
        .list_threads(
            &auth.0,
            &team,
            before,
            per_page,
            query_bool(q.unread.as_deref()),
        )
        .await?;
    let threads = if query_bool(q.totals_only.as_deref()) {
        Vec::new()
    } else {
        list.threads.into_iter().map(thread).collect()
    };
    Ok(Json(MmThreads {
        total: list.total,
        total_unread_threads: list.total_unread_threads,
        total_unread_mentions: list.total_unread_mentions,
        total_unread_urgent_mentions: 0,
        threads,
    }))
}

/// `GET /api/v4/users/{user_id}/teams/{team_id}/threads/{thread_id}`
pub async fn get(
    State(core): State<Core>,
    auth: MmAuth,
    MmPath((user, team, id)): MmPath<(String, String, String)>,
) -> MmResult<Json<MmThread>> {
    auth.require_self(&user)?;
    check_id("team_id", &team)?;
    check_id("thread_id", &id)?;
    Ok(Json(thread(
        core.get_thread_view(&auth.0, &team, &id).await?,
    )))
}

/// `PUT /api/v4/users/{user_id}/teams/{team_id}/threads/read`
pub async fn read_all(
    State(core): State<Core>,
    auth: MmAuth,
    MmPath((user, team)): MmPath<(String, String)>,
) -> MmResult<Response> {
    auth.require_self(&user)?;
    check_id("team_id", &team)?;
    core.mark_all_threads_read(&auth.0, &team).await?;
    Ok(status_ok().into_response())
}

/// `PUT /api/v4/users/{user_id}/teams/{team_id}/threads/{thread_id}/read/{timestamp}`
pub async fn read(
    State(core): State<Core>,
    auth: MmAuth,
    MmPath((user, team, id, at)): MmPath<(String, String, String, String)>,
) -> MmResult<Json<MmThread>> {
    auth.require_self(&user)?;
    check_id("team_id", &team)?;
    check_id("thread_id", &id)?;
    let at = at
        .parse::<i64>()
        .map_err(|_| MmError::invalid_param("timestamp"))?;
    core.mark_thread_read(&auth.0, &id, at).await?;
    Ok(Json(thread(
        core.get_thread_view(&auth.0, &team, &id).await?,
    )))
}

/// `PUT /api/v4/users/{user_id}/teams/{team_id}/threads/{thread_id}/following`
pub async fn follow(
    State(core): State<Core>,
    auth: MmAuth,
    MmPath((user, team, id)): MmPath<(String, String, String)>,
) -> MmResult<Response> {
    set_following(core, auth, user, team, id, true).await
}

/// `DELETE /api/v4/users/{user_id}/teams/{team_id}/threads/{thread_id}/following`
pub async fn unfollow(
    State(core): State<Core>,
    auth: MmAuth,
    MmPath((user, team, id)): MmPath<(String, String, String)>,
) -> MmResult<Response> {
    set_following(core, auth, user, team, id, false).await
}

async fn set_following(
    core: Core,
    auth: MmAuth,
    user: String,
    team: String,
    id: String,
    following: bool,
) -> MmResult<Response> {
    auth.require_self(&user)?;
    check_id("team_id", &team)?;
    check_id("thread_id", &id)?;
    core.set_thread_following(&auth.0, &id, following).await?;
    Ok(status_ok().into_response())
}
