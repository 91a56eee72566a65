//! Teams and team membership.

use serde::Deserialize;
use utoipa::ToSchema;

use super::channels::new_channel;
use super::{into_page, page_cursor, page_limit, validate, Actor, Core};
use crate::error::{Error, Result};
use crate::events::{Audience, EventKind};
use crate::id::new_id;
use crate::model::*;
use crate::time::now_ms;

/// Channels every team starts with and every new member joins.
pub const DEFAULT_CHANNELS: &[(&str, &str)] =
    &[("town-square", "Town Square"), ("off-topic", "Off-Topic")];

/// Team names that would clash with the web app's routes.
pub(crate) const RESERVED_TEAM_NAMES: &[&str] = &[
    "admin", "api", "channel", "login", "logout", "oauth", "plugins", "signup", "static",
];

/// A new team.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTeam {
    /// URL slug: 2–64 lower-case letters, digits, `-`, `_`.
    pub name: String,
    pub display_name: String,
    #[serde(default)]
    pub description: String,
    /// `O` (open, the default) or `I` (invite only).
    #[serde(default, rename = "type")]
    pub team_type: Option<String>,
}

/// Changes to a team; absent fields stay as they are.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TeamPatch {
    pub display_name: Option<String>,
    pub description: Option<String>,
    pub allow_open_invite: Option<bool>,
    pub company_name: Option<String>,
    pub allowed_domains: Option<String>,
}

fn check_team_type(t: &str) -> Result<()> {
    if t == "O" || t == "I" {
        Ok(())
    } else {
        Err(Error::invalid("type", "must be O or I"))
    }
}

impl Core {
    /// What the actor may see of teams, as Mattermost's `SanitizeTeam`:
    /// everything with `manage_team`; the invite id but not the e-mail with
    /// `invite_user` (every member, by default); neither otherwise.
    pub(crate) async fn teams_view(&self, actor: &Actor, teams: Vec<Team>) -> Result<Vec<Team>> {
        if teams.is_empty() {
            return Ok(teams);
        }
        let memberships = self.store.list_user_team_members(actor.id()).await?;
        Ok(teams
            .into_iter()
            .map(|team| {
                let held = HeldRoles {
                    system: &actor.user.roles,
                    team: memberships
                        .iter()
                        .find(|m| m.team_id == team.id)
                        .map(|m| m.roles.as_str()),
                    channel: None,
                };
                if held.grant(Permission::ManageTeam) {
                    team
                } else if held.grant(Permission::InviteUser) {
                    Team {
                        email: String::new(),
                        ..team
                    }
                } else {
                    team.sanitized()
                }
            })
            .collect())
    }

    /// [`Core::teams_view`] of one team.
    pub(crate) async fn team_view(&self, actor: &Actor, team: Team) -> Result<Team> {
        let mut seen = self.teams_view(actor, vec![team]).await?;
        seen.pop().ok_or_else(|| Error::not_found("team"))
    }

    /// Saves a changed team and tells its members, with the team as anyone may see it.
    pub(super) async fn save_team_and_tell(
        &self,
        team: &Team,
        event: fn(Team) -> EventKind,
    ) -> Result<()> {
        self.store.update_team(team).await?;
        self.events.publish(
            event(team.clone().sanitized()),
            Audience::Team(team.id.clone()),
        );
        Ok(())
    }

    /// Whether `user_id` is a current member of the team.
    pub(crate) async fn is_team_member(&self, team_id: &str, user_id: &str) -> Result<bool> {
        match self.store.get_team_member(team_id, user_id).await {
            Ok(m) => Ok(m.is_active()),
            Err(Error::NotFound { .. }) => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// The team, if the actor may act in it (a member or a system admin).
    pub(crate) async fn team_for_member(&self, actor: &Actor, team_id: &str) -> Result<Team> {
        validate::id("team_id", team_id)?;
        let team = self.store.get_team(team_id).await?;
        if team.delete_at != 0 && !actor.is_admin() {
            return Err(Error::not_found("team"));
        }
        if !actor.is_admin() && !self.is_team_member(team_id, actor.id()).await? {
            return Err(Error::forbidden("you are not a member of this team"));
        }
        Ok(team)
    }

    /// Creates a team with its default channels; the creator becomes its admin.
    pub async fn create_team(&self, actor: &Actor, input: NewTeam) -> Result<Team> {
        let name = input.name.trim().to_lowercase();
        validate::slug("name", &name, 2, 64)?;
        if RESERVED_TEAM_NAMES.contains(&name.as_str()) {
            return Err(Error::invalid("name", "is reserved"));
        }
        validate::length("display_name", input.display_name.trim(), 1, 64)?;
        validate::length("description", &input.description, 0, 255)?;
        let team_type = input.team_type.unwrap_or_else(|| "O".into());
        check_team_type(&team_type)?;
        let now = now_ms();
        let team = Team {
            id: new_id(),
            create_at: now,
            update_at: now,
            delete_at: 0,
            display_name: input.display_name.trim().to_string(),
            name,
            description: input.description,
            email: actor.user.email.clone(),
            allow_open_invite: team_type == "O",
            team_type,
            company_name: String::new(),
            allowed_domains: String::new(),
            invite_id: new_id(),
            last_team_icon_update: 0,
        };
        let channels = default_channels(&team.id, now);
        let member = TeamMember {
            team_id: team.id.clone(),
            user_id: actor.id().to_string(),
            roles: format!("{} {}", roles::TEAM_USER, roles::TEAM_ADMIN),
            delete_at: 0,
            create_at: now,
            update_at: now,
        };
        let channel_members: Vec<ChannelMember> = channels
            .iter()
            .map(|c| new_channel_member(&c.id, actor.id(), roles::CHANNEL_USER, now))
            .collect();
        self.store
            .create_team(&team, &channels, Some(&member), &channel_members)
            .await?;
        // The creator's clients learn of their new team as of any other they join.
        self.events.publish(
            EventKind::TeamMemberAdded {
                team_id: team.id.clone(),
                user_id: actor.id().to_string(),
                channel_ids: channels.iter().map(|c| c.id.clone()).collect(),
            },
            Audience::User(actor.id().to_string()),
        );
        Ok(team)
    }

    /// A team the actor belongs to, or an open team anyone may see.
    pub async fn get_team(&self, actor: &Actor, team_id: &str) -> Result<Team> {
        validate::id("team_id", team_id)?;
        let team = self.store.get_team(team_id).await?;
        let visible = actor.is_admin()
            || (team.delete_at == 0 && team.allow_open_invite)
            || (team.delete_at == 0 && self.is_team_member(team_id, actor.id()).await?);
        if !visible {
            return Err(Error::forbidden("you are not a member of this team"));
        }
        self.team_view(actor, team).await
    }

    /// A team by name, with the same visibility as [`Core::get_team`].
    pub async fn get_team_by_name(&self, actor: &Actor, name: &str) -> Result<Team> {
        let team = self.store.get_team_by_name(&name.to_lowercase()).await?;
        self.get_team(actor, &team.id).await
    }

    /// The teams the actor belongs to.
    pub async fn list_my_teams(&self, actor: &Actor) -> Result<Vec<Team>> {
        let teams = self.store.list_user_teams(actor.id()).await?;
        self.teams_view(actor, teams).await
    }

    /// Teams the actor can see: all for admins, else open ones and their own.
    pub async fn list_teams(
        &self,
        actor: &Actor,
        cursor: Option<&str>,
        limit: Option<i64>,
    ) -> Result<Page<Team>> {
        let limit = page_limit(limit)?;
        let mut after = page_cursor(cursor)?.map(str::to_string);
        let mine: Vec<String> = self
            .store
            .list_user_teams(actor.id())
            .await?
            .into_iter()
            .map(|t| t.id)
            .collect();
        let mut items = Vec::new();
        // Filtering happens after the read, so keep reading until the page is full.
        loop {
            let rows = self.store.list_teams(after.as_deref(), limit + 1).await?;
            let exhausted = rows.len() as i64 <= limit;
            for team in rows {
                after = Some(team.id.clone());
                if actor.is_admin() || team.allow_open_invite || mine.contains(&team.id) {
                    items.push(team);
                }
            }
            if exhausted || items.len() as i64 > limit {
                break;
            }
        }
        let mut page = into_page(items, limit, |t| t.id.clone());
        page.items = self.teams_view(actor, page.items).await?;
        Ok(page)
    }

    /// Changes a team: with `manage_team` (team and system admins).
    pub async fn patch_team(&self, actor: &Actor, team_id: &str, patch: TeamPatch) -> Result<Team> {
        let mut team = self.team_for_member(actor, team_id).await?;
        self.require_team_permission(actor, team_id, Permission::ManageTeam)
            .await?;
        if let Some(v) = patch.display_name {
            validate::length("display_name", v.trim(), 1, 64)?;
            team.display_name = v.trim().to_string();
        }
        if let Some(v) = patch.description {
            validate::length("description", &v, 0, 255)?;
            team.description = v;
        }
        if let Some(v) = patch.company_name {
            validate::length("company_name", &v, 0, 64)?;
            team.company_name = v;
        }
        if let Some(v) = patch.allowed_domains {
            validate::length("allowed_domains", &v, 0, 1000)?;
            team.allowed_domains = v;
        }
        if let Some(v) = patch.allow_open_invite {
            team.allow_open_invite = v;
            team.team_type = if v { "O".into() } else { "I".into() };
        }
        team.update_at = now_ms();
        self.save_team_and_tell(&team, |team| EventKind::TeamUpdated { team })
            .await?;
        Ok(team)
    }

    /// Archives a team: with `manage_team` (team and system admins).
    pub async fn delete_team(&self, actor: &Actor, team_id: &str) -> Result<Team> {
        let mut team = self.team_for_member(actor, team_id).await?;
        self.require_team_permission(actor, team_id, Permission::ManageTeam)
            .await?;
        let now = now_ms();
        team.delete_at = now;
        team.update_at = now;
        self.save_team_and_tell(&team, |team| EventKind::TeamDeleted { team })
            .await?;
        Ok(team)
    }

    /// Adds a user to a team and to its default channels. Users may join open
    /// teams themselves; team admins may add anyone.
    pub async fn add_team_member(
        &self,
        actor: &Actor,
        team_id: &str,
        user_id: &str,
    ) -> Result<TeamMember> {
        validate::id("team_id", team_id)?;
        validate::id("user_id", user_id)?;
        let team = self.store.get_team(team_id).await?;
        if team.delete_at != 0 {
            return Err(Error::not_found("team"));
        }
        // Joining an open team takes `join_public_teams` (everyone) and a
        // private one `join_private_teams` (system admins); adding someone
        // else, `add_user_to_team` (every member, by default).
        let needed = match (actor.id() == user_id, team.allow_open_invite) {
            (true, true) => Permission::JoinPublicTeams,
            (true, false) => Permission::JoinPrivateTeams,
            (false, _) => Permission::AddUserToTeam,
        };
        self.require_team_permission(actor, team_id, needed).await?;
        let user = self.store.get_user(user_id).await?;
        if user.is_deleted() {
            return Err(Error::invalid("user_id", "the user is deactivated"));
        }
        self.join_team(team_id, user_id, roles::TEAM_USER).await
    }

    /// Makes `user_id` a member with `roles` and joins the default channels.
    pub(crate) async fn join_team(
        &self,
        team_id: &str,
        user_id: &str,
        role_list: &str,
    ) -> Result<TeamMember> {
        if let Ok(existing) = self.store.get_team_member(team_id, user_id).await {
            if existing.is_active() {
                return Ok(existing);
            }
        }
        let now = now_ms();
        let member = TeamMember {
            team_id: team_id.to_string(),
            user_id: user_id.to_string(),
            roles: role_list.to_string(),
            delete_at: 0,
            create_at: now,
            update_at: now,
        };
        let mut channel_members = Vec::new();
        let mut joined = Vec::new();
        for (name, _) in DEFAULT_CHANNELS {
            match self.store.get_channel_by_name(team_id, name).await {
                Ok(c) if c.delete_at == 0 => {
                    channel_members.push(new_channel_member(
                        &c.id,
                        user_id,
                        roles::CHANNEL_USER,
                        now,
                    ));
                    joined.push(c);
                }
                Ok(_) | Err(Error::NotFound { .. }) => {}
                Err(e) => return Err(e),
            }
        }
        self.store
            .save_team_member(&member, &channel_members)
            .await?;
        self.events.publish(
            EventKind::TeamMemberAdded {
                team_id: team_id.to_string(),
                user_id: user_id.to_string(),
                channel_ids: joined.iter().map(|c| c.id.clone()).collect(),
            },
            Audience::User(user_id.to_string()),
        );
        for channel in joined {
            let channel_id = channel.id.clone();
            self.events.publish(
                EventKind::ChannelMemberAdded {
                    channel,
                    user_id: user_id.to_string(),
                },
                Audience::Channel(channel_id),
            );
        }
        Ok(member)
    }

    /// Removes a member (or leaves): oneself, or anyone for a team admin.
    pub async fn remove_team_member(
        &self,
        actor: &Actor,
        team_id: &str,
        user_id: &str,
    ) -> Result<()> {
        validate::id("team_id", team_id)?;
        validate::id("user_id", user_id)?;
        self.store.get_team(team_id).await?;
        if actor.id() != user_id {
            self.require_team_permission(actor, team_id, Permission::RemoveUserFromTeam)
                .await?;
        }
        self.store
            .remove_team_member(team_id, user_id, now_ms())
            .await?;
        self.events.publish(
            EventKind::TeamMemberRemoved {
                team_id: team_id.to_string(),
                user_id: user_id.to_string(),
            },
            Audience::Team(team_id.to_string()),
        );
        Ok(())
    }

    /// A team's members, for its members.
    pub async fn list_team_members(
        &self,
        actor: &Actor,
        team_id: &str,
        cursor: Option<&str>,
        limit: Option<i64>,
    ) -> Result<Page<TeamMember>> {
        self.team_for_member(actor, team_id).await?;
        let limit = page_limit(limit)?;
        let rows = self
            .store
            .list_team_members(team_id, page_cursor(cursor)?, limit + 1)
            .await?;
        Ok(into_page(rows, limit, |m| m.user_id.clone()))
    }

    /// One membership, for the team's members.
    pub async fn get_team_member(
        &self,
        actor: &Actor,
        team_id: &str,
        user_id: &str,
    ) -> Result<TeamMember> {
        self.team_for_member(actor, team_id).await?;
        validate::id("user_id", user_id)?;
        let m = self.store.get_team_member(team_id, user_id).await?;
        if !m.is_active() {
            return Err(Error::not_found("team member"));
        }
        Ok(m)
    }

    /// The actor's memberships in every team.
    pub async fn list_my_team_members(&self, actor: &Actor) -> Result<Vec<TeamMember>> {
        self.store.list_user_team_members(actor.id()).await
    }

    /// Number of members of a team, for its members.
    pub async fn team_member_count(&self, actor: &Actor, team_id: &str) -> Result<i64> {
        self.team_for_member(actor, team_id).await?;
        self.store.count_team_members(team_id).await
    }

    /// Joins the team an invite id belongs to (invite-only teams included:
    /// the id is the invitation).
    pub async fn join_by_invite(&self, actor: &Actor, invite_id: &str) -> Result<TeamMember> {
        validate::id("invite_id", invite_id)?;
        let team = self.store.get_team_by_invite(invite_id).await?;
        self.join_team(&team.id, actor.id(), roles::TEAM_USER).await
    }

    /// The public face of an invitation: which team it is for.
    pub async fn team_for_invite(&self, invite_id: &str) -> Result<Team> {
        validate::id("invite_id", invite_id)?;
        Ok(self.store.get_team_by_invite(invite_id).await?.sanitized())
    }

    /// Restores an archived team (`manage_team`, which a team admin keeps
    /// while the team is archived).
    pub async fn restore_team(&self, actor: &Actor, team_id: &str) -> Result<Team> {
        validate::id("team_id", team_id)?;
        let mut team = self.store.get_team(team_id).await?;
        self.require_team_permission(actor, team_id, Permission::ManageTeam)
            .await?;
        team.delete_at = 0;
        team.update_at = now_ms();
        self.save_team_and_tell(&team, |team| EventKind::TeamRestored { team })
            .await?;
        Ok(team)
    }

    /// Makes a team open (`O`, anyone may join) or invite only (`I`).
    pub async fn set_team_privacy(
        &self,
        actor: &Actor,
        team_id: &str,
        privacy: &str,
    ) -> Result<Team> {
        check_team_type(privacy).map_err(|_| Error::invalid("privacy", "must be O or I"))?;
        self.patch_team(
            actor,
            team_id,
            TeamPatch {
                allow_open_invite: Some(privacy == "O"),
                ..TeamPatch::default()
            },
        )
        .await
    }

    /// Whether a team of that name exists that the actor may know of: one
    /// they are in, or one they could list (open teams for everyone, invite
    /// only ones with `list_private_teams`).
    pub async fn team_name_exists(&self, actor: &Actor, name: &str) -> Result<bool> {
        let team = match self.store.get_team_by_name(&name.to_lowercase()).await {
            Ok(team) if team.delete_at == 0 => team,
            Ok(_) | Err(Error::NotFound { .. }) => return Ok(false),
            Err(e) => return Err(e),
        };
        if self.is_team_member(&team.id, actor.id()).await? {
            return Ok(true);
        }
        let needed = if team.allow_open_invite {
            Permission::ListPublicTeams
        } else {
            Permission::ListPrivateTeams
        };
        self.has_team_permission(actor, "", needed).await
    }

    /// Teams whose name or display name starts with the term (or has a word
    /// that does), among those the actor may list: open ones and their own,
    /// every team with `list_private_teams`.
    pub async fn search_teams(&self, actor: &Actor, term: &str) -> Result<Vec<Team>> {
        let term = term.trim().to_lowercase();
        let private = self
            .has_team_permission(actor, "", Permission::ListPrivateTeams)
            .await?;
        let mine: Vec<String> = self
            .store
            .list_user_teams(actor.id())
            .await?
            .into_iter()
            .map(|t| t.id)
            .collect();
        let mut found = Vec::new();
        let mut after: Option<String> = None;
        loop {
            let rows = self.store.list_teams(after.as_deref(), 500).await?;
            let done = rows.len() < 500;
            for team in rows {
                after = Some(team.id.clone());
                let visible = team.allow_open_invite || private || mine.contains(&team.id);
                if visible && team.delete_at == 0 && team_matches(&team, &term) {
                    found.push(team);
                }
            }
            if done {
                break;
            }
        }
        found.sort_by(|a, b| {
            a.display_name
                .to_lowercase()
                .cmp(&b.display_name.to_lowercase())
        });
        self.teams_view(actor, found).await
    }

    /// Replaces a team's invite id, voiding old invitations (`manage_team`).
    pub async fn regenerate_invite_id(&self, actor: &Actor, team_id: &str) -> Result<Team> {
        let mut team = self.team_for_member(actor, team_id).await?;
        self.require_team_permission(actor, team_id, Permission::ManageTeam)
            .await?;
        team.invite_id = new_id();
        team.update_at = now_ms();
        self.store.update_team(&team).await?;
        Ok(team)
    }
}

/// Whether the team's name, display name or a word of it starts with `term`
/// (already lower case); an empty term matches every team.
fn team_matches(team: &Team, term: &str) -> bool {
    if term.is_empty() {
        return true;
    }
    let display = team.display_name.to_lowercase();
    team.name.starts_with(term)
        || display.starts_with(term)
        || display
            .split(|c: char| !c.is_alphanumeric())
            .any(|w| w.starts_with(term))
}

/// The channels a new team starts with.
pub(crate) fn default_channels(team_id: &str, now: i64) -> Vec<Channel> {
    DEFAULT_CHANNELS
        .iter()
        .map(|(name, display)| {
            new_channel(
                team_id,
                channel_types::OPEN,
                (*name).into(),
                (*display).into(),
                "",
                now,
            )
        })
        .collect()
}

/// A fresh channel membership with default read state and notify props.
pub(crate) fn new_channel_member(
    channel_id: &str,
    user_id: &str,
    role_list: &str,
    now: i64,
) -> ChannelMember {
    ChannelMember {
        channel_id: channel_id.to_string(),
        user_id: user_id.to_string(),
        roles: role_list.to_string(),
        last_viewed_at: 0,
        msg_count: 0,
        mention_count: 0,
        mention_count_root: 0,
        urgent_mention_count: 0,
        msg_count_root: 0,
        notify_props: default_channel_notify_props(),
        last_update_at: now,
    }
}
