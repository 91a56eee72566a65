//! One attached WebSocket: writes what the hub queues for it, hands client
//! frames to its protocol, keeps it alive with pings, and leaves the hub
//! when the socket goes (its connection stays resumable for a while).

use std::sync::Arc;
use std::time::{Duration, Instant};

use async_trait::async_trait;
use axum::extract::ws::{CloseFrame, Message, WebSocket};
use futures::SinkExt;

use super::hub::{Attached, Kick};
use crate::services::{Actor, Core};

/// A WebSocket Ping frame goes out this often.
pub const PING_INTERVAL: Duration = Duration::from_secs(60);
/// A socket that sent nothing (not even a Pong) for this long is dead.
pub const READ_DEADLINE: Duration = Duration::from_secs(100);
/// A write that takes longer than this means the peer is gone.
pub const WRITE_DEADLINE: Duration = Duration::from_secs(30);
/// Bytes a socket buffers before writing, and what it reads at once: most
/// sockets are idle (and these are per connection), but one write interval's
/// frames of a busy channel should go out in one write.
pub const WRITE_BUFFER: usize = 16 * 1024;
pub const READ_BUFFER: usize = 1024;
/// Queued frames written in one batch before flushing.
const WRITE_BATCH: usize = 64;
/// A socket is written at most once per this interval: a frame that comes
/// sooner after the last write waits for the interval's end, with whatever
/// else arrives meanwhile. A quiet socket's frame goes out at once; a busy
/// one's frames share write calls (and wake-ups, on both ends) instead of
/// taking one each, which is what limits fan-out to many sockets.
const WRITE_INTERVAL: Duration = Duration::from_millis(40);
/// How long a quiet socket holds a hint that may wait (someone typing) for
/// the frame that usually follows it (their post, once its request is
/// done): the two then share one write. A typing indicator this late is
/// not noticed; any other frame ends the wait at once.
const HINT_WAIT: Duration = Duration::from_millis(200);

/// Close codes the server uses.
pub mod close {
    /// Normal closure (session ended, replaced by a newer socket).
    pub const NORMAL: u16 = 1000;
    /// Going away: the server is stopping; reconnect (and resume) elsewhere.
    pub const GOING_AWAY: u16 = 1001;
    /// Policy violation (a bad frame, too many connections for one user).
    pub const POLICY: u16 = 1008;
    /// Protocol error (a frame the WebSocket layer could not read).
    pub const PROTOCOL: u16 = 1002;
    /// A frame larger than the server reads.
    pub const TOO_BIG: u16 = 1009;
    /// Try again later (the node is full, the client read too slowly).
    pub const TRY_AGAIN_LATER: u16 = 1013;
}

/// Closes a socket whose frame could not be read with the reason, rather
/// than dropping the connection: an oversized frame is 1009, anything else
/// the WebSocket layer refused is 1002. (The error is only known by its
/// text: the layer's own type is not part of axum's API.)
pub async fn close_after_read_error(socket: &mut WebSocket, error: &axum::Error) {
    let text = error.to_string();
    if text.contains("too long") || text.contains("Space limit") {
        close_with(socket, close::TOO_BIG, "frame too large").await;
    } else {
        close_with(socket, close::PROTOCOL, "unreadable frame").await;
    }
}

/// What an attached socket knows about itself.
pub struct ConnContext {
    pub core: Core,
    pub actor: Actor,
    pub connection_id: Arc<str>,
}

/// What to do after a client frame.
pub enum Reply {
    /// Nothing to send.
    Nothing,
    /// Send this text frame.
    Text(String),
    /// Close the socket with this code and reason.
    Close(u16, &'static str),
}

/// A wire protocol's handling of client frames on an authenticated socket.
#[async_trait]
pub trait Protocol: Send + Sync + 'static {
    /// Handles one text frame from the client.
    async fn on_text(&self, ctx: &ConnContext, text: &str) -> Reply;

    /// Which API the socket belongs to (`v1`, `v4`), for the metrics.
    fn api(&self) -> &'static str;
}

/// Closes a socket with a code and a reason.
pub async fn close_with(socket: &mut WebSocket, code: u16, reason: &'static str) {
    let frame = CloseFrame {
        code,
        reason: reason.into(),
    };
    let _ = tokio::time::timeout(WRITE_DEADLINE, socket.send(Message::Close(Some(frame)))).await;
    // The closing handshake: read (and drop) what the client still sends
    // until its own close, briefly. Closing the connection with unread
    // frames in it would reset it, and a reset can discard our close frame
    // before the client has read it.
    let deadline = tokio::time::Instant::now() + CLOSE_LINGER;
    while let Ok(Some(Ok(message))) = tokio::time::timeout_at(deadline, socket.recv()).await {
        if matches!(message, Message::Close(_)) {
            break;
        }
    }
}

/// How long a closing socket waits for the client's close frame.
const CLOSE_LINGER: std::time::Duration = std::time::Duration::from_secs(2);

/// Runs an attached socket until it closes, then detaches it from the hub;
/// on the sockets' own threads (see `sockets_runtime`).
pub async fn drive(
    socket: WebSocket,
    attached: Attached,
    ctx: ConnContext,
    protocol: Arc<dyn Protocol>,
) {
    super::sockets_runtime::run_apart(drive_here(socket, attached, ctx, protocol)).await;
}

async fn drive_here(
    mut socket: WebSocket,
    attached: Attached,
    ctx: ConnContext,
    protocol: Arc<dyn Protocol>,
) {
    let Attached {
        connection_id,
        generation,
        mut queue,
        mut kick,
        first_for_user,
        ..
    } = attached;
    let hub = ctx.core.hub.clone();
    let api = protocol.api();
    crate::metrics::websocket_open(api, 1.0);
    if first_for_user {
        ctx.core.presence_connected(ctx.actor.id()).await;
    }
    let mut ping =
        tokio::time::interval_at(tokio::time::Instant::now() + PING_INTERVAL, PING_INTERVAL);
    let mut last_read = Instant::now();
    let mut last_write: Option<tokio::time::Instant> = None;
    // A hint held for company; `hold` ends the wait.
    let mut held: Option<super::Delivery> = None;
    let hold = tokio::time::sleep(Duration::ZERO);
    tokio::pin!(hold);
    // The socket lives no longer than its session (0: a session that never
    // expires, as an access token's).
    let expires_at = ctx.actor.session.expires_at;
    let lifetime = u64::try_from(expires_at.saturating_sub(crate::time::now_ms())).unwrap_or(0);
    let expiry = tokio::time::sleep(Duration::from_millis(lifetime));
    tokio::pin!(expiry);
    loop {
        tokio::select! {
            biased;
            _ = &mut expiry, if expires_at != 0 => {
                close_with(&mut socket, close::NORMAL, "session expired").await;
                break;
            }
            why = &mut kick => {
                let (code, reason) = match why {
                    Ok(Kick::TooSlow) => {
                        crate::metrics::websocket_slow_closed();
                        (close::TRY_AGAIN_LATER, "too slow: reconnect to resume")
                    }
                    Ok(Kick::ServerShutdown) => (close::GOING_AWAY, "server shutting down"),
                    Ok(Kick::Replaced) => (close::NORMAL, "resumed on a newer socket"),
                    Ok(Kick::SessionEnded) | Err(_) => (close::NORMAL, "session ended"),
                };
                close_with(&mut socket, code, reason).await;
                break;
            }
            _ = &mut hold, if held.is_some() => {
                // Nothing came to keep the hint company: it goes alone.
                let texts = held.take().map(|hint| hint.text());
                if !write_batch(&mut socket, texts, &mut queue).await {
                    break;
                }
                last_write = Some(tokio::time::Instant::now());
            }
            next = queue.recv() => {
                let Some(next) = next else { break };
                let hint = held.take();
                let now = tokio::time::Instant::now();
                let due = last_write
                    .map(|last| last + WRITE_INTERVAL)
                    .filter(|due| *due > now);
                if hint.is_none() && next.can_wait && due.is_none() {
                    hold.as_mut().reset(now + HINT_WAIT);
                    held = Some(next);
                    continue;
                }
                // A held hint goes at once with what followed it (its socket
                // was quiet); anything else keeps to the write interval.
                if let (None, Some(due)) = (&hint, due) {
                    tokio::time::sleep_until(due).await;
                }
                let texts = hint.into_iter().chain([next]).map(|d| d.text());
                if !write_batch(&mut socket, texts, &mut queue).await {
                    break;
                }
                last_write = Some(tokio::time::Instant::now());
            }
            incoming = socket.recv() => {
                match incoming {
                    Some(Ok(Message::Text(text))) => {
                        last_read = Instant::now();
                        match protocol.on_text(&ctx, text.as_str()).await {
                            Reply::Nothing => {}
                            Reply::Text(reply) => {
                                if !send(&mut socket, Message::Text(reply.into())).await {
                                    break;
                                }
                            }
                            Reply::Close(code, reason) => {
                                close_with(&mut socket, code, reason).await;
                                break;
                            }
                        }
                    }
                    Some(Ok(Message::Ping(_) | Message::Pong(_) | Message::Binary(_))) => {
                        last_read = Instant::now();
                    }
                    Some(Err(e)) => {
                        close_after_read_error(&mut socket, &e).await;
                        break;
                    }
                    Some(Ok(Message::Close(_))) | None => break,
                }
            }
            _ = ping.tick() => {
                if last_read.elapsed() > READ_DEADLINE {
                    break;
                }
                if !send(&mut socket, Message::Ping(Default::default())).await {
                    break;
                }
            }
        }
    }
    crate::metrics::websocket_open(api, -1.0);
    let remaining = hub.detach(&connection_id, generation);
    if remaining == 0 {
        ctx.core.presence_disconnected(ctx.actor.id()).await;
    }
}

async fn send(socket: &mut WebSocket, message: Message) -> bool {
    matches!(
        tokio::time::timeout(WRITE_DEADLINE, socket.send(message)).await,
        Ok(Ok(()))
    )
}

/// Writes the given frames and whatever else is already queued, then
/// flushes once.
async fn write_batch(
    socket: &mut WebSocket,
    first: impl IntoIterator<Item = String>,
    queue: &mut tokio::sync::mpsc::Receiver<super::Delivery>,
) -> bool {
    let write = async {
        let mut fed = 0;
        for text in first {
            socket.feed(Message::Text(text.into())).await?;
            fed += 1;
        }
        for _ in fed..WRITE_BATCH {
            match queue.try_recv() {
                Ok(next) => socket.feed(Message::Text(next.text().into())).await?,
                Err(_) => break,
            }
        }
        socket.flush().await
    };
    matches!(
        tokio::time::timeout(WRITE_DEADLINE, write).await,
        Ok(Ok(()))
    )
}
