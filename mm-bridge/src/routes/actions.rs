//! Interactive messages and dialogs: running a post's button or menu, and
//! opening and submitting dialogs, with Mattermost's error ids.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use core_server::model::Dialog;
use core_server::services::{Core, DialogAnswer, DialogSubmission, OpenDialog};
use core_server::Error;

use crate::error::{MmError, MmResult};
use crate::extract::{check_id, status_ok, MmAuth, MmBytes, MmJson, MmPath, StatusOk};

/// Mattermost's id for every failure of an integration call.
const INTEGRATION_FAILED: &str = "api.post.do_action.action_integration.app_error";

/// A failure of running an action or submitting a dialog, in Mattermost's words.
fn integration_error(err: Error) -> MmError {
    match err {
        Error::Upstream(reason) => {
            let mut e = MmError::new(
                StatusCode::BAD_REQUEST,
                INTEGRATION_FAILED,
                "Action integration error.",
            );
            e.detailed_error = reason;
            e
        }
        Error::Invalid { field, reason } if field == "cookie" => {
            let mut e = MmError::new(
                StatusCode::BAD_REQUEST,
                INTEGRATION_FAILED,
                "Action integration error.",
            );
            e.detailed_error = format!("cookie: {reason}");
            e
        }
        Error::NotFound { entity: "action" } => MmError::new(
            StatusCode::NOT_FOUND,
            "api.post.do_action.action_id.app_error",
            "Invalid action id.",
        ),
        // Mattermost checks the permission before looking for the post.
        Error::NotFound { .. } | Error::Forbidden(_) => MmError::forbidden(),
        other => other.into(),
    }
}

/// Mattermost's `DoPostActionRequest`; a body it cannot read counts as empty.
#[derive(Default, Deserialize)]
#[serde(default)]
struct ActionBody {
    selected_option: String,
    cookie: String,
}

/// Mattermost's `PostActionAPIResponse`, with the integration's
/// `goto_location` when it gave one.
#[derive(Serialize)]
pub struct ActionResponse {
    status: &'static str,
    trigger_id: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    goto_location: String,
}

/// `POST /api/v4/posts/{post_id}/actions/{action_id}`
pub async fn do_post_action(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmPath((post_id, action_id)): MmPath<(String, String)>,
    MmBytes(body): MmBytes,
) -> MmResult<Json<ActionResponse>> {
    check_id("post_id", &post_id)?;
    let body: ActionBody = serde_json::from_slice(&body).unwrap_or_default();
    let outcome = core
        .do_post_action(
            &actor,
            &post_id,
            &action_id,
            &body.selected_option,
            &body.cookie,
        )
        .await
        .map_err(integration_error)?;
    Ok(Json(ActionResponse {
        status: "OK",
        trigger_id: outcome.trigger_id,
        goto_location: outcome.goto_location,
    }))
}

/// Mattermost's `OpenDialogRequest`.
#[derive(Deserialize)]
pub struct OpenBody {
    #[serde(default)]
    trigger_id: String,
    #[serde(default)]
    url: String,
    #[serde(default)]
    dialog: Dialog,
}

/// `POST /api/v4/actions/dialogs/open`: no session, as on Mattermost; the
/// trigger id names the user and proves the integration was just called.
pub async fn open_dialog(
    State(core): State<Core>,
    MmBytes(body): MmBytes,
) -> MmResult<Json<StatusOk>> {
    let body: OpenBody = serde_json::from_slice(&body).map_err(|e| {
        let mut err = MmError::invalid_body("dialog");
        err.detailed_error = e.to_string();
        err
    })?;
    if body.url.is_empty() {
        return Err(MmError::invalid_body("url"));
    }
    core.open_dialog(OpenDialog {
        trigger_id: body.trigger_id,
        url: body.url,
        dialog: body.dialog,
    })
    .await
    .map_err(|e| match e {
        Error::Invalid { field, reason } if field == "trigger_id" => {
            let id = if reason.contains("expired") {
                "interactive_message.decode_trigger_id.expired"
            } else {
                "interactive_message.decode_trigger_id.verify_signature_failed"
            };
            let mut err = MmError::new(
                StatusCode::BAD_REQUEST,
                id,
                "Unable to verify the trigger id of the interactive dialog.",
            );
            err.detailed_error = format!("trigger_id {reason}");
            err
        }
        other => other.into(),
    })?;
    Ok(status_ok())
}

/// Mattermost's `SubmitDialogRequest` as the apps send it.
#[derive(Deserialize)]
pub struct SubmitBody {
    #[serde(default)]
    url: String,
    #[serde(default)]
    callback_id: String,
    #[serde(default)]
    state: String,
    #[serde(default)]
    channel_id: String,
    #[serde(default)]
    team_id: String,
    #[serde(default)]
    submission: Option<Map<String, Value>>,
    #[serde(default)]
    cancelled: bool,
}

/// `POST /api/v4/actions/dialogs/submit`: the integration's `error`,
/// `errors` and `text`, or `{}` when it accepted the submission.
pub async fn submit_dialog(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmJson(body): MmJson<SubmitBody>,
) -> MmResult<Json<DialogAnswer>> {
    if body.url.is_empty() {
        return Err(MmError::invalid_body("url"));
    }
    let answer = core
        .submit_dialog(
            &actor,
            DialogSubmission {
                url: body.url,
                callback_id: body.callback_id,
                state: body.state,
                channel_id: body.channel_id,
                team_id: body.team_id,
                submission: body.submission.unwrap_or_default(),
                cancelled: body.cancelled,
            },
        )
        .await
        .map_err(integration_error)?;
    Ok(Json(answer))
}
