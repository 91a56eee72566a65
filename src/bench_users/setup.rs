//! The set-up data: teams, their channels with a few posts each, and the
//! bench users, members of every team and of some of its channels. Objects
//! are found by name first, so re-runs against one server reuse them.

use std::sync::{PoisonError, RwLock};
use std::time::Instant;

use anyhow::{bail, Context};
use futures::{stream, StreamExt};
use rand::rngs::StdRng;
use rand::SeedableRng;
use reqwest::Method;
use serde_json::{json, Value};

use crate::bench_ws::api::{field, Api, Session};
use crate::bench_ws::setup::admin_session;

use super::words;

/// Set-up requests in flight: creating users hashes passwords, so more would
/// only queue on the server's cores.
const SETUP_CONCURRENCY: usize = 8;
/// Members added per batch request (the server takes up to 200).
const BATCH: usize = 100;
/// Posts written into each channel at set-up, a fifth of them replies, so
/// the first views, reactions and threads have something to work on.
const SEED_POSTS: usize = 20;
pub(super) const USER_PREFIX: &str = "benchuser";

pub(super) struct Channel {
    pub(super) id: String,
    pub(super) name: String,
}

pub(super) struct Team {
    pub(super) id: String,
    pub(super) channels: Vec<Channel>,
}

/// What the simulated users share: the teams and channels, and the bench
/// users made so far.
pub(super) struct World {
    pub(super) teams: Vec<Team>,
    /// Channels of each team every user is a member of.
    pub(super) user_channels: usize,
    pub(super) password: String,
    user_ids: RwLock<Vec<String>>,
}

impl World {
    /// The channels (indexes into its team's list) of user `i` in a team of
    /// `n` channels: `user_channels` of them, spread evenly, shifted by `i`.
    pub(super) fn channels_of(&self, i: usize, n: usize) -> Vec<usize> {
        channels_of(i, n, self.user_channels)
    }

    /// Bench user `i`'s id, once made.
    pub(super) fn user_id(&self, i: usize) -> Option<String> {
        self.user_ids
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .get(i)
            .cloned()
    }

    pub(super) fn users(&self) -> usize {
        self.user_ids
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }
}

/// `k` of `n` channels for user `i`, evenly spread and distinct.
pub(super) fn channels_of(i: usize, n: usize, k: usize) -> Vec<usize> {
    if n == 0 {
        return Vec::new();
    }
    let k = k.clamp(1, n);
    let stride = n / k;
    (0..k).map(|j| (i + j * stride) % n).collect()
}

/// Logs in the admin (creating it on a fresh server), and finds or creates
/// the teams and channels, seeding each new channel with posts.
pub(super) async fn prepare(
    api: &Api,
    admin: &str,
    password: &str,
    teams: usize,
    channels: usize,
    user_channels: usize,
) -> anyhow::Result<(Session, World)> {
    if teams == 0 || channels == 0 {
        bail!("--teams and --channels must be at least 1");
    }
    let session = admin_session(api, admin, password).await?;
    let token: &str = &session.token;
    let mut rng = StdRng::seed_from_u64(7);
    let mut out = Vec::new();
    for t in 0..teams {
        let name = format!("bench-users-{t}");
        let team = match api.find(&format!("/api/v4/teams/name/{name}"), token).await? {
            Some(team) => team,
            None => api
                .call(
                    Method::POST,
                    "/api/v4/teams",
                    Some(token),
                    Some(json!({"name": name, "display_name": format!("Bench users {t}"), "type": "O"})),
                )
                .await
                .with_context(|| format!("cannot create team {name}"))?,
        };
        let team_id = field(&team, "id")?;
        let mut list = Vec::new();
        for c in 0..channels {
            let name = format!("bench-users-{t}-{c}");
            let path = format!("/api/v4/teams/{team_id}/channels/name/{name}");
            let channel = match api.find(&path, token).await? {
                Some(channel) => channel,
                None => {
                    let channel = api
                        .call(
                            Method::POST,
                            "/api/v4/channels",
                            Some(token),
                            Some(json!({
                                "team_id": team_id,
                                "name": name,
                                "display_name": format!("Bench {t}-{c}"),
                                "type": "O",
                            })),
                        )
                        .await
                        .with_context(|| format!("cannot create channel {name}"))?;
                    seed(api, token, &field(&channel, "id")?, &mut rng).await?;
                    channel
                }
            };
            list.push(Channel {
                id: field(&channel, "id")?,
                name,
            });
        }
        out.push(Team {
            id: team_id,
            channels: list,
        });
    }
    Ok((
        session,
        World {
            teams: out,
            user_channels,
            password: password.to_string(),
            user_ids: RwLock::new(Vec::new()),
        },
    ))
}

/// Writes the seed posts of a new channel as the admin.
async fn seed(api: &Api, token: &str, channel_id: &str, rng: &mut StdRng) -> anyhow::Result<()> {
    let mut roots: Vec<String> = Vec::new();
    for n in 0..SEED_POSTS {
        let mut body = json!({"channel_id": channel_id, "message": words::message(false, rng)});
        if n % 5 == 4 {
            if let Some(root) = roots.last() {
                body["root_id"] = Value::from(root.as_str());
            }
        }
        let post = api
            .call(Method::POST, "/api/v4/posts", Some(token), Some(body))
            .await
            .context("cannot write the seed posts")?;
        if n % 5 != 4 {
            roots.push(field(&post, "id")?);
        }
    }
    Ok(())
}

/// Makes bench users up to `target` (finding those a previous run made),
/// and makes them members of every team and of their channels.
pub(super) async fn grow_users(
    api: &Api,
    admin: &Session,
    world: &World,
    target: usize,
) -> anyhow::Result<()> {
    let from = world.users();
    if target <= from {
        return Ok(());
    }
    let started = Instant::now();
    let token: &str = &admin.token;
    let password = world.password.as_str();
    let made: Vec<anyhow::Result<String>> = stream::iter(from..target)
        .map(|i| bench_user(api, token, i, password))
        .buffered(SETUP_CONCURRENCY)
        .collect()
        .await;
    let ids = made.into_iter().collect::<anyhow::Result<Vec<_>>>()?;
    for team in &world.teams {
        for chunk in ids.chunks(BATCH) {
            let body: Vec<Value> = chunk
                .iter()
                .map(|id| json!({"team_id": team.id, "user_id": id}))
                .collect();
            api.call(
                Method::POST,
                &format!("/api/v4/teams/{}/members/batch", team.id),
                Some(token),
                Some(Value::from(body)),
            )
            .await
            .context("cannot add bench users to a bench team")?;
        }
        let n = team.channels.len();
        let mut members: Vec<Vec<&str>> = vec![Vec::new(); n];
        for (offset, id) in ids.iter().enumerate() {
            for c in world.channels_of(from + offset, n) {
                if let Some(list) = members.get_mut(c) {
                    list.push(id);
                }
            }
        }
        for (channel, users) in team.channels.iter().zip(&members) {
            for chunk in users.chunks(BATCH) {
                api.call(
                    Method::POST,
                    &format!("/api/v4/channels/{}/members", channel.id),
                    Some(token),
                    Some(json!({"user_ids": chunk})),
                )
                .await
                .with_context(|| format!("cannot add bench users to {}", channel.name))?;
            }
        }
    }
    world
        .user_ids
        .write()
        .unwrap_or_else(PoisonError::into_inner)
        .extend(ids);
    eprintln!(
        "bench: users {from}..{target} made in {:.1}s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Finds or creates bench user `i`; its id.
async fn bench_user(
    api: &Api,
    admin_token: &str,
    i: usize,
    password: &str,
) -> anyhow::Result<String> {
    let username = format!("{USER_PREFIX}{i}");
    if let Some(user) = api
        .find(&format!("/api/v4/users/username/{username}"), admin_token)
        .await?
    {
        return field(&user, "id");
    }
    let body = json!({
        "email": format!("{username}@bench.invalid"),
        "username": username,
        "password": password,
    });
    let user = api
        .call(Method::POST, "/api/v4/users", Some(admin_token), Some(body))
        .await
        .with_context(|| format!("cannot create user {username}"))?;
    field(&user, "id")
}
