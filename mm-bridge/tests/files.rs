//! Files through `/api/v4` on both blob stores: the data dir and a real
//! S3-compatible server (the test script starts one and sets
//! `RUSTCHAT_TEST_S3_ENDPOINT`). Upload, post, download, renditions, limits,
//! permissions, deletion, orphans and an S3 outage.

use std::io::Cursor;
use std::sync::Arc;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use axum::Router;
use core_server::config::Config;
use core_server::files::{BlobStore, LocalBlobStore, S3BlobStore, S3Settings};
use core_server::services::Core;
use futures::StreamExt;
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tower::ServiceExt;

const BOUNDARY: &str = "rustchat-test-boundary";

struct App {
    router: Router,
    core: Core,
    _dir: tempfile::TempDir,
}

struct Reply {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    bytes: Vec<u8>,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.bytes).unwrap_or(Value::Null)
    }
    fn header(&self, name: &str) -> String {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string()
    }
}

#[derive(Clone, Copy, Debug)]
enum Store {
    Local,
    S3,
}

fn s3_endpoint() -> Option<String> {
    match std::env::var("RUSTCHAT_TEST_S3_ENDPOINT") {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            if std::env::var("CI").is_ok_and(|v| v == "true") {
                panic!(
                    "an S3-compatible server is required under CI=true (RUSTCHAT_TEST_S3_ENDPOINT)"
                );
            }
            eprintln!("SKIPPED: RUSTCHAT_TEST_S3_ENDPOINT is not set");
            None
        }
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

impl App {
    async fn new(store: Store, config: Config) -> Option<App> {
        let dir = tempfile::tempdir().expect("tempdir");
        let url = format!("sqlite://{}", dir.path().join("t.db").display());
        let db = core_server::store::open(&url, 4).await.expect("store");
        let blobs: Arc<dyn BlobStore> = match store {
            Store::Local => Arc::new(LocalBlobStore::new(dir.path().join("files"))),
            Store::S3 => s3_store(&s3_endpoint()?).await,
        };
        let core = Core::new(db, config).with_blobs(blobs);
        Some(App {
            router: core_server::server::app(core.clone(), mm_bridge::router(core.clone())),
            core,
            _dir: dir,
        })
    }

    async fn send(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        content_type: Option<&str>,
        body: Vec<u8>,
    ) -> Reply {
        let mut req = Request::builder().method(method).uri(path);
        if let Some(t) = token {
            req = req.header("authorization", format!("Bearer {t}"));
        }
        if let Some(ct) = content_type {
            req = req.header("content-type", ct);
        }
        let resp = self
            .router
            .clone()
            .oneshot(req.body(Body::from(body)).expect("request"))
            .await
            .expect("infallible");
        let status = resp.status();
        let headers = resp.headers().clone();
        let bytes = resp
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes()
            .to_vec();
        Reply {
            status,
            headers,
            bytes,
        }
    }

    async fn json(&self, method: Method, path: &str, token: Option<&str>, body: Value) -> Reply {
        self.send(
            method,
            path,
            token,
            Some("application/json"),
            body.to_string().into_bytes(),
        )
        .await
    }

    async fn user(&self, name: &str) -> (String, String) {
        let r = self
            .json(Method::POST, "/api/v4/users", None, json!({"username": name, "email": format!("{name}@example.com"), "password": "password1"}))
            .await;
        assert_eq!(r.status, StatusCode::CREATED);
        let id = r.json()["id"].as_str().expect("id").to_string();
        let r = self
            .json(
                Method::POST,
                "/api/v4/users/login",
                None,
                json!({"login_id": name, "password": "password1"}),
            )
            .await;
        (id, r.header("token"))
    }

    /// Uploads files as one multipart request; `channel_first` puts the
    /// channel before the files (the web app's order) or after (the mobile app's).
    async fn upload(
        &self,
        token: &str,
        channel_id: &str,
        files: &[(&str, &[u8])],
        channel_first: bool,
    ) -> Reply {
        let mut body = Vec::new();
        let field = |body: &mut Vec<u8>, name: &str, value: &str| {
            body.extend_from_slice(
                format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").as_bytes(),
            );
        };
        if channel_first {
            field(&mut body, "channel_id", channel_id);
        }
        for (i, (name, bytes)) in files.iter().enumerate() {
            field(&mut body, "client_ids", &format!("client-{i}"));
            body.extend_from_slice(
                format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes(),
            );
            body.extend_from_slice(bytes);
            body.extend_from_slice(b"\r\n");
        }
        if !channel_first {
            field(&mut body, "channel_id", channel_id);
        }
        body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
        self.send(
            Method::POST,
            "/api/v4/files",
            Some(token),
            Some(&format!("multipart/form-data; boundary={BOUNDARY}")),
            body,
        )
        .await
    }
}

fn png(width: u32, height: u32) -> Vec<u8> {
    let img = image::DynamicImage::new_rgb8(width, height);
    let mut out = Vec::new();
    img.write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)
        .expect("png");
    out
}

/// A team with owner and member, a private channel with both, and an outsider.
struct World {
    app: App,
    owner: String,
    member: String,
    outsider: String,
    private: String,
}

async fn world(store: Store, config: Config) -> Option<World> {
    let app = App::new(store, config).await?;
    let (_, owner) = app.user("owner").await;
    let (member_id, member) = app.user("member").await;
    let (_, outsider) = app.user("outsider").await;
    let team = app
        .json(
            Method::POST,
            "/api/v4/teams",
            Some(&owner),
            json!({"name": "team", "display_name": "Team", "type": "O"}),
        )
        .await
        .json()["id"]
        .as_str()
        .expect("team")
        .to_string();
    app.json(
        Method::POST,
        &format!("/api/v4/teams/{team}/members"),
        Some(&owner),
        json!({"team_id": team, "user_id": member_id}),
    )
    .await;
    let private = app
        .json(
            Method::POST,
            "/api/v4/channels",
            Some(&owner),
            json!({"team_id": team, "name": "secret", "display_name": "Secret", "type": "P"}),
        )
        .await
        .json()["id"]
        .as_str()
        .expect("channel")
        .to_string();
    app.json(
        Method::POST,
        &format!("/api/v4/channels/{private}/members"),
        Some(&owner),
        json!({"user_id": member_id}),
    )
    .await;
    Some(World {
        app,
        owner,
        member,
        outsider,
        private,
    })
}

macro_rules! on_both_stores {
    ($($name:ident),* $(,)?) => {
        mod local {
            $( #[tokio::test] async fn $name() { super::$name(super::Store::Local).await } )*
        }
        mod s3 {
            $( #[tokio::test] async fn $name() { super::$name(super::Store::S3).await } )*
        }
    };
}

on_both_stores!(
    an_image_goes_through_upload_post_download_thumbnail_and_preview,
    files_are_readable_by_the_uploader_and_the_channel_only,
    limits_refuse_oversize_files_and_decompression_bombs,
    risky_types_are_always_downloads,
    files_follow_their_post_and_orphans_are_cleaned_up,
    a_file_of_several_parts_streams_through_unchanged,
    a_resumable_upload_arrives_in_parts_and_becomes_a_file,
    resumable_uploads_refuse_bad_parts_and_other_users,
    a_second_part_while_one_is_arriving_is_refused,
    abandoned_uploads_are_cleaned_up,
);

async fn a_file_of_several_parts_streams_through_unchanged(store: Store) {
    let Some(w) = world(store, Config::default()).await else {
        return;
    };
    // 17 MiB: three multipart parts on S3; a pattern so misplaced bytes show.
    let data: Vec<u8> = (0..17 * 1024 * 1024u32).map(|i| (i % 251) as u8).collect();
    let up = w
        .app
        .send(
            Method::POST,
            &format!("/api/v4/files?channel_id={}&filename=big.bin", w.private),
            Some(&w.owner),
            Some("application/octet-stream"),
            data.clone(),
        )
        .await;
    assert_eq!(up.status, StatusCode::CREATED, "{}", up.json());
    let info = &up.json()["file_infos"][0];
    assert_eq!(info["size"], data.len());
    assert_eq!(info["mime_type"], "application/octet-stream");
    let id = info["id"].as_str().expect("id").to_string();
    let got = w
        .app
        .send(
            Method::GET,
            &format!("/api/v4/files/{id}"),
            Some(&w.owner),
            None,
            Vec::new(),
        )
        .await;
    assert_eq!(got.header("content-length"), data.len().to_string());
    assert!(got.bytes == data, "the downloaded bytes differ");
}

async fn an_image_goes_through_upload_post_download_thumbnail_and_preview(store: Store) {
    let Some(w) = world(store, Config::default()).await else {
        return;
    };
    let image = png(600, 300);
    // The mobile app's order: the file before the channel id.
    let up = w
        .app
        .upload(
            &w.owner,
            &w.private,
            &[("photo.png", &image), ("notes.txt", b"plain notes")],
            false,
        )
        .await;
    assert_eq!(up.status, StatusCode::CREATED, "{}", up.json());
    let body = up.json();
    assert_eq!(body["client_ids"], json!(["client-0", "client-1"]));
    let info = &body["file_infos"][0];
    assert_eq!(info["name"], "photo.png");
    assert_eq!(info["extension"], "png");
    assert_eq!(info["mime_type"], "image/png");
    assert_eq!(info["size"], image.len());
    assert_eq!(
        (info["width"].clone(), info["height"].clone()),
        (json!(600), json!(300))
    );
    assert_eq!(info["has_preview_image"], true);
    assert!(info["mini_preview"].is_string());
    assert!(info.get("post_id").is_none(), "not posted yet");
    assert_eq!(body["file_infos"][1]["mime_type"], "text/plain");
    let file_id = info["id"].as_str().expect("id").to_string();
    let text_id = body["file_infos"][1]["id"]
        .as_str()
        .expect("id")
        .to_string();

    let post = w
        .app
        .json(
            Method::POST,
            "/api/v4/posts",
            Some(&w.owner),
            json!({"channel_id": w.private, "message": "look", "file_ids": [file_id, text_id]}),
        )
        .await;
    assert_eq!(post.status, StatusCode::CREATED, "{}", post.json());
    let post = post.json();
    assert_eq!(post["metadata"]["files"].as_array().map(Vec::len), Some(2));
    let post_id = post["id"].as_str().expect("post id");

    let listed = w
        .app
        .send(
            Method::GET,
            &format!("/api/v4/posts/{post_id}/files/info"),
            Some(&w.member),
            None,
            Vec::new(),
        )
        .await;
    assert_eq!(listed.status, StatusCode::OK);
    assert_eq!(listed.json()[0]["post_id"], post_id);

    let got = w
        .app
        .send(
            Method::GET,
            &format!("/api/v4/files/{file_id}"),
            Some(&w.member),
            None,
            Vec::new(),
        )
        .await;
    assert_eq!(got.status, StatusCode::OK);
    assert_eq!(got.bytes, image, "the same bytes come back");
    assert_eq!(got.header("content-type"), "image/png");
    assert!(got.header("content-disposition").starts_with("inline;"));
    assert_eq!(got.header("x-content-type-options"), "nosniff");
    let download = w
        .app
        .send(
            Method::GET,
            &format!("/api/v4/files/{file_id}?download=1"),
            Some(&w.member),
            None,
            Vec::new(),
        )
        .await;
    assert!(download
        .header("content-disposition")
        .starts_with("attachment;"));

    let thumb = w
        .app
        .send(
            Method::GET,
            &format!("/api/v4/files/{file_id}/thumbnail"),
            Some(&w.member),
            None,
            Vec::new(),
        )
        .await;
    assert_eq!(thumb.status, StatusCode::OK);
    assert_eq!(thumb.header("content-type"), "image/jpeg");
    let decoded = image::load_from_memory(&thumb.bytes).expect("jpeg thumbnail");
    assert_eq!((decoded.width(), decoded.height()), (120, 60));
    let preview = w
        .app
        .send(
            Method::GET,
            &format!("/api/v4/files/{file_id}/preview"),
            Some(&w.member),
            None,
            Vec::new(),
        )
        .await;
    let decoded = image::load_from_memory(&preview.bytes).expect("jpeg preview");
    assert_eq!((decoded.width(), decoded.height()), (600, 300));
    let no_thumb = w
        .app
        .send(
            Method::GET,
            &format!("/api/v4/files/{text_id}/thumbnail"),
            Some(&w.member),
            None,
            Vec::new(),
        )
        .await;
    assert_eq!(no_thumb.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        no_thumb.json()["id"],
        "api.file.get_file_thumbnail.no_thumbnail.app_error"
    );

    let found = w
        .app
        .json(
            Method::POST,
            &format!("/api/v4/teams/{}/files/search", team_of(&w).await),
            Some(&w.member),
            json!({"terms": "photo"}),
        )
        .await;
    assert_eq!(found.status, StatusCode::OK);
    assert_eq!(found.json()["order"], json!([file_id]));
}

async fn team_of(w: &World) -> String {
    w.app
        .send(
            Method::GET,
            &format!("/api/v4/channels/{}", w.private),
            Some(&w.owner),
            None,
            Vec::new(),
        )
        .await
        .json()["team_id"]
        .as_str()
        .expect("team id")
        .to_string()
}

async fn files_are_readable_by_the_uploader_and_the_channel_only(store: Store) {
    let Some(w) = world(store, Config::default()).await else {
        return;
    };
    let up = w
        .app
        .upload(&w.owner, &w.private, &[("plan.txt", b"the plan")], true)
        .await;
    assert_eq!(up.status, StatusCode::CREATED);
    let id = up.json()["file_infos"][0]["id"]
        .as_str()
        .expect("id")
        .to_string();
    let paths = [
        format!("/api/v4/files/{id}"),
        format!("/api/v4/files/{id}/info"),
    ];
    // Before it is posted, only the uploader sees it.
    for path in &paths {
        let own = w
            .app
            .send(Method::GET, path, Some(&w.owner), None, Vec::new())
            .await;
        assert_eq!(own.status, StatusCode::OK, "uploader on {path}");
        let member = w
            .app
            .send(Method::GET, path, Some(&w.member), None, Vec::new())
            .await;
        assert_eq!(
            member.status,
            StatusCode::FORBIDDEN,
            "member before posting on {path}"
        );
    }
    let theirs = w
        .app
        .upload(&w.owner, &w.private, &[("theirs.txt", b"theirs")], true)
        .await;
    let theirs = theirs.json()["file_infos"][0]["id"]
        .as_str()
        .expect("id")
        .to_string();
    let post = w
        .app
        .json(
            Method::POST,
            "/api/v4/posts",
            Some(&w.owner),
            json!({"channel_id": w.private, "message": "plan", "file_ids": [id]}),
        )
        .await;
    assert_eq!(post.status, StatusCode::CREATED);
    for path in paths {
        let member = w
            .app
            .send(Method::GET, &path, Some(&w.member), None, Vec::new())
            .await;
        assert_eq!(member.status, StatusCode::OK, "channel member on {path}");
        let outsider = w
            .app
            .send(Method::GET, &path, Some(&w.outsider), None, Vec::new())
            .await;
        assert_eq!(outsider.status, StatusCode::FORBIDDEN, "outsider on {path}");
        assert_eq!(outsider.json()["status_code"], 403);
    }
    // An outsider cannot upload into the channel either, nor attach someone else's file.
    let refused = w
        .app
        .upload(&w.outsider, &w.private, &[("x.txt", b"x")], true)
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let refused = w
        .app
        .upload(&w.outsider, &w.private, &[("x.txt", b"x")], false)
        .await;
    assert_eq!(
        refused.status,
        StatusCode::FORBIDDEN,
        "files sent before the channel id are checked too"
    );
    let stolen = w
        .app
        .json(
            Method::POST,
            "/api/v4/posts",
            Some(&w.member),
            json!({"channel_id": w.private, "message": "mine now", "file_ids": [theirs]}),
        )
        .await;
    assert_eq!(stolen.status, StatusCode::CREATED);
    assert_eq!(
        stolen.json()["file_ids"],
        json!([]),
        "another user's file is not attached"
    );
}

async fn limits_refuse_oversize_files_and_decompression_bombs(store: Store) {
    let Some(w) = world(
        store,
        Config {
            max_file_size: 10 * 1024,
            ..Config::default()
        },
    )
    .await
    else {
        return;
    };
    let big = vec![7u8; 20 * 1024];
    let refused = w
        .app
        .upload(&w.owner, &w.private, &[("big.bin", &big)], true)
        .await;
    assert_eq!(refused.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(
        refused.json()["id"],
        "api.file.upload_file.too_large_detailed.app_error"
    );
    let raw = w
        .app
        .send(
            Method::POST,
            &format!("/api/v4/files?channel_id={}&filename=big.bin", w.private),
            Some(&w.owner),
            Some("application/octet-stream"),
            big.clone(),
        )
        .await;
    assert_eq!(raw.status, StatusCode::PAYLOAD_TOO_LARGE);

    // A valid PNG header claiming 100,000 × 100,000 pixels.
    let mut bomb = png(1, 1);
    bomb[16..20].copy_from_slice(&100_000u32.to_be_bytes());
    bomb[20..24].copy_from_slice(&100_000u32.to_be_bytes());
    let crc = crc32(&bomb[12..29]);
    bomb[29..33].copy_from_slice(&crc.to_be_bytes());
    let refused = w
        .app
        .upload(&w.owner, &w.private, &[("bomb.png", &bomb)], true)
        .await;
    assert_eq!(
        refused.status,
        StatusCode::BAD_REQUEST,
        "{}",
        refused.json()
    );
    assert_eq!(
        refused.json()["id"],
        "api.file.upload_file.large_image_detailed.app_error"
    );
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xffff_ffffu32;
    for b in bytes {
        crc ^= u32::from(*b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xedb8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

async fn risky_types_are_always_downloads(store: Store) {
    let Some(w) = world(store, Config::default()).await else {
        return;
    };
    let svg = b"<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>";
    let html = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>";
    let up = w
        .app
        .upload(
            &w.owner,
            &w.private,
            &[("x.svg", svg), ("x.html", html)],
            true,
        )
        .await;
    assert_eq!(up.status, StatusCode::CREATED);
    for info in up.json()["file_infos"].as_array().expect("infos") {
        let id = info["id"].as_str().expect("id");
        let got = w
            .app
            .send(
                Method::GET,
                &format!("/api/v4/files/{id}"),
                Some(&w.owner),
                None,
                Vec::new(),
            )
            .await;
        assert!(
            got.header("content-disposition").starts_with("attachment;"),
            "{}: {}",
            info["name"],
            got.header("content-disposition")
        );
        assert_ne!(
            got.header("content-type"),
            "text/html",
            "HTML is never served as a page"
        );
        assert!(got.header("content-security-policy").contains("sandbox"));
    }
}

async fn files_follow_their_post_and_orphans_are_cleaned_up(store: Store) {
    let Some(w) = world(store, Config::default()).await else {
        return;
    };
    let up = w
        .app
        .upload(
            &w.owner,
            &w.private,
            &[("a.txt", b"attached"), ("b.txt", b"never posted")],
            true,
        )
        .await;
    let infos = up.json()["file_infos"].clone();
    let attached = infos[0]["id"].as_str().expect("id").to_string();
    let orphan = infos[1]["id"].as_str().expect("id").to_string();
    let post = w
        .app
        .json(
            Method::POST,
            "/api/v4/posts",
            Some(&w.owner),
            json!({"channel_id": w.private, "message": "doc", "file_ids": [attached]}),
        )
        .await
        .json();
    let post_id = post["id"].as_str().expect("post");
    let deleted = w
        .app
        .send(
            Method::DELETE,
            &format!("/api/v4/posts/{post_id}"),
            Some(&w.owner),
            None,
            Vec::new(),
        )
        .await;
    assert_eq!(deleted.status, StatusCode::OK);
    let gone = w
        .app
        .send(
            Method::GET,
            &format!("/api/v4/files/{attached}"),
            Some(&w.owner),
            None,
            Vec::new(),
        )
        .await;
    assert_eq!(
        gone.status,
        StatusCode::NOT_FOUND,
        "a deleted post's file is gone"
    );

    // Age the unposted file past the orphan limit, then clean up.
    let mut info = w.app.core.store.get_file_info(&orphan).await.expect("info");
    w.app
        .core
        .store
        .remove_file_info(&orphan)
        .await
        .expect("remove");
    info.create_at -= core_server::files::service::ORPHAN_AFTER_MS + 1000;
    w.app
        .core
        .store
        .create_file_info(&info)
        .await
        .expect("reinsert");
    assert_eq!(w.app.core.clean_orphan_files().await.expect("clean"), 1);
    assert!(matches!(
        w.app.core.blobs.get(&info.blob_key()).await,
        Err(core_server::Error::NotFound { .. })
    ));
    assert_eq!(w.app.core.clean_orphan_files().await.expect("clean"), 0);
}

#[tokio::test]
async fn an_unreachable_s3_store_is_a_503_and_posts_still_work() {
    // Nothing listens on this port.
    let port = {
        let probe = std::net::TcpListener::bind("127.0.0.1:0").expect("port");
        probe.local_addr().expect("addr").port()
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let db = core_server::store::open(
        &format!("sqlite://{}", dir.path().join("t.db").display()),
        4,
    )
    .await
    .expect("store");
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
        endpoint: Some(format!("http://127.0.0.1:{port}")),
        region: Some("us-east-1".into()),
        path_style: true,
    })
    .await;
    let core = Core::new(db, Config::default()).with_blobs(Arc::new(blobs));
    let app = App {
        router: core_server::server::app(core.clone(), mm_bridge::router(core.clone())),
        core,
        _dir: dir,
    };
    let (_, owner) = app.user("owner").await;
    let team = app
        .json(
            Method::POST,
            "/api/v4/teams",
            Some(&owner),
            json!({"name": "team", "display_name": "Team"}),
        )
        .await
        .json()["id"]
        .as_str()
        .expect("team")
        .to_string();
    let channel = app
        .send(
            Method::GET,
            &format!("/api/v4/teams/{team}/channels/name/town-square"),
            Some(&owner),
            None,
            Vec::new(),
        )
        .await
        .json()["id"]
        .as_str()
        .expect("channel")
        .to_string();
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

const MIB: usize = 1024 * 1024;

fn pattern(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i % 251) as u8).collect()
}

impl App {
    /// Starts a resumable upload; returns the reply.
    async fn create_upload(&self, token: &str, channel_id: &str, name: &str, size: usize) -> Reply {
        self.json(
            Method::POST,
            "/api/v4/uploads",
            Some(token),
            json!({"channel_id": channel_id, "filename": name, "file_size": size}),
        )
        .await
    }

    /// Sends a part as a raw body.
    async fn send_part(&self, token: &str, upload_id: &str, bytes: Vec<u8>) -> Reply {
        self.send(
            Method::POST,
            &format!("/api/v4/uploads/{upload_id}"),
            Some(token),
            Some("application/octet-stream"),
            bytes,
        )
        .await
    }

    async fn get_upload(&self, token: &str, upload_id: &str) -> Reply {
        self.send(
            Method::GET,
            &format!("/api/v4/uploads/{upload_id}"),
            Some(token),
            None,
            Vec::new(),
        )
        .await
    }
}

async fn a_resumable_upload_arrives_in_parts_and_becomes_a_file(store: Store) {
    let Some(w) = world(store, Config::default()).await else {
        return;
    };
    let data = pattern(6 * MIB + 1000);
    let created = w
        .app
        .create_upload(&w.owner, &w.private, "../big report.bin", data.len())
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.json());
    let session = created.json();
    assert_eq!(session["type"], "attachment");
    assert_eq!(session["file_offset"], 0);
    assert_eq!(session["file_size"], data.len());
    assert_eq!(session["channel_id"], w.private.as_str());
    assert_eq!(session["remote_id"], "");
    assert_eq!(
        session["filename"], "big report.bin",
        "the name is sanitised"
    );
    let id = session["id"].as_str().expect("id").to_string();

    // The first part: 5 MiB, raw.
    let first = w
        .app
        .send_part(&w.owner, &id, data[..5 * MIB].to_vec())
        .await;
    assert_eq!(first.status, StatusCode::NO_CONTENT, "{}", first.json());
    let progress = w.app.get_upload(&w.owner, &id).await;
    assert_eq!(progress.status, StatusCode::OK);
    assert_eq!(progress.json()["file_offset"], 5 * MIB);
    let listed = w
        .app
        .send(
            Method::GET,
            "/api/v4/users/me/uploads",
            Some(&w.owner),
            None,
            Vec::new(),
        )
        .await;
    assert_eq!(listed.json().as_array().map(Vec::len), Some(1));
    assert_eq!(listed.json()[0]["id"], id.as_str());
    let part_keys: Vec<String> = w
        .app
        .core
        .store
        .list_upload_parts(&id)
        .await
        .expect("parts")
        .into_iter()
        .map(|p| p.blob_key)
        .collect();
    assert_eq!(part_keys.len(), 1);

    // The rest, as the first part of a multipart body (as the apps send it).
    let mut body = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"data\"; filename=\"blob\"\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(&data[5 * MIB..]);
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    let last = w
        .app
        .send(
            Method::POST,
            &format!("/api/v4/uploads/{id}"),
            Some(&w.owner),
            Some(&format!("multipart/form-data; boundary={BOUNDARY}")),
            body,
        )
        .await;
    assert_eq!(last.status, StatusCode::OK, "{}", last.json());
    let info = last.json();
    assert_eq!(info["size"], data.len());
    assert_eq!(info["name"], "big report.bin");
    assert_eq!(info["channel_id"], w.private.as_str());
    let file_id = info["id"].as_str().expect("file id").to_string();

    // The session and its parts are gone; the file is whole.
    let gone = w.app.get_upload(&w.owner, &id).await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND);
    assert_eq!(gone.json()["id"], "app.upload.get.app_error");
    for key in &part_keys {
        assert!(
            matches!(
                w.app.core.blobs.get(key).await,
                Err(core_server::Error::NotFound { .. })
            ),
            "part {key} was deleted"
        );
    }
    let post = w
        .app
        .json(
            Method::POST,
            "/api/v4/posts",
            Some(&w.owner),
            json!({"channel_id": w.private, "message": "report", "file_ids": [file_id]}),
        )
        .await;
    assert_eq!(post.json()["file_ids"], json!([file_id]));
    let got = w
        .app
        .send(
            Method::GET,
            &format!("/api/v4/files/{file_id}"),
            Some(&w.member),
            None,
            Vec::new(),
        )
        .await;
    assert_eq!(got.status, StatusCode::OK);
    assert!(
        got.bytes == data,
        "the joined parts equal the original bytes"
    );

    // A small image in one part is typed and previewed like any upload.
    let image = png(300, 200);
    let id = w
        .app
        .create_upload(&w.owner, &w.private, "pic.png", image.len())
        .await
        .json()["id"]
        .as_str()
        .expect("id")
        .to_string();
    let done = w.app.send_part(&w.owner, &id, image).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.json());
    assert_eq!(done.json()["mime_type"], "image/png");
    assert_eq!(done.json()["width"], 300);
    assert_eq!(done.json()["has_preview_image"], true);
}

async fn resumable_uploads_refuse_bad_parts_and_other_users(store: Store) {
    let Some(w) = world(store, Config::default()).await else {
        return;
    };
    let too_big = w
        .app
        .create_upload(&w.owner, &w.private, "huge.bin", 200 * MIB)
        .await;
    assert_eq!(too_big.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(
        too_big.json()["id"],
        "api.upload.create.upload_too_large.app_error"
    );
    let empty = w.app.create_upload(&w.owner, &w.private, "e.bin", 0).await;
    assert_eq!(empty.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        empty.json()["id"],
        "model.upload_session.is_valid.file_size.app_error"
    );
    let no_name = w.app.create_upload(&w.owner, &w.private, "", 10).await;
    assert_eq!(no_name.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        no_name.json()["id"],
        "model.upload_session.is_valid.filename.app_error"
    );
    let outsider = w
        .app
        .create_upload(&w.outsider, &w.private, "x.bin", 10)
        .await;
    assert!(
        matches!(
            outsider.status,
            StatusCode::FORBIDDEN | StatusCode::NOT_FOUND
        ),
        "a non-member cannot upload into the channel: {}",
        outsider.status
    );
    let kind = w
        .app
        .json(
            Method::POST,
            "/api/v4/uploads",
            Some(&w.owner),
            json!({"channel_id": w.private, "filename": "a", "file_size": 1, "type": "weird"}),
        )
        .await;
    assert_eq!(kind.status, StatusCode::BAD_REQUEST);

    let data = pattern(6 * MIB);
    let id = w
        .app
        .create_upload(&w.owner, &w.private, "six.bin", data.len())
        .await
        .json()["id"]
        .as_str()
        .expect("id")
        .to_string();
    // Someone else's upload: neither readable nor writable.
    let peek = w.app.get_upload(&w.member, &id).await;
    assert_eq!(peek.status, StatusCode::FORBIDDEN);
    assert_eq!(
        peek.json()["id"],
        "api.upload.get_upload.forbidden.app_error"
    );
    let write = w
        .app
        .send_part(&w.member, &id, data[..5 * MIB].to_vec())
        .await;
    assert_eq!(write.status, StatusCode::FORBIDDEN);
    let member_id = w
        .app
        .send(
            Method::GET,
            "/api/v4/users/me",
            Some(&w.member),
            None,
            Vec::new(),
        )
        .await
        .json()["id"]
        .as_str()
        .expect("member id")
        .to_string();
    let others = w
        .app
        .send(
            Method::GET,
            &format!("/api/v4/users/{member_id}/uploads"),
            Some(&w.owner),
            None,
            Vec::new(),
        )
        .await;
    assert_eq!(others.status, StatusCode::FORBIDDEN);
    assert_eq!(
        others.json()["id"],
        "api.user.get_uploads_for_user.forbidden.app_error"
    );

    // A small first part that does not complete the file.
    let small = w.app.send_part(&w.owner, &id, vec![1; 1000]).await;
    assert_eq!(small.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        small.json()["id"],
        "app.upload.upload_data.first_part_too_small.app_error"
    );
    // A part longer than what is left.
    let long = w.app.send_part(&w.owner, &id, pattern(6 * MIB + 1)).await;
    assert_eq!(long.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        long.json()["id"],
        "api.upload.upload_data.invalid_content_length"
    );
    // Nothing of the refused parts counts.
    assert_eq!(
        w.app.get_upload(&w.owner, &id).await.json()["file_offset"],
        0
    );
    assert!(w
        .app
        .core
        .store
        .list_upload_parts(&id)
        .await
        .expect("parts")
        .is_empty());
    let unknown = w
        .app
        .send_part(&w.owner, &core_server::id::new_id(), vec![1])
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    let bad = w.app.get_upload(&w.owner, "not-an-id").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);

    // Of two writers racing for one offset (on two nodes), one wins.
    let part = core_server::model::UploadPart {
        start_offset: 0,
        size: 10,
        blob_key: "uploads/test/a".into(),
    };
    assert!(w
        .app
        .core
        .store
        .append_upload_part(&id, &part)
        .await
        .expect("first"));
    assert!(!w
        .app
        .core
        .store
        .append_upload_part(&id, &part)
        .await
        .expect("second"));
    // Of two requests finishing it (on two nodes), one joins the parts.
    let store = &w.app.core.store;
    assert!(store.claim_upload_finish(&id, true).await.expect("claim"));
    assert!(!store.claim_upload_finish(&id, true).await.expect("claimed"));
    assert!(store.claim_upload_finish(&id, false).await.expect("reopen"));
}

async fn a_second_part_while_one_is_arriving_is_refused(store: Store) {
    let Some(w) = world(store, Config::default()).await else {
        return;
    };
    let id = w
        .app
        .create_upload(&w.owner, &w.private, "slow.txt", 100)
        .await
        .json()["id"]
        .as_str()
        .expect("id")
        .to_string();
    // A body that sends half, then waits.
    let (release, wait) = tokio::sync::oneshot::channel::<()>();
    let chunks = futures::stream::once(async { Ok::<_, std::io::Error>(vec![b'a'; 50]) }).chain(
        futures::stream::once(async move {
            let _ = wait.await;
            Ok(vec![b'b'; 50])
        }),
    );
    let request = Request::builder()
        .method(Method::POST)
        .uri(format!("/api/v4/uploads/{id}"))
        .header("authorization", format!("Bearer {}", w.owner))
        .body(Body::from_stream(chunks))
        .expect("request");
    let router = w.app.router.clone();
    let slow = tokio::spawn(async move { router.oneshot(request).await });
    // Let the slow request take the upload.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let second = w.app.send_part(&w.owner, &id, vec![b'c'; 100]).await;
    assert_eq!(second.status, StatusCode::BAD_REQUEST, "{}", second.json());
    assert_eq!(
        second.json()["id"],
        "app.upload.upload_data.concurrent.app_error"
    );
    release.send(()).expect("release");
    let first = slow.await.expect("join").expect("response");
    assert_eq!(first.status(), StatusCode::OK);
    let info: Value =
        serde_json::from_slice(&first.into_body().collect().await.expect("body").to_bytes())
            .expect("json");
    let file_id = info["id"].as_str().expect("id");
    let got = w
        .app
        .send(
            Method::GET,
            &format!("/api/v4/files/{file_id}"),
            Some(&w.owner),
            None,
            Vec::new(),
        )
        .await;
    let expected: Vec<u8> = [vec![b'a'; 50], vec![b'b'; 50]].concat();
    assert!(
        got.bytes == expected,
        "only the first writer's bytes are kept"
    );
}

async fn abandoned_uploads_are_cleaned_up(store: Store) {
    let Some(w) = world(store, Config::default()).await else {
        return;
    };
    let created = w
        .app
        .create_upload(&w.owner, &w.private, "left.bin", 6 * MIB)
        .await
        .json();
    let id = created["id"].as_str().expect("id").to_string();
    let part = w.app.send_part(&w.owner, &id, pattern(5 * MIB)).await;
    assert_eq!(part.status, StatusCode::NO_CONTENT);
    let keys: Vec<String> = w
        .app
        .core
        .store
        .list_upload_parts(&id)
        .await
        .expect("parts")
        .into_iter()
        .map(|p| p.blob_key)
        .collect();
    assert_eq!(
        w.app.core.clean_stale_uploads().await.expect("clean"),
        0,
        "a fresh upload stays"
    );

    // One started long ago and never finished.
    let mut old = w.app.core.store.get_upload(&id).await.expect("upload");
    old.id = core_server::id::new_id();
    old.file_offset = 0;
    old.create_at -= core_server::files::service::ORPHAN_AFTER_MS + 1000;
    w.app
        .core
        .store
        .create_upload(&old)
        .await
        .expect("old upload");
    let moved = core_server::model::UploadPart {
        start_offset: 0,
        size: 5 * MIB as i64,
        blob_key: keys[0].clone(),
    };
    // Hand the stored part to the old session, as if it had sent it.
    w.app
        .core
        .store
        .delete_upload(&id)
        .await
        .expect("forget fresh");
    assert!(w
        .app
        .core
        .store
        .append_upload_part(&old.id, &moved)
        .await
        .expect("part"));
    assert_eq!(w.app.core.clean_stale_uploads().await.expect("clean"), 1);
    assert!(matches!(
        w.app.core.blobs.get(&keys[0]).await,
        Err(core_server::Error::NotFound { .. })
    ));
    let gone = w.app.get_upload(&w.owner, &old.id).await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND);
    assert_eq!(w.app.core.clean_stale_uploads().await.expect("clean"), 0);
}
