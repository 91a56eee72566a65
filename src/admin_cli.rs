//! The admin commands of the command line: list, deactivate, promote and sign
//! out users, manage team members, archive channels and delete posts. They
//! act as the server's first system admin, through the same services (and
//! checks) as the API, on the data of a running server or a stopped one.

use std::io::BufRead;

use anyhow::{bail, Context};
use clap::Subcommand;
use core_server::model::{Channel, Team, User};
use core_server::services::{Actor, AllChannelsFilter, Core};
use serde_json::json;

#[derive(Subcommand)]
pub enum UserAdmin {
    /// List every account, deactivated ones too.
    List {
        /// As JSON (one array).
        #[arg(long)]
        json: bool,
    },
    /// Deactivate an account: it can no longer sign in and its sessions end.
    Deactivate { username: String },
    /// Reactivate a deactivated account.
    Activate { username: String },
    /// Set a new password, read from standard input (one line), and end the account's sessions.
    Password { username: String },
    /// Make the user a system admin.
    Promote { username: String },
    /// Make the user a plain member again.
    Demote { username: String },
    /// The user's sessions.
    Sessions {
        #[command(subcommand)]
        command: SessionsAdmin,
    },
}

#[derive(Subcommand)]
pub enum SessionsAdmin {
    /// Sign the user out everywhere (web, apps, desktop).
    Revoke { username: String },
}

#[derive(Subcommand)]
pub enum TeamAdmin {
    /// List the teams.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Add a user to a team (and its default channels).
    Add { team: String, username: String },
    /// Remove a user from a team and its channels.
    Remove { team: String, username: String },
}

#[derive(Subcommand)]
pub enum ChannelAdmin {
    /// List a team's channels, private and archived ones too.
    List {
        /// The team's name.
        team: String,
        #[arg(long)]
        json: bool,
    },
    /// Archive a channel: it stays readable, nobody can post.
    Archive { team: String, channel: String },
    /// Bring an archived channel back.
    Restore { team: String, channel: String },
}

#[derive(Subcommand)]
pub enum PostAdmin {
    /// Delete a post (with its replies, reactions and files, when it is a thread's root).
    Delete { id: String },
}

/// The first active system admin, if there is one.
pub async fn first_admin(core: &Core) -> anyhow::Result<Option<User>> {
    let mut after: Option<String> = None;
    loop {
        let users = core.store.list_users(after.as_deref(), 200).await?;
        if let Some(found) = users
            .iter()
            .find(|u| u.is_system_admin() && !u.is_deleted())
        {
            return Ok(Some(found.clone()));
        }
        match users.last() {
            Some(last) => after = Some(last.id.clone()),
            None => return Ok(None),
        }
    }
}

/// The first active system admin, acting without a session.
async fn admin(core: &Core) -> anyhow::Result<Actor> {
    match first_admin(core).await? {
        Some(user) => Ok(Actor::on_behalf_of(user)),
        None => bail!(
            "no active system admin exists: create one with `rustchat user create --system-admin`"
        ),
    }
}

async fn user_named(core: &Core, username: &str) -> anyhow::Result<User> {
    core.store
        .get_user_by_username(&username.trim_start_matches('@').to_lowercase())
        .await
        .with_context(|| format!("no user named {username}"))
}

async fn team_named(core: &Core, name: &str) -> anyhow::Result<Team> {
    core.store
        .get_team_by_name(&name.to_lowercase())
        .await
        .with_context(|| format!("no team named {name}"))
}

async fn channel_named(core: &Core, team: &str, name: &str) -> anyhow::Result<Channel> {
    let team = team_named(core, team).await?;
    core.store
        .get_channel_by_name(&team.id, &name.to_lowercase())
        .await
        .with_context(|| format!("no channel named {name} in {}", team.name))
}

async fn all_users(core: &Core) -> anyhow::Result<Vec<User>> {
    let mut users = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let page = core.store.list_users(after.as_deref(), 500).await?;
        let Some(last) = page.last() else { break };
        after = Some(last.id.clone());
        users.extend(page);
    }
    users.sort_by(|a, b| a.username.cmp(&b.username));
    Ok(users)
}

fn print_json(value: &serde_json::Value) -> anyhow::Result<()> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}

pub async fn user(core: &Core, command: UserAdmin) -> anyhow::Result<()> {
    let actor = admin(core).await?;
    match command {
        UserAdmin::List { json } => {
            let users = all_users(core).await?;
            if json {
                let rows: Vec<_> = users
                    .iter()
                    .map(|u| {
                        json!({"id": u.id, "username": u.username, "email": u.email,
                            "roles": u.roles, "active": !u.is_deleted(),
                            "auth_service": u.auth_service, "is_bot": u.is_bot})
                    })
                    .collect();
                return print_json(&json!(rows));
            }
            println!("{:<24} {:<32} {:<28} state", "username", "email", "roles");
            for u in &users {
                let state = if u.is_deleted() {
                    "deactivated"
                } else {
                    "active"
                };
                println!("{:<24} {:<32} {:<28} {state}", u.username, u.email, u.roles);
            }
            println!("{} accounts", users.len());
        }
        UserAdmin::Deactivate { username } => {
            let user = user_named(core, &username).await?;
            core.set_user_active(&actor, &user.id, false).await?;
            println!("{} is deactivated and signed out", user.username);
        }
        UserAdmin::Activate { username } => {
            let user = user_named(core, &username).await?;
            core.set_user_active(&actor, &user.id, true).await?;
            println!("{} is active again", user.username);
        }
        UserAdmin::Password { username } => {
            let user = user_named(core, &username).await?;
            let mut line = String::new();
            std::io::stdin()
                .lock()
                .read_line(&mut line)
                .context("cannot read the new password from standard input")?;
            let password = line.trim_end_matches(['\r', '\n']);
            if password.is_empty() {
                bail!("no password on standard input (echo 'new password' | rustchat user password {username})");
            }
            core.update_password(&actor, &user.id, None, password)
                .await?;
            println!(
                "{}'s password is changed; their sessions ended",
                user.username
            );
        }
        UserAdmin::Promote { username } => {
            let user = user_named(core, &username).await?;
            let user = core
                .set_user_roles(&actor, &user.id, "system_user system_admin")
                .await?;
            println!("{} is now a system admin ({})", user.username, user.roles);
        }
        UserAdmin::Demote { username } => {
            let user = user_named(core, &username).await?;
            if user.id == actor.id() && only_admin(core, &user).await? {
                bail!(
                    "{} is the only system admin; promote someone else first",
                    user.username
                );
            }
            let user = core.set_user_roles(&actor, &user.id, "system_user").await?;
            println!(
                "{} is no longer a system admin ({})",
                user.username, user.roles
            );
        }
        UserAdmin::Sessions {
            command: SessionsAdmin::Revoke { username },
        } => {
            let user = user_named(core, &username).await?;
            core.revoke_user_sessions(&actor, &user.id).await?;
            println!("{} is signed out everywhere", user.username);
        }
    }
    Ok(())
}

/// Whether `user` is the one active system admin left.
async fn only_admin(core: &Core, user: &User) -> anyhow::Result<bool> {
    let others = all_users(core)
        .await?
        .into_iter()
        .filter(|u| u.id != user.id && u.is_system_admin() && !u.is_deleted())
        .count();
    Ok(others == 0)
}

pub async fn team(core: &Core, command: TeamAdmin) -> anyhow::Result<()> {
    let actor = admin(core).await?;
    match command {
        TeamAdmin::List { json } => {
            let mut teams = Vec::new();
            let mut cursor: Option<String> = None;
            loop {
                let page = core
                    .list_teams(&actor, cursor.as_deref(), Some(200))
                    .await?;
                teams.extend(page.items);
                match page.next_cursor {
                    Some(next) => cursor = Some(next),
                    None => break,
                }
            }
            teams.sort_by(|a, b| a.name.cmp(&b.name));
            if json {
                let rows: Vec<_> = teams
                    .iter()
                    .map(|t| {
                        json!({"id": t.id, "name": t.name, "display_name": t.display_name,
                        "type": t.team_type, "allow_open_invite": t.allow_open_invite})
                    })
                    .collect();
                return print_json(&json!(rows));
            }
            println!("{:<24} {:<32} type", "name", "display name");
            for t in &teams {
                println!("{:<24} {:<32} {}", t.name, t.display_name, t.team_type);
            }
            println!("{} teams", teams.len());
        }
        TeamAdmin::Add { team, username } => {
            let (team, user) = (
                team_named(core, &team).await?,
                user_named(core, &username).await?,
            );
            core.add_team_member(&actor, &team.id, &user.id).await?;
            println!("{} is a member of {}", user.username, team.name);
        }
        TeamAdmin::Remove { team, username } => {
            let (team, user) = (
                team_named(core, &team).await?,
                user_named(core, &username).await?,
            );
            core.remove_team_member(&actor, &team.id, &user.id).await?;
            println!("{} is no longer a member of {}", user.username, team.name);
        }
    }
    Ok(())
}

pub async fn channel(core: &Core, command: ChannelAdmin) -> anyhow::Result<()> {
    let actor = admin(core).await?;
    match command {
        ChannelAdmin::List { team, json } => {
            let team = team_named(core, &team).await?;
            let filter = AllChannelsFilter {
                team_ids: vec![team.id.clone()],
                include_deleted: true,
                ..AllChannelsFilter::default()
            };
            let mut channels: Vec<Channel> = core
                .search_all_channels(&actor, &filter)
                .await?
                .into_iter()
                .map(|(c, _)| c)
                .collect();
            channels.sort_by(|a, b| a.name.cmp(&b.name));
            if json {
                let rows: Vec<_> = channels
                    .iter()
                    .map(|c| {
                        json!({"id": c.id, "name": c.name, "display_name": c.display_name,
                        "type": c.channel_type, "archived": c.delete_at != 0})
                    })
                    .collect();
                return print_json(&json!(rows));
            }
            println!("{:<28} {:<32} {:<8} state", "name", "display name", "type");
            for c in &channels {
                let kind = if c.channel_type == "P" {
                    "private"
                } else {
                    "public"
                };
                let state = if c.delete_at == 0 {
                    "active"
                } else {
                    "archived"
                };
                println!("{:<28} {:<32} {kind:<8} {state}", c.name, c.display_name);
            }
            println!("{} channels in {}", channels.len(), team.name);
        }
        ChannelAdmin::Archive { team, channel } => {
            let found = channel_named(core, &team, &channel).await?;
            core.delete_channel(&actor, &found.id).await?;
            println!("{} is archived", found.name);
        }
        ChannelAdmin::Restore { team, channel } => {
            let found = channel_named(core, &team, &channel).await?;
            core.restore_channel(&actor, &found.id).await?;
            println!("{} is restored", found.name);
        }
    }
    Ok(())
}

pub async fn post(core: &Core, command: PostAdmin) -> anyhow::Result<()> {
    let actor = admin(core).await?;
    match command {
        PostAdmin::Delete { id } => {
            let post = core.delete_post(&actor, &id).await?;
            println!("post {} is deleted", post.id);
        }
    }
    Ok(())
}
