//! Files: the blob store (local directory or S3), what an upload is, image
//! processing, and the file services (upload, read, attach to posts, search,
//! clean up orphans).

pub mod blob;
pub mod image;
mod local;
mod metered;
mod s3;
pub mod service;
pub mod sniff;
pub mod uploads;

pub use blob::{read_all, Blob, BlobStore, ByteStream};
pub use local::LocalBlobStore;
pub use metered::MeteredBlobStore;
pub use s3::{S3BlobStore, S3Settings};
pub use service::Rendition;

use std::sync::Arc;

use crate::config::Config;

/// Whether the file store takes a write and a delete now (for health checks).
pub async fn probe(store: &dyn BlobStore) -> bool {
    let key = format!("health/probe-{}", crate::id::new_id());
    let written = store
        .put(&key, bytes::Bytes::from_static(b"rustchat health probe"))
        .await;
    written.is_ok() && store.delete(&key).await.is_ok()
}

/// The blob store the configuration selects: S3 when `s3_bucket` is set,
/// else `<data_dir>/files`.
pub async fn open_blob_store(config: &Config) -> Arc<dyn BlobStore> {
    let store: Arc<dyn BlobStore> = match &config.s3_bucket {
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
    };
    Arc::new(MeteredBlobStore::new(store))
}

/// A file download with the headers both API surfaces send: the served type,
/// size, a safe `Content-Disposition` (risky types always download), no
/// sniffing, no framing, and a sandboxing CSP.
pub fn response(
    name: &str,
    mime: &str,
    blob: Blob,
    force_download: bool,
) -> axum::response::Response {
    use axum::http::{header, HeaderValue};
    let inline = !force_download && sniff::is_safe_inline(mime);
    let mut response = axum::response::Response::new(axum::body::Body::from_stream(blob.body));
    let headers = response.headers_mut();
    let mut set = |name: header::HeaderName, value: &str| {
        if let Ok(v) = HeaderValue::from_str(value) {
            headers.insert(name, v);
        }
    };
    set(header::CONTENT_TYPE, sniff::served_type(mime));
    set(header::CONTENT_LENGTH, &blob.size.to_string());
    set(
        header::CONTENT_DISPOSITION,
        &sniff::content_disposition(name, inline),
    );
    set(header::CACHE_CONTROL, "private, max-age=86400");
    set(header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(header::X_FRAME_OPTIONS, "DENY");
    set(
        header::CONTENT_SECURITY_POLICY,
        "frame-ancestors 'none'; sandbox",
    );
    response
}
