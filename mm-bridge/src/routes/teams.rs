//! Teams and team membership.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};

use core_server::model::ChannelUnread;
use core_server::services::{Actor, Core, NewTeam, TeamPatch, ThreadQuery};

use crate::convert::{self, MmTeam, MmTeamMember};
use crate::error::{MmError, MmResult};
use crate::extract::{
    check_id, check_ids, page_from_cursor, query_bool, status_ok, MmAuth, MmJson, MmPath, MmQuery,
    Paging,
};

#[derive(Deserialize)]
pub struct CreateTeam {
    name: String,
    display_name: String,
    #[serde(default)]
    description: String,
    #[serde(rename = "type")]
    team_type: Option<String>,
}

/// `POST /api/v4/teams` (201)
pub async fn create(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmJson(b): MmJson<CreateTeam>,
) -> MmResult<(StatusCode, Json<MmTeam>)> {
    let team = core
        .create_team(
            &actor,
            NewTeam {
                name: b.name,
                display_name: b.display_name,
                description: b.description,
                team_type: b.team_type,
            },
        )
        .await?;
    Ok((StatusCode::CREATED, Json(convert::team(team))))
}

#[derive(Deserialize)]
pub struct TeamsQuery {
    #[serde(flatten)]
    paging: Paging,
    include_total_count: Option<String>,
}

/// Teams with their total, when `include_total_count=true`.
#[derive(Serialize)]
pub struct TeamsWithCount {
    teams: Vec<MmTeam>,
    total_count: i64,
}

/// `GET /api/v4/teams`: the teams the caller can see.
pub async fn list(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmQuery(q): MmQuery<TeamsQuery>,
) -> MmResult<Response> {
    let mut all = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let page = core
            .list_teams(&actor, cursor.as_deref(), Some(200))
            .await?;
        all.extend(page.items);
        match page.next_cursor {
            Some(c) => cursor = Some(c),
            None => break,
        }
    }
    let total = i64::try_from(all.len()).unwrap_or(i64::MAX);
    let start = usize::try_from(q.paging.offset())
        .unwrap_or(usize::MAX)
        .min(all.len());
    let mut teams = Vec::new();
    for team in all
        .into_iter()
        .skip(start)
        .take(usize::try_from(q.paging.per_page()).unwrap_or(0))
    {
        teams.push(convert::team(team));
    }
    if q.include_total_count.as_deref() == Some("true") {
        return Ok(Json(TeamsWithCount {
            teams,
            total_count: total,
        })
        .into_response());
    }
    Ok(Json(teams).into_response())
}

/// `GET /api/v4/teams/{team_id}`
pub async fn get(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmPath(id): MmPath<String>,
) -> MmResult<Json<MmTeam>> {
    check_id("team_id", &id)?;
    let team = core.get_team(&actor, &id).await?;
    Ok(Json(convert::team(team)))
}

/// `GET /api/v4/teams/name/{name}`
pub async fn by_name(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmPath(name): MmPath<String>,
) -> MmResult<Json<MmTeam>> {
    let team = core.get_team_by_name(&actor, &name).await?;
    Ok(Json(convert::team(team)))
}

#[derive(Deserialize)]
pub struct PatchTeam {
    display_name: Option<String>,
    description: Option<String>,
    company_name: Option<String>,
    allowed_domains: Option<String>,
    allow_open_invite: Option<bool>,
}

/// `PUT /api/v4/teams/{team_id}/patch`
pub async fn patch(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmPath(id): MmPath<String>,
    MmJson(b): MmJson<PatchTeam>,
) -> MmResult<Json<MmTeam>> {
    check_id("team_id", &id)?;
    let patch = TeamPatch {
        display_name: b.display_name,
        description: b.description,
        allow_open_invite: b.allow_open_invite,
        company_name: b.company_name,
        allowed_domains: b.allowed_domains,
    };
    Ok(Json(convert::team(
        core.patch_team(&actor, &id, patch).await?,
    )))
}

/// `DELETE /api/v4/teams/{team_id}`: archives the team.
pub async fn delete(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmPath(id): MmPath<String>,
) -> MmResult<Response> {
    check_id("team_id", &id)?;
    core.delete_team(&actor, &id).await?;
    Ok(status_ok().into_response())
}

/// `GET /api/v4/users/{user_id}/teams`
pub async fn mine(
    State(core): State<Core>,
    auth: MmAuth,
    MmPath(user): MmPath<String>,
) -> MmResult<Json<Vec<MmTeam>>> {
    auth.require_self(&user)?;
    let mut out = Vec::new();
    for team in core.list_my_teams(&auth.0).await? {
        out.push(convert::team(team));
    }
    Ok(Json(out))
}

/// `GET /api/v4/users/{user_id}/teams/members`
pub async fn my_memberships(
    State(core): State<Core>,
    auth: MmAuth,
    MmPath(user): MmPath<String>,
) -> MmResult<Json<Vec<MmTeamMember>>> {
    auth.require_self(&user)?;
    Ok(Json(
        core.list_my_team_members(&auth.0)
            .await?
            .into_iter()
            .map(convert::team_member)
            .collect(),
    ))
}

/// Mattermost's `TeamUnread`.
#[derive(Serialize, Default)]
pub struct TeamUnread {
    team_id: String,
    msg_count: i64,
    mention_count: i64,
    mention_count_root: i64,
    msg_count_root: i64,
    thread_count: i64,
    thread_mention_count: i64,
    thread_urgent_mention_count: i64,
}

impl TeamUnread {
    /// The totals of one team's channels among the caller's unread counts.
    fn of(team_id: &str, unreads: &[ChannelUnread]) -> Self {
        let mut u = TeamUnread {
            team_id: team_id.to_string(),
            ..Default::default()
        };
        for c in unreads.iter().filter(|c| c.team_id == team_id) {
            u.msg_count += c.msg_count;
            u.mention_count += c.mention_count;
            u.msg_count_root += c.msg_count_root;
            u.mention_count_root += c.mention_count_root;
        }
        u
    }

    /// Adds the team's followed threads' unread totals, as the apps ask
    /// for with collapsed reply threads on.
    async fn with_threads(mut self, core: &Core, actor: &Actor) -> MmResult<Self> {
        let limit_one = ThreadQuery {
            limit: 1,
            ..Default::default()
        };
        let threads = core.list_threads(actor, &self.team_id, limit_one).await?;
        self.thread_count = threads.total_unread_threads;
        self.thread_mention_count = threads.total_unread_mentions;
        Ok(self)
    }
}

#[derive(Deserialize)]
pub struct TeamUnreadQuery {
    include_collapsed_threads: Option<String>,
}

/// `GET /api/v4/users/{user_id}/teams/unread`: unread totals per team (DMs excluded).
pub async fn my_unreads(
    State(core): State<Core>,
    auth: MmAuth,
    MmPath(user): MmPath<String>,
    MmQuery(q): MmQuery<TeamUnreadQuery>,
) -> MmResult<Json<Vec<TeamUnread>>> {
    auth.require_self(&user)?;
    let teams = core.list_my_teams(&auth.0).await?;
    let unreads = core.list_unreads(&auth.0, None).await?;
    let with_threads = query_bool(q.include_collapsed_threads.as_deref());
    let mut out = Vec::with_capacity(teams.len());
    for t in teams {
        let unread = TeamUnread::of(&t.id, &unreads);
        out.push(if with_threads {
            unread.with_threads(&core, &auth.0).await?
        } else {
            unread
        });
    }
    Ok(Json(out))
}

/// `GET /api/v4/teams/{team_id}/stats`
pub async fn stats(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmPath(id): MmPath<String>,
) -> MmResult<Json<serde_json::Value>> {
    check_id("team_id", &id)?;
    let count = core.team_member_count(&actor, &id).await?;
    Ok(Json(
        serde_json::json!({"team_id": id, "total_member_count": count, "active_member_count": count}),
    ))
}

/// `GET /api/v4/teams/{team_id}/members`
pub async fn members(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmPath(id): MmPath<String>,
    MmQuery(p): MmQuery<Paging>,
) -> MmResult<Json<Vec<MmTeamMember>>> {
    check_id("team_id", &id)?;
    let (core, actor, id) = (&core, &actor, &id);
    let bound = core.team_member_count(actor, id).await?;
    let page = page_from_cursor(&p, bound, move |cursor| async move {
        core.list_team_members(actor, id, cursor.as_deref(), Some(200))
            .await
    })
    .await?;
    Ok(Json(page.into_iter().map(convert::team_member).collect()))
}

#[derive(Deserialize)]
pub struct AddMember {
    user_id: String,
    team_id: Option<String>,
}

/// `POST /api/v4/teams/{team_id}/members` (201)
pub async fn add_member(
    State(core): State<Core>,
    auth: MmAuth,
    MmPath(id): MmPath<String>,
    MmJson(b): MmJson<AddMember>,
) -> MmResult<(StatusCode, Json<MmTeamMember>)> {
    check_id("team_id", &id)?;
    if b.team_id
        .as_deref()
        .is_some_and(|t| !t.is_empty() && t != id)
    {
        return Err(MmError::invalid_body("team_id"));
    }
    let user_id = auth.user_id(&b.user_id);
    check_id("user_id", &user_id).map_err(|_| MmError::invalid_body("user_id"))?;
    let member = core.add_team_member(&auth.0, &id, &user_id).await?;
    Ok((StatusCode::CREATED, Json(convert::team_member(member))))
}

/// `POST /api/v4/teams/{team_id}/members/ids`
pub async fn members_by_ids(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmPath(id): MmPath<String>,
    MmJson(ids): MmJson<Vec<String>>,
) -> MmResult<Json<Vec<MmTeamMember>>> {
    check_id("team_id", &id)?;
    if ids.len() > 200 {
        return Err(MmError::invalid_body("user_ids"));
    }
    check_ids("user_ids", &ids)?;
    let mut out = Vec::new();
    for user_id in ids {
        match core.get_team_member(&actor, &id, &user_id).await {
            Ok(m) => out.push(convert::team_member(m)),
            Err(core_server::Error::NotFound { .. }) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(Json(out))
}

/// `GET /api/v4/teams/{team_id}/members/{user_id}`
pub async fn member(
    State(core): State<Core>,
    auth: MmAuth,
    MmPath((id, user)): MmPath<(String, String)>,
) -> MmResult<Json<MmTeamMember>> {
    check_id("team_id", &id)?;
    let user = auth.user_id(&user);
    check_id("user_id", &user)?;
    Ok(Json(convert::team_member(
        core.get_team_member(&auth.0, &id, &user).await?,
    )))
}

/// `DELETE /api/v4/teams/{team_id}/members/{user_id}`
pub async fn remove_member(
    State(core): State<Core>,
    auth: MmAuth,
    MmPath((id, user)): MmPath<(String, String)>,
) -> MmResult<Response> {
    check_id("team_id", &id)?;
    let user = auth.user_id(&user);
    check_id("user_id", &user)?;
    core.remove_team_member(&auth.0, &id, &user).await?;
    Ok(status_ok().into_response())
}

#[derive(Deserialize)]
pub struct InviteQuery {
    #[serde(default)]
    invite_id: String,
}

/// `POST /api/v4/teams/members/invite?invite_id=` (201): join by invitation.
pub async fn join_by_invite(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmQuery(q): MmQuery<InviteQuery>,
) -> MmResult<(StatusCode, Json<MmTeamMember>)> {
    check_id("invite_id", &q.invite_id)?;
    let member = core.join_by_invite(&actor, &q.invite_id).await?;
    Ok((StatusCode::CREATED, Json(convert::team_member(member))))
}

/// What an invitation says about its team.
#[derive(Serialize)]
pub struct InviteInfo {
    id: String,
    name: String,
    display_name: String,
    description: String,
}

/// `GET /api/v4/teams/invite/{invite_id}` (no session needed).
pub async fn invite_info(
    State(core): State<Core>,
    MmPath(invite): MmPath<String>,
) -> MmResult<Json<InviteInfo>> {
    check_id("invite_id", &invite)?;
    let team = core.team_for_invite(&invite).await?;
    Ok(Json(InviteInfo {
        id: team.id,
        name: team.name,
        display_name: team.display_name,
        description: team.description,
    }))
}

/// `POST /api/v4/teams/{team_id}/regenerate_invite_id`
pub async fn regenerate_invite(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmPath(id): MmPath<String>,
) -> MmResult<Json<MmTeam>> {
    check_id("team_id", &id)?;
    Ok(Json(convert::team(
        core.regenerate_invite_id(&actor, &id).await?,
    )))
}

/// The whole team, as `PUT /teams/{id}` sends it; only what a team admin
/// may change is read, and the id must be the one in the path.
#[derive(Deserialize)]
pub struct UpdateTeam {
    #[serde(default)]
    id: String,
    display_name: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    company_name: String,
    #[serde(default)]
    allowed_domains: String,
    #[serde(default)]
    allow_open_invite: bool,
}

/// `PUT /api/v4/teams/{team_id}`: replaces what a team admin may change.
pub async fn update(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmPath(id): MmPath<String>,
    MmJson(b): MmJson<UpdateTeam>,
) -> MmResult<Json<MmTeam>> {
    check_id("team_id", &id)?;
    if b.id != id {
        return Err(MmError::invalid_body("id"));
    }
    let patch = TeamPatch {
        display_name: Some(b.display_name),
        description: Some(b.description),
        allow_open_invite: Some(b.allow_open_invite),
        company_name: Some(b.company_name),
        allowed_domains: Some(b.allowed_domains),
    };
    Ok(Json(convert::team(
        core.patch_team(&actor, &id, patch).await?,
    )))
}

#[derive(Deserialize)]
pub struct Privacy {
    privacy: String,
}

/// `PUT /api/v4/teams/{team_id}/privacy`: `O` open, `I` invite only.
pub async fn privacy(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmPath(id): MmPath<String>,
    MmJson(b): MmJson<Privacy>,
) -> MmResult<Json<MmTeam>> {
    check_id("team_id", &id)?;
    Ok(Json(convert::team(
        core.set_team_privacy(&actor, &id, &b.privacy).await?,
    )))
}

/// `POST /api/v4/teams/{team_id}/restore`: un-archives the team.
pub async fn restore(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmPath(id): MmPath<String>,
) -> MmResult<Json<MmTeam>> {
    check_id("team_id", &id)?;
    Ok(Json(convert::team(core.restore_team(&actor, &id).await?)))
}

#[derive(Serialize)]
pub struct Exists {
    exists: bool,
}

/// `GET /api/v4/teams/name/{name}/exists`
pub async fn exists(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmPath(name): MmPath<String>,
) -> MmResult<Json<Exists>> {
    Ok(Json(Exists {
        exists: core.team_name_exists(&actor, &name).await?,
    }))
}

/// Mattermost's `TeamSearch`; the group and policy filters have nothing to
/// select here (no groups, no retention policies).
#[derive(Deserialize)]
pub struct TeamSearch {
    #[serde(default)]
    term: String,
    page: Option<i64>,
    per_page: Option<i64>,
    allow_open_invite: Option<bool>,
}

/// `POST /api/v4/teams/search`: an array, or `{teams, total_count}` when
/// paged, as Mattermost answers.
pub async fn search(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmJson(b): MmJson<TeamSearch>,
) -> MmResult<Response> {
    let mut found = core.search_teams(&actor, &b.term).await?;
    if let Some(open) = b.allow_open_invite {
        found.retain(|t| t.allow_open_invite == open);
    }
    let (Some(page), Some(per_page)) = (b.page, b.per_page) else {
        return Ok(Json(found.into_iter().map(convert::team).collect::<Vec<_>>()).into_response());
    };
    if page < 0 {
        return Err(MmError::invalid_body("page"));
    }
    if !(1..=200).contains(&per_page) {
        return Err(MmError::invalid_body("per_page"));
    }
    let total = i64::try_from(found.len()).unwrap_or(i64::MAX);
    let skip = usize::try_from(page.saturating_mul(per_page)).unwrap_or(usize::MAX);
    let teams = found
        .into_iter()
        .skip(skip)
        .take(usize::try_from(per_page).unwrap_or(0))
        .map(convert::team)
        .collect();
    Ok(Json(TeamsWithCount {
        teams,
        total_count: total,
    })
    .into_response())
}

/// `GET /api/v4/users/{user_id}/teams/{team_id}/unread`: one team's totals.
pub async fn my_unread_in_team(
    State(core): State<Core>,
    auth: MmAuth,
    MmPath((user, team_id)): MmPath<(String, String)>,
) -> MmResult<Json<TeamUnread>> {
    auth.require_self(&user)?;
    check_id("team_id", &team_id)?;
    // Refused unless the caller is in the team; only its channels come back.
    let unreads = core.list_unreads(&auth.0, Some(&team_id)).await?;
    Ok(Json(TeamUnread::of(&team_id, &unreads)))
}

#[derive(Deserialize)]
pub struct GracefulQuery {
    #[serde(default)]
    graceful: Option<String>,
}

impl GracefulQuery {
    fn is_graceful(&self) -> bool {
        self.graceful.as_deref() == Some("true")
    }
}

/// Mattermost's `TeamMemberWithError`: one user's result of a graceful batch.
#[derive(Serialize)]
pub struct MemberResult {
    user_id: String,
    member: Option<MmTeamMember>,
    error: Option<MmError>,
}

/// Most users one batch may add, as Mattermost's limit.
const MAX_BATCH_MEMBERS: usize = 256;

/// `POST /api/v4/teams/{team_id}/members/batch` (201): adds each user as
/// `POST /teams/{id}/members` would. Without `graceful=true` the first
/// failure answers for the batch (those before it stay added, as Mattermost);
/// with it, every user gets a result.
pub async fn add_members(
    State(core): State<Core>,
    auth: MmAuth,
    MmPath(id): MmPath<String>,
    MmQuery(q): MmQuery<GracefulQuery>,
    MmJson(members): MmJson<Vec<AddMember>>,
) -> MmResult<Response> {
    check_id("team_id", &id)?;
    if members.is_empty() || members.len() > MAX_BATCH_MEMBERS {
        return Err(MmError::invalid_body("members"));
    }
    for m in &members {
        if m.team_id
            .as_deref()
            .is_some_and(|t| !t.is_empty() && t != id)
        {
            return Err(MmError::invalid_body("team_id"));
        }
        check_id("user_id", &auth.user_id(&m.user_id))
            .map_err(|_| MmError::invalid_body("user_id"))?;
    }
    let graceful = q.is_graceful();
    let mut added = Vec::new();
    let mut results = Vec::new();
    for m in members {
        let user_id = auth.user_id(&m.user_id);
        match core.add_team_member(&auth.0, &id, &user_id).await {
            Ok(member) if graceful => results.push(MemberResult {
                user_id,
                member: Some(convert::team_member(member)),
                error: None,
            }),
            Ok(member) => added.push(convert::team_member(member)),
            Err(e) if graceful => results.push(MemberResult {
                user_id,
                member: None,
                error: Some(MmError::from(e)),
            }),
            Err(e) => return Err(e.into()),
        }
    }
    if graceful {
        return Ok((StatusCode::CREATED, Json(results)).into_response());
    }
    Ok((StatusCode::CREATED, Json(added)).into_response())
}
