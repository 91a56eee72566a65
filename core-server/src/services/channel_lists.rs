//! Channel lists beyond one team's: every channel (for system admins), the
//! caller's channels across their teams, public channels by id, group
//! messages by member, and what a group message's members have in common.

use std::collections::HashMap;

use super::channel_search::ChannelScope;
use super::{validate, Actor, Core};
use crate::error::{Error, Result};
use crate::model::*;

/// Which channels a system-wide search lists (Mattermost's `ChannelSearch`).
#[derive(Debug, Clone, Default)]
pub struct AllChannelsFilter {
    /// Part of the name, display name or purpose; empty for all.
    pub term: String,
    /// Only these teams; empty for all.
    pub team_ids: Vec<String>,
    /// Only public channels (when `private` is not also set).
    pub public: bool,
    /// Only private channels (when `public` is not also set).
    pub private: bool,
    /// Only archived channels.
    pub deleted: bool,
    /// Archived channels too.
    pub include_deleted: bool,
    /// Leave out town-square and off-topic.
    pub exclude_default_channels: bool,
}

impl AllChannelsFilter {
    fn admits(&self, c: &Channel, term: &str) -> bool {
        let kind_ok = match (self.public, self.private) {
            (true, false) => c.channel_type == channel_types::OPEN,
            (false, true) => c.channel_type == channel_types::PRIVATE,
            _ => c.channel_type == channel_types::OPEN || c.channel_type == channel_types::PRIVATE,
        };
        let life_ok = if self.deleted {
            c.delete_at != 0
        } else {
            self.include_deleted || c.delete_at == 0
        };
        let default = super::teams::DEFAULT_CHANNELS
            .iter()
            .any(|(name, _)| *name == c.name);
        let term_ok = term.is_empty()
            || [&c.name, &c.display_name, &c.purpose]
                .iter()
                .any(|text| text.to_lowercase().contains(term));
        kind_ok
            && life_ok
            && term_ok
            && !(self.exclude_default_channels && default)
            && (self.team_ids.is_empty() || self.team_ids.contains(&c.team_id))
    }
}

/// Most group messages a search answers.
const MAX_GROUP_RESULTS: usize = 50;

impl Core {
    /// Every team channel matching the filter, with its team, ordered by
    /// display name: for system admins only.
    pub async fn search_all_channels(
        &self,
        actor: &Actor,
        filter: &AllChannelsFilter,
    ) -> Result<Vec<(Channel, Team)>> {
        if !actor.is_admin() {
            return Err(Error::forbidden("only system admins list every channel"));
        }
        validate::length("term", &filter.term, 0, 64)?;
        let term = filter.term.trim().to_lowercase();
        let mut teams: HashMap<String, Team> = HashMap::new();
        let mut found = Vec::new();
        let mut after: Option<String> = None;
        loop {
            let rows = self.store.list_all_channels(after.as_deref(), 500).await?;
            let done = rows.len() < 500;
            for channel in rows {
                after = Some(channel.id.clone());
                if channel.team_id.is_empty() || !filter.admits(&channel, &term) {
                    continue;
                }
                if !teams.contains_key(&channel.team_id) {
                    let team = self.store.get_team(&channel.team_id).await?;
                    teams.insert(team.id.clone(), team);
                }
                if let Some(team) = teams.get(&channel.team_id) {
                    found.push((channel, team.clone()));
                }
            }
            if done {
                break;
            }
        }
        found.sort_by(|(a, ta), (b, tb)| {
            (
                a.display_name.to_lowercase(),
                ta.display_name.to_lowercase(),
                &a.id,
            )
                .cmp(&(
                    b.display_name.to_lowercase(),
                    tb.display_name.to_lowercase(),
                    &b.id,
                ))
        });
        Ok(found)
    }

    /// The channels the actor may read in each of their teams (or those
    /// given) whose name matches `term`; archived ones instead with `archived`.
    pub async fn find_my_channels(
        &self,
        actor: &Actor,
        term: &str,
        team_ids: &[String],
        archived: bool,
    ) -> Result<Vec<(Channel, Team)>> {
        let scope = if archived {
            ChannelScope::Archived
        } else {
            ChannelScope::Readable
        };
        let mut found = Vec::new();
        for team in self.store.list_user_teams(actor.id()).await? {
            if team.delete_at != 0 || (!team_ids.is_empty() && !team_ids.contains(&team.id)) {
                continue;
            }
            for channel in self
                .find_team_channels(actor, &team.id, term, scope, 0, 50)
                .await?
            {
                found.push((channel, team.clone()));
            }
        }
        Ok(found)
    }

    /// The public channels of a team among `ids` (unknown or private ones
    /// are left out), for members of the team.
    pub async fn public_channels_by_ids(
        &self,
        actor: &Actor,
        team_id: &str,
        ids: &[String],
    ) -> Result<Vec<Channel>> {
        self.team_for_member(actor, team_id).await?;
        let mut out = Vec::new();
        for id in ids {
            validate::id("channel_ids", id)?;
            match self.store.get_channel(id).await {
                Ok(c) if c.team_id == team_id && c.channel_type == channel_types::OPEN => {
                    out.push(c)
                }
                Ok(_) | Err(Error::NotFound { .. }) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(out)
    }

    /// The actor's group messages with a member whose username starts with `term`.
    pub async fn search_group_channels(&self, actor: &Actor, term: &str) -> Result<Vec<Channel>> {
        validate::length("term", term, 0, 64)?;
        let term = term.trim().trim_start_matches('@').to_lowercase();
        let mut found: Vec<Channel> = self
            .store
            .list_user_channels(actor.id(), None)
            .await?
            .into_iter()
            .filter(|c| c.channel_type == channel_types::GROUP && c.delete_at == 0)
            .filter(|c| {
                c.display_name
                    .split(", ")
                    .any(|username| username.starts_with(&term))
            })
            .collect();
        found.sort_by_key(|c| std::cmp::Reverse(c.last_post_at));
        found.truncate(MAX_GROUP_RESULTS);
        Ok(found)
    }

    /// The teams every member of a group message belongs to, for its members.
    pub async fn group_common_teams(&self, actor: &Actor, channel_id: &str) -> Result<Vec<Team>> {
        let (channel, _) = self.channel_for_member(actor, channel_id).await?;
        if channel.channel_type != channel_types::GROUP
            && channel.channel_type != channel_types::DIRECT
        {
            return Err(Error::invalid(
                "channel_id",
                "the channel is not a group message",
            ));
        }
        let common = self.members_common_teams(channel_id).await?;
        self.teams_view(actor, common).await
    }

    /// The live teams every member of a direct or group channel belongs to.
    pub(crate) async fn members_common_teams(&self, channel_id: &str) -> Result<Vec<Team>> {
        let members = self
            .store
            .list_channel_members(channel_id, None, 16)
            .await?;
        let mut common: Option<Vec<Team>> = None;
        for member in &members {
            let teams: Vec<Team> = self
                .store
                .list_user_teams(&member.user_id)
                .await?
                .into_iter()
                .filter(|t| t.delete_at == 0)
                .collect();
            common = Some(match common {
                None => teams,
                Some(so_far) => so_far
                    .into_iter()
                    .filter(|t| teams.iter().any(|u| u.id == t.id))
                    .collect(),
            });
        }
        Ok(common.unwrap_or_default())
    }
}
