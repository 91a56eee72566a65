//! Bad input: each representative bad request gets a 4xx JSON error
//! naming the problem.

use axum::http::{Method, StatusCode};
use serde_json::json;

use crate::fixtures::{team, GET, PATCH, POST, PUT};
use crate::support::{Ctx, Http};

/// Each representative bad request gets a 4xx JSON error naming the problem.
pub async fn bad_input_is_a_clear_4xx(ctx: Ctx) {
    let http = Http::new(&ctx.core);
    let (alice_id, alice) = http.user("alice").await;
    let (team_id, town) = team(&http, &alice, "eng").await;
    let long = "x".repeat(20_000);
    let unknown = core_server::id::new_id();
    let cases: Vec<(Method, String, Option<String>, StatusCode, &str)> = vec![
        // users
        (
            POST,
            "/api/v1/users".into(),
            Some("{not json".into()),
            StatusCode::BAD_REQUEST,
            "body",
        ),
        (
            POST,
            "/api/v1/users".into(),
            Some(json!({"username": "zed", "email": "z@e.com"}).to_string()),
            StatusCode::BAD_REQUEST,
            "password",
        ),
        (
            POST,
            "/api/v1/users".into(),
            Some(json!({"username": 7, "email": "z@e.com", "password": "password1"}).to_string()),
            StatusCode::BAD_REQUEST,
            "username",
        ),
        (
            POST,
            "/api/v1/users".into(),
            Some(
                json!({"username": "a".repeat(100), "email": "z@e.com", "password": "password1"})
                    .to_string(),
            ),
            StatusCode::BAD_REQUEST,
            "username",
        ),
        (
            POST,
            "/api/v1/users".into(),
            Some(json!({"username": "zed", "email": "nope", "password": "password1"}).to_string()),
            StatusCode::BAD_REQUEST,
            "email",
        ),
        (
            POST,
            "/api/v1/users".into(),
            Some(json!({"username": "zed", "email": "z@e.com", "password": "short"}).to_string()),
            StatusCode::BAD_REQUEST,
            "password",
        ),
        (
            POST,
            "/api/v1/users".into(),
            Some(
                json!({"username": "alice", "email": "z@e.com", "password": "password1"})
                    .to_string(),
            ),
            StatusCode::CONFLICT,
            "username",
        ),
        (
            GET,
            format!("/api/v1/users/{unknown}"),
            None,
            StatusCode::NOT_FOUND,
            "",
        ),
        (
            GET,
            "/api/v1/users/not-an-id".into(),
            None,
            StatusCode::BAD_REQUEST,
            "user_id",
        ),
        (
            PATCH,
            format!("/api/v1/users/{alice_id}"),
            Some(json!({"nickname": long}).to_string()),
            StatusCode::BAD_REQUEST,
            "nickname",
        ),
        // A NUL character (which PostgreSQL cannot store) is refused on
        // every backend, naming the field.
        (
            PATCH,
            format!("/api/v1/users/{alice_id}"),
            Some(json!({"nickname": "a\u{0}b"}).to_string()),
            StatusCode::BAD_REQUEST,
            "nickname",
        ),
        (
            PATCH,
            format!("/api/v1/teams/{team_id}"),
            Some(json!({"allowed_domains": "%00\u{0}\u{202e}"}).to_string()),
            StatusCode::BAD_REQUEST,
            "allowed_domains",
        ),
        (
            GET,
            "/api/v1/users?limit=0".into(),
            None,
            StatusCode::BAD_REQUEST,
            "limit",
        ),
        (
            GET,
            "/api/v1/users?limit=201".into(),
            None,
            StatusCode::BAD_REQUEST,
            "limit",
        ),
        (
            GET,
            "/api/v1/users?limit=abc".into(),
            None,
            StatusCode::BAD_REQUEST,
            "query",
        ),
        (
            GET,
            "/api/v1/users?cursor=zzz".into(),
            None,
            StatusCode::BAD_REQUEST,
            "cursor",
        ),
        (
            POST,
            "/api/v1/auth/login".into(),
            Some(json!({"login_id": "alice"}).to_string()),
            StatusCode::BAD_REQUEST,
            "password",
        ),
        // teams
        (
            POST,
            "/api/v1/teams".into(),
            Some(json!({"name": "Bad Name", "display_name": "x"}).to_string()),
            StatusCode::BAD_REQUEST,
            "name",
        ),
        (
            POST,
            "/api/v1/teams".into(),
            Some(json!({"name": "ok-name", "display_name": long}).to_string()),
            StatusCode::BAD_REQUEST,
            "display_name",
        ),
        (
            POST,
            "/api/v1/teams".into(),
            Some(json!({"name": "eng", "display_name": "dup"}).to_string()),
            StatusCode::CONFLICT,
            "name",
        ),
        (
            POST,
            "/api/v1/teams".into(),
            Some(json!({"name": "ok-name", "display_name": "x", "type": "Z"}).to_string()),
            StatusCode::BAD_REQUEST,
            "type",
        ),
        (
            GET,
            format!("/api/v1/teams/{unknown}"),
            None,
            StatusCode::NOT_FOUND,
            "",
        ),
        (
            GET,
            format!("/api/v1/teams/{team_id}/members?limit=-1"),
            None,
            StatusCode::BAD_REQUEST,
            "limit",
        ),
        // channels
        (
            POST,
            format!("/api/v1/teams/{team_id}/channels"),
            Some(json!({"name": "x", "display_name": "x", "type": "D"}).to_string()),
            StatusCode::BAD_REQUEST,
            "type",
        ),
        (
            POST,
            format!("/api/v1/teams/{team_id}/channels"),
            Some(json!({"name": "x", "display_name": "x", "header": long}).to_string()),
            StatusCode::BAD_REQUEST,
            "header",
        ),
        (
            POST,
            format!("/api/v1/teams/{team_id}/channels"),
            Some(json!({"name": "town-square", "display_name": "again"}).to_string()),
            StatusCode::CONFLICT,
            "name",
        ),
        (
            GET,
            format!("/api/v1/channels/{unknown}"),
            None,
            StatusCode::NOT_FOUND,
            "",
        ),
        (
            POST,
            "/api/v1/channels/group".into(),
            Some(json!({"user_ids": [alice_id]}).to_string()),
            StatusCode::BAD_REQUEST,
            "user_ids",
        ),
        (
            POST,
            "/api/v1/channels/direct".into(),
            Some(json!({"user_id": unknown}).to_string()),
            StatusCode::NOT_FOUND,
            "",
        ),
        // posts
        (
            POST,
            format!("/api/v1/channels/{town}/posts"),
            Some(json!({"message": long}).to_string()),
            StatusCode::BAD_REQUEST,
            "message",
        ),
        (
            POST,
            format!("/api/v1/channels/{town}/posts"),
            Some(json!({"message": "  "}).to_string()),
            StatusCode::BAD_REQUEST,
            "message",
        ),
        (
            POST,
            format!("/api/v1/channels/{town}/posts"),
            Some(json!({"message": "hi", "root_id": unknown}).to_string()),
            StatusCode::BAD_REQUEST,
            "root_id",
        ),
        (
            POST,
            format!("/api/v1/channels/{town}/posts"),
            Some(json!({"message": "hi", "props": []}).to_string()),
            StatusCode::BAD_REQUEST,
            "props",
        ),
        (
            POST,
            format!("/api/v1/channels/{town}/posts"),
            Some(json!({"message": ["hi"]}).to_string()),
            StatusCode::BAD_REQUEST,
            "message",
        ),
        (
            GET,
            format!("/api/v1/channels/{town}/posts?cursor={unknown}"),
            None,
            StatusCode::BAD_REQUEST,
            "cursor",
        ),
        (
            GET,
            format!("/api/v1/channels/{town}/posts?limit=1000"),
            None,
            StatusCode::BAD_REQUEST,
            "limit",
        ),
        (
            GET,
            format!("/api/v1/posts/{unknown}"),
            None,
            StatusCode::NOT_FOUND,
            "",
        ),
        (
            PUT,
            format!("/api/v1/posts/{unknown}/reactions/tada"),
            None,
            StatusCode::NOT_FOUND,
            "",
        ),
        // preferences and status
        (
            PUT,
            "/api/v1/users/me/preferences".into(),
            Some(json!([]).to_string()),
            StatusCode::BAD_REQUEST,
            "preferences",
        ),
        (
            PUT,
            "/api/v1/users/me/status".into(),
            Some(json!({"status": "sleeping"}).to_string()),
            StatusCode::BAD_REQUEST,
            "status",
        ),
        // oversize body
        (
            POST,
            format!("/api/v1/channels/{town}/posts"),
            Some(json!({"message": "x".repeat(400_000)}).to_string()),
            StatusCode::PAYLOAD_TOO_LARGE,
            "body",
        ),
        (
            GET,
            "/api/v1/no/such/route".into(),
            None,
            StatusCode::NOT_FOUND,
            "",
        ),
    ];
    for (method, path, body, expected, field) in cases {
        let (status, err) = http.raw(method.clone(), &path, Some(&alice), body).await;
        assert_eq!(status, expected, "{method} {path}: {err}");
        assert!(
            err["code"].is_string() && err["message"].is_string(),
            "{method} {path}: error body {err}"
        );
        if !field.is_empty() {
            assert_eq!(err["field"], field, "{method} {path}: {err}");
        }
    }
}
