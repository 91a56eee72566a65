//! The walk's incoming webhook: anyone holding its id posts into its channel
//! as its creator, from JSON or a form; unknown hooks and empty texts are 400s.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use serde_json::{json, Value};

use super::Walk;

/// Posts through the hook from JSON and from a form; refusals of unknown
/// hooks and empty texts.
pub async fn post_into_their_channel_as_their_creator(walk: &Walk) {
    let Walk {
        app,
        owner,
        owner_id,
        private,
        hook_id,
        ..
    } = walk;
    let (status, _, _) = app
        .call(
            &Method::POST,
            &format!("/hooks/{hook_id}"),
            None,
            Some(&json!({"text": "deployed", "username": "ci-bot"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let form = Request::builder()
        .method(Method::POST)
        .uri(format!("/hooks/{hook_id}"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from(
            "payload=%7B%22text%22%3A%22from%20a%20form%22%7D",
        ))
        .expect("request");
    let resp = app.request(form).await;
    assert_eq!(resp.status, StatusCode::OK);
    assert_eq!(
        resp.headers
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("text/plain")
    );
    let (_, posts, _) = app
        .call(
            &Method::GET,
            &format!("/api/v4/channels/{private}/posts"),
            Some(owner),
            None,
        )
        .await;
    let hooked: Vec<&Value> = posts["posts"]
        .as_object()
        .expect("posts")
        .values()
        .filter(|p| p["props"]["from_webhook"] == "true")
        .collect();
    assert_eq!(
        hooked.len(),
        3,
        "the anonymous walk, the JSON call and the form call: {posts}"
    );
    assert!(hooked.iter().all(|p| p["user_id"] == owner_id.as_str()));
    assert!(hooked
        .iter()
        .any(|p| p["message"] == "deployed" && p["props"]["override_username"] == "ci-bot"));
    let (status, body, _) = app
        .call(
            &Method::POST,
            &format!("/hooks/{}", core_server::id::new_id()),
            None,
            Some(&json!({"text": "x"})),
        )
        .await;
    assert_eq!(
        (status, body["id"].as_str()),
        (
            StatusCode::BAD_REQUEST,
            Some("web.incoming_webhook.invalid.app_error")
        ),
        "Mattermost answers unknown hooks with 400"
    );
    let (status, _, _) = app
        .call(
            &Method::POST,
            &format!("/hooks/{hook_id}"),
            None,
            Some(&json!({"text": ""})),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}
