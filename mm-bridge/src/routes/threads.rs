//! Collapsed reply threads: the threads a user follows in a team, and marking
//! them read, followed or unfollowed.

use std::collections::HashMap;

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use core_server::model::{ThreadView, User};
use core_server::services::{Core, ThreadQuery};

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
    participants: Vec<Value>,
    post: MmPost,
    unread_replies: i64,
    unread_mentions: i64,
    is_urgent: bool,
    delete_at: i64,
}

/// A thread's participants: the profiles found in `profiles`, just the id
/// of anyone else (Mattermost's answer when profiles were not asked for).
pub(crate) fn participants(ids: Vec<String>, profiles: &HashMap<String, User>) -> Vec<Value> {
    ids.into_iter()
        .map(|id| match profiles.get(&id) {
            Some(u) => serde_json::to_value(convert::user(u.clone())).unwrap_or_default(),
            None => serde_json::json!({ "id": id }),
        })
        .collect()
}

pub(crate) fn thread(t: ThreadView, profiles: &HashMap<String, User>) -> MmThread {
    let ThreadView {
        root,
        member,
        unread_replies,
        participants: ids,
    } = t;
    MmThread {
        id: root.id.clone(),
        reply_count: root.reply_count,
        last_reply_at: root.last_reply_at,
        last_viewed_at: member.last_viewed,
        participants: participants(ids, profiles),
        delete_at: root.delete_at,
        // A deleted root says only that it was there.
        post: convert::post(root.redacted(), Vec::new()),
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
    after: Option<String>,
    since: Option<String>,
    per_page: Option<String>,
    #[serde(rename = "pageSize")]
    page_size: Option<String>,
    unread: Option<String>,
    deleted: Option<String>,
    extended: Option<String>,
    #[serde(rename = "totalsOnly")]
    totals_only: Option<String>,
}

/// Where the thread a cursor names is listed: its last reply and its id.
async fn cursor(
    core: &Core,
    auth: &MmAuth,
    field: &str,
    id: Option<String>,
) -> MmResult<Option<(i64, String)>> {
    match id.filter(|b| !b.is_empty()) {
        Some(id) => {
            check_id(field, &id)?;
            let root = core.get_post(&auth.0, &id).await?;
            Ok(Some((root.last_reply_at, root.id)))
        }
        None => Ok(None),
    }
}

/// Profiles of everyone taking part in `threads`, when they were asked for.
async fn profiles_for(
    core: &Core,
    threads: &[ThreadView],
    extended: bool,
) -> MmResult<HashMap<String, User>> {
    if !extended {
        return Ok(HashMap::new());
    }
    let mut ids: Vec<String> = threads
        .iter()
        .flat_map(|t| t.participants.iter().cloned())
        .collect();
    ids.sort();
    ids.dedup();
    Ok(core
        .participant_profiles(&ids)
        .await?
        .into_iter()
        .map(|u| (u.id.clone(), u))
        .collect())
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
    let limit = q
        .per_page
        .or(q.page_size)
        .and_then(|p| p.parse::<i64>().ok())
        .filter(|p| *p > 0)
        .unwrap_or(25);
    let since = match q.since.as_deref() {
        None | Some("") | Some("0") => None,
        Some(s) => Some(
            s.parse::<i64>()
                .map_err(|_| MmError::invalid_param("since"))?,
        ),
    };
    let query = ThreadQuery {
        before: cursor(&core, &auth, "before", q.before).await?,
        after: cursor(&core, &auth, "after", q.after).await?,
        since,
        unread_only: query_bool(q.unread.as_deref()),
        include_deleted: query_bool(q.deleted.as_deref()),
        limit,
    };
    let list = core.list_threads(&auth.0, &team, query).await?;
    let threads = if query_bool(q.totals_only.as_deref()) {
        Vec::new()
    } else {
        let profiles =
            profiles_for(&core, &list.threads, query_bool(q.extended.as_deref())).await?;
        list.threads
            .into_iter()
            .map(|t| thread(t, &profiles))
            .collect()
    };
    Ok(Json(MmThreads {
        total: list.total,
        total_unread_threads: list.total_unread_threads,
        total_unread_mentions: list.total_unread_mentions,
        total_unread_urgent_mentions: 0,
        threads,
    }))
}

#[derive(Deserialize)]
pub struct ThreadQueryParams {
    extended: Option<String>,
}

/// One thread as its follower sees it, with profiles when asked for.
async fn one_thread(
    core: &Core,
    auth: &MmAuth,
    team: &str,
    id: &str,
    extended: bool,
) -> MmResult<Json<MmThread>> {
    let view = core.get_thread_view(&auth.0, team, id).await?;
    let profiles = profiles_for(core, std::slice::from_ref(&view), extended).await?;
    Ok(Json(thread(view, &profiles)))
}

/// `GET /api/v4/users/{user_id}/teams/{team_id}/threads/{thread_id}`
pub async fn get(
    State(core): State<Core>,
    auth: MmAuth,
    MmPath((user, team, id)): MmPath<(String, String, String)>,
    MmQuery(q): MmQuery<ThreadQueryParams>,
) -> MmResult<Json<MmThread>> {
    auth.require_self(&user)?;
    check_id("team_id", &team)?;
    check_id("thread_id", &id)?;
    one_thread(&core, &auth, &team, &id, query_bool(q.extended.as_deref())).await
}

/// `POST /api/v4/users/{user_id}/teams/{team_id}/threads/{thread_id}/set_unread/{post_id}`:
/// the thread becomes unread from that post on; answers the thread.
pub async fn set_unread(
    State(core): State<Core>,
    auth: MmAuth,
    MmPath((user, team, id, post)): MmPath<(String, String, String, String)>,
) -> MmResult<Json<MmThread>> {
    auth.require_self(&user)?;
    check_id("team_id", &team)?;
    check_id("thread_id", &id)?;
    check_id("post_id", &post)?;
    core.set_thread_unread_from_post(&auth.0, &id, &post)
        .await?;
    one_thread(&core, &auth, &team, &id, true).await
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
    one_thread(&core, &auth, &team, &id, true).await
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
