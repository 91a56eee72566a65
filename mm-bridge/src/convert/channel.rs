use serde::Serialize;

use core_server::model::{Channel, ChannelMember, StringMap};

use super::scheme_roles;

/// Mattermost's `Channel`.
#[derive(Debug, Serialize, Clone)]
pub struct MmChannel {
    pub id: String,
    pub create_at: i64,
    pub update_at: i64,
    pub delete_at: i64,
    pub team_id: String,
    #[serde(rename = "type")]
    pub channel_type: String,
    pub display_name: String,
    pub name: String,
    pub header: String,
    pub purpose: String,
    pub last_post_at: i64,
    pub total_msg_count: i64,
    pub extra_update_at: i64,
    pub creator_id: String,
    pub scheme_id: Option<String>,
    pub props: Option<serde_json::Value>,
    pub group_constrained: Option<bool>,
    pub shared: Option<bool>,
    pub total_msg_count_root: i64,
    pub policy_id: Option<String>,
    pub last_root_post_at: i64,
}

/// Converts a channel.
pub fn channel(c: Channel) -> MmChannel {
    let Channel {
        id,
        create_at,
        update_at,
        delete_at,
        team_id,
        channel_type,
        display_name,
        name,
        header,
        purpose,
        last_post_at,
        last_root_post_at,
        total_msg_count,
        total_msg_count_root,
        creator_id,
        props,
        extra_update_at,
        group_constrained,
        shared,
    } = c;
    let props = match props {
        serde_json::Value::Object(map) if map.is_empty() => None,
        other => Some(other),
    };
    MmChannel {
        id,
        create_at,
        update_at,
        delete_at,
        team_id,
        channel_type,
        display_name,
        name,
        header,
        purpose,
        last_post_at,
        total_msg_count,
        extra_update_at,
        creator_id,
        scheme_id: None,
        props,
        group_constrained: Some(group_constrained),
        shared: Some(shared),
        total_msg_count_root,
        policy_id: None,
        last_root_post_at,
    }
}

/// Mattermost's `ChannelMember`.
#[derive(Debug, Serialize, Clone)]
pub struct MmChannelMember {
    pub channel_id: String,
    pub user_id: String,
    pub roles: String,
    pub last_viewed_at: i64,
    pub msg_count: i64,
    pub mention_count: i64,
    pub mention_count_root: i64,
    pub urgent_mention_count: i64,
    pub msg_count_root: i64,
    pub notify_props: StringMap,
    pub last_update_at: i64,
    pub scheme_guest: bool,
    pub scheme_user: bool,
    pub scheme_admin: bool,
    pub explicit_roles: String,
}

/// Converts a channel membership.
pub fn channel_member(m: ChannelMember) -> MmChannelMember {
    let ChannelMember {
        channel_id,
        user_id,
        roles,
        last_viewed_at,
        msg_count,
        mention_count,
        mention_count_root,
        urgent_mention_count,
        msg_count_root,
        notify_props,
        last_update_at,
    } = m;
    let scheme = scheme_roles(&roles, "channel_user", "channel_admin");
    MmChannelMember {
        channel_id,
        user_id,
        roles,
        last_viewed_at,
        msg_count,
        mention_count,
        mention_count_root,
        urgent_mention_count,
        msg_count_root,
        notify_props,
        last_update_at,
        scheme_guest: false,
        scheme_user: scheme.scheme_user,
        scheme_admin: scheme.scheme_admin,
        explicit_roles: scheme.explicit_roles,
    }
}
