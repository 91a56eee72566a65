//! Team and channel lines: created when new, updated when their fields
//! changed, and remembered by name for the lines that follow.

use super::{store_failure, Applied, Failure, Importer};
use crate::bulk::format::{ChannelLine, TeamLine};
use crate::error::Error;
use crate::id::new_id;
use crate::model::Team;
use crate::services::channels::new_channel;
use crate::services::teams::default_channels;
use crate::time::now_ms;

impl Importer<'_> {
    pub(super) async fn team(&mut self, t: &TeamLine) -> Applied {
        let name = t.name.as_deref().unwrap_or_default().to_lowercase();
        let team_type = t.team_type.clone().unwrap_or_else(|| "O".into());
        let display_name = t.display_name.clone().unwrap_or_default();
        let store = &self.core.store;
        match store.get_team_by_name(&name).await {
            Ok(mut team) => {
                let before = team.clone();
                team.display_name = display_name;
                team.team_type = team_type;
                if let Some(d) = &t.description {
                    team.description = d.clone();
                }
                team.allow_open_invite = t.allow_open_invite.unwrap_or(team.allow_open_invite);
                if team != before {
                    team.update_at = now_ms();
                    store
                        .update_team(&team)
                        .await
                        .map_err(store_failure("team"))?;
                }
                self.teams.insert(name, team.id);
                Ok(())
            }
            Err(Error::NotFound { .. }) => {
                let now = now_ms();
                let team = Team {
                    id: new_id(),
                    create_at: now,
                    update_at: now,
                    delete_at: 0,
                    display_name,
                    name: name.clone(),
                    description: t.description.clone().unwrap_or_default(),
                    email: String::new(),
                    allow_open_invite: t.allow_open_invite.unwrap_or(team_type == "O"),
                    team_type,
                    company_name: String::new(),
                    allowed_domains: String::new(),
                    invite_id: new_id(),
                    last_team_icon_update: 0,
                };
                let channels = default_channels(&team.id, now);
                store
                    .create_team(&team, &channels, None, &[])
                    .await
                    .map_err(store_failure("team.name"))?;
                self.written.teams += 1;
                self.teams.insert(name, team.id);
                Ok(())
            }
            Err(e) => Err(Failure::Store(e)),
        }
    }

    pub(super) async fn channel(&mut self, c: &ChannelLine) -> Applied {
        let team_id = self
            .team_id(c.team.as_deref().unwrap_or_default(), "channel.team")
            .await?;
        let name = c.name.as_deref().unwrap_or_default().to_lowercase();
        let channel_type = c.channel_type.clone().unwrap_or_else(|| "O".into());
        let store = &self.core.store;
        let existing = match store.get_channel_by_name(&team_id, &name).await {
            Ok(channel) => Some(channel),
            Err(Error::NotFound { .. }) => None,
            Err(e) => return Err(Failure::Store(e)),
        };
        let now = now_ms();
        let mut channel = existing.clone().unwrap_or_else(|| {
            new_channel(
                &team_id,
                &channel_type,
                name.clone(),
                String::new(),
                "",
                now,
            )
        });
        channel.channel_type = channel_type;
        channel.display_name = c.display_name.clone().unwrap_or_else(|| name.clone());
        if let Some(h) = &c.header {
            channel.header = h.clone();
        }
        if let Some(p) = &c.purpose {
            channel.purpose = p.clone();
        }
        channel.delete_at = c.deleted_at.unwrap_or(0);
        match existing {
            Some(before) if before == channel => {}
            Some(_) => {
                channel.update_at = now;
                store
                    .update_channel(&channel)
                    .await
                    .map_err(store_failure("channel"))?;
            }
            None => {
                store
                    .create_channel(&channel, &[])
                    .await
                    .map_err(store_failure("channel.name"))?;
                self.written.channels += 1;
            }
        }
        self.channels.insert((team_id, name), channel.id);
        Ok(())
    }
}
