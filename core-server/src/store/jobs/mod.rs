//! Background jobs (imports, exports) and their progress.
//! Its SQL, for both dialects, is `sql.rs` beside this file.

use async_trait::async_trait;

use crate::error::Result;
use crate::model::*;

/// Background jobs (imports, exports) and their progress.
#[async_trait]
pub trait JobStore: Send + Sync {
    async fn create_job(&self, job: &Job) -> Result<()>;

    async fn get_job(&self, id: &str) -> Result<Job>;

    /// Writes a job's status, progress, times and data.
    async fn update_job(&self, job: &Job) -> Result<()>;

    /// Moves a job from one status to another; `false` when it was not in `from`.
    async fn set_job_status(&self, id: &str, from: &str, to: &str, at: i64) -> Result<bool>;

    /// Records how far a running job got.
    async fn set_job_progress(&self, id: &str, progress: i64, at: i64) -> Result<()>;

    /// Jobs not finished (pending, in progress or asked to cancel), oldest first.
    async fn list_unfinished_jobs(&self) -> Result<Vec<Job>>;

    /// Jobs newest first, optionally of one type.
    /// How many jobs there are of each type and status (for the metrics).
    async fn count_jobs(&self) -> Result<Vec<(String, String, i64)>>;

    async fn list_jobs(&self, job_type: Option<&str>, offset: i64, limit: i64) -> Result<Vec<Job>>;
}
