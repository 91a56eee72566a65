//! `rustchat bench ws-idle` and `rustchat bench ws-fanout`: WebSocket load
//! through Mattermost's public API v4 only (login, users, teams, channels,
//! posts and `/api/v4/websocket`), so the same numbers can be taken against
//! rustchat and against Mattermost itself.
//!
//! `ws-idle` opens sockets in steps and reads the server's resident memory
//! after each, for the cost of one idle connection. `ws-fanout` opens
//! receivers in one channel and posts into it at a fixed rate, counting the
//! `posted` events that arrive and how late they are.
//!
//! The tool usually shares a small machine with the server, so it must stay
//! cheap: one task per socket with a 4 KiB read buffer and no write
//! buffering, and a substring check before any frame is parsed. It reports
//! its own CPU time and memory next to the server's so a reader can see it
//! was not the bottleneck.
//!
//! Thousands of sockets need thousands of file descriptors, in this process
//! and in the server. The tool cannot raise its own limit (that needs libc,
//! which it does not use directly): run `ulimit -n 65536` in the shell first.
//! A socket that fails with "Too many open files" stops the run with that
//! advice.
//!
//! Memory and CPU figures come from `/proc`, so `--server-pid` works only
//! for a server on the same Linux machine.

use std::borrow::Cow;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use anyhow::{anyhow, bail, Context};
use futures::{stream, StreamExt};
use hdrhistogram::Histogram;
use reqwest::Method;
use serde::Deserialize;
use serde_json::{json, Value};
use tokio::net::TcpStream;
use tokio::sync::{mpsc, watch, Semaphore};
use tokio::time::MissedTickBehavior;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::header::AUTHORIZATION;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::tungstenite::{Error as WsError, Message};
use tokio_tungstenite::{connect_async_with_config, MaybeTlsStream, WebSocketStream};

/// Read buffer per socket. The default (128 KiB) would make the tool's own
/// memory, not the server's, the limit at ten thousand sockets; the frames
/// here are well under 4 KiB.
const READ_BUFFER: usize = 4 * 1024;
/// How long a socket may take from connect to the server's `hello`.
const HELLO_TIMEOUT: Duration = Duration::from_secs(30);
/// Setup requests in flight: logins hash passwords, so more would only queue
/// on the server's cores.
const SETUP_CONCURRENCY: usize = 8;
/// Team, channel and user names, fixed so re-runs reuse what earlier runs made.
const TEAM_NAME: &str = "bench-ws";
const CHANNEL_NAME: &str = "bench-ws-fanout";
const USER_PREFIX: &str = "benchws";
/// Clock ticks per second of `/proc/<pid>/stat` times (USER_HZ, 100 on Linux).
const TICKS_PER_SECOND: f64 = 100.0;
/// Latencies a receiver collects before taking the shared histogram's lock,
/// so a thousand sockets do not contend on it for every frame.
const LATENCY_BATCH: usize = 16;

type Ws = WebSocketStream<MaybeTlsStream<TcpStream>>;

#[derive(clap::Args)]
pub struct CommonArgs {
    /// Base URL of the server (http:// only: the tool has no TLS).
    #[arg(long, default_value = "http://127.0.0.1:8065")]
    url: String,
    /// Username of an admin account. Created with --password when it cannot
    /// log in; on a fresh server the first user becomes the system admin.
    #[arg(long, default_value = "benchadmin")]
    admin: String,
    /// Password of the admin, and of the bench users it creates.
    #[arg(long, default_value = "bench-password-1")]
    password: String,
    /// Distinct users the sockets are spread over, round robin.
    #[arg(long, default_value_t = 100)]
    users: usize,
    /// Pid of the server, to read its memory and CPU time from /proc
    /// (same Linux machine only).
    #[arg(long)]
    server_pid: Option<u32>,
    /// Sockets being opened at once, so the server is not flooded with
    /// connection attempts.
    #[arg(long, default_value_t = 200)]
    connect_concurrency: usize,
    /// Print one JSON object per step or run on stdout (the human report then
    /// goes to stderr).
    #[arg(long)]
    json: bool,
}

#[derive(clap::Args)]
pub struct IdleArgs {
    #[command(flatten)]
    common: CommonArgs,
    /// Total open sockets after each step, ascending; a step keeps the
    /// previous step's sockets open and adds the difference.
    #[arg(long, value_delimiter = ',', default_value = "1000,5000,10000")]
    connections: Vec<usize>,
    /// Seconds to wait after a step's last `hello` before reading memory.
    #[arg(long, default_value_t = 3)]
    settle: u64,
}

#[derive(clap::Args)]
pub struct FanoutArgs {
    #[command(flatten)]
    common: CommonArgs,
    /// Receiving sockets, all of them members of the one bench channel.
    #[arg(long, default_value_t = 1000)]
    receivers: usize,
    /// Posts per second.
    #[arg(long, default_value_t = 100)]
    rate: u32,
    /// Seconds of posting.
    #[arg(long, default_value_t = 60)]
    seconds: u64,
    /// HTTP posts in flight at most: more than one, so that the round trip of
    /// one post does not cap the rate.
    #[arg(long, default_value_t = 16)]
    posters: usize,
    /// Seconds to wait for late deliveries after the last post was answered.
    #[arg(long, default_value_t = 5)]
    drain: u64,
}

// ---------------------------------------------------------------------------
// HTTP: the Mattermost v4 calls of the setup and the poster.

/// A logged-in user.
struct Session {
    token: Arc<str>,
    user_id: String,
}

struct Api {
    http: reqwest::Client,
    base: String,
    /// `ws://host:port/api/v4/websocket`, derived from the base URL.
    ws_url: String,
}

impl Api {
    fn new(url: &str, pool: usize) -> anyhow::Result<Api> {
        let base = url.trim_end_matches('/').to_string();
        let host = base.strip_prefix("http://").with_context(|| {
            format!("--url must start with http:// (the tool has no TLS): {url}")
        })?;
        let ws_url = format!("ws://{host}/api/v4/websocket");
        let http = reqwest::Client::builder()
            .pool_max_idle_per_host(pool)
            .timeout(Duration::from_secs(60))
            .build()
            .context("cannot build the HTTP client")?;
        Ok(Api { http, base, ws_url })
    }

    async fn send(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> anyhow::Result<reqwest::Response> {
        let mut req = self.http.request(method, format!("{}{path}", self.base));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        req.send()
            .await
            .with_context(|| format!("{path}: request to {} failed", self.base))
    }

    /// The JSON body of a successful call; any other status is an error.
    async fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> anyhow::Result<Value> {
        let resp = self.send(method, path, token, body).await?;
        let status = resp.status();
        let text = resp
            .text()
            .await
            .with_context(|| format!("{path}: cannot read the response"))?;
        if !status.is_success() {
            bail!("{path}: {status}: {text}");
        }
        Ok(serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    /// `GET` of an object that may not exist yet: `None` on 404.
    async fn find(&self, path: &str, token: &str) -> anyhow::Result<Option<Value>> {
        let resp = self.send(Method::GET, path, Some(token), None).await?;
        let status = resp.status();
        if status == reqwest::StatusCode::NOT_FOUND {
            return Ok(None);
        }
        let text = resp
            .text()
            .await
            .with_context(|| format!("{path}: cannot read the response"))?;
        if !status.is_success() {
            bail!("{path}: {status}: {text}");
        }
        let value: Value = serde_json::from_str(&text)
            .with_context(|| format!("{path}: the response is not JSON: {text}"))?;
        Ok(Some(value))
    }

    /// Logs in; `None` when the server refuses the credentials (or the user
    /// does not exist), so the caller can create the user.
    async fn login(&self, username: &str, password: &str) -> anyhow::Result<Option<Session>> {
        let path = "/api/v4/users/login";
        let body = json!({"login_id": username, "password": password});
        let resp = self.send(Method::POST, path, None, Some(body)).await?;
        let status = resp.status();
        if matches!(status.as_u16(), 400 | 401 | 403 | 404) {
            return Ok(None);
        }
        let token = resp
            .headers()
            .get("token")
            .and_then(|v| v.to_str().ok())
            .map(Arc::<str>::from);
        let text = resp
            .text()
            .await
            .with_context(|| format!("{path}: cannot read the response"))?;
        if !status.is_success() {
            bail!("{path} as {username}: {status}: {text}");
        }
        let token = token.with_context(|| format!("{path}: the response has no Token header"))?;
        let user: Value = serde_json::from_str(&text)
            .with_context(|| format!("{path}: the response is not JSON: {text}"))?;
        Ok(Some(Session {
            token,
            user_id: field(&user, "id")?,
        }))
    }
}

fn field(v: &Value, key: &str) -> anyhow::Result<String> {
    v.get(key)
        .and_then(Value::as_str)
        .map(str::to_string)
        .with_context(|| format!("response has no {key}: {v}"))
}

/// Everything a run needs on the server: an admin session, the bench team
/// and logged-in bench users.
struct Setup {
    admin: Session,
    team_id: String,
    users: Vec<Session>,
}

impl Setup {
    /// The session of socket `i`: sockets go round robin over the users.
    fn token(&self, i: usize) -> Arc<str> {
        match self.users.get(i % self.users.len().max(1)) {
            Some(user) => user.token.clone(),
            None => self.admin.token.clone(),
        }
    }
}

/// Logs in the admin (creating it if needed), finds or creates the team and
/// the bench users, and logs every user in. Objects are looked up by name
/// first so that re-runs against the same server reuse them.
async fn setup(api: &Api, common: &CommonArgs) -> anyhow::Result<Setup> {
    if common.users == 0 {
        bail!("--users must be at least 1");
    }
    let started = Instant::now();
    let admin = admin_session(api, &common.admin, &common.password).await?;
    let team_id = ensure_team(api, &admin.token).await?;
    eprintln!(
        "bench: preparing {} users in team {TEAM_NAME} at {}",
        common.users, api.base
    );
    let admin_token: &str = &admin.token;
    let team: &str = &team_id;
    let password: &str = &common.password;
    let results: Vec<anyhow::Result<Session>> = stream::iter(0..common.users)
        .map(move |i| bench_user(api, admin_token, team, i, password))
        .buffered(SETUP_CONCURRENCY)
        .collect()
        .await;
    let users = results.into_iter().collect::<anyhow::Result<Vec<_>>>()?;
    eprintln!(
        "bench: {} users ready in {:.1}s",
        users.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(Setup {
        admin,
        team_id,
        users,
    })
}

async fn admin_session(api: &Api, admin: &str, password: &str) -> anyhow::Result<Session> {
    if let Some(session) = api.login(admin, password).await? {
        return Ok(session);
    }
    let body = json!({
        "email": format!("{admin}@bench.invalid"),
        "username": admin,
        "password": password,
    });
    api.call(Method::POST, "/api/v4/users", None, Some(body))
        .await
        .with_context(|| {
            format!(
                "cannot log in as {admin}, nor create that user: pass the --admin and --password of an existing admin"
            )
        })?;
    api.login(admin, password)
        .await?
        .with_context(|| format!("created user {admin} but cannot log in as it"))
}

async fn ensure_team(api: &Api, token: &str) -> anyhow::Result<String> {
    let team = match api
        .find(&format!("/api/v4/teams/name/{TEAM_NAME}"), token)
        .await?
    {
        Some(team) => team,
        None => api
            .call(
                Method::POST,
                "/api/v4/teams",
                Some(token),
                Some(json!({"name": TEAM_NAME, "display_name": "Bench WS", "type": "O"})),
            )
            .await
            .context("cannot create the bench team")?,
    };
    field(&team, "id")
}

/// Finds or creates bench user `i`, makes sure it is in the team (adding an
/// existing member is a no-op) and logs it in.
async fn bench_user(
    api: &Api,
    admin_token: &str,
    team_id: &str,
    i: usize,
    password: &str,
) -> anyhow::Result<Session> {
    let username = format!("{USER_PREFIX}{i}");
    let found = api
        .find(&format!("/api/v4/users/username/{username}"), admin_token)
        .await?;
    let user = match found {
        Some(user) => user,
        None => {
            let body = json!({
                "email": format!("{username}@bench.invalid"),
                "username": username,
                "password": password,
            });
            api.call(Method::POST, "/api/v4/users", Some(admin_token), Some(body))
                .await
                .with_context(|| format!("cannot create user {username}"))?
        }
    };
    let user_id = field(&user, "id")?;
    api.call(
        Method::POST,
        &format!("/api/v4/teams/{team_id}/members"),
        Some(admin_token),
        Some(json!({"team_id": team_id, "user_id": user_id})),
    )
    .await
    .with_context(|| format!("cannot add {username} to team {TEAM_NAME}"))?;
    api.login(&username, password).await?.with_context(|| {
        format!("cannot log in as {username}: it exists with another password (use a fresh server, or the --password it was created with)")
    })
}

/// Finds or creates the bench channel and makes the admin (the poster) and
/// every bench user members.
async fn ensure_channel(api: &Api, setup: &Setup) -> anyhow::Result<String> {
    let token: &str = &setup.admin.token;
    let team_id = setup.team_id.as_str();
    let found = api
        .find(
            &format!("/api/v4/teams/{team_id}/channels/name/{CHANNEL_NAME}"),
            token,
        )
        .await?;
    let channel = match found {
        Some(channel) => channel,
        None => api
            .call(
                Method::POST,
                "/api/v4/channels",
                Some(token),
                Some(json!({
                    "team_id": team_id,
                    "name": CHANNEL_NAME,
                    "display_name": "Bench WS fan-out",
                    "type": "O",
                })),
            )
            .await
            .context("cannot create the bench channel")?,
    };
    let channel_id = field(&channel, "id")?;
    let path = format!("/api/v4/channels/{channel_id}/members");
    // The admin first and alone: it must be a member before it can add others.
    api.call(
        Method::POST,
        &path,
        Some(token),
        Some(json!({"user_id": setup.admin.user_id})),
    )
    .await
    .context("cannot add the admin to the bench channel")?;
    let path = path.as_str();
    let results: Vec<anyhow::Result<Value>> = stream::iter(&setup.users)
        .map(move |user| {
            api.call(
                Method::POST,
                path,
                Some(token),
                Some(json!({"user_id": user.user_id})),
            )
        })
        .buffered(SETUP_CONCURRENCY)
        .collect()
        .await;
    for result in results {
        result.context("cannot add a bench user to the bench channel")?;
    }
    Ok(channel_id)
}

// ---------------------------------------------------------------------------
// /proc: memory and CPU time of the server and of the tool.

#[derive(Clone, Copy)]
struct ProcStats {
    rss_kib: u64,
    cpu_seconds: f64,
}

/// Resident memory and user+system CPU time of process `pid` (a number or
/// `self`).
fn proc_stats(pid: &str) -> anyhow::Result<ProcStats> {
    let status_path = format!("/proc/{pid}/status");
    let status = std::fs::read_to_string(&status_path)
        .with_context(|| format!("cannot read {status_path}"))?;
    let rss_kib = status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|n| n.parse::<u64>().ok())
        .with_context(|| format!("no VmRSS in {status_path}"))?;
    let stat_path = format!("/proc/{pid}/stat");
    let stat =
        std::fs::read_to_string(&stat_path).with_context(|| format!("cannot read {stat_path}"))?;
    // The command name (field 2) is in parentheses and may hold spaces, so
    // count from the last ')': field 3 (state) comes first, then utime is
    // field 14 and stime field 15.
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map(|(_, rest)| rest.split_whitespace().collect())
        .unwrap_or_default();
    let ticks = |i: usize| fields.get(i).and_then(|f| f.parse::<u64>().ok());
    let (utime, stime) = ticks(11)
        .zip(ticks(12))
        .with_context(|| format!("cannot read utime and stime in {stat_path}"))?;
    Ok(ProcStats {
        rss_kib,
        cpu_seconds: (utime + stime) as f64 / TICKS_PER_SECOND,
    })
}

fn server_stats(pid: Option<u32>) -> anyhow::Result<Option<ProcStats>> {
    pid.map(|p| {
        proc_stats(&p.to_string())
            .with_context(|| format!("--server-pid {p}: is the server running on this machine?"))
    })
    .transpose()
}

fn tool_stats() -> anyhow::Result<ProcStats> {
    proc_stats("self")
}

fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

fn ms(micros: u64) -> f64 {
    micros as f64 / 1000.0
}

fn micros(d: Duration) -> u64 {
    u64::try_from(d.as_micros()).unwrap_or(u64::MAX)
}

/// Wall-clock microseconds since the UNIX epoch: the poster writes it into
/// the message and the receivers compare against it, so both must use the
/// same clock (they do: the tool is one process).
fn now_micros() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(micros)
        .unwrap_or(0)
}

/// Where report lines go: stdout, or stderr when stdout carries JSON.
struct Report {
    json: bool,
}

impl Report {
    fn line(&self, text: &str) {
        if self.json {
            eprintln!("{text}");
        } else {
            println!("{text}");
        }
    }

    fn record(&self, value: &Value) {
        if self.json {
            println!("{value}");
        }
    }
}

fn check_common(common: &CommonArgs) -> anyhow::Result<()> {
    if !(1..=100_000).contains(&common.connect_concurrency) {
        bail!("--connect-concurrency must be between 1 and 100000");
    }
    // Fail before the setup, not after minutes of it.
    server_stats(common.server_pid)?;
    Ok(())
}

// ---------------------------------------------------------------------------
// WebSocket.

/// Frames are JSON objects; only the event name is read here.
#[derive(Deserialize)]
struct EventName<'a> {
    #[serde(borrow)]
    event: Cow<'a, str>,
}

/// A `posted` event, down to the post.
#[derive(Deserialize)]
struct PostedFrame<'a> {
    #[serde(borrow)]
    event: Cow<'a, str>,
    #[serde(borrow)]
    data: PostedData<'a>,
}

#[derive(Deserialize)]
struct PostedData<'a> {
    /// The post as a JSON string inside the JSON (Mattermost encodes it twice).
    #[serde(borrow)]
    post: Cow<'a, str>,
}

#[derive(Deserialize)]
struct PostBody<'a> {
    #[serde(borrow)]
    message: Cow<'a, str>,
}

/// Whether a frame is the event `name`: a substring check first, so that
/// most frames are never parsed.
fn is_event(text: &str, name: &str) -> bool {
    text.contains(name) && serde_json::from_str::<EventName>(text).is_ok_and(|e| e.event == name)
}

/// The number and send time of a bench post, from its `posted` event.
/// The marker is found in the raw text first (digits and colons are never
/// escaped), so the tool does not spend its CPU parsing 100,000 frames a
/// second; anything unusual falls back to a full parse.
fn bench_post(frame: &str) -> Option<(u64, u64)> {
    if frame.contains("\"event\":\"posted\"") {
        if let Some(start) = frame.find("bench:") {
            let rest = &frame[start..];
            let end = rest[6..]
                .find(|c: char| !(c.is_ascii_digit() || c == ':'))
                .map_or(rest.len(), |i| i + 6);
            if let Some(found) = parse_bench_message(&rest[..end]) {
                return Some(found);
            }
        }
    }
    let frame: PostedFrame = serde_json::from_str(frame).ok()?;
    if frame.event != "posted" {
        return None;
    }
    let post: PostBody = serde_json::from_str(&frame.data.post).ok()?;
    parse_bench_message(&post.message)
}

/// `bench:<n>:<µs since the UNIX epoch>`, as the poster writes it.
fn parse_bench_message(message: &str) -> Option<(u64, u64)> {
    let (n, sent) = message.strip_prefix("bench:")?.split_once(':')?;
    Some((n.parse().ok()?, sent.parse().ok()?))
}

/// EMFILE (24: this process) or ENFILE (23: the whole system) on Linux.
fn is_out_of_files(e: &std::io::Error) -> bool {
    matches!(e.raw_os_error(), Some(23 | 24))
}

fn connect_error(e: WsError) -> anyhow::Error {
    match e {
        WsError::Io(io) if is_out_of_files(&io) => anyhow!(
            "cannot open a socket: {io}. Raise the open-files limit first: run `ulimit -n 65536` in the shell that starts this tool (and the server)"
        ),
        WsError::Http(response) => {
            let body = response
                .body()
                .as_deref()
                .map(String::from_utf8_lossy)
                .unwrap_or_default();
            anyhow!(
                "the server refused the WebSocket upgrade: HTTP {}: {body}",
                response.status()
            )
        }
        other => anyhow::Error::new(other).context("cannot open a WebSocket"),
    }
}

/// Opens one socket as the user of `token` and waits for the server's
/// `hello`, so that a socket counts as open only once the server has fully
/// registered it.
async fn open_socket(url: &str, token: &str) -> anyhow::Result<Ws> {
    let mut request = url
        .into_client_request()
        .with_context(|| format!("bad WebSocket URL {url}"))?;
    let auth = HeaderValue::from_str(&format!("Bearer {token}"))
        .context("the session token is not a valid header value")?;
    request.headers_mut().insert(AUTHORIZATION, auth);
    // No write buffering: the tool writes nothing but pongs and a close.
    let config = WebSocketConfig::default()
        .read_buffer_size(READ_BUFFER)
        .write_buffer_size(0);
    let (mut ws, _) = connect_async_with_config(request, Some(config), true)
        .await
        .map_err(connect_error)?;
    tokio::time::timeout(HELLO_TIMEOUT, wait_hello(&mut ws))
        .await
        .map_err(|_| {
            anyhow!(
                "no hello within {HELLO_TIMEOUT:?} (is the server out of file descriptors? raise its `ulimit -n`)"
            )
        })??;
    Ok(ws)
}

async fn wait_hello(ws: &mut Ws) -> anyhow::Result<()> {
    while let Some(msg) = ws.next().await {
        match msg.context("WebSocket error before hello")? {
            Message::Text(text) if is_event(text.as_str(), "hello") => return Ok(()),
            Message::Close(frame) => bail!("the server closed the socket before hello: {frame:?}"),
            _ => {}
        }
    }
    bail!("the server closed the socket before hello")
}

/// Waits for the sockets `from..to` to report open, printing progress; the
/// first failure ends the wait (and the run).
async fn wait_open(
    ready: &mut mpsc::UnboundedReceiver<anyhow::Result<()>>,
    from: usize,
    to: usize,
) -> anyhow::Result<()> {
    let step = ((to - from) / 10).max(1);
    let mut next_report = from + step;
    for done in from + 1..=to {
        match ready.recv().await {
            Some(Ok(())) => {}
            Some(Err(e)) => {
                return Err(e.context(format!("{} of {to} sockets were open", done - 1)))
            }
            None => bail!("the socket tasks ended before reporting"),
        }
        if done >= next_report || done == to {
            eprintln!("bench: {done}/{to} sockets open");
            next_report += step;
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// ws-idle.

/// One idle socket: opens, reports, then only reads (which also answers the
/// server's pings) until told to stop. A socket the server closes is counted
/// in `dropped`.
async fn idle_socket(
    url: Arc<str>,
    token: Arc<str>,
    gate: Arc<Semaphore>,
    ready: mpsc::UnboundedSender<anyhow::Result<()>>,
    mut stop: watch::Receiver<bool>,
    dropped: Arc<AtomicUsize>,
) {
    let opened = {
        let _permit = gate.acquire().await;
        open_socket(&url, &token).await
    };
    let mut ws = match opened {
        Ok(ws) => ws,
        Err(e) => {
            let _ = ready.send(Err(e));
            return;
        }
    };
    let _ = ready.send(Ok(()));
    loop {
        tokio::select! {
            msg = ws.next() => match msg {
                Some(Ok(Message::Close(_)) | Err(_)) | None => {
                    dropped.fetch_add(1, Ordering::Relaxed);
                    return;
                }
                Some(Ok(_)) => {}
            },
            _ = stop.changed() => break,
        }
    }
    let _ = ws.close(None).await;
}

/// `rustchat bench ws-idle`.
pub async fn idle(args: IdleArgs) -> anyhow::Result<()> {
    let IdleArgs {
        common,
        connections,
        settle,
    } = args;
    if connections.is_empty()
        || connections.contains(&0)
        || connections.windows(2).any(|w| w[0] >= w[1])
    {
        bail!("--connections must be ascending totals above 0, e.g. 1000,5000,10000");
    }
    check_common(&common)?;
    let api = Api::new(&common.url, SETUP_CONCURRENCY)?;
    let setup = setup(&api, &common).await?;
    let report = Report { json: common.json };
    let baseline = server_stats(common.server_pid)?;
    report.line(&format!(
        "ws-idle: sockets over {} users at {}; server baseline RSS {}",
        setup.users.len(),
        api.ws_url,
        baseline.map_or_else(
            || "n/a (pass --server-pid)".to_string(),
            |b| format!("{:.1} MiB", mib(b.rss_kib))
        )
    ));

    let url: Arc<str> = Arc::from(api.ws_url.as_str());
    let gate = Arc::new(Semaphore::new(common.connect_concurrency));
    let (ready_tx, mut ready_rx) = mpsc::unbounded_channel();
    let (stop_tx, stop_rx) = watch::channel(false);
    let dropped = Arc::new(AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for &target in &connections {
        let started = Instant::now();
        let from = tasks.len();
        for i in from..target {
            tasks.push(tokio::spawn(idle_socket(
                url.clone(),
                setup.token(i),
                gate.clone(),
                ready_tx.clone(),
                stop_rx.clone(),
                dropped.clone(),
            )));
        }
        wait_open(&mut ready_rx, from, target).await?;
        let open_seconds = started.elapsed().as_secs_f64();
        tokio::time::sleep(Duration::from_secs(settle)).await;
        let server = server_stats(common.server_pid)?;
        let tool = tool_stats()?;
        let closed = dropped.load(Ordering::Relaxed);
        let per_connection = server
            .zip(baseline)
            .map(|(s, b)| (s.rss_kib as f64 - b.rss_kib as f64) / target as f64);
        let server_text = match (server, per_connection) {
            (Some(s), Some(per)) => format!(
                "server RSS {:.1} MiB ({per:+.1} KiB per connection over baseline), CPU {:.1}s",
                mib(s.rss_kib),
                s.cpu_seconds
            ),
            _ => "server RSS n/a".to_string(),
        };
        report.line(&format!(
            "{target:>6} sockets: opened in {open_seconds:.1}s; {server_text}; tool RSS {:.1} MiB, CPU {:.1}s; {closed} closed by the server",
            mib(tool.rss_kib),
            tool.cpu_seconds
        ));
        report.record(&json!({
            "bench": "ws-idle",
            "url": common.url,
            "users": setup.users.len(),
            "connections": target,
            "open_seconds": open_seconds,
            "server_baseline_rss_kib": baseline.map(|b| b.rss_kib),
            "server_rss_kib": server.map(|s| s.rss_kib),
            "kib_per_connection": per_connection,
            "server_cpu_seconds": server.map(|s| s.cpu_seconds),
            "tool_rss_kib": tool.rss_kib,
            "tool_cpu_seconds": tool.cpu_seconds,
            "closed_by_server": closed,
        }));
    }
    let _ = stop_tx.send(true);
    // Close politely, but do not let a stuck socket hold up the exit.
    let _ = tokio::time::timeout(Duration::from_secs(10), futures::future::join_all(tasks)).await;
    Ok(())
}

// ---------------------------------------------------------------------------
// ws-fanout.

/// What every receiving socket shares.
struct Receivers {
    url: String,
    gate: Semaphore,
    /// Posts of the run: numbers at or above are not this run's.
    posts: u64,
    /// Post-to-delivery latency in µs, filled in batches.
    latency: Mutex<Histogram<u64>>,
    /// First arrivals so far over all sockets, so the drain can end early.
    delivered: AtomicU64,
}

/// One receiving socket's tally.
struct Tally {
    /// Bit n is set once post n has arrived.
    seen: Vec<u64>,
    limit: u64,
    unique: u64,
    duplicates: u64,
    /// Arrivals numbered below one already seen. Several posters send
    /// concurrently, so the server may order close posts either way; this
    /// counts that too, not only reordering in delivery.
    reordered: u64,
    /// `posted` events that are not this run's bench posts.
    foreign: u64,
    highest: Option<u64>,
    last_delivery: Option<Instant>,
    disconnected: bool,
}

impl Tally {
    fn new(limit: u64) -> Tally {
        Tally {
            seen: vec![0; usize::try_from(limit.div_ceil(64)).unwrap_or(0)],
            limit,
            unique: 0,
            duplicates: 0,
            reordered: 0,
            foreign: 0,
            highest: None,
            last_delivery: None,
            disconnected: false,
        }
    }

    /// Records the arrival of post `n`; true when it is the first.
    fn record(&mut self, n: u64) -> bool {
        if n >= self.limit {
            self.foreign += 1;
            return false;
        }
        let Ok(index) = usize::try_from(n / 64) else {
            self.foreign += 1;
            return false;
        };
        let Some(word) = self.seen.get_mut(index) else {
            self.foreign += 1;
            return false;
        };
        let bit = 1u64 << (n % 64);
        if *word & bit != 0 {
            self.duplicates += 1;
            return false;
        }
        *word |= bit;
        self.unique += 1;
        if self.highest.is_some_and(|h| n < h) {
            self.reordered += 1;
        } else {
            self.highest = Some(n);
        }
        true
    }
}

fn flush(histogram: &Mutex<Histogram<u64>>, batch: &mut Vec<u64>) {
    let mut h = histogram.lock().unwrap_or_else(PoisonError::into_inner);
    for v in batch.drain(..) {
        let _ = h.record(v);
    }
}

/// One receiving socket: opens, reports, then tallies bench posts until told
/// to stop.
async fn fanout_socket(
    shared: Arc<Receivers>,
    token: Arc<str>,
    ready: mpsc::UnboundedSender<anyhow::Result<()>>,
    mut stop: watch::Receiver<bool>,
) -> Tally {
    let mut tally = Tally::new(shared.posts);
    let opened = {
        let _permit = shared.gate.acquire().await;
        open_socket(&shared.url, &token).await
    };
    let mut ws = match opened {
        Ok(ws) => ws,
        Err(e) => {
            let _ = ready.send(Err(e));
            tally.disconnected = true;
            return tally;
        }
    };
    let _ = ready.send(Ok(()));
    let mut batch: Vec<u64> = Vec::with_capacity(LATENCY_BATCH);
    loop {
        let msg = tokio::select! {
            msg = ws.next() => msg,
            _ = stop.changed() => break,
        };
        let text = match msg {
            Some(Ok(Message::Text(text))) => text,
            Some(Ok(Message::Close(_)) | Err(_)) | None => {
                tally.disconnected = true;
                break;
            }
            Some(Ok(_)) => continue,
        };
        let text = text.as_str();
        // Most frames are not posts: skip them before any parsing.
        if !text.contains("\"posted\"") {
            continue;
        }
        let received = now_micros();
        let Some((n, sent)) = bench_post(text) else {
            tally.foreign += 1;
            continue;
        };
        if tally.record(n) {
            tally.last_delivery = Some(Instant::now());
            shared.delivered.fetch_add(1, Ordering::Relaxed);
            batch.push(received.saturating_sub(sent));
            if batch.len() >= LATENCY_BATCH {
                flush(&shared.latency, &mut batch);
            }
        }
    }
    flush(&shared.latency, &mut batch);
    if !tally.disconnected {
        let _ = ws.close(None).await;
    }
    tally
}

/// What the posting side saw.
struct Posting {
    ok: u64,
    errors: u64,
    first_error: Option<String>,
    /// From the first post being sent to the last.
    elapsed: Duration,
    /// HTTP round trip of each post, µs.
    latency: Histogram<u64>,
}

/// Posts `total` messages at `rate` per second from a fixed-period ticker,
/// each in its own task with at most `posters` in flight, so one slow round
/// trip delays no other post.
async fn post_at_rate(
    api: Arc<Api>,
    token: Arc<str>,
    channel_id: Arc<str>,
    rate: u32,
    total: u64,
    posters: usize,
) -> anyhow::Result<Posting> {
    let mut ticker = tokio::time::interval(Duration::from_secs_f64(1.0 / f64::from(rate)));
    // After a stall, catch up: a run always sends `total` posts, and the
    // achieved rate shows the stall.
    ticker.set_missed_tick_behavior(MissedTickBehavior::Burst);
    let slots = Arc::new(Semaphore::new(posters));
    let mut tasks = Vec::with_capacity(usize::try_from(total).unwrap_or(0));
    let start = Instant::now();
    for n in 0..total {
        ticker.tick().await;
        let permit = slots
            .clone()
            .acquire_owned()
            .await
            .context("the poster slots closed")?;
        let (api, token, channel_id) = (api.clone(), token.clone(), channel_id.clone());
        tasks.push(tokio::spawn(async move {
            let _permit = permit;
            let body = json!({
                "channel_id": &*channel_id,
                "message": format!("bench:{n}:{}", now_micros()),
            });
            let t0 = Instant::now();
            let result = api
                .call(Method::POST, "/api/v4/posts", Some(&*token), Some(body))
                .await;
            (result.map(|_| ()), t0.elapsed())
        }));
    }
    let elapsed = start.elapsed();
    let mut posting = Posting {
        ok: 0,
        errors: 0,
        first_error: None,
        elapsed,
        latency: Histogram::new(3)?,
    };
    for task in tasks {
        let (result, took) = task.await.context("a poster task failed")?;
        let _ = posting.latency.record(micros(took));
        match result {
            Ok(()) => posting.ok += 1,
            Err(e) => {
                posting.errors += 1;
                if posting.first_error.is_none() {
                    posting.first_error = Some(format!("{e:#}"));
                }
            }
        }
    }
    Ok(posting)
}

/// `rustchat bench ws-fanout`.
pub async fn fanout(args: FanoutArgs) -> anyhow::Result<()> {
    let FanoutArgs {
        common,
        receivers,
        rate,
        seconds,
        posters,
        drain,
    } = args;
    if receivers == 0 || seconds == 0 {
        bail!("--receivers and --seconds must be at least 1");
    }
    if !(1..=10_000).contains(&posters) {
        bail!("--posters must be between 1 and 10000");
    }
    if !(1..=100_000).contains(&rate) {
        bail!("--rate must be between 1 and 100000 posts per second");
    }
    let total = u64::from(rate)
        .checked_mul(seconds)
        .filter(|t| *t <= 10_000_000)
        .context("--rate × --seconds must be at most 10 million posts")?;
    check_common(&common)?;
    let api = Arc::new(Api::new(&common.url, posters.max(SETUP_CONCURRENCY))?);
    let setup = setup(&api, &common).await?;
    let channel_id: Arc<str> = Arc::from(ensure_channel(&api, &setup).await?);
    let report = Report { json: common.json };
    let server_rss_before = server_stats(common.server_pid)?;

    let shared = Arc::new(Receivers {
        url: api.ws_url.clone(),
        gate: Semaphore::new(common.connect_concurrency),
        posts: total,
        latency: Mutex::new(Histogram::new(3)?),
        delivered: AtomicU64::new(0),
    });
    let (ready_tx, mut ready_rx) = mpsc::unbounded_channel();
    let (stop_tx, stop_rx) = watch::channel(false);
    let opening = Instant::now();
    let tasks: Vec<_> = (0..receivers)
        .map(|i| {
            tokio::spawn(fanout_socket(
                shared.clone(),
                setup.token(i),
                ready_tx.clone(),
                stop_rx.clone(),
            ))
        })
        .collect();
    wait_open(&mut ready_rx, 0, receivers).await?;
    eprintln!(
        "bench: {receivers} receivers open in {:.1}s; posting {total} posts at {rate}/s",
        opening.elapsed().as_secs_f64()
    );
    // A moment for the server to finish whatever follows the last hello.
    tokio::time::sleep(Duration::from_secs(1)).await;

    let server_before = server_stats(common.server_pid)?;
    let tool_before = tool_stats()?;
    let start = Instant::now();
    let posting = post_at_rate(
        api.clone(),
        setup.admin.token.clone(),
        channel_id,
        rate,
        total,
        posters,
    )
    .await?;
    let expected = posting.ok.saturating_mul(receivers as u64);
    // Stragglers: wait until every expected delivery arrived or the drain
    // time is up.
    let drain_end = Instant::now() + Duration::from_secs(drain);
    while shared.delivered.load(Ordering::Relaxed) < expected && Instant::now() < drain_end {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let _ = stop_tx.send(true);
    let joined = tokio::time::timeout(Duration::from_secs(10), futures::future::join_all(tasks))
        .await
        .context("the receivers did not stop within 10 s")?;
    let wall = start.elapsed();
    let server_after = server_stats(common.server_pid)?;
    let tool_after = tool_stats()?;

    let (mut unique, mut duplicates, mut reordered, mut foreign, mut disconnected) =
        (0u64, 0u64, 0u64, 0u64, 0u64);
    let mut last_delivery: Option<Instant> = None;
    for tally in joined {
        let tally = tally.context("a receiver task failed")?;
        unique += tally.unique;
        duplicates += tally.duplicates;
        reordered += tally.reordered;
        foreign += tally.foreign;
        disconnected += u64::from(tally.disconnected);
        last_delivery = last_delivery.max(tally.last_delivery);
    }
    let missing = expected.saturating_sub(unique);
    let delivery_span = last_delivery.map_or(wall, |l| l.saturating_duration_since(start));
    let deliveries_per_second = unique as f64 / delivery_span.as_secs_f64().max(1e-6);
    let post_rate = posting.ok as f64 / posting.elapsed.as_secs_f64().max(1e-6);
    let (p50, p90, p99, max) = {
        let h = shared
            .latency
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        (
            ms(h.value_at_quantile(0.50)),
            ms(h.value_at_quantile(0.90)),
            ms(h.value_at_quantile(0.99)),
            ms(h.max()),
        )
    };
    let post_p50 = ms(posting.latency.value_at_quantile(0.50));
    let post_p99 = ms(posting.latency.value_at_quantile(0.99));
    let post_max = ms(posting.latency.max());
    let wall_seconds = wall.as_secs_f64().max(1e-6);
    let server_cpu = server_before
        .zip(server_after)
        .map(|(b, a)| a.cpu_seconds - b.cpu_seconds);
    let tool_cpu = tool_after.cpu_seconds - tool_before.cpu_seconds;

    report.line(&format!(
        "ws-fanout: {receivers} receivers over {} users at {}; {rate} posts/s for {seconds}s",
        setup.users.len(),
        api.ws_url
    ));
    report.line(&format!(
        "posts: {} sent and answered, {} failed; {post_rate:.1}/s achieved; HTTP latency p50 {post_p50:.1} ms, p99 {post_p99:.1} ms, max {post_max:.1} ms",
        posting.ok, posting.errors
    ));
    if let Some(e) = &posting.first_error {
        report.line(&format!("first post error: {e}"));
    }
    report.line(&format!(
        "deliveries: {unique} of {expected} expected, {missing} missing, {duplicates} duplicates, {reordered} reordered, {foreign} foreign; {deliveries_per_second:.0}/s; {disconnected} receivers disconnected"
    ));
    report.line(&format!(
        "delivery latency: p50 {p50:.1} ms, p90 {p90:.1} ms, p99 {p99:.1} ms, max {max:.1} ms"
    ));
    match (server_cpu, server_after, server_rss_before) {
        (Some(cpu), Some(after), Some(before)) => report.line(&format!(
            "server: CPU {cpu:.1}s over {wall_seconds:.1}s ({:.0}% of a core), RSS {:.1} MiB (was {:.1} MiB before the receivers)",
            cpu / wall_seconds * 100.0,
            mib(after.rss_kib),
            mib(before.rss_kib)
        )),
        _ => report.line("server: n/a (pass --server-pid)"),
    }
    report.line(&format!(
        "tool: CPU {tool_cpu:.1}s ({:.0}% of a core), RSS {:.1} MiB",
        tool_cpu / wall_seconds * 100.0,
        mib(tool_after.rss_kib)
    ));
    report.record(&json!({
        "bench": "ws-fanout",
        "url": common.url,
        "users": setup.users.len(),
        "receivers": receivers,
        "rate_target": rate,
        "seconds": seconds,
        "posts_sent": posting.ok + posting.errors,
        "posts_ok": posting.ok,
        "post_errors": posting.errors,
        "post_rate": post_rate,
        "post_latency_ms": {"p50": post_p50, "p99": post_p99, "max": post_max},
        "expected_deliveries": expected,
        "deliveries": unique,
        "missing": missing,
        "duplicates": duplicates,
        "reordered": reordered,
        "foreign": foreign,
        "disconnected": disconnected,
        "deliveries_per_second": deliveries_per_second,
        "latency_ms": {"p50": p50, "p90": p90, "p99": p99, "max": max},
        "wall_seconds": wall_seconds,
        "server_cpu_seconds": server_cpu,
        "server_rss_kib": server_after.map(|s| s.rss_kib),
        "server_rss_before_kib": server_rss_before.map(|s| s.rss_kib),
        "tool_cpu_seconds": tool_cpu,
        "tool_rss_kib": tool_after.rss_kib,
    }));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bench_message_round_trip() {
        assert_eq!(
            parse_bench_message("bench:12:1700000000000000"),
            Some((12, 1_700_000_000_000_000))
        );
        assert_eq!(parse_bench_message("hello"), None);
        assert_eq!(parse_bench_message("bench:x:1"), None);
    }

    #[test]
    fn posted_frame_is_parsed() {
        let post = json!({"id": "p", "message": "bench:3:42"}).to_string();
        let frame = json!({"event": "posted", "data": {"post": post}, "broadcast": {}, "seq": 4})
            .to_string();
        assert_eq!(bench_post(&frame), Some((3, 42)));
        assert!(is_event(r#"{"event":"hello","seq":0}"#, "hello"));
        assert!(!is_event(
            r#"{"event":"typing","data":{"hello":1}}"#,
            "hello"
        ));
    }

    #[test]
    fn tally_counts_duplicates_and_reordering() {
        let mut t = Tally::new(100);
        assert!(t.record(5));
        assert!(t.record(7));
        assert!(t.record(6));
        assert!(!t.record(7));
        assert!(!t.record(100));
        assert_eq!(
            (t.unique, t.duplicates, t.reordered, t.foreign),
            (3, 1, 1, 1)
        );
    }
}
