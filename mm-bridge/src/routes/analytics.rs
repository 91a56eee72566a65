//! Statistics for the system console, and the switch that marks the
//! server busy.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use core_server::services::analytics::Report;
use core_server::services::busy::{BusyState, DEFAULT_BUSY_SECONDS};
use core_server::services::Core;

use crate::error::{MmError, MmResult};
use crate::extract::{check_id, status_ok, MmAuth, MmQuery};

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

#[derive(Deserialize)]
pub struct BusyQuery {
    seconds: Option<String>,
}

/// Mattermost's `ServerBusyState`: `expires` in Unix seconds.
fn busy_state(state: BusyState) -> Value {
    let expires = state.expires_at.div_euclid(1000);
    let mut body = json!({"busy": state.busy, "expires": expires});
    if let Some(at) = chrono::DateTime::from_timestamp(expires, 0).filter(|_| state.busy) {
        body["expires_ts"] = json!(at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
    }
    body
}

/// `GET /api/v4/server_busy`
pub async fn get_busy(State(core): State<Core>, MmAuth(actor): MmAuth) -> MmResult<Json<Value>> {
    Ok(Json(busy_state(core.server_busy(&actor).await?)))
}

/// `POST /api/v4/server_busy?seconds=`: searches answer 503 until then.
pub async fn set_busy(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmQuery(q): MmQuery<BusyQuery>,
) -> MmResult<Response> {
    let seconds = match q.seconds.as_deref() {
        None | Some("") => DEFAULT_BUSY_SECONDS,
        Some(s) => s
            .parse::<i64>()
            .map_err(|_| MmError::invalid_param("seconds"))?,
    };
    core.set_server_busy(&actor, seconds).await?;
    Ok(status_ok().into_response())
}

/// `DELETE /api/v4/server_busy`
pub async fn clear_busy(State(core): State<Core>, MmAuth(actor): MmAuth) -> MmResult<Response> {
    core.clear_server_busy(&actor).await?;
    Ok(status_ok().into_response())
}
