//! Arbitrary bodies at every v1 and v4 route that takes one, sent by a
//! system admin over their own things (so nothing stops at a permission
//! check): each answer is a 2xx or a 4xx in the API's error shape, never a
//! 5xx, and the server keeps answering.

use axum::http::Method;
use proptest::test_runner::TestCaseError;
use serde_json::{json, Value};

use super::inputs;
use crate::support::{id, App, Backend};

/// The admin's team, channel, post and file, and the admin's token.
struct Things {
    app: App,
    token: String,
    ids: Vec<String>,
    team: String,
    channel: String,
    post: String,
    user: String,
}

async fn set_up(backend: Backend) -> Option<Things> {
    let app = backend.app(crate::support::open_config()).await?;
    let (user, token, team, channel) = super::admin_with_team(&app).await;
    let (other, _) = app.user("other").await;
    let (_, post, _) = app
        .call(
            &Method::POST,
            "/api/v4/posts",
            Some(&token),
            Some(&json!({"channel_id": channel, "message": "first"})),
        )
        .await;
    let post = id(&post);
    let ids = vec![
        user.clone(),
        other,
        team.clone(),
        channel.clone(),
        post.clone(),
    ];
    Some(Things {
        app,
        token,
        ids,
        team,
        channel,
        post,
        user,
    })
}

/// The route's path with the admin's things in it (a made-up id for the
/// rest, which a 404 answers).
fn fill(path: &str, t: &Things) -> String {
    let mut filled = String::new();
    for segment in path.split('/') {
        let value = match segment {
            "{team_id}" => t.team.clone(),
            "{channel_id}" => t.channel.clone(),
            "{post_id}" => t.post.clone(),
            "{user_id}" => t.user.clone(),
            "{team_name}" | "{name}" => "acme".into(),
            "{channel_name}" => "town-square".into(),
            "{username}" => "root".into(),
            s if s.starts_with('{') => "abcdefghijkmnopqrstuvwxyz1".into(),
            s => s.into(),
        };
        if !filled.is_empty() || !value.is_empty() {
            filled.push('/');
        }
        filled.push_str(&value);
    }
    filled.replace("//", "/")
}

/// Routes that change what the routes after them answer: ending the
/// admin's own session, turning the admin into a bot (which ends its
/// sessions whatever the body), or marking the server busy (searches then
/// answer 503). They are fuzzed too, but last.
fn runs_last(path: &str) -> bool {
    path.ends_with("/logout")
        || path.ends_with("/sessions/revoke/all")
        || path.ends_with("/convert_to_bot")
        || path.ends_with("/server_busy")
}

/// Every route that reads a body: method and path.
fn routes() -> Vec<(Method, String)> {
    let mut routes: Vec<(Method, String)> = Vec::new();
    let v1 = serde_json::to_value(core_server::api::openapi_document()).expect("document");
    for (path, item) in v1["paths"].as_object().expect("paths") {
        for method in item.as_object().expect("operations").keys() {
            routes.push((
                Method::from_bytes(method.to_ascii_uppercase().as_bytes()).expect("method"),
                path.clone(),
            ));
        }
    }
    for (method, path) in mm_bridge::ROUTES {
        routes.push((
            Method::from_bytes(method.as_bytes()).expect("method"),
            path.to_string(),
        ));
    }
    routes.retain(|(m, p)| {
        matches!(*m, Method::POST | Method::PUT | Method::PATCH) && !p.ends_with("/websocket")
    });
    routes.sort_by_key(|(_, p)| runs_last(p));
    routes
}

/// Whether a 4xx body is the API's error shape: v4 is Mattermost's
/// `{id, message, status_code}`, v1 is `{code, message}`.
fn is_error_shape(path: &str, body: &Value) -> bool {
    if path.starts_with("/api/v1") {
        body["code"].is_string() && body["message"].is_string()
    } else {
        body["id"].is_string() && body["message"].is_string() && body["status_code"].is_number()
    }
}

fn every_body_route_answers_arbitrary_bodies_without_a_5xx(backend: Backend, cases: u32) {
    let rt = super::runtime();
    let routes = routes();
    assert!(routes.len() > 80, "{} body routes", routes.len());
    let Some(first) = rt.block_on(set_up(backend)) else {
        return;
    };
    let known = first.ids.clone();
    let current = std::cell::RefCell::new(first);
    let mut runner = super::runner(cases);
    let result = runner.run(&inputs::body(known), |body| {
        let mut things = current.borrow_mut();
        rt.block_on(async {
            // A body that deactivated, demoted or logged out the admin leaves
            // nothing to fuzz with: start over on a fresh server.
            if things
                .app
                .get("/api/v4/users/me", &things.token)
                .await
                .status
                != 200
            {
                *things = set_up(backend).await.expect("the backend is up");
            }
            for (method, path) in &routes {
                let url = fill(path, &things);
                let reply = things
                    .app
                    .send(
                        method.clone(),
                        &url,
                        Some(&things.token),
                        Some("application/json"),
                        body.clone(),
                    )
                    .await;
                let shown = String::from_utf8_lossy(&reply.bytes)
                    .chars()
                    .take(300)
                    .collect::<String>();
                // 501 is how an unsupported feature answers (with the error shape).
                if reply.status.is_server_error() && reply.status != 501 {
                    return Err(TestCaseError::fail(format!(
                        "{method} {path}: {} {shown}",
                        reply.status
                    )));
                }
                if (reply.status.is_client_error() || reply.status == 501)
                    && !is_error_shape(path, &reply.json())
                {
                    return Err(TestCaseError::fail(format!(
                        "{method} {path}: {} is not an error of the API's shape: {shown}",
                        reply.status
                    )));
                }
            }
            let ping = things.app.get("/api/v4/system/ping", &things.token).await;
            if ping.status != 200 {
                return Err(TestCaseError::fail("the server stopped answering"));
            }
            Ok(())
        })
    });
    if let Err(e) = result {
        panic!("{e}");
    }
}

#[test]
fn sqlite_bodies() {
    every_body_route_answers_arbitrary_bodies_without_a_5xx(Backend::Sqlite, 32);
}

#[test]
fn postgres_bodies() {
    every_body_route_answers_arbitrary_bodies_without_a_5xx(Backend::Postgres, 12);
}
