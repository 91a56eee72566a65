//! Resumable uploads (`/api/v4/uploads`): parts as they arrive, refusals,
//! two writers at once, and sessions abandoned halfway.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use futures::StreamExt;
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tower::ServiceExt;

use crate::stores::Store;
use crate::support::{self, App, Reply};
use crate::world::{pattern, png, world, BOUNDARY, MIB};

impl App {
    /// Starts a resumable upload; returns the reply.
    pub async fn create_upload(
        &self,
        token: &str,
        channel_id: &str,
        name: &str,
        size: usize,
    ) -> Reply {
        self.json(
            Method::POST,
            "/api/v4/uploads",
            Some(token),
            json!({"channel_id": channel_id, "filename": name, "file_size": size}),
        )
        .await
    }

    /// Sends a part as a raw body.
    pub async fn send_part(&self, token: &str, upload_id: &str, bytes: Vec<u8>) -> Reply {
        self.send(
            Method::POST,
            &format!("/api/v4/uploads/{upload_id}"),
            Some(token),
            Some("application/octet-stream"),
            bytes,
        )
        .await
    }

    /// The session of an upload.
    pub async fn get_upload(&self, token: &str, upload_id: &str) -> Reply {
        self.get(&format!("/api/v4/uploads/{upload_id}"), token)
            .await
    }
}

/// The blob keys of the parts an upload has stored so far.
async fn stored_parts(app: &App, upload_id: &str) -> Vec<String> {
    let parts = app.core.store.list_upload_parts(upload_id).await;
    parts
        .expect("parts")
        .into_iter()
        .map(|p| p.blob_key)
        .collect()
}

pub async fn a_resumable_upload_arrives_in_parts_and_becomes_a_file(store: Store) {
    let Some(w) = world(store, crate::support::open_config()).await else {
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
    let id = support::id(&session);

    // The first part: 5 MiB, raw.
    let first = w
        .app
        .send_part(&w.owner, &id, data[..5 * MIB].to_vec())
        .await;
    assert_eq!(first.status, StatusCode::NO_CONTENT, "{}", first.json());
    let progress = w.app.get_upload(&w.owner, &id).await;
    assert_eq!(progress.status, StatusCode::OK);
    assert_eq!(progress.json()["file_offset"], 5 * MIB);
    let listed = w.app.get("/api/v4/users/me/uploads", &w.owner).await;
    assert_eq!(listed.json().as_array().map(Vec::len), Some(1));
    assert_eq!(listed.json()[0]["id"], id.as_str());
    let part_keys = stored_parts(&w.app, &id).await;
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
    let file_id = support::id(&info);

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
        .get(&format!("/api/v4/files/{file_id}"), &w.member)
        .await;
    assert_eq!(got.status, StatusCode::OK);
    assert!(
        got.bytes == data,
        "the joined parts equal the original bytes"
    );

    // A small image in one part is typed and previewed like any upload.
    let image = png(300, 200);
    let id = support::id(
        &w.app
            .create_upload(&w.owner, &w.private, "pic.png", image.len())
            .await
            .json(),
    );
    let done = w.app.send_part(&w.owner, &id, image).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.json());
    assert_eq!(done.json()["mime_type"], "image/png");
    assert_eq!(done.json()["width"], 300);
    assert_eq!(done.json()["has_preview_image"], true);
}

pub async fn resumable_uploads_refuse_bad_parts_and_other_users(store: Store) {
    let Some(w) = world(store, crate::support::open_config()).await else {
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
    let id = support::id(
        &w.app
            .create_upload(&w.owner, &w.private, "six.bin", data.len())
            .await
            .json(),
    );
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
    let member_id = support::id(&w.app.get("/api/v4/users/me", &w.member).await.json());
    let others = w
        .app
        .get(&format!("/api/v4/users/{member_id}/uploads"), &w.owner)
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
    let now = core_server::time::now_ms();
    assert!(store
        .claim_upload_finish(&id, now, now - 60_000)
        .await
        .expect("claim"));
    assert!(!store
        .claim_upload_finish(&id, now, now - 60_000)
        .await
        .expect("claimed"));
    store.release_upload_finish(&id).await.expect("reopen");
    assert!(store
        .claim_upload_finish(&id, now, now - 60_000)
        .await
        .expect("claim again"));
}

pub async fn a_second_part_while_one_is_arriving_is_refused(store: Store) {
    let Some(w) = world(store, crate::support::open_config()).await else {
        return;
    };
    let id = support::id(
        &w.app
            .create_upload(&w.owner, &w.private, "slow.txt", 100)
            .await
            .json(),
    );
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
        .get(&format!("/api/v4/files/{file_id}"), &w.owner)
        .await;
    let expected: Vec<u8> = [vec![b'a'; 50], vec![b'b'; 50]].concat();
    assert!(
        got.bytes == expected,
        "only the first writer's bytes are kept"
    );
}

pub async fn abandoned_uploads_are_cleaned_up(store: Store) {
    let Some(w) = world(store, crate::support::open_config()).await else {
        return;
    };
    let created = w
        .app
        .create_upload(&w.owner, &w.private, "left.bin", 6 * MIB)
        .await
        .json();
    let id = support::id(&created);
    let part = w.app.send_part(&w.owner, &id, pattern(5 * MIB)).await;
    assert_eq!(part.status, StatusCode::NO_CONTENT);
    let keys = stored_parts(&w.app, &id).await;
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

/// A server that stopped while it joined an upload's parts leaves the
/// upload claimed. The client's retry is told to wait while the claim is
/// fresh, and finishes the upload once the claim is older than its lease.
pub async fn an_upload_left_finishing_by_a_stopped_server_is_finished_by_a_retry(store: Store) {
    let Some(w) = world(store, crate::support::open_config()).await else {
        return;
    };
    let data = pattern(5 * MIB + 1000);
    let created = w
        .app
        .create_upload(&w.owner, &w.private, "notes.bin", data.len())
        .await;
    let id = support::id(&created.json());
    let first = w
        .app
        .send_part(&w.owner, &id, data[..5 * MIB].to_vec())
        .await;
    assert_eq!(first.status, StatusCode::NO_CONTENT, "{}", first.json());
    let rest = data[5 * MIB..].to_vec();
    let store = &w.app.core.store;
    let now = core_server::time::now_ms();

    // Another request (on another node) is finishing it right now.
    assert!(store
        .claim_upload_finish(&id, now, now - 1)
        .await
        .expect("claim"));
    let fresh = w.app.send_part(&w.owner, &id, rest.clone()).await;
    assert!(
        fresh.status.is_client_error(),
        "a fresh claim is someone else's: {} {}",
        fresh.status,
        fresh.json()
    );
    // The claim dates from before the lease: the server holding it stopped.
    store.release_upload_finish(&id).await.expect("release");
    let long_ago = now - 60 * 60 * 1000;
    assert!(store
        .claim_upload_finish(&id, long_ago, long_ago - 1)
        .await
        .expect("old claim"));
    let retry = w.app.send_part(&w.owner, &id, rest).await;
    assert_eq!(retry.status, StatusCode::OK, "{}", retry.json());
    assert_eq!(retry.json()["size"], data.len());
}
