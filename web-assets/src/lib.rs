//! The web app's files, built and embedded at compile time (see `build.rs`),
//! served at `/` with a fallback to `index.html` for the app's own routes.

use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};

/// One embedded file.
pub struct Asset {
    /// URL path, e.g. `/assets/index-3f2a.js`.
    pub route: &'static str,
    pub body: &'static [u8],
    /// A gzip copy, when compressing paid off.
    pub gzipped: Option<&'static [u8]>,
}

include!(concat!(env!("OUT_DIR"), "/assets.rs"));

/// Content-Security-Policy of the app's pages: only its own scripts, and
/// connections back to this server (REST and WebSocket). Images may come
/// from any https site, as integrations' attachments and icons do on
/// Mattermost.
const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
                   img-src 'self' data: blob: https:; connect-src 'self' ws: wss:; object-src 'none'; \
                   base-uri 'self'; frame-ancestors 'none'; form-action 'self'";

const NOT_BUILT: &str = "<!doctype html><html lang=\"en\"><meta charset=\"utf-8\"><title>rustchat</title>\
<body style=\"font-family:system-ui;max-width:40em;margin:4em auto\"><h1>rustchat is running</h1>\
<p>This server was built without its web app because Node.js was not installed at build time. \
Install Node.js 20.19 or newer and rebuild, or set <code>RUSTCHAT_WEBAPP_DIST</code> to a built bundle.</p>\
<p>The Mattermost apps and the APIs (<code>/api/v4</code>, <code>/api/v1</code>) work as usual.</p></body></html>";

/// Whether the server carries the web app (false when built without Node.js).
pub fn is_embedded() -> bool {
    find("/index.html").is_some()
}

fn find(route: &str) -> Option<&'static Asset> {
    FILES.iter().find(|asset| asset.route == route)
}

/// Fallback handler: a file of the bundle, or `index.html` for app routes.
pub async fn serve(method: Method, uri: Uri, headers: HeaderMap) -> Response {
    if method != Method::GET && method != Method::HEAD {
        return (
            StatusCode::METHOD_NOT_ALLOWED,
            [(header::ALLOW, "GET, HEAD")],
        )
            .into_response();
    }
    let path = uri.path();
    let asset = match find(path) {
        Some(asset) => asset,
        // A missing hashed file or API path must not turn into the HTML page:
        // the browser would try to run it as a script.
        None if path.starts_with("/assets/")
            || path.starts_with("/api/")
            || has_extension(path) =>
        {
            return (StatusCode::NOT_FOUND, "not found").into_response()
        }
        None => match find("/index.html") {
            Some(index) => index,
            None => return page(NOT_BUILT.as_bytes(), None, "/index.html", &headers, &method),
        },
    };
    page(asset.body, asset.gzipped, asset.route, &headers, &method)
}

fn has_extension(path: &str) -> bool {
    path.rsplit('/')
        .next()
        .is_some_and(|name| name.contains('.'))
}

fn page(
    body: &'static [u8],
    gzipped: Option<&'static [u8]>,
    route: &str,
    request: &HeaderMap,
    method: &Method,
) -> Response {
    let accepts_gzip = request
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|e| e.trim().starts_with("gzip")));
    let (bytes, encoded) = match gzipped {
        Some(packed) if accepts_gzip => (packed, true),
        _ => (body, false),
    };
    let mut response = if *method == Method::HEAD {
        Response::new(axum::body::Body::empty())
    } else {
        Response::new(axum::body::Body::from(bytes))
    };
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(content_type(route)),
    );
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(bytes.len()));
    // Hashed file names never change content; everything else is revalidated.
    let cache = if route.starts_with("/assets/") {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    if gzipped.is_some() {
        headers.insert(header::VARY, HeaderValue::from_static("Accept-Encoding"));
    }
    if encoded {
        headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
    }
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    if route.ends_with(".html") {
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CSP),
        );
        headers.insert(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        );
    }
    response
}

fn content_type(route: &str) -> &'static str {
    match route.rsplit('.').next().unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" | "map" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}
