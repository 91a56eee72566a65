//! `/mcp`: the Model Context Protocol over its Streamable HTTP transport, so
//! an AI assistant can read and write chat with one user's rights.
//!
//! The endpoint is stateless: each POST carries one JSON-RPC message and
//! gets one JSON answer (no session id, no server-sent stream; GET and
//! DELETE are not offered). Every request is authenticated by a personal
//! access token or session token as a bearer token; cookies are not taken,
//! so a web page cannot drive it with a visitor's session. Tool calls act
//! through the same services, and so the same permission checks, as the
//! REST routes; they are rate-limited per user and logged by name and
//! outcome only, never with their arguments or results.

mod protocol;
mod tools;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use serde_json::{json, Value};

use crate::services::Core;

/// The MCP routes.
pub fn router() -> Router<Core> {
    Router::new().route("/mcp", post(handle).get(not_offered).delete(not_offered))
}

/// No server-initiated stream and no sessions to end.
async fn not_offered() -> Response {
    let mut response = (
        StatusCode::METHOD_NOT_ALLOWED,
        Json(json!({"error": "this endpoint takes POST only"})),
    )
        .into_response();
    response
        .headers_mut()
        .insert(header::ALLOW, HeaderValue::from_static("POST"));
    response
}

fn unauthorized(reason: &str) -> Response {
    let mut response = (
        StatusCode::UNAUTHORIZED,
        Json(json!({"error": "unauthorized", "message": reason})),
    )
        .into_response();
    response.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static("Bearer realm=\"rustchat\""),
    );
    response
}

async fn handle(State(core): State<Core>, headers: HeaderMap, body: Bytes) -> Response {
    let Some(token) = crate::api::extract::bearer_token(&headers) else {
        return unauthorized("send a personal access token as Authorization: Bearer <token>");
    };
    let actor = match core.authenticate(token).await {
        Ok(actor) => actor,
        Err(crate::Error::Unauthorized(_) | crate::Error::LockedOut) => {
            return unauthorized("the token is not valid")
        }
        // The store is down, not the token: a client must not drop it.
        Err(e) => {
            let (status, _) = crate::api::error::status_of(&e);
            return (status, Json(json!({"error": e.to_string()}))).into_response();
        }
    };
    let decision = core.mcp_limiter.check(actor.id());
    if !decision.allowed {
        let mut response = (
            StatusCode::TOO_MANY_REQUESTS,
            Json(json!({"error": "rate_limited"})),
        )
            .into_response();
        crate::server::add_rate_limit_headers(&mut response, &decision);
        return response;
    }
    let message: Value = match serde_json::from_slice(&body) {
        Ok(message) => message,
        Err(e) => {
            return (
                StatusCode::BAD_REQUEST,
                Json(protocol::error(
                    Value::Null,
                    protocol::PARSE_ERROR,
                    &format!("not JSON: {e}"),
                )),
            )
                .into_response()
        }
    };
    let said = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(|v| v.trim().to_string())
    };
    let told = protocol::Headers {
        version: said("mcp-protocol-version"),
        method: said("mcp-method"),
        name: said("mcp-name"),
    };
    match protocol::answer(&core, &actor, &told, message).await {
        (status, Some(reply)) => (status, Json(reply)).into_response(),
        (status, None) => status.into_response(),
    }
}
