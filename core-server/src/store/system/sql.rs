//! Server-wide values and the health check (compiled once per dialect).

use super::prelude::*;

#[async_trait]
impl SystemStore for Backend {
    fn backend(&self) -> &'static str {
        BACKEND
    }

    async fn ping(&self) -> Result<()> {
        sqlx::query("SELECT 1").execute(&self.read).await?;
        Ok(())
    }

    async fn get_system_value(&self, name: &str) -> Result<Option<String>> {
        Ok(
            sqlx::query_scalar("SELECT value FROM systems WHERE name = $1")
                .bind(name)
                .fetch_optional(&self.read)
                .await?,
        )
    }

    async fn init_system_value(&self, name: &str, value: &str) -> Result<String> {
        sqlx::query(
            "INSERT INTO systems (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
        )
        .bind(name)
        .bind(value)
        .execute(&self.write)
        .await?;
        Ok(
            sqlx::query_scalar("SELECT value FROM systems WHERE name = $1")
                .bind(name)
                .fetch_one(&self.write)
                .await?,
        )
    }
}
