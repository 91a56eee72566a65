//! Permissions: nobody reads or writes what is not theirs.

use axum::http::StatusCode;
use serde_json::json;

use crate::fixtures::{post, team, DELETE, GET, PATCH, POST, PUT};
use crate::support::{s, Ctx, Http};

/// Nobody reads or writes what is not theirs.
pub async fn permissions_are_enforced(ctx: Ctx) {
    let http = Http::new(&ctx.core);
    let (_, alice) = http.user("alice").await; // system admin, first user
    let (bob_id, bob) = http.user("bob").await;
    let (carol_id, carol) = http.user("carol").await;
    let (_, dave) = http.user("dave").await;
    let (team_id, town) = team(&http, &bob, "bobs").await;
    for t in [&carol] {
        let (status, _) = http
            .call(
                POST,
                &format!("/api/v1/teams/{team_id}/members"),
                Some(t),
                Some(json!({"user_id": "me"})),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED);
    }
    let (status, private) = http
        .call(
            POST,
            &format!("/api/v1/teams/{team_id}/channels"),
            Some(&bob),
            Some(json!({"name": "secret", "display_name": "Secret", "type": "P"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let private = s(&private, "id");
    let secret_post = post(&http, &bob, &private, "classified").await;
    let secret_post = s(&secret_post, "id");

    // Carol is in the team but not in the private channel.
    let denied = [
        (GET, format!("/api/v1/channels/{private}")),
        (GET, format!("/api/v1/channels/{private}/posts")),
        (GET, format!("/api/v1/channels/{private}/members")),
        (GET, format!("/api/v1/posts/{secret_post}")),
        (GET, format!("/api/v1/posts/{secret_post}/thread")),
    ];
    for (method, path) in denied {
        let (status, body) = http.call(method.clone(), &path, Some(&carol), None).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{method} {path}: {body}");
    }
    let (status, _) = http
        .call(
            POST,
            &format!("/api/v1/channels/{private}/posts"),
            Some(&carol),
            Some(json!({"message": "let me in"})),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = http
        .call(
            POST,
            &format!("/api/v1/channels/{private}/members"),
            Some(&carol),
            Some(json!({"user_id": "me"})),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "private channels cannot be self-joined"
    );
    let (_, listed) = http
        .call(
            GET,
            &format!("/api/v1/teams/{team_id}/channels"),
            Some(&carol),
            None,
        )
        .await;
    assert!(
        listed
            .as_array()
            .expect("list")
            .iter()
            .all(|c| c["id"] != private.as_str()),
        "private channel listed to a non-member"
    );

    // Nobody edits or deletes someone else's post (the author's channel admin rights aside).
    let bobs_post = s(&post(&http, &bob, &town, "bob's words").await, "id");
    let (status, _) = http
        .call(
            PATCH,
            &format!("/api/v1/posts/{bobs_post}"),
            Some(&carol),
            Some(json!({"message": "carol's words"})),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = http
        .call(
            DELETE,
            &format!("/api/v1/posts/{bobs_post}"),
            Some(&carol),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (_, still) = http
        .call(
            GET,
            &format!("/api/v1/posts/{bobs_post}"),
            Some(&carol),
            None,
        )
        .await;
    assert_eq!(still["message"], "bob's words");
    let carols_post = s(&post(&http, &carol, &town, "mine").await, "id");
    let (status, _) = http
        .call(
            DELETE,
            &format!("/api/v1/posts/{carols_post}"),
            Some(&carol),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "authors delete their own posts");

    // Dave is in no team: he cannot act in Bob's.
    let outside = [
        (GET, format!("/api/v1/teams/{team_id}/channels"), None),
        (GET, format!("/api/v1/teams/{team_id}/members"), None),
        (
            POST,
            format!("/api/v1/teams/{team_id}/channels"),
            Some(json!({"name": "mine", "display_name": "Mine"})),
        ),
        (GET, format!("/api/v1/channels/{town}/posts"), None),
        (
            POST,
            format!("/api/v1/channels/{town}/posts"),
            Some(json!({"message": "hi"})),
        ),
        (
            PATCH,
            format!("/api/v1/teams/{team_id}"),
            Some(json!({"display_name": "Dave's"})),
        ),
    ];
    for (method, path, body) in outside {
        let (status, resp) = http.call(method.clone(), &path, Some(&dave), body).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{method} {path}: {resp}");
    }
    // Invite-only teams can't be seen or joined by outsiders.
    let (status, _) = http
        .call(
            PATCH,
            &format!("/api/v1/teams/{team_id}"),
            Some(&bob),
            Some(json!({"allow_open_invite": false})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = http
        .call(GET, &format!("/api/v1/teams/{team_id}"), Some(&dave), None)
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = http
        .call(
            POST,
            &format!("/api/v1/teams/{team_id}/members"),
            Some(&dave),
            Some(json!({"user_id": "me"})),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // A member who is not team admin cannot change the team or remove others.
    let (status, _) = http
        .call(
            PATCH,
            &format!("/api/v1/teams/{team_id}"),
            Some(&carol),
            Some(json!({"display_name": "Carol's"})),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = http
        .call(
            DELETE,
            &format!("/api/v1/teams/{team_id}/members/{bob_id}"),
            Some(&carol),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // Other users' profiles, preferences and statuses are theirs.
    let (status, _) = http
        .call(
            PATCH,
            &format!("/api/v1/users/{bob_id}"),
            Some(&carol),
            Some(json!({"nickname": "hacked"})),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = http
        .call(
            GET,
            &format!("/api/v1/users/{bob_id}/preferences"),
            Some(&carol),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let pref = json!([{"user_id": bob_id, "category": "c", "name": "n", "value": "v"}]);
    let (status, _) = http
        .call(
            PUT,
            &format!("/api/v1/users/{bob_id}/preferences"),
            Some(&carol),
            Some(pref.clone()),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = http
        .call(
            PUT,
            "/api/v1/users/me/preferences",
            Some(&carol),
            Some(pref),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::BAD_REQUEST,
        "preferences of another user inside one's own path"
    );
    let (status, _) = http
        .call(
            PUT,
            &format!("/api/v1/users/{bob_id}/status"),
            Some(&carol),
            Some(json!({"status": "away"})),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = http
        .call(
            DELETE,
            &format!("/api/v1/users/{carol_id}"),
            Some(&dave),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // The system admin may read the private channel.
    let (status, _) = http
        .call(
            GET,
            &format!("/api/v1/channels/{private}"),
            Some(&alice),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
}
