//! In-process tests of the native API, on both backends: flows, bad input and
//! permissions, one module per area; each test runs as `sqlite::<name>` and
//! `postgres::<name>`.

#[path = "../support/mod.rs"]
mod support;

mod admin;
mod auth;
mod bad_input;
mod daily;
mod files;
mod fixtures;
mod flows;
mod permissions;
mod pinned_saved;
mod signup;
mod web_client;

use axum::http::StatusCode;
use serde_json::json;

use admin::{
    admin_routes_are_for_system_admins_only, admins_import_and_export, admins_manage_accounts,
    admins_see_every_channel, the_overview_and_settings_describe_the_server,
};
use auth::{
    auth_login_logout, expired_sessions_are_refused, password_reset_routes,
    remembered_sessions_follow_changes_at_once, the_session_cookie_authorises_reads_only,
};
use bad_input::bad_input_is_a_clear_4xx;
use daily::{
    a_channel_is_marked_unread_from_a_post, a_custom_status_is_set_shown_and_cleared,
    channel_settings_archive_restore_and_notifications,
    custom_emoji_are_added_listed_and_deleted_by_their_creator,
    followed_threads_are_listed_read_and_unfollowed, followed_threads_page_through_ties,
    slash_commands_are_suggested_and_run,
};
use files::files_upload_read_attach_and_refuse_outsiders;
use fixtures::POST;
use flows::teams_channels_posts_flow;
use permissions::permissions_are_enforced;
use pinned_saved::pinned_and_saved_posts_are_listed_for_their_readers;
use signup::{
    a_mailed_invitation_signs_up_its_address_once, a_team_link_signs_up_into_its_team,
    sign_up_is_by_invitation, user_creation_off_refuses_invitations,
};
use support::Http;
use web_client::{openapi_document_lists_the_routes, post_metadata_for_a_page, web_client_routes};

on_both_backends!(
    post_metadata_for_a_page,
    web_client_routes,
    password_reset_routes,
    the_session_cookie_authorises_reads_only,
    files_upload_read_attach_and_refuse_outsiders,
    expired_sessions_are_refused,
    remembered_sessions_follow_changes_at_once,
    auth_login_logout,
    teams_channels_posts_flow,
    bad_input_is_a_clear_4xx,
    permissions_are_enforced,
    openapi_document_lists_the_routes,
    sign_up_is_by_invitation,
    a_team_link_signs_up_into_its_team,
    a_mailed_invitation_signs_up_its_address_once,
    user_creation_off_refuses_invitations,
    pinned_and_saved_posts_are_listed_for_their_readers,
    followed_threads_are_listed_read_and_unfollowed,
    followed_threads_page_through_ties,
    a_channel_is_marked_unread_from_a_post,
    a_custom_status_is_set_shown_and_cleared,
    channel_settings_archive_restore_and_notifications,
    slash_commands_are_suggested_and_run,
    custom_emoji_are_added_listed_and_deleted_by_their_creator,
    admin_routes_are_for_system_admins_only,
    the_overview_and_settings_describe_the_server,
    admins_manage_accounts,
    admins_see_every_channel,
    admins_import_and_export,
);

/// Data survives a restart: a new store on the same SQLite file still logs the user in.
#[tokio::test]
async fn sqlite_data_survives_a_restart() {
    let dir = tempfile::tempdir().expect("tempdir");
    let url = format!("sqlite://{}", dir.path().join("r.db").display());
    {
        let store = core_server::store::open(&url, 2).await.expect("open");
        let http = Http::new(&core_server::services::Core::new(store, Default::default()));
        http.user("persist").await;
    }
    let store = core_server::store::open(&url, 2).await.expect("reopen");
    let http = Http::new(&core_server::services::Core::new(store, Default::default()));
    let (status, body) = http
        .call(
            POST,
            "/api/v1/auth/login",
            None,
            Some(json!({"login_id": "persist", "password": "password1"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
}
