//! The two blob stores the file tests run on: the data dir, and a fresh
//! bucket on the test S3 server; and what an unreachable S3 store does.

use std::sync::Arc;

use axum::http::{Method, StatusCode};
use core_server::config::Config;
use core_server::files::{BlobStore, LocalBlobStore, S3BlobStore, S3Settings};
use serde_json::json;

use crate::support::{self, sqlite_core, unavailable, unused_addr, App};

#[derive(Clone, Copy, Debug)]
pub enum Store {
    Local,
    S3,
}

/// The test S3 server, or `None` (skipped) outside the test script.
fn s3_endpoint() -> Option<String> {
    match std::env::var("RUSTCHAT_TEST_S3_ENDPOINT") {
        Ok(url) if !url.is_empty() => Some(url),
        _ => unavailable(
            "an S3-compatible server",
            "RUSTCHAT_TEST_S3_ENDPOINT is not set",
        ),
    }
}

/// A fresh bucket on the test S3 server.
async fn s3_store(endpoint: &str) -> Arc<dyn BlobStore> {
    if std::env::var("AWS_ACCESS_KEY_ID").is_err() {
        std::env::set_var("AWS_ACCESS_KEY_ID", "test");
        std::env::set_var("AWS_SECRET_ACCESS_KEY", "test");
    }
    let bucket = format!("rustchat-test-{}", core_server::id::new_id());
    let shared = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .region(aws_config::Region::new("us-east-1"))
        .load()
        .await;
    let client = aws_sdk_s3::Client::from_conf(
        aws_sdk_s3::config::Builder::from(&shared)
            .endpoint_url(endpoint)
            .force_path_style(true)
            .build(),
    );
    client
        .create_bucket()
        .bucket(&bucket)
        .send()
        .await
        .expect("create bucket");
    Arc::new(
        S3BlobStore::new(S3Settings {
            bucket,
            endpoint: Some(endpoint.to_string()),
            region: Some("us-east-1".into()),
            path_style: true,
        })
        .await,
    )
}

/// The application with its files on `store`, or `None` when that store is
/// not available here.
pub async fn app(store: Store, config: Config) -> Option<App> {
    let (core, dir) = sqlite_core(config).await;
    let blobs: Arc<dyn BlobStore> = match store {
        Store::Local => Arc::new(LocalBlobStore::new(dir.path().join("files"))),
        Store::S3 => s3_store(&s3_endpoint()?).await,
    };
    Some(App::over(core.with_blobs(blobs), Some(dir)))
}

#[tokio::test]
async fn an_unreachable_s3_store_is_a_503_and_posts_still_work() {
    // Nothing listens there.
    let addr = unused_addr();
    std::env::set_var(
        "AWS_ACCESS_KEY_ID",
        std::env::var("AWS_ACCESS_KEY_ID").unwrap_or_else(|_| "test".into()),
    );
    std::env::set_var(
        "AWS_SECRET_ACCESS_KEY",
        std::env::var("AWS_SECRET_ACCESS_KEY").unwrap_or_else(|_| "test".into()),
    );
    let blobs = S3BlobStore::new(S3Settings {
        bucket: "absent".into(),
        endpoint: Some(format!("http://{addr}")),
        region: Some("us-east-1".into()),
        path_style: true,
    })
    .await;
    let (core, dir) = sqlite_core(crate::support::open_config()).await;
    let app = App::over(core.with_blobs(Arc::new(blobs)), Some(dir));
    let (_, owner) = app.user("owner").await;
    let team = support::id(
        &app.team(&owner, json!({"name": "team", "display_name": "Team"}))
            .await,
    );
    let channel = app.town_square(&owner, &team).await;
    let up = app
        .upload(&owner, &channel, &[("a.txt", b"hello")], true)
        .await;
    assert_eq!(up.status, StatusCode::SERVICE_UNAVAILABLE, "{}", up.json());
    assert_eq!(up.json()["status_code"], 503);
    let post = app
        .json(
            Method::POST,
            "/api/v4/posts",
            Some(&owner),
            json!({"channel_id": channel, "message": "still here"}),
        )
        .await;
    assert_eq!(
        post.status,
        StatusCode::CREATED,
        "posting does not depend on the file store"
    );
}
