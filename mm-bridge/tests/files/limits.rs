//! What uploads refuse or defuse: oversize files, decompression bombs, and
//! types a browser would run (always served as downloads).

use axum::http::{Method, StatusCode};
use core_server::config::Config;

use crate::stores::Store;
use crate::world::{png, world};

pub async fn limits_refuse_oversize_files_and_decompression_bombs(store: Store) {
    let Some(w) = world(
        store,
        Config {
            max_file_size: 10 * 1024,
            ..crate::support::open_config()
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

/// CRC-32 of a PNG chunk, to forge a valid header.
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

pub async fn risky_types_are_always_downloads(store: Store) {
    let Some(w) = world(store, crate::support::open_config()).await else {
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
        let got = w.app.get(&format!("/api/v4/files/{id}"), &w.owner).await;
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
