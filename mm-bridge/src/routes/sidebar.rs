//! The sidebar categories of a user in a team.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};

use core_server::services::{Core, SidebarCategory};

use crate::error::{MmError, MmResult};
use crate::extract::{check_id, status_ok, MmAuth, MmJson, MmPath};

/// Mattermost's `OrderedSidebarCategories`.
#[derive(Serialize)]
pub struct Ordered {
    categories: Vec<SidebarCategory>,
    order: Vec<String>,
}

/// The caller's own user id (`me` allowed) and a team id, checked.
fn own(auth: &MmAuth, user: &str, team: &str) -> MmResult<()> {
    auth.require_self(user)?;
    check_id("team_id", team)
}

/// `GET /api/v4/users/{user_id}/teams/{team_id}/channels/categories`
pub async fn list(
    State(core): State<Core>,
    auth: MmAuth,
    MmPath((user, team)): MmPath<(String, String)>,
) -> MmResult<Json<Ordered>> {
    own(&auth, &user, &team)?;
    let categories = core.sidebar(&auth.0, &team).await?;
    let order = categories.iter().map(|c| c.id.clone()).collect();
    Ok(Json(Ordered { categories, order }))
}

/// `PUT /api/v4/users/{user_id}/teams/{team_id}/channels/categories`: the changed categories back.
pub async fn update(
    State(core): State<Core>,
    auth: MmAuth,
    MmPath((user, team)): MmPath<(String, String)>,
    MmJson(body): MmJson<Vec<SidebarCategory>>,
) -> MmResult<Json<Vec<SidebarCategory>>> {
    own(&auth, &user, &team)?;
    Ok(Json(core.update_sidebar(&auth.0, &team, body).await?))
}

/// What creating a category reads.
#[derive(Deserialize)]
pub struct NewCategory {
    user_id: String,
    team_id: String,
    display_name: String,
    #[serde(default)]
    channel_ids: Vec<String>,
}

/// `POST /api/v4/users/{user_id}/teams/{team_id}/channels/categories`: a custom category.
pub async fn create(
    State(core): State<Core>,
    auth: MmAuth,
    MmPath((user, team)): MmPath<(String, String)>,
    MmJson(b): MmJson<NewCategory>,
) -> MmResult<Json<SidebarCategory>> {
    own(&auth, &user, &team)?;
    if b.user_id != auth.0.user.id || b.team_id != team {
        return Err(MmError::invalid_body("category"));
    }
    Ok(Json(
        core.create_category(&auth.0, &team, &b.display_name, b.channel_ids)
            .await?,
    ))
}

/// `GET /api/v4/users/{user_id}/teams/{team_id}/channels/categories/order`
pub async fn order(
    State(core): State<Core>,
    auth: MmAuth,
    MmPath((user, team)): MmPath<(String, String)>,
) -> MmResult<Json<Vec<String>>> {
    own(&auth, &user, &team)?;
    Ok(Json(
        core.sidebar(&auth.0, &team)
            .await?
            .into_iter()
            .map(|c| c.id)
            .collect(),
    ))
}

/// `PUT /api/v4/users/{user_id}/teams/{team_id}/channels/categories/order`
pub async fn set_order(
    State(core): State<Core>,
    auth: MmAuth,
    MmPath((user, team)): MmPath<(String, String)>,
    MmJson(order): MmJson<Vec<String>>,
) -> MmResult<Json<Vec<String>>> {
    own(&auth, &user, &team)?;
    Ok(Json(core.set_category_order(&auth.0, &team, &order).await?))
}

/// `GET /api/v4/users/{user_id}/teams/{team_id}/channels/categories/{category_id}`
pub async fn get(
    State(core): State<Core>,
    auth: MmAuth,
    MmPath((user, team, id)): MmPath<(String, String, String)>,
) -> MmResult<Json<SidebarCategory>> {
    own(&auth, &user, &team)?;
    core.sidebar(&auth.0, &team)
        .await?
        .into_iter()
        .find(|c| c.id == id)
        .map(Json)
        .ok_or_else(|| core_server::Error::not_found("category").into())
}

/// `PUT /api/v4/users/{user_id}/teams/{team_id}/channels/categories/{category_id}`
pub async fn update_one(
    State(core): State<Core>,
    auth: MmAuth,
    MmPath((user, team, id)): MmPath<(String, String, String)>,
    MmJson(b): MmJson<SidebarCategory>,
) -> MmResult<Json<SidebarCategory>> {
    own(&auth, &user, &team)?;
    if b.id != id {
        return Err(MmError::invalid_body("category_id"));
    }
    let mut changed = core.update_sidebar(&auth.0, &team, vec![b]).await?;
    changed
        .pop()
        .map(Json)
        .ok_or_else(|| core_server::Error::not_found("category").into())
}

/// `DELETE /api/v4/users/{user_id}/teams/{team_id}/channels/categories/{category_id}`
pub async fn delete(
    State(core): State<Core>,
    auth: MmAuth,
    MmPath((user, team, id)): MmPath<(String, String, String)>,
) -> MmResult<Response> {
    own(&auth, &user, &team)?;
    core.delete_category(&auth.0, &team, &id).await?;
    Ok(status_ok().into_response())
}
