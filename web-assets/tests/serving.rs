//! The embedded bundle as a browser sees it: files, SPA fallback, caching,
//! compression, and no HTML where a script or an API answer is expected.

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use tower::ServiceExt;

fn app() -> Router {
    Router::new().fallback(web_assets::serve)
}

async fn get(path: &str, gzip: bool) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
    let mut request = Request::builder().uri(path);
    if gzip {
        request = request.header(header::ACCEPT_ENCODING, "gzip, br");
    }
    let response = app()
        .oneshot(request.body(Body::empty()).expect("request"))
        .await
        .expect("infallible");
    let status = response.status();
    let headers = response.headers().clone();
    let body = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    (status, headers, body.to_vec())
}

#[tokio::test]
async fn app_routes_fall_back_to_the_page() {
    let (status, headers, body) = get("/", false).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_TYPE], "text/html; charset=utf-8");
    assert_eq!(headers[header::CACHE_CONTROL], "no-cache");
    assert!(headers.contains_key(header::CONTENT_SECURITY_POLICY));
    let page = String::from_utf8(body).expect("utf-8");
    assert!(page.contains("rustchat"), "{page}");

    // A deep link of the app gets the same page.
    let (status, _, deep) = get("/e2e/channels/town-square", false).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(deep, page.as_bytes());
}

#[tokio::test]
async fn missing_files_and_api_paths_are_not_html() {
    for path in [
        "/assets/nothing-here.js",
        "/api/v9/anything",
        "/robots-missing.txt",
    ] {
        let (status, headers, _) = get(path, false).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert_ne!(
            headers.get(header::CONTENT_TYPE).map(|v| v.as_bytes()),
            Some(&b"text/html; charset=utf-8"[..]),
            "{path}"
        );
    }
}

#[tokio::test]
async fn only_reads_are_served() {
    let response = app()
        .oneshot(
            Request::builder()
                .method(Method::POST)
                .uri("/")
                .body(Body::empty())
                .expect("request"),
        )
        .await
        .expect("infallible");
    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
}

#[tokio::test]
async fn hashed_assets_are_immutable_and_compressed() {
    if !web_assets::is_embedded() {
        // Built without Node.js (allowed outside CI): only the notice page exists.
        return;
    }
    let script = web_assets::FILES
        .iter()
        .find(|a| a.route.starts_with("/assets/") && a.route.ends_with(".js"))
        .expect("the bundle has a script");
    let (status, headers, plain) = get(script.route, false).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        headers[header::CONTENT_TYPE],
        "text/javascript; charset=utf-8"
    );
    assert!(headers[header::CACHE_CONTROL]
        .to_str()
        .expect("ascii")
        .contains("immutable"));
    assert_eq!(plain, script.body);

    let (_, headers, packed) = get(script.route, true).await;
    assert_eq!(headers[header::CONTENT_ENCODING], "gzip");
    assert!(packed.len() < plain.len());
    let mut unpacked = Vec::new();
    use std::io::Read;
    flate2::read::GzDecoder::new(packed.as_slice())
        .read_to_end(&mut unpacked)
        .expect("valid gzip");
    assert_eq!(unpacked, plain);
}
