//! Walks every implemented v4 route as an anonymous caller, as a user outside
//! the team, as a team member outside a private channel, and as the owner,
//! asserting Mattermost's status for each: no route hands out what it should not.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use axum::Router;
use core_server::services::Core;
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tower::ServiceExt;

struct App {
    router: Router,
    _dir: tempfile::TempDir,
}

impl App {
    async fn new() -> App {
        App::with_config(Default::default()).await
    }

    async fn with_config(config: core_server::config::Config) -> App {
        let dir = tempfile::tempdir().expect("tempdir");
        let url = format!("sqlite://{}", dir.path().join("t.db").display());
        let store = core_server::store::open(&url, 4).await.expect("store");
        // Uploaded files go to the test's own directory, never the working tree.
        let config = core_server::config::Config {
            data_dir: dir.path().join("data"),
            ..config
        };
        let core = Core::new(store, config);
        App {
            router: core_server::server::app(core.clone(), mm_bridge::router(core)),
            _dir: dir,
        }
    }

    async fn call(
        &self,
        method: &Method,
        path: &str,
        token: Option<&str>,
        body: Option<&Value>,
    ) -> (StatusCode, Value, axum::http::HeaderMap) {
        let mut req = Request::builder().method(method.clone()).uri(path);
        if let Some(t) = token {
            req = req.header("authorization", format!("Bearer {t}"));
        }
        let req = match body {
            Some(b) => req
                .header("content-type", "application/json")
                .body(Body::from(b.to_string())),
            None => req.body(Body::empty()),
        }
        .expect("request");
        let resp = self.router.clone().oneshot(req).await.expect("infallible");
        let status = resp.status();
        let headers = resp.headers().clone();
        let bytes = resp.into_body().collect().await.expect("body").to_bytes();
        (
            status,
            serde_json::from_slice(&bytes).unwrap_or(Value::Null),
            headers,
        )
    }

    /// Signs up and logs in; returns (id, token).
    async fn user(&self, name: &str) -> (String, String) {
        let body = json!({"username": name, "email": format!("{name}@example.com"), "password": "password1"});
        let (status, user, _) = self
            .call(&Method::POST, "/api/v4/users", None, Some(&body))
            .await;
        assert_eq!(status, StatusCode::CREATED, "{user}");
        let (status, _, headers) = self
            .call(
                &Method::POST,
                "/api/v4/users/login",
                None,
                Some(&json!({"login_id": name, "password": "password1"})),
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        let token = headers
            .get("token")
            .and_then(|v| v.to_str().ok())
            .expect("Token header")
            .to_string();
        (user["id"].as_str().expect("id").to_string(), token)
    }
}

/// A 1×1 PNG.
const PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
    0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8, 0xcf, 0xc0, 0xf0,
    0x1f, 0x00, 0x05, 0x00, 0x01, 0xff, 0x89, 0x99, 0x3d, 0x1d, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45,
    0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
];

/// `POST /api/v4/emoji` as Mattermost's clients send it: multipart `image` and `emoji` JSON.
async fn create_emoji(app: &App, token: &str, name: &str, image: &[u8]) -> (StatusCode, Value) {
    let boundary = "rustchatboundary";
    let mut body = Vec::new();
    body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"image\"; filename=\"e.png\"\r\nContent-Type: image/png\r\n\r\n").as_bytes());
    body.extend_from_slice(image);
    body.extend_from_slice(format!("\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"emoji\"\r\n\r\n{{\"name\":\"{name}\"}}\r\n--{boundary}--\r\n").as_bytes());
    let req = Request::builder()
        .method(Method::POST)
        .uri("/api/v4/emoji")
        .header("authorization", format!("Bearer {token}"))
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .header("content-length", body.len().to_string())
        .body(Body::from(body))
        .expect("request");
    let resp = app.router.clone().oneshot(req).await.expect("infallible");
    let status = resp.status();
    let bytes = resp.into_body().collect().await.expect("body").to_bytes();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

fn id(v: &Value) -> String {
    v["id"]
        .as_str()
        .unwrap_or_else(|| panic!("no id in {v}"))
        .to_string()
}

/// Routes anyone may call without a session.
const PUBLIC: &[&str] = &[
    "/api/v4/system/ping",
    // Authenticates by header, cookie or a challenge frame after the upgrade.
    "/api/v4/websocket",
    "/api/v4/config/client",
    "/api/v4/license/client",
    "/api/v4/plugins/webapp",
    "/api/v4/users/login",
    "/api/v4/users/logout",
    "/hooks/{hook_id}",
    // The hash in the link is the credential.
    "/files/{file_id}/public",
    "/api/v4/teams/invite/{invite_id}",
    // The mailed token is the credential.
    "/api/v4/users/password/reset/send",
    "/api/v4/users/password/reset",
    "/api/v4/users/email/verify/send",
    "/api/v4/users/email/verify",
];

#[tokio::test]
async fn every_route_answers_each_kind_of_caller_as_mattermost_does() {
    let app = App::new().await;
    let (root_id, root) = app.user("root").await; // the first user: system admin, left out below
    let (owner_id, owner) = app.user("owner").await;
    let (member_id, member) = app.user("member").await;
    let (outsider_id, outsider) = app.user("outsider").await;
    let theme = json!([{"user_id": outsider_id, "category": "display_settings", "name": "theme", "value": "dark"}]);
    let (status, _, _) = app
        .call(
            &Method::PUT,
            "/api/v4/users/me/preferences",
            Some(&outsider),
            Some(&theme),
        )
        .await;
    assert_eq!(status, StatusCode::OK);

    let (_, team, _) = app
        .call(
            &Method::POST,
            "/api/v4/teams",
            Some(&owner),
            Some(&json!({"name": "own", "display_name": "Own", "type": "I"})),
        )
        .await;
    let invite_id = team["invite_id"]
        .as_str()
        .expect("the owner sees the invite id")
        .to_string();
    let team = id(&team);
    let (status, _, _) = app
        .call(
            &Method::POST,
            &format!("/api/v4/teams/{team}/members"),
            Some(&owner),
            Some(&json!({"team_id": team, "user_id": member_id})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let (_, town, _) = app
        .call(
            &Method::GET,
            &format!("/api/v4/teams/{team}/channels/name/town-square"),
            Some(&owner),
            None,
        )
        .await;
    let public = id(&town);
    let (_, private, _) = app
        .call(
            &Method::POST,
            "/api/v4/channels",
            Some(&owner),
            Some(
                &json!({"team_id": team, "name": "secret", "display_name": "Secret", "type": "P"}),
            ),
        )
        .await;
    let private = id(&private);
    let (_, secret_post, _) = app
        .call(
            &Method::POST,
            "/api/v4/posts",
            Some(&owner),
            Some(&json!({"channel_id": private, "message": "classified"})),
        )
        .await;
    let secret_post = id(&secret_post);
    let (_, public_post, _) = app
        .call(
            &Method::POST,
            "/api/v4/posts",
            Some(&owner),
            Some(&json!({"channel_id": public, "message": "hello"})),
        )
        .await;
    let public_post = id(&public_post);
    let (status, uploaded, _) = app
        .call(
            &Method::POST,
            &format!("/api/v4/files?channel_id={private}&filename=secret.json"),
            Some(&owner),
            Some(&json!({"classified": true})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{uploaded}");
    let secret_file = uploaded["file_infos"][0]["id"]
        .as_str()
        .expect("file id")
        .to_string();
    let (status, upload, _) = app
        .call(
            &Method::POST,
            "/api/v4/uploads",
            Some(&owner),
            Some(&json!({"channel_id": private, "filename": "big.bin", "file_size": 10_000_000})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{upload}");
    let upload_id = id(&upload);

    // The admin's bot, and an access token of the owner's.
    let (status, robot, _) = app
        .call(
            &Method::POST,
            "/api/v4/bots",
            Some(&root),
            Some(&json!({"username": "robot", "display_name": "Robot"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{robot}");
    let robot = robot["user_id"].as_str().expect("bot id").to_string();
    let (status, owner_token, _) = app
        .call(
            &Method::POST,
            &format!("/api/v4/users/{owner_id}/tokens"),
            Some(&root),
            Some(&json!({"description": "ci"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{owner_token}");
    let token_id = id(&owner_token);
    let pat = owner_token["token"].as_str().expect("token").to_string();
    let (status, me, _) = app
        .call(&Method::GET, "/api/v4/users/me", Some(&pat), None)
        .await;
    assert_eq!(
        (status, me["id"].as_str()),
        (StatusCode::OK, Some(owner_id.as_str())),
        "a personal access token authenticates"
    );

    // The owner's incoming webhook for the private channel.
    let (status, owner_hook, _) = app
        .call(
            &Method::POST,
            "/api/v4/hooks/incoming",
            Some(&owner),
            Some(&json!({"channel_id": private, "display_name": "CI"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{owner_hook}");
    let hook_id = id(&owner_hook);

    let (status, emoji, _) = {
        let (s, e) = create_emoji(&app, &owner, "tada", PNG).await;
        (s, e, ())
    };
    assert_eq!(status, StatusCode::OK, "{emoji}");
    let emoji_id = id(&emoji);

    let fill = |path: &str, user: &str| {
        path.replace("{user_id}", user)
            .replace("{team_id}", &team)
            .replace("{channel_id}", &private)
            .replace("{post_id}", &secret_post)
            .replace("{name}", "own")
            .replace("{team_name}", "own")
            .replace("{channel_name}", "secret")
            .replace("{username}", "owner")
            .replace("{email}", "owner@example.com")
            .replace("{category}", "display_settings")
            .replace("{preference_name}", "theme")
            .replace("{role_name}", "system_user")
            .replace("{emoji_name}", "tada")
            .replace("{bot_user_id}", &robot)
            .replace("{token_id}", &token_id)
            .replace("{hook_id}", &hook_id)
            .replace("{thread_id}", &secret_post)
            .replace("{category_id}", &format!("channels_{owner_id}_{team}"))
            .replace("{emoji_id}", &emoji_id)
            .replace("{invite_id}", &invite_id)
            .replace("{timestamp}", "1")
            .replace("{file_id}", &secret_file)
            .replace("{upload_id}", &upload_id)
            .replace("{job_id}", &owner_id)
            .replace("{job_type}", "export_process")
            .replace("{import_name}", "bulk.zip")
            .replace("{export_name}", "bulk.zip")
    };
    let body_for = |method: &str, path: &str, user: &str| -> Option<Value> {
        if method == "GET" || method == "DELETE" {
            return None;
        }
        Some(match path {
            "/api/v4/users/login" => json!({"login_id": "nobody", "password": "password1"}),
            "/api/v4/users" => {
                json!({"username": "late", "email": "late@example.com", "password": "password1"})
            }
            "/api/v4/posts" => json!({"channel_id": private, "message": "intrusion"}),
            "/api/v4/uploads" => {
                json!({"channel_id": private, "filename": "x.bin", "file_size": 10})
            }
            "/api/v4/reactions" => {
                json!({"user_id": user, "post_id": secret_post, "emoji_name": "tada"})
            }
            "/api/v4/channels" => json!({"team_id": team, "name": "mine", "display_name": "Mine"}),
            "/api/v4/channels/direct" => json!([user, owner_id]),
            "/api/v4/teams" => json!({"name": format!("t{}", &user[..6]), "display_name": "T"}),
            p if p.ends_with("/members") && p.contains("/teams/") => {
                json!({"team_id": team, "user_id": user})
            }
            p if p.ends_with("/members") => json!({"user_id": user}),
            p if p.ends_with("/view") => json!({"channel_id": private}),
            p if p.ends_with("/schemeRoles") => json!({"scheme_admin": true, "scheme_user": true}),
            "/api/v4/users/{user_id}/roles" => json!({"roles": "system_user system_admin"}),
            p if p.ends_with("/roles") => json!({"roles": "channel_user channel_admin"}),
            p if p.ends_with("/notify_props") => json!({"desktop": "all"}),
            p if p.ends_with("/privacy") => json!({"privacy": "O"}),
            p if p.ends_with("/patch") => json!({"display_name": "Changed", "message": "changed"}),
            p if p.ends_with("/preferences") || p.ends_with("/preferences/delete") => {
                json!([{"user_id": owner_id, "category": "c", "name": "n", "value": "v"}])
            }
            p if p.ends_with("/status") => json!({"user_id": owner_id, "status": "away"}),
            p if p.ends_with("/password") => {
                json!({"current_password": "password1", "new_password": "password2"})
            }
            p if p.ends_with("/sessions/revoke") => json!({"session_id": owner_id}),
            p if p.ends_with("/sessions/device") => json!({"device_id": "android:abc"}),
            "/api/v4/posts/{post_id}" => json!({"id": secret_post, "message": "changed"}),
            "/api/v4/roles/names" => json!(["system_user"]),
            "/api/v4/users/search" => json!({"term": "o"}),
            "/api/v4/teams/{team_id}/posts/search" => json!({"terms": "classified"}),
            "/api/v4/users/group_channels" => json!([]),
            "/api/v4/emoji/search" => json!({"term": "ta"}),
            "/api/v4/teams/{team_id}/files/search" => json!({"terms": "secret"}),
            "/api/v4/emoji/names" => json!(["tada", "unknown"]),
            p if p.ends_with("/channels/categories") && method == "PUT" => json!([]),
            "/api/v4/users/{user_id}/teams/{team_id}/channels/categories" => {
                json!({"user_id": user, "team_id": team, "display_name": "Mine"})
            }
            "/api/v4/users/{user_id}/teams/{team_id}/channels/categories/order" => json!([]),
            "/api/v4/users/{user_id}/teams/{team_id}/channels/categories/{category_id}" => json!({
                "id": format!("channels_{owner_id}_{team}"), "user_id": owner_id, "team_id": team, "sort_order": 10,
                "sorting": "", "type": "channels", "display_name": "Channels", "muted": false, "collapsed": true, "channel_ids": []
            }),
            "/api/v4/users/{user_id}/tokens" => json!({"description": "mine"}),
            p if p.starts_with("/api/v4/users/tokens/") => json!({"token_id": token_id}),
            "/api/v4/bots" => json!({"username": format!("bot{}", &user[..6])}),
            "/api/v4/bots/{bot_user_id}" => json!({"display_name": "Renamed"}),
            "/api/v4/hooks/incoming" | "/api/v4/hooks/incoming/{hook_id}" => {
                json!({"channel_id": private})
            }
            "/hooks/{hook_id}" => json!({"text": "from a hook"}),
            "/api/v4/channels/group" => json!([root_id, member_id]),
            "/api/v4/jobs" => json!({"type": "export_process"}),
            _ => json!([owner_id]),
        })
    };

    // Anonymous: only the public routes answer without a 401.
    for (method, path) in mm_bridge::ROUTES {
        let m = Method::from_bytes(method.as_bytes()).expect("method");
        let (status, body, _) = app
            .call(
                &m,
                &format!("{}?format=old", fill(path, &owner_id)),
                None,
                body_for(method, path, &owner_id).as_ref(),
            )
            .await;
        if PUBLIC.contains(path) || (*path == "/api/v4/users" && *method == "POST") {
            // (A failed login is a 401 too, but never a "session expired" one.)
            assert_ne!(
                body["id"], "api.context.session_expired.app_error",
                "anonymous {method} {path}: {status} {body}"
            );
        } else {
            assert_eq!(
                status,
                StatusCode::UNAUTHORIZED,
                "anonymous {method} {path}: {body}"
            );
            assert_eq!(
                body["id"], "api.context.session_expired.app_error",
                "{method} {path}"
            );
        }
    }

    // An outsider acting on the owner's team, private channel, post or account is refused.
    let refused_for_outsider: &[(&str, &str)] = &[
        ("GET", "/api/v4/teams/{team_id}"),
        ("PUT", "/api/v4/teams/{team_id}/patch"),
        ("DELETE", "/api/v4/teams/{team_id}"),
        ("GET", "/api/v4/teams/name/{name}"),
        ("GET", "/api/v4/teams/{team_id}/stats"),
        ("GET", "/api/v4/teams/{team_id}/members"),
        ("POST", "/api/v4/teams/{team_id}/members"),
        ("POST", "/api/v4/teams/{team_id}/members/ids"),
        ("GET", "/api/v4/teams/{team_id}/members/{user_id}"),
        ("DELETE", "/api/v4/teams/{team_id}/members/{user_id}"),
        ("GET", "/api/v4/teams/{team_id}/channels"),
        (
            "GET",
            "/api/v4/teams/{team_id}/channels/name/{channel_name}",
        ),
        (
            "GET",
            "/api/v4/teams/name/{team_name}/channels/name/{channel_name}",
        ),
        ("POST", "/api/v4/channels"),
        ("GET", "/api/v4/channels/{channel_id}"),
        ("DELETE", "/api/v4/channels/{channel_id}"),
        ("PUT", "/api/v4/channels/{channel_id}/patch"),
        ("POST", "/api/v4/channels/{channel_id}/restore"),
        ("GET", "/api/v4/channels/{channel_id}/stats"),
        ("GET", "/api/v4/channels/{channel_id}/pinned"),
        ("GET", "/api/v4/channels/{channel_id}/members"),
        ("POST", "/api/v4/channels/{channel_id}/members"),
        ("POST", "/api/v4/channels/{channel_id}/members/ids"),
        ("GET", "/api/v4/channels/{channel_id}/members/{user_id}"),
        ("DELETE", "/api/v4/channels/{channel_id}/members/{user_id}"),
        (
            "PUT",
            "/api/v4/channels/{channel_id}/members/{user_id}/roles",
        ),
        (
            "PUT",
            "/api/v4/channels/{channel_id}/members/{user_id}/schemeRoles",
        ),
        (
            "PUT",
            "/api/v4/channels/{channel_id}/members/{user_id}/notify_props",
        ),
        ("PUT", "/api/v4/channels/{channel_id}/privacy"),
        ("PUT", "/api/v4/teams/{team_id}/members/{user_id}/roles"),
        (
            "PUT",
            "/api/v4/teams/{team_id}/members/{user_id}/schemeRoles",
        ),
        ("PUT", "/api/v4/users/{user_id}/roles"),
        ("GET", "/api/v4/users/{user_id}/channel_members"),
        ("GET", "/api/v4/channels/{channel_id}/posts"),
        ("GET", "/api/v4/files/{file_id}"),
        ("GET", "/api/v4/files/{file_id}/thumbnail"),
        ("GET", "/api/v4/files/{file_id}/preview"),
        ("GET", "/api/v4/files/{file_id}/info"),
        ("GET", "/api/v4/files/{file_id}/link"),
        ("GET", "/api/v4/posts/{post_id}/files/info"),
        ("POST", "/api/v4/teams/{team_id}/files/search"),
        ("POST", "/api/v4/posts"),
        ("GET", "/api/v4/posts/{post_id}"),
        ("PUT", "/api/v4/posts/{post_id}"),
        ("DELETE", "/api/v4/posts/{post_id}"),
        ("PUT", "/api/v4/posts/{post_id}/patch"),
        ("GET", "/api/v4/posts/{post_id}/thread"),
        ("POST", "/api/v4/posts/{post_id}/pin"),
        ("POST", "/api/v4/posts/{post_id}/unpin"),
        ("GET", "/api/v4/posts/{post_id}/reactions"),
        ("POST", "/api/v4/reactions"),
        ("PUT", "/api/v4/users/{user_id}/patch"),
        ("DELETE", "/api/v4/users/{user_id}"),
        ("PUT", "/api/v4/users/{user_id}/password"),
        ("GET", "/api/v4/users/{user_id}/sessions"),
        ("POST", "/api/v4/users/{user_id}/sessions/revoke"),
        ("PUT", "/api/v4/users/{user_id}/status"),
        ("GET", "/api/v4/users/{user_id}/preferences"),
        ("PUT", "/api/v4/users/{user_id}/preferences"),
        ("POST", "/api/v4/users/{user_id}/preferences/delete"),
        ("GET", "/api/v4/users/{user_id}/preferences/{category}"),
        (
            "GET",
            "/api/v4/users/{user_id}/preferences/{category}/name/{preference_name}",
        ),
        ("GET", "/api/v4/users/{user_id}/teams"),
        ("GET", "/api/v4/users/{user_id}/teams/members"),
        ("GET", "/api/v4/users/{user_id}/teams/unread"),
        ("GET", "/api/v4/users/{user_id}/teams/{team_id}/channels"),
        (
            "GET",
            "/api/v4/users/{user_id}/teams/{team_id}/channels/members",
        ),
        (
            "GET",
            "/api/v4/users/{user_id}/teams/{team_id}/channels/categories",
        ),
        ("GET", "/api/v4/users/{user_id}/channels"),
        (
            "GET",
            "/api/v4/users/{user_id}/channels/{channel_id}/unread",
        ),
        ("POST", "/api/v4/channels/members/{user_id}/view"),
        (
            "DELETE",
            "/api/v4/users/{user_id}/posts/{post_id}/reactions/{emoji_name}",
        ),
        ("GET", "/api/v4/users/email/{email}"),
        ("POST", "/api/v4/teams/{team_id}/posts/search"),
        // Tokens and bots are for admins, and for the token's user or the bot's owner.
        ("POST", "/api/v4/users/{user_id}/tokens"),
        ("GET", "/api/v4/users/{user_id}/tokens"),
        ("GET", "/api/v4/users/tokens/{token_id}"),
        ("POST", "/api/v4/users/tokens/revoke"),
        ("POST", "/api/v4/users/tokens/disable"),
        ("POST", "/api/v4/users/tokens/enable"),
        ("POST", "/api/v4/bots"),
        ("GET", "/api/v4/bots/{bot_user_id}"),
        ("PUT", "/api/v4/bots/{bot_user_id}"),
        ("POST", "/api/v4/bots/{bot_user_id}/disable"),
        ("POST", "/api/v4/bots/{bot_user_id}/enable"),
        ("POST", "/api/v4/bots/{bot_user_id}/assign/{user_id}"),
        // Pictures, saved posts and unread views are their user's; invite ids their team admins'.
        ("POST", "/api/v4/users/{user_id}/image"),
        ("DELETE", "/api/v4/users/{user_id}/image"),
        (
            "GET",
            "/api/v4/users/{user_id}/channels/{channel_id}/posts/unread",
        ),
        ("GET", "/api/v4/users/{user_id}/posts/flagged"),
        ("POST", "/api/v4/teams/{team_id}/regenerate_invite_id"),
        // Custom emoji are deleted by their creator (or an admin).
        ("DELETE", "/api/v4/emoji/{emoji_id}"),
        // Sidebars are their user's.
        (
            "PUT",
            "/api/v4/users/{user_id}/teams/{team_id}/channels/categories",
        ),
        (
            "POST",
            "/api/v4/users/{user_id}/teams/{team_id}/channels/categories",
        ),
        (
            "GET",
            "/api/v4/users/{user_id}/teams/{team_id}/channels/categories/order",
        ),
        (
            "PUT",
            "/api/v4/users/{user_id}/teams/{team_id}/channels/categories/order",
        ),
        (
            "GET",
            "/api/v4/users/{user_id}/teams/{team_id}/channels/categories/{category_id}",
        ),
        (
            "PUT",
            "/api/v4/users/{user_id}/teams/{team_id}/channels/categories/{category_id}",
        ),
        (
            "DELETE",
            "/api/v4/users/{user_id}/teams/{team_id}/channels/categories/{category_id}",
        ),
        // Threads are listed and marked by their follower only.
        ("GET", "/api/v4/users/{user_id}/teams/{team_id}/threads"),
        (
            "PUT",
            "/api/v4/users/{user_id}/teams/{team_id}/threads/read",
        ),
        (
            "GET",
            "/api/v4/users/{user_id}/teams/{team_id}/threads/{thread_id}",
        ),
        (
            "PUT",
            "/api/v4/users/{user_id}/teams/{team_id}/threads/{thread_id}/read/{timestamp}",
        ),
        (
            "PUT",
            "/api/v4/users/{user_id}/teams/{team_id}/threads/{thread_id}/following",
        ),
        (
            "DELETE",
            "/api/v4/users/{user_id}/teams/{team_id}/threads/{thread_id}/following",
        ),
        // Uploads are their uploader's; only channel members start one.
        ("POST", "/api/v4/uploads"),
        ("GET", "/api/v4/uploads/{upload_id}"),
        ("POST", "/api/v4/uploads/{upload_id}"),
        ("GET", "/api/v4/users/{user_id}/uploads"),
        // Jobs, imports and exports are system admins' tools.
        ("POST", "/api/v4/jobs"),
        ("GET", "/api/v4/jobs"),
        ("GET", "/api/v4/jobs/{job_id}"),
        ("GET", "/api/v4/jobs/type/{job_type}"),
        ("POST", "/api/v4/jobs/{job_id}/cancel"),
        ("GET", "/api/v4/imports"),
        ("DELETE", "/api/v4/imports/{import_name}"),
        ("GET", "/api/v4/exports"),
        ("GET", "/api/v4/exports/{export_name}"),
        ("DELETE", "/api/v4/exports/{export_name}"),
        // Incoming webhooks are managed by team admins.
        ("POST", "/api/v4/hooks/incoming"),
        ("GET", "/api/v4/hooks/incoming"),
        ("GET", "/api/v4/hooks/incoming/{hook_id}"),
        ("PUT", "/api/v4/hooks/incoming/{hook_id}"),
        ("DELETE", "/api/v4/hooks/incoming/{hook_id}"),
    ];
    for (method, path) in refused_for_outsider {
        assert!(
            mm_bridge::ROUTES.contains(&(*method, *path)),
            "{method} {path} is not a served route"
        );
        let m = Method::from_bytes(method.as_bytes()).expect("method");
        let target = fill(path, &owner_id);
        let body = body_for(method, path, &outsider_id);
        let (status, resp, _) = app.call(&m, &target, Some(&outsider), body.as_ref()).await;
        assert!(
            status == StatusCode::FORBIDDEN || status == StatusCode::NOT_FOUND,
            "outsider {method} {path}: {status} {resp}"
        );
        assert!(
            resp["id"].is_string() && resp["status_code"] == status.as_u16(),
            "{method} {path}: {resp}"
        );
    }

    // Every other authenticated route is open to any signed-in user; it must still answer 2xx for the outsider.
    for (method, path) in mm_bridge::ROUTES {
        if refused_for_outsider.contains(&(*method, *path)) || PUBLIC.contains(path) {
            continue;
        }
        if [
            ("POST", "/api/v4/emoji"),
            ("POST", "/api/v4/teams/members/invite"),
            ("POST", "/api/v4/files"),
            ("POST", "/api/v4/notifications/ack"),
        ]
        .contains(&(*method, *path))
        {
            // Multipart, an invitation, or a push ack (501 without a push
            // proxy): covered by their own tests.
            continue;
        }
        let m = Method::from_bytes(method.as_bytes()).expect("method");
        let target = fill(path, &outsider_id).replace(&team, "unused");
        if target.contains("unused") {
            continue;
        }
        let body = body_for(method, path, &outsider_id).map(|b| {
            let text = b
                .to_string()
                .replace(&owner_id, &outsider_id)
                .replace("late", "later");
            serde_json::from_str::<Value>(&text).expect("json")
        });
        let (status, resp, _) = app.call(&m, &target, Some(&outsider), body.as_ref()).await;
        assert!(
            status.is_success(),
            "outsider on own or public route {method} {path}: {status} {resp}"
        );
    }

    // A team member outside the private channel reads the public channel only.
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
        let (status, body, _) = app.call(&Method::GET, &path, Some(&member), None).await;
        assert_eq!(status, expected, "member GET {path}: {body}");
    }
    let (status, _, _) = app
        .call(
            &Method::DELETE,
            &format!("/api/v4/posts/{public_post}"),
            Some(&member),
            None,
        )
        .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "a member cannot delete the owner's post"
    );

    // Search finds only what the searcher may read.
    let (_, found, _) = app
        .call(
            &Method::POST,
            &format!("/api/v4/teams/{team}/posts/search"),
            Some(&member),
            Some(&json!({"terms": "classified"})),
        )
        .await;
    assert_eq!(
        found["order"].as_array().map(Vec::len),
        Some(0),
        "a member finds nothing of the private channel: {found}"
    );
    let (_, found, _) = app
        .call(
            &Method::POST,
            &format!("/api/v4/teams/{team}/posts/search"),
            Some(&owner),
            Some(&json!({"terms": "classified"})),
        )
        .await;
    assert_eq!(found["order"][0], secret_post.as_str(), "{found}");
    assert_eq!(found["matches"][&secret_post][0], "classified", "{found}");

    // The hook posts into its channel as its creator, from JSON or a form.
    let (status, _, _) = app
        .call(
            &Method::POST,
            &format!("/hooks/{hook_id}"),
            None,
            Some(&json!({"text": "deployed", "username": "ci-bot"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let form = Request::builder()
        .method(Method::POST)
        .uri(format!("/hooks/{hook_id}"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from(
            "payload=%7B%22text%22%3A%22from%20a%20form%22%7D",
        ))
        .expect("request");
    let resp = app.router.clone().oneshot(form).await.expect("infallible");
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(
        resp.headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("text/plain")
    );
    let (_, posts, _) = app
        .call(
            &Method::GET,
            &format!("/api/v4/channels/{private}/posts"),
            Some(&owner),
            None,
        )
        .await;
    let hooked: Vec<&Value> = posts["posts"]
        .as_object()
        .expect("posts")
        .values()
        .filter(|p| p["props"]["from_webhook"] == "true")
        .collect();
    assert_eq!(
        hooked.len(),
        3,
        "the anonymous walk, the JSON call and the form call: {posts}"
    );
    assert!(hooked.iter().all(|p| p["user_id"] == owner_id.as_str()));
    assert!(hooked
        .iter()
        .any(|p| p["message"] == "deployed" && p["props"]["override_username"] == "ci-bot"));
    let (status, body, _) = app
        .call(
            &Method::POST,
            &format!("/hooks/{}", core_server::id::new_id()),
            None,
            Some(&json!({"text": "x"})),
        )
        .await;
    assert_eq!(
        (status, body["id"].as_str()),
        (
            StatusCode::BAD_REQUEST,
            Some("web.incoming_webhook.invalid.app_error")
        ),
        "Mattermost answers unknown hooks with 400"
    );
    let (status, _, _) = app
        .call(
            &Method::POST,
            &format!("/hooks/{hook_id}"),
            None,
            Some(&json!({"text": ""})),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);

    // A revoked access token stops working at once.
    let (status, _, _) = app
        .call(
            &Method::POST,
            "/api/v4/users/tokens/revoke",
            Some(&root),
            Some(&json!({"token_id": token_id})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _, _) = app
        .call(&Method::GET, "/api/v4/users/me", Some(&pat), None)
        .await;
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "a revoked token is refused"
    );

    // And the owner gets everything that is theirs.
    for path in [
        format!("/api/v4/channels/{private}/posts"),
        format!("/api/v4/posts/{secret_post}/thread"),
        format!("/api/v4/teams/{team}/members"),
        format!("/api/v4/users/{owner_id}/teams/{team}/channels/categories"),
    ] {
        let (status, body, _) = app.call(&Method::GET, &path, Some(&owner), None).await;
        assert_eq!(status, StatusCode::OK, "owner GET {path}: {body}");
    }
}

#[tokio::test]
async fn bad_input_gets_mattermost_error_bodies() {
    let app = App::new().await;
    let (_, token) = app.user("alice").await;
    let unknown = core_server::id::new_id();
    let cases: Vec<(Method, String, Option<&str>, StatusCode)> = vec![
        (
            Method::POST,
            "/api/v4/posts".into(),
            Some("{not json"),
            StatusCode::BAD_REQUEST,
        ),
        (
            Method::POST,
            "/api/v4/posts".into(),
            Some(r#"{"channel_id": 5, "message": "x"}"#),
            StatusCode::BAD_REQUEST,
        ),
        (
            Method::POST,
            "/api/v4/teams".into(),
            Some(r#"{"name": "x"}"#),
            StatusCode::BAD_REQUEST,
        ),
        (
            Method::GET,
            format!("/api/v4/posts/{unknown}"),
            None,
            StatusCode::NOT_FOUND,
        ),
        (
            Method::GET,
            format!("/api/v4/channels/{unknown}"),
            None,
            StatusCode::NOT_FOUND,
        ),
        (
            Method::GET,
            format!("/api/v4/teams/{unknown}"),
            None,
            StatusCode::NOT_FOUND,
        ),
        (
            Method::GET,
            format!("/api/v4/users/{unknown}"),
            None,
            StatusCode::NOT_FOUND,
        ),
        (
            Method::GET,
            "/api/v4/users/not-an-id".into(),
            None,
            StatusCode::BAD_REQUEST,
        ),
        (
            Method::GET,
            "/api/v4/config/client".into(),
            None,
            StatusCode::NOT_IMPLEMENTED,
        ),
        (
            Method::GET,
            "/api/v4/config/client?format=new".into(),
            None,
            StatusCode::BAD_REQUEST,
        ),
        (
            Method::GET,
            "/api/v4/no/such/route".into(),
            None,
            StatusCode::NOT_IMPLEMENTED,
        ),
    ];
    for (method, path, body, expected) in cases {
        let mut req = Request::builder()
            .method(method.clone())
            .uri(&path)
            .header("authorization", format!("Bearer {token}"));
        if body.is_some() {
            req = req.header("content-type", "application/json");
        }
        let req = req
            .body(
                body.map(|b| Body::from(b.to_string()))
                    .unwrap_or_else(Body::empty),
            )
            .expect("request");
        let resp = app.router.clone().oneshot(req).await.expect("infallible");
        let status = resp.status();
        let content_type = resp
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        let bytes = resp.into_body().collect().await.expect("body").to_bytes();
        let err: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        assert_eq!(status, expected, "{method} {path}: {err}");
        assert_eq!(content_type, "application/json", "{method} {path}");
        for key in [
            "id",
            "message",
            "detailed_error",
            "request_id",
            "status_code",
        ] {
            assert!(!err[key].is_null(), "{method} {path}: no {key} in {err}");
        }
        assert_eq!(err["status_code"], expected.as_u16());
        assert_eq!(err["request_id"].as_str().map(str::len), Some(26), "{err}");
    }
    // per_page above 200 is capped, not refused.
    let (status, users, _) = app
        .call(
            &Method::GET,
            "/api/v4/users?per_page=1000",
            Some(&token),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(users.as_array().is_some());
    // An oversize body is a 413 in Mattermost's shape.
    let huge = json!({"channel_id": unknown, "message": "x".repeat(400_000)});
    let (status, err, _) = app
        .call(&Method::POST, "/api/v4/posts", Some(&token), Some(&huge))
        .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{err}");
    assert_eq!(err["status_code"], 413);
}

#[tokio::test]
async fn etags_answer_304_until_the_data_changes() {
    let app = App::new().await;
    let (me, token) = app.user("etag").await;
    let (_, team, _) = app
        .call(
            &Method::POST,
            "/api/v4/teams",
            Some(&token),
            Some(&json!({"name": "et", "display_name": "Et"})),
        )
        .await;
    let (_, town, _) = app
        .call(
            &Method::GET,
            &format!("/api/v4/teams/{}/channels/name/town-square", id(&team)),
            Some(&token),
            None,
        )
        .await;
    let town = id(&town);
    let (_, post, _) = app
        .call(
            &Method::POST,
            "/api/v4/posts",
            Some(&token),
            Some(&json!({"channel_id": town, "message": "v1"})),
        )
        .await;
    let post = id(&post);

    for path in [
        format!("/api/v4/posts/{post}"),
        format!("/api/v4/channels/{town}/posts"),
        format!("/api/v4/users/{me}"),
    ] {
        let get = |etag: Option<String>| {
            let mut req = Request::builder()
                .method(Method::GET)
                .uri(&path)
                .header("authorization", format!("Bearer {token}"));
            if let Some(tag) = etag {
                req = req.header("if-none-match", tag);
            }
            app.router
                .clone()
                .oneshot(req.body(Body::empty()).expect("request"))
        };
        let first = get(None).await.expect("infallible");
        assert_eq!(first.status(), StatusCode::OK, "{path}");
        let tag = first
            .headers()
            .get("etag")
            .and_then(|v| v.to_str().ok())
            .expect("an ETag")
            .to_string();
        assert!(!tag.starts_with('"'), "ETags are unquoted: {tag}");
        let again = get(Some(tag.clone())).await.expect("infallible");
        assert_eq!(again.status(), StatusCode::NOT_MODIFIED, "{path}");
        assert!(again
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes()
            .is_empty());
        // A change makes the old tag stale.
        tokio::time::sleep(std::time::Duration::from_millis(2)).await;
        if path.contains("/users/") {
            app.call(
                &Method::PUT,
                "/api/v4/users/me/patch",
                Some(&token),
                Some(&json!({"nickname": "changed"})),
            )
            .await;
        } else {
            let emoji = if path.contains("/channels/") {
                "tada"
            } else {
                "smile"
            };
            let (status, _, _) = app
                .call(
                    &Method::POST,
                    "/api/v4/reactions",
                    Some(&token),
                    Some(&json!({"user_id": me, "post_id": post, "emoji_name": emoji})),
                )
                .await;
            assert_eq!(status, StatusCode::OK);
        }
        let changed = get(Some(tag.clone())).await.expect("infallible");
        assert_eq!(changed.status(), StatusCode::OK, "{path} after a change");
        assert_ne!(
            changed.headers().get("etag").and_then(|v| v.to_str().ok()),
            Some(tag.as_str())
        );
    }
}

#[tokio::test]
async fn rate_limits_answer_429_with_mattermost_headers() {
    let config = core_server::config::Config {
        rate_limit_per_second: 1,
        rate_limit_burst: 3,
        ..Default::default()
    };
    let app = App::with_config(config).await;
    let mut remaining = Vec::new();
    for _ in 0..3 {
        let (status, _, headers) = app
            .call(&Method::GET, "/api/v4/system/ping", None, None)
            .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(
            headers
                .get("x-ratelimit-limit")
                .and_then(|v| v.to_str().ok()),
            Some("3")
        );
        remaining.push(
            headers
                .get("x-ratelimit-remaining")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_string(),
        );
    }
    assert_eq!(remaining, vec!["2", "1", "0"]);
    let (status, body, headers) = app
        .call(&Method::GET, "/api/v4/system/ping", None, None)
        .await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(body["status_code"], 429, "{body}");
    assert_eq!(
        headers.get("retry-after").and_then(|v| v.to_str().ok()),
        Some("1")
    );
    assert!(headers.get("x-ratelimit-reset").is_some());
    // The native API shares the limit and says so in its own error shape.
    let (status, body, _) = app.call(&Method::GET, "/api/v1/health", None, None).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(body["code"], "rate_limited", "{body}");
}

#[tokio::test]
async fn followed_threads_count_unread_replies_and_mentions() {
    let app = App::new().await;
    let (_, _root) = app.user("sysadmin").await;
    let (author_id, author) = app.user("author").await;
    let (replier_id, replier) = app.user("replier").await;
    let (_, team, _) = app
        .call(
            &Method::POST,
            "/api/v4/teams",
            Some(&author),
            Some(&json!({"name": "th", "display_name": "Th"})),
        )
        .await;
    let team = id(&team);
    app.call(
        &Method::POST,
        &format!("/api/v4/teams/{team}/members"),
        Some(&author),
        Some(&json!({"team_id": team, "user_id": replier_id})),
    )
    .await;
    let (_, town, _) = app
        .call(
            &Method::GET,
            &format!("/api/v4/teams/{team}/channels/name/town-square"),
            Some(&author),
            None,
        )
        .await;
    let town = id(&town);
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

#[tokio::test]
async fn sidebar_categories_can_be_created_filled_reordered_and_deleted() {
    let app = App::new().await;
    let (me, token) = app.user("sorter").await;
    let (_, team, _) = app
        .call(
            &Method::POST,
            "/api/v4/teams",
            Some(&token),
            Some(&json!({"name": "sb", "display_name": "Sb"})),
        )
        .await;
    let team = id(&team);
    let (_, town, _) = app
        .call(
            &Method::GET,
            &format!("/api/v4/teams/{team}/channels/name/town-square"),
            Some(&token),
            None,
        )
        .await;
    let town = id(&town);
    let base = format!("/api/v4/users/me/teams/{team}/channels/categories");
    let (_, sidebar, _) = app.call(&Method::GET, &base, Some(&token), None).await;
    let kinds: Vec<&str> = sidebar["categories"]
        .as_array()
        .expect("categories")
        .iter()
        .filter_map(|c| c["type"].as_str())
        .collect();
    assert_eq!(kinds, vec!["favorites", "channels", "direct_messages"]);
    assert!(sidebar["categories"][1]["channel_ids"]
        .as_array()
        .expect("ids")
        .contains(&json!(town)));

    let (status, custom, _) = app
        .call(&Method::POST, &base, Some(&token), Some(&json!({"user_id": me, "team_id": team, "display_name": "Work", "channel_ids": [town]})))
        .await;
    assert_eq!(status, StatusCode::OK, "{custom}");
    let custom_id = id(&custom);
    let (_, sidebar, _) = app.call(&Method::GET, &base, Some(&token), None).await;
    let names: Vec<&str> = sidebar["categories"]
        .as_array()
        .expect("categories")
        .iter()
        .filter_map(|c| c["display_name"].as_str())
        .collect();
    assert_eq!(
        names,
        vec!["Favorites", "Work", "Channels", "Direct Messages"],
        "a new category comes right after Favorites"
    );
    assert!(
        !sidebar["categories"][2]["channel_ids"]
            .as_array()
            .expect("ids")
            .contains(&json!(town)),
        "the channel moved out of Channels"
    );

    // Move it to Favorites and collapse the custom one.
    let mut fav = sidebar["categories"][0].clone();
    fav["channel_ids"] = json!([town]);
    let mut work = sidebar["categories"][1].clone();
    work["collapsed"] = json!(true);
    work["channel_ids"] = json!([]);
    let (status, changed, _) = app
        .call(&Method::PUT, &base, Some(&token), Some(&json!([fav, work])))
        .await;
    assert_eq!(status, StatusCode::OK, "{changed}");
    assert_eq!(changed.as_array().map(Vec::len), Some(2));
    let (_, one, _) = app
        .call(
            &Method::GET,
            &format!("{base}/{custom_id}"),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(
        (
            one["collapsed"].as_bool(),
            one["channel_ids"].as_array().map(Vec::len)
        ),
        (Some(true), Some(0))
    );

    // Reorder, then delete the custom category.
    let (_, order, _) = app
        .call(&Method::GET, &format!("{base}/order"), Some(&token), None)
        .await;
    let mut reversed: Vec<Value> = order.as_array().expect("order").clone();
    reversed.reverse();
    let (status, _, _) = app
        .call(
            &Method::PUT,
            &format!("{base}/order"),
            Some(&token),
            Some(&json!(reversed)),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (_, sidebar, _) = app.call(&Method::GET, &base, Some(&token), None).await;
    assert_eq!(sidebar["order"], json!(reversed));
    let (status, _, _) = app
        .call(
            &Method::PUT,
            &format!("{base}/order"),
            Some(&token),
            Some(&json!(["bogus"])),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::BAD_REQUEST,
        "an order must list every category"
    );
    let (status, _, _) = app
        .call(
            &Method::DELETE,
            &format!("{base}/{custom_id}"),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _, _) = app
        .call(
            &Method::DELETE,
            &format!("{base}/favorites_{me}_{team}"),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "default categories stay");
}

#[tokio::test]
async fn custom_emoji_are_created_served_listed_and_deleted() {
    let app = App::new().await;
    let (_, admin) = app.user("emojiadmin").await;
    let (_, user) = app.user("emojiuser").await;
    let (status, emoji, _) = {
        let (s, e) = create_emoji(&app, &user, "Parrot", PNG).await;
        (s, e, ())
    };
    assert_eq!(status, StatusCode::OK, "{emoji}");
    assert_eq!(emoji["name"], "parrot");
    let emoji_id = id(&emoji);
    let (status, dup) = create_emoji(&app, &user, "parrot", PNG).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "names are unique: {dup}");
    let (status, _) = create_emoji(
        &app,
        &user,
        "svg",
        b"<svg xmlns='http://www.w3.org/2000/svg'/>",
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "only raster images");
    let (status, big) =
        create_emoji(&app, &user, "big", &[PNG, &vec![0u8; 600 * 1024]].concat()).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{big}");

    let req = Request::builder()
        .uri(format!("/api/v4/emoji/{emoji_id}/image"))
        .header("authorization", format!("Bearer {admin}"))
        .body(Body::empty())
        .expect("request");
    let resp = app.router.clone().oneshot(req).await.expect("infallible");
    assert_eq!(
        resp.headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("image/png")
    );
    assert_eq!(
        resp.into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes()
            .as_ref(),
        PNG,
        "the same bytes come back"
    );

    let (_, by_name, _) = app
        .call(
            &Method::GET,
            "/api/v4/emoji/name/parrot",
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(by_name["id"], emoji_id.as_str());
    let (_, found, _) = app
        .call(
            &Method::GET,
            "/api/v4/emoji/autocomplete?name=par",
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(found.as_array().map(Vec::len), Some(1));
    let (status, _, _) = app
        .call(
            &Method::DELETE,
            &format!("/api/v4/emoji/{emoji_id}"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "an admin may delete anyone's emoji");
    let (status, _, _) = app
        .call(
            &Method::GET,
            "/api/v4/emoji/name/parrot",
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn invitations_pictures_unread_views_and_saved_posts() {
    let app = App::new().await;
    let (_, _admin) = app.user("sysadmin").await;
    let (owner_id, owner) = app.user("inviter").await;
    let (guest_id, guest) = app.user("invitee").await;
    let (_, team, _) = app
        .call(
            &Method::POST,
            "/api/v4/teams",
            Some(&owner),
            Some(&json!({"name": "inv", "display_name": "Inv", "type": "I"})),
        )
        .await;
    let invite = team["invite_id"].as_str().expect("invite id").to_string();
    let team = id(&team);

    // The invite id is the invitation: it opens an invite-only team, until regenerated.
    let (status, info, _) = app
        .call(
            &Method::GET,
            &format!("/api/v4/teams/invite/{invite}"),
            None,
            None,
        )
        .await;
    assert_eq!(
        (status, info["name"].as_str()),
        (StatusCode::OK, Some("inv"))
    );
    let (status, _, _) = app
        .call(
            &Method::POST,
            &format!("/api/v4/teams/{team}/members"),
            Some(&guest),
            Some(&json!({"team_id": team, "user_id": guest_id})),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "an invite-only team is closed without the invitation"
    );
    let (status, member, _) = app
        .call(
            &Method::POST,
            &format!("/api/v4/teams/members/invite?invite_id={invite}"),
            Some(&guest),
            None,
        )
        .await;
    assert_eq!(
        (status, member["user_id"].as_str()),
        (StatusCode::CREATED, Some(guest_id.as_str()))
    );
    let (_, renewed, _) = app
        .call(
            &Method::POST,
            &format!("/api/v4/teams/{team}/regenerate_invite_id"),
            Some(&owner),
            None,
        )
        .await;
    assert_ne!(renewed["invite_id"].as_str(), Some(invite.as_str()));
    let (status, _, _) = app
        .call(
            &Method::GET,
            &format!("/api/v4/teams/invite/{invite}"),
            None,
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "the old invitation is void");

    // Unread view: the guest has read nothing in town-square yet.
    let (_, town, _) = app
        .call(
            &Method::GET,
            &format!("/api/v4/teams/{team}/channels/name/town-square"),
            Some(&owner),
            None,
        )
        .await;
    let town = id(&town);
    let mut posted = Vec::new();
    for i in 0..3 {
        let (_, p, _) = app
            .call(
                &Method::POST,
                "/api/v4/posts",
                Some(&owner),
                Some(&json!({"channel_id": town, "message": format!("news {i}")})),
            )
            .await;
        posted.push(id(&p));
    }
    let (status, around, _) = app
        .call(
            &Method::GET,
            &format!(
                "/api/v4/users/me/channels/{town}/posts/unread?limit_before=10&limit_after=10"
            ),
            Some(&guest),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{around}");
    assert_eq!(around["order"].as_array().map(Vec::len), Some(3));
    assert_eq!(around["order"][0], posted[2].as_str(), "newest first");

    // Saved posts come from the flagged_post preferences.
    let flag = json!([{"user_id": guest_id, "category": "flagged_post", "name": posted[1], "value": "true"}]);
    app.call(
        &Method::PUT,
        "/api/v4/users/me/preferences",
        Some(&guest),
        Some(&flag),
    )
    .await;
    let (_, saved, _) = app
        .call(
            &Method::GET,
            "/api/v4/users/me/posts/flagged",
            Some(&guest),
            None,
        )
        .await;
    assert_eq!(saved["order"], json!([posted[1]]), "{saved}");

    // An uploaded picture replaces the generated one; deleting it brings that back.
    let boundary = "pic";
    let mut body = format!("--{boundary}\r\nContent-Disposition: form-data; name=\"image\"; filename=\"me.png\"\r\nContent-Type: image/png\r\n\r\n").into_bytes();
    body.extend_from_slice(PNG);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let upload = Request::builder()
        .method(Method::POST)
        .uri(format!("/api/v4/users/{owner_id}/image"))
        .header("authorization", format!("Bearer {owner}"))
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(Body::from(body))
        .expect("request");
    let resp = app
        .router
        .clone()
        .oneshot(upload)
        .await
        .expect("infallible");
    assert_eq!(resp.status(), StatusCode::OK);
    let picture = |token: String| {
        let req = Request::builder()
            .uri(format!("/api/v4/users/{owner_id}/image"))
            .header("authorization", format!("Bearer {token}"))
            .body(Body::empty())
            .expect("request");
        app.router.clone().oneshot(req)
    };
    let bytes = picture(guest.clone())
        .await
        .expect("infallible")
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    assert_eq!(bytes.as_ref(), PNG, "others see the uploaded picture");
    let (_, me, _) = app
        .call(&Method::GET, "/api/v4/users/me", Some(&owner), None)
        .await;
    assert!(me["last_picture_update"].as_i64().unwrap_or(0) > 0);
    app.call(
        &Method::DELETE,
        &format!("/api/v4/users/{owner_id}/image"),
        Some(&owner),
        None,
    )
    .await;
    let bytes = picture(guest)
        .await
        .expect("infallible")
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    assert_ne!(bytes.as_ref(), PNG, "the generated picture is back");
}
