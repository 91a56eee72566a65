//! What paths this server does not serve answer: Mattermost's 404, the
//! disabled-plugins error, or 501 (after cleaning doubled slashes).

use axum::http::StatusCode;

use crate::error::MmError;

/// A path under `/api` of no API this server has.
pub(super) async fn unknown_api() -> MmError {
    MmError::new(
        StatusCode::NOT_FOUND,
        "api.context.404.app_error",
        "Sorry, we could not find the page.",
    )
}

/// Plugin routes, with plugins off (as the client config says).
pub(super) async fn plugins_disabled() -> MmError {
    MmError::new(
        StatusCode::NOT_IMPLEMENTED,
        "app.plugin.disabled.app_error",
        "Plugins have been disabled. Please check your logs for details.",
    )
}

/// Unserved paths answer 501; a path with doubled slashes is first redirected
/// to its clean form, as Mattermost's router does (some clients build such paths).
pub(super) async fn not_implemented(uri: axum::http::Uri) -> axum::response::Response {
    use axum::response::IntoResponse;
    let path = uri.path();
    if path.contains("//") {
        let mut clean = String::with_capacity(path.len());
        for c in path.chars() {
            if !(c == '/' && clean.ends_with('/')) {
                clean.push(c);
            }
        }
        if let Some(q) = uri.query() {
            clean.push('?');
            clean.push_str(q);
        }
        return axum::response::Redirect::permanent(&clean).into_response();
    }
    MmError::not_implemented().into_response()
}
