//! How many users there are (in all, or by the system console's filters),
//! whom the caller knows, and the server's user limits (none).

use axum::extract::State;
use axum::Json;
use serde::{Deserialize, Serialize};

use core_server::services::{Core, UserStatsFilter};

use crate::error::MmResult;
use crate::extract::{query_bool, MmAuth, MmQuery};

/// Mattermost's `UsersStats`.
#[derive(Serialize)]
pub struct UsersStats {
    total_users_count: i64,
}

/// `GET /api/v4/users/stats`: active users, bots included.
pub async fn total(State(core): State<Core>, MmAuth(actor): MmAuth) -> MmResult<Json<UsersStats>> {
    Ok(Json(UsersStats {
        total_users_count: core.total_users_count(&actor).await?,
    }))
}

#[derive(Deserialize)]
pub struct FilteredQuery {
    in_team: Option<String>,
    in_channel: Option<String>,
    include_deleted: Option<String>,
    include_bots: Option<String>,
    roles: Option<String>,
    team_roles: Option<String>,
    channel_roles: Option<String>,
}

/// A comma-separated list, as the query gives it.
fn list(value: Option<String>) -> Vec<String> {
    value
        .map(|v| v.split(',').map(str::to_string).collect())
        .unwrap_or_default()
}

/// `GET /api/v4/users/stats/filtered`. (`include_remote_users` means
/// nothing here: this server has no shared channels, so no remote users.)
pub async fn filtered(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmQuery(q): MmQuery<FilteredQuery>,
) -> MmResult<Json<UsersStats>> {
    let filter = UserStatsFilter {
        in_team: q.in_team,
        in_channel: q.in_channel,
        include_deleted: query_bool(q.include_deleted.as_deref()),
        include_bots: query_bool(q.include_bots.as_deref()),
        roles: list(q.roles),
        team_roles: list(q.team_roles),
        channel_roles: list(q.channel_roles),
    };
    Ok(Json(UsersStats {
        total_users_count: core.filtered_users_count(&actor, &filter).await?,
    }))
}

/// `GET /api/v4/users/known`: ids of everyone sharing a channel with the caller.
pub async fn known(State(core): State<Core>, MmAuth(actor): MmAuth) -> MmResult<Json<Vec<String>>> {
    Ok(Json(core.known_user_ids(&actor).await?))
}

/// Mattermost's `ServerLimits`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ServerLimits {
    max_users_limit: i64,
    max_users_hard_limit: i64,
    active_user_count: i64,
}

/// `GET /api/v4/limits/server`: no user limits (0, as a licensed Mattermost
/// answers), and the active people, bots left out.
pub async fn server_limits(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
) -> MmResult<Json<ServerLimits>> {
    Ok(Json(ServerLimits {
        max_users_limit: 0,
        max_users_hard_limit: 0,
        active_user_count: core.active_user_count(&actor).await?,
    }))
}
