//! The user lists behind the apps' "add members" screens and user search:
//! who is (or is not) in a team or channel, who has no team, active or
//! deactivated, with a role. A name that is already a member must never be
//! offered as addable.

use std::collections::HashSet;

use super::{validate, Actor, Core};
use crate::error::{Error, Result};
use crate::model::*;

/// Which users a list holds (Mattermost's `UserGetOptions`/`UserSearch`).
#[derive(Debug, Clone, Default)]
pub struct UserFilter {
    pub in_team: Option<String>,
    pub not_in_team: Option<String>,
    pub in_channel: Option<String>,
    pub not_in_channel: Option<String>,
    pub without_team: bool,
    /// `Some(true)` only active users, `Some(false)` only deactivated ones.
    pub active: Option<bool>,
    /// Only users holding this system role.
    pub role: Option<String>,
    /// Only users whose username, first, last or nickname starts with it.
    pub term: Option<String>,
}

/// Users read per store call while collecting a list.
const BATCH: i64 = 500;

impl Core {
    /// The users the filter selects, by username; every team and channel it
    /// names must be one the actor may see, and users without a team are for
    /// system admins.
    pub async fn filtered_users(&self, actor: &Actor, filter: &UserFilter) -> Result<Vec<User>> {
        for (field, id) in [
            ("in_team", &filter.in_team),
            ("not_in_team", &filter.not_in_team),
            ("in_channel", &filter.in_channel),
            ("not_in_channel", &filter.not_in_channel),
        ] {
            if let Some(id) = id {
                validate::id(field, id)?;
            }
        }
        if let Some(term) = &filter.term {
            validate::length("term", term, 0, 64)?;
        }
        if filter.without_team && !actor.is_admin() {
            return Err(Error::forbidden(
                "only system admins list users without a team",
            ));
        }
        for team in [&filter.in_team, &filter.not_in_team].into_iter().flatten() {
            self.team_for_member(actor, team).await?;
        }
        for channel in [&filter.in_channel, &filter.not_in_channel]
            .into_iter()
            .flatten()
        {
            self.channel_for_read(actor, channel).await?;
        }

        let mut users = if let Some(channel) = &filter.in_channel {
            self.all_channel_users(channel).await?
        } else if let Some(team) = &filter.in_team {
            self.all_team_users(team).await?
        } else {
            self.all_users().await?
        };
        if let Some(team) = &filter.in_team {
            if filter.in_channel.is_some() {
                let members: HashSet<String> = self
                    .all_team_users(team)
                    .await?
                    .into_iter()
                    .map(|u| u.id)
                    .collect();
                users.retain(|u| members.contains(&u.id));
            }
        }
        if let Some(channel) = &filter.not_in_channel {
            let members: HashSet<String> = self
                .all_channel_users(channel)
                .await?
                .into_iter()
                .map(|u| u.id)
                .collect();
            users.retain(|u| !members.contains(&u.id));
        }
        if let Some(team) = &filter.not_in_team {
            let members: HashSet<String> = self
                .all_team_users(team)
                .await?
                .into_iter()
                .map(|u| u.id)
                .collect();
            users.retain(|u| !members.contains(&u.id));
        }
        if filter.without_team {
            let mut lonely = Vec::new();
            for user in users {
                if self.store.list_user_teams(&user.id).await?.is_empty() {
                    lonely.push(user);
                }
            }
            users = lonely;
        }
        if let Some(active) = filter.active {
            users.retain(|u| u.is_deleted() != active);
        }
        if let Some(role) = &filter.role {
            users.retain(|u| u.roles.split_whitespace().any(|r| r == role));
        }
        if let Some(term) = &filter.term {
            let term = term.trim().trim_start_matches('@').to_lowercase();
            users.retain(|u| user_matches(u, &term));
        }
        users.sort_by(|a, b| a.username.cmp(&b.username));
        Ok(users.into_iter().map(|u| self.user_for(actor, u)).collect())
    }

    /// The ids of everyone who shares a channel with the actor (of any
    /// kind, archived ones too), the actor left out.
    pub async fn known_user_ids(&self, actor: &Actor) -> Result<Vec<String>> {
        self.store.known_user_ids(actor.id()).await
    }

    async fn all_users(&self) -> Result<Vec<User>> {
        let mut out = Vec::new();
        let mut after: Option<String> = None;
        loop {
            let rows = self.store.list_users(after.as_deref(), BATCH).await?;
            let done = (rows.len() as i64) < BATCH;
            after = rows.last().map(|u| u.id.clone());
            out.extend(rows);
            if done {
                return Ok(out);
            }
        }
    }

    async fn all_team_users(&self, team_id: &str) -> Result<Vec<User>> {
        read_all(|offset| self.store.list_team_users(team_id, offset, BATCH)).await
    }

    async fn all_channel_users(&self, channel_id: &str) -> Result<Vec<User>> {
        read_all(|offset| self.store.list_channel_users(channel_id, offset, BATCH)).await
    }
}

/// Every user of an offset-paged store list, `BATCH` at a time.
async fn read_all<F, Fut>(mut page: F) -> Result<Vec<User>>
where
    F: FnMut(i64) -> Fut,
    Fut: std::future::Future<Output = Result<Vec<User>>>,
{
    let mut out = Vec::new();
    loop {
        let rows = page(out.len() as i64).await?;
        let done = (rows.len() as i64) < BATCH;
        out.extend(rows);
        if done {
            return Ok(out);
        }
    }
}

/// Whether the username, a name or the nickname starts with `term`.
fn user_matches(user: &User, term: &str) -> bool {
    term.is_empty()
        || [
            &user.username,
            &user.first_name,
            &user.last_name,
            &user.nickname,
        ]
        .iter()
        .any(|s| s.to_lowercase().starts_with(term))
}
