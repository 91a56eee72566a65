//! Core events: what changed, and who may hear of it. Services publish; the
//! realtime hub delivers to local sockets, the cluster link carries events to
//! the other nodes, and later subscribers (notifications) listen on the bus.
//!
//! Events carry everything a wire encoder needs (a post's channel, its
//! sender's name), so encoding never goes back to the store.
//!
//! This module depends on the model only: the hub and the cluster link plug
//! in through [`LocalDelivery`] and [`ClusterSink`], so the realtime layer
//! and the services can depend on events without events depending on them.

use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

use serde::{Deserialize, Serialize};
use tokio::sync::broadcast;

use crate::model::*;

/// Who an event is for. The hub only delivers to users that belong to the
/// channel or team named here, so an audience is also a permission.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
// Each event is built once and shared behind an `Arc`, so the size of the
// largest variant costs nothing per delivery.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "type", content = "data", rename_all = "snake_case")]
pub enum EventKind {
    PostCreated {
        post: Post,
        channel: Channel,
        /// Display name of the sender, per the server's display setting.
        sender_name: String,
        /// Users the post mentions.
        mentions: Vec<String>,
        /// Users following the thread the post belongs to.
        followers: Vec<String>,
        /// The files attached to the post.
        #[serde(default)]
        files: Vec<FileInfo>,
    },
    PostEdited {
        post: Post,
    },
    PostDeleted {
        post: Post,
        deleted_by: String,
    },
    ReactionAdded {
        reaction: Reaction,
    },
    ReactionRemoved {
        reaction: Reaction,
    },
    ChannelCreated {
        channel: Channel,
        creator_id: String,
        /// Everyone who became a member with the creation.
        member_ids: Vec<String>,
    },
    ChannelUpdated {
        channel: Channel,
    },
    ChannelConverted {
        channel: Channel,
    },
    ChannelDeleted {
        channel: Channel,
    },
    ChannelRestored {
        channel: Channel,
    },
    ChannelMemberAdded {
        channel: Channel,
        user_id: String,
    },
    ChannelMemberRemoved {
        channel: Channel,
        user_id: String,
        remover_id: String,
    },
    ChannelMemberUpdated {
        member: ChannelMember,
    },
    ChannelViewed {
        user_id: String,
        channel_id: String,
    },
    /// A message for one user only (a command's reply), never stored.
    EphemeralMessage {
        user_id: String,
        post: Post,
    },
    /// An integration opens a dialog in one user's clients (the audience).
    OpenDialog {
        /// The trigger's client part, as the action's answer gave it.
        trigger_id: String,
        /// Where the client submits the dialog.
        url: String,
        dialog: Dialog,
    },
    /// The user marked a channel unread from a post on.
    PostUnread {
        post_id: String,
        team_id: String,
        member: ChannelMember,
    },
    ChannelsViewed {
        user_id: String,
        /// Channel id → the time it was viewed, ms.
        times: BTreeMap<String, i64>,
    },
    TeamUpdated {
        team: Team,
    },
    TeamDeleted {
        team: Team,
    },
    TeamRestored {
        team: Team,
    },
    TeamMemberAdded {
        team_id: String,
        user_id: String,
        /// The team's channels the user joined with it.
        channel_ids: Vec<String>,
    },
    TeamMemberRemoved {
        team_id: String,
        user_id: String,
    },
    TeamMemberUpdated {
        member: TeamMember,
    },
    UserCreated {
        user: User,
    },
    UserUpdated {
        user: User,
    },
    /// An account was activated or deactivated (its `UserUpdated` comes too).
    UserActivationChanged {
        user_id: String,
        active: bool,
    },
    UserRolesUpdated {
        user_id: String,
        roles: String,
    },
    StatusChanged {
        status: Status,
    },
    Typing {
        channel_id: String,
        parent_id: String,
        user_id: String,
    },
    PreferencesChanged {
        user_id: String,
        preferences: Vec<Preference>,
    },
    PreferencesDeleted {
        user_id: String,
        preferences: Vec<Preference>,
    },
    SidebarCategoryCreated {
        user_id: String,
        team_id: String,
        category_id: String,
    },
    SidebarCategoryUpdated {
        user_id: String,
        team_id: String,
        categories: Vec<SidebarCategory>,
    },
    SidebarCategoryDeleted {
        user_id: String,
        team_id: String,
        category_id: String,
    },
    SidebarCategoryOrderUpdated {
        user_id: String,
        team_id: String,
        order: Vec<String>,
    },
    ThreadUpdated {
        user_id: String,
        team_id: String,
        thread: ThreadView,
        /// Public profiles of `thread.participants`, for clients that
        /// store the users they learn of from a thread.
        participants: Vec<User>,
        previous_unread_replies: i64,
        previous_unread_mentions: i64,
    },
    ThreadReadChanged {
        user_id: String,
        team_id: String,
        channel_id: String,
        /// `None` when every thread of the team was marked read.
        thread_id: Option<String>,
        timestamp: i64,
        unread_replies: i64,
        unread_mentions: i64,
        previous_unread_replies: i64,
        previous_unread_mentions: i64,
    },
    ThreadFollowChanged {
        user_id: String,
        thread_id: String,
        following: bool,
        reply_count: i64,
    },
    EmojiAdded {
        emoji: Emoji,
    },
    /// A user scheduled a post (for that user only).
    ScheduledPostCreated {
        scheduled_post: ScheduledPostView,
    },
    /// A scheduled post was changed by its author, or could not be sent
    /// (it then carries its error code).
    ScheduledPostUpdated {
        scheduled_post: ScheduledPostView,
    },
    /// A scheduled post is gone: deleted by its author, or posted.
    ScheduledPostDeleted {
        scheduled_post: ScheduledPostView,
    },
    /// The client-visible configuration changed (the new client configuration).
    ConfigChanged {
        config: BTreeMap<String, String>,
    },
    /// The license changed (rustchat has none; the event exists for completeness).
    LicenseChanged,
    /// A session ended (logout, revocation): its sockets are closed.
    SessionRevoked {
        user_id: String,
        session_id: String,
    },
}

impl EventKind {
    /// Events a connection may miss when it is falling behind, as on
    /// Mattermost: the client recovers their state by polling.
    pub fn is_droppable(&self) -> bool {
        matches!(
            self,
            EventKind::Typing { .. }
                | EventKind::StatusChanged { .. }
                | EventKind::ChannelsViewed { .. }
        )
    }

    /// Events whose frame may wait a moment on a quiet socket for the one
    /// that usually follows: a `user_typing` comes just before its post, and
    /// the two then share one write (and one wake-up of the client).
    pub fn can_wait(&self) -> bool {
        matches!(self, EventKind::Typing { .. })
    }
}

/// One published event.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CoreEvent {
    pub kind: EventKind,
    pub audience: Audience,
    /// Users who must not receive it (usually the actor, for echo suppression).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub omit_users: Vec<String>,
    /// When it happened, ms.
    pub at: i64,
}

impl CoreEvent {
    /// An event for `audience`, now.
    pub fn new(kind: EventKind, audience: Audience) -> Self {
        CoreEvent {
            kind,
            audience,
            omit_users: Vec::new(),
            at: crate::time::now_ms(),
        }
    }

    /// The same event, not delivered to `user_id`.
    pub fn omit(mut self, user_id: &str) -> Self {
        self.omit_users.push(user_id.to_string());
        self
    }
}

/// Where published events go on this node (the realtime hub's sockets).
pub trait LocalDelivery: Send + Sync {
    /// Delivers an event to the local connections allowed to see it; must not block.
    fn dispatch(&self, event: &Arc<CoreEvent>);

    /// Delivers the event found at `position` of the cluster's stream.
    fn dispatch_at(&self, position: crate::realtime::position::Position, event: &Arc<CoreEvent>);
}

/// What must learn of every event as this node publishes or receives it,
/// before anything else acts on it (caches of what the events change).
pub trait EventObserver: Send + Sync {
    /// Must not block.
    fn observe(&self, event: &CoreEvent);
}

/// Where published events go beyond this node (the Redis link).
#[async_trait::async_trait]
pub trait ClusterSink: Send + Sync {
    /// Takes an event for the cluster's stream, from which every node (this
    /// one too) delivers it. `false` when the link cannot take it now: the
    /// caller delivers it here at once. Must not block.
    fn forward(&self, event: &Arc<CoreEvent>) -> bool;

    /// Returns once every event taken so far is in the stream (or was
    /// delivered here because the link failed).
    async fn settled(&self);
}

/// Fan-out of core events: to this node's hub and in-process subscribers,
/// in a cluster through the cluster's stream, so that every node delivers
/// every event in the same order.
#[derive(Clone)]
pub struct EventBus {
    sender: broadcast::Sender<Arc<CoreEvent>>,
    local: Arc<dyn LocalDelivery>,
    cluster: Arc<OnceLock<Arc<dyn ClusterSink>>>,
    observer: Option<Arc<dyn EventObserver>>,
}

impl EventBus {
    /// A bus delivering to `local` (the node's hub), keeping up to
    /// `capacity` events for slow subscribers.
    pub fn new(local: Arc<dyn LocalDelivery>, capacity: usize) -> Self {
        EventBus {
            sender: broadcast::channel(capacity).0,
            local,
            cluster: Arc::new(OnceLock::new()),
            observer: None,
        }
    }

    /// The same bus, showing every event to `observer` first: as it is
    /// published here and as it arrives from the cluster.
    pub fn observed_by(mut self, observer: Arc<dyn EventObserver>) -> Self {
        self.observer = Some(observer);
        self
    }

    fn observe(&self, event: &CoreEvent) {
        if let Some(observer) = &self.observer {
            observer.observe(event);
        }
    }

    /// Connects the bus to the other nodes; only the first link counts.
    pub fn set_cluster(&self, sink: Arc<dyn ClusterSink>) {
        let _ = self.cluster.set(sink);
    }

    /// Publishes an event to `audience`.
    pub fn publish(&self, kind: EventKind, audience: Audience) {
        self.publish_event(CoreEvent::new(kind, audience));
    }

    /// Publishes a prepared event: through the cluster's stream when there is
    /// one and it is reachable; otherwise here at once, so a node keeps
    /// serving its own users whatever happens to the cluster link.
    pub fn publish_event(&self, event: CoreEvent) {
        // Before the cluster's round trip: this node's next request must
        // already see what the event changed.
        self.observe(&event);
        let event = Arc::new(event);
        if let Some(cluster) = self.cluster.get() {
            if cluster.forward(&event) {
                return;
            }
        }
        self.deliver_unordered(event);
    }

    /// Delivers an event here, outside the cluster's order. Only events
    /// published here come this way (when the cluster link cannot take
    /// them), and `publish_event` has shown them to the observer already.
    pub fn deliver_unordered(&self, event: Arc<CoreEvent>) {
        self.local.dispatch(&event);
        let _ = self.sender.send(event);
    }

    /// Delivers the event read at `position` of the cluster's stream.
    pub fn deliver_at(&self, position: crate::realtime::position::Position, event: CoreEvent) {
        self.observe(&event);
        let event = Arc::new(event);
        self.local.dispatch_at(position, &event);
        let _ = self.sender.send(event);
    }

    /// Returns once the events published so far are where every node will
    /// deliver them: at once on a single node, in a cluster once they are in
    /// its stream. A write is answered only then, so a client told that its
    /// post was made can count on every other client getting it, even if
    /// this node stops right after answering.
    pub async fn settled(&self) {
        if let Some(cluster) = self.cluster.get() {
            cluster.settled().await;
        }
    }

    /// A new subscription, receiving events published from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<Arc<CoreEvent>> {
        self.sender.subscribe()
    }
}
