//! The built-in roles and their permissions, as a server without custom
//! schemes reports them. The apps gate their UI on these permission names.

use axum::Json;
use serde::Serialize;

use crate::error::{MmError, MmResult};
use crate::extract::{MmAuth, MmJson, MmPath};

/// Mattermost's `Role`.
#[derive(Debug, Serialize, Clone)]
pub struct MmRole {
    pub id: String,
    pub name: String,
    pub display_name: String,
    pub description: String,
    pub create_at: i64,
    pub update_at: i64,
    pub delete_at: i64,
    pub permissions: Vec<&'static str>,
    pub scheme_managed: bool,
    pub built_in: bool,
    pub scheme_id: Option<String>,
}

const SYSTEM_USER: &[&str] = &[
    "create_direct_channel",
    "create_group_channel",
    "create_team",
    "list_public_teams",
    "join_public_teams",
    "view_members",
    "edit_custom_group",
    "create_emojis",
    "delete_emojis",
];

const TEAM_USER: &[&str] = &[
    "list_team_channels",
    "join_public_channels",
    "read_public_channel",
    "view_team",
    "create_public_channel",
    "create_private_channel",
    "invite_user",
    "add_user_to_team",
];

const CHANNEL_USER: &[&str] = &[
    "read_channel",
    "read_channel_content",
    "add_reaction",
    "remove_reaction",
    "manage_public_channel_members",
    "manage_private_channel_members",
    "upload_file",
    "get_public_link",
    "create_post",
    "use_channel_mentions",
    "use_group_mentions",
    "manage_public_channel_properties",
    "manage_private_channel_properties",
    "delete_public_channel",
    "delete_private_channel",
    "edit_post",
    "delete_post",
];

const CHANNEL_ADMIN: &[&str] = &[
    "manage_channel_roles",
    "delete_others_posts",
    "use_group_mentions",
];

const TEAM_ADMIN: &[&str] = &[
    "edit_others_posts",
    "remove_user_from_team",
    "manage_team",
    "import_team",
    "manage_team_roles",
    "manage_channel_roles",
    "manage_others_incoming_webhooks",
    "manage_others_outgoing_webhooks",
    "manage_slash_commands",
    "manage_others_slash_commands",
    "manage_incoming_webhooks",
    "manage_outgoing_webhooks",
    "delete_post",
    "delete_others_posts",
    "convert_public_channel_to_private",
    "convert_private_channel_to_public",
];

const SYSTEM_ADMIN: &[&str] = &[
    "manage_system",
    "sysconsole_read_users",
    "sysconsole_write_users",
    "manage_roles",
    "edit_other_users",
];

/// The built-in role called `name`, if any.
pub fn role(name: &str) -> Option<MmRole> {
    let (display, permissions): (&str, Vec<&'static str>) = match name {
        "system_user" => (
            "authentication.roles.global_user.name",
            SYSTEM_USER.to_vec(),
        ),
        "team_user" => ("authentication.roles.team_user.name", TEAM_USER.to_vec()),
        "channel_user" => (
            "authentication.roles.channel_user.name",
            CHANNEL_USER.to_vec(),
        ),
        "channel_admin" => (
            "authentication.roles.channel_admin.name",
            CHANNEL_ADMIN.to_vec(),
        ),
        "team_admin" => ("authentication.roles.team_admin.name", TEAM_ADMIN.to_vec()),
        "system_admin" => {
            // A system admin holds every permission of the other roles too.
            let mut all: Vec<&'static str> = [
                SYSTEM_ADMIN,
                SYSTEM_USER,
                TEAM_USER,
                TEAM_ADMIN,
                CHANNEL_USER,
                CHANNEL_ADMIN,
            ]
            .concat();
            all.sort_unstable();
            all.dedup();
            ("authentication.roles.global_admin.name", all)
        }
        _ => return None,
    };
    // A stable id per role name: the name padded into the id alphabet's shape.
    let id: String = format!("{:y<26}", name.replace('_', ""))
        .chars()
        .take(26)
        .collect();
    Some(MmRole {
        id,
        name: name.to_string(),
        display_name: display.to_string(),
        description: String::new(),
        create_at: 0,
        update_at: 0,
        delete_at: 0,
        permissions,
        scheme_managed: true,
        built_in: true,
        scheme_id: None,
    })
}

/// `POST /api/v4/roles/names`: the known roles among the names.
pub async fn by_names(
    _auth: MmAuth,
    MmJson(names): MmJson<Vec<String>>,
) -> MmResult<Json<Vec<MmRole>>> {
    if names.len() > 100 {
        return Err(MmError::invalid_body("role_names"));
    }
    Ok(Json(names.iter().filter_map(|n| role(n)).collect()))
}

/// `GET /api/v4/roles/name/{role_name}`
pub async fn by_name(_auth: MmAuth, MmPath(name): MmPath<String>) -> MmResult<Json<MmRole>> {
    role(&name).map(Json).ok_or_else(|| {
        MmError::new(
            axum::http::StatusCode::NOT_FOUND,
            "app.role.get_by_name.app_error",
            "Unable to find the role.",
        )
    })
}
