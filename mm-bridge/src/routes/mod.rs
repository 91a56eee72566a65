//! The v4 route table, one module per area. Every path not listed answers
//! 501 in Mattermost's error shape.

pub use system::publish_config_changed;
mod accounts;
mod actions;
mod analytics;
mod bots;
mod channel_lists;
mod channels;
mod commands;
mod custom_commands;
mod custom_status;
mod email;
mod emoji;
mod fallback;
mod files;
mod hooks;
mod invites;
mod jobs;
mod member_roles;
mod notifications;
mod outgoing_hooks;
pub(crate) mod posts;
mod roles;
mod scheduled_posts;
mod sidebar;
mod sso;
pub mod system;
mod table;
mod team_icon;
mod teams;
pub(crate) mod threads;
mod typing;
mod uploads;
mod user_counts;
mod users;

use axum::routing::{any, delete, get, post, put};
use axum::Router;

use core_server::services::Core;

use fallback::{not_implemented, plugins_disabled, unknown_api};
pub use table::ROUTES;

/// The `/api/v4` router (and `/hooks`).
pub fn router(core: Core) -> Router<Core> {
    Router::new()
        .route("/api/v4/system/ping", get(system::ping))
        .route("/api/v4/websocket", get(crate::ws::upgrade))
        .route("/api/v4/websocket/", get(crate::ws::upgrade))
        .route(
            "/api/v4/files",
            // Each file is limited while it streams (max_file_size), not the request.
            post(files::upload).layer(axum::extract::DefaultBodyLimit::disable()),
        )
        .route("/api/v4/agents", get(system::agents))
        .route(
            "/api/v4/users/{user_id}/channel_members",
            get(channels::all_my_memberships),
        )
        .route("/api/v4/files/{file_id}", get(files::get))
        .route("/api/v4/files/{file_id}/thumbnail", get(files::thumbnail))
        .route("/api/v4/files/{file_id}/preview", get(files::preview))
        .route("/api/v4/files/{file_id}/info", get(files::info))
        .route("/api/v4/files/{file_id}/link", get(files::link))
        .route("/files/{file_id}/public", get(files::public))
        .route("/api/v4/posts/{post_id}/files/info", get(files::of_post))
        .route("/api/v4/teams/{team_id}/files/search", post(files::search))
        .route("/api/v4/files/search", post(files::search_all_teams))
        .route("/api/v4/uploads", post(uploads::create))
        .route(
            "/api/v4/uploads/{upload_id}",
            // Each part is limited by what the upload still expects.
            get(uploads::get)
                .post(uploads::upload_data)
                .layer(axum::extract::DefaultBodyLimit::disable()),
        )
        .route("/api/v4/users/{user_id}/uploads", get(uploads::of_user))
        .route("/api/v4/jobs", post(jobs::create).get(jobs::list))
        .route("/api/v4/jobs/{job_id}", get(jobs::get))
        .route("/api/v4/jobs/type/{job_type}", get(jobs::of_type))
        .route("/api/v4/jobs/{job_id}/cancel", post(jobs::cancel))
        .route("/api/v4/imports", get(jobs::list_imports))
        .route("/api/v4/imports/{import_name}", delete(jobs::delete_import))
        .route("/api/v4/exports", get(jobs::list_exports))
        .route(
            "/api/v4/exports/{export_name}",
            get(jobs::download_export).delete(jobs::delete_export),
        )
        .route(
            "/api/v4/channels/{channel_id}/members/{user_id}/roles",
            put(member_roles::channel_member_roles),
        )
        .route(
            "/api/v4/channels/{channel_id}/members/{user_id}/schemeRoles",
            put(member_roles::channel_member_scheme_roles),
        )
        .route(
            "/api/v4/channels/{channel_id}/members/{user_id}/notify_props",
            put(member_roles::channel_member_notify_props),
        )
        .route(
            "/api/v4/channels/{channel_id}/privacy",
            put(member_roles::channel_privacy),
        )
        .route(
            "/api/v4/teams/{team_id}/members/{user_id}/roles",
            put(member_roles::team_member_roles),
        )
        .route(
            "/api/v4/teams/{team_id}/members/{user_id}/schemeRoles",
            put(member_roles::team_member_scheme_roles),
        )
        .route(
            "/api/v4/users/{user_id}/roles",
            put(member_roles::user_roles),
        )
        .route("/api/v4/config/client", get(system::client_config))
        .route("/api/v4/license/client", get(system::client_license))
        .route("/api/v4/plugins/webapp", get(system::webapp_plugins))
        .route("/api/v4/roles/names", post(roles::by_names))
        .route("/api/v4/roles/name/{role_name}", get(roles::by_name))
        .route("/api/v4/roles", get(roles::all))
        .route("/api/v4/analytics/old", get(analytics::old))
        .route(
            "/api/v4/server_busy",
            get(analytics::get_busy)
                .post(analytics::set_busy)
                .delete(analytics::clear_busy),
        )
        .route("/api/v4/roles/{role_id}", get(roles::by_id))
        .route("/api/v4/users/login", post(users::login))
        .route(
            "/api/v4/users/login/sso/code-exchange",
            post(sso::code_exchange),
        )
        .route("/api/v4/users/login/switch", post(sso::switch))
        .route("/api/v4/users/password/reset/send", post(email::send_reset))
        .route("/api/v4/users/password/reset", post(email::reset))
        .route(
            "/api/v4/users/email/verify/send",
            post(email::send_verification),
        )
        .route("/api/v4/users/email/verify", post(email::verify))
        .route("/api/v4/users/logout", post(users::logout))
        .route("/api/v4/users", post(users::create).get(users::list))
        .route("/api/v4/users/ids", post(users::by_ids))
        .route("/api/v4/users/usernames", post(users::by_usernames))
        .route("/api/v4/users/autocomplete", get(users::autocomplete))
        .route("/api/v4/users/search", post(users::search))
        .route(
            "/api/v4/users/{user_id}",
            get(users::get)
                .put(accounts::update)
                .delete(users::deactivate),
        )
        .route("/api/v4/users/{user_id}/active", put(accounts::set_active))
        .route(
            "/api/v4/users/{user_id}/sessions/revoke/all",
            post(accounts::revoke_user_sessions),
        )
        .route(
            "/api/v4/users/sessions/revoke/all",
            post(accounts::revoke_all_sessions),
        )
        .route(
            "/api/v4/users/{user_id}/email/verify/member",
            post(accounts::verify_email),
        )
        .route("/api/v4/users/{user_id}/typing", post(typing::publish))
        .route("/api/v4/users/stats", get(user_counts::total))
        .route("/api/v4/users/stats/filtered", get(user_counts::filtered))
        .route("/api/v4/users/known", get(user_counts::known))
        .route("/api/v4/limits/server", get(user_counts::server_limits))
        .route("/api/v4/users/tokens", get(bots::all_tokens))
        .route("/api/v4/users/tokens/search", post(bots::search_tokens))
        .route("/api/v4/users/username/{username}", get(users::by_username))
        .route("/api/v4/users/email/{email}", get(users::by_email))
        .route("/api/v4/users/{user_id}/patch", put(users::patch))
        .route("/api/v4/users/{user_id}/password", put(users::password))
        .route("/api/v4/users/{user_id}/sessions", get(users::sessions))
        .route(
            "/api/v4/users/{user_id}/sessions/revoke",
            post(users::revoke_session),
        )
        .route("/api/v4/users/sessions/device", put(users::attach_device))
        .route("/api/v4/notifications/ack", post(notifications::ack))
        .route("/api/v4/notifications/test", post(notifications::test))
        .route("/api/v4/email/test", post(email::test))
        .route(
            "/api/v4/teams/{team_id}/invite/email",
            post(invites::invite_by_email),
        )
        .route(
            "/api/v4/teams/invites/email",
            delete(invites::invalidate_all),
        )
        .route(
            "/api/v4/teams/{team_id}/image",
            get(team_icon::get)
                .delete(team_icon::remove)
                .post(team_icon::set)
                .layer(
                    // Icons may be larger than ordinary API bodies.
                    axum::extract::DefaultBodyLimit::max(
                        core_server::services::MAX_TEAM_ICON_BYTES + team_icon::MULTIPART_OVERHEAD,
                    ),
                ),
        )
        .route(
            "/api/v4/users/{user_id}/status",
            get(users::status).put(users::set_status),
        )
        .route("/api/v4/users/status/ids", post(users::statuses))
        .route(
            "/api/v4/users/{user_id}/status/custom",
            put(custom_status::set).delete(custom_status::clear),
        )
        .route(
            "/api/v4/users/{user_id}/status/custom/recent",
            delete(custom_status::forget_recent),
        )
        .route(
            "/api/v4/users/{user_id}/status/custom/recent/delete",
            post(custom_status::forget_recent),
        )
        .route("/api/v4/commands/execute", post(commands::execute))
        .route(
            "/api/v4/commands",
            get(commands::list).post(custom_commands::create),
        )
        .route(
            "/api/v4/commands/{command_id}",
            get(custom_commands::get)
                .put(custom_commands::update)
                .delete(custom_commands::delete),
        )
        .route(
            "/api/v4/commands/{command_id}/move",
            put(custom_commands::move_to_team),
        )
        .route(
            "/api/v4/commands/{command_id}/regen_token",
            put(custom_commands::regen_token),
        )
        .route(
            "/api/v4/teams/{team_id}/commands/autocomplete",
            get(commands::autocomplete),
        )
        .route(
            "/api/v4/teams/{team_id}/commands/autocomplete_suggestions",
            get(commands::suggestions),
        )
        .route(
            "/api/v4/users/{user_id}/preferences",
            get(users::preferences).put(users::save_preferences),
        )
        .route(
            "/api/v4/users/{user_id}/preferences/delete",
            post(users::delete_preferences),
        )
        .route(
            "/api/v4/users/{user_id}/preferences/{category}",
            get(users::preferences_in),
        )
        .route(
            "/api/v4/users/{user_id}/preferences/{category}/name/{preference_name}",
            get(users::preference),
        )
        .route("/api/v4/users/{user_id}/teams", get(teams::mine))
        .route(
            "/api/v4/users/{user_id}/teams/members",
            get(teams::my_memberships),
        )
        .route(
            "/api/v4/users/{user_id}/teams/unread",
            get(teams::my_unreads),
        )
        .route(
            "/api/v4/users/{user_id}/teams/{team_id}/channels",
            get(channels::mine_in_team),
        )
        .route(
            "/api/v4/users/{user_id}/teams/{team_id}/channels/members",
            get(channels::my_memberships),
        )
        .route(
            "/api/v4/users/{user_id}/teams/{team_id}/channels/categories",
            get(sidebar::list)
                .put(sidebar::update)
                .post(sidebar::create),
        )
        .route("/api/v4/users/{user_id}/channels", get(channels::mine))
        .route(
            "/api/v4/users/{user_id}/channels/{channel_id}/unread",
            get(channels::unread),
        )
        .route(
            "/api/v4/users/group_channels",
            post(users::group_channel_members),
        )
        .route(
            "/api/v4/users/{user_id}/posts/{post_id}/reactions/{emoji_name}",
            delete(posts::remove_reaction),
        )
        .route(
            "/api/v4/channels/members/{user_id}/view",
            post(channels::view),
        )
        .route("/api/v4/teams", post(teams::create).get(teams::list))
        .route(
            "/api/v4/teams/{team_id}",
            get(teams::get).delete(teams::delete).put(teams::update),
        )
        .route("/api/v4/teams/{team_id}/privacy", put(teams::privacy))
        .route("/api/v4/teams/{team_id}/restore", post(teams::restore))
        .route("/api/v4/teams/name/{name}/exists", get(teams::exists))
        .route("/api/v4/teams/search", post(teams::search))
        .route(
            "/api/v4/users/{user_id}/teams/{team_id}/unread",
            get(teams::my_unread_in_team),
        )
        .route(
            "/api/v4/teams/{team_id}/members/batch",
            post(teams::add_members),
        )
        .route("/api/v4/teams/{team_id}/patch", put(teams::patch))
        .route("/api/v4/teams/name/{name}", get(teams::by_name))
        .route("/api/v4/teams/{team_id}/stats", get(teams::stats))
        .route(
            "/api/v4/teams/{team_id}/members",
            get(teams::members).post(teams::add_member),
        )
        .route(
            "/api/v4/teams/{team_id}/members/ids",
            post(teams::members_by_ids),
        )
        .route(
            "/api/v4/teams/{team_id}/members/{user_id}",
            get(teams::member).delete(teams::remove_member),
        )
        .route(
            "/api/v4/teams/{team_id}/channels",
            get(channels::public_in_team),
        )
        .route(
            "/api/v4/teams/{team_id}/channels/autocomplete",
            get(channels::autocomplete),
        )
        .route(
            "/api/v4/teams/{team_id}/channels/search_autocomplete",
            get(channels::search_autocomplete),
        )
        .route(
            "/api/v4/teams/{team_id}/channels/search",
            post(channels::search_in_team),
        )
        .route(
            "/api/v4/teams/{team_id}/channels/deleted",
            get(channels::archived),
        )
        .route(
            "/api/v4/teams/{team_id}/channels/name/{channel_name}",
            get(channels::by_name),
        )
        .route(
            "/api/v4/teams/name/{team_name}/channels/name/{channel_name}",
            get(channels::by_names),
        )
        .route(
            "/api/v4/channels",
            post(channels::create).get(channel_lists::all),
        )
        .route("/api/v4/channels/search", post(channel_lists::search_all))
        .route(
            "/api/v4/channels/group/search",
            post(channel_lists::search_groups),
        )
        .route(
            "/api/v4/teams/{team_id}/channels/private",
            get(channel_lists::private_in_team),
        )
        .route(
            "/api/v4/teams/{team_id}/channels/ids",
            post(channel_lists::public_by_ids),
        )
        .route(
            "/api/v4/teams/{team_id}/channels/search_archived",
            post(channel_lists::search_archived),
        )
        .route(
            "/api/v4/channels/{channel_id}/common_teams",
            get(channel_lists::common_teams),
        )
        .route(
            "/api/v4/channels/{channel_id}/convert_to_channel",
            post(channel_lists::convert_group),
        )
        .route("/api/v4/system/timezones", get(system::timezones))
        .route("/api/v4/agents/status", get(system::agents_status))
        .route("/api/v4/channels/direct", post(channels::direct))
        .route("/api/v4/channels/group", post(channels::group))
        .route(
            "/api/v4/channels/{channel_id}",
            get(channels::get)
                .delete(channels::delete)
                .put(channel_lists::update),
        )
        .route("/api/v4/channels/{channel_id}/patch", put(channels::patch))
        .route(
            "/api/v4/channels/{channel_id}/restore",
            post(channels::restore),
        )
        .route("/api/v4/channels/{channel_id}/stats", get(channels::stats))
        .route("/api/v4/channels/{channel_id}/pinned", get(posts::pinned))
        .route(
            "/api/v4/channels/{channel_id}/members",
            get(channels::members).post(channels::add_member),
        )
        .route(
            "/api/v4/channels/{channel_id}/members/ids",
            post(channels::members_by_ids),
        )
        .route(
            "/api/v4/channels/{channel_id}/members/{user_id}",
            get(channels::member).delete(channels::remove_member),
        )
        .route(
            "/api/v4/channels/{channel_id}/posts",
            get(posts::for_channel),
        )
        .route("/api/v4/posts", post(posts::create))
        .route("/api/v4/posts/ephemeral", post(posts::create_ephemeral))
        .route("/api/v4/posts/ids", post(posts::by_ids))
        .route(
            "/api/v4/posts/{post_id}",
            get(posts::get).put(posts::update).delete(posts::delete),
        )
        .route("/api/v4/posts/{post_id}/patch", put(posts::patch))
        .route("/api/v4/posts/{post_id}/thread", get(posts::thread))
        .route("/api/v4/posts/{post_id}/info", get(posts::info))
        .route(
            "/api/v4/posts/{post_id}/actions/{action_id}",
            post(actions::do_post_action),
        )
        .route("/api/v4/actions/dialogs/open", post(actions::open_dialog))
        .route(
            "/api/v4/actions/dialogs/submit",
            post(actions::submit_dialog),
        )
        .route(
            "/api/v4/users/{user_id}/posts/{post_id}/set_unread",
            post(posts::set_unread),
        )
        .route(
            "/api/v4/channels/{channel_id}/timezones",
            get(channels::timezones),
        )
        .route("/api/v4/posts/{post_id}/pin", post(posts::pin))
        .route("/api/v4/posts/{post_id}/unpin", post(posts::unpin))
        .route("/api/v4/posts/{post_id}/reactions", get(posts::reactions))
        .route(
            "/api/v4/posts/ids/reactions",
            post(posts::reactions_for_posts),
        )
        .route("/api/v4/reactions", post(posts::add_reaction))
        .route("/api/v4/teams/{team_id}/posts/search", post(posts::search))
        .route("/api/v4/posts/search", post(posts::search_all_teams))
        .route("/api/v4/posts/schedule", post(scheduled_posts::create))
        .route(
            "/api/v4/posts/scheduled/team/{team_id}",
            get(scheduled_posts::for_team),
        )
        .route(
            "/api/v4/posts/schedule/{scheduled_post_id}",
            put(scheduled_posts::update).delete(scheduled_posts::delete),
        )
        .route(
            "/api/v4/users/{user_id}/image",
            get(users::image)
                .delete(users::reset_image)
                .post(users::set_image)
                .layer(
                    // Pictures may be larger than ordinary API bodies.
                    axum::extract::DefaultBodyLimit::max(
                        core_server::services::MAX_PICTURE_BYTES + 64 * 1024,
                    ),
                ),
        )
        .route(
            "/api/v4/users/{user_id}/image/default",
            get(users::default_image),
        )
        .route(
            "/api/v4/users/{user_id}/tokens",
            post(bots::create_token).get(bots::tokens),
        )
        .route("/api/v4/users/tokens/{token_id}", get(bots::get_token))
        .route("/api/v4/users/tokens/revoke", post(bots::revoke_token))
        .route("/api/v4/users/tokens/disable", post(bots::disable_token))
        .route("/api/v4/users/tokens/enable", post(bots::enable_token))
        .route("/api/v4/bots", post(bots::create).get(bots::list))
        .route(
            "/api/v4/bots/{bot_user_id}",
            get(bots::get).put(bots::patch),
        )
        .route("/api/v4/bots/{bot_user_id}/disable", post(bots::disable))
        .route("/api/v4/bots/{bot_user_id}/enable", post(bots::enable))
        .route(
            "/api/v4/bots/{bot_user_id}/convert_to_user",
            post(bots::convert_to_user),
        )
        .route(
            "/api/v4/users/{user_id}/convert_to_bot",
            post(bots::convert_to_bot),
        )
        .route(
            "/api/v4/users/{user_id}/reset_failed_attempts",
            post(users::reset_failed_attempts),
        )
        .route(
            "/api/v4/bots/{bot_user_id}/assign/{user_id}",
            post(bots::assign),
        )
        .route(
            "/api/v4/hooks/incoming",
            post(hooks::create).get(hooks::list),
        )
        .route(
            "/api/v4/hooks/incoming/{hook_id}",
            get(hooks::get).put(hooks::update).delete(hooks::delete),
        )
        .route("/hooks/{hook_id}", post(hooks::execute))
        .route(
            "/api/v4/hooks/outgoing",
            post(outgoing_hooks::create).get(outgoing_hooks::list),
        )
        .route(
            "/api/v4/hooks/outgoing/{hook_id}",
            get(outgoing_hooks::get)
                .put(outgoing_hooks::update)
                .delete(outgoing_hooks::delete),
        )
        .route(
            "/api/v4/hooks/outgoing/{hook_id}/regen_token",
            post(outgoing_hooks::regen_token),
        )
        .route(
            "/hooks/commands/{hook_id}",
            post(custom_commands::execute_hook),
        )
        .route("/api/v4/teams/members/invite", post(teams::join_by_invite))
        .route("/api/v4/teams/invite/{invite_id}", get(teams::invite_info))
        .route(
            "/api/v4/teams/{team_id}/regenerate_invite_id",
            post(teams::regenerate_invite),
        )
        .route(
            "/api/v4/users/{user_id}/channels/{channel_id}/posts/unread",
            get(posts::around_unread),
        )
        .route("/api/v4/users/{user_id}/posts/flagged", get(posts::flagged))
        .route(
            "/api/v4/emoji",
            // Emoji images may be larger than ordinary API bodies.
            post(emoji::create)
                .layer(axum::extract::DefaultBodyLimit::max(
                    core_server::services::MAX_EMOJI_BYTES + 64 * 1024,
                ))
                .get(emoji::list),
        )
        .route(
            "/api/v4/emoji/{emoji_id}",
            get(emoji::get).delete(emoji::delete),
        )
        .route("/api/v4/emoji/name/{emoji_name}", get(emoji::by_name))
        .route("/api/v4/emoji/{emoji_id}/image", get(emoji::image))
        .route("/api/v4/emoji/search", post(emoji::search))
        .route("/api/v4/emoji/autocomplete", get(emoji::autocomplete))
        .route("/api/v4/emoji/names", post(emoji::by_names))
        .route(
            "/api/v4/users/{user_id}/teams/{team_id}/channels/categories/order",
            get(sidebar::order).put(sidebar::set_order),
        )
        .route(
            "/api/v4/users/{user_id}/teams/{team_id}/channels/categories/{category_id}",
            get(sidebar::get)
                .put(sidebar::update_one)
                .delete(sidebar::delete),
        )
        .route(
            "/api/v4/users/{user_id}/teams/{team_id}/threads",
            get(threads::list),
        )
        .route(
            "/api/v4/users/{user_id}/teams/{team_id}/threads/read",
            put(threads::read_all),
        )
        .route(
            "/api/v4/users/{user_id}/teams/{team_id}/threads/{thread_id}",
            get(threads::get),
        )
        .route(
            "/api/v4/users/{user_id}/teams/{team_id}/threads/{thread_id}/read/{timestamp}",
            put(threads::read),
        )
        .route(
            "/api/v4/users/{user_id}/teams/{team_id}/threads/{thread_id}/following",
            put(threads::follow).delete(threads::unfollow),
        )
        .route(
            "/api/v4/users/{user_id}/teams/{team_id}/threads/{thread_id}/set_unread/{post_id}",
            post(threads::set_unread),
        )
        .route("/api/v4/{*rest}", any(not_implemented))
        // Mattermost's other non-page paths: never the web app's page (an app
        // would try to read it as JSON). Unknown API versions are a 404, plugin
        // routes say plugins are off, and the sign-in flows of identity
        // providers are not served yet.
        .route("/api/{*rest}", any(unknown_api))
        .route("/plugins/{*rest}", any(plugins_disabled))
        // Single sign-on at Mattermost's paths; any other path under them
        // (Mattermost as an OAuth provider, SAML) is not served.
        .route("/oauth/{service}/{step}", get(sso::oauth_step))
        .route("/signup/{service}/complete", get(sso::complete))
        .route("/login/{service}/complete", get(sso::complete))
        .route("/oauth/{service}", any(not_implemented))
        .route("/oauth/{service}/{step}/{*rest}", any(not_implemented))
        .route("/login/sso/{*rest}", any(not_implemented))
        .route("/signup/{service}", any(not_implemented))
        .route("/signup/{service}/{step}", any(not_implemented))
        .route("/signup/{service}/{step}/{*rest}", any(not_implemented))
        // Upstream routes whose literal segment would otherwise be read as an id
        // (`/users/stats` is not the user "stats"): they are simply not served.
        .route("/api/v4/users/invalid_emails", any(not_implemented))
        .route(
            "/api/v4/users/{user_id}/teams/{team_id}/threads/mention_counts",
            any(not_implemented),
        )
        // A method this server does not serve on a served path is an
        // unimplemented endpoint too, not a 405.
        .method_not_allowed_fallback(not_implemented)
        .layer(axum::middleware::from_fn_with_state(
            core,
            crate::context::wire,
        ))
}
