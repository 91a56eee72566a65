//! The admin console's routes: the server's state and settings, people,
//! channels across teams, and bulk jobs. The services check the caller:
//! system admins, except that anyone may deactivate their own account or
//! sign themselves out everywhere, as on Mattermost.

use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Json;
use futures::TryStreamExt;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::error::ApiResult;
use super::extract::{user_param, ApiJson, ApiPath, ApiQuery, Auth};
use super::Ok as OkBody;
use crate::config::ShownSetting;
use crate::files::ByteStream;
use crate::model::*;
use crate::services::{AllChannelsFilter, Core, ServerOverview, UserFilter};

/// `GET /api/v1/admin/overview`: versions, parts and their health, counts.
#[utoipa::path(get, path = "/api/v1/admin/overview", tag = "admin", security(("bearer" = [])),
    responses((status = 200, body = ServerOverview), (status = 403, body = super::error::ErrorBody)))]
pub async fn overview(
    State(core): State<Core>,
    Auth(actor): Auth,
) -> ApiResult<Json<ServerOverview>> {
    Ok(Json(core.server_overview(&actor).await?))
}

/// `GET /api/v1/admin/config`: every setting's effective value, secrets hidden.
#[utoipa::path(get, path = "/api/v1/admin/config", tag = "admin", security(("bearer" = [])),
    responses((status = 200, body = Vec<ShownSetting>), (status = 403, body = super::error::ErrorBody)))]
pub async fn config(
    State(core): State<Core>,
    Auth(actor): Auth,
) -> ApiResult<Json<Vec<ShownSetting>>> {
    Ok(Json(core.shown_settings(&actor)?))
}

/// Which accounts to list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AdminUsersQuery {
    /// Start of a username, first or last name or nickname.
    pub term: Option<String>,
    /// `true` only active accounts, `false` only deactivated ones.
    pub active: Option<bool>,
    /// Only holders of this system role (`system_admin`).
    pub role: Option<String>,
    /// Accounts to skip, for the next page.
    pub offset: Option<usize>,
    /// Page size, 1–200 (default 50).
    pub limit: Option<usize>,
}

/// `GET /api/v1/admin/users`: every account, deactivated ones too, by username.
#[utoipa::path(get, path = "/api/v1/admin/users", tag = "admin", security(("bearer" = [])),
    params(AdminUsersQuery), responses((status = 200, body = Vec<User>), (status = 403, body = super::error::ErrorBody)))]
pub async fn users(
    State(core): State<Core>,
    Auth(actor): Auth,
    ApiQuery(q): ApiQuery<AdminUsersQuery>,
) -> ApiResult<Json<Vec<User>>> {
    if !actor.is_admin() {
        return Err(crate::Error::forbidden("only system admins list every account").into());
    }
    let filter = UserFilter {
        term: q.term.filter(|t| !t.trim().is_empty()),
        active: q.active,
        role: q.role.filter(|r| !r.is_empty()),
        ..UserFilter::default()
    };
    let limit = q.limit.unwrap_or(50).clamp(1, 200);
    let found = core.filtered_users(&actor, &filter).await?;
    Ok(Json(
        found
            .into_iter()
            .skip(q.offset.unwrap_or(0))
            .take(limit)
            .collect(),
    ))
}

/// Active or deactivated.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActiveRequest {
    pub active: bool,
}

/// `PUT /api/v1/users/{user_id}/active`: deactivates (signing out everywhere) or reactivates an
/// account: a system admin, or the user deactivating themself.
#[utoipa::path(put, path = "/api/v1/users/{user_id}/active", tag = "users", security(("bearer" = [])),
    params(("user_id" = String, Path)), request_body = ActiveRequest, responses((status = 200, body = User)))]
pub async fn set_active(
    State(core): State<Core>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<ActiveRequest>,
) -> ApiResult<Json<User>> {
    let id = user_param(&actor, &id);
    core.set_user_active(&actor, &id, body.active).await?;
    Ok(Json(core.get_user(&actor, &id).await?))
}

/// System roles.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RolesRequest {
    /// `system_user`, or `system_user system_admin` to promote.
    pub roles: String,
}

/// `PUT /api/v1/users/{user_id}/roles`: promotes to or demotes from system admin.
#[utoipa::path(put, path = "/api/v1/users/{user_id}/roles", tag = "admin", security(("bearer" = [])),
    params(("user_id" = String, Path)), request_body = RolesRequest, responses((status = 200, body = User)))]
pub async fn set_roles(
    State(core): State<Core>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<RolesRequest>,
) -> ApiResult<Json<User>> {
    let id = user_param(&actor, &id);
    Ok(Json(core.set_user_roles(&actor, &id, &body.roles).await?))
}

/// `DELETE /api/v1/users/{user_id}/sessions`: signs the user out everywhere.
#[utoipa::path(delete, path = "/api/v1/users/{user_id}/sessions", tag = "users", security(("bearer" = [])),
    params(("user_id" = String, Path)), responses((status = 200, body = super::Ok)))]
pub async fn revoke_sessions(
    State(core): State<Core>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<OkBody>> {
    let id = user_param(&actor, &id);
    core.revoke_user_sessions(&actor, &id).await?;
    Ok(Json(OkBody::default()))
}

/// Which channels to list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AdminChannelsQuery {
    /// Part of the name, display name or purpose.
    pub term: Option<String>,
    /// Only this team's.
    pub team_id: Option<String>,
    /// Archived channels too.
    pub include_archived: Option<bool>,
}

/// A channel with its team's name.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChannelInTeam {
    pub channel: Channel,
    pub team_display_name: String,
    pub team_name: String,
}

/// `GET /api/v1/admin/channels`: team channels, private and archived ones too.
#[utoipa::path(get, path = "/api/v1/admin/channels", tag = "admin", security(("bearer" = [])),
    params(AdminChannelsQuery), responses((status = 200, body = Vec<ChannelInTeam>), (status = 403, body = super::error::ErrorBody)))]
pub async fn channels(
    State(core): State<Core>,
    Auth(actor): Auth,
    ApiQuery(q): ApiQuery<AdminChannelsQuery>,
) -> ApiResult<Json<Vec<ChannelInTeam>>> {
    let filter = AllChannelsFilter {
        term: q.term.unwrap_or_default(),
        team_ids: q.team_id.into_iter().collect(),
        include_deleted: q.include_archived.unwrap_or(false),
        ..AllChannelsFilter::default()
    };
    let found = core.search_all_channels(&actor, &filter).await?;
    Ok(Json(
        found
            .into_iter()
            .map(|(channel, team)| ChannelInTeam {
                channel,
                team_display_name: team.display_name,
                team_name: team.name,
            })
            .collect(),
    ))
}

/// Which jobs to list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct JobsQuery {
    /// `import_process` or `export_process`; all when left out.
    #[serde(rename = "type")]
    #[param(rename = "type")]
    pub job_type: Option<String>,
    /// Page, from 0.
    pub page: Option<i64>,
    /// Page size, 1–200 (default 30).
    pub per_page: Option<i64>,
}

/// `GET /api/v1/jobs`: jobs newest first.
#[utoipa::path(get, path = "/api/v1/jobs", tag = "admin", security(("bearer" = [])),
    params(JobsQuery), responses((status = 200, body = Vec<Job>), (status = 403, body = super::error::ErrorBody)))]
pub async fn list_jobs(
    State(core): State<Core>,
    Auth(actor): Auth,
    ApiQuery(q): ApiQuery<JobsQuery>,
) -> ApiResult<Json<Vec<Job>>> {
    Ok(Json(
        core.list_jobs(
            &actor,
            q.job_type.as_deref(),
            q.page.unwrap_or(0),
            q.per_page.unwrap_or(30),
        )
        .await?,
    ))
}

/// A job to start.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewJob {
    /// `export_process`, or `import_process` with `data.import_file`.
    #[serde(rename = "type")]
    pub job_type: String,
    #[serde(default)]
    pub data: StringMap,
}

/// `POST /api/v1/jobs`: starts an export, or an import of an uploaded file.
#[utoipa::path(post, path = "/api/v1/jobs", tag = "admin", security(("bearer" = [])),
    request_body = NewJob, responses((status = 201, body = Job), (status = 403, body = super::error::ErrorBody)))]
pub async fn create_job(
    State(core): State<Core>,
    Auth(actor): Auth,
    ApiJson(body): ApiJson<NewJob>,
) -> ApiResult<(StatusCode, Json<Job>)> {
    let job = core.create_job(&actor, &body.job_type, body.data).await?;
    Ok((StatusCode::CREATED, Json(job)))
}

/// `GET /api/v1/jobs/{job_id}`: its status and progress.
#[utoipa::path(get, path = "/api/v1/jobs/{job_id}", tag = "admin", security(("bearer" = [])),
    params(("job_id" = String, Path)), responses((status = 200, body = Job)))]
pub async fn get_job(
    State(core): State<Core>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<Job>> {
    Ok(Json(core.get_job(&actor, &id).await?))
}

/// `POST /api/v1/jobs/{job_id}/cancel`
#[utoipa::path(post, path = "/api/v1/jobs/{job_id}/cancel", tag = "admin", security(("bearer" = [])),
    params(("job_id" = String, Path)), responses((status = 200, body = super::Ok)))]
pub async fn cancel_job(
    State(core): State<Core>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<OkBody>> {
    core.cancel_job(&actor, &id).await?;
    Ok(Json(OkBody::default()))
}

/// The uploaded file's name.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportUploadQuery {
    /// The file's name, e.g. `export.zip`.
    pub filename: String,
}

/// Where an uploaded import is kept.
#[derive(Debug, Serialize, ToSchema)]
pub struct UploadedImport {
    /// The name to start an import with (`data.import_file`).
    pub name: String,
}

/// `GET /api/v1/imports`: the uploaded bulk files.
#[utoipa::path(get, path = "/api/v1/imports", tag = "admin", security(("bearer" = [])),
    responses((status = 200, body = Vec<String>), (status = 403, body = super::error::ErrorBody)))]
pub async fn list_imports(
    State(core): State<Core>,
    Auth(actor): Auth,
) -> ApiResult<Json<Vec<String>>> {
    Ok(Json(core.list_imports(&actor).await?))
}

/// `POST /api/v1/imports?filename=…`: the body is a Mattermost bulk file (`.zip` or `.jsonl`).
#[utoipa::path(post, path = "/api/v1/imports", tag = "admin", security(("bearer" = [])),
    params(ImportUploadQuery), request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 201, body = UploadedImport), (status = 403, body = super::error::ErrorBody)))]
pub async fn upload_import(
    State(core): State<Core>,
    Auth(actor): Auth,
    ApiQuery(q): ApiQuery<ImportUploadQuery>,
    request: Request,
) -> ApiResult<(StatusCode, Json<UploadedImport>)> {
    let body: ByteStream<'static> = Box::pin(
        request
            .into_body()
            .into_data_stream()
            .map_err(|e| std::io::Error::other(e.to_string())),
    );
    let name = core.upload_import(&actor, &q.filename, body).await?;
    Ok((StatusCode::CREATED, Json(UploadedImport { name })))
}

/// `GET /api/v1/exports`: the finished exports.
#[utoipa::path(get, path = "/api/v1/exports", tag = "admin", security(("bearer" = [])),
    responses((status = 200, body = Vec<String>), (status = 403, body = super::error::ErrorBody)))]
pub async fn list_exports(
    State(core): State<Core>,
    Auth(actor): Auth,
) -> ApiResult<Json<Vec<String>>> {
    Ok(Json(core.list_exports(&actor).await?))
}

/// `GET /api/v1/exports/{name}`: downloads an export.
#[utoipa::path(get, path = "/api/v1/exports/{name}", tag = "admin", security(("bearer" = [])),
    params(("name" = String, Path)), responses((status = 200, content_type = "application/zip", body = Vec<u8>)))]
pub async fn download_export(
    State(core): State<Core>,
    Auth(actor): Auth,
    ApiPath(name): ApiPath<String>,
) -> ApiResult<Response> {
    let blob = core.open_export(&actor, &name).await?;
    Ok(crate::files::response(&name, "application/zip", blob, true))
}
