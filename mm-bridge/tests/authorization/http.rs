//! The HTTP conventions of v4: errors in Mattermost's body shape (and the
//! statuses it uses), ETags that answer 304 until the data changes, and rate
//! limits with Mattermost's headers.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use serde_json::json;

use crate::support::{id, App};

#[tokio::test]
async fn bad_input_gets_mattermost_error_bodies() {
    let app = App::new().await;
    let (_, token) = app.user("alice").await;
    let unknown = core_server::id::new_id();
    let cases: Vec<(Method, String, Option<&str>, StatusCode)> = vec![
        (
            Method::POST,
            "/api/v4/posts".into(),
            Some("{not json"),
            StatusCode::BAD_REQUEST,
        ),
        (
            Method::POST,
            "/api/v4/posts".into(),
            Some(r#"{"channel_id": 5, "message": "x"}"#),
            StatusCode::BAD_REQUEST,
        ),
        (
            Method::POST,
            "/api/v4/teams".into(),
            Some(r#"{"name": "x"}"#),
            StatusCode::BAD_REQUEST,
        ),
        (
            Method::GET,
            format!("/api/v4/posts/{unknown}"),
            None,
            StatusCode::NOT_FOUND,
        ),
        (
            Method::GET,
            format!("/api/v4/channels/{unknown}"),
            None,
            StatusCode::NOT_FOUND,
        ),
        (
            Method::GET,
            format!("/api/v4/teams/{unknown}"),
            None,
            StatusCode::NOT_FOUND,
        ),
        (
            Method::GET,
            format!("/api/v4/users/{unknown}"),
            None,
            StatusCode::NOT_FOUND,
        ),
        (
            Method::GET,
            "/api/v4/users/not-an-id".into(),
            None,
            StatusCode::BAD_REQUEST,
        ),
        (
            Method::GET,
            "/api/v4/config/client".into(),
            None,
            StatusCode::NOT_IMPLEMENTED,
        ),
        (
            Method::GET,
            "/api/v4/config/client?format=new".into(),
            None,
            StatusCode::BAD_REQUEST,
        ),
        (
            Method::GET,
            "/api/v4/no/such/route".into(),
            None,
            StatusCode::NOT_IMPLEMENTED,
        ),
    ];
    for (method, path, body, expected) in cases {
        let mut req = Request::builder()
            .method(method.clone())
            .uri(&path)
            .header("authorization", format!("Bearer {token}"));
        if body.is_some() {
            req = req.header("content-type", "application/json");
        }
        let req = req
            .body(
                body.map(|b| Body::from(b.to_string()))
                    .unwrap_or_else(Body::empty),
            )
            .expect("request");
        let reply = app.request(req).await;
        let (status, content_type, err) =
            (reply.status, reply.header("content-type"), reply.json());
        assert_eq!(status, expected, "{method} {path}: {err}");
        assert_eq!(content_type, "application/json", "{method} {path}");
        for key in [
            "id",
            "message",
            "detailed_error",
            "request_id",
            "status_code",
        ] {
            assert!(!err[key].is_null(), "{method} {path}: no {key} in {err}");
        }
        assert_eq!(err["status_code"], expected.as_u16());
        assert_eq!(err["request_id"].as_str().map(str::len), Some(26), "{err}");
    }
    // per_page above 200 is capped, not refused.
    let (status, users, _) = app
        .call(
            &Method::GET,
            "/api/v4/users?per_page=1000",
            Some(&token),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(users.as_array().is_some());
    // An oversize body is a 413 in Mattermost's shape.
    let huge = json!({"channel_id": unknown, "message": "x".repeat(400_000)});
    let (status, err, _) = app
        .call(&Method::POST, "/api/v4/posts", Some(&token), Some(&huge))
        .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{err}");
    assert_eq!(err["status_code"], 413);
    // So are the routes that read their body raw (not as JSON).
    for path in [
        "/api/v4/notifications/ack".to_string(),
        format!("/api/v4/posts/{unknown}/actions/{unknown}"),
        "/api/v4/actions/dialogs/open".to_string(),
        format!("/api/v4/teams/{unknown}/invite/email"),
    ] {
        let (status, err, _) = app
            .call(&Method::POST, &path, Some(&token), Some(&huge))
            .await;
        assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{path}: {err}");
        assert_eq!(
            err["id"], "api.context.request_too_large.app_error",
            "{path}: {err}"
        );
    }
}

#[tokio::test]
async fn etags_answer_304_until_the_data_changes() {
    let app = App::new().await;
    let (me, token) = app.user("etag").await;
    let team = app
        .team(&token, json!({"name": "et", "display_name": "Et"}))
        .await;
    let town = app.town_square(&token, &id(&team)).await;
    let (_, post, _) = app
        .call(
            &Method::POST,
            "/api/v4/posts",
            Some(&token),
            Some(&json!({"channel_id": town, "message": "v1"})),
        )
        .await;
    let post = id(&post);

    for path in [
        format!("/api/v4/posts/{post}"),
        format!("/api/v4/channels/{town}/posts"),
        format!("/api/v4/users/{me}"),
    ] {
        let get = |etag: Option<String>| {
            let mut req = Request::builder()
                .method(Method::GET)
                .uri(&path)
                .header("authorization", format!("Bearer {token}"));
            if let Some(tag) = etag {
                req = req.header("if-none-match", tag);
            }
            app.request(req.body(Body::empty()).expect("request"))
        };
        let first = get(None).await;
        assert_eq!(first.status, StatusCode::OK, "{path}");
        let tag = first
            .headers
            .get("etag")
            .and_then(|v| v.to_str().ok())
            .expect("an ETag")
            .to_string();
        assert!(!tag.starts_with('"'), "ETags are unquoted: {tag}");
        let again = get(Some(tag.clone())).await;
        assert_eq!(again.status, StatusCode::NOT_MODIFIED, "{path}");
        assert!(again.bytes.is_empty());
        // A change makes the old tag stale.
        tokio::time::sleep(std::time::Duration::from_millis(2)).await;
        if path.contains("/users/") {
            app.call(
                &Method::PUT,
                "/api/v4/users/me/patch",
                Some(&token),
                Some(&json!({"nickname": "changed"})),
            )
            .await;
        } else {
            let emoji = if path.contains("/channels/") {
                "tada"
            } else {
                "smile"
            };
            let (status, _, _) = app
                .call(
                    &Method::POST,
                    "/api/v4/reactions",
                    Some(&token),
                    Some(&json!({"user_id": me, "post_id": post, "emoji_name": emoji})),
                )
                .await;
            assert_eq!(status, StatusCode::OK);
        }
        let changed = get(Some(tag.clone())).await;
        assert_eq!(changed.status, StatusCode::OK, "{path} after a change");
        assert_ne!(
            changed.headers.get("etag").and_then(|v| v.to_str().ok()),
            Some(tag.as_str())
        );
    }
}

#[tokio::test]
async fn rate_limits_answer_429_with_mattermost_headers() {
    let config = core_server::config::Config {
        rate_limit_per_second: 1,
        rate_limit_burst: 3,
        ..Default::default()
    };
    let app = App::with_config(config).await;
    let mut remaining = Vec::new();
    for _ in 0..3 {
        let (status, _, headers) = app
            .call(&Method::GET, "/api/v4/system/ping", None, None)
            .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(
            headers
                .get("x-ratelimit-limit")
                .and_then(|v| v.to_str().ok()),
            Some("3")
        );
        remaining.push(
            headers
                .get("x-ratelimit-remaining")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_string(),
        );
    }
    assert_eq!(remaining, vec!["2", "1", "0"]);
    let (status, body, headers) = app
        .call(&Method::GET, "/api/v4/system/ping", None, None)
        .await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(body["status_code"], 429, "{body}");
    assert_eq!(
        headers.get("retry-after").and_then(|v| v.to_str().ok()),
        Some("1")
    );
    assert!(headers.get("x-ratelimit-reset").is_some());
    // The native API shares the limit and says so in its own error shape.
    let (status, body, _) = app.call(&Method::GET, "/api/v1/health", None, None).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(body["code"], "rate_limited", "{body}");
}

#[tokio::test]
async fn a_test_notification_without_an_admin_to_own_the_bot_is_a_409() {
    let app = App::new().await;
    let (admin, token) = app.user("only-admin").await;
    // The one system admin steps down: no one is left to own the system bot.
    let (status, body, _) = app
        .call(
            &Method::PUT,
            &format!("/api/v4/users/{admin}/roles"),
            Some(&token),
            Some(&json!({"roles": "system_user"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, err, _) = app
        .call(
            &Method::POST,
            "/api/v4/notifications/test",
            Some(&token),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{err}");
    assert_eq!(
        err["id"],
        "app.notifications.send_test_message.errors.no_bot"
    );
}
