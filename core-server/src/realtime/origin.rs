//! Which pages may open a WebSocket: Mattermost's origin rule. A browser
//! sends its cookies with any upgrade, whatever page started it, so a socket
//! request from another site's page would act as the signed-in user
//! (cross-site WebSocket hijacking). Requests without an `Origin` (the apps,
//! bots, scripts) are not from a page and pass.

use axum::http::HeaderMap;

/// Whether an upgrade with these headers may proceed: no `Origin`; an
/// origin listed in `allowed` (space-separated; `*` for any); the site's
/// own origin (`site_url`); or the origin of the host the request was sent
/// to. `Origin: null` (sandboxed pages, files) never passes.
pub fn origin_allowed(headers: &HeaderMap, site_url: Option<&str>, allowed: &str) -> bool {
    let Some(origin) = headers.get("origin") else {
        return true;
    };
    let Ok(origin) = origin.to_str() else {
        return false;
    };
    let origin = origin.trim().trim_end_matches('/');
    if origin.is_empty() || origin == "null" {
        return false;
    }
    if allowed
        .split_whitespace()
        .any(|a| a == "*" || a.trim_end_matches('/') == origin)
    {
        return true;
    }
    let Ok(origin) = url::Url::parse(origin) else {
        return false;
    };
    if let Some(site) = site_url.and_then(|s| url::Url::parse(s).ok()) {
        if site.origin() == origin.origin() {
            return true;
        }
    }
    let host = headers.get("host").and_then(|h| h.to_str().ok());
    host.is_some_and(|host| same_authority(&origin, host))
}

/// Whether `host` (a `Host` header: name and optional port) names the
/// origin's host and port.
fn same_authority(origin: &url::Url, host: &str) -> bool {
    let Ok(requested) = url::Url::parse(&format!("{}://{host}", origin.scheme())) else {
        return false;
    };
    requested.host_str() == origin.host_str()
        && requested.port_or_known_default() == origin.port_or_known_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(origin: Option<&str>, host: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert("host", host.parse().expect("host"));
        if let Some(o) = origin {
            h.insert("origin", o.parse().expect("origin"));
        }
        h
    }

    #[test]
    fn pages_of_the_same_site_pass_and_others_do_not() {
        let site = Some("https://chat.example.com");
        assert!(origin_allowed(&headers(None, "chat.example.com"), site, ""));
        assert!(origin_allowed(
            &headers(Some("https://chat.example.com"), "10.0.0.5:8065"),
            site,
            ""
        ));
        assert!(!origin_allowed(
            &headers(Some("https://evil.example"), "chat.example.com"),
            site,
            ""
        ));
        assert!(
            !origin_allowed(
                &headers(Some("http://chat.example.com"), "10.0.0.5"),
                site,
                ""
            ),
            "another scheme is another origin"
        );
        assert!(!origin_allowed(
            &headers(Some("null"), "chat.example.com"),
            site,
            ""
        ));
    }

    #[test]
    fn without_a_site_url_the_requested_host_decides() {
        assert!(origin_allowed(
            &headers(Some("http://localhost:8065"), "localhost:8065"),
            None,
            ""
        ));
        assert!(origin_allowed(
            &headers(Some("http://example.com"), "example.com:80"),
            None,
            ""
        ));
        assert!(!origin_allowed(
            &headers(Some("http://localhost:3000"), "localhost:8065"),
            None,
            ""
        ));
    }

    #[test]
    fn listed_origins_and_the_wildcard_pass() {
        let h = headers(Some("http://localhost:3000"), "localhost:8065");
        assert!(origin_allowed(
            &h,
            None,
            "https://a.example http://localhost:3000"
        ));
        assert!(origin_allowed(&h, None, "*"));
        assert!(!origin_allowed(&h, None, "https://a.example"));
    }
}
