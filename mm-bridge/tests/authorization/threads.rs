//! Followed threads: unread replies and mentions counted per follower,
//! cleared by reading, hidden by unfollowing.

use axum::http::{Method, StatusCode};
use serde_json::json;

use crate::support::{id, App};

#[tokio::test]
async fn followed_threads_count_unread_replies_and_mentions() {
    let app = App::new().await;
    let (_, _root) = app.user("sysadmin").await;
    let (author_id, author) = app.user("author").await;
    let (replier_id, replier) = app.user("replier").await;
    let team = id(&app
        .team(&author, json!({"name": "th", "display_name": "Th"}))
        .await);
    app.call(
        &Method::POST,
        &format!("/api/v4/teams/{team}/members"),
        Some(&author),
        Some(&json!({"team_id": team, "user_id": replier_id})),
    )
    .await;
    let town = app.town_square(&author, &team).await;
    let (_, root, _) = app
        .call(
            &Method::POST,
            "/api/v4/posts",
            Some(&author),
            Some(&json!({"channel_id": town, "message": "question"})),
        )
        .await;
    let root = id(&root);
    for message in ["answer one", "answer two for @author"] {
        let (status, _, _) = app
            .call(
                &Method::POST,
                "/api/v4/posts",
                Some(&replier),
                Some(&json!({"channel_id": town, "root_id": root, "message": message})),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED);
    }
    let threads_path = format!("/api/v4/users/me/teams/{team}/threads");
    let (status, threads, _) = app
        .call(&Method::GET, &threads_path, Some(&author), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{threads}");
    assert_eq!(threads["total"], 1);
    let t = &threads["threads"][0];
    assert_eq!(
        (t["id"].as_str(), t["reply_count"].as_i64()),
        (Some(root.as_str()), Some(2))
    );
    assert_eq!(
        (t["unread_replies"].as_i64(), t["unread_mentions"].as_i64()),
        (Some(2), Some(1)),
        "{t}"
    );
    assert_eq!(t["participants"][0]["id"], replier_id.as_str());
    assert_eq!(threads["total_unread_threads"], 1);

    // The replier follows too, with nothing unread.
    let (_, theirs, _) = app
        .call(&Method::GET, &threads_path, Some(&replier), None)
        .await;
    assert_eq!(theirs["threads"][0]["unread_replies"], 0, "{theirs}");

    // Reading clears the counts; unfollowing hides the thread; following brings it back.
    let now = 4_102_444_800_000i64;
    let (status, read, _) = app
        .call(
            &Method::PUT,
            &format!("/api/v4/users/{author_id}/teams/{team}/threads/{root}/read/{now}"),
            Some(&author),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{read}");
    assert_eq!(
        (
            read["unread_replies"].as_i64(),
            read["unread_mentions"].as_i64()
        ),
        (Some(0), Some(0))
    );
    let following = format!("/api/v4/users/me/teams/{team}/threads/{root}/following");
    app.call(&Method::DELETE, &following, Some(&author), None)
        .await;
    let (_, none, _) = app
        .call(&Method::GET, &threads_path, Some(&author), None)
        .await;
    assert_eq!(none["total"], 0, "{none}");
    app.call(&Method::PUT, &following, Some(&author), None)
        .await;
    let (_, back, _) = app
        .call(&Method::GET, &threads_path, Some(&author), None)
        .await;
    assert_eq!(back["total"], 1, "{back}");
}
