//! Server-wide values and the health check (compiled once per dialect).

use super::prelude::*;

#[async_trait]
impl SystemStore for Backend {
    fn backend(&self) -> &'static str {
        BACKEND
    }

    async fn snapshot_into(&self, dest: &str) -> Result<()> {
        if BACKEND != "sqlite" {
            return Err(Error::invalid(
                "database",
                "PostgreSQL is backed up with pg_dump, not a snapshot",
            ));
        }
        sqlx::query("VACUUM INTO $1")
            .bind(dest)
            .execute(&mut *self.reader().await?)
            .await?;
        Ok(())
    }

    fn open_connections(&self) -> u32 {
        self.connections_open()
    }

    async fn ping(&self) -> Result<()> {
        sqlx::query("SELECT 1")
            .execute(&mut *self.reader().await?)
            .await?;
        Ok(())
    }

    async fn get_system_value(&self, name: &str) -> Result<Option<String>> {
        Ok(
            sqlx::query_scalar("SELECT value FROM systems WHERE name = $1")
                .bind(name)
                .fetch_optional(&mut *self.reader().await?)
                .await?,
        )
    }

    async fn init_system_value(&self, name: &str, value: &str) -> Result<String> {
        // One turn at the writer: the value read is the one just kept.
        let mut writer = self.writer().await?;
        sqlx::query(
            "INSERT INTO systems (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
        )
        .bind(name)
        .bind(value)
        .execute(&mut *writer)
        .await?;
        Ok(
            sqlx::query_scalar("SELECT value FROM systems WHERE name = $1")
                .bind(name)
                .fetch_one(&mut *writer)
                .await?,
        )
    }

    async fn set_system_value(&self, name: &str, value: &str) -> Result<()> {
        sqlx::query(
            "INSERT INTO systems (name, value) VALUES ($1, $2) \
             ON CONFLICT (name) DO UPDATE SET value = excluded.value",
        )
        .bind(name)
        .bind(value)
        .execute(&mut *self.writer().await?)
        .await?;
        Ok(())
    }

    async fn delete_system_value(&self, name: &str) -> Result<()> {
        sqlx::query("DELETE FROM systems WHERE name = $1")
            .bind(name)
            .execute(&mut *self.writer().await?)
            .await?;
        Ok(())
    }

    async fn server_counts(
        &self,
        team_id: Option<&str>,
        active: ActiveSince,
    ) -> Result<ServerCounts> {
        let mut reader = self.reader().await?;
        let channels = |kind: &'static str| {
            let mut q = QueryBuilder::<Db>::new(
                "SELECT COUNT(*) FROM channels WHERE delete_at = 0 AND channel_type = ",
            );
            q.push_bind(kind);
            push_team(&mut q, "team_id", team_id);
            q
        };
        let mut posts = QueryBuilder::<Db>::new(
            "SELECT COUNT(*) FROM posts p JOIN channels c ON c.id = p.channel_id \
             WHERE p.delete_at = 0",
        );
        push_team(&mut posts, "c.team_id", team_id);
        let users = match team_id {
            Some(team) => {
                let mut q = QueryBuilder::<Db>::new(
                    "SELECT COUNT(*) FROM team_members m JOIN users u ON u.id = m.user_id \
                     WHERE m.delete_at = 0 AND u.delete_at = 0 AND m.team_id = ",
                );
                q.push_bind(team);
                q
            }
            None => QueryBuilder::<Db>::new(
                "SELECT COUNT(*) FROM users WHERE delete_at = 0 AND is_bot = FALSE",
            ),
        };
        let active_since = |since: i64| {
            let mut q = QueryBuilder::<Db>::new(
                "SELECT COUNT(*) FROM statuses s JOIN users u ON u.id = s.user_id \
                 WHERE u.delete_at = 0 AND u.is_bot = FALSE AND s.last_activity_at >= ",
            );
            q.push_bind(since);
            q
        };
        let plain = |sql: &'static str| QueryBuilder::<Db>::new(sql);
        Ok(ServerCounts {
            open_channels: count(&mut reader, channels(channel_types::OPEN)).await?,
            private_channels: count(&mut reader, channels(channel_types::PRIVATE)).await?,
            posts: count(&mut reader, posts).await?,
            users: count(&mut reader, users).await?,
            teams: count(&mut reader, plain("SELECT COUNT(*) FROM teams WHERE delete_at = 0")).await?,
            daily_active_users: count(&mut reader, active_since(active.day)).await?,
            monthly_active_users: count(&mut reader, active_since(active.month)).await?,
            inactive_users: count(
                &mut reader,
                plain("SELECT COUNT(*) FROM users WHERE delete_at <> 0 AND is_bot = FALSE"),
            )
            .await?,
            incoming_webhooks: {
                let mut q = QueryBuilder::<Db>::new(
                    "SELECT COUNT(*) FROM incoming_webhooks WHERE delete_at = 0",
                );
                push_team(&mut q, "team_id", team_id);
                count(&mut reader, q).await?
            },
            outgoing_webhooks: {
                let mut q = QueryBuilder::<Db>::new(
                    "SELECT COUNT(*) FROM outgoing_webhooks WHERE delete_at = 0",
                );
                push_team(&mut q, "team_id", team_id);
                count(&mut reader, q).await?
            },
            sessions: count(&mut reader, plain("SELECT COUNT(*) FROM sessions")).await?,
            files: count(
                &mut reader,
                plain("SELECT COUNT(*) FROM file_infos WHERE delete_at = 0"),
            )
            .await?,
            file_bytes: count(
                &mut reader,
                plain("SELECT CAST(COALESCE(SUM(size), 0) AS BIGINT) FROM file_infos WHERE delete_at = 0"),
            )
            .await?,
            write_connections: i64::from(self.write_connections()),
            read_connections: i64::from(self.read_connections()),
        })
    }

    async fn posts_per_day(&self, per_day: PerDay<'_>) -> Result<Vec<(i64, i64)>> {
        let counted = if per_day.distinct_authors {
            "COUNT(DISTINCT p.user_id)"
        } else {
            "COUNT(*)"
        };
        let mut q = QueryBuilder::<Db>::new(format!(
            "SELECT p.create_at / 86400000 AS day, {counted} FROM posts p \
             JOIN channels c ON c.id = p.channel_id JOIN users u ON u.id = p.user_id \
             WHERE p.delete_at = 0 AND p.create_at >= "
        ));
        q.push_bind(per_day.since);
        q.push(" AND p.create_at < ");
        q.push_bind(per_day.until);
        if per_day.bots_only {
            q.push(" AND u.is_bot = ");
            q.push_bind(true);
        }
        push_team(&mut q, "c.team_id", per_day.team_id);
        q.push(" GROUP BY day ORDER BY day DESC");
        Ok(q.build_query_as()
            .fetch_all(&mut *self.reader().await?)
            .await?)
    }
}

/// Limits a count to one team's rows when a team is given.
fn push_team<'a>(q: &mut QueryBuilder<'a, Db>, column: &str, team_id: Option<&'a str>) {
    if let Some(team) = team_id {
        q.push(format!(" AND {column} = "));
        q.push_bind(team);
    }
}

/// The single number a `SELECT COUNT(*)` (or `SUM`) answers.
async fn count(conn: &mut DbConnection, mut q: QueryBuilder<'_, Db>) -> Result<i64> {
    Ok(q.build_query_scalar().fetch_one(conn).await?)
}
