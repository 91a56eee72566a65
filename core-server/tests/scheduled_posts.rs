//! Scheduled posts through the services, on both backends: only the author
//! schedules into a channel they may post in and changes or deletes what
//! they scheduled; the sender posts a due one as its author exactly once
//! (also when a stopped node already posted it), and records Mattermost's
//! reason for one that cannot go out.

#[macro_use]
mod support;
#[path = "store/fixtures.rs"]
#[allow(dead_code)] // shared by several test binaries, each using a part
mod fixtures;

use core_server::events::{Audience, CoreEvent, EventKind};
use core_server::id::new_id;
use core_server::model::scheduled_post_errors as codes;
use core_server::model::*;
use core_server::services::scheduled_posts::NOT_OWNER;
use core_server::services::{Actor, ScheduledPostInput, Sent};
use core_server::store::ChannelPosts;
use core_server::time::now_ms;
use core_server::Error;
use fixtures::*;
use support::Ctx;

fn input(channel_id: &str, message: &str, at: i64) -> ScheduledPostInput {
    ScheduledPostInput {
        channel_id: channel_id.into(),
        message: message.into(),
        scheduled_at: at,
        ..ScheduledPostInput::default()
    }
}

/// A scheduled post already due, written straight to the store (the
/// services refuse past times).
async fn due(ctx: &Ctx, user_id: &str, channel_id: &str, ago_ms: i64) -> ScheduledPost {
    let post = due_record(user_id, channel_id, ago_ms);
    ctx.store
        .create_scheduled_post(&post)
        .await
        .expect("create");
    post
}

/// A scheduled post due `ago_ms` ago, not stored.
fn due_record(user_id: &str, channel_id: &str, ago_ms: i64) -> ScheduledPost {
    ScheduledPost {
        id: new_id(),
        create_at: 1,
        update_at: 1,
        user_id: user_id.into(),
        channel_id: channel_id.into(),
        message: "due".into(),
        props: serde_json::json!({}),
        priority: serde_json::json!({}),
        scheduled_at: now_ms() - ago_ms,
        ..ScheduledPost::default()
    }
}

/// A second user, a member of the fixture's team and channel.
async fn teammate(ctx: &Ctx, team: &Team, channel: &Channel) -> User {
    let u = user(&format!("m{}", &new_id()[..10]));
    ctx.store.create_user(&u, Some("hash")).await.expect("user");
    ctx.store
        .save_team_member(&team_member(&team.id, &u.id), &[member(&channel.id, &u.id)])
        .await
        .expect("member");
    u
}

/// The events published since `rx` subscribed.
fn drain(rx: &mut tokio::sync::broadcast::Receiver<std::sync::Arc<CoreEvent>>) -> Vec<CoreEvent> {
    let mut out = Vec::new();
    while let Ok(e) = rx.try_recv() {
        out.push((*e).clone());
    }
    out
}

async fn only_the_author_schedules_and_changes_their_posts(ctx: Ctx) {
    let (team, channel, author) = fixture(&ctx).await;
    let other = teammate(&ctx, &team, &channel).await;
    let core = &ctx.core;
    let me = Actor::on_behalf_of(author.clone());
    let them = Actor::on_behalf_of(other.clone());
    let soon = now_ms() + 60_000;

    let mut rx = core.events.subscribe();
    let made = core
        .create_scheduled_post(&me, input(&channel.id, "later", soon))
        .await
        .expect("schedule");
    assert_eq!(
        (
            made.post.user_id.as_str(),
            made.post.scheduled_at,
            made.post.error_code.as_str()
        ),
        (author.id.as_str(), soon, "")
    );
    assert!(drain(&mut rx).iter().any(|e| matches!(
        (&e.kind, &e.audience),
        (EventKind::ScheduledPostCreated { scheduled_post }, Audience::User(u))
            if scheduled_post.post.id == made.post.id && *u == author.id
    )));

    // Times past, empty posts, archived channels and strangers are refused.
    for (bad, field) in [
        (
            input(&channel.id, "late", now_ms() - 60_000),
            "scheduled_at",
        ),
        (input(&channel.id, "  ", soon), "post"),
    ] {
        match core.create_scheduled_post(&me, bad).await {
            Err(Error::Invalid { field: f, .. }) => assert_eq!(f, field),
            other => panic!("{field}: {other:?}"),
        }
    }
    let stranger = user(&format!("s{}", &new_id()[..10]));
    ctx.store
        .create_user(&stranger, Some("hash"))
        .await
        .expect("user");
    assert!(matches!(
        core.create_scheduled_post(
            &Actor::on_behalf_of(stranger),
            input(&channel.id, "in", soon)
        )
        .await,
        Err(Error::Forbidden(_))
    ));

    // Listing shows the caller's own only.
    let mine = core
        .list_scheduled_posts(&me, &team.id, true)
        .await
        .expect("list");
    assert_eq!(mine.team.len(), 1);
    assert_eq!(mine.direct.map(|d| d.len()), Some(0));
    let theirs = core
        .list_scheduled_posts(&them, &team.id, false)
        .await
        .expect("list");
    assert!(theirs.team.is_empty() && theirs.direct.is_none());

    // Someone else can neither change nor delete it; missing ones are not found.
    let id = made.post.id.clone();
    match core
        .update_scheduled_post(&them, &id, input(&channel.id, "mine now", soon))
        .await
    {
        Err(Error::Forbidden(m)) => assert_eq!(m, NOT_OWNER),
        other => panic!("{other:?}"),
    }
    match core.delete_scheduled_post(&them, &id).await {
        Err(Error::Forbidden(m)) => assert_eq!(m, NOT_OWNER),
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        core.delete_scheduled_post(&me, &new_id()).await,
        Err(Error::NotFound {
            entity: "scheduled post"
        })
    ));

    // A failed post that is changed waits to be sent again.
    ctx.store
        .fail_scheduled_post(&id, codes::UNKNOWN, 5)
        .await
        .expect("fail");
    let changed = core
        .update_scheduled_post(&me, &id, input(&channel.id, "edited", soon + 1))
        .await
        .expect("update");
    assert_eq!(
        (
            changed.post.message.as_str(),
            changed.post.scheduled_at,
            changed.post.error_code.as_str(),
            changed.post.processed_at,
            changed.post.channel_id.as_str()
        ),
        ("edited", soon + 1, "", 0, channel.id.as_str())
    );

    let archived = Channel {
        delete_at: now_ms(),
        ..channel.clone()
    };
    ctx.store.update_channel(&archived).await.expect("archive");
    match core
        .create_scheduled_post(&me, input(&channel.id, "no", soon))
        .await
    {
        Err(Error::Invalid { field, .. }) => assert_eq!(field, "channel"),
        other => panic!("{other:?}"),
    }
    let gone = core.delete_scheduled_post(&me, &id).await.expect("delete");
    assert_eq!(gone.post.message, "edited");
    assert!(matches!(
        ctx.store.get_scheduled_post(&id).await,
        Err(Error::NotFound { .. })
    ));
}

async fn due_posts_go_out_as_their_author_once(ctx: Ctx) {
    let (_, channel, author) = fixture(&ctx).await;
    let core = &ctx.core;
    let post = due(&ctx, &author.id, &channel.id, 1_000).await;
    let mut rx = core.events.subscribe();
    assert_eq!(
        core.send_due_scheduled_posts().await,
        vec![(post.id.clone(), Sent::Posted)]
    );
    let posts = ctx
        .store
        .list_channel_posts(ChannelPosts::all(&channel.id), None, 10)
        .await
        .expect("posts");
    let sent: Vec<&Post> = posts.iter().filter(|p| p.message == "due").collect();
    assert_eq!(sent.len(), 1, "{posts:?}");
    assert_eq!(
        (sent[0].user_id.as_str(), sent[0].pending_post_id.as_str()),
        (author.id.as_str(), post.id.as_str())
    );
    assert!(matches!(
        ctx.store.get_scheduled_post(&post.id).await,
        Err(Error::NotFound { .. })
    ));
    let events = drain(&mut rx);
    assert!(events
        .iter()
        .any(|e| matches!(&e.kind, EventKind::PostCreated { post: p, .. } if p.id == sent[0].id)));
    assert!(events.iter().any(|e| matches!(
        &e.kind,
        EventKind::ScheduledPostDeleted { scheduled_post } if scheduled_post.post.id == post.id
    )));
    assert!(core.send_due_scheduled_posts().await.is_empty());

    // A node that stopped after posting, before removing the scheduled post:
    // the next round finds the post instead of posting it again.
    let again = due(&ctx, &author.id, &channel.id, 500).await;
    let first = core
        .create_post(
            &Actor::on_behalf_of(author.clone()),
            &channel.id,
            core_server::services::NewPost {
                message: "due".into(),
                pending_post_id: again.id.clone(),
                ..Default::default()
            },
        )
        .await
        .expect("post");
    assert_eq!(
        core.send_due_scheduled_posts().await,
        vec![(again.id.clone(), Sent::Posted)]
    );
    let posts = ctx
        .store
        .list_channel_posts(ChannelPosts::all(&channel.id), None, 10)
        .await
        .expect("posts");
    assert_eq!(
        posts
            .iter()
            .filter(|p| p.pending_post_id == again.id)
            .map(|p| p.id.as_str())
            .collect::<Vec<_>>(),
        vec![first.id.as_str()],
        "posted once"
    );
    // Not yet due: left alone.
    let future = ScheduledPost {
        scheduled_at: now_ms() + 60_000,
        ..due(&ctx, &author.id, &channel.id, 0).await
    };
    ctx.store
        .update_scheduled_post(&future)
        .await
        .expect("reschedule");
    assert!(core.send_due_scheduled_posts().await.is_empty());
}

async fn posts_that_cannot_go_out_keep_the_reason(ctx: Ctx) {
    let (team, town_square, author) = fixture(&ctx).await;
    let core = &ctx.core;
    let store = &ctx.store;

    // Each case on its own channel (or user), so one does not mask another.
    let open = |name: &str| channel(&team.id, &format!("{name}{}", &new_id()[..6]), "O");
    let left = open("left");
    store
        .create_channel(&left, &[member(&left.id, &author.id)])
        .await
        .expect("channel");
    let archived = open("archived");
    store
        .create_channel(&archived, &[member(&archived.id, &author.id)])
        .await
        .expect("channel");
    let root = post(&town_square.id, &author.id, 1, "");
    store.create_post(&root).await.expect("root");

    let to_left = due(&ctx, &author.id, &left.id, 10).await;
    store
        .delete_channel_member(&left.id, &author.id)
        .await
        .expect("leave");
    let to_archived = due(&ctx, &author.id, &archived.id, 10).await;
    store
        .update_channel(&Channel {
            delete_at: 5,
            ..archived.clone()
        })
        .await
        .expect("archive");
    let to_nowhere = due(&ctx, &author.id, &new_id(), 10).await;
    let reply = ScheduledPost {
        root_id: root.id.clone(),
        ..due_record(&author.id, &town_square.id, 10)
    };
    store.create_scheduled_post(&reply).await.expect("reply");
    store.delete_post(&root, 7).await.expect("delete root");
    let stale = due(&ctx, &author.id, &town_square.id, 25 * 60 * 60 * 1000).await;
    let gone_user = user(&format!("g{}", &new_id()[..10]));
    store
        .create_user(&gone_user, Some("hash"))
        .await
        .expect("user");
    let by_gone = due(&ctx, &gone_user.id, &town_square.id, 10).await;
    store
        .update_user(&User {
            delete_at: 9,
            ..gone_user.clone()
        })
        .await
        .expect("deactivate");

    let mut rx = core.events.subscribe();
    let mut outcomes = core.send_due_scheduled_posts().await;
    outcomes.sort();
    let mut expected = vec![
        (
            to_left.id.clone(),
            Sent::Failed(codes::NO_CHANNEL_PERMISSION),
        ),
        (
            to_archived.id.clone(),
            Sent::Failed(codes::CHANNEL_ARCHIVED),
        ),
        (
            to_nowhere.id.clone(),
            Sent::Failed(codes::CHANNEL_NOT_FOUND),
        ),
        (reply.id.clone(), Sent::Failed(codes::THREAD_DELETED)),
        (stale.id.clone(), Sent::Failed(codes::UNABLE_TO_SEND)),
        (by_gone.id.clone(), Sent::Failed(codes::USER_DELETED)),
    ];
    expected.sort();
    assert_eq!(outcomes, expected);

    let kept = store.get_scheduled_post(&to_left.id).await.expect("kept");
    assert_eq!(kept.error_code, codes::NO_CHANNEL_PERMISSION);
    assert!(kept.processed_at > 0 && kept.update_at == kept.processed_at);
    let updates = drain(&mut rx)
        .into_iter()
        .filter(|e| matches!(e.kind, EventKind::ScheduledPostUpdated { .. }))
        .count();
    assert_eq!(updates, expected.len(), "each author hears of each failure");
    assert!(
        core.send_due_scheduled_posts().await.is_empty(),
        "failed posts wait for their author"
    );
}

on_both_backends!(
    only_the_author_schedules_and_changes_their_posts,
    due_posts_go_out_as_their_author_once,
    posts_that_cannot_go_out_keep_the_reason
);
