//! Shared test fixtures: a core on each backend, and an in-process HTTP client.
#![allow(dead_code)]

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use axum::Router;
use core_server::config::Config;
use core_server::services::Core;
use core_server::store::Store;
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;

/// A core on a fresh backend; holds what must live as long as the test.
pub struct Ctx {
    pub core: Core,
    pub store: Arc<dyn Store>,
    _dir: Option<tempfile::TempDir>,
}

/// Files go to the test's own temporary directory, never the working tree.
fn test_config(dir: &tempfile::TempDir) -> Config {
    Config {
        // Short passwords keep fixtures readable; the policy itself is tested separately.
        password_min_length: 8,
        // The suites sign their people up freely; the sign-up rules are
        // tested on the default, invitation-only, configuration.
        enable_open_signup: true,
        data_dir: dir.path().join("data"),
        ..Config::default()
    }
}

/// A core on a new SQLite file.
pub async fn sqlite() -> Ctx {
    let dir = tempfile::tempdir().expect("tempdir");
    let url = format!("sqlite://{}", dir.path().join("test.db").display());
    let store = core_server::store::open(&url, 4)
        .await
        .expect("open sqlite");
    Ctx {
        core: Core::new(store.clone(), test_config(&dir)),
        store,
        _dir: Some(dir),
    }
}

/// Base URL of the test PostgreSQL server.
pub fn postgres_base() -> String {
    std::env::var("RUSTCHAT_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into())
}

/// A core on a new PostgreSQL database, or `None` (with a note) when no server
/// runs. Under `CI=true` a missing server fails the test instead.
pub async fn postgres() -> Option<Ctx> {
    let name = format!("rustchat_test_{}", core_server::id::new_id());
    let url = format!("{}/{}", postgres_base().trim_end_matches('/'), name);
    match core_server::store::open(&url, 4).await {
        Ok(store) => {
            let dir = tempfile::tempdir().expect("tempdir");
            Some(Ctx {
                core: Core::new(store.clone(), test_config(&dir)),
                store,
                _dir: Some(dir),
            })
        }
        Err(e) => {
            if std::env::var("CI").is_ok_and(|v| v == "true") {
                panic!("PostgreSQL is required under CI=true but unavailable: {e}");
            }
            eprintln!(
                "SKIPPED: PostgreSQL unavailable at {}: {e}",
                postgres_base()
            );
            None
        }
    }
}

/// Declares each listed `async fn(Ctx)` test once per backend, as
/// `sqlite::<name>` and `postgres::<name>`.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let ctx = $crate::support::sqlite().await;
                    super::$name(ctx).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let Some(ctx) = $crate::support::postgres().await else { return };
                    super::$name(ctx).await;
                }
            )*
        }
    };
}

/// An in-process client of the whole HTTP application.
pub struct Http {
    pub router: Router,
}

impl Http {
    pub fn new(core: &Core) -> Self {
        Http {
            router: core_server::server::app(core.clone(), Router::new()),
        }
    }

    /// Sends a request; returns the status and the body parsed as JSON (or a string).
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let raw = body.map(|b| b.to_string());
        self.raw(method, path, token, raw).await
    }

    /// Like [`Http::call`] with a raw body, for malformed input.
    pub async fn raw(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<String>,
    ) -> (StatusCode, Value) {
        let mut req = Request::builder().method(method).uri(path);
        if let Some(t) = token {
            req = req.header("authorization", format!("Bearer {t}"));
        }
        let req = match body {
            Some(b) => req
                .header("content-type", "application/json")
                .body(Body::from(b)),
            None => req.body(Body::empty()),
        }
        .expect("request");
        let resp = self.router.clone().oneshot(req).await.expect("infallible");
        let status = resp.status();
        let bytes = resp.into_body().collect().await.expect("body").to_bytes();
        let value = serde_json::from_slice(&bytes)
            .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into()));
        (status, value)
    }

    /// Sends raw bytes and returns the status and the raw answer (files, pictures).
    pub async fn raw_bytes(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Vec<u8>>,
    ) -> (StatusCode, Vec<u8>) {
        let mut req = Request::builder().method(method).uri(path);
        if let Some(t) = token {
            req = req.header("authorization", format!("Bearer {t}"));
        }
        let req = req
            .body(body.map(Body::from).unwrap_or_else(Body::empty))
            .expect("request");
        let resp = self.router.clone().oneshot(req).await.expect("infallible");
        let status = resp.status();
        let bytes = resp.into_body().collect().await.expect("body").to_bytes();
        (status, bytes.to_vec())
    }

    /// Signs up and logs in; returns (user id, token).
    pub async fn user(&self, username: &str) -> (String, String) {
        let (status, user) = self
            .call(
                Method::POST,
                "/api/v1/users",
                None,
                Some(serde_json::json!({"username": username, "email": format!("{username}@example.com"), "password": "password1"})),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{user}");
        let (status, login) = self
            .call(
                Method::POST,
                "/api/v1/auth/login",
                None,
                Some(serde_json::json!({"login_id": username, "password": "password1"})),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{login}");
        (s(&user, "id"), s(&login, "token"))
    }
}

/// A string field of a JSON value.
pub fn s(v: &Value, key: &str) -> String {
    v.get(key)
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("no string {key} in {v}"))
        .to_string()
}
