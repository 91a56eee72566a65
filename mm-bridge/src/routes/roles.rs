//! The built-in roles and their permissions, as a server without custom
//! schemes reports them: the core's role table, which the services enforce.
//! The apps gate their UI on these permission names.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use core_server::model::{permissions, roles};
use core_server::services::Core;
use serde::Serialize;

use crate::error::{MmError, MmResult};
use crate::extract::{MmAuth, MmJson, MmPath};

/// Mattermost's `Role`.
#[derive(Debug, Serialize, Clone)]
pub struct MmRole {
    pub id: String,
    pub name: String,
    pub display_name: String,
    pub description: String,
    pub create_at: i64,
    pub update_at: i64,
    pub delete_at: i64,
    pub permissions: Vec<&'static str>,
    pub scheme_managed: bool,
    pub built_in: bool,
    pub scheme_id: Option<String>,
}

/// The built-in role called `name`, if any.
pub fn role(name: &str) -> Option<MmRole> {
    let display = match name {
        "system_user" => "authentication.roles.global_user.name",
        "system_admin" => "authentication.roles.global_admin.name",
        "team_user" => "authentication.roles.team_user.name",
        "team_admin" => "authentication.roles.team_admin.name",
        "channel_user" => "authentication.roles.channel_user.name",
        "channel_admin" => "authentication.roles.channel_admin.name",
        _ => return None,
    };
    // The core's role table, the one every permission check reads.
    let permissions: Vec<&'static str> = permissions::role_permissions(name)?
        .into_iter()
        .map(|p| p.id())
        .collect();
    Some(MmRole {
        id: role_id(name),
        name: name.to_string(),
        display_name: display.to_string(),
        description: String::new(),
        create_at: 0,
        update_at: 0,
        delete_at: 0,
        permissions,
        scheme_managed: true,
        built_in: true,
        scheme_id: None,
    })
}

/// A stable id per role name: the name padded into the id alphabet's shape.
fn role_id(name: &str) -> String {
    format!("{:y<26}", name.replace('_', ""))
        .chars()
        .take(26)
        .collect()
}

/// `GET /api/v4/roles`: every role (system admins only).
pub async fn all(State(core): State<Core>, MmAuth(actor): MmAuth) -> MmResult<Json<Vec<MmRole>>> {
    let names = core.list_role_names(&actor)?;
    Ok(Json(names.iter().filter_map(|n| role(n)).collect()))
}

/// `GET /api/v4/roles/{role_id}`: any signed-in user may read a role.
pub async fn by_id(_auth: MmAuth, MmPath(id): MmPath<String>) -> MmResult<Json<MmRole>> {
    crate::extract::check_id("role_id", &id)?;
    roles::ALL
        .iter()
        .find(|name| role_id(name) == id)
        .and_then(|name| role(name))
        .map(Json)
        .ok_or_else(|| {
            MmError::new(
                StatusCode::NOT_FOUND,
                "app.role.get.app_error",
                "Unable to find the role.",
            )
        })
}

/// `POST /api/v4/roles/names`: the known roles among the names.
pub async fn by_names(
    _auth: MmAuth,
    MmJson(names): MmJson<Vec<String>>,
) -> MmResult<Json<Vec<MmRole>>> {
    if names.len() > 100 {
        return Err(MmError::invalid_body("role_names"));
    }
    Ok(Json(names.iter().filter_map(|n| role(n)).collect()))
}

/// `GET /api/v4/roles/name/{role_name}`
pub async fn by_name(_auth: MmAuth, MmPath(name): MmPath<String>) -> MmResult<Json<MmRole>> {
    role(&name).map(Json).ok_or_else(|| {
        MmError::new(
            StatusCode::NOT_FOUND,
            "app.role.get_by_name.app_error",
            "Unable to find the role.",
        )
    })
}
