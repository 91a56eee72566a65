//! Custom emoji: created from a multipart upload, served, listed, searched
//! and deleted; and the emoji helper the walk uses too.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use serde_json::Value;

use crate::support::{id, App, PNG};

/// `POST /api/v4/emoji` as Mattermost's clients send it: multipart `image` and `emoji` JSON.
pub async fn create_emoji(app: &App, token: &str, name: &str, image: &[u8]) -> (StatusCode, Value) {
    let boundary = "rustchatboundary";
    let mut body = Vec::new();
    body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"image\"; filename=\"e.png\"\r\nContent-Type: image/png\r\n\r\n").as_bytes());
    body.extend_from_slice(image);
    body.extend_from_slice(format!("\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"emoji\"\r\n\r\n{{\"name\":\"{name}\"}}\r\n--{boundary}--\r\n").as_bytes());
    let req = Request::builder()
        .method(Method::POST)
        .uri("/api/v4/emoji")
        .header("authorization", format!("Bearer {token}"))
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .header("content-length", body.len().to_string())
        .body(Body::from(body))
        .expect("request");
    let reply = app.request(req).await;
    (reply.status, reply.json())
}

#[tokio::test]
async fn custom_emoji_are_created_served_listed_and_deleted() {
    let app = App::new().await;
    let (_, admin) = app.user("emojiadmin").await;
    let (_, user) = app.user("emojiuser").await;
    let (status, emoji) = create_emoji(&app, &user, "Parrot", PNG).await;
    assert_eq!(status, StatusCode::OK, "{emoji}");
    assert_eq!(emoji["name"], "parrot");
    let emoji_id = id(&emoji);
    let (status, dup) = create_emoji(&app, &user, "parrot", PNG).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "names are unique: {dup}");
    let (status, _) = create_emoji(
        &app,
        &user,
        "svg",
        b"<svg xmlns='http://www.w3.org/2000/svg'/>",
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "only raster images");
    let (status, big) =
        create_emoji(&app, &user, "big", &[PNG, &vec![0u8; 600 * 1024]].concat()).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{big}");

    let req = Request::builder()
        .uri(format!("/api/v4/emoji/{emoji_id}/image"))
        .header("authorization", format!("Bearer {admin}"))
        .body(Body::empty())
        .expect("request");
    let resp = app.request(req).await;
    assert_eq!(
        resp.headers
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("image/png")
    );
    assert_eq!(resp.bytes, PNG, "the same bytes come back");

    let (_, by_name, _) = app
        .call(
            &Method::GET,
            "/api/v4/emoji/name/parrot",
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(by_name["id"], emoji_id.as_str());
    let (_, found, _) = app
        .call(
            &Method::GET,
            "/api/v4/emoji/autocomplete?name=par",
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(found.as_array().map(Vec::len), Some(1));
    let (status, _, _) = app
        .call(
            &Method::DELETE,
            &format!("/api/v4/emoji/{emoji_id}"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "an admin may delete anyone's emoji");
    let (status, _, _) = app
        .call(
            &Method::GET,
            "/api/v4/emoji/name/parrot",
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}
