//! Files: upload (multipart, as the apps and Client4 send it, or a raw
//! body), download with its thumbnail and preview, info, public links, the
//! files of a post, and file search.

use std::collections::BTreeMap;

use axum::extract::{FromRequest, Multipart, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use futures::{StreamExt, TryStreamExt};
use serde::Deserialize;
use serde_json::{json, Value};

use core_server::files::service::{Rendition, StagedFile};
use core_server::files::ByteStream;
use core_server::model::FileInfo;
use core_server::services::{Actor, Core};

use crate::convert::{self, MmFileInfo};
use crate::error::{MmError, MmResult};
use crate::extract::{check_id, query_bool, MmAuth, MmJson, MmPath, MmQuery};

/// Non-file multipart fields are small; anything bigger is not a field we read.
const MAX_FIELD_BYTES: usize = 10 * 1024;
/// How much of a refused upload is read (and dropped) before answering, so
/// that clients still writing their body see the error instead of a reset.
const DRAIN_BYTES: usize = 1024 * 1024;

#[derive(Deserialize)]
pub struct UploadQuery {
    channel_id: Option<String>,
    filename: Option<String>,
    client_id: Option<String>,
}

/// A body read error, as the blob store's streams carry it.
pub(super) fn body_error(e: impl std::fmt::Display) -> std::io::Error {
    std::io::Error::other(e.to_string())
}

fn too_large(core: &Core) -> MmError {
    MmError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "api.file.upload_file.too_large_detailed.app_error",
        format!(
            "Unable to upload file. File is larger than the maximum of {} bytes.",
            core.config().max_file_size
        ),
    )
}

/// Maps upload failures to Mattermost's ids for them.
fn upload_error(core: &Core, e: core_server::Error) -> MmError {
    match e {
        core_server::Error::TooLarge(_) => too_large(core),
        core_server::Error::Invalid { field, reason } if field == "files" => MmError::new(
            StatusCode::BAD_REQUEST,
            "api.file.upload_file.large_image_detailed.app_error",
            format!("Unable to upload file: {reason}."),
        ),
        other => other.into(),
    }
}

/// `POST /api/v4/files`: multipart (`channel_id`, `client_ids`, `files`) in
/// any order, or a raw body with `?channel_id=&filename=`.
pub async fn upload(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmQuery(q): MmQuery<UploadQuery>,
    request: Request,
) -> MmResult<Response> {
    let multipart = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.to_ascii_lowercase().starts_with("multipart/form-data"));
    let (infos, client_ids) = if multipart {
        let mut form = Multipart::from_request(request, &core)
            .await
            .map_err(|_| MmError::invalid_body("files"))?;
        match upload_multipart(&core, &actor, q.channel_id, &mut form).await {
            Ok(done) => done,
            Err(e) => {
                drain_multipart(&mut form).await;
                return Err(e);
            }
        }
    } else {
        let channel_id = q
            .channel_id
            .filter(|c| !c.is_empty())
            .ok_or_else(|| MmError::invalid_param("channel_id"))?;
        check_id("channel_id", &channel_id)?;
        let filename = q
            .filename
            .filter(|f| !f.is_empty())
            .ok_or_else(|| MmError::invalid_param("filename"))?;
        if let Some(length) = request
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<u64>().ok())
        {
            if length > core.config().max_file_size {
                return Err(too_large(&core));
            }
        }
        let mut body: ByteStream<'static> =
            Box::pin(request.into_body().into_data_stream().map_err(body_error));
        if let Err(e) = core.check_upload(&actor, &channel_id).await {
            drain_stream(&mut body).await;
            return Err(e.into());
        }
        let info = core
            .upload_file(&actor, &channel_id, &filename, body)
            .await
            .map_err(|e| upload_error(&core, e))?;
        (vec![info], q.client_id.map(|c| vec![c]).unwrap_or_default())
    };
    let response = json!({
        "file_infos": infos.into_iter().map(convert::file_info).collect::<Vec<_>>(),
        "client_ids": client_ids,
    });
    Ok((StatusCode::CREATED, Json(response)).into_response())
}

/// Reads and drops what is left of a refused request, up to a limit.
async fn drain_stream(body: &mut ByteStream<'_>) {
    let mut read = 0;
    while let Some(Ok(chunk)) = body.next().await {
        read += chunk.len();
        if read >= DRAIN_BYTES {
            return;
        }
    }
}

/// Reads and drops what is left of a refused multipart request, up to a limit.
pub(crate) async fn drain_multipart(form: &mut Multipart) {
    let mut read = 0;
    while let Ok(Some(mut field)) = form.next_field().await {
        while let Ok(Some(chunk)) = field.chunk().await {
            read += chunk.len();
            if read >= DRAIN_BYTES {
                return;
            }
        }
    }
}

async fn upload_multipart(
    core: &Core,
    actor: &Actor,
    query_channel: Option<String>,
    form: &mut Multipart,
) -> MmResult<(Vec<FileInfo>, Vec<String>)> {
    let mut channel_id = query_channel.filter(|c| !c.is_empty());
    if let Some(id) = &channel_id {
        check_id("channel_id", id)?;
        core.check_upload(actor, id).await?;
    }
    let mut client_ids: Vec<String> = Vec::new();
    let mut infos: Vec<FileInfo> = Vec::new();
    // Files that came before `channel_id` (the mobile app's order).
    let mut staged: Vec<StagedFile> = Vec::new();
    let result: MmResult<()> = async {
        while let Some(field) = form
            .next_field()
            .await
            .map_err(|_| MmError::invalid_body("files"))?
        {
            if let Some(raw_name) = field.file_name().map(String::from) {
                let body: ByteStream<'_> = Box::pin(field.map_err(body_error));
                match &channel_id {
                    Some(channel) => infos.push(
                        core.upload_file(actor, channel, &raw_name, body)
                            .await
                            .map_err(|e| upload_error(core, e))?,
                    ),
                    None => staged.push(
                        core.stage_file(actor, &raw_name, body)
                            .await
                            .map_err(|e| upload_error(core, e))?,
                    ),
                }
                continue;
            }
            let name = field.name().unwrap_or_default().to_string();
            let value = read_small_field(field).await?;
            match name.as_str() {
                "channel_id" => {
                    check_id("channel_id", &value)?;
                    if channel_id.as_ref().is_some_and(|c| *c != value) {
                        return Err(MmError::new(
                            StatusCode::BAD_REQUEST,
                            "api.file.upload_file.multiple_channel_ids.app_error",
                            "Unable to upload files: several channel ids were given.",
                        ));
                    }
                    channel_id = Some(value);
                }
                "client_ids" => client_ids.push(value),
                _ => return Err(MmError::invalid_body(&name)),
            }
        }
        Ok(())
    }
    .await;
    if let Err(e) = result {
        for s in staged {
            core.discard_staged(s).await;
        }
        return Err(e);
    }
    if !staged.is_empty() {
        let Some(channel) = channel_id else {
            for s in staged {
                core.discard_staged(s).await;
            }
            return Err(MmError::invalid_param("channel_id"));
        };
        let mut staged = staged.into_iter();
        while let Some(s) = staged.next() {
            match core.commit_file(actor, &channel, s).await {
                Ok(info) => infos.push(info),
                Err(e) => {
                    for rest in staged {
                        core.discard_staged(rest).await;
                    }
                    return Err(e.into());
                }
            }
        }
    }
    if infos.is_empty() {
        return Err(MmError::invalid_body("files"));
    }
    if !client_ids.is_empty() && client_ids.len() != infos.len() {
        return Err(MmError::new(
            StatusCode::BAD_REQUEST,
            "api.file.upload_file.incorrect_number_of_client_ids.app_error",
            format!(
                "Unable to upload files: {} client ids for {} files.",
                client_ids.len(),
                infos.len()
            ),
        ));
    }
    Ok((infos, client_ids))
}

async fn read_small_field(field: axum::extract::multipart::Field<'_>) -> MmResult<String> {
    let name = field.name().unwrap_or_default().to_string();
    let mut bytes = Vec::new();
    let mut field = field;
    while let Some(chunk) = field
        .chunk()
        .await
        .map_err(|_| MmError::invalid_body(&name))?
    {
        bytes.extend_from_slice(&chunk);
        if bytes.len() > MAX_FIELD_BYTES {
            return Err(MmError::invalid_body(&name));
        }
    }
    String::from_utf8(bytes).map_err(|_| MmError::invalid_body(&name))
}

#[derive(Deserialize)]
pub struct DownloadQuery {
    download: Option<String>,
}

fn no_rendition(rendition: Rendition) -> MmError {
    match rendition {
        Rendition::Thumbnail => MmError::new(
            StatusCode::BAD_REQUEST,
            "api.file.get_file_thumbnail.no_thumbnail.app_error",
            "File doesn't have a thumbnail.",
        ),
        _ => MmError::new(
            StatusCode::BAD_REQUEST,
            "api.file.get_file_preview.no_preview.app_error",
            "File doesn't have a preview.",
        ),
    }
}

async fn serve(
    core: &Core,
    actor: &Actor,
    id: &str,
    rendition: Rendition,
    download: bool,
) -> MmResult<Response> {
    check_id("file_id", id)?;
    let (info, blob) = match core.open_file(actor, id, rendition).await {
        Ok(found) => found,
        Err(core_server::Error::Invalid { .. }) => return Err(no_rendition(rendition)),
        Err(e) => return Err(e.into()),
    };
    Ok(core_server::files::response(
        &info.name,
        rendition.mime_type(&info),
        blob,
        download,
    ))
}

/// `GET /api/v4/files/{file_id}`
pub async fn get(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmPath(id): MmPath<String>,
    MmQuery(q): MmQuery<DownloadQuery>,
) -> MmResult<Response> {
    serve(
        &core,
        &actor,
        &id,
        Rendition::Original,
        query_bool(q.download.as_deref()),
    )
    .await
}

/// `GET /api/v4/files/{file_id}/thumbnail`
pub async fn thumbnail(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmPath(id): MmPath<String>,
    MmQuery(q): MmQuery<DownloadQuery>,
) -> MmResult<Response> {
    serve(
        &core,
        &actor,
        &id,
        Rendition::Thumbnail,
        query_bool(q.download.as_deref()),
    )
    .await
}

/// `GET /api/v4/files/{file_id}/preview`
pub async fn preview(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmPath(id): MmPath<String>,
    MmQuery(q): MmQuery<DownloadQuery>,
) -> MmResult<Response> {
    serve(
        &core,
        &actor,
        &id,
        Rendition::Preview,
        query_bool(q.download.as_deref()),
    )
    .await
}

/// `GET /api/v4/files/{file_id}/info`
pub async fn info(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmPath(id): MmPath<String>,
) -> MmResult<Response> {
    check_id("file_id", &id)?;
    let info = core.get_file_info(&actor, &id).await?;
    let mut response = Json(convert::file_info(info)).into_response();
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("max-age=2592000, private"),
    );
    Ok(response)
}

fn links_disabled() -> MmError {
    MmError::new(
        StatusCode::FORBIDDEN,
        "api.file.get_public_link.disabled.app_error",
        "Public links have been disabled.",
    )
}

/// `GET /api/v4/files/{file_id}/link`
pub async fn link(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmPath(id): MmPath<String>,
) -> MmResult<Json<Value>> {
    check_id("file_id", &id)?;
    if !core.config().enable_public_link {
        return Err(links_disabled());
    }
    let hash = match core.public_link_hash(&actor, &id).await {
        Ok(h) => h,
        Err(core_server::Error::Invalid { .. }) => {
            return Err(MmError::new(
                StatusCode::BAD_REQUEST,
                "api.file.get_public_link.no_post.app_error",
                "Unable to get public link for file. File must be attached to a post that can be read by the current user.",
            ))
        }
        Err(e) => return Err(e.into()),
    };
    let site = core.config().site_url.clone().unwrap_or_default();
    Ok(Json(json!({
        "link": format!("{}/files/{id}/public?h={hash}", site.trim_end_matches('/'))
    })))
}

#[derive(Deserialize)]
pub struct PublicQuery {
    h: Option<String>,
}

/// `GET /files/{file_id}/public?h=…`: no session, the hash is the key.
pub async fn public(
    State(core): State<Core>,
    MmPath(id): MmPath<String>,
    MmQuery(q): MmQuery<PublicQuery>,
) -> MmResult<Response> {
    if !core.config().enable_public_link {
        return Err(links_disabled());
    }
    let hash = q.h.unwrap_or_default();
    match core.open_public_file(&id, &hash).await {
        Ok((info, blob)) => Ok(core_server::files::response(
            &info.name,
            &info.mime_type,
            blob,
            false,
        )),
        Err(core_server::Error::Invalid { .. }) => Err(MmError::new(
            StatusCode::BAD_REQUEST,
            "api.file.get_file.public_invalid.app_error",
            "The public link does not appear to be valid.",
        )),
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct PostFilesQuery {
    include_deleted: Option<String>,
}

/// `GET /api/v4/posts/{post_id}/files/info`
pub async fn of_post(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmPath(id): MmPath<String>,
    MmQuery(q): MmQuery<PostFilesQuery>,
) -> MmResult<Json<Vec<MmFileInfo>>> {
    check_id("post_id", &id)?;
    let files = core
        .post_files(&actor, &id, query_bool(q.include_deleted.as_deref()))
        .await?;
    Ok(Json(files.into_iter().map(convert::file_info).collect()))
}

#[derive(Deserialize)]
pub struct SearchBody {
    terms: String,
    #[serde(default)]
    page: Option<i64>,
    #[serde(default)]
    per_page: Option<i64>,
}

/// `POST /api/v4/teams/{team_id}/files/search`
pub async fn search(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmPath(team_id): MmPath<String>,
    MmJson(b): MmJson<SearchBody>,
) -> MmResult<Response> {
    check_id("team_id", &team_id)?;
    search_in(&core, &actor, Some(&team_id), b).await
}

/// `POST /api/v4/files/search`: the caller's channels of every team.
pub async fn search_all_teams(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmJson(b): MmJson<SearchBody>,
) -> MmResult<Response> {
    search_in(&core, &actor, None, b).await
}

async fn search_in(
    core: &Core,
    actor: &Actor,
    team_id: Option<&str>,
    b: SearchBody,
) -> MmResult<Response> {
    if b.terms.trim().is_empty() {
        return Err(MmError::invalid_param("terms"));
    }
    // Like Mattermost's database search: one page of up to 100 results.
    let files = if b.page.unwrap_or(0) > 0 {
        Vec::new()
    } else {
        let limit = b.per_page.unwrap_or(60).clamp(1, 100);
        core.search_files(actor, team_id, &b.terms, limit).await?
    };
    let order: Vec<String> = files.iter().map(|f| f.id.clone()).collect();
    let file_infos: BTreeMap<String, MmFileInfo> = files
        .into_iter()
        .map(|f| (f.id.clone(), convert::file_info(f)))
        .collect();
    let mut response = Json(json!({
        "order": order,
        "file_infos": file_infos,
        "next_file_info_id": "",
        "prev_file_info_id": "",
        "first_inaccessible_file_time": 0,
    }))
    .into_response();
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("no-cache, no-store, must-revalidate"),
    );
    Ok(response)
}
