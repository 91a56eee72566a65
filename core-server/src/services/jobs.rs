//! Background jobs an administrator starts through the API: importing a bulk
//! file from the imports folder, and writing a bulk export into the exports
//! folder (both folders of the blob store, so every node sees them). The
//! node that accepts a job runs it; its state lives in the database.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use super::job_recovery::{ATTEMPTS_KEY, HEARTBEAT, NODE_KEY};
use super::{validate, Actor, Core};
use crate::bulk::{self, Observer, Report};
use crate::error::{Error, Result};
use crate::files::{Blob, ByteStream};
use crate::id::new_id;
use crate::model::*;
use crate::time::now_ms;

/// Blob folder of uploaded bulk files.
pub const IMPORTS_FOLDER: &str = "imports";
/// Blob folder of finished exports.
pub const EXPORTS_FOLDER: &str = "exports";
/// A running job writes its progress at most this often.
const PROGRESS_EVERY: Duration = Duration::from_secs(2);
/// The largest bulk file an import accepts (uploads included).
pub const MAX_IMPORT_BYTES: u64 = 64 * 1024 * 1024 * 1024;

/// An import or export file name: one path segment, nothing hidden.
fn check_file_name(field: &str, name: &str) -> Result<()> {
    let ok = !name.is_empty()
        && name.len() <= 255
        && !name.starts_with('.')
        && !name.contains(['/', '\\'])
        && !name.contains(".part-");
    if ok {
        Ok(())
    } else {
        Err(Error::invalid(field, "is not a file name"))
    }
}

fn admin_only(actor: &Actor) -> Result<()> {
    if actor.is_admin() {
        Ok(())
    } else {
        Err(Error::forbidden("only a system admin may manage jobs"))
    }
}

impl Core {
    /// Starts a job; it runs in the background on this node.
    pub async fn create_job(
        &self,
        actor: &Actor,
        job_type: &str,
        mut data: StringMap,
    ) -> Result<Job> {
        admin_only(actor)?;
        match job_type {
            job_types::IMPORT_PROCESS => {
                let file = data
                    .get("import_file")
                    .cloned()
                    .ok_or_else(|| Error::invalid("data.import_file", "is required"))?;
                check_file_name("data.import_file", &file)?;
                if !self.blobs.list(IMPORTS_FOLDER).await?.contains(&file) {
                    return Err(Error::invalid(
                        "data.import_file",
                        format!("{file} is not among the uploaded imports"),
                    ));
                }
            }
            job_types::EXPORT_PROCESS => {}
            other => {
                return Err(Error::invalid(
                    "type",
                    format!("{other:?} is not a job type this server runs"),
                ))
            }
        }
        data.retain(|k, _| {
            ![
                "error",
                "export_file",
                "line_errors",
                NODE_KEY,
                ATTEMPTS_KEY,
            ]
            .contains(&k.as_str())
        });
        let job = Job {
            id: new_id(),
            job_type: job_type.to_string(),
            priority: 0,
            create_at: now_ms(),
            start_at: 0,
            last_activity_at: 0,
            status: job_status::PENDING.to_string(),
            progress: 0,
            data,
        };
        self.store.create_job(&job).await?;
        self.spawn_job(job.id.clone());
        Ok(job)
    }

    pub async fn get_job(&self, actor: &Actor, id: &str) -> Result<Job> {
        admin_only(actor)?;
        validate::id("job_id", id)?;
        self.store.get_job(id).await
    }

    /// Jobs newest first, optionally of one type.
    pub async fn list_jobs(
        &self,
        actor: &Actor,
        job_type: Option<&str>,
        page: i64,
        per_page: i64,
    ) -> Result<Vec<Job>> {
        admin_only(actor)?;
        let per_page = per_page.clamp(1, 200);
        self.store
            .list_jobs(job_type, page.max(0).saturating_mul(per_page), per_page)
            .await
    }

    /// Cancels a job: at once while pending, at its next step while running.
    pub async fn cancel_job(&self, actor: &Actor, id: &str) -> Result<()> {
        let job = self.get_job(actor, id).await?;
        let now = now_ms();
        let store = &self.store;
        if store
            .set_job_status(id, job_status::PENDING, job_status::CANCELED, now)
            .await?
            || store
                .set_job_status(
                    id,
                    job_status::IN_PROGRESS,
                    job_status::CANCEL_REQUESTED,
                    now,
                )
                .await?
        {
            return Ok(());
        }
        Err(Error::invalid(
            "job_id",
            format!("the job is {} and cannot be canceled", job.status),
        ))
    }

    /// Names of the uploaded bulk files.
    pub async fn list_imports(&self, actor: &Actor) -> Result<Vec<String>> {
        admin_only(actor)?;
        self.blobs.list(IMPORTS_FOLDER).await
    }

    pub async fn delete_import(&self, actor: &Actor, name: &str) -> Result<()> {
        admin_only(actor)?;
        check_file_name("import_name", name)?;
        self.blobs.delete(&format!("{IMPORTS_FOLDER}/{name}")).await
    }

    /// Stores a bulk file an admin uploads in one request (the web app's
    /// console); the name it is kept under, to start an import with.
    pub async fn upload_import(
        &self,
        actor: &Actor,
        filename: &str,
        body: ByteStream<'_>,
    ) -> Result<String> {
        admin_only(actor)?;
        self.store_import(&crate::id::new_id(), filename, body)
            .await
    }

    /// Names of the finished exports.
    pub async fn list_exports(&self, actor: &Actor) -> Result<Vec<String>> {
        admin_only(actor)?;
        self.blobs.list(EXPORTS_FOLDER).await
    }

    /// An export's bytes, for download.
    pub async fn open_export(&self, actor: &Actor, name: &str) -> Result<Blob> {
        admin_only(actor)?;
        check_file_name("export_name", name)?;
        self.blobs
            .get(&format!("{EXPORTS_FOLDER}/{name}"))
            .await
            .map_err(|e| match e {
                Error::NotFound { .. } => Error::not_found("export"),
                other => other,
            })
    }

    pub async fn delete_export(&self, actor: &Actor, name: &str) -> Result<()> {
        admin_only(actor)?;
        check_file_name("export_name", name)?;
        self.blobs.delete(&format!("{EXPORTS_FOLDER}/{name}")).await
    }

    /// The name an import upload is kept under, checked before any byte arrives.
    pub(crate) fn import_name(upload_id: &str, filename: &str) -> Result<String> {
        let name = format!("{upload_id}_{filename}");
        check_file_name("filename", &name)?;
        Ok(name)
    }

    /// Stores a finished import upload in the imports folder.
    pub(crate) async fn store_import(
        &self,
        upload_id: &str,
        filename: &str,
        body: ByteStream<'_>,
    ) -> Result<String> {
        let name = Self::import_name(upload_id, filename)?;
        self.blobs
            .put_stream(&format!("{IMPORTS_FOLDER}/{name}"), body, MAX_IMPORT_BYTES)
            .await?;
        Ok(name)
    }

    /// Runs a job in the background on this node; whatever fails, the job
    /// does not stay in progress.
    pub(crate) fn spawn_job(&self, id: String) {
        let core = self.clone();
        tokio::spawn(async move {
            if let Err(e) = core.run_job(&id).await {
                tracing::warn!(job_id = %id, error = %e, "job failed");
                if let Ok(mut job) = core.store.get_job(&id).await {
                    if !job.is_finished() {
                        job.status = job_status::ERROR.to_string();
                        job.last_activity_at = now_ms();
                        job.data.insert("error".into(), e.to_string());
                        let _ = core.store.update_job(&job).await;
                    }
                }
                let _ =
                    tokio::fs::remove_dir_all(core.config().data_dir.join("jobs").join(&id)).await;
            }
        });
    }

    /// Proves, while a job runs, that its node is alive (see `job_recovery`).
    fn beat_heartbeat(&self, id: &str) -> tokio::task::JoinHandle<()> {
        let (core, id) = (self.clone(), id.to_string());
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(HEARTBEAT);
            loop {
                tick.tick().await;
                for status in [job_status::IN_PROGRESS, job_status::CANCEL_REQUESTED] {
                    if let Err(e) = core
                        .store
                        .set_job_status(&id, status, status, now_ms())
                        .await
                    {
                        tracing::warn!(job_id = %id, error = %e, "could not beat a job's heartbeat");
                    }
                }
            }
        })
    }

    async fn run_job(&self, id: &str) -> Result<()> {
        let now = now_ms();
        if !self
            .store
            .set_job_status(id, job_status::PENDING, job_status::IN_PROGRESS, now)
            .await?
        {
            return Ok(()); // canceled before it started
        }
        let mut job = self.store.get_job(id).await?;
        job.start_at = now;
        job.last_activity_at = now;
        job.data
            .insert(NODE_KEY.into(), self.node_identity().await?);
        job.data
            .entry(ATTEMPTS_KEY.into())
            .or_insert_with(|| "1".into());
        self.store.update_job(&job).await?;
        let scratch = self.config().data_dir.join("jobs").join(&job.id);
        let heartbeat = self.beat_heartbeat(&job.id);
        let outcome = match job.job_type.as_str() {
            job_types::IMPORT_PROCESS => self.run_import(&job, &scratch).await,
            _ => self.run_export(&job, &scratch).await,
        };
        heartbeat.abort();
        let _ = tokio::fs::remove_dir_all(&scratch).await;
        let mut job = self.store.get_job(id).await?;
        job.last_activity_at = now_ms();
        match outcome {
            Ok(JobEnd::Done(extra)) => {
                job.progress = 100;
                job.status = if extra.contains_key("line_errors") {
                    job_status::WARNING
                } else {
                    job_status::SUCCESS
                }
                .to_string();
                job.data.extend(extra);
            }
            Ok(JobEnd::Canceled) => job.status = job_status::CANCELED.to_string(),
            Err(e) => {
                job.status = job_status::ERROR.to_string();
                job.data.insert("error".into(), e.to_string());
            }
        }
        self.store.update_job(&job).await
    }

    async fn run_import(&self, job: &Job, scratch: &PathBuf) -> Result<JobEnd> {
        let name = job.data.get("import_file").cloned().unwrap_or_default();
        // The archive is read at random (its attachments), so it is copied
        // from the blob store to a local file first.
        tokio::fs::create_dir_all(scratch)
            .await
            .map_err(|e| Error::Internal(format!("cannot create {}: {e}", scratch.display())))?;
        let local = scratch.join(&name);
        let blob = self.blobs.get(&format!("{IMPORTS_FOLDER}/{name}")).await?;
        copy_to_file(blob.body, &local).await?;
        let mut observer = JobProgress::new(self.clone(), job.id.clone());
        let outcome = bulk::import_file(self, &local, false, &mut observer)
            .await
            .map_err(|e| Error::Internal(e.to_string()))?;
        if observer.canceled {
            return Ok(JobEnd::Canceled);
        }
        let mut extra = StringMap::new();
        let w = outcome.written;
        extra.insert("posts_read".into(), outcome.posts_read.to_string());
        extra.insert("new_posts".into(), w.posts.to_string());
        extra.insert("new_users".into(), w.users.to_string());
        if outcome.report.error_count > 0 {
            extra.insert("line_errors".into(), outcome.report.error_count.to_string());
            let first: Vec<String> = outcome
                .report
                .errors
                .iter()
                .take(10)
                .map(|(n, reason)| format!("line {n}: {reason}"))
                .collect();
            extra.insert("error".into(), first.join("; "));
        }
        Ok(JobEnd::Done(extra))
    }

    async fn run_export(&self, job: &Job, scratch: &PathBuf) -> Result<JobEnd> {
        tokio::fs::create_dir_all(scratch)
            .await
            .map_err(|e| Error::Internal(format!("cannot create {}: {e}", scratch.display())))?;
        let name = format!("{}.zip", job.id);
        let local = scratch.join(&name);
        bulk::export::export_zip(self, &local, &mut |_| {})
            .await
            .map_err(|e| Error::Internal(e.to_string()))?;
        let status = self.store.get_job(&job.id).await?.status;
        if status == job_status::CANCEL_REQUESTED || status == job_status::CANCELED {
            return Ok(JobEnd::Canceled);
        }
        let file = tokio::fs::File::open(&local)
            .await
            .map_err(|e| Error::Internal(e.to_string()))?;
        let body: ByteStream<'static> = Box::pin(tokio_util::io::ReaderStream::with_capacity(
            file,
            256 * 1024,
        ));
        self.blobs
            .put_stream(&format!("{EXPORTS_FOLDER}/{name}"), body, u64::MAX)
            .await?;
        let mut extra = StringMap::new();
        extra.insert("export_file".into(), name);
        Ok(JobEnd::Done(extra))
    }
}

/// How a job ended without failing.
enum JobEnd {
    Done(StringMap),
    Canceled,
}

async fn copy_to_file(mut body: ByteStream<'static>, path: &PathBuf) -> Result<()> {
    use futures::StreamExt;
    use tokio::io::AsyncWriteExt;
    let io = |e: std::io::Error| Error::Internal(format!("cannot write {}: {e}", path.display()));
    let mut file = tokio::fs::File::create(path).await.map_err(io)?;
    while let Some(chunk) = body.next().await {
        file.write_all(&chunk.map_err(io)?).await.map_err(io)?;
    }
    file.flush().await.map_err(io)
}

/// Writes an import's progress into its job now and then, and stops the
/// import when the job is canceled.
struct JobProgress {
    core: Core,
    job_id: String,
    last: Instant,
    canceled: bool,
    percent: i64,
}

impl JobProgress {
    fn new(core: Core, job_id: String) -> Self {
        JobProgress {
            core,
            job_id,
            last: Instant::now(),
            canceled: false,
            percent: 0,
        }
    }
}

#[async_trait::async_trait]
impl Observer for JobProgress {
    fn progress(&mut self, offset: u64, size: u64, _report: &Report) {
        // 99 at most: the last step (recounting) is still ahead.
        self.percent = i64::try_from(offset.saturating_mul(100) / size.max(1))
            .unwrap_or(0)
            .min(99);
    }

    fn bad_line(&mut self, _number: u64, _reason: &str) {}

    async fn keep_going(&mut self) -> bool {
        if self.last.elapsed() < PROGRESS_EVERY {
            return true;
        }
        self.last = Instant::now();
        let store = &self.core.store;
        match store.get_job(&self.job_id).await {
            Ok(job)
                if job.status == job_status::CANCEL_REQUESTED
                    || job.status == job_status::CANCELED =>
            {
                self.canceled = true;
                false
            }
            Ok(_) => {
                if let Err(e) = store
                    .set_job_progress(&self.job_id, self.percent, now_ms())
                    .await
                {
                    tracing::warn!(job_id = %self.job_id, error = %e, "could not record progress");
                }
                true
            }
            Err(_) => true,
        }
    }
}
