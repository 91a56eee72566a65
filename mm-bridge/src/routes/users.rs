//! Users: login and sessions, profiles, statuses, preferences.

use std::collections::BTreeMap;

use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use core_server::model::{Preference, StringMap};
use core_server::services::{Core, NewUser, UserFilter, UserPatch};

use core_server::server::ClientAddr;

use crate::convert::{self, MmStatus, MmUser};
use crate::error::{MmError, MmResult};
use crate::extract::{
    check_id, check_ids, page_from_cursor, status_ok, MmAuth, MmJson, MmPath, MmQuery, Paging,
};

/// A string field of a JSON body; empty when missing or not a string.
pub(super) fn str_field(body: &Map<String, Value>, key: &str) -> String {
    body.get(key)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}

/// A session cookie as Mattermost sets it: `Secure` when the site is served
/// over HTTPS, `HttpOnly` for the token itself.
fn cookie(
    name: &str,
    value: &str,
    max_age: i64,
    http_only: bool,
    secure: bool,
) -> Option<HeaderValue> {
    let flags = match (http_only, secure) {
        (true, true) => "; HttpOnly; Secure",
        (true, false) => "; HttpOnly",
        (false, true) => "; Secure",
        (false, false) => "",
    };
    HeaderValue::from_str(&format!(
        "{name}={value}; Path=/; Max-Age={max_age}; SameSite=Lax{flags}"
    ))
    .ok()
}

/// `POST /api/v4/users/login`: by `login_id` (username or e-mail) or by `id`.
pub async fn login(
    State(core): State<Core>,
    ClientAddr(client): ClientAddr,
    headers: HeaderMap,
    MmJson(body): MmJson<Map<String, Value>>,
) -> MmResult<Response> {
    let password = str_field(&body, "password");
    let device_id = str_field(&body, "device_id");
    let mut login_id = str_field(&body, "login_id");
    if login_id.is_empty() {
        let id = str_field(&body, "id");
        if id.is_empty() {
            return Err(MmError::invalid_body("login_id"));
        }
        check_id("id", &id)?;
        login_id = match core.store.get_user(&id).await {
            Ok(u) => u.username,
            Err(core_server::Error::NotFound { .. }) => {
                return Err(
                    core_server::Error::Unauthorized("invalid login or password".into()).into(),
                )
            }
            Err(e) => return Err(e.into()),
        };
    }
    let result = core
        .login_from(&client, &login_id, &password, &device_id)
        .await?;
    let max_age = (result.session.expires_at - result.session.create_at) / 1000;
    let csrf = result
        .session
        .props
        .get("csrf")
        .cloned()
        .unwrap_or_default();
    let mut response = Json(convert::user(result.user.clone())).into_response();
    let h = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&result.token) {
        h.insert("token", v);
    }
    let secure = core_server::server::cookies_secure(&core.config(), &headers);
    if headers
        .get("x-requested-with")
        .and_then(|v| v.to_str().ok())
        == Some("XMLHttpRequest")
    {
        for c in [
            cookie("MMAUTHTOKEN", &result.token, max_age, true, secure),
            cookie("MMUSERID", &result.user.id, max_age, false, secure),
            cookie("MMCSRF", &csrf, max_age, false, secure),
        ]
        .into_iter()
        .flatten()
        {
            h.append(header::SET_COOKIE, c);
        }
    }
    Ok(response)
}

/// `POST /api/v4/users/logout`: revokes the session if there is one.
pub async fn logout(
    State(core): State<Core>,
    headers: HeaderMap,
    auth: Result<MmAuth, MmError>,
) -> MmResult<Response> {
    if let Ok(MmAuth(actor)) = auth {
        core.logout(&actor).await?;
    }
    let secure = core_server::server::cookies_secure(&core.config(), &headers);
    let mut response = status_ok().into_response();
    for name in ["MMAUTHTOKEN", "MMUSERID", "MMCSRF"] {
        if let Some(c) = cookie(name, "", 0, name == "MMAUTHTOKEN", secure) {
            response.headers_mut().append(header::SET_COOKIE, c);
        }
    }
    Ok(response)
}

/// The fields of a new user that this server reads; the rest of Mattermost's User is ignored.
#[derive(Deserialize)]
pub struct CreateUser {
    username: String,
    email: String,
    password: String,
    #[serde(default)]
    first_name: String,
    #[serde(default)]
    last_name: String,
    #[serde(default)]
    nickname: String,
    locale: Option<String>,
}

/// The invitation a sign-up may carry: a mailed invitation's token `t`, or a
/// team's invite id `iid`.
#[derive(Deserialize, Default)]
pub struct SignUpQuery {
    t: Option<String>,
    iid: Option<String>,
}

/// `POST /api/v4/users`: sign-up (201). The first user becomes a system
/// admin; while open sign-up is off, strangers need an invitation.
pub async fn create(
    State(core): State<Core>,
    auth: Result<MmAuth, MmError>,
    MmQuery(query): MmQuery<SignUpQuery>,
    MmJson(body): MmJson<CreateUser>,
) -> MmResult<(StatusCode, Json<MmUser>)> {
    let actor = auth.ok().map(|a| a.0);
    let input = NewUser {
        username: body.username,
        email: body.email,
        password: body.password,
        first_name: body.first_name,
        last_name: body.last_name,
        nickname: body.nickname,
        locale: body.locale.filter(|l| !l.is_empty()),
        invite_id: query.iid,
        invite_token: query.t,
    };
    let user = core.sign_up(actor.as_ref(), input).await?;
    let user = match &actor {
        Some(a) => core.user_for(a, user),
        None => user,
    };
    Ok((StatusCode::CREATED, Json(convert::user(user))))
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    in_team: Option<String>,
    in_channel: Option<String>,
    not_in_team: Option<String>,
    not_in_channel: Option<String>,
    without_team: Option<String>,
    active: Option<String>,
    inactive: Option<String>,
    role: Option<String>,
    sort: Option<String>,
    #[serde(flatten)]
    paging: Paging,
}

fn given(v: Option<String>) -> Option<String> {
    v.filter(|s| !s.is_empty())
}

/// A boolean query value read as Go's `strconv.ParseBool` does; anything
/// else is false, as Mattermost treats it.
fn flag(v: &Option<String>) -> bool {
    matches!(
        v.as_deref(),
        Some("1" | "t" | "T" | "true" | "TRUE" | "True")
    )
}

/// `GET /api/v4/users`: all users, or those of a team or channel, or those
/// not in one (the add-members lists), without a team, active or not, with
/// a role. Mattermost's rules on which filters and sorts go together.
pub async fn list(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmQuery(q): MmQuery<ListQuery>,
) -> MmResult<Json<Vec<MmUser>>> {
    let (offset, limit) = (q.paging.offset(), q.paging.per_page());
    let in_team = given(q.in_team);
    let in_channel = given(q.in_channel);
    let not_in_team = given(q.not_in_team);
    let not_in_channel = given(q.not_in_channel);
    let without_team = flag(&q.without_team);
    if not_in_channel.is_some() && in_team.is_none() {
        return Err(MmError::invalid_param("team_id"));
    }
    match q.sort.as_deref().unwrap_or("") {
        "" => {}
        "last_activity_at" | "create_at"
            if in_team.is_some()
                && not_in_team.is_none()
                && in_channel.is_none()
                && not_in_channel.is_none()
                && !without_team => {}
        "status" | "admin" if in_channel.is_some() => {}
        _ => return Err(MmError::invalid_param("sort")),
    }
    let (active, inactive) = (flag(&q.active), flag(&q.inactive));
    if active && inactive {
        return Err(MmError::invalid_param("inactive"));
    }
    let role = given(q.role);
    let simple = not_in_team.is_none()
        && not_in_channel.is_none()
        && !without_team
        && !active
        && !inactive
        && role.is_none()
        && q.sort.as_deref().unwrap_or("").is_empty();
    let users = if !simple {
        let filter = UserFilter {
            in_team,
            not_in_team,
            in_channel,
            not_in_channel,
            without_team,
            active: if active {
                Some(true)
            } else if inactive {
                Some(false)
            } else {
                None
            },
            role,
            term: None,
        };
        let mut all = core.filtered_users(&actor, &filter).await?;
        sort_users(&mut all, q.sort.as_deref().unwrap_or(""));
        all.into_iter()
            .skip(usize::try_from(offset).unwrap_or(usize::MAX))
            .take(usize::try_from(limit).unwrap_or(0))
            .collect()
    } else if let Some(channel_id) = in_channel {
        check_id("in_channel", &channel_id)?;
        core.list_channel_users(&actor, &channel_id, offset, limit)
            .await?
    } else if let Some(team_id) = in_team {
        check_id("in_team", &team_id)?;
        core.list_team_users(&actor, &team_id, offset, limit)
            .await?
    } else {
        let (core, actor) = (&core, &actor);
        let bound = core.user_count(actor).await?;
        page_from_cursor(&q.paging, bound, move |cursor| async move {
            core.list_users(actor, cursor.as_deref(), Some(200)).await
        })
        .await?
    };
    Ok(Json(users.into_iter().map(convert::user).collect()))
}

/// Orders a filtered list as `sort` asks (by username otherwise).
fn sort_users(users: &mut [core_server::model::User], sort: &str) {
    match sort {
        "create_at" => users.sort_by_key(|u| std::cmp::Reverse(u.create_at)),
        "admin" => users.sort_by_key(|u| !u.roles.split_whitespace().any(|r| r == "system_admin")),
        _ => {}
    }
}

/// `POST /api/v4/users/ids`
pub async fn by_ids(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmJson(ids): MmJson<Vec<String>>,
) -> MmResult<Json<Vec<MmUser>>> {
    check_ids("user_ids", &ids)?;
    Ok(Json(
        core.get_users_by_ids(&actor, &ids)
            .await?
            .into_iter()
            .map(convert::user)
            .collect(),
    ))
}

/// `POST /api/v4/users/usernames`
pub async fn by_usernames(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmJson(names): MmJson<Vec<String>>,
) -> MmResult<Json<Vec<MmUser>>> {
    Ok(Json(
        core.get_users_by_usernames(&actor, &names)
            .await?
            .into_iter()
            .map(convert::user)
            .collect(),
    ))
}

#[derive(Deserialize)]
pub struct AutocompleteQuery {
    in_team: Option<String>,
    in_channel: Option<String>,
    #[serde(default)]
    name: String,
    limit: Option<i64>,
}

/// Users matching a prefix, split by channel membership when a channel is given.
#[derive(Serialize)]
pub struct Autocomplete {
    users: Vec<MmUser>,
    #[serde(skip_serializing_if = "Option::is_none")]
    out_of_channel: Option<Vec<MmUser>>,
}

/// `GET /api/v4/users/autocomplete`
pub async fn autocomplete(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmQuery(q): MmQuery<AutocompleteQuery>,
) -> MmResult<Json<Autocomplete>> {
    let team = q.in_team.filter(|s| !s.is_empty());
    if let Some(t) = &team {
        check_id("in_team", t)?;
    }
    let limit = q.limit.unwrap_or(100).clamp(1, 200);
    let found = core
        .search_users(&actor, &q.name, team.as_deref(), limit)
        .await?;
    let Some(channel_id) = q.in_channel.filter(|s| !s.is_empty()) else {
        return Ok(Json(Autocomplete {
            users: found.into_iter().map(convert::user).collect(),
            out_of_channel: None,
        }));
    };
    check_id("in_channel", &channel_id)?;
    core.get_channel(&actor, &channel_id).await?;
    let (mut inside, mut outside) = (Vec::new(), Vec::new());
    for user in found {
        match core.store.get_channel_member(&channel_id, &user.id).await {
            Ok(_) => inside.push(convert::user(user)),
            Err(core_server::Error::NotFound { .. }) => outside.push(convert::user(user)),
            Err(e) => return Err(e.into()),
        }
    }
    Ok(Json(Autocomplete {
        users: inside,
        out_of_channel: Some(outside),
    }))
}

#[derive(Deserialize)]
pub struct SearchBody {
    #[serde(default)]
    term: String,
    team_id: Option<String>,
    not_in_team_id: Option<String>,
    in_channel_id: Option<String>,
    not_in_channel_id: Option<String>,
    #[serde(default)]
    allow_inactive: bool,
    #[serde(default)]
    without_team: bool,
    role: Option<String>,
    limit: Option<i64>,
}

/// Most users a search answers, as Mattermost's limit.
const MAX_SEARCH_LIMIT: i64 = 1000;

/// `POST /api/v4/users/search`: by the start of a name, within a team or
/// channel, or among those not in one (to add them), with deactivated
/// users only when `allow_inactive`.
pub async fn search(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmJson(body): MmJson<SearchBody>,
) -> MmResult<Json<Vec<MmUser>>> {
    let limit = match body.limit.unwrap_or(0) {
        0 => 100,
        n if (1..=MAX_SEARCH_LIMIT).contains(&n) => n,
        _ => return Err(MmError::invalid_body("limit")),
    };
    let team = given(body.team_id);
    let not_in_channel = given(body.not_in_channel_id);
    if not_in_channel.is_some() && team.is_none() {
        return Err(MmError::invalid_body("team_id"));
    }
    let in_channel = given(body.in_channel_id);
    let not_in_team = given(body.not_in_team_id);
    let role = given(body.role);
    let plain = in_channel.is_none()
        && not_in_channel.is_none()
        && not_in_team.is_none()
        && !body.without_team
        && !body.allow_inactive
        && role.is_none();
    let users = if plain {
        core.search_users(&actor, &body.term, team.as_deref(), limit)
            .await?
    } else {
        let filter = UserFilter {
            // A channel's own list needs no team around it.
            in_team: if in_channel.is_some() && not_in_channel.is_none() {
                None
            } else {
                team
            },
            not_in_team,
            in_channel,
            not_in_channel,
            without_team: body.without_team,
            active: if body.allow_inactive {
                None
            } else {
                Some(true)
            },
            role,
            term: Some(body.term),
        };
        let mut found = core.filtered_users(&actor, &filter).await?;
        found.truncate(usize::try_from(limit).unwrap_or(0));
        found
    };
    Ok(Json(users.into_iter().map(convert::user).collect()))
}

/// `GET /api/v4/users/{user_id}` (`me` for oneself), with an ETag.
pub async fn get(
    State(core): State<Core>,
    headers: HeaderMap,
    auth: MmAuth,
    MmPath(id): MmPath<String>,
) -> MmResult<Response> {
    let id = auth.user_id(&id);
    check_id("user_id", &id)?;
    let user = core.get_user(&auth.0, &id).await?;
    let tag = crate::etag::etag(&[&user.id, &user.update_at]);
    Ok(crate::etag::respond(&headers, tag, || convert::user(user)))
}

/// `GET /api/v4/users/username/{username}`
pub async fn by_username(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmPath(name): MmPath<String>,
) -> MmResult<Json<MmUser>> {
    Ok(Json(convert::user(
        core.get_user_by_username(&actor, &name).await?,
    )))
}

/// `GET /api/v4/users/email/{email}`
pub async fn by_email(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmPath(email): MmPath<String>,
) -> MmResult<Json<MmUser>> {
    Ok(Json(convert::user(
        core.get_user_by_email(&actor, &email).await?,
    )))
}

/// The fields of Mattermost's UserPatch.
#[derive(Deserialize)]
pub struct PatchBody {
    username: Option<String>,
    nickname: Option<String>,
    first_name: Option<String>,
    last_name: Option<String>,
    position: Option<String>,
    email: Option<String>,
    props: Option<StringMap>,
    notify_props: Option<StringMap>,
    locale: Option<String>,
    timezone: Option<StringMap>,
    /// Needed to change one's own e-mail address.
    password: Option<String>,
}

impl From<PatchBody> for UserPatch {
    fn from(b: PatchBody) -> Self {
        UserPatch {
            username: b.username,
            email: b.email,
            first_name: b.first_name,
            last_name: b.last_name,
            nickname: b.nickname,
            position: b.position,
            locale: b.locale,
            props: b.props,
            notify_props: b.notify_props,
            timezone: b.timezone,
            password: b.password,
        }
    }
}

/// `PUT /api/v4/users/{user_id}/patch`
pub async fn patch(
    State(core): State<Core>,
    auth: MmAuth,
    MmPath(id): MmPath<String>,
    MmJson(b): MmJson<PatchBody>,
) -> MmResult<Json<MmUser>> {
    let id = auth.user_id(&id);
    check_id("user_id", &id)?;
    Ok(Json(convert::user(
        core.patch_user(&auth.0, &id, b.into()).await?,
    )))
}

/// `DELETE /api/v4/users/{user_id}`: deactivates the account.
pub async fn deactivate(
    State(core): State<Core>,
    auth: MmAuth,
    MmPath(id): MmPath<String>,
) -> MmResult<Response> {
    let id = auth.user_id(&id);
    check_id("user_id", &id)?;
    core.deactivate_user(&auth.0, &id).await?;
    Ok(status_ok().into_response())
}

#[derive(Deserialize)]
pub struct PasswordBody {
    current_password: Option<String>,
    new_password: String,
}

/// `PUT /api/v4/users/{user_id}/password`
pub async fn password(
    State(core): State<Core>,
    auth: MmAuth,
    MmPath(id): MmPath<String>,
    MmJson(b): MmJson<PasswordBody>,
) -> MmResult<Response> {
    let id = auth.user_id(&id);
    check_id("user_id", &id)?;
    core.update_password(&auth.0, &id, b.current_password.as_deref(), &b.new_password)
        .await?;
    Ok(status_ok().into_response())
}

/// Mattermost's `Session`, with the token blanked.
#[derive(Serialize)]
pub struct MmSession {
    id: String,
    token: String,
    create_at: i64,
    expires_at: i64,
    last_activity_at: i64,
    user_id: String,
    device_id: String,
    roles: String,
    is_oauth: bool,
    expired_notify: bool,
    props: StringMap,
    team_members: Vec<Value>,
    local: bool,
}

/// `GET /api/v4/users/{user_id}/sessions`
pub async fn sessions(
    State(core): State<Core>,
    auth: MmAuth,
    MmPath(id): MmPath<String>,
) -> MmResult<Json<Vec<MmSession>>> {
    let id = auth.user_id(&id);
    check_id("user_id", &id)?;
    let list = core.list_sessions(&auth.0, &id).await?;
    Ok(Json(
        list.into_iter()
            .map(|s| {
                let core_server::model::Session {
                    id,
                    token_hash: _,
                    user_id,
                    create_at,
                    expires_at,
                    last_activity_at,
                    device_id,
                    roles,
                    mut props,
                } = s;
                props.remove("csrf");
                MmSession {
                    id,
                    token: String::new(),
                    create_at,
                    expires_at,
                    last_activity_at,
                    user_id,
                    device_id,
                    roles,
                    is_oauth: false,
                    expired_notify: false,
                    props,
                    team_members: Vec::new(),
                    local: false,
                }
            })
            .collect(),
    ))
}

#[derive(Deserialize)]
pub struct RevokeBody {
    session_id: String,
}

/// `POST /api/v4/users/{user_id}/sessions/revoke`
pub async fn revoke_session(
    State(core): State<Core>,
    auth: MmAuth,
    MmPath(id): MmPath<String>,
    MmJson(b): MmJson<RevokeBody>,
) -> MmResult<Response> {
    let id = auth.user_id(&id);
    check_id("user_id", &id)?;
    check_id("session_id", &b.session_id).map_err(|_| MmError::invalid_body("session_id"))?;
    core.revoke_session(&auth.0, &id, &b.session_id).await?;
    Ok(status_ok().into_response())
}

#[derive(Deserialize)]
pub struct DeviceBody {
    device_id: String,
}

/// `PUT /api/v4/users/sessions/device`: the mobile app registers its push token.
pub async fn attach_device(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmJson(b): MmJson<DeviceBody>,
) -> MmResult<Response> {
    core.attach_device(&actor, &b.device_id).await?;
    Ok(status_ok().into_response())
}

/// `GET /api/v4/users/{user_id}/status`
pub async fn status(
    State(core): State<Core>,
    auth: MmAuth,
    MmPath(id): MmPath<String>,
) -> MmResult<Json<MmStatus>> {
    let id = auth.user_id(&id);
    check_id("user_id", &id)?;
    Ok(Json(convert::status(core.get_status(&auth.0, &id).await?)))
}

#[derive(Deserialize)]
pub struct StatusBody {
    user_id: Option<String>,
    status: String,
    dnd_end_time: Option<i64>,
}

/// `PUT /api/v4/users/{user_id}/status`
pub async fn set_status(
    State(core): State<Core>,
    auth: MmAuth,
    MmPath(id): MmPath<String>,
    MmJson(b): MmJson<StatusBody>,
) -> MmResult<Json<MmStatus>> {
    let id = auth.user_id(&id);
    check_id("user_id", &id)?;
    if b.user_id.as_deref().is_some_and(|u| u != id) {
        return Err(MmError::invalid_body("user_id"));
    }
    let end = b.dnd_end_time.filter(|t| *t > 0);
    Ok(Json(convert::status(
        core.set_status(&auth.0, &id, &b.status, end).await?,
    )))
}

/// `POST /api/v4/users/status/ids`
pub async fn statuses(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmJson(ids): MmJson<Vec<String>>,
) -> MmResult<Json<Vec<MmStatus>>> {
    check_ids("user_ids", &ids)?;
    Ok(Json(
        core.get_statuses(&actor, &ids)
            .await?
            .into_iter()
            .map(convert::status)
            .collect(),
    ))
}

/// `GET /api/v4/users/{user_id}/preferences`
pub async fn preferences(
    State(core): State<Core>,
    auth: MmAuth,
    MmPath(id): MmPath<String>,
) -> MmResult<Json<Vec<Preference>>> {
    let id = auth.user_id(&id);
    check_id("user_id", &id)?;
    Ok(Json(core.list_preferences(&auth.0, &id).await?))
}

/// `GET /api/v4/users/{user_id}/preferences/{category}`
pub async fn preferences_in(
    State(core): State<Core>,
    auth: MmAuth,
    MmPath((id, category)): MmPath<(String, String)>,
) -> MmResult<Json<Vec<Preference>>> {
    let id = auth.user_id(&id);
    check_id("user_id", &id)?;
    let all = core.list_preferences(&auth.0, &id).await?;
    Ok(Json(
        all.into_iter().filter(|p| p.category == category).collect(),
    ))
}

/// `GET /api/v4/users/{user_id}/preferences/{category}/name/{preference_name}`: one preference.
pub async fn preference(
    State(core): State<Core>,
    auth: MmAuth,
    MmPath((id, category, name)): MmPath<(String, String, String)>,
) -> MmResult<Json<Preference>> {
    let id = auth.user_id(&id);
    check_id("user_id", &id)?;
    let all = core.list_preferences(&auth.0, &id).await?;
    all.into_iter()
        .find(|p| p.category == category && p.name == name)
        .map(Json)
        .ok_or_else(|| {
            MmError::new(
                StatusCode::NOT_FOUND,
                "app.preference.get.app_error",
                "Unable to get the preference.",
            )
        })
}

/// `PUT /api/v4/users/{user_id}/preferences`
pub async fn save_preferences(
    State(core): State<Core>,
    auth: MmAuth,
    MmPath(id): MmPath<String>,
    MmJson(prefs): MmJson<Vec<Preference>>,
) -> MmResult<Response> {
    let id = auth.user_id(&id);
    check_id("user_id", &id)?;
    core.save_preferences(&auth.0, &id, prefs).await?;
    Ok(status_ok().into_response())
}

/// `POST /api/v4/users/{user_id}/preferences/delete`
pub async fn delete_preferences(
    State(core): State<Core>,
    auth: MmAuth,
    MmPath(id): MmPath<String>,
    MmJson(prefs): MmJson<Vec<Preference>>,
) -> MmResult<Response> {
    let id = auth.user_id(&id);
    check_id("user_id", &id)?;
    core.delete_preferences(&auth.0, &id, prefs).await?;
    Ok(status_ok().into_response())
}

/// `POST /api/v4/users/group_channels`: the other members of each group message.
pub async fn group_channel_members(
    State(core): State<Core>,
    MmAuth(actor): MmAuth,
    MmJson(channel_ids): MmJson<Vec<String>>,
) -> MmResult<Json<BTreeMap<String, Vec<MmUser>>>> {
    if channel_ids.len() > 200 {
        return Err(MmError::invalid_body("channel_ids"));
    }
    let mut out = BTreeMap::new();
    for channel_id in channel_ids {
        check_id("channel_ids", &channel_id).map_err(|_| MmError::invalid_body("channel_ids"))?;
        let users = core.list_channel_users(&actor, &channel_id, 0, 200).await?;
        let others = users
            .into_iter()
            .filter(|u| u.id != actor.user.id)
            .map(convert::user)
            .collect();
        out.insert(channel_id, others);
    }
    Ok(Json(out))
}

/// `GET /api/v4/users/{user_id}/image`: the uploaded picture, else a generated one.
pub async fn image(
    State(core): State<Core>,
    auth: MmAuth,
    MmPath(id): MmPath<String>,
) -> MmResult<Response> {
    let id = auth.user_id(&id);
    check_id("user_id", &id)?;
    let (content_type, bytes, updated) = core.picture(&auth.0, &id).await?;
    Ok(image_response(&content_type, bytes, updated))
}

/// `GET /api/v4/users/{user_id}/image/default`: the generated picture.
pub async fn default_image(
    State(core): State<Core>,
    auth: MmAuth,
    MmPath(id): MmPath<String>,
) -> MmResult<Response> {
    let id = auth.user_id(&id);
    check_id("user_id", &id)?;
    let user = core.get_user(&auth.0, &id).await?;
    let png = core_server::avatar::default_avatar_png(&user.id, &user.username);
    Ok(image_response("image/png", png, 0))
}

fn image_response(content_type: &str, bytes: Vec<u8>, updated: i64) -> Response {
    let mut response = bytes.into_response();
    let h = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(content_type) {
        h.insert(header::CONTENT_TYPE, v);
    }
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("max-age=86400, private"),
    );
    if let Ok(etag) = HeaderValue::from_str(&format!("{}.{updated}", crate::context::VERSION)) {
        h.insert(header::ETAG, etag);
    }
    response
}

/// `POST /api/v4/users/{user_id}/image`: multipart `image`.
pub async fn set_image(
    State(core): State<Core>,
    auth: MmAuth,
    MmPath(id): MmPath<String>,
    form: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> MmResult<Response> {
    let id = auth.user_id(&id);
    check_id("user_id", &id)?;
    if !auth.0.is_self_or_admin(&id) {
        return Err(MmError::forbidden());
    }
    let mut form = form.map_err(|_| MmError::invalid_body("image"))?;
    let mut image = None;
    while let Some(field) = form
        .next_field()
        .await
        .map_err(|_| MmError::invalid_body("image"))?
    {
        if field.name() == Some("image") {
            let bytes = field.bytes().await.map_err(|e| {
                if e.body_text().contains("length limit") {
                    MmError::from(core_server::Error::TooLarge(
                        "the picture is too large".into(),
                    ))
                } else {
                    MmError::invalid_body("image")
                }
            })?;
            image = Some(bytes);
        }
    }
    let image = image.ok_or_else(|| MmError::invalid_body("image"))?;
    core.set_picture(&auth.0, &id, &image).await?;
    Ok(status_ok().into_response())
}

/// `DELETE /api/v4/users/{user_id}/image`: back to the generated picture.
pub async fn reset_image(
    State(core): State<Core>,
    auth: MmAuth,
    MmPath(id): MmPath<String>,
) -> MmResult<Response> {
    let id = auth.user_id(&id);
    check_id("user_id", &id)?;
    core.reset_picture(&auth.0, &id).await?;
    Ok(status_ok().into_response())
}

/// `POST /api/v4/users/{user_id}/reset_failed_attempts`: unlocks an account
/// locked by failed logins.
pub async fn reset_failed_attempts(
    State(core): State<Core>,
    auth: MmAuth,
    MmPath(id): MmPath<String>,
) -> MmResult<Response> {
    let id = auth.user_id(&id);
    check_id("user_id", &id)?;
    core.reset_failed_logins(&auth.0, &id).await?;
    Ok(status_ok().into_response())
}
