//! A channel's notification recipients are kept in memory between posts.
//! On both backends: a change made through another node over the same
//! database (a new member, a renamed user, changed channel settings) is
//! seen by the next post on this node.

#[macro_use]
mod support;
#[path = "store/fixtures.rs"]
#[allow(dead_code)] // shared by several test binaries, each using a part
mod fixtures;

use core_server::id::new_id;
use core_server::model::*;
use core_server::services::{Actor, Core, NewPost};
use fixtures::*;
use support::Ctx;

async fn post_and_mentioned(
    core: &Core,
    author: &User,
    channel: &Channel,
    message: &str,
) -> Vec<String> {
    let before = core
        .store
        .get_channel(&channel.id)
        .await
        .expect("channel")
        .total_msg_count;
    core.create_post(
        &Actor::on_behalf_of(author.clone()),
        &channel.id,
        NewPost {
            message: message.into(),
            ..Default::default()
        },
    )
    .await
    .expect("post");
    let after = core.store.get_channel(&channel.id).await.expect("channel");
    assert_eq!(after.total_msg_count, before + 1);
    // Whom it mentioned: members whose mention count is above zero.
    let mut mentioned: Vec<String> = core
        .store
        .list_channel_members(&channel.id, None, 100)
        .await
        .expect("members")
        .into_iter()
        .filter(|m| m.mention_count > 0)
        .map(|m| m.user_id)
        .collect();
    mentioned.sort();
    mentioned
}

async fn clear_mentions(ctx: &Ctx, channel: &Channel, user: &User) {
    let mut m = ctx
        .store
        .get_channel_member(&channel.id, &user.id)
        .await
        .expect("member");
    m.mention_count = 0;
    m.mention_count_root = 0;
    ctx.store
        .set_channel_read_state(&m)
        .await
        .expect("read state");
}

/// Sets one of a member's channel notify props.
async fn set_member_prop(ctx: &Ctx, channel: &Channel, user: &User, key: &str, value: &str) {
    let mut m = ctx
        .store
        .get_channel_member(&channel.id, &user.id)
        .await
        .expect("member");
    m.notify_props.insert(key.into(), value.into());
    ctx.store.save_channel_member(&m).await.expect("props");
}

async fn changes_on_another_node_reach_the_next_post(ctx: Ctx) {
    let (team, channel, author) = fixture(&ctx).await;
    let this_node = &ctx.core;
    let other_node = Core::new(ctx.store.clone(), (*ctx.core.config()).clone());
    let bob = user(&format!("b{}", &new_id()[..10]));
    ctx.store
        .create_user(&bob, Some("hash"))
        .await
        .expect("user");
    ctx.store
        .save_team_member(&team_member(&team.id, &bob.id), &[])
        .await
        .expect("team member");

    // Not a member yet: the name reaches nobody (and the channel is cached).
    let mention = format!("hello @{}", bob.username);
    assert!(post_and_mentioned(this_node, &author, &channel, &mention)
        .await
        .is_empty());

    // Joined through the other node: the next post here mentions them.
    other_node
        .add_channel_member(&Actor::on_behalf_of(author.clone()), &channel.id, &bob.id)
        .await
        .expect("join");
    assert_eq!(
        post_and_mentioned(this_node, &author, &channel, &mention).await,
        vec![bob.id.clone()]
    );
    clear_mentions(&ctx, &channel, &bob).await;

    // Renamed elsewhere: the new name mentions them, the old one not.
    let mut renamed = ctx.store.get_user(&bob.id).await.expect("user");
    renamed.username = format!("r{}", &new_id()[..10]);
    ctx.store.update_user(&renamed).await.expect("rename");
    assert!(post_and_mentioned(this_node, &author, &channel, &mention)
        .await
        .is_empty());
    let new_mention = format!("hi @{}", renamed.username);
    assert_eq!(
        post_and_mentioned(this_node, &author, &channel, &new_mention).await,
        vec![bob.id.clone()]
    );
    clear_mentions(&ctx, &channel, &bob).await;

    // Channel-wide words: reached, then ignored once the member says so.
    assert_eq!(
        post_and_mentioned(this_node, &author, &channel, "@channel standup").await,
        vec![bob.id.clone()]
    );
    clear_mentions(&ctx, &channel, &bob).await;
    set_member_prop(&ctx, &channel, &bob, "ignore_channel_mentions", "on").await;
    assert!(
        post_and_mentioned(this_node, &author, &channel, "@channel standup")
            .await
            .is_empty()
    );

    // `@here` reaches members online right now, read at each post.
    set_member_prop(&ctx, &channel, &bob, "ignore_channel_mentions", "off").await;
    assert!(
        post_and_mentioned(this_node, &author, &channel, "@here anyone?")
            .await
            .is_empty()
    );
    ctx.store
        .save_status(&status(&bob.id, "online"))
        .await
        .expect("status");
    assert_eq!(
        post_and_mentioned(this_node, &author, &channel, "@here anyone?").await,
        vec![bob.id.clone()]
    );
}

on_both_backends!(changes_on_another_node_reach_the_next_post);
