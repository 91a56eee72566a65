//! Arbitrary multipart bodies at the v4 file upload, through the whole
//! application over an embedded database: never a panic, never a 5xx.
//! The first byte picks the route (uploads, profile picture, emoji).
#![no_main]

use std::sync::OnceLock;

use axum::body::Body;
use axum::http::Request;
use libfuzzer_sys::fuzz_target;
use tower::ServiceExt;

struct Target {
    runtime: tokio::runtime::Runtime,
    app: axum::Router,
    token: String,
    user_id: String,
    _dir: tempfile::TempDir,
}

fn target() -> &'static Target {
    static TARGET: OnceLock<Target> = OnceLock::new();
    TARGET.get_or_init(|| {
        let runtime = tokio::runtime::Runtime::new().expect("runtime");
        let dir = tempfile::tempdir().expect("tempdir");
        let (app, token, user_id) = runtime.block_on(async {
            let config = core_server::config::Config {
                data_dir: dir.path().join("data"),
                ..Default::default()
            };
            let url = format!("sqlite://{}", dir.path().join("fuzz.db").display());
            let store = core_server::store::open(&url, 4).await.expect("store");
            let core = core_server::services::Core::new(store, config);
            let app = core_server::server::app(core.clone(), mm_bridge::router(core.clone()));
            let user = serde_json::json!({"username": "fuzz", "email": "fuzz@example.com", "password": "password1"});
            let created = send(&app, "POST", "/api/v4/users", None, "application/json", user.to_string().into_bytes()).await;
            let user: serde_json::Value = serde_json::from_slice(&created.1).expect("user");
            let login = serde_json::json!({"login_id": "fuzz", "password": "password1"});
            let (_, _, token) = send(&app, "POST", "/api/v4/users/login", None, "application/json", login.to_string().into_bytes()).await;
            (app, token.expect("token"), user["id"].as_str().expect("id").to_string())
        });
        Target { runtime, app, token, user_id, _dir: dir }
    })
}

async fn send(
    app: &axum::Router,
    method: &str,
    path: &str,
    token: Option<&str>,
    content_type: &str,
    body: Vec<u8>,
) -> (u16, Vec<u8>, Option<String>) {
    let mut request = Request::builder()
        .method(method)
        .uri(path)
        .header("content-type", content_type);
    if let Some(t) = token {
        request = request.header("authorization", format!("Bearer {t}"));
    }
    let response = app
        .clone()
        .oneshot(request.body(Body::from(body)).expect("request"))
        .await
        .expect("infallible");
    let status = response.status().as_u16();
    let token = response
        .headers()
        .get("token")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let bytes = http_body_util::BodyExt::collect(response.into_body())
        .await
        .map(|b| b.to_bytes().to_vec())
        .unwrap_or_default();
    (status, bytes, token)
}

fuzz_target!(|input: &[u8]| {
    let Some((&pick, body)) = input.split_first() else {
        return;
    };
    let t = target();
    let path = match pick % 3 {
        0 => "/api/v4/files".to_string(),
        1 => format!("/api/v4/users/{}/image", t.user_id),
        _ => "/api/v4/emoji".to_string(),
    };
    let (status, reply, _) = t.runtime.block_on(send(
        &t.app,
        "POST",
        &path,
        Some(&t.token),
        "multipart/form-data; boundary=fuzz",
        body.to_vec(),
    ));
    assert!(
        status < 500 || status == 501,
        "{path}: {status} {}",
        String::from_utf8_lossy(&reply)
    );
});
