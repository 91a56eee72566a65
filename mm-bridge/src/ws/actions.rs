//! The actions a Mattermost client sends on an authenticated socket.

use std::collections::BTreeMap;

use async_trait::async_trait;
use axum::http::StatusCode;
use serde_json::{json, Value};

use core_server::realtime::{ConnContext, Protocol, Reply};

use super::{response, ClientFrame};
use crate::error::MmError;

/// Mattermost's v4 socket actions.
pub struct V4Actions;

fn fail(seq: i64, error: MmError) -> Reply {
    Reply::Text(response(seq, None, Some(&error)))
}

fn ok(seq: i64, data: Option<Value>) -> Reply {
    Reply::Text(response(seq, data, None))
}

fn bad_param(seq: i64, action: &str, name: &str) -> Reply {
    fail(
        seq,
        MmError::new(
            StatusCode::BAD_REQUEST,
            "api.websocket_handler.invalid_param.app_error",
            format!("Invalid {name} parameter for {action}."),
        ),
    )
}

fn statuses_map(statuses: Vec<core_server::model::Status>) -> Value {
    let map: BTreeMap<String, String> = statuses
        .into_iter()
        .map(|s| (s.user_id, s.status))
        .collect();
    json!(map)
}

#[async_trait]
impl Protocol for V4Actions {
    fn api(&self) -> &'static str {
        "v4"
    }

    async fn on_text(&self, ctx: &ConnContext, text: &str) -> Reply {
        let Ok(frame) = serde_json::from_str::<ClientFrame>(text) else {
            // Mattermost drops frames it cannot decode.
            return Reply::Nothing;
        };
        let seq = frame.seq;
        if frame.action.is_empty() {
            return fail(
                seq,
                MmError::new(
                    StatusCode::BAD_REQUEST,
                    "api.web_socket_router.no_action.app_error",
                    "No websocket action.",
                ),
            );
        }
        if seq <= 0 {
            return fail(
                seq,
                MmError::new(
                    StatusCode::BAD_REQUEST,
                    "api.web_socket_router.bad_seq.app_error",
                    "Invalid sequence for WebSocket message.",
                ),
            );
        }
        let core = &ctx.core;
        let actor = &ctx.actor;
        match frame.action.as_str() {
            // Mobile always sends it, even on a socket authenticated by header.
            "authentication_challenge" => Reply::Nothing,
            "ping" => ok(
                seq,
                Some(json!({
                    "text": "pong",
                    "version": super::encode::server_version(),
                    "server_time": core_server::time::now_ms(),
                    "node_id": "",
                })),
            ),
            "user_typing" => {
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
                match core.user_typing(actor, channel_id, parent_id).await {
                    Ok(()) => ok(seq, None),
                    Err(_) => bad_param(seq, "user_typing", "channel_id"),
                }
            }
            "user_update_active_status" => {
                match frame.data.get("user_is_active").and_then(Value::as_bool) {
                    Some(true) => {
                        core.presence_activity(actor.id()).await;
                        ok(seq, None)
                    }
                    Some(false) => ok(seq, None),
                    None => bad_param(seq, "user_update_active_status", "user_is_active"),
                }
            }
            "get_statuses" => match core.connected_statuses().await {
                Ok(statuses) => ok(seq, Some(statuses_map(statuses))),
                Err(e) => fail(seq, e.into()),
            },
            "get_statuses_by_ids" => {
                let ids: Vec<String> = frame
                    .data
                    .get("user_ids")
                    .and_then(Value::as_array)
                    .map(|a| {
                        a.iter()
                            .filter_map(|v| v.as_str().map(String::from))
                            .collect()
                    })
                    .unwrap_or_default();
                if ids.is_empty() {
                    return bad_param(seq, "get_statuses_by_ids", "user_ids");
                }
                match core.get_statuses(actor, &ids).await {
                    Ok(statuses) => ok(seq, Some(statuses_map(statuses))),
                    Err(_) => bad_param(seq, "get_statuses_by_ids", "user_ids"),
                }
            }
            // Which channel or thread the client shows, and webapp telemetry:
            // accepted, nothing to answer.
            "presence" | "posted_notify_ack" => {
                core.hub.touch(actor.id());
                ok(seq, None)
            }
            // Plugin actions; rustchat runs no plugins.
            action if action.starts_with("custom_") => Reply::Nothing,
            _ => fail(
                seq,
                MmError::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "api.web_socket_router.bad_action.app_error",
                    "Unknown WebSocket action.",
                ),
            ),
        }
    }
}
