//! Blobs as files in a directory (the default: `<data_dir>/files`). Writes go
//! to a temporary name and are renamed into place, so a reader never sees a
//! half-written file.

use std::path::{Path, PathBuf};

use async_trait::async_trait;
use bytes::Bytes;
use futures::StreamExt;
use tokio::io::AsyncWriteExt;

use super::blob::{too_large, Blob, BlobStore, ByteStream};
use crate::error::{Error, Result};

/// Blobs under one directory.
pub struct LocalBlobStore {
    root: PathBuf,
}

fn io_error(e: std::io::Error) -> Error {
    Error::Unavailable(format!("file storage: {e}"))
}

impl LocalBlobStore {
    /// A store rooted at `root` (created when missing).
    pub fn new(root: impl Into<PathBuf>) -> Self {
        LocalBlobStore { root: root.into() }
    }

    fn path(&self, key: &str) -> Result<PathBuf> {
        // Keys are server-made; refuse anything that could leave the root anyway.
        if key.is_empty()
            || key.starts_with('/')
            || key
                .split('/')
                .any(|part| part.is_empty() || part == "." || part == "..")
        {
            return Err(Error::Internal(format!("bad blob key {key:?}")));
        }
        Ok(self.root.join(key))
    }

    async fn ensure_parent(path: &Path) -> Result<()> {
        if let Some(parent) = path.parent() {
            tokio::fs::create_dir_all(parent).await.map_err(io_error)?;
        }
        Ok(())
    }
}

#[async_trait]
impl BlobStore for LocalBlobStore {
    fn kind(&self) -> &'static str {
        "local"
    }

    async fn put_stream(&self, key: &str, mut body: ByteStream<'_>, limit: u64) -> Result<u64> {
        let path = self.path(key)?;
        Self::ensure_parent(&path).await?;
        let partial = path.with_extension(format!("part-{}", crate::id::new_id()));
        let mut file = tokio::fs::File::create(&partial).await.map_err(io_error)?;
        let mut written: u64 = 0;
        let result: Result<()> = async {
            while let Some(chunk) = body.next().await {
                let chunk = chunk
                    .map_err(|e| Error::invalid("file", format!("upload interrupted: {e}")))?;
                written += chunk.len() as u64;
                if written > limit {
                    return Err(too_large(limit));
                }
                file.write_all(&chunk).await.map_err(io_error)?;
            }
            file.flush().await.map_err(io_error)?;
            file.sync_data().await.map_err(io_error)?;
            Ok(())
        }
        .await;
        drop(file);
        match result {
            Ok(()) => {
                tokio::fs::rename(&partial, &path).await.map_err(io_error)?;
                Ok(written)
            }
            Err(e) => {
                let _ = tokio::fs::remove_file(&partial).await;
                Err(e)
            }
        }
    }

    async fn put(&self, key: &str, bytes: Bytes) -> Result<()> {
        let len = bytes.len() as u64;
        let body: ByteStream<'static> = Box::pin(futures::stream::once(async move { Ok(bytes) }));
        self.put_stream(key, body, len).await.map(|_| ())
    }

    async fn get(&self, key: &str) -> Result<Blob> {
        let path = self.path(key)?;
        let file = match tokio::fs::File::open(&path).await {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(Error::not_found("file"))
            }
            Err(e) => return Err(io_error(e)),
        };
        let size = file.metadata().await.map_err(io_error)?.len();
        let body = tokio_util::io::ReaderStream::with_capacity(file, 64 * 1024);
        Ok(Blob {
            size,
            body: Box::pin(body),
        })
    }

    async fn list(&self, folder: &str) -> Result<Vec<String>> {
        let dir = self.path(folder)?;
        let mut entries = match tokio::fs::read_dir(&dir).await {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(io_error(e)),
        };
        let mut names = Vec::new();
        while let Some(entry) = entries.next_entry().await.map_err(io_error)? {
            let is_file = entry.file_type().await.map_err(io_error)?.is_file();
            let name = entry.file_name().to_string_lossy().to_string();
            // Blobs still being written carry a `.part-<id>` extension.
            if is_file && !name.contains(".part-") {
                names.push(name);
            }
        }
        names.sort();
        Ok(names)
    }

    async fn delete(&self, key: &str) -> Result<()> {
        let path = self.path(key)?;
        match tokio::fs::remove_file(&path).await {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(io_error(e)),
        }
        // Drop the per-file directory once empty; failure just leaves it.
        if let Some(parent) = path.parent() {
            let _ = tokio::fs::remove_dir(parent).await;
        }
        Ok(())
    }
}
