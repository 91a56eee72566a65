//! Direct and group channels, found or created from their members'
//! usernames, and the posts made in them.

use super::{preference, store_failure, Applied, Failure, Importer};
use crate::bulk::format::{DirectChannelLine, DirectPostLine};
use crate::error::Error;
use crate::model::*;
use crate::services::channels::{group_channel_name, new_channel};
use crate::services::teams::new_channel_member;
use crate::time::now_ms;

impl Importer<'_> {
    async fn direct_channel_id(&mut self, usernames: &[String], field: &str) -> Applied<String> {
        let mut ids = Vec::with_capacity(usernames.len());
        for (i, name) in usernames.iter().enumerate() {
            let id = self.user_id(name, &format!("{field}[{i}]")).await?;
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
        let (channel_type, name) = match ids.as_slice() {
            [only] => (channel_types::DIRECT, direct_channel_name(only, only)),
            [a, b] => (channel_types::DIRECT, direct_channel_name(a, b)),
            _ => (channel_types::GROUP, group_channel_name(&ids)),
        };
        let key = (String::new(), name.clone());
        if let Some(id) = self.channels.get(&key) {
            return Ok(id.clone());
        }
        let store = &self.core.store;
        let channel = match store.get_channel_by_name("", &name).await {
            Ok(channel) => channel,
            Err(Error::NotFound { .. }) => {
                let now = now_ms();
                let display_name = if channel_type == channel_types::GROUP {
                    let mut names: Vec<String> =
                        usernames.iter().map(|u| u.to_lowercase()).collect();
                    names.sort();
                    names.dedup();
                    names.join(", ")
                } else {
                    String::new()
                };
                let channel = new_channel("", channel_type, name.clone(), display_name, "", now);
                let rows: Vec<ChannelMember> = ids
                    .iter()
                    .map(|u| new_channel_member(&channel.id, u, roles::CHANNEL_USER, now))
                    .collect();
                store
                    .create_channel(&channel, &rows)
                    .await
                    .map_err(store_failure(field))?;
                self.written.channels += 1;
                channel
            }
            Err(e) => return Err(Failure::Store(e)),
        };
        self.channels.insert(key, channel.id.clone());
        Ok(channel.id)
    }

    pub(super) async fn direct_channel(&mut self, d: &DirectChannelLine) -> Applied {
        let field = if d.participants.is_some() {
            "direct_channel.participants"
        } else {
            "direct_channel.members"
        };
        let channel_id = self.direct_channel_id(&d.usernames(), field).await?;
        let store = self.core.store.clone();
        if let Some(header) = &d.header {
            let mut channel = store
                .get_channel(&channel_id)
                .await
                .map_err(Failure::Store)?;
            if &channel.header != header {
                channel.header = header.clone();
                channel.update_at = now_ms();
                store
                    .update_channel(&channel)
                    .await
                    .map_err(store_failure("direct_channel.header"))?;
            }
        }
        let mut preferences = Vec::new();
        for (i, name) in d.favorited_by.iter().flatten().enumerate() {
            let user_id = self
                .user_id(name, &format!("direct_channel.favorited_by[{i}]"))
                .await?;
            preferences.push(preference(
                &user_id,
                "favorite_channel",
                &channel_id,
                "true",
            ));
        }
        if !preferences.is_empty() {
            store
                .save_preferences(&preferences)
                .await
                .map_err(store_failure("direct_channel.favorited_by"))?;
        }
        Ok(())
    }

    pub(super) async fn direct_post(&mut self, d: &DirectPostLine) -> Applied {
        let members = d.channel_members.clone().unwrap_or_default();
        let channel_id = self
            .direct_channel_id(&members, "direct_post.channel_members")
            .await?;
        self.thread(&channel_id, &d.post, "direct_post").await
    }
}
