//! Mattermost's ETags: unquoted `<version>.<part>.<part>…` values; a request
//! whose `If-None-Match` equals the current value gets 304 and no body.

use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;

use crate::context::VERSION;

/// The ETag made of `parts`.
pub fn etag(parts: &[&dyn std::fmt::Display]) -> String {
    let mut out = VERSION.to_string();
    for part in parts {
        out.push('.');
        out.push_str(&part.to_string());
    }
    out
}

/// Whether the client already holds the version `tag`.
pub fn not_modified(headers: &HeaderMap, tag: &str) -> bool {
    headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        == Some(tag)
}

/// 304 when the client holds `tag`, else the JSON body; both carry the ETag.
pub fn respond<T: Serialize>(
    headers: &HeaderMap,
    tag: String,
    body: impl FnOnce() -> T,
) -> Response {
    let mut response = if not_modified(headers, &tag) {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        Json(body()).into_response()
    };
    if let Ok(v) = HeaderValue::from_str(&tag) {
        response.headers_mut().insert(header::ETAG, v);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn etags_are_unquoted_and_compared_exactly() {
        let tag = etag(&[&"abc", &42]);
        assert_eq!(tag, format!("{VERSION}.abc.42"));
        let mut headers = HeaderMap::new();
        assert!(!not_modified(&headers, &tag));
        headers.insert(
            header::IF_NONE_MATCH,
            HeaderValue::from_str(&tag).expect("header"),
        );
        assert!(not_modified(&headers, &tag));
        let response = respond(&headers, tag.clone(), || "unused");
        assert_eq!(response.status(), StatusCode::NOT_MODIFIED);
        assert_eq!(
            response
                .headers()
                .get(header::ETAG)
                .and_then(|v| v.to_str().ok()),
            Some(tag.as_str())
        );
    }
}
