//! Permission checks: the actor's system, team and channel roles, read
//! against the role table (`model::permissions`), as Mattermost evaluates
//! them. Every service asks here rather than testing role names itself.

use super::{Actor, Core};
use crate::error::{Error, Result};
use crate::model::*;

impl Core {
    /// The names of every role; listing them all is a system admin's.
    pub fn list_role_names(&self, actor: &Actor) -> Result<&'static [&'static str]> {
        if actor.is_admin() {
            Ok(roles::ALL)
        } else {
            Err(Error::forbidden("only system admins list every role"))
        }
    }

    /// The actor's roles in a team, when they are a current member.
    async fn team_roles(&self, actor: &Actor, team_id: &str) -> Result<Option<String>> {
        if team_id.is_empty() {
            return Ok(None);
        }
        match self.store.get_team_member(team_id, actor.id()).await {
            Ok(m) if m.is_active() => Ok(Some(m.roles)),
            Ok(_) | Err(Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Whether the actor holds `permission` in a team.
    pub(crate) async fn has_team_permission(
        &self,
        actor: &Actor,
        team_id: &str,
        permission: Permission,
    ) -> Result<bool> {
        let system = HeldRoles {
            system: &actor.user.roles,
            ..HeldRoles::default()
        };
        if system.grant(permission) {
            return Ok(true);
        }
        let team = self.team_roles(actor, team_id).await?;
        Ok(HeldRoles {
            team: team.as_deref(),
            ..system
        }
        .grant(permission))
    }

    /// Whether the actor holds `permission` in a channel, given their
    /// membership of it (if any). Direct and group channels belong to no
    /// team: only channel and system roles count there.
    pub(crate) async fn has_channel_permission(
        &self,
        actor: &Actor,
        channel: &Channel,
        member: Option<&ChannelMember>,
        permission: Permission,
    ) -> Result<bool> {
        let near = HeldRoles {
            system: &actor.user.roles,
            team: None,
            channel: member.map(|m| m.roles.as_str()),
        };
        if near.grant(permission) {
            return Ok(true);
        }
        let team = self.team_roles(actor, &channel.team_id).await?;
        Ok(HeldRoles {
            team: team.as_deref(),
            ..near
        }
        .grant(permission))
    }

    /// Fails with `Forbidden` unless the actor holds `permission` in the team.
    pub(crate) async fn require_team_permission(
        &self,
        actor: &Actor,
        team_id: &str,
        permission: Permission,
    ) -> Result<()> {
        if self.has_team_permission(actor, team_id, permission).await? {
            return Ok(());
        }
        Err(missing(permission))
    }

    /// Fails with `Forbidden` unless the actor holds, in the channel, the one
    /// of a public/private pair of permissions that its privacy calls for.
    pub(crate) async fn require_channel_permission_by_privacy(
        &self,
        actor: &Actor,
        channel: &Channel,
        member: Option<&ChannelMember>,
        public: Permission,
        private: Permission,
    ) -> Result<()> {
        let needed = by_privacy(channel, public, private);
        self.require_channel_permission(actor, channel, member, needed)
            .await
    }

    /// Fails with `Forbidden` unless the actor holds `permission` in the channel.
    pub(crate) async fn require_channel_permission(
        &self,
        actor: &Actor,
        channel: &Channel,
        member: Option<&ChannelMember>,
        permission: Permission,
    ) -> Result<()> {
        if self
            .has_channel_permission(actor, channel, member, permission)
            .await?
        {
            return Ok(());
        }
        Err(missing(permission))
    }
}

/// The refusal for a permission the actor lacks, naming it.
fn missing(permission: Permission) -> Error {
    Error::forbidden(format!(
        "you do not have the {} permission here",
        permission.id()
    ))
}

/// The permission that gates an action on a public or a private channel.
fn by_privacy(channel: &Channel, public: Permission, private: Permission) -> Permission {
    if channel.channel_type == channel_types::PRIVATE {
        private
    } else {
        public
    }
}
