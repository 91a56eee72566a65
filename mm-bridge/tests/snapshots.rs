//! Pinned wire formats: representative v4 responses and a WebSocket event,
//! as a client receives them, with the fields that change on every run (ids,
//! times, tokens) replaced by placeholders. A change to any other field shows
//! up as a snapshot difference to review.

use axum::body::Body;
use axum::http::{Method, Request};
use axum::Router;
use core_server::events::{Audience, CoreEvent, EventKind};
use core_server::realtime::WireFormat;
use core_server::services::Core;
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tower::ServiceExt;

/// Fields whose values differ on every run.
fn volatile(key: &str) -> bool {
    key == "id"
        || key.ends_with("_id")
        || key.ends_with("_at")
        || key == "token"
        || key == "etag"
        || key == "request_id"
        || key == "last_password_update"
        || key == "last_picture_update"
        || key == "participants"
        || key == "invite_id"
        || key == "DiagnosticId"
        || key == "BuildHash"
        || key == "mini_preview"
}

/// Replaces volatile values (and ids inside strings of JSON) with placeholders.
fn redact(value: &mut Value) {
    match value {
        Value::Object(map) => {
            // Maps keyed by id (a post list's `posts`) get placeholder keys.
            if map.keys().any(|k| core_server::id::is_valid_id(k)) {
                let entries: Vec<(String, Value)> = std::mem::take(map).into_iter().collect();
                for (i, (key, v)) in entries.into_iter().enumerate() {
                    let key = if core_server::id::is_valid_id(&key) {
                        format!("[id {i}]")
                    } else {
                        key
                    };
                    map.insert(key, v);
                }
            }
            for (key, v) in map.iter_mut() {
                if volatile(key) && !v.is_null() && *v != json!("") && *v != json!(0) {
                    *v = json!(format!("[{key}]"));
                } else {
                    redact(v);
                }
            }
        }
        Value::Array(items) => {
            for item in items.iter_mut() {
                // A list of ids (mentions, followers) is volatile as a whole.
                if item.as_str().is_some_and(core_server::id::is_valid_id) {
                    *item = json!("[id]");
                } else {
                    redact(item);
                }
            }
        }
        // Models nested as JSON strings (events) are redacted inside too.
        Value::String(s) if s.starts_with('{') || s.starts_with('[') => {
            if let Ok(mut inner) = serde_json::from_str::<Value>(s) {
                redact(&mut inner);
                *value = inner;
            }
        }
        _ => {}
    }
}

struct App {
    router: Router,
    core: Core,
    _dir: tempfile::TempDir,
}

impl App {
    async fn new() -> App {
        let dir = tempfile::tempdir().expect("tempdir");
        let url = format!("sqlite://{}", dir.path().join("t.db").display());
        let store = core_server::store::open(&url, 4).await.expect("store");
        let core = Core::new(store, Default::default());
        App {
            router: core_server::server::app(core.clone(), mm_bridge::router(core.clone())),
            core,
            _dir: dir,
        }
    }

    async fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> (Value, String) {
        let mut req = Request::builder().method(method).uri(path);
        if let Some(t) = token {
            req = req.header("authorization", format!("Bearer {t}"));
        }
        let req = match body {
            Some(b) => req
                .header("content-type", "application/json")
                .body(Body::from(b.to_string())),
            None => req.body(Body::empty()),
        }
        .expect("request");
        let resp = self.router.clone().oneshot(req).await.expect("infallible");
        let token = resp
            .headers()
            .get("token")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        let bytes = resp.into_body().collect().await.expect("body").to_bytes();
        (serde_json::from_slice(&bytes).unwrap_or(Value::Null), token)
    }
}

fn redacted(mut value: Value) -> Value {
    redact(&mut value);
    value
}

#[tokio::test]
async fn v4_payloads_keep_their_shape() {
    let app = App::new().await;
    let (user, _) = app
        .call(Method::POST, "/api/v4/users", None, Some(json!({"username": "ada", "email": "ada@example.com", "password": "password1", "first_name": "Ada"})))
        .await;
    let (_, token) = app
        .call(
            Method::POST,
            "/api/v4/users/login",
            None,
            Some(json!({"login_id": "ada", "password": "password1"})),
        )
        .await;
    let token = Some(token.as_str());
    let (team, _) = app
        .call(
            Method::POST,
            "/api/v4/teams",
            token,
            Some(json!({"name": "lab", "display_name": "Lab", "type": "O"})),
        )
        .await;
    let team_id = team["id"].as_str().expect("team").to_string();
    let (channel, _) = app
        .call(
            Method::GET,
            &format!("/api/v4/teams/{team_id}/channels/name/town-square"),
            token,
            None,
        )
        .await;
    let channel_id = channel["id"].as_str().expect("channel").to_string();
    let (post, _) = app
        .call(
            Method::POST,
            "/api/v4/posts",
            token,
            Some(json!({"channel_id": channel_id, "message": "hello @ada"})),
        )
        .await;
    let post_id = post["id"].as_str().expect("post").to_string();
    app.call(
        Method::POST,
        "/api/v4/reactions",
        token,
        Some(json!({"user_id": user["id"], "post_id": post_id, "emoji_name": "tada"})),
    )
    .await;
    let (thread, _) = app
        .call(
            Method::GET,
            &format!("/api/v4/posts/{post_id}/thread"),
            token,
            None,
        )
        .await;
    let (member, _) = app
        .call(
            Method::GET,
            &format!("/api/v4/channels/{channel_id}/members/me"),
            token,
            None,
        )
        .await;
    let (missing, _) = app
        .call(
            Method::GET,
            &format!("/api/v4/users/{}", core_server::id::new_id()),
            token,
            None,
        )
        .await;

    let user_id = user["id"].as_str().expect("id").to_string();
    insta::assert_json_snapshot!("user", redacted(user));
    insta::assert_json_snapshot!("team", redacted(team));
    insta::assert_json_snapshot!("channel", redacted(channel));
    insta::assert_json_snapshot!("post_list", redacted(thread));
    insta::assert_json_snapshot!("channel_member", redacted(member));
    insta::assert_json_snapshot!("error_not_found", redacted(missing));

    // The `posted` event of that post, as its channel's sockets receive it.
    let stored = app.core.store.get_post(&post_id).await.expect("post");
    let channel_model = app
        .core
        .store
        .get_channel(&channel_id)
        .await
        .expect("channel");
    let event = CoreEvent::new(
        EventKind::PostCreated {
            post: stored,
            channel: channel_model,
            sender_name: "@ada".into(),
            mentions: vec![user_id],
            followers: Vec::new(),
            files: Vec::new(),
        },
        Audience::Channel(channel_id.clone()),
    );
    let frame = mm_bridge::ws::V4Wire
        .encode(&event, false)
        .expect("posted is a v4 event")
        .render(7);
    let frame: Value = serde_json::from_str(&frame).expect("frame JSON");
    insta::assert_json_snapshot!("ws_posted", redacted(frame));
}
