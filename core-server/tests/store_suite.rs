//! The store test suite: every test runs on SQLite and on PostgreSQL
//! (`sqlite::<name>` and `postgres::<name>` in the output).

mod support;

use core_server::id::new_id;
use core_server::model::*;
use core_server::store::PostCursor;
use core_server::Error;
use support::Ctx;

fn user(name: &str) -> User {
    User {
        id: new_id(),
        create_at: 1,
        update_at: 1,
        delete_at: 0,
        username: name.into(),
        email: format!("{name}@example.com"),
        email_verified: false,
        nickname: String::new(),
        first_name: "First".into(),
        last_name: String::new(),
        position: String::new(),
        roles: "system_user".into(),
        props: StringMap::new(),
        notify_props: default_user_notify_props(),
        timezone: default_timezone(),
        locale: "en".into(),
        last_password_update: 0,
        last_picture_update: 0,
        last_activity_at: 0,
        is_bot: false,
        bot_description: String::new(),
        auth_service: String::new(),
        auth_data: String::new(),
        mfa_active: false,
    }
}

fn team(name: &str) -> Team {
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

fn channel(team_id: &str, name: &str, kind: &str) -> Channel {
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

fn member(channel_id: &str, user_id: &str) -> ChannelMember {
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

fn team_member(team_id: &str, user_id: &str) -> TeamMember {
    TeamMember {
        team_id: team_id.into(),
        user_id: user_id.into(),
        roles: "team_user".into(),
        delete_at: 0,
        create_at: 1,
        update_at: 1,
    }
}

fn post(channel_id: &str, user_id: &str, at: i64, root: &str) -> Post {
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
async fn fixture(ctx: &Ctx) -> (Team, Channel, User) {
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

async fn teams_and_membership(ctx: Ctx) {
    let (t, c, u) = fixture(&ctx).await;
    assert_eq!(ctx.store.get_team(&t.id).await.expect("team"), t);
    assert_eq!(
        ctx.store
            .get_team_by_name(&t.name)
            .await
            .expect("by name")
            .id,
        t.id
    );
    assert_eq!(
        ctx.store.list_user_teams(&u.id).await.expect("mine").len(),
        1
    );
    assert_eq!(
        ctx.store
            .get_channel_member(&c.id, &u.id)
            .await
            .expect("member")
            .roles,
        "channel_user"
    );

    let v = user("victor");
    ctx.store.create_user(&v, None).await.expect("user");
    ctx.store
        .save_team_member(&team_member(&t.id, &v.id), &[member(&c.id, &v.id)])
        .await
        .expect("join");
    assert_eq!(
        ctx.store
            .list_team_members(&t.id, None, 10)
            .await
            .expect("members")
            .len(),
        2
    );
    ctx.store
        .remove_team_member(&t.id, &v.id, 5)
        .await
        .expect("leave");
    assert_eq!(
        ctx.store
            .get_team_member(&t.id, &v.id)
            .await
            .expect("kept")
            .delete_at,
        5
    );
    assert!(matches!(
        ctx.store.get_channel_member(&c.id, &v.id).await,
        Err(Error::NotFound { .. })
    ));
    assert_eq!(
        ctx.store
            .list_team_members(&t.id, None, 10)
            .await
            .expect("members")
            .len(),
        1
    );
    // Rejoining revives the membership row.
    ctx.store
        .save_team_member(&team_member(&t.id, &v.id), &[])
        .await
        .expect("rejoin");
    assert_eq!(
        ctx.store
            .get_team_member(&t.id, &v.id)
            .await
            .expect("back")
            .delete_at,
        0
    );

    let clash = team(&t.name);
    assert!(matches!(
        ctx.store
            .create_team(&clash, &[], Some(&team_member(&clash.id, &u.id)), &[])
            .await,
        Err(Error::Conflict { .. })
    ));
}

async fn channel_visibility(ctx: Ctx) {
    let (t, open, u) = fixture(&ctx).await;
    let outsider = user("oscar");
    ctx.store.create_user(&outsider, None).await.expect("user");
    let private = channel(&t.id, "secret", "P");
    ctx.store
        .create_channel(&private, &[member(&private.id, &u.id)])
        .await
        .expect("private");
    let seen_by_member = ctx
        .store
        .list_team_channels(&t.id, &u.id)
        .await
        .expect("list");
    assert_eq!(seen_by_member.len(), 2);
    let seen_by_outsider = ctx
        .store
        .list_team_channels(&t.id, &outsider.id)
        .await
        .expect("list");
    assert_eq!(
        seen_by_outsider
            .iter()
            .map(|c| c.id.clone())
            .collect::<Vec<_>>(),
        vec![open.id.clone()]
    );
    assert_eq!(
        ctx.store.get_channel(&private.id).await.expect("get"),
        private
    );
    assert_eq!(
        ctx.store
            .get_channel_by_name(&t.id, "secret")
            .await
            .expect("by name")
            .id,
        private.id
    );
    assert_eq!(
        ctx.store
            .list_user_channels(&u.id, Some(&t.id))
            .await
            .expect("mine")
            .len(),
        2
    );
    assert_eq!(
        ctx.store
            .count_channel_members(&private.id)
            .await
            .expect("count"),
        1
    );
    assert!(matches!(
        ctx.store
            .create_channel(&channel(&t.id, "secret", "O"), &[])
            .await,
        Err(Error::Conflict { .. })
    ));
}

async fn posts_threads_edits_and_deletes(ctx: Ctx) {
    let (_, c, u) = fixture(&ctx).await;
    let mut ids = Vec::new();
    for at in 10..15 {
        ids.push(
            ctx.store
                .create_post(&post(&c.id, &u.id, at, ""))
                .await
                .expect("post")
                .id,
        );
    }
    let newest = ctx
        .store
        .list_channel_posts(&c.id, None, 2)
        .await
        .expect("page");
    assert_eq!(
        newest.iter().map(|p| p.id.clone()).collect::<Vec<_>>(),
        vec![ids[4].clone(), ids[3].clone()]
    );
    let cursor = PostCursor {
        create_at: newest[1].create_at,
        id: &newest[1].id,
    };
    let older = ctx
        .store
        .list_channel_posts(&c.id, Some(cursor), 10)
        .await
        .expect("older");
    assert_eq!(older.len(), 3);
    assert_eq!(older[0].id, ids[2]);

    let root = ctx.store.get_post(&ids[0]).await.expect("root");
    assert_eq!(root.props, serde_json::json!({"from_test": true}));
    assert_eq!(root.file_ids.len(), 1);
    let reply = ctx
        .store
        .create_post(&post(&c.id, &u.id, 20, &root.id))
        .await
        .expect("reply");
    let root_after = ctx.store.get_post(&root.id).await.expect("root");
    assert_eq!(root_after.reply_count, 1);
    assert_eq!(root_after.last_reply_at, 20);
    assert_eq!(
        ctx.store.list_thread(&root.id).await.expect("thread").len(),
        2
    );

    let chan = ctx.store.get_channel(&c.id).await.expect("channel");
    assert_eq!(chan.total_msg_count, 6);
    assert_eq!(chan.total_msg_count_root, 5);
    assert_eq!(chan.last_post_at, 20);
    let mine = ctx
        .store
        .get_channel_member(&c.id, &u.id)
        .await
        .expect("member");
    assert_eq!(mine.msg_count, 6, "the poster has read their own posts");

    let mut edited = root_after.clone();
    edited.message = "edited".into();
    edited.edit_at = 30;
    let history = Post {
        id: new_id(),
        original_id: root.id.clone(),
        delete_at: 30,
        ..root_after.clone()
    };
    ctx.store.edit_post(&history, &edited).await.expect("edit");
    let now = ctx.store.get_post(&root.id).await.expect("edited");
    assert_eq!(
        (now.message.as_str(), now.edit_at, now.update_at),
        ("edited", 30, 30)
    );
    assert_eq!(
        ctx.store
            .get_post(&history.id)
            .await
            .expect("history")
            .original_id,
        root.id
    );

    ctx.store.delete_post(&now, 40).await.expect("delete root");
    assert_eq!(
        ctx.store
            .get_post(&reply.id)
            .await
            .expect("reply")
            .delete_at,
        40,
        "replies follow their root"
    );
    assert!(ctx
        .store
        .list_thread(&root.id)
        .await
        .expect("thread")
        .is_empty());
    assert_eq!(
        ctx.store
            .list_channel_posts(&c.id, None, 10)
            .await
            .expect("live")
            .len(),
        4
    );
    assert!(matches!(
        ctx.store.delete_post(&now, 41).await,
        Err(Error::NotFound { .. })
    ));
}

async fn pending_post_id_is_idempotent(ctx: Ctx) {
    let (_, c, u) = fixture(&ctx).await;
    let mut p = post(&c.id, &u.id, 10, "");
    p.pending_post_id = "client-1".into();
    let first = ctx.store.create_post(&p).await.expect("first");
    let again = Post {
        id: new_id(),
        ..p.clone()
    };
    let second = ctx.store.create_post(&again).await.expect("second");
    assert_eq!(first.id, second.id);
    assert_eq!(
        ctx.store
            .get_channel(&c.id)
            .await
            .expect("channel")
            .total_msg_count,
        1
    );
}

async fn counters_are_exact_under_concurrent_posting(ctx: Ctx) {
    let (t, c, u) = fixture(&ctx).await;
    let reader = user("reader");
    ctx.store.create_user(&reader, None).await.expect("user");
    ctx.store
        .save_team_member(
            &team_member(&t.id, &reader.id),
            &[member(&c.id, &reader.id)],
        )
        .await
        .expect("join");
    let mut tasks = Vec::new();
    for i in 0..40 {
        let store = ctx.store.clone();
        let p = post(&c.id, &u.id, 100 + i, "");
        tasks.push(tokio::spawn(async move { store.create_post(&p).await }));
    }
    for t in tasks {
        t.await.expect("join").expect("post");
    }
    let chan = ctx.store.get_channel(&c.id).await.expect("channel");
    assert_eq!(chan.total_msg_count, 40);
    assert_eq!(chan.last_post_at, 139);
    let unread = ctx
        .store
        .list_unreads(&reader.id, Some(&t.id))
        .await
        .expect("unreads");
    assert_eq!(unread.len(), 1);
    assert_eq!(unread[0].msg_count, 40);
    let viewed = ctx
        .store
        .view_channel(&c.id, &reader.id, 500)
        .await
        .expect("view");
    assert_eq!((viewed.msg_count, viewed.last_viewed_at), (40, 500));
    assert_eq!(
        ctx.store
            .list_unreads(&reader.id, None)
            .await
            .expect("unreads")[0]
            .msg_count,
        0
    );
}

async fn reactions_preferences_statuses(ctx: Ctx) {
    let (_, c, u) = fixture(&ctx).await;
    let p = ctx
        .store
        .create_post(&post(&c.id, &u.id, 10, ""))
        .await
        .expect("post");
    let r = Reaction {
        user_id: u.id.clone(),
        post_id: p.id.clone(),
        emoji_name: "tada".into(),
        channel_id: c.id.clone(),
        create_at: 1,
        update_at: 1,
        delete_at: 0,
    };
    ctx.store.save_reaction(&r).await.expect("react");
    ctx.store.save_reaction(&r).await.expect("react twice");
    assert_eq!(
        ctx.store.list_reactions(&p.id).await.expect("list"),
        vec![r.clone()]
    );
    ctx.store
        .delete_reaction(&p.id, &u.id, "tada", 2)
        .await
        .expect("unreact");
    assert!(ctx
        .store
        .list_reactions(&p.id)
        .await
        .expect("list")
        .is_empty());
    assert!(matches!(
        ctx.store.delete_reaction(&p.id, &u.id, "tada", 3).await,
        Err(Error::NotFound { .. })
    ));

    let pref = |v: &str| Preference {
        user_id: u.id.clone(),
        category: "display_settings".into(),
        name: "theme".into(),
        value: v.into(),
    };
    ctx.store
        .save_preferences(&[pref("dark")])
        .await
        .expect("save");
    ctx.store
        .save_preferences(&[pref("light")])
        .await
        .expect("replace");
    assert_eq!(
        ctx.store.list_preferences(&u.id).await.expect("list"),
        vec![pref("light")]
    );
    ctx.store
        .delete_preferences(&u.id, &[("display_settings".into(), "theme".into())])
        .await
        .expect("delete");
    assert!(ctx
        .store
        .list_preferences(&u.id)
        .await
        .expect("list")
        .is_empty());

    assert_eq!(ctx.store.get_status(&u.id).await.expect("none"), None);
    let s = Status {
        user_id: u.id.clone(),
        status: "dnd".into(),
        manual: true,
        last_activity_at: 5,
        dnd_end_time: 99,
        prev_status: "online".into(),
    };
    ctx.store.save_status(&s).await.expect("status");
    assert_eq!(ctx.store.get_status(&u.id).await.expect("get"), Some(s));
}

async fn search_finds_only_readable_matching_posts(ctx: Ctx) {
    let (t, c, u) = fixture(&ctx).await;
    let other = user("other");
    ctx.store.create_user(&other, None).await.expect("user");
    let private = channel(&t.id, "hidden", "P");
    ctx.store
        .create_channel(&private, &[member(&private.id, &other.id)])
        .await
        .expect("private");
    let mut p1 = post(&c.id, &u.id, 10, "");
    p1.message = "Deploy the Release Notes today".into();
    let mut p2 = post(&c.id, &u.id, 20, "");
    p2.message = "release 100% done_ish".into();
    let mut hidden = post(&private.id, &other.id, 30, "");
    hidden.message = "release secrets".into();
    for p in [&p1, &p2, &hidden] {
        ctx.store.create_post(p).await.expect("post");
    }
    let search = |terms: &[&str], excluded: &[&str]| {
        let terms: Vec<String> = terms.iter().map(|t| t.to_string()).collect();
        let excluded: Vec<String> = excluded.iter().map(|t| t.to_string()).collect();
        let (store, user_id, team_id) = (ctx.store.clone(), u.id.clone(), t.id.clone());
        async move {
            let s = core_server::store::PostSearch {
                user_id: &user_id,
                team_id: &team_id,
                terms: &terms,
                excluded: &excluded,
                from_user_ids: &[],
                channel_ids: &[],
                before: None,
                after: None,
                limit: 10,
            };
            store
                .search_posts(&s)
                .await
                .expect("search")
                .into_iter()
                .map(|p| p.id)
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(
        search(&["release"], &[]).await,
        vec![p2.id.clone(), p1.id.clone()],
        "newest first, never the private channel"
    );
    assert_eq!(search(&["release notes"], &[]).await, vec![p1.id.clone()]);
    assert_eq!(
        search(&["100%"], &[]).await,
        vec![p2.id.clone()],
        "wildcards are literal"
    );
    assert_eq!(search(&["release"], &["deploy"]).await, vec![p2.id.clone()]);
}

/// The notification queue, badges, recipients, e-mail tokens and digests,
/// and the upload finish claim: the SQL both backends run.
async fn notification_and_mail_queues(ctx: Ctx) {
    let (_, c, u) = fixture(&ctx).await;
    let store = &ctx.store;
    // Recipients carry both notify maps and the status.
    store
        .save_status(&Status {
            user_id: u.id.clone(),
            status: "away".into(),
            ..Status::default()
        })
        .await
        .expect("status");
    let recipients = store
        .list_channel_recipients(&c.id)
        .await
        .expect("recipients");
    assert_eq!(recipients.len(), 1);
    assert_eq!(
        recipients[0]
            .user_notify_props
            .get("push")
            .map(String::as_str),
        Some("mention")
    );
    assert_eq!(
        recipients[0]
            .member_notify_props
            .get("mark_unread")
            .map(String::as_str),
        Some("all")
    );
    assert_eq!(
        recipients[0].status.as_ref().map(|s| s.status.as_str()),
        Some("away")
    );

    // Badge: mentions outside direct channels.
    assert_eq!(store.badge_count(&u.id).await.expect("badge"), 0);
    store
        .add_mentions(&c.id, std::slice::from_ref(&u.id), true)
        .await
        .expect("mention");
    store
        .add_mentions(&c.id, std::slice::from_ref(&u.id), false)
        .await
        .expect("mention");
    assert_eq!(store.badge_count(&u.id).await.expect("badge"), 2);

    // Push jobs: leased once, retried later, finished.
    let job = |id: &str, at: i64| PushJob {
        id: id.into(),
        user_id: u.id.clone(),
        session_id: "s".into(),
        payload: "{}".into(),
        attempts: 0,
        next_attempt_at: at,
        create_at: at,
    };
    let (a, b) = (new_id(), new_id());
    store
        .enqueue_pushes(&[job(&a, 100), job(&b, 5_000)])
        .await
        .expect("enqueue");
    let claimed = store.claim_pushes(1_000, 61_000, 10).await.expect("claim");
    assert_eq!(
        claimed.iter().map(|j| j.id.as_str()).collect::<Vec<_>>(),
        vec![a.as_str()],
        "only due jobs"
    );
    assert!(
        store
            .claim_pushes(2_000, 62_000, 10)
            .await
            .expect("claim")
            .is_empty(),
        "leased"
    );
    store.retry_push(&a, 1, 3_000).await.expect("retry");
    let again = store.claim_pushes(10_000, 70_000, 10).await.expect("claim");
    assert_eq!(
        again.len(),
        2,
        "both due now, the lease cleared by the retry"
    );
    assert_eq!(
        again.iter().find(|j| j.id == a).map(|j| j.attempts),
        Some(1)
    );
    store.finish_push(&a).await.expect("finish");
    assert_eq!(store.list_push_jobs(10).await.expect("list").len(), 1);

    // E-mail tokens: one per kind and user, taken once.
    let token = |hash: &str, at: i64| EmailToken {
        token_hash: hash.into(),
        kind: "password_recovery".into(),
        user_id: u.id.clone(),
        email: u.email.clone(),
        create_at: at,
    };
    store
        .save_email_token(&token("h1", 10))
        .await
        .expect("token");
    store
        .save_email_token(&token("h2", 20))
        .await
        .expect("token");
    assert_eq!(
        store
            .email_token_issued_at(&u.id, "password_recovery")
            .await
            .expect("at"),
        Some(20)
    );
    assert!(
        store
            .take_email_token("h1", "password_recovery")
            .await
            .expect("take")
            .is_none(),
        "replaced"
    );
    assert!(
        store
            .take_email_token("h2", "verify_email")
            .await
            .expect("take")
            .is_none(),
        "other kind"
    );
    assert!(store
        .take_email_token("h2", "password_recovery")
        .await
        .expect("take")
        .is_some());
    assert!(
        store
            .take_email_token("h2", "password_recovery")
            .await
            .expect("take")
            .is_none(),
        "once"
    );

    // Digests: due users, taken oldest first.
    let entry = |post: &str, at: i64| DigestEntry {
        user_id: u.id.clone(),
        post_id: post.into(),
        channel_id: c.id.clone(),
        create_at: at,
    };
    store
        .queue_digest(&[entry("p2", 200), entry("p1", 100), entry("p1", 100)])
        .await
        .expect("queue");
    assert!(store
        .list_digest_users(100, 10)
        .await
        .expect("due")
        .is_empty());
    assert_eq!(
        store.list_digest_users(150, 10).await.expect("due"),
        vec![u.id.clone()]
    );
    let taken = store.take_digest(&u.id).await.expect("take");
    assert_eq!(
        taken.iter().map(|e| e.post_id.as_str()).collect::<Vec<_>>(),
        vec!["p1", "p2"]
    );
    assert!(store.take_digest(&u.id).await.expect("take").is_empty());

    // Uploads: one finisher.
    let upload = UploadSession {
        id: new_id(),
        kind: "attachment".into(),
        user_id: u.id.clone(),
        channel_id: c.id.clone(),
        filename: "f.bin".into(),
        file_size: 10,
        file_offset: 0,
        create_at: 1,
    };
    store.create_upload(&upload).await.expect("upload");
    assert!(store
        .claim_upload_finish(&upload.id, true)
        .await
        .expect("claim"));
    assert!(!store
        .claim_upload_finish(&upload.id, true)
        .await
        .expect("claimed"));
    store.delete_upload(&upload.id).await.expect("delete");
}

on_both_backends!(
    search_finds_only_readable_matching_posts,
    users_round_trip_and_unique,
    sessions_by_token_hash,
    teams_and_membership,
    channel_visibility,
    posts_threads_edits_and_deletes,
    pending_post_id_is_idempotent,
    counters_are_exact_under_concurrent_posting,
    reactions_preferences_statuses,
    notification_and_mail_queues,
);
