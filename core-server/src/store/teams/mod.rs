//! Teams and their members.
//! Its SQL, for both dialects, is `sql.rs` beside this file.

use async_trait::async_trait;

use crate::error::Result;
use crate::model::*;

/// Teams and their members.
#[async_trait]
pub trait TeamStore: Send + Sync {
    /// Creates a team with its default channels and its creator's memberships
    /// (none for a team made by an import).
    async fn create_team(
        &self,
        team: &Team,
        channels: &[Channel],
        member: Option<&TeamMember>,
        channel_members: &[ChannelMember],
    ) -> Result<()>;

    async fn get_team(&self, id: &str) -> Result<Team>;

    async fn get_team_by_name(&self, name: &str) -> Result<Team>;

    /// The live team with this invite id.
    async fn get_team_by_invite(&self, invite_id: &str) -> Result<Team>;

    async fn update_team(&self, team: &Team) -> Result<()>;

    /// Teams ordered by id, after `after_id`.
    async fn list_teams(&self, after_id: Option<&str>, limit: i64) -> Result<Vec<Team>>;

    /// Teams the user is a current member of.
    async fn list_user_teams(&self, user_id: &str) -> Result<Vec<Team>>;

    /// Adds (or re-adds) a team member and joins the given channels.
    async fn save_team_member(
        &self,
        member: &TeamMember,
        channel_members: &[ChannelMember],
    ) -> Result<()>;

    async fn get_team_member(&self, team_id: &str, user_id: &str) -> Result<TeamMember>;

    /// Current members ordered by user id, after `after_user_id`.
    async fn list_team_members(
        &self,
        team_id: &str,
        after_user_id: Option<&str>,
        limit: i64,
    ) -> Result<Vec<TeamMember>>;

    /// The user's current memberships in every team.
    async fn list_user_team_members(&self, user_id: &str) -> Result<Vec<TeamMember>>;

    /// Number of current members of a team.
    async fn count_team_members(&self, team_id: &str) -> Result<i64>;

    /// Marks the membership removed and leaves every channel of the team.
    async fn remove_team_member(&self, team_id: &str, user_id: &str, at: i64) -> Result<()>;
}
