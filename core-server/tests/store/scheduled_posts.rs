//! Scheduled posts: kept per author, listed by team, and leased to one
//! sender at a time when due.

use std::collections::HashSet;

use core_server::id::new_id;
use core_server::model::*;
use core_server::Error;

use crate::fixtures::*;
use crate::support::Ctx;

fn scheduled(user_id: &str, channel_id: &str, at: i64) -> ScheduledPost {
    ScheduledPost {
        id: new_id(),
        create_at: 1,
        update_at: 1,
        user_id: user_id.into(),
        channel_id: channel_id.into(),
        root_id: String::new(),
        message: format!("at {at}"),
        props: serde_json::json!({"k": "v"}),
        file_ids: vec![new_id()],
        priority: serde_json::json!({"priority": "important"}),
        scheduled_at: at,
        processed_at: 0,
        error_code: String::new(),
    }
}

fn ids(posts: &[ScheduledPost]) -> Vec<String> {
    posts.iter().map(|p| p.id.clone()).collect()
}

async fn scheduled_posts_are_kept_listed_and_changed(ctx: Ctx) {
    let (t, c, u) = fixture(&ctx).await;
    let store = &ctx.store;
    let other = user(&format!("o{}", &new_id()[..10]));
    store.create_user(&other, Some("hash")).await.expect("user");
    let dm = channel("", &format!("{}__{}", u.id, other.id), "D");
    store
        .create_channel(&dm, &[member(&dm.id, &u.id), member(&dm.id, &other.id)])
        .await
        .expect("dm");

    let later = scheduled(&u.id, &c.id, 300);
    let sooner = scheduled(&u.id, &c.id, 100);
    let direct = scheduled(&u.id, &dm.id, 200);
    let others = scheduled(&other.id, &c.id, 50);
    for p in [&later, &sooner, &direct, &others] {
        store.create_scheduled_post(p).await.expect("create");
    }
    assert_eq!(
        store.get_scheduled_post(&later.id).await.expect("get"),
        later
    );
    assert_eq!(
        ids(&store
            .list_user_scheduled_posts(&u.id, &t.id)
            .await
            .expect("team")),
        ids(&[sooner.clone(), later.clone()]),
        "the author's, soonest first"
    );
    assert_eq!(
        ids(&store
            .list_user_scheduled_posts(&u.id, "")
            .await
            .expect("direct")),
        ids(std::slice::from_ref(&direct)),
        "team \"\" lists direct and group channels"
    );

    let changed = ScheduledPost {
        update_at: 7,
        message: "edited".into(),
        props: serde_json::json!({}),
        file_ids: Vec::new(),
        priority: serde_json::json!({}),
        scheduled_at: 50,
        processed_at: 0,
        error_code: String::new(),
        // Neither channel nor author change with an update.
        channel_id: dm.id.clone(),
        user_id: other.id.clone(),
        ..later.clone()
    };
    store.update_scheduled_post(&changed).await.expect("update");
    assert_eq!(
        store.get_scheduled_post(&later.id).await.expect("get"),
        ScheduledPost {
            channel_id: c.id.clone(),
            user_id: u.id.clone(),
            ..changed.clone()
        }
    );
    assert!(matches!(
        store
            .update_scheduled_post(&scheduled(&u.id, &c.id, 1))
            .await,
        Err(Error::NotFound {
            entity: "scheduled post"
        })
    ));

    assert!(store
        .delete_scheduled_post(&later.id)
        .await
        .expect("delete"));
    assert!(!store.delete_scheduled_post(&later.id).await.expect("again"));
    assert!(matches!(
        store.get_scheduled_post(&later.id).await,
        Err(Error::NotFound {
            entity: "scheduled post"
        })
    ));
}

async fn due_posts_are_leased_to_one_sender(ctx: Ctx) {
    let (_, c, u) = fixture(&ctx).await;
    let store = &ctx.store;
    let first = scheduled(&u.id, &c.id, 50);
    let second = scheduled(&u.id, &c.id, 100);
    let future = scheduled(&u.id, &c.id, 10_000);
    let failed = ScheduledPost {
        error_code: scheduled_post_errors::CHANNEL_ARCHIVED.into(),
        ..scheduled(&u.id, &c.id, 10)
    };
    for p in [&first, &second, &future, &failed] {
        store.create_scheduled_post(p).await.expect("create");
    }

    let taken = store
        .claim_due_scheduled_posts(1_000, 2_000, 1)
        .await
        .expect("claim");
    assert_eq!(
        ids(&taken),
        ids(std::slice::from_ref(&first)),
        "soonest first"
    );
    let taken = store
        .claim_due_scheduled_posts(1_000, 2_000, 10)
        .await
        .expect("claim");
    assert_eq!(
        ids(&taken),
        ids(std::slice::from_ref(&second)),
        "not the leased one, not the failed or future ones"
    );
    assert!(store
        .claim_due_scheduled_posts(1_999, 3_000, 10)
        .await
        .expect("claim")
        .is_empty());
    // Leases run out (the node that took them stopped): they are taken again.
    let mut again = ids(&store
        .claim_due_scheduled_posts(2_000, 3_000, 10)
        .await
        .expect("claim"));
    again.sort();
    let mut both = ids(&[first.clone(), second.clone()]);
    both.sort();
    assert_eq!(again, both);

    let recorded = store
        .fail_scheduled_post(
            &first.id,
            scheduled_post_errors::NO_CHANNEL_PERMISSION,
            2_500,
        )
        .await
        .expect("fail")
        .expect("still there");
    assert_eq!(
        (
            recorded.error_code.as_str(),
            recorded.processed_at,
            recorded.update_at
        ),
        (scheduled_post_errors::NO_CHANNEL_PERMISSION, 2_500, 2_500)
    );
    assert!(
        store
            .claim_due_scheduled_posts(5_000, 6_000, 10)
            .await
            .expect("claim")
            .iter()
            .all(|p| p.id == second.id),
        "a failed post is not taken again"
    );
    assert!(store
        .fail_scheduled_post(&new_id(), scheduled_post_errors::UNKNOWN, 1)
        .await
        .expect("fail")
        .is_none());
}

async fn concurrent_senders_never_share_a_post(ctx: Ctx) {
    let (_, c, u) = fixture(&ctx).await;
    let mut all = HashSet::new();
    for at in 0..40 {
        let p = scheduled(&u.id, &c.id, at);
        ctx.store.create_scheduled_post(&p).await.expect("create");
        all.insert(p.id);
    }
    let claims = (0..4).map(|_| {
        let store = ctx.store.clone();
        tokio::spawn(async move {
            let mut mine = Vec::new();
            loop {
                let batch = store
                    .claim_due_scheduled_posts(100, 100_000, 3)
                    .await
                    .expect("claim");
                if batch.is_empty() {
                    return mine;
                }
                mine.extend(batch.into_iter().map(|p| p.id));
            }
        })
    });
    let mut seen = HashSet::new();
    for claim in claims {
        for id in claim.await.expect("task") {
            assert!(seen.insert(id), "a post was taken twice");
        }
    }
    assert_eq!(seen, all);
}

async fn files_of_scheduled_posts_are_not_orphans(ctx: Ctx) {
    let (_, c, u) = fixture(&ctx).await;
    let store = &ctx.store;
    let kept = crate::files::file(&u.id, &c.id, "kept.txt", 1);
    let loose = crate::files::file(&u.id, &c.id, "loose.txt", 1);
    store.create_file_info(&kept).await.expect("file");
    store.create_file_info(&loose).await.expect("file");
    let post = ScheduledPost {
        file_ids: vec![kept.id.clone()],
        ..scheduled(&u.id, &c.id, 100)
    };
    store.create_scheduled_post(&post).await.expect("create");
    let orphans = |store: std::sync::Arc<dyn core_server::store::Store>| async move {
        store
            .list_orphan_files(10, 100)
            .await
            .expect("orphans")
            .into_iter()
            .map(|f| f.id)
            .collect::<Vec<_>>()
    };
    assert_eq!(orphans(store.clone()).await, vec![loose.id.clone()]);
    let by_ids: Vec<String> = store
        .list_files_by_ids(&[kept.id.clone(), new_id()])
        .await
        .expect("by ids")
        .into_iter()
        .map(|f| f.id)
        .collect();
    assert_eq!(by_ids, vec![kept.id.clone()], "unknown ids are skipped");
    store.delete_scheduled_post(&post.id).await.expect("delete");
    let mut now_loose = orphans(store.clone()).await;
    now_loose.sort();
    let mut expected = vec![kept.id.clone(), loose.id.clone()];
    expected.sort();
    assert_eq!(now_loose, expected, "unscheduled files are orphans again");
}

on_both_backends!(
    scheduled_posts_are_kept_listed_and_changed,
    due_posts_are_leased_to_one_sender,
    concurrent_senders_never_share_a_post,
    files_of_scheduled_posts_are_not_orphans
);
