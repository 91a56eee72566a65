//! Finding: a deleted post's full text came back from
//! `GET /api/v1/channels/{id}/posts/since` to anyone who could read the
//! channel, users who joined later included. Now no API and no socket serves
//! a deleted post's message, props, hashtags or files again.

use axum::http::Method;
use serde_json::{json, Value};

use crate::support::{frame_named, id, serve, ws_connect, App, Backend};
use crate::world::add_to_team;

/// Checks that a post (as JSON) keeps nothing of its content.
fn assert_redacted(post: &Value, context: &str) {
    assert_eq!(post["message"], "", "{context}: {post}");
    assert_eq!(post["hashtags"], "", "{context}: {post}");
    assert_eq!(post["file_ids"], json!([]), "{context}: {post}");
    assert!(
        post["props"].as_object().is_some_and(|p| p.is_empty()),
        "{context}: {post}"
    );
    assert!(
        post["delete_at"].as_i64().unwrap_or(0) > 0,
        "{context}: {post}"
    );
}

/// A team with a public channel; `author` posts a message with a hashtag,
/// a file and props in it, then deletes it. Returns the app, the channel,
/// the post's id and the token of a user who joins the channel afterwards.
async fn deleted_post(app: &App) -> (String, String, String) {
    let (_, author) = app.user("author").await;
    let team = id(&app
        .team(
            &author,
            json!({"name": "t1", "display_name": "T", "type": "O"}),
        )
        .await);
    let channel = app.town_square(&author, &team).await;
    let upload = app
        .send(
            Method::POST,
            &format!("/api/v4/files?channel_id={channel}&filename=plan.txt"),
            Some(&author),
            Some("text/plain"),
            b"the plan".to_vec(),
        )
        .await;
    assert_eq!(upload.status, 201, "{}", upload.json());
    let file_id = upload.json()["file_infos"][0]["id"]
        .as_str()
        .expect("file id")
        .to_string();
    let body = json!({
        "channel_id": channel,
        "message": "the #secret plan",
        "file_ids": [file_id],
        "props": {"attachments": [{"text": "confidential"}]},
    });
    let (status, post, _) = app
        .call(&Method::POST, "/api/v4/posts", Some(&author), Some(&body))
        .await;
    assert_eq!(status, 201, "{post}");
    assert_eq!(post["hashtags"], "#secret", "{post}");
    let post_id = id(&post);
    let (status, _, _) = app
        .call(
            &Method::DELETE,
            &format!("/api/v4/posts/{post_id}"),
            Some(&author),
            None,
        )
        .await;
    assert_eq!(status, 200);
    let (late_id, late) = app.user("latecomer").await;
    add_to_team(app, &late, &team, &late_id).await;
    (channel, post_id, late)
}

async fn deleted_posts_are_listed_without_their_content(backend: Backend) {
    let Some(app) = backend.app(crate::support::open_config()).await else {
        return;
    };
    let (channel, post_id, late) = deleted_post(&app).await;
    let since = app
        .get(
            &format!("/api/v1/channels/{channel}/posts/since?since=0"),
            &late,
        )
        .await;
    assert_eq!(since.status, 200, "{}", since.json());
    let listed = since.json();
    let post = listed
        .as_array()
        .and_then(|posts| posts.iter().find(|p| p["id"] == post_id.as_str()))
        .unwrap_or_else(|| panic!("the deletion is listed: {listed}"));
    assert_redacted(post, "v1 posts/since");
    let v4 = app
        .get(&format!("/api/v4/channels/{channel}/posts?since=1"), &late)
        .await;
    assert_eq!(v4.status, 200);
    assert_redacted(&v4.json()["posts"][&post_id], "v4 posts?since");
    // Nothing else hands it out either.
    for path in [
        format!("/api/v1/posts/{post_id}"),
        format!("/api/v4/posts/{post_id}"),
        format!("/api/v1/posts/{post_id}/thread"),
        format!("/api/v4/posts/{post_id}/thread"),
    ] {
        let reply = app.get(&path, &late).await;
        assert_eq!(reply.status, 404, "{path}: {}", reply.json());
    }
}

/// The deletion event on both sockets carries no content either.
async fn deletion_events_carry_no_content(backend: Backend) {
    let Some(app) = backend.app(crate::support::open_config()).await else {
        return;
    };
    let addr = serve(&app.core).await;
    let (_, author) = app.user("author").await;
    let team = id(&app
        .team(
            &author,
            json!({"name": "t1", "display_name": "T", "type": "O"}),
        )
        .await);
    let channel = app.town_square(&author, &team).await;
    let (reader_id, reader) = app.user("reader").await;
    add_to_team(&app, &reader, &team, &reader_id).await;
    let mut v4 = ws_connect(addr, "/api/v4/websocket", Some(&reader), &[])
        .await
        .expect("v4 socket");
    let mut v1 = ws_connect(addr, "/api/v1/ws", Some(&reader), &[])
        .await
        .expect("v1 socket");
    frame_named(&mut v4, "event", "hello").await;
    frame_named(&mut v1, "type", "hello").await;
    let body = json!({"channel_id": channel, "message": "the #secret plan", "props": {"k": "v"}});
    let (_, post, _) = app
        .call(&Method::POST, "/api/v4/posts", Some(&author), Some(&body))
        .await;
    let post_id = id(&post);
    app.call(
        &Method::DELETE,
        &format!("/api/v4/posts/{post_id}"),
        Some(&author),
        None,
    )
    .await;
    let event = frame_named(&mut v4, "event", "post_deleted").await;
    let post: Value = serde_json::from_str(event["data"]["post"].as_str().expect("post string"))
        .expect("post json");
    assert_eq!(post["id"], post_id.as_str());
    assert_redacted(&post, "v4 post_deleted");
    let event = frame_named(&mut v1, "type", "post_deleted").await;
    assert_redacted(&event["data"]["post"], "v1 post_deleted");
}

on_both_backends!(
    deleted_posts_are_listed_without_their_content,
    deletion_events_carry_no_content,
);
