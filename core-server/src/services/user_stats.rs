//! How many users there are: the total any user may ask for, the counts the
//! system console filters by team, channel, activation, bots and roles, and
//! the active people the server's (absent) user limits are measured by.

use super::{Actor, Core};
use crate::error::{Error, Result};
use crate::model::roles;
use crate::store::{RoleScope, RoleTerm, UserCount};

/// What a filtered count takes in (Mattermost's user statistics query).
#[derive(Debug, Clone, Default)]
pub struct UserStatsFilter {
    /// Only current members of this team.
    pub in_team: Option<String>,
    /// Only members of this channel, when no team is given.
    pub in_channel: Option<String>,
    pub include_deleted: bool,
    pub include_bots: bool,
    /// Users holding any of these system roles (or of the team and channel
    /// roles below).
    pub roles: Vec<String>,
    /// Team roles; they count only with `in_team`.
    pub team_roles: Vec<String>,
    /// Channel roles; they count only with `in_channel`.
    pub channel_roles: Vec<String>,
}

/// Longest role name.
const MAX_ROLE_NAME: usize = 64;

/// The non-blank names of a role list, each a valid role name (lower-case
/// letters, digits and `_`), else `Invalid` naming `field`.
fn clean_role_names(names: &[String], field: &str) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for name in names {
        if name.trim().is_empty() {
            continue;
        }
        let valid = name.len() <= MAX_ROLE_NAME
            && name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        if !valid {
            return Err(Error::invalid(field, "holds an invalid role name"));
        }
        out.push(name.clone());
    }
    Ok(out)
}

/// The store terms for one role name in a scope, as Mattermost reads
/// them: `system_user` means nothing but that role, a team or channel
/// `*_user` a member who is not also that scope's admin; names without a
/// meaning there are ignored.
fn role_term(scope: RoleScope, name: &str) -> Option<RoleTerm> {
    let term = |only: bool, unless: Option<&str>| RoleTerm {
        scope,
        role: name.to_string(),
        only,
        unless: unless.map(str::to_string),
    };
    match (scope, name) {
        (RoleScope::System, roles::SYSTEM_USER) => Some(term(true, None)),
        (
            RoleScope::System,
            roles::SYSTEM_ADMIN
            | "system_guest"
            | "system_user_manager"
            | "system_read_only_admin"
            | "system_manager",
        ) => Some(term(false, None)),
        (RoleScope::Team, roles::TEAM_USER) => Some(term(false, Some(roles::TEAM_ADMIN))),
        (RoleScope::Team, roles::TEAM_ADMIN | "team_guest") => Some(term(false, None)),
        (RoleScope::Channel, roles::CHANNEL_USER) => Some(term(false, Some(roles::CHANNEL_ADMIN))),
        (RoleScope::Channel, roles::CHANNEL_ADMIN | "channel_guest") => Some(term(false, None)),
        _ => None,
    }
}

impl Core {
    /// Active users, bots included: anyone may ask (every user may see
    /// every other here).
    pub async fn total_users_count(&self, _actor: &Actor) -> Result<i64> {
        self.store
            .count_users_where(&UserCount {
                include_bots: true,
                ..UserCount::default()
            })
            .await
    }

    /// Users matching `filter`: for system admins. Malformed role names
    /// are refused before the permission is checked, as on Mattermost.
    pub async fn filtered_users_count(
        &self,
        actor: &Actor,
        filter: &UserStatsFilter,
    ) -> Result<i64> {
        let in_team = filter.in_team.clone().filter(|t| !t.is_empty());
        let in_channel = filter.in_channel.clone().filter(|c| !c.is_empty());
        let mut terms: Vec<RoleTerm> = clean_role_names(&filter.roles, "roles")?
            .iter()
            .filter_map(|r| role_term(RoleScope::System, r))
            .collect();
        if in_channel.is_some() {
            let names = clean_role_names(&filter.channel_roles, "channelRoles")?;
            terms.extend(
                names
                    .iter()
                    .filter_map(|r| role_term(RoleScope::Channel, r)),
            );
        }
        if in_team.is_some() {
            let names = clean_role_names(&filter.team_roles, "teamRoles")?;
            terms.extend(names.iter().filter_map(|r| role_term(RoleScope::Team, r)));
        }
        if !actor.is_admin() {
            return Err(Error::forbidden("only system admins count users by filter"));
        }
        self.store
            .count_users_where(&UserCount {
                include_deleted: filter.include_deleted,
                include_bots: filter.include_bots,
                team_id: in_team,
                channel_id: in_channel,
                roles: terms,
            })
            .await
    }

    /// Active people, bots left out: what user limits would be measured
    /// against (this server has none). For system admins.
    pub async fn active_user_count(&self, actor: &Actor) -> Result<i64> {
        if !actor.is_admin() {
            return Err(Error::forbidden("only system admins read the user limits"));
        }
        self.store.count_users_where(&UserCount::default()).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_names_are_checked_and_blanks_skipped() {
        let names = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            clean_role_names(&names(&["system_admin", " ", ""]), "roles").expect("valid"),
            names(&["system_admin"])
        );
        for bad in [
            "System_admin",
            "team-admin",
            " system_admin",
            &"a".repeat(65),
        ] {
            match clean_role_names(&names(&[bad]), "teamRoles") {
                Err(Error::Invalid { field, .. }) => assert_eq!(field, "teamRoles"),
                other => panic!("{bad:?}: {other:?}"),
            }
        }
    }

    #[test]
    fn role_names_read_as_mattermost_reads_them() {
        let user = role_term(RoleScope::System, "system_user").expect("term");
        assert!(user.only, "system_user is nothing but that role");
        let member = role_term(RoleScope::Team, "team_user").expect("term");
        assert_eq!(member.unless.as_deref(), Some("team_admin"));
        assert!(role_term(RoleScope::Channel, "channel_admin").is_some());
        assert!(role_term(RoleScope::System, "team_admin").is_none());
        assert!(role_term(RoleScope::Team, "custom_role").is_none());
    }
}
