use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A team: a group of users with its own channels.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Team {
    pub id: String,
    pub create_at: i64,
    pub update_at: i64,
    pub delete_at: i64,
    pub display_name: String,
    /// URL slug, unique.
    pub name: String,
    pub description: String,
    pub email: String,
    /// `O` open (anyone may join), `I` invite only.
    #[serde(rename = "type")]
    pub team_type: String,
    pub company_name: String,
    pub allowed_domains: String,
    pub invite_id: String,
    pub allow_open_invite: bool,
    pub last_team_icon_update: i64,
}

impl Team {
    /// The team as anyone may see it: without its contact e-mail and its
    /// invite id (an invite id lets whoever holds it join).
    pub fn sanitized(self) -> Team {
        Team {
            email: String::new(),
            invite_id: String::new(),
            ..self
        }
    }
}

/// A user's membership in a team.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct TeamMember {
    pub team_id: String,
    pub user_id: String,
    /// Space-separated: `team_user`, optionally `team_admin`.
    pub roles: String,
    /// Set when the user left or was removed; 0 while a member.
    pub delete_at: i64,
    pub create_at: i64,
    pub update_at: i64,
}

impl TeamMember {
    /// Whether the membership is current.
    pub fn is_active(&self) -> bool {
        self.delete_at == 0
    }
}
