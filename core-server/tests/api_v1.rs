//! In-process tests of the native API, on both backends: flows, bad input and permissions.

mod support;

use axum::http::{Method, StatusCode};
use serde_json::{json, Value};
use support::{s, Ctx, Http};

const GET: Method = Method::GET;
const POST: Method = Method::POST;
const PUT: Method = Method::PUT;
const PATCH: Method = Method::PATCH;
const DELETE: Method = Method::DELETE;

/// Creates a team as `token` and returns (team id, town-square id).
async fn team(http: &Http, token: &str, name: &str) -> (String, String) {
    let (status, team) = http
        .call(
            POST,
            "/api/v1/teams",
            Some(token),
            Some(json!({"name": name, "display_name": name})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{team}");
    let id = s(&team, "id");
    let (status, ts) = http
        .call(
            GET,
            &format!("/api/v1/teams/{id}/channels/name/town-square"),
            Some(token),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{ts}");
    (id, s(&ts, "id"))
}

async fn post(http: &Http, token: &str, channel: &str, message: &str) -> Value {
    let (status, p) = http
        .call(
            POST,
            &format!("/api/v1/channels/{channel}/posts"),
            Some(token),
            Some(json!({"message": message})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{p}");
    p
}

async fn auth_login_logout(ctx: Ctx) {
    let http = Http::new(&ctx.core);
    let (status, health) = http.call(GET, "/api/v1/health", None, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(health["status"], "ok");

    let (admin_id, _) = http.user("alice").await;
    let (_, bob_token) = http.user("bob").await;
    let (_, me) = http
        .call(GET, "/api/v1/users/me", Some(&bob_token), None)
        .await;
    assert_eq!(
        me["roles"], "system_user",
        "only the first user is an admin"
    );
    let (_, admin) = http
        .call(
            GET,
            &format!("/api/v1/users/{admin_id}"),
            Some(&bob_token),
            None,
        )
        .await;
    assert_eq!(admin["roles"], "system_user system_admin");
    assert_eq!(admin["email"], "", "other users' e-mail is hidden");
    assert!(admin.get("password_hash").is_none() && admin.get("auth_data").is_none());

    // Login is case-insensitive, by username or e-mail.
    for login_id in ["BOB", "Bob@Example.com"] {
        let (status, body) = http
            .call(
                POST,
                "/api/v1/auth/login",
                None,
                Some(json!({"login_id": login_id, "password": "password1"})),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{login_id}: {body}");
        assert_eq!(body["user"]["username"], "bob");
    }
    let (status, body) = http
        .call(
            POST,
            "/api/v1/auth/login",
            None,
            Some(json!({"login_id": "bob", "password": "wrong-password"})),
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["code"], "unauthorized");

    let (status, _) = http
        .call(POST, "/api/v1/auth/logout", Some(&bob_token), None)
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = http
        .call(GET, "/api/v1/users/me", Some(&bob_token), None)
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "logout revokes: {body}");
    let (status, _) = http.call(GET, "/api/v1/users/me", None, None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _) = http
        .call(GET, "/api/v1/users/me", Some("not-a-token"), None)
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

async fn teams_channels_posts_flow(ctx: Ctx) {
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
}

async fn me_id(http: &Http, token: &str) -> Value {
    http.call(GET, "/api/v1/users/me", Some(token), None)
        .await
        .1
}

/// Each representative bad request gets a 4xx JSON error naming the problem.
async fn bad_input_is_a_clear_4xx(ctx: Ctx) {
    let http = Http::new(&ctx.core);
    let (alice_id, alice) = http.user("alice").await;
    let (team_id, town) = team(&http, &alice, "eng").await;
    let long = "x".repeat(20_000);
    let unknown = core_server::id::new_id();
    let cases: Vec<(Method, String, Option<String>, StatusCode, &str)> = vec![
        // users
        (
            POST,
            "/api/v1/users".into(),
            Some("{not json".into()),
            StatusCode::BAD_REQUEST,
            "body",
        ),
        (
            POST,
            "/api/v1/users".into(),
            Some(json!({"username": "zed", "email": "z@e.com"}).to_string()),
            StatusCode::BAD_REQUEST,
            "password",
        ),
        (
            POST,
            "/api/v1/users".into(),
            Some(json!({"username": 7, "email": "z@e.com", "password": "password1"}).to_string()),
            StatusCode::BAD_REQUEST,
            "username",
        ),
        (
            POST,
            "/api/v1/users".into(),
            Some(
                json!({"username": "a".repeat(100), "email": "z@e.com", "password": "password1"})
                    .to_string(),
            ),
            StatusCode::BAD_REQUEST,
            "username",
        ),
        (
            POST,
            "/api/v1/users".into(),
            Some(json!({"username": "zed", "email": "nope", "password": "password1"}).to_string()),
            StatusCode::BAD_REQUEST,
            "email",
        ),
        (
            POST,
            "/api/v1/users".into(),
            Some(json!({"username": "zed", "email": "z@e.com", "password": "short"}).to_string()),
            StatusCode::BAD_REQUEST,
            "password",
        ),
        (
            POST,
            "/api/v1/users".into(),
            Some(
                json!({"username": "alice", "email": "z@e.com", "password": "password1"})
                    .to_string(),
            ),
            StatusCode::CONFLICT,
            "username",
        ),
        (
            GET,
            format!("/api/v1/users/{unknown}"),
            None,
            StatusCode::NOT_FOUND,
            "",
        ),
        (
            GET,
            "/api/v1/users/not-an-id".into(),
            None,
            StatusCode::BAD_REQUEST,
            "user_id",
        ),
        (
            PATCH,
            format!("/api/v1/users/{alice_id}"),
            Some(json!({"nickname": long}).to_string()),
            StatusCode::BAD_REQUEST,
            "nickname",
        ),
        (
            GET,
            "/api/v1/users?limit=0".into(),
            None,
            StatusCode::BAD_REQUEST,
            "limit",
        ),
        (
            GET,
            "/api/v1/users?limit=201".into(),
            None,
            StatusCode::BAD_REQUEST,
            "limit",
        ),
        (
            GET,
            "/api/v1/users?limit=abc".into(),
            None,
            StatusCode::BAD_REQUEST,
            "query",
        ),
        (
            GET,
            "/api/v1/users?cursor=zzz".into(),
            None,
            StatusCode::BAD_REQUEST,
            "cursor",
        ),
        (
            POST,
            "/api/v1/auth/login".into(),
            Some(json!({"login_id": "alice"}).to_string()),
            StatusCode::BAD_REQUEST,
            "password",
        ),
        // teams
        (
            POST,
            "/api/v1/teams".into(),
            Some(json!({"name": "Bad Name", "display_name": "x"}).to_string()),
            StatusCode::BAD_REQUEST,
            "name",
        ),
        (
            POST,
            "/api/v1/teams".into(),
            Some(json!({"name": "ok-name", "display_name": long}).to_string()),
            StatusCode::BAD_REQUEST,
            "display_name",
        ),
        (
            POST,
            "/api/v1/teams".into(),
            Some(json!({"name": "eng", "display_name": "dup"}).to_string()),
            StatusCode::CONFLICT,
            "name",
        ),
        (
            POST,
            "/api/v1/teams".into(),
            Some(json!({"name": "ok-name", "display_name": "x", "type": "Z"}).to_string()),
            StatusCode::BAD_REQUEST,
            "type",
        ),
        (
            GET,
            format!("/api/v1/teams/{unknown}"),
            None,
            StatusCode::NOT_FOUND,
            "",
        ),
        (
            GET,
            format!("/api/v1/teams/{team_id}/members?limit=-1"),
            None,
            StatusCode::BAD_REQUEST,
            "limit",
        ),
        // channels
        (
            POST,
            format!("/api/v1/teams/{team_id}/channels"),
            Some(json!({"name": "x", "display_name": "x", "type": "D"}).to_string()),
            StatusCode::BAD_REQUEST,
            "type",
        ),
        (
            POST,
            format!("/api/v1/teams/{team_id}/channels"),
            Some(json!({"name": "x", "display_name": "x", "header": long}).to_string()),
            StatusCode::BAD_REQUEST,
            "header",
        ),
        (
            POST,
            format!("/api/v1/teams/{team_id}/channels"),
            Some(json!({"name": "town-square", "display_name": "again"}).to_string()),
            StatusCode::CONFLICT,
            "name",
        ),
        (
            GET,
            format!("/api/v1/channels/{unknown}"),
            None,
            StatusCode::NOT_FOUND,
            "",
        ),
        (
            POST,
            "/api/v1/channels/group".into(),
            Some(json!({"user_ids": [alice_id]}).to_string()),
            StatusCode::BAD_REQUEST,
            "user_ids",
        ),
        (
            POST,
            "/api/v1/channels/direct".into(),
            Some(json!({"user_id": unknown}).to_string()),
            StatusCode::NOT_FOUND,
            "",
        ),
        // posts
        (
            POST,
            format!("/api/v1/channels/{town}/posts"),
            Some(json!({"message": long}).to_string()),
            StatusCode::BAD_REQUEST,
            "message",
        ),
        (
            POST,
            format!("/api/v1/channels/{town}/posts"),
            Some(json!({"message": "  "}).to_string()),
            StatusCode::BAD_REQUEST,
            "message",
        ),
        (
            POST,
            format!("/api/v1/channels/{town}/posts"),
            Some(json!({"message": "hi", "root_id": unknown}).to_string()),
            StatusCode::BAD_REQUEST,
            "root_id",
        ),
        (
            POST,
            format!("/api/v1/channels/{town}/posts"),
            Some(json!({"message": "hi", "props": []}).to_string()),
            StatusCode::BAD_REQUEST,
            "props",
        ),
        (
            POST,
            format!("/api/v1/channels/{town}/posts"),
            Some(json!({"message": ["hi"]}).to_string()),
            StatusCode::BAD_REQUEST,
            "message",
        ),
        (
            GET,
            format!("/api/v1/channels/{town}/posts?cursor={unknown}"),
            None,
            StatusCode::BAD_REQUEST,
            "cursor",
        ),
        (
            GET,
            format!("/api/v1/channels/{town}/posts?limit=1000"),
            None,
            StatusCode::BAD_REQUEST,
            "limit",
        ),
        (
            GET,
            format!("/api/v1/posts/{unknown}"),
            None,
            StatusCode::NOT_FOUND,
            "",
        ),
        (
            PUT,
            format!("/api/v1/posts/{unknown}/reactions/tada"),
            None,
            StatusCode::NOT_FOUND,
            "",
        ),
        // preferences and status
        (
            PUT,
            "/api/v1/users/me/preferences".into(),
            Some(json!([]).to_string()),
            StatusCode::BAD_REQUEST,
            "preferences",
        ),
        (
            PUT,
            "/api/v1/users/me/status".into(),
            Some(json!({"status": "sleeping"}).to_string()),
            StatusCode::BAD_REQUEST,
            "status",
        ),
        // oversize body
        (
            POST,
            format!("/api/v1/channels/{town}/posts"),
            Some(json!({"message": "x".repeat(400_000)}).to_string()),
            StatusCode::PAYLOAD_TOO_LARGE,
            "body",
        ),
        (
            GET,
            "/api/v1/no/such/route".into(),
            None,
            StatusCode::NOT_FOUND,
            "",
        ),
    ];
    for (method, path, body, expected, field) in cases {
        let (status, err) = http.raw(method.clone(), &path, Some(&alice), body).await;
        assert_eq!(status, expected, "{method} {path}: {err}");
        assert!(
            err["code"].is_string() && err["message"].is_string(),
            "{method} {path}: error body {err}"
        );
        if !field.is_empty() {
            assert_eq!(err["field"], field, "{method} {path}: {err}");
        }
    }
}

/// Nobody reads or writes what is not theirs.
async fn permissions_are_enforced(ctx: Ctx) {
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

async fn openapi_document_lists_the_routes(ctx: Ctx) {
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

/// An expired session is refused and removed.
async fn expired_sessions_are_refused(ctx: Ctx) {
    let http = Http::new(&ctx.core);
    let (user_id, _) = http.user("erin").await;
    let token = core_server::id::new_id();
    let session = core_server::model::Session {
        id: core_server::id::new_id(),
        token_hash: core_server::services::auth::hash_token(&token),
        user_id,
        create_at: 1,
        expires_at: 2,
        last_activity_at: 1,
        device_id: String::new(),
        roles: String::new(),
        props: Default::default(),
    };
    ctx.store.create_session(&session).await.expect("session");
    let (status, body) = http.call(GET, "/api/v1/users/me", Some(&token), None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    assert!(
        ctx.store
            .get_session_with_user(&session.token_hash)
            .await
            .is_err(),
        "the expired session is deleted"
    );
}

/// Files through the native API: upload into a channel, read back, attach
/// to a post, and no access for non-members.
async fn files_upload_read_attach_and_refuse_outsiders(ctx: Ctx) {
    let http = Http::new(&ctx.core);
    let (_, owner) = http.user("fiona").await;
    let (_, outsider) = http.user("oscar").await;
    let (team_id, channel) = team(&http, &owner, "files").await;
    let (status, info) = http
        .raw(
            POST,
            &format!("/api/v1/channels/{channel}/files?filename=notes.txt"),
            Some(&owner),
            Some("meeting notes".to_string()),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{info}");
    assert_eq!(info["name"], "notes.txt");
    assert_eq!(info["mime_type"], "text/plain");
    assert_eq!(info["size"], 13);
    let id = s(&info, "id");
    let (status, got) = http
        .call(GET, &format!("/api/v1/files/{id}"), Some(&owner), None)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(got, json!("meeting notes"));
    let (status, _) = http
        .call(
            GET,
            &format!("/api/v1/files/{id}/info"),
            Some(&outsider),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "an outsider reads nothing");
    let (status, p) = http
        .call(
            POST,
            &format!("/api/v1/channels/{channel}/posts"),
            Some(&owner),
            Some(json!({"message": "see notes", "file_ids": [id]})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{p}");
    let (status, files) = http
        .call(
            GET,
            &format!("/api/v1/posts/{}/files", s(&p, "id")),
            Some(&owner),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(files[0]["id"], id.as_str());
    assert_eq!(files[0]["post_id"], p["id"]);
    let search = format!("/api/v1/teams/{team_id}/files/search");
    let (status, found) = http
        .call(GET, &format!("{search}?terms=NOTES"), Some(&owner), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{found}");
    assert_eq!(
        found[0]["id"],
        id.as_str(),
        "names match case-insensitively"
    );
    let (_, none) = http
        .call(GET, &format!("{search}?terms=minutes"), Some(&owner), None)
        .await;
    assert_eq!(none, json!([]));
    let (status, _) = http
        .call(GET, &format!("{search}?terms=notes"), Some(&outsider), None)
        .await;
    assert!(
        status.is_client_error(),
        "an outsider searches nothing: {status}"
    );
    let (status, err) = http
        .call(GET, &format!("{search}?terms=%20"), Some(&owner), None)
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(err.to_string().contains("terms"), "{err}");
    let (status, _) = http
        .raw(
            POST,
            &format!("/api/v1/channels/{channel}/files?filename=x.txt"),
            Some(&outsider),
            Some("x".to_string()),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "an outsider cannot upload");
}

/// The routes the web app leans on: public settings, search, catch-up after
/// sleep, @mention autocomplete, presence, and the caller's read state.
async fn web_client_routes(ctx: Ctx) {
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

/// Login also sets an HttpOnly session cookie; it authorises reads only (a
/// browser sends it by itself, so never a change), and logout clears it.
async fn the_session_cookie_authorises_reads_only(ctx: Ctx) {
    use axum::body::Body;
    use axum::http::Request;
    use tower::ServiceExt;
    let http = Http::new(&ctx.core);
    let (_, token) = http.user("carla").await;
    let (_, channel) = team(&http, &token, "cookies").await;
    let send = |method: Method, path: String, cookie: Option<String>, bearer: Option<String>| {
        let router = http.router.clone();
        async move {
            let mut req = Request::builder().method(method).uri(path);
            if let Some(c) = cookie {
                req = req.header("cookie", c);
            }
            if let Some(t) = bearer {
                req = req.header("authorization", format!("Bearer {t}"));
            }
            let req = req
                .header("content-type", "application/json")
                .body(Body::from(r#"{"message": "via cookie"}"#))
                .expect("request");
            router.oneshot(req).await.expect("response")
        }
    };
    let req = axum::http::Request::builder()
        .method(POST)
        .uri("/api/v1/auth/login")
        .header("content-type", "application/json")
        .body(axum::body::Body::from(
            json!({"login_id": "carla", "password": "password1"}).to_string(),
        ))
        .expect("request");
    let resp = http.router.clone().oneshot(req).await.expect("login");
    let set_cookie = resp
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .expect("a session cookie")
        .to_string();
    assert!(
        set_cookie.contains("HttpOnly") && set_cookie.contains("SameSite=Strict"),
        "{set_cookie}"
    );
    assert!(set_cookie.contains("Path=/api/v1"), "{set_cookie}");
    let cookie = set_cookie.split(';').next().expect("pair").to_string();
    let cookie_token = cookie.split_once('=').expect("value").1.to_string();

    let me = send(GET, "/api/v1/users/me".into(), Some(cookie.clone()), None).await;
    assert_eq!(me.status(), StatusCode::OK, "reads work with the cookie");
    let write = send(
        POST,
        format!("/api/v1/channels/{channel}/posts"),
        Some(cookie.clone()),
        None,
    )
    .await;
    assert_eq!(
        write.status(),
        StatusCode::UNAUTHORIZED,
        "a cookie never authorises a change"
    );
    let out = send(POST, "/api/v1/auth/logout".into(), None, Some(cookie_token)).await;
    assert_eq!(out.status(), StatusCode::OK);
    let cleared = out
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    assert!(cleared.contains("Max-Age=0"), "{cleared}");
    let after = send(GET, "/api/v1/users/me".into(), Some(cookie), None).await;
    assert_eq!(
        after.status(),
        StatusCode::UNAUTHORIZED,
        "the session is gone"
    );
}

/// Password reset on the native API: without SMTP the send answers 501; a
/// bad token is a 400 naming the field (the mail flow itself is tested
/// against a real SMTP server in mm-bridge's e-mail tests).
async fn password_reset_routes(ctx: Ctx) {
    let http = Http::new(&ctx.core);
    http.user("rita").await;
    let (status, body) = http
        .call(
            POST,
            "/api/v1/auth/password/reset/send",
            None,
            Some(json!({"email": "rita@example.com"})),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_IMPLEMENTED, "{body}");
    let (status, body) = http
        .call(
            POST,
            "/api/v1/auth/password/reset",
            None,
            Some(json!({"token": "x".repeat(64), "new_password": "another-password"})),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.to_string().contains("token"), "{body}");
    let (status, body) = http
        .call(
            POST,
            "/api/v1/auth/password/reset",
            None,
            Some(json!({"token": "short"})),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.to_string().contains("new_password"), "{body}");
}

/// `POST /api/v1/posts/metadata`: one call for the reactions and files under a
/// page of posts, leaving out posts the caller may not read.
async fn post_metadata_for_a_page(ctx: Ctx) {
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

on_both_backends!(
    post_metadata_for_a_page,
    web_client_routes,
    password_reset_routes,
    the_session_cookie_authorises_reads_only,
    files_upload_read_attach_and_refuse_outsiders,
    expired_sessions_are_refused,
    auth_login_logout,
    teams_channels_posts_flow,
    bad_input_is_a_clear_4xx,
    permissions_are_enforced,
    openapi_document_lists_the_routes,
);

/// Data survives a restart: a new store on the same SQLite file still logs the user in.
#[tokio::test]
async fn sqlite_data_survives_a_restart() {
    let dir = tempfile::tempdir().expect("tempdir");
    let url = format!("sqlite://{}", dir.path().join("r.db").display());
    {
        let store = core_server::store::open(&url, 2).await.expect("open");
        let http = Http::new(&core_server::services::Core::new(store, Default::default()));
        http.user("persist").await;
    }
    let store = core_server::store::open(&url, 2).await.expect("reopen");
    let http = Http::new(&core_server::services::Core::new(store, Default::default()));
    let (status, body) = http
        .call(
            POST,
            "/api/v1/auth/login",
            None,
            Some(json!({"login_id": "persist", "password": "password1"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
}
