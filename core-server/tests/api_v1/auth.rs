//! Signing in and out: login and logout, expired sessions, the session
//! cookie (reads only) and the password reset routes.

use axum::http::{Method, StatusCode};
use serde_json::json;

use crate::fixtures::{team, GET, POST};
use crate::support::{Ctx, Http};

pub async fn auth_login_logout(ctx: Ctx) {
    let http = Http::new(&ctx.core);
    let (status, health) = http.call(GET, "/api/v1/health", None, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(health["status"], "ok");
    let (status, ready) = http.call(GET, "/api/v1/system/ready", None, None).await;
    assert_eq!(
        (status, ready["status"].as_str()),
        (StatusCode::OK, Some("ready"))
    );

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

    // A stopping node tells load balancers it is not ready.
    ctx.core.hub.shut_down();
    let (status, ready) = http.call(GET, "/api/v1/system/ready", None, None).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(ready["reason"], "shutting_down");
}

/// An expired session is refused and removed.
pub async fn expired_sessions_are_refused(ctx: Ctx) {
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

/// Login also sets an HttpOnly session cookie; it authorises reads only (a
/// browser sends it by itself, so never a change), and logout clears it.
pub async fn the_session_cookie_authorises_reads_only(ctx: Ctx) {
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
pub async fn password_reset_routes(ctx: Ctx) {
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

/// A session read for one request is remembered for the next ones for a
/// moment; every change to what it allows still reaches the very next
/// request, and a change made behind the server's back (on the database,
/// as the command line does) within that moment.
pub async fn remembered_sessions_follow_changes_at_once(ctx: Ctx) {
    use core_server::services::session_cache::LIFETIME;
    let http = Http::new(&ctx.core);
    let core = &ctx.core;
    let (_, alice_token) = http.user("ada").await;
    let (bob_id, bob_token) = http.user("bert").await;
    let alice = core.authenticate(&alice_token).await.expect("alice");
    assert!(alice.is_admin(), "the first user is an admin");
    assert!(!core.authenticate(&bob_token).await.expect("bob").is_admin());

    core.set_user_roles(&alice, &bob_id, "system_user system_admin")
        .await
        .expect("promote");
    let bob = core.authenticate(&bob_token).await.expect("bob");
    assert!(bob.is_admin(), "a promotion is seen at once");
    core.set_user_roles(&alice, &bob_id, "system_user")
        .await
        .expect("demote");
    let bob = core.authenticate(&bob_token).await.expect("bob");
    assert!(!bob.is_admin(), "a demotion is seen at once");

    let (status, _) = http
        .call(
            Method::PATCH,
            &format!("/api/v1/users/{bob_id}"),
            Some(&bob_token),
            Some(json!({"nickname": "the builder"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let bob = core.authenticate(&bob_token).await.expect("bob");
    assert_eq!(
        bob.user.nickname, "the builder",
        "a profile change is seen at once"
    );

    core.deactivate_user(&alice, &bob_id)
        .await
        .expect("deactivate");
    assert!(
        core.authenticate(&bob_token).await.is_err(),
        "a deactivation is seen at once"
    );

    let (cora_id, cora_token) = http.user("cora").await;
    core.authenticate(&cora_token).await.expect("cora");
    ctx.store
        .delete_user_sessions(&cora_id)
        .await
        .expect("delete behind the server's back");
    tokio::time::sleep(LIFETIME + std::time::Duration::from_millis(100)).await;
    let (status, _) = http
        .call(GET, "/api/v1/users/me", Some(&cora_token), None)
        .await;
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "a session deleted on the database is refused once remembered no longer"
    );
}
