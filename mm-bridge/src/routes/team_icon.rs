//! A team's icon: `GET|POST|DELETE /api/v4/teams/{team_id}/image`.

use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use core_server::services::{Core, MAX_TEAM_ICON_BYTES};
use core_server::Error;

use crate::error::{MmError, MmResult};
use crate::etag;
use crate::extract::{check_id, status_ok, MmAuth, MmPath};

/// The multipart field the image comes in.
const FIELD: &str = "image";
/// Room for the multipart framing around the image.
pub const MULTIPART_OVERHEAD: usize = 64 * 1024;

fn no_image() -> MmError {
    MmError::new(
        StatusCode::BAD_REQUEST,
        "api.team.set_team_icon.no_file.app_error",
        "No image in the request: send the file as the multipart field 'image'.",
    )
}

fn too_large() -> MmError {
    MmError::from(Error::TooLarge(format!(
        "The team icon is larger than the maximum of {MAX_TEAM_ICON_BYTES} bytes."
    )))
}

/// `GET /api/v4/teams/{team_id}/image`: the icon as a PNG, versioned by the
/// time it was set.
pub async fn get(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmPath(team_id): MmPath<String>,
    headers: HeaderMap,
) -> MmResult<Response> {
    check_id("team_id", &team_id)?;
    let (png, updated) = core.team_icon(&actor, &team_id).await?;
    let tag = etag::etag(&[&updated]);
    let mut response = if etag::not_modified(&headers, &tag) {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        png.into_response()
    };
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("image/png"));
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("max-age=86400, private"),
    );
    if let Ok(v) = HeaderValue::from_str(&tag) {
        h.insert(header::ETAG, v);
    }
    Ok(response)
}

/// `POST /api/v4/teams/{team_id}/image`: multipart field `image`, any
/// image the server reads; stored as a 128×128 PNG.
pub async fn set(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmPath(team_id): MmPath<String>,
    headers: HeaderMap,
    form: Result<Multipart, MultipartRejection>,
) -> MmResult<Response> {
    check_id("team_id", &team_id)?;
    let mut form = form.map_err(|_| no_image());
    // Refused before the upload is stored (what was sent is read and
    // dropped, so the client sees the answer rather than a broken pipe).
    if let Err(e) = core.check_team_icon_change(&actor, &team_id).await {
        if let Ok(form) = form.as_mut() {
            super::files::drain_multipart(form).await;
        }
        return Err(e.into());
    }
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > MAX_TEAM_ICON_BYTES + MULTIPART_OVERHEAD) {
        return Err(too_large());
    }
    let mut form = form?;
    let mut image = None;
    while let Some(field) = form.next_field().await.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            too_large()
        } else {
            no_image()
        }
    })? {
        if field.name() != Some(FIELD) || image.is_some() {
            continue;
        }
        let bytes = field.bytes().await.map_err(|e| {
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                too_large()
            } else {
                no_image()
            }
        })?;
        image = Some(bytes);
    }
    let image = image.ok_or_else(no_image)?;
    match core.set_team_icon(&actor, &team_id, &image).await {
        Ok(_) => Ok(status_ok().into_response()),
        Err(Error::Invalid { field, reason }) if field == FIELD => {
            let mut e = MmError::new(
                StatusCode::BAD_REQUEST,
                "api.team.set_team_icon.decode.app_error",
                format!("The field 'image' {reason}."),
            );
            e.detailed_error = format!("image: {reason}");
            Err(e)
        }
        Err(e) => Err(e.into()),
    }
}

/// `DELETE /api/v4/teams/{team_id}/image`
pub async fn remove(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmPath(team_id): MmPath<String>,
) -> MmResult<Response> {
    check_id("team_id", &team_id)?;
    core.remove_team_icon(&actor, &team_id).await?;
    Ok(status_ok().into_response())
}
