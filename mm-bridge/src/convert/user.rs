use serde::Serialize;

use core_server::model::{StringMap, User};

fn is_zero(n: &i64) -> bool {
    *n == 0
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// Mattermost's `User`, with its `omitempty` fields left out when empty.
#[derive(Debug, Serialize, Clone)]
pub struct MmUser {
    pub id: String,
    #[serde(skip_serializing_if = "is_zero")]
    pub create_at: i64,
    #[serde(skip_serializing_if = "is_zero")]
    pub update_at: i64,
    pub delete_at: i64,
    pub username: String,
    pub auth_service: String,
    pub email: String,
    #[serde(skip_serializing_if = "is_false")]
    pub email_verified: bool,
    pub nickname: String,
    pub first_name: String,
    pub last_name: String,
    pub position: String,
    pub roles: String,
    #[serde(skip_serializing_if = "StringMap::is_empty")]
    pub props: StringMap,
    #[serde(skip_serializing_if = "StringMap::is_empty")]
    pub notify_props: StringMap,
    #[serde(skip_serializing_if = "is_zero")]
    pub last_password_update: i64,
    #[serde(skip_serializing_if = "is_zero")]
    pub last_picture_update: i64,
    pub locale: String,
    pub timezone: StringMap,
    #[serde(skip_serializing_if = "is_false")]
    pub mfa_active: bool,
    #[serde(skip_serializing_if = "is_zero")]
    pub last_activity_at: i64,
    #[serde(skip_serializing_if = "is_false")]
    pub is_bot: bool,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub bot_description: String,
    pub disable_welcome_email: bool,
}

/// Converts a user (already sanitized for the caller by the core).
pub fn user(u: User) -> MmUser {
    let User {
        id,
        create_at,
        update_at,
        delete_at,
        username,
        email,
        email_verified,
        nickname,
        first_name,
        last_name,
        position,
        roles,
        props,
        notify_props,
        timezone,
        locale,
        last_password_update,
        last_picture_update,
        last_activity_at,
        is_bot,
        bot_description,
        auth_service,
        auth_data: _,
        mfa_active,
    } = u;
    MmUser {
        id,
        create_at,
        update_at,
        delete_at,
        username,
        auth_service,
        email,
        email_verified,
        nickname,
        first_name,
        last_name,
        position,
        roles,
        props,
        notify_props,
        last_password_update,
        last_picture_update,
        locale,
        timezone,
        mfa_active,
        last_activity_at,
        is_bot,
        bot_description,
        disable_welcome_email: false,
    }
}
