//! Posts, edits, deletions, threads and search.

use core_server::id::new_id;
use core_server::model::*;
use core_server::Error;

use crate::fixtures::*;
use crate::support::Ctx;
use core_server::store::{ChannelPosts, PostCursor};

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
        .list_channel_posts(ChannelPosts::all(&c.id), None, 2)
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
        .list_channel_posts(ChannelPosts::all(&c.id), Some(cursor), 10)
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
            .list_channel_posts(ChannelPosts::all(&c.id), None, 10)
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
    let search = |query: &str, any_term: bool, offset: i64| {
        let parsed = core_server::search::parse_search(query).expect("query");
        let (store, user_id, team_id) = (ctx.store.clone(), u.id.clone(), t.id.clone());
        async move {
            let s = core_server::store::PostSearch {
                user_id: &user_id,
                team_id: Some(&team_id),
                terms: &parsed.terms,
                any_term,
                excluded: &parsed.excluded,
                from_user_ids: &[],
                channel_ids: &[],
                before: None,
                after: None,
                offset,
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
        search("release", false, 0).await,
        vec![p2.id.clone(), p1.id.clone()],
        "newest first, never the private channel"
    );
    assert_eq!(
        search("release", false, 1).await,
        vec![p1.id.clone()],
        "paging"
    );
    assert_eq!(
        search("\"release notes\"", false, 0).await,
        vec![p1.id.clone()]
    );
    assert_eq!(
        search("\"notes release\"", false, 0).await,
        Vec::<String>::new()
    );
    assert_eq!(
        search("100%", false, 0).await,
        vec![p2.id.clone()],
        "wildcards are literal"
    );
    assert_eq!(search("100_", false, 0).await, Vec::<String>::new());
    assert_eq!(
        search("release -deploy", false, 0).await,
        vec![p2.id.clone()]
    );
    assert_eq!(search("rel*", false, 0).await.len(), 2, "a prefix");
    assert_eq!(
        search("relea", false, 0).await,
        Vec::<String>::new(),
        "a word matches whole words"
    );
    assert_eq!(
        search("deploy done_ish", true, 0).await,
        vec![p2.id.clone(), p1.id.clone()],
        "an or search"
    );
    assert_eq!(
        search("deploy done_ish", false, 0).await,
        Vec::<String>::new()
    );

    // Edits and deletes reach the index.
    let mut edited = p1.clone();
    edited.message = "shipped on friday".into();
    edited.edit_at = 40;
    let history = Post {
        id: core_server::id::new_id(),
        original_id: p1.id.clone(),
        ..p1.clone()
    };
    ctx.store.edit_post(&history, &edited).await.expect("edit");
    assert_eq!(
        search("deploy", false, 0).await,
        Vec::<String>::new(),
        "old words leave"
    );
    assert_eq!(
        search("friday", false, 0).await,
        vec![p1.id.clone()],
        "new words arrive"
    );
    ctx.store.delete_post(&p2, 50).await.expect("delete");
    assert_eq!(
        search("release", false, 0).await,
        Vec::<String>::new(),
        "deleted posts leave"
    );
}

async fn listings_by_cursor_offset_and_change(ctx: Ctx) {
    let (_, c, u) = fixture(&ctx).await;
    let store = &ctx.store;
    let mut posts = Vec::new();
    for at in [10, 20, 20, 30] {
        posts.push(
            store
                .create_post(&post(&c.id, &u.id, at, ""))
                .await
                .expect("post"),
        );
    }
    let reply = store
        .create_post(&post(&c.id, &u.id, 40, &posts[0].id))
        .await
        .expect("reply");
    let ids = |list: Vec<Post>| list.into_iter().map(|p| p.id).collect::<Vec<_>>();
    // From a time on (mark as unread): live posts, oldest first, replies too.
    let from_20 = ids(store
        .list_channel_posts_from(&c.id, 20, 10)
        .await
        .expect("from"));
    assert_eq!(from_20.len(), 4, "{from_20:?}");
    assert_eq!(from_20[2..], [posts[3].id.clone(), reply.id.clone()]);
    assert_eq!(
        ids(store
            .list_channel_posts_from(&c.id, 35, 10)
            .await
            .expect("limit")),
        vec![reply.id.clone()]
    );
    // Ties on create_at are broken by id, both ways.
    let (low, high) = if posts[1].id < posts[2].id {
        (&posts[1], &posts[2])
    } else {
        (&posts[2], &posts[1])
    };
    let after_low = PostCursor {
        create_at: 20,
        id: &low.id,
    };
    assert_eq!(
        ids(store
            .list_channel_posts_after(ChannelPosts::all(&c.id), after_low, 2)
            .await
            .expect("after")),
        vec![high.id.clone(), posts[3].id.clone()]
    );
    let before_high = PostCursor {
        create_at: 20,
        id: &high.id,
    };
    assert_eq!(
        ids(store
            .list_channel_posts(ChannelPosts::all(&c.id), Some(before_high), 10)
            .await
            .expect("before")),
        vec![low.id.clone(), posts[0].id.clone()]
    );
    assert_eq!(
        ids(store
            .list_channel_posts_offset(ChannelPosts::all(&c.id), 1, 2)
            .await
            .expect("offset")),
        vec![posts[3].id.clone(), high.id.clone()]
    );
    // Roots only, then their replies.
    let roots = ids(store.list_root_posts(&c.id, None, 10).await.expect("roots"));
    assert_eq!(roots.len(), 4);
    assert_eq!(roots[0], posts[0].id);
    let first = PostCursor {
        create_at: 10,
        id: &posts[0].id,
    };
    assert_eq!(
        store
            .list_root_posts(&c.id, Some(first), 10)
            .await
            .expect("roots")
            .len(),
        3
    );
    assert_eq!(
        ids(store
            .list_replies(&[posts[0].id.clone()])
            .await
            .expect("replies")),
        vec![reply.id.clone()]
    );
    // Collapsed reply threads list a channel by its roots.
    let newest_roots = ids(store
        .list_channel_posts(ChannelPosts::roots(&c.id), None, 10)
        .await
        .expect("roots newest first"));
    assert_eq!(newest_roots.len(), 4);
    assert!(!newest_roots.contains(&reply.id));
    assert_eq!(
        ids(store
            .list_channel_posts_offset(ChannelPosts::roots(&c.id), 0, 1)
            .await
            .expect("roots page")),
        vec![posts[3].id.clone()],
        "the reply is newer but not a root"
    );
    assert_eq!(
        store
            .list_thread_participants(&[posts[0].id.clone(), posts[1].id.clone()])
            .await
            .expect("participants"),
        vec![(posts[0].id.clone(), reply.user_id.clone())]
    );
    let mut authors = store
        .list_thread_authors(&posts[0].id)
        .await
        .expect("authors");
    authors.dedup();
    assert_eq!(authors, vec![u.id.clone()]);

    // Pinning is a change; deleted posts still show among changes.
    let mut pinned = posts[3].clone();
    pinned.is_pinned = true;
    pinned.update_at = 60;
    store.update_post(&pinned).await.expect("pin");
    assert_eq!(
        ids(store.list_pinned_posts(&c.id).await.expect("pinned")),
        vec![pinned.id.clone()]
    );
    store.delete_post(&posts[0], 70).await.expect("delete");
    let changed = ids(store
        .list_channel_posts_since(ChannelPosts::all(&c.id), 50, 10)
        .await
        .expect("since"));
    assert_eq!(changed.len(), 3, "the pin, the root and its reply");
    assert_eq!(changed[0], pinned.id);
    let changed_roots = ids(store
        .list_channel_posts_since(ChannelPosts::roots(&c.id), 50, 10)
        .await
        .expect("roots since"));
    assert_eq!(changed_roots, vec![pinned.id.clone(), posts[0].id.clone()]);
    assert_eq!(store.last_post_update(&c.id).await.expect("last"), 70);
    assert_eq!(store.last_post_update(&new_id()).await.expect("none"), 0);
    assert_eq!(
        ids(store
            .get_posts_by_ids(&[posts[0].id.clone(), pinned.id.clone()])
            .await
            .expect("by ids")),
        vec![pinned.id.clone()],
        "live posts only"
    );
    assert!(matches!(
        store.update_post(&post(&c.id, &u.id, 1, "")).await,
        Err(Error::NotFound { .. })
    ));
}

async fn thread_followers_and_unread_replies(ctx: Ctx) {
    let (t, c, u) = fixture(&ctx).await;
    let store = &ctx.store;
    let other = user("olivia");
    store.create_user(&other, None).await.expect("user");
    store
        .save_team_member(&team_member(&t.id, &other.id), &[member(&c.id, &other.id)])
        .await
        .expect("join");
    let root = store
        .create_post(&post(&c.id, &u.id, 10, ""))
        .await
        .expect("root");
    store
        .upsert_thread_member(&root.id, &u.id, Some(true), Some(10), 0, 10)
        .await
        .expect("follow");
    for at in [20, 30] {
        store
            .create_post(&post(&c.id, &other.id, at, &root.id))
            .await
            .expect("reply");
    }
    // Mentions add up until the thread is viewed; a view alone keeps following.
    store
        .upsert_thread_member(&root.id, &u.id, None, None, 2, 31)
        .await
        .expect("mentioned");
    let member = store
        .get_thread_member(&root.id, &u.id)
        .await
        .expect("get")
        .expect("member");
    assert_eq!(
        (member.following, member.last_viewed, member.unread_mentions),
        (true, 10, 2)
    );

    let views = store
        .list_user_threads(&u.id, &t.id, false, None, 10)
        .await
        .expect("threads");
    assert_eq!(views.len(), 1);
    assert_eq!(views[0].root.id, root.id);
    assert_eq!(views[0].root.reply_count, 2);
    assert_eq!(views[0].unread_replies, 2);
    assert_eq!(views[0].member.unread_mentions, 2);
    assert_eq!(views[0].participants, vec![other.id.clone()]);
    assert!(
        store
            .list_user_threads(&u.id, &t.id, false, Some(30), 10)
            .await
            .expect("before")
            .is_empty(),
        "a cursor at its last reply leaves it out"
    );

    store
        .upsert_thread_member(&root.id, &u.id, None, Some(30), 0, 32)
        .await
        .expect("viewed");
    let followers = store
        .list_thread_followers(&root.id)
        .await
        .expect("followers");
    assert_eq!(followers.len(), 1);
    assert_eq!(
        (
            followers[0].unread_replies,
            followers[0].member.unread_mentions
        ),
        (0, 0)
    );
    store
        .upsert_thread_member(&root.id, &u.id, Some(false), None, 0, 33)
        .await
        .expect("unfollow");
    assert!(store
        .list_thread_followers(&root.id)
        .await
        .expect("none")
        .is_empty());
    assert_eq!(
        store
            .list_thread_members(std::slice::from_ref(&root.id))
            .await
            .expect("members")
            .len(),
        1,
        "memberships stay, not followed"
    );
    let of_user = |user: &str| {
        let ids = vec![root.id.clone(), new_id()];
        let user = user.to_string();
        async move {
            store
                .list_user_thread_members(&user, &ids)
                .await
                .expect("user's memberships")
        }
    };
    let mine = of_user(&u.id).await;
    assert_eq!(mine.len(), 1);
    assert_eq!(
        (mine[0].post_id.as_str(), mine[0].following),
        (root.id.as_str(), false)
    );
    assert!(
        of_user(&other.id).await.is_empty(),
        "another user's are not listed"
    );
    assert!(store
        .list_user_thread_members(&u.id, &[])
        .await
        .expect("no ids")
        .is_empty());
    assert!(store
        .get_thread_member(&root.id, &other.id)
        .await
        .expect("none")
        .is_none());
}

/// Every column of a post comes back as stored from each kind of listing
/// (SQLite reads lists as JSON arrays by position: a column read into the
/// wrong field, a quote or a non-ASCII letter lost, would show here).
async fn listings_return_every_column_as_stored(ctx: Ctx) {
    let (_, c, u) = fixture(&ctx).await;
    let store = &ctx.store;
    let root = store
        .create_post(&post(&c.id, &u.id, 100, ""))
        .await
        .expect("root");
    let reply = Post {
        id: new_id(),
        create_at: 101,
        update_at: 102,
        edit_at: 0,
        delete_at: 0,
        is_pinned: true,
        user_id: u.id.clone(),
        channel_id: c.id.clone(),
        root_id: root.id.clone(),
        original_id: String::new(),
        message: "a \"quoted\" \\ line\nnext — ünïcödé 🎉 #tag".into(),
        post_type: "custom_test".into(),
        props: serde_json::json!({"nested": {"list": [1, "two", null, true]}, "n": 1.5}),
        hashtags: "#tag".into(),
        file_ids: vec![new_id(), new_id()],
        pending_post_id: new_id(),
        reply_count: 0,
        last_reply_at: 0,
    };
    let reply = store.create_post(&reply).await.expect("reply");
    let root = store.get_post(&root.id).await.expect("root again");
    assert_eq!(root.reply_count, 1);
    let expected = vec![root.clone(), reply.clone()];
    let newest_first = vec![reply.clone(), root.clone()];
    let all = ChannelPosts::all(&c.id);
    assert_eq!(
        store.list_channel_posts(all, None, 10).await.expect("page"),
        newest_first
    );
    assert_eq!(
        store
            .list_channel_posts_offset(all, 0, 10)
            .await
            .expect("offset"),
        newest_first
    );
    assert_eq!(
        store
            .list_channel_posts_since(all, 1, 10)
            .await
            .expect("since"),
        expected
    );
    assert_eq!(
        store
            .list_channel_posts_from(&c.id, 0, 10)
            .await
            .expect("from"),
        expected
    );
    assert_eq!(store.list_thread(&root.id).await.expect("thread"), expected);
    let cursor = PostCursor {
        create_at: root.create_at,
        id: &root.id,
    };
    assert_eq!(
        store
            .list_channel_posts_after(all, cursor, 10)
            .await
            .expect("after"),
        vec![reply.clone()]
    );
    assert_eq!(
        store.list_root_posts(&c.id, None, 10).await.expect("roots"),
        vec![root.clone()]
    );
    assert!(store
        .list_channel_posts_since(all, 1_000, 10)
        .await
        .expect("none since")
        .is_empty());
}

on_both_backends!(
    listings_return_every_column_as_stored,
    posts_threads_edits_and_deletes,
    pending_post_id_is_idempotent,
    search_finds_only_readable_matching_posts,
    listings_by_cursor_offset_and_change,
    thread_followers_and_unread_replies,
);
