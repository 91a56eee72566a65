//! The walk's owner: everything that is theirs answers, and their access
//! token stops working the moment it is revoked.

use axum::http::{Method, StatusCode};
use serde_json::json;

use super::Walk;

/// A revoked access token stops working at once.
pub async fn a_revoked_access_token_stops_working(walk: &Walk) {
    let Walk {
        app,
        root,
        token_id,
        pat,
        ..
    } = walk;
    let (status, _, _) = app
        .call(
            &Method::POST,
            "/api/v4/users/tokens/revoke",
            Some(root),
            Some(&json!({"token_id": token_id})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _, _) = app
        .call(&Method::GET, "/api/v4/users/me", Some(pat), None)
        .await;
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "a revoked token is refused"
    );
}

/// And the owner gets everything that is theirs.
pub async fn gets_everything_that_is_theirs(walk: &Walk) {
    let Walk {
        app,
        owner,
        owner_id,
        team,
        private,
        secret_post,
        ..
    } = walk;
    for path in [
        format!("/api/v4/channels/{private}/posts"),
        format!("/api/v4/posts/{secret_post}/thread"),
        format!("/api/v4/teams/{team}/members"),
        format!("/api/v4/users/{owner_id}/teams/{team}/channels/categories"),
    ] {
        let (status, body, _) = app.call(&Method::GET, &path, Some(owner), None).await;
        assert_eq!(status, StatusCode::OK, "owner GET {path}: {body}");
    }
    let path = format!("/api/v4/posts/scheduled/team/{team}");
    let (status, body, _) = app.call(&Method::GET, &path, Some(owner), None).await;
    assert_eq!(status, StatusCode::OK, "owner GET {path}: {body}");
    assert_eq!(
        body[team.as_str()][0]["id"].as_str(),
        Some(walk.scheduled_post.as_str()),
        "the owner lists their scheduled post: {body}"
    );
    let path = format!("/api/v4/hooks/outgoing?team_id={team}");
    let (status, body, _) = app.call(&Method::GET, &path, Some(owner), None).await;
    assert_eq!(status, StatusCode::OK, "owner GET {path}: {body}");
    assert_eq!(
        body[0]["id"].as_str(),
        Some(walk.outgoing_hook_id.as_str()),
        "the owner lists their outgoing webhook: {body}"
    );
    assert!(
        body[0]["token"].as_str().is_some_and(|t| t.len() == 26),
        "with its token: {body}"
    );
}
