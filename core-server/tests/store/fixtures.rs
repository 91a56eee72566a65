//! Records to store: one of each, with defaults a test overrides as it needs.

use core_server::id::new_id;
use core_server::model::*;

use crate::support::Ctx;

pub fn user(name: &str) -> User {
    User {
        first_name: "First".into(),
        ..User::new_account(new_id(), name.into(), format!("{name}@example.com"), 1)
    }
}

pub fn team(name: &str) -> Team {
    Team {
        id: new_id(),
        create_at: 1,
        update_at: 1,
        delete_at: 0,
        display_name: name.into(),
        name: name.into(),
        description: String::new(),
        email: String::new(),
        team_type: "O".into(),
        company_name: String::new(),
        allowed_domains: String::new(),
        invite_id: new_id(),
        allow_open_invite: true,
        last_team_icon_update: 0,
    }
}

pub fn channel(team_id: &str, name: &str, kind: &str) -> Channel {
    Channel {
        id: new_id(),
        create_at: 1,
        update_at: 1,
        delete_at: 0,
        team_id: team_id.into(),
        channel_type: kind.into(),
        display_name: name.into(),
        name: name.into(),
        header: String::new(),
        purpose: String::new(),
        last_post_at: 0,
        last_root_post_at: 0,
        total_msg_count: 0,
        total_msg_count_root: 0,
        creator_id: String::new(),
        props: serde_json::json!({"k": [1, 2]}),
        extra_update_at: 0,
        group_constrained: false,
        shared: false,
    }
}

pub fn member(channel_id: &str, user_id: &str) -> ChannelMember {
    ChannelMember {
        channel_id: channel_id.into(),
        user_id: user_id.into(),
        roles: "channel_user".into(),
        last_viewed_at: 0,
        msg_count: 0,
        mention_count: 0,
        mention_count_root: 0,
        urgent_mention_count: 0,
        msg_count_root: 0,
        notify_props: default_channel_notify_props(),
        last_update_at: 1,
    }
}

pub fn team_member(team_id: &str, user_id: &str) -> TeamMember {
    TeamMember {
        team_id: team_id.into(),
        user_id: user_id.into(),
        roles: "team_user".into(),
        delete_at: 0,
        create_at: 1,
        update_at: 1,
    }
}

/// A status set by presence (not by hand), with nothing else of note.
pub fn status(user_id: &str, status: &str) -> Status {
    Status {
        user_id: user_id.into(),
        status: status.into(),
        ..Status::default()
    }
}

pub fn post(channel_id: &str, user_id: &str, at: i64, root: &str) -> Post {
    Post {
        id: new_id(),
        create_at: at,
        update_at: at,
        edit_at: 0,
        delete_at: 0,
        is_pinned: false,
        user_id: user_id.into(),
        channel_id: channel_id.into(),
        root_id: root.into(),
        original_id: String::new(),
        message: format!("message at {at}"),
        post_type: String::new(),
        props: serde_json::json!({"from_test": true}),
        hashtags: String::new(),
        file_ids: vec![new_id()],
        pending_post_id: String::new(),
        reply_count: 0,
        last_reply_at: 0,
    }
}

/// A team with one open channel and one member in both; returns (team, channel, user).
pub async fn fixture(ctx: &Ctx) -> (Team, Channel, User) {
    let u = user(&format!("u{}", &new_id()[..10]));
    ctx.store.create_user(&u, Some("hash")).await.expect("user");
    let t = team(&format!("t{}", &new_id()[..10]));
    let c = channel(&t.id, "town-square", "O");
    ctx.store
        .create_team(
            &t,
            std::slice::from_ref(&c),
            Some(&team_member(&t.id, &u.id)),
            &[member(&c.id, &u.id)],
        )
        .await
        .expect("team");
    (t, c, u)
}
