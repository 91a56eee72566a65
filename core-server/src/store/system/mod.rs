//! Server-wide values, and the health of the database.
//! Its SQL, for both dialects, is `sql.rs` beside this file.

use async_trait::async_trait;

use crate::error::Result;

/// Server-wide values, and the health of the database.
#[async_trait]
pub trait SystemStore: Send + Sync {
    /// `sqlite` or `postgres`.
    fn backend(&self) -> &'static str;

    /// Writes a consistent copy of the whole database to the file `dest`
    /// while the server runs (SQLite's `VACUUM INTO`). PostgreSQL is
    /// copied with its own tools instead: refused there.
    async fn snapshot_into(&self, dest: &str) -> Result<()>;

    /// Database connections open now, reading and writing together.
    fn open_connections(&self) -> u32;

    /// Checks that the database answers.
    async fn ping(&self) -> Result<()>;

    /// A server-wide value, if set.
    async fn get_system_value(&self, name: &str) -> Result<Option<String>>;

    /// Sets a server-wide value unless it is already set; returns the value in force.
    async fn init_system_value(&self, name: &str, value: &str) -> Result<String>;

    /// Sets a server-wide value, replacing any.
    async fn set_system_value(&self, name: &str, value: &str) -> Result<()>;

    /// Forgets a server-wide value.
    async fn delete_system_value(&self, name: &str) -> Result<()>;

    /// What the server holds, for administrators' statistics: of one team
    /// where given (channels, posts, members), else of the whole server.
    async fn server_counts(
        &self,
        team_id: Option<&str>,
        active: ActiveSince,
    ) -> Result<ServerCounts>;

    /// Posts per UTC day (days since the epoch) created at or after `since`,
    /// of bots only when asked, newest day first; with `distinct_authors`
    /// the count is of authors instead of posts.
    async fn posts_per_day(&self, per_day: PerDay<'_>) -> Result<Vec<(i64, i64)>>;
}

/// Which users count as active.
#[derive(Debug, Clone, Copy)]
pub struct ActiveSince {
    /// Active today: seen at or after this (ms).
    pub day: i64,
    /// Active this month: seen at or after this (ms).
    pub month: i64,
}

/// A per-day count of posts.
#[derive(Debug, Clone, Copy)]
pub struct PerDay<'a> {
    pub team_id: Option<&'a str>,
    /// From this time on (ms).
    pub since: i64,
    /// Until before this time (ms).
    pub until: i64,
    pub bots_only: bool,
    pub distinct_authors: bool,
}

/// Totals of a server or a team.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ServerCounts {
    pub open_channels: i64,
    pub private_channels: i64,
    pub posts: i64,
    /// People (no bots) with an active account, or the team's members.
    pub users: i64,
    pub teams: i64,
    pub daily_active_users: i64,
    pub monthly_active_users: i64,
    /// Deactivated people.
    pub inactive_users: i64,
    pub incoming_webhooks: i64,
    pub outgoing_webhooks: i64,
    pub sessions: i64,
    pub files: i64,
    pub file_bytes: i64,
    /// Connections the database pools hold now: writer, readers.
    pub write_connections: i64,
    pub read_connections: i64,
}
