//! Bot accounts: users with `is_bot`, an owner and a display name, that
//! authenticate with access tokens only. System admins create and manage them;
//! owners manage their own.

use serde::Deserialize;
use utoipa::ToSchema;

use super::{validate, Actor, Core, UserPatch};
use crate::error::{Error, Result};
use crate::id::new_id;
use crate::model::*;
use crate::time::now_ms;

/// A new bot.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct NewBot {
    pub username: String,
    #[serde(default)]
    pub display_name: String,
    #[serde(default)]
    pub description: String,
}

/// Changes to a bot; absent fields stay as they are.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct BotPatch {
    pub display_name: Option<String>,
    pub description: Option<String>,
}

impl Core {
    async fn bot_for_manager(&self, actor: &Actor, bot_id: &str) -> Result<Bot> {
        validate::id("bot_user_id", bot_id)?;
        let bot = self.store.get_bot(bot_id).await?;
        if !actor.is_admin() && bot.owner_id != actor.id() {
            return Err(Error::forbidden("you do not manage this bot"));
        }
        Ok(bot)
    }

    /// Creates a bot owned by the actor (system admins only).
    pub async fn create_bot(&self, actor: &Actor, input: NewBot) -> Result<Bot> {
        if !actor.is_admin() {
            return Err(Error::forbidden("only a system admin can create bots"));
        }
        self.insert_bot(actor.id(), input).await
    }

    /// Creates a bot owned by `owner_id`, whoever asks.
    pub(crate) async fn insert_bot(&self, owner_id: &str, input: NewBot) -> Result<Bot> {
        let username = input.username.trim().to_lowercase();
        validate::username(&username)?;
        validate::length("display_name", &input.display_name, 0, 64)?;
        validate::length("description", &input.description, 0, 1024)?;
        let now = now_ms();
        let id = new_id();
        let user = User {
            email_verified: true,
            first_name: input.display_name.clone(),
            is_bot: true,
            bot_description: input.description.clone(),
            ..User::new_account(
                id.clone(),
                username.clone(),
                format!("{username}@localhost"),
                now,
            )
        };
        let bot = Bot {
            user_id: id,
            username,
            display_name: input.display_name,
            description: input.description,
            owner_id: owner_id.to_string(),
            create_at: now,
            update_at: now,
            delete_at: 0,
            last_icon_update: 0,
        };
        self.store.create_bot(&user, &bot).await?;
        Ok(bot)
    }

    /// One bot, for its owner or an admin.
    pub async fn get_bot(&self, actor: &Actor, bot_id: &str) -> Result<Bot> {
        self.bot_for_manager(actor, bot_id).await
    }

    /// Bots: all of them for admins, one's own for others.
    pub async fn list_bots(
        &self,
        actor: &Actor,
        include_deleted: bool,
        offset: i64,
        limit: i64,
    ) -> Result<Vec<Bot>> {
        let owner = if actor.is_admin() {
            None
        } else {
            Some(actor.id())
        };
        self.store
            .list_bots(owner, include_deleted, offset, limit)
            .await
    }

    /// Changes a bot's display name or description.
    pub async fn patch_bot(&self, actor: &Actor, bot_id: &str, patch: BotPatch) -> Result<Bot> {
        let mut bot = self.bot_for_manager(actor, bot_id).await?;
        if let Some(v) = patch.display_name {
            validate::length("display_name", &v, 0, 64)?;
            bot.display_name = v;
        }
        if let Some(v) = patch.description {
            validate::length("description", &v, 0, 1024)?;
            bot.description = v;
        }
        bot.update_at = now_ms();
        self.store.update_bot(&bot).await?;
        Ok(bot)
    }

    /// Disables a bot (its user is deactivated and its sessions revoked) or enables it again.
    pub async fn set_bot_active(&self, actor: &Actor, bot_id: &str, active: bool) -> Result<Bot> {
        let mut bot = self.bot_for_manager(actor, bot_id).await?;
        let mut user = self.store.get_user(bot_id).await?;
        let now = now_ms();
        bot.delete_at = if active { 0 } else { now };
        bot.update_at = now;
        user.delete_at = bot.delete_at;
        user.update_at = now;
        self.store.update_bot(&bot).await?;
        self.save_user(&user).await?;
        if !active {
            self.end_sessions(bot_id, None).await?;
        }
        // The bot's user changed: a disabled one's sockets close everywhere.
        self.user_updated(&user);
        Ok(bot)
    }

    /// Gives a bot to another owner (system admins only).
    pub async fn assign_bot(&self, actor: &Actor, bot_id: &str, owner_id: &str) -> Result<Bot> {
        if !actor.is_admin() {
            return Err(Error::forbidden("only a system admin can reassign bots"));
        }
        validate::id("user_id", owner_id)?;
        self.store.get_user(owner_id).await?;
        let mut bot = self.bot_for_manager(actor, bot_id).await?;
        bot.owner_id = owner_id.to_string();
        bot.update_at = now_ms();
        self.store.update_bot(&bot).await?;
        Ok(bot)
    }
}

impl Core {
    /// Turns a bot into a person who signs in with the given password
    /// (system admins only); the patch's other fields apply first, and
    /// `make_admin` adds the system admin role. Nothing changes when the
    /// password is refused.
    pub async fn convert_bot_to_user(
        &self,
        actor: &Actor,
        bot_id: &str,
        mut patch: UserPatch,
        make_admin: bool,
    ) -> Result<User> {
        if !actor.is_admin() {
            return Err(Error::forbidden("only a system admin can convert bots"));
        }
        validate::id("bot_user_id", bot_id)?;
        self.store.get_bot(bot_id).await?;
        let password = patch
            .password
            .take()
            .filter(|p| !p.is_empty())
            .ok_or_else(|| Error::invalid("password", "is required for a person's account"))?;
        self.check_password_policy(&password)?;
        self.patch_user(actor, bot_id, patch).await?;
        self.set_password_trusted(bot_id, &password).await?;
        self.store.set_account_kind(bot_id, None, now_ms()).await?;
        if make_admin {
            self.set_user_roles(actor, bot_id, "system_user system_admin")
                .await?;
        }
        let user = self.store.get_user(bot_id).await?;
        self.user_updated(&user);
        Ok(self.user_for(actor, user))
    }

    /// Turns a person's account into a bot that owns itself (system admins
    /// only); its sessions end, since bots sign in with tokens only.
    pub async fn convert_user_to_bot(&self, actor: &Actor, user_id: &str) -> Result<Bot> {
        if !actor.is_admin() {
            return Err(Error::forbidden("only a system admin can convert users"));
        }
        validate::id("user_id", user_id)?;
        let user = self.store.get_user(user_id).await?;
        if user.is_bot {
            return Err(Error::invalid("user_id", "is already a bot"));
        }
        let now = now_ms();
        let bot = Bot {
            user_id: user.id.clone(),
            username: user.username.clone(),
            display_name: user.username.clone(),
            description: String::new(),
            owner_id: user.id.clone(),
            create_at: now,
            update_at: now,
            delete_at: user.delete_at,
            last_icon_update: 0,
        };
        self.store
            .set_account_kind(user_id, Some(&bot), now)
            .await?;
        self.end_sessions(user_id, None).await?;
        let user = self.store.get_user(user_id).await?;
        self.user_updated(&user);
        Ok(bot)
    }
}
