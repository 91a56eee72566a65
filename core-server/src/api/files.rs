//! Files for the web app: upload a file into a channel (the raw body, named
//! by `?filename=`), read it or its thumbnail and preview, its record, and a
//! post's files.

use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Json;
use futures::TryStreamExt;
use serde::Deserialize;
use utoipa::IntoParams;

use super::error::ApiResult;
use super::extract::{ApiPath, ApiQuery, Auth};
use crate::files::service::Rendition;
use crate::files::ByteStream;
use crate::model::FileInfo;
use crate::services::Core;

/// Upload parameters.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UploadQuery {
    /// The file's name (its type is read from its content).
    pub filename: String,
}

/// `POST /api/v1/channels/{channel_id}/files?filename=…`: the body is the file.
#[utoipa::path(post, path = "/api/v1/channels/{channel_id}/files", tag = "files", security(("bearer" = [])),
    params(("channel_id" = String, Path), UploadQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 201, body = FileInfo), (status = 413, description = "larger than max_file_size")))]
pub async fn upload(
    State(core): State<Core>,
    Auth(actor): Auth,
    ApiPath(channel_id): ApiPath<String>,
    ApiQuery(q): ApiQuery<UploadQuery>,
    request: Request,
) -> ApiResult<(StatusCode, Json<FileInfo>)> {
    let body: ByteStream<'static> = Box::pin(
        request
            .into_body()
            .into_data_stream()
            .map_err(|e| std::io::Error::other(e.to_string())),
    );
    let info = core
        .upload_file(&actor, &channel_id, &q.filename, body)
        .await?;
    Ok((StatusCode::CREATED, Json(info)))
}

/// Download options.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DownloadQuery {
    /// `true` to always download rather than show in the browser.
    pub download: Option<bool>,
}

async fn serve(
    core: &Core,
    actor: &crate::services::Actor,
    id: &str,
    rendition: Rendition,
    download: bool,
) -> ApiResult<Response> {
    let (info, blob) = core.open_file(actor, id, rendition).await?;
    Ok(crate::files::response(
        &info.name,
        rendition.mime_type(&info),
        blob,
        download,
    ))
}

/// `GET /api/v1/files/{file_id}`
#[utoipa::path(get, path = "/api/v1/files/{file_id}", tag = "files", security(("bearer" = [])),
    params(("file_id" = String, Path), DownloadQuery), responses((status = 200, description = "the file")))]
pub async fn download(
    State(core): State<Core>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<String>,
    ApiQuery(q): ApiQuery<DownloadQuery>,
) -> ApiResult<Response> {
    serve(
        &core,
        &actor,
        &id,
        Rendition::Original,
        q.download.unwrap_or(false),
    )
    .await
}

/// `GET /api/v1/files/{file_id}/thumbnail`: a JPEG, for images.
#[utoipa::path(get, path = "/api/v1/files/{file_id}/thumbnail", tag = "files", security(("bearer" = [])),
    params(("file_id" = String, Path)), responses((status = 200, description = "JPEG")))]
pub async fn thumbnail(
    State(core): State<Core>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Response> {
    serve(&core, &actor, &id, Rendition::Thumbnail, false).await
}

/// `GET /api/v1/files/{file_id}/preview`: a JPEG at most 1920 pixels wide, for images.
#[utoipa::path(get, path = "/api/v1/files/{file_id}/preview", tag = "files", security(("bearer" = [])),
    params(("file_id" = String, Path)), responses((status = 200, description = "JPEG")))]
pub async fn preview(
    State(core): State<Core>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Response> {
    serve(&core, &actor, &id, Rendition::Preview, false).await
}

/// `GET /api/v1/files/{file_id}/info`
#[utoipa::path(get, path = "/api/v1/files/{file_id}/info", tag = "files", security(("bearer" = [])),
    params(("file_id" = String, Path)), responses((status = 200, body = FileInfo)))]
pub async fn info(
    State(core): State<Core>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<FileInfo>> {
    Ok(Json(core.get_file_info(&actor, &id).await?))
}

/// `GET /api/v1/posts/{post_id}/files`
#[utoipa::path(get, path = "/api/v1/posts/{post_id}/files", tag = "files", security(("bearer" = [])),
    params(("post_id" = String, Path)), responses((status = 200, body = Vec<FileInfo>)))]
pub async fn post_files(
    State(core): State<Core>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<Vec<FileInfo>>> {
    Ok(Json(core.post_files(&actor, &id, false).await?))
}

/// File search parameters.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FileSearchQuery {
    /// Words that must all appear in the file name.
    pub terms: String,
    /// At most this many files (1–200, default 60).
    pub limit: Option<i64>,
}

/// `GET /api/v1/teams/{team_id}/files/search?terms=…`: posted files in the
/// caller's channels of a team (and their direct messages), newest first.
#[utoipa::path(get, path = "/api/v1/teams/{team_id}/files/search", tag = "files", security(("bearer" = [])),
    params(("team_id" = String, Path), FileSearchQuery), responses((status = 200, body = Vec<FileInfo>)))]
pub async fn search(
    State(core): State<Core>,
    Auth(actor): Auth,
    ApiPath(team_id): ApiPath<String>,
    ApiQuery(q): ApiQuery<FileSearchQuery>,
) -> ApiResult<Json<Vec<FileInfo>>> {
    Ok(Json(
        core.search_files(&actor, Some(&team_id), &q.terms, q.limit.unwrap_or(60))
            .await?,
    ))
}
