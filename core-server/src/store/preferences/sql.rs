//! Preferences, sidebars and statuses (compiled once per dialect).

use super::prelude::*;

record!(Preference in "preferences" {
    user_id, category, name, value,
});

record!(Status in "statuses" {
    user_id, status, manual, last_activity_at, dnd_end_time, prev_status,
});

#[async_trait]
impl PreferenceStore for Backend {
    async fn save_preferences(&self, preferences: &[Preference]) -> Result<()> {
        let sql = Preference::TABLE.upsert("user_id, category, name", &["value"]);
        let preferences = preferences.to_vec();
        self.write_job(move |writer| {
            Box::pin(async move {
                let mut tx = writer.begin().await?;
                for p in &preferences {
                    p.bind_to(sqlx::query(&sql)).execute(&mut *tx).await?;
                }
                tx.commit().await?;
                Ok(())
            })
        })
        .await
    }

    async fn delete_preferences(&self, user_id: &str, keys: &[(String, String)]) -> Result<()> {
        let mut writer = self.writer().await?;
        let mut tx = writer.begin().await?;
        for (category, name) in keys {
            sqlx::query(
                "DELETE FROM preferences WHERE user_id = $1 AND category = $2 AND name = $3",
            )
            .bind(user_id)
            .bind(category)
            .bind(name)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn list_preferences(&self, user_id: &str) -> Result<Vec<Preference>> {
        Ok(sqlx::query_as(&format!(
            "{} WHERE user_id = $1 ORDER BY category, name",
            Preference::TABLE.select()
        ))
        .bind(user_id)
        .fetch_all(&mut *self.reader().await?)
        .await?)
    }

    async fn list_post_flaggers(&self, post_ids: &[String]) -> Result<Vec<(String, String)>> {
        let head = "SELECT name, user_id FROM preferences \
                    WHERE category = 'flagged_post' AND value = 'true' AND ";
        fetch_in(
            &mut *self.reader().await?,
            head,
            "name",
            post_ids,
            "ORDER BY name, user_id",
        )
        .await
    }

    async fn get_sidebar(&self, user_id: &str, team_id: &str) -> Result<Option<String>> {
        Ok(
            sqlx::query_scalar("SELECT doc FROM sidebars WHERE user_id = $1 AND team_id = $2")
                .bind(user_id)
                .bind(team_id)
                .fetch_optional(&mut *self.reader().await?)
                .await?,
        )
    }

    async fn save_sidebar(&self, user_id: &str, team_id: &str, doc: &str) -> Result<()> {
        sqlx::query(&format!(
            "INSERT INTO sidebars (user_id, team_id, doc) VALUES ($1, $2, $3) {}",
            on_conflict("user_id, team_id", &["doc"])
        ))
        .bind(user_id)
        .bind(team_id)
        .bind(doc)
        .execute(&mut *self.writer().await?)
        .await?;
        Ok(())
    }

    async fn save_status(&self, s: &Status) -> Result<()> {
        let sql = Status::TABLE.upsert(
            "user_id",
            &[
                "status",
                "manual",
                "last_activity_at",
                "dnd_end_time",
                "prev_status",
            ],
        );
        let s = s.clone();
        self.write_job(move |c| {
            Box::pin(async move {
                s.bind_to(sqlx::query(&sql)).execute(&mut *c).await?;
                Ok(())
            })
        })
        .await
    }

    async fn get_status(&self, user_id: &str) -> Result<Option<Status>> {
        Ok(
            sqlx::query_as(&format!("{} WHERE user_id = $1", Status::TABLE.select()))
                .bind(user_id)
                .fetch_optional(&mut *self.reader().await?)
                .await?,
        )
    }

    async fn get_statuses(&self, user_ids: &[String]) -> Result<Vec<Status>> {
        let head = format!("{} WHERE ", Status::TABLE.select());
        fetch_in(&mut *self.reader().await?, &head, "user_id", user_ids, "").await
    }

    async fn list_expired_dnd(&self, now_seconds: i64) -> Result<Vec<Status>> {
        Ok(sqlx::query_as(&format!(
            "{} WHERE status = 'dnd' AND dnd_end_time > 0 AND dnd_end_time <= $1",
            Status::TABLE.select()
        ))
        .bind(now_seconds)
        .fetch_all(&mut *self.reader().await?)
        .await?)
    }
}
