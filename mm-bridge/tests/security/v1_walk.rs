//! The authorization walk over the native API: every operation of
//! `/api/v1/openapi.json`, called by a stranger (no session) and by an
//! outsider (a signed-in user who belongs to none of the things named in the
//! path), with a body that would succeed for the owner. The document itself
//! says which operations need a session, so a new route is walked as soon as
//! it is described.

use std::collections::BTreeMap;

use axum::http::{Method, StatusCode};
use serde_json::{json, Value};

use crate::support::{id, App, Backend, PNG};

/// Operations any signed-in user may call on another user's profile, as
/// Mattermost lets everyone see everyone (its default `RestrictDirectMessage`).
const OPEN_TO_ALL_USERS: &[(&str, &str)] = &[
    ("GET", "/api/v1/users/{user_id}"),
    ("GET", "/api/v1/users/username/{username}"),
    ("GET", "/api/v1/users/{user_id}/image"),
    ("GET", "/api/v1/users/{user_id}/status"),
    ("GET", "/api/v1/emoji/{emoji_id}/image"),
];

/// Operations whose path parameter is itself the permission: a team's
/// invite id is the invitation, so whoever holds it may see the team's name
/// and join. The walk proves only that a wrong one opens nothing.
const THE_ID_IS_THE_INVITATION: &[(&str, &str)] = &[
    ("GET", "/api/v1/invites/{invite_id}"),
    ("POST", "/api/v1/invites/{invite_id}/join"),
];

/// The owner's things, by the path parameter that names them.
struct Owned {
    owner_token: String,
    outsider_id: String,
    params: BTreeMap<&'static str, String>,
    post: String,
    channel: String,
}

async fn v1(app: &App, method: Method, path: &str, token: &str, body: Value) -> Value {
    let (status, reply, _) = app.call(&method, path, Some(token), Some(&body)).await;
    assert!(status.is_success(), "{method} {path}: {status} {reply}");
    reply
}

/// An invite-only team with a private channel, a post with a file and a
/// reaction in it, all the owner's; and an outsider in none of them.
async fn set_up(app: &App) -> (Owned, String) {
    app.user("root").await; // the first account is the system admin
    let (owner_id, owner) = app.user("owner").await;
    let (outsider_id, outsider) = app.user("outsider").await;
    let team = id(&v1(
        app,
        Method::POST,
        "/api/v1/teams",
        &owner,
        json!({"name": "vault", "display_name": "Vault", "type": "I"}),
    )
    .await);
    let channel = id(&v1(
        app,
        Method::POST,
        &format!("/api/v1/teams/{team}/channels"),
        &owner,
        json!({"name": "secret", "display_name": "Secret", "type": "P"}),
    )
    .await);
    let upload = app
        .send(
            Method::POST,
            &format!("/api/v1/channels/{channel}/files?filename=plans.txt"),
            Some(&owner),
            Some("application/octet-stream"),
            b"the plans".to_vec(),
        )
        .await;
    assert!(upload.status.is_success(), "upload: {}", upload.json());
    let uploaded = upload.json();
    let file = uploaded["id"]
        .as_str()
        .or(uploaded["file_infos"][0]["id"].as_str())
        .or(uploaded[0]["id"].as_str())
        .unwrap_or_else(|| panic!("a file id in {uploaded}"))
        .to_string();
    let post = id(&v1(
        app,
        Method::POST,
        &format!("/api/v1/channels/{channel}/posts"),
        &owner,
        json!({"message": "the plans", "file_ids": [file]}),
    )
    .await);
    let (status, _, _) = app
        .call(
            &Method::PUT,
            &format!("/api/v1/posts/{post}/reactions/smile"),
            Some(&owner),
            None,
        )
        .await;
    assert!(status.is_success(), "reaction: {status}");
    let invite = app
        .get(&format!("/api/v1/teams/{team}"), &owner)
        .await
        .json()["invite_id"]
        .as_str()
        .unwrap_or_else(|| panic!("the owner sees the team's invite id"))
        .to_string();
    let sessions = app.get("/api/v1/auth/sessions", &owner).await.json();
    let session = sessions
        .as_array()
        .and_then(|s| s.first())
        .map(id)
        .unwrap_or_else(|| panic!("the owner's sessions: {sessions}"));
    let emoji = app
        .send(
            Method::POST,
            "/api/v1/emoji?name=owners_own",
            Some(&owner),
            Some("image/png"),
            PNG.to_vec(),
        )
        .await;
    assert!(emoji.status.is_success(), "emoji: {}", emoji.json());
    let params = BTreeMap::from([
        ("team_id", team),
        ("channel_id", channel.clone()),
        ("post_id", post.clone()),
        ("file_id", file),
        ("user_id", owner_id),
        ("username", "owner".to_string()),
        ("session_id", session),
        ("emoji_name", "smile".to_string()),
        ("action_id", "approve".to_string()),
        ("invite_id", invite),
        ("emoji_id", id(&emoji.json())),
        // Jobs are the system admin's alone: any id is refused to others.
        ("job_id", "abcdefghijklmnopqrstuvwxyz".to_string()),
        // Agents are the system admin's to change (any id is refused to
        // others); reading one is open to everyone, like a user's profile,
        // so here an unknown one is not found.
        ("agent_id", "abcdefghijklmnopqrstuvwxyz".to_string()),
    ]);
    let owned = Owned {
        owner_token: owner,
        outsider_id,
        params,
        post,
        channel,
    };
    (owned, outsider)
}

/// Every operation of the native API's description: method, path, whether it
/// needs a session.
fn operations() -> Vec<(Method, String, bool)> {
    let document = serde_json::to_value(core_server::api::openapi_document()).expect("document");
    let mut found = Vec::new();
    for (path, item) in document["paths"].as_object().expect("paths") {
        for (method, operation) in item.as_object().expect("operations") {
            let Ok(method) = Method::from_bytes(method.to_ascii_uppercase().as_bytes()) else {
                continue;
            };
            let secured = operation["security"]
                .as_array()
                .is_some_and(|s| !s.is_empty());
            found.push((method, path.clone(), secured));
        }
    }
    assert!(found.len() > 60, "the document lists the API: {found:?}");
    found
}

/// The path with the owner's things in it (`{name}` is the team's or the
/// channel's name), and the query some operations need.
fn fill(path: &str, owned: &Owned) -> String {
    let mut filled = path.to_string();
    let name = if path.contains("/channels/name/") {
        "secret"
    } else {
        "vault"
    };
    filled = filled.replace("{name}", name);
    for (param, value) in &owned.params {
        filled = filled.replace(&format!("{{{param}}}"), value);
    }
    let query = if path.ends_with("/search") {
        "?terms=plans&term=owner"
    } else if path.ends_with("/suggestions") {
        "?text=%2Fec"
    } else if path.ends_with("/since") {
        "?since=0"
    } else if path.ends_with("/files") && !path.starts_with("/api/v1/posts") {
        "?filename=more.txt"
    } else {
        ""
    };
    filled + query
}

/// A body that the owner's own call would be accepted with, so that only
/// the permission check stands between the outsider and success.
fn body_for(method: &Method, path: &str, owned: &Owned) -> (Option<&'static str>, Vec<u8>) {
    let owner = &owned.params["user_id"];
    let outsider = &owned.outsider_id;
    let json = match (method.as_str(), path) {
        (_, p) if p.ends_with("/files") || p.ends_with("/image") => {
            return (Some("application/octet-stream"), b"more plans".to_vec())
        }
        ("PATCH", p) if p.ends_with("/notify_props") => json!({"desktop": "none"}),
        ("PUT", p) if p.ends_with("/custom_status") => json!({"emoji": "smile", "text": "away"}),
        ("PUT", p) if p.ends_with("/following") => json!({"following": true}),
        ("PUT", p) if p.ends_with("/active") => json!({"active": false}),
        ("PUT", p) if p.ends_with("/roles") => json!({"roles": "system_user system_admin"}),
        ("PATCH", p) if p.contains("/posts/") => json!({"message": "rewritten"}),
        ("PATCH", p) if p.contains("/users/") => json!({"nickname": "hacked"}),
        ("PATCH", p) if p.contains("/agents/") => json!({"enabled": false}),
        ("PATCH", _) => json!({"display_name": "Hacked"}),
        ("POST", p) if p.ends_with("/members") => json!({"user_id": outsider}),
        ("POST", p) if p.ends_with("/posts") => json!({"message": "intruding"}),
        ("POST", p) if p.ends_with("/channels") => {
            json!({"name": "intruder", "display_name": "Intruder", "type": "O"})
        }
        ("PUT", p) if p.ends_with("/password") => {
            json!({"current_password": "not-the-password", "new_password": "a-new-password"})
        }
        (_, p) if p.contains("/preferences") => {
            json!([{"user_id": owner, "category": "display_settings", "name": "theme", "value": "dark"}])
        }
        ("PUT", p) if p.ends_with("/status") => json!({"status": "away"}),
        _ => json!({}),
    };
    (Some("application/json"), json.to_string().into_bytes())
}

async fn every_v1_operation_refuses_strangers_and_outsiders(backend: Backend) {
    let Some(app) = backend.app(crate::support::open_config()).await else {
        return;
    };
    let (owned, outsider) = set_up(&app).await;
    let operations = operations();

    // No session: every operation the document marks as needing one is a 401.
    for (method, path, secured) in &operations {
        let (content_type, body) = body_for(method, path, &owned);
        let reply = app
            .send(
                method.clone(),
                &fill(path, &owned),
                None,
                content_type,
                body,
            )
            .await;
        if *secured {
            assert_eq!(
                reply.status,
                StatusCode::UNAUTHORIZED,
                "anonymous {method} {path}: {}",
                reply.json()
            );
            assert_eq!(reply.json()["code"], "unauthorized", "{method} {path}");
        } else {
            assert_ne!(reply.status, StatusCode::UNAUTHORIZED, "{method} {path}");
            assert!(reply.status.as_u16() < 500, "{method} {path}");
        }
    }

    // A signed-in outsider, on everything that names the owner's things.
    let mut walked = 0;
    for (method, path, _) in &operations {
        let operation = (method.as_str(), path.as_str());
        if THE_ID_IS_THE_INVITATION.contains(&operation) {
            let wrong = path.replace("{invite_id}", "abcdefghijklmnopqrstuvwxyz");
            let reply = app
                .send(method.clone(), &wrong, Some(&outsider), None, Vec::new())
                .await;
            assert_eq!(
                reply.status,
                StatusCode::NOT_FOUND,
                "outsider {method} {wrong}: {}",
                reply.json()
            );
            continue;
        }
        let names_owned = path.contains('{') && !OPEN_TO_ALL_USERS.contains(&operation);
        if !names_owned {
            continue;
        }
        walked += 1;
        let (content_type, body) = body_for(method, path, &owned);
        let reply = app
            .send(
                method.clone(),
                &fill(path, &owned),
                Some(&outsider),
                content_type,
                body,
            )
            .await;
        assert!(
            matches!(reply.status.as_u16(), 403 | 404),
            "outsider {method} {path}: {} {}",
            reply.status,
            reply.json()
        );
    }
    assert!(walked > 40, "the walk reached the owned routes ({walked})");

    // And nothing of the owner's changed.
    let owner = &owned.owner_token;
    let post = app
        .get(&format!("/api/v1/posts/{}", owned.post), owner)
        .await
        .json();
    assert_eq!(post["message"], "the plans", "{post}");
    assert_eq!(post["delete_at"], 0, "{post}");
    let channel = app
        .get(&format!("/api/v1/channels/{}", owned.channel), owner)
        .await
        .json();
    assert_eq!(channel["display_name"], "Secret", "{channel}");
    let me = app.get("/api/v1/users/me", owner).await;
    assert_eq!(me.status, 200, "the owner's session survived");
    assert_eq!(me.json()["nickname"], "", "{}", me.json());
    let team = app
        .get(
            &format!("/api/v1/teams/{}/members", owned.params["team_id"]),
            owner,
        )
        .await
        .json();
    let members = team["items"].as_array().or(team.as_array()).cloned();
    assert_eq!(members.map(|m| m.len()), Some(1), "{team}");
}

on_both_backends!(every_v1_operation_refuses_strangers_and_outsiders);
