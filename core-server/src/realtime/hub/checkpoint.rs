//! Checkpoints: what another node needs to take over one of this node's
//! connections. In a cluster every node delivers the same events in the
//! same order, so a connection's numbering follows from where it stood at
//! some stream position (its next `seq`, its user's memberships and role)
//! and the events after it. Each node writes these for its connections
//! every second or so; a node asked to resume a connection it does not hold
//! rebuilds it from one ([`super::Hub::resume_elsewhere`]).

use std::sync::Arc;
use std::time::{Duration, Instant};

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::Hub;
use crate::model::Memberships;
use crate::realtime::position::Position;

/// A connection as it stood right after the stream event at `position`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Checkpoint {
    pub user_id: String,
    pub session_id: String,
    /// The wire format's name (a v4 socket cannot resume as a v1 one).
    pub format: String,
    pub admin: bool,
    pub memberships: Memberships,
    pub position: Position,
    /// The `seq` its next event gets.
    pub next_seq: i64,
    /// When it was taken, ms.
    pub at: i64,
}

/// What is stored per connection: the latest checkpoint and an older one,
/// for a client that had not yet read every event the latest one counts.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CheckpointRecord {
    pub latest: Arc<Checkpoint>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub earlier: Option<Arc<Checkpoint>>,
}

impl CheckpointRecord {
    /// The newest checkpoint a client expecting `next_seq` next can resume from.
    pub fn usable_for(&self, next_seq: i64) -> Option<&Checkpoint> {
        std::iter::once(&self.latest)
            .chain(self.earlier.as_ref())
            .map(|c| &**c)
            .find(|c| c.next_seq <= next_seq)
    }
}

/// Where the cluster keeps checkpoints (Redis).
#[async_trait]
pub trait CheckpointStore: Send + Sync {
    /// The checkpoints of a connection, when there are any.
    async fn load(&self, connection_id: &str) -> Option<CheckpointRecord>;
}

/// The checkpoint work of one round: records to write, and connections
/// whose records must go (they were numbered outside the cluster's order).
#[derive(Default)]
pub struct DueCheckpoints {
    pub write: Vec<(Arc<str>, CheckpointRecord)>,
    pub forget: Vec<Arc<str>>,
}

impl DueCheckpoints {
    pub fn is_empty(&self) -> bool {
        self.write.is_empty() && self.forget.is_empty()
    }
}

/// The checkpoints a connection last had written.
#[derive(Default)]
pub(super) struct Written {
    pub(super) record: Option<CheckpointRecord>,
    pub(super) at: Option<Instant>,
    /// Whether its record is known to be gone (after it diverged).
    pub(super) forgotten: bool,
}

/// The earlier checkpoint is kept at least this much older than the latest.
const EARLIER_AGE: i64 = 3_000;

impl Hub {
    /// The checkpoints to write now: connections whose numbering moved (while
    /// a socket reads them), and records older than `refresh` (so they
    /// outlive their expiry while this node holds the connection).
    pub fn due_checkpoints(&self, refresh: Duration) -> DueCheckpoints {
        let mut guard = self.lock();
        let state = &mut *guard;
        let mut due = DueCheckpoints::default();
        let Some(position) = state.position.filter(|_| state.ordered) else {
            return due;
        };
        let now = Instant::now();
        let at = crate::time::now_ms();
        for (id, conn) in state.conns.iter_mut() {
            if conn.diverged {
                if !conn.written.forgotten {
                    due.forget.push(id.clone());
                }
                continue;
            }
            let moved = conn.link.is_some()
                && conn
                    .written
                    .record
                    .as_ref()
                    .is_none_or(|r| r.latest.next_seq != conn.next_seq);
            let stale = conn
                .written
                .at
                .is_some_and(|t| now.duration_since(t) >= refresh);
            if !moved && !stale {
                continue;
            }
            let record = match (&conn.written.record, moved) {
                (Some(record), false) => record.clone(),
                (previous, _) => {
                    let Some(user) = state.users.get(&conn.user_id) else {
                        continue;
                    };
                    let memberships = Memberships {
                        channels: user
                            .channels
                            .iter()
                            .map(|c| {
                                let team = state.channel_team.get(c).cloned().unwrap_or_default();
                                (c.clone(), team)
                            })
                            .collect(),
                        teams: user.teams.iter().cloned().collect(),
                    };
                    let latest = Arc::new(Checkpoint {
                        user_id: conn.user_id.to_string(),
                        session_id: conn.session_id.clone(),
                        format: conn.format.name().to_string(),
                        admin: conn.admin,
                        memberships,
                        position,
                        next_seq: conn.next_seq,
                        at,
                    });
                    // Keep an earlier one a few seconds back: a client that
                    // had not read the last frames resumes from it.
                    let earlier = match previous {
                        Some(p) => match &p.earlier {
                            Some(e) if p.latest.at - e.at < EARLIER_AGE => Some(e.clone()),
                            _ => Some(p.latest.clone()),
                        },
                        None => None,
                    };
                    CheckpointRecord { latest, earlier }
                }
            };
            conn.written.record = Some(record.clone());
            conn.written.at = Some(now);
            due.write.push((id.clone(), record));
        }
        due
    }

    /// Notes that the records of these (diverged) connections are gone.
    pub fn checkpoints_forgotten(&self, ids: &[Arc<str>]) {
        let mut state = self.lock();
        for id in ids {
            if let Some(conn) = state.conns.get_mut(id) {
                conn.written.forgotten = true;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn checkpoint(next_seq: i64) -> Arc<Checkpoint> {
        Arc::new(Checkpoint {
            user_id: "u".into(),
            session_id: "s".into(),
            format: "v4".into(),
            admin: false,
            memberships: Memberships::default(),
            position: Position {
                ms: 1,
                n: next_seq as u64,
            },
            next_seq,
            at: 0,
        })
    }

    #[test]
    fn a_client_behind_the_latest_checkpoint_resumes_from_the_earlier_one() {
        let record = CheckpointRecord {
            latest: checkpoint(40),
            earlier: Some(checkpoint(25)),
        };
        assert_eq!(record.usable_for(41).map(|c| c.next_seq), Some(40));
        assert_eq!(record.usable_for(40).map(|c| c.next_seq), Some(40));
        assert_eq!(record.usable_for(30).map(|c| c.next_seq), Some(25));
        assert_eq!(record.usable_for(24), None);
    }
}
