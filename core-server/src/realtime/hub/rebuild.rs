//! Taking over a connection another node held: its numbering is replayed
//! from a checkpoint over the stream events this node kept, exactly as the
//! hub would have numbered them, and the events the client missed are sent.

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::Arc;

use super::changes::{after_delivery, before_delivery, MembershipChanges};
use super::checkpoint::{Checkpoint, CheckpointRecord};
use super::connection::Conn;
use super::{Attach, Attached, Hub, Refused};
use crate::events::{Audience, CoreEvent};
use crate::model::Memberships;
use crate::realtime::frame::Delivery;

/// How a resumption from a checkpoint went.
pub enum Rebuilt {
    Attached(Attached),
    /// This node has not read the stream far enough yet: try again shortly.
    NotYet,
    /// The connection cannot be resumed here (its events are gone, it ended,
    /// or it is not the caller's): attach afresh.
    Impossible,
    /// The connection is on this node after all: attach normally.
    Local,
}

/// One connection's view of events while it is replayed: whose it is and
/// what that user may see.
struct Viewer {
    user_id: String,
    session_id: String,
    admin: bool,
    /// Channel → team.
    channels: HashMap<String, String>,
    teams: HashSet<String>,
    ended: bool,
}

impl Viewer {
    fn new(checkpoint: &Checkpoint) -> Self {
        Viewer {
            user_id: checkpoint.user_id.clone(),
            session_id: checkpoint.session_id.clone(),
            admin: checkpoint.admin,
            channels: checkpoint.memberships.channels.iter().cloned().collect(),
            teams: checkpoint.memberships.teams.iter().cloned().collect(),
            ended: false,
        }
    }

    fn sees(&self, event: &CoreEvent) -> bool {
        let addressed = match &event.audience {
            Audience::Channel(id) => self.channels.contains_key(id),
            Audience::Team(id) => self.teams.contains(id),
            Audience::User(id) => *id == self.user_id,
            Audience::All => true,
        };
        addressed && !event.omit_users.contains(&self.user_id)
    }

    fn memberships(&self) -> Memberships {
        Memberships {
            channels: self
                .channels
                .iter()
                .map(|(c, t)| (c.clone(), t.clone()))
                .collect(),
            teams: self.teams.iter().cloned().collect(),
        }
    }
}

impl MembershipChanges for Viewer {
    fn join_channel(&mut self, user_id: &str, channel_id: &str, team_id: &str) {
        if user_id == self.user_id {
            self.channels
                .entry(channel_id.to_string())
                .or_insert_with(|| team_id.to_string());
        }
    }

    fn leave_channel(&mut self, user_id: &str, channel_id: &str) {
        if user_id == self.user_id {
            self.channels.remove(channel_id);
        }
    }

    fn join_team(&mut self, user_id: &str, team_id: &str) {
        if user_id == self.user_id {
            self.teams.insert(team_id.to_string());
        }
    }

    fn leave_team(&mut self, user_id: &str, team_id: &str) {
        if user_id == self.user_id {
            self.channels.retain(|_, team| team != team_id);
            self.teams.remove(team_id);
        }
    }

    fn set_admin(&mut self, user_id: &str, admin: bool) {
        if user_id == self.user_id {
            self.admin = admin;
        }
    }

    fn end_session(&mut self, session_id: &str) {
        self.ended |= session_id == self.session_id;
    }

    fn end_user(&mut self, user_id: &str) {
        self.ended |= user_id == self.user_id;
    }
}

impl Hub {
    /// Whether this node holds a connection.
    pub fn holds(&self, connection_id: &str) -> bool {
        self.lock().conns.contains_key(connection_id)
    }

    /// Resumes a connection another node held, from its checkpoints: the
    /// events after the checkpoint are numbered as that node numbered them,
    /// and those from the client's `next_seq` on are queued.
    pub fn resume_elsewhere(
        &self,
        request: &Attach,
        record: &CheckpointRecord,
    ) -> Result<Rebuilt, Refused> {
        let Some(resume) = request.resume.as_ref() else {
            return Ok(Rebuilt::Impossible);
        };
        let Some(checkpoint) = record.usable_for(resume.next_seq) else {
            return Ok(Rebuilt::Impossible);
        };
        if checkpoint.user_id != request.user_id || checkpoint.format != request.format.name() {
            return Ok(Rebuilt::Impossible);
        }
        let mut guard = self.lock();
        let state = &mut *guard;
        if state.conns.contains_key(resume.connection_id.as_str()) {
            return Ok(Rebuilt::Local);
        }
        let (Some(from), Some(position)) = (state.recent_from, state.position) else {
            return Ok(Rebuilt::NotYet);
        };
        if !state.ordered || checkpoint.position < from {
            return Ok(Rebuilt::Impossible);
        }
        if checkpoint.position > position {
            return Ok(Rebuilt::NotYet);
        }
        let start = state
            .recent
            .partition_point(|(p, _, _)| *p <= checkpoint.position);
        let mut viewer = Viewer::new(checkpoint);
        let mut next_seq = checkpoint.next_seq;
        let mut missed: VecDeque<Delivery> = VecDeque::new();
        for (_, _, event) in state.recent.range(start..) {
            before_delivery(&mut viewer, &event.kind);
            if viewer.sees(event) {
                if let Some(frame) = request.format.encode(event, viewer.admin) {
                    if next_seq >= resume.next_seq {
                        if missed.len() >= self.limits.replay {
                            return Ok(Rebuilt::Impossible);
                        }
                        missed.push_back(Delivery {
                            frame: Arc::new(frame),
                            seq: next_seq,
                            can_wait: false,
                        });
                    }
                    next_seq += 1;
                }
            }
            after_delivery(&mut viewer, &event.kind);
            if viewer.ended {
                return Ok(Rebuilt::Impossible);
            }
        }
        if resume.next_seq > next_seq {
            // The client saw events this node has not read yet.
            return Ok(Rebuilt::NotYet);
        }

        let user_id: Arc<str> = Arc::from(request.user_id.as_str());
        self.check_room(state, &user_id)?;
        if !state.users.contains_key(&user_id) {
            state.index_user(&user_id, &viewer.memberships());
        }
        let (link, end) = self.open_link(state);
        for delivery in &missed {
            // The queue is larger than the replay buffer, so this fits.
            let _ = link.tx.try_send(delivery.clone());
        }
        let id: Arc<str> = Arc::from(resume.connection_id.as_str());
        let conn = Conn {
            user_id: user_id.clone(),
            session_id: request.session_id.clone(),
            admin: viewer.admin,
            format: request.format.clone(),
            next_seq,
            replay: missed,
            link: Some(link),
            generation: end.generation,
            inactive_since: None,
            detached_at_seq: 0,
            diverged: false,
            written: Default::default(),
        };
        let first = state.insert_conn(id.clone(), conn);
        Ok(Rebuilt::Attached(end.attached(id, true, first)))
    }
}
