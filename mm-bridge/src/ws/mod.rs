//! `/api/v4/websocket`: Mattermost's WebSocket. Authentication by the
//! upgrade request (cookie or `Authorization`) or by an
//! `authentication_challenge` frame within 5 s; then the shared socket
//! driver with the v4 encoder and the v4 actions.

mod actions;
pub mod encode;

use std::sync::Arc;
use std::time::Duration;

use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{json, Value};

use core_server::realtime::conn::{READ_BUFFER, WRITE_BUFFER};
use core_server::realtime::{self, close, AttachError, ConnContext, Resume};
use core_server::services::{Actor, Core};

use crate::error::MmError;
use crate::extract::MmQuery;

pub use actions::V4Actions;
pub use encode::V4Wire;

/// An unauthenticated socket is closed after this long.
const AUTH_TIMEOUT: Duration = Duration::from_secs(5);
/// Largest client frame, as Mattermost's 8 KiB read limit.
const MAX_CLIENT_FRAME: usize = 8 * 1024;

#[derive(Deserialize)]
pub struct SocketQuery {
    connection_id: Option<String>,
    sequence_number: Option<String>,
    // Read by the webapp's telemetry only; accepted and ignored.
    #[allow(dead_code)]
    posted_ack: Option<String>,
    #[allow(dead_code)]
    disconnect_err_code: Option<String>,
}

/// A client frame: `{"seq": n, "action": "...", "data": {...}}`.
#[derive(Deserialize)]
pub(crate) struct ClientFrame {
    #[serde(default)]
    pub seq: i64,
    #[serde(default)]
    pub action: String,
    #[serde(default)]
    pub data: Value,
}

/// A response frame; `seq_reply` only when the request had a positive `seq`.
pub(crate) fn response(seq: i64, data: Option<Value>, error: Option<&MmError>) -> String {
    let mut out = json!({"status": if error.is_some() { "FAIL" } else { "OK" }});
    if seq > 0 {
        out["seq_reply"] = seq.into();
    }
    if let Some(data) = data {
        out["data"] = data;
    }
    if let Some(e) = error {
        out["error"] = json!({
            "id": e.id,
            "message": e.message,
            "detailed_error": "",
            "request_id": "",
            "status_code": e.status_code,
        });
    }
    out.to_string()
}

/// What the upgrade asked for: a resumption, or a fresh connection.
fn resume_request(q: &SocketQuery) -> Result<Option<Resume>, MmError> {
    let Some(id) = q.connection_id.as_deref().filter(|id| !id.is_empty()) else {
        return Ok(None);
    };
    if !core_server::id::is_valid_id(id) {
        return Err(MmError::invalid_param("connection_id"));
    }
    let next_seq = q
        .sequence_number
        .as_deref()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .filter(|n| *n >= 0)
        .ok_or_else(|| MmError::invalid_param("sequence_number"))?;
    Ok(Some(Resume {
        connection_id: id.to_string(),
        next_seq,
    }))
}

/// `GET /api/v4/websocket`
pub async fn upgrade(
    State(core): State<Core>,
    MmQuery(q): MmQuery<SocketQuery>,
    mut parts: Parts,
    ws: Result<WebSocketUpgrade, axum::extract::ws::rejection::WebSocketUpgradeRejection>,
) -> Response {
    let ws = match ws {
        Ok(ws) => ws,
        Err(rejection) => {
            return MmError::new(
                axum::http::StatusCode::BAD_REQUEST,
                "api.web_socket.connect.upgrade.app_error",
                format!("Failed to upgrade the websocket connection: {rejection}"),
            )
            .into_response()
        }
    };
    if !core_server::realtime::origin::origin_allowed(
        &parts.headers,
        core.config().site_url.as_deref(),
        &core.config().allow_cors_from,
    ) {
        return MmError::new(
            axum::http::StatusCode::FORBIDDEN,
            "api.web_socket.connect.origin.app_error",
            "The origin of this request is not allowed to open a WebSocket.",
        )
        .into_response();
    }
    let resume = match resume_request(&q) {
        Ok(r) => r,
        Err(e) => return e.into_response(),
    };
    // The upgrade may carry the session; an invalid one just leaves the
    // socket to authenticate by challenge, as on Mattermost.
    let actor = crate::extract::MmAuth::from_request_parts(&mut parts, &core)
        .await
        .ok()
        .map(|auth| auth.0);
    ws.read_buffer_size(READ_BUFFER)
        .write_buffer_size(WRITE_BUFFER)
        .max_message_size(MAX_CLIENT_FRAME)
        .max_frame_size(MAX_CLIENT_FRAME)
        .on_upgrade(move |socket| run(socket, core, actor, resume))
}

async fn run(mut socket: WebSocket, core: Core, actor: Option<Actor>, resume: Option<Resume>) {
    let (actor, challenge_seq) = match actor {
        Some(actor) => (actor, None),
        None => match authenticate_by_challenge(&mut socket, &core).await {
            Some((actor, seq)) => (actor, Some(seq)),
            None => return,
        },
    };
    let mut attached = match core.realtime_attach(&actor, Arc::new(V4Wire), resume).await {
        Ok(a) => a,
        Err(AttachError::Refused(why)) => {
            let (code, reason) = why.close();
            realtime::conn::close_with(&mut socket, code, reason).await;
            return;
        }
        Err(AttachError::Core(e)) => {
            tracing::warn!(error = %e, "could not attach a websocket");
            realtime::conn::close_with(&mut socket, 1011, "server error").await;
            return;
        }
    };
    if let Some(seq) = challenge_seq {
        // Mattermost queues `hello` on registration, then answers the challenge.
        if let Ok(hello) = attached.queue.try_recv() {
            let _ = socket.send(Message::Text(hello.text().into())).await;
        }
        let _ = socket
            .send(Message::Text(response(seq, None, None).into()))
            .await;
    }
    let ctx = ConnContext {
        core,
        actor,
        connection_id: attached.connection_id.clone(),
    };
    realtime::drive(socket, attached, ctx, Arc::new(V4Actions)).await;
}

/// Waits for an `authentication_challenge`; any other action is refused,
/// and a bad token or the 5 s timeout closes the socket.
async fn authenticate_by_challenge(socket: &mut WebSocket, core: &Core) -> Option<(Actor, i64)> {
    let deadline = tokio::time::Instant::now() + AUTH_TIMEOUT;
    loop {
        let next = tokio::time::timeout_at(deadline, socket.recv()).await;
        let text = match next {
            Err(_) => {
                realtime::conn::close_with(socket, close::POLICY, "authentication timed out").await;
                return None;
            }
            Ok(Some(Ok(Message::Text(text)))) => text,
            Ok(Some(Ok(Message::Close(_)))) | Ok(Some(Err(_))) | Ok(None) => return None,
            Ok(Some(Ok(_))) => continue,
        };
        let Ok(frame) = serde_json::from_str::<ClientFrame>(text.as_str()) else {
            continue;
        };
        if frame.action != "authentication_challenge" {
            let error = MmError::new(
                axum::http::StatusCode::UNAUTHORIZED,
                "api.web_socket_router.not_authenticated.app_error",
                "The connection is not authenticated; send an authentication_challenge first.",
            );
            let reply = response(frame.seq, None, Some(&error));
            if socket.send(Message::Text(reply.into())).await.is_err() {
                return None;
            }
            continue;
        }
        let token = frame
            .data
            .get("token")
            .and_then(Value::as_str)
            .unwrap_or("");
        match core.authenticate(token).await {
            Ok(actor) => return Some((actor, frame.seq)),
            Err(_) => {
                realtime::conn::close_with(socket, close::POLICY, "invalid session token").await;
                return None;
            }
        }
    }
}
