//! Health and the API description.

use axum::extract::State;
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
