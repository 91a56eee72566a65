//! Reactions and custom emoji.

use core_server::id::new_id;
use core_server::model::*;
use core_server::Error;

use crate::fixtures::*;
use crate::support::Ctx;

async fn reactions_are_saved_once_and_taken_back(ctx: Ctx) {
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
}

async fn reactions_touch_their_post_and_list_by_posts(ctx: Ctx) {
    let (_, c, u) = fixture(&ctx).await;
    let store = &ctx.store;
    let p = store
        .create_post(&post(&c.id, &u.id, 10, ""))
        .await
        .expect("post");
    let q = store
        .create_post(&post(&c.id, &u.id, 11, ""))
        .await
        .expect("post");
    let reaction = |post_id: &str, emoji: &str, at: i64| Reaction {
        user_id: u.id.clone(),
        post_id: post_id.into(),
        emoji_name: emoji.into(),
        channel_id: c.id.clone(),
        create_at: at,
        update_at: at,
        delete_at: 0,
    };
    store
        .save_reaction(&reaction(&p.id, "b", 50))
        .await
        .expect("react");
    store
        .save_reaction(&reaction(&p.id, "a", 50))
        .await
        .expect("react");
    store
        .save_reaction(&reaction(&q.id, "c", 40))
        .await
        .expect("react");
    assert_eq!(
        store.get_post(&p.id).await.expect("post").update_at,
        50,
        "clients syncing by update_at see the post change"
    );
    let listed: Vec<(String, String)> = store
        .list_reactions_for_posts(&[p.id.clone(), q.id.clone()])
        .await
        .expect("list")
        .into_iter()
        .map(|r| (r.post_id, r.emoji_name))
        .collect();
    assert_eq!(
        listed,
        vec![
            (q.id.clone(), "c".to_string()),
            (p.id.clone(), "a".to_string()),
            (p.id.clone(), "b".to_string())
        ],
        "oldest first, then by user and emoji"
    );
    // A reaction taken back and given again is live again.
    store
        .delete_reaction(&q.id, &u.id, "c", 60)
        .await
        .expect("unreact");
    store
        .save_reaction(&reaction(&q.id, "c", 70))
        .await
        .expect("again");
    assert_eq!(store.list_reactions(&q.id).await.expect("list").len(), 1);
    assert!(store
        .list_reactions_for_posts(&[])
        .await
        .expect("none")
        .is_empty());
}

async fn custom_emoji_by_id_name_and_prefix(ctx: Ctx) {
    let (_, _, u) = fixture(&ctx).await;
    let store = &ctx.store;
    let emoji = |name: &str| Emoji {
        id: new_id(),
        create_at: 1,
        update_at: 1,
        delete_at: 0,
        creator_id: u.id.clone(),
        name: name.into(),
    };
    let party = emoji("party_parrot");
    store
        .create_emoji(&party, "image/gif", b"GIF89a")
        .await
        .expect("create");
    for name in ["partyxhat", "sad"] {
        store
            .create_emoji(&emoji(name), "image/png", b"png")
            .await
            .expect("create");
    }
    assert_eq!(
        store.get_emoji(&party.id, false).await.expect("by id"),
        party
    );
    assert_eq!(
        store
            .get_emoji("party_parrot", true)
            .await
            .expect("by name")
            .id,
        party.id
    );
    assert_eq!(
        store.get_emoji_image(&party.id).await.expect("image"),
        ("image/gif".to_string(), b"GIF89a".to_vec())
    );
    let names = |list: Vec<Emoji>| list.into_iter().map(|e| e.name).collect::<Vec<_>>();
    assert_eq!(
        names(store.list_emoji("party", 0, 10).await.expect("prefix")).len(),
        2
    );
    assert_eq!(
        names(store.list_emoji("party_", 0, 10).await.expect("literal")),
        vec!["party_parrot"]
    );
    assert_eq!(
        names(store.list_emoji("", 1, 1).await.expect("page")),
        vec!["partyxhat"]
    );
    store.delete_emoji(&party.id, 5).await.expect("delete");
    assert!(matches!(
        store.get_emoji(&party.id, false).await,
        Err(Error::NotFound { .. })
    ));
    assert!(matches!(
        store.get_emoji_image(&party.id).await,
        Err(Error::NotFound { .. })
    ));
    assert!(matches!(
        store.delete_emoji(&party.id, 6).await,
        Err(Error::NotFound { .. })
    ));
}

on_both_backends!(
    reactions_are_saved_once_and_taken_back,
    reactions_touch_their_post_and_list_by_posts,
    custom_emoji_by_id_name_and_prefix,
);
