//! The main flow: teams, channels, posts, threads, reactions, preferences
//! and statuses, as one user after another would use them.

use axum::http::StatusCode;
use serde_json::json;

use crate::fixtures::{me_id, post, team, GET, PATCH, POST, PUT};
use crate::support::{s, Ctx, Http};

pub async fn teams_channels_posts_flow(ctx: Ctx) {
    let http = Http::new(&ctx.core);
    let (_, alice) = http.user("alice").await;
    let (bob_id, bob) = http.user("bob").await;
    let (team_id, town) = team(&http, &alice, "eng").await;
    let (_, channels) = http
        .call(
            GET,
            &format!("/api/v1/teams/{team_id}/channels"),
            Some(&alice),
            None,
        )
        .await;
    let names: Vec<&str> = channels
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|c| c["name"].as_str())
        .collect();
    assert_eq!(names, vec!["off-topic", "town-square"]);

    // Joining the team joins town-square.
    let (status, m) = http
        .call(
            POST,
            &format!("/api/v1/teams/{team_id}/members"),
            Some(&bob),
            Some(json!({"user_id": "me"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{m}");
    let (status, _) = http
        .call(
            GET,
            &format!("/api/v1/channels/{town}/members/{bob_id}"),
            Some(&bob),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);

    let first = post(&http, &alice, &town, "hello #rust").await;
    assert_eq!(first["hashtags"], "#rust");
    for i in 0..4 {
        post(&http, &alice, &town, &format!("message {i}")).await;
    }
    // Bob has 5 unread posts, then reads them.
    let (_, unreads) = http
        .call(
            GET,
            &format!("/api/v1/users/me/unreads?team_id={team_id}"),
            Some(&bob),
            None,
        )
        .await;
    let town_unread = unreads
        .as_array()
        .expect("list")
        .iter()
        .find(|u| u["channel_id"] == town.as_str())
        .cloned()
        .expect("town");
    assert_eq!(town_unread["msg_count"], 5);
    let (status, viewed) = http
        .call(
            POST,
            &format!("/api/v1/channels/{town}/read"),
            Some(&bob),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{viewed}");
    assert_eq!(viewed["msg_count"], 5);

    // Cursor pagination, newest first.
    let (_, page1) = http
        .call(
            GET,
            &format!("/api/v1/channels/{town}/posts?limit=3"),
            Some(&bob),
            None,
        )
        .await;
    assert_eq!(page1["items"].as_array().expect("items").len(), 3);
    let cursor = page1["next_cursor"].as_str().expect("cursor").to_string();
    let (_, page2) = http
        .call(
            GET,
            &format!("/api/v1/channels/{town}/posts?limit=3&cursor={cursor}"),
            Some(&bob),
            None,
        )
        .await;
    let items = page2["items"].as_array().expect("items");
    assert_eq!(items.len(), 2);
    assert_eq!(items[1]["id"], first["id"]);
    assert!(page2["next_cursor"].is_null());

    // Thread, edit, reactions.
    let root = s(&first, "id");
    let (status, reply) = http
        .call(
            POST,
            &format!("/api/v1/channels/{town}/posts"),
            Some(&bob),
            Some(json!({"message": "reply", "root_id": root})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{reply}");
    let (_, thread) = http
        .call(
            GET,
            &format!("/api/v1/posts/{root}/thread"),
            Some(&bob),
            None,
        )
        .await;
    assert_eq!(thread.as_array().expect("thread").len(), 2);
    let (_, root_now) = http
        .call(GET, &format!("/api/v1/posts/{root}"), Some(&bob), None)
        .await;
    assert_eq!(root_now["reply_count"], 1);
    let (status, edited) = http
        .call(
            PATCH,
            &format!("/api/v1/posts/{root}"),
            Some(&alice),
            Some(json!({"message": "hello, edited"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(edited["edit_at"].as_i64().expect("edit_at") > 0);
    let (status, _) = http
        .call(
            PUT,
            &format!("/api/v1/posts/{root}/reactions/tada"),
            Some(&bob),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (_, reactions) = http
        .call(
            GET,
            &format!("/api/v1/posts/{root}/reactions"),
            Some(&alice),
            None,
        )
        .await;
    assert_eq!(reactions[0]["emoji_name"], "tada");

    // Direct and group messages.
    let (status, dm) = http
        .call(
            POST,
            "/api/v1/channels/direct",
            Some(&alice),
            Some(json!({"user_id": bob_id})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{dm}");
    assert_eq!(dm["type"], "D");
    let alice_id = s(&me_id(&http, &alice).await, "id");
    let mut pair = [alice_id.clone(), bob_id.clone()];
    pair.sort();
    assert_eq!(dm["name"], format!("{}__{}", pair[0], pair[1]));
    let (status, again) = http
        .call(
            POST,
            "/api/v1/channels/direct",
            Some(&bob),
            Some(json!({"user_id": alice_id})),
        )
        .await;
    assert_eq!(
        (status, &again["id"]),
        (StatusCode::OK, &dm["id"]),
        "opening it again finds it"
    );
    let (carol_id, _) = http.user("carol").await;
    let (status, gm) = http
        .call(
            POST,
            "/api/v1/channels/group",
            Some(&alice),
            Some(json!({"user_ids": [bob_id, carol_id]})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{gm}");
    assert_eq!(gm["display_name"], "alice, bob, carol");

    // Preferences and status.
    let me = me_id(&http, &bob).await;
    let pref = json!([{"user_id": s(&me, "id"), "category": "display_settings", "name": "theme", "value": "dark"}]);
    let (status, _) = http
        .call(PUT, "/api/v1/users/me/preferences", Some(&bob), Some(pref))
        .await;
    assert_eq!(status, StatusCode::OK);
    let (_, prefs) = http
        .call(GET, "/api/v1/users/me/preferences", Some(&bob), None)
        .await;
    assert_eq!(prefs[0]["value"], "dark");
    let (status, st) = http
        .call(
            PUT,
            "/api/v1/users/me/status",
            Some(&bob),
            Some(json!({"status": "dnd", "dnd_end_time": 4102444800i64})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{st}");
    assert_eq!(st["status"], "dnd");
    // The most negative end time is refused by name, not overflowed.
    let (status, err) = http
        .call(
            PUT,
            "/api/v1/users/me/status",
            Some(&bob),
            Some(json!({"status": "dnd", "dnd_end_time": i64::MIN})),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{err}");
    assert_eq!(err["field"], "dnd_end_time");
}
