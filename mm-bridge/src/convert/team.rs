use serde::Serialize;

use core_server::model::{Team, TeamMember};

use super::scheme_roles;

/// Mattermost's `Team`.
#[derive(Debug, Serialize, Clone)]
pub struct MmTeam {
    pub id: String,
    pub create_at: i64,
    pub update_at: i64,
    pub delete_at: i64,
    pub display_name: String,
    pub name: String,
    pub description: String,
    pub email: String,
    #[serde(rename = "type")]
    pub team_type: String,
    pub company_name: String,
    pub allowed_domains: String,
    pub invite_id: String,
    pub allow_open_invite: bool,
    #[serde(skip_serializing_if = "is_zero")]
    pub last_team_icon_update: i64,
    pub scheme_id: Option<String>,
    pub group_constrained: Option<bool>,
    pub policy_id: Option<String>,
    pub cloud_limits_archived: bool,
}

fn is_zero(n: &i64) -> bool {
    *n == 0
}

/// Converts a team as the core hands it out (already sanitized for the
/// caller: see `Core::teams_view`).
pub fn team(t: Team) -> MmTeam {
    let Team {
        id,
        create_at,
        update_at,
        delete_at,
        display_name,
        name,
        description,
        email,
        team_type,
        company_name,
        allowed_domains,
        invite_id,
        allow_open_invite,
        last_team_icon_update,
    } = t;
    MmTeam {
        id,
        create_at,
        update_at,
        delete_at,
        display_name,
        name,
        description,
        email,
        team_type,
        company_name,
        allowed_domains,
        invite_id,
        allow_open_invite,
        last_team_icon_update,
        scheme_id: None,
        group_constrained: None,
        policy_id: None,
        cloud_limits_archived: false,
    }
}

/// Mattermost's `TeamMember`.
#[derive(Debug, Serialize, Clone)]
pub struct MmTeamMember {
    pub team_id: String,
    pub user_id: String,
    pub roles: String,
    pub delete_at: i64,
    pub scheme_guest: bool,
    pub scheme_user: bool,
    pub scheme_admin: bool,
    pub explicit_roles: String,
}

/// Converts a team membership.
pub fn team_member(m: TeamMember) -> MmTeamMember {
    let TeamMember {
        team_id,
        user_id,
        roles,
        delete_at,
        create_at: _,
        update_at: _,
    } = m;
    let scheme = scheme_roles(&roles, "team_user", "team_admin");
    MmTeamMember {
        team_id,
        user_id,
        roles,
        delete_at,
        scheme_guest: false,
        scheme_user: scheme.scheme_user,
        scheme_admin: scheme.scheme_admin,
        explicit_roles: scheme.explicit_roles,
    }
}
