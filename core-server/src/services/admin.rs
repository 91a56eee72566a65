//! What the web app's admin console reads about the server itself: its
//! parts and their health, what it holds, and its effective settings with
//! secrets hidden. System admins only.

use std::collections::BTreeMap;

use serde::Serialize;
use utoipa::ToSchema;

use super::analytics::Report;
use super::{Actor, Core};
use crate::config::{database_kind, DatabaseKind, ShownSetting};
use crate::error::{Error, Result};

/// One part the server depends on.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PartStatus {
    /// `sqlite`/`postgres`, `local`/`s3`, `in-process`/`redis`.
    pub kind: String,
    /// `ok`, or `unreachable` with the reason in `detail`.
    pub status: String,
    pub detail: Option<String>,
}

impl PartStatus {
    fn of(kind: &str, check: Result<()>) -> Self {
        let (status, detail) = match check {
            Ok(()) => ("ok", None),
            Err(e) => ("unreachable", Some(e.to_string())),
        };
        PartStatus {
            kind: kind.to_string(),
            status: status.to_string(),
            detail,
        }
    }
}

/// The server at a glance.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ServerOverview {
    pub version: String,
    pub database: PartStatus,
    pub file_store: PartStatus,
    /// How events reach other nodes.
    pub cluster: PartStatus,
    /// Open WebSockets on this node.
    pub sockets: i64,
    /// Users with a socket open on this node.
    pub connected_users: i64,
    /// Counts by Mattermost's statistic names (`post_count`,
    /// `unique_user_count`, `inactive_user_count`, `team_count`,
    /// `channel_open_count`, `channel_private_count`, `daily_active_users`,
    /// `monthly_active_users`, `total_file_count`, …).
    pub statistics: BTreeMap<String, f64>,
}

fn admin_only(actor: &Actor) -> Result<()> {
    if actor.is_admin() {
        Ok(())
    } else {
        Err(Error::forbidden(
            "only system admins see the server's state",
        ))
    }
}

impl Core {
    /// The parts of the server and what it holds.
    pub async fn server_overview(&self, actor: &Actor) -> Result<ServerOverview> {
        admin_only(actor)?;
        let mut statistics = BTreeMap::new();
        for report in [Report::Standard, Report::Extra] {
            for row in self.analytics(actor, report, None).await? {
                statistics.insert(row.name, row.value);
            }
        }
        let database_kind = match database_kind(&self.config().effective_database_url()) {
            Ok(DatabaseKind::Postgres) => "postgres",
            _ => "sqlite",
        };
        // Listing a folder that is usually empty is the cheapest real call.
        let file_check = self.blobs.list("health").await.map(|_| ());
        let cluster = if self.config().redis_url.is_some() {
            PartStatus::of("redis", self.cluster_health().await)
        } else {
            PartStatus::of("in-process", Ok(()))
        };
        let hub = self.hub.stats();
        Ok(ServerOverview {
            version: env!("CARGO_PKG_VERSION").to_string(),
            database: PartStatus::of(database_kind, self.store.ping().await),
            file_store: PartStatus::of(self.blobs.kind(), file_check),
            cluster,
            sockets: i64::try_from(hub.active_connections).unwrap_or(i64::MAX),
            connected_users: i64::try_from(hub.users).unwrap_or(i64::MAX),
            statistics,
        })
    }

    /// Whether Redis, which carries events between nodes, answers a PING.
    async fn cluster_health(&self) -> Result<()> {
        let config = self.config();
        let url = config.redis_url.as_deref().unwrap_or_default();
        let unreachable = |e: redis::RedisError| Error::Unavailable(format!("redis: {e}"));
        let client = redis::Client::open(url).map_err(unreachable)?;
        let mut conn = crate::realtime::cluster::redis_connection(&client)
            .await
            .map_err(unreachable)?;
        redis::cmd("PING")
            .query_async::<String>(&mut conn)
            .await
            .map(|_| ())
            .map_err(unreachable)
    }

    /// The effective settings, secrets hidden.
    pub fn shown_settings(&self, actor: &Actor) -> Result<Vec<ShownSetting>> {
        admin_only(actor)?;
        Ok(self.config().shown_settings())
    }
}
