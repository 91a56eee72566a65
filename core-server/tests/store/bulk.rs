//! Bulk import batches and the recount after them.

use core_server::id::new_id;
use core_server::model::*;
use core_server::store::ImportBatch;

use crate::fixtures::*;
use crate::support::Ctx;

async fn import_batches_add_only_what_is_new(ctx: Ctx) {
    let (_, c, u) = fixture(&ctx).await;
    let store = &ctx.store;
    // One post is already here under another id: same channel, author and time.
    let existing = store
        .create_post(&post(&c.id, &u.id, 5, ""))
        .await
        .expect("post");
    let root = post(&c.id, &u.id, 10, "");
    let reply = post(&c.id, &u.id, 20, &root.id);
    let orphan_reply = post(&c.id, &u.id, 30, &new_id());
    let duplicate = post(&c.id, &u.id, 5, "");
    let batch = ImportBatch {
        posts: vec![
            reply.clone(),
            root.clone(),
            orphan_reply.clone(),
            duplicate.clone(),
        ],
        reactions: vec![
            Reaction {
                user_id: u.id.clone(),
                post_id: root.id.clone(),
                emoji_name: "smile".into(),
                channel_id: c.id.clone(),
                create_at: 11,
                update_at: 11,
                delete_at: 0,
            },
            Reaction {
                user_id: u.id.clone(),
                post_id: duplicate.id.clone(),
                emoji_name: "smile".into(),
                channel_id: c.id.clone(),
                create_at: 11,
                update_at: 11,
                delete_at: 0,
            },
        ],
        files: Vec::new(),
        preferences: vec![Preference {
            user_id: u.id.clone(),
            category: "flagged_post".into(),
            name: root.id.clone(),
            value: "true".into(),
        }],
        followers: vec![ThreadMember {
            post_id: root.id.clone(),
            user_id: u.id.clone(),
            following: true,
            last_viewed: 0,
            last_updated: 20,
            unread_mentions: 0,
        }],
    };
    assert_eq!(
        store.import_batch(&batch).await.expect("import"),
        2,
        "the root and its reply"
    );
    assert_eq!(
        store.import_batch(&batch).await.expect("again"),
        0,
        "a second run adds nothing"
    );
    assert!(
        store.get_post(&orphan_reply.id).await.is_err(),
        "no reply without its root"
    );
    assert!(
        store.get_post(&duplicate.id).await.is_err(),
        "recognised as already here"
    );
    assert_eq!(
        store
            .list_reactions(&root.id)
            .await
            .expect("reactions")
            .len(),
        1
    );
    assert!(store
        .list_reactions(&duplicate.id)
        .await
        .expect("none")
        .is_empty());
    assert_eq!(
        store
            .list_post_flaggers(std::slice::from_ref(&root.id))
            .await
            .expect("flags")
            .len(),
        1
    );
    assert!(store
        .get_thread_member(&root.id, &u.id)
        .await
        .expect("follower")
        .is_some());

    // The recount: reply counts, channel totals, members read up to the end.
    store.settle_imported_channel(&c.id).await.expect("settle");
    let settled = store.get_post(&root.id).await.expect("root");
    assert_eq!((settled.reply_count, settled.last_reply_at), (1, 20));
    let channel = store.get_channel(&c.id).await.expect("channel");
    assert_eq!(
        (
            channel.total_msg_count,
            channel.total_msg_count_root,
            channel.last_post_at
        ),
        (3, 2, 20)
    );
    let member = store
        .get_channel_member(&c.id, &u.id)
        .await
        .expect("member");
    assert_eq!((member.msg_count, member.last_viewed_at), (3, 20));
    assert!(
        store.get_post(&existing.id).await.is_ok(),
        "what was here stays"
    );
}

on_both_backends!(import_batches_add_only_what_is_new);
