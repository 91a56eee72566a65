//! Request extractors that reject with v1 errors naming what is wrong.

use axum::extract::{FromRequest, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, Method, StatusCode};

use super::error::ApiError;
use crate::services::{Actor, Core};

/// A JSON body; malformed or mistyped input is a 400 naming the field.
#[derive(FromRequest)]
#[from_request(via(axum::Json), rejection(ApiError))]
pub struct ApiJson<T>(pub T);

/// A raw body (an image, an emoji): one over the route's size limit, or cut
/// short, is a v1 error like any other, not the framework's plain text.
pub struct ApiBytes(pub axum::body::Bytes);

impl<S: Send + Sync> FromRequest<S> for ApiBytes {
    type Rejection = ApiError;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, ApiError> {
        Ok(ApiBytes(axum::body::Bytes::from_request(req, state).await?))
    }
}

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
pub fn bearer_token(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?.trim();
    let (scheme, token) = value.split_once(' ')?;
    if scheme.eq_ignore_ascii_case("bearer") || scheme.eq_ignore_ascii_case("token") {
        Some(token.trim())
    } else {
        None
    }
}

/// The session cookie login sets, for what a browser loads without
/// scripts (`<img>` of pictures and thumbnails).
pub const SESSION_COOKIE: &str = "RUSTCHAT_TOKEN";

/// The session cookie's token, honoured on reads only: a cookie is sent by
/// the browser on its own, so it must never authorise a change (no CSRF).
pub fn cookie_token(parts: &Parts) -> Option<&str> {
    if !matches!(parts.method, Method::GET | Method::HEAD) {
        return None;
    }
    parts
        .headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, value)| value.trim())
        .filter(|value| !value.is_empty())
}

/// The authenticated caller (a bearer token, or the session cookie on
/// reads); a missing or bad token is a 401.
pub struct Auth(pub Actor);

impl FromRequestParts<Core> for Auth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, core: &Core) -> Result<Self, Self::Rejection> {
        let Some(token) = bearer_token(&parts.headers).or_else(|| cookie_token(parts)) else {
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
        match bearer_token(&parts.headers) {
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
