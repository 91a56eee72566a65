//! MCP's JSON-RPC messages: the handshake (`initialize`), `ping`, and the
//! tools (`tools/list`, `tools/call`). Anything else is a method not found,
//! which is also how a client probing for a newer protocol era
//! (`server/discover`) learns to fall back to `initialize`.

use serde_json::{json, Value};

use super::tools;
use crate::services::{Actor, Core};

/// Protocol versions this endpoint speaks, newest first.
pub const VERSIONS: &[&str] = &["2025-11-25", "2025-06-18", "2025-03-26"];

pub const PARSE_ERROR: i64 = -32700;
pub const INVALID_REQUEST: i64 = -32600;
pub const METHOD_NOT_FOUND: i64 = -32601;
pub const INVALID_PARAMS: i64 = -32602;

/// A JSON-RPC error answer.
pub fn error(id: Value, code: i64, message: &str) -> Value {
    json!({"jsonrpc": "2.0", "id": id, "error": {"code": code, "message": message}})
}

fn result(id: Value, result: Value) -> Value {
    json!({"jsonrpc": "2.0", "id": id, "result": result})
}

/// The version both sides speak: the client's when known here, else the newest.
fn negotiated(params: &Value) -> &'static str {
    let asked = params
        .get("protocolVersion")
        .and_then(Value::as_str)
        .unwrap_or("");
    VERSIONS
        .iter()
        .find(|v| **v == asked)
        .copied()
        .unwrap_or(VERSIONS[0])
}

fn initialized(params: &Value) -> Value {
    json!({
        "protocolVersion": negotiated(params),
        "capabilities": {"tools": {"listChanged": false}},
        "serverInfo": {
            "name": "rustchat",
            "title": "rustchat",
            "version": env!("CARGO_PKG_VERSION"),
        },
        "instructions": "Tools to read and write this chat server's channels, threads and \
            messages as the user whose token you hold. Channel and post ids are 26-character ids; \
            list_channels gives the channels you may use.",
    })
}

/// The answer to one message; `None` for notifications and responses.
pub async fn answer(core: &Core, actor: &Actor, message: Value) -> Option<Value> {
    if message.is_array() {
        return Some(error(
            Value::Null,
            INVALID_REQUEST,
            "batches are not supported: send one message per request",
        ));
    }
    let Some(method) = message.get("method").and_then(Value::as_str) else {
        // A response to something the server asked: it asks nothing.
        return if message.get("id").is_some() && message.get("jsonrpc").is_some() {
            None
        } else {
            Some(error(
                Value::Null,
                INVALID_REQUEST,
                "not a JSON-RPC message",
            ))
        };
    };
    let id = message.get("id").cloned()?;
    let params = message.get("params").cloned().unwrap_or(Value::Null);
    Some(match method {
        "initialize" => result(id, initialized(&params)),
        "ping" => result(id, json!({})),
        "tools/list" => result(id, json!({"tools": tools::catalogue()})),
        "tools/call" => {
            let Some(name) = params.get("name").and_then(Value::as_str) else {
                return Some(error(id, INVALID_PARAMS, "params.name is missing"));
            };
            if !tools::exists(name) {
                return Some(error(id, INVALID_PARAMS, &format!("unknown tool: {name}")));
            }
            let arguments = params.get("arguments").cloned().unwrap_or(json!({}));
            result(id, tools::call(core, actor, name, &arguments).await)
        }
        other => error(id, METHOD_NOT_FOUND, &format!("method not found: {other}")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_version_is_the_clients_when_known() {
        assert_eq!(
            negotiated(&json!({"protocolVersion": "2025-06-18"})),
            "2025-06-18"
        );
        assert_eq!(
            negotiated(&json!({"protocolVersion": "1999-01-01"})),
            VERSIONS[0]
        );
        assert_eq!(negotiated(&Value::Null), VERSIONS[0]);
    }
}
