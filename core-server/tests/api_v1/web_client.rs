//! The routes the web app leans on, and the post metadata of a page, and
//! the OpenAPI document the web app's types are generated from.

use axum::http::StatusCode;
use serde_json::json;

use crate::fixtures::{post, team, GET, POST, PUT};
use crate::support::{s, Ctx, Http};

/// The routes the web app leans on: public settings, search, catch-up after
/// sleep, @mention autocomplete, presence, and the caller's read state.
pub async fn web_client_routes(ctx: Ctx) {
    let http = Http::new(&ctx.core);
    let (status, config) = http.call(GET, "/api/v1/system/config", None, None).await;
    assert_eq!(status, StatusCode::OK, "no session needed");
    assert_eq!(config["enable_open_signup"], true);
    assert_eq!(config["password_min_length"], 8);
    assert!(config["max_file_size"].as_u64().is_some());

    let (alice_id, alice) = http.user("alice").await;
    let (_, outsider) = http.user("oscar").await;
    let (team_id, town) = team(&http, &alice, "web").await;
    let (_, first) = http
        .call(
            POST,
            &format!("/api/v1/channels/{town}/posts"),
            Some(&alice),
            Some(json!({"message": "the quarterly release notes"})),
        )
        .await;
    let since = first["create_at"].as_i64().expect("create_at");
    let (_, second) = http
        .call(
            POST,
            &format!("/api/v1/channels/{town}/posts"),
            Some(&alice),
            Some(json!({"message": "release party on friday"})),
        )
        .await;

    let search = format!("/api/v1/teams/{team_id}/posts/search");
    let (status, found) = http
        .call(GET, &format!("{search}?terms=release"), Some(&alice), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{found}");
    let ids: Vec<&str> = found["posts"]
        .as_array()
        .expect("posts")
        .iter()
        .filter_map(|p| p["id"].as_str())
        .collect();
    assert_eq!(ids, vec![s(&second, "id"), s(&first, "id")], "newest first");
    assert_eq!(found["terms"], json!(["release"]));
    let (status, _) = http
        .call(
            GET,
            &format!("{search}?terms=release"),
            Some(&outsider),
            None,
        )
        .await;
    assert!(status.is_client_error(), "not in the team: {status}");

    let (status, changed) = http
        .call(
            GET,
            &format!("/api/v1/channels/{town}/posts/since?since={since}"),
            Some(&alice),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{changed}");
    assert!(changed
        .as_array()
        .expect("posts")
        .iter()
        .any(|p| p["id"] == second["id"]));
    let (status, _) = http
        .call(
            GET,
            &format!("/api/v1/channels/{town}/posts/since?since={since}"),
            Some(&outsider),
            None,
        )
        .await;
    assert!(status.is_client_error(), "not in the channel: {status}");
    let (status, err) = http
        .call(
            GET,
            &format!("/api/v1/channels/{town}/posts/since?since=soon"),
            Some(&alice),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(err.to_string().contains("since"), "{err}");

    let (status, users) = http
        .call(GET, "/api/v1/users/search?term=@ali", Some(&outsider), None)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(users[0]["id"], alice_id.as_str());
    assert!(users[0].get("password").is_none());

    let (status, statuses) = http
        .call(
            POST,
            "/api/v1/users/status/ids",
            Some(&alice),
            Some(json!([alice_id])),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{statuses}");
    assert_eq!(statuses[0]["user_id"], alice_id.as_str());
    let (status, _) = http
        .call(
            POST,
            "/api/v1/users/status/ids",
            Some(&alice),
            Some(json!(["not-an-id"])),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);

    let (status, members) = http
        .call(
            GET,
            &format!("/api/v1/users/me/channel_members?team_id={team_id}"),
            Some(&alice),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{members}");
    assert!(members
        .as_array()
        .expect("members")
        .iter()
        .any(|m| m["channel_id"] == town.as_str() && m["user_id"] == alice_id.as_str()));
    let (status, _) = http
        .call(
            GET,
            &format!("/api/v1/users/me/channel_members?team_id={team_id}"),
            Some(&outsider),
            None,
        )
        .await;
    assert!(status.is_client_error(), "not in the team: {status}");

    // The profile picture: generated, uploaded, reset; someone else's is read-only.
    let image = format!("/api/v1/users/{alice_id}/image");
    let (status, generated) = http.raw_bytes(GET, &image, Some(&outsider), None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(generated.starts_with(b"\x89PNG"), "a generated PNG");
    let gif = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;".to_vec();
    let (status, _) = http
        .raw_bytes(
            axum::http::Method::PUT,
            &image,
            Some(&outsider),
            Some(gif.clone()),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "not one's own picture");
    let (status, _) = http
        .raw_bytes(
            axum::http::Method::PUT,
            &image,
            Some(&alice),
            Some(gif.clone()),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (_, uploaded) = http.raw_bytes(GET, &image, Some(&outsider), None).await;
    assert_eq!(uploaded, gif);
    let (status, _) = http
        .raw_bytes(
            axum::http::Method::PUT,
            &image,
            Some(&alice),
            Some(b"not an image".to_vec()),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _) = http
        .raw_bytes(
            axum::http::Method::PUT,
            &image,
            Some(&alice),
            Some(vec![0u8; 3 * 1024 * 1024]),
        )
        .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    let (status, _) = http
        .raw_bytes(axum::http::Method::DELETE, &image, Some(&alice), None)
        .await;
    assert_eq!(status, StatusCode::OK);
    let (_, again) = http.raw_bytes(GET, &image, Some(&alice), None).await;
    assert!(
        again.starts_with(b"\x89PNG"),
        "back to the generated picture"
    );
}

/// `POST /api/v1/posts/metadata`: one call for the reactions and files under a
/// page of posts, leaving out posts the caller may not read.
pub async fn post_metadata_for_a_page(ctx: Ctx) {
    let http = Http::new(&ctx.core);
    let (alice_id, alice) = http.user("alice").await;
    let (_, outsider) = http.user("oscar").await;
    let (_, town) = team(&http, &alice, "meta").await;
    let (status, info) = http
        .raw(
            POST,
            &format!("/api/v1/channels/{town}/files?filename=plan.txt"),
            Some(&alice),
            Some("the plan".to_string()),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{info}");
    let (_, with_file) = http
        .call(
            POST,
            &format!("/api/v1/channels/{town}/posts"),
            Some(&alice),
            Some(json!({"message": "see the plan", "file_ids": [s(&info, "id")]})),
        )
        .await;
    let plain = post(&http, &alice, &town, "no attachments here").await;
    let (status, _) = http
        .call(
            PUT,
            &format!("/api/v1/posts/{}/reactions/tada", s(&plain, "id")),
            Some(&alice),
            None,
        )
        .await;
    assert!(status.is_success(), "{status}");

    let ids = json!({"post_ids": [s(&with_file, "id"), s(&plain, "id")]});
    let (status, meta) = http
        .call(
            POST,
            "/api/v1/posts/metadata",
            Some(&alice),
            Some(ids.clone()),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{meta}");
    let files = meta["files"].as_array().expect("files");
    assert_eq!(files.len(), 1, "{meta}");
    assert_eq!(files[0]["post_id"], with_file["id"]);
    assert_eq!(files[0]["name"], "plan.txt");
    let reactions = meta["reactions"].as_array().expect("reactions");
    assert_eq!(reactions.len(), 1, "{meta}");
    assert_eq!(reactions[0]["emoji_name"], "tada");
    assert_eq!(reactions[0]["user_id"], alice_id);

    // Someone outside the channel learns nothing about its posts.
    let (status, hidden) = http
        .call(POST, "/api/v1/posts/metadata", Some(&outsider), Some(ids))
        .await;
    assert_eq!(status, StatusCode::OK, "{hidden}");
    assert_eq!(hidden, json!({"reactions": [], "files": []}));

    let (status, _) = http
        .call(
            POST,
            "/api/v1/posts/metadata",
            None,
            Some(json!({"post_ids": []})),
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, body) = http
        .call(
            POST,
            "/api/v1/posts/metadata",
            Some(&alice),
            Some(json!({"post_ids": ["not an id"]})),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(body.to_string().contains("post_ids"), "{body}");
}

pub async fn openapi_document_lists_the_routes(ctx: Ctx) {
    let http = Http::new(&ctx.core);
    let (status, doc) = http.call(GET, "/api/v1/openapi.json", None, None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(doc["openapi"].as_str().expect("version").starts_with("3."));
    let paths = doc["paths"].as_object().expect("paths");
    for p in [
        "/api/v1/auth/login",
        "/api/v1/users/me",
        "/api/v1/channels/{channel_id}/posts",
        "/api/v1/posts/{post_id}/reactions/{emoji_name}",
    ] {
        assert!(
            paths.contains_key(p),
            "{p} missing from the OpenAPI document"
        );
    }
    assert!(paths.len() >= 30, "only {} paths", paths.len());
}
