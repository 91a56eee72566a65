//! Pinned posts of a channel and a user's saved posts through the native
//! API: listed for those who may read them, refused to others.

use axum::http::StatusCode;
use serde_json::json;

use crate::fixtures::{post, team, GET, PATCH, POST, PUT};
use crate::support::{s, Ctx, Http};

pub async fn pinned_and_saved_posts_are_listed_for_their_readers(ctx: Ctx) {
    let http = Http::new(&ctx.core);
    let (alice_id, alice) = http.user("alice").await;
    let (_, outsider) = http.user("oscar").await;
    let (_, town) = team(&http, &alice, "pins").await;
    let kept = post(&http, &alice, &town, "the runbook is in the wiki").await;
    let other = post(&http, &alice, &town, "lunch at noon").await;
    let kept_id = s(&kept, "id");

    let (status, pinned) = http
        .call(
            PATCH,
            &format!("/api/v1/posts/{kept_id}"),
            Some(&alice),
            Some(json!({"is_pinned": true})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{pinned}");
    let (status, list) = http
        .call(
            GET,
            &format!("/api/v1/channels/{town}/pinned"),
            Some(&alice),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{list}");
    let ids: Vec<String> = list
        .as_array()
        .expect("a list")
        .iter()
        .map(|p| s(p, "id"))
        .collect();
    assert_eq!(ids, vec![kept_id.clone()], "only the pinned post");
    let (status, _) = http
        .call(
            GET,
            &format!("/api/v1/channels/{town}/pinned"),
            Some(&outsider),
            None,
        )
        .await;
    assert!(
        matches!(status.as_u16(), 403 | 404),
        "an outsider: {status}"
    );

    let save = json!([{"user_id": alice_id, "category": "flagged_post", "name": kept_id, "value": "true"}]);
    let (status, _) = http
        .call(
            PUT,
            "/api/v1/users/me/preferences",
            Some(&alice),
            Some(save.clone()),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, saved) = http
        .call(GET, "/api/v1/users/me/saved_posts", Some(&alice), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    let ids: Vec<String> = saved
        .as_array()
        .expect("a list")
        .iter()
        .map(|p| s(p, "id"))
        .collect();
    assert_eq!(ids, vec![kept_id.clone()]);
    assert!(!ids.contains(&s(&other, "id")));
    let (status, _) = http
        .call(
            GET,
            &format!("/api/v1/users/{alice_id}/saved_posts"),
            Some(&outsider),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "someone else's saved posts");

    let (status, _) = http
        .call(
            POST,
            "/api/v1/users/me/preferences/delete",
            Some(&alice),
            Some(save),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (_, saved) = http
        .call(GET, "/api/v1/users/me/saved_posts", Some(&alice), None)
        .await;
    assert_eq!(saved, json!([]), "unsaved");
}
