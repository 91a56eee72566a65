//! Changes to memberships and roles: a channel's privacy, a channel member's
//! roles and notification settings, a team member's roles, a user's system
//! roles. Each tells the affected clients.

use super::{validate, Actor, Core};
use crate::error::{Error, Result};
use crate::events::{Audience, EventKind};
use crate::model::*;
use crate::time::now_ms;

/// Per-channel notification settings a member may change, and their values.
const CHANNEL_NOTIFY_KEYS: &[(&str, &[&str])] = &[
    ("desktop", &["default", "all", "mention", "none"]),
    ("push", &["default", "all", "mention", "none"]),
    ("email", &["default", "all", "mention", "none"]),
    ("mark_unread", &["all", "mention"]),
    ("ignore_channel_mentions", &["default", "off", "on"]),
    ("channel_auto_follow_threads", &["off", "on"]),
    ("desktop_threads", &["default", "all", "mention", "none"]),
    ("push_threads", &["default", "all", "mention", "none"]),
    ("email_threads", &["default", "all", "mention", "none"]),
    ("desktop_sound", &["default", "on", "off"]),
];

/// Builds a role list from the scheme flags and checks explicit roles.
fn role_list(
    base: &str,
    admin_role: &str,
    admin: bool,
    allowed: &[&str],
    field: &str,
    explicit: &str,
) -> Result<String> {
    for role in explicit.split_whitespace() {
        if !allowed.contains(&role) {
            return Err(Error::invalid(field, format!("unknown role `{role}`")));
        }
    }
    let mut roles = vec![base.to_string()];
    if admin || roles::has(explicit, admin_role) {
        roles.push(admin_role.to_string());
    }
    Ok(roles.join(" "))
}

impl Core {
    /// Makes a public channel private or a private one public, with
    /// `convert_public_channel_to_private` or the reverse (team and system
    /// admins); never the default channel, DMs or GMs.
    pub async fn set_channel_privacy(
        &self,
        actor: &Actor,
        channel_id: &str,
        privacy: &str,
    ) -> Result<Channel> {
        if privacy != channel_types::OPEN && privacy != channel_types::PRIVATE {
            return Err(Error::invalid("privacy", "must be O or P"));
        }
        let (mut channel, member) = self.channel_for_read(actor, channel_id).await?;
        let needed = if privacy == channel_types::PRIVATE {
            Permission::ConvertPublicChannelToPrivate
        } else {
            Permission::ConvertPrivateChannelToPublic
        };
        self.require_channel_permission(actor, &channel, member.as_ref(), needed)
            .await?;
        if channel.is_direct_or_group() {
            return Err(Error::invalid(
                "channel_id",
                "direct and group messages have no privacy setting",
            ));
        }
        if channel.name == "town-square" {
            return Err(Error::invalid(
                "channel_id",
                "the default channel stays public",
            ));
        }
        if channel.channel_type == privacy {
            return Ok(channel);
        }
        channel.channel_type = privacy.to_string();
        channel.update_at = now_ms();
        self.store.update_channel(&channel).await?;
        self.events.publish(
            EventKind::ChannelConverted {
                channel: channel.clone(),
            },
            Audience::Team(channel.team_id.clone()),
        );
        self.events.publish(
            EventKind::ChannelUpdated {
                channel: channel.clone(),
            },
            Audience::Channel(channel.id.clone()),
        );
        Ok(channel)
    }

    /// Sets a channel member's roles (`channel_user`, optionally
    /// `channel_admin`): with `manage_channel_roles` (channel, team and
    /// system admins).
    pub async fn set_channel_member_roles(
        &self,
        actor: &Actor,
        channel_id: &str,
        user_id: &str,
        explicit: &str,
        admin: bool,
    ) -> Result<ChannelMember> {
        validate::id("user_id", user_id)?;
        let (channel, me) = self.channel_for_read(actor, channel_id).await?;
        self.require_channel_permission(
            actor,
            &channel,
            me.as_ref(),
            Permission::ManageChannelRoles,
        )
        .await?;
        let mut member = self.store.get_channel_member(channel_id, user_id).await?;
        member.roles = role_list(
            roles::CHANNEL_USER,
            roles::CHANNEL_ADMIN,
            admin,
            &[roles::CHANNEL_USER, roles::CHANNEL_ADMIN],
            "roles",
            explicit,
        )?;
        member.last_update_at = now_ms();
        self.store.save_channel_member(&member).await?;
        self.channel_member_updated(&member);
        Ok(member)
    }

    /// Changes one's own notification settings for a channel (or anyone's,
    /// for an admin). Only known keys and values are accepted.
    pub async fn set_channel_member_notify_props(
        &self,
        actor: &Actor,
        channel_id: &str,
        user_id: &str,
        props: StringMap,
    ) -> Result<ChannelMember> {
        validate::id("user_id", user_id)?;
        if !actor.is_self_or_admin(user_id) {
            return Err(Error::forbidden(
                "you may only change your own notification settings",
            ));
        }
        let mut member = self.store.get_channel_member(channel_id, user_id).await?;
        for (key, value) in props {
            let Some((_, allowed)) = CHANNEL_NOTIFY_KEYS.iter().find(|(k, _)| *k == key) else {
                return Err(Error::invalid(
                    "notify_props",
                    format!("unknown setting `{key}`"),
                ));
            };
            if !allowed.contains(&value.as_str()) {
                return Err(Error::invalid(
                    "notify_props",
                    format!("`{key}` must be one of {}", allowed.join(", ")),
                ));
            }
            member.notify_props.insert(key, value);
        }
        member.last_update_at = now_ms();
        self.store.save_channel_member(&member).await?;
        self.channel_member_updated(&member);
        Ok(member)
    }

    fn channel_member_updated(&self, member: &ChannelMember) {
        self.events.publish(
            EventKind::ChannelMemberUpdated {
                member: member.clone(),
            },
            Audience::User(member.user_id.clone()),
        );
    }

    /// Sets a team member's roles (`team_user`, optionally `team_admin`):
    /// with `manage_team_roles` (team and system admins).
    pub async fn set_team_member_roles(
        &self,
        actor: &Actor,
        team_id: &str,
        user_id: &str,
        explicit: &str,
        admin: bool,
    ) -> Result<TeamMember> {
        validate::id("team_id", team_id)?;
        validate::id("user_id", user_id)?;
        self.require_team_permission(actor, team_id, Permission::ManageTeamRoles)
            .await?;
        let mut member = self.store.get_team_member(team_id, user_id).await?;
        if !member.is_active() {
            return Err(Error::not_found("team member"));
        }
        member.roles = role_list(
            roles::TEAM_USER,
            roles::TEAM_ADMIN,
            admin,
            &[roles::TEAM_USER, roles::TEAM_ADMIN],
            "roles",
            explicit,
        )?;
        member.update_at = now_ms();
        self.store.save_team_member(&member, &[]).await?;
        self.events.publish(
            EventKind::TeamMemberUpdated {
                member: member.clone(),
            },
            Audience::User(user_id.to_string()),
        );
        Ok(member)
    }

    /// Sets a user's system roles (`system_user`, optionally
    /// `system_admin`): system admins only.
    pub async fn set_user_roles(
        &self,
        actor: &Actor,
        user_id: &str,
        explicit: &str,
    ) -> Result<User> {
        validate::id("user_id", user_id)?;
        if !actor.is_admin() {
            return Err(Error::forbidden(
                "only a system admin can change system roles",
            ));
        }
        let mut user = self.store.get_user(user_id).await?;
        user.roles = role_list(
            roles::SYSTEM_USER,
            roles::SYSTEM_ADMIN,
            false,
            &[roles::SYSTEM_USER, roles::SYSTEM_ADMIN],
            "roles",
            explicit,
        )?;
        user.update_at = now_ms();
        self.save_user(&user).await?;
        self.events.publish(
            EventKind::UserRolesUpdated {
                user_id: user.id.clone(),
                roles: user.roles.clone(),
            },
            Audience::User(user.id.clone()),
        );
        self.user_updated(&user);
        Ok(user)
    }
}
