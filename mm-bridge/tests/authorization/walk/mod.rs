//! The authorization walk: every implemented v4 route, called by each kind
//! of caller over one set of users and things (see `fixture`). The steps run
//! in order on the same server: the hook test counts the post the anonymous
//! step made through the hook, and the token is revoked only at the end.

mod anonymous;
mod fixture;
mod hooks;
mod member;
mod outsider;
mod owner;

use fixture::Walk;

#[tokio::test]
async fn every_route_answers_each_kind_of_caller_as_mattermost_does() {
    let walk = Walk::set_up().await;
    anonymous::only_public_routes_answer(&walk).await;
    outsider::refused_on_what_is_not_theirs(&walk).await;
    outsider::served_on_their_own_and_open_routes(&walk).await;
    member::reads_the_public_channel_only(&walk).await;
    member::search_finds_only_what_the_searcher_may_read(&walk).await;
    hooks::post_into_their_channel_as_their_creator(&walk).await;
    owner::a_revoked_access_token_stops_working(&walk).await;
    owner::gets_everything_that_is_theirs(&walk).await;
}
