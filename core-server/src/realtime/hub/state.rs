//! The hub's state: its connections, and for each connected user the
//! channels and teams they belong to, indexed both ways so an event finds
//! its recipients without a scan. Membership changes keep the index current.

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::Arc;
use std::time::Instant;

use super::changes::MembershipChanges;
use super::connection::Conn;
use super::{HubLimits, Kick};
use crate::events::CoreEvent;
use crate::model::Memberships;
use crate::realtime::position::Position;

/// Most stream events a node keeps for rebuilding resumed connections.
const RECENT_EVENTS: usize = 100_000;

/// A connected user: their connections and what they may see.
#[derive(Default)]
pub(super) struct UserEntry {
    pub(super) conns: Vec<Arc<str>>,
    pub(super) active: usize,
    pub(super) channels: HashSet<String>,
    pub(super) teams: HashSet<String>,
    pub(super) last_activity: i64,
}

/// Everything the hub knows, behind its one lock.
#[derive(Default)]
pub(super) struct State {
    pub(super) conns: HashMap<Arc<str>, Conn>,
    pub(super) users: HashMap<Arc<str>, UserEntry>,
    pub(super) channel_users: HashMap<String, HashSet<Arc<str>>>,
    pub(super) team_users: HashMap<String, HashSet<Arc<str>>>,
    /// Team of each indexed channel (`""` for DMs and GMs).
    pub(super) channel_team: HashMap<String, String>,
    pub(super) active: usize,
    pub(super) next_generation: u64,
    /// Whether events come in the cluster's order (then every node numbers a
    /// connection's events alike, and may rebuild it).
    pub(super) ordered: bool,
    /// The last stream position delivered here.
    pub(super) position: Option<Position>,
    /// Stream events after `recent_from`, oldest first, for rebuilding.
    pub(super) recent: VecDeque<(Position, Instant, Arc<CoreEvent>)>,
    /// Every stream event after this position is in `recent`.
    pub(super) recent_from: Option<Position>,
    /// Set once the server is stopping: no socket attaches any more.
    pub(super) shutting_down: bool,
}

impl State {
    /// Notes where this node starts reading the stream (events before it
    /// were never delivered here).
    pub(super) fn start_at(&mut self, position: Position) {
        if self.position.is_none() {
            self.position = Some(position);
            self.recent_from = Some(position);
        }
    }

    /// Keeps a delivered stream event, forgetting the ones no connection can
    /// still need.
    pub(super) fn remember(
        &mut self,
        position: Position,
        event: Arc<CoreEvent>,
        limits: &HubLimits,
    ) {
        if self.recent_from.is_none() {
            // Without a known start, only what follows this event is complete.
            self.recent_from = Some(self.position.unwrap_or(position));
        }
        self.position = Some(position);
        let now = Instant::now();
        self.recent.push_back((position, now, event));
        while let Some((oldest, at, _)) = self.recent.front() {
            let expired = now.duration_since(*at) > limits.resume_window;
            if self.recent.len() <= RECENT_EVENTS && !expired {
                break;
            }
            self.recent_from = Some(*oldest);
            self.recent.pop_front();
        }
    }
}

impl State {
    pub(super) fn index_user(&mut self, user_id: &Arc<str>, memberships: &Memberships) {
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

    /// Adds a connection with a live socket under its user (already
    /// indexed); true when it is the user's only live one here.
    pub(super) fn insert_conn(&mut self, id: Arc<str>, conn: Conn) -> bool {
        let user_id = conn.user_id.clone();
        self.conns.insert(id.clone(), conn);
        if let Some(user) = self.users.get_mut(&user_id) {
            user.conns.push(id);
        }
        self.activate(&user_id)
    }

    pub(super) fn activate(&mut self, user_id: &Arc<str>) -> bool {
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

    pub(super) fn deactivate(&mut self, user_id: &Arc<str>) {
        self.active = self.active.saturating_sub(1);
        if let Some(user) = self.users.get_mut(user_id) {
            user.active = user.active.saturating_sub(1);
        }
    }

    /// Detaches a live socket, telling it why.
    pub(super) fn unlink(&mut self, conn_id: &Arc<str>, why: Kick) {
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
    pub(super) fn remove(&mut self, conn_id: &Arc<str>) {
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
}

impl MembershipChanges for State {
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

    /// Marks every connection of a user as an admin's or not: it decides
    /// which encoding of an event (with or without private fields) they get.
    fn set_admin(&mut self, user_id: &str, admin: bool) {
        let Some(user) = self.users.get(user_id) else {
            return;
        };
        for conn_id in &user.conns {
            if let Some(conn) = self.conns.get_mut(conn_id) {
                conn.admin = admin;
            }
        }
    }

    fn end_session(&mut self, session_id: &str) {
        let ended: Vec<Arc<str>> = self
            .conns
            .iter()
            .filter(|(_, c)| c.session_id == session_id)
            .map(|(id, _)| id.clone())
            .collect();
        for id in &ended {
            self.remove(id);
        }
    }

    fn end_user(&mut self, user_id: &str) {
        let ended: Vec<Arc<str>> = self
            .users
            .get(user_id)
            .map(|u| u.conns.clone())
            .unwrap_or_default();
        for id in &ended {
            self.remove(id);
        }
    }
}
