//! A blob store that counts and times every operation of the one it wraps
//! (the `rustchat_file_operation*` metrics).

use std::sync::Arc;
use std::time::Instant;

use async_trait::async_trait;
use bytes::Bytes;

use super::blob::{Blob, BlobStore, ByteStream};
use crate::error::{Error, Result};

pub struct MeteredBlobStore {
    inner: Arc<dyn BlobStore>,
}

impl MeteredBlobStore {
    pub fn new(inner: Arc<dyn BlobStore>) -> Self {
        MeteredBlobStore { inner }
    }
}

/// Records an operation; a missing key or an over-sized upload is the
/// caller's problem, not the store's, so it counts as `ok`.
fn record<T>(op: &'static str, started: Instant, result: &Result<T>) {
    let ok = matches!(
        result,
        Ok(_) | Err(Error::NotFound { .. } | Error::TooLarge(_))
    );
    crate::metrics::file_operation(op, ok, started.elapsed());
}

#[async_trait]
impl BlobStore for MeteredBlobStore {
    fn kind(&self) -> &'static str {
        self.inner.kind()
    }

    async fn put_stream(&self, key: &str, body: ByteStream<'_>, limit: u64) -> Result<u64> {
        let started = Instant::now();
        let result = self.inner.put_stream(key, body, limit).await;
        record("put", started, &result);
        result
    }

    async fn put(&self, key: &str, bytes: Bytes) -> Result<()> {
        let started = Instant::now();
        let result = self.inner.put(key, bytes).await;
        record("put", started, &result);
        result
    }

    async fn get(&self, key: &str) -> Result<Blob> {
        let started = Instant::now();
        let result = self.inner.get(key).await;
        record("get", started, &result);
        result
    }

    async fn delete(&self, key: &str) -> Result<()> {
        let started = Instant::now();
        let result = self.inner.delete(key).await;
        record("delete", started, &result);
        result
    }

    async fn list(&self, folder: &str) -> Result<Vec<String>> {
        let started = Instant::now();
        let result = self.inner.list(folder).await;
        record("list", started, &result);
        result
    }
}
