//! Channels: public and private channels in teams, direct and group messages,
//! membership and read state.

use serde::Deserialize;
use sha1::{Digest, Sha1};
use utoipa::ToSchema;

use super::teams::new_channel_member;
use super::{into_page, page_cursor, page_limit, validate, Actor, Core};
use crate::error::{Error, Result};
use crate::events::{Audience, EventKind};
use crate::id::new_id;
use crate::model::*;
use crate::time::now_ms;

/// A new public or private channel.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewChannel {
    /// Unique within the team: 1–64 lower-case letters, digits, `-`, `_`.
    pub name: String,
    pub display_name: String,
    /// `O` (public, the default) or `P` (private).
    #[serde(default, rename = "type")]
    pub channel_type: Option<String>,
    #[serde(default)]
    pub purpose: String,
    #[serde(default)]
    pub header: String,
}

/// Changes to a channel; absent fields stay as they are.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChannelPatch {
    pub name: Option<String>,
    pub display_name: Option<String>,
    pub purpose: Option<String>,
    pub header: Option<String>,
}

/// Largest group message, creator included.
const MAX_GROUP_MEMBERS: usize = 8;
/// Smallest group message, creator included.
const MIN_GROUP_MEMBERS: usize = 3;

/// A group message's name: hex SHA-1 of the sorted member ids, concatenated.
pub fn group_channel_name(user_ids: &[String]) -> String {
    let mut ids = user_ids.to_vec();
    ids.sort();
    hex::encode(Sha1::digest(ids.concat().as_bytes()))
}

/// A new, empty channel with default settings.
pub(crate) fn new_channel(
    team_id: &str,
    channel_type: &str,
    name: String,
    display_name: String,
    creator_id: &str,
    now: i64,
) -> Channel {
    Channel {
        id: new_id(),
        create_at: now,
        update_at: now,
        delete_at: 0,
        team_id: team_id.to_string(),
        channel_type: channel_type.to_string(),
        display_name,
        name,
        header: String::new(),
        purpose: String::new(),
        last_post_at: now,
        last_root_post_at: now,
        total_msg_count: 0,
        total_msg_count_root: 0,
        creator_id: creator_id.to_string(),
        props: serde_json::json!({}),
        extra_update_at: 0,
        group_constrained: false,
        shared: false,
    }
}

impl Core {
    pub(crate) async fn membership(
        &self,
        channel_id: &str,
        user_id: &str,
    ) -> Result<Option<ChannelMember>> {
        match self.store.get_channel_member(channel_id, user_id).await {
            Ok(m) => Ok(Some(m)),
            Err(Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// The channel, if the actor may read it: members always; for public
    /// channels also members of the team; system admins everything.
    pub(crate) async fn channel_for_read(
        &self,
        actor: &Actor,
        channel_id: &str,
    ) -> Result<(Channel, Option<ChannelMember>)> {
        validate::id("channel_id", channel_id)?;
        let (channel, member) = self
            .store
            .get_channel_with_member(channel_id, actor.id())
            .await?;
        if member.is_some() || actor.is_admin() {
            return Ok((channel, member));
        }
        if channel.channel_type == channel_types::OPEN
            && self.is_team_member(&channel.team_id, actor.id()).await?
        {
            return Ok((channel, None));
        }
        Err(Error::forbidden("you do not have access to this channel"))
    }

    /// The zones a channel's members are in, each once (the apps show the
    /// time of a message in other zones with it).
    pub async fn channel_timezones(&self, actor: &Actor, channel_id: &str) -> Result<Vec<String>> {
        self.channel_for_read(actor, channel_id).await?;
        let mut zones: Vec<String> = self
            .store
            .channel_member_timezones(channel_id)
            .await?
            .iter()
            .filter_map(|tz| preferred_timezone(tz).map(str::to_string))
            .collect();
        zones.sort();
        zones.dedup();
        Ok(zones)
    }

    /// The channel and the actor's membership, which is required.
    pub(crate) async fn channel_for_member(
        &self,
        actor: &Actor,
        channel_id: &str,
    ) -> Result<(Channel, ChannelMember)> {
        let (channel, member) = self.channel_for_read(actor, channel_id).await?;
        match member {
            Some(m) => Ok((channel, m)),
            None => Err(Error::forbidden("you are not a member of this channel")),
        }
    }

    /// Creates a public or private channel in a team the actor belongs to.
    pub async fn create_channel(
        &self,
        actor: &Actor,
        team_id: &str,
        input: NewChannel,
    ) -> Result<Channel> {
        self.team_for_member(actor, team_id).await?;
        let name = input.name.trim().to_lowercase();
        validate::slug("name", &name, 1, 64)?;
        if name.contains("__") {
            return Err(Error::invalid("name", "must not contain '__'"));
        }
        validate::length("display_name", input.display_name.trim(), 1, 64)?;
        validate::length("purpose", &input.purpose, 0, 250)?;
        validate::length("header", &input.header, 0, 1024)?;
        let channel_type = input
            .channel_type
            .unwrap_or_else(|| channel_types::OPEN.into());
        if channel_type != channel_types::OPEN && channel_type != channel_types::PRIVATE {
            return Err(Error::invalid("type", "must be O or P"));
        }
        let now = now_ms();
        let channel = Channel {
            header: input.header,
            purpose: input.purpose,
            ..new_channel(
                team_id,
                &channel_type,
                name,
                input.display_name.trim().to_string(),
                actor.id(),
                now,
            )
        };
        let member = new_channel_member(
            &channel.id,
            actor.id(),
            &format!("{} {}", roles::CHANNEL_USER, roles::CHANNEL_ADMIN),
            now,
        );
        self.store.create_channel(&channel, &[member]).await?;
        // The creator's other clients hear of it; others find it when they look.
        self.events.publish(
            EventKind::ChannelCreated {
                channel: channel.clone(),
                creator_id: actor.id().to_string(),
                member_ids: vec![actor.id().to_string()],
            },
            Audience::User(actor.id().to_string()),
        );
        Ok(channel)
    }

    /// Opens (or returns the existing) direct message with another user.
    /// The flag says whether it was created now.
    pub async fn create_direct_channel(
        &self,
        actor: &Actor,
        other_id: &str,
    ) -> Result<(Channel, bool)> {
        validate::id("user_id", other_id)?;
        let other = self.store.get_user(other_id).await?;
        let name = direct_channel_name(actor.id(), &other.id);
        let mut members = vec![actor.id().to_string()];
        if other.id != actor.id() {
            members.push(other.id.clone());
        }
        self.open_private_conversation(actor, channel_types::DIRECT, name, String::new(), &members)
            .await
    }

    /// Opens (or returns the existing) group message among the actor and others.
    pub async fn create_group_channel(
        &self,
        actor: &Actor,
        user_ids: &[String],
    ) -> Result<(Channel, bool)> {
        let mut ids: Vec<String> = user_ids.to_vec();
        ids.push(actor.id().to_string());
        ids.sort();
        ids.dedup();
        for id in &ids {
            validate::id("user_ids", id)?;
        }
        if !(MIN_GROUP_MEMBERS..=MAX_GROUP_MEMBERS).contains(&ids.len()) {
            return Err(Error::invalid(
                "user_ids",
                format!(
                    "a group has {MIN_GROUP_MEMBERS} to {MAX_GROUP_MEMBERS} members, you included"
                ),
            ));
        }
        let users = self.store.get_users_by_ids(&ids).await?;
        if users.len() != ids.len() {
            return Err(Error::invalid("user_ids", "contains an unknown user"));
        }
        let mut names: Vec<String> = users.iter().map(|u| u.username.clone()).collect();
        names.sort();
        let name = group_channel_name(&ids);
        self.open_private_conversation(actor, channel_types::GROUP, name, names.join(", "), &ids)
            .await
    }

    async fn open_private_conversation(
        &self,
        actor: &Actor,
        channel_type: &str,
        name: String,
        display_name: String,
        members: &[String],
    ) -> Result<(Channel, bool)> {
        if let Ok(existing) = self.store.get_channel_by_name("", &name).await {
            return Ok((existing, false));
        }
        let now = now_ms();
        let channel = new_channel(
            "",
            channel_type,
            name.clone(),
            display_name,
            actor.id(),
            now,
        );
        let rows: Vec<ChannelMember> = members
            .iter()
            .map(|u| new_channel_member(&channel.id, u, roles::CHANNEL_USER, now))
            .collect();
        match self.store.create_channel(&channel, &rows).await {
            Ok(()) => {}
            // Both users opened the conversation at the same moment.
            Err(Error::Conflict { .. }) => {
                return Ok((self.store.get_channel_by_name("", &name).await?, false))
            }
            Err(e) => return Err(e),
        }
        self.events.publish(
            EventKind::ChannelCreated {
                channel: channel.clone(),
                creator_id: actor.id().to_string(),
                member_ids: members.to_vec(),
            },
            Audience::Channel(channel.id.clone()),
        );
        Ok((channel, true))
    }

    /// One channel the actor may read.
    pub async fn get_channel(&self, actor: &Actor, channel_id: &str) -> Result<Channel> {
        Ok(self.channel_for_read(actor, channel_id).await?.0)
    }

    /// A channel by team and name.
    pub async fn get_channel_by_name(
        &self,
        actor: &Actor,
        team_id: &str,
        name: &str,
    ) -> Result<Channel> {
        self.team_for_member(actor, team_id).await?;
        let channel = self
            .store
            .get_channel_by_name(team_id, &name.to_lowercase())
            .await?;
        self.get_channel(actor, &channel.id).await
    }

    /// A team's public channels and the private ones the actor belongs to.
    pub async fn list_team_channels(&self, actor: &Actor, team_id: &str) -> Result<Vec<Channel>> {
        self.team_for_member(actor, team_id).await?;
        self.store.list_team_channels(team_id, actor.id()).await
    }

    /// Every channel the actor belongs to, optionally one team's (plus DMs and GMs).
    pub async fn list_my_channels(
        &self,
        actor: &Actor,
        team_id: Option<&str>,
    ) -> Result<Vec<Channel>> {
        if let Some(team_id) = team_id {
            self.team_for_member(actor, team_id).await?;
        }
        self.store.list_user_channels(actor.id(), team_id).await
    }

    /// Changes a channel's name, display name, purpose or header. Any member
    /// may (as on Mattermost by default); in DMs and GMs only the header.
    pub async fn patch_channel(
        &self,
        actor: &Actor,
        channel_id: &str,
        patch: ChannelPatch,
    ) -> Result<Channel> {
        let (mut channel, member) = self.channel_for_read(actor, channel_id).await?;
        if channel.is_direct_or_group() {
            // No permission covers a DM's or GM's header: its members may change it.
            if member.is_none() {
                return Err(Error::forbidden("you are not a member of this channel"));
            }
        } else {
            self.require_channel_permission_by_privacy(
                actor,
                &channel,
                member.as_ref(),
                Permission::ManagePublicChannelProperties,
                Permission::ManagePrivateChannelProperties,
            )
            .await?;
        }
        if channel.delete_at != 0 {
            return Err(Error::invalid("channel_id", "the channel is archived"));
        }
        if channel.is_direct_or_group()
            && (patch.name.is_some() || patch.display_name.is_some() || patch.purpose.is_some())
        {
            return Err(Error::invalid(
                "name",
                "only the header of a direct or group message can change",
            ));
        }
        if let Some(name) = patch.name {
            let name = name.trim().to_lowercase();
            validate::slug("name", &name, 1, 64)?;
            if channel.name == "town-square" && name != channel.name {
                return Err(Error::invalid(
                    "name",
                    "the default channel cannot be renamed",
                ));
            }
            channel.name = name;
        }
        if let Some(v) = patch.display_name {
            validate::length("display_name", v.trim(), 1, 64)?;
            channel.display_name = v.trim().to_string();
        }
        if let Some(v) = patch.purpose {
            validate::length("purpose", &v, 0, 250)?;
            channel.purpose = v;
        }
        if let Some(v) = patch.header {
            validate::length("header", &v, 0, 1024)?;
            channel.header = v;
        }
        channel.update_at = now_ms();
        self.store.update_channel(&channel).await?;
        self.events.publish(
            EventKind::ChannelUpdated {
                channel: channel.clone(),
            },
            Audience::Channel(channel.id.clone()),
        );
        Ok(channel)
    }

    /// Archives a channel, with `delete_public_channel` or
    /// `delete_private_channel` (every member, by default). The default
    /// channel, DMs and GMs cannot be archived.
    pub async fn delete_channel(&self, actor: &Actor, channel_id: &str) -> Result<Channel> {
        let (mut channel, member) = self.channel_for_read(actor, channel_id).await?;
        self.require_channel_permission_by_privacy(
            actor,
            &channel,
            member.as_ref(),
            Permission::DeletePublicChannel,
            Permission::DeletePrivateChannel,
        )
        .await?;
        if channel.is_direct_or_group() {
            return Err(Error::invalid(
                "channel_id",
                "direct and group messages cannot be archived",
            ));
        }
        if channel.name == "town-square" {
            return Err(Error::invalid(
                "channel_id",
                "the default channel cannot be archived",
            ));
        }
        if channel.delete_at != 0 {
            return Ok(channel);
        }
        let now = now_ms();
        channel.delete_at = now;
        channel.update_at = now;
        self.store.update_channel(&channel).await?;
        // Everyone in the team may see a public channel; a private one only its members.
        let audience = if channel.channel_type == channel_types::OPEN {
            Audience::Team(channel.team_id.clone())
        } else {
            Audience::Channel(channel.id.clone())
        };
        self.events.publish(
            EventKind::ChannelDeleted {
                channel: channel.clone(),
            },
            audience,
        );
        Ok(channel)
    }

    /// Adds a user to a channel. Users may join public channels of their
    /// teams; members may add other team members; DMs and GMs are fixed.
    pub async fn add_channel_member(
        &self,
        actor: &Actor,
        channel_id: &str,
        user_id: &str,
    ) -> Result<ChannelMember> {
        validate::id("user_id", user_id)?;
        let (channel, member) = self.channel_for_read(actor, channel_id).await?;
        if channel.is_direct_or_group() {
            return Err(Error::invalid(
                "channel_id",
                "members of direct and group messages cannot change",
            ));
        }
        if channel.delete_at != 0 {
            return Err(Error::invalid("channel_id", "the channel is archived"));
        }
        let self_join = actor.id() == user_id && channel.channel_type == channel_types::OPEN;
        if self_join {
            self.require_team_permission(actor, &channel.team_id, Permission::JoinPublicChannels)
                .await?;
        } else {
            self.require_channel_permission_by_privacy(
                actor,
                &channel,
                member.as_ref(),
                Permission::ManagePublicChannelMembers,
                Permission::ManagePrivateChannelMembers,
            )
            .await?;
        }
        let user = self.store.get_user(user_id).await?;
        if user.is_deleted() {
            return Err(Error::invalid("user_id", "the user is deactivated"));
        }
        if !self.is_team_member(&channel.team_id, user_id).await? {
            return Err(Error::invalid(
                "user_id",
                "the user is not a member of the channel's team",
            ));
        }
        if let Some(existing) = self.membership(channel_id, user_id).await? {
            return Ok(existing);
        }
        let m = new_channel_member(channel_id, user_id, roles::CHANNEL_USER, now_ms());
        self.store.save_channel_member(&m).await?;
        self.events.publish(
            EventKind::ChannelMemberAdded {
                channel: channel.clone(),
                user_id: user_id.to_string(),
            },
            Audience::Channel(channel.id.clone()),
        );
        Ok(m)
    }

    /// Removes a member (or leaves): oneself, or anyone with
    /// `manage_public_channel_members` or `manage_private_channel_members`
    /// (every member, by default).
    pub async fn remove_channel_member(
        &self,
        actor: &Actor,
        channel_id: &str,
        user_id: &str,
    ) -> Result<()> {
        validate::id("user_id", user_id)?;
        let (channel, member) = self.channel_for_read(actor, channel_id).await?;
        if channel.is_direct_or_group() {
            return Err(Error::invalid(
                "channel_id",
                "members of direct and group messages cannot change",
            ));
        }
        if channel.name == "town-square" {
            return Err(Error::invalid(
                "channel_id",
                "nobody can leave the default channel",
            ));
        }
        if actor.id() != user_id {
            self.require_channel_permission_by_privacy(
                actor,
                &channel,
                member.as_ref(),
                Permission::ManagePublicChannelMembers,
                Permission::ManagePrivateChannelMembers,
            )
            .await?;
        }
        self.store
            .delete_channel_member(channel_id, user_id)
            .await?;
        // The removed user hears first (while still indexed as a member), then the channel.
        let removed = EventKind::ChannelMemberRemoved {
            channel: channel.clone(),
            user_id: user_id.to_string(),
            remover_id: actor.id().to_string(),
        };
        self.events
            .publish(removed.clone(), Audience::User(user_id.to_string()));
        self.events
            .publish(removed, Audience::Channel(channel.id.clone()));
        Ok(())
    }

    /// A channel's members, for whoever may read the channel.
    /// Number of members of a channel the actor may read.
    pub async fn channel_member_count(&self, actor: &Actor, channel_id: &str) -> Result<i64> {
        self.channel_for_read(actor, channel_id).await?;
        self.store.count_channel_members(channel_id).await
    }

    pub async fn list_channel_members(
        &self,
        actor: &Actor,
        channel_id: &str,
        cursor: Option<&str>,
        limit: Option<i64>,
    ) -> Result<Page<ChannelMember>> {
        self.channel_for_read(actor, channel_id).await?;
        let limit = page_limit(limit)?;
        let rows = self
            .store
            .list_channel_members(channel_id, page_cursor(cursor)?, limit + 1)
            .await?;
        Ok(into_page(rows, limit, |m| m.user_id.clone()))
    }

    /// One membership of a channel the actor may read.
    pub async fn get_channel_member(
        &self,
        actor: &Actor,
        channel_id: &str,
        user_id: &str,
    ) -> Result<ChannelMember> {
        validate::id("user_id", user_id)?;
        self.channel_for_read(actor, channel_id).await?;
        self.store.get_channel_member(channel_id, user_id).await
    }

    /// Marks a channel read for the actor.
    pub async fn view_channel(&self, actor: &Actor, channel_id: &str) -> Result<ChannelMember> {
        let (channel, before) = self.channel_for_member(actor, channel_id).await?;
        let member = self
            .store
            .view_channel(channel_id, actor.id(), now_ms())
            .await?;
        if let Err(e) = self.queue_clear(actor, &channel, &before).await {
            tracing::warn!(error = %e, "could not queue a clear push");
        }
        self.events.publish(
            EventKind::ChannelViewed {
                channel_id: channel_id.to_string(),
                user_id: actor.id().to_string(),
            },
            Audience::User(actor.id().to_string()),
        );
        Ok(member)
    }

    /// The actor's unread counts per channel, optionally in one team.
    pub async fn list_unreads(
        &self,
        actor: &Actor,
        team_id: Option<&str>,
    ) -> Result<Vec<ChannelUnread>> {
        if let Some(team_id) = team_id {
            self.team_for_member(actor, team_id).await?;
        }
        self.store.list_unreads(actor.id(), team_id).await
    }

    /// The actor's memberships of a team's channels (plus DMs and GMs).
    pub async fn list_my_channel_members(
        &self,
        actor: &Actor,
        team_id: Option<&str>,
    ) -> Result<Vec<ChannelMember>> {
        if let Some(team_id) = team_id {
            self.team_for_member(actor, team_id).await?;
        }
        self.store
            .list_user_channel_members(actor.id(), team_id)
            .await
    }

    /// Brings an archived channel back: with `manage_team` in its team (team
    /// and system admins), as on Mattermost.
    pub async fn restore_channel(&self, actor: &Actor, channel_id: &str) -> Result<Channel> {
        // The team's admins may restore any of its channels, private ones
        // they are not in too (as Mattermost): the team permission decides.
        validate::id("channel_id", channel_id)?;
        let mut channel = self.store.get_channel(channel_id).await?;
        if channel.team_id.is_empty() {
            return Err(Error::invalid(
                "channel_id",
                "direct and group messages are never archived",
            ));
        }
        self.require_team_permission(actor, &channel.team_id, Permission::ManageTeam)
            .await?;
        if channel.delete_at == 0 {
            return Err(Error::invalid("channel_id", "the channel is not archived"));
        }
        channel.delete_at = 0;
        channel.update_at = now_ms();
        self.store.update_channel(&channel).await?;
        let audience = if channel.channel_type == channel_types::OPEN {
            Audience::Team(channel.team_id.clone())
        } else {
            Audience::Channel(channel.id.clone())
        };
        self.events.publish(
            EventKind::ChannelRestored {
                channel: channel.clone(),
            },
            audience,
        );
        Ok(channel)
    }

    /// Member and pinned-post counts of a channel the actor may read.
    pub async fn channel_stats(&self, actor: &Actor, channel_id: &str) -> Result<(i64, i64)> {
        self.channel_for_read(actor, channel_id).await?;
        self.store.count_members_and_pinned(channel_id).await
    }
}
