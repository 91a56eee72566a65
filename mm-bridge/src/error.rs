//! Mattermost's error body, `{id, message, detailed_error, request_id,
//! status_code}`, and the one mapping from core errors to it.

use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use core_server::{Error, SignUpRefusal};

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
            request_id: crate::context::request_id(),
            status_code: status.as_u16(),
        }
    }

    /// 400 for a bad or missing URL or query parameter.
    pub fn invalid_param(name: &str) -> Self {
        MmError::new(
            StatusCode::BAD_REQUEST,
            "api.context.invalid_url_param.app_error",
            format!("Invalid or missing {name} parameter in request URL."),
        )
    }

    /// 400 for a bad or missing body field.
    pub fn invalid_body(name: &str) -> Self {
        MmError::new(
            StatusCode::BAD_REQUEST,
            "api.context.invalid_body_param.app_error",
            format!("Invalid or missing {name} in request body."),
        )
    }

    /// 403 for a permission the session lacks.
    pub fn forbidden() -> Self {
        MmError::new(
            StatusCode::FORBIDDEN,
            "api.context.permissions.app_error",
            "You do not have the appropriate permissions.",
        )
    }

    /// 401 for a missing or invalid session: the apps log out on it.
    pub fn session_expired() -> Self {
        MmError::new(
            StatusCode::UNAUTHORIZED,
            "api.context.session_expired.app_error",
            "Invalid or expired session, please login again.",
        )
    }

    /// 501 for what this server does not do.
    pub fn not_implemented() -> Self {
        MmError::new(
            StatusCode::NOT_IMPLEMENTED,
            "api.context.not_implemented.app_error",
            "This API endpoint is not implemented by this server.",
        )
    }
}

impl From<Error> for MmError {
    fn from(err: Error) -> Self {
        match err {
            Error::NotFound { entity } => {
                let (id, message) = match entity {
                    "user" => ("app.user.missing_account.const", "Unable to find the user."),
                    "channel" => (
                        "app.channel.get.existing.app_error",
                        "Unable to find the existing channel.",
                    ),
                    "post" => ("app.post.get.app_error", "Unable to get the post."),
                    "team" => (
                        "app.team.get.find.app_error",
                        "Unable to find the existing team.",
                    ),
                    "team member" => (
                        "app.team.get_member.missing.app_error",
                        "No team member found for that user ID and team ID.",
                    ),
                    "channel member" => (
                        "app.channel.get_member.missing.app_error",
                        "No channel member found for that user ID and channel ID.",
                    ),
                    "reaction" => (
                        "app.reaction.get_for_post.app_error",
                        "Unable to get the reaction.",
                    ),
                    "session" => ("app.session.get.app_error", "Unable to find the session."),
                    "bot" => ("store.sql_bot.get.missing.app_error", "Bot does not exist."),
                    "category" => (
                        "app.channel.sidebar_categories.app_error",
                        "Unable to find the category.",
                    ),
                    "emoji" => ("app.emoji.get.no_result", "Unable to find the emoji."),
                    "file" => (
                        "app.file_info.get.app_error",
                        "Unable to get the file info.",
                    ),
                    "thread" => (
                        "app.thread.get_for_user.app_error",
                        "Unable to get the thread.",
                    ),
                    "incoming webhook" => (
                        "app.webhooks.get_incoming_webhook.app_error",
                        "Unable to get the webhook.",
                    ),
                    "access token" => (
                        "app.user_access_token.get_by_user.app_error",
                        "Unable to get the user access token.",
                    ),
                    "team icon" => (
                        "api.team.get_team_icon.read_file.app_error",
                        "The team has no icon.",
                    ),
                    _ => ("app.record.get.app_error", "Unable to find the record."),
                };
                MmError::new(StatusCode::NOT_FOUND, id, message)
            }
            Error::Forbidden(_) => MmError::forbidden(),
            Error::Unauthorized(message) => {
                let mut e = MmError::session_expired();
                if message.contains("login or password") {
                    e.id = "api.user.login.invalid_credentials_email_username".into();
                    e.message = "Enter a valid email or username and/or password.".into();
                } else if message.contains("deactivated") {
                    e.id = "api.user.login.inactive.app_error".into();
                    e.message = "Login failed because your account has been deactivated.".into();
                } else if message.contains("bots") {
                    e.id = "api.user.login.bot_login_forbidden.app_error".into();
                    e.message = "Bot login is forbidden.".into();
                }
                e
            }
            Error::LockedOut => MmError::new(
                StatusCode::UNAUTHORIZED,
                "api.user.check_user_login_attempts.too_many.app_error",
                "Your account is locked because of too many failed password attempts. Please reset your password.",
            ),
            Error::Invalid { field, reason } => {
                let mut e = MmError::invalid_body(&field);
                e.detailed_error = format!("{field}: {reason}");
                e
            }
            Error::Conflict { field, .. } => MmError::new(
                StatusCode::BAD_REQUEST,
                &format!("app.{field}.save.exists.app_error"),
                format!("A record with that {field} already exists."),
            ),
            Error::TooLarge(message) => MmError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "api.context.request_too_large.app_error",
                message,
            ),
            Error::RateLimited => MmError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "api.context.rate_limited.app_error",
                "Too many requests.",
            ),
            Error::NotImplemented(_) => MmError::not_implemented(),
            Error::SignUp(refusal) => sign_up_refused(refusal),
            Error::Busy => MmError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "api.context.server_busy.app_error",
                "The server is busy; non-critical services are temporarily unavailable.",
            ),
            // Each integration route gives its own id; this is the fallback.
            Error::Upstream(message) => MmError::new(
                StatusCode::BAD_GATEWAY,
                "api.integration.request_failed.app_error",
                message,
            ),
            Error::Unavailable(detail) => {
                tracing::error!(error = %detail, request_id = %crate::context::request_id(), "a backend is unavailable");
                MmError::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "api.server.service_unavailable.app_error",
                    "A storage service is unavailable. Please try again shortly.",
                )
            }
            Error::Internal(detail) => {
                tracing::error!(error = %detail, request_id = %crate::context::request_id(), "v4 request failed");
                MmError::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "app.internal_error",
                    "An internal error occurred.",
                )
            }
        }
    }
}

/// A sign-up refusal as Mattermost's `createUser` answers it.
fn sign_up_refused(refusal: SignUpRefusal) -> MmError {
    let (status, id, message) = match refusal {
        SignUpRefusal::CreationOff => (
            StatusCode::NOT_IMPLEMENTED,
            "api.user.create_user.signup_email_disabled.app_error",
            "User sign-up with email is disabled.",
        ),
        SignUpRefusal::InvitationNeeded => (
            StatusCode::FORBIDDEN,
            "api.user.create_user.no_open_server",
            "This server does not allow open signups. Please speak with your Administrator to receive an invitation.",
        ),
        SignUpRefusal::DomainNotAccepted => (
            StatusCode::BAD_REQUEST,
            "api.user.create_user.accepted_domain.app_error",
            "The email you provided does not belong to an accepted domain. Please contact your administrator or sign up with a different email.",
        ),
        SignUpRefusal::TeamDomainNotAccepted => (
            StatusCode::FORBIDDEN,
            "api.team.invite_members.invalid_email.app_error",
            "The email address does not belong to a domain this team accepts.",
        ),
        SignUpRefusal::UnknownInvite => (
            StatusCode::NOT_FOUND,
            "app.team.get_by_invite_id.finding.app_error",
            "Unable to find the existing team.",
        ),
        SignUpRefusal::UnknownToken => (
            StatusCode::NOT_FOUND,
            "api.user.create_user.signup_link_invalid.app_error",
            "The signup link does not appear to be valid.",
        ),
        SignUpRefusal::ExpiredToken => (
            StatusCode::BAD_REQUEST,
            "api.user.create_user.signup_link_expired.app_error",
            "The signup link has expired.",
        ),
        SignUpRefusal::OtherAddress => (
            StatusCode::BAD_REQUEST,
            "api.user.create_user.bad_token_email_data.app_error",
            "Email address in token does not match the user data.",
        ),
    };
    let mut e = MmError::new(status, id, message);
    e.detailed_error = refusal.to_string();
    e
}

impl From<JsonRejection> for MmError {
    fn from(rejection: JsonRejection) -> Self {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            return MmError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "api.context.request_too_large.app_error",
                "The request body is too large.",
            );
        }
        let mut e = MmError::invalid_body("body");
        e.detailed_error = rejection.body_text();
        e
    }
}

impl From<QueryRejection> for MmError {
    fn from(rejection: QueryRejection) -> Self {
        let mut e = MmError::invalid_param("query");
        e.detailed_error = rejection.body_text();
        e
    }
}

impl From<PathRejection> for MmError {
    fn from(rejection: PathRejection) -> Self {
        let mut e = MmError::invalid_param("path");
        e.detailed_error = rejection.body_text();
        e
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

/// The result type of every v4 handler.
pub type MmResult<T> = Result<T, MmError>;
