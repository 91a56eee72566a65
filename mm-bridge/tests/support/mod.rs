//! Shared fixtures of the v4 tests: the whole application in-process over a
//! fresh SQLite database, HTTP calls against it without a network, accounts,
//! teams and channels made through the core, and what the tests that need an
//! outside server (S3, SMTP, Redis) share.
// Each test binary uses a part of this module.
#![allow(dead_code)]

use std::fmt::Display;
use std::net::SocketAddr;

use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode};
use axum::Router;
use core_server::config::Config;
use core_server::model::{Channel, Team, User};
use core_server::services::{Actor, Core, NewPost};
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tempfile::TempDir;
use tower::ServiceExt;

/// A 1×1 PNG, for pictures, emoji and uploads that must decode.
pub const PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
    0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8, 0xcf, 0xc0, 0xf0,
    0x1f, 0x00, 0x05, 0x00, 0x01, 0xff, 0x89, 0x99, 0x3d, 0x1d, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45,
    0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
];

/// The default configuration with open sign-up: the suites sign their
/// people up freely (the sign-up rules themselves are tested with the
/// default, invitation-only, configuration).
pub fn open_config() -> Config {
    Config {
        enable_open_signup: true,
        ..Config::default()
    }
}

/// A core over a new SQLite database in its own temporary directory, which
/// also holds the core's data dir, so uploads never land in the working tree.
pub async fn sqlite_core(config: Config) -> (Core, TempDir) {
    let dir = tempfile::tempdir().expect("tempdir");
    let url = format!("sqlite://{}", dir.path().join("t.db").display());
    let store = core_server::store::open(&url, 4).await.expect("store");
    let config = Config {
        data_dir: dir.path().join("data"),
        ..config
    };
    (Core::new(store, config), dir)
}

/// Base URL of the test PostgreSQL server.
pub fn postgres_base() -> String {
    std::env::var("RUSTCHAT_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into())
}

/// A core over a new PostgreSQL database (files in a temporary directory),
/// or `None` when no server answers (a failure under `CI=true`).
pub async fn postgres_core(config: Config) -> Option<(Core, TempDir)> {
    let name = format!("rustchat_test_{}", core_server::id::new_id());
    let url = format!("{}/{name}", postgres_base().trim_end_matches('/'));
    match core_server::store::open(&url, 4).await {
        Ok(store) => {
            let dir = tempfile::tempdir().expect("tempdir");
            let config = Config {
                data_dir: dir.path().join("data"),
                ..config
            };
            Some((Core::new(store, config), dir))
        }
        Err(e) => unavailable("PostgreSQL", e),
    }
}

/// Which database a test runs on.
#[derive(Debug, Clone, Copy)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// The application on `config` over a new database of this kind, or
    /// `None` when that database cannot be reached (outside CI).
    pub async fn app(self, config: Config) -> Option<App> {
        let (core, dir) = match self {
            Backend::Sqlite => sqlite_core(config).await,
            Backend::Postgres => postgres_core(config).await?,
        };
        Some(App::over(core, Some(dir)))
    }
}

/// Declares each listed `async fn(Backend)` test once per database, as
/// `sqlite::<name>` and `postgres::<name>`.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name($crate::support::Backend::Sqlite).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name($crate::support::Backend::Postgres).await;
                }
            )*
        }
    };
}

/// The whole HTTP application over `core`: the native API and v4.
pub fn router(core: &Core) -> Router {
    core_server::server::app(core.clone(), mm_bridge::router(core.clone()))
}

/// The application in-process.
pub struct App {
    pub router: Router,
    pub core: Core,
    /// Where the database and the files live, when the app made them.
    _dir: Option<TempDir>,
}

/// An answer: status, headers and the raw body.
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub bytes: Vec<u8>,
}

impl Reply {
    /// The body as JSON (`null` when it is not JSON).
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.bytes).unwrap_or(Value::Null)
    }

    /// A header as text (empty when absent).
    pub fn header(&self, name: &str) -> String {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string()
    }
}

impl App {
    /// The application on a default configuration.
    pub async fn new() -> App {
        App::with_config(open_config()).await
    }

    /// The application on `config`, over a new database.
    pub async fn with_config(config: Config) -> App {
        let (core, dir) = sqlite_core(config).await;
        App::over(core, Some(dir))
    }

    /// The application over a core made elsewhere; `dir`, when given, lives
    /// as long as the app.
    pub fn over(core: Core, dir: Option<TempDir>) -> App {
        App {
            router: router(&core),
            core,
            _dir: dir,
        }
    }

    /// Sends a prepared request and reads the whole answer.
    pub async fn request(&self, request: Request<Body>) -> Reply {
        let resp = self
            .router
            .clone()
            .oneshot(request)
            .await
            .expect("infallible");
        let status = resp.status();
        let headers = resp.headers().clone();
        let bytes = resp
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes()
            .to_vec();
        Reply {
            status,
            headers,
            bytes,
        }
    }

    /// A JSON call (no body at all when `body` is `None`); returns the
    /// status, the body as JSON (`null` when it is not) and the headers.
    pub async fn call(
        &self,
        method: &Method,
        path: &str,
        token: Option<&str>,
        body: Option<&Value>,
    ) -> (StatusCode, Value, HeaderMap) {
        let mut req = Request::builder().method(method.clone()).uri(path);
        if let Some(t) = token {
            req = req.header("authorization", format!("Bearer {t}"));
        }
        let req = match body {
            Some(b) => req
                .header("content-type", "application/json")
                .body(Body::from(b.to_string())),
            None => req.body(Body::empty()),
        }
        .expect("request");
        let reply = self.request(req).await;
        (reply.status, reply.json(), reply.headers)
    }

    /// A call with a raw body of any content type.
    pub async fn send(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        content_type: Option<&str>,
        body: Vec<u8>,
    ) -> Reply {
        let mut req = Request::builder().method(method).uri(path);
        if let Some(t) = token {
            req = req.header("authorization", format!("Bearer {t}"));
        }
        if let Some(ct) = content_type {
            req = req.header("content-type", ct);
        }
        self.request(req.body(Body::from(body)).expect("request"))
            .await
    }

    /// A call with a JSON body.
    pub async fn json(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Value,
    ) -> Reply {
        self.send(
            method,
            path,
            token,
            Some("application/json"),
            body.to_string().into_bytes(),
        )
        .await
    }

    /// `GET path` as the user of `token`.
    pub async fn get(&self, path: &str, token: &str) -> Reply {
        self.send(Method::GET, path, Some(token), None, Vec::new())
            .await
    }

    /// Signs up and logs in through v4; returns (id, token).
    pub async fn user(&self, name: &str) -> (String, String) {
        let body = json!({"username": name, "email": format!("{name}@example.com"), "password": "password1"});
        let (status, user, _) = self
            .call(&Method::POST, "/api/v4/users", None, Some(&body))
            .await;
        assert_eq!(status, StatusCode::CREATED, "{user}");
        let (status, _, headers) = self
            .call(
                &Method::POST,
                "/api/v4/users/login",
                None,
                Some(&json!({"login_id": name, "password": "password1"})),
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        let token = headers
            .get("token")
            .and_then(|v| v.to_str().ok())
            .expect("Token header")
            .to_string();
        (id(&user), token)
    }

    /// Creates a team through v4 (`body` as the client sends it); returns it.
    pub async fn team(&self, token: &str, body: Value) -> Value {
        let (_, team, _) = self
            .call(&Method::POST, "/api/v4/teams", Some(token), Some(&body))
            .await;
        team
    }

    /// The id of a team's town square, as the user of `token` sees it.
    pub async fn town_square(&self, token: &str, team_id: &str) -> String {
        let path = format!("/api/v4/teams/{team_id}/channels/name/town-square");
        let (_, town, _) = self.call(&Method::GET, &path, Some(token), None).await;
        id(&town)
    }
}

/// The `id` of a JSON record.
pub fn id(v: &Value) -> String {
    v["id"]
        .as_str()
        .unwrap_or_else(|| panic!("no id in {v}"))
        .to_string()
}

// ---- through the core, for tests that drive the services directly

/// Creates an account from the fields a client would send.
pub async fn create_user(core: &Core, fields: Value) -> core_server::Result<User> {
    let input = serde_json::from_value(fields).expect("new user");
    core.create_user(None, input, false, true).await
}

/// Logs in (from `device`, empty for a browser); returns the actor and its token.
pub async fn log_in(core: &Core, login_id: &str, device: &str) -> (Actor, String) {
    let login = core
        .login(login_id, "password1", device)
        .await
        .expect("login");
    let actor = core.authenticate(&login.token).await.expect("actor");
    (actor, login.token)
}

/// Creates an open team named `name`, displayed as "Team".
pub async fn create_team(core: &Core, owner: &Actor, name: &str) -> Team {
    let input =
        serde_json::from_value(json!({"name": name, "display_name": "Team"})).expect("team");
    core.create_team(owner, input).await.expect("create team")
}

/// Creates a channel of `channel_type` (`O` or `P`) in a team.
pub async fn create_channel(
    core: &Core,
    owner: &Actor,
    team_id: &str,
    name: &str,
    display_name: &str,
    channel_type: &str,
) -> Channel {
    let input = serde_json::from_value(
        json!({"name": name, "display_name": display_name, "type": channel_type}),
    )
    .expect("channel");
    core.create_channel(owner, team_id, input)
        .await
        .expect("create channel")
}

/// Adds `user` to a team and to one of its channels.
pub async fn join(core: &Core, admin: &Actor, team_id: &str, channel_id: &str, user: &Actor) {
    core.add_team_member(admin, team_id, user.id())
        .await
        .expect("join team");
    core.add_channel_member(admin, channel_id, user.id())
        .await
        .expect("join channel");
}

/// Posts `message` as `actor`; returns the post's id.
pub async fn post(core: &Core, actor: &Actor, channel_id: &str, message: &str) -> String {
    let input: NewPost = serde_json::from_value(json!({"message": message})).expect("post");
    core.create_post(actor, channel_id, input)
        .await
        .expect("create post")
        .id
}

// ---- outside servers

/// A test that needs an outside server it cannot reach: under `CI=true` it
/// fails, elsewhere it is skipped (with a note) by returning `None`.
pub fn unavailable<T>(what: &str, why: impl Display) -> Option<T> {
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{what} is required under CI=true but unavailable: {why}");
    }
    eprintln!("SKIPPED: {what} unavailable: {why}");
    None
}

/// A loopback address nothing listens on (it was free a moment ago).
pub fn unused_addr() -> SocketAddr {
    let probe = std::net::TcpListener::bind("127.0.0.1:0").expect("port");
    probe.local_addr().expect("addr")
}

// ---- over a real socket

/// A WebSocket client connection.
pub type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// Serves the whole application over `core` on an ephemeral loopback port.
pub async fn serve(core: &Core) -> SocketAddr {
    let app = router(core);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        let _ = axum::serve(
            listener,
            app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await;
    });
    addr
}

/// Opens a WebSocket to `path` (with its query) on `addr`, with a bearer
/// token when given and extra request headers.
pub async fn ws_connect(
    addr: SocketAddr,
    path: &str,
    token: Option<&str>,
    headers: &[(&str, &str)],
) -> Result<Socket, tokio_tungstenite::tungstenite::Error> {
    use tokio_tungstenite::tungstenite::client::IntoClientRequest;
    let mut request = format!("ws://{addr}{path}")
        .into_client_request()
        .expect("request");
    if let Some(token) = token {
        request.headers_mut().insert(
            "authorization",
            format!("Bearer {token}").parse().expect("header"),
        );
    }
    for (name, value) in headers {
        request.headers_mut().insert(
            axum::http::HeaderName::from_bytes(name.as_bytes()).expect("name"),
            value.parse().expect("value"),
        );
    }
    Ok(tokio_tungstenite::connect_async(request).await?.0)
}

/// The next JSON text frame (replies to the client's own actions skipped),
/// or `None` when the socket closes or nothing comes within `wait`.
pub async fn next_frame(socket: &mut Socket, wait: std::time::Duration) -> Option<Value> {
    use futures::StreamExt;
    use tokio_tungstenite::tungstenite::Message;
    loop {
        let frame = tokio::time::timeout(wait, socket.next()).await.ok()??;
        match frame {
            Ok(Message::Text(text)) => {
                let v: Value = serde_json::from_str(text.as_str()).expect("json frame");
                if v.get("seq_reply").is_none() {
                    return Some(v);
                }
            }
            Ok(Message::Close(_)) | Err(_) => return None,
            Ok(_) => {}
        }
    }
}

/// Frames until one whose `key` (`event` on v4, `type` on v1) is `name`;
/// that one. Panics when the socket closes or goes quiet first.
pub async fn frame_named(socket: &mut Socket, key: &str, name: &str) -> Value {
    loop {
        let frame = next_frame(socket, std::time::Duration::from_secs(5))
            .await
            .unwrap_or_else(|| panic!("no {name} frame"));
        if frame[key] == name {
            return frame;
        }
    }
}

/// Whether the server closes the socket within `wait` (frames before the
/// close are read and dropped).
pub async fn closes_within(socket: &mut Socket, wait: std::time::Duration) -> bool {
    use futures::StreamExt;
    use tokio_tungstenite::tungstenite::Message;
    let deadline = tokio::time::Instant::now() + wait;
    loop {
        match tokio::time::timeout_at(deadline, socket.next()).await {
            Err(_) => return false,
            Ok(None) | Ok(Some(Err(_))) | Ok(Some(Ok(Message::Close(_)))) => return true,
            Ok(Some(Ok(_))) => {}
        }
    }
}
