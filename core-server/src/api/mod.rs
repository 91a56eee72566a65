//! The native API, `/api/v1`: JSON, snake_case, cursor pagination. The route
//! table below is also the source of the OpenAPI document at `/api/v1/openapi.json`.

mod actions;
mod admin;
mod agents;
mod auth;
mod channels;
mod commands;
mod emoji;
pub mod error;
pub mod extract;
mod files;
mod posts;
mod system;
mod teams;
mod threads;
mod users;
pub mod ws;

use std::sync::Arc;

use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{IntoParams, Modify, OpenApi, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::services::Core;
use error::ApiError;

/// A plain success with nothing else to say.
#[derive(Debug, Serialize, ToSchema)]
pub struct Ok {
    /// Always `OK`.
    pub status: &'static str,
}

impl Default for Ok {
    fn default() -> Self {
        Ok { status: "OK" }
    }
}

/// Cursor pagination: `limit` records after `cursor`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Page size, 1–200 (default 60).
    pub limit: Option<i64>,
}

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

#[derive(OpenApi)]
#[openapi(
    info(title = "rustchat native API", description = "The native API of rustchat, used by its web app."),
    // Socket event data the routes do not name, so the web app gets their types too.
    components(schemas(actions::OpenDialogEvent)),
    modifiers(&BearerAuth)
)]
struct ApiDoc;

/// The v1 routes and their OpenAPI description.
pub fn routes() -> (Router<Core>, utoipa::openapi::OpenApi) {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(system::health))
        .routes(routes!(system::ready))
        .routes(routes!(agents::register_agent, agents::list_agents))
        .routes(routes!(
            agents::get_agent,
            agents::patch_agent,
            agents::remove_agent
        ))
        .routes(routes!(auth::login))
        .routes(routes!(auth::sso_exchange))
        .routes(routes!(auth::logout))
        .routes(routes!(auth::send_password_reset))
        .routes(routes!(auth::reset_password))
        .routes(routes!(auth::list_sessions))
        .routes(routes!(auth::revoke_session))
        .routes(routes!(users::create_user, users::list_users))
        .routes(routes!(users::get_users_by_ids))
        .routes(routes!(users::get_me))
        .routes(routes!(
            users::get_user,
            users::patch_user,
            users::deactivate_user
        ))
        .routes(routes!(users::update_password))
        .routes(routes!(users::get_user_by_username))
        .routes(routes!(users::list_user_teams))
        .routes(routes!(users::list_user_channels))
        .routes(routes!(users::list_unreads))
        .routes(routes!(users::list_preferences, users::save_preferences))
        .routes(routes!(users::delete_preferences))
        .routes(routes!(users::get_status, users::set_status))
        .routes(routes!(teams::create_team, teams::list_teams))
        .routes(routes!(
            teams::get_team,
            teams::patch_team,
            teams::delete_team
        ))
        .routes(routes!(teams::get_team_by_name))
        .routes(routes!(teams::list_team_members, teams::add_team_member))
        .routes(routes!(teams::get_team_member, teams::remove_team_member))
        .routes(routes!(teams::list_team_channels, teams::create_channel))
        .routes(routes!(teams::get_channel_by_name))
        .routes(routes!(teams::get_invite))
        .routes(routes!(teams::join_by_invite))
        .routes(routes!(teams::regenerate_invite_id))
        .routes(routes!(channels::create_direct))
        .routes(routes!(channels::create_group))
        .routes(routes!(
            channels::get_channel,
            channels::patch_channel,
            channels::delete_channel
        ))
        .routes(routes!(
            channels::list_channel_members,
            channels::add_channel_member
        ))
        .routes(routes!(
            channels::get_channel_member,
            channels::remove_channel_member
        ))
        .routes(routes!(channels::view_channel))
        .routes(routes!(posts::list_channel_posts, posts::create_post))
        .routes(routes!(
            posts::get_post,
            posts::patch_post,
            posts::delete_post
        ))
        .routes(routes!(posts::get_thread))
        .routes(routes!(posts::post_metadata))
        .routes(routes!(posts::list_reactions))
        .routes(routes!(posts::add_reaction, posts::remove_reaction))
        .routes(routes!(actions::run_action))
        .routes(routes!(actions::submit_dialog))
        .routes({
            // Each file is limited while it streams (max_file_size), not the request.
            let (schemas, paths, method) = routes!(files::upload);
            (
                schemas,
                paths,
                method.layer(axum::extract::DefaultBodyLimit::disable()),
            )
        })
        .routes(routes!(files::download))
        .routes(routes!(files::thumbnail))
        .routes(routes!(files::preview))
        .routes(routes!(files::info))
        .routes(routes!(files::post_files))
        .routes(routes!(files::search))
        .routes(routes!(system::public_config))
        .routes(routes!(posts::search_posts))
        .routes(routes!(posts::posts_since))
        .routes(routes!(posts::list_pinned_posts))
        .routes(routes!(posts::list_saved_posts))
        .routes(routes!(users::search_users))
        .routes(routes!(users::get_statuses))
        .routes(routes!(users::my_channel_members))
        .routes(routes!(
            users::set_custom_status,
            users::clear_custom_status
        ))
        .routes(routes!(channels::restore_channel))
        .routes(routes!(channels::patch_notify_props))
        .routes(routes!(posts::mark_unread))
        .routes(routes!(threads::list_threads))
        .routes(routes!(threads::mark_all_read))
        .routes(routes!(threads::set_following))
        .routes(routes!(threads::mark_thread_read))
        .routes(routes!(commands::suggestions))
        .routes(routes!(commands::execute))
        .routes({
            // The image is read whole: allow the service's own limit through.
            let (schemas, paths, method) = routes!(emoji::list_emoji, emoji::create_emoji);
            (
                schemas,
                paths,
                method.layer(axum::extract::DefaultBodyLimit::max(
                    crate::services::MAX_EMOJI_BYTES + 64 * 1024,
                )),
            )
        })
        .routes(routes!(emoji::emoji_image, emoji::delete_emoji))
        .routes(routes!(admin::overview))
        .routes(routes!(admin::config))
        .routes(routes!(admin::users))
        .routes(routes!(admin::set_active))
        .routes(routes!(admin::set_roles))
        .routes(routes!(admin::revoke_sessions))
        .routes(routes!(admin::channels))
        .routes(routes!(admin::list_jobs, admin::create_job))
        .routes(routes!(admin::get_job))
        .routes(routes!(admin::cancel_job))
        .routes({
            // A bulk file is far larger than other bodies; the service caps it.
            let (schemas, paths, method) = routes!(admin::list_imports, admin::upload_import);
            (
                schemas,
                paths,
                method.layer(axum::extract::DefaultBodyLimit::disable()),
            )
        })
        .routes(routes!(admin::list_exports))
        .routes(routes!(admin::download_export))
        .routes({
            // Pictures are larger than other bodies; the service caps them at 2 MiB.
            let (schemas, paths, method) =
                routes!(users::get_image, users::set_image, users::reset_image);
            (
                schemas,
                paths,
                method.layer(axum::extract::DefaultBodyLimit::max(
                    crate::services::MAX_PICTURE_BYTES + 1024,
                )),
            )
        })
        .split_for_parts()
}

/// The OpenAPI document of `/api/v1`, as served at `/api/v1/openapi.json`
/// (and printed by `rustchat openapi`).
pub fn openapi_document() -> utoipa::openapi::OpenApi {
    let (_, mut openapi) = routes();
    openapi.info.version = env!("CARGO_PKG_VERSION").to_string();
    openapi
}

/// The `/api/v1` router, with the OpenAPI document and a JSON 404 for unknown paths.
pub fn router() -> Router<Core> {
    let (routes, _) = routes();
    let document = Arc::new(openapi_document());
    routes
        .route("/api/v1/ws", get(ws::upgrade))
        .route(
            "/api/v1/openapi.json",
            get(move || {
                let document = document.clone();
                async move { Json(document.as_ref().clone()) }
            }),
        )
        .route("/api/v1/{*rest}", axum::routing::any(unknown_route))
}

async fn unknown_route() -> impl IntoResponse {
    ApiError::new(StatusCode::NOT_FOUND, "not_found", "no such API route")
}
