//! Custom emoji: list, add (the body is the image), read an image, delete.

use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use utoipa::IntoParams;

use super::error::ApiResult;
use super::extract::{ApiBytes, ApiPath, ApiQuery, Auth};
use crate::model::Emoji;
use crate::services::Core;

/// Which emoji to list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EmojiQuery {
    /// Only names starting with this.
    pub prefix: Option<String>,
    /// Emoji to skip, for the next page.
    pub offset: Option<i64>,
    /// Page size, 1–200 (default 200).
    pub limit: Option<i64>,
}

/// `GET /api/v1/emoji`: custom emoji by name.
#[utoipa::path(get, path = "/api/v1/emoji", tag = "emoji", security(("bearer" = [])),
    params(EmojiQuery), responses((status = 200, body = Vec<Emoji>)))]
pub async fn list_emoji(
    State(core): State<Core>,
    Auth(_actor): Auth,
    ApiQuery(q): ApiQuery<EmojiQuery>,
) -> ApiResult<Json<Vec<Emoji>>> {
    let offset = q.offset.unwrap_or(0);
    if offset < 0 {
        return Err(crate::Error::invalid("offset", "must not be negative").into());
    }
    Ok(Json(
        core.list_emoji(
            q.prefix.as_deref().unwrap_or(""),
            offset,
            q.limit.unwrap_or(200),
        )
        .await?,
    ))
}

/// The new emoji's name.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NewEmojiQuery {
    /// 1–64 of `a-z`, `0-9`, `_`, `-`, `+`; unique.
    pub name: String,
}

/// `POST /api/v1/emoji?name=…`: the body is the image (PNG, JPEG, GIF or WebP, at most 512 KiB).
#[utoipa::path(post, path = "/api/v1/emoji", tag = "emoji", security(("bearer" = [])),
    params(NewEmojiQuery), request_body(content = Vec<u8>, content_type = "image/*"),
    responses((status = 201, body = Emoji), (status = 413, description = "larger than 512 KiB")))]
pub async fn create_emoji(
    State(core): State<Core>,
    Auth(actor): Auth,
    ApiQuery(q): ApiQuery<NewEmojiQuery>,
    ApiBytes(body): ApiBytes,
) -> ApiResult<(StatusCode, Json<Emoji>)> {
    let emoji = core.create_emoji(&actor, &q.name, &body).await?;
    Ok((StatusCode::CREATED, Json(emoji)))
}

/// `GET /api/v1/emoji/{emoji_id}/image`
#[utoipa::path(get, path = "/api/v1/emoji/{emoji_id}/image", tag = "emoji", security(("bearer" = [])),
    params(("emoji_id" = String, Path)), responses((status = 200, content_type = "image/*", body = Vec<u8>)))]
pub async fn emoji_image(
    State(core): State<Core>,
    Auth(_actor): Auth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Response> {
    let (content_type, bytes) = core.emoji_image(&id).await?;
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&content_type) {
        headers.insert(header::CONTENT_TYPE, v);
    }
    // An emoji's image never changes: a new image is a new emoji.
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, max-age=86400"),
    );
    Ok(response)
}

/// `DELETE /api/v1/emoji/{emoji_id}`: its creator or a system admin.
#[utoipa::path(delete, path = "/api/v1/emoji/{emoji_id}", tag = "emoji", security(("bearer" = [])),
    params(("emoji_id" = String, Path)), responses((status = 200, body = Emoji), (status = 403, body = super::error::ErrorBody)))]
pub async fn delete_emoji(
    State(core): State<Core>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<Emoji>> {
    Ok(Json(core.delete_emoji(&actor, &id).await?))
}
