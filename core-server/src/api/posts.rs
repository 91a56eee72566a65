//! Posts, threads and reactions.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;

use super::error::ApiResult;
use super::extract::{ApiJson, ApiPath, ApiQuery, Auth};
use super::{Ok as OkBody, PageQuery};
use crate::model::*;
use crate::services::{Core, NewPost, PostPatch};
use crate::store::ChannelPosts;

/// `GET /api/v1/channels/{channel_id}/posts`: newest first; `cursor` is the last post id seen.
#[utoipa::path(get, path = "/api/v1/channels/{channel_id}/posts", tag = "posts", security(("bearer" = [])),
    params(("channel_id" = String, Path), PageQuery), responses((status = 200, body = Page<Post>)))]
pub async fn list_channel_posts(
    State(core): State<Core>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<String>,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> ApiResult<Json<Page<Post>>> {
    Ok(Json(
        core.list_channel_posts(&actor, &id, q.cursor.as_deref(), q.limit)
            .await?,
    ))
}

/// `POST /api/v1/channels/{channel_id}/posts`
#[utoipa::path(post, path = "/api/v1/channels/{channel_id}/posts", tag = "posts", security(("bearer" = [])),
    params(("channel_id" = String, Path)), request_body = NewPost, responses((status = 201, body = Post)))]
pub async fn create_post(
    State(core): State<Core>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<String>,
    ApiJson(input): ApiJson<NewPost>,
) -> ApiResult<(StatusCode, Json<Post>)> {
    Ok((
        StatusCode::CREATED,
        Json(core.create_post(&actor, &id, input).await?),
    ))
}

/// `GET /api/v1/posts/{post_id}`
#[utoipa::path(get, path = "/api/v1/posts/{post_id}", tag = "posts", security(("bearer" = [])),
    params(("post_id" = String, Path)), responses((status = 200, body = Post)))]
pub async fn get_post(
    State(core): State<Core>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<Post>> {
    Ok(Json(core.get_post(&actor, &id).await?))
}

/// `PATCH /api/v1/posts/{post_id}`: edit (own posts) or pin.
#[utoipa::path(patch, path = "/api/v1/posts/{post_id}", tag = "posts", security(("bearer" = [])),
    params(("post_id" = String, Path)), request_body = PostPatch, responses((status = 200, body = Post)))]
pub async fn patch_post(
    State(core): State<Core>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<String>,
    ApiJson(patch): ApiJson<PostPatch>,
) -> ApiResult<Json<Post>> {
    Ok(Json(core.patch_post(&actor, &id, patch).await?))
}

/// `DELETE /api/v1/posts/{post_id}`
#[utoipa::path(delete, path = "/api/v1/posts/{post_id}", tag = "posts", security(("bearer" = [])),
    params(("post_id" = String, Path)), responses((status = 200, body = Post)))]
pub async fn delete_post(
    State(core): State<Core>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<Post>> {
    Ok(Json(core.delete_post(&actor, &id).await?))
}

/// `GET /api/v1/posts/{post_id}/thread`: the root and its replies, oldest first.
#[utoipa::path(get, path = "/api/v1/posts/{post_id}/thread", tag = "posts", security(("bearer" = [])),
    params(("post_id" = String, Path)), responses((status = 200, body = Vec<Post>)))]
pub async fn get_thread(
    State(core): State<Core>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<Vec<Post>>> {
    Ok(Json(core.get_thread(&actor, &id).await?))
}

/// `GET /api/v1/posts/{post_id}/reactions`
#[utoipa::path(get, path = "/api/v1/posts/{post_id}/reactions", tag = "reactions", security(("bearer" = [])),
    params(("post_id" = String, Path)), responses((status = 200, body = Vec<Reaction>)))]
pub async fn list_reactions(
    State(core): State<Core>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<Vec<Reaction>>> {
    Ok(Json(core.list_reactions(&actor, &id).await?))
}

/// `PUT /api/v1/posts/{post_id}/reactions/{emoji_name}`
#[utoipa::path(put, path = "/api/v1/posts/{post_id}/reactions/{emoji_name}", tag = "reactions", security(("bearer" = [])),
    params(("post_id" = String, Path), ("emoji_name" = String, Path)), responses((status = 200, body = Reaction)))]
pub async fn add_reaction(
    State(core): State<Core>,
    Auth(actor): Auth,
    ApiPath((post_id, emoji)): ApiPath<(String, String)>,
) -> ApiResult<Json<Reaction>> {
    Ok(Json(core.add_reaction(&actor, &post_id, &emoji).await?))
}

/// `DELETE /api/v1/posts/{post_id}/reactions/{emoji_name}`
#[utoipa::path(delete, path = "/api/v1/posts/{post_id}/reactions/{emoji_name}", tag = "reactions", security(("bearer" = [])),
    params(("post_id" = String, Path), ("emoji_name" = String, Path)), responses((status = 200, body = super::Ok)))]
pub async fn remove_reaction(
    State(core): State<Core>,
    Auth(actor): Auth,
    ApiPath((post_id, emoji)): ApiPath<(String, String)>,
) -> ApiResult<Json<OkBody>> {
    core.remove_reaction(&actor, &post_id, &emoji).await?;
    Ok(Json(OkBody::default()))
}

/// Post search parameters.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PostSearchQuery {
    /// Words (all must match), `"quoted phrases"`, `-excluded`, `from:user`, `in:channel`, `before:`/`after:`/`on:` dates.
    pub terms: String,
    /// At most this many posts (1–200, default 60).
    pub limit: Option<i64>,
}

/// Posts found, newest first, with the words to highlight.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct PostSearchResults {
    pub posts: Vec<Post>,
    pub terms: Vec<String>,
}

/// `GET /api/v1/teams/{team_id}/posts/search?terms=…`: posts the caller may read.
#[utoipa::path(get, path = "/api/v1/teams/{team_id}/posts/search", tag = "posts", security(("bearer" = [])),
    params(("team_id" = String, Path), PostSearchQuery), responses((status = 200, body = PostSearchResults)))]
pub async fn search_posts(
    State(core): State<Core>,
    Auth(actor): Auth,
    ApiPath(team_id): ApiPath<String>,
    ApiQuery(q): ApiQuery<PostSearchQuery>,
) -> ApiResult<Json<PostSearchResults>> {
    let (posts, terms) = core
        .search_posts(
            &actor,
            Some(&team_id),
            &q.terms,
            false,
            0,
            q.limit.unwrap_or(60),
        )
        .await?;
    Ok(Json(PostSearchResults { posts, terms }))
}

/// Catch-up parameters.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SinceQuery {
    /// Milliseconds: posts created, edited or deleted after this.
    pub since: i64,
}

/// `GET /api/v1/channels/{channel_id}/posts/since?since=…`: what changed in a
/// channel while a client was away (deleted and edited posts included, at most 1,000).
#[utoipa::path(get, path = "/api/v1/channels/{channel_id}/posts/since", tag = "posts", security(("bearer" = [])),
    params(("channel_id" = String, Path), SinceQuery), responses((status = 200, body = Vec<Post>)))]
pub async fn posts_since(
    State(core): State<Core>,
    Auth(actor): Auth,
    ApiPath(channel_id): ApiPath<String>,
    ApiQuery(q): ApiQuery<SinceQuery>,
) -> ApiResult<Json<Vec<Post>>> {
    Ok(Json(
        core.posts_since(&actor, ChannelPosts::all(&channel_id), q.since)
            .await?,
    ))
}

/// Body of `POST /api/v1/posts/metadata`.
#[derive(serde::Deserialize, utoipa::ToSchema)]
pub struct PostIds {
    /// Up to 200 post ids; those the caller may not read are left out.
    pub post_ids: Vec<String>,
}

/// What a client shows under a page of posts.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct PostMetadata {
    pub reactions: Vec<Reaction>,
    pub files: Vec<FileInfo>,
}

/// `POST /api/v1/posts/metadata`: reactions and files of a page of posts in one call.
#[utoipa::path(post, path = "/api/v1/posts/metadata", tag = "posts", security(("bearer" = [])),
    request_body = PostIds, responses((status = 200, body = PostMetadata)))]
pub async fn post_metadata(
    State(core): State<Core>,
    Auth(actor): Auth,
    ApiJson(input): ApiJson<PostIds>,
) -> ApiResult<Json<PostMetadata>> {
    let posts = core.get_posts_by_ids(&actor, &input.post_ids).await?;
    let ids: Vec<String> = posts.iter().map(|p| p.id.clone()).collect();
    Ok(Json(PostMetadata {
        reactions: core.reactions_of(&posts).await?,
        files: core.files_of_posts(&ids).await?,
    }))
}

/// `GET /api/v1/channels/{channel_id}/pinned`: the channel's pinned posts, newest first.
#[utoipa::path(get, path = "/api/v1/channels/{channel_id}/pinned", tag = "posts", security(("bearer" = [])),
    params(("channel_id" = String, Path)), responses((status = 200, body = Vec<Post>), (status = 403, body = super::error::ErrorBody)))]
pub async fn list_pinned_posts(
    State(core): State<Core>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<Vec<Post>>> {
    Ok(Json(core.pinned_posts(&actor, &id).await?))
}

/// `GET /api/v1/users/{user_id}/saved_posts`: the posts the user saved (a
/// `flagged_post` preference per post, as Mattermost keeps them) that they
/// can still read; one's own only.
#[utoipa::path(get, path = "/api/v1/users/{user_id}/saved_posts", tag = "posts", security(("bearer" = [])),
    params(("user_id" = String, Path)), responses((status = 200, body = Vec<Post>), (status = 403, body = super::error::ErrorBody)))]
pub async fn list_saved_posts(
    State(core): State<Core>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<Vec<Post>>> {
    if super::extract::user_param(&actor, &id) != actor.id() {
        return Err(crate::Error::forbidden("only your own saved posts can be listed").into());
    }
    Ok(Json(core.flagged_posts(&actor, None).await?))
}

/// `POST /api/v1/posts/{post_id}/unread`: marks the post's channel unread for
/// the caller from this post on; the caller's new read state.
#[utoipa::path(post, path = "/api/v1/posts/{post_id}/unread", tag = "posts", security(("bearer" = [])),
    params(("post_id" = String, Path)), responses((status = 200, body = ChannelMember)))]
pub async fn mark_unread(
    State(core): State<Core>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<ChannelMember>> {
    let (member, _team) = core.set_unread_from_post(&actor, actor.id(), &id).await?;
    Ok(Json(member))
}
