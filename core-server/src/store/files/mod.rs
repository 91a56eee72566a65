//! File records (the bytes live in the blob store) and resumable uploads.
//! Its SQL, for both dialects, is `sql.rs` beside this file.

use async_trait::async_trait;

use crate::error::Result;
use crate::model::*;

/// File records (the bytes live in the blob store) and resumable uploads.
#[async_trait]
pub trait FileStore: Send + Sync {
    /// Saves a new file record.
    async fn create_file_info(&self, file: &FileInfo) -> Result<()>;

    /// One file record (deleted ones too).
    async fn get_file_info(&self, id: &str) -> Result<FileInfo>;

    /// A post's files, oldest first.
    async fn list_post_files(&self, post_id: &str, include_deleted: bool) -> Result<Vec<FileInfo>>;

    /// The live files of several posts.
    async fn list_posts_files(&self, post_ids: &[String]) -> Result<Vec<FileInfo>>;

    /// The live file records among `ids`, oldest first.
    async fn list_files_by_ids(&self, ids: &[String]) -> Result<Vec<FileInfo>>;

    /// Attaches the creator's unattached files of a channel to a post; returns how many.
    async fn attach_files(
        &self,
        post_id: &str,
        channel_id: &str,
        creator_id: &str,
        file_ids: &[String],
        at: i64,
    ) -> Result<u64>;

    /// Files never attached to a post, uploaded before `before` (ms), except
    /// those a scheduled post of their uploader will attach.
    async fn list_orphan_files(&self, before: i64, limit: i64) -> Result<Vec<FileInfo>>;

    /// Forgets a file record.
    async fn remove_file_info(&self, id: &str) -> Result<()>;

    /// Posted files in a user's channels whose names contain every term:
    /// of one team (and DMs/GMs) when given, else of every team.
    async fn search_files(
        &self,
        user_id: &str,
        team_id: Option<&str>,
        terms: &[String],
        limit: i64,
    ) -> Result<Vec<FileInfo>>;

    async fn create_upload(&self, upload: &UploadSession) -> Result<()>;

    /// One upload session; a missing one is [`Error::NotFound`].
    async fn get_upload(&self, id: &str) -> Result<UploadSession>;

    /// A user's upload sessions, oldest first.
    async fn list_user_uploads(&self, user_id: &str) -> Result<Vec<UploadSession>>;

    /// Records a stored part at `part.start_offset` and moves the session's
    /// offset past it, atomically; `false` (and nothing recorded) when the
    /// session's offset is no longer `part.start_offset`.
    async fn append_upload_part(&self, upload_id: &str, part: &UploadPart) -> Result<bool>;

    /// Marks an upload as being joined at `at`; `false` when another request
    /// holds that claim since `stale_before` or later (an older claim was
    /// left by a stopped server and is taken over).
    async fn claim_upload_finish(&self, id: &str, at: i64, stale_before: i64) -> Result<bool>;

    /// Gives the claim up (the file could not be made; a retry may finish it).
    async fn release_upload_finish(&self, id: &str) -> Result<()>;

    /// An upload's parts in file order.
    async fn list_upload_parts(&self, upload_id: &str) -> Result<Vec<UploadPart>>;

    /// Forgets a session and its parts.
    async fn delete_upload(&self, id: &str) -> Result<()>;

    /// Sessions started before `before` (ms): abandoned uploads.
    async fn list_stale_uploads(&self, before: i64, limit: i64) -> Result<Vec<UploadSession>>;
}
