//! Delivery of an event to the local connections allowed to see it: encoded
//! once per wire format and viewer kind, with the membership changes the
//! event itself brings applied before or after it is delivered.

use std::sync::Arc;

use super::changes::{after_delivery, before_delivery};
use super::state::State;
use super::Hub;
use crate::events::{Audience, CoreEvent, LocalDelivery};
use crate::realtime::frame::Frame;
use crate::realtime::position::Position;

impl Hub {
    /// Delivers an event to every local connection allowed to see it, outside
    /// the cluster's order (a single node, or a cluster whose link is down).
    pub fn dispatch(&self, event: &CoreEvent) {
        let mut guard = self.lock();
        let state = &mut *guard;
        // A connection numbered outside the cluster's order can no longer be
        // rebuilt by another node.
        let diverges = state.ordered;
        self.deliver(state, event, diverges);
    }

    /// Delivers the event at `position` of the cluster's stream, and keeps it
    /// for rebuilding connections resumed here from another node.
    pub fn dispatch_at(&self, position: Position, event: &Arc<CoreEvent>) {
        let mut guard = self.lock();
        let state = &mut *guard;
        if state.position.is_some_and(|p| p >= position) {
            return; // already delivered (a re-read after a reconnect)
        }
        state.remember(position, event.clone(), &self.limits);
        self.deliver(state, event, false);
    }

    fn deliver(&self, state: &mut State, event: &CoreEvent, diverges: bool) {
        before_delivery(state, &event.kind);
        // Skipping events for lagging sockets is only safe while no other
        // node has to number this connection's events the same way.
        let droppable = event.kind.is_droppable() && !state.ordered;
        let can_wait = event.kind.can_wait();
        let mut encoded: Vec<(&'static str, bool, Option<Arc<Frame>>)> = Vec::new();
        let mut hopeless: Vec<Arc<str>> = Vec::new();
        let mut frames: u64 = 0;
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
                    conn.push(frame, droppable, can_wait, &self.limits);
                    frames += 1;
                    conn.diverged |= diverges;
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
        after_delivery(state, &event.kind);
        crate::metrics::websocket_events(frames);
    }
}

impl LocalDelivery for Hub {
    fn dispatch(&self, event: &Arc<CoreEvent>) {
        Hub::dispatch(self, event);
    }

    fn dispatch_at(&self, position: Position, event: &Arc<CoreEvent>) {
        Hub::dispatch_at(self, position, event);
    }
}
