//! What `mmctl import …` and `mmctl export …` call: jobs (create, read,
//! list, cancel), the uploaded bulk files (`/imports`) and the finished
//! exports (`/exports`). System administrators only.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::Json;
use serde::Deserialize;

use core_server::model::{Job, StringMap};
use core_server::services::Core;

use crate::error::{MmError, MmResult};
use crate::extract::{check_id, status_ok, MmAuth, MmJson, MmPath, MmQuery, Paging, StatusOk};

#[derive(Deserialize)]
pub struct CreateJob {
    #[serde(rename = "type", default)]
    job_type: String,
    #[serde(default)]
    data: Option<serde_json::Map<String, serde_json::Value>>,
}

/// Job data is a map of strings in Mattermost; other JSON values are kept as text.
fn string_map(data: Option<serde_json::Map<String, serde_json::Value>>) -> StringMap {
    data.unwrap_or_default()
        .into_iter()
        .map(|(k, v)| match v {
            serde_json::Value::String(s) => (k, s),
            other => (k, other.to_string()),
        })
        .collect()
}

fn forbidden_for_jobs(e: core_server::Error) -> MmError {
    match e {
        core_server::Error::Forbidden(_) => MmError::new(
            StatusCode::FORBIDDEN,
            "api.context.permissions.app_error",
            "You do not have the appropriate permissions.",
        ),
        core_server::Error::NotFound { entity: "job" } => MmError::new(
            StatusCode::NOT_FOUND,
            "app.job.get.app_error",
            "Unable to get the job.",
        ),
        other => other.into(),
    }
}

/// `POST /api/v4/jobs`
pub async fn create(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmJson(body): MmJson<CreateJob>,
) -> MmResult<(StatusCode, Json<Job>)> {
    if body.job_type.is_empty() {
        return Err(MmError::invalid_param("type"));
    }
    let job = core
        .create_job(&actor, &body.job_type, string_map(body.data))
        .await
        .map_err(forbidden_for_jobs)?;
    Ok((StatusCode::CREATED, Json(job)))
}

/// `GET /api/v4/jobs`
pub async fn list(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmQuery(paging): MmQuery<Paging>,
) -> MmResult<Json<Vec<Job>>> {
    let jobs = core
        .list_jobs(&actor, None, paging.page(), paging.per_page())
        .await
        .map_err(forbidden_for_jobs)?;
    Ok(Json(jobs))
}

/// `GET /api/v4/jobs/type/{job_type}`
pub async fn of_type(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmPath(job_type): MmPath<String>,
    MmQuery(paging): MmQuery<Paging>,
) -> MmResult<Json<Vec<Job>>> {
    let jobs = core
        .list_jobs(&actor, Some(&job_type), paging.page(), paging.per_page())
        .await
        .map_err(forbidden_for_jobs)?;
    Ok(Json(jobs))
}

/// `GET /api/v4/jobs/{job_id}`
pub async fn get(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmPath(id): MmPath<String>,
) -> MmResult<Json<Job>> {
    check_id("job_id", &id)?;
    let job = core
        .get_job(&actor, &id)
        .await
        .map_err(forbidden_for_jobs)?;
    Ok(Json(job))
}

/// `POST /api/v4/jobs/{job_id}/cancel`
pub async fn cancel(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmPath(id): MmPath<String>,
) -> MmResult<Json<StatusOk>> {
    check_id("job_id", &id)?;
    core.cancel_job(&actor, &id)
        .await
        .map_err(forbidden_for_jobs)?;
    Ok(status_ok())
}

/// `GET /api/v4/imports`
pub async fn list_imports(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
) -> MmResult<Json<Vec<String>>> {
    Ok(Json(
        core.list_imports(&actor)
            .await
            .map_err(forbidden_for_jobs)?,
    ))
}

/// `DELETE /api/v4/imports/{import_name}`
pub async fn delete_import(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmPath(name): MmPath<String>,
) -> MmResult<Json<StatusOk>> {
    core.delete_import(&actor, &name)
        .await
        .map_err(forbidden_for_jobs)?;
    Ok(status_ok())
}

/// `GET /api/v4/exports`
pub async fn list_exports(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
) -> MmResult<Json<Vec<String>>> {
    Ok(Json(
        core.list_exports(&actor)
            .await
            .map_err(forbidden_for_jobs)?,
    ))
}

/// `GET /api/v4/exports/{export_name}`: the archive, as a download.
pub async fn download_export(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmPath(name): MmPath<String>,
) -> MmResult<Response> {
    let blob = core.open_export(&actor, &name).await.map_err(|e| match e {
        core_server::Error::NotFound { .. } => MmError::new(
            StatusCode::NOT_FOUND,
            "api.export.get.not_found.app_error",
            "The export was not found.",
        ),
        other => forbidden_for_jobs(other),
    })?;
    Ok(core_server::files::response(
        &name,
        "application/zip",
        blob,
        true,
    ))
}

/// `DELETE /api/v4/exports/{export_name}`
pub async fn delete_export(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmPath(name): MmPath<String>,
) -> MmResult<Json<StatusOk>> {
    core.delete_export(&actor, &name)
        .await
        .map_err(forbidden_for_jobs)?;
    Ok(status_ok())
}
