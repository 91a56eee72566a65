//! The walk's team member outside the private channel: the public channel is
//! theirs to read, the private one and its posts are not, not even by search.

use axum::http::{Method, StatusCode};
use serde_json::json;

use super::Walk;

/// Reads of the public channel answer; the private channel's do not, and
/// the owner's post cannot be deleted.
pub async fn reads_the_public_channel_only(walk: &Walk) {
    let Walk {
        app,
        member,
        public,
        public_post,
        private,
        secret_post,
        ..
    } = walk;
    for (path, expected) in [
        (format!("/api/v4/channels/{public}/posts"), StatusCode::OK),
        (format!("/api/v4/posts/{public_post}"), StatusCode::OK),
        (
            format!("/api/v4/channels/{private}/posts"),
            StatusCode::FORBIDDEN,
        ),
        (
            format!("/api/v4/posts/{secret_post}"),
            StatusCode::FORBIDDEN,
        ),
        (format!("/api/v4/channels/{private}"), StatusCode::FORBIDDEN),
    ] {
        let (status, body, _) = app.call(&Method::GET, &path, Some(member), None).await;
        assert_eq!(status, expected, "member GET {path}: {body}");
    }
    let (status, _, _) = app
        .call(
            &Method::DELETE,
            &format!("/api/v4/posts/{public_post}"),
            Some(member),
            None,
        )
        .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "a member cannot delete the owner's post"
    );
    // The owner's outgoing webhook and its token are the team admins'.
    let hook = format!("/api/v4/hooks/outgoing/{}", walk.outgoing_hook_id);
    let (status, body, _) = app.call(&Method::GET, &hook, Some(member), None).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "member GET {hook}: {body}");
    let listing = format!("/api/v4/hooks/outgoing?team_id={}", walk.team);
    let (status, body, _) = app.call(&Method::GET, &listing, Some(member), None).await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "member GET {listing}: {body}"
    );
    // The team's scheduled posts a member lists are their own: none.
    let path = format!(
        "/api/v4/posts/scheduled/team/{}?includeDirectChannels=true",
        walk.team
    );
    let (status, body, _) = app.call(&Method::GET, &path, Some(member), None).await;
    assert_eq!(status, StatusCode::OK, "member GET {path}: {body}");
    assert_eq!(
        body,
        json!({walk.team.as_str(): [], "directChannels": []}),
        "a member does not see the owner's scheduled post"
    );
}

/// Search finds only what the searcher may read.
pub async fn search_finds_only_what_the_searcher_may_read(walk: &Walk) {
    let Walk {
        app,
        owner,
        member,
        team,
        secret_post,
        ..
    } = walk;
    let terms = json!({"terms": "classified"});
    // In the team, and over every team (the apps' recent mentions).
    for path in [
        format!("/api/v4/teams/{team}/posts/search"),
        "/api/v4/posts/search".to_string(),
    ] {
        let (_, found, _) = app
            .call(&Method::POST, &path, Some(member), Some(&terms))
            .await;
        assert_eq!(
            found["order"].as_array().map(Vec::len),
            Some(0),
            "{path}: a member finds nothing of the private channel: {found}"
        );
        let (_, found, _) = app
            .call(&Method::POST, &path, Some(owner), Some(&terms))
            .await;
        assert_eq!(found["order"][0], secret_post.as_str(), "{path}: {found}");
        assert_eq!(found["matches"][secret_post][0], "classified", "{found}");
    }
}
