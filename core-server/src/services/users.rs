//! Users: sign-up, profiles, deactivation, passwords.

use serde::Deserialize;
use utoipa::ToSchema;

use super::auth::{hash_password, verify_password};
use super::{into_page, page_cursor, page_limit, validate, Actor, Core};
use crate::error::{Error, Result};
use crate::events::{Audience, EventKind};
use crate::id::new_id;
use crate::model::*;
use crate::time::now_ms;

/// A new account.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUser {
    pub username: String,
    pub email: String,
    pub password: String,
    #[serde(default)]
    pub first_name: String,
    #[serde(default)]
    pub last_name: String,
    #[serde(default)]
    pub nickname: String,
    #[serde(default)]
    pub locale: Option<String>,
    /// A team's invite id: lets the account be made while open sign-up is
    /// off, and joins that team.
    #[serde(default)]
    pub invite_id: Option<String>,
    /// A mailed invitation's token (its link's `t`): as `invite_id`, for
    /// the invited address only, once.
    #[serde(default)]
    pub invite_token: Option<String>,
}

/// Changes to a profile; absent fields stay as they are.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserPatch {
    pub username: Option<String>,
    pub email: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub nickname: Option<String>,
    pub position: Option<String>,
    pub locale: Option<String>,
    pub props: Option<StringMap>,
    pub notify_props: Option<StringMap>,
    pub timezone: Option<StringMap>,
    /// The current password: needed to change one's own e-mail address.
    pub password: Option<String>,
}

/// Largest uploaded profile picture, in bytes.
pub const MAX_PICTURE_BYTES: usize = 2 * 1024 * 1024;

/// How a profile change treats the maps of a profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Maps {
    /// A patch: notification settings and timezone merge into the stored ones.
    Merge,
    /// A full update: the given maps replace the stored ones.
    Replace,
}

fn check_profile_text(field: &str, value: &str, max: usize) -> Result<()> {
    validate::length(field, value, 0, max)
}

fn check_map(field: &str, map: &StringMap) -> Result<()> {
    if map.len() > 64 || map.iter().any(|(k, v)| k.len() > 64 || v.len() > 4096) {
        return Err(Error::invalid(field, "has too many or too long entries"));
    }
    Ok(())
}

impl Core {
    /// Sign-up as the APIs serve it: with an invitation when the input
    /// carries one, else by the open sign-up rules (or as an admin).
    pub async fn sign_up(&self, actor: Option<&Actor>, input: NewUser) -> Result<User> {
        let invitation = super::SignUpInvitation::from_parts(
            input.invite_id.as_deref(),
            input.invite_token.as_deref(),
        );
        match invitation {
            Some(invitation) => self.sign_up_invited(input, invitation).await,
            None => self.create_user(actor, input, false, false).await,
        }
    }

    /// Creates an account without an invitation. The server's first
    /// account can always be made and becomes a system admin; admins and
    /// the command line (`trusted`) can always make accounts; anyone else
    /// only while open sign-up is on. `make_admin` is honoured only for
    /// admins and the command line.
    pub async fn create_user(
        &self,
        actor: Option<&Actor>,
        input: NewUser,
        make_admin: bool,
        trusted: bool,
    ) -> Result<User> {
        let caller_is_admin = actor.is_some_and(Actor::is_admin);
        let first = self.no_accounts().await?;
        if !first && !trusted && !caller_is_admin {
            self.check_open_sign_up()?;
        }
        if make_admin && !first && !trusted && !caller_is_admin {
            return Err(Error::forbidden(
                "only a system admin can create system admins",
            ));
        }
        self.insert_account(input, make_admin, false).await
    }

    /// Checks and stores a new password account, once the sign-up rules
    /// allowed it: the server's first account, and `make_admin`, become
    /// system admins; `email_verified` when the address is proven (a
    /// mailed invitation).
    pub(crate) async fn insert_account(
        &self,
        input: NewUser,
        make_admin: bool,
        email_verified: bool,
    ) -> Result<User> {
        let username = input.username.trim().to_lowercase();
        let email = input.email.trim().to_lowercase();
        validate::username(&username)?;
        validate::email(&email)?;
        self.check_password_policy(&input.password)?;
        check_profile_text("first_name", &input.first_name, 64)?;
        check_profile_text("last_name", &input.last_name, 64)?;
        check_profile_text("nickname", &input.nickname, 64)?;
        let locale = input.locale.unwrap_or_else(|| "en".into());
        validate::length("locale", &locale, 2, 5)?;
        self.check_creation_domain(&email)?;

        let first = self.no_accounts().await?;
        let mut roles = roles::SYSTEM_USER.to_string();
        if first || make_admin {
            roles.push(' ');
            roles.push_str(roles::SYSTEM_ADMIN);
        }
        let now = now_ms();
        let user = User {
            nickname: input.nickname,
            first_name: input.first_name,
            last_name: input.last_name,
            roles,
            locale,
            email_verified,
            last_password_update: now,
            ..User::new_account(new_id(), username, email, now)
        };
        let hash = hash_password(&input.password).await?;
        self.store.create_user(&user, Some(&hash)).await?;
        self.events
            .publish(EventKind::UserCreated { user: user.clone() }, Audience::All);
        Ok(user)
    }

    /// A user as the caller may see it: others' e-mail addresses are hidden
    /// unless the caller is an admin.
    /// Tells everyone a user changed: others get a sanitized copy, the user
    /// (on all of their clients) the whole record.
    pub(crate) fn user_updated(&self, user: &User) {
        self.events.publish_event(
            crate::events::CoreEvent::new(
                EventKind::UserUpdated { user: user.clone() },
                Audience::All,
            )
            .omit(&user.id),
        );
        self.events.publish(
            EventKind::UserUpdated { user: user.clone() },
            Audience::User(user.id.clone()),
        );
    }

    pub fn user_for(&self, actor: &Actor, user: User) -> User {
        let user = super::custom_status::without_expired_status(user);
        if actor.is_self_or_admin(&user.id) {
            user
        } else {
            user.public_profile()
        }
    }

    /// One user.
    pub async fn get_user(&self, actor: &Actor, id: &str) -> Result<User> {
        validate::id("user_id", id)?;
        let user = self.store.get_user(id).await?;
        Ok(self.user_for(actor, user))
    }

    /// One user by username.
    pub async fn get_user_by_username(&self, actor: &Actor, username: &str) -> Result<User> {
        let user = self
            .store
            .get_user_by_username(&username.to_lowercase())
            .await?;
        Ok(self.user_for(actor, user))
    }

    /// Several users by id; unknown ids are skipped.
    pub async fn get_users_by_ids(&self, actor: &Actor, ids: &[String]) -> Result<Vec<User>> {
        if ids.len() > 200 {
            return Err(Error::invalid("user_ids", "at most 200 ids per request"));
        }
        for id in ids {
            validate::id("user_ids", id)?;
        }
        let users = self.store.get_users_by_ids(ids).await?;
        Ok(users.into_iter().map(|u| self.user_for(actor, u)).collect())
    }

    /// All users, a page at a time, ordered by id.
    pub async fn list_users(
        &self,
        actor: &Actor,
        cursor: Option<&str>,
        limit: Option<i64>,
    ) -> Result<Page<User>> {
        let limit = page_limit(limit)?;
        let cursor = page_cursor(cursor)?;
        let rows = self.store.list_users(cursor, limit + 1).await?;
        let page = into_page(rows, limit, |u| u.id.clone());
        Ok(Page {
            items: page
                .items
                .into_iter()
                .map(|u| self.user_for(actor, u))
                .collect(),
            next_cursor: page.next_cursor,
        })
    }

    /// How many accounts exist: the most any listing of users can hold.
    pub async fn user_count(&self, _actor: &Actor) -> Result<i64> {
        self.store.count_users().await
    }

    /// Changes a profile: one's own, or anyone's for an admin.
    pub async fn patch_user(&self, actor: &Actor, id: &str, patch: UserPatch) -> Result<User> {
        self.change_profile(actor, id, patch, Maps::Merge).await
    }

    /// Replaces a profile (Mattermost's full update): as a patch, except
    /// that the props, notification settings and timezone given replace the
    /// stored ones instead of merging into them, and empty notification
    /// settings fall back to the defaults.
    pub async fn update_user(&self, actor: &Actor, id: &str, update: UserPatch) -> Result<User> {
        self.change_profile(actor, id, update, Maps::Replace).await
    }

    async fn change_profile(
        &self,
        actor: &Actor,
        id: &str,
        patch: UserPatch,
        maps: Maps,
    ) -> Result<User> {
        validate::id("user_id", id)?;
        if !actor.is_self_or_admin(id) {
            return Err(Error::forbidden("you may only change your own profile"));
        }
        let mut user = self.store.get_user(id).await?;
        if let Some(username) = patch.username {
            let username = username.trim().to_lowercase();
            validate::username(&username)?;
            user.username = username;
        }
        if let Some(email) = patch.email {
            let email = email.trim().to_lowercase();
            validate::email(&email)?;
            if email != user.email {
                // As Mattermost: a stolen session alone cannot move the
                // account (and its password resets) to another address.
                if actor.id() == id {
                    let given = patch.password.as_deref().ok_or_else(|| {
                        Error::invalid("password", "is required to change the e-mail address")
                    })?;
                    let stored = self.store.get_password_hash(id).await?;
                    let ok = match stored {
                        Some(hash) => verify_password(given, &hash).await?,
                        None => false,
                    };
                    if !ok {
                        return Err(Error::invalid("password", "is incorrect"));
                    }
                }
                user.email = email;
                user.email_verified = false;
            }
        }
        let texts = [
            ("first_name", patch.first_name, &mut user.first_name, 64),
            ("last_name", patch.last_name, &mut user.last_name, 64),
            ("nickname", patch.nickname, &mut user.nickname, 64),
            ("position", patch.position, &mut user.position, 128),
        ];
        for (field, value, slot, max) in texts {
            if let Some(value) = value {
                check_profile_text(field, &value, max)?;
                *slot = value;
            }
        }
        if let Some(locale) = patch.locale {
            validate::length("locale", &locale, 2, 5)?;
            user.locale = locale;
        }
        if let Some(props) = patch.props {
            check_map("props", &props)?;
            user.props = props;
        }
        if let Some(notify) = patch.notify_props {
            check_map("notify_props", &notify)?;
            match maps {
                Maps::Merge => user.notify_props.extend(notify),
                Maps::Replace if notify.is_empty() => {
                    user.notify_props = default_user_notify_props();
                }
                Maps::Replace => user.notify_props = notify,
            }
        }
        if let Some(tz) = patch.timezone {
            check_map("timezone", &tz)?;
            match maps {
                Maps::Merge => user.timezone.extend(tz),
                Maps::Replace => user.timezone = tz,
            }
        }
        user.update_at = now_ms();
        self.save_user(&user).await?;
        self.user_updated(&user);
        Ok(self.user_for(actor, user))
    }

    /// Deactivates an account and revokes its sessions.
    pub async fn deactivate_user(&self, actor: &Actor, id: &str) -> Result<User> {
        validate::id("user_id", id)?;
        if !actor.is_self_or_admin(id) {
            return Err(Error::forbidden("you may only deactivate your own account"));
        }
        let user = self.deactivate_account(id).await?;
        Ok(self.user_for(actor, user))
    }

    /// Activates or deactivates an account, and tells everyone its
    /// activation changed. System admins may do either to anyone; users
    /// may deactivate themselves (always allowed here, as by
    /// `deactivate_user`).
    pub async fn set_user_active(&self, actor: &Actor, id: &str, active: bool) -> Result<()> {
        validate::id("user_id", id)?;
        let self_deactivation = !active && actor.id() == id;
        if !self_deactivation && !actor.is_admin() {
            return Err(Error::forbidden(
                "only a system admin can activate or deactivate other accounts",
            ));
        }
        if active {
            let mut user = self.store.get_user(id).await?;
            user.delete_at = 0;
            user.update_at = now_ms();
            self.save_user(&user).await?;
            self.user_updated(&user);
        } else {
            self.deactivate_account(id).await?;
        }
        self.events.publish(
            EventKind::UserActivationChanged {
                user_id: id.to_string(),
                active,
            },
            Audience::All,
        );
        Ok(())
    }

    /// Marks an account deactivated (once) and ends its sessions.
    async fn deactivate_account(&self, id: &str) -> Result<User> {
        let mut user = self.store.get_user(id).await?;
        if user.is_deleted() {
            return Ok(user);
        }
        let now = now_ms();
        user.delete_at = now;
        user.update_at = now;
        self.save_user(&user).await?;
        self.end_sessions(id, None).await?;
        self.user_updated(&user);
        Ok(user)
    }

    /// Marks a user's e-mail address verified without a mailed link: for
    /// system admins. Answers with the user as read before the change, as
    /// Mattermost does.
    pub async fn verify_email_by_admin(&self, actor: &Actor, id: &str) -> Result<User> {
        validate::id("user_id", id)?;
        let before = self.store.get_user(id).await?;
        if !actor.is_admin() {
            return Err(Error::forbidden(
                "only a system admin can verify an address without its link",
            ));
        }
        let user = User {
            email_verified: true,
            update_at: now_ms(),
            ..before.clone()
        };
        self.save_user(&user).await?;
        self.user_updated(&user);
        Ok(self.user_for(actor, before))
    }

    /// A user by e-mail address: system admins only. Addresses are private
    /// here, so everyone else gets the same refusal whether or not the
    /// address belongs to anyone (as Mattermost when addresses are hidden).
    pub async fn get_user_by_email(&self, actor: &Actor, email: &str) -> Result<User> {
        if !actor.is_admin() {
            return Err(Error::forbidden(
                "only system admins may look users up by e-mail address",
            ));
        }
        let user = self
            .store
            .get_user_by_email(&email.trim().to_lowercase())
            .await?;
        Ok(self.user_for(actor, user))
    }

    /// Sets a new password. Users must give their current one; admins need not.
    pub async fn update_password(
        &self,
        actor: &Actor,
        id: &str,
        current: Option<&str>,
        new_password: &str,
    ) -> Result<()> {
        validate::id("user_id", id)?;
        if !actor.is_self_or_admin(id) {
            return Err(Error::forbidden("you may only change your own password"));
        }
        self.check_password_policy(new_password)?;
        if actor.id() == id {
            let current =
                current.ok_or_else(|| Error::invalid("current_password", "is required"))?;
            let stored = self.store.get_password_hash(id).await?;
            let ok = match stored {
                Some(hash) => verify_password(current, &hash).await?,
                None => false,
            };
            if !ok {
                return Err(Error::invalid("current_password", "is incorrect"));
            }
        }
        let hash = hash_password(new_password).await?;
        self.store.set_password_hash(id, &hash, now_ms()).await?;
        // A new password signs out everywhere else: the changing session
        // stays when users change their own, none when an admin does.
        let keep = (actor.id() == id).then_some(actor.session.id.as_str());
        self.end_sessions(id, keep).await
    }

    /// Sets a password without the current one: for the command line and imports.
    pub async fn set_password_trusted(&self, id: &str, new_password: &str) -> Result<()> {
        self.check_password_policy(new_password)?;
        let hash = hash_password(new_password).await?;
        self.store.set_password_hash(id, &hash, now_ms()).await
    }

    /// Users by username; unknown names are skipped.
    pub async fn get_users_by_usernames(
        &self,
        actor: &Actor,
        usernames: &[String],
    ) -> Result<Vec<User>> {
        if usernames.len() > 200 {
            return Err(Error::invalid(
                "usernames",
                "at most 200 usernames per request",
            ));
        }
        let names: Vec<String> = usernames.iter().map(|u| u.to_lowercase()).collect();
        let users = self.store.get_users_by_usernames(&names).await?;
        Ok(users.into_iter().map(|u| self.user_for(actor, u)).collect())
    }

    /// Members of a team, for its members.
    pub async fn list_team_users(
        &self,
        actor: &Actor,
        team_id: &str,
        offset: i64,
        limit: i64,
    ) -> Result<Vec<User>> {
        self.team_for_member(actor, team_id).await?;
        let users = self.store.list_team_users(team_id, offset, limit).await?;
        Ok(users.into_iter().map(|u| self.user_for(actor, u)).collect())
    }

    /// Members of a channel, for whoever may read it.
    pub async fn list_channel_users(
        &self,
        actor: &Actor,
        channel_id: &str,
        offset: i64,
        limit: i64,
    ) -> Result<Vec<User>> {
        self.channel_for_read(actor, channel_id).await?;
        let users = self
            .store
            .list_channel_users(channel_id, offset, limit)
            .await?;
        Ok(users.into_iter().map(|u| self.user_for(actor, u)).collect())
    }

    /// Active users whose username or names start with `term`, optionally within a team.
    pub async fn search_users(
        &self,
        actor: &Actor,
        term: &str,
        team_id: Option<&str>,
        limit: i64,
    ) -> Result<Vec<User>> {
        let term = term.trim().trim_start_matches('@').to_lowercase();
        validate::length("term", &term, 0, 64)?;
        if let Some(team_id) = team_id {
            self.team_for_member(actor, team_id).await?;
        }
        let users = self
            .store
            .search_users(&term, team_id, limit.clamp(1, 200))
            .await?;
        Ok(users.into_iter().map(|u| self.user_for(actor, u)).collect())
    }

    /// Sets one's own (or, for an admin, anyone's) picture: PNG, JPEG, GIF or
    /// WebP of at most `MAX_PICTURE_BYTES`.
    pub async fn set_picture(&self, actor: &Actor, user_id: &str, image: &[u8]) -> Result<()> {
        validate::id("user_id", user_id)?;
        if !actor.is_self_or_admin(user_id) {
            return Err(Error::forbidden("you may only change your own picture"));
        }
        if image.len() > MAX_PICTURE_BYTES {
            return Err(Error::TooLarge(format!(
                "a picture may be at most {MAX_PICTURE_BYTES} bytes"
            )));
        }
        let content_type = super::emoji::image_type(image)
            .ok_or_else(|| Error::invalid("image", "must be a PNG, JPEG, GIF or WebP image"))?;
        let mut user = self.store.get_user(user_id).await?;
        self.store
            .save_picture(user_id, content_type, image)
            .await?;
        let now = now_ms();
        user.last_picture_update = now;
        user.update_at = now;
        self.save_user(&user).await?;
        self.user_updated(&user);
        Ok(())
    }

    /// Returns to the generated picture.
    pub async fn reset_picture(&self, actor: &Actor, user_id: &str) -> Result<()> {
        validate::id("user_id", user_id)?;
        if !actor.is_self_or_admin(user_id) {
            return Err(Error::forbidden("you may only change your own picture"));
        }
        let mut user = self.store.get_user(user_id).await?;
        self.store.delete_picture(user_id).await?;
        user.last_picture_update = 0;
        user.update_at = now_ms();
        self.save_user(&user).await?;
        self.user_updated(&user);
        Ok(())
    }

    /// A user's picture: the uploaded one, else the generated one (PNG).
    pub async fn picture(&self, actor: &Actor, user_id: &str) -> Result<(String, Vec<u8>, i64)> {
        let user = self.get_user(actor, user_id).await?;
        if let Some((content_type, bytes)) = self.store.get_picture(&user.id).await? {
            return Ok((content_type, bytes, user.last_picture_update));
        }
        let png = crate::avatar::default_avatar_png(&user.id, &user.username);
        Ok(("image/png".into(), png, 0))
    }
}
