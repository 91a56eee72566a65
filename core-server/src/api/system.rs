//! Health and the API description.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::Serialize;
use utoipa::ToSchema;

use super::error::ApiResult;
use crate::services::Core;

/// The server's health.
#[derive(Serialize, ToSchema)]
pub struct Health {
    /// `ok` when the database answers.
    pub status: &'static str,
    /// The server version.
    pub version: &'static str,
    /// `sqlite` or `postgres`.
    pub database: &'static str,
}

/// `GET /api/v1/health`
#[utoipa::path(get, path = "/api/v1/health", tag = "system",
    responses((status = 200, body = Health), (status = 503, body = super::error::ErrorBody)))]
pub async fn health(State(core): State<Core>) -> ApiResult<Json<Health>> {
    core.store.ping().await?;
    Ok(Json(Health {
        status: "ok",
        version: env!("CARGO_PKG_VERSION"),
        database: core.store.backend(),
    }))
}

/// Whether this node should be sent traffic.
#[derive(Serialize, ToSchema)]
pub struct Readiness {
    /// `ready`, or `unavailable` (with the reason).
    pub status: &'static str,
    /// Why the node is not ready: `shutting_down`, `database_unreachable`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<&'static str>,
}

/// `GET /api/v1/system/ready`: 200 while this node serves (its database
/// answers and it is not stopping), 503 otherwise — for load balancers'
/// health checks. While the node applies migrations at start it answers 503
/// with `starting` before any route exists.
#[utoipa::path(get, path = "/api/v1/system/ready", tag = "system",
    responses((status = 200, body = Readiness), (status = 503, body = Readiness)))]
pub async fn ready(State(core): State<Core>) -> (StatusCode, Json<Readiness>) {
    let reason = if core.hub.is_shutting_down() {
        Some("shutting_down")
    } else if core.store.ping().await.is_err() {
        Some("database_unreachable")
    } else {
        None
    };
    let status = match reason {
        None => StatusCode::OK,
        Some(_) => StatusCode::SERVICE_UNAVAILABLE,
    };
    let body = Readiness {
        status: if reason.is_none() {
            "ready"
        } else {
            "unavailable"
        },
        reason,
    };
    (status, Json(body))
}

/// What a client needs to know before signing in.
#[derive(Serialize, ToSchema)]
pub struct PublicConfig {
    /// The server version.
    pub version: &'static str,
    /// Whether anyone may sign up without an invitation.
    pub enable_open_signup: bool,
    /// Whether accounts can be made at all (with an invitation when open
    /// sign-up is off).
    pub enable_user_creation: bool,
    /// Whether the server has no account yet: its first sign-up is always
    /// open, and makes a system admin.
    pub no_accounts: bool,
    /// Shortest accepted password, in characters.
    pub password_min_length: usize,
    /// Largest uploaded file, in bytes.
    pub max_file_size: u64,
    /// Whether password-reset e-mails can be sent.
    pub email_enabled: bool,
    /// The identity providers to offer on the sign-in page; each starts at
    /// `/oauth/{service}/login`.
    pub sso_providers: Vec<crate::sso::ProviderButton>,
}

/// `GET /api/v1/system/config`: the settings clients adapt to (no session needed).
#[utoipa::path(get, path = "/api/v1/system/config", tag = "system",
    responses((status = 200, body = PublicConfig)))]
pub async fn public_config(State(core): State<Core>) -> ApiResult<Json<PublicConfig>> {
    Ok(Json(PublicConfig {
        version: env!("CARGO_PKG_VERSION"),
        enable_open_signup: core.config().enable_user_creation && core.config().enable_open_signup,
        enable_user_creation: core.config().enable_user_creation,
        no_accounts: core.no_accounts().await?,
        password_min_length: core.config().password_min_length,
        max_file_size: core.config().max_file_size,
        email_enabled: core.config().smtp_url.is_some(),
        sso_providers: core.sso_buttons(),
    }))
}
