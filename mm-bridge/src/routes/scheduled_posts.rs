//! Scheduled posts ("send later"): scheduling, listing, changing and
//! deleting one's own; the core's sender posts them when they are due.

use std::collections::BTreeMap;

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use serde_json::Value;

use core_server::services::scheduled_posts::NOT_OWNER;
use core_server::services::{Core, ScheduledPostInput};
use core_server::Error;

use crate::convert::{self, MmScheduledPost};
use crate::error::{MmError, MmResult};
use crate::extract::{check_id, query_bool, MmAuth, MmJson, MmPath, MmQuery};

/// The fields of a scheduled post that this server reads; the apps send the
/// whole record back (times, error code, file records), which is ignored.
#[derive(Deserialize)]
pub struct ScheduledPostBody {
    #[serde(default)]
    id: String,
    #[serde(default)]
    channel_id: String,
    #[serde(default)]
    root_id: String,
    #[serde(default)]
    message: String,
    #[serde(default)]
    props: Option<Value>,
    #[serde(default)]
    file_ids: Option<Vec<String>>,
    #[serde(default)]
    priority: Option<Value>,
    /// Missing reads as 0, which is in the past and refused as such.
    #[serde(default)]
    scheduled_at: i64,
}

impl ScheduledPostBody {
    fn into_input(self) -> ScheduledPostInput {
        ScheduledPostInput {
            channel_id: self.channel_id,
            root_id: self.root_id,
            message: self.message,
            props: self.props.filter(|p| !p.is_null()),
            file_ids: self.file_ids.unwrap_or_default(),
            priority: self.priority,
            scheduled_at: self.scheduled_at,
        }
    }
}

/// Which route an error comes from: Mattermost's ids name the action.
#[derive(Clone, Copy)]
enum Action {
    Save,
    Update,
    Delete,
}

/// The core's refusals in Mattermost's words for scheduled posts.
fn scheduled_error(action: Action, e: Error) -> MmError {
    let bad = |id: &str, message: &str| MmError::new(StatusCode::BAD_REQUEST, id, message);
    // (Scheduling finds no existing post, so the delete ids never show for it.)
    let (not_found, not_owner) = match action {
        Action::Update => (
            "app.update_scheduled_post.existing_scheduled_post.not_exist",
            "app.update_scheduled_post.update_permission.error",
        ),
        Action::Save | Action::Delete => (
            "app.delete_scheduled_post.existing_scheduled_post.not_exist",
            "app.delete_scheduled_post.delete_permission.error",
        ),
    };
    match e {
        Error::NotFound {
            entity: "scheduled post",
        } => MmError::new(
            StatusCode::NOT_FOUND,
            not_found,
            "There is no such scheduled post.",
        ),
        Error::Forbidden(m) if m == NOT_OWNER => MmError::new(
            StatusCode::FORBIDDEN,
            not_owner,
            "Only its author may change or delete a scheduled post.",
        ),
        Error::Invalid { field, reason } => match field.as_str() {
            "scheduled_at" => bad(
                "model.scheduled_post.is_valid.scheduled_at.app_error",
                "The time to send the post at has already passed.",
            ),
            "post" => bad(
                "model.scheduled_post.is_valid.empty_post.app_error",
                "A scheduled post needs a message or a file.",
            ),
            "message" => bad(
                "model.draft.is_valid.msg.app_error",
                "The message is too long.",
            ),
            "channel" => bad(
                "app.save_scheduled_post.channel_deleted.app_error",
                "Posts cannot be scheduled in an archived channel.",
            ),
            _ => Error::Invalid { field, reason }.into(),
        },
        other => other.into(),
    }
}

/// `POST /api/v4/posts/schedule` (201)
pub async fn create(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmJson(body): MmJson<ScheduledPostBody>,
) -> MmResult<(StatusCode, Json<MmScheduledPost>)> {
    if !core_server::id::is_valid_id(&body.channel_id) {
        return Err(MmError::invalid_body("channel_id"));
    }
    let view = core
        .create_scheduled_post(&actor, body.into_input())
        .await
        .map_err(|e| scheduled_error(Action::Save, e))?;
    Ok((StatusCode::CREATED, Json(convert::scheduled_post(view))))
}

#[derive(Deserialize)]
pub struct ListQuery {
    #[serde(rename = "includeDirectChannels")]
    include_direct_channels: Option<String>,
}

/// `GET /api/v4/posts/scheduled/team/{team_id}`: the caller's scheduled
/// posts in the team, keyed by its id, and with `includeDirectChannels`
/// those of their direct and group channels under `directChannels`.
pub async fn for_team(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmPath(team_id): MmPath<String>,
    MmQuery(q): MmQuery<ListQuery>,
) -> MmResult<Json<BTreeMap<String, Vec<MmScheduledPost>>>> {
    check_id("team_id", &team_id)?;
    let direct = query_bool(q.include_direct_channels.as_deref());
    let lists = core.list_scheduled_posts(&actor, &team_id, direct).await?;
    let convert_all = |views: Vec<_>| views.into_iter().map(convert::scheduled_post).collect();
    let mut out = BTreeMap::new();
    out.insert(team_id, convert_all(lists.team));
    if let Some(direct) = lists.direct {
        out.insert("directChannels".to_string(), convert_all(direct));
    }
    Ok(Json(out))
}

/// `PUT /api/v4/posts/schedule/{scheduled_post_id}` (201, as Mattermost
/// answers): the body is the whole scheduled post, its id the path's.
pub async fn update(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmPath(id): MmPath<String>,
    MmJson(body): MmJson<ScheduledPostBody>,
) -> MmResult<(StatusCode, Json<MmScheduledPost>)> {
    check_id("scheduled_post_id", &id)?;
    if body.id != id {
        return Err(MmError::invalid_param("scheduled_post_id"));
    }
    let view = core
        .update_scheduled_post(&actor, &id, body.into_input())
        .await
        .map_err(|e| scheduled_error(Action::Update, e))?;
    Ok((StatusCode::CREATED, Json(convert::scheduled_post(view))))
}

/// `DELETE /api/v4/posts/schedule/{scheduled_post_id}` (201, as Mattermost
/// answers): the deleted scheduled post.
pub async fn delete(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmPath(id): MmPath<String>,
) -> MmResult<(StatusCode, Json<MmScheduledPost>)> {
    check_id("scheduled_post_id", &id)?;
    let view = core
        .delete_scheduled_post(&actor, &id)
        .await
        .map_err(|e| scheduled_error(Action::Delete, e))?;
    Ok((StatusCode::CREATED, Json(convert::scheduled_post(view))))
}
