//! Where a linked post lives, for someone who may not have joined it yet:
//! the apps open a permalink with it and offer to join the team or the
//! channel. Mattermost's rules: the post's team must be one the caller is
//! in or may join, and its channel one they are in, a public one, or one
//! they manage; anything else is the same "not found" as a missing post.

use serde::Serialize;

use super::{validate, Actor, Core};
use crate::error::{Error, Result};
use crate::model::*;

/// A post's channel and team, as a permalink needs them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PostInfo {
    pub channel_id: String,
    pub channel_type: String,
    pub channel_display_name: String,
    pub has_joined_channel: bool,
    pub team_id: String,
    pub team_type: String,
    pub team_display_name: String,
    pub has_joined_team: bool,
}

impl Core {
    pub async fn post_info(&self, actor: &Actor, post_id: &str) -> Result<PostInfo> {
        validate::id("post_id", post_id)?;
        let post = self.store.get_post(post_id).await?;
        if post.delete_at != 0 {
            return Err(Error::not_found("post"));
        }
        let channel = self.store.get_channel(&post.channel_id).await?;
        let hidden = || Error::not_found("post");

        let mut info = PostInfo {
            channel_id: channel.id.clone(),
            channel_type: channel.channel_type.clone(),
            channel_display_name: channel.display_name.clone(),
            has_joined_channel: false,
            team_id: String::new(),
            team_type: String::new(),
            team_display_name: String::new(),
            has_joined_team: false,
        };
        if !channel.team_id.is_empty() {
            let team = self.store.get_team(&channel.team_id).await?;
            let joined = match self.store.get_team_member(&team.id, actor.id()).await {
                Ok(m) => m.is_active(),
                Err(Error::NotFound { .. }) => false,
                Err(e) => return Err(e),
            };
            let may_join = if team.allow_open_invite {
                Permission::JoinPublicTeams
            } else {
                Permission::JoinPrivateTeams
            };
            if !joined && !self.has_team_permission(actor, &team.id, may_join).await? {
                return Err(hidden());
            }
            info.team_id = team.id;
            info.team_type = if team.allow_open_invite { "O" } else { "I" }.to_string();
            info.team_display_name = team.display_name;
            info.has_joined_team = joined;
        }

        let member = match self.store.get_channel_member(&channel.id, actor.id()).await {
            Ok(m) => Some(m),
            Err(Error::NotFound { .. }) => None,
            Err(e) => return Err(e),
        };
        info.has_joined_channel = member.is_some();
        let may_see = member.is_some()
            || match channel.channel_type.as_str() {
                "O" => true,
                "P" => {
                    self.has_channel_permission(
                        actor,
                        &channel,
                        None,
                        Permission::ManagePrivateChannelMembers,
                    )
                    .await?
                }
                _ => {
                    self.has_channel_permission(actor, &channel, None, Permission::ReadChannel)
                        .await?
                }
            };
        if !may_see {
            return Err(hidden());
        }
        Ok(info)
    }
}
