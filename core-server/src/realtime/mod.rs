//! Realtime: the node's event hub, the socket driver shared by both
//! WebSocket endpoints, presence, and the link between nodes.

pub mod cluster;
pub mod conn;
mod frame;
mod hub;
pub mod origin;
pub mod position;
mod presence;
mod sockets_runtime;

use std::sync::Arc;

pub use conn::{close, drive, ConnContext, Protocol, Reply};
pub use frame::{Delivery, Frame, WireFormat};
pub use hub::{
    Attach, Attached, Checkpoint, CheckpointRecord, CheckpointStore, DueCheckpoints, Hub,
    HubLimits, HubStats, Kick, Rebuilt, Refused, Resume,
};

use crate::services::{Actor, Core};

/// How often, and how long apart, a resumption waits for this node to read
/// the stream as far as the client's previous node had.
const REBUILD_ATTEMPTS: usize = 100;
const REBUILD_WAIT: std::time::Duration = std::time::Duration::from_millis(20);

/// Why a socket could not attach.
#[derive(Debug, thiserror::Error)]
pub enum AttachError {
    #[error(transparent)]
    Refused(#[from] Refused),
    #[error(transparent)]
    Core(#[from] crate::Error),
}

impl Core {
    /// Attaches an authenticated socket to this node's hub: a fresh
    /// connection, or the resumption of a dropped one.
    pub async fn realtime_attach(
        &self,
        actor: &Actor,
        format: Arc<dyn WireFormat>,
        resume: Option<Resume>,
    ) -> Result<Attached, AttachError> {
        self.start_background();
        let memberships = self.store.list_memberships(actor.id()).await?;
        let request = Attach {
            user_id: actor.id().to_string(),
            session_id: actor.session.id.clone(),
            admin: actor.is_admin(),
            format,
            memberships,
            resume,
        };
        if let Some(attached) = self.resume_from_another_node(&request).await? {
            return Ok(attached);
        }
        Ok(self.hub.attach(request)?)
    }

    /// Resumes a connection this node does not hold from its checkpoints
    /// (in a cluster: its node may have died, or the load balancer sent the
    /// client elsewhere). `None` when it cannot be.
    async fn resume_from_another_node(
        &self,
        request: &Attach,
    ) -> Result<Option<Attached>, AttachError> {
        let Some(resume) = request.resume.as_ref() else {
            return Ok(None);
        };
        let Some(store) = self.hub.checkpoint_store() else {
            return Ok(None);
        };
        if self.hub.holds(&resume.connection_id) {
            return Ok(None);
        }
        let Some(record) = store.load(&resume.connection_id).await else {
            return Ok(None);
        };
        for _ in 0..REBUILD_ATTEMPTS {
            match self.hub.resume_elsewhere(request, &record)? {
                Rebuilt::Attached(attached) => return Ok(Some(attached)),
                Rebuilt::NotYet => tokio::time::sleep(REBUILD_WAIT).await,
                Rebuilt::Impossible | Rebuilt::Local => return Ok(None),
            }
        }
        tracing::warn!(
            connection_id = %resume.connection_id,
            "could not resume a connection from another node: this node's events stayed behind"
        );
        Ok(None)
    }

    /// Statuses of every user with a socket on this node (Mattermost's
    /// "cached" statuses).
    pub async fn connected_statuses(&self) -> crate::Result<Vec<crate::model::Status>> {
        let mut out = Vec::new();
        for user_id in self.hub.connected_users() {
            if let Some(status) = self.store.get_status(&user_id).await? {
                out.push(status);
            }
        }
        Ok(out)
    }

    /// Publishes that `actor` is typing in a channel (or a thread of it);
    /// only members who may post there can.
    pub async fn user_typing(
        &self,
        actor: &Actor,
        channel_id: &str,
        parent_id: &str,
    ) -> crate::Result<()> {
        self.publish_typing(actor, actor.id(), channel_id, parent_id)
            .await
    }

    /// Publishes that `user_id` is typing: said by that user, or by a
    /// system admin on their behalf. The typist must be able to post there
    /// (a member of a live channel); every other channel, an unknown one
    /// included, is refused alike.
    pub async fn publish_typing(
        &self,
        actor: &Actor,
        user_id: &str,
        channel_id: &str,
        parent_id: &str,
    ) -> crate::Result<()> {
        crate::services::validate::id("user_id", user_id)?;
        if !actor.is_self_or_admin(user_id) {
            return Err(crate::Error::forbidden(
                "only system admins may say that someone else is typing",
            ));
        }
        if !parent_id.is_empty() {
            crate::services::validate::id("parent_id", parent_id)?;
        }
        let refused = || crate::Error::forbidden("the typist cannot post in this channel");
        if !crate::id::is_valid_id(channel_id) {
            return Err(refused());
        }
        let channel = match self
            .store
            .get_channel_with_member(channel_id, user_id)
            .await
        {
            Ok((channel, Some(_))) if channel.delete_at == 0 => channel,
            Ok(_) | Err(crate::Error::NotFound { .. }) => return Err(refused()),
            Err(e) => return Err(e),
        };
        if user_id == actor.id() {
            self.presence_activity(user_id).await;
        }
        self.events.publish_event(
            crate::events::CoreEvent::new(
                crate::events::EventKind::Typing {
                    channel_id: channel.id.clone(),
                    parent_id: parent_id.to_string(),
                    user_id: user_id.to_string(),
                },
                crate::events::Audience::Channel(channel.id),
            )
            .omit(user_id),
        );
        Ok(())
    }
}
