//! One simulated user, one task: log in, open the WebSocket, load the first
//! screen, then idle and act in turn until told to stop, reading the socket
//! all the while (frames are counted, never parsed).

use std::sync::Arc;

use futures::{SinkExt, StreamExt};
use rand::rngs::StdRng;
use rand::SeedableRng;
use tokio::sync::{mpsc, watch, Semaphore};
use tokio_tungstenite::tungstenite::Message;

use crate::bench_ws::socket::{open_socket_by_challenge, Ws};

use super::actions::User;
use super::client::Client;
use super::model::{idle_time, Action, Picker};
use super::setup::{World, USER_PREFIX};

/// What all user tasks share.
pub(super) struct Shared {
    pub(super) client: Client,
    pub(super) world: World,
    pub(super) picker: Picker,
    pub(super) min_idle_ms: u64,
    pub(super) avg_idle_ms: u64,
    /// Logins and socket openings in flight at once while a step starts.
    pub(super) start_gate: Semaphore,
    /// Whether new users skip load-test-ng's idle times before their login
    /// and their first screen.
    pub(super) burst_start: bool,
    /// Stats slot of the first screen's requests.
    pub(super) start_slot: usize,
}

impl Shared {
    /// load-test-ng's wait before each step of a user's start (its login,
    /// then its first screen): one idle time at rate 1.0; none for a burst
    /// start.
    fn idle_before_starting(&self, rng: &mut StdRng) -> Option<std::time::Duration> {
        (!self.burst_start).then(|| idle_time(self.min_idle_ms, self.avg_idle_ms, 1.0, rng))
    }
}

/// How a user's start went, reported once.
pub(super) type Started = anyhow::Result<()>;

/// Frames counted locally before they are added to the shared counter.
const FRAME_BATCH: u64 = 64;

struct Socket {
    ws: Option<Ws>,
    frames: u64,
    seq: i64,
}

impl Socket {
    /// Handles one read from the socket; false when it is gone.
    fn read(
        &mut self,
        msg: Option<Result<Message, tokio_tungstenite::tungstenite::Error>>,
        shared: &Shared,
    ) -> bool {
        match msg {
            Some(Ok(Message::Close(_)) | Err(_)) | None => {
                shared.client.stats.socket_drop();
                false
            }
            Some(Ok(_)) => {
                self.frames += 1;
                if self.frames >= FRAME_BATCH {
                    shared.client.stats.frames(self.frames);
                    self.frames = 0;
                }
                true
            }
        }
    }

    /// Waits `idle`, reading the socket all the while; false when the run
    /// stops.
    async fn idle(
        &mut self,
        idle: std::time::Duration,
        stop: &mut watch::Receiver<bool>,
        shared: &Shared,
    ) -> bool {
        let sleep = tokio::time::sleep(idle);
        tokio::pin!(sleep);
        loop {
            tokio::select! {
                _ = &mut sleep => return true,
                msg = self.next() => {
                    if !self.read(msg, shared) {
                        self.ws = None;
                    }
                }
                _ = stop.changed() => return false,
            }
        }
    }

    /// The next frame, or never when there is no socket.
    async fn next(&mut self) -> Option<Result<Message, tokio_tungstenite::tungstenite::Error>> {
        match &mut self.ws {
            Some(ws) => ws.next().await,
            None => std::future::pending().await,
        }
    }

    /// Tells the channel's members the user is typing (the webapp's
    /// `user_typing` action, sent before a post).
    async fn typing(&mut self, channel: &str, parent: &str) {
        self.seq += 1;
        let frame = serde_json::json!({
            "seq": self.seq,
            "action": "user_typing",
            "data": {"channel_id": channel, "parent_id": parent},
        })
        .to_string();
        if let Some(ws) = &mut self.ws {
            if ws.send(Message::Text(frame.into())).await.is_err() {
                self.ws = None;
            }
        }
    }
}

/// Runs user `index` until `stop`; reports its start on `started`.
pub(super) async fn run_user(
    shared: Arc<Shared>,
    index: usize,
    rate: f64,
    started: mpsc::UnboundedSender<Started>,
    mut stop: watch::Receiver<bool>,
) {
    let c = &shared.client;
    let w = &shared.world;
    let mut rng = StdRng::seed_from_u64(index as u64);
    if let Some(idle) = shared.idle_before_starting(&mut rng) {
        tokio::select! {
            _ = tokio::time::sleep(idle) => {}
            _ = stop.changed() => return,
        }
    }
    let opened = {
        let _permit = shared.start_gate.acquire().await;
        let username = format!("{USER_PREFIX}{index}");
        match c.login(&username, &w.password).await {
            Ok((token, id)) => open_socket_by_challenge(&c.ws_url, &token)
                .await
                .map(|ws| (token, id, ws)),
            Err(e) => Err(e),
        }
    };
    let (token, user_id, ws) = match opened {
        Ok(x) => x,
        Err(e) => {
            let _ = started.send(Err(e.context(format!("user {index} did not start"))));
            return;
        }
    };
    let mut socket = Socket {
        ws: Some(ws),
        frames: 0,
        seq: 1,
    };
    if let Some(idle) = shared.idle_before_starting(&mut rng) {
        if !socket.idle(idle, &mut stop, &shared).await {
            return close(socket, &shared).await;
        }
    }
    let mut user = User::new(index, user_id, token, rng, rate, w.teams.len());
    // The first screen; a failure is counted in the figures, and the user
    // carries on as load-test-ng's do.
    let _ = user.start(c, w, shared.start_slot).await;
    let _ = started.send(Ok(()));
    loop {
        let idle = idle_time(
            shared.min_idle_ms,
            shared.avg_idle_ms,
            user.rate,
            &mut user.rng,
        );
        if !socket.idle(idle, &mut stop, &shared).await {
            return close(socket, &shared).await;
        }
        let action = shared.picker.pick(&mut user.rng);
        match action {
            Action::CreatePost => {
                if let Some(channel) = user.channel.clone() {
                    socket.typing(&channel, "").await;
                }
            }
            Action::ReconnectWebSocket => {
                if let Some(mut ws) = socket.ws.take() {
                    let _ = ws.close(None).await;
                }
            }
            _ => {}
        }
        // A socket that dropped (or was closed just now) is reopened
        // before the next action, as the webapp reconnects.
        if socket.ws.is_none() {
            shared.client.stats.reconnect();
            if let Ok(ws) = open_socket_by_challenge(&c.ws_url, &user.token).await {
                socket.ws = Some(ws);
            }
        }
        let act = user.run(action, c, w);
        tokio::pin!(act);
        loop {
            tokio::select! {
                _ = &mut act => break,
                msg = socket.next() => {
                    if !socket.read(msg, &shared) {
                        socket.ws = None;
                    }
                }
                _ = stop.changed() => return close(socket, &shared).await,
            }
        }
    }
}

async fn close(mut socket: Socket, shared: &Shared) {
    shared.client.stats.frames(socket.frames);
    if let Some(mut ws) = socket.ws.take() {
        let _ = ws.close(None).await;
    }
}
