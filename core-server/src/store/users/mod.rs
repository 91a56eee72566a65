//! Users, their passwords and pictures, and their sessions.
//! Its SQL, for both dialects, is `sql.rs` beside this file.

use async_trait::async_trait;

use crate::error::Result;
use crate::model::*;

/// Where a role of a [`RoleTerm`] is held.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoleScope {
    /// The user's system roles.
    System,
    /// The roles of the team membership a [`UserCount`] is scoped to.
    Team,
    /// The roles of the channel membership a [`UserCount`] is scoped to.
    Channel,
}

/// One way a user matches a role filter: holding `role` in `scope` (as
/// the only role when `only`), without `unless` there. Team and channel
/// roles never match system admins, who hold every role anyway.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleTerm {
    pub scope: RoleScope,
    pub role: String,
    pub only: bool,
    pub unless: Option<String>,
}

/// Which users a count takes in (the user statistics' filters).
#[derive(Debug, Clone, Default)]
pub struct UserCount {
    /// Deactivated users too.
    pub include_deleted: bool,
    /// Bot accounts too.
    pub include_bots: bool,
    /// Only current members of this team.
    pub team_id: Option<String>,
    /// Only members of this channel; ignored when `team_id` is given.
    pub channel_id: Option<String>,
    /// Only users matching any of these (none: no role filter). Team
    /// terms need `team_id`, channel terms `channel_id`; others never match.
    pub roles: Vec<RoleTerm>,
}

/// Users, their passwords and pictures, and their sessions.
#[async_trait]
pub trait UserStore: Send + Sync {
    /// Inserts a user, with a password hash for password accounts.
    async fn create_user(&self, user: &User, password_hash: Option<&str>) -> Result<()>;

    async fn get_user(&self, id: &str) -> Result<User>;

    async fn get_user_by_username(&self, username: &str) -> Result<User>;

    async fn get_user_by_email(&self, email: &str) -> Result<User>;

    /// The users among `ids` that exist, in no particular order.
    async fn get_users_by_ids(&self, ids: &[String]) -> Result<Vec<User>>;

    /// Users ordered by id, after `after_id`.
    async fn list_users(&self, after_id: Option<&str>, limit: i64) -> Result<Vec<User>>;

    /// Writes every field of the user.
    async fn update_user(&self, user: &User) -> Result<()>;

    async fn get_password_hash(&self, user_id: &str) -> Result<Option<String>>;

    /// Sets a password, which also clears the failed-login count.
    async fn set_password_hash(&self, user_id: &str, hash: &str, at: i64) -> Result<()>;
    /// Failed password logins since the last good one or password change.
    async fn failed_logins(&self, user_id: &str) -> Result<i64>;
    /// Counts one more failed login; returns the new count.
    async fn count_failed_login(&self, user_id: &str) -> Result<i64>;
    /// Forgets the failed logins (after a good one).
    async fn clear_failed_logins(&self, user_id: &str) -> Result<()>;

    async fn count_users(&self) -> Result<i64>;

    /// How many users `filter` takes in.
    async fn count_users_where(&self, filter: &UserCount) -> Result<i64>;

    /// The users sharing a channel (of any kind, archived ones too) with
    /// `user_id`, that user left out; in no particular order.
    async fn known_user_ids(&self, user_id: &str) -> Result<Vec<String>>;

    /// The earliest active account holding `system_admin` (bots excluded).
    async fn first_system_admin(&self) -> Result<Option<User>>;

    /// Users among `usernames` (lower-case) that exist.
    async fn get_users_by_usernames(&self, usernames: &[String]) -> Result<Vec<User>>;

    /// Active members of a team, ordered by username.
    async fn list_team_users(&self, team_id: &str, offset: i64, limit: i64) -> Result<Vec<User>>;

    /// Members of a channel, ordered by username.
    async fn list_channel_users(
        &self,
        channel_id: &str,
        offset: i64,
        limit: i64,
    ) -> Result<Vec<User>>;

    /// Active users whose username, names or nickname start with `term`
    /// (lower-case), optionally only members of a team; ordered by username.
    async fn search_users(
        &self,
        term: &str,
        team_id: Option<&str>,
        limit: i64,
    ) -> Result<Vec<User>>;

    /// Stores (or replaces) a user's picture.
    async fn save_picture(&self, user_id: &str, content_type: &str, image: &[u8]) -> Result<()>;

    /// A user's uploaded picture, if any.
    async fn get_picture(&self, user_id: &str) -> Result<Option<(String, Vec<u8>)>>;

    async fn delete_picture(&self, user_id: &str) -> Result<()>;

    async fn create_session(&self, session: &Session) -> Result<()>;

    /// The session with this token hash and its user, in one read.
    async fn get_session_with_user(&self, token_hash: &str) -> Result<(Session, User)>;

    async fn list_sessions(&self, user_id: &str) -> Result<Vec<Session>>;

    async fn delete_session(&self, id: &str) -> Result<()>;

    /// Sets the push device of a session.
    async fn set_session_device(&self, id: &str, device_id: &str) -> Result<()>;

    /// Forgets a session's device when it is still `device_id`.
    async fn clear_session_device(&self, session_id: &str, device_id: &str) -> Result<()>;

    async fn delete_user_sessions(&self, user_id: &str) -> Result<()>;

    /// Deletes every session of every user; returns the (user id, session
    /// id) of each, so that their sockets can be closed.
    async fn delete_all_sessions(&self) -> Result<Vec<(String, String)>>;

    /// Removes an account's password (it now signs in with a provider).
    async fn clear_password_hash(&self, user_id: &str) -> Result<()>;

    /// The account an identity provider knows by `auth_data`, if any.
    async fn get_user_by_auth(&self, service: &str, auth_data: &str) -> Result<Option<User>>;

    /// Saves a sign-on step, first dropping the expired ones.
    async fn save_sso_grant(&self, grant: &SsoGrant) -> Result<()>;

    /// Removes and returns a sign-on step of a kind that has not expired by
    /// `now`: each works once.
    async fn take_sso_grant(
        &self,
        key_hash: &str,
        kind: &str,
        now: i64,
    ) -> Result<Option<SsoGrant>>;
}
