//! The v4 route table. Every path not served here answers 501 in Mattermost's
//! error shape, so clients see a clear "not supported" rather than a 404.

use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::{any, get};
use axum::{Json, Router};
use serde_json::json;

use core_server::services::Core;

use crate::error::MmError;

/// The `/api/v4` router.
pub fn router() -> Router<Core> {
    Router::new()
        .route("/api/v4/system/ping", get(system_ping))
        .route("/api/v4/{*rest}", any(not_implemented))
}

/// `GET /api/v4/system/ping`
async fn system_ping() -> impl IntoResponse {
    Json(json!({
        "status": "OK",
        "AndroidLatestVersion": "",
        "AndroidMinVersion": "",
        "IosLatestVersion": "",
        "IosMinVersion": "",
        "ActiveSearchBackend": "database",
    }))
}

async fn not_implemented() -> MmError {
    MmError::new(
        StatusCode::NOT_IMPLEMENTED,
        "api.context.not_implemented.app_error",
        "This API endpoint is not implemented by this server.",
    )
}
