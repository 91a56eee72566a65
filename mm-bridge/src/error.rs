//! Mattermost's error body: `{id, message, detailed_error, request_id, status_code}`.

use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// A v4 error response.
#[derive(Debug, Serialize)]
pub struct MmError {
    /// Stable id that clients branch on, e.g. `api.context.permissions.app_error`.
    pub id: String,
    pub message: String,
    pub detailed_error: String,
    pub request_id: String,
    pub status_code: u16,
}

impl MmError {
    /// An error with Mattermost's id and message.
    pub fn new(status: StatusCode, id: &str, message: impl Into<String>) -> Self {
        MmError {
            id: id.to_string(),
            message: message.into(),
            detailed_error: String::new(),
            request_id: String::new(),
            status_code: status.as_u16(),
        }
    }
}

impl IntoResponse for MmError {
    fn into_response(self) -> Response {
        let status =
            StatusCode::from_u16(self.status_code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut response = (status, axum::Json(self)).into_response();
        // Exactly this value: the official client rejects any other.
        response.headers_mut().insert(
            axum::http::header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        response
    }
}
