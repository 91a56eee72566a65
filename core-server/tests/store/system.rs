//! Server-wide counts for administrators' statistics.

use core_server::model::*;
use core_server::store::{ActiveSince, PerDay};

use crate::fixtures::*;
use crate::support::Ctx;

const DAY: i64 = 86_400_000;

async fn counts_of_the_server_and_of_a_team(ctx: Ctx) {
    let store = &ctx.store;
    let (t, open, u) = fixture(&ctx).await;
    let private = channel(&t.id, "secret", "P");
    store
        .create_channel(&private, &[member(&private.id, &u.id)])
        .await
        .expect("private");
    let gone = User {
        delete_at: 5,
        ..user("gone")
    };
    store.create_user(&gone, None).await.expect("deactivated");
    let other = team("elsewhere");
    let elsewhere = channel(&other.id, "town-square", "O");
    store
        .create_team(&other, std::slice::from_ref(&elsewhere), None, &[])
        .await
        .expect("other team");
    // Two posts on day 10, one on day 11 in the team; one elsewhere.
    for (channel_id, at) in [
        (&open.id, 10 * DAY + 1),
        (&private.id, 10 * DAY + 2),
        (&open.id, 11 * DAY),
        (&elsewhere.id, 11 * DAY + 5),
    ] {
        store
            .create_post(&post(channel_id, &u.id, at, ""))
            .await
            .expect("post");
    }
    let active = ActiveSince { day: 0, month: 0 };

    let all = store.server_counts(None, active).await.expect("server");
    assert_eq!(all.open_channels, 2);
    assert_eq!(all.private_channels, 1);
    assert_eq!(all.posts, 4);
    assert_eq!(all.users, 1, "active people only");
    assert_eq!(all.inactive_users, 1);
    assert_eq!(all.teams, 2);
    assert!(all.write_connections >= 1);

    let one = store
        .server_counts(Some(&t.id), active)
        .await
        .expect("team");
    assert_eq!((one.open_channels, one.private_channels), (1, 1));
    assert_eq!(one.posts, 3);
    assert_eq!(one.users, 1, "the team's members");

    let per_day = |team_id, distinct_authors| PerDay {
        team_id,
        since: 10 * DAY,
        until: 12 * DAY,
        bots_only: false,
        distinct_authors,
    };
    assert_eq!(
        store
            .posts_per_day(per_day(Some(t.id.as_str()), false))
            .await
            .expect("per day"),
        vec![(11, 1), (10, 2)],
        "newest day first"
    );
    assert_eq!(
        store
            .posts_per_day(per_day(None, true))
            .await
            .expect("authors per day"),
        vec![(11, 1), (10, 1)]
    );
    let bots = PerDay {
        bots_only: true,
        ..per_day(None, false)
    };
    assert!(store.posts_per_day(bots).await.expect("bots").is_empty());
}

on_both_backends!(counts_of_the_server_and_of_a_team);
