//! The one place where core errors become native `/api/v1` responses.

use axum::extract::rejection::{BytesRejection, JsonRejection, PathRejection, QueryRejection};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::{Error, SignUpRefusal};

/// The body of every v1 error.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// Stable machine-readable code: `invalid`, `not_found`, `forbidden`, …
    pub code: &'static str,
    /// Human-readable explanation.
    pub message: String,
    /// The request field at fault, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

/// A v1 error response.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub body: ErrorBody,
}

impl ApiError {
    /// An error with a status, code and message.
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            body: ErrorBody {
                code,
                message: message.into(),
                field: None,
            },
        }
    }
}

/// The HTTP status and code of each core error; shared with other surfaces.
pub fn status_of(err: &Error) -> (StatusCode, &'static str) {
    match err {
        Error::NotFound { .. } => (StatusCode::NOT_FOUND, "not_found"),
        Error::Forbidden(_) => (StatusCode::FORBIDDEN, "forbidden"),
        Error::Unauthorized(_) => (StatusCode::UNAUTHORIZED, "unauthorized"),
        Error::LockedOut => (StatusCode::UNAUTHORIZED, "locked_out"),
        Error::Invalid { .. } => (StatusCode::BAD_REQUEST, "invalid"),
        Error::Conflict { .. } => (StatusCode::CONFLICT, "conflict"),
        Error::TooLarge(_) => (StatusCode::PAYLOAD_TOO_LARGE, "too_large"),
        Error::RateLimited => (StatusCode::TOO_MANY_REQUESTS, "rate_limited"),
        Error::NotImplemented(_) => (StatusCode::NOT_IMPLEMENTED, "not_implemented"),
        Error::SignUp(refusal) => match refusal {
            SignUpRefusal::CreationOff | SignUpRefusal::InvitationNeeded => {
                (StatusCode::FORBIDDEN, "sign_up_closed")
            }
            SignUpRefusal::UnknownInvite | SignUpRefusal::UnknownToken => {
                (StatusCode::NOT_FOUND, "invitation_not_found")
            }
            SignUpRefusal::ExpiredToken => (StatusCode::BAD_REQUEST, "invitation_expired"),
            SignUpRefusal::DomainNotAccepted
            | SignUpRefusal::TeamDomainNotAccepted
            | SignUpRefusal::OtherAddress => (StatusCode::FORBIDDEN, "email_not_accepted"),
        },
        Error::Busy => (StatusCode::SERVICE_UNAVAILABLE, "busy"),
        Error::Upstream(_) => (StatusCode::BAD_GATEWAY, "integration_failed"),
        Error::Unavailable(_) => (StatusCode::SERVICE_UNAVAILABLE, "unavailable"),
        Error::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
    }
}

impl From<Error> for ApiError {
    fn from(err: Error) -> Self {
        let (status, code) = status_of(&err);
        let (message, field) = match &err {
            Error::Internal(detail) | Error::Unavailable(detail) => {
                // Logged with the request's span (which carries its id); never shown.
                tracing::error!(error = %detail, "request failed");
                let msg = if status == StatusCode::SERVICE_UNAVAILABLE {
                    "a backend service is unavailable, try again later"
                } else {
                    "internal server error"
                };
                (msg.to_string(), None)
            }
            Error::Invalid { field, .. } | Error::Conflict { field, .. } => {
                (err.to_string(), Some(field.clone()))
            }
            Error::SignUp(refusal) => (err.to_string(), refusal.field().map(String::from)),
            other => (other.to_string(), None),
        };
        ApiError {
            status,
            body: ErrorBody {
                code,
                message,
                field,
            },
        }
    }
}

/// The code of a body the framework refused: too large, or unreadable.
fn body_rejection_code(status: StatusCode) -> &'static str {
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        "too_large"
    } else {
        "invalid"
    }
}

impl From<JsonRejection> for ApiError {
    fn from(rejection: JsonRejection) -> Self {
        let status = rejection.status();
        let text = rejection.body_text();
        let mut err = ApiError::new(status, body_rejection_code(status), text.clone());
        err.body.field = Some(json_error_field(&text).unwrap_or_else(|| "body".into()));
        if status == StatusCode::UNPROCESSABLE_ENTITY {
            // Wrong types and missing fields are plain bad requests here.
            err.status = StatusCode::BAD_REQUEST;
        }
        err
    }
}

impl From<BytesRejection> for ApiError {
    fn from(rejection: BytesRejection) -> Self {
        let status = rejection.status();
        let mut err = ApiError::new(status, body_rejection_code(status), rejection.body_text());
        err.body.field = Some("body".into());
        err
    }
}

/// The field a JSON deserialization message is about: its path prefix
/// (`name: invalid type …`) or the name in "missing field `x`".
fn json_error_field(text: &str) -> Option<String> {
    if let Some(start) = text.find("missing field `") {
        let rest = &text[start + "missing field `".len()..];
        return rest.split('`').next().map(str::to_string);
    }
    let detail = text.split("target type: ").nth(1)?;
    let (path, _) = detail.split_once(": ")?;
    let plausible = !path.is_empty()
        && path
            .chars()
            .all(|c| c.is_alphanumeric() || "_.[]".contains(c));
    plausible.then(|| path.to_string())
}

impl From<QueryRejection> for ApiError {
    fn from(rejection: QueryRejection) -> Self {
        let mut err = ApiError::new(StatusCode::BAD_REQUEST, "invalid", rejection.body_text());
        err.body.field = Some("query".into());
        err
    }
}

impl From<PathRejection> for ApiError {
    fn from(rejection: PathRejection) -> Self {
        let mut err = ApiError::new(StatusCode::BAD_REQUEST, "invalid", rejection.body_text());
        err.body.field = Some("path".into());
        err
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, axum::Json(self.body)).into_response()
    }
}

/// The result type of every v1 handler.
pub type ApiResult<T> = Result<T, ApiError>;
