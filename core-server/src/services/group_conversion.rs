//! Turning a group message into a private channel of a team all its members
//! share, as Mattermost's "Convert to private channel".

use super::{validate, Actor, Core};
use crate::error::{Error, Result};
use crate::events::{Audience, EventKind};
use crate::model::*;
use crate::time::now_ms;

impl Core {
    /// Converts the group message into a private channel of `team_id`
    /// (a team every member is in, where the actor may create private
    /// channels); the actor becomes its channel admin.
    pub async fn convert_group_to_channel(
        &self,
        actor: &Actor,
        channel_id: &str,
        team_id: &str,
        name: &str,
        display_name: &str,
    ) -> Result<Channel> {
        validate::id("team_id", team_id)?;
        self.require_team_permission(actor, team_id, Permission::CreatePrivateChannel)
            .await?;
        let (mut channel, mut member) = self.channel_for_member(actor, channel_id).await?;
        if channel.channel_type != channel_types::GROUP {
            return Err(Error::invalid(
                "channel_id",
                "only a group message can become a channel",
            ));
        }
        let common = self.members_common_teams(channel_id).await?;
        if !common.iter().any(|t| t.id == team_id) {
            return Err(Error::invalid(
                "team_id",
                "not every member of the group message is in that team",
            ));
        }
        let name = name.trim().to_lowercase();
        validate::slug("name", &name, 1, 64)?;
        validate::length("display_name", display_name.trim(), 1, 64)?;
        match self.store.get_channel_by_name(team_id, &name).await {
            Ok(_) => {
                return Err(Error::conflict(
                    "name",
                    "a channel of the team has that name",
                ))
            }
            Err(Error::NotFound { .. }) => {}
            Err(e) => return Err(e),
        }
        channel.channel_type = channel_types::PRIVATE.to_string();
        channel.team_id = team_id.to_string();
        channel.name = name;
        channel.display_name = display_name.trim().to_string();
        channel.update_at = now_ms();
        self.store.update_channel(&channel).await?;
        if !member
            .roles
            .split_whitespace()
            .any(|r| r == roles::CHANNEL_ADMIN)
        {
            member.roles = format!("{} {}", member.roles, roles::CHANNEL_ADMIN)
                .trim()
                .to_string();
            self.store.save_channel_member(&member).await?;
            self.events.publish(
                EventKind::ChannelMemberUpdated {
                    member: member.clone(),
                },
                Audience::User(member.user_id.clone()),
            );
        }
        self.events.publish(
            EventKind::ChannelUpdated {
                channel: channel.clone(),
            },
            Audience::Channel(channel.id.clone()),
        );
        Ok(channel)
    }
}
