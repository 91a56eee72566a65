//! Jobs outlive the process that runs them: a running job records its node
//! and beats a heartbeat into `last_activity_at`; a node that starts finds
//! its own unfinished jobs from before (its identity is kept in the data
//! dir), and every node looks now and then for jobs whose heartbeat stopped
//! (their node died). Such a job runs again from the start — imports skip
//! what is already stored, exports write a new file — up to
//! [`MAX_ATTEMPTS`] times, then it fails with the reason.

use std::time::Duration;

use super::Core;
use crate::error::{Error, Result};
use crate::model::*;
use crate::time::now_ms;

/// How often a running job proves that its node is alive.
pub(crate) const HEARTBEAT: Duration = Duration::from_secs(10);
/// A job whose heartbeat is older than this lost its node.
const STALE_AFTER_MS: i64 = 60_000;
/// How often a node looks for jobs that lost theirs.
const SWEEP_EVERY: Duration = Duration::from_secs(30);
/// Runs of one job before an interruption is final.
pub const MAX_ATTEMPTS: u32 = 3;
/// `Job::data` keys of this bookkeeping.
pub const NODE_KEY: &str = "node";
pub const ATTEMPTS_KEY: &str = "attempts";

/// What happened to an interrupted job.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Recovered {
    /// Queued to run again.
    Restarted,
    /// Out of attempts: marked failed.
    Failed,
    /// Its cancel had been asked for: marked canceled.
    Canceled,
}

impl Core {
    /// This node's lasting identity: kept in the data dir, made on first use.
    pub async fn node_identity(&self) -> Result<String> {
        let path = self.config().data_dir.join("node-id");
        match tokio::fs::read_to_string(&path).await {
            Ok(id) if crate::id::is_valid_id(id.trim()) => Ok(id.trim().to_string()),
            _ => {
                let id = crate::id::new_id();
                tokio::fs::create_dir_all(&self.config().data_dir)
                    .await
                    .and(tokio::fs::write(&path, &id).await)
                    .map_err(|e| {
                        Error::Internal(format!("cannot write {}: {e}", path.display()))
                    })?;
                Ok(id)
            }
        }
    }

    /// Recovers at start-up, then keeps watching; for the server, not the CLI
    /// (which may run beside a server on the same database).
    pub fn start_job_recovery(&self) {
        let core = self.clone();
        tokio::spawn(async move {
            let mut at_start = true;
            loop {
                match core.recover_interrupted_jobs(at_start).await {
                    Ok(done) if !done.is_empty() => {
                        tracing::info!(jobs = done.len(), "recovered interrupted jobs")
                    }
                    Ok(_) => {}
                    Err(e) => tracing::warn!(error = %e, "could not look for interrupted jobs"),
                }
                at_start = false;
                tokio::time::sleep(SWEEP_EVERY).await;
            }
        });
    }

    /// Restarts, fails or cancels the unfinished jobs whose node is gone:
    /// this node's own (at start-up) and any whose heartbeat stopped.
    pub async fn recover_interrupted_jobs(
        &self,
        at_start: bool,
    ) -> Result<Vec<(String, Recovered)>> {
        let me = self.node_identity().await?;
        let stale_before = now_ms() - STALE_AFTER_MS;
        let mut done = Vec::new();
        for job in self.store.list_unfinished_jobs().await? {
            let mine = job.data.get(NODE_KEY).is_some_and(|n| *n == me);
            let heartbeat = job.last_activity_at.max(job.create_at);
            let lost = (at_start && mine) || heartbeat < stale_before;
            if !lost {
                continue;
            }
            if let Some(outcome) = self.recover_job(job).await? {
                done.push(outcome);
            }
        }
        Ok(done)
    }

    async fn recover_job(&self, job: Job) -> Result<Option<(String, Recovered)>> {
        let now = now_ms();
        let store = &self.store;
        if job.status == job_status::CANCEL_REQUESTED {
            let moved = store
                .set_job_status(
                    &job.id,
                    job_status::CANCEL_REQUESTED,
                    job_status::CANCELED,
                    now,
                )
                .await?;
            return Ok(moved.then_some((job.id, Recovered::Canceled)));
        }
        let attempts: u32 = job
            .data
            .get(ATTEMPTS_KEY)
            .and_then(|a| a.parse().ok())
            .unwrap_or(1);
        // Claim it (another node may be sweeping too): only one move succeeds.
        let claimed = store
            .set_job_status(&job.id, &job.status, job_status::PENDING, now)
            .await?;
        if !claimed {
            return Ok(None);
        }
        let mut job = store.get_job(&job.id).await?;
        if attempts >= MAX_ATTEMPTS {
            job.status = job_status::ERROR.to_string();
            job.last_activity_at = now;
            job.data.insert(
                "error".into(),
                format!("interrupted {attempts} times by a stopped server; not tried again"),
            );
            store.update_job(&job).await?;
            return Ok(Some((job.id, Recovered::Failed)));
        }
        job.progress = 0;
        job.last_activity_at = now;
        job.data
            .insert(ATTEMPTS_KEY.into(), (attempts + 1).to_string());
        store.update_job(&job).await?;
        tracing::info!(job_id = %job.id, attempt = attempts + 1, "running an interrupted job again");
        self.spawn_job(job.id.clone());
        Ok(Some((job.id, Recovered::Restarted)))
    }
}
