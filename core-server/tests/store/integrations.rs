//! Personal access tokens, bots and incoming webhooks.

use core_server::id::new_id;
use core_server::model::*;
use core_server::Error;

use crate::fixtures::*;
use crate::support::Ctx;

fn token_session(user_id: &str, hash: &str) -> Session {
    Session {
        id: new_id(),
        token_hash: hash.into(),
        user_id: user_id.into(),
        create_at: 1,
        expires_at: 0,
        last_activity_at: 1,
        device_id: String::new(),
        roles: "system_user".into(),
        props: StringMap::new(),
    }
}

async fn access_tokens_carry_their_session(ctx: Ctx) {
    let u = user("tina");
    let store = &ctx.store;
    store.create_user(&u, None).await.expect("user");
    let token = UserAccessToken {
        id: new_id(),
        token_hash: "th".into(),
        user_id: u.id.clone(),
        description: "ci".into(),
        is_active: true,
        create_at: 5,
    };
    store
        .create_access_token(&token, &token_session(&u.id, "th"))
        .await
        .expect("create");
    assert_eq!(store.get_access_token(&token.id).await.expect("get"), token);
    assert_eq!(
        store.get_access_token_by_hash("th").await.expect("by hash"),
        Some(token.clone())
    );
    assert!(store.get_session_with_user("th").await.is_ok());

    store
        .set_access_token_active(&token.id, false, None)
        .await
        .expect("disable");
    assert!(
        !store
            .get_access_token(&token.id)
            .await
            .expect("get")
            .is_active
    );
    assert!(
        matches!(
            store.get_session_with_user("th").await,
            Err(Error::NotFound { .. })
        ),
        "a disabled token signs nothing in"
    );
    store
        .set_access_token_active(&token.id, true, Some(&token_session(&u.id, "th")))
        .await
        .expect("enable");
    assert!(store.get_session_with_user("th").await.is_ok());
    assert_eq!(
        store.list_access_tokens(&u.id).await.expect("list").len(),
        1
    );

    store.delete_access_token(&token.id).await.expect("delete");
    assert!(matches!(
        store.get_session_with_user("th").await,
        Err(Error::NotFound { .. })
    ));
    assert!(matches!(
        store.delete_access_token(&token.id).await,
        Err(Error::NotFound { .. })
    ));
    assert!(matches!(
        store.set_access_token_active(&token.id, true, None).await,
        Err(Error::NotFound { .. })
    ));
}

async fn bots_are_users_with_an_owner(ctx: Ctx) {
    let owner = user("owner");
    let store = &ctx.store;
    store.create_user(&owner, None).await.expect("owner");
    let bot_user = |name: &str| User {
        is_bot: true,
        ..user(name)
    };
    let bot = |u: &User, owner_id: &str| Bot {
        user_id: u.id.clone(),
        username: u.username.clone(),
        display_name: format!("{} bot", u.username),
        description: String::new(),
        owner_id: owner_id.into(),
        create_at: 1,
        update_at: 1,
        delete_at: 0,
        last_icon_update: 0,
    };
    let (alpha, beta) = (bot_user("alpha"), bot_user("beta"));
    store
        .create_bot(&alpha, &bot(&alpha, &owner.id))
        .await
        .expect("alpha");
    store
        .create_bot(&beta, &bot(&beta, "someone"))
        .await
        .expect("beta");
    assert_eq!(
        store.get_bot(&alpha.id).await.expect("get"),
        bot(&alpha, &owner.id)
    );
    assert!(store.get_user(&alpha.id).await.expect("user").is_bot);

    // A clashing name creates neither the user nor the bot.
    let clash = User {
        id: new_id(),
        email: "other@example.com".into(),
        ..bot_user("alpha")
    };
    assert!(matches!(
        store.create_bot(&clash, &bot(&clash, &owner.id)).await,
        Err(Error::Conflict { .. })
    ));
    assert!(matches!(
        store.get_bot(&clash.id).await,
        Err(Error::NotFound { .. })
    ));

    let mut retired = bot(&beta, "someone");
    retired.delete_at = 9;
    retired.description = "gone".into();
    store.update_bot(&retired).await.expect("update");
    let names = |bots: Vec<Bot>| bots.into_iter().map(|b| b.username).collect::<Vec<_>>();
    assert_eq!(
        names(store.list_bots(None, false, 0, 10).await.expect("live")),
        vec!["alpha"]
    );
    assert_eq!(
        names(store.list_bots(None, true, 0, 10).await.expect("all")),
        vec!["alpha", "beta"]
    );
    assert_eq!(
        names(
            store
                .list_bots(Some("someone"), true, 0, 10)
                .await
                .expect("owned")
        ),
        vec!["beta"]
    );
    assert_eq!(
        names(store.list_bots(None, true, 1, 10).await.expect("offset")),
        vec!["beta"]
    );
    assert!(matches!(
        store.update_bot(&bot(&user("ghost"), "x")).await,
        Err(Error::NotFound { .. })
    ));

    // A bot becomes a person and a person a bot: user row and bot row together.
    store
        .set_account_kind(&alpha.id, None, 20)
        .await
        .expect("to person");
    assert!(!store.get_user(&alpha.id).await.expect("person").is_bot);
    assert!(matches!(
        store.get_bot(&alpha.id).await,
        Err(Error::NotFound { .. })
    ));
    let made = bot(&owner, &owner.id);
    store
        .set_account_kind(&owner.id, Some(&made), 30)
        .await
        .expect("to bot");
    let user = store.get_user(&owner.id).await.expect("bot user");
    assert!(user.is_bot);
    assert_eq!(user.update_at, 30);
    assert_eq!(store.get_bot(&owner.id).await.expect("bot row"), made);
    assert!(matches!(
        store.set_account_kind(&new_id(), None, 40).await,
        Err(Error::NotFound { .. })
    ));
}

async fn incoming_webhooks_by_team(ctx: Ctx) {
    let (t, c, u) = fixture(&ctx).await;
    let store = &ctx.store;
    let hook = |team_id: &str, at: i64| IncomingWebhook {
        id: new_id(),
        create_at: at,
        update_at: at,
        delete_at: 0,
        user_id: u.id.clone(),
        channel_id: c.id.clone(),
        team_id: team_id.into(),
        display_name: "CI".into(),
        description: String::new(),
        username: String::new(),
        icon_url: String::new(),
        channel_locked: false,
    };
    let (a, b) = (hook(&t.id, 1), hook("other-team", 2));
    store.create_incoming_webhook(&a).await.expect("a");
    store.create_incoming_webhook(&b).await.expect("b");
    assert_eq!(store.get_incoming_webhook(&a.id).await.expect("get"), a);
    assert_eq!(
        store
            .list_incoming_webhooks(None, 0, 10)
            .await
            .expect("all")
            .len(),
        2
    );
    let ours = store
        .list_incoming_webhooks(Some(&t.id), 0, 10)
        .await
        .expect("ours");
    assert_eq!(ours, vec![a.clone()]);

    let mut changed = a.clone();
    changed.display_name = "Deploys".into();
    changed.channel_locked = true;
    changed.delete_at = 3;
    store
        .update_incoming_webhook(&changed)
        .await
        .expect("update");
    assert_eq!(
        store.get_incoming_webhook(&a.id).await.expect("get"),
        changed
    );
    assert!(
        store
            .list_incoming_webhooks(Some(&t.id), 0, 10)
            .await
            .expect("live")
            .is_empty(),
        "deleted hooks are not listed"
    );
    assert!(matches!(
        store.update_incoming_webhook(&hook(&t.id, 4)).await,
        Err(Error::NotFound { .. })
    ));
}

/// Everyone's tokens, paged by id, and found by exact token id, user id or
/// username only.
async fn every_token_listed_and_searched(ctx: Ctx) {
    let store = &ctx.store;
    let (tina, tom) = (user("tina"), user("tom_1"));
    for u in [&tina, &tom] {
        store.create_user(u, None).await.expect("user");
    }
    let mut tokens = Vec::new();
    for (owner, hash) in [(&tina, "a"), (&tina, "b"), (&tom, "c")] {
        let token = UserAccessToken {
            id: new_id(),
            token_hash: hash.into(),
            user_id: owner.id.clone(),
            description: hash.into(),
            is_active: hash != "b",
            create_at: 5,
        };
        store
            .create_access_token(&token, &token_session(&owner.id, hash))
            .await
            .expect("create");
        tokens.push(token);
    }
    let mut by_id = tokens.clone();
    by_id.sort_by(|a, b| a.id.cmp(&b.id));
    assert_eq!(
        store.list_all_access_tokens(0, 10).await.expect("all"),
        by_id
    );
    assert_eq!(
        store.list_all_access_tokens(1, 1).await.expect("page"),
        by_id[1..2]
    );
    assert!(store
        .list_all_access_tokens(3, 10)
        .await
        .expect("past the end")
        .is_empty());

    let ids = |found: Vec<UserAccessToken>| found.into_iter().map(|t| t.id).collect::<Vec<_>>();
    let mut tinas = vec![tokens[0].id.clone(), tokens[1].id.clone()];
    tinas.sort();
    assert_eq!(
        ids(store.search_access_tokens("tina").await.expect("by name")),
        tinas
    );
    assert_eq!(
        ids(store.search_access_tokens(&tina.id).await.expect("by user")),
        tinas
    );
    assert_eq!(
        ids(store
            .search_access_tokens(&tokens[2].id)
            .await
            .expect("by id")),
        vec![tokens[2].id.clone()]
    );
    for partial in ["tin", "tom_", "tom%", "%"] {
        assert!(
            store
                .search_access_tokens(partial)
                .await
                .expect("partial")
                .is_empty(),
            "{partial:?} matches only itself"
        );
    }
}

on_both_backends!(
    access_tokens_carry_their_session,
    every_token_listed_and_searched,
    bots_are_users_with_an_owner,
    incoming_webhooks_by_team,
);
