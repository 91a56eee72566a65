//! Delivery of an event to the local connections allowed to see it: encoded
//! once per wire format and viewer kind, with the membership changes the
//! event itself brings applied before or after it is delivered.

use std::sync::Arc;

use super::state::State;
use super::Hub;
use crate::events::{Audience, CoreEvent, EventKind, LocalDelivery};
use crate::model::roles;
use crate::realtime::frame::Frame;

impl Hub {
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

impl LocalDelivery for Hub {
    fn dispatch(&self, event: &Arc<CoreEvent>) {
        Hub::dispatch(self, event);
    }
}

impl State {
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
            // What a user's sockets are sent (other users' e-mail addresses,
            // for one) follows their roles from the change on.
            EventKind::UserRolesUpdated { user_id, roles } => {
                let admin = roles::has(roles, roles::SYSTEM_ADMIN);
                self.set_admin(user_id, admin);
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
