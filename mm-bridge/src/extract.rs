//! Request extractors for the v4 surface, rejecting in Mattermost's error shape.

use axum::extract::{FromRequest, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{header, Method};
use axum::Json;
use serde::{Deserialize, Serialize};

use core_server::services::{Actor, Core};

use crate::error::MmError;

/// A JSON body. Like Mattermost, the body is read as JSON whatever its
/// `Content-Type` says.
pub struct MmJson<T>(pub T);

impl<T, S> FromRequest<S> for MmJson<T>
where
    T: serde::de::DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = MmError;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, Self::Rejection> {
        let MmBytes(bytes) = MmBytes::from_request(req, state).await?;
        serde_json::from_slice(&bytes).map(MmJson).map_err(|e| {
            let mut err = MmError::invalid_body("body");
            err.detailed_error = e.to_string();
            err
        })
    }
}

/// A raw body: one over the size limit is Mattermost's 413, one cut short
/// a 400, both in its error shape (never the framework's plain text).
pub struct MmBytes(pub axum::body::Bytes);

impl<S> FromRequest<S> for MmBytes
where
    S: Send + Sync,
{
    type Rejection = MmError;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, Self::Rejection> {
        axum::body::Bytes::from_request(req, state)
            .await
            .map(MmBytes)
            .map_err(|rejection| {
                if rejection.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                    MmError::new(
                        axum::http::StatusCode::PAYLOAD_TOO_LARGE,
                        "api.context.request_too_large.app_error",
                        "The request body is too large.",
                    )
                } else {
                    MmError::invalid_body("body")
                }
            })
    }
}

/// A boolean query value as Go's `strconv.ParseBool` reads it (`1`, `t`, `true`, `TRUE`, `True`, …).
pub fn query_bool(value: Option<&str>) -> bool {
    matches!(value, Some("1" | "t" | "T" | "true" | "TRUE" | "True"))
}

/// Query parameters.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(MmError))]
pub struct MmQuery<T>(pub T);

/// Path parameters.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(MmError))]
pub struct MmPath<T>(pub T);

/// `{"status":"OK"}`, Mattermost's plain success.
#[derive(Serialize)]
pub struct StatusOk {
    status: &'static str,
}

/// The plain success body.
pub fn status_ok() -> Json<StatusOk> {
    Json(StatusOk { status: "OK" })
}

/// Where the session token came from; cookie sessions need the CSRF check.
enum TokenSource {
    Cookie,
    Header,
}

fn cookie<'a>(parts: &'a Parts, name: &str) -> Option<&'a str> {
    parts
        .headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// The session token, in Mattermost's order: the `MMAUTHTOKEN` cookie, then
/// `Authorization: Bearer|Token <token>` (scheme in any case).
fn session_token(parts: &Parts) -> Option<(String, TokenSource)> {
    if let Some(token) = cookie(parts, "MMAUTHTOKEN").filter(|t| !t.is_empty()) {
        return Some((token.to_string(), TokenSource::Cookie));
    }
    let value = parts
        .headers
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .trim();
    let (scheme, token) = value.split_once(' ')?;
    if scheme.eq_ignore_ascii_case("bearer") || scheme.eq_ignore_ascii_case("token") {
        Some((token.trim().to_string(), TokenSource::Header))
    } else {
        None
    }
}

/// Cookie sessions must prove the request is not forged on anything but GET:
/// `X-CSRF-Token` equal to the session's token, or (as Mattermost still
/// accepts) `X-Requested-With: XMLHttpRequest`.
fn csrf_ok(parts: &Parts, actor: &Actor) -> bool {
    if parts.method == Method::GET || parts.method == Method::HEAD {
        return true;
    }
    let header = |name: &str| parts.headers.get(name).and_then(|v| v.to_str().ok());
    if let (Some(sent), Some(expected)) = (header("x-csrf-token"), actor.session.props.get("csrf"))
    {
        if sent == expected {
            return true;
        }
    }
    header("x-requested-with") == Some("XMLHttpRequest")
}

/// The authenticated caller; anything else is a 401 (which logs mobile out).
pub struct MmAuth(pub Actor);

impl FromRequestParts<Core> for MmAuth {
    type Rejection = MmError;

    async fn from_request_parts(parts: &mut Parts, core: &Core) -> Result<Self, Self::Rejection> {
        let Some((token, source)) = session_token(parts) else {
            return Err(MmError::session_expired());
        };
        let actor = match core.authenticate(&token).await {
            Ok(actor) => actor,
            Err(core_server::Error::Unauthorized(_)) => return Err(MmError::session_expired()),
            Err(e) => return Err(e.into()),
        };
        if matches!(source, TokenSource::Cookie) && !csrf_ok(parts, &actor) {
            return Err(MmError::session_expired());
        }
        Ok(MmAuth(actor))
    }
}

impl MmAuth {
    /// Resolves `me` in a user id path segment.
    pub fn user_id(&self, raw: &str) -> String {
        if raw == "me" {
            self.0.user.id.clone()
        } else {
            raw.to_string()
        }
    }

    /// Accepts a user id path segment only when it names the caller (`me` allowed):
    /// 400 for a malformed id, 403 for someone else.
    pub fn require_self(&self, raw: &str) -> Result<(), MmError> {
        let id = self.user_id(raw);
        check_id("user_id", &id)?;
        if id == self.0.user.id {
            Ok(())
        } else {
            Err(MmError::forbidden())
        }
    }
}

/// Mattermost's page parameters: `page` from 0, `per_page` 60 by default and
/// silently capped at 200; unreadable values fall back to the defaults, as
/// Mattermost does. (Kept as text so the struct can be flattened into others.)
#[derive(Debug, Deserialize, Default)]
pub struct Paging {
    page: Option<String>,
    per_page: Option<String>,
}

impl Paging {
    /// The page number, from 0.
    pub fn page(&self) -> i64 {
        self.page
            .as_deref()
            .and_then(|p| p.parse::<i64>().ok())
            .unwrap_or(0)
            .max(0)
    }

    /// The page size in force.
    pub fn per_page(&self) -> i64 {
        match self.per_page.as_deref().and_then(|p| p.parse::<i64>().ok()) {
            Some(n) if n > 0 => n.min(200),
            _ => 60,
        }
    }

    /// The number of records to skip.
    pub fn offset(&self) -> i64 {
        self.page().saturating_mul(self.per_page())
    }

    /// The number of records to skip, `None` when it does not fit in an
    /// `i64` (such a page is empty).
    pub fn checked_offset(&self) -> Option<i64> {
        self.page().checked_mul(self.per_page())
    }
}

/// Reads cursor pages from the core until Mattermost's `page`/`per_page`
/// window is covered, and returns that window. `bound` is the most records
/// the listing can hold: a window past it is empty at once, without reading
/// anything (so `page=100000000` costs nothing); records before the window
/// are read and dropped, never kept.
pub async fn page_from_cursor<T, F, Fut>(
    paging: &Paging,
    bound: i64,
    mut fetch: F,
) -> Result<Vec<T>, MmError>
where
    F: FnMut(Option<String>) -> Fut,
    Fut: std::future::Future<Output = core_server::Result<core_server::model::Page<T>>>,
{
    let Some(offset) = paging.checked_offset().filter(|o| *o < bound) else {
        return Ok(Vec::new());
    };
    let mut skip = usize::try_from(offset).unwrap_or(usize::MAX);
    let size = usize::try_from(paging.per_page()).unwrap_or(0);
    let mut window = Vec::with_capacity(size);
    let mut cursor: Option<String> = None;
    while window.len() < size {
        let page = fetch(cursor.take()).await?;
        for item in page.items {
            if skip > 0 {
                skip -= 1;
            } else if window.len() < size {
                window.push(item);
            }
        }
        match page.next_cursor {
            Some(c) => cursor = Some(c),
            None => break,
        }
    }
    Ok(window)
}

/// Rejects a list of ids holding a non-id, with a 400 naming the body field.
pub fn check_ids(name: &str, ids: &[String]) -> Result<(), MmError> {
    if ids.iter().all(|id| core_server::id::is_valid_id(id)) {
        Ok(())
    } else {
        Err(MmError::invalid_body(name))
    }
}

/// Rejects a path id that is not an id, as Mattermost does, with a 400.
pub fn check_id(name: &str, value: &str) -> Result<(), MmError> {
    if core_server::id::is_valid_id(value) {
        Ok(())
    } else {
        Err(MmError::invalid_param(name))
    }
}
