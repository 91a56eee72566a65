//! Core events: what changed, and who may hear of it. Services publish; the
//! realtime hub, notifications and the two wire encoders subscribe.

use std::sync::Arc;

use tokio::sync::broadcast;

use crate::model::*;

/// Who an event is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Audience {
    /// Members of one channel.
    Channel(String),
    /// Members of one team.
    Team(String),
    /// One user (all of their connections).
    User(String),
    /// Every connected user.
    All,
}

/// What happened.
#[derive(Debug, Clone)]
pub enum EventKind {
    PostCreated(Post),
    PostEdited(Post),
    PostDeleted(Post),
    ReactionAdded(Reaction),
    ReactionRemoved(Reaction),
    ChannelCreated(Channel),
    ChannelUpdated(Channel),
    ChannelDeleted(Channel),
    ChannelMemberAdded { channel: Channel, user_id: String },
    ChannelMemberRemoved { channel: Channel, user_id: String },
    ChannelViewed { channel_id: String, user_id: String },
    TeamCreated(Team),
    TeamUpdated(Team),
    TeamDeleted(Team),
    TeamMemberAdded { team_id: String, user_id: String },
    TeamMemberRemoved { team_id: String, user_id: String },
    UserCreated(User),
    UserUpdated(User),
    PreferencesChanged(Vec<Preference>),
    PreferencesDeleted(Vec<Preference>),
    StatusChanged(Status),
}

/// One published event.
#[derive(Debug, Clone)]
pub struct CoreEvent {
    pub kind: EventKind,
    pub audience: Audience,
    /// A user who must not receive it (usually the actor, for echo suppression).
    pub omit_user: Option<String>,
    /// When it happened, ms.
    pub at: i64,
}

/// In-process fan-out of core events; the cluster bus bridges it between nodes.
#[derive(Clone)]
pub struct EventBus {
    sender: broadcast::Sender<Arc<CoreEvent>>,
}

impl Default for EventBus {
    fn default() -> Self {
        EventBus::new(4096)
    }
}

impl EventBus {
    /// A bus that keeps up to `capacity` events for slow subscribers.
    pub fn new(capacity: usize) -> Self {
        EventBus {
            sender: broadcast::channel(capacity).0,
        }
    }

    /// Publishes an event; having no subscriber is not an error.
    pub fn publish(&self, kind: EventKind, audience: Audience) {
        let event = CoreEvent {
            kind,
            audience,
            omit_user: None,
            at: crate::time::now_ms(),
        };
        let _ = self.sender.send(Arc::new(event));
    }

    /// A new subscription, receiving events published from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<Arc<CoreEvent>> {
        self.sender.subscribe()
    }
}
