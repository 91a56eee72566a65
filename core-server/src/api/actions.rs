//! Interactive messages and dialogs for the web app: running a message
//! attachment's button or menu, and submitting a dialog an integration
//! opened (announced by the `open_dialog` socket event, whose data is
//! [`OpenDialogEvent`]).

use axum::extract::State;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::error::ApiResult;
use super::extract::{ApiJson, ApiPath, Auth};
use crate::model::Dialog;
use crate::services::{ActionOutcome, Core, DialogAnswer, DialogSubmission};

/// Body of running an action.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct RunAction {
    /// For a menu: the value chosen.
    pub selected_option: Option<String>,
    /// The action's `cookie`, when it has one (actions of ephemeral posts).
    pub cookie: Option<String>,
}

/// The data of the `open_dialog` socket event: a dialog to show, opened by
/// an integration in answer to this user's action.
#[derive(Debug, Serialize, ToSchema)]
pub struct OpenDialogEvent {
    /// Equals the `trigger_id` the action's answer gave.
    pub trigger_id: String,
    /// Send it back with the submission.
    pub url: String,
    pub dialog: Dialog,
}

/// `POST /api/v1/posts/{post_id}/actions/{action_id}`: runs a button or a
/// menu of the post's attachments for the caller, who must be able to read
/// the channel. 502 `integration_failed` when the integration fails.
#[utoipa::path(post, path = "/api/v1/posts/{post_id}/actions/{action_id}", tag = "actions", security(("bearer" = [])),
    params(("post_id" = String, Path), ("action_id" = String, Path)), request_body = RunAction,
    responses((status = 200, body = ActionOutcome)))]
pub async fn run_action(
    State(core): State<Core>,
    Auth(actor): Auth,
    ApiPath((post_id, action_id)): ApiPath<(String, String)>,
    ApiJson(body): ApiJson<RunAction>,
) -> ApiResult<Json<ActionOutcome>> {
    let outcome = core
        .do_post_action(
            &actor,
            &post_id,
            &action_id,
            body.selected_option.as_deref().unwrap_or(""),
            body.cookie.as_deref().unwrap_or(""),
        )
        .await?;
    Ok(Json(outcome))
}

/// `POST /api/v1/actions/dialogs/submit`: sends a filled-in (or cancelled)
/// dialog to its integration and returns its verdict; all empty when it
/// accepted the submission. 502 `integration_failed` when it fails.
#[utoipa::path(post, path = "/api/v1/actions/dialogs/submit", tag = "actions", security(("bearer" = [])),
    request_body = DialogSubmission, responses((status = 200, body = DialogAnswer)))]
pub async fn submit_dialog(
    State(core): State<Core>,
    Auth(actor): Auth,
    ApiJson(body): ApiJson<DialogSubmission>,
) -> ApiResult<Json<DialogAnswer>> {
    Ok(Json(core.submit_dialog(&actor, body).await?))
}
