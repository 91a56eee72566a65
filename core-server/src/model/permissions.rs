//! Roles and what they permit: the one table every permission check reads,
//! with Mattermost's default role permissions (a server without custom
//! permission schemes), so a user may do exactly what Mattermost lets them.
//!
//! A check unions three role lists: the user's system roles, their roles in
//! the team, and their roles in the channel. System admins may do anything
//! (`manage_system`).

use super::roles;

/// Declares the permissions once: the enum, the list of all of them, and
/// each one's Mattermost id.
macro_rules! permissions {
    ($($variant:ident => $id:literal,)*) => {
        /// One permission, by Mattermost's id for it.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Permission {
            $($variant,)*
        }

        impl Permission {
            /// Every permission; a system admin holds them all.
            pub const ALL: &'static [Permission] = &[$(Permission::$variant,)*];

            /// Mattermost's id for the permission.
            pub fn id(self) -> &'static str {
                match self {
                    $(Permission::$variant => $id,)*
                }
            }
        }
    };
}

permissions! {
    // ---- system scope
    ManageSystem => "manage_system",
    ManageRoles => "manage_roles",
    EditOtherUsers => "edit_other_users",
    CreateTeam => "create_team",
    ListPublicTeams => "list_public_teams",
    JoinPublicTeams => "join_public_teams",
    ListPrivateTeams => "list_private_teams",
    JoinPrivateTeams => "join_private_teams",
    CreateDirectChannel => "create_direct_channel",
    CreateGroupChannel => "create_group_channel",
    ViewMembers => "view_members",
    CreateEmojis => "create_emojis",
    DeleteEmojis => "delete_emojis",
    DeleteOthersEmojis => "delete_others_emojis",
    CreateBot => "create_bot",
    ReadBots => "read_bots",
    ReadOthersBots => "read_others_bots",
    ManageBots => "manage_bots",
    ManageOthersBots => "manage_others_bots",
    AssignBot => "assign_bot",
    CreateUserAccessToken => "create_user_access_token",
    ReadUserAccessToken => "read_user_access_token",
    RevokeUserAccessToken => "revoke_user_access_token",
    ReadJobs => "read_jobs",
    ManageJobs => "manage_jobs",
    CreateCustomGroup => "create_custom_group",
    EditCustomGroup => "edit_custom_group",
    DeleteCustomGroup => "delete_custom_group",
    RestoreCustomGroup => "restore_custom_group",
    ManageCustomGroupMembers => "manage_custom_group_members",
    InvalidateEmailInvite => "invalidate_email_invite",
    TestEmail => "test_email",
    // ---- team scope
    ViewTeam => "view_team",
    ManageTeam => "manage_team",
    ImportTeam => "import_team",
    ManageTeamRoles => "manage_team_roles",
    InviteUser => "invite_user",
    AddUserToTeam => "add_user_to_team",
    RemoveUserFromTeam => "remove_user_from_team",
    ListTeamChannels => "list_team_channels",
    JoinPublicChannels => "join_public_channels",
    ReadPublicChannel => "read_public_channel",
    CreatePublicChannel => "create_public_channel",
    CreatePrivateChannel => "create_private_channel",
    ManageOwnIncomingWebhooks => "manage_own_incoming_webhooks",
    ManageOthersIncomingWebhooks => "manage_others_incoming_webhooks",
    ManageOwnOutgoingWebhooks => "manage_own_outgoing_webhooks",
    ManageOthersOutgoingWebhooks => "manage_others_outgoing_webhooks",
    ManageOwnSlashCommands => "manage_own_slash_commands",
    ManageOthersSlashCommands => "manage_others_slash_commands",
    BypassIncomingWebhookChannelLock => "bypass_incoming_webhook_channel_lock",
    // ---- channel scope
    ReadChannel => "read_channel",
    ReadChannelContent => "read_channel_content",
    ReadPublicChannelGroups => "read_public_channel_groups",
    ReadPrivateChannelGroups => "read_private_channel_groups",
    CreatePost => "create_post",
    EditPost => "edit_post",
    EditOthersPosts => "edit_others_posts",
    DeletePost => "delete_post",
    DeleteOthersPosts => "delete_others_posts",
    AddReaction => "add_reaction",
    RemoveReaction => "remove_reaction",
    UploadFile => "upload_file",
    GetPublicLink => "get_public_link",
    EditFileAttachment => "edit_file_attachment",
    UseChannelMentions => "use_channel_mentions",
    UseGroupMentions => "use_group_mentions",
    ManagePublicChannelMembers => "manage_public_channel_members",
    ManagePrivateChannelMembers => "manage_private_channel_members",
    ManagePublicChannelProperties => "manage_public_channel_properties",
    ManagePrivateChannelProperties => "manage_private_channel_properties",
    DeletePublicChannel => "delete_public_channel",
    DeletePrivateChannel => "delete_private_channel",
    ManageChannelRoles => "manage_channel_roles",
    ConvertPublicChannelToPrivate => "convert_public_channel_to_private",
    ConvertPrivateChannelToPublic => "convert_private_channel_to_public",
    AddBookmarkPublicChannel => "add_bookmark_public_channel",
    EditBookmarkPublicChannel => "edit_bookmark_public_channel",
    DeleteBookmarkPublicChannel => "delete_bookmark_public_channel",
    OrderBookmarkPublicChannel => "order_bookmark_public_channel",
    AddBookmarkPrivateChannel => "add_bookmark_private_channel",
    EditBookmarkPrivateChannel => "edit_bookmark_private_channel",
    DeleteBookmarkPrivateChannel => "delete_bookmark_private_channel",
    OrderBookmarkPrivateChannel => "order_bookmark_private_channel",
    ManagePublicChannelBanner => "manage_public_channel_banner",
    ManagePrivateChannelBanner => "manage_private_channel_banner",
}

use Permission::*;

/// Channel bookmarks, which every channel role may manage.
const BOOKMARKS: &[Permission] = &[
    AddBookmarkPublicChannel,
    EditBookmarkPublicChannel,
    DeleteBookmarkPublicChannel,
    OrderBookmarkPublicChannel,
    AddBookmarkPrivateChannel,
    EditBookmarkPrivateChannel,
    DeleteBookmarkPrivateChannel,
    OrderBookmarkPrivateChannel,
];

const SYSTEM_USER: &[Permission] = &[
    ListPublicTeams,
    JoinPublicTeams,
    CreateDirectChannel,
    CreateGroupChannel,
    ViewMembers,
    CreateTeam,
    CreateCustomGroup,
    EditCustomGroup,
    DeleteCustomGroup,
    RestoreCustomGroup,
    ManageCustomGroupMembers,
    CreateEmojis,
    DeleteEmojis,
];

const TEAM_USER: &[Permission] = &[
    ListTeamChannels,
    JoinPublicChannels,
    ReadPublicChannel,
    ViewTeam,
    CreatePublicChannel,
    CreatePrivateChannel,
    InviteUser,
    AddUserToTeam,
];

const TEAM_ADMIN: &[Permission] = &[
    RemoveUserFromTeam,
    ManageTeam,
    ImportTeam,
    ManageTeamRoles,
    ManageChannelRoles,
    ManageOwnIncomingWebhooks,
    ManageOthersIncomingWebhooks,
    ManageOwnOutgoingWebhooks,
    ManageOthersOutgoingWebhooks,
    ManageOwnSlashCommands,
    ManageOthersSlashCommands,
    BypassIncomingWebhookChannelLock,
    ConvertPublicChannelToPrivate,
    ConvertPrivateChannelToPublic,
    DeletePost,
    DeleteOthersPosts,
    CreatePost,
    AddReaction,
    RemoveReaction,
    ManagePublicChannelMembers,
    ManagePrivateChannelMembers,
    UseChannelMentions,
    UseGroupMentions,
    ReadPublicChannelGroups,
    ReadPrivateChannelGroups,
    UploadFile,
    ManagePublicChannelBanner,
    ManagePrivateChannelBanner,
];

const CHANNEL_USER: &[Permission] = &[
    ReadChannel,
    ReadChannelContent,
    AddReaction,
    RemoveReaction,
    ManagePublicChannelMembers,
    ManagePrivateChannelMembers,
    UploadFile,
    GetPublicLink,
    CreatePost,
    UseChannelMentions,
    UseGroupMentions,
    ManagePublicChannelProperties,
    ManagePrivateChannelProperties,
    DeletePublicChannel,
    DeletePrivateChannel,
    DeletePost,
    EditPost,
    EditFileAttachment,
    ReadPublicChannelGroups,
    ReadPrivateChannelGroups,
];

const CHANNEL_ADMIN: &[Permission] = &[
    ManageChannelRoles,
    UseGroupMentions,
    ManagePublicChannelBanner,
    ManagePrivateChannelBanner,
    CreatePost,
    AddReaction,
    RemoveReaction,
    ManagePublicChannelMembers,
    ManagePrivateChannelMembers,
    UseChannelMentions,
    ReadPublicChannelGroups,
    ReadPrivateChannelGroups,
    UploadFile,
];

/// The permissions of one built-in role, `None` for an unknown role name.
/// (Bookmarks are added by [`role_grants`] for the three channel-level
/// roles that have them.)
fn own_permissions(role: &str) -> Option<&'static [Permission]> {
    Some(match role {
        roles::SYSTEM_USER => SYSTEM_USER,
        roles::SYSTEM_ADMIN => Permission::ALL,
        roles::TEAM_USER => TEAM_USER,
        roles::TEAM_ADMIN => TEAM_ADMIN,
        roles::CHANNEL_USER => CHANNEL_USER,
        roles::CHANNEL_ADMIN => CHANNEL_ADMIN,
        _ => return None,
    })
}

/// Whether the role called `role` grants `permission`.
pub fn role_grants(role: &str, permission: Permission) -> bool {
    let bookmarks = matches!(
        role,
        roles::TEAM_ADMIN | roles::CHANNEL_USER | roles::CHANNEL_ADMIN
    );
    own_permissions(role).is_some_and(|p| p.contains(&permission))
        || (bookmarks && BOOKMARKS.contains(&permission))
}

/// Every permission the role called `role` grants, in table order; `None`
/// for a role that does not exist.
pub fn role_permissions(role: &str) -> Option<Vec<Permission>> {
    own_permissions(role)?;
    Some(
        Permission::ALL
            .iter()
            .copied()
            .filter(|p| role_grants(role, *p))
            .collect(),
    )
}

/// Whether any role of a space-separated list grants `permission`.
pub fn roles_grant(list: &str, permission: Permission) -> bool {
    list.split_whitespace().any(|r| role_grants(r, permission))
}

/// The roles a user holds where a check is made: always their system roles,
/// their team roles when the place belongs to a team they are in, and their
/// channel roles when they are a member of the channel.
#[derive(Debug, Clone, Copy, Default)]
pub struct HeldRoles<'a> {
    pub system: &'a str,
    pub team: Option<&'a str>,
    pub channel: Option<&'a str>,
}

impl HeldRoles<'_> {
    /// Whether these roles together grant `permission`, as Mattermost
    /// decides: channel roles, then `manage_system`, then team roles, then
    /// system roles.
    pub fn grant(&self, permission: Permission) -> bool {
        self.channel.is_some_and(|r| roles_grant(r, permission))
            || roles_grant(self.system, ManageSystem)
            || self.team.is_some_and(|r| roles_grant(r, permission))
            || roles_grant(self.system, permission)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn who(roles: &[&str]) -> Vec<&'static str> {
        let mut ids: Vec<&'static str> = Vec::new();
        for role in roles {
            for p in role_permissions(role).expect("role") {
                ids.push(p.id());
            }
        }
        ids.sort_unstable();
        ids.dedup();
        ids
    }

    fn holders(permission: Permission) -> Vec<&'static str> {
        [
            roles::SYSTEM_USER,
            roles::TEAM_USER,
            roles::TEAM_ADMIN,
            roles::CHANNEL_USER,
            roles::CHANNEL_ADMIN,
            roles::SYSTEM_ADMIN,
        ]
        .into_iter()
        .filter(|r| role_grants(r, permission))
        .collect()
    }

    #[test]
    fn others_posts_are_for_admins_as_on_mattermost() {
        assert_eq!(holders(EditOthersPosts), vec![roles::SYSTEM_ADMIN]);
        assert_eq!(
            holders(DeleteOthersPosts),
            vec![roles::TEAM_ADMIN, roles::SYSTEM_ADMIN]
        );
        assert_eq!(
            holders(EditPost),
            vec![roles::CHANNEL_USER, roles::SYSTEM_ADMIN]
        );
        assert_eq!(
            holders(DeletePost),
            vec![roles::TEAM_ADMIN, roles::CHANNEL_USER, roles::SYSTEM_ADMIN]
        );
    }

    #[test]
    fn each_role_holds_what_mattermost_gives_it() {
        assert_eq!(
            who(&[roles::TEAM_USER]),
            vec![
                "add_user_to_team",
                "create_private_channel",
                "create_public_channel",
                "invite_user",
                "join_public_channels",
                "list_team_channels",
                "read_public_channel",
                "view_team",
            ]
        );
        let channel_admin = who(&[roles::CHANNEL_ADMIN]);
        for missing in [
            "edit_post",
            "delete_post",
            "edit_others_posts",
            "delete_others_posts",
        ] {
            assert!(!channel_admin.contains(&missing), "{missing}");
        }
        assert!(channel_admin.contains(&"manage_channel_roles"));
        let team_admin = who(&[roles::TEAM_ADMIN]);
        for held in [
            "manage_team",
            "remove_user_from_team",
            "delete_others_posts",
        ] {
            assert!(team_admin.contains(&held), "{held}");
        }
        for missing in [
            "edit_post",
            "manage_public_channel_properties",
            "invite_user",
        ] {
            assert!(!team_admin.contains(&missing), "{missing}");
        }
        assert!(!who(&[roles::SYSTEM_USER]).contains(&"create_bot"));
        assert_eq!(
            who(&[roles::SYSTEM_ADMIN]).len(),
            Permission::ALL.len(),
            "a system admin holds every permission"
        );
        assert!(role_permissions("no_such_role").is_none());
    }

    #[test]
    fn ids_are_unique_and_listed_once() {
        let mut ids: Vec<&str> = Permission::ALL.iter().map(|p| p.id()).collect();
        ids.sort_unstable();
        let count = ids.len();
        ids.dedup();
        assert_eq!(ids.len(), count);
    }

    #[test]
    fn held_roles_union_channel_team_and_system() {
        let member = HeldRoles {
            system: "system_user",
            team: Some("team_user"),
            channel: Some("channel_user"),
        };
        assert!(member.grant(EditPost));
        assert!(!member.grant(EditOthersPosts));
        let channel_admin = HeldRoles {
            channel: Some("channel_user channel_admin"),
            ..member
        };
        assert!(!channel_admin.grant(EditOthersPosts));
        assert!(!channel_admin.grant(DeleteOthersPosts));
        assert!(channel_admin.grant(ManageChannelRoles));
        // A team admin outside the channel may delete others' posts there,
        // but not rename it.
        let team_admin = HeldRoles {
            system: "system_user",
            team: Some("team_user team_admin"),
            channel: None,
        };
        assert!(team_admin.grant(DeleteOthersPosts));
        assert!(!team_admin.grant(ManagePublicChannelProperties));
        let sysadmin = HeldRoles {
            system: "system_user system_admin",
            ..HeldRoles::default()
        };
        assert!(sysadmin.grant(EditOthersPosts));
        // Roles of a place the user is not in count for nothing.
        let stranger = HeldRoles {
            system: "system_user",
            ..HeldRoles::default()
        };
        assert!(!stranger.grant(CreatePost));
    }
}
