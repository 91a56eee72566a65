//! `POST /api/v4/notifications/ack`: the apps acknowledge each push; for an
//! id-only push the answer is the notification with its text. And
//! `POST /api/v4/notifications/test`: a message that pushes whatever the
//! settings say.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

use core_server::notify::{AckOutcome, PushAck};
use core_server::services::Core;

use crate::error::{MmError, MmResult};
use crate::extract::{status_ok, MmAuth, MmBytes, StatusOk};

pub async fn ack(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmBytes(body): MmBytes,
) -> MmResult<Response> {
    let ack: PushAck = serde_json::from_slice(&body).map_err(|e| {
        let mut err = MmError::new(
            StatusCode::BAD_REQUEST,
            "api.push_notifications_ack.message.parse.app_error",
            "Error while parsing the push notification ack.",
        );
        err.detailed_error = e.to_string();
        err
    })?;
    match core.ack_push(&actor, ack).await {
        Ok(AckOutcome::Ok) => Ok(Json(json!({"status": "OK"})).into_response()),
        Ok(AckOutcome::Loaded(notification)) => Ok(Json(*notification).into_response()),
        Ok(AckOutcome::Nothing) => Ok(StatusCode::OK.into_response()),
        Err(core_server::Error::NotImplemented(_)) => Err(MmError::new(
            StatusCode::NOT_IMPLEMENTED,
            "api.push_notification.disabled.app_error",
            "Push notifications are disabled on this server.",
        )),
        Err(e) => Err(e.into()),
    }
}

/// `POST /api/v4/notifications/test`: the system bot sends the caller a
/// direct message that pushes to their devices whatever their settings.
pub async fn test(State(core): State<Core>, MmAuth(actor): MmAuth) -> MmResult<Json<StatusOk>> {
    match core.send_test_notification(&actor).await {
        Ok(_) => Ok(status_ok()),
        Err(e) => {
            tracing::warn!(error = %e, "test notification not sent");
            // No admin to own the system bot, or a person holding its
            // name, is the server's state, not a fault: a 409 (Mattermost
            // answers 500) that says so, with Mattermost's id.
            let (status, stage) = match e {
                core_server::Error::NotFound { .. } | core_server::Error::Conflict { .. } => {
                    (StatusCode::CONFLICT, "no_bot")
                }
                core_server::Error::Internal(_) | core_server::Error::Unavailable(_) => {
                    (StatusCode::INTERNAL_SERVER_ERROR, "create_post")
                }
                // Refusals of the caller (a deactivated account, a bot) keep their own status.
                other => return Err(other.into()),
            };
            Err(MmError::new(
                status,
                &format!("app.notifications.send_test_message.errors.{stage}"),
                "The test notification could not be sent.",
            ))
        }
    }
}
