//! What the tests share beyond the support module: short names for the
//! methods, and a team, a post and the caller as the native API makes them.

use axum::http::{Method, StatusCode};
use serde_json::{json, Value};

use crate::support::{s, Http};

pub const GET: Method = Method::GET;
pub const POST: Method = Method::POST;
pub const PUT: Method = Method::PUT;
pub const PATCH: Method = Method::PATCH;
pub const DELETE: Method = Method::DELETE;

/// Creates a team as `token` and returns (team id, town-square id).
pub async fn team(http: &Http, token: &str, name: &str) -> (String, String) {
    let (status, team) = http
        .call(
            POST,
            "/api/v1/teams",
            Some(token),
            Some(json!({"name": name, "display_name": name})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{team}");
    let id = s(&team, "id");
    let (status, ts) = http
        .call(
            GET,
            &format!("/api/v1/teams/{id}/channels/name/town-square"),
            Some(token),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{ts}");
    (id, s(&ts, "id"))
}

/// Posts `message` in a channel as `token`; returns the post.
pub async fn post(http: &Http, token: &str, channel: &str, message: &str) -> Value {
    let (status, p) = http
        .call(
            POST,
            &format!("/api/v1/channels/{channel}/posts"),
            Some(token),
            Some(json!({"message": message})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{p}");
    p
}

/// The caller's own user record.
pub async fn me_id(http: &Http, token: &str) -> Value {
    http.call(GET, "/api/v1/users/me", Some(token), None)
        .await
        .1
}
