//! User and bot lines: accounts created or updated, with their team and
//! channel memberships, notify props and preferences.

use super::{bad, preference, store_failure, Applied, Failure, Importer};
use crate::bulk::format::{BotLine, UserLine, UserTeam};
use crate::error::Error;
use crate::id::new_id;
use crate::model::*;
use crate::services::teams::{new_channel_member, DEFAULT_CHANNELS};
use crate::time::now_ms;

impl Importer<'_> {
    pub(super) async fn user(&mut self, u: &UserLine) -> Applied {
        let username = u.username.as_deref().unwrap_or_default().to_lowercase();
        let store = self.core.store.clone();
        let existing = match store.get_user_by_username(&username).await {
            Ok(user) => Some(user),
            Err(Error::NotFound { .. }) => None,
            Err(e) => return Err(Failure::Store(e)),
        };
        let now = now_ms();
        let mut user = existing.clone().unwrap_or_else(|| User {
            // The export's addresses were verified where they came from.
            email_verified: true,
            ..User::new_account(new_id(), username.clone(), String::new(), now)
        });
        apply_user_fields(&mut user, u);
        match existing {
            Some(before) if before == user => {}
            Some(_) => {
                user.update_at = now;
                store
                    .update_user(&user)
                    .await
                    .map_err(store_failure("user"))?;
            }
            None => {
                // Without a password in the file the account has none: its
                // owner sets one through a reset (or an admin does).
                let hash = match u.password.as_deref().filter(|p| !p.is_empty()) {
                    Some(p) => Some(
                        crate::services::auth::hash_password(p)
                            .await
                            .map_err(Failure::Store)?,
                    ),
                    None => None,
                };
                store
                    .create_user(&user, hash.as_deref())
                    .await
                    .map_err(|e| match e {
                        Error::Conflict { .. } => bad(
                            "user.email",
                            format!("{} belongs to another account", user.email),
                        ),
                        other => store_failure("user")(other),
                    })?;
                self.written.users += 1;
            }
        }
        self.users.insert(username, user.id.clone());
        let mut preferences = Vec::new();
        if let Some(theme) = u.theme.as_deref().filter(|t| !t.is_empty()) {
            preferences.push(preference(&user.id, "theme", "", theme));
        }
        if let Some(seconds) = u.email_interval.as_deref().and_then(email_interval_seconds) {
            preferences.push(preference(
                &user.id,
                "notifications",
                "email_interval",
                seconds,
            ));
        }
        for (i, team) in u.teams.iter().flatten().enumerate() {
            self.user_team(&user.id, team, i, &mut preferences).await?;
        }
        if !preferences.is_empty() {
            store
                .save_preferences(&preferences)
                .await
                .map_err(store_failure("user"))?;
        }
        Ok(())
    }

    async fn user_team(
        &mut self,
        user_id: &str,
        t: &UserTeam,
        index: usize,
        preferences: &mut Vec<Preference>,
    ) -> Applied {
        let field = format!("user.teams[{index}]");
        let team_id = self
            .team_id(
                t.name.as_deref().unwrap_or_default(),
                &format!("{field}.name"),
            )
            .await?;
        let now = now_ms();
        let member = TeamMember {
            team_id: team_id.clone(),
            user_id: user_id.to_string(),
            roles: team_roles(t.roles.as_deref().unwrap_or_default()),
            delete_at: 0,
            create_at: now,
            update_at: now,
        };
        if let Some(theme) = t.theme.as_deref().filter(|t| !t.is_empty()) {
            preferences.push(preference(user_id, "theme", &team_id, theme));
        }
        let mut rows = Vec::new();
        for (i, c) in t.channels.iter().flatten().enumerate() {
            let channel_field = format!("{field}.channels[{i}]");
            let channel_id = self
                .channel_id(
                    &team_id,
                    c.name.as_deref().unwrap_or_default(),
                    &format!("{channel_field}.name"),
                )
                .await?;
            let mut row = new_channel_member(
                &channel_id,
                user_id,
                &channel_roles(c.roles.as_deref()),
                now,
            );
            if let Some(props) = &c.notify_props {
                for (key, value) in [
                    ("desktop", &props.desktop),
                    ("push", &props.mobile),
                    ("mark_unread", &props.mark_unread),
                ] {
                    if let Some(v) = value {
                        row.notify_props.insert(key.to_string(), v.clone());
                    }
                }
            }
            row.last_viewed_at = c.last_viewed_at.unwrap_or(0);
            row.msg_count = c.msg_count.unwrap_or(0);
            row.mention_count = c.mention_count.unwrap_or(0);
            if c.favorite == Some(true) {
                preferences.push(preference(user_id, "favorite_channel", &channel_id, "true"));
            }
            rows.push(row);
        }
        // Every member is in the team's default channels, as when they join here.
        for (name, _) in DEFAULT_CHANNELS {
            if let Ok(id) = self.channel_id(&team_id, name, &field).await {
                if !rows.iter().any(|r| r.channel_id == id) {
                    rows.push(new_channel_member(&id, user_id, roles::CHANNEL_USER, now));
                }
            }
        }
        self.core
            .store
            .save_team_member(&member, &rows)
            .await
            .map_err(store_failure(&field))
    }

    pub(super) async fn bot(&mut self, b: &BotLine) -> Applied {
        let username = b.username.as_deref().unwrap_or_default().to_lowercase();
        let owner_id = self
            .user_id(b.owner.as_deref().unwrap_or_default(), "bot.owner")
            .await?;
        let store = self.core.store.clone();
        let now = now_ms();
        let display_name = b.display_name.clone().unwrap_or_default();
        let description = b.description.clone().unwrap_or_default();
        let delete_at = b.delete_at.unwrap_or(0);
        match store.get_user_by_username(&username).await {
            Ok(user) if !user.is_bot => {
                return Err(bad(
                    "bot.username",
                    format!("{username:?} is a user, not a bot"),
                ))
            }
            Ok(user) => {
                let mut bot = store
                    .get_bot(&user.id)
                    .await
                    .map_err(store_failure("bot"))?;
                let before = bot.clone();
                bot.display_name = display_name;
                bot.description = description;
                bot.owner_id = owner_id;
                bot.delete_at = delete_at;
                if bot != before {
                    bot.update_at = now;
                    store.update_bot(&bot).await.map_err(store_failure("bot"))?;
                }
                self.users.insert(username, user.id);
            }
            Err(Error::NotFound { .. }) => {
                let id = new_id();
                let user = User {
                    delete_at,
                    email_verified: true,
                    first_name: display_name.clone(),
                    is_bot: true,
                    bot_description: description.clone(),
                    ..User::new_account(
                        id.clone(),
                        username.clone(),
                        format!("{username}@localhost"),
                        now,
                    )
                };
                let bot = Bot {
                    user_id: id.clone(),
                    username: username.clone(),
                    display_name,
                    description,
                    owner_id,
                    create_at: now,
                    update_at: now,
                    delete_at,
                    last_icon_update: 0,
                };
                store
                    .create_bot(&user, &bot)
                    .await
                    .map_err(store_failure("bot.username"))?;
                self.written.users += 1;
                self.users.insert(username, id);
            }
            Err(e) => return Err(Failure::Store(e)),
        }
        Ok(())
    }
}

/// Mattermost's e-mail batching words, as the seconds its preference holds.
fn email_interval_seconds(word: &str) -> Option<&'static str> {
    match word {
        "immediately" => Some("30"),
        "fifteen" => Some("900"),
        "hour" => Some("3600"),
        _ => None,
    }
}

/// A team membership's roles as stored: `team_user` (or `team_guest`) first,
/// `team_admin` when the line gives it.
pub(super) fn team_roles(line: &str) -> String {
    let tokens: Vec<&str> = line.split_whitespace().collect();
    let base = if tokens.contains(&"team_guest") {
        "team_guest"
    } else {
        roles::TEAM_USER
    };
    if tokens.contains(&roles::TEAM_ADMIN) {
        format!("{base} {}", roles::TEAM_ADMIN)
    } else {
        base.to_string()
    }
}

pub(super) fn channel_roles(line: Option<&str>) -> String {
    let tokens: Vec<&str> = line.unwrap_or_default().split_whitespace().collect();
    if tokens.contains(&roles::CHANNEL_ADMIN) {
        format!("{} {}", roles::CHANNEL_USER, roles::CHANNEL_ADMIN)
    } else {
        roles::CHANNEL_USER.to_string()
    }
}

/// Copies a user line's profile fields onto a user (absent fields keep
/// the stored value).
fn apply_user_fields(user: &mut User, u: &UserLine) {
    let set = |target: &mut String, value: &Option<String>| {
        if let Some(v) = value {
            target.clone_from(v);
        }
    };
    if let Some(email) = &u.email {
        user.email = email.to_lowercase();
    }
    set(&mut user.nickname, &u.nickname);
    set(&mut user.first_name, &u.first_name);
    set(&mut user.last_name, &u.last_name);
    set(&mut user.position, &u.position);
    set(&mut user.locale, &u.locale);
    set(&mut user.auth_service, &u.auth_service);
    set(&mut user.auth_data, &u.auth_data);
    if let Some(list) = &u.roles {
        let mut tokens: Vec<&str> = list.split_whitespace().collect();
        if !tokens.contains(&roles::SYSTEM_USER) && !tokens.contains(&"system_guest") {
            tokens.insert(0, roles::SYSTEM_USER);
        }
        user.roles = tokens.join(" ");
    }
    if let Some(at) = u.delete_at {
        user.delete_at = at;
    }
    if let Some(props) = &u.notify_props {
        let pairs = [
            ("desktop", &props.desktop),
            ("desktop_sound", &props.desktop_sound),
            ("email", &props.email),
            ("push", &props.mobile),
            ("push_status", &props.mobile_push_status),
            ("channel", &props.channel),
            ("comments", &props.comments),
            ("mention_keys", &props.mention_keys),
        ];
        for (key, value) in pairs {
            if let Some(v) = value {
                user.notify_props.insert(key.to_string(), v.clone());
            }
        }
    }
}
