//! Files: the blob store (local directory or S3), what an upload is, image
//! processing, and the file services (upload, read, attach to posts, search,
//! clean up orphans).

pub mod blob;
pub mod image;
mod local;
mod s3;
pub mod service;
pub mod sniff;

pub use blob::{read_all, Blob, BlobStore, ByteStream};
pub use local::LocalBlobStore;
pub use s3::{S3BlobStore, S3Settings};

use std::sync::Arc;

use crate::config::Config;

/// The blob store the configuration selects: S3 when `s3_bucket` is set,
/// else `<data_dir>/files`.
pub async fn open_blob_store(config: &Config) -> Arc<dyn BlobStore> {
    match &config.s3_bucket {
        Some(bucket) => Arc::new(
            S3BlobStore::new(S3Settings {
                bucket: bucket.clone(),
                endpoint: config.s3_endpoint.clone(),
                region: config.s3_region.clone(),
                path_style: config.s3_path_style,
            })
            .await,
        ),
        None => Arc::new(LocalBlobStore::new(config.data_dir.join("files"))),
    }
}
