use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::StringMap;

/// Job types this server runs.
pub mod job_types {
    /// Imports a bulk file from the imports folder.
    pub const IMPORT_PROCESS: &str = "import_process";
    /// Writes a bulk export into the exports folder.
    pub const EXPORT_PROCESS: &str = "export_process";
}

/// Job states, as Mattermost names them.
pub mod job_status {
    pub const PENDING: &str = "pending";
    pub const IN_PROGRESS: &str = "in_progress";
    pub const SUCCESS: &str = "success";
    /// Done, with lines skipped.
    pub const WARNING: &str = "warning";
    pub const ERROR: &str = "error";
    pub const CANCEL_REQUESTED: &str = "cancel_requested";
    pub const CANCELED: &str = "canceled";
}

/// A background job and how far it got.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Job {
    pub id: String,
    #[serde(rename = "type")]
    pub job_type: String,
    pub priority: i64,
    pub create_at: i64,
    pub start_at: i64,
    pub last_activity_at: i64,
    pub status: String,
    /// Percent done.
    pub progress: i64,
    /// Inputs (`import_file`) and results (`export_file`, `error`, …).
    pub data: StringMap,
}

impl Job {
    /// Whether the job has ended, one way or another.
    pub fn is_finished(&self) -> bool {
        matches!(
            self.status.as_str(),
            job_status::SUCCESS | job_status::WARNING | job_status::ERROR | job_status::CANCELED
        )
    }
}
