use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::StringMap;

/// Role names as Mattermost spells them.
pub mod roles {
    /// Every user.
    pub const SYSTEM_USER: &str = "system_user";
    /// Administrator of the whole server.
    pub const SYSTEM_ADMIN: &str = "system_admin";
    /// Every team member.
    pub const TEAM_USER: &str = "team_user";
    /// Administrator of one team.
    pub const TEAM_ADMIN: &str = "team_admin";
    /// Every channel member.
    pub const CHANNEL_USER: &str = "channel_user";
    /// Administrator of one channel.
    pub const CHANNEL_ADMIN: &str = "channel_admin";

    /// Every role the server has, system roles first.
    pub const ALL: &[&str] = &[
        SYSTEM_USER,
        SYSTEM_ADMIN,
        TEAM_USER,
        TEAM_ADMIN,
        CHANNEL_USER,
        CHANNEL_ADMIN,
    ];

    /// Whether a space-separated role list holds `role`.
    pub fn has(list: &str, role: &str) -> bool {
        list.split_whitespace().any(|r| r == role)
    }
}

/// A person or bot account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct User {
    pub id: String,
    pub create_at: i64,
    pub update_at: i64,
    /// Set when the account is deactivated; 0 while active.
    pub delete_at: i64,
    /// Lower-case, unique.
    pub username: String,
    /// Lower-case, unique.
    pub email: String,
    pub email_verified: bool,
    pub nickname: String,
    pub first_name: String,
    pub last_name: String,
    pub position: String,
    /// Space-separated role names, e.g. `system_user system_admin`.
    pub roles: String,
    pub props: StringMap,
    pub notify_props: StringMap,
    /// `useAutomaticTimezone`, `automaticTimezone`, `manualTimezone`.
    pub timezone: StringMap,
    pub locale: String,
    pub last_password_update: i64,
    pub last_picture_update: i64,
    pub last_activity_at: i64,
    pub is_bot: bool,
    pub bot_description: String,
    /// `""` for password accounts, else the SSO service (`gitlab`, `saml`, …).
    pub auth_service: String,
    /// The account's id at the SSO service; never sent to clients.
    #[serde(skip_serializing, default)]
    pub auth_data: String,
    pub mfa_active: bool,
}

impl User {
    /// The user as others see them: without e-mail, notification settings
    /// or when the password last changed.
    pub fn public_profile(mut self) -> User {
        self.email = String::new();
        self.notify_props = StringMap::new();
        self.last_password_update = 0;
        self
    }

    /// A new, active account with default settings: the `system_user` role,
    /// default notify props and timezone, English, no profile fields yet.
    pub fn new_account(id: String, username: String, email: String, now: i64) -> User {
        User {
            id,
            create_at: now,
            update_at: now,
            delete_at: 0,
            username,
            email,
            email_verified: false,
            nickname: String::new(),
            first_name: String::new(),
            last_name: String::new(),
            position: String::new(),
            roles: roles::SYSTEM_USER.to_string(),
            props: StringMap::new(),
            notify_props: default_user_notify_props(),
            timezone: default_timezone(),
            locale: "en".into(),
            last_password_update: 0,
            last_picture_update: 0,
            last_activity_at: 0,
            is_bot: false,
            bot_description: String::new(),
            auth_service: String::new(),
            auth_data: String::new(),
            mfa_active: false,
        }
    }

    /// Whether the user is a system administrator.
    pub fn is_system_admin(&self) -> bool {
        roles::has(&self.roles, roles::SYSTEM_ADMIN)
    }

    /// Whether the account is deactivated.
    pub fn is_deleted(&self) -> bool {
        self.delete_at != 0
    }
}

/// Mattermost's default notification settings for a new user.
pub fn default_user_notify_props() -> StringMap {
    [
        ("email", "true"),
        ("push", "mention"),
        ("desktop", "mention"),
        ("desktop_sound", "true"),
        ("mention_keys", ""),
        ("channel", "true"),
        ("push_status", "away"),
        ("comments", "never"),
        ("first_name", "false"),
        ("desktop_threads", "all"),
        ("email_threads", "all"),
        ("push_threads", "all"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

/// The zone a timezone map puts its user in (Mattermost's preferred
/// timezone): the automatic one when `useAutomaticTimezone` is on, the
/// manual one otherwise; `None` when that one is not known.
pub fn preferred_timezone(timezone: &StringMap) -> Option<&str> {
    let key = if timezone.get("useAutomaticTimezone").map(String::as_str) == Some("true") {
        "automaticTimezone"
    } else {
        "manualTimezone"
    };
    timezone
        .get(key)
        .map(String::as_str)
        .filter(|z| !z.is_empty())
}

/// The default timezone map: automatic, unknown zone.
pub fn default_timezone() -> StringMap {
    [
        ("useAutomaticTimezone", "true"),
        ("automaticTimezone", ""),
        ("manualTimezone", ""),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}
