//! One connection of the hub: its numbered events, the replay buffer kept
//! for resumption, and the bounded queue to its socket (a queue that stays
//! full closes the socket instead of holding up delivery).

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::Instant;

use tokio::sync::{mpsc, oneshot};

use super::checkpoint::Written;
use super::{HubLimits, Kick};
use crate::realtime::frame::{Delivery, Frame, WireFormat};

/// The live socket behind a connection: its queue, and the way to close it.
pub(super) struct Link {
    pub(super) tx: mpsc::Sender<Delivery>,
    pub(super) kick: Option<oneshot::Sender<Kick>>,
}

impl Link {
    /// Tells the socket to close (once).
    pub(super) fn kick(&mut self, why: Kick) {
        if let Some(kick) = self.kick.take() {
            let _ = kick.send(why);
        }
    }
}

/// One connection: whose it is, its next `seq` and its replay buffer; it
/// outlives its socket for the resume window.
pub(super) struct Conn {
    pub(super) user_id: Arc<str>,
    pub(super) session_id: String,
    pub(super) admin: bool,
    pub(super) format: Arc<dyn WireFormat>,
    pub(super) next_seq: i64,
    pub(super) replay: VecDeque<Delivery>,
    /// Set while a socket is attached.
    pub(super) link: Option<Link>,
    pub(super) generation: u64,
    pub(super) inactive_since: Option<Instant>,
    /// `next_seq` when the socket went: once the replay buffer has moved past
    /// it, the connection can no longer be resumed and is dropped.
    pub(super) detached_at_seq: i64,
    /// Numbered outside the cluster's order: no other node can rebuild it.
    pub(super) diverged: bool,
    /// Its checkpoints as last written.
    pub(super) written: Written,
}

impl Conn {
    /// The buffered events from `next_seq` on, or `None` when some of them are gone.
    pub(super) fn missed_since(&self, next_seq: i64) -> Option<Vec<Delivery>> {
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
    pub(super) fn push(
        &mut self,
        frame: Arc<Frame>,
        droppable: bool,
        can_wait: bool,
        limits: &HubLimits,
    ) {
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
            can_wait,
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
