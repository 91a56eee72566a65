//! `POST /api/v4/users/{user_id}/typing`: the REST form of the socket's
//! `user_typing` action (what integrations and the apps without a socket use).

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value};

use core_server::services::Core;

use crate::error::{MmError, MmResult};
use crate::extract::{check_id, status_ok, MmAuth, MmJson, MmPath};

/// A string field of Mattermost's `TypingRequest` (absent: empty).
fn field<'a>(body: &'a Map<String, Value>, key: &str) -> MmResult<&'a str> {
    match body.get(key) {
        None | Some(Value::Null) => Ok(""),
        Some(Value::String(s)) => Ok(s),
        Some(_) => Err(MmError::invalid_body("typing_request")),
    }
}

/// Publishes a `typing` event to the channel's other members.
pub async fn publish(
    State(core): State<Core>,
    auth: MmAuth,
    MmPath(id): MmPath<String>,
    MmJson(body): MmJson<Map<String, Value>>,
) -> MmResult<Response> {
    let id = auth.user_id(&id);
    check_id("user_id", &id)?;
    let (channel_id, parent_id) = (field(&body, "channel_id")?, field(&body, "parent_id")?);
    core.publish_typing(&auth.0, &id, channel_id, parent_id)
        .await?;
    Ok(status_ok().into_response())
}
