//! Outages of the parts a scaled-out server stands on, with real processes:
//! two rustchat nodes over their own PostgreSQL, Redis and S3-compatible
//! server, each stopped mid-run and started again. What needs the missing
//! part answers 503 with Mattermost's error body, the rest keeps working, and
//! everything recovers without restarting rustchat.

mod support;

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use futures::StreamExt;
use serde_json::{json, Value};
use support::{rustchat, start_with, Server};
use tokio_tungstenite::tungstenite::Message;

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

/// Whether a part this test needs is missing: fails under `CI=true`,
/// otherwise the test is skipped with the reason.
fn missing(what: &str) -> bool {
    assert!(
        std::env::var("CI").is_err(),
        "{what} is required in CI (scripts/test installs it)"
    );
    eprintln!("skipped: {what} is not available");
    true
}

/// A PostgreSQL server of the test's own, in a temporary directory.
struct Postgres {
    bin: PathBuf,
    data: PathBuf,
    port: u16,
    _dir: tempfile::TempDir,
}

/// Runs a PostgreSQL program as the `postgres` user when we are root (the
/// server refuses to run as root), as ourselves otherwise.
fn pg_command(program: &Path) -> Command {
    let root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"0\n"));
    if root {
        let mut cmd = Command::new("runuser");
        cmd.args(["-u", "postgres", "--"]).arg(program);
        cmd
    } else {
        Command::new(program)
    }
}

impl Postgres {
    fn start_new() -> Option<Postgres> {
        let bin = std::fs::read_dir("/usr/lib/postgresql")
            .ok()?
            .filter_map(|e| e.ok().map(|e| e.path().join("bin")))
            .filter(|p| p.join("initdb").exists())
            .max()?;
        let dir = tempfile::tempdir().expect("tempdir");
        let data = dir.path().join("pg");
        // The server runs as `postgres` and must own its directory.
        let _ = Command::new("chown")
            .args(["-R", "postgres:postgres"])
            .arg(dir.path())
            .status();
        let ok = pg_command(&bin.join("initdb"))
            .args(["-A", "trust", "-U", "postgres", "--no-sync", "-D"])
            .arg(&data)
            .stdout(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        assert!(ok, "initdb failed");
        let pg = Postgres {
            bin,
            data,
            port: free_port(),
            _dir: dir,
        };
        pg.start();
        Some(pg)
    }

    fn start(&self) {
        let options = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off",
            self.port,
            self.data.display()
        );
        let ok = pg_command(&self.bin.join("pg_ctl"))
            .arg("-D")
            .arg(&self.data)
            .args(["-o", &options, "-l"])
            .arg(self.data.join("log"))
            .args(["-w", "start"])
            .stdout(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        assert!(ok, "PostgreSQL did not start");
    }

    /// Stops it at once, as a crash would.
    fn stop(&self) {
        let ok = pg_command(&self.bin.join("pg_ctl"))
            .arg("-D")
            .arg(&self.data)
            .args(["-m", "immediate", "-w", "stop"])
            .stdout(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        assert!(ok, "PostgreSQL did not stop");
    }

    fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/rustchat", self.port)
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        let _ = pg_command(&self.bin.join("pg_ctl"))
            .arg("-D")
            .arg(&self.data)
            .args(["-m", "immediate", "stop"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
}

/// A child process that is killed when dropped, and can be started again.
struct Process {
    command: Vec<String>,
    child: Option<Child>,
}

impl Process {
    fn start(command: Vec<String>) -> Process {
        let mut p = Process {
            command,
            child: None,
        };
        p.restart();
        p
    }

    fn restart(&mut self) {
        let child = Command::new(&self.command[0])
            .args(&self.command[1..])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn");
        self.child = Some(child);
    }

    fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        self.stop();
    }
}

async fn wait_until(what: &str, within: Duration, mut ready: impl AsyncFnMut() -> bool) {
    let deadline = Instant::now() + within;
    while !ready().await {
        assert!(Instant::now() < deadline, "{what} within {within:?}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

const BUCKET: &str = "rustchat-outages";

/// The S3 server is empty when it comes back (it keeps nothing): the bucket
/// is made again, as an operator restoring the store would.
async fn make_bucket(endpoint: &str) {
    let http = reqwest::Client::new();
    wait_until(
        "the S3 server answers",
        Duration::from_secs(20),
        async || http.get(endpoint).send().await.is_ok(),
    )
    .await;
    let made = http
        .put(format!("{endpoint}/{BUCKET}"))
        .send()
        .await
        .expect("create bucket");
    assert!(made.status().is_success(), "bucket: {}", made.status());
}

struct Client {
    http: reqwest::Client,
    base: String,
    token: String,
}

impl Client {
    async fn call(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> (u16, Value) {
        let mut req = self
            .http
            .request(method, format!("{}{path}", self.base))
            .bearer_auth(&self.token)
            .timeout(Duration::from_secs(30));
        if let Some(b) = body {
            req = req.json(&b);
        }
        let resp = req.send().await.expect("request");
        let status = resp.status().as_u16();
        (status, resp.json().await.unwrap_or(Value::Null))
    }

    async fn post(&self, channel: &str, message: &str) -> (u16, Value) {
        self.call(
            reqwest::Method::POST,
            "/api/v4/posts",
            Some(json!({"channel_id": channel, "message": message})),
        )
        .await
    }

    async fn upload(&self, channel: &str) -> (u16, Value) {
        let boundary = "outageboundary";
        let body = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"channel_id\"\r\n\r\n{channel}\r\n\
             --{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a.txt\"\r\n\
             Content-Type: text/plain\r\n\r\nsome words\r\n--{boundary}--\r\n"
        );
        let resp = self
            .http
            .post(format!("{}/api/v4/files", self.base))
            .bearer_auth(&self.token)
            .header(
                "content-type",
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(body)
            .timeout(Duration::from_secs(30))
            .send()
            .await
            .expect("upload");
        let status = resp.status().as_u16();
        (status, resp.json().await.unwrap_or(Value::Null))
    }
}

/// Mattermost's error body with a 503.
fn assert_unavailable(what: &str, (status, body): &(u16, Value)) {
    assert_eq!(*status, 503, "{what}: {body}");
    assert_eq!(body["status_code"], 503, "{what}: {body}");
    assert!(
        body["id"].as_str().is_some_and(|id| !id.is_empty()) && body["message"].is_string(),
        "{what}: Mattermost's error shape: {body}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_server_rides_out_postgres_redis_and_s3_outages() {
    let Some(pg) = Postgres::start_new() else {
        missing("PostgreSQL's server programs (initdb, pg_ctl)");
        return;
    };
    let Ok(redis_bin) = which("redis-server") else {
        missing("redis-server");
        return;
    };
    let moto = std::env::var("RUSTCHAT_TEST_SERVERS_VENV")
        .map(|venv| PathBuf::from(venv).join("bin/moto_server"))
        .ok()
        .filter(|p| p.exists());
    let Some(moto) = moto else {
        missing("the S3 test server (moto_server in RUSTCHAT_TEST_SERVERS_VENV)");
        return;
    };
    let redis_port = free_port();
    let mut redis = Process::start(vec![
        redis_bin,
        "--port".into(),
        redis_port.to_string(),
        "--bind".into(),
        "127.0.0.1".into(),
        "--save".into(),
        String::new(),
        "--appendonly".into(),
        "no".into(),
    ]);
    let s3_port = free_port();
    let mut s3 = Process::start(vec![
        moto.display().to_string(),
        "-H".into(),
        "127.0.0.1".into(),
        "-p".into(),
        s3_port.to_string(),
    ]);
    let s3_endpoint = format!("http://127.0.0.1:{s3_port}");
    make_bucket(&s3_endpoint).await;

    let node = |dir: &Path| -> Server {
        let mut cmd = rustchat(dir, Some(&pg.url()));
        cmd.env(
            "RUSTCHAT_REDIS_URL",
            format!("redis://127.0.0.1:{redis_port}"),
        )
        .env("RUSTCHAT_S3_BUCKET", BUCKET)
        .env("RUSTCHAT_S3_ENDPOINT", &s3_endpoint)
        .env("RUSTCHAT_S3_REGION", "us-east-1")
        .env("RUSTCHAT_S3_PATH_STYLE", "true")
        .env("AWS_ACCESS_KEY_ID", "test")
        .env("AWS_SECRET_ACCESS_KEY", "test");
        start_with(cmd)
    };
    let (dir_a, dir_b) = (
        tempfile::tempdir().expect("a"),
        tempfile::tempdir().expect("b"),
    );
    let a = node(dir_a.path());
    let b = node(dir_b.path());

    // An admin, a team and its town square, made over node A.
    let http = reqwest::Client::new();
    let user = json!({"username": "ops", "email": "ops@example.com", "password": "password1"});
    let made = http
        .post(format!("{}/api/v4/users", a.base))
        .json(&user)
        .send()
        .await
        .expect("user");
    assert_eq!(made.status(), 201);
    let login = http
        .post(format!("{}/api/v4/users/login", a.base))
        .json(&json!({"login_id": "ops", "password": "password1"}))
        .send()
        .await
        .expect("login");
    let token = login.headers()["token"]
        .to_str()
        .expect("token")
        .to_string();
    let on_a = Client {
        http: http.clone(),
        base: a.base.clone(),
        token: token.clone(),
    };
    let on_b = Client {
        http: http.clone(),
        base: b.base.clone(),
        token: token.clone(),
    };
    let (status, team) = on_a
        .call(
            reqwest::Method::POST,
            "/api/v4/teams",
            Some(json!({"name": "ops", "display_name": "Ops", "type": "O"})),
        )
        .await;
    assert_eq!(status, 201, "{team}");
    let (_, square) = on_a
        .call(
            reqwest::Method::GET,
            &format!(
                "/api/v4/teams/{}/channels/name/town-square",
                team["id"].as_str().expect("team id")
            ),
            None,
        )
        .await;
    let channel = square["id"].as_str().expect("channel").to_string();
    assert_eq!(on_a.upload(&channel).await.0, 201, "uploads work at first");

    // S3 stops: uploads are 503, posting goes on; it comes back, uploads work.
    s3.stop();
    assert_unavailable("an upload without S3", &on_a.upload(&channel).await);
    assert_eq!(on_a.post(&channel, "files are down").await.0, 201);
    s3.restart();
    make_bucket(&s3_endpoint).await;
    let (status, body) = on_a.upload(&channel).await;
    assert_eq!(status, 201, "uploads recover with S3: {body}");

    // Redis stops: each node still serves and delivers its own events; when
    // it comes back, node A's posts reach node B's sockets again.
    let ws_url = format!("{}/api/v4/websocket", b.base.replace("http://", "ws://"));
    let mut request =
        tokio_tungstenite::tungstenite::client::IntoClientRequest::into_client_request(ws_url)
            .expect("ws request");
    request.headers_mut().insert(
        "authorization",
        format!("Bearer {token}").parse().expect("header"),
    );
    let (mut socket, _) = tokio_tungstenite::connect_async(request)
        .await
        .expect("socket on B");
    redis.stop();
    assert_eq!(on_a.post(&channel, "fan-out is down").await.0, 201);
    assert_eq!(on_b.post(&channel, "said on B").await.0, 201);
    assert!(
        posted(&mut socket, "said on B", Duration::from_secs(5)).await,
        "node B delivers its own posts without Redis"
    );
    redis.restart();
    let mut n = 0;
    wait_until(
        "node A's posts reach node B after Redis returns",
        Duration::from_secs(30),
        async || {
            n += 1;
            let message = format!("across again {n}");
            on_a.post(&channel, &message).await.0 == 201
                && posted(&mut socket, &message, Duration::from_secs(1)).await
        },
    )
    .await;
    let _ = socket.close(None).await;

    // PostgreSQL stops: what needs it is 503, the node stays up; it comes
    // back, and the pool reconnects by itself.
    pg.stop();
    assert_unavailable(
        "a post without the database",
        &on_a.post(&channel, "db down").await,
    );
    let ping = http
        .get(format!("{}/api/v4/system/ping", a.base))
        .send()
        .await
        .expect("ping");
    assert_eq!(ping.status(), 200, "the node itself keeps answering");
    pg.start();
    wait_until("posting works again", Duration::from_secs(60), async || {
        on_a.post(&channel, "db back").await.0 == 201
    })
    .await;
    // Node B was busy (delivering A's posts) when the database went: a
    // connection it had just used may fail one request, which teaches its
    // pool to check the others; the next succeeds.
    let mut attempts = Vec::new();
    for _ in 0..2 {
        let (status, body) = on_b.post(&channel, "db back on B").await;
        attempts.push((status, body));
        if status == 201 {
            break;
        }
        assert_unavailable("node B's first request after the outage", &attempts[0]);
    }
    assert_eq!(
        attempts.last().map(|a| a.0),
        Some(201),
        "node B recovers at its second request at the latest: {attempts:?}"
    );
}

/// Whether a `posted` event with this message arrives within `wait`.
async fn posted(socket: &mut Socket, message: &str, wait: Duration) -> bool {
    let deadline = tokio::time::Instant::now() + wait;
    loop {
        let Ok(Some(Ok(frame))) = tokio::time::timeout_at(deadline, socket.next()).await else {
            return false;
        };
        let Message::Text(text) = frame else { continue };
        let event: Value = serde_json::from_str(text.as_str()).unwrap_or(Value::Null);
        if event["event"] != "posted" {
            continue;
        }
        let post: Value = event["data"]["post"]
            .as_str()
            .and_then(|p| serde_json::from_str(p).ok())
            .unwrap_or(Value::Null);
        if post["message"] == message {
            return true;
        }
    }
}

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

fn which(program: &str) -> Result<String, ()> {
    let out = Command::new("sh")
        .args(["-c", &format!("command -v {program}")])
        .output()
        .map_err(|_| ())?;
    let path = String::from_utf8_lossy(&out.stdout).trim().to_string();
    if out.status.success() && !path.is_empty() {
        Ok(path)
    } else {
        Err(())
    }
}
