//! The admin console's native routes: for system admins only, and each
//! action visible in what it changes.

use std::time::Duration;

use axum::http::StatusCode;
use serde_json::{json, Value};

use crate::fixtures::{team, DELETE, GET, POST, PUT};
use crate::support::{s, Ctx, Http};

/// Routes a plain user must be refused, with the body an admin would send.
const ADMIN_ONLY: &[(&str, &str)] = &[
    ("GET", "/api/v1/admin/overview"),
    ("GET", "/api/v1/admin/config"),
    ("GET", "/api/v1/admin/users"),
    ("GET", "/api/v1/admin/channels"),
    ("GET", "/api/v1/jobs"),
    ("POST", "/api/v1/jobs"),
    ("GET", "/api/v1/imports"),
    ("GET", "/api/v1/exports"),
];

pub async fn admin_routes_are_for_system_admins_only(ctx: Ctx) {
    let http = Http::new(&ctx.core);
    let (_, admin) = http.user("root").await; // the first account
    let (_, plain) = http.user("plain").await;
    let (status, _) = http
        .call(GET, "/api/v1/admin/overview", Some(&admin), None)
        .await;
    assert_eq!(status, StatusCode::OK, "the admin may");
    for (method, path) in ADMIN_ONLY {
        let method = method.parse().expect("method");
        let body = (*path == "/api/v1/jobs").then(|| json!({"type": "export_process"}));
        let (status, reply) = http.call(method, path, Some(&plain), body).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{path}: {reply}");
    }
    let (status, _) = http
        .raw_bytes(
            POST,
            "/api/v1/imports?filename=a.jsonl",
            Some(&plain),
            Some(b"{}".to_vec()),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = http.call(GET, "/api/v1/admin/overview", None, None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

pub async fn the_overview_and_settings_describe_the_server(ctx: Ctx) {
    let http = Http::new(&ctx.core);
    let (_, admin) = http.user("root").await;
    http.user("plain").await;
    let (status, overview) = http
        .call(GET, "/api/v1/admin/overview", Some(&admin), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{overview}");
    assert_eq!(overview["database"]["status"], "ok", "{overview}");
    assert!(
        matches!(
            overview["database"]["kind"].as_str(),
            Some("sqlite" | "postgres")
        ),
        "{overview}"
    );
    assert_eq!(overview["file_store"]["status"], "ok", "{overview}");
    assert_eq!(
        overview["statistics"]["unique_user_count"], 2.0,
        "{overview}"
    );

    let (status, settings) = http
        .call(GET, "/api/v1/admin/config", Some(&admin), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{settings}");
    let listed = settings.as_array().expect("a list");
    let listen = listed
        .iter()
        .find(|s| s["key"] == "listen")
        .unwrap_or_else(|| panic!("listen is shown: {settings}"));
    assert_eq!(listen["variable"], "RUSTCHAT_LISTEN");
    assert!(listed
        .iter()
        .filter(|s| s["secret"] == true)
        .all(|s| s["value"].is_null() || s["value"] == "********"));
}

pub async fn admins_manage_accounts(ctx: Ctx) {
    let http = Http::new(&ctx.core);
    let (_, admin) = http.user("root").await;
    let (bob_id, bob) = http.user("bob").await;

    // Deactivated: signed out, listed among the deactivated, back again.
    let active = format!("/api/v1/users/{bob_id}/active");
    let (status, user) = http
        .call(PUT, &active, Some(&admin), Some(json!({"active": false})))
        .await;
    assert_eq!(status, StatusCode::OK, "{user}");
    assert_ne!(user["delete_at"], 0, "{user}");
    let (status, _) = http.call(GET, "/api/v1/users/me", Some(&bob), None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "signed out");
    let (_, listed) = http
        .call(GET, "/api/v1/admin/users?active=false", Some(&admin), None)
        .await;
    let names: Vec<String> = listed
        .as_array()
        .expect("a list")
        .iter()
        .map(|u| s(u, "username"))
        .collect();
    assert_eq!(names, vec!["bob".to_string()], "{listed}");
    let (status, user) = http
        .call(PUT, &active, Some(&admin), Some(json!({"active": true})))
        .await;
    assert_eq!(status, StatusCode::OK, "{user}");
    assert_eq!(user["delete_at"], 0);

    // A new password from the admin, then a promotion and a demotion.
    let (status, body) = http
        .call(
            PUT,
            &format!("/api/v1/users/{bob_id}/password"),
            Some(&admin),
            Some(json!({"new_password": "a-fresh-password"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, login) = http
        .call(
            POST,
            "/api/v1/auth/login",
            None,
            Some(json!({"login_id": "bob", "password": "a-fresh-password"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{login}");
    let bob = s(&login, "token");
    let roles = format!("/api/v1/users/{bob_id}/roles");
    let (status, user) = http
        .call(
            PUT,
            &roles,
            Some(&admin),
            Some(json!({"roles": "system_user system_admin"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{user}");
    let (status, _) = http
        .call(GET, "/api/v1/admin/overview", Some(&bob), None)
        .await;
    assert_eq!(status, StatusCode::OK, "promoted");
    let (status, _) = http
        .call(
            PUT,
            &roles,
            Some(&admin),
            Some(json!({"roles": "system_user"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = http
        .call(GET, "/api/v1/admin/overview", Some(&bob), None)
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "demoted");
    let (status, body) = http
        .call(
            PUT,
            &roles,
            Some(&admin),
            Some(json!({"roles": "system_overlord"})),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["field"], "roles");
    let (status, _) = http
        .call(
            PUT,
            &roles,
            Some(&bob),
            Some(json!({"roles": "system_user system_admin"})),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "no self-promotion");

    // Signed out everywhere.
    let (status, _) = http
        .call(
            DELETE,
            &format!("/api/v1/users/{bob_id}/sessions"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = http.call(GET, "/api/v1/users/me", Some(&bob), None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

pub async fn admins_see_every_channel(ctx: Ctx) {
    let http = Http::new(&ctx.core);
    let (_, admin) = http.user("root").await;
    let (_, bob) = http.user("bob").await;
    let (team_id, _) = team(&http, &bob, "bobs").await;
    let (status, hidden) = http
        .call(
            POST,
            &format!("/api/v1/teams/{team_id}/channels"),
            Some(&bob),
            Some(json!({"name": "hideout", "display_name": "Hideout", "type": "P"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{hidden}");
    let (status, found) = http
        .call(GET, "/api/v1/admin/channels?term=hide", Some(&admin), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{found}");
    assert_eq!(found[0]["channel"]["id"], hidden["id"], "{found}");
    assert_eq!(found[0]["team_name"], "bobs");
    assert_eq!(found.as_array().map(Vec::len), Some(1));
}

async fn finished_job(http: &Http, token: &str, id: &str) -> Value {
    for _ in 0..200 {
        let (status, job) = http
            .call(GET, &format!("/api/v1/jobs/{id}"), Some(token), None)
            .await;
        assert_eq!(status, StatusCode::OK, "{job}");
        if matches!(
            job["status"].as_str(),
            Some("success" | "warning" | "error" | "canceled")
        ) {
            return job;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("job {id} did not finish");
}

pub async fn admins_import_and_export(ctx: Ctx) {
    let http = Http::new(&ctx.core);
    let (_, admin) = http.user("root").await;
    let bulk = concat!(
        "{\"type\":\"version\",\"version\":1}\n",
        "{\"type\":\"team\",\"team\":{\"name\":\"imported\",\"display_name\":\"Imported\",\"type\":\"O\"}}\n",
        "{\"type\":\"channel\",\"channel\":{\"team\":\"imported\",\"name\":\"moved-in\",\"display_name\":\"Moved in\",\"type\":\"O\"}}\n",
    );
    let (status, raw) = http
        .raw_bytes(
            POST,
            "/api/v1/imports?filename=small.jsonl",
            Some(&admin),
            Some(bulk.as_bytes().to_vec()),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::CREATED,
        "{}",
        String::from_utf8_lossy(&raw)
    );
    let uploaded: Value = serde_json::from_slice(&raw).expect("json");
    let name = s(&uploaded, "name");
    assert!(name.ends_with("_small.jsonl"), "{name}");
    let (_, imports) = http.call(GET, "/api/v1/imports", Some(&admin), None).await;
    assert_eq!(imports, json!([name]));

    let (status, job) = http
        .call(
            POST,
            "/api/v1/jobs",
            Some(&admin),
            Some(json!({"type": "import_process", "data": {"import_file": name}})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{job}");
    let done = finished_job(&http, &admin, &s(&job, "id")).await;
    assert_eq!(done["status"], "success", "{done}");
    assert_eq!(done["progress"], 100, "{done}");
    let (status, imported) = http
        .call(GET, "/api/v1/teams/name/imported", Some(&admin), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{imported}");

    let (status, body) = http
        .call(
            POST,
            "/api/v1/jobs",
            Some(&admin),
            Some(json!({"type": "import_process", "data": {"import_file": "nothing.zip"}})),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["field"], "data.import_file");

    let (status, job) = http
        .call(
            POST,
            "/api/v1/jobs",
            Some(&admin),
            Some(json!({"type": "export_process"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{job}");
    let done = finished_job(&http, &admin, &s(&job, "id")).await;
    assert_eq!(done["status"], "success", "{done}");
    let (_, exports) = http.call(GET, "/api/v1/exports", Some(&admin), None).await;
    let export = exports[0].as_str().expect("an export").to_string();
    let (status, zip) = http
        .raw_bytes(
            GET,
            &format!("/api/v1/exports/{export}"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(zip.starts_with(b"PK"), "a zip archive");
    let (_, jobs) = http.call(GET, "/api/v1/jobs", Some(&admin), None).await;
    assert_eq!(
        jobs.as_array().map(Vec::len),
        Some(2),
        "both jobs listed: {jobs}"
    );
}
