//! Resumable uploads (`/api/v4/uploads`): create a session, read how far it
//! got, send the next part (raw body, or the first part of a multipart
//! body), and list one's unfinished uploads.

use axum::extract::{FromRequest, Multipart, Request, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use futures::TryStreamExt;
use serde::{Deserialize, Serialize};

use core_server::files::uploads::{PartOutcome, KIND_ATTACHMENT, MIN_FIRST_PART};
use core_server::files::ByteStream;
use core_server::model::UploadSession;
use core_server::services::Core;

use super::files::body_error;
use crate::convert;
use crate::error::{MmError, MmResult};
use crate::extract::{check_id, MmAuth, MmJson, MmPath};

/// Mattermost's `UploadSession`.
#[derive(Debug, Serialize)]
pub struct MmUploadSession {
    id: String,
    #[serde(rename = "type")]
    kind: String,
    create_at: i64,
    user_id: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    channel_id: String,
    filename: String,
    file_size: i64,
    file_offset: i64,
    /// Shared channels only; always empty here.
    remote_id: String,
    req_file_id: String,
}

fn session(u: UploadSession) -> MmUploadSession {
    MmUploadSession {
        id: u.id,
        kind: u.kind,
        create_at: u.create_at,
        user_id: u.user_id,
        channel_id: u.channel_id,
        filename: u.filename,
        file_size: u.file_size,
        file_offset: u.file_offset,
        remote_id: String::new(),
        req_file_id: String::new(),
    }
}

#[derive(Deserialize)]
pub struct CreateUpload {
    #[serde(default)]
    channel_id: String,
    #[serde(default)]
    filename: String,
    #[serde(default)]
    file_size: i64,
    #[serde(default, rename = "type")]
    kind: String,
}

/// Maps upload failures to the ids Mattermost uses for them.
fn upload_error(core: &Core, e: core_server::Error) -> MmError {
    use core_server::Error;
    match e {
        Error::TooLarge(_) => MmError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "api.upload.create.upload_too_large.app_error",
            format!(
                "Unable to upload file. File is larger than the maximum of {} bytes.",
                core.config().max_file_size
            ),
        ),
        Error::Invalid { field, reason } => {
            let (id, message) = match field.as_str() {
                "content_length" => (
                    "api.upload.upload_data.invalid_content_length",
                    "Invalid Content-Length.".to_string(),
                ),
                "first_part" => (
                    "app.upload.upload_data.first_part_too_small.app_error",
                    format!(
                        "Failed to upload data. First part must be at least {MIN_FIRST_PART} Bytes."
                    ),
                ),
                "files" => (
                    "app.upload.upload_data.large_image.app_error",
                    format!("Unable to upload file: {reason}."),
                ),
                "file_size" | "filename" | "channel_id" => {
                    let id = format!("model.upload_session.is_valid.{field}.app_error");
                    let mut err = MmError::new(
                        StatusCode::BAD_REQUEST,
                        &id,
                        format!("Invalid value for {field}."),
                    );
                    err.detailed_error = reason;
                    return err;
                }
                _ => return Error::Invalid { field, reason }.into(),
            };
            MmError::new(StatusCode::BAD_REQUEST, id, message)
        }
        Error::Conflict { .. } => MmError::new(
            StatusCode::BAD_REQUEST,
            "app.upload.upload_data.concurrent.app_error",
            "Unable to upload data from more than one request.",
        ),
        Error::NotFound { entity: "upload" } => MmError::new(
            StatusCode::NOT_FOUND,
            "app.upload.get.app_error",
            "Failed to get upload.",
        ),
        other => other.into(),
    }
}

/// `POST /api/v4/uploads`
pub async fn create(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmJson(body): MmJson<CreateUpload>,
) -> MmResult<(StatusCode, Json<MmUploadSession>)> {
    match body.kind.as_str() {
        "" | KIND_ATTACHMENT => {}
        // Bulk-import uploads are an administrator's tool.
        "import" if !actor.is_admin() => return Err(MmError::forbidden()),
        "import" => {
            let upload = core
                .create_import_upload(&actor, &body.filename, body.file_size)
                .await
                .map_err(|e| upload_error(&core, e))?;
            return Ok((StatusCode::CREATED, Json(session(upload))));
        }
        _ => {
            return Err(MmError::new(
                StatusCode::BAD_REQUEST,
                "model.upload_session.is_valid.type.app_error",
                "Invalid value for type.",
            ))
        }
    }
    let upload = core
        .create_upload(&actor, &body.channel_id, &body.filename, body.file_size)
        .await
        .map_err(|e| upload_error(&core, e))?;
    Ok((StatusCode::CREATED, Json(session(upload))))
}

/// `GET /api/v4/uploads/{upload_id}`
pub async fn get(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmPath(id): MmPath<String>,
) -> MmResult<Json<MmUploadSession>> {
    check_id("upload_id", &id)?;
    match core.get_upload(&actor, &id).await {
        Ok(upload) => Ok(Json(session(upload))),
        Err(core_server::Error::Forbidden(_)) => Err(MmError::new(
            StatusCode::FORBIDDEN,
            "api.upload.get_upload.forbidden.app_error",
            "Failed to get upload.",
        )),
        Err(e) => Err(upload_error(&core, e)),
    }
}

/// `POST /api/v4/uploads/{upload_id}`: 204 while bytes are missing, 200
/// with the file's record once it is complete.
pub async fn upload_data(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmPath(id): MmPath<String>,
    request: Request,
) -> MmResult<Response> {
    check_id("upload_id", &id)?;
    let content_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_ascii_lowercase();
    let outcome = if content_type.starts_with("multipart/") {
        let mut form = Multipart::from_request(request, &core).await.map_err(|e| {
            MmError::new(
                StatusCode::BAD_REQUEST,
                "api.upload.upload_data.invalid_content_type",
                format!("Invalid Content-Type for multipart upload: {e}."),
            )
        })?;
        // As Mattermost: the first part is the data, whatever its name.
        let field = form.next_field().await.ok().flatten().ok_or_else(|| {
            MmError::new(
                StatusCode::BAD_REQUEST,
                "api.upload.upload_data.multipart_error",
                "Failed to process the multipart data.",
            )
        })?;
        let body: ByteStream<'_> = Box::pin(field.map_err(body_error));
        core.upload_part(&actor, &id, None, body).await
    } else {
        let declared = request
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<u64>().ok());
        let body: ByteStream<'static> =
            Box::pin(request.into_body().into_data_stream().map_err(body_error));
        core.upload_part(&actor, &id, declared, body).await
    };
    match outcome.map_err(|e| upload_error(&core, e))? {
        PartOutcome::Incomplete(_) => Ok(StatusCode::NO_CONTENT.into_response()),
        PartOutcome::Complete(info) => Ok(Json(convert::file_info(info)).into_response()),
        // As Mattermost: a finished import upload has no file record to show.
        PartOutcome::Imported(_) => Ok(StatusCode::NO_CONTENT.into_response()),
    }
}

/// `GET /api/v4/users/{user_id}/uploads`: the caller's own unfinished uploads.
pub async fn of_user(
    State(core): State<Core>,
    auth: MmAuth,
    MmPath(user_id): MmPath<String>,
) -> MmResult<Json<Vec<MmUploadSession>>> {
    let user_id = auth.user_id(&user_id);
    check_id("user_id", &user_id)?;
    if user_id != auth.0.id() {
        return Err(MmError::new(
            StatusCode::FORBIDDEN,
            "api.user.get_uploads_for_user.forbidden.app_error",
            "Failed to get uploads.",
        ));
    }
    let uploads = core
        .list_uploads(&auth.0, &user_id)
        .await
        .map_err(|e| upload_error(&core, e))?;
    Ok(Json(uploads.into_iter().map(session).collect()))
}
