//! Finding: revoking or disabling an access token, disabling a bot,
//! deactivating a user, a session expiring and a password change left open
//! WebSockets of those sessions running; a demoted admin's sockets kept
//! being sent other users' e-mail addresses. Each now reaches the sockets
//! at once (on every node: the events travel the cluster link, see the
//! two-node test in `websocket.rs`).

use std::time::Duration;

use axum::http::Method;
use core_server::model::Session;
use core_server::services::auth::hash_token;
use serde_json::{json, Value};

use crate::support::{closes_within, frame_named, serve, ws_connect, App, Backend, Socket};

const SOON: Duration = Duration::from_secs(3);

/// Both sockets of a token, after their hello.
async fn sockets(addr: std::net::SocketAddr, token: &str) -> (Socket, Socket) {
    let mut v4 = ws_connect(addr, "/api/v4/websocket", Some(token), &[])
        .await
        .expect("v4");
    let mut v1 = ws_connect(addr, "/api/v1/ws", Some(token), &[])
        .await
        .expect("v1");
    frame_named(&mut v4, "event", "hello").await;
    frame_named(&mut v1, "type", "hello").await;
    (v4, v1)
}

async fn both_close(pair: &mut (Socket, Socket), what: &str) {
    assert!(
        closes_within(&mut pair.0, SOON).await,
        "{what}: the v4 socket stays open"
    );
    assert!(
        closes_within(&mut pair.1, SOON).await,
        "{what}: the v1 socket stays open"
    );
}

/// A personal access token for `user_id`, made by the admin; (token, id).
async fn access_token(app: &App, admin: &str, user_id: &str) -> (String, String) {
    let (status, body, _) = app
        .call(
            &Method::POST,
            &format!("/api/v4/users/{user_id}/tokens"),
            Some(admin),
            Some(&json!({"description": "script"})),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    (
        body["token"].as_str().expect("token").to_string(),
        body["id"].as_str().expect("id").to_string(),
    )
}

async fn token_revocation_closes_its_sockets(backend: Backend) {
    let Some(app) = backend.app(crate::support::open_config()).await else {
        return;
    };
    let addr = serve(&app.core).await;
    let (root_id, root) = app.user("root").await;
    for action in ["revoke", "disable"] {
        let (token, token_id) = access_token(&app, &root, &root_id).await;
        let mut open = sockets(addr, &token).await;
        let (status, body, _) = app
            .call(
                &Method::POST,
                &format!("/api/v4/users/tokens/{action}"),
                Some(&root),
                Some(&json!({"token_id": token_id})),
            )
            .await;
        assert_eq!(status, 200, "{body}");
        both_close(&mut open, action).await;
        assert_eq!(
            app.get("/api/v4/users/me", &token).await.status,
            401,
            "{action}: the token no longer signs in"
        );
    }
}

async fn disabled_bots_and_deactivated_users_lose_their_sockets(backend: Backend) {
    let Some(app) = backend.app(crate::support::open_config()).await else {
        return;
    };
    let addr = serve(&app.core).await;
    let (_, root) = app.user("root").await;
    let (status, bot, _) = app
        .call(
            &Method::POST,
            "/api/v4/bots",
            Some(&root),
            Some(&json!({"username": "deploybot", "display_name": "Deploy"})),
        )
        .await;
    assert_eq!(status, 201, "{bot}");
    let bot_id = bot["user_id"].as_str().expect("bot id").to_string();
    let (bot_token, _) = access_token(&app, &root, &bot_id).await;
    let mut open = sockets(addr, &bot_token).await;
    let (status, _, _) = app
        .call(
            &Method::POST,
            &format!("/api/v4/bots/{bot_id}/disable"),
            Some(&root),
            None,
        )
        .await;
    assert_eq!(status, 200);
    both_close(&mut open, "bot disabled").await;

    let (user_id, user) = app.user("leaver").await;
    let mut open = sockets(addr, &user).await;
    let (status, _, _) = app
        .call(
            &Method::DELETE,
            &format!("/api/v4/users/{user_id}"),
            Some(&root),
            None,
        )
        .await;
    assert_eq!(status, 200);
    both_close(&mut open, "user deactivated").await;
}

async fn expired_sessions_close_their_sockets(backend: Backend) {
    let Some(app) = backend.app(crate::support::open_config()).await else {
        return;
    };
    let addr = serve(&app.core).await;
    let (user_id, _) = app.user("brief").await;
    // A session with a second and a half to live.
    let token = core_server::id::new_id();
    let now = core_server::time::now_ms();
    let session = Session {
        id: core_server::id::new_id(),
        token_hash: hash_token(&token),
        user_id,
        create_at: now,
        expires_at: now + 1_500,
        last_activity_at: now,
        device_id: String::new(),
        roles: "system_user".into(),
        props: Default::default(),
    };
    app.core
        .store
        .create_session(&session)
        .await
        .expect("session");
    let mut open = sockets(addr, &token).await;
    both_close(&mut open, "session expired").await;
}

async fn a_new_password_signs_out_the_other_sessions(backend: Backend) {
    let Some(app) = backend.app(crate::support::open_config()).await else {
        return;
    };
    let addr = serve(&app.core).await;
    let (user_id, changer) = app.user("carol").await;
    let (_, _, headers) = app
        .call(
            &Method::POST,
            "/api/v4/users/login",
            None,
            Some(&json!({"login_id": "carol", "password": "password1"})),
        )
        .await;
    let other = headers["token"].to_str().expect("token").to_string();
    let mut kept = sockets(addr, &changer).await;
    let mut ended = sockets(addr, &other).await;
    let (status, body, _) = app
        .call(
            &Method::PUT,
            &format!("/api/v4/users/{user_id}/password"),
            Some(&changer),
            Some(&json!({"current_password": "password1", "new_password": "password2"})),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    both_close(&mut ended, "the other session").await;
    assert_eq!(app.get("/api/v4/users/me", &other).await.status, 401);
    assert!(
        !closes_within(&mut kept.0, Duration::from_millis(500)).await,
        "the session that changed the password stays"
    );
    assert_eq!(app.get("/api/v4/users/me", &changer).await.status, 200);
}

/// Whether a `user_updated` event shows the changed user's e-mail.
fn shows_email(event: &Value) -> bool {
    event["data"]["user"]["email"]
        .as_str()
        .is_some_and(|e| !e.is_empty())
}

async fn a_demoted_admin_stops_seeing_addresses(backend: Backend) {
    let Some(app) = backend.app(crate::support::open_config()).await else {
        return;
    };
    let addr = serve(&app.core).await;
    let (_, root) = app.user("root").await;
    let (second_id, second) = app.user("second").await;
    let (_, other) = app.user("other").await;
    let roles = |roles: &str| json!({"roles": roles});
    let path = format!("/api/v4/users/{second_id}/roles");
    let (status, _, _) = app
        .call(
            &Method::PUT,
            &path,
            Some(&root),
            Some(&roles("system_user system_admin")),
        )
        .await;
    assert_eq!(status, 200);
    let mut socket = ws_connect(addr, "/api/v4/websocket", Some(&second), &[])
        .await
        .expect("v4");
    frame_named(&mut socket, "event", "hello").await;
    let rename = |name: &'static str| {
        let app = &app;
        let other = other.clone();
        async move {
            let (status, _, _) = app
                .call(
                    &Method::PUT,
                    "/api/v4/users/me/patch",
                    Some(&other),
                    Some(&json!({"nickname": name})),
                )
                .await;
            assert_eq!(status, 200);
        }
    };
    rename("first").await;
    let event = frame_named(&mut socket, "event", "user_updated").await;
    assert!(shows_email(&event), "an admin sees addresses: {event}");
    let (status, _, _) = app
        .call(
            &Method::PUT,
            &path,
            Some(&root),
            Some(&roles("system_user")),
        )
        .await;
    assert_eq!(status, 200);
    rename("second").await;
    loop {
        let event = frame_named(&mut socket, "event", "user_updated").await;
        if event["data"]["user"]["nickname"] == "second" {
            assert!(!shows_email(&event), "after demotion: {event}");
            break;
        }
    }
}

/// A fresh session of a user made by `App::user`.
async fn login(app: &App, name: &str) -> String {
    let (status, _, headers) = app
        .call(
            &Method::POST,
            "/api/v4/users/login",
            None,
            Some(&json!({"login_id": name, "password": "password1"})),
        )
        .await;
    assert_eq!(status, 200);
    headers
        .get("token")
        .and_then(|v| v.to_str().ok())
        .expect("Token header")
        .to_string()
}

/// Signing a user out everywhere, deactivating them with `PUT …/active`
/// and signing everyone out close the sockets of every session they end;
/// an access token signs in again afterwards (with a new session).
async fn signing_out_everywhere_closes_every_socket(backend: Backend) {
    let Some(app) = backend.app(crate::support::open_config()).await else {
        return;
    };
    let addr = serve(&app.core).await;
    let (root_id, root) = app.user("root").await;
    let (ann_id, ann) = app.user("ann").await;
    let ann_again = login(&app, "ann").await;
    let mut first = sockets(addr, &ann).await;
    let mut second = sockets(addr, &ann_again).await;
    let (status, _, _) = app
        .call(
            &Method::POST,
            &format!("/api/v4/users/{ann_id}/sessions/revoke/all"),
            Some(&ann),
            None,
        )
        .await;
    assert_eq!(status, 200);
    both_close(&mut first, "the calling session").await;
    both_close(&mut second, "the other session").await;
    assert_eq!(app.get("/api/v4/users/me", &ann_again).await.status, 401);

    let (bob_id, bob) = app.user("bob").await;
    let mut open = sockets(addr, &bob).await;
    let (status, _, _) = app
        .call(
            &Method::PUT,
            &format!("/api/v4/users/{bob_id}/active"),
            Some(&root),
            Some(&json!({"active": false})),
        )
        .await;
    assert_eq!(status, 200);
    both_close(&mut open, "deactivated by PUT active").await;

    let (token, _) = access_token(&app, &root, &root_id).await;
    let ann = login(&app, "ann").await;
    let mut hers = sockets(addr, &ann).await;
    let mut mine = sockets(addr, &root).await;
    let (status, _, _) = app
        .call(
            &Method::POST,
            "/api/v4/users/sessions/revoke/all",
            Some(&root),
            None,
        )
        .await;
    assert_eq!(status, 200);
    both_close(&mut hers, "everyone signed out: a user").await;
    both_close(&mut mine, "everyone signed out: the admin who asked").await;
    assert_eq!(app.get("/api/v4/users/me", &root).await.status, 401);
    assert_eq!(
        app.get("/api/v4/users/me", &token).await.status,
        200,
        "an access token outlives its session"
    );
}

on_both_backends!(
    token_revocation_closes_its_sockets,
    disabled_bots_and_deactivated_users_lose_their_sockets,
    expired_sessions_close_their_sockets,
    a_new_password_signs_out_the_other_sessions,
    a_demoted_admin_stops_seeing_addresses,
    signing_out_everywhere_closes_every_socket,
);
