//! Pure conversions from core records to Mattermost's JSON shapes. Each one
//! destructures its input so a new core field cannot go unnoticed.

mod channel;
mod file;
mod post;
mod scheduled_post;
mod team;
mod user;

pub use channel::*;
pub use file::*;
pub use post::*;
pub use scheduled_post::*;
pub use team::*;
pub use user::*;

use serde::Serialize;

/// A `scheme_*` view of a space-separated role list, as Mattermost reports memberships.
pub(crate) struct SchemeRoles {
    pub scheme_user: bool,
    pub scheme_admin: bool,
    pub explicit_roles: String,
}

/// Splits roles into the scheme flags and the explicit rest.
pub(crate) fn scheme_roles(roles: &str, user_role: &str, admin_role: &str) -> SchemeRoles {
    let mut explicit = Vec::new();
    let (mut user, mut admin) = (false, false);
    for role in roles.split_whitespace() {
        if role == user_role {
            user = true;
        } else if role == admin_role {
            admin = true;
        } else {
            explicit.push(role);
        }
    }
    SchemeRoles {
        scheme_user: user,
        scheme_admin: admin,
        explicit_roles: explicit.join(" "),
    }
}

/// A user's status.
#[derive(Debug, Serialize)]
pub struct MmStatus {
    pub user_id: String,
    pub status: String,
    pub manual: bool,
    pub last_activity_at: i64,
    pub dnd_end_time: i64,
}

/// Converts a status.
pub fn status(s: core_server::model::Status) -> MmStatus {
    let core_server::model::Status {
        user_id,
        status,
        manual,
        last_activity_at,
        dnd_end_time,
        prev_status: _,
    } = s;
    MmStatus {
        user_id,
        status,
        manual,
        last_activity_at,
        dnd_end_time,
    }
}

/// A reaction.
#[derive(Debug, Serialize, Clone)]
pub struct MmReaction {
    pub user_id: String,
    pub post_id: String,
    pub emoji_name: String,
    pub create_at: i64,
    pub update_at: i64,
    pub delete_at: i64,
    pub remote_id: String,
    pub channel_id: String,
}

/// Converts a reaction.
pub fn reaction(r: core_server::model::Reaction) -> MmReaction {
    let core_server::model::Reaction {
        user_id,
        post_id,
        emoji_name,
        channel_id,
        create_at,
        update_at,
        delete_at,
    } = r;
    MmReaction {
        user_id,
        post_id,
        emoji_name,
        create_at,
        update_at,
        delete_at,
        remote_id: String::new(),
        channel_id,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scheme_roles_split_builtin_from_explicit() {
        let r = scheme_roles(
            "channel_user channel_admin custom",
            "channel_user",
            "channel_admin",
        );
        assert!(r.scheme_user && r.scheme_admin);
        assert_eq!(r.explicit_roles, "custom");
        let r = scheme_roles("channel_user", "channel_user", "channel_admin");
        assert!(r.scheme_user && !r.scheme_admin);
        assert_eq!(r.explicit_roles, "");
    }
}
