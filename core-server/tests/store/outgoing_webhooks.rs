//! Outgoing webhooks: kept per team, listed by team, channel and creator,
//! found for a channel's posts, changed and deleted.

use std::sync::Arc;

use core_server::id::new_id;
use core_server::model::*;
use core_server::store::{ActiveSince, OutgoingHookFilter, Store};
use core_server::Error;

use crate::fixtures::*;
use crate::support::Ctx;

fn hook(team_id: &str, channel_id: &str, creator_id: &str, at: i64) -> OutgoingWebhook {
    OutgoingWebhook {
        id: new_id(),
        token: new_id(),
        create_at: at,
        update_at: at,
        delete_at: 0,
        creator_id: creator_id.into(),
        channel_id: channel_id.into(),
        team_id: team_id.into(),
        trigger_words: vec!["deploy".into(), "build".into()],
        trigger_when: trigger_when::STARTS_WITH,
        callback_urls: vec!["https://ci.example.com/hook".into()],
        display_name: "CI".into(),
        description: "builds on demand".into(),
        content_type: "application/json".into(),
        username: "ci-bot".into(),
        icon_url: "https://ci.example.com/icon.png".into(),
    }
}

fn ids(hooks: &[OutgoingWebhook]) -> Vec<String> {
    hooks.iter().map(|h| h.id.clone()).collect()
}

/// The ids of the first page of hooks matching `filter`.
async fn listed(store: &Arc<dyn Store>, filter: OutgoingHookFilter<'_>) -> Vec<String> {
    ids(&store
        .list_outgoing_webhooks(filter, 0, 10)
        .await
        .expect("list"))
}

async fn outgoing_webhooks_are_kept_and_listed(ctx: Ctx) {
    let (t, c, u) = fixture(&ctx).await;
    let store = &ctx.store;
    let other = user(&format!("o{}", &new_id()[..10]));
    store.create_user(&other, Some("hash")).await.expect("user");
    let elsewhere = team(&format!("e{}", &new_id()[..10]));
    store
        .create_team(&elsewhere, &[], None, &[])
        .await
        .expect("team");

    let bound = hook(&t.id, &c.id, &u.id, 10);
    let wide = hook(&t.id, "", &other.id, 20);
    let foreign = hook(&elsewhere.id, "", &u.id, 5);
    for h in [&bound, &wide, &foreign] {
        store.create_outgoing_webhook(h).await.expect("create");
    }
    assert_eq!(
        store.get_outgoing_webhook(&bound.id).await.expect("get"),
        bound,
        "every field round-trips, the lists included"
    );
    let (t_id, c_id, u_id) = (t.id.as_str(), c.id.as_str(), u.id.as_str());
    let list = |filter| listed(store, filter);
    assert_eq!(
        list(OutgoingHookFilter::default()).await,
        ids(&[foreign.clone(), bound.clone(), wide.clone()]),
        "every team's, oldest first"
    );
    assert_eq!(
        list(OutgoingHookFilter {
            team_id: Some(t_id),
            ..Default::default()
        })
        .await,
        ids(&[bound.clone(), wide.clone()])
    );
    assert_eq!(
        list(OutgoingHookFilter {
            team_id: Some(t_id),
            creator_id: Some(u_id),
            ..Default::default()
        })
        .await,
        ids(std::slice::from_ref(&bound)),
        "one creator's"
    );
    assert_eq!(
        list(OutgoingHookFilter {
            channel_id: Some(c_id),
            ..Default::default()
        })
        .await,
        ids(std::slice::from_ref(&bound)),
        "one channel's"
    );
    assert_eq!(
        list(OutgoingHookFilter {
            team_id: Some(t_id),
            channel_id: Some(""),
            ..Default::default()
        })
        .await,
        ids(std::slice::from_ref(&wide)),
        "channel \"\" is the team-wide hooks"
    );
    let page = store
        .list_outgoing_webhooks(
            OutgoingHookFilter {
                team_id: Some(t_id),
                ..Default::default()
            },
            1,
            1,
        )
        .await
        .expect("page");
    assert_eq!(ids(&page), ids(std::slice::from_ref(&wide)), "paged");

    // Administrators' statistics count the live ones.
    let active = ActiveSince { day: 0, month: 0 };
    let all = store.server_counts(None, active).await.expect("counts");
    assert_eq!(all.outgoing_webhooks, 3);
    let one = store
        .server_counts(Some(&t.id), active)
        .await
        .expect("team counts");
    assert_eq!(one.outgoing_webhooks, 2);
}

async fn outgoing_webhooks_for_a_channel_are_its_own_and_the_team_wide(ctx: Ctx) {
    let (t, c, u) = fixture(&ctx).await;
    let store = &ctx.store;
    let side = channel(&t.id, "side", "O");
    store
        .create_channel(&side, &[member(&side.id, &u.id)])
        .await
        .expect("channel");
    let bound = hook(&t.id, &c.id, &u.id, 10);
    let wide = hook(&t.id, "", &u.id, 20);
    let other_channel = hook(&t.id, &side.id, &u.id, 30);
    let other_team = hook(&new_id(), "", &u.id, 40);
    for h in [&bound, &wide, &other_channel, &other_team] {
        store.create_outgoing_webhook(h).await.expect("create");
    }
    let found = store
        .outgoing_webhooks_for_channel(&t.id, &c.id)
        .await
        .expect("for channel");
    assert_eq!(ids(&found), ids(&[bound.clone(), wide.clone()]));

    // A deleted hook fires no more.
    let deleted = OutgoingWebhook {
        delete_at: 50,
        update_at: 50,
        ..bound.clone()
    };
    store
        .update_outgoing_webhook(&deleted)
        .await
        .expect("delete");
    let found = store
        .outgoing_webhooks_for_channel(&t.id, &c.id)
        .await
        .expect("for channel");
    assert_eq!(ids(&found), ids(std::slice::from_ref(&wide)));
}

async fn outgoing_webhooks_are_changed_and_deleted(ctx: Ctx) {
    let (t, c, u) = fixture(&ctx).await;
    let store = &ctx.store;
    let original = hook(&t.id, &c.id, &u.id, 10);
    store
        .create_outgoing_webhook(&original)
        .await
        .expect("create");
    let changed = OutgoingWebhook {
        token: new_id(),
        update_at: 20,
        channel_id: String::new(),
        trigger_words: vec!["ship".into()],
        trigger_when: trigger_when::EXACT_FIRST_WORD,
        callback_urls: vec![
            "https://a.example.com/".into(),
            "https://b.example.com/".into(),
        ],
        display_name: "Shipper".into(),
        description: String::new(),
        content_type: "application/x-www-form-urlencoded".into(),
        username: String::new(),
        icon_url: String::new(),
        ..original.clone()
    };
    store
        .update_outgoing_webhook(&changed)
        .await
        .expect("update");
    assert_eq!(
        store.get_outgoing_webhook(&original.id).await.expect("get"),
        changed
    );

    let deleted = OutgoingWebhook {
        delete_at: 30,
        update_at: 30,
        ..changed
    };
    store
        .update_outgoing_webhook(&deleted)
        .await
        .expect("delete");
    assert!(matches!(
        store.get_outgoing_webhook(&original.id).await,
        Err(Error::NotFound {
            entity: "outgoing webhook"
        })
    ));
    assert!(store
        .list_outgoing_webhooks(OutgoingHookFilter::default(), 0, 10)
        .await
        .expect("list")
        .is_empty());
    let missing = hook(&t.id, &c.id, &u.id, 1);
    assert!(matches!(
        store.update_outgoing_webhook(&missing).await,
        Err(Error::NotFound { .. })
    ));
}

on_both_backends!(
    outgoing_webhooks_are_kept_and_listed,
    outgoing_webhooks_for_a_channel_are_its_own_and_the_team_wide,
    outgoing_webhooks_are_changed_and_deleted
);
