//! Finding: `page=100000000` on users and members read whole tables page by
//! page, and `offset + limit` overflowed on channel posts with `before` or
//! `after`. Pages past the end (or past what a number holds) are now empty
//! at once, and nothing overflows.

use axum::http::Method;
use serde_json::json;

use crate::support::{id, Backend};

async fn huge_pages_are_empty_and_never_overflow(backend: Backend) {
    let Some(app) = backend.app(crate::support::open_config()).await else {
        return;
    };
    let (_, token) = app.user("pager").await;
    let team = id(&app
        .team(
            &token,
            json!({"name": "t1", "display_name": "T", "type": "O"}),
        )
        .await);
    let channel = app.town_square(&token, &team).await;
    let (_, post, _) = app
        .call(
            &Method::POST,
            "/api/v4/posts",
            Some(&token),
            Some(&json!({"channel_id": channel, "message": "one"})),
        )
        .await;
    let post = id(&post);
    for page in ["100000000", "9223372036854775807", "46116860184273879"] {
        for path in [
            format!("/api/v4/users?page={page}&per_page=200"),
            format!("/api/v4/teams/{team}/members?page={page}&per_page=200"),
            format!("/api/v4/channels/{channel}/members?page={page}&per_page=200"),
        ] {
            let reply = app.get(&path, &token).await;
            assert_eq!(reply.status, 200, "{path}: {}", reply.json());
            assert_eq!(reply.json(), json!([]), "{path}");
        }
        for side in ["before", "after"] {
            let path =
                format!("/api/v4/channels/{channel}/posts?{side}={post}&page={page}&per_page=200");
            let reply = app.get(&path, &token).await;
            assert_eq!(reply.status, 200, "{path}: {}", reply.json());
            assert_eq!(reply.json()["order"], json!([]), "{path}");
        }
        let path = format!("/api/v4/channels/{channel}/posts?page={page}&per_page=200");
        let reply = app.get(&path, &token).await;
        assert_eq!(reply.status, 200, "{path}: {}", reply.json());
        assert_eq!(reply.json()["order"], json!([]), "{path}");
    }
    // A page within reach still answers.
    let first = app.get("/api/v4/users?page=0&per_page=200", &token).await;
    assert_eq!(first.json().as_array().map(Vec::len), Some(1));
    let negative = app.get("/api/v4/users?page=-5&per_page=-3", &token).await;
    assert_eq!(
        negative.status, 200,
        "bad numbers fall back to the defaults"
    );
}

on_both_backends!(huge_pages_are_empty_and_never_overflow);
