//! Finding: a cookie-authenticated WebSocket upgrade from another site's
//! page was accepted (cross-site WebSocket hijacking). Both sockets now
//! apply Mattermost's origin rule: the site's own origin, or one listed in
//! `allow_cors_from`; no `Origin` (apps, bots) passes as before.

use core_server::config::Config;
use tokio_tungstenite::tungstenite::Error as WsError;

use crate::support::{frame_named, serve, ws_connect, Backend};

fn refused_with(result: Result<crate::support::Socket, WsError>) -> Option<u16> {
    match result {
        Err(WsError::Http(response)) => Some(response.status().as_u16()),
        Err(other) => panic!("unexpected failure: {other}"),
        Ok(_) => None,
    }
}

async fn sockets_from_foreign_pages_are_refused(backend: Backend) {
    let config = Config {
        site_url: Some("https://chat.example.com".into()),
        allow_cors_from: "https://partner.example".into(),
        ..crate::support::open_config()
    };
    let Some(app) = backend.app(config).await else {
        return;
    };
    let addr = serve(&app.core).await;
    let (_, token) = app.user("alice").await;
    let cookie = format!("MMAUTHTOKEN={token}");
    for path in ["/api/v4/websocket", "/api/v1/ws"] {
        let key = if path.contains("v4") { "event" } else { "type" };
        for origin in ["https://evil.example", "null", "http://chat.example.com"] {
            let headers = [("origin", origin), ("cookie", cookie.as_str())];
            let refused = refused_with(ws_connect(addr, path, Some(&token), &headers).await);
            assert_eq!(refused, Some(403), "{path} from {origin}");
        }
        for origin in ["https://chat.example.com", "https://partner.example"] {
            let headers = [("origin", origin), ("cookie", cookie.as_str())];
            let mut socket = ws_connect(addr, path, Some(&token), &headers)
                .await
                .unwrap_or_else(|e| panic!("{path} from {origin}: {e}"));
            frame_named(&mut socket, key, "hello").await;
        }
        // The apps send no Origin at all.
        let mut socket = ws_connect(addr, path, Some(&token), &[])
            .await
            .expect("no origin");
        frame_named(&mut socket, key, "hello").await;
    }
}

on_both_backends!(sockets_from_foreign_pages_are_refused);
