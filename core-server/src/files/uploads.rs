//! Resumable uploads: a client announces a file (name, size, channel), then
//! sends its bytes in parts, each at the offset the server last reported.
//! Each part is stored as its own blob; when the last byte arrives the parts
//! are streamed, in order, through the ordinary upload path (typing,
//! previews) into one file, and the session is removed.

use std::collections::HashSet;
use std::sync::{Mutex, OnceLock};

use futures::{StreamExt, TryStreamExt};

use super::blob::ByteStream;
use super::service::ORPHAN_AFTER_MS;
use super::sniff;
use crate::error::{Error, Result};
use crate::model::{FileInfo, UploadPart, UploadSession};
use crate::services::{validate, Actor, Core};
use crate::time::now_ms;

/// The only kind of upload served: a file for a channel.
pub const KIND_ATTACHMENT: &str = "attachment";
/// Upload kind of a bulk file for an import job (administrators only).
pub const KIND_IMPORT: &str = "import";
/// A first part smaller than this must complete the file (as Mattermost:
/// its clients send large first parts, and a tiny one is a client bug).
pub const MIN_FIRST_PART: u64 = 5 * 1024 * 1024;
/// How long one request may hold an upload's finishing: a claim older than
/// this was left by a server that stopped mid-way, and the client's retry
/// finishes the upload instead of being told someone else is.
const FINISH_LEASE_MS: i64 = 15 * 60 * 1000;

/// Upload sessions receiving a part on this node right now. Two parts for
/// one session at once is a client error; the database's compare-and-set
/// on the offset settles races between nodes.
fn busy() -> &'static Mutex<HashSet<String>> {
    static BUSY: OnceLock<Mutex<HashSet<String>>> = OnceLock::new();
    BUSY.get_or_init(Default::default)
}

/// Holds an upload's place in [`busy`] until dropped.
struct PartGuard(String);

impl PartGuard {
    fn take(upload_id: &str) -> Result<Self> {
        let mut set = busy()
            .lock()
            .map_err(|_| Error::Internal("upload lock poisoned".into()))?;
        if !set.insert(upload_id.to_string()) {
            return Err(concurrent());
        }
        Ok(PartGuard(upload_id.to_string()))
    }
}

impl Drop for PartGuard {
    fn drop(&mut self) {
        if let Ok(mut set) = busy().lock() {
            set.remove(&self.0);
        }
    }
}

fn part_too_long(remaining: u64) -> Error {
    Error::invalid(
        "content_length",
        format!("the part is longer than the {remaining} bytes the upload still expects"),
    )
}

fn concurrent() -> Error {
    Error::Conflict {
        field: "file_offset".into(),
        reason: "another part of this upload is being received".into(),
    }
}

/// What a received part did to its upload.
#[derive(Debug)]
pub enum PartOutcome {
    /// More bytes are expected; the session says how many have arrived.
    Incomplete(UploadSession),
    /// The file is complete and recorded.
    Complete(FileInfo),
    /// A bulk file is complete and waits in the imports folder under this name.
    Imported(String),
}

impl Core {
    /// Starts a resumable upload of `file_size` bytes into a channel the
    /// actor may post in.
    pub async fn create_upload(
        &self,
        actor: &Actor,
        channel_id: &str,
        filename: &str,
        file_size: i64,
    ) -> Result<UploadSession> {
        validate::id("channel_id", channel_id)?;
        if filename.trim().is_empty() {
            return Err(Error::invalid("filename", "must not be empty"));
        }
        if file_size <= 0 {
            return Err(Error::invalid("file_size", "must be greater than 0"));
        }
        if u64::try_from(file_size).unwrap_or(u64::MAX) > self.config().max_file_size {
            return Err(super::blob::too_large(self.config().max_file_size));
        }
        self.check_upload(actor, channel_id).await?;
        let upload = UploadSession {
            id: crate::id::new_id(),
            kind: KIND_ATTACHMENT.to_string(),
            user_id: actor.id().to_string(),
            channel_id: channel_id.to_string(),
            filename: sniff::sanitize_name(filename),
            file_size,
            file_offset: 0,
            create_at: now_ms(),
        };
        self.store.create_upload(&upload).await?;
        Ok(upload)
    }

    /// Starts a resumable upload of a bulk file for an import job.
    pub async fn create_import_upload(
        &self,
        actor: &Actor,
        filename: &str,
        file_size: i64,
    ) -> Result<UploadSession> {
        if !actor.is_admin() {
            return Err(Error::forbidden("only a system admin may upload imports"));
        }
        let filename = sniff::sanitize_name(filename);
        if filename.trim().is_empty() {
            return Err(Error::invalid("filename", "must not be empty"));
        }
        if file_size <= 0 {
            return Err(Error::invalid("file_size", "must be greater than 0"));
        }
        let max = crate::services::jobs::MAX_IMPORT_BYTES;
        if u64::try_from(file_size).unwrap_or(u64::MAX) > max {
            return Err(super::blob::too_large(max));
        }
        let id = crate::id::new_id();
        Core::import_name(&id, &filename)?;
        let upload = UploadSession {
            id,
            kind: KIND_IMPORT.to_string(),
            user_id: actor.id().to_string(),
            channel_id: String::new(),
            filename,
            file_size,
            file_offset: 0,
            create_at: now_ms(),
        };
        self.store.create_upload(&upload).await?;
        Ok(upload)
    }

    /// An upload session, for its owner or a system admin.
    pub async fn get_upload(&self, actor: &Actor, upload_id: &str) -> Result<UploadSession> {
        validate::id("upload_id", upload_id)?;
        let upload = self.store.get_upload(upload_id).await?;
        if !actor.is_self_or_admin(&upload.user_id) {
            return Err(Error::forbidden("the upload belongs to another user"));
        }
        Ok(upload)
    }

    /// A user's unfinished uploads; only the user may list them.
    pub async fn list_uploads(&self, actor: &Actor, user_id: &str) -> Result<Vec<UploadSession>> {
        validate::id("user_id", user_id)?;
        if actor.id() != user_id {
            return Err(Error::forbidden("only the user may list their uploads"));
        }
        self.store.list_user_uploads(user_id).await
    }

    /// Receives the next part of an upload, at the session's offset. A part
    /// may not run past the announced size; `declared_len` (the request's
    /// Content-Length, when known) is checked before reading anything.
    pub async fn upload_part(
        &self,
        actor: &Actor,
        upload_id: &str,
        declared_len: Option<u64>,
        body: ByteStream<'_>,
    ) -> Result<PartOutcome> {
        validate::id("upload_id", upload_id)?;
        let upload = self.store.get_upload(upload_id).await?;
        if upload.user_id != actor.id() {
            return Err(Error::forbidden("the upload belongs to another user"));
        }
        if upload.kind == KIND_IMPORT {
            if !actor.is_admin() {
                return Err(Error::forbidden("only a system admin may upload imports"));
            }
        } else {
            self.check_upload(actor, &upload.channel_id).await?;
        }
        let _guard = PartGuard::take(&upload.id)?;
        // Read again under the guard: a part may have landed meanwhile.
        let mut upload = self.store.get_upload(upload_id).await?;
        let remaining = u64::try_from(upload.file_size - upload.file_offset).unwrap_or(0);
        if declared_len.is_some_and(|len| len > remaining) {
            return Err(part_too_long(remaining));
        }
        // A session whose bytes all arrived but whose file was not made
        // (storage outage) is finished by its next request.
        if remaining > 0 {
            let part = self.store_part(&upload, body, remaining).await?;
            if part.size == 0 {
                return Ok(PartOutcome::Incomplete(upload));
            }
            upload.file_offset += part.size;
        }
        if upload.file_offset < upload.file_size {
            return Ok(PartOutcome::Incomplete(upload));
        }
        // One finisher per upload, across nodes: the others are told so.
        let now = now_ms();
        if !self
            .store
            .claim_upload_finish(&upload.id, now, now - FINISH_LEASE_MS)
            .await?
        {
            return Err(concurrent());
        }
        let finished = if upload.kind == KIND_IMPORT {
            self.finish_import_upload(&upload)
                .await
                .map(PartOutcome::Imported)
        } else {
            self.finish_upload(actor, &upload)
                .await
                .map(PartOutcome::Complete)
        };
        if finished.is_err() {
            // Still there (a storage outage): let a retry finish it.
            if let Err(e) = self.store.release_upload_finish(&upload.id).await {
                tracing::warn!(error = %e, upload_id = %upload.id, "could not reopen an upload");
            }
        }
        finished
    }

    /// A complete upload's parts, in order, as one stream (each part opened
    /// only when the previous one has been read).
    async fn joined_parts(&self, upload: &UploadSession) -> Result<ByteStream<'static>> {
        let parts = self.store.list_upload_parts(&upload.id).await?;
        let mut expected = 0;
        for part in &parts {
            if part.start_offset != expected {
                return Err(Error::Internal(format!(
                    "upload {} has a gap at byte {expected}",
                    upload.id
                )));
            }
            expected += part.size;
        }
        let blobs = self.blobs.clone();
        let keys: Vec<String> = parts.iter().map(|p| p.blob_key.clone()).collect();
        Ok(Box::pin(
            futures::stream::iter(keys)
                .then(move |key| {
                    let blobs = blobs.clone();
                    async move { blobs.get(&key).await }
                })
                .map_err(|e| std::io::Error::other(e.to_string()))
                .map_ok(|blob| blob.body)
                .try_flatten(),
        ))
    }

    /// Joins a complete import upload into the imports folder.
    async fn finish_import_upload(&self, upload: &UploadSession) -> Result<String> {
        let joined = self.joined_parts(upload).await?;
        let name = self
            .store_import(&upload.id, &upload.filename, joined)
            .await?;
        if let Err(e) = self.remove_upload(upload).await {
            tracing::warn!(error = %e, upload_id = %upload.id, "could not delete a finished upload");
        }
        Ok(name)
    }

    /// Stores one part as its own blob and records it.
    async fn store_part(
        &self,
        upload: &UploadSession,
        body: ByteStream<'_>,
        remaining: u64,
    ) -> Result<UploadPart> {
        // Unique per attempt, so a losing racer never overwrites the winner.
        let key = format!(
            "uploads/{}/{}-{}",
            upload.id,
            upload.file_offset,
            crate::id::new_id()
        );
        let size = self
            .blobs
            .put_stream(&key, body, remaining)
            .await
            .map_err(|e| match e {
                Error::TooLarge(_) => part_too_long(remaining),
                other => other,
            })?;
        let part = UploadPart {
            start_offset: upload.file_offset,
            size: i64::try_from(size).unwrap_or(i64::MAX),
            blob_key: key,
        };
        let completes = part.start_offset + part.size == upload.file_size;
        let first_too_small = upload.file_offset == 0 && size < MIN_FIRST_PART && !completes;
        if first_too_small || size == 0 {
            self.delete_blob(&part.blob_key).await;
            if first_too_small {
                return Err(Error::invalid(
                    "first_part",
                    format!("the first part must be at least {MIN_FIRST_PART} bytes unless it completes the file"),
                ));
            }
            // An empty later part is harmless: nothing arrived.
            return Ok(part);
        }
        match self.store.append_upload_part(&upload.id, &part).await {
            Ok(true) => Ok(part),
            Ok(false) => {
                self.delete_blob(&part.blob_key).await;
                Err(concurrent())
            }
            Err(e) => {
                self.delete_blob(&part.blob_key).await;
                Err(e)
            }
        }
    }

    /// Joins a complete upload's parts into a file in its channel.
    async fn finish_upload(&self, actor: &Actor, upload: &UploadSession) -> Result<FileInfo> {
        let joined = self.joined_parts(upload).await?;
        let staged = match self.stage_file(actor, &upload.filename, joined).await {
            Ok(staged) => staged,
            // Content that can never become a file (an image bomb): give up
            // the upload. Anything else (storage) may succeed on a retry.
            Err(e @ Error::Invalid { .. }) => {
                if let Err(cleanup) = self.remove_upload(upload).await {
                    tracing::warn!(error = %cleanup, upload_id = %upload.id, "could not delete a refused upload");
                }
                return Err(e);
            }
            Err(e) => return Err(e),
        };
        let info = self.commit_file(actor, &upload.channel_id, staged).await?;
        if let Err(e) = self.remove_upload(upload).await {
            tracing::warn!(error = %e, upload_id = %upload.id, "could not delete a finished upload");
        }
        Ok(info)
    }

    /// Deletes an upload's parts and forgets it.
    async fn remove_upload(&self, upload: &UploadSession) -> Result<()> {
        for part in self.store.list_upload_parts(&upload.id).await? {
            self.delete_blob(&part.blob_key).await;
        }
        self.store.delete_upload(&upload.id).await
    }

    async fn delete_blob(&self, key: &str) {
        if let Err(e) = self.blobs.delete(key).await {
            tracing::warn!(error = %e, key, "could not delete a blob");
        }
    }

    /// Removes uploads started more than a day ago and never finished.
    pub async fn clean_stale_uploads(&self) -> Result<usize> {
        let before = now_ms() - ORPHAN_AFTER_MS;
        let mut removed = 0;
        loop {
            let batch = self.store.list_stale_uploads(before, 100).await?;
            if batch.is_empty() {
                return Ok(removed);
            }
            for upload in batch {
                self.remove_upload(&upload).await?;
                removed += 1;
            }
        }
    }
}
