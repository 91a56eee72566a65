//! Request extractors that reject with v1 errors naming what is wrong.

use axum::extract::{FromRequest, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{header, StatusCode};

use super::error::ApiError;
use crate::services::{Actor, Core};

/// A JSON body; malformed or mistyped input is a 400 naming the field.
#[derive(FromRequest)]
#[from_request(via(axum::Json), rejection(ApiError))]
pub struct ApiJson<T>(pub T);

/// Query parameters; malformed values are a 400 naming the parameter.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(ApiError))]
pub struct ApiQuery<T>(pub T);

/// Path parameters.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(ApiError))]
pub struct ApiPath<T>(pub T);

/// The bearer token of a request: `Authorization: Bearer <token>` (or the
/// older `Token <token>`), scheme matched case-insensitively.
pub fn bearer_token(parts: &Parts) -> Option<&str> {
    let value = parts
        .headers
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .trim();
    let (scheme, token) = value.split_once(' ')?;
    if scheme.eq_ignore_ascii_case("bearer") || scheme.eq_ignore_ascii_case("token") {
        Some(token.trim())
    } else {
        None
    }
}

/// The authenticated caller; a missing or bad token is a 401.
pub struct Auth(pub Actor);

impl FromRequestParts<Core> for Auth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, core: &Core) -> Result<Self, Self::Rejection> {
        let Some(token) = bearer_token(parts) else {
            return Err(ApiError::new(
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                "missing Authorization: Bearer <token> header",
            ));
        };
        Ok(Auth(core.authenticate(token).await?))
    }
}

/// The caller if a token was sent, else `None`; a bad token is still a 401.
pub struct MaybeAuth(pub Option<Actor>);

impl FromRequestParts<Core> for MaybeAuth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, core: &Core) -> Result<Self, Self::Rejection> {
        match bearer_token(parts) {
            None => Ok(MaybeAuth(None)),
            Some(token) => Ok(MaybeAuth(Some(core.authenticate(token).await?))),
        }
    }
}

/// Resolves `me` in a `{user_id}` path segment.
pub fn user_param(actor: &Actor, raw: &str) -> String {
    if raw == "me" {
        actor.id().to_string()
    } else {
        raw.to_string()
    }
}
