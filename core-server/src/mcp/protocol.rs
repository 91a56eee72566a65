//! MCP's JSON-RPC messages, in both of the protocol's eras.
//!
//! - The handshake era (2025-11-25 and before): `initialize`, then `ping`,
//!   `tools/list` and `tools/call`. Requests carry no version until the
//!   handshake, then `MCP-Protocol-Version` with the version agreed.
//! - The 2026-07-28 era: no handshake. Every request says its version in
//!   the `MCP-Protocol-Version` header and in `params._meta`, names its
//!   method (and tool) in headers, and every result says it is complete;
//!   `server/discover` replaces `initialize`, and lists say how long they
//!   may be cached.
//!
//! The era is read from the header. A handshake-era client that probes with
//! `server/discover` without that header gets "method not found" and falls
//! back to `initialize`, as the protocol intends.

use axum::http::StatusCode;
use serde_json::{json, Value};

use super::tools;
use crate::services::{Actor, Core};

/// Handshake-era versions this endpoint speaks, newest first.
pub const VERSIONS: &[&str] = &["2025-11-25", "2025-06-18", "2025-03-26"];
/// The version of the era without a handshake.
pub const MODERN: &str = "2026-07-28";

pub const PARSE_ERROR: i64 = -32700;
pub const INVALID_REQUEST: i64 = -32600;
pub const METHOD_NOT_FOUND: i64 = -32601;
pub const INVALID_PARAMS: i64 = -32602;
/// A header disagrees with the body (2026-07-28).
pub const HEADER_MISMATCH: i64 = -32020;
/// The requested version is not spoken here (2026-07-28).
pub const UNSUPPORTED_VERSION: i64 = -32022;

const META_VERSION: &str = "io.modelcontextprotocol/protocolVersion";
const META_CAPABILITIES: &str = "io.modelcontextprotocol/clientCapabilities";
const META_SERVER: &str = "io.modelcontextprotocol/serverInfo";

const INSTRUCTIONS: &str = "Tools to read and write this chat server's channels, threads and \
    messages as the user whose token you hold. Channel and post ids are 26-character ids; \
    list_channels gives the channels you may use.";

/// What the request's headers say of it.
#[derive(Debug, Clone, Default)]
pub struct Headers {
    /// `MCP-Protocol-Version`.
    pub version: Option<String>,
    /// `Mcp-Method`.
    pub method: Option<String>,
    /// `Mcp-Name`.
    pub name: Option<String>,
}

/// An answer: its HTTP status and body (none for notifications).
pub type Reply = (StatusCode, Option<Value>);

/// A JSON-RPC error answer.
pub fn error(id: Value, code: i64, message: &str) -> Value {
    json!({"jsonrpc": "2.0", "id": id, "error": {"code": code, "message": message}})
}

fn result(id: Value, result: Value) -> Value {
    json!({"jsonrpc": "2.0", "id": id, "result": result})
}

fn server_info() -> Value {
    json!({"name": "rustchat", "title": "rustchat", "version": env!("CARGO_PKG_VERSION")})
}

/// The HTTP status of a JSON-RPC error in the 2026-07-28 era.
fn modern_status(code: i64) -> StatusCode {
    match code {
        METHOD_NOT_FOUND => StatusCode::NOT_FOUND,
        PARSE_ERROR | INVALID_REQUEST | INVALID_PARAMS | HEADER_MISMATCH | -32021
        | UNSUPPORTED_VERSION => StatusCode::BAD_REQUEST,
        _ => StatusCode::OK,
    }
}

/// The handshake version both sides speak: the client's when known here, else the newest.
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

/// The answer to one message.
pub async fn answer(core: &Core, actor: &Actor, headers: &Headers, message: Value) -> Reply {
    if message.is_array() {
        let refusal = error(
            Value::Null,
            INVALID_REQUEST,
            "batches are not supported: send one message per request",
        );
        return (StatusCode::BAD_REQUEST, Some(refusal));
    }
    let Some(method) = message.get("method").and_then(Value::as_str) else {
        // A response to something the server asked: it asks nothing.
        return if message.get("id").is_some() && message.get("jsonrpc").is_some() {
            (StatusCode::ACCEPTED, None)
        } else {
            let refusal = error(Value::Null, INVALID_REQUEST, "not a JSON-RPC message");
            (StatusCode::BAD_REQUEST, Some(refusal))
        };
    };
    // Notifications are taken without an answer.
    let id = match message.get("id") {
        None => return (StatusCode::ACCEPTED, None),
        Some(id @ (Value::String(_) | Value::Number(_))) => id.clone(),
        Some(_) => {
            let refusal = error(
                Value::Null,
                INVALID_REQUEST,
                "id must be a string or a number",
            );
            return (StatusCode::BAD_REQUEST, Some(refusal));
        }
    };
    let params = message.get("params").cloned().unwrap_or(Value::Null);
    match headers.version.as_deref() {
        Some(version) if !VERSIONS.contains(&version) && version != "2024-11-05" => {
            modern(core, actor, headers, version, method, id, &params).await
        }
        _ => (
            StatusCode::OK,
            Some(handshake_era(core, actor, method, id, &params).await),
        ),
    }
}

async fn handshake_era(
    core: &Core,
    actor: &Actor,
    method: &str,
    id: Value,
    params: &Value,
) -> Value {
    match method {
        "initialize" => result(
            id,
            json!({
                "protocolVersion": negotiated(params),
                "capabilities": {"tools": {"listChanged": false}},
                "serverInfo": server_info(),
                "instructions": INSTRUCTIONS,
            }),
        ),
        "ping" => result(id, json!({})),
        "tools/list" => result(id, json!({"tools": tools::catalogue()})),
        "tools/call" => match call_tool(core, actor, params).await {
            Ok(outcome) => result(id, outcome),
            Err((code, message)) => error(id, code, &message),
        },
        other => error(id, METHOD_NOT_FOUND, &format!("method not found: {other}")),
    }
}

async fn call_tool(core: &Core, actor: &Actor, params: &Value) -> Result<Value, (i64, String)> {
    let Some(name) = params.get("name").and_then(Value::as_str) else {
        return Err((INVALID_PARAMS, "params.name is missing".into()));
    };
    if !tools::exists(name) {
        return Err((INVALID_PARAMS, format!("unknown tool: {name}")));
    }
    let arguments = params.get("arguments").cloned().unwrap_or(json!({}));
    Ok(tools::call(core, actor, name, &arguments).await)
}

/// Checks a 2026-07-28 request's `_meta` and headers against its body.
fn check_modern(
    headers: &Headers,
    version: &str,
    method: &str,
    params: &Value,
) -> Result<(), (i64, String)> {
    let meta = params.get("_meta").and_then(Value::as_object);
    let Some(meta) =
        meta.filter(|m| m.contains_key(META_VERSION) && m.contains_key(META_CAPABILITIES))
    else {
        return Err((
            INVALID_PARAMS,
            format!("params._meta must name {META_VERSION} and {META_CAPABILITIES}"),
        ));
    };
    if meta.get(META_VERSION).and_then(Value::as_str) != Some(version) {
        return Err((
            HEADER_MISMATCH,
            "MCP-Protocol-Version differs from params._meta".into(),
        ));
    }
    if headers.method.as_deref() != Some(method) {
        return Err((
            HEADER_MISMATCH,
            "Mcp-Method differs from the request's method".into(),
        ));
    }
    if method == "tools/call" {
        let name = params.get("name").and_then(Value::as_str);
        if headers.name.as_deref() != name {
            return Err((HEADER_MISMATCH, "Mcp-Name differs from params.name".into()));
        }
    }
    Ok(())
}

async fn modern(
    core: &Core,
    actor: &Actor,
    headers: &Headers,
    version: &str,
    method: &str,
    id: Value,
    params: &Value,
) -> Reply {
    let fail =
        |id: Value, code: i64, message: &str| (modern_status(code), Some(error(id, code, message)));
    if version != MODERN {
        let mut refusal = error(
            id,
            UNSUPPORTED_VERSION,
            &format!("protocol version {version} is not supported"),
        );
        refusal["error"]["data"] = json!({"supported": [MODERN], "requested": version});
        return (StatusCode::BAD_REQUEST, Some(refusal));
    }
    if let Err((code, message)) = check_modern(headers, version, method, params) {
        return fail(id, code, &message);
    }
    let meta = json!({META_SERVER: server_info()});
    let mut outcome = match method {
        "server/discover" => json!({
            "supportedVersions": [MODERN],
            "capabilities": {"tools": {"listChanged": false}},
            "instructions": INSTRUCTIONS,
            "ttlMs": 0,
            "cacheScope": "private",
        }),
        // The list depends on nobody, but a user's client should not share it.
        "tools/list" => json!({"tools": tools::catalogue(), "ttlMs": 0, "cacheScope": "private"}),
        "tools/call" => match call_tool(core, actor, params).await {
            Ok(outcome) => outcome,
            Err((code, message)) => return fail(id, code, &message),
        },
        other => return fail(id, METHOD_NOT_FOUND, &format!("method not found: {other}")),
    };
    outcome["resultType"] = json!("complete");
    outcome["_meta"] = meta;
    (StatusCode::OK, Some(result(id, outcome)))
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

    fn modern_headers(method: &str, name: Option<&str>) -> Headers {
        Headers {
            version: Some(MODERN.into()),
            method: Some(method.into()),
            name: name.map(str::to_string),
        }
    }

    #[test]
    fn modern_requests_must_agree_with_their_headers() {
        let meta = json!({META_VERSION: MODERN, META_CAPABILITIES: {}});
        let call = json!({"name": "get_user", "_meta": meta});
        assert!(check_modern(
            &modern_headers("tools/call", Some("get_user")),
            MODERN,
            "tools/call",
            &call
        )
        .is_ok());
        let wrong_name = check_modern(
            &modern_headers("tools/call", Some("post_message")),
            MODERN,
            "tools/call",
            &call,
        );
        assert_eq!(wrong_name.map_err(|e| e.0), Err(HEADER_MISMATCH));
        let wrong_method = check_modern(
            &modern_headers("tools/list", None),
            MODERN,
            "tools/call",
            &call,
        );
        assert_eq!(wrong_method.map_err(|e| e.0), Err(HEADER_MISMATCH));
        let no_meta = check_modern(
            &modern_headers("tools/list", None),
            MODERN,
            "tools/list",
            &json!({}),
        );
        assert_eq!(no_meta.map_err(|e| e.0), Err(INVALID_PARAMS));
        assert_eq!(modern_status(METHOD_NOT_FOUND), StatusCode::NOT_FOUND);
        assert_eq!(modern_status(HEADER_MISMATCH), StatusCode::BAD_REQUEST);
    }
}
