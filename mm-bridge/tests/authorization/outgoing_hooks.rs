//! Outgoing webhooks against a real integration on loopback: a post's
//! answer never waits for the integration, and nothing is sent when they are
//! turned off (every route then answers Mattermost's 501) or when the server
//! does not allow calls to loopback.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::http::{Method, StatusCode};
use core_server::config::Config;
use core_server::services::Core;
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

use crate::support::{id, App};

/// The bodies an integration on 127.0.0.1 received, which answers each
/// request after `delay` with an empty 200.
struct Integration {
    url: String,
    bodies: Arc<Mutex<Vec<String>>>,
}

impl Integration {
    async fn start(delay: Duration) -> Integration {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let url = format!("http://{}/hook", listener.local_addr().expect("addr"));
        let bodies = Arc::new(Mutex::new(Vec::new()));
        let seen = bodies.clone();
        tokio::spawn(async move {
            while let Ok((mut socket, _)) = listener.accept().await {
                let seen = seen.clone();
                tokio::spawn(async move {
                    let body = read_request(&mut socket).await;
                    seen.lock().expect("lock").push(body);
                    tokio::time::sleep(delay).await;
                    let _ = socket
                        .write_all(
                            b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n",
                        )
                        .await;
                });
            }
        });
        Integration { url, bodies }
    }

    fn bodies(&self) -> Vec<String> {
        self.bodies.lock().expect("lock").clone()
    }

    /// Waits up to `within` for `n` requests; returns what came.
    async fn wait_for(&self, n: usize, within: Duration) -> Vec<String> {
        let end = Instant::now() + within;
        while self.bodies().len() < n && Instant::now() < end {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        self.bodies()
    }
}

/// Reads one HTTP request (head and `content-length` body); returns the body.
async fn read_request(socket: &mut tokio::net::TcpStream) -> String {
    let mut data = Vec::new();
    let mut buf = [0u8; 4096];
    while let Ok(n) = socket.read(&mut buf).await {
        if n == 0 {
            break;
        }
        data.extend_from_slice(&buf[..n]);
        let text = String::from_utf8_lossy(&data);
        if let Some(end) = text.find("\r\n\r\n") {
            let length = text[..end]
                .lines()
                .find_map(|l| {
                    let (name, value) = l.split_once(':')?;
                    name.eq_ignore_ascii_case("content-length")
                        .then(|| value.trim().parse::<usize>().ok())?
                })
                .unwrap_or(0);
            if data.len() >= end + 4 + length {
                return String::from_utf8_lossy(&data[end + 4..end + 4 + length]).into_owned();
            }
        }
    }
    String::new()
}

fn loopback_allowed() -> Config {
    Config {
        allowed_untrusted_internal_connections: "127.0.0.1".into(),
        integration_request_timeout_seconds: 5,
        ..crate::support::open_config()
    }
}

/// `app`'s core over the same database, on another configuration.
fn same_data(app: &App, config: Config) -> App {
    let config = Config {
        data_dir: app.core.config().data_dir.clone(),
        ..config
    };
    App::over(Core::new(app.core.store.clone(), config), None)
}

async fn post(app: &App, token: &str, channel: &str, message: &str) -> (StatusCode, Value) {
    let body = json!({"channel_id": channel, "message": message});
    let (status, post, _) = app
        .call(&Method::POST, "/api/v4/posts", Some(token), Some(&body))
        .await;
    (status, post)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn posts_never_wait_for_the_integration_and_nothing_fires_when_turned_off_or_refused() {
    let app = App::with_config(loopback_allowed()).await;
    let (_, admin) = app.user("root").await;
    let team = id(&app
        .team(
            &admin,
            json!({"name": "hooked", "display_name": "Hooked", "type": "O"}),
        )
        .await);
    let town = app.town_square(&admin, &team).await;
    let slow = Integration::start(Duration::from_secs(3)).await;
    let hook = json!({
        "team_id": team, "trigger_words": ["go"], "callback_urls": [slow.url],
        "content_type": "application/json",
    });
    let (status, hook, _) = app
        .call(
            &Method::POST,
            "/api/v4/hooks/outgoing",
            Some(&admin),
            Some(&hook),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{hook}");
    let hook_id = id(&hook);

    // The integration takes 3 s to answer; the post does not wait for it.
    let started = Instant::now();
    let (status, first) = post(&app, &admin, &town, "go now").await;
    assert_eq!(status, StatusCode::CREATED, "{first}");
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "the post answered after {:?}",
        started.elapsed()
    );
    let bodies = slow.wait_for(1, Duration::from_secs(5)).await;
    assert_eq!(bodies.len(), 1, "{bodies:?}");
    let payload: Value = serde_json::from_str(&bodies[0]).expect("json payload");
    assert_eq!(payload["post_id"], first["id"]);
    assert_eq!(payload["token"], hook["token"]);
    assert_eq!(payload["trigger_word"], "go");

    // Turned off: every route answers 501 and posts fire nothing.
    let off = same_data(
        &app,
        Config {
            enable_outgoing_webhooks: false,
            ..loopback_allowed()
        },
    );
    let path = format!("/api/v4/hooks/outgoing/{hook_id}");
    for (method, target, body) in [
        (
            Method::POST,
            "/api/v4/hooks/outgoing".to_string(),
            Some(hook.clone()),
        ),
        (
            Method::GET,
            format!("/api/v4/hooks/outgoing?team_id={team}"),
            None,
        ),
        (Method::GET, path.clone(), None),
        (Method::PUT, path.clone(), Some(hook.clone())),
        (Method::DELETE, path.clone(), None),
        (Method::POST, format!("{path}/regen_token"), None),
    ] {
        let (status, error, _) = off
            .call(&method, &target, Some(&admin), body.as_ref())
            .await;
        assert_eq!(
            status,
            StatusCode::NOT_IMPLEMENTED,
            "{method} {target}: {error}"
        );
        assert_eq!(error["id"], "api.outgoing_webhook.disabled.app_error");
        assert_eq!(error["status_code"], 501);
    }
    let (status, _) = post(&off, &admin, &town, "go while off").await;
    assert_eq!(status, StatusCode::CREATED);

    // A server that does not allow loopback never calls it; the post is fine.
    let guarded = same_data(&app, crate::support::open_config());
    let (status, _) = post(&guarded, &admin, &town, "go while guarded").await;
    assert_eq!(status, StatusCode::CREATED);

    // Still on, the hook fires again: only this post arrives after the first.
    let (_, last) = post(&app, &admin, &town, "go once more").await;
    let bodies = slow.wait_for(2, Duration::from_secs(5)).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let posts: Vec<Value> = slow
        .bodies()
        .iter()
        .map(|b| serde_json::from_str::<Value>(b).expect("json")["post_id"].clone())
        .collect();
    assert_eq!(
        posts,
        vec![first["id"].clone(), last["id"].clone()],
        "nothing was sent while turned off or refused: {bodies:?}"
    );
}
