//! Scheduled posts (compiled once per dialect). Due rows are claimed with a
//! conditional `UPDATE … RETURNING`, as the push queue's are, so two nodes
//! never post the same one at once.

use super::prelude::*;

record!(ScheduledPost in "scheduled_posts" {
    id, create_at, update_at, user_id, channel_id, root_id, message, props: json,
    file_ids: json, priority: json, scheduled_at, processed_at, error_code,
});

#[async_trait]
impl ScheduledPostStore for Backend {
    async fn create_scheduled_post(&self, p: &ScheduledPost) -> Result<()> {
        p.bind_to(sqlx::query(&ScheduledPost::TABLE.insert()))
            .execute(&mut *self.writer().await?)
            .await?;
        Ok(())
    }

    async fn get_scheduled_post(&self, id: &str) -> Result<ScheduledPost> {
        find(
            &mut *self.writer().await?,
            "id = $1",
            &[id],
            "scheduled post",
        )
        .await
    }

    async fn list_user_scheduled_posts(
        &self,
        user_id: &str,
        team_id: &str,
    ) -> Result<Vec<ScheduledPost>> {
        // Joined with the channels, not the memberships: a post in a channel
        // its author left is still theirs to see (with its error).
        Ok(sqlx::query_as(&format!(
            "SELECT {} FROM scheduled_posts s JOIN channels c ON c.id = s.channel_id \
             WHERE s.user_id = $1 AND c.team_id = $2 \
             ORDER BY s.scheduled_at, s.create_at, s.id",
            ScheduledPost::TABLE.columns_of("s")
        ))
        .bind(user_id)
        .bind(team_id)
        .fetch_all(&mut *self.writer().await?)
        .await?)
    }

    async fn update_scheduled_post(&self, p: &ScheduledPost) -> Result<()> {
        let sql = ScheduledPost::TABLE.update(
            &["id"],
            &[
                "update_at",
                "message",
                "props",
                "file_ids",
                "priority",
                "scheduled_at",
                "processed_at",
                "error_code",
            ],
        );
        let done = p
            .bind_to(sqlx::query(&sql))
            .execute(&mut *self.writer().await?)
            .await?;
        changed(done, "scheduled post")
    }

    async fn delete_scheduled_post(&self, id: &str) -> Result<bool> {
        let done = sqlx::query("DELETE FROM scheduled_posts WHERE id = $1")
            .bind(id)
            .execute(&mut *self.writer().await?)
            .await?;
        Ok(done.rows_affected() > 0)
    }

    async fn claim_due_scheduled_posts(
        &self,
        now: i64,
        lease_until: i64,
        limit: i64,
    ) -> Result<Vec<ScheduledPost>> {
        // The outer conditions are checked again on a row another node just
        // claimed (PostgreSQL re-reads locked rows), so no post is taken twice.
        Ok(sqlx::query_as(&format!(
            "UPDATE scheduled_posts SET lease_until = $1 \
             WHERE scheduled_at <= $2 AND error_code = '' AND lease_until <= $2 AND id IN \
             (SELECT id FROM scheduled_posts \
              WHERE scheduled_at <= $2 AND error_code = '' AND lease_until <= $2 \
              ORDER BY scheduled_at, id LIMIT $3) \
             RETURNING {}",
            ScheduledPost::TABLE.columns()
        ))
        .bind(lease_until)
        .bind(now)
        .bind(limit)
        .fetch_all(&mut *self.writer().await?)
        .await?)
    }

    async fn fail_scheduled_post(
        &self,
        id: &str,
        error_code: &str,
        at: i64,
    ) -> Result<Option<ScheduledPost>> {
        Ok(sqlx::query_as(&format!(
            "UPDATE scheduled_posts SET error_code = $2, processed_at = $3, update_at = $3, lease_until = 0 \
             WHERE id = $1 RETURNING {}",
            ScheduledPost::TABLE.columns()
        ))
        .bind(id)
        .bind(error_code)
        .bind(at)
        .fetch_optional(&mut *self.writer().await?)
        .await?)
    }
}
