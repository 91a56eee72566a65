//! `/api/v1/ws`: the native event stream for the web app. Events are the
//! core's own `{"type", "data"}` records plus a per-connection `seq`; the
//! same hub, resumption (`connection_id` + `sequence_number`) and limits as
//! the Mattermost socket. Browsers cannot set headers on a WebSocket, so a
//! socket may authenticate with a first `{"action":"authenticate"}` frame.

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Query, State};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{json, Value};

use super::error::ApiError;
use crate::events::{Audience, CoreEvent, EventKind};
use crate::realtime::{
    self, close, AttachError, ConnContext, Frame, Protocol, Reply, Resume, WireFormat,
};
use crate::services::{Actor, Core};

const AUTH_TIMEOUT: Duration = Duration::from_secs(5);
const MAX_CLIENT_FRAME: usize = 8 * 1024;

/// The native wire: core events as they are.
pub struct V1Wire;

impl WireFormat for V1Wire {
    fn name(&self) -> &'static str {
        "v1"
    }

    fn hello(&self, connection_id: &str, user_id: &str) -> Frame {
        Frame::from_object(&json!({
            "type": "hello",
            "data": {"connection_id": connection_id, "user_id": user_id, "server_version": env!("CARGO_PKG_VERSION")},
        }))
    }

    fn encode(&self, event: &CoreEvent, admin: bool) -> Option<Frame> {
        let kind = match &event.kind {
            EventKind::SessionRevoked { .. } => return None,
            // Others see a user without their private fields.
            EventKind::UserUpdated { user } => {
                let own = matches!(&event.audience, Audience::User(id) if *id == user.id);
                if own || admin {
                    event.kind.clone()
                } else {
                    EventKind::UserUpdated {
                        user: user.clone().public_profile(),
                    }
                }
            }
            other => other.clone(),
        };
        serde_json::to_value(&kind)
            .ok()
            .map(|v| Frame::from_object(&v))
    }
}

#[derive(Deserialize)]
pub struct WsQuery {
    connection_id: Option<String>,
    sequence_number: Option<i64>,
}

#[derive(Deserialize)]
struct ClientFrame {
    #[serde(default)]
    seq: i64,
    #[serde(default)]
    action: String,
    #[serde(default)]
    data: Value,
}

fn reply(seq: i64, result: Result<Option<Value>, crate::Error>) -> String {
    match result {
        Ok(data) => json!({"seq_reply": seq, "ok": true, "data": data}).to_string(),
        Err(e) => {
            let body = ApiError::from(e);
            json!({"seq_reply": seq, "ok": false, "error": body.body}).to_string()
        }
    }
}

/// `GET /api/v1/ws`
pub async fn upgrade(
    State(core): State<Core>,
    Query(q): Query<WsQuery>,
    parts: Parts,
    ws: Result<WebSocketUpgrade, axum::extract::ws::rejection::WebSocketUpgradeRejection>,
) -> Response {
    let Ok(ws) = ws else {
        return ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid",
            "expected a WebSocket upgrade",
        )
        .into_response();
    };
    if !realtime::origin::origin_allowed(
        &parts.headers,
        core.config().site_url.as_deref(),
        &core.config().allow_cors_from,
    ) {
        return ApiError::from(crate::Error::forbidden(
            "this page's origin may not open a socket here (see allow_cors_from)",
        ))
        .into_response();
    }
    let resume = match q.connection_id.filter(|c| !c.is_empty()) {
        None => None,
        Some(id) if crate::id::is_valid_id(&id) => match q.sequence_number {
            Some(n) if n >= 0 => Some(Resume {
                connection_id: id,
                next_seq: n,
            }),
            _ => {
                return ApiError::from(crate::Error::invalid(
                    "sequence_number",
                    "is required with connection_id and must be 0 or more",
                ))
                .into_response()
            }
        },
        Some(_) => {
            return ApiError::from(crate::Error::invalid("connection_id", "is not a valid id"))
                .into_response()
        }
    };
    let actor = match super::extract::bearer_token(&parts.headers) {
        Some(token) => match core.authenticate(token).await {
            Ok(actor) => Some(actor),
            Err(e) => return ApiError::from(e).into_response(),
        },
        None => None,
    };
    ws.read_buffer_size(crate::realtime::conn::READ_BUFFER)
        .write_buffer_size(crate::realtime::conn::WRITE_BUFFER)
        .max_message_size(MAX_CLIENT_FRAME)
        .max_frame_size(MAX_CLIENT_FRAME)
        .on_upgrade(move |socket| run(socket, core, actor, resume))
}

async fn run(mut socket: WebSocket, core: Core, actor: Option<Actor>, resume: Option<Resume>) {
    let actor = match actor {
        Some(a) => a,
        None => match authenticate(&mut socket, &core).await {
            Some(a) => a,
            None => return,
        },
    };
    let attached = match core.realtime_attach(&actor, Arc::new(V1Wire), resume).await {
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
    let ctx = ConnContext {
        core,
        actor,
        connection_id: attached.connection_id.clone(),
    };
    realtime::drive(socket, attached, ctx, Arc::new(V1Actions)).await;
}

async fn authenticate(socket: &mut WebSocket, core: &Core) -> Option<Actor> {
    let first = tokio::time::timeout(AUTH_TIMEOUT, socket.recv()).await;
    let Ok(Some(Ok(Message::Text(text)))) = first else {
        realtime::conn::close_with(socket, close::POLICY, "authenticate first").await;
        return None;
    };
    let frame: Option<ClientFrame> = serde_json::from_str(text.as_str()).ok();
    let token = frame
        .as_ref()
        .filter(|f| f.action == "authenticate")
        .and_then(|f| {
            f.data
                .get("token")
                .and_then(Value::as_str)
                .map(String::from)
        });
    match token {
        Some(token) => match core.authenticate(&token).await {
            Ok(actor) => {
                let seq = frame.map_or(0, |f| f.seq);
                let _ = socket
                    .send(Message::Text(reply(seq, Ok(None)).into()))
                    .await;
                Some(actor)
            }
            Err(_) => {
                realtime::conn::close_with(socket, close::POLICY, "invalid session token").await;
                None
            }
        },
        None => {
            realtime::conn::close_with(socket, close::POLICY, "authenticate first").await;
            None
        }
    }
}

/// The native socket's actions: `ping`, `typing`, `active`.
struct V1Actions;

#[async_trait]
impl Protocol for V1Actions {
    fn api(&self) -> &'static str {
        "v1"
    }

    async fn on_text(&self, ctx: &ConnContext, text: &str) -> Reply {
        let Ok(frame) = serde_json::from_str::<ClientFrame>(text) else {
            return Reply::Text(reply(
                0,
                Err(crate::Error::invalid("frame", "is not a JSON action")),
            ));
        };
        let result = match frame.action.as_str() {
            "ping" => Ok(Some(
                json!({"pong": true, "server_time": crate::time::now_ms()}),
            )),
            "typing" => {
                let channel_id = frame
                    .data
                    .get("channel_id")
                    .and_then(Value::as_str)
                    .unwrap_or("");
                let parent_id = frame
                    .data
                    .get("parent_id")
                    .and_then(Value::as_str)
                    .unwrap_or("");
                ctx.core
                    .user_typing(&ctx.actor, channel_id, parent_id)
                    .await
                    .map(|()| None)
            }
            "active" => {
                ctx.core.presence_activity(ctx.actor.id()).await;
                Ok(None)
            }
            "authenticate" => Ok(None),
            _ => Err(crate::Error::invalid(
                "action",
                "must be ping, typing or active",
            )),
        };
        Reply::Text(reply(frame.seq, result))
    }
}
