//! The walk's outsider, a user outside the owner's team: refused on the
//! owner's team, private channel, posts and account, and served on every
//! other authenticated route (their own things, and what any user may do).

use axum::http::{Method, StatusCode};
use serde_json::Value;

use super::anonymous::PUBLIC;
use super::Walk;

/// Routes where the outsider, acting on the owner's things, is refused.
pub const REFUSED_FOR_OUTSIDER: &[(&str, &str)] = &[
    ("GET", "/api/v4/teams/{team_id}"),
    ("PUT", "/api/v4/teams/{team_id}/patch"),
    ("DELETE", "/api/v4/teams/{team_id}"),
    ("GET", "/api/v4/teams/name/{name}"),
    ("GET", "/api/v4/teams/{team_id}/stats"),
    ("GET", "/api/v4/teams/{team_id}/members"),
    ("POST", "/api/v4/teams/{team_id}/members"),
    ("POST", "/api/v4/teams/{team_id}/members/ids"),
    ("GET", "/api/v4/teams/{team_id}/members/{user_id}"),
    ("DELETE", "/api/v4/teams/{team_id}/members/{user_id}"),
    ("GET", "/api/v4/teams/{team_id}/channels"),
    (
        "GET",
        "/api/v4/teams/{team_id}/channels/name/{channel_name}",
    ),
    (
        "GET",
        "/api/v4/teams/name/{team_name}/channels/name/{channel_name}",
    ),
    ("POST", "/api/v4/channels"),
    ("GET", "/api/v4/channels/{channel_id}"),
    ("DELETE", "/api/v4/channels/{channel_id}"),
    ("PUT", "/api/v4/channels/{channel_id}/patch"),
    ("POST", "/api/v4/channels/{channel_id}/restore"),
    ("GET", "/api/v4/channels/{channel_id}/stats"),
    ("GET", "/api/v4/channels/{channel_id}/timezones"),
    // Finding channels in a team the outsider is not in.
    ("GET", "/api/v4/teams/{team_id}/channels/autocomplete"),
    (
        "GET",
        "/api/v4/teams/{team_id}/channels/search_autocomplete",
    ),
    ("POST", "/api/v4/teams/{team_id}/channels/search"),
    ("GET", "/api/v4/teams/{team_id}/channels/deleted"),
    ("GET", "/api/v4/channels/{channel_id}/pinned"),
    ("GET", "/api/v4/channels/{channel_id}/members"),
    ("POST", "/api/v4/channels/{channel_id}/members"),
    ("POST", "/api/v4/channels/{channel_id}/members/ids"),
    ("GET", "/api/v4/channels/{channel_id}/members/{user_id}"),
    ("DELETE", "/api/v4/channels/{channel_id}/members/{user_id}"),
    (
        "PUT",
        "/api/v4/channels/{channel_id}/members/{user_id}/roles",
    ),
    (
        "PUT",
        "/api/v4/channels/{channel_id}/members/{user_id}/schemeRoles",
    ),
    (
        "PUT",
        "/api/v4/channels/{channel_id}/members/{user_id}/notify_props",
    ),
    ("PUT", "/api/v4/channels/{channel_id}/privacy"),
    ("PUT", "/api/v4/teams/{team_id}/members/{user_id}/roles"),
    (
        "PUT",
        "/api/v4/teams/{team_id}/members/{user_id}/schemeRoles",
    ),
    ("PUT", "/api/v4/users/{user_id}/roles"),
    ("GET", "/api/v4/users/{user_id}/channel_members"),
    ("GET", "/api/v4/channels/{channel_id}/posts"),
    ("GET", "/api/v4/files/{file_id}"),
    ("GET", "/api/v4/files/{file_id}/thumbnail"),
    ("GET", "/api/v4/files/{file_id}/preview"),
    ("GET", "/api/v4/files/{file_id}/info"),
    ("GET", "/api/v4/files/{file_id}/link"),
    ("GET", "/api/v4/posts/{post_id}/files/info"),
    ("POST", "/api/v4/teams/{team_id}/files/search"),
    ("POST", "/api/v4/posts"),
    ("GET", "/api/v4/posts/{post_id}"),
    ("PUT", "/api/v4/posts/{post_id}"),
    ("DELETE", "/api/v4/posts/{post_id}"),
    ("PUT", "/api/v4/posts/{post_id}/patch"),
    ("GET", "/api/v4/posts/{post_id}/thread"),
    ("POST", "/api/v4/posts/{post_id}/pin"),
    ("POST", "/api/v4/posts/{post_id}/unpin"),
    ("GET", "/api/v4/posts/{post_id}/reactions"),
    ("POST", "/api/v4/reactions"),
    ("PUT", "/api/v4/users/{user_id}/patch"),
    ("DELETE", "/api/v4/users/{user_id}"),
    ("PUT", "/api/v4/users/{user_id}/password"),
    ("GET", "/api/v4/users/{user_id}/sessions"),
    ("POST", "/api/v4/users/{user_id}/sessions/revoke"),
    ("PUT", "/api/v4/users/{user_id}/status"),
    ("GET", "/api/v4/users/{user_id}/preferences"),
    ("PUT", "/api/v4/users/{user_id}/preferences"),
    ("POST", "/api/v4/users/{user_id}/preferences/delete"),
    ("GET", "/api/v4/users/{user_id}/preferences/{category}"),
    (
        "GET",
        "/api/v4/users/{user_id}/preferences/{category}/name/{preference_name}",
    ),
    ("GET", "/api/v4/users/{user_id}/teams"),
    ("GET", "/api/v4/users/{user_id}/teams/members"),
    ("GET", "/api/v4/users/{user_id}/teams/unread"),
    ("GET", "/api/v4/users/{user_id}/teams/{team_id}/channels"),
    (
        "GET",
        "/api/v4/users/{user_id}/teams/{team_id}/channels/members",
    ),
    (
        "GET",
        "/api/v4/users/{user_id}/teams/{team_id}/channels/categories",
    ),
    ("GET", "/api/v4/users/{user_id}/channels"),
    (
        "GET",
        "/api/v4/users/{user_id}/channels/{channel_id}/unread",
    ),
    ("POST", "/api/v4/channels/members/{user_id}/view"),
    (
        "DELETE",
        "/api/v4/users/{user_id}/posts/{post_id}/reactions/{emoji_name}",
    ),
    ("GET", "/api/v4/users/email/{email}"),
    ("POST", "/api/v4/teams/{team_id}/posts/search"),
    // A permalink's post in a team and channel the outsider may not join.
    ("GET", "/api/v4/posts/{post_id}/info"),
    // Running the owner's post's action, or submitting a dialog from their channel.
    ("POST", "/api/v4/posts/{post_id}/actions/{action_id}"),
    ("POST", "/api/v4/actions/dialogs/submit"),
    // Another user's read state, in a channel the outsider cannot read.
    ("POST", "/api/v4/users/{user_id}/posts/{post_id}/set_unread"),
    // Tokens and bots are for admins, and for the token's user or the bot's owner.
    ("POST", "/api/v4/users/{user_id}/tokens"),
    ("GET", "/api/v4/users/{user_id}/tokens"),
    ("GET", "/api/v4/users/tokens/{token_id}"),
    ("POST", "/api/v4/users/tokens/revoke"),
    ("POST", "/api/v4/users/tokens/disable"),
    ("POST", "/api/v4/users/tokens/enable"),
    ("POST", "/api/v4/bots"),
    ("GET", "/api/v4/bots/{bot_user_id}"),
    ("PUT", "/api/v4/bots/{bot_user_id}"),
    ("POST", "/api/v4/bots/{bot_user_id}/disable"),
    ("POST", "/api/v4/bots/{bot_user_id}/enable"),
    ("POST", "/api/v4/bots/{bot_user_id}/assign/{user_id}"),
    // Pictures, saved posts and unread views are their user's; invite ids their team admins'.
    ("POST", "/api/v4/users/{user_id}/image"),
    ("DELETE", "/api/v4/users/{user_id}/image"),
    (
        "GET",
        "/api/v4/users/{user_id}/channels/{channel_id}/posts/unread",
    ),
    ("GET", "/api/v4/users/{user_id}/posts/flagged"),
    ("POST", "/api/v4/teams/{team_id}/regenerate_invite_id"),
    // Custom emoji are deleted by their creator (or an admin).
    ("DELETE", "/api/v4/emoji/{emoji_id}"),
    // Sidebars are their user's.
    (
        "PUT",
        "/api/v4/users/{user_id}/teams/{team_id}/channels/categories",
    ),
    (
        "POST",
        "/api/v4/users/{user_id}/teams/{team_id}/channels/categories",
    ),
    (
        "GET",
        "/api/v4/users/{user_id}/teams/{team_id}/channels/categories/order",
    ),
    (
        "PUT",
        "/api/v4/users/{user_id}/teams/{team_id}/channels/categories/order",
    ),
    (
        "GET",
        "/api/v4/users/{user_id}/teams/{team_id}/channels/categories/{category_id}",
    ),
    (
        "PUT",
        "/api/v4/users/{user_id}/teams/{team_id}/channels/categories/{category_id}",
    ),
    (
        "DELETE",
        "/api/v4/users/{user_id}/teams/{team_id}/channels/categories/{category_id}",
    ),
    // Threads are listed and marked by their follower only.
    ("GET", "/api/v4/users/{user_id}/teams/{team_id}/threads"),
    (
        "PUT",
        "/api/v4/users/{user_id}/teams/{team_id}/threads/read",
    ),
    (
        "GET",
        "/api/v4/users/{user_id}/teams/{team_id}/threads/{thread_id}",
    ),
    (
        "PUT",
        "/api/v4/users/{user_id}/teams/{team_id}/threads/{thread_id}/read/{timestamp}",
    ),
    (
        "PUT",
        "/api/v4/users/{user_id}/teams/{team_id}/threads/{thread_id}/following",
    ),
    (
        "DELETE",
        "/api/v4/users/{user_id}/teams/{team_id}/threads/{thread_id}/following",
    ),
    (
        "POST",
        "/api/v4/users/{user_id}/teams/{team_id}/threads/{thread_id}/set_unread/{post_id}",
    ),
    // Uploads are their uploader's; only channel members start one.
    ("POST", "/api/v4/uploads"),
    ("GET", "/api/v4/uploads/{upload_id}"),
    ("POST", "/api/v4/uploads/{upload_id}"),
    ("GET", "/api/v4/users/{user_id}/uploads"),
    // Jobs, imports and exports are system admins' tools.
    ("POST", "/api/v4/jobs"),
    ("GET", "/api/v4/jobs"),
    ("GET", "/api/v4/jobs/{job_id}"),
    ("GET", "/api/v4/jobs/type/{job_type}"),
    ("POST", "/api/v4/jobs/{job_id}/cancel"),
    ("GET", "/api/v4/imports"),
    ("DELETE", "/api/v4/imports/{import_name}"),
    ("GET", "/api/v4/exports"),
    ("GET", "/api/v4/exports/{export_name}"),
    ("DELETE", "/api/v4/exports/{export_name}"),
    // Team management, one's own unread counts, and the commands of a team.
    ("PUT", "/api/v4/teams/{team_id}"),
    ("PUT", "/api/v4/teams/{team_id}/privacy"),
    ("POST", "/api/v4/teams/{team_id}/restore"),
    ("POST", "/api/v4/teams/{team_id}/members/batch"),
    ("GET", "/api/v4/users/{user_id}/teams/{team_id}/unread"),
    ("GET", "/api/v4/teams/{team_id}/commands/autocomplete"),
    (
        "GET",
        "/api/v4/teams/{team_id}/commands/autocomplete_suggestions",
    ),
    // A command in the owner's private channel.
    ("POST", "/api/v4/commands/execute"),
    // Custom commands are managed by their team's admins; one the outsider
    // may not manage is "not found".
    ("POST", "/api/v4/commands"),
    ("GET", "/api/v4/commands/{command_id}"),
    ("PUT", "/api/v4/commands/{command_id}"),
    ("DELETE", "/api/v4/commands/{command_id}"),
    ("PUT", "/api/v4/commands/{command_id}/move"),
    ("PUT", "/api/v4/commands/{command_id}/regen_token"),
    // Custom statuses are their user's.
    ("PUT", "/api/v4/users/{user_id}/status/custom"),
    ("DELETE", "/api/v4/users/{user_id}/status/custom"),
    ("DELETE", "/api/v4/users/{user_id}/status/custom/recent"),
    (
        "POST",
        "/api/v4/users/{user_id}/status/custom/recent/delete",
    ),
    // Every channel is for system admins; a team's lists for its members; a
    // channel's settings and group-message conversion for its members.
    ("PUT", "/api/v4/channels/{channel_id}"),
    ("GET", "/api/v4/channels"),
    ("POST", "/api/v4/channels/search"),
    ("GET", "/api/v4/teams/{team_id}/channels/private"),
    ("POST", "/api/v4/teams/{team_id}/channels/ids"),
    ("POST", "/api/v4/teams/{team_id}/channels/search_archived"),
    ("GET", "/api/v4/channels/{channel_id}/common_teams"),
    ("POST", "/api/v4/channels/{channel_id}/convert_to_channel"),
    // System admins' tools: every role, statistics, ephemeral posts for
    // integrations, turning bots into people and back, the busy switch and
    // unlocking accounts.
    ("GET", "/api/v4/roles"),
    ("GET", "/api/v4/analytics/old"),
    ("POST", "/api/v4/posts/ephemeral"),
    ("POST", "/api/v4/bots/{bot_user_id}/convert_to_user"),
    ("POST", "/api/v4/users/{user_id}/convert_to_bot"),
    ("GET", "/api/v4/server_busy"),
    ("POST", "/api/v4/server_busy"),
    ("DELETE", "/api/v4/server_busy"),
    ("POST", "/api/v4/users/{user_id}/reset_failed_attempts"),
    // Another user's account: their profile, activation, sessions, typing;
    // and what only system admins see (everyone's tokens, filtered counts,
    // the limits) or do (sign everyone out, verify an address).
    ("PUT", "/api/v4/users/{user_id}"),
    ("PUT", "/api/v4/users/{user_id}/active"),
    ("POST", "/api/v4/users/{user_id}/sessions/revoke/all"),
    ("POST", "/api/v4/users/{user_id}/typing"),
    ("POST", "/api/v4/users/sessions/revoke/all"),
    ("POST", "/api/v4/users/{user_id}/email/verify/member"),
    ("GET", "/api/v4/users/stats/filtered"),
    ("GET", "/api/v4/limits/server"),
    ("GET", "/api/v4/users/tokens"),
    ("POST", "/api/v4/users/tokens/search"),
    // Invitations to a team are sent by its members; its icon is changed by
    // its admins (and an invite-only team's icon is for its members).
    ("POST", "/api/v4/teams/{team_id}/invite/email"),
    ("GET", "/api/v4/teams/{team_id}/image"),
    ("POST", "/api/v4/teams/{team_id}/image"),
    ("DELETE", "/api/v4/teams/{team_id}/image"),
    // Voiding every invitation and the test mail are system admins' tools.
    ("DELETE", "/api/v4/teams/invites/email"),
    ("POST", "/api/v4/email/test"),
    // Incoming webhooks are managed by team admins.
    ("POST", "/api/v4/hooks/incoming"),
    ("GET", "/api/v4/hooks/incoming"),
    ("GET", "/api/v4/hooks/incoming/{hook_id}"),
    ("PUT", "/api/v4/hooks/incoming/{hook_id}"),
    ("DELETE", "/api/v4/hooks/incoming/{hook_id}"),
    // Outgoing webhooks too: their tokens are for those who manage them.
    ("POST", "/api/v4/hooks/outgoing"),
    ("GET", "/api/v4/hooks/outgoing"),
    ("GET", "/api/v4/hooks/outgoing/{hook_id}"),
    ("PUT", "/api/v4/hooks/outgoing/{hook_id}"),
    ("DELETE", "/api/v4/hooks/outgoing/{hook_id}"),
    ("POST", "/api/v4/hooks/outgoing/{hook_id}/regen_token"),
    // Scheduled posts are their author's; scheduling needs a channel one may post in.
    ("POST", "/api/v4/posts/schedule"),
    ("GET", "/api/v4/posts/scheduled/team/{team_id}"),
    ("PUT", "/api/v4/posts/schedule/{scheduled_post_id}"),
    ("DELETE", "/api/v4/posts/schedule/{scheduled_post_id}"),
];

/// Each refused route answers 403 or 404, in Mattermost's error shape.
pub async fn refused_on_what_is_not_theirs(walk: &Walk) {
    let Walk {
        app,
        owner_id,
        outsider_id,
        outsider,
        ..
    } = walk;
    for (method, path) in REFUSED_FOR_OUTSIDER {
        assert!(
            mm_bridge::ROUTES.contains(&(*method, *path)),
            "{method} {path} is not a served route"
        );
        let m = Method::from_bytes(method.as_bytes()).expect("method");
        let target = walk.fill(path, owner_id);
        let body = walk.body_for(method, path, outsider_id);
        let (status, resp, _) = app.call(&m, &target, Some(outsider), body.as_ref()).await;
        assert!(
            status == StatusCode::FORBIDDEN || status == StatusCode::NOT_FOUND,
            "outsider {method} {path}: {status} {resp}"
        );
        assert!(
            resp["id"].is_string() && resp["status_code"] == status.as_u16(),
            "{method} {path}: {resp}"
        );
    }
}

/// Every other authenticated route is open to any signed-in user; it must
/// still answer 2xx for the outsider.
pub async fn served_on_their_own_and_open_routes(walk: &Walk) {
    let Walk {
        app,
        owner_id,
        outsider_id,
        outsider,
        team,
        ..
    } = walk;
    for (method, path) in mm_bridge::ROUTES {
        if REFUSED_FOR_OUTSIDER.contains(&(*method, *path)) || PUBLIC.contains(path) {
            continue;
        }
        if [
            ("POST", "/api/v4/emoji"),
            ("POST", "/api/v4/teams/members/invite"),
            ("POST", "/api/v4/files"),
            ("POST", "/api/v4/notifications/ack"),
            // Need a team_id query or a recent status to forget: their own
            // tests cover them.
            ("GET", "/api/v4/commands"),
            ("DELETE", "/api/v4/users/{user_id}/status/custom/recent"),
            (
                "POST",
                "/api/v4/users/{user_id}/status/custom/recent/delete",
            ),
        ]
        .contains(&(*method, *path))
        {
            // Multipart, an invitation, or a push ack (501 without a push
            // proxy): covered by their own tests.
            continue;
        }
        let m = Method::from_bytes(method.as_bytes()).expect("method");
        let target = walk
            .fill(path, outsider_id)
            .replace(team.as_str(), "unused");
        if target.contains("unused") {
            continue;
        }
        let body = walk.body_for(method, path, outsider_id).map(|b| {
            let text = b
                .to_string()
                .replace(owner_id.as_str(), outsider_id)
                .replace("late", "later");
            serde_json::from_str::<Value>(&text).expect("json")
        });
        let (status, resp, _) = app.call(&m, &target, Some(outsider), body.as_ref()).await;
        assert!(
            status.is_success(),
            "outsider on own or public route {method} {path}: {status} {resp}"
        );
    }
}
