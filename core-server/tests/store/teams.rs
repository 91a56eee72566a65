//! Teams and team members.

use core_server::Error;

use crate::fixtures::*;
use crate::support::Ctx;

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

async fn teams_are_updated_paged_and_found_by_invite(ctx: Ctx) {
    let (mut t, _, u) = fixture(&ctx).await;
    let store = &ctx.store;
    t.display_name = "Renamed".into();
    t.allow_open_invite = false;
    t.update_at = 9;
    store.update_team(&t).await.expect("update");
    assert_eq!(store.get_team(&t.id).await.expect("team"), t);
    assert_eq!(
        store
            .get_team_by_invite(&t.invite_id)
            .await
            .expect("invite")
            .id,
        t.id
    );
    assert!(matches!(
        store.update_team(&team("ghost")).await,
        Err(Error::NotFound { .. })
    ));

    let gone = team("gone");
    store
        .create_team(&gone, &[], Some(&team_member(&gone.id, &u.id)), &[])
        .await
        .expect("team");
    let mut deleted = gone.clone();
    deleted.delete_at = 5;
    store.update_team(&deleted).await.expect("delete");
    assert!(
        matches!(
            store.get_team_by_invite(&gone.invite_id).await,
            Err(Error::NotFound { .. })
        ),
        "a deleted team's invite is void"
    );
    assert_eq!(
        store
            .list_user_team_members(&u.id)
            .await
            .expect("memberships")
            .iter()
            .map(|m| m.team_id.clone())
            .collect::<Vec<_>>(),
        vec![t.id.clone()],
        "memberships of deleted teams are not listed"
    );

    let other = team("other");
    store
        .create_team(&other, &[], None, &[])
        .await
        .expect("team");
    let first = store.list_teams(None, 1).await.expect("page");
    let rest = store
        .list_teams(Some(&first[0].id), 10)
        .await
        .expect("rest");
    let mut all: Vec<String> = first.iter().chain(&rest).map(|t| t.id.clone()).collect();
    all.sort();
    let mut live = vec![t.id.clone(), other.id.clone()];
    live.sort();
    assert_eq!(all, live, "pages cover the live teams once");
    assert_eq!(store.count_team_members(&t.id).await.expect("count"), 1);
    assert_eq!(store.count_team_members(&other.id).await.expect("count"), 0);
}

on_both_backends!(
    teams_and_membership,
    teams_are_updated_paged_and_found_by_invite,
);
