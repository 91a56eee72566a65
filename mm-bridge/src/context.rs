//! Per-request context of the v4 surface: the request id (for error bodies)
//! and the headers Mattermost puts on every API response.

use axum::extract::{Request, State};
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::IntoResponse;
use axum::response::Response;
use core_server::services::Core;

/// The Mattermost server version we present; clients gate features on it.
pub const VERSION: &str = "10.11.0";
/// Build number part of `X-Version-Id` (no dots: clients split on them).
pub const BUILD_NUMBER: &str = "0";

tokio::task_local! {
    static REQUEST_ID: String;
}

/// The current request's id, or `""` outside a request.
pub fn request_id() -> String {
    REQUEST_ID.try_with(Clone::clone).unwrap_or_default()
}

/// Sets Mattermost's response headers, makes the request id available to
/// errors, and applies the rate limit (with its `X-RateLimit-*` headers).
pub async fn wire(State(core): State<Core>, req: Request, next: Next) -> Response {
    let id = req
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let decision = core
        .limiter
        .enabled()
        .then(|| core.limiter.check(&core_server::server::client_key(&req)));
    let mut response = match decision {
        Some(d) if !d.allowed => {
            REQUEST_ID
                .scope(id, async {
                    crate::error::MmError::new(
                        axum::http::StatusCode::TOO_MANY_REQUESTS,
                        "api.context.rate_limited.app_error",
                        "Too many requests, please try again later.",
                    )
                    .into_response()
                })
                .await
        }
        _ => REQUEST_ID.scope(id, next.run(req)).await,
    };
    if let Some(d) = decision {
        core_server::server::add_rate_limit_headers(&mut response, &d);
    }
    let headers = response.headers_mut();
    let version = format!(
        "{VERSION}.{BUILD_NUMBER}.{}.false",
        crate::routes::system::config_hash()
    );
    if let Ok(v) = HeaderValue::from_str(&version) {
        headers.insert("x-version-id", v);
    }
    headers.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    headers.insert("referrer-policy", HeaderValue::from_static("no-referrer"));
    headers.insert("expires", HeaderValue::from_static("0"));
    response
}
