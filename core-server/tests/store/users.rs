//! Users, passwords, pictures and sessions.

use core_server::id::new_id;
use core_server::model::*;
use core_server::store::{RoleScope, RoleTerm, UserCount};
use core_server::Error;

use crate::fixtures::*;
use crate::support::Ctx;

async fn users_round_trip_and_unique(ctx: Ctx) {
    let mut u = user("alice");
    ctx.store.create_user(&u, Some("h1")).await.expect("create");
    assert_eq!(ctx.store.get_user(&u.id).await.expect("get"), u);
    assert_eq!(
        ctx.store
            .get_user_by_username("alice")
            .await
            .expect("by name")
            .id,
        u.id
    );
    assert_eq!(
        ctx.store
            .get_user_by_email("alice@example.com")
            .await
            .expect("by email")
            .id,
        u.id
    );
    assert_eq!(
        ctx.store
            .get_password_hash(&u.id)
            .await
            .expect("hash")
            .as_deref(),
        Some("h1")
    );

    let clash = User {
        id: new_id(),
        email: "other@example.com".into(),
        ..user("alice")
    };
    match ctx.store.create_user(&clash, None).await {
        Err(Error::Conflict { field, .. }) => assert_eq!(field, "username"),
        other => panic!("expected a username conflict, got {other:?}"),
    }
    let clash = User {
        id: new_id(),
        username: "other".into(),
        ..user("alice")
    };
    match ctx.store.create_user(&clash, None).await {
        Err(Error::Conflict { field, .. }) => assert_eq!(field, "email"),
        other => panic!("expected an email conflict, got {other:?}"),
    }

    u.nickname = "Al".into();
    u.props.insert("k".into(), "v".into());
    u.update_at = 2;
    ctx.store.update_user(&u).await.expect("update");
    assert_eq!(ctx.store.get_user(&u.id).await.expect("get"), u);
    assert!(matches!(
        ctx.store.get_user(&new_id()).await,
        Err(Error::NotFound { .. })
    ));
    assert_eq!(ctx.store.count_users().await.expect("count"), 1);

    let b = user("bob");
    ctx.store.create_user(&b, None).await.expect("bob");
    let both = ctx
        .store
        .get_users_by_ids(&[u.id.clone(), b.id.clone(), new_id()])
        .await
        .expect("ids");
    assert_eq!(both.len(), 2);
    let first = ctx.store.list_users(None, 1).await.expect("page 1");
    let second = ctx
        .store
        .list_users(Some(&first[0].id), 10)
        .await
        .expect("page 2");
    assert_eq!(first.len() + second.len(), 2);
    assert_ne!(first[0].id, second[0].id);
}

async fn sessions_by_token_hash(ctx: Ctx) {
    let u = user("carol");
    ctx.store.create_user(&u, None).await.expect("user");
    let s = Session {
        id: new_id(),
        token_hash: "abc".into(),
        user_id: u.id.clone(),
        create_at: 1,
        expires_at: 2,
        last_activity_at: 1,
        device_id: "android:xyz".into(),
        roles: u.roles.clone(),
        props: [("csrf".to_string(), "t".to_string())]
            .into_iter()
            .collect(),
    };
    ctx.store.create_session(&s).await.expect("session");
    let (found, owner) = ctx
        .store
        .get_session_with_user("abc")
        .await
        .expect("lookup");
    assert_eq!(found, s);
    assert_eq!(owner.id, u.id);
    assert_eq!(ctx.store.list_sessions(&u.id).await.expect("list").len(), 1);
    ctx.store.delete_session(&s.id).await.expect("delete");
    assert!(matches!(
        ctx.store.get_session_with_user("abc").await,
        Err(Error::NotFound { .. })
    ));
}

async fn passwords_pictures_and_listings(ctx: Ctx) {
    let (t, c, u) = fixture(&ctx).await;
    let store = &ctx.store;
    store.set_password_hash(&u.id, "h2", 7).await.expect("hash");
    assert_eq!(
        store
            .get_password_hash(&u.id)
            .await
            .expect("hash")
            .as_deref(),
        Some("h2")
    );
    assert_eq!(
        store
            .get_user(&u.id)
            .await
            .expect("user")
            .last_password_update,
        7
    );
    assert!(matches!(
        store.set_password_hash(&new_id(), "h", 1).await,
        Err(Error::NotFound { .. })
    ));

    // Listings are by username; only current members count.
    let mut names = Vec::new();
    for name in ["zed", "amy_1", "amyx2"] {
        let mut v = user(name);
        v.first_name = format!("F{name}");
        store.create_user(&v, None).await.expect("user");
        store
            .save_team_member(&team_member(&t.id, &v.id), &[member(&c.id, &v.id)])
            .await
            .expect("join");
        names.push(v);
    }
    let listed: Vec<String> = store
        .list_team_users(&t.id, 0, 10)
        .await
        .expect("team users")
        .into_iter()
        .map(|v| v.username)
        .collect();
    assert_eq!(listed, vec!["amy_1", "amyx2", u.username.as_str(), "zed"]);
    assert_eq!(
        store
            .list_channel_users(&c.id, 1, 2)
            .await
            .expect("page")
            .len(),
        2
    );
    store
        .remove_team_member(&t.id, &names[0].id, 9)
        .await
        .expect("leave");
    assert_eq!(
        store
            .list_team_users(&t.id, 0, 10)
            .await
            .expect("users")
            .len(),
        3
    );

    // Search matches prefixes of names, wildcards literally, within a team.
    let found = |term: &'static str, team: Option<String>| {
        let store = store.clone();
        async move {
            store
                .search_users(term, team.as_deref(), 10)
                .await
                .expect("search")
                .into_iter()
                .map(|v| v.username)
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(found("amy", None).await, vec!["amy_1", "amyx2"]);
    assert_eq!(found("amy_", None).await, vec!["amy_1"]);
    assert_eq!(
        found("fzed", None).await,
        vec!["zed"],
        "first names, any case"
    );
    assert!(
        found("zed", Some(t.id.clone())).await.is_empty(),
        "left the team"
    );
    assert_eq!(
        store
            .get_users_by_usernames(&["zed".into(), "nobody".into()])
            .await
            .expect("by names")
            .len(),
        1
    );

    // A picture is replaced, read back and removed.
    assert!(store.get_picture(&u.id).await.expect("none").is_none());
    store
        .save_picture(&u.id, "image/png", b"one")
        .await
        .expect("save");
    store
        .save_picture(&u.id, "image/jpeg", b"two")
        .await
        .expect("replace");
    assert_eq!(
        store.get_picture(&u.id).await.expect("get"),
        Some(("image/jpeg".to_string(), b"two".to_vec()))
    );
    store.delete_picture(&u.id).await.expect("delete");
    assert!(store.get_picture(&u.id).await.expect("gone").is_none());
}

async fn session_devices_and_sign_out_everywhere(ctx: Ctx) {
    let u = user("dora");
    ctx.store.create_user(&u, None).await.expect("user");
    let session = |hash: &str| Session {
        id: new_id(),
        token_hash: hash.into(),
        user_id: u.id.clone(),
        create_at: 1,
        expires_at: 2,
        last_activity_at: 1,
        device_id: String::new(),
        roles: u.roles.clone(),
        props: StringMap::new(),
    };
    let (a, b) = (session("a"), session("b"));
    ctx.store.create_session(&a).await.expect("a");
    ctx.store.create_session(&b).await.expect("b");
    ctx.store
        .set_session_device(&a.id, "apple:1")
        .await
        .expect("device");
    ctx.store
        .clear_session_device(&a.id, "apple:2")
        .await
        .expect("other device");
    let device = |hash: &'static str| {
        let store = ctx.store.clone();
        async move {
            store
                .get_session_with_user(hash)
                .await
                .expect("session")
                .0
                .device_id
        }
    };
    assert_eq!(
        device("a").await,
        "apple:1",
        "only the device it names is cleared"
    );
    ctx.store
        .clear_session_device(&a.id, "apple:1")
        .await
        .expect("clear");
    assert_eq!(device("a").await, "");
    ctx.store
        .delete_user_sessions(&u.id)
        .await
        .expect("sign out");
    assert!(ctx
        .store
        .list_sessions(&u.id)
        .await
        .expect("list")
        .is_empty());
}

fn term(scope: RoleScope, role: &str, only: bool, unless: Option<&str>) -> RoleTerm {
    RoleTerm {
        scope,
        role: role.into(),
        only,
        unless: unless.map(Into::into),
    }
}

/// A team and channel with an admin (system admin, team and channel
/// admin), a team admin, a plain member who is deactivated, a bot and a
/// member who left; counts by every filter, on the same records.
async fn users_are_counted_by_scope_activation_bots_and_roles(ctx: Ctx) {
    let store = &ctx.store;
    let admin = User {
        roles: "system_user system_admin".into(),
        ..user("admin")
    };
    let lead = user("lead");
    let gone = User {
        delete_at: 5,
        ..user("gone")
    };
    let robot = User {
        is_bot: true,
        ..user("robot")
    };
    let left = user("left");
    let lonely = user("lonely");
    let visitor = user("visitor");
    for u in [&admin, &lead, &gone, &robot, &left, &lonely, &visitor] {
        store.create_user(u, None).await.expect("user");
    }
    let t = team("counted");
    let c = channel(&t.id, "town-square", "O");
    let admin_member = TeamMember {
        roles: "team_user team_admin".into(),
        ..team_member(&t.id, &admin.id)
    };
    let admin_in_channel = ChannelMember {
        roles: "channel_user channel_admin".into(),
        ..member(&c.id, &admin.id)
    };
    store
        .create_team(
            &t,
            std::slice::from_ref(&c),
            Some(&admin_member),
            &[admin_in_channel],
        )
        .await
        .expect("team");
    let lead_member = TeamMember {
        roles: "team_user team_admin".into(),
        ..team_member(&t.id, &lead.id)
    };
    let lead_in_channel = ChannelMember {
        roles: "channel_user channel_admin".into(),
        ..member(&c.id, &lead.id)
    };
    store
        .save_team_member(&lead_member, &[lead_in_channel])
        .await
        .expect("lead");
    for u in [&gone, &robot, &left] {
        store
            .save_team_member(&team_member(&t.id, &u.id), &[member(&c.id, &u.id)])
            .await
            .expect("member");
    }
    store
        .remove_team_member(&t.id, &left.id, 9)
        .await
        .expect("left");
    store
        .save_channel_member(&member(&c.id, &visitor.id))
        .await
        .expect("a channel member outside the team");

    let count =
        |filter: UserCount| async move { store.count_users_where(&filter).await.expect("count") };
    let in_team = |roles: Vec<RoleTerm>| UserCount {
        team_id: Some(t.id.clone()),
        roles,
        ..UserCount::default()
    };
    let in_channel = |roles: Vec<RoleTerm>| UserCount {
        channel_id: Some(c.id.clone()),
        roles,
        ..UserCount::default()
    };

    assert_eq!(
        count(UserCount::default()).await,
        5,
        "active people: admin, lead, left, lonely, visitor"
    );
    let everyone = UserCount {
        include_deleted: true,
        include_bots: true,
        ..UserCount::default()
    };
    assert_eq!(count(everyone).await, 7);
    assert_eq!(
        count(in_team(vec![])).await,
        2,
        "current active members: admin, lead"
    );
    let with_all = UserCount {
        include_deleted: true,
        include_bots: true,
        ..in_team(vec![])
    };
    assert_eq!(
        count(with_all).await,
        4,
        "the member who left is never counted"
    );
    assert_eq!(
        count(in_channel(vec![])).await,
        3,
        "admin, lead and visitor"
    );

    let team_admins = vec![term(RoleScope::Team, "team_admin", false, None)];
    assert_eq!(
        count(in_team(team_admins.clone())).await,
        1,
        "lead: system admins are left out"
    );
    let team_users = vec![term(
        RoleScope::Team,
        "team_user",
        false,
        Some("team_admin"),
    )];
    let deleted_too = UserCount {
        include_deleted: true,
        ..in_team(team_users)
    };
    assert_eq!(
        count(deleted_too).await,
        1,
        "gone: a member who is not an admin"
    );
    let system_admins = vec![term(RoleScope::System, "system_admin", false, None)];
    assert_eq!(count(in_team(system_admins.clone())).await, 1);
    let either = [system_admins.clone(), team_admins.clone()].concat();
    assert_eq!(count(in_team(either)).await, 2, "the terms add up");
    let only_users = vec![term(RoleScope::System, "system_user", true, None)];
    assert_eq!(
        count(in_team(only_users)).await,
        1,
        "lead holds nothing but system_user"
    );
    assert_eq!(
        count(in_channel(team_admins)).await,
        3,
        "team roles mean nothing without a team"
    );
    let channel_admins = vec![term(RoleScope::Channel, "channel_admin", false, None)];
    assert_eq!(count(in_channel(channel_admins)).await, 1);
    let channel_users = vec![term(
        RoleScope::Channel,
        "channel_user",
        false,
        Some("channel_admin"),
    )];
    assert_eq!(count(in_channel(channel_users)).await, 1, "visitor");
    let unknown_team = UserCount {
        team_id: Some(new_id()),
        ..UserCount::default()
    };
    assert_eq!(count(unknown_team).await, 0);
    // A role name with LIKE's wildcards matches only itself.
    let wild = vec![term(RoleScope::System, "system%", false, None)];
    assert_eq!(
        count(UserCount {
            roles: wild,
            ..UserCount::default()
        })
        .await,
        0
    );
}

/// Everyone a user shares a channel with (direct ones and archived ones
/// too), once; and signing everyone out at once.
async fn known_users_and_signing_everyone_out(ctx: Ctx) {
    let store = &ctx.store;
    let (t, town, me) = fixture(&ctx).await;
    let friend = user("friend");
    let colleague = user("colleague");
    let stranger = user("stranger");
    for u in [&friend, &colleague, &stranger] {
        store.create_user(u, None).await.expect("user");
    }
    assert!(store
        .known_user_ids(&me.id)
        .await
        .expect("known")
        .is_empty());
    store
        .save_team_member(
            &team_member(&t.id, &colleague.id),
            &[member(&town.id, &colleague.id)],
        )
        .await
        .expect("colleague");
    let archived = Channel {
        delete_at: 3,
        ..channel(&t.id, "archived", "P")
    };
    store
        .create_channel(
            &archived,
            &[
                member(&archived.id, &me.id),
                member(&archived.id, &colleague.id),
            ],
        )
        .await
        .expect("archived");
    let dm = channel("", &format!("{}__{}", me.id, friend.id), "D");
    store
        .create_channel(&dm, &[member(&dm.id, &me.id), member(&dm.id, &friend.id)])
        .await
        .expect("dm");
    let mut known = store.known_user_ids(&me.id).await.expect("known");
    known.sort();
    let mut expected = vec![friend.id.clone(), colleague.id.clone()];
    expected.sort();
    assert_eq!(known, expected, "each once, never oneself");
    assert_eq!(
        store.known_user_ids(&stranger.id).await.expect("known"),
        Vec::<String>::new()
    );

    let session = |user_id: &str| Session {
        id: new_id(),
        token_hash: new_id(),
        user_id: user_id.into(),
        create_at: 1,
        expires_at: 0,
        last_activity_at: 1,
        device_id: String::new(),
        roles: "system_user".into(),
        props: StringMap::new(),
    };
    let sessions = [session(&me.id), session(&me.id), session(&friend.id)];
    for s in &sessions {
        store.create_session(s).await.expect("session");
    }
    let mut ended = store.delete_all_sessions().await.expect("sign out");
    ended.sort();
    let mut expected: Vec<(String, String)> = sessions
        .iter()
        .map(|s| (s.user_id.clone(), s.id.clone()))
        .collect();
    expected.sort();
    assert_eq!(ended, expected);
    for u in [&me, &friend] {
        assert!(store.list_sessions(&u.id).await.expect("list").is_empty());
    }
    assert!(store.delete_all_sessions().await.expect("again").is_empty());
}

/// Accounts of an identity provider are found by its id of them; a
/// sign-on step is taken once, by its key and kind, and not after it expires.
async fn provider_accounts_and_sign_on_steps(ctx: Ctx) {
    let store = &ctx.store;
    let linked = User {
        auth_service: "openid".into(),
        auth_data: "subject-1".into(),
        ..user("linked")
    };
    store.create_user(&linked, None).await.expect("create");
    store
        .create_user(&user("plain"), Some("h"))
        .await
        .expect("create");
    let found = store
        .get_user_by_auth("openid", "subject-1")
        .await
        .expect("by auth");
    assert_eq!(found.map(|u| u.id), Some(linked.id.clone()));
    for (service, data) in [("gitlab", "subject-1"), ("openid", "subject-2"), ("", "")] {
        assert!(
            store
                .get_user_by_auth(service, data)
                .await
                .expect("by auth")
                .is_none(),
            "{service}/{data}"
        );
    }

    let grant = |key: &str, kind: &str, expires_at: i64| SsoGrant {
        key_hash: key.into(),
        kind: kind.into(),
        data: format!("{{\"for\":\"{key}\"}}"),
        expires_at,
    };
    let now = core_server::time::now_ms();
    store
        .save_sso_grant(&grant("k1", "state", now + 60_000))
        .await
        .expect("save");
    store
        .save_sso_grant(&grant("k2", "state", now - 1))
        .await
        .expect("save");
    assert!(
        store
            .take_sso_grant("k1", "login_code", now)
            .await
            .expect("take")
            .is_none(),
        "another kind"
    );
    let taken = store
        .take_sso_grant("k1", "state", now)
        .await
        .expect("take");
    assert_eq!(taken.map(|g| g.data), Some("{\"for\":\"k1\"}".to_string()));
    assert!(
        store
            .take_sso_grant("k1", "state", now)
            .await
            .expect("take")
            .is_none(),
        "once"
    );
    assert!(
        store
            .take_sso_grant("k2", "state", now)
            .await
            .expect("take")
            .is_none(),
        "expired"
    );
}

on_both_backends!(
    provider_accounts_and_sign_on_steps,
    users_round_trip_and_unique,
    sessions_by_token_hash,
    passwords_pictures_and_listings,
    session_devices_and_sign_out_everywhere,
    users_are_counted_by_scope_activation_bots_and_roles,
    known_users_and_signing_everyone_out,
);
