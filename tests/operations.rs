//! Running the server as an operator does, against the real binary: its
//! Prometheus metrics move with real work and parse as Prometheus reads
//! them, its JSON log lines parse and never carry a secret or a message,
//! SIGTERM in the middle of a post storm loses no acknowledged post and
//! closes every socket with 1001, SIGHUP applies new settings and tells the
//! clients, and a backup taken under load restores into a new data dir that
//! serves the same data.

use std::path::Path;
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures::StreamExt;
use serde_json::{json, Value};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::Message;

mod support;
use support::{run_ok, rustchat, start_with, Server};

const PASSWORD: &str = "Sekret-pa55word";

/// A v4 call; returns the status, the body and the `Token` header.
async fn v4(
    base: &str,
    method: reqwest::Method,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> (u16, Value, Option<String>) {
    let mut request = reqwest::Client::new().request(method, format!("{base}/api/v4{path}"));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.expect("request");
    let status = response.status().as_u16();
    let token = response
        .headers()
        .get("token")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    (status, response.json().await.unwrap_or(Value::Null), token)
}

/// Logs `username` in with [`PASSWORD`]; the status and the session token.
async fn login(base: &str, username: &str) -> (u16, Option<String>) {
    let (status, _, token) = v4(
        base,
        reqwest::Method::POST,
        "/users/login",
        None,
        Some(json!({"login_id": username, "password": PASSWORD})),
    )
    .await;
    (status, token)
}

/// A user who signed up and logged in, with a team and its town square.
struct Seat {
    token: String,
    channel: String,
}

async fn seat(base: &str, username: &str) -> Seat {
    let (status, body, _) = v4(
        base,
        reqwest::Method::POST,
        "/users",
        None,
        Some(json!({"username": username, "email": format!("{username}@example.com"), "password": PASSWORD})),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    let (status, token) = login(base, username).await;
    assert_eq!(status, 200, "{username} logs in");
    let token = token.expect("token header");
    let (status, team, _) = v4(
        base,
        reqwest::Method::POST,
        "/teams",
        Some(&token),
        Some(json!({"name": format!("{username}-team"), "display_name": "Team", "type": "O"})),
    )
    .await;
    assert_eq!(status, 201, "{team}");
    let team_id = team["id"].as_str().expect("team id");
    let (status, channel, _) = v4(
        base,
        reqwest::Method::GET,
        &format!("/teams/{team_id}/channels/name/town-square"),
        Some(&token),
        None,
    )
    .await;
    assert_eq!(status, 200, "{channel}");
    Seat {
        token,
        channel: channel["id"].as_str().expect("channel id").to_string(),
    }
}

async fn post(base: &str, seat: &Seat, message: &str) -> (u16, Value) {
    let (status, body, _) = v4(
        base,
        reqwest::Method::POST,
        "/posts",
        Some(&seat.token),
        Some(json!({"channel_id": seat.channel, "message": message})),
    )
    .await;
    (status, body)
}

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// A socket of `path` (`/api/v4/websocket`, `/api/v1/ws`) signed in by header,
/// after its `hello`.
async fn socket(base: &str, path: &str, token: &str) -> Socket {
    let url = format!("{}{path}", base.replace("http://", "ws://"));
    let mut request = url.into_client_request().expect("request");
    request.headers_mut().insert(
        "authorization",
        format!("Bearer {token}").parse().expect("header"),
    );
    let (mut socket, _) = tokio_tungstenite::connect_async(request)
        .await
        .expect("socket");
    next_event(&mut socket, "hello").await;
    socket
}

/// The next event named `name` (other frames are skipped).
async fn next_event(socket: &mut Socket, name: &str) -> Value {
    let found = tokio::time::timeout(Duration::from_secs(15), async {
        while let Some(Ok(message)) = socket.next().await {
            if let Message::Text(text) = message {
                let event: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
                if event["event"] == name || event["type"] == name {
                    return Some(event);
                }
            }
        }
        None
    })
    .await;
    found
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("no {name} event"))
}

/// Reads a socket until the server closes it; returns the close code.
async fn close_code(socket: &mut Socket) -> Option<CloseCode> {
    let read = tokio::time::timeout(Duration::from_secs(30), async {
        while let Some(message) = socket.next().await {
            match message {
                Ok(Message::Close(frame)) => return frame.map(|f| f.code),
                Ok(_) => {}
                Err(_) => return None,
            }
        }
        None
    });
    read.await.ok().flatten()
}

fn signal(server: &Server, name: &str) {
    let status = Command::new("kill")
        .args([format!("-{name}"), server.child.id().to_string()])
        .status()
        .expect("kill");
    assert!(status.success());
}

/// The server's command with open sign-up (these tests make their own users).
fn server_command(dir: &Path, db: Option<&str>) -> Command {
    let mut cmd = rustchat(dir, db);
    cmd.env("RUSTCHAT_ENABLE_OPEN_SIGNUP", "true");
    cmd
}

// ---------------------------------------------------------------- metrics

/// The samples of a scrape, as Prometheus parses them.
struct Scrape(prometheus_parse::Scrape);

impl Scrape {
    async fn of(url: &str) -> Scrape {
        let text = reqwest::get(url)
            .await
            .expect("scrape")
            .text()
            .await
            .expect("text");
        let lines = text.lines().map(|l| Ok(l.to_string()));
        Scrape(prometheus_parse::Scrape::parse(lines).expect("Prometheus text format"))
    }

    /// The value of the sample `name` whose labels include `labels` (0 when none).
    fn value(&self, name: &str, labels: &[(&str, &str)]) -> f64 {
        self.0
            .samples
            .iter()
            .filter(|s| s.metric == name)
            .filter(|s| labels.iter().all(|(k, v)| s.labels.get(k) == Some(*v)))
            .map(|s| match &s.value {
                prometheus_parse::Value::Counter(v)
                | prometheus_parse::Value::Gauge(v)
                | prometheus_parse::Value::Untyped(v) => *v,
                prometheus_parse::Value::Histogram(buckets) => {
                    buckets.last().map_or(0.0, |b| b.count)
                }
                prometheus_parse::Value::Summary(_) => 0.0,
            })
            .sum()
    }
}

/// The address the server logged for its metrics listener.
fn metrics_url(server: &Server) -> String {
    let log = server.log_text();
    let start = log
        .find("metrics on http://")
        .expect("metrics listener logged")
        + 11;
    let end = log[start..]
        .find(|c: char| c.is_whitespace() || c == '"')
        .map_or(log.len(), |i| start + i);
    log[start..end].to_string()
}

#[tokio::test]
async fn metrics_move_with_real_work_and_json_logs_keep_secrets_out() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut cmd = server_command(dir.path(), None);
    // Every level of every crate: nothing secret may show even there.
    cmd.env("RUSTCHAT_METRICS_LISTEN", "127.0.0.1:0")
        .env("RUSTCHAT_LOG_FORMAT", "json")
        .env("RUSTCHAT_LOG", "trace")
        .env("RUSTCHAT_MAXIMUM_LOGIN_ATTEMPTS", "2");
    let server = start_with(cmd);
    let base = server.base.clone();
    let metrics = metrics_url(&server);
    let before = Scrape::of(&metrics).await;
    assert_eq!(before.value("rustchat_build_info", &[]), 1.0);

    let alice = seat(&base, "alice").await;
    let mut ws = socket(&base, "/api/v4/websocket", &alice.token).await;
    let open = Scrape::of(&metrics).await;
    assert_eq!(
        open.value("rustchat_websockets_open", &[("api", "v4")]),
        1.0
    );
    let marker = "classified-message-text-7f3a";
    for n in 0..3 {
        let (status, body) = post(&base, &alice, &format!("{marker} {n}")).await;
        assert_eq!(status, 201, "{body}");
        next_event(&mut ws, "posted").await;
    }
    // A request with a session cookie, and two failed logins (the second
    // locks the account: a warning logged inside the request).
    let cookie = "MMAUTHTOKEN=cookie-value-9c1e";
    let response = reqwest::Client::new()
        .get(format!("{base}/api/v4/users/me"))
        .header("cookie", cookie)
        .header("x-requested-with", "XMLHttpRequest")
        .send()
        .await
        .expect("request");
    assert_eq!(response.status().as_u16(), 401);
    for _ in 0..2 {
        let (status, _, _) = v4(
            &base,
            reqwest::Method::POST,
            "/users/login",
            None,
            Some(json!({"login_id": "alice", "password": "wrong-Pa55word-x"})),
        )
        .await;
        assert_eq!(status, 401);
    }
    let after = Scrape::of(&metrics).await;

    let posts_route = [
        ("route", "/api/v4/posts"),
        ("method", "POST"),
        ("status", "201"),
    ];
    assert_eq!(
        after.value("rustchat_http_requests_total", &posts_route),
        3.0
    );
    assert_eq!(
        after.value(
            "rustchat_http_request_duration_seconds",
            &[("route", "/api/v4/posts"), ("method", "POST")]
        ),
        3.0,
        "one latency sample per post"
    );
    assert_eq!(
        after.value(
            "rustchat_http_requests_total",
            &[("route", "/api/v4/users/login"), ("status", "401")]
        ),
        2.0
    );
    assert_eq!(after.value("rustchat_posts_total", &[]), 3.0);
    assert_eq!(
        after.value("rustchat_logins_total", &[("result", "success")]),
        1.0
    );
    assert_eq!(
        after.value("rustchat_logins_total", &[("result", "failure")]),
        2.0
    );
    assert!(
        after.value("rustchat_websocket_events_total", &[])
            >= open.value("rustchat_websocket_events_total", &[]) + 3.0,
        "every posted event counted"
    );
    assert!(after.value("rustchat_db_query_duration_seconds", &[("kind", "write")]) > 0.0);
    assert!(after.value("rustchat_db_connection_wait_seconds", &[("kind", "read")]) > 0.0);
    assert!(after.value("rustchat_db_connections", &[("state", "open")]) >= 1.0);
    assert_eq!(after.value("rustchat_push_queue_depth", &[]), 0.0);

    // A file stored and read counts as file store operations.
    let upload = reqwest::multipart::Form::new()
        .text("channel_id", alice.channel.clone())
        .part(
            "files",
            reqwest::multipart::Part::bytes(b"hello".to_vec()).file_name("a.txt"),
        );
    let response = reqwest::Client::new()
        .post(format!("{base}/api/v4/files"))
        .bearer_auth(&alice.token)
        .multipart(upload)
        .send()
        .await
        .expect("upload");
    assert_eq!(response.status().as_u16(), 201);
    let files = Scrape::of(&metrics).await;
    assert!(
        files.value(
            "rustchat_file_operations_total",
            &[("op", "put"), ("result", "ok")]
        ) > after.value(
            "rustchat_file_operations_total",
            &[("op", "put"), ("result", "ok")]
        )
    );

    // The socket closed: the gauge comes back down.
    ws.close(None).await.expect("close");
    let mut down = false;
    for _ in 0..50 {
        let now = Scrape::of(&metrics).await;
        if now.value("rustchat_websockets_open", &[("api", "v4")]) == 0.0 {
            down = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(down, "the open-sockets gauge came back to 0");

    // Every line is one JSON object; the locking warning carries its request.
    let lines: Vec<String> = server.log.lock().expect("log").clone();
    assert!(lines.len() > 10, "the trace level logged");
    let mut request_warning = None;
    for line in &lines {
        let entry: Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("not a JSON line ({e}): {line}"));
        for field in ["timestamp", "level", "target", "fields"] {
            assert!(entry.get(field).is_some(), "no {field}: {line}");
        }
        if entry["fields"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("account locked"))
        {
            request_warning = Some(entry);
        }
    }
    let warning = request_warning.expect("the lock-out was logged");
    assert_eq!(warning["level"], "WARN");
    assert_eq!(warning["span"]["path"], "/api/v4/users/login", "{warning}");
    assert_eq!(
        warning["span"]["request_id"].as_str().map(str::len),
        Some(26),
        "{warning}"
    );
    // Nothing secret, at any level: passwords, the session token, the
    // cookie, the message text.
    for secret in [
        PASSWORD,
        "wrong-Pa55word-x",
        alice.token.as_str(),
        "cookie-value-9c1e",
        marker,
    ] {
        let leak = lines.iter().find(|line| line.contains(secret));
        assert!(leak.is_none(), "a log line carries `{secret}`: {leak:?}");
    }
}

// ---------------------------------------------------------------- SIGTERM

async fn graceful_stop_loses_nothing(db: Option<&str>) {
    let dir = tempfile::tempdir().expect("tempdir");
    let server = start_with(server_command(dir.path(), db));
    let base = server.base.clone();
    let alice = seat(&base, "alice").await;
    let sockets = vec![
        socket(&base, "/api/v4/websocket", &alice.token).await,
        socket(&base, "/api/v4/websocket", &alice.token).await,
        socket(&base, "/api/v1/ws", &alice.token).await,
    ];
    // Each socket is read all along, as a client reads it: one left unread
    // through the storm would be closed as too slow before the stop.
    let readers: Vec<_> = sockets
        .into_iter()
        .map(|mut socket| tokio::spawn(async move { close_code(&mut socket).await }))
        .collect();
    // The storm: posters that stop at their first refused or failed request.
    let acknowledged = Arc::new(Mutex::new(Vec::<String>::new()));
    let alice = Arc::new(alice);
    let mut posters = Vec::new();
    for poster in 0..6 {
        let (base, alice, acknowledged) = (base.clone(), alice.clone(), acknowledged.clone());
        posters.push(tokio::spawn(async move {
            for n in 0.. {
                let sent = reqwest::Client::new()
                    .post(format!("{base}/api/v4/posts"))
                    .bearer_auth(&alice.token)
                    .json(&json!({"channel_id": alice.channel, "message": format!("storm {poster}-{n}")}))
                    .send()
                    .await;
                let Ok(response) = sent else { break };
                if response.status().as_u16() != 201 {
                    break;
                }
                let Ok(body) = response.json::<Value>().await else {
                    break;
                };
                if let Some(id) = body["id"].as_str() {
                    acknowledged.lock().expect("acks").push(id.to_string());
                }
            }
        }));
    }
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let during = acknowledged.lock().expect("acks").len();
    assert!(during > 10, "the storm is on ({during} posts)");
    signal(&server, "TERM");

    for reader in readers {
        assert_eq!(
            reader.await.expect("reader"),
            Some(CloseCode::Away),
            "closed with 1001"
        );
    }
    for poster in posters {
        poster.await.expect("poster");
    }
    let mut server = server;
    let exit = tokio::time::timeout(Duration::from_secs(40), async {
        loop {
            if let Some(status) = server.child.try_wait().expect("wait") {
                return status;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await
    .expect("the server stopped");
    assert!(exit.success(), "clean exit: {exit}");
    drop(server);

    // Every acknowledged post is there after a restart.
    let server = start_with(server_command(dir.path(), db));
    let (_, token) = login(&server.base, "alice").await;
    let token = token.expect("token");
    let mut stored = std::collections::HashSet::new();
    for page in 0.. {
        let (status, body, _) = v4(
            &server.base,
            reqwest::Method::GET,
            &format!("/channels/{}/posts?page={page}&per_page=200", alice.channel),
            Some(&token),
            None,
        )
        .await;
        assert_eq!(status, 200, "{body}");
        let ids = body["order"].as_array().expect("order").clone();
        if ids.is_empty() {
            break;
        }
        stored.extend(ids.iter().filter_map(|v| v.as_str().map(str::to_string)));
    }
    let acknowledged = acknowledged.lock().expect("acks").clone();
    let lost: Vec<&String> = acknowledged
        .iter()
        .filter(|id| !stored.contains(*id))
        .collect();
    assert!(
        lost.is_empty(),
        "{} of {} acknowledged posts lost",
        lost.len(),
        acknowledged.len()
    );
}

#[tokio::test]
async fn sqlite_sigterm_during_a_post_storm() {
    graceful_stop_loses_nothing(None).await;
}

#[tokio::test]
async fn postgres_sigterm_during_a_post_storm() {
    if let Some(url) = support::postgres_url() {
        graceful_stop_loses_nothing(Some(&url)).await;
    }
}

// ---------------------------------------------------------------- SIGHUP

async fn client_config(base: &str) -> Value {
    reqwest::get(format!("{base}/api/v4/config/client?format=old"))
        .await
        .expect("config")
        .json()
        .await
        .expect("json")
}

#[tokio::test]
async fn sighup_applies_settings_and_tells_clients() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("rustchat.toml");
    std::fs::write(&file, "enable_open_signup = false\n").expect("write");
    run_ok(rustchat(dir.path(), None).args([
        "user",
        "create",
        "--username",
        "root",
        "--email",
        "root@example.com",
        "--password",
        PASSWORD,
    ]));
    let server = start_with(rustchat(dir.path(), None));
    let base = server.base.clone();
    let (_, token) = login(&base, "root").await;
    let token = token.expect("token");
    let mut ws = socket(&base, "/api/v4/websocket", &token).await;
    assert_eq!(client_config(&base).await["EnableOpenServer"], "false");
    let sign_up = || {
        v4(
            &base,
            reqwest::Method::POST,
            "/users",
            None,
            Some(
                json!({"username": "newcomer", "email": "newcomer@example.com", "password": PASSWORD}),
            ),
        )
    };
    assert_eq!(sign_up().await.0, 403, "sign-up is closed");

    std::fs::write(
        &file,
        "enable_open_signup = true\nmax_file_size = 1234567\nws_max_connections = 10\n",
    )
    .expect("write");
    signal(&server, "HUP");
    let changed = next_event(&mut ws, "config_changed").await;
    assert_eq!(
        changed["data"]["config"]["EnableOpenServer"], "true",
        "{changed}"
    );
    assert_eq!(
        changed["data"]["config"]["MaxFileSize"], "1234567",
        "{changed}"
    );
    assert_eq!(client_config(&base).await["EnableOpenServer"], "true");
    assert_eq!(sign_up().await.0, 201, "sign-up is open now");
    // A setting that shapes start-up waits for a restart, and says so.
    let mut logged = false;
    for _ in 0..50 {
        let log = server.log_text();
        if log.contains("SIGHUP") && log.contains("ws_max_connections") {
            logged = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(
        logged,
        "the setting waiting for a restart is named in the log"
    );

    // A broken file changes nothing.
    std::fs::write(&file, "enable_open_signup = maybe\n").expect("write");
    signal(&server, "HUP");
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(client_config(&base).await["EnableOpenServer"], "true");
    let (status, _, _) = v4(&base, reqwest::Method::GET, "/users/me", Some(&token), None).await;
    assert_eq!(status, 200, "still serving");
}

// ---------------------------------------------------------------- backups

async fn backup_under_load_restores(db: Option<&str>, restore_db: Option<&str>) {
    let dir = tempfile::tempdir().expect("tempdir");
    let server = start_with(server_command(dir.path(), db));
    let base = server.base.clone();
    let alice = seat(&base, "alice").await;
    // A file, attached to a post.
    let content: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
    let upload = reqwest::multipart::Form::new()
        .text("channel_id", alice.channel.clone())
        .part(
            "files",
            reqwest::multipart::Part::bytes(content.clone()).file_name("data.bin"),
        );
    let uploaded: Value = reqwest::Client::new()
        .post(format!("{base}/api/v4/files"))
        .bearer_auth(&alice.token)
        .multipart(upload)
        .send()
        .await
        .expect("upload")
        .json()
        .await
        .expect("json");
    let file_id = uploaded["file_infos"][0]["id"]
        .as_str()
        .expect("file id")
        .to_string();
    let (status, with_file, _) = v4(
        &base,
        reqwest::Method::POST,
        "/posts",
        Some(&alice.token),
        Some(json!({"channel_id": alice.channel, "message": "the data", "file_ids": [file_id]})),
    )
    .await;
    assert_eq!(status, 201, "{with_file}");
    let mut before_backup = vec![with_file["id"].as_str().expect("id").to_string()];
    for n in 0..20 {
        let (status, body) = post(&base, &alice, &format!("before {n}")).await;
        assert_eq!(status, 201);
        before_backup.push(body["id"].as_str().expect("id").to_string());
    }

    // Under load: posts keep coming while the backup runs.
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let load = {
        let (base, token, channel, stop) = (
            base.clone(),
            alice.token.clone(),
            alice.channel.clone(),
            stop.clone(),
        );
        tokio::spawn(async move {
            let mut n = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let _ = reqwest::Client::new()
                    .post(format!("{base}/api/v4/posts"))
                    .bearer_auth(&token)
                    .json(&json!({"channel_id": channel, "message": format!("during {n}")}))
                    .send()
                    .await;
                n += 1;
            }
            n
        })
    };
    tokio::time::sleep(Duration::from_millis(300)).await;
    let archive = dir.path().join("backup.tar");
    let out = run_ok(
        rustchat(dir.path(), db)
            .arg("backup")
            .arg("--out")
            .arg(&archive),
    );
    assert!(out.contains("backup written"), "{out}");
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let during = load.await.expect("load");
    assert!(during > 0, "posts were made during the backup");

    // Restore into a new data dir (and database), then serve it.
    let restored = tempfile::tempdir().expect("tempdir");
    let out = run_ok(
        rustchat(restored.path(), restore_db)
            .arg("restore")
            .arg(&archive),
    );
    assert!(out.contains("restored"), "{out}");
    let again = rustchat(restored.path(), restore_db)
        .arg("restore")
        .arg(&archive)
        .output()
        .expect("restore");
    assert!(
        !again.status.success(),
        "a second restore into the same place is refused"
    );
    assert!(
        String::from_utf8_lossy(&again.stderr).contains("not empty"),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
    drop(server);

    let copy = start_with(server_command(restored.path(), restore_db));
    let (status, token) = login(&copy.base, "alice").await;
    assert_eq!(status, 200, "the account came back");
    let token = token.expect("token");
    for id in &before_backup {
        let (status, body, _) = v4(
            &copy.base,
            reqwest::Method::GET,
            &format!("/posts/{id}"),
            Some(&token),
            None,
        )
        .await;
        assert_eq!(status, 200, "post {id} restored: {body}");
    }
    let bytes = reqwest::Client::new()
        .get(format!("{}/api/v4/files/{file_id}", copy.base))
        .bearer_auth(&token)
        .send()
        .await
        .expect("file")
        .bytes()
        .await
        .expect("bytes");
    assert_eq!(
        bytes.as_ref(),
        content.as_slice(),
        "the file came back intact"
    );
}

#[tokio::test]
async fn sqlite_backup_under_load_and_restore() {
    backup_under_load_restores(None, None).await;
}

#[tokio::test]
async fn postgres_backup_under_load_and_restore() {
    let (Some(source), Some(target)) = (support::postgres_url(), support::postgres_url()) else {
        return;
    };
    backup_under_load_restores(Some(&source), Some(&target)).await;
}
