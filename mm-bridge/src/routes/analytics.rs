//! Statistics for the system console.

use axum::extract::State;
use axum::Json;
use serde::{Deserialize, Serialize};

use core_server::services::analytics::Report;
use core_server::services::Core;

use crate::error::MmResult;
use crate::extract::{check_id, MmAuth, MmQuery};

#[derive(Deserialize)]
pub struct AnalyticsQuery {
    name: Option<String>,
    team_id: Option<String>,
}

/// Mattermost's `AnalyticsRow`.
#[derive(Serialize)]
pub struct MmAnalyticsRow {
    name: String,
    value: f64,
}

/// `GET /api/v4/analytics/old?name=&team_id=`
pub async fn old(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmQuery(q): MmQuery<AnalyticsQuery>,
) -> MmResult<Json<Vec<MmAnalyticsRow>>> {
    let report = Report::parse(q.name.as_deref().unwrap_or(""))?;
    let team = q.team_id.filter(|t| !t.is_empty());
    if let Some(team) = &team {
        check_id("team_id", team)?;
    }
    let rows = core.analytics(&actor, report, team.as_deref()).await?;
    Ok(Json(
        rows.into_iter()
            .map(|r| MmAnalyticsRow {
                name: r.name,
                value: r.value,
            })
            .collect(),
    ))
}
