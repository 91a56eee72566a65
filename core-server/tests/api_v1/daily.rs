//! The native routes of daily use beside posting: followed threads, mark as
//! unread, custom status, channel settings, slash commands and custom emoji;
//! each for its owner, refused to others. The first account of each test
//! (alice) is the server's system admin, so refusals are tried by bob.

use axum::http::StatusCode;
use serde_json::{json, Value};

use crate::fixtures::{post, team, DELETE, GET, PATCH, POST, PUT};
use crate::support::Ctx;
use crate::support::{s, Http};

/// A team of alice's that bob joined; (team id, town square).
async fn shared_team(http: &Http, alice: &str, bob: &str, name: &str) -> (String, String) {
    let (team_id, town) = team(http, alice, name).await;
    let (status, m) = http
        .call(
            POST,
            &format!("/api/v1/teams/{team_id}/members"),
            Some(bob),
            Some(json!({"user_id": "me"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{m}");
    (team_id, town)
}

fn thread_ids(list: &Value) -> Vec<String> {
    list["threads"]
        .as_array()
        .expect("threads")
        .iter()
        .map(|t| s(&t["root"], "id"))
        .collect()
}

pub async fn followed_threads_are_listed_read_and_unfollowed(ctx: Ctx) {
    let http = Http::new(&ctx.core);
    let (_, alice) = http.user("alice").await;
    let (_, bob) = http.user("bob").await;
    let (_, outsider) = http.user("oscar").await;
    let (team_id, town) = shared_team(&http, &alice, &bob, "threads").await;
    let root = post(&http, &alice, &town, "who has the release notes?").await;
    let root_id = s(&root, "id");
    let (status, reply) = http
        .call(
            POST,
            &format!("/api/v1/channels/{town}/posts"),
            Some(&bob),
            Some(json!({"message": "I do, @alice", "root_id": root_id})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{reply}");

    let threads = format!("/api/v1/teams/{team_id}/threads");
    let (status, list) = http.call(GET, &threads, Some(&alice), None).await;
    assert_eq!(status, StatusCode::OK, "{list}");
    assert_eq!(
        thread_ids(&list),
        vec![root_id.clone()],
        "the root's author follows it"
    );
    assert_eq!(list["total_unread_threads"], 1, "{list}");
    assert_eq!(list["threads"][0]["unread_replies"], 1, "{list}");
    assert_eq!(list["total_unread_mentions"], 1, "{list}");

    let (status, body) = http
        .call(
            POST,
            &format!("/api/v1/posts/{root_id}/thread/read"),
            Some(&alice),
            Some(json!({})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, list) = http
        .call(
            GET,
            &format!("{threads}?unread_only=true"),
            Some(&alice),
            None,
        )
        .await;
    assert_eq!(thread_ids(&list), Vec::<String>::new(), "read now: {list}");
    assert_eq!(list["total"], 1, "still followed");

    let (status, _) = http
        .call(
            PUT,
            &format!("/api/v1/posts/{root_id}/following"),
            Some(&alice),
            Some(json!({"following": false})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (_, list) = http.call(GET, &threads, Some(&alice), None).await;
    assert_eq!(list["total"], 0, "unfollowed: {list}");

    // Someone outside the team sees none of it and cannot follow.
    let (status, _) = http.call(GET, &threads, Some(&outsider), None).await;
    assert!(matches!(status.as_u16(), 403 | 404), "{status}");
    let (status, _) = http
        .call(
            PUT,
            &format!("/api/v1/posts/{root_id}/following"),
            Some(&outsider),
            Some(json!({"following": true})),
        )
        .await;
    assert!(matches!(status.as_u16(), 403 | 404), "{status}");
    let (status, _) = http
        .call(
            POST,
            &format!("/api/v1/teams/{team_id}/threads/read"),
            Some(&outsider),
            None,
        )
        .await;
    assert!(matches!(status.as_u16(), 403 | 404), "{status}");
    // A reply is not a thread's root.
    let (status, body) = http
        .call(
            PUT,
            &format!("/api/v1/posts/{}/following", s(&reply, "id")),
            Some(&alice),
            Some(json!({"following": true})),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["field"], "thread_id", "{body}");
}

/// Threads followed without replies all share a last reply time (none):
/// paging by time and root id still lists each once.
pub async fn followed_threads_page_through_ties(ctx: Ctx) {
    let http = Http::new(&ctx.core);
    let (_, alice) = http.user("alice").await;
    let (team_id, town) = team(&http, &alice, "ties").await;
    let mut roots = Vec::new();
    for n in 0..3 {
        let root = post(&http, &alice, &town, &format!("topic {n}")).await;
        let id = s(&root, "id");
        let (status, _) = http
            .call(
                PUT,
                &format!("/api/v1/posts/{id}/following"),
                Some(&alice),
                Some(json!({"following": true})),
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        roots.push(id);
    }
    let threads = format!("/api/v1/teams/{team_id}/threads");
    let (_, first) = http
        .call(GET, &format!("{threads}?limit=2"), Some(&alice), None)
        .await;
    let mut seen = thread_ids(&first);
    assert_eq!(seen.len(), 2, "{first}");
    let last = &first["threads"][1]["root"];
    let (_, rest) = http
        .call(
            GET,
            &format!(
                "{threads}?limit=2&before={}&before_id={}",
                last["last_reply_at"],
                s(last, "id")
            ),
            Some(&alice),
            None,
        )
        .await;
    seen.extend(thread_ids(&rest));
    seen.sort();
    roots.sort();
    assert_eq!(seen, roots, "every thread once: {first} {rest}");
}

pub async fn a_channel_is_marked_unread_from_a_post(ctx: Ctx) {
    let http = Http::new(&ctx.core);
    let (_, alice) = http.user("alice").await;
    let (_, bob) = http.user("bob").await;
    let (_, outsider) = http.user("oscar").await;
    let (_, town) = shared_team(&http, &alice, &bob, "unread").await;
    let first = post(&http, &bob, &town, "one").await;
    post(&http, &bob, &town, "two").await;
    let (status, _) = http
        .call(
            POST,
            &format!("/api/v1/channels/{town}/read"),
            Some(&alice),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);

    let (status, member) = http
        .call(
            POST,
            &format!("/api/v1/posts/{}/unread", s(&first, "id")),
            Some(&alice),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{member}");
    assert_eq!(
        member["last_viewed_at"],
        first["create_at"].as_i64().expect("time") - 1
    );
    let (_, unreads) = http
        .call(GET, "/api/v1/users/me/unreads", Some(&alice), None)
        .await;
    let entry = unreads
        .as_array()
        .expect("unreads")
        .iter()
        .find(|u| u["channel_id"] == town.as_str())
        .cloned()
        .unwrap_or(Value::Null);
    assert_eq!(entry["msg_count"], 2, "both posts unread again: {unreads}");

    let (status, _) = http
        .call(
            POST,
            &format!("/api/v1/posts/{}/unread", s(&first, "id")),
            Some(&outsider),
            None,
        )
        .await;
    assert!(matches!(status.as_u16(), 403 | 404), "{status}");
}

pub async fn a_custom_status_is_set_shown_and_cleared(ctx: Ctx) {
    let http = Http::new(&ctx.core);
    let (alice_id, alice) = http.user("alice").await;
    let (_, bob) = http.user("bob").await;
    let status_body = json!({"emoji": "palm_tree", "text": "On holiday", "duration": "this_week",
        "expires_at": "2999-01-01T00:00:00Z"});
    let (status, set) = http
        .call(
            PUT,
            "/api/v1/users/me/custom_status",
            Some(&alice),
            Some(status_body),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{set}");
    assert_eq!(set["text"], "On holiday");
    let (_, seen) = http
        .call(GET, &format!("/api/v1/users/{alice_id}"), Some(&bob), None)
        .await;
    let shown: Value =
        serde_json::from_str(seen["props"]["customStatus"].as_str().expect("a status"))
            .expect("json");
    assert_eq!(shown["emoji"], "palm_tree", "{seen}");

    let (status, _) = http
        .call(
            PUT,
            &format!("/api/v1/users/{alice_id}/custom_status"),
            Some(&bob),
            Some(json!({"emoji": "x", "text": "hacked"})),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "someone else's status");
    let (status, body) = http
        .call(
            PUT,
            "/api/v1/users/me/custom_status",
            Some(&alice),
            Some(json!({"emoji": "x", "text": "soon", "duration": "one_hour", "expires_at": "tomorrow"})),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["field"], "custom_status", "{body}");

    let (status, _) = http
        .call(DELETE, "/api/v1/users/me/custom_status", Some(&alice), None)
        .await;
    assert_eq!(status, StatusCode::OK);
    let (_, seen) = http
        .call(GET, &format!("/api/v1/users/{alice_id}"), Some(&bob), None)
        .await;
    assert_eq!(
        seen["props"]["customStatus"].as_str().unwrap_or(""),
        "",
        "{seen}"
    );
}

pub async fn channel_settings_archive_restore_and_notifications(ctx: Ctx) {
    let http = Http::new(&ctx.core);
    let (alice_id, alice) = http.user("alice").await;
    let (_, bob) = http.user("bob").await;
    let (team_id, _) = shared_team(&http, &alice, &bob, "settings").await;
    let (status, channel) = http
        .call(
            POST,
            &format!("/api/v1/teams/{team_id}/channels"),
            Some(&alice),
            Some(json!({"name": "ops", "display_name": "Ops", "type": "O"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{channel}");
    let id = s(&channel, "id");
    let (status, _) = http
        .call(
            POST,
            &format!("/api/v1/channels/{id}/members"),
            Some(&bob),
            Some(json!({"user_id": "me"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);

    // Muting is one's own notification setting.
    let props = format!("/api/v1/channels/{id}/members/me/notify_props");
    let (status, member) = http
        .call(
            PATCH,
            &props,
            Some(&bob),
            Some(json!({"mark_unread": "mention", "desktop": "none"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{member}");
    assert_eq!(member["notify_props"]["mark_unread"], "mention");
    assert_eq!(member["notify_props"]["desktop"], "none");
    let (status, body) = http
        .call(PATCH, &props, Some(&bob), Some(json!({"desktop": "loud"})))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["field"], "notify_props");
    let (status, _) = http
        .call(
            PATCH,
            &format!("/api/v1/channels/{id}/members/{alice_id}/notify_props"),
            Some(&bob),
            Some(json!({"desktop": "all"})),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "someone else's settings");

    // Archive and restore: the team's admin may, a member may not restore.
    let (status, archived) = http
        .call(
            DELETE,
            &format!("/api/v1/channels/{id}"),
            Some(&alice),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{archived}");
    assert_ne!(archived["delete_at"], 0);
    let restore = format!("/api/v1/channels/{id}/restore");
    let (status, _) = http.call(POST, &restore, Some(&bob), None).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "a member cannot restore");
    let (status, restored) = http.call(POST, &restore, Some(&alice), None).await;
    assert_eq!(status, StatusCode::OK, "{restored}");
    assert_eq!(restored["delete_at"], 0);
    let (status, body) = http.call(POST, &restore, Some(&alice), None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "not archived: {body}");
}

pub async fn slash_commands_are_suggested_and_run(ctx: Ctx) {
    let http = Http::new(&ctx.core);
    let (alice_id, alice) = http.user("alice").await;
    let (_, bob) = http.user("bob").await;
    let (_, outsider) = http.user("oscar").await;
    let (team_id, town) = shared_team(&http, &alice, &bob, "commands").await;

    let suggest = |text: &str| format!("/api/v1/teams/{team_id}/commands/suggestions?text={text}");
    let (status, list) = http.call(GET, &suggest("%2Fec"), Some(&alice), None).await;
    assert_eq!(status, StatusCode::OK, "{list}");
    let names: Vec<String> = list
        .as_array()
        .expect("a list")
        .iter()
        .map(|x| s(x, "suggestion"))
        .collect();
    assert_eq!(names, vec!["echo".to_string()], "{list}");
    let (status, _) = http
        .call(GET, &suggest("%2Fec"), Some(&outsider), None)
        .await;
    assert!(matches!(status.as_u16(), 403 | 404), "{status}");

    let run = |command: &str, channel: &str| json!({"channel_id": channel, "command": command});
    let (status, outcome) = http
        .call(
            POST,
            "/api/v1/commands/execute",
            Some(&alice),
            Some(run("/away", &town)),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{outcome}");
    let (_, st) = http
        .call(
            GET,
            &format!("/api/v1/users/{alice_id}/status"),
            Some(&bob),
            None,
        )
        .await;
    assert_eq!(st["status"], "away", "{st}");

    let (status, body) = http
        .call(
            POST,
            "/api/v1/commands/execute",
            Some(&alice),
            Some(run("/nosuchthing now", &town)),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    assert_eq!(body["code"], "command_not_found");
    assert!(s(&body, "message").contains("/nosuchthing"), "{body}");
    let (status, body) = http
        .call(
            POST,
            "/api/v1/commands/execute",
            Some(&alice),
            Some(run("hello", &town)),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["field"], "command");
    let (status, _) = http
        .call(
            POST,
            "/api/v1/commands/execute",
            Some(&outsider),
            Some(run("/shrug hi", &town)),
        )
        .await;
    assert!(
        matches!(status.as_u16(), 403 | 404),
        "a channel one is not in: {status}"
    );
}

/// The smallest PNG: one transparent pixel.
const PIXEL_PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
    0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x00, 0x01, 0x00, 0x00,
    0x05, 0x00, 0x01, 0x0d, 0x0a, 0x2d, 0xb4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae,
    0x42, 0x60, 0x82,
];

pub async fn custom_emoji_are_added_listed_and_deleted_by_their_creator(ctx: Ctx) {
    let http = Http::new(&ctx.core);
    let (_, alice) = http.user("alice").await;
    let (_, bob) = http.user("bob").await;
    let (status, raw) = http
        .raw_bytes(
            POST,
            "/api/v1/emoji?name=party_parrot",
            Some(&alice),
            Some(PIXEL_PNG.to_vec()),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::CREATED,
        "{}",
        String::from_utf8_lossy(&raw)
    );
    let emoji: Value = serde_json::from_slice(&raw).expect("json");
    let id = s(&emoji, "id");

    let (status, list) = http
        .call(GET, "/api/v1/emoji?prefix=party", Some(&bob), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{list}");
    assert_eq!(list.as_array().map(Vec::len), Some(1), "{list}");
    let (status, image) = http
        .raw_bytes(GET, &format!("/api/v1/emoji/{id}/image"), Some(&bob), None)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(image, PIXEL_PNG);

    let (status, raw) = http
        .raw_bytes(
            POST,
            "/api/v1/emoji?name=party_parrot",
            Some(&bob),
            Some(PIXEL_PNG.to_vec()),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::CONFLICT,
        "the name is taken: {}",
        String::from_utf8_lossy(&raw)
    );
    let (status, raw) = http
        .raw_bytes(
            POST,
            "/api/v1/emoji?name=notanimage",
            Some(&bob),
            Some(b"hello".to_vec()),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::BAD_REQUEST,
        "{}",
        String::from_utf8_lossy(&raw)
    );
    let (status, _) = http.call(GET, "/api/v1/emoji", None, None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    // Up to the emoji limit (512 KiB), past the server's general body limit.
    let large = [PIXEL_PNG, &vec![0u8; 400 * 1024]].concat();
    let (status, raw) = http
        .raw_bytes(
            POST,
            "/api/v1/emoji?name=large_one",
            Some(&bob),
            Some(large),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::CREATED,
        "{}",
        String::from_utf8_lossy(&raw)
    );
    let too_large = [PIXEL_PNG, &vec![0u8; 600 * 1024]].concat();
    let (status, refused) = http
        .raw_bytes(
            POST,
            "/api/v1/emoji?name=too_large",
            Some(&bob),
            Some(too_large),
        )
        .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    // A v1 error like any other, not the framework's plain text.
    let refused: Value = serde_json::from_slice(&refused).expect("a JSON error");
    assert_eq!(refused["code"], "too_large", "{refused}");
    assert_eq!(refused["field"], "body", "{refused}");
    let (status, _) = http
        .call(
            DELETE,
            &format!(
                "/api/v1/emoji/{}",
                s(&serde_json::from_slice::<Value>(&raw).expect("json"), "id")
            ),
            Some(&bob),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "its creator deletes it");

    let (status, _) = http
        .call(DELETE, &format!("/api/v1/emoji/{id}"), Some(&bob), None)
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "only its creator");
    let (status, _) = http
        .call(DELETE, &format!("/api/v1/emoji/{id}"), Some(&alice), None)
        .await;
    assert_eq!(status, StatusCode::OK);
    let (_, list) = http.call(GET, "/api/v1/emoji", Some(&bob), None).await;
    assert_eq!(list, json!([]));
}
