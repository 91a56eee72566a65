//! The HTTP server: middleware around the API routers, and graceful shutdown.

use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{HeaderName, HeaderValue, Method};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::Router;
use tower_http::trace::TraceLayer;

use crate::services::Core;

/// The header carrying each request's id, on the request and the response.
pub static REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Gives every request a fresh id, visible to handlers, logs and the client.
async fn request_id(mut req: Request, next: Next) -> Response {
    let id = crate::id::new_id();
    let value = HeaderValue::from_str(&id).unwrap_or_else(|_| HeaderValue::from_static("invalid"));
    req.headers_mut().insert(REQUEST_ID.clone(), value.clone());
    let mut response = next.run(req).await;
    response.headers_mut().insert(REQUEST_ID.clone(), value);
    response
}

/// The key requests are rate-limited by: the client's address.
pub fn client_key(req: &Request) -> String {
    client_of(req.extensions())
}

/// The client's address from a request's extensions (`local` in-process).
fn client_of(extensions: &axum::http::Extensions) -> String {
    extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|info| info.0.ip().to_string())
        .unwrap_or_else(|| "local".to_string())
}

/// Whether session cookies must be `Secure`: the site is served over HTTPS
/// (its URL says so, or the proxy in front says this request came so).
pub fn cookies_secure(config: &crate::config::Config, headers: &axum::http::HeaderMap) -> bool {
    config
        .site_url
        .as_deref()
        .is_some_and(|u| u.to_ascii_lowercase().starts_with("https://"))
        || headers
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|p| p.eq_ignore_ascii_case("https"))
}

/// A cookie's value from a request's headers.
pub fn cookie_value<'a>(headers: &'a axum::http::HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim())
        .filter(|v| !v.is_empty())
}

/// The cookie that binds a single sign-on to the browser that started it
/// (Mattermost's name for it).
pub const SSO_COOKIE: &str = "MMOAUTH";

/// [`SSO_COOKIE`] set (or, with an empty value, cleared): HttpOnly, sent
/// on the provider's top-level redirect back (Lax), Secure over HTTPS.
pub fn sso_cookie(
    config: &crate::config::Config,
    headers: &axum::http::HeaderMap,
    value: &str,
) -> String {
    let max_age = if value.is_empty() { 0 } else { 600 };
    let secure = if cookies_secure(config, headers) {
        "; Secure"
    } else {
        ""
    };
    format!("{SSO_COOKIE}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}")
}

/// The client's address, for limits kept per client (failed logins).
pub struct ClientAddr(pub String);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _state: &S,
    ) -> Result<Self, Self::Rejection> {
        Ok(ClientAddr(client_of(&parts.extensions)))
    }
}

/// Puts the `X-RateLimit-*` headers of a decision on a response.
pub fn add_rate_limit_headers(response: &mut Response, d: &crate::ratelimit::Decision) {
    let h = response.headers_mut();
    for (name, value) in [
        ("x-ratelimit-limit", d.limit.to_string()),
        ("x-ratelimit-remaining", d.remaining.to_string()),
        ("x-ratelimit-reset", d.reset_seconds.to_string()),
    ] {
        if let Ok(v) = HeaderValue::from_str(&value) {
            h.insert(name, v);
        }
    }
    if !d.allowed {
        if let Ok(v) = HeaderValue::from_str(&d.retry_after_seconds.to_string()) {
            h.insert(axum::http::header::RETRY_AFTER, v);
        }
    }
}

/// Rate limiting of the native API (when configured).
async fn rate_limit_v1(State(core): State<Core>, req: Request, next: Next) -> Response {
    if !core.limiter.enabled() {
        return next.run(req).await;
    }
    let decision = core.limiter.check(&client_key(&req));
    let mut response = if decision.allowed {
        next.run(req).await
    } else {
        axum::response::IntoResponse::into_response(crate::api::error::ApiError::from(
            crate::Error::RateLimited,
        ))
    };
    add_rate_limit_headers(&mut response, &decision);
    response
}

/// A request path as it may be logged: the id in a public hook URL
/// (`/hooks/{id}`, `/hooks/commands/{id}`) is the hook's secret, so it is
/// left out, and so is an incoming webhook's id where it is managed
/// (`/api/v4/hooks/incoming/{id}`).
fn loggable_path(path: &str) -> std::borrow::Cow<'_, str> {
    if path.starts_with("/api/v4/hooks/incoming/") {
        return "/api/v4/hooks/incoming/…".into();
    }
    match path.strip_prefix("/hooks/") {
        Some(rest) if rest.starts_with("commands/") => "/hooks/commands/…".into(),
        Some(_) => "/hooks/…".into(),
        None => path.into(),
    }
}

/// Answers a write only once the events it published are where every node
/// will deliver them (see [`crate::events::EventBus::settled`]).
async fn events_settled(State(core): State<Core>, request: Request, next: Next) -> Response {
    let reads_only = matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    let response = next.run(request).await;
    if !reads_only {
        core.events.settled().await;
    }
    response
}

/// The route template a request matched (`/api/v4/users/{user_id}`), handed
/// from inside the router to [`count_request`] outside it.
#[derive(Clone)]
struct RouteTemplate(std::sync::Arc<str>);

async fn note_route(req: Request, next: Next) -> Response {
    let template = req
        .extensions()
        .get::<axum::extract::MatchedPath>()
        .map(|p| RouteTemplate(p.as_str().into()));
    let mut response = next.run(req).await;
    if let Some(template) = template {
        response.extensions_mut().insert(template);
    }
    response
}

/// Counts and times every request by its route template; requests no route
/// matched (the web app's files, unknown paths) count as `other`, so a
/// scanner's paths cannot grow the metrics.
async fn count_request(req: Request, next: Next) -> Response {
    let started = std::time::Instant::now();
    let method = req.method().clone();
    let response = next.run(req).await;
    let route = response
        .extensions()
        .get::<RouteTemplate>()
        .map_or("other", |t| &t.0);
    crate::metrics::http_request(
        method.as_str(),
        route,
        response.status().as_u16(),
        started.elapsed(),
    );
    response
}

/// The whole application: the native API plus `extra` routes (the v4 bridge).
pub fn app(core: Core, extra: Router<Core>) -> Router {
    let config = core.config();
    let routes = Router::new()
        .merge(
            crate::api::router().layer(middleware::from_fn_with_state(core.clone(), rate_limit_v1)),
        )
        .merge(
            crate::mcp::router().layer(middleware::from_fn_with_state(core.clone(), rate_limit_v1)),
        )
        .merge(extra);
    // Counting a request allocates its labels: only done when metrics are served.
    let metered = config.metrics_listen.is_some();
    let routes = if metered {
        routes.route_layer(middleware::from_fn(note_route))
    } else {
        routes
    };
    let app = routes
        .layer(middleware::from_fn_with_state(core.clone(), events_settled))
        .layer(DefaultBodyLimit::max(config.max_body_bytes))
        .layer(TraceLayer::new_for_http().make_span_with(|req: &Request| {
            let id = req
                .headers()
                .get(&REQUEST_ID)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            let path = loggable_path(req.uri().path());
            tracing::info_span!("request", method = %req.method(), path = %path, request_id = %id)
        }))
        .layer(middleware::from_fn(request_id));
    let app = if metered {
        app.layer(middleware::from_fn(count_request))
    } else {
        app
    };
    app.with_state(core)
}

/// Serves `app` on `listener` until `stop` resolves; then stops accepting
/// and returns once the requests in flight are answered.
pub async fn serve(
    listener: tokio::net::TcpListener,
    app: Router,
    stop: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(stop)
    .await
}

/// The application once `app` is set; until then (while the database is
/// opened and migrated) every request is answered 503, so a load balancer
/// sees the node as not ready rather than refusing connections.
pub fn until_ready(app: std::sync::Arc<std::sync::OnceLock<Router>>) -> Router {
    Router::new().fallback(move |req: Request| {
        let app = app.clone();
        async move {
            match app.get() {
                Some(router) => match tower::ServiceExt::oneshot(router.clone(), req).await {
                    Ok(response) => response,
                    Err(never) => match never {},
                },
                None => starting(req.uri().path()),
            }
        }
    })
}

/// The answer of a node that is still starting, in the shape of the API asked.
fn starting(path: &str) -> Response {
    use axum::http::StatusCode;
    use axum::response::IntoResponse;
    let body = if path.starts_with("/api/v4/") {
        serde_json::json!({
            "id": "api.server.starting",
            "message": "The server is starting; try again in a moment.",
            "detailed_error": "",
            "request_id": "",
            "status_code": 503,
        })
    } else if path == "/api/v1/system/ready" {
        serde_json::json!({"status": "unavailable", "reason": "starting"})
    } else {
        serde_json::json!({
            "code": "starting",
            "message": "the server is starting; try again in a moment",
        })
    };
    let mut response = (StatusCode::SERVICE_UNAVAILABLE, axum::Json(body)).into_response();
    response.headers_mut().insert(
        axum::http::header::RETRY_AFTER,
        HeaderValue::from_static("1"),
    );
    response
}

/// Resolves on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutting down: no new connections; finishing the requests in flight");
}

#[cfg(test)]
mod tests {
    use super::loggable_path;

    async fn call(app: &axum::Router, path: &str) -> (u16, serde_json::Value) {
        use http_body_util::BodyExt;
        let request = axum::http::Request::get(path)
            .body(axum::body::Body::empty())
            .expect("request");
        let response = tower::ServiceExt::oneshot(app.clone(), request)
            .await
            .expect("response");
        let status = response.status().as_u16();
        let body = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes();
        (status, serde_json::from_slice(&body).unwrap_or_default())
    }

    #[tokio::test]
    async fn a_starting_node_answers_503_in_each_api_shape_then_serves() {
        let cell = std::sync::Arc::new(std::sync::OnceLock::new());
        let app = super::until_ready(cell.clone());
        let (status, body) = call(&app, "/api/v1/system/ready").await;
        assert_eq!((status, body["reason"].as_str()), (503, Some("starting")));
        let (status, body) = call(&app, "/api/v4/users/me").await;
        assert_eq!((status, body["status_code"].as_u64()), (503, Some(503)));
        assert_eq!(body["id"], "api.server.starting");
        let (status, body) = call(&app, "/api/v1/users/me").await;
        assert_eq!((status, body["code"].as_str()), (503, Some("starting")));
        let ready = axum::Router::new().route(
            "/api/v1/system/ready",
            axum::routing::get(|| async { axum::Json(serde_json::json!({"status": "ready"})) }),
        );
        assert!(cell.set(ready).is_ok());
        let (status, body) = call(&app, "/api/v1/system/ready").await;
        assert_eq!((status, body["status"].as_str()), (200, Some("ready")));
    }

    #[test]
    fn hook_secrets_are_left_out_of_logged_paths() {
        assert_eq!(loggable_path("/hooks/abc123"), "/hooks/…");
        assert_eq!(loggable_path("/hooks/commands/abc123"), "/hooks/commands/…");
        assert_eq!(
            loggable_path("/api/v4/hooks/incoming/abc123"),
            "/api/v4/hooks/incoming/…"
        );
        assert_eq!(
            loggable_path("/api/v4/hooks/incoming"),
            "/api/v4/hooks/incoming"
        );
        assert_eq!(loggable_path("/api/v4/users/me"), "/api/v4/users/me");
    }
}
