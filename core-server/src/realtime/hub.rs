//! The node's hub: every local WebSocket connection, who it belongs to, what
//! that user may see, and the last events each connection was sent (for
//! resumption). Delivery never waits on a socket: each connection has a
//! bounded queue, and one that stays full is told to close and may resume.

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use tokio::sync::{mpsc, oneshot};

use super::frame::{Delivery, Frame, WireFormat};
use crate::events::{Audience, CoreEvent, EventKind};
use crate::model::Memberships;

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
}

/// Why a connection was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    #[error("too many connections for this user")]
    UserLimit,
    #[error("this server has too many connections")]
    NodeLimit,
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

struct Link {
    tx: mpsc::Sender<Delivery>,
    kick: Option<oneshot::Sender<Kick>>,
}

impl Link {
    fn kick(&mut self, why: Kick) {
        if let Some(kick) = self.kick.take() {
            let _ = kick.send(why);
        }
    }
}

struct Conn {
    user_id: Arc<str>,
    session_id: String,
    admin: bool,
    format: Arc<dyn WireFormat>,
    next_seq: i64,
    replay: VecDeque<Delivery>,
    /// Set while a socket is attached.
    link: Option<Link>,
    generation: u64,
    inactive_since: Option<Instant>,
    /// `next_seq` when the socket went: once the replay buffer has moved past
    /// it, the connection can no longer be resumed and is dropped.
    detached_at_seq: i64,
}

#[derive(Default)]
struct UserEntry {
    conns: Vec<Arc<str>>,
    active: usize,
    channels: HashSet<String>,
    teams: HashSet<String>,
    last_activity: i64,
}

#[derive(Default)]
struct State {
    conns: HashMap<Arc<str>, Conn>,
    users: HashMap<Arc<str>, UserEntry>,
    channel_users: HashMap<String, HashSet<Arc<str>>>,
    team_users: HashMap<String, HashSet<Arc<str>>>,
    /// Team of each indexed channel (`""` for DMs and GMs).
    channel_team: HashMap<String, String>,
    active: usize,
    next_generation: u64,
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
        let user_active = state.users.get(&user_id).map_or(0, |u| u.active);
        let taking_over_live = matches!(resuming, Some((_, true)));
        if !taking_over_live {
            if state.active >= self.limits.max_connections {
                return Err(Refused::NodeLimit);
            }
            if user_active >= self.limits.max_per_user {
                return Err(Refused::UserLimit);
            }
        }
        if !state.users.contains_key(&user_id) {
            state.index_user(&user_id, &request.memberships);
        }
        state.next_generation += 1;
        let generation = state.next_generation;
        let (tx, queue) = mpsc::channel(self.limits.queue.max(self.limits.replay + 1));
        let (kick_tx, kick) = oneshot::channel();
        let link = Link {
            tx,
            kick: Some(kick_tx),
        };

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
                    conn.generation = generation;
                    conn.inactive_since = None;
                    let first = state.activate(&user_id);
                    return Ok(Attached {
                        connection_id: id,
                        generation,
                        queue,
                        kick,
                        resumed: true,
                        first_for_user: first,
                    });
                }
                // Events were lost: the client must start over and resync.
                _ => state.remove(&id),
            }
        }
        self.attach_fresh(state, request, user_id, generation, link, queue, kick)
    }

    #[allow(clippy::too_many_arguments)]
    fn attach_fresh(
        &self,
        state: &mut State,
        request: Attach,
        user_id: Arc<str>,
        generation: u64,
        link: Link,
        queue: mpsc::Receiver<Delivery>,
        kick: oneshot::Receiver<Kick>,
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
            generation,
            inactive_since: None,
            detached_at_seq: 0,
        };
        conn.push(hello, false, &self.limits);
        state.conns.insert(id.clone(), conn);
        if let Some(user) = state.users.get_mut(&user_id) {
            user.conns.push(id.clone());
        }
        let first = state.activate(&user_id);
        Ok(Attached {
            connection_id: id,
            generation,
            queue,
            kick,
            resumed: false,
            first_for_user: first,
        })
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

    /// Current counters.
    pub fn stats(&self) -> HubStats {
        let state = self.lock();
        HubStats {
            active_connections: state.active,
            resumable_connections: state.conns.len() - state.active,
            users: state.users.len(),
        }
    }

    /// Delivers an event to every local connection allowed to see it.
    pub fn dispatch(&self, event: &CoreEvent) {
        let mut guard = self.lock();
        let state = &mut *guard;
        state.before_delivery(&event.kind);
        let droppable = event.kind.is_droppable();
        let mut encoded: Vec<(&'static str, bool, Option<Arc<Frame>>)> = Vec::new();
        let mut hopeless: Vec<Arc<str>> = Vec::new();
        let State {
            conns,
            users,
            channel_users,
            team_users,
            ..
        } = state;
        let recipients: Box<dyn Iterator<Item = &Arc<str>>> = match &event.audience {
            Audience::Channel(id) => Box::new(channel_users.get(id).into_iter().flatten()),
            Audience::Team(id) => Box::new(team_users.get(id).into_iter().flatten()),
            Audience::User(id) => {
                Box::new(users.get_key_value(id.as_str()).map(|(k, _)| k).into_iter())
            }
            Audience::All => Box::new(users.keys()),
        };
        for user_id in recipients {
            if event.omit_users.iter().any(|u| **u == **user_id) {
                continue;
            }
            let Some(user) = users.get(user_id) else {
                continue;
            };
            for conn_id in &user.conns {
                let Some(conn) = conns.get_mut(conn_id) else {
                    continue;
                };
                let name = conn.format.name();
                let frame = match encoded
                    .iter()
                    .find(|(n, admin, _)| *n == name && *admin == conn.admin)
                {
                    Some((_, _, frame)) => frame.clone(),
                    None => {
                        let frame = conn.format.encode(event, conn.admin).map(Arc::new);
                        encoded.push((name, conn.admin, frame.clone()));
                        frame
                    }
                };
                if let Some(frame) = frame {
                    conn.push(frame, droppable, &self.limits);
                    if conn.link.is_none()
                        && conn.next_seq - conn.detached_at_seq > self.limits.replay as i64
                    {
                        hopeless.push(conn_id.clone());
                    }
                }
            }
        }
        // A dropped connection that missed more than its buffer holds would
        // only get a fresh hello on return: stop spending work on it.
        for id in &hopeless {
            state.remove(id);
        }
        state.after_delivery(&event.kind);
    }
}

impl Conn {
    /// The buffered events from `next_seq` on, or `None` when some of them are gone.
    fn missed_since(&self, next_seq: i64) -> Option<Vec<Delivery>> {
        let oldest = self.replay.front().map_or(self.next_seq, |d| d.seq);
        if next_seq < oldest || next_seq > self.next_seq {
            return None;
        }
        Some(
            self.replay
                .iter()
                .filter(|d| d.seq >= next_seq)
                .cloned()
                .collect(),
        )
    }

    /// Gives the next `seq` to a frame, keeps it for resumption and queues it.
    fn push(&mut self, frame: Arc<Frame>, droppable: bool, limits: &HubLimits) {
        if droppable {
            // Typing and status hints are skipped for idle or lagging sockets.
            match &self.link {
                Some(link)
                    if link.kick.is_some() && link.tx.capacity() * 2 > link.tx.max_capacity() => {}
                _ => return,
            }
        }
        let delivery = Delivery {
            frame,
            seq: self.next_seq,
        };
        self.next_seq += 1;
        if self.replay.len() >= limits.replay {
            self.replay.pop_front();
        }
        self.replay.push_back(delivery.clone());
        if let Some(link) = &mut self.link {
            if link.kick.is_some() && link.tx.try_send(delivery).is_err() {
                // Full (or the socket task is gone): close it; it can resume
                // from the replay buffer if it comes back soon enough.
                link.kick(Kick::TooSlow);
            }
        }
    }
}

impl State {
    fn index_user(&mut self, user_id: &Arc<str>, memberships: &Memberships) {
        let mut entry = UserEntry {
            last_activity: crate::time::now_ms(),
            ..UserEntry::default()
        };
        for (channel_id, team_id) in &memberships.channels {
            entry.channels.insert(channel_id.clone());
            self.channel_users
                .entry(channel_id.clone())
                .or_default()
                .insert(user_id.clone());
            self.channel_team
                .entry(channel_id.clone())
                .or_insert_with(|| team_id.clone());
        }
        for team_id in &memberships.teams {
            entry.teams.insert(team_id.clone());
            self.team_users
                .entry(team_id.clone())
                .or_default()
                .insert(user_id.clone());
        }
        self.users.insert(user_id.clone(), entry);
    }

    fn activate(&mut self, user_id: &Arc<str>) -> bool {
        self.active += 1;
        match self.users.get_mut(user_id) {
            Some(user) => {
                user.active += 1;
                user.last_activity = crate::time::now_ms();
                user.active == 1
            }
            None => true,
        }
    }

    fn deactivate(&mut self, user_id: &Arc<str>) {
        self.active = self.active.saturating_sub(1);
        if let Some(user) = self.users.get_mut(user_id) {
            user.active = user.active.saturating_sub(1);
        }
    }

    /// Detaches a live socket, telling it why.
    fn unlink(&mut self, conn_id: &Arc<str>, why: Kick) {
        let Some(conn) = self.conns.get_mut(conn_id) else {
            return;
        };
        if let Some(mut link) = conn.link.take() {
            link.kick(why);
            conn.inactive_since = Some(Instant::now());
            conn.detached_at_seq = conn.next_seq;
            let user_id = conn.user_id.clone();
            self.deactivate(&user_id);
        }
    }

    /// Forgets a connection; the user's entry goes with their last one.
    fn remove(&mut self, conn_id: &Arc<str>) {
        self.unlink(conn_id, Kick::SessionEnded);
        let Some(conn) = self.conns.remove(conn_id) else {
            return;
        };
        let user_id = conn.user_id;
        let Some(user) = self.users.get_mut(&user_id) else {
            return;
        };
        user.conns.retain(|c| c != conn_id);
        if user.conns.is_empty() {
            if let Some(user) = self.users.remove(&user_id) {
                for channel_id in &user.channels {
                    self.unindex_channel(channel_id, &user_id);
                }
                for team_id in &user.teams {
                    if let Some(set) = self.team_users.get_mut(team_id) {
                        set.remove(&user_id);
                        if set.is_empty() {
                            self.team_users.remove(team_id);
                        }
                    }
                }
            }
        }
    }

    fn unindex_channel(&mut self, channel_id: &str, user_id: &Arc<str>) {
        if let Some(set) = self.channel_users.get_mut(channel_id) {
            set.remove(user_id);
            if set.is_empty() {
                self.channel_users.remove(channel_id);
                self.channel_team.remove(channel_id);
            }
        }
    }

    fn join_channel(&mut self, user_id: &str, channel_id: &str, team_id: &str) {
        let Some((key, user)) = self.users.get_key_value(user_id) else {
            return;
        };
        let key = key.clone();
        let _ = user;
        if let Some(user) = self.users.get_mut(&key) {
            user.channels.insert(channel_id.to_string());
        }
        self.channel_users
            .entry(channel_id.to_string())
            .or_default()
            .insert(key);
        self.channel_team
            .entry(channel_id.to_string())
            .or_insert_with(|| team_id.to_string());
    }

    fn leave_channel(&mut self, user_id: &str, channel_id: &str) {
        let Some((key, _)) = self.users.get_key_value(user_id) else {
            return;
        };
        let key = key.clone();
        if let Some(user) = self.users.get_mut(&key) {
            user.channels.remove(channel_id);
        }
        self.unindex_channel(channel_id, &key);
    }

    fn join_team(&mut self, user_id: &str, team_id: &str) {
        let Some((key, _)) = self.users.get_key_value(user_id) else {
            return;
        };
        let key = key.clone();
        if let Some(user) = self.users.get_mut(&key) {
            user.teams.insert(team_id.to_string());
        }
        self.team_users
            .entry(team_id.to_string())
            .or_default()
            .insert(key);
    }

    fn leave_team(&mut self, user_id: &str, team_id: &str) {
        let Some((key, user)) = self.users.get_key_value(user_id) else {
            return;
        };
        let key = key.clone();
        // Leaving a team leaves its channels too.
        let channels: Vec<String> = user
            .channels
            .iter()
            .filter(|c| self.channel_team.get(*c).is_some_and(|t| t == team_id))
            .cloned()
            .collect();
        for channel_id in channels {
            self.leave_channel(user_id, &channel_id);
        }
        if let Some(user) = self.users.get_mut(&key) {
            user.teams.remove(team_id);
        }
        if let Some(set) = self.team_users.get_mut(team_id) {
            set.remove(&key);
            if set.is_empty() {
                self.team_users.remove(team_id);
            }
        }
    }

    /// Memberships that must hold before an event is delivered (a new member
    /// hears about their own joining).
    fn before_delivery(&mut self, kind: &EventKind) {
        match kind {
            EventKind::ChannelCreated {
                channel,
                member_ids,
                ..
            } => {
                for user_id in member_ids {
                    self.join_channel(user_id, &channel.id, &channel.team_id);
                }
            }
            EventKind::ChannelMemberAdded { channel, user_id } => {
                self.join_channel(user_id, &channel.id, &channel.team_id);
            }
            EventKind::TeamMemberAdded {
                team_id,
                user_id,
                channel_ids,
            } => {
                self.join_team(user_id, team_id);
                for channel_id in channel_ids {
                    self.join_channel(user_id, channel_id, team_id);
                }
            }
            _ => {}
        }
    }

    /// Memberships that end once an event is delivered (a removed member
    /// still hears about their own removal), and sockets that must close.
    fn after_delivery(&mut self, kind: &EventKind) {
        match kind {
            EventKind::ChannelMemberRemoved {
                channel, user_id, ..
            } => self.leave_channel(user_id, &channel.id),
            EventKind::TeamMemberRemoved { team_id, user_id } => self.leave_team(user_id, team_id),
            EventKind::SessionRevoked { session_id, .. } => {
                let ended: Vec<Arc<str>> = self
                    .conns
                    .iter()
                    .filter(|(_, c)| c.session_id == *session_id)
                    .map(|(id, _)| id.clone())
                    .collect();
                for id in &ended {
                    self.remove(id);
                }
            }
            EventKind::UserUpdated { user } if user.delete_at != 0 => {
                let ended: Vec<Arc<str>> = self
                    .users
                    .get(user.id.as_str())
                    .map(|u| u.conns.clone())
                    .unwrap_or_default();
                for id in &ended {
                    self.remove(id);
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Channel;
    use serde_json::json;

    /// Encodes an event as its kind's name, so tests can read what arrived.
    struct Names;

    impl WireFormat for Names {
        fn name(&self) -> &'static str {
            "names"
        }
        fn encode(&self, event: &CoreEvent, _admin: bool) -> Option<Frame> {
            let kind = serde_json::to_value(&event.kind).ok()?;
            Some(Frame::from_object(&json!({"type": kind["type"]})))
        }
        fn hello(&self, _connection_id: &str, _user_id: &str) -> Frame {
            Frame::from_object(&json!({"type": "hello"}))
        }
    }

    fn hub(queue: usize, replay: usize) -> Hub {
        Hub::new(HubLimits {
            queue,
            replay,
            resume_window: Duration::from_millis(0),
            ..HubLimits::default()
        })
    }

    fn attach(hub: &Hub, user: &str, channels: &[(&str, &str)], teams: &[&str]) -> Attached {
        hub.attach(Attach {
            user_id: user.into(),
            session_id: format!("session-{user}"),
            admin: false,
            format: Arc::new(Names),
            memberships: Memberships {
                channels: channels
                    .iter()
                    .map(|(c, t)| (c.to_string(), t.to_string()))
                    .collect(),
                teams: teams.iter().map(|t| t.to_string()).collect(),
            },
            resume: None,
        })
        .expect("attach")
    }

    fn channel(id: &str, team: &str) -> Channel {
        serde_json::from_value(json!({
            "id": id, "create_at": 0, "update_at": 0, "delete_at": 0, "team_id": team,
            "type": "O", "display_name": id, "name": id, "header": "", "purpose": "",
            "last_post_at": 0, "last_root_post_at": 0, "total_msg_count": 0,
            "total_msg_count_root": 0, "creator_id": "", "props": {}, "extra_update_at": 0,
            "group_constrained": false, "shared": false
        }))
        .expect("channel")
    }

    /// A non-droppable event for channel members.
    fn channel_event(channel_id: &str) -> CoreEvent {
        CoreEvent::new(
            EventKind::ChannelViewed {
                user_id: String::new(),
                channel_id: channel_id.into(),
            },
            Audience::Channel(channel_id.into()),
        )
    }

    fn drain(a: &mut Attached) -> Vec<(String, i64)> {
        let mut out = Vec::new();
        while let Ok(d) = a.queue.try_recv() {
            let v: serde_json::Value = serde_json::from_str(&d.text()).expect("json");
            out.push((v["type"].as_str().unwrap_or_default().to_string(), d.seq));
        }
        out
    }

    #[test]
    fn only_members_receive_and_seq_follows_filtering() {
        let hub = hub(256, 128);
        let mut member = attach(&hub, "u1", &[("c1", "t1")], &["t1"]);
        let mut outsider = attach(&hub, "u2", &[("c2", "t1")], &["t1"]);
        hub.dispatch(&channel_event("c1"));
        hub.dispatch(&channel_event("c2"));
        hub.dispatch(&channel_event("c1"));
        let got = drain(&mut member);
        assert_eq!(
            got,
            vec![
                ("hello".into(), 0),
                ("channel_viewed".into(), 1),
                ("channel_viewed".into(), 2)
            ]
        );
        assert_eq!(
            drain(&mut outsider)
                .iter()
                .map(|(_, s)| *s)
                .collect::<Vec<_>>(),
            vec![0, 1]
        );
    }

    #[test]
    fn membership_events_open_and_close_a_channel_to_its_users() {
        let hub = hub(256, 128);
        let mut a = attach(&hub, "u1", &[], &["t1"]);
        drain(&mut a);
        hub.dispatch(&channel_event("c1"));
        assert!(drain(&mut a).is_empty(), "not a member yet");
        hub.dispatch(&CoreEvent::new(
            EventKind::ChannelMemberAdded {
                channel: channel("c1", "t1"),
                user_id: "u1".into(),
            },
            Audience::Channel("c1".into()),
        ));
        hub.dispatch(&channel_event("c1"));
        let names: Vec<String> = drain(&mut a).into_iter().map(|(n, _)| n).collect();
        assert_eq!(names, ["channel_member_added", "channel_viewed"]);
        hub.dispatch(&CoreEvent::new(
            EventKind::ChannelMemberRemoved {
                channel: channel("c1", "t1"),
                user_id: "u1".into(),
                remover_id: "u1".into(),
            },
            Audience::Channel("c1".into()),
        ));
        hub.dispatch(&channel_event("c1"));
        let names: Vec<String> = drain(&mut a).into_iter().map(|(n, _)| n).collect();
        assert_eq!(
            names,
            ["channel_member_removed"],
            "the removed user hears of it, then nothing"
        );
    }

    #[test]
    fn leaving_a_team_leaves_its_channels() {
        let hub = hub(256, 128);
        let mut a = attach(&hub, "u1", &[("c1", "t1"), ("d1", "")], &["t1"]);
        drain(&mut a);
        hub.dispatch(&CoreEvent::new(
            EventKind::TeamMemberRemoved {
                team_id: "t1".into(),
                user_id: "u1".into(),
            },
            Audience::Team("t1".into()),
        ));
        hub.dispatch(&channel_event("c1"));
        hub.dispatch(&channel_event("d1"));
        let names: Vec<String> = drain(&mut a).into_iter().map(|(n, _)| n).collect();
        assert_eq!(
            names,
            ["team_member_removed", "channel_viewed"],
            "only the DM stays"
        );
    }

    #[test]
    fn a_socket_that_stays_full_is_told_to_close_and_hints_are_skipped_first() {
        let hub = hub(4, 3);
        let mut a = attach(&hub, "u1", &[("c1", "t1")], &["t1"]);
        hub.dispatch(&channel_event("c1"));
        // Half full (hello + one event of 4): a typing hint is skipped, without a seq.
        hub.dispatch(&CoreEvent::new(
            EventKind::Typing {
                channel_id: "c1".into(),
                parent_id: String::new(),
                user_id: "u2".into(),
            },
            Audience::Channel("c1".into()),
        ));
        hub.dispatch(&channel_event("c1"));
        hub.dispatch(&channel_event("c1"));
        assert!(a.kick.try_recv().is_err(), "not full yet");
        hub.dispatch(&channel_event("c1"));
        assert_eq!(a.kick.try_recv(), Ok(Kick::TooSlow));
        let seqs: Vec<i64> = drain(&mut a).into_iter().map(|(_, s)| s).collect();
        assert_eq!(seqs, vec![0, 1, 2, 3], "the typing hint took no seq");
    }

    #[test]
    fn resumption_replays_from_the_buffer_or_starts_over() {
        let hub = hub(256, 3);
        let mut a = attach(&hub, "u1", &[("c1", "t1")], &["t1"]);
        let id = a.connection_id.to_string();
        drain(&mut a);
        assert_eq!(hub.detach(&id, a.generation), 0);
        hub.dispatch(&channel_event("c1"));
        hub.dispatch(&channel_event("c1"));
        let resume = |next_seq| {
            hub.attach(Attach {
                user_id: "u1".into(),
                session_id: "s".into(),
                admin: false,
                format: Arc::new(Names),
                memberships: Memberships::default(),
                resume: Some(Resume {
                    connection_id: id.clone(),
                    next_seq,
                }),
            })
            .expect("attach")
        };
        let mut b = resume(1);
        assert!(b.resumed);
        assert_eq!(b.connection_id.as_ref(), id);
        assert_eq!(
            drain(&mut b),
            vec![("channel_viewed".into(), 1), ("channel_viewed".into(), 2)]
        );
        hub.detach(&id, b.generation);
        for _ in 0..4 {
            hub.dispatch(&channel_event("c1"));
        }
        // Seqs 3..6 happened; only the last 3 are kept, so 3 is lost.
        let mut c = resume(3);
        assert!(!c.resumed);
        assert_ne!(c.connection_id.as_ref(), id);
        assert_eq!(drain(&mut c), vec![("hello".into(), 0)]);
    }

    #[test]
    fn dropped_connections_are_reaped_after_the_window() {
        let hub = hub(256, 128);
        let a = attach(&hub, "u1", &[("c1", "t1")], &["t1"]);
        hub.detach(&a.connection_id, a.generation);
        assert_eq!(hub.stats().resumable_connections, 1);
        assert_eq!(hub.reap(), 1);
        assert_eq!(hub.stats(), HubStats::default());
    }

    #[test]
    fn a_revoked_session_closes_its_sockets_for_good() {
        let hub = hub(256, 128);
        let mut a = attach(&hub, "u1", &[], &[]);
        hub.dispatch(&CoreEvent::new(
            EventKind::SessionRevoked {
                user_id: "u1".into(),
                session_id: "session-u1".into(),
            },
            Audience::User("u1".into()),
        ));
        assert_eq!(a.kick.try_recv(), Ok(Kick::SessionEnded));
        assert_eq!(hub.stats().resumable_connections, 0);
    }
}
