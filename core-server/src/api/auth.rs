//! Login, logout and sessions.

use axum::extract::State;
use axum::http::{header, HeaderMap};
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::error::ApiResult;
use super::extract::{ApiJson, ApiPath, Auth, SESSION_COOKIE};
use super::Ok as OkBody;
use crate::model::{Session, User};
use crate::server::ClientAddr;
use crate::services::Core;

/// Credentials.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    /// Username or e-mail address, case-insensitive.
    pub login_id: String,
    pub password: String,
    /// Push device id of a mobile app, if any.
    #[serde(default)]
    pub device_id: String,
}

/// A new session.
#[derive(Serialize, ToSchema)]
pub struct LoginResponse {
    /// Send as `Authorization: Bearer <token>`.
    pub token: String,
    pub user: User,
}

/// `POST /api/v1/auth/login`
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth", request_body = LoginRequest,
    responses((status = 200, body = LoginResponse), (status = 401, body = super::error::ErrorBody)))]
pub async fn login(
    State(core): State<Core>,
    ClientAddr(client): ClientAddr,
    headers: HeaderMap,
    ApiJson(req): ApiJson<LoginRequest>,
) -> ApiResult<([(header::HeaderName, String); 1], Json<LoginResponse>)> {
    let result = core
        .login_from(&client, &req.login_id, &req.password, &req.device_id)
        .await?;
    let max_age = core.config().session_length_hours.saturating_mul(3600);
    let cookie = session_cookie(&core, &headers, &result.token, max_age);
    Ok((
        [(header::SET_COOKIE, cookie)],
        Json(LoginResponse {
            token: result.token,
            user: result.user,
        }),
    ))
}

/// A web sign-in's one-time code.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SsoExchangeRequest {
    /// The `sso_code` the sign-in page was sent back with.
    pub code: String,
}

/// `POST /api/v1/auth/sso/exchange`: after a sign-in at an identity
/// provider (started at `/oauth/{service}/login`), the sign-in page redeems
/// its one-time code for a session. Only the browser that started the
/// sign-in can (it holds the `MMOAUTH` cookie); a code works once, for two
/// minutes.
#[utoipa::path(post, path = "/api/v1/auth/sso/exchange", tag = "auth", request_body = SsoExchangeRequest,
    responses((status = 200, body = LoginResponse), (status = 401, body = super::error::ErrorBody)))]
pub async fn sso_exchange(
    State(core): State<Core>,
    headers: HeaderMap,
    ApiJson(req): ApiJson<SsoExchangeRequest>,
) -> ApiResult<([(header::HeaderName, String); 2], Json<LoginResponse>)> {
    let key = crate::server::cookie_value(&headers, crate::server::SSO_COOKIE);
    let result = core.sso_redeem_web(&req.code, key).await?;
    let max_age = core.config().session_length_hours.saturating_mul(3600);
    Ok((
        [
            (
                header::SET_COOKIE,
                session_cookie(&core, &headers, &result.token, max_age),
            ),
            (
                header::SET_COOKIE,
                crate::server::sso_cookie(&core.config(), &headers, ""),
            ),
        ],
        Json(LoginResponse {
            token: result.token,
            user: result.user,
        }),
    ))
}

/// The session cookie: HttpOnly (scripts use the bearer token), for the
/// native API only, same-site, and Secure when the site is served over HTTPS.
fn session_cookie(core: &Core, headers: &HeaderMap, token: &str, max_age: u64) -> String {
    let secure = if crate::server::cookies_secure(&core.config(), headers) {
        "; Secure"
    } else {
        ""
    };
    format!(
        "{SESSION_COOKIE}={token}; Path=/api/v1; HttpOnly; SameSite=Strict; Max-Age={max_age}{secure}"
    )
}

/// `POST /api/v1/auth/logout`
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "auth", security(("bearer" = [])),
    responses((status = 200, body = super::Ok)))]
pub async fn logout(
    State(core): State<Core>,
    headers: HeaderMap,
    Auth(actor): Auth,
) -> ApiResult<([(header::HeaderName, String); 1], Json<OkBody>)> {
    core.logout(&actor).await?;
    Ok((
        [(header::SET_COOKIE, session_cookie(&core, &headers, "", 0))],
        Json(OkBody::default()),
    ))
}

/// `GET /api/v1/auth/sessions`
#[utoipa::path(get, path = "/api/v1/auth/sessions", tag = "auth", security(("bearer" = [])),
    responses((status = 200, body = Vec<Session>)))]
pub async fn list_sessions(
    State(core): State<Core>,
    Auth(actor): Auth,
) -> ApiResult<Json<Vec<Session>>> {
    Ok(Json(core.list_sessions(&actor, actor.id()).await?))
}

/// `DELETE /api/v1/auth/sessions/{session_id}`
#[utoipa::path(delete, path = "/api/v1/auth/sessions/{session_id}", tag = "auth", security(("bearer" = [])),
    params(("session_id" = String, Path)), responses((status = 200, body = super::Ok)))]
pub async fn revoke_session(
    State(core): State<Core>,
    Auth(actor): Auth,
    ApiPath(session_id): ApiPath<String>,
) -> ApiResult<Json<OkBody>> {
    core.revoke_session(&actor, &actor.user.id.clone(), &session_id)
        .await?;
    Ok(Json(OkBody::default()))
}

/// An account's e-mail address.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResetRequest {
    pub email: String,
}

/// `POST /api/v1/auth/password/reset/send`: mails a reset link. The answer is
/// the same whether or not the address has an account.
#[utoipa::path(post, path = "/api/v1/auth/password/reset/send", tag = "auth", request_body = ResetRequest,
    responses((status = 200, body = super::Ok), (status = 501, description = "e-mail is not set up")))]
pub async fn send_password_reset(
    State(core): State<Core>,
    ApiJson(req): ApiJson<ResetRequest>,
) -> ApiResult<Json<OkBody>> {
    core.send_password_reset(&req.email).await?;
    Ok(Json(OkBody::default()))
}

/// A mailed token and the new password.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewPasswordRequest {
    pub token: String,
    pub new_password: String,
}

/// `POST /api/v1/auth/password/reset`: sets the password with a mailed token
/// (once; every session is signed out).
#[utoipa::path(post, path = "/api/v1/auth/password/reset", tag = "auth", request_body = NewPasswordRequest,
    responses((status = 200, body = super::Ok), (status = 400, body = super::error::ErrorBody)))]
pub async fn reset_password(
    State(core): State<Core>,
    ApiJson(req): ApiJson<NewPasswordRequest>,
) -> ApiResult<Json<OkBody>> {
    core.reset_password(&req.token, &req.new_password).await?;
    Ok(Json(OkBody::default()))
}
