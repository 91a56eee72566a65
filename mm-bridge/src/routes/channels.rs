//! Channels, memberships, read state and the sidebar.

use std::collections::BTreeMap;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use core_server::model::channel_types;
use core_server::services::{ChannelPatch, ChannelScope, Core, NewChannel};

use crate::convert::{self, MmChannel, MmChannelMember};
use crate::error::{MmError, MmResult};
use crate::extract::{
    check_id, check_ids, page_from_cursor, status_ok, MmAuth, MmJson, MmPath, MmQuery, Paging,
};

#[derive(Deserialize)]
pub struct CreateChannel {
    team_id: String,
    name: String,
    display_name: String,
    #[serde(rename = "type")]
    channel_type: Option<String>,
    #[serde(default)]
    purpose: String,
    #[serde(default)]
    header: String,
}

/// `POST /api/v4/channels` (201)
pub async fn create(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmJson(b): MmJson<CreateChannel>,
) -> MmResult<(StatusCode, Json<MmChannel>)> {
    check_id("team_id", &b.team_id).map_err(|_| MmError::invalid_body("team_id"))?;
    let input = NewChannel {
        name: b.name,
        display_name: b.display_name,
        channel_type: b.channel_type,
        purpose: b.purpose,
        header: b.header,
    };
    let channel = core.create_channel(&actor, &b.team_id, input).await?;
    Ok((StatusCode::CREATED, Json(convert::channel(channel))))
}

/// `POST /api/v4/channels/direct` with `[user_a, user_b]` (201; the existing DM if there is one).
pub async fn direct(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmJson(ids): MmJson<Vec<String>>,
) -> MmResult<(StatusCode, Json<MmChannel>)> {
    if ids.len() != 2 {
        return Err(MmError::invalid_body("user_ids"));
    }
    if !ids.contains(&actor.user.id) {
        return Err(MmError::forbidden());
    }
    let other = if ids[0] == actor.user.id {
        &ids[1]
    } else {
        &ids[0]
    };
    check_id("user_id", other).map_err(|_| MmError::invalid_body("user_ids"))?;
    let (channel, _) = core.create_direct_channel(&actor, other).await?;
    Ok((StatusCode::CREATED, Json(convert::channel(channel))))
}

/// `POST /api/v4/channels/group` with the member ids (201).
pub async fn group(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmJson(ids): MmJson<Vec<String>>,
) -> MmResult<(StatusCode, Json<MmChannel>)> {
    let (channel, _) = core.create_group_channel(&actor, &ids).await?;
    Ok((StatusCode::CREATED, Json(convert::channel(channel))))
}

/// `GET /api/v4/channels/{channel_id}`
pub async fn get(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmPath(id): MmPath<String>,
) -> MmResult<Json<MmChannel>> {
    check_id("channel_id", &id)?;
    Ok(Json(convert::channel(core.get_channel(&actor, &id).await?)))
}

#[derive(Deserialize)]
pub struct PatchChannel {
    name: Option<String>,
    display_name: Option<String>,
    purpose: Option<String>,
    header: Option<String>,
}

impl From<PatchChannel> for ChannelPatch {
    fn from(b: PatchChannel) -> Self {
        ChannelPatch {
            name: b.name,
            display_name: b.display_name,
            purpose: b.purpose,
            header: b.header,
        }
    }
}

/// `PUT /api/v4/channels/{channel_id}/patch`
pub async fn patch(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmPath(id): MmPath<String>,
    MmJson(b): MmJson<PatchChannel>,
) -> MmResult<Json<MmChannel>> {
    check_id("channel_id", &id)?;
    Ok(Json(convert::channel(
        core.patch_channel(&actor, &id, b.into()).await?,
    )))
}

/// `DELETE /api/v4/channels/{channel_id}`: archives it.
pub async fn delete(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmPath(id): MmPath<String>,
) -> MmResult<Response> {
    check_id("channel_id", &id)?;
    core.delete_channel(&actor, &id).await?;
    Ok(status_ok().into_response())
}

/// `POST /api/v4/channels/{channel_id}/restore`
pub async fn restore(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmPath(id): MmPath<String>,
) -> MmResult<Json<MmChannel>> {
    check_id("channel_id", &id)?;
    Ok(Json(convert::channel(
        core.restore_channel(&actor, &id).await?,
    )))
}

/// `GET /api/v4/channels/{channel_id}/stats`
pub async fn stats(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmPath(id): MmPath<String>,
) -> MmResult<Json<Value>> {
    check_id("channel_id", &id)?;
    let (members, pinned) = core.channel_stats(&actor, &id).await?;
    Ok(Json(serde_json::json!({
        "channel_id": id,
        "member_count": members,
        "guest_count": 0,
        "pinnedpost_count": pinned,
        "files_count": 0,
    })))
}

/// `GET /api/v4/teams/{team_id}/channels`: the team's public channels.
pub async fn public_in_team(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmPath(team): MmPath<String>,
    MmQuery(p): MmQuery<Paging>,
) -> MmResult<Json<Vec<MmChannel>>> {
    check_id("team_id", &team)?;
    let all = core.list_team_channels(&actor, &team).await?;
    let public = all
        .into_iter()
        .filter(|c| c.channel_type == channel_types::OPEN && c.delete_at == 0);
    let start = usize::try_from(p.offset()).unwrap_or(usize::MAX);
    let page = public
        .skip(start)
        .take(usize::try_from(p.per_page()).unwrap_or(0));
    Ok(Json(page.map(convert::channel).collect()))
}

/// `GET /api/v4/teams/{team_id}/channels/name/{channel_name}`
pub async fn by_name(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmPath((team, name)): MmPath<(String, String)>,
) -> MmResult<Json<MmChannel>> {
    check_id("team_id", &team)?;
    Ok(Json(convert::channel(
        core.get_channel_by_name(&actor, &team, &name).await?,
    )))
}

/// `GET /api/v4/teams/name/{team_name}/channels/name/{channel_name}`
pub async fn by_names(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmPath((team, name)): MmPath<(String, String)>,
) -> MmResult<Json<MmChannel>> {
    let team = core.get_team_by_name(&actor, &team).await?;
    Ok(Json(convert::channel(
        core.get_channel_by_name(&actor, &team.id, &name).await?,
    )))
}

/// `GET /api/v4/users/{user_id}/teams/{team_id}/channels`: one's channels in a team, DMs and GMs included.
pub async fn mine_in_team(
    State(core): State<Core>,
    auth: MmAuth,
    MmPath((user, team)): MmPath<(String, String)>,
) -> MmResult<Json<Vec<MmChannel>>> {
    auth.require_self(&user)?;
    check_id("team_id", &team)?;
    Ok(Json(
        core.list_my_channels(&auth.0, Some(&team))
            .await?
            .into_iter()
            .map(convert::channel)
            .collect(),
    ))
}

/// `GET /api/v4/users/{user_id}/channels`: one's channels in every team.
pub async fn mine(
    State(core): State<Core>,
    auth: MmAuth,
    MmPath(user): MmPath<String>,
) -> MmResult<Json<Vec<MmChannel>>> {
    auth.require_self(&user)?;
    Ok(Json(
        core.list_my_channels(&auth.0, None)
            .await?
            .into_iter()
            .map(convert::channel)
            .collect(),
    ))
}

/// `GET /api/v4/users/{user_id}/teams/{team_id}/channels/members`
pub async fn my_memberships(
    State(core): State<Core>,
    auth: MmAuth,
    MmPath((user, team)): MmPath<(String, String)>,
) -> MmResult<Json<Vec<MmChannelMember>>> {
    auth.require_self(&user)?;
    check_id("team_id", &team)?;
    Ok(Json(
        core.list_my_channel_members(&auth.0, Some(&team))
            .await?
            .into_iter()
            .map(convert::channel_member)
            .collect(),
    ))
}

/// `GET /api/v4/users/{user_id}/channel_members`: one's memberships in every
/// team (and DMs and GMs), a page at a time; older mobile apps load them at launch.
pub async fn all_my_memberships(
    State(core): State<Core>,
    auth: MmAuth,
    MmPath(user): MmPath<String>,
    MmQuery(paging): MmQuery<crate::extract::Paging>,
) -> MmResult<Json<Vec<MmChannelMember>>> {
    auth.require_self(&user)?;
    let offset = usize::try_from(paging.offset()).unwrap_or(0);
    let per_page = usize::try_from(paging.per_page()).unwrap_or(60);
    Ok(Json(
        core.list_my_channel_members(&auth.0, None)
            .await?
            .into_iter()
            .skip(offset)
            .take(per_page)
            .map(convert::channel_member)
            .collect(),
    ))
}

/// `GET /api/v4/users/{user_id}/channels/{channel_id}/unread`
pub async fn unread(
    State(core): State<Core>,
    auth: MmAuth,
    MmPath((user, channel)): MmPath<(String, String)>,
) -> MmResult<Json<Value>> {
    auth.require_self(&user)?;
    check_id("channel_id", &channel)?;
    core.get_channel(&auth.0, &channel).await?;
    let all = core.list_unreads(&auth.0, None).await?;
    let u = all
        .into_iter()
        .find(|u| u.channel_id == channel)
        .ok_or_else(MmError::forbidden)?;
    Ok(Json(serde_json::json!({
        "team_id": u.team_id,
        "channel_id": u.channel_id,
        "msg_count": u.msg_count,
        "mention_count": u.mention_count,
        "mention_count_root": u.mention_count_root,
        "urgent_mention_count": 0,
        "msg_count_root": u.msg_count_root,
        "notify_props": {},
    })))
}

#[derive(Deserialize)]
pub struct ViewBody {
    #[serde(default)]
    channel_id: String,
}

/// The read times a view produced.
#[derive(Serialize)]
pub struct ViewResponse {
    status: &'static str,
    last_viewed_at_times: BTreeMap<String, i64>,
}

/// `POST /api/v4/channels/members/{user_id}/view`: marks a channel read.
pub async fn view(
    State(core): State<Core>,
    auth: MmAuth,
    MmPath(user): MmPath<String>,
    MmJson(b): MmJson<ViewBody>,
) -> MmResult<Json<ViewResponse>> {
    auth.require_self(&user)?;
    let mut times = BTreeMap::new();
    if !b.channel_id.is_empty() {
        check_id("channel_id", &b.channel_id).map_err(|_| MmError::invalid_body("channel_id"))?;
        let member = core.view_channel(&auth.0, &b.channel_id).await?;
        times.insert(b.channel_id, member.last_viewed_at);
    }
    Ok(Json(ViewResponse {
        status: "OK",
        last_viewed_at_times: times,
    }))
}

/// `GET /api/v4/channels/{channel_id}/members`
pub async fn members(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmPath(id): MmPath<String>,
    MmQuery(p): MmQuery<Paging>,
) -> MmResult<Json<Vec<MmChannelMember>>> {
    check_id("channel_id", &id)?;
    let (core, actor, id) = (&core, &actor, &id);
    let bound = core.channel_member_count(actor, id).await?;
    let page = page_from_cursor(&p, bound, move |cursor| async move {
        core.list_channel_members(actor, id, cursor.as_deref(), Some(200))
            .await
    })
    .await?;
    Ok(Json(
        page.into_iter().map(convert::channel_member).collect(),
    ))
}

#[derive(Deserialize)]
pub struct AddMembers {
    user_id: Option<String>,
    user_ids: Option<Vec<String>>,
}

/// `POST /api/v4/channels/{channel_id}/members` with `user_id` (one member) or `user_ids` (several), 201.
pub async fn add_member(
    State(core): State<Core>,
    auth: MmAuth,
    MmPath(id): MmPath<String>,
    MmJson(b): MmJson<AddMembers>,
) -> MmResult<Response> {
    check_id("channel_id", &id)?;
    match (b.user_id.filter(|u| !u.is_empty()), b.user_ids) {
        (Some(user), _) => {
            let user = auth.user_id(&user);
            check_id("user_id", &user).map_err(|_| MmError::invalid_body("user_id"))?;
            let m = core.add_channel_member(&auth.0, &id, &user).await?;
            Ok((StatusCode::CREATED, Json(convert::channel_member(m))).into_response())
        }
        (None, Some(users)) if !users.is_empty() && users.len() <= 200 => {
            let mut out = Vec::new();
            for user in users {
                out.push(convert::channel_member(
                    core.add_channel_member(&auth.0, &id, &user).await?,
                ));
            }
            Ok((StatusCode::CREATED, Json(out)).into_response())
        }
        _ => Err(MmError::invalid_body("user_id")),
    }
}

/// `POST /api/v4/channels/{channel_id}/members/ids`
pub async fn members_by_ids(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmPath(id): MmPath<String>,
    MmJson(ids): MmJson<Vec<String>>,
) -> MmResult<Json<Vec<MmChannelMember>>> {
    check_id("channel_id", &id)?;
    if ids.len() > 200 {
        return Err(MmError::invalid_body("user_ids"));
    }
    check_ids("user_ids", &ids)?;
    let mut out = Vec::new();
    for user in ids {
        match core.get_channel_member(&actor, &id, &user).await {
            Ok(m) => out.push(convert::channel_member(m)),
            Err(core_server::Error::NotFound { .. }) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(Json(out))
}

/// `GET /api/v4/channels/{channel_id}/members/{user_id}`
pub async fn member(
    State(core): State<Core>,
    auth: MmAuth,
    MmPath((id, user)): MmPath<(String, String)>,
) -> MmResult<Json<MmChannelMember>> {
    check_id("channel_id", &id)?;
    let user = auth.user_id(&user);
    check_id("user_id", &user)?;
    Ok(Json(convert::channel_member(
        core.get_channel_member(&auth.0, &id, &user).await?,
    )))
}

/// `DELETE /api/v4/channels/{channel_id}/members/{user_id}`
pub async fn remove_member(
    State(core): State<Core>,
    auth: MmAuth,
    MmPath((id, user)): MmPath<(String, String)>,
) -> MmResult<Response> {
    check_id("channel_id", &id)?;
    let user = auth.user_id(&user);
    check_id("user_id", &user)?;
    core.remove_channel_member(&auth.0, &id, &user).await?;
    Ok(status_ok().into_response())
}

/// `GET /api/v4/channels/{channel_id}/timezones`: the members' zones.
pub async fn timezones(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmPath(channel_id): MmPath<String>,
) -> MmResult<Json<Vec<String>>> {
    check_id("channel_id", &channel_id)?;
    Ok(Json(core.channel_timezones(&actor, &channel_id).await?))
}

#[derive(Deserialize)]
pub struct NameQuery {
    #[serde(default)]
    name: String,
}

/// At most this many channels answer an autocompletion (Mattermost's).
const AUTOCOMPLETE_LIMIT: usize = 50;

async fn find(
    core: &Core,
    actor: &core_server::services::Actor,
    team: &str,
    term: &str,
    scope: ChannelScope,
    offset: usize,
    limit: usize,
) -> MmResult<Json<Vec<MmChannel>>> {
    check_id("team_id", team)?;
    let found = core
        .find_team_channels(actor, team, term, scope, offset, limit)
        .await?;
    Ok(Json(found.into_iter().map(convert::channel).collect()))
}

/// `GET /api/v4/teams/{team_id}/channels/autocomplete?name=`: the channels
/// one may read whose name starts with the term (typing `~`).
pub async fn autocomplete(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmPath(team): MmPath<String>,
    MmQuery(q): MmQuery<NameQuery>,
) -> MmResult<Json<Vec<MmChannel>>> {
    let scope = ChannelScope::Readable;
    find(&core, &actor, &team, &q.name, scope, 0, AUTOCOMPLETE_LIMIT).await
}

/// `GET /api/v4/teams/{team_id}/channels/search_autocomplete?name=`: the
/// channels one belongs to, for a search's `in:`.
pub async fn search_autocomplete(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmPath(team): MmPath<String>,
    MmQuery(q): MmQuery<NameQuery>,
) -> MmResult<Json<Vec<MmChannel>>> {
    let scope = ChannelScope::Joined;
    find(&core, &actor, &team, &q.name, scope, 0, AUTOCOMPLETE_LIMIT).await
}

#[derive(Deserialize)]
pub struct SearchBody {
    #[serde(default)]
    term: String,
}

/// `POST /api/v4/teams/{team_id}/channels/search`: public channels by name
/// ("Browse channels").
pub async fn search_in_team(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmPath(team): MmPath<String>,
    MmJson(b): MmJson<SearchBody>,
) -> MmResult<Json<Vec<MmChannel>>> {
    find(&core, &actor, &team, &b.term, ChannelScope::Public, 0, 100).await
}

/// `GET /api/v4/teams/{team_id}/channels/deleted`: the archived channels
/// one may see, a page at a time.
pub async fn archived(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmPath(team): MmPath<String>,
    MmQuery(p): MmQuery<Paging>,
) -> MmResult<Json<Vec<MmChannel>>> {
    let offset = usize::try_from(p.offset()).unwrap_or(usize::MAX);
    let limit = usize::try_from(p.per_page()).unwrap_or(0);
    find(
        &core,
        &actor,
        &team,
        "",
        ChannelScope::Archived,
        offset,
        limit,
    )
    .await
}
