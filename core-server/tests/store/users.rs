//! Users, passwords, pictures and sessions.

use core_server::id::new_id;
use core_server::model::*;
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

on_both_backends!(
    users_round_trip_and_unique,
    sessions_by_token_hash,
    passwords_pictures_and_listings,
    session_devices_and_sign_out_everywhere,
);
