//! Pinned wire formats: representative v4 responses and a WebSocket event,
//! as a client receives them, with the fields that change on every run (ids,
//! times, tokens) replaced by placeholders. A change to any other field shows
//! up as a snapshot difference to review.

mod support;

use axum::http::Method;
use core_server::events::{Audience, CoreEvent, EventKind};
use core_server::realtime::WireFormat;
use serde_json::{json, Value};
use support::App;

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

fn redacted(mut value: Value) -> Value {
    redact(&mut value);
    value
}

#[tokio::test]
async fn v4_payloads_keep_their_shape() {
    let app = App::new().await;
    let ada = json!({"username": "ada", "email": "ada@example.com", "password": "password1", "first_name": "Ada"});
    let (_, user, _) = app
        .call(&Method::POST, "/api/v4/users", None, Some(&ada))
        .await;
    let login = json!({"login_id": "ada", "password": "password1"});
    let (_, _, headers) = app
        .call(&Method::POST, "/api/v4/users/login", None, Some(&login))
        .await;
    let token = headers
        .get("token")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let token = Some(token);
    let (_, team, _) = app
        .call(
            &Method::POST,
            "/api/v4/teams",
            token,
            Some(&json!({"name": "lab", "display_name": "Lab", "type": "O"})),
        )
        .await;
    let team_id = team["id"].as_str().expect("team").to_string();
    let (_, channel, _) = app
        .call(
            &Method::GET,
            &format!("/api/v4/teams/{team_id}/channels/name/town-square"),
            token,
            None,
        )
        .await;
    let channel_id = channel["id"].as_str().expect("channel").to_string();
    let (_, post, _) = app
        .call(
            &Method::POST,
            "/api/v4/posts",
            token,
            Some(&json!({"channel_id": channel_id, "message": "hello @ada"})),
        )
        .await;
    let post_id = post["id"].as_str().expect("post").to_string();
    app.call(
        &Method::POST,
        "/api/v4/reactions",
        token,
        Some(&json!({"user_id": user["id"], "post_id": post_id, "emoji_name": "tada"})),
    )
    .await;
    let (_, thread, _) = app
        .call(
            &Method::GET,
            &format!("/api/v4/posts/{post_id}/thread"),
            token,
            None,
        )
        .await;
    let (_, member, _) = app
        .call(
            &Method::GET,
            &format!("/api/v4/channels/{channel_id}/members/me"),
            token,
            None,
        )
        .await;
    let (_, missing, _) = app
        .call(
            &Method::GET,
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
