//! Personal access tokens and bot accounts.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};

use core_server::model::{Bot, UserAccessToken};
use core_server::services::{BotPatch, Core, NewBot};

use crate::error::{MmError, MmResult};
use crate::extract::{check_id, query_bool, status_ok, MmAuth, MmJson, MmPath, MmQuery, Paging};

/// Mattermost's `UserAccessToken`; `token` only in the answer to its creation.
#[derive(Serialize)]
pub struct MmToken {
    id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    token: Option<String>,
    user_id: String,
    description: String,
    is_active: bool,
}

fn token(t: UserAccessToken, secret: Option<String>) -> MmToken {
    let UserAccessToken {
        id,
        token_hash: _,
        user_id,
        description,
        is_active,
        create_at: _,
    } = t;
    MmToken {
        id,
        token: secret,
        user_id,
        description,
        is_active,
    }
}

/// Mattermost's `Bot`.
#[derive(Serialize)]
pub struct MmBot {
    user_id: String,
    username: String,
    display_name: String,
    description: String,
    owner_id: String,
    #[serde(skip_serializing_if = "is_zero")]
    last_icon_update: i64,
    create_at: i64,
    update_at: i64,
    delete_at: i64,
}

fn is_zero(n: &i64) -> bool {
    *n == 0
}

fn bot(b: Bot) -> MmBot {
    let Bot {
        user_id,
        username,
        display_name,
        description,
        owner_id,
        create_at,
        update_at,
        delete_at,
        last_icon_update,
    } = b;
    MmBot {
        user_id,
        username,
        display_name,
        description,
        owner_id,
        last_icon_update,
        create_at,
        update_at,
        delete_at,
    }
}

#[derive(Deserialize)]
pub struct CreateToken {
    #[serde(default)]
    description: String,
}

/// `POST /api/v4/users/{user_id}/tokens`
pub async fn create_token(
    State(core): State<Core>,
    auth: MmAuth,
    MmPath(user): MmPath<String>,
    MmJson(b): MmJson<CreateToken>,
) -> MmResult<Json<MmToken>> {
    let user = auth.user_id(&user);
    check_id("user_id", &user)?;
    let (secret, record) = core
        .create_access_token(&auth.0, &user, &b.description)
        .await?;
    Ok(Json(token(record, Some(secret))))
}

/// `GET /api/v4/users/{user_id}/tokens`
pub async fn tokens(
    State(core): State<Core>,
    auth: MmAuth,
    MmPath(user): MmPath<String>,
) -> MmResult<Json<Vec<MmToken>>> {
    let user = auth.user_id(&user);
    check_id("user_id", &user)?;
    Ok(Json(
        core.list_access_tokens(&auth.0, &user)
            .await?
            .into_iter()
            .map(|t| token(t, None))
            .collect(),
    ))
}

/// `GET /api/v4/users/tokens`: every user's tokens, for system admins.
pub async fn all_tokens(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmQuery(paging): MmQuery<Paging>,
) -> MmResult<Json<Vec<MmToken>>> {
    // A page past any count is empty, but the caller is still checked.
    let offset = paging.checked_offset().unwrap_or(i64::MAX);
    Ok(Json(
        core.list_all_access_tokens(&actor, offset, paging.per_page())
            .await?
            .into_iter()
            .map(|t| token(t, None))
            .collect(),
    ))
}

#[derive(Deserialize)]
pub struct TokenSearch {
    #[serde(default)]
    term: String,
}

/// `POST /api/v4/users/tokens/search`: tokens by exact token id, user id
/// or username, for system admins; anyone else is refused whatever the
/// body holds, as on Mattermost.
pub async fn search_tokens(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    body: Result<MmJson<TokenSearch>, MmError>,
) -> MmResult<Json<Vec<MmToken>>> {
    let term = body.map(|MmJson(b)| b.term).unwrap_or_default();
    Ok(Json(
        core.search_access_tokens(&actor, &term)
            .await?
            .into_iter()
            .map(|t| token(t, None))
            .collect(),
    ))
}

/// `GET /api/v4/users/tokens/{token_id}`
pub async fn get_token(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmPath(id): MmPath<String>,
) -> MmResult<Json<MmToken>> {
    check_id("token_id", &id)?;
    Ok(Json(token(core.get_access_token(&actor, &id).await?, None)))
}

#[derive(Deserialize)]
pub struct TokenId {
    token_id: String,
}

/// `POST /api/v4/users/tokens/revoke`
pub async fn revoke_token(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmJson(b): MmJson<TokenId>,
) -> MmResult<Response> {
    check_id("token_id", &b.token_id).map_err(|_| MmError::invalid_body("token_id"))?;
    core.revoke_access_token(&actor, &b.token_id).await?;
    Ok(status_ok().into_response())
}

/// `POST /api/v4/users/tokens/disable`
pub async fn disable_token(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmJson(b): MmJson<TokenId>,
) -> MmResult<Response> {
    check_id("token_id", &b.token_id).map_err(|_| MmError::invalid_body("token_id"))?;
    core.set_access_token_active(&actor, &b.token_id, false)
        .await?;
    Ok(status_ok().into_response())
}

/// `POST /api/v4/users/tokens/enable`
pub async fn enable_token(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmJson(b): MmJson<TokenId>,
) -> MmResult<Response> {
    check_id("token_id", &b.token_id).map_err(|_| MmError::invalid_body("token_id"))?;
    core.set_access_token_active(&actor, &b.token_id, true)
        .await?;
    Ok(status_ok().into_response())
}

/// `POST /api/v4/bots` (201)
pub async fn create(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmJson(b): MmJson<NewBot>,
) -> MmResult<(StatusCode, Json<MmBot>)> {
    Ok((
        StatusCode::CREATED,
        Json(bot(core.create_bot(&actor, b).await?)),
    ))
}

#[derive(Deserialize)]
pub struct BotsQuery {
    #[serde(flatten)]
    paging: Paging,
    include_deleted: Option<String>,
}

/// `GET /api/v4/bots`
pub async fn list(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmQuery(q): MmQuery<BotsQuery>,
) -> MmResult<Json<Vec<MmBot>>> {
    let include_deleted = query_bool(q.include_deleted.as_deref());
    let bots = core
        .list_bots(
            &actor,
            include_deleted,
            q.paging.offset(),
            q.paging.per_page(),
        )
        .await?;
    Ok(Json(bots.into_iter().map(bot).collect()))
}

/// `GET /api/v4/bots/{bot_user_id}`
pub async fn get(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmPath(id): MmPath<String>,
) -> MmResult<Json<MmBot>> {
    check_id("bot_user_id", &id)?;
    Ok(Json(bot(core.get_bot(&actor, &id).await?)))
}

/// `PUT /api/v4/bots/{bot_user_id}`
pub async fn patch(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmPath(id): MmPath<String>,
    MmJson(b): MmJson<BotPatch>,
) -> MmResult<Json<MmBot>> {
    check_id("bot_user_id", &id)?;
    Ok(Json(bot(core.patch_bot(&actor, &id, b).await?)))
}

/// `POST /api/v4/bots/{bot_user_id}/disable`
pub async fn disable(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmPath(id): MmPath<String>,
) -> MmResult<Json<MmBot>> {
    check_id("bot_user_id", &id)?;
    Ok(Json(bot(core.set_bot_active(&actor, &id, false).await?)))
}

/// `POST /api/v4/bots/{bot_user_id}/enable`
pub async fn enable(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmPath(id): MmPath<String>,
) -> MmResult<Json<MmBot>> {
    check_id("bot_user_id", &id)?;
    Ok(Json(bot(core.set_bot_active(&actor, &id, true).await?)))
}

/// `POST /api/v4/bots/{bot_user_id}/assign/{user_id}`
pub async fn assign(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmPath((id, owner)): MmPath<(String, String)>,
) -> MmResult<Json<MmBot>> {
    check_id("bot_user_id", &id)?;
    check_id("user_id", &owner)?;
    Ok(Json(bot(core.assign_bot(&actor, &id, &owner).await?)))
}

#[derive(Deserialize)]
pub struct ConvertQuery {
    set_system_admin: Option<String>,
}

/// `POST /api/v4/bots/{bot_user_id}/convert_to_user`: the body is a user
/// patch whose `password` becomes the person's password.
pub async fn convert_to_user(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmPath(id): MmPath<String>,
    MmQuery(q): MmQuery<ConvertQuery>,
    MmJson(b): MmJson<super::users::PatchBody>,
) -> MmResult<Json<crate::convert::MmUser>> {
    check_id("bot_user_id", &id)?;
    let admin = query_bool(q.set_system_admin.as_deref());
    let user = core
        .convert_bot_to_user(&actor, &id, b.into(), admin)
        .await?;
    Ok(Json(crate::convert::user(user)))
}

/// `POST /api/v4/users/{user_id}/convert_to_bot`
pub async fn convert_to_bot(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmPath(id): MmPath<String>,
) -> MmResult<Json<MmBot>> {
    check_id("user_id", &id)?;
    Ok(Json(bot(core.convert_user_to_bot(&actor, &id).await?)))
}
