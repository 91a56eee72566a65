//! A2A agents: system admins register an agent by its card URL and manage
//! it; every signed-in user may list the agents and see their skills.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;

use super::error::ApiResult;
use super::extract::{ApiJson, ApiPath, Auth};
use crate::services::{AgentPatch, AgentView, Core, NewAgent};

/// `POST /api/v1/agents`: reads the agent card and makes the agent's bot
/// (system admins).
#[utoipa::path(post, path = "/api/v1/agents", tag = "agents", security(("bearer" = [])),
    request_body = NewAgent, responses((status = 201, body = AgentView)))]
pub async fn register_agent(
    State(core): State<Core>,
    Auth(actor): Auth,
    ApiJson(input): ApiJson<NewAgent>,
) -> ApiResult<(StatusCode, Json<AgentView>)> {
    Ok((
        StatusCode::CREATED,
        Json(core.register_agent(&actor, input).await?),
    ))
}

/// `GET /api/v1/agents`
#[utoipa::path(get, path = "/api/v1/agents", tag = "agents", security(("bearer" = [])),
    responses((status = 200, body = Vec<AgentView>)))]
pub async fn list_agents(
    State(core): State<Core>,
    Auth(actor): Auth,
) -> ApiResult<Json<Vec<AgentView>>> {
    Ok(Json(core.list_agents(&actor).await?))
}

/// `GET /api/v1/agents/{agent_id}`
#[utoipa::path(get, path = "/api/v1/agents/{agent_id}", tag = "agents", security(("bearer" = [])),
    params(("agent_id" = String, Path)), responses((status = 200, body = AgentView)))]
pub async fn get_agent(
    State(core): State<Core>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<AgentView>> {
    Ok(Json(core.get_agent(&actor, &id).await?))
}

/// `PATCH /api/v1/agents/{agent_id}`: a new secret, on or off, or the card
/// read again (system admins).
#[utoipa::path(patch, path = "/api/v1/agents/{agent_id}", tag = "agents", security(("bearer" = [])),
    params(("agent_id" = String, Path)), request_body = AgentPatch, responses((status = 200, body = AgentView)))]
pub async fn patch_agent(
    State(core): State<Core>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<String>,
    ApiJson(patch): ApiJson<AgentPatch>,
) -> ApiResult<Json<AgentView>> {
    Ok(Json(core.patch_agent(&actor, &id, patch).await?))
}

/// `DELETE /api/v1/agents/{agent_id}`: removes the agent and deactivates its
/// bot (system admins).
#[utoipa::path(delete, path = "/api/v1/agents/{agent_id}", tag = "agents", security(("bearer" = [])),
    params(("agent_id" = String, Path)), responses((status = 204)))]
pub async fn remove_agent(
    State(core): State<Core>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<StatusCode> {
    core.remove_agent(&actor, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}
