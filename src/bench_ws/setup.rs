//! What a run needs on the server: the admin, the bench team, channel and
//! users, found by name first so re-runs reuse them.

use std::sync::Arc;
use std::time::Instant;

use anyhow::{bail, Context};
use futures::{stream, StreamExt};
use reqwest::Method;
use serde_json::{json, Value};

use super::api::{field, Api, Session};
use super::CommonArgs;

/// Setup requests in flight: logins hash passwords, so more would only queue
/// on the server's cores.
pub(super) const SETUP_CONCURRENCY: usize = 8;
/// Team, channel and user names, fixed so re-runs reuse what earlier runs made.
const TEAM_NAME: &str = "bench-ws";
const CHANNEL_NAME: &str = "bench-ws-fanout";
const USER_PREFIX: &str = "benchws";

/// Everything a run needs on the server: an admin session, the bench team
/// and logged-in bench users.
pub(super) struct Setup {
    pub(super) admin: Session,
    team_id: String,
    pub(super) users: Vec<Session>,
}

impl Setup {
    /// The session of socket `i`: sockets go round robin over the users.
    pub(super) fn token(&self, i: usize) -> Arc<str> {
        match self.users.get(i % self.users.len().max(1)) {
            Some(user) => user.token.clone(),
            None => self.admin.token.clone(),
        }
    }
}

/// Logs in the admin (creating it if needed), finds or creates the team and
/// the bench users, and logs every user in. Objects are looked up by name
/// first so that re-runs against the same server reuse them.
pub(super) async fn setup(api: &Api, common: &CommonArgs) -> anyhow::Result<Setup> {
    if common.users == 0 {
        bail!("--users must be at least 1");
    }
    let started = Instant::now();
    let admin = admin_session(api, &common.admin, &common.password).await?;
    let team_id = ensure_team(api, &admin.token).await?;
    eprintln!(
        "bench: preparing {} users in team {TEAM_NAME} at {}",
        common.users, api.base
    );
    let admin_token: &str = &admin.token;
    let team: &str = &team_id;
    let password: &str = &common.password;
    let results: Vec<anyhow::Result<Session>> = stream::iter(0..common.users)
        .map(move |i| bench_user(api, admin_token, team, i, password))
        .buffered(SETUP_CONCURRENCY)
        .collect()
        .await;
    let users = results.into_iter().collect::<anyhow::Result<Vec<_>>>()?;
    eprintln!(
        "bench: {} users ready in {:.1}s",
        users.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(Setup {
        admin,
        team_id,
        users,
    })
}

/// The admin's session, creating the account when it cannot log in.
pub(crate) async fn admin_session(
    api: &Api,
    admin: &str,
    password: &str,
) -> anyhow::Result<Session> {
    if let Some(session) = api.login(admin, password).await? {
        return Ok(session);
    }
    let body = json!({
        "email": format!("{admin}@bench.invalid"),
        "username": admin,
        "password": password,
    });
    api.call(Method::POST, "/api/v4/users", None, Some(body))
        .await
        .with_context(|| {
            format!(
                "cannot log in as {admin}, nor create that user: pass the --admin and --password of an existing admin"
            )
        })?;
    api.login(admin, password)
        .await?
        .with_context(|| format!("created user {admin} but cannot log in as it"))
}

/// The bench team's id, creating the team when it does not exist.
async fn ensure_team(api: &Api, token: &str) -> anyhow::Result<String> {
    let team = match api
        .find(&format!("/api/v4/teams/name/{TEAM_NAME}"), token)
        .await?
    {
        Some(team) => team,
        None => api
            .call(
                Method::POST,
                "/api/v4/teams",
                Some(token),
                Some(json!({"name": TEAM_NAME, "display_name": "Bench WS", "type": "O"})),
            )
            .await
            .context("cannot create the bench team")?,
    };
    field(&team, "id")
}

/// Finds or creates bench user `i`, makes sure it is in the team (adding an
/// existing member is a no-op) and logs it in.
async fn bench_user(
    api: &Api,
    admin_token: &str,
    team_id: &str,
    i: usize,
    password: &str,
) -> anyhow::Result<Session> {
    let username = format!("{USER_PREFIX}{i}");
    let found = api
        .find(&format!("/api/v4/users/username/{username}"), admin_token)
        .await?;
    let user = match found {
        Some(user) => user,
        None => {
            let body = json!({
                "email": format!("{username}@bench.invalid"),
                "username": username,
                "password": password,
            });
            api.call(Method::POST, "/api/v4/users", Some(admin_token), Some(body))
                .await
                .with_context(|| format!("cannot create user {username}"))?
        }
    };
    let user_id = field(&user, "id")?;
    api.call(
        Method::POST,
        &format!("/api/v4/teams/{team_id}/members"),
        Some(admin_token),
        Some(json!({"team_id": team_id, "user_id": user_id})),
    )
    .await
    .with_context(|| format!("cannot add {username} to team {TEAM_NAME}"))?;
    api.login(&username, password).await?.with_context(|| {
        format!("cannot log in as {username}: it exists with another password (use a fresh server, or the --password it was created with)")
    })
}

/// Finds or creates the bench channel and makes the admin (the poster) and
/// every bench user members.
pub(super) async fn ensure_channel(api: &Api, setup: &Setup) -> anyhow::Result<String> {
    let token: &str = &setup.admin.token;
    let team_id = setup.team_id.as_str();
    let found = api
        .find(
            &format!("/api/v4/teams/{team_id}/channels/name/{CHANNEL_NAME}"),
            token,
        )
        .await?;
    let channel = match found {
        Some(channel) => channel,
        None => api
            .call(
                Method::POST,
                "/api/v4/channels",
                Some(token),
                Some(json!({
                    "team_id": team_id,
                    "name": CHANNEL_NAME,
                    "display_name": "Bench WS fan-out",
                    "type": "O",
                })),
            )
            .await
            .context("cannot create the bench channel")?,
    };
    let channel_id = field(&channel, "id")?;
    let path = format!("/api/v4/channels/{channel_id}/members");
    // The admin first and alone: it must be a member before it can add others.
    api.call(
        Method::POST,
        &path,
        Some(token),
        Some(json!({"user_id": setup.admin.user_id})),
    )
    .await
    .context("cannot add the admin to the bench channel")?;
    let path = path.as_str();
    let results: Vec<anyhow::Result<Value>> = stream::iter(&setup.users)
        .map(move |user| {
            api.call(
                Method::POST,
                path,
                Some(token),
                Some(json!({"user_id": user.user_id})),
            )
        })
        .buffered(SETUP_CONCURRENCY)
        .collect()
        .await;
    for result in results {
        result.context("cannot add a bench user to the bench channel")?;
    }
    Ok(channel_id)
}
