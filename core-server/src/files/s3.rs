//! Blobs in an S3-compatible bucket (AWS, MinIO, Garage, …) through the AWS
//! SDK. Credentials come from the standard `AWS_*` variables (or any other
//! source the SDK's default chain knows). Uploads stream as multipart
//! uploads in 8 MiB parts, so memory stays flat whatever the file size.

use async_trait::async_trait;
use aws_sdk_s3::error::SdkError;
use aws_sdk_s3::primitives::ByteStream as S3Body;
use aws_sdk_s3::types::{CompletedMultipartUpload, CompletedPart};
use bytes::{Bytes, BytesMut};
use futures::StreamExt;

use super::blob::{too_large, Blob, BlobStore, ByteStream};
use crate::error::{Error, Result};

/// Size of each multipart part (S3's minimum is 5 MiB).
const PART_SIZE: usize = 8 * 1024 * 1024;

/// Blobs in one bucket.
pub struct S3BlobStore {
    client: aws_sdk_s3::Client,
    bucket: String,
}

/// S3 settings from the configuration.
pub struct S3Settings {
    pub bucket: String,
    pub endpoint: Option<String>,
    pub region: Option<String>,
    pub path_style: bool,
}

fn unavailable(what: &str, e: impl std::fmt::Display) -> Error {
    Error::Unavailable(format!("file storage ({what}): {e}"))
}

impl S3BlobStore {
    /// A client for the bucket; nothing is contacted until the first request.
    pub async fn new(settings: S3Settings) -> Self {
        let mut loader = aws_config::defaults(aws_config::BehaviorVersion::latest());
        let region = settings
            .region
            .or_else(|| std::env::var("AWS_REGION").ok())
            .or_else(|| std::env::var("AWS_DEFAULT_REGION").ok())
            .unwrap_or_else(|| "us-east-1".to_string());
        loader = loader.region(aws_config::Region::new(region));
        let shared = loader.load().await;
        let mut builder = aws_sdk_s3::config::Builder::from(&shared)
            .force_path_style(settings.path_style)
            // S3-compatible servers vary in checksum support; send checksums
            // only where the API requires them.
            .request_checksum_calculation(
                aws_sdk_s3::config::RequestChecksumCalculation::WhenRequired,
            )
            .response_checksum_validation(
                aws_sdk_s3::config::ResponseChecksumValidation::WhenRequired,
            );
        if let Some(endpoint) = settings.endpoint {
            builder = builder.endpoint_url(endpoint);
        }
        S3BlobStore {
            client: aws_sdk_s3::Client::from_conf(builder.build()),
            bucket: settings.bucket,
        }
    }

    async fn put_small(&self, key: &str, bytes: Bytes) -> Result<()> {
        let len = i64::try_from(bytes.len()).unwrap_or(i64::MAX);
        self.client
            .put_object()
            .bucket(&self.bucket)
            .key(key)
            .content_length(len)
            .body(S3Body::from(bytes))
            .send()
            .await
            .map_err(|e| unavailable("put", SdkErrorText(e)))?;
        Ok(())
    }

    async fn upload_parts(
        &self,
        key: &str,
        upload_id: &str,
        first: Bytes,
        buffer: &mut BytesMut,
        body: &mut ByteStream<'_>,
        limit: u64,
    ) -> Result<(u64, Vec<CompletedPart>)> {
        let mut parts = Vec::new();
        let mut written = first.len() as u64;
        let mut pending = Some(first);
        let mut ended = false;
        loop {
            if let Some(part) = pending.take() {
                let number = i32::try_from(parts.len() + 1).unwrap_or(i32::MAX);
                let uploaded = self
                    .client
                    .upload_part()
                    .bucket(&self.bucket)
                    .key(key)
                    .upload_id(upload_id)
                    .part_number(number)
                    .content_length(i64::try_from(part.len()).unwrap_or(i64::MAX))
                    .body(S3Body::from(part))
                    .send()
                    .await
                    .map_err(|e| unavailable("upload part", SdkErrorText(e)))?;
                parts.push(
                    CompletedPart::builder()
                        .set_e_tag(uploaded.e_tag().map(String::from))
                        .part_number(number)
                        .build(),
                );
            }
            if ended {
                return Ok((written, parts));
            }
            match body.next().await {
                Some(chunk) => {
                    let chunk = chunk
                        .map_err(|e| Error::invalid("file", format!("upload interrupted: {e}")))?;
                    written += chunk.len() as u64;
                    if written > limit {
                        return Err(too_large(limit));
                    }
                    buffer.extend_from_slice(&chunk);
                    if buffer.len() >= PART_SIZE {
                        pending = Some(buffer.split().freeze());
                    }
                }
                None => {
                    ended = true;
                    if !buffer.is_empty() {
                        pending = Some(buffer.split().freeze());
                    }
                }
            }
        }
    }
}

/// The SDK's errors print as "service error"; this shows the cause too.
struct SdkErrorText<E, R>(SdkError<E, R>);

impl<E: std::error::Error + 'static, R: std::fmt::Debug> std::fmt::Display for SdkErrorText<E, R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.0 {
            SdkError::ServiceError(e) => write!(f, "{}", e.err()),
            SdkError::DispatchFailure(e) => write!(f, "cannot reach the store: {e:?}"),
            SdkError::TimeoutError(_) => write!(f, "timed out"),
            other => write!(f, "{other}"),
        }
    }
}

#[async_trait]
impl BlobStore for S3BlobStore {
    fn kind(&self) -> &'static str {
        "s3"
    }

    async fn put_stream(&self, key: &str, mut body: ByteStream<'_>, limit: u64) -> Result<u64> {
        // Small bodies go up in one request; larger ones as a multipart upload.
        let mut buffer = BytesMut::with_capacity(64 * 1024);
        let mut written: u64 = 0;
        while buffer.len() < PART_SIZE {
            match body.next().await {
                Some(chunk) => {
                    let chunk = chunk
                        .map_err(|e| Error::invalid("file", format!("upload interrupted: {e}")))?;
                    written += chunk.len() as u64;
                    if written > limit {
                        return Err(too_large(limit));
                    }
                    buffer.extend_from_slice(&chunk);
                }
                None => {
                    self.put_small(key, buffer.freeze()).await?;
                    return Ok(written);
                }
            }
        }
        let first = buffer.split().freeze();
        let created = self
            .client
            .create_multipart_upload()
            .bucket(&self.bucket)
            .key(key)
            .send()
            .await
            .map_err(|e| unavailable("start upload", SdkErrorText(e)))?;
        let upload_id = created
            .upload_id()
            .ok_or_else(|| unavailable("start upload", "no upload id"))?
            .to_string();
        match self
            .upload_parts(key, &upload_id, first, &mut buffer, &mut body, limit)
            .await
        {
            Ok((size, parts)) => {
                self.client
                    .complete_multipart_upload()
                    .bucket(&self.bucket)
                    .key(key)
                    .upload_id(&upload_id)
                    .multipart_upload(
                        CompletedMultipartUpload::builder()
                            .set_parts(Some(parts))
                            .build(),
                    )
                    .send()
                    .await
                    .map_err(|e| unavailable("finish upload", SdkErrorText(e)))?;
                Ok(size)
            }
            Err(e) => {
                let _ = self
                    .client
                    .abort_multipart_upload()
                    .bucket(&self.bucket)
                    .key(key)
                    .upload_id(&upload_id)
                    .send()
                    .await;
                Err(e)
            }
        }
    }

    async fn put(&self, key: &str, bytes: Bytes) -> Result<()> {
        self.put_small(key, bytes).await
    }

    async fn get(&self, key: &str) -> Result<Blob> {
        let out = match self
            .client
            .get_object()
            .bucket(&self.bucket)
            .key(key)
            .send()
            .await
        {
            Ok(out) => out,
            Err(SdkError::ServiceError(e)) if e.err().is_no_such_key() => {
                return Err(Error::not_found("file"))
            }
            Err(e) => return Err(unavailable("get", SdkErrorText(e))),
        };
        let size = u64::try_from(out.content_length().unwrap_or(0)).unwrap_or(0);
        let reader = out.body.into_async_read();
        Ok(Blob {
            size,
            body: Box::pin(tokio_util::io::ReaderStream::with_capacity(
                reader,
                64 * 1024,
            )),
        })
    }

    async fn list(&self, folder: &str) -> Result<Vec<String>> {
        let prefix = format!("{folder}/");
        let mut names = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let out = self
                .client
                .list_objects_v2()
                .bucket(&self.bucket)
                .prefix(&prefix)
                .set_continuation_token(token.take())
                .send()
                .await
                .map_err(|e| unavailable("list", SdkErrorText(e)))?;
            for object in out.contents() {
                if let Some(name) = object.key().and_then(|k| k.strip_prefix(&prefix)) {
                    if !name.is_empty() && !name.contains('/') {
                        names.push(name.to_string());
                    }
                }
            }
            match out.next_continuation_token() {
                Some(next) if out.is_truncated() == Some(true) => token = Some(next.to_string()),
                _ => break,
            }
        }
        names.sort();
        Ok(names)
    }

    async fn delete(&self, key: &str) -> Result<()> {
        self.client
            .delete_object()
            .bucket(&self.bucket)
            .key(key)
            .send()
            .await
            .map_err(|e| unavailable("delete", SdkErrorText(e)))?;
        Ok(())
    }
}
