//! Preferences, flags, sidebars and statuses.

use core_server::id::new_id;
use core_server::model::*;

use crate::fixtures::*;
use crate::support::Ctx;

async fn preferences_and_statuses(ctx: Ctx) {
    let (_, _, u) = fixture(&ctx).await;
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
    assert_eq!(
        ctx.store.get_status(&u.id).await.expect("get"),
        Some(s.clone())
    );
    // Several at once: only those with a status answer.
    assert_eq!(
        ctx.store
            .get_statuses(&[new_id(), u.id.clone()])
            .await
            .expect("statuses"),
        vec![s]
    );
    assert!(ctx.store.get_statuses(&[]).await.expect("none").is_empty());
}

async fn flags_sidebars_and_do_not_disturb(ctx: Ctx) {
    let (t, c, u) = fixture(&ctx).await;
    let store = &ctx.store;
    let p = store
        .create_post(&post(&c.id, &u.id, 10, ""))
        .await
        .expect("post");
    let flag = |name: &str, value: &str| Preference {
        user_id: u.id.clone(),
        category: "flagged_post".into(),
        name: name.into(),
        value: value.into(),
    };
    store
        .save_preferences(&[flag(&p.id, "true"), flag("elsewhere", "true")])
        .await
        .expect("flag");
    assert_eq!(
        store
            .list_post_flaggers(&[p.id.clone(), new_id()])
            .await
            .expect("flaggers"),
        vec![(p.id.clone(), u.id.clone())]
    );
    store
        .save_preferences(&[flag(&p.id, "false")])
        .await
        .expect("unflag");
    assert!(store
        .list_post_flaggers(std::slice::from_ref(&p.id))
        .await
        .expect("none")
        .is_empty());

    assert_eq!(store.get_sidebar(&u.id, &t.id).await.expect("none"), None);
    store.save_sidebar(&u.id, &t.id, "[1]").await.expect("save");
    store
        .save_sidebar(&u.id, &t.id, "[2]")
        .await
        .expect("replace");
    assert_eq!(
        store
            .get_sidebar(&u.id, &t.id)
            .await
            .expect("get")
            .as_deref(),
        Some("[2]")
    );

    let dnd = |user_id: &str, end: i64| Status {
        user_id: user_id.into(),
        status: "dnd".into(),
        manual: true,
        last_activity_at: 1,
        dnd_end_time: end,
        prev_status: "online".into(),
    };
    let later = user("later");
    store.create_user(&later, None).await.expect("user");
    store.save_status(&dnd(&u.id, 100)).await.expect("dnd");
    store.save_status(&dnd(&later.id, 300)).await.expect("dnd");
    let expired = store.list_expired_dnd(200).await.expect("expired");
    assert_eq!(expired, vec![dnd(&u.id, 100)]);
    store
        .save_status(&Status {
            status: "online".into(),
            ..dnd(&u.id, 0)
        })
        .await
        .expect("online");
    assert!(store.list_expired_dnd(200).await.expect("none").is_empty());
}

on_both_backends!(preferences_and_statuses, flags_sidebars_and_do_not_disturb);
