//! The node's hub: every local WebSocket connection, who it belongs to, what
//! that user may see, and the last events each connection was sent (for
//! resumption). Delivery never waits on a socket: each connection has a
//! bounded queue, and one that stays full is told to close and may resume.

mod changes;
mod checkpoint;
mod connection;
mod dispatch;
mod rebuild;
mod state;
#[cfg(test)]
mod tests;

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use std::time::{Duration, Instant};

use tokio::sync::{mpsc, oneshot};

use super::frame::{Delivery, WireFormat};
use crate::model::Memberships;
use connection::{Conn, Link};
use state::State;

use crate::realtime::position::Position;
pub use checkpoint::{Checkpoint, CheckpointRecord, CheckpointStore, DueCheckpoints};
pub use rebuild::Rebuilt;

/// Sizes and limits of the hub.
#[derive(Debug, Clone)]
pub struct HubLimits {
    /// Live connections this node accepts.
    pub max_connections: usize,
    /// Live connections one user may hold on this node.
    pub max_per_user: usize,
    /// Frames waiting to be written to one socket before it counts as too slow.
    pub queue: usize,
    /// Events kept per connection for resumption.
    pub replay: usize,
    /// How long a dropped connection can be resumed.
    pub resume_window: Duration,
}

impl Default for HubLimits {
    fn default() -> Self {
        HubLimits {
            max_connections: 50_000,
            max_per_user: 100,
            queue: 256,
            replay: 128,
            resume_window: Duration::from_secs(300),
        }
    }
}

/// Why the hub tells a connection to close.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kick {
    /// Its queue stayed full: the client reads too slowly. It may resume.
    TooSlow,
    /// A newer socket resumed the same connection.
    Replaced,
    /// Its session ended (logout, revocation, deactivation).
    SessionEnded,
    /// The server is stopping: the client should reconnect (to another node).
    ServerShutdown,
}

/// Why a connection was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    #[error("too many connections for this user")]
    UserLimit,
    #[error("this server has too many connections")]
    NodeLimit,
    #[error("this server is shutting down")]
    ShuttingDown,
}

impl Refused {
    /// The close code and reason a refused socket is closed with.
    pub fn close(self) -> (u16, &'static str) {
        use crate::realtime::conn::close;
        match self {
            Refused::UserLimit => (close::POLICY, "too many connections for this user"),
            Refused::NodeLimit => (close::TRY_AGAIN_LATER, "server at its connection limit"),
            Refused::ShuttingDown => (close::GOING_AWAY, "server shutting down"),
        }
    }
}

/// A connection that wants to resume: its id and the next `seq` it expects.
#[derive(Debug, Clone)]
pub struct Resume {
    pub connection_id: String,
    pub next_seq: i64,
}

/// What a new socket brings to the hub.
pub struct Attach {
    pub user_id: String,
    pub session_id: String,
    pub admin: bool,
    pub format: Arc<dyn WireFormat>,
    /// The user's memberships, read just before attaching.
    pub memberships: Memberships,
    pub resume: Option<Resume>,
}

/// An attached socket's end of the hub.
pub struct Attached {
    pub connection_id: Arc<str>,
    /// Identifies this attachment; a resumed connection gets a new one.
    pub generation: u64,
    pub queue: mpsc::Receiver<Delivery>,
    pub kick: oneshot::Receiver<Kick>,
    /// Whether an earlier connection was resumed (no `hello` is sent then).
    pub resumed: bool,
    /// Whether this is the user's only live connection on this node.
    pub first_for_user: bool,
}

/// The socket's side of a new attachment, before it has its connection.
struct SocketEnd {
    generation: u64,
    queue: mpsc::Receiver<Delivery>,
    kick: oneshot::Receiver<Kick>,
}

impl SocketEnd {
    fn attached(self, connection_id: Arc<str>, resumed: bool, first_for_user: bool) -> Attached {
        Attached {
            connection_id,
            generation: self.generation,
            queue: self.queue,
            kick: self.kick,
            resumed,
            first_for_user,
        }
    }
}

/// Counters for metrics and benchmarks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct HubStats {
    pub active_connections: usize,
    pub resumable_connections: usize,
    pub users: usize,
}

/// The node's hub.
pub struct Hub {
    limits: HubLimits,
    state: Mutex<State>,
    /// Where the cluster keeps checkpoints, once events come in its order.
    checkpoints: OnceLock<Arc<dyn CheckpointStore>>,
}

impl Default for Hub {
    fn default() -> Self {
        Hub::new(HubLimits::default())
    }
}

impl Hub {
    /// An empty hub.
    pub fn new(limits: HubLimits) -> Self {
        Hub {
            limits,
            state: Mutex::new(State::default()),
            checkpoints: OnceLock::new(),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // The state stays consistent between statements, so a panic elsewhere
        // while holding the lock must not take the whole hub down.
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The hub's limits.
    pub fn limits(&self) -> &HubLimits {
        &self.limits
    }

    /// From now on events come in the cluster's order ([`Hub::dispatch_at`]),
    /// and connections held by other nodes can be resumed here from the
    /// checkpoints in `store`.
    pub fn set_ordered(&self, store: Arc<dyn CheckpointStore>) {
        let _ = self.checkpoints.set(store);
        self.lock().ordered = true;
    }

    /// Where the cluster's checkpoints are, in a cluster.
    pub fn checkpoint_store(&self) -> Option<Arc<dyn CheckpointStore>> {
        self.checkpoints.get().cloned()
    }

    /// Notes the stream position this node starts reading after.
    pub fn start_at(&self, position: Position) {
        self.lock().start_at(position);
    }

    /// The last stream position delivered here.
    pub fn position(&self) -> Option<Position> {
        self.lock().position
    }

    /// Attaches a socket: a fresh connection (its `hello` queued at seq 0) or
    /// the resumption of a dropped one (the events it missed queued).
    pub fn attach(&self, request: Attach) -> Result<Attached, Refused> {
        let mut guard = self.lock();
        let state = &mut *guard;
        let user_id: Arc<str> = Arc::from(request.user_id.as_str());
        let resuming = request
            .resume
            .as_ref()
            .and_then(|r| state.conns.get_key_value(r.connection_id.as_str()))
            .filter(|(_, c)| c.user_id == user_id)
            .map(|(id, c)| (id.clone(), c.link.is_some()));
        let taking_over_live = matches!(resuming, Some((_, true)));
        if !taking_over_live {
            self.check_room(state, &user_id)?;
        }
        if !state.users.contains_key(&user_id) {
            state.index_user(&user_id, &request.memberships);
        }
        let (link, end) = self.open_link(state);

        if let (Some((id, live)), Some(resume)) = (resuming, request.resume.as_ref()) {
            if live {
                // The old socket is half-open (the client already gave up on it).
                state.unlink(&id, Kick::Replaced);
            }
            let missed = state
                .conns
                .get(&id)
                .and_then(|conn| conn.missed_since(resume.next_seq));
            match (missed, state.conns.get_mut(&id)) {
                (Some(missed), Some(conn)) => {
                    for delivery in missed {
                        // The queue is larger than the replay buffer, so this fits.
                        let _ = link.tx.try_send(delivery);
                    }
                    conn.link = Some(link);
                    conn.generation = end.generation;
                    conn.inactive_since = None;
                    let first = state.activate(&user_id);
                    return Ok(end.attached(id, true, first));
                }
                // Events were lost: the client must start over and resync.
                _ => state.remove(&id),
            }
        }
        self.attach_fresh(state, request, user_id, link, end)
    }

    /// Refuses one more live connection beyond the node's or the user's limit.
    fn check_room(&self, state: &State, user_id: &str) -> Result<(), Refused> {
        if state.shutting_down {
            return Err(Refused::ShuttingDown);
        }
        if state.active >= self.limits.max_connections {
            return Err(Refused::NodeLimit);
        }
        if state.users.get(user_id).map_or(0, |u| u.active) >= self.limits.max_per_user {
            return Err(Refused::UserLimit);
        }
        Ok(())
    }

    /// A new socket's link (kept by its connection) and its end (handed to
    /// the socket), under the next generation. The queue is larger than the
    /// replay buffer, so a resumption's missed events always fit.
    fn open_link(&self, state: &mut State) -> (Link, SocketEnd) {
        state.next_generation += 1;
        let (tx, queue) = mpsc::channel(self.limits.queue.max(self.limits.replay + 1));
        let (kick_tx, kick) = oneshot::channel();
        let link = Link {
            tx,
            kick: Some(kick_tx),
        };
        let end = SocketEnd {
            generation: state.next_generation,
            queue,
            kick,
        };
        (link, end)
    }

    fn attach_fresh(
        &self,
        state: &mut State,
        request: Attach,
        user_id: Arc<str>,
        link: Link,
        end: SocketEnd,
    ) -> Result<Attached, Refused> {
        if !state.users.contains_key(&user_id) {
            state.index_user(&user_id, &request.memberships);
        }
        let id: Arc<str> = Arc::from(crate::id::new_id().as_str());
        let hello = Arc::new(request.format.hello(&id, &user_id));
        let mut conn = Conn {
            user_id: user_id.clone(),
            session_id: request.session_id,
            admin: request.admin,
            format: request.format,
            next_seq: 0,
            replay: VecDeque::new(),
            link: Some(link),
            generation: end.generation,
            inactive_since: None,
            detached_at_seq: 0,
            diverged: false,
            written: Default::default(),
        };
        conn.push(hello, false, false, &self.limits);
        let first = state.insert_conn(id.clone(), conn);
        Ok(end.attached(id, false, first))
    }

    /// Marks a socket gone; its connection stays resumable for the resume
    /// window. Returns how many live connections its user still has here.
    pub fn detach(&self, connection_id: &str, generation: u64) -> usize {
        let mut guard = self.lock();
        let state = &mut *guard;
        let Some(conn) = state.conns.get_mut(connection_id) else {
            return 0;
        };
        let user_id = conn.user_id.clone();
        if conn.generation == generation && conn.link.is_some() {
            conn.link = None;
            conn.inactive_since = Some(Instant::now());
            conn.detached_at_seq = conn.next_seq;
            state.deactivate(&user_id);
        }
        state.users.get(&user_id).map_or(0, |u| u.active)
    }

    /// Drops connections that stayed detached longer than the resume window.
    pub fn reap(&self) -> usize {
        let window = self.limits.resume_window;
        let mut guard = self.lock();
        let state = &mut *guard;
        let expired: Vec<Arc<str>> = state
            .conns
            .iter()
            .filter(|(_, c)| c.inactive_since.is_some_and(|t| t.elapsed() >= window))
            .map(|(id, _)| id.clone())
            .collect();
        for id in &expired {
            state.remove(id);
        }
        expired.len()
    }

    /// Records activity of a user (a client action), for away detection.
    pub fn touch(&self, user_id: &str) {
        if let Some(user) = self.lock().users.get_mut(user_id) {
            user.last_activity = crate::time::now_ms();
        }
    }

    /// Users with a live connection whose last activity is older than `before` (ms).
    pub fn idle_users(&self, before: i64) -> Vec<String> {
        self.lock()
            .users
            .iter()
            .filter(|(_, u)| u.active > 0 && u.last_activity < before)
            .map(|(id, _)| id.to_string())
            .collect()
    }

    /// Users with at least one live connection on this node.
    pub fn connected_users(&self) -> Vec<String> {
        self.lock()
            .users
            .iter()
            .filter(|(_, u)| u.active > 0)
            .map(|(id, _)| id.to_string())
            .collect()
    }

    /// Live connections of a user on this node.
    pub fn live_connections(&self, user_id: &str) -> usize {
        self.lock().users.get(user_id).map_or(0, |u| u.active)
    }

    /// Tells every live socket to close because the server is stopping, and
    /// refuses new ones from now on. Returns how many were told.
    pub fn shut_down(&self) -> usize {
        let mut state = self.lock();
        state.shutting_down = true;
        let mut told = 0;
        for conn in state.conns.values_mut() {
            if let Some(link) = &mut conn.link {
                if link.kick.is_some() {
                    link.kick(Kick::ServerShutdown);
                    told += 1;
                }
            }
        }
        told
    }

    /// Whether [`Hub::shut_down`] was called.
    pub fn is_shutting_down(&self) -> bool {
        self.lock().shutting_down
    }

    /// Current counters.
    pub fn stats(&self) -> HubStats {
        let state = self.lock();
        HubStats {
            active_connections: state.active,
            resumable_connections: state.conns.len() - state.active,
            users: state.users.len(),
        }
    }
}
