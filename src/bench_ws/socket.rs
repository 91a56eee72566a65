//! The WebSocket side: opening a socket and waiting for its `hello`, and
//! reading the frames cheaply (a substring check before any parse).

use std::borrow::Cow;
use std::time::Duration;

use anyhow::{anyhow, bail, Context};
use futures::{SinkExt, StreamExt};
use serde::Deserialize;
use tokio::net::TcpStream;
use tokio::sync::mpsc;
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

pub(crate) type Ws = WebSocketStream<MaybeTlsStream<TcpStream>>;

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
pub(crate) fn is_event(text: &str, name: &str) -> bool {
    text.contains(name) && serde_json::from_str::<EventName>(text).is_ok_and(|e| e.event == name)
}

/// The number and send time of a bench post, from its `posted` event.
/// The marker is found in the raw text first (digits and colons are never
/// escaped), so the tool does not spend its CPU parsing 100,000 frames a
/// second; anything unusual falls back to a full parse.
pub(super) fn bench_post(frame: &str) -> Option<(u64, u64)> {
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
pub(super) fn parse_bench_message(message: &str) -> Option<(u64, u64)> {
    let (n, sent) = message.strip_prefix("bench:")?.split_once(':')?;
    Some((n.parse().ok()?, sent.parse().ok()?))
}

/// EMFILE (24: this process) or ENFILE (23: the whole system) on Linux.
fn is_out_of_files(e: &std::io::Error) -> bool {
    matches!(e.raw_os_error(), Some(23 | 24))
}

/// A failed connection, explained (above all: out of file descriptors).
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
pub(super) async fn open_socket(url: &str, token: &str) -> anyhow::Result<Ws> {
    let mut request = url
        .into_client_request()
        .with_context(|| format!("bad WebSocket URL {url}"))?;
    let auth = HeaderValue::from_str(&format!("Bearer {token}"))
        .context("the session token is not a valid header value")?;
    request.headers_mut().insert(AUTHORIZATION, auth);
    let (mut ws, _) = connect_async_with_config(request, Some(socket_config()), true)
        .await
        .map_err(connect_error)?;
    hello_within_timeout(&mut ws).await?;
    Ok(ws)
}

/// Small reads, and no write buffering: the tool writes little (pongs, a
/// close, the odd action frame) and sends it at once.
fn socket_config() -> WebSocketConfig {
    WebSocketConfig::default()
        .read_buffer_size(READ_BUFFER)
        .write_buffer_size(0)
}

async fn hello_within_timeout(ws: &mut Ws) -> anyhow::Result<()> {
    tokio::time::timeout(HELLO_TIMEOUT, wait_hello(ws))
        .await
        .map_err(|_| {
            anyhow!(
                "no hello within {HELLO_TIMEOUT:?} (is the server out of file descriptors? raise its `ulimit -n`)"
            )
        })?
}

/// Opens one socket without credentials and authenticates the way
/// Mattermost's own clients (and load-test-ng) do: an
/// `authentication_challenge` frame carrying the session token. Waits for
/// the server's `hello`.
pub(crate) async fn open_socket_by_challenge(url: &str, token: &str) -> anyhow::Result<Ws> {
    let (mut ws, _) = connect_async_with_config(url, Some(socket_config()), true)
        .await
        .map_err(connect_error)?;
    let challenge = serde_json::json!({
        "seq": 1,
        "action": "authentication_challenge",
        "data": {"token": token},
    })
    .to_string();
    ws.send(Message::Text(challenge.into()))
        .await
        .context("cannot send the authentication challenge")?;
    hello_within_timeout(&mut ws).await?;
    Ok(ws)
}

/// Reads until the server's `hello`.
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
pub(super) async fn wait_open(
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
