//! The blob store: one interface over where file bytes live (a directory in
//! the data dir, or an S3 bucket). Bodies stream both ways; nothing holds a
//! whole file in memory.

use std::pin::Pin;

use async_trait::async_trait;
use bytes::Bytes;
use futures::{Stream, StreamExt};

use crate::error::{Error, Result};

/// A body of bytes arriving or leaving piece by piece.
pub type ByteStream<'a> = Pin<Box<dyn Stream<Item = std::io::Result<Bytes>> + Send + 'a>>;

/// A blob read back: its size and its bytes.
pub struct Blob {
    pub size: u64,
    pub body: ByteStream<'static>,
}

/// Where file bytes are kept. Keys are made by the server (never from user
/// input), e.g. `files/<id>/original`.
#[async_trait]
pub trait BlobStore: Send + Sync {
    /// `local` or `s3`, for logs and health.
    fn kind(&self) -> &'static str;

    /// Stores a stream under `key`, refusing with [`Error::TooLarge`] (and
    /// keeping nothing) once it passes `limit` bytes. Returns the size.
    async fn put_stream(&self, key: &str, body: ByteStream<'_>, limit: u64) -> Result<u64>;

    /// Stores a small blob already in memory (thumbnails, previews).
    async fn put(&self, key: &str, bytes: Bytes) -> Result<()>;

    /// Reads a blob; a missing key is [`Error::NotFound`].
    async fn get(&self, key: &str) -> Result<Blob>;

    /// Deletes a blob; a missing key is not an error.
    async fn delete(&self, key: &str) -> Result<()>;

    /// Names of the blobs directly in a folder (`imports`, `exports`), sorted.
    async fn list(&self, folder: &str) -> Result<Vec<String>>;
}

/// Reads a whole blob into memory, refusing blobs larger than `max` bytes.
pub async fn read_all(store: &dyn BlobStore, key: &str, max: u64) -> Result<Vec<u8>> {
    let Blob { size, mut body } = store.get(key).await?;
    if size > max {
        return Err(Error::TooLarge(format!("{key} is larger than {max} bytes")));
    }
    let mut out = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    while let Some(chunk) = body.next().await {
        let chunk = chunk.map_err(|e| Error::Unavailable(format!("file storage: {e}")))?;
        if (out.len() + chunk.len()) as u64 > max {
            return Err(Error::TooLarge(format!("{key} is larger than {max} bytes")));
        }
        out.extend_from_slice(&chunk);
    }
    Ok(out)
}

/// The error for a body that passed its limit.
pub fn too_large(limit: u64) -> Error {
    Error::TooLarge(format!(
        "the file is larger than the maximum of {limit} bytes"
    ))
}
