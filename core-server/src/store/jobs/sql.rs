//! Background jobs (compiled once per dialect).

use super::prelude::*;

record!(Job in "jobs" {
    id, job_type, priority, create_at, start_at, last_activity_at, status, progress,
    data: json,
});

#[async_trait]
impl JobStore for Backend {
    async fn create_job(&self, j: &Job) -> Result<()> {
        j.bind_to(sqlx::query(&Job::TABLE.insert()))
            .execute(&mut *self.writer().await?)
            .await?;
        Ok(())
    }

    async fn get_job(&self, id: &str) -> Result<Job> {
        find(&mut *self.reader().await?, "id = $1", &[id], "job").await
    }

    async fn update_job(&self, j: &Job) -> Result<()> {
        let sql = Job::TABLE.update(
            &["id"],
            &["status", "progress", "start_at", "last_activity_at", "data"],
        );
        j.bind_to(sqlx::query(&sql))
            .execute(&mut *self.writer().await?)
            .await?;
        Ok(())
    }

    async fn set_job_status(&self, id: &str, from: &str, to: &str, at: i64) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE jobs SET status = $3, last_activity_at = $4 WHERE id = $1 AND status = $2",
        )
        .bind(id)
        .bind(from)
        .bind(to)
        .bind(at)
        .execute(&mut *self.writer().await?)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn set_job_progress(&self, id: &str, progress: i64, at: i64) -> Result<()> {
        sqlx::query("UPDATE jobs SET progress = $2, last_activity_at = $3 WHERE id = $1")
            .bind(id)
            .bind(progress)
            .bind(at)
            .execute(&mut *self.writer().await?)
            .await?;
        Ok(())
    }

    async fn list_unfinished_jobs(&self) -> Result<Vec<Job>> {
        Ok(sqlx::query_as(&format!(
            "{} WHERE status IN ($1, $2, $3) ORDER BY create_at, id",
            Job::TABLE.select()
        ))
        .bind(job_status::PENDING)
        .bind(job_status::IN_PROGRESS)
        .bind(job_status::CANCEL_REQUESTED)
        .fetch_all(&mut *self.reader().await?)
        .await?)
    }

    async fn count_jobs(&self) -> Result<Vec<(String, String, i64)>> {
        Ok(sqlx::query_as(
            "SELECT job_type, status, COUNT(*) FROM jobs GROUP BY job_type, status \
             ORDER BY job_type, status",
        )
        .fetch_all(&mut *self.reader().await?)
        .await?)
    }

    async fn list_jobs(&self, job_type: Option<&str>, offset: i64, limit: i64) -> Result<Vec<Job>> {
        Ok(sqlx::query_as(&format!(
            "{} WHERE ($1 = '' OR job_type = $1) \
             ORDER BY create_at DESC, id DESC LIMIT $2 OFFSET $3",
            Job::TABLE.select()
        ))
        .bind(job_type.unwrap_or(""))
        .bind(limit)
        .bind(offset)
        .fetch_all(&mut *self.reader().await?)
        .await?)
    }
}
