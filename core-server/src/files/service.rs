//! The file services: upload (streamed to the blob store, typed from its
//! content, images previewed), read with permission checks, the files of a
//! post, search, public links, and the clean-up of files never posted.

use std::sync::{Arc, Mutex};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use bytes::Bytes;
use futures::StreamExt;
use sha2::{Digest, Sha256};

use super::blob::{Blob, ByteStream};
use super::{image, sniff};
use crate::error::{Error, Result};
use crate::model::FileInfo;
use crate::services::{validate, Actor, Core};
use crate::time::now_ms;

/// Images up to this size are kept in memory while uploading so their
/// previews can be made without reading them back.
const IMAGE_PROCESS_MAX: usize = 64 * 1024 * 1024;
/// Files uploaded but never posted are removed after this long.
pub const ORPHAN_AFTER_MS: i64 = 24 * 60 * 60 * 1000;

/// Which rendition of a file to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rendition {
    Original,
    Thumbnail,
    Preview,
}

impl Rendition {
    /// The type this rendition of `info` is served as (thumbnails and previews are JPEG).
    pub fn mime_type(self, info: &FileInfo) -> &str {
        match self {
            Rendition::Original => &info.mime_type,
            Rendition::Thumbnail | Rendition::Preview => "image/jpeg",
        }
    }
}

/// Image decoding is memory-hungry: at most one decode per core at a time.
pub(crate) async fn image_permit() -> Result<tokio::sync::SemaphorePermit<'static>> {
    static PERMITS: std::sync::OnceLock<tokio::sync::Semaphore> = std::sync::OnceLock::new();
    PERMITS
        .get_or_init(|| {
            tokio::sync::Semaphore::new(std::thread::available_parallelism().map_or(2, |n| n.get()))
        })
        .acquire()
        .await
        .map_err(|e| Error::Internal(e.to_string()))
}

/// Reads the first bytes of a body (for typing and image checks) and gives
/// back a stream that still yields the whole body.
async fn peek(mut body: ByteStream<'_>) -> Result<(Vec<u8>, ByteStream<'_>)> {
    let mut chunks: Vec<Bytes> = Vec::new();
    let mut head = Vec::new();
    while head.len() < sniff::HEAD_BYTES {
        match body.next().await {
            Some(Ok(chunk)) => {
                head.extend_from_slice(&chunk);
                chunks.push(chunk);
            }
            Some(Err(e)) => {
                return Err(Error::invalid("files", format!("upload interrupted: {e}")))
            }
            None => break,
        }
    }
    let replay = futures::stream::iter(chunks.into_iter().map(Ok));
    Ok((head, Box::pin(replay.chain(body))))
}

/// Keeps the chunks of a stream as it passes (cheap: `Bytes` are shared),
/// until it grows past `max`.
fn tee(body: ByteStream<'_>, max: usize) -> (ByteStream<'_>, Arc<Mutex<Option<Vec<Bytes>>>>) {
    let kept = Arc::new(Mutex::new(Some(Vec::new())));
    let sink = kept.clone();
    let mut total = 0usize;
    let stream = body.map(move |chunk| {
        if let Ok(bytes) = &chunk {
            total += bytes.len();
            if let Ok(mut guard) = sink.lock() {
                if total > max {
                    *guard = None;
                } else if let Some(list) = guard.as_mut() {
                    list.push(bytes.clone());
                }
            }
        }
        chunk
    });
    (Box::pin(stream), kept)
}

/// A file stored but not yet recorded: its channel may not be known yet
/// (the mobile app sends the file part before `channel_id`).
pub struct StagedFile {
    info: FileInfo,
}

impl StagedFile {
    /// The file's name, size and type as detected.
    pub fn info(&self) -> &FileInfo {
        &self.info
    }
}

impl Core {
    /// Whether the actor may upload files into a channel.
    pub async fn check_upload(&self, actor: &Actor, channel_id: &str) -> Result<()> {
        let (channel, _) = self.channel_for_member(actor, channel_id).await?;
        if channel.delete_at != 0 {
            return Err(Error::forbidden("the channel is archived"));
        }
        Ok(())
    }

    /// Uploads one file into a channel the actor may post in. The body is
    /// streamed to the blob store; nothing is kept when it fails.
    pub async fn upload_file(
        &self,
        actor: &Actor,
        channel_id: &str,
        raw_name: &str,
        body: ByteStream<'_>,
    ) -> Result<FileInfo> {
        self.check_upload(actor, channel_id).await?;
        let staged = self.stage_file(actor, raw_name, body).await?;
        self.commit_file(actor, channel_id, staged).await
    }

    /// Stores a file's bytes (and, for images, its thumbnail, preview and
    /// placeholder) before its channel is known.
    pub async fn stage_file(
        &self,
        actor: &Actor,
        raw_name: &str,
        body: ByteStream<'_>,
    ) -> Result<StagedFile> {
        let info = self
            .store_file_bytes(crate::id::new_id(), actor.id(), now_ms(), raw_name, body)
            .await?;
        Ok(StagedFile { info })
    }

    /// Stores a file's bytes under a given id (with its thumbnail, preview
    /// and placeholder when it is an image) and describes it; the record is
    /// not saved. Imports use it with ids and times of their own.
    pub(crate) async fn store_file_bytes(
        &self,
        id: String,
        creator_id: &str,
        created_at: i64,
        raw_name: &str,
        body: ByteStream<'_>,
    ) -> Result<FileInfo> {
        let name = sniff::sanitize_name(raw_name);
        let (head, body) = peek(body).await?;
        let mime_type = sniff::mime_type(&head, &name);
        let previewable = sniff::is_previewable(&mime_type);
        let mut dims = None;
        if previewable {
            if let Some((w, h)) = image::dimensions(&head) {
                image::check_pixels(w, h, self.config().max_image_pixels)
                    .map_err(|e| Error::invalid("files", e.to_string()))?;
                dims = Some((w, h));
            }
        }
        let mut info = FileInfo {
            id,
            creator_id: creator_id.to_string(),
            post_id: String::new(),
            channel_id: String::new(),
            create_at: created_at,
            update_at: created_at,
            delete_at: 0,
            extension: sniff::extension(&name),
            name,
            size: 0,
            mime_type,
            width: 0,
            height: 0,
            has_preview_image: false,
            has_thumbnail: false,
            mini_preview: None,
        };
        let (body, kept) = if previewable {
            tee(body, IMAGE_PROCESS_MAX)
        } else {
            (body, Arc::new(Mutex::new(None)))
        };
        let size = self
            .blobs
            .put_stream(&info.blob_key(), body, self.config().max_file_size)
            .await?;
        info.size = i64::try_from(size).unwrap_or(i64::MAX);
        let kept = kept.lock().ok().and_then(|mut k| k.take());
        if let Some(chunks) = kept {
            if let Err(e) = self.make_previews(&mut info, chunks).await {
                self.delete_blobs(&info).await;
                return Err(e);
            }
        } else if let Some((w, h)) = dims {
            info.width = i64::from(w);
            info.height = i64::from(h);
        }
        Ok(info)
    }

    /// Records a staged file in a channel, once the channel is known and
    /// allowed; on failure the stored bytes are removed.
    pub async fn commit_file(
        &self,
        actor: &Actor,
        channel_id: &str,
        staged: StagedFile,
    ) -> Result<FileInfo> {
        let mut info = staged.info;
        if let Err(e) = self.check_upload(actor, channel_id).await {
            self.delete_blobs(&info).await;
            return Err(e);
        }
        info.channel_id = channel_id.to_string();
        if let Err(e) = self.store.create_file_info(&info).await {
            self.delete_blobs(&info).await;
            return Err(e);
        }
        Ok(info)
    }

    /// Removes a staged file that will not be recorded.
    pub async fn discard_staged(&self, staged: StagedFile) {
        self.delete_blobs(&staged.info).await;
    }

    /// Decodes an uploaded image and stores its thumbnail and preview. An
    /// image too large is refused; one that cannot be decoded is kept as a
    /// plain file.
    async fn make_previews(&self, info: &mut FileInfo, chunks: Vec<Bytes>) -> Result<()> {
        let bytes: Vec<u8> = chunks.iter().flat_map(|c| c.iter().copied()).collect();
        drop(chunks);
        let max_pixels = self.config().max_image_pixels;
        let _permit = image_permit().await?;
        let done = tokio::task::spawn_blocking(move || image::process(&bytes, max_pixels))
            .await
            .map_err(|e| Error::Internal(e.to_string()))?;
        match done {
            Ok(made) => {
                self.blobs
                    .put(&info.thumbnail_key(), Bytes::from(made.thumbnail))
                    .await?;
                self.blobs
                    .put(&info.preview_key(), Bytes::from(made.preview))
                    .await?;
                info.width = i64::from(made.width);
                info.height = i64::from(made.height);
                info.has_thumbnail = true;
                // The apps show GIFs themselves (animated), not their preview.
                info.has_preview_image = info.mime_type != "image/gif";
                info.mini_preview = Some(made.mini_preview);
                Ok(())
            }
            Err(e @ image::ImageError::TooManyPixels { .. }) => {
                Err(Error::invalid("files", e.to_string()))
            }
            Err(image::ImageError::Unreadable(reason)) => {
                tracing::debug!(file_id = %info.id, %reason, "image kept without preview");
                Ok(())
            }
        }
    }

    async fn delete_blobs(&self, info: &FileInfo) {
        for key in [info.blob_key(), info.thumbnail_key(), info.preview_key()] {
            if let Err(e) = self.blobs.delete(&key).await {
                tracing::warn!(error = %e, key, "could not delete a blob");
            }
        }
    }

    /// A file the actor may read: its uploader; once posted, whoever may
    /// read the post's channel. Deleted files are gone.
    pub async fn get_file_info(&self, actor: &Actor, file_id: &str) -> Result<FileInfo> {
        validate::id("file_id", file_id)?;
        let info = self.store.get_file_info(file_id).await?;
        if info.delete_at != 0 {
            return Err(Error::not_found("file"));
        }
        if info.creator_id == actor.id() {
            return Ok(info);
        }
        if info.post_id.is_empty() {
            return Err(Error::forbidden("you do not have access to this file"));
        }
        self.channel_for_read(actor, &info.channel_id).await?;
        Ok(info)
    }

    /// Opens a file (or its thumbnail or preview) for reading.
    pub async fn open_file(
        &self,
        actor: &Actor,
        file_id: &str,
        rendition: Rendition,
    ) -> Result<(FileInfo, Blob)> {
        let info = self.get_file_info(actor, file_id).await?;
        let blob = self.open_rendition(&info, rendition).await?;
        Ok((info, blob))
    }

    async fn open_rendition(&self, info: &FileInfo, rendition: Rendition) -> Result<Blob> {
        let key = match rendition {
            Rendition::Original => info.blob_key(),
            _ if !info.has_thumbnail => {
                return Err(Error::invalid(
                    "file_id",
                    "this file has no thumbnail or preview",
                ))
            }
            Rendition::Thumbnail => info.thumbnail_key(),
            Rendition::Preview => info.preview_key(),
        };
        self.blobs.get(&key).await
    }

    /// The files of a post the actor may read.
    pub async fn post_files(
        &self,
        actor: &Actor,
        post_id: &str,
        include_deleted: bool,
    ) -> Result<Vec<FileInfo>> {
        let post = self.get_post(actor, post_id).await?;
        if include_deleted && !actor.is_admin() {
            return Err(Error::forbidden("only admins may see deleted files"));
        }
        self.store.list_post_files(&post.id, include_deleted).await
    }

    /// The live files of several posts (already readable by the caller).
    pub async fn files_of_posts(&self, post_ids: &[String]) -> Result<Vec<FileInfo>> {
        self.store.list_posts_files(post_ids).await
    }

    /// Keeps, of the ids a new post names, the files its author uploaded and
    /// has not posted yet, as Mattermost does; the rest are dropped.
    pub(crate) async fn usable_file_ids(
        &self,
        actor: &Actor,
        file_ids: &[String],
    ) -> Result<Vec<String>> {
        let mut usable = Vec::new();
        for id in file_ids {
            match self.store.get_file_info(id).await {
                Ok(f)
                    if f.creator_id == actor.id()
                        && f.post_id.is_empty()
                        && f.delete_at == 0
                        && !usable.contains(id) =>
                {
                    usable.push(id.clone())
                }
                Ok(_) | Err(Error::NotFound { .. }) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(usable)
    }

    /// Posted files in the actor's channels of a team whose names contain every term.
    pub async fn search_files(
        &self,
        actor: &Actor,
        team_id: Option<&str>,
        terms: &str,
        limit: i64,
    ) -> Result<Vec<FileInfo>> {
        if let Some(team_id) = team_id {
            self.team_for_member(actor, team_id).await?;
        }
        // As long as a post search may be: each word becomes a LIKE pattern,
        // and the database refuses patterns past its own limit.
        crate::services::validate::length("terms", terms, 0, 1000)?;
        self.refuse_when_busy().await?;
        let words: Vec<String> = terms
            .split_whitespace()
            .map(|w| w.trim_matches('"').to_string())
            .filter(|w| !w.is_empty())
            .collect();
        if words.is_empty() {
            return Err(Error::invalid("terms", "must not be empty"));
        }
        self.store
            .search_files(actor.id(), team_id, &words, limit.clamp(1, 200))
            .await
    }

    async fn link_salt(&self) -> Result<String> {
        if let Some(salt) = self.store.get_system_value("public_link_salt").await? {
            return Ok(salt);
        }
        let salt: String = crate::id::new_id()
            .chars()
            .chain(crate::id::new_id().chars())
            .take(32)
            .collect();
        self.store
            .init_system_value("public_link_salt", &salt)
            .await
    }

    /// Mattermost's link hash: unpadded URL-safe base64 of SHA-256(salt ‖ id).
    fn link_hash(salt: &str, file_id: &str) -> String {
        let digest = Sha256::new()
            .chain_update(salt.as_bytes())
            .chain_update(file_id.as_bytes())
            .finalize();
        URL_SAFE_NO_PAD.encode(digest)
    }

    /// The public link hash of a posted file the actor may read.
    pub async fn public_link_hash(&self, actor: &Actor, file_id: &str) -> Result<String> {
        if !self.config().enable_public_link {
            return Err(Error::forbidden("public links are disabled on this server"));
        }
        let info = self.get_file_info(actor, file_id).await?;
        if info.post_id.is_empty() {
            return Err(Error::invalid(
                "file_id",
                "only posted files can have a public link",
            ));
        }
        Ok(Self::link_hash(&self.link_salt().await?, &info.id))
    }

    /// Opens a posted file by its public link (no session).
    pub async fn open_public_file(&self, file_id: &str, hash: &str) -> Result<(FileInfo, Blob)> {
        if !self.config().enable_public_link {
            return Err(Error::forbidden("public links are disabled on this server"));
        }
        validate::id("file_id", file_id)?;
        let expected = Self::link_hash(&self.link_salt().await?, file_id);
        // Compare in constant time: the hash is the only secret.
        let same = expected.len() == hash.len()
            && expected
                .bytes()
                .zip(hash.bytes())
                .fold(0u8, |acc, (a, b)| acc | (a ^ b))
                == 0;
        if !same {
            return Err(Error::invalid("h", "the link is not valid"));
        }
        let info = self.store.get_file_info(file_id).await?;
        if info.delete_at != 0 || info.post_id.is_empty() {
            return Err(Error::not_found("file"));
        }
        let blob = self.open_rendition(&info, Rendition::Original).await?;
        Ok((info, blob))
    }

    /// Removes files uploaded more than a day ago and never posted.
    pub async fn clean_orphan_files(&self) -> Result<usize> {
        let before = now_ms() - ORPHAN_AFTER_MS;
        let mut removed = 0;
        loop {
            let batch = self.store.list_orphan_files(before, 100).await?;
            if batch.is_empty() {
                return Ok(removed);
            }
            for info in batch {
                self.delete_blobs(&info).await;
                self.store.remove_file_info(&info.id).await?;
                removed += 1;
            }
        }
    }
}
