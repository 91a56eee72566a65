//! Channels, channel members and read state.

use core_server::id::new_id;
use core_server::model::*;
use core_server::Error;

use crate::fixtures::*;
use crate::support::Ctx;

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

async fn memberships_read_with_their_channel(ctx: Ctx) {
    let (t, open, u) = fixture(&ctx).await;
    let store = &ctx.store;
    let outsider = user("olga");
    store.create_user(&outsider, None).await.expect("user");

    let (c, m) = store
        .get_channel_with_member(&open.id, &u.id)
        .await
        .expect("with member");
    assert_eq!(c, open);
    assert_eq!(
        m.expect("member").notify_props,
        default_channel_notify_props()
    );
    let (_, none) = store
        .get_channel_with_member(&open.id, &outsider.id)
        .await
        .expect("without member");
    assert!(none.is_none());
    assert!(matches!(
        store.get_channel_with_member(&new_id(), &u.id).await,
        Err(Error::NotFound { .. })
    ));

    // A direct channel belongs to no team and shows in every team's listing.
    let dm = channel("", "dm", "D");
    store
        .create_channel(&dm, &[member(&dm.id, &u.id), member(&dm.id, &outsider.id)])
        .await
        .expect("dm");
    let elsewhere = team("elsewhere");
    let far = channel(&elsewhere.id, "far", "O");
    store
        .create_team(
            &elsewhere,
            std::slice::from_ref(&far),
            Some(&team_member(&elsewhere.id, &u.id)),
            &[member(&far.id, &u.id)],
        )
        .await
        .expect("team");
    let ids = |members: Vec<ChannelMember>| {
        let mut ids: Vec<String> = members.into_iter().map(|m| m.channel_id).collect();
        ids.sort();
        ids
    };
    let mut in_team = vec![open.id.clone(), dm.id.clone()];
    in_team.sort();
    assert_eq!(
        ids(store
            .list_user_channel_members(&u.id, Some(&t.id))
            .await
            .expect("team")),
        in_team
    );
    assert_eq!(
        store
            .list_user_channel_members(&u.id, None)
            .await
            .expect("all")
            .len(),
        3
    );
    let memberships = store.list_memberships(&u.id).await.expect("memberships");
    assert_eq!(memberships.channels.len(), 3);
    assert!(memberships
        .channels
        .contains(&(dm.id.clone(), String::new())));
    assert_eq!(memberships.teams.len(), 2);

    // Changing a membership keeps its read state; removing it twice fails.
    let mut admin = store
        .get_channel_member(&open.id, &u.id)
        .await
        .expect("member");
    store.view_channel(&open.id, &u.id, 77).await.expect("view");
    admin.roles = "channel_user channel_admin".into();
    store.save_channel_member(&admin).await.expect("save");
    let saved = store
        .get_channel_member(&open.id, &u.id)
        .await
        .expect("member");
    assert_eq!(
        (saved.roles.as_str(), saved.last_viewed_at),
        ("channel_user channel_admin", 77)
    );
    store
        .delete_channel_member(&dm.id, &outsider.id)
        .await
        .expect("leave");
    assert!(matches!(
        store.delete_channel_member(&dm.id, &outsider.id).await,
        Err(Error::NotFound { .. })
    ));
    let page = store
        .list_channel_members(&dm.id, None, 10)
        .await
        .expect("members");
    assert_eq!(page.len(), 1);
    assert!(store
        .list_channel_members(&dm.id, Some(&page[0].user_id), 10)
        .await
        .expect("after")
        .is_empty());
}

async fn channels_are_updated_archived_and_listed(ctx: Ctx) {
    let (t, mut c, u) = fixture(&ctx).await;
    let store = &ctx.store;
    c.header = "new header".into();
    c.props = serde_json::json!({"k": "v"});
    c.delete_at = 50;
    c.update_at = 50;
    store.update_channel(&c).await.expect("archive");
    assert_eq!(store.get_channel(&c.id).await.expect("channel"), c);
    assert!(matches!(
        store.update_channel(&channel(&t.id, "ghost", "O")).await,
        Err(Error::NotFound { .. })
    ));
    assert!(
        store
            .list_unreads(&u.id, None)
            .await
            .expect("unreads")
            .is_empty(),
        "archived channels have no unreads"
    );
    let second = channel(&t.id, "second", "O");
    store.create_channel(&second, &[]).await.expect("channel");
    let first = store.list_all_channels(None, 1).await.expect("page");
    let rest = store
        .list_all_channels(Some(&first[0].id), 10)
        .await
        .expect("rest");
    assert_eq!(first.len() + rest.len(), 2, "archived ones too");
}

on_both_backends!(
    channel_visibility,
    counters_are_exact_under_concurrent_posting,
    memberships_read_with_their_channel,
    channels_are_updated_archived_and_listed,
);
