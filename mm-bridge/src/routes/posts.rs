//! Posts, threads, pins and reactions.

use std::collections::{BTreeMap, HashMap};

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::Value;

use core_server::model::Post;
use core_server::services::{
    Actor, Core, NewEphemeral, NewPost, PostPatch, PostWindow, ReadableChannel,
};
use core_server::store::ChannelPosts;

use crate::convert::{self, MmPost, MmPostList, MmReaction};
use crate::error::{MmError, MmResult};
use crate::extract::{check_id, query_bool, status_ok, MmAuth, MmJson, MmPath, MmQuery, Paging};

/// Reactions of posts, grouped by post id.
async fn reactions_by_post(
    core: &Core,
    posts: &[Post],
) -> MmResult<HashMap<String, Vec<MmReaction>>> {
    let mut map: HashMap<String, Vec<MmReaction>> = HashMap::new();
    for r in core.reactions_of(posts).await? {
        map.entry(r.post_id.clone())
            .or_default()
            .push(convert::reaction(r));
    }
    Ok(map)
}

/// A post as the client sees it; of a deleted one only what the core's
/// redaction keeps, without reactions.
fn client_post(p: Post, reactions: Vec<MmReaction>) -> MmPost {
    if p.delete_at != 0 {
        return convert::post(p.redacted(), Vec::new());
    }
    convert::post(p, reactions)
}

/// A post list in Mattermost's order (newest first).
async fn list_of(core: &Core, mut posts: Vec<Post>) -> MmResult<MmPostList> {
    posts.sort_by(|a, b| b.create_at.cmp(&a.create_at).then_with(|| b.id.cmp(&a.id)));
    let mut reactions = reactions_by_post(core, &posts).await?;
    let mut files = files_by_post(core, &posts).await?;
    let mut list = MmPostList::default();
    for p in posts {
        list.order.push(p.id.clone());
        let r = reactions.remove(&p.id).unwrap_or_default();
        let f = files.remove(&p.id).unwrap_or_default();
        list.posts
            .insert(p.id.clone(), with_files(client_post(p, r), f));
    }
    Ok(list)
}

async fn one_post(core: &Core, post: Post) -> MmResult<MmPost> {
    let mut reactions = reactions_by_post(core, std::slice::from_ref(&post)).await?;
    let mut files = files_by_post(core, std::slice::from_ref(&post)).await?;
    let r = reactions.remove(&post.id).unwrap_or_default();
    let f = files.remove(&post.id).unwrap_or_default();
    Ok(with_files(client_post(post, r), f))
}

/// The live files of the posts that have any, grouped by post id.
pub(crate) async fn files_by_post(
    core: &Core,
    posts: &[Post],
) -> MmResult<HashMap<String, Vec<convert::MmFileInfo>>> {
    let ids: Vec<String> = posts
        .iter()
        .filter(|p| !p.file_ids.is_empty() && p.delete_at == 0)
        .map(|p| p.id.clone())
        .collect();
    let mut map: HashMap<String, Vec<convert::MmFileInfo>> = HashMap::new();
    for f in core.files_of_posts(&ids).await? {
        map.entry(f.post_id.clone())
            .or_default()
            .push(convert::file_info(f));
    }
    Ok(map)
}

/// A post with its files in `metadata.files`, as clients render attachments.
pub(crate) fn with_files(mut post: MmPost, files: Vec<convert::MmFileInfo>) -> MmPost {
    post.metadata.files = files;
    post
}

#[derive(Deserialize)]
pub struct PostsQuery {
    #[serde(flatten)]
    paging: Paging,
    since: Option<String>,
    before: Option<String>,
    after: Option<String>,
    #[serde(flatten)]
    threads: CollapsedQuery,
}

/// How an app with collapsed reply threads on asks for a channel's posts.
#[derive(Deserialize, Default)]
pub struct CollapsedQuery {
    #[serde(rename = "collapsedThreads")]
    collapsed: Option<String>,
    #[serde(rename = "collapsedThreadsExtended")]
    extended: Option<String>,
}

impl CollapsedQuery {
    fn collapsed(&self) -> bool {
        query_bool(self.collapsed.as_deref())
    }

    /// The channel's posts this asks for: roots only when collapsed.
    fn scope<'a>(&self, channel_id: &'a str) -> ChannelPosts<'a> {
        if self.collapsed() {
            ChannelPosts::roots(channel_id)
        } else {
            ChannelPosts::all(channel_id)
        }
    }

    /// A post list; with collapsed threads each root also says who took
    /// part in its thread and whether the reader follows it.
    async fn list(&self, core: &Core, actor: &Actor, posts: Vec<Post>) -> MmResult<MmPostList> {
        if !self.collapsed() {
            return list_of(core, posts).await;
        }
        let mut roots = core.collapsed_roots(actor, &posts).await?;
        let profiles = if query_bool(self.extended.as_deref()) {
            let mut ids: Vec<String> = roots
                .values()
                .flat_map(|r| r.participants.iter().cloned())
                .collect();
            ids.sort();
            ids.dedup();
            core.participant_profiles(&ids)
                .await?
                .into_iter()
                .map(|u| (u.id.clone(), u))
                .collect()
        } else {
            HashMap::new()
        };
        let mut list = list_of(core, posts).await?;
        for (id, post) in list.posts.iter_mut() {
            if let Some(root) = roots.remove(id) {
                post.is_following = Some(root.following);
                post.participants =
                    Some(super::threads::participants(root.participants, &profiles));
            }
        }
        Ok(list)
    }
}

/// `GET /api/v4/channels/{channel_id}/posts`: `since` wins, then `after`, then
/// `before`, then the page. All but `since` carry an ETag that changes with any
/// post of the channel.
pub async fn for_channel(
    State(core): State<Core>,
    headers: axum::http::HeaderMap,
    MmAuth(actor): MmAuth,
    MmPath(channel): MmPath<String>,
    MmQuery(q): MmQuery<PostsQuery>,
) -> MmResult<Response> {
    check_id("channel_id", &channel)?;
    let since = match q.since.as_deref() {
        None | Some("") => 0,
        Some(s) => s
            .parse::<i64>()
            .map_err(|_| MmError::invalid_param("since"))?,
    };
    let scope = q.threads.scope(&channel);
    if since > 0 {
        let posts = core.posts_since(&actor, scope, since).await?;
        return Ok(Json(q.threads.list(&core, &actor, posts).await?).into_response());
    }
    let readable = core.readable_channel(&actor, &channel).await?;
    let version = core.channel_posts_version(&readable).await?;
    let (before, after) = (
        q.before.clone().unwrap_or_default(),
        q.after.clone().unwrap_or_default(),
    );
    let tag = crate::etag::etag(&[
        &channel,
        &version,
        &q.paging.page(),
        &q.paging.per_page(),
        &before,
        &after,
        &q.threads.collapsed(),
    ]);
    if crate::etag::not_modified(&headers, &tag) {
        return Ok(crate::etag::respond(&headers, tag, || ()));
    }
    let list = posts_for_channel(&core, &actor, &readable, &q).await?;
    Ok(crate::etag::respond(&headers, tag, || list))
}

async fn posts_for_channel(
    core: &Core,
    actor: &Actor,
    channel: &ReadableChannel,
    q: &PostsQuery,
) -> MmResult<MmPostList> {
    let (offset, per_page) = (q.paging.offset(), q.paging.per_page());
    let roots_only = q.threads.collapsed();
    // A first page's neighbour on the cursor's side is the cursor itself,
    // even when the page is empty (as Mattermost answers).
    let first_page = q.paging.page() == 0;
    if let Some(after) = q.after.clone().filter(|s| !s.is_empty()) {
        check_id("after", &after)?;
        let mut window = core
            .posts_after(channel, roots_only, &after, offset, per_page)
            .await?;
        if first_page {
            window.older = after;
        }
        return window_list(core, actor, &q.threads, window).await;
    }
    if let Some(before) = q.before.clone().filter(|s| !s.is_empty()) {
        check_id("before", &before)?;
        let mut window = core
            .posts_before(channel, roots_only, &before, offset, per_page)
            .await?;
        if first_page {
            window.newer = before;
        }
        return window_list(core, actor, &q.threads, window).await;
    }
    let window = core
        .posts_page(channel, roots_only, offset, per_page)
        .await?;
    window_list(core, actor, &q.threads, window).await
}

/// A window of posts as a post list with its neighbours.
async fn window_list(
    core: &Core,
    actor: &Actor,
    threads: &CollapsedQuery,
    window: PostWindow,
) -> MmResult<MmPostList> {
    let mut list = threads.list(core, actor, window.posts).await?;
    list.next_post_id = window.newer;
    list.prev_post_id = window.older;
    Ok(list)
}

/// The fields of a new post that this server reads.
#[derive(Deserialize)]
pub struct CreatePost {
    channel_id: String,
    #[serde(default)]
    message: String,
    #[serde(default)]
    root_id: String,
    #[serde(default)]
    file_ids: Option<Vec<String>>,
    #[serde(default)]
    props: Option<Value>,
    #[serde(default)]
    pending_post_id: String,
}

/// `POST /api/v4/posts` (201)
pub async fn create(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmJson(b): MmJson<CreatePost>,
) -> MmResult<(StatusCode, Json<MmPost>)> {
    check_id("channel_id", &b.channel_id).map_err(|_| MmError::invalid_body("channel_id"))?;
    let props = b.props.filter(|p| !p.is_null());
    let input = NewPost {
        message: b.message,
        root_id: b.root_id,
        props,
        file_ids: b.file_ids.unwrap_or_default(),
        pending_post_id: b.pending_post_id,
        ..NewPost::default()
    };
    let post = core.create_post(&actor, &b.channel_id, input).await?;
    Ok((StatusCode::CREATED, Json(one_post(&core, post).await?)))
}

/// Mattermost's `PostEphemeral`: a post and the one user who sees it.
#[derive(Deserialize)]
pub struct CreateEphemeral {
    #[serde(default)]
    user_id: String,
    post: Option<EphemeralBody>,
}

#[derive(Deserialize)]
pub struct EphemeralBody {
    #[serde(default)]
    channel_id: String,
    #[serde(default)]
    root_id: String,
    #[serde(default)]
    message: String,
    #[serde(default)]
    props: Option<Value>,
}

/// `POST /api/v4/posts/ephemeral` (201): shown to `user_id` only, never stored.
pub async fn create_ephemeral(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmJson(b): MmJson<CreateEphemeral>,
) -> MmResult<(StatusCode, Json<MmPost>)> {
    if b.user_id.is_empty() {
        return Err(MmError::invalid_param("user_id"));
    }
    let Some(post) = b.post else {
        return Err(MmError::invalid_param("post"));
    };
    let new = NewEphemeral {
        channel_id: post.channel_id,
        root_id: post.root_id,
        message: post.message,
        props: post.props.filter(|p| !p.is_null()),
    };
    let sent = core.send_ephemeral_post(&actor, &b.user_id, new).await?;
    Ok((StatusCode::CREATED, Json(convert::post(sent, Vec::new()))))
}

/// `GET /api/v4/posts/{post_id}/info`: the post's channel and team for a
/// permalink, and whether the caller has joined them.
pub async fn info(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmPath(post_id): MmPath<String>,
) -> MmResult<Json<core_server::services::PostInfo>> {
    check_id("post_id", &post_id)?;
    Ok(Json(core.post_info(&actor, &post_id).await?))
}

/// `GET /api/v4/posts/{post_id}`, with an ETag.
pub async fn get(
    State(core): State<Core>,
    headers: axum::http::HeaderMap,
    MmAuth(actor): MmAuth,
    MmPath(id): MmPath<String>,
) -> MmResult<Response> {
    check_id("post_id", &id)?;
    let post = core.get_post(&actor, &id).await?;
    let tag = crate::etag::etag(&[&post.id, &post.update_at]);
    if crate::etag::not_modified(&headers, &tag) {
        return Ok(crate::etag::respond(&headers, tag, || ()));
    }
    let body = one_post(&core, post).await?;
    Ok(crate::etag::respond(&headers, tag, || body))
}

/// Mattermost answers edits of posts it cannot find with 403, not 404.
fn missing_is_forbidden(e: core_server::Error) -> MmError {
    match e {
        core_server::Error::NotFound { .. } => MmError::forbidden(),
        other => other.into(),
    }
}

async fn apply_patch(
    core: &Core,
    actor: &Actor,
    id: &str,
    patch: PostPatch,
) -> MmResult<Json<MmPost>> {
    check_id("post_id", id)?;
    let post = core
        .patch_post(actor, id, patch)
        .await
        .map_err(missing_is_forbidden)?;
    Ok(Json(one_post(core, post).await?))
}

#[derive(Deserialize)]
pub struct PatchBody {
    message: Option<String>,
    is_pinned: Option<bool>,
    props: Option<Value>,
}

/// `PUT /api/v4/posts/{post_id}/patch`
pub async fn patch(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmPath(id): MmPath<String>,
    MmJson(b): MmJson<PatchBody>,
) -> MmResult<Json<MmPost>> {
    apply_patch(
        &core,
        &actor,
        &id,
        PostPatch {
            message: b.message,
            is_pinned: b.is_pinned,
            props: b.props.filter(|p| !p.is_null()),
        },
    )
    .await
}

#[derive(Deserialize)]
pub struct UpdateBody {
    id: String,
    #[serde(default)]
    message: String,
    props: Option<Value>,
}

/// `PUT /api/v4/posts/{post_id}`: replaces the message (and props).
pub async fn update(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmPath(id): MmPath<String>,
    MmJson(b): MmJson<UpdateBody>,
) -> MmResult<Json<MmPost>> {
    if b.id != id {
        return Err(MmError::invalid_body("id"));
    }
    apply_patch(
        &core,
        &actor,
        &id,
        PostPatch {
            message: Some(b.message),
            is_pinned: None,
            props: b.props.filter(|p| !p.is_null()),
        },
    )
    .await
}

/// `DELETE /api/v4/posts/{post_id}`
pub async fn delete(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmPath(id): MmPath<String>,
) -> MmResult<Response> {
    check_id("post_id", &id)?;
    core.delete_post(&actor, &id).await?;
    Ok(status_ok().into_response())
}

/// `GET /api/v4/posts/{post_id}/thread`
pub async fn thread(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmPath(id): MmPath<String>,
) -> MmResult<Json<MmPostList>> {
    check_id("post_id", &id)?;
    let posts = core.get_thread(&actor, &id).await?;
    Ok(Json(list_of(&core, posts).await?))
}

/// `POST /api/v4/posts/ids`
pub async fn by_ids(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmJson(ids): MmJson<Vec<String>>,
) -> MmResult<Json<Vec<MmPost>>> {
    let posts = core.get_posts_by_ids(&actor, &ids).await?;
    let mut reactions = reactions_by_post(&core, &posts).await?;
    let mut files = files_by_post(&core, &posts).await?;
    Ok(Json(
        posts
            .into_iter()
            .map(|p| {
                let r = reactions.remove(&p.id).unwrap_or_default();
                let f = files.remove(&p.id).unwrap_or_default();
                with_files(client_post(p, r), f)
            })
            .collect(),
    ))
}

/// `GET /api/v4/channels/{channel_id}/pinned`
pub async fn pinned(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmPath(channel): MmPath<String>,
) -> MmResult<Json<MmPostList>> {
    check_id("channel_id", &channel)?;
    let posts = core.pinned_posts(&actor, &channel).await?;
    Ok(Json(list_of(&core, posts).await?))
}

/// `POST /api/v4/posts/{post_id}/pin`
pub async fn pin(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmPath(id): MmPath<String>,
) -> MmResult<Response> {
    check_id("post_id", &id)?;
    core.set_pinned(&actor, &id, true)
        .await
        .map_err(missing_is_forbidden)?;
    Ok(status_ok().into_response())
}

/// `POST /api/v4/posts/{post_id}/unpin`
pub async fn unpin(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmPath(id): MmPath<String>,
) -> MmResult<Response> {
    check_id("post_id", &id)?;
    core.set_pinned(&actor, &id, false)
        .await
        .map_err(missing_is_forbidden)?;
    Ok(status_ok().into_response())
}

/// `GET /api/v4/posts/{post_id}/reactions`
pub async fn reactions(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmPath(id): MmPath<String>,
) -> MmResult<Json<Vec<MmReaction>>> {
    check_id("post_id", &id)?;
    Ok(Json(
        core.list_reactions(&actor, &id)
            .await?
            .into_iter()
            .map(convert::reaction)
            .collect(),
    ))
}

/// `POST /api/v4/posts/ids/reactions`: reactions of several posts, by post id.
pub async fn reactions_for_posts(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmJson(ids): MmJson<Vec<String>>,
) -> MmResult<Json<BTreeMap<String, Vec<MmReaction>>>> {
    let posts = core.get_posts_by_ids(&actor, &ids).await?;
    let mut grouped = reactions_by_post(&core, &posts).await?;
    Ok(Json(
        posts
            .iter()
            .map(|p| (p.id.clone(), grouped.remove(&p.id).unwrap_or_default()))
            .collect(),
    ))
}

#[derive(Deserialize)]
pub struct ReactionBody {
    user_id: String,
    post_id: String,
    emoji_name: String,
}

/// `POST /api/v4/reactions` (200): one's own reaction only.
pub async fn add_reaction(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmJson(b): MmJson<ReactionBody>,
) -> MmResult<Json<MmReaction>> {
    if b.user_id != actor.user.id {
        return Err(MmError::new(
            StatusCode::FORBIDDEN,
            "api.reaction.save_reaction.user_id.app_error",
            "You cannot save reaction for the other user.",
        ));
    }
    check_id("post_id", &b.post_id).map_err(|_| MmError::invalid_body("post_id"))?;
    Ok(Json(convert::reaction(
        core.add_reaction(&actor, &b.post_id, &b.emoji_name).await?,
    )))
}

/// `DELETE /api/v4/users/{user_id}/posts/{post_id}/reactions/{emoji_name}`
pub async fn remove_reaction(
    State(core): State<Core>,
    auth: MmAuth,
    MmPath((user, post, emoji)): MmPath<(String, String, String)>,
) -> MmResult<Response> {
    let user = auth.user_id(&user);
    check_id("user_id", &user)?;
    check_id("post_id", &post)?;
    if user != auth.0.user.id {
        return Err(MmError::forbidden());
    }
    core.remove_reaction(&auth.0, &post, &emoji).await?;
    Ok(status_ok().into_response())
}

#[derive(Deserialize)]
pub struct SearchBody {
    #[serde(default)]
    terms: String,
    /// One term is enough (the apps' recent mentions send the user's
    /// mention keys this way).
    #[serde(default)]
    is_or_search: bool,
    page: Option<i64>,
    per_page: Option<i64>,
}

/// A post list with the terms that matched each post.
#[derive(serde::Serialize)]
pub struct SearchResults {
    #[serde(flatten)]
    list: MmPostList,
    matches: Option<BTreeMap<String, Vec<String>>>,
}

/// `POST /api/v4/teams/{team_id}/posts/search`
pub async fn search(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmPath(team): MmPath<String>,
    MmJson(b): MmJson<SearchBody>,
) -> MmResult<Json<SearchResults>> {
    check_id("team_id", &team)?;
    search_in(&core, &actor, Some(&team), b).await.map(Json)
}

/// `POST /api/v4/posts/search`: the same search over every team (the apps'
/// recent mentions).
pub async fn search_all_teams(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmJson(b): MmJson<SearchBody>,
) -> MmResult<Json<SearchResults>> {
    search_in(&core, &actor, None, b).await.map(Json)
}

async fn search_in(
    core: &Core,
    actor: &Actor,
    team: Option<&str>,
    b: SearchBody,
) -> MmResult<SearchResults> {
    let per_page = b.per_page.filter(|n| *n > 0).unwrap_or(60).min(200);
    let page = b.page.unwrap_or(0).max(0);
    let (posts, terms) = core
        .search_posts(
            actor,
            team,
            &b.terms,
            b.is_or_search,
            page.saturating_mul(per_page),
            per_page,
        )
        .await?;
    let matches = posts
        .iter()
        .map(|p| {
            let message = p.message.to_lowercase();
            (
                p.id.clone(),
                terms
                    .iter()
                    .filter(|t| message.contains(t.as_str()))
                    .cloned()
                    .collect(),
            )
        })
        .collect();
    let list = list_of(core, posts).await?;
    Ok(SearchResults {
        list,
        matches: Some(matches),
    })
}

#[derive(Deserialize)]
pub struct UnreadQuery {
    limit_before: Option<String>,
    limit_after: Option<String>,
    #[serde(flatten)]
    threads: CollapsedQuery,
}

/// `GET /api/v4/users/{user_id}/channels/{channel_id}/posts/unread`: the posts
/// around the first unread one.
pub async fn around_unread(
    State(core): State<Core>,
    auth: MmAuth,
    MmPath((user, channel)): MmPath<(String, String)>,
    MmQuery(q): MmQuery<UnreadQuery>,
) -> MmResult<Json<MmPostList>> {
    auth.require_self(&user)?;
    check_id("channel_id", &channel)?;
    let limit = |v: Option<String>| {
        v.and_then(|v| v.parse::<i64>().ok())
            .filter(|n| *n >= 0)
            .unwrap_or(60)
            .min(200)
    };
    let scope = q.threads.scope(&channel);
    let window = core
        .posts_around_unread(&auth.0, scope, limit(q.limit_before), limit(q.limit_after))
        .await?;
    Ok(Json(window_list(&core, &auth.0, &q.threads, window).await?))
}

#[derive(Deserialize)]
pub struct FlaggedQuery {
    channel_id: Option<String>,
}

/// `GET /api/v4/users/{user_id}/posts/flagged`: the posts one saved.
pub async fn flagged(
    State(core): State<Core>,
    auth: MmAuth,
    MmPath(user): MmPath<String>,
    MmQuery(q): MmQuery<FlaggedQuery>,
) -> MmResult<Json<MmPostList>> {
    auth.require_self(&user)?;
    let channel = q.channel_id.filter(|c| !c.is_empty());
    let posts = core.flagged_posts(&auth.0, channel.as_deref()).await?;
    Ok(Json(list_of(&core, posts).await?))
}

/// `POST /api/v4/users/{user_id}/posts/{post_id}/set_unread`: "Mark as
/// unread"; answers Mattermost's `ChannelUnreadAt`.
pub async fn set_unread(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmPath((user_id, post_id)): MmPath<(String, String)>,
) -> MmResult<Json<Value>> {
    let user_id = if user_id == "me" {
        actor.id().to_string()
    } else {
        user_id
    };
    check_id("user_id", &user_id)?;
    check_id("post_id", &post_id)?;
    let (m, team_id) = core
        .set_unread_from_post(&actor, &user_id, &post_id)
        .await?;
    Ok(Json(serde_json::json!({
        "team_id": team_id,
        "user_id": m.user_id,
        "channel_id": m.channel_id,
        "msg_count": m.msg_count,
        "mention_count": m.mention_count,
        "mention_count_root": m.mention_count_root,
        "urgent_mention_count": m.urgent_mention_count,
        "msg_count_root": m.msg_count_root,
        "last_viewed_at": m.last_viewed_at,
    })))
}
