//! Custom emoji: create (multipart `image` + `emoji` JSON), read, list,
//! search, autocomplete, images and deletion.

use axum::extract::{Multipart, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;

use core_server::model::Emoji;
use core_server::services::Core;

use crate::error::{MmError, MmResult};
use crate::extract::{check_id, status_ok, MmAuth, MmJson, MmPath, MmQuery, Paging};

#[derive(Deserialize)]
struct EmojiField {
    name: String,
    creator_id: Option<String>,
}

/// `POST /api/v4/emoji`
pub async fn create(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    headers: axum::http::HeaderMap,
    form: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> MmResult<Json<Emoji>> {
    let mut form = form.map_err(|_| MmError::invalid_body("image"))?;
    let too_large = || {
        MmError::from(core_server::Error::TooLarge(
            "the emoji image is too large".into(),
        ))
    };
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > core_server::services::MAX_EMOJI_BYTES + 64 * 1024) {
        return Err(too_large());
    }
    let (mut image, mut meta) = (None, None);
    while let Some(field) = form
        .next_field()
        .await
        .map_err(|_| MmError::invalid_body("image"))?
    {
        match field.name() {
            Some("image") => {
                let bytes = field.bytes().await.map_err(|e| {
                    if e.body_text().contains("length limit") {
                        too_large()
                    } else {
                        MmError::invalid_body("image")
                    }
                })?;
                image = Some(bytes);
            }
            Some("emoji") => {
                let text = field
                    .text()
                    .await
                    .map_err(|_| MmError::invalid_body("emoji"))?;
                meta = Some(
                    serde_json::from_str::<EmojiField>(&text)
                        .map_err(|_| MmError::invalid_body("emoji"))?,
                );
            }
            _ => {}
        }
    }
    let image = image.ok_or_else(|| MmError::invalid_body("image"))?;
    let meta = meta.ok_or_else(|| MmError::invalid_body("emoji"))?;
    if meta
        .creator_id
        .as_deref()
        .is_some_and(|c| c != actor.user.id)
    {
        return Err(MmError::forbidden());
    }
    Ok(Json(core.create_emoji(&actor, &meta.name, &image).await?))
}

#[derive(Deserialize)]
pub struct ListQuery {
    #[serde(flatten)]
    paging: Paging,
}

/// `GET /api/v4/emoji`
pub async fn list(
    State(core): State<Core>,
    _auth: MmAuth,
    MmQuery(q): MmQuery<ListQuery>,
) -> MmResult<Json<Vec<Emoji>>> {
    Ok(Json(
        core.list_emoji("", q.paging.offset(), q.paging.per_page())
            .await?,
    ))
}

/// `GET /api/v4/emoji/{emoji_id}`
pub async fn get(
    State(core): State<Core>,
    _auth: MmAuth,
    MmPath(id): MmPath<String>,
) -> MmResult<Json<Emoji>> {
    check_id("emoji_id", &id)?;
    Ok(Json(core.get_emoji(&id).await?))
}

/// `GET /api/v4/emoji/name/{emoji_name}`
pub async fn by_name(
    State(core): State<Core>,
    _auth: MmAuth,
    MmPath(name): MmPath<String>,
) -> MmResult<Json<Emoji>> {
    Ok(Json(core.get_emoji_by_name(&name).await?))
}

/// `GET /api/v4/emoji/{emoji_id}/image`
pub async fn image(
    State(core): State<Core>,
    _auth: MmAuth,
    MmPath(id): MmPath<String>,
) -> MmResult<Response> {
    check_id("emoji_id", &id)?;
    let (content_type, bytes) = core.emoji_image(&id).await?;
    let mut response = bytes.into_response();
    if let Ok(v) = HeaderValue::from_str(&content_type) {
        response.headers_mut().insert(header::CONTENT_TYPE, v);
    }
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("max-age=2592000, private"),
    );
    Ok(response)
}

/// `DELETE /api/v4/emoji/{emoji_id}`
pub async fn delete(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmPath(id): MmPath<String>,
) -> MmResult<Response> {
    check_id("emoji_id", &id)?;
    core.delete_emoji(&actor, &id).await?;
    Ok(status_ok().into_response())
}

#[derive(Deserialize)]
pub struct SearchBody {
    term: String,
}

/// `POST /api/v4/emoji/search`
pub async fn search(
    State(core): State<Core>,
    _auth: MmAuth,
    MmJson(b): MmJson<SearchBody>,
) -> MmResult<Json<Vec<Emoji>>> {
    if b.term.trim().is_empty() {
        return Err(MmError::invalid_body("term"));
    }
    Ok(Json(core.list_emoji(b.term.trim(), 0, 200).await?))
}

#[derive(Deserialize)]
pub struct AutocompleteQuery {
    #[serde(default)]
    name: String,
}

/// `GET /api/v4/emoji/autocomplete?name=`
pub async fn autocomplete(
    State(core): State<Core>,
    _auth: MmAuth,
    MmQuery(q): MmQuery<AutocompleteQuery>,
) -> MmResult<Json<Vec<Emoji>>> {
    Ok(Json(core.list_emoji(&q.name, 0, 100).await?))
}

/// `POST /api/v4/emoji/names`: the known emoji among the names.
pub async fn by_names(
    State(core): State<Core>,
    _auth: MmAuth,
    MmJson(names): MmJson<Vec<String>>,
) -> MmResult<Json<Vec<Emoji>>> {
    if names.len() > 200 {
        return Err(MmError::invalid_body("names"));
    }
    let mut out = Vec::new();
    for name in names {
        match core.get_emoji_by_name(&name).await {
            Ok(e) => out.push(e),
            Err(core_server::Error::NotFound { .. }) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(Json(out))
}
