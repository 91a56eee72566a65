use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::StringMap;

/// A login. The bearer token itself is never stored: only its SHA-256.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Session {
    pub id: String,
    /// Hex SHA-256 of the token; not sent to clients.
    #[serde(skip_serializing, default)]
    pub token_hash: String,
    pub user_id: String,
    pub create_at: i64,
    pub expires_at: i64,
    pub last_activity_at: i64,
    /// Push device id (`platform:token`) when the session belongs to a mobile app.
    pub device_id: String,
    /// Roles of the user when the session was made.
    pub roles: String,
    /// Free properties: `csrf`, `platform`, `os`, `browser`, `type` (`UserAccessToken` for PATs).
    pub props: StringMap,
}

/// A personal access token: a long-lived bearer token for scripts and bots.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct UserAccessToken {
    pub id: String,
    /// Hex SHA-256 of the token; the token itself is shown once, at creation.
    #[serde(skip_serializing, default)]
    pub token_hash: String,
    pub user_id: String,
    pub description: String,
    pub is_active: bool,
    pub create_at: i64,
}

/// A bot account: a user with `is_bot` plus an owner and a display name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Bot {
    pub user_id: String,
    /// The bot user's username.
    pub username: String,
    pub display_name: String,
    pub description: String,
    /// The user who created or was assigned the bot.
    pub owner_id: String,
    pub create_at: i64,
    pub update_at: i64,
    pub delete_at: i64,
    pub last_icon_update: i64,
}

/// A single sign-on step in flight (a sign-in started at a provider, or a
/// one-time code an app redeems), by the hash of its secret key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SsoGrant {
    pub key_hash: String,
    /// `state` or `login_code`.
    pub kind: String,
    /// JSON: what the next step needs.
    pub data: String,
    /// When it stops working (ms).
    pub expires_at: i64,
}
