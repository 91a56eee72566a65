//! Uploads end to end: a large file streamed through in parts, and an image
//! with its renditions (thumbnail, preview) after it is posted.

use axum::http::{Method, StatusCode};
use serde_json::json;

use crate::stores::Store;
use crate::support;
use crate::world::{png, team_of, world};

pub async fn a_file_of_several_parts_streams_through_unchanged(store: Store) {
    let Some(w) = world(store, crate::support::open_config()).await else {
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
    let id = support::id(info);
    let got = w.app.get(&format!("/api/v4/files/{id}"), &w.owner).await;
    assert_eq!(got.header("content-length"), data.len().to_string());
    assert!(got.bytes == data, "the downloaded bytes differ");
}

pub async fn an_image_goes_through_upload_post_download_thumbnail_and_preview(store: Store) {
    let Some(w) = world(store, crate::support::open_config()).await else {
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
    let file_id = support::id(info);
    let text_id = support::id(&body["file_infos"][1]);

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
        .get(&format!("/api/v4/posts/{post_id}/files/info"), &w.member)
        .await;
    assert_eq!(listed.status, StatusCode::OK);
    assert_eq!(listed.json()[0]["post_id"], post_id);

    let got = w
        .app
        .get(&format!("/api/v4/files/{file_id}"), &w.member)
        .await;
    assert_eq!(got.status, StatusCode::OK);
    assert_eq!(got.bytes, image, "the same bytes come back");
    assert_eq!(got.header("content-type"), "image/png");
    assert!(got.header("content-disposition").starts_with("inline;"));
    assert_eq!(got.header("x-content-type-options"), "nosniff");
    let download = w
        .app
        .get(&format!("/api/v4/files/{file_id}?download=1"), &w.member)
        .await;
    assert!(download
        .header("content-disposition")
        .starts_with("attachment;"));

    let thumb = w
        .app
        .get(&format!("/api/v4/files/{file_id}/thumbnail"), &w.member)
        .await;
    assert_eq!(thumb.status, StatusCode::OK);
    assert_eq!(thumb.header("content-type"), "image/jpeg");
    let decoded = image::load_from_memory(&thumb.bytes).expect("jpeg thumbnail");
    assert_eq!((decoded.width(), decoded.height()), (120, 60));
    let preview = w
        .app
        .get(&format!("/api/v4/files/{file_id}/preview"), &w.member)
        .await;
    let decoded = image::load_from_memory(&preview.bytes).expect("jpeg preview");
    assert_eq!((decoded.width(), decoded.height()), (600, 300));
    let no_thumb = w
        .app
        .get(&format!("/api/v4/files/{text_id}/thumbnail"), &w.member)
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
    // Terms longer than a search may be are refused by name (the database
    // would refuse so long a pattern only once files are scanned).
    let too_long = w
        .app
        .json(
            Method::POST,
            &format!("/api/v4/teams/{}/files/search", team_of(&w).await),
            Some(&w.member),
            json!({"terms": "x".repeat(70_000)}),
        )
        .await;
    assert_eq!(too_long.status, StatusCode::BAD_REQUEST);
    assert!(
        too_long.json()["message"]
            .as_str()
            .is_some_and(|m| m.contains("terms")),
        "{}",
        too_long.json()
    );
}
