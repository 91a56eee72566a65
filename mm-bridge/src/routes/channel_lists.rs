//! Channel lists beyond one team's channel browser: the system-wide search
//! and list (admins), the caller's channels across teams, private and
//! archived lists of a team, public channels by id, group messages by
//! member, and turning a group message into a channel.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};

use core_server::model::{Channel, Team};
use core_server::services::{AllChannelsFilter, ChannelScope, Core};

use crate::convert::{self, MmChannel, MmTeam};
use crate::error::{MmError, MmResult};
use crate::extract::{check_id, check_ids, MmAuth, MmJson, MmPath, MmQuery, Paging};

/// Mattermost's `ChannelWithTeamData`: the channel with its team's names.
#[derive(Serialize)]
pub struct ChannelWithTeam {
    #[serde(flatten)]
    channel: MmChannel,
    team_display_name: String,
    team_name: String,
    team_update_at: i64,
}

fn with_team((channel, team): (Channel, Team)) -> ChannelWithTeam {
    ChannelWithTeam {
        channel: convert::channel(channel),
        team_display_name: team.display_name,
        team_name: team.name,
        team_update_at: team.update_at,
    }
}

#[derive(Serialize)]
pub struct ChannelsWithCount {
    channels: Vec<ChannelWithTeam>,
    total_count: i64,
}

/// Mattermost's `ChannelSearch`; group and retention-policy filters have
/// nothing to select on this server.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ChannelSearch {
    term: String,
    team_ids: Vec<String>,
    public: bool,
    private: bool,
    deleted: bool,
    include_deleted: bool,
    exclude_default_channels: bool,
    page: Option<i64>,
    per_page: Option<i64>,
}

#[derive(Deserialize)]
pub struct SearchQuery {
    system_console: Option<String>,
    include_deleted: Option<String>,
}

/// Unpaged searches answer at most this many channels, as Mattermost.
const UNPAGED_LIMIT: usize = 100;

/// `POST /api/v4/channels/search`: with `system_console=false`, the
/// channels the caller may read across their teams (archived ones with
/// `deleted`); otherwise every channel, for system admins.
pub async fn search_all(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmQuery(q): MmQuery<SearchQuery>,
    MmJson(b): MmJson<ChannelSearch>,
) -> MmResult<Response> {
    check_ids("team_ids", &b.team_ids)?;
    let console = match q.system_console.as_deref() {
        None | Some("true") => true,
        Some("false") => false,
        Some(_) => return Err(MmError::invalid_param("system_console")),
    };
    if !console {
        let found = core
            .find_my_channels(&actor, &b.term, &b.team_ids, b.deleted)
            .await?;
        return Ok(Json(found.into_iter().map(with_team).collect::<Vec<_>>()).into_response());
    }
    let filter = AllChannelsFilter {
        term: b.term,
        team_ids: b.team_ids,
        public: b.public,
        private: b.private,
        deleted: b.deleted,
        include_deleted: b.include_deleted || q.include_deleted.as_deref() == Some("true"),
        exclude_default_channels: b.exclude_default_channels,
    };
    let found = core.search_all_channels(&actor, &filter).await?;
    match (b.page, b.per_page) {
        (Some(page), Some(per_page)) => Ok(Json(paged(found, page, per_page)?).into_response()),
        _ => Ok(Json(
            found
                .into_iter()
                .take(UNPAGED_LIMIT)
                .map(with_team)
                .collect::<Vec<_>>(),
        )
        .into_response()),
    }
}

fn paged(found: Vec<(Channel, Team)>, page: i64, per_page: i64) -> MmResult<ChannelsWithCount> {
    if page < 0 {
        return Err(MmError::invalid_body("page"));
    }
    if !(1..=200).contains(&per_page) {
        return Err(MmError::invalid_body("per_page"));
    }
    let total = i64::try_from(found.len()).unwrap_or(i64::MAX);
    let skip = usize::try_from(page.saturating_mul(per_page)).unwrap_or(usize::MAX);
    Ok(ChannelsWithCount {
        channels: found
            .into_iter()
            .skip(skip)
            .take(usize::try_from(per_page).unwrap_or(0))
            .map(with_team)
            .collect(),
        total_count: total,
    })
}

#[derive(Deserialize)]
pub struct AllQuery {
    #[serde(flatten)]
    paging: Paging,
    include_deleted: Option<String>,
    exclude_default_channels: Option<String>,
    include_total_count: Option<String>,
}

/// `GET /api/v4/channels`: every team channel, for system admins.
pub async fn all(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmQuery(q): MmQuery<AllQuery>,
) -> MmResult<Response> {
    let filter = AllChannelsFilter {
        include_deleted: q.include_deleted.as_deref() == Some("true"),
        exclude_default_channels: q.exclude_default_channels.as_deref() == Some("true"),
        ..AllChannelsFilter::default()
    };
    let found = core.search_all_channels(&actor, &filter).await?;
    let page = paged(found, q.paging.page(), q.paging.per_page())?;
    if q.include_total_count.as_deref() == Some("true") {
        return Ok(Json(page).into_response());
    }
    Ok(Json(page.channels).into_response())
}

/// `GET /api/v4/teams/{team_id}/channels/private`: a team's private
/// channels, for system admins.
pub async fn private_in_team(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmPath(team): MmPath<String>,
    MmQuery(p): MmQuery<Paging>,
) -> MmResult<Json<Vec<MmChannel>>> {
    check_id("team_id", &team)?;
    let filter = AllChannelsFilter {
        team_ids: vec![team],
        private: true,
        ..AllChannelsFilter::default()
    };
    let found = core.search_all_channels(&actor, &filter).await?;
    let page = paged(found, p.page(), p.per_page())?;
    Ok(Json(page.channels.into_iter().map(|c| c.channel).collect()))
}

/// `POST /api/v4/teams/{team_id}/channels/ids`: the team's public channels among the ids.
pub async fn public_by_ids(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmPath(team): MmPath<String>,
    MmJson(ids): MmJson<Vec<String>>,
) -> MmResult<Json<Vec<MmChannel>>> {
    check_id("team_id", &team)?;
    if ids.is_empty() || ids.len() > 200 {
        return Err(MmError::invalid_body("channel_ids"));
    }
    check_ids("channel_ids", &ids)?;
    let found = core.public_channels_by_ids(&actor, &team, &ids).await?;
    Ok(Json(found.into_iter().map(convert::channel).collect()))
}

#[derive(Deserialize)]
pub struct TermBody {
    #[serde(default)]
    term: String,
}

/// `POST /api/v4/teams/{team_id}/channels/search_archived`
pub async fn search_archived(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmPath(team): MmPath<String>,
    MmJson(b): MmJson<TermBody>,
) -> MmResult<Json<Vec<MmChannel>>> {
    check_id("team_id", &team)?;
    let found = core
        .find_team_channels(&actor, &team, &b.term, ChannelScope::Archived, 0, 100)
        .await?;
    Ok(Json(found.into_iter().map(convert::channel).collect()))
}

/// `POST /api/v4/channels/group/search`: one's group messages by member.
pub async fn search_groups(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmJson(b): MmJson<TermBody>,
) -> MmResult<Json<Vec<MmChannel>>> {
    let found = core.search_group_channels(&actor, &b.term).await?;
    Ok(Json(found.into_iter().map(convert::channel).collect()))
}

/// The whole channel, as `PUT /channels/{id}` sends it: its id and what a
/// patch may change.
#[derive(Deserialize)]
pub struct UpdateChannel {
    #[serde(default)]
    id: String,
    #[serde(flatten)]
    fields: super::channels::PatchChannel,
}

/// `PUT /api/v4/channels/{channel_id}`: name, display name, purpose and
/// header at once; the id in the body must be the path's.
pub async fn update(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmPath(id): MmPath<String>,
    MmJson(b): MmJson<UpdateChannel>,
) -> MmResult<Json<MmChannel>> {
    check_id("channel_id", &id)?;
    if b.id != id {
        return Err(MmError::invalid_body("id"));
    }
    Ok(Json(convert::channel(
        core.patch_channel(&actor, &id, b.fields.into()).await?,
    )))
}

/// `GET /api/v4/channels/{channel_id}/common_teams`: the teams all members
/// of a group message share.
pub async fn common_teams(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmPath(id): MmPath<String>,
) -> MmResult<Json<Vec<MmTeam>>> {
    check_id("channel_id", &id)?;
    let teams = core.group_common_teams(&actor, &id).await?;
    Ok(Json(teams.into_iter().map(convert::team).collect()))
}

#[derive(Deserialize)]
pub struct Conversion {
    #[serde(default)]
    channel_id: String,
    #[serde(default)]
    team_id: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    display_name: String,
}

/// `POST /api/v4/channels/{channel_id}/convert_to_channel`
pub async fn convert_group(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmPath(id): MmPath<String>,
    MmJson(b): MmJson<Conversion>,
) -> MmResult<Json<MmChannel>> {
    check_id("channel_id", &id)?;
    if b.channel_id != id {
        return Err(MmError::invalid_param("channel_id"));
    }
    let channel = core
        .convert_group_to_channel(&actor, &id, &b.team_id, &b.name, &b.display_name)
        .await?;
    Ok(Json(convert::channel(channel)))
}
