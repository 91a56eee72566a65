//! What each action sends: the v4 requests of the matching load-test-ng
//! action, in its order, driven by what the user has seen so far (the
//! posts of its channels, its own posts, its threads).

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::Rng;
use reqwest::Method;
use serde::Deserialize;
use serde_json::{json, Value};

use super::client::{Client, Failed};
use super::model::{keystroke, scroll_pause, Action, REPLY_SHARE};
use super::setup::{World, USER_PREFIX};
use super::words;

/// Posts remembered per channel, newest last: what replies, reactions and
/// edits pick from.
const KNOWN_POSTS: usize = 30;
/// Threads and own posts remembered.
const KNOWN_THREADS: usize = 25;
const OWN_POSTS: usize = 20;
/// Authors whose status and profile the user has fetched.
const KNOWN_AUTHORS: usize = 500;

/// A post, down to what the actions use.
#[derive(Clone, Deserialize)]
pub(super) struct PostRef {
    id: String,
    #[serde(default)]
    root_id: String,
    #[serde(default)]
    user_id: String,
    #[serde(default)]
    create_at: i64,
}

#[derive(Deserialize)]
struct PostList {
    #[serde(default)]
    posts: HashMap<String, PostRef>,
}

#[derive(Deserialize)]
struct ThreadRef {
    id: String,
    #[serde(default)]
    last_reply_at: i64,
}

#[derive(Deserialize)]
struct ThreadList {
    #[serde(default)]
    threads: Vec<ThreadRef>,
}

#[derive(Deserialize)]
struct IdOnly {
    id: String,
}

#[derive(Default)]
struct ChannelSeen {
    posts: Vec<PostRef>,
    /// When the user last viewed the channel (ms), 0 before the first view.
    viewed_at: i64,
}

/// One simulated user's session and what it has seen.
pub(super) struct User {
    pub(super) index: usize,
    pub(super) user_id: String,
    pub(super) token: Arc<str>,
    pub(super) rng: StdRng,
    /// Idle-time multiplier (load-test-ng's per-user rate).
    pub(super) rate: f64,
    team: usize,
    /// The channel on screen.
    pub(super) channel: Option<String>,
    channels: HashMap<String, ChannelSeen>,
    own_posts: Vec<String>,
    threads: Vec<(String, i64)>,
    authors: HashSet<String>,
    direct: Option<String>,
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

fn parse<T: for<'de> Deserialize<'de>>(body: &[u8]) -> Result<T, Failed> {
    serde_json::from_slice(body).map_err(|_| Failed)
}

fn push_capped<T>(list: &mut Vec<T>, item: T, cap: usize) {
    if list.len() >= cap {
        list.remove(0);
    }
    list.push(item);
}

impl User {
    pub(super) fn new(
        index: usize,
        user_id: String,
        token: Arc<str>,
        rng: StdRng,
        rate: f64,
        teams: usize,
    ) -> User {
        User {
            index,
            user_id,
            token,
            rng,
            rate,
            team: index % teams.max(1),
            channel: None,
            channels: HashMap::new(),
            own_posts: Vec::new(),
            threads: Vec::new(),
            authors: HashSet::new(),
            direct: None,
        }
    }

    /// The webapp's first screen after login: the team's data, then a
    /// channel. Recorded under `slot`.
    pub(super) async fn start(&mut self, c: &Client, w: &World, slot: usize) -> Result<(), Failed> {
        self.load_team(c, w, slot).await?;
        self.switch_channel(c, w, slot).await
    }

    /// Runs one action; its requests are recorded under the action.
    pub(super) async fn run(
        &mut self,
        action: Action,
        c: &Client,
        w: &World,
    ) -> Result<(), Failed> {
        let a = action.index();
        c.stats.action_run(a);
        match action {
            Action::SwitchChannel => self.switch_channel(c, w, a).await,
            Action::ScrollChannel => self.scroll_channel(c, a).await,
            Action::OpenDirectChannel => self.open_direct(c, w, a).await,
            Action::UnreadCheck => self.unread_check(c, w, a).await,
            Action::CreatePost => self.create_post(c, a).await,
            Action::ViewGlobalThreads => self.view_global_threads(c, w, a).await,
            Action::UpdateThreadRead => self.update_thread_read(c, w, a).await,
            Action::ViewThread => self.view_thread(c, w, a).await,
            Action::ReconnectWebSocket => self.after_reconnect(c, w, a).await,
            Action::AddReaction => self.add_reaction(c, a).await,
            Action::EditPost => self.edit_post(c, a).await,
            Action::SearchUsers => self.search_users(c, w, a).await,
            Action::SearchPosts => self.search_posts(c, w, a).await,
            Action::SearchChannels => self.search_channels(c, w, a).await,
            Action::SwitchTeam => self.switch_team(c, w, a).await,
        }
    }

    async fn get(&self, c: &Client, a: usize, path: &str) -> Result<bytes::Bytes, Failed> {
        c.send(a, Method::GET, path, &self.token, None).await
    }

    async fn post(
        &self,
        c: &Client,
        a: usize,
        path: &str,
        body: &Value,
    ) -> Result<bytes::Bytes, Failed> {
        c.send(a, Method::POST, path, &self.token, Some(body)).await
    }

    async fn put(
        &self,
        c: &Client,
        a: usize,
        path: &str,
        body: &Value,
    ) -> Result<bytes::Bytes, Failed> {
        c.send(a, Method::PUT, path, &self.token, Some(body)).await
    }

    fn team_id<'w>(&self, w: &'w World) -> &'w str {
        w.teams.get(self.team).map_or("", |t| t.id.as_str())
    }

    /// Remembers posts of a channel; the authors not seen before.
    fn remember(&mut self, channel: &str, list: PostList) -> Vec<String> {
        let mut posts: Vec<PostRef> = list.posts.into_values().collect();
        posts.sort_by_key(|p| p.create_at);
        let mut new_authors = Vec::new();
        for p in &posts {
            if !p.user_id.is_empty()
                && self.authors.len() < KNOWN_AUTHORS
                && self.authors.insert(p.user_id.clone())
            {
                new_authors.push(p.user_id.clone());
            }
        }
        let seen = self.channels.entry(channel.to_string()).or_default();
        for p in posts {
            if !p.root_id.is_empty() {
                let root = p.root_id.clone();
                if !self.threads.iter().any(|(t, _)| *t == root) {
                    push_capped(&mut self.threads, (root, p.create_at), KNOWN_THREADS);
                }
            }
            if !seen.posts.iter().any(|q| q.id == p.id) {
                push_capped(&mut seen.posts, p, KNOWN_POSTS);
            }
        }
        new_authors
    }

    /// Statuses and profiles of authors the user has not seen yet, as the
    /// webapp fetches them after loading posts.
    async fn fetch_authors(
        &self,
        c: &Client,
        a: usize,
        authors: Vec<String>,
    ) -> Result<(), Failed> {
        if authors.is_empty() {
            return Ok(());
        }
        let ids = Value::from(authors);
        self.post(c, a, "/api/v4/users/status/ids", &ids).await?;
        self.post(c, a, "/api/v4/users/ids", &ids).await?;
        Ok(())
    }

    /// load-test-ng's viewChannel: mark the current channel viewed, load
    /// the new channel's posts (around the last unread the first time,
    /// since the last view after), its authors, its stats, and view it.
    async fn view_channel(&mut self, c: &Client, a: usize, channel: &str) -> Result<(), Failed> {
        let previous = self.channel.clone().unwrap_or_default();
        if !previous.is_empty() {
            self.post(
                c,
                a,
                "/api/v4/channels/members/me/view",
                &json!({"channel_id": previous}),
            )
            .await?;
        }
        let viewed_at = self.channels.get(channel).map_or(0, |s| s.viewed_at);
        let path = if viewed_at == 0 {
            format!(
                "/api/v4/users/{}/channels/{channel}/posts/unread?limit_before=30&limit_after=30&collapsedThreads=true",
                self.user_id
            )
        } else {
            format!("/api/v4/channels/{channel}/posts?since={viewed_at}&collapsedThreads=true")
        };
        let body = self.get(c, a, &path).await?;
        let authors = self.remember(channel, parse(&body)?);
        self.fetch_authors(c, a, authors).await?;
        self.get(
            c,
            a,
            &format!("/api/v4/channels/{channel}/stats?exclude_files_count=true"),
        )
        .await?;
        self.post(
            c,
            a,
            "/api/v4/channels/members/me/view",
            &json!({"channel_id": channel, "prev_channel_id": previous}),
        )
        .await?;
        self.channels
            .entry(channel.to_string())
            .or_default()
            .viewed_at = now_ms();
        self.channel = Some(channel.to_string());
        Ok(())
    }

    /// A channel of the current team the user is in, other than the
    /// current one when there is a choice.
    fn other_channel(&mut self, w: &World) -> Option<String> {
        let team = w.teams.get(self.team)?;
        let mine = w.channels_of(self.index, team.channels.len());
        let choices: Vec<&str> = mine
            .iter()
            .filter_map(|&i| team.channels.get(i))
            .map(|ch| ch.id.as_str())
            .filter(|id| self.channel.as_deref() != Some(*id))
            .collect();
        let pick = choices.choose(&mut self.rng).copied().or_else(|| {
            mine.first()
                .and_then(|&i| team.channels.get(i))
                .map(|ch| ch.id.as_str())
        })?;
        Some(pick.to_string())
    }

    async fn switch_channel(&mut self, c: &Client, w: &World, a: usize) -> Result<(), Failed> {
        let Some(channel) = self.other_channel(w) else {
            return Ok(());
        };
        self.view_channel(c, a, &channel).await
    }

    /// 1 to 5 pages of older posts, 1 to 10 s apart.
    async fn scroll_channel(&mut self, c: &Client, a: usize) -> Result<(), Failed> {
        let Some(channel) = self.channel.clone() else {
            return Ok(());
        };
        let scrolls = self.rng.gen_range(1..=5);
        for n in 0..scrolls {
            let oldest = self
                .channels
                .get(&channel)
                .and_then(|s| s.posts.first())
                .map(|p| p.id.clone());
            let Some(oldest) = oldest else {
                return Ok(());
            };
            let body = self
                .get(
                    c,
                    a,
                    &format!("/api/v4/channels/{channel}/posts?before={oldest}&page=0&per_page=30&collapsedThreads=true"),
                )
                .await?;
            let list: PostList = parse(&body)?;
            let older: Vec<PostRef> = list.posts.into_values().collect();
            if older.is_empty() {
                return Ok(());
            }
            let new_authors: Vec<String> = older
                .iter()
                .filter(|p| {
                    !p.user_id.is_empty()
                        && self.authors.len() < KNOWN_AUTHORS
                        && !self.authors.contains(&p.user_id)
                })
                .map(|p| p.user_id.clone())
                .collect::<HashSet<_>>()
                .into_iter()
                .collect();
            self.authors.extend(new_authors.iter().cloned());
            self.fetch_authors(c, a, new_authors).await?;
            // Older pages go in front: the list stays oldest first.
            let seen = self.channels.entry(channel.clone()).or_default();
            let mut older = older;
            older.sort_by_key(|p| p.create_at);
            older.truncate(KNOWN_POSTS);
            let keep = KNOWN_POSTS.saturating_sub(older.len());
            let newer: Vec<PostRef> = seen.posts.iter().take(keep).cloned().collect();
            older.extend(newer);
            seen.posts = older;
            if n + 1 < scrolls {
                tokio::time::sleep(scroll_pause(&mut self.rng)).await;
            }
        }
        Ok(())
    }

    /// Opens the user's direct channel with its neighbour (made on first
    /// use: the set-up has no direct channels), as a view.
    async fn open_direct(&mut self, c: &Client, w: &World, a: usize) -> Result<(), Failed> {
        let partner_index = self.index.checked_sub(1).unwrap_or(1);
        let Some(partner) = w
            .user_id(partner_index)
            .filter(|_| partner_index != self.index)
        else {
            return Ok(());
        };
        let channel = match &self.direct {
            Some(id) => id.clone(),
            None => {
                let body = self
                    .post(
                        c,
                        a,
                        "/api/v4/channels/direct",
                        &json!([self.user_id, partner]),
                    )
                    .await?;
                let id = parse::<IdOnly>(&body)?.id;
                self.direct = Some(id.clone());
                id
            }
        };
        self.view_channel(c, a, &channel).await?;
        let prefs = json!([
            {"user_id": self.user_id, "category": "direct_channel_show", "name": partner, "value": "true"},
            {"user_id": self.user_id, "category": "channel_open_time", "name": channel, "value": now_ms().to_string()},
        ]);
        self.put(
            c,
            a,
            &format!("/api/v4/users/{}/preferences", self.user_id),
            &prefs,
        )
        .await?;
        Ok(())
    }

    /// The requests of a return to the app's tab: channels, memberships,
    /// and a view of the current channel.
    async fn unread_check(&mut self, c: &Client, w: &World, a: usize) -> Result<(), Failed> {
        let (uid, tid) = (&self.user_id, self.team_id(w));
        self.get(
            c,
            a,
            &format!("/api/v4/users/{uid}/teams/{tid}/channels?include_deleted=true"),
        )
        .await?;
        self.get(
            c,
            a,
            &format!("/api/v4/users/{uid}/teams/{tid}/channels/members"),
        )
        .await?;
        if let Some(channel) = &self.channel {
            self.post(
                c,
                a,
                "/api/v4/channels/members/me/view",
                &json!({"channel_id": channel}),
            )
            .await?;
        }
        Ok(())
    }

    /// A post in the current channel, a reply in a thread for a share of
    /// them (the typing event went out on the socket just before).
    async fn create_post(&mut self, c: &Client, a: usize) -> Result<(), Failed> {
        let Some(channel) = self.channel.clone() else {
            return Ok(());
        };
        let reply = self.rng.gen_bool(REPLY_SHARE);
        let mut body =
            json!({"channel_id": channel, "message": words::message(reply, &mut self.rng)});
        if reply {
            let root = self
                .channels
                .get(&channel)
                .and_then(|s| s.posts.choose(&mut self.rng))
                .map(|p| {
                    if p.root_id.is_empty() {
                        p.id.clone()
                    } else {
                        p.root_id.clone()
                    }
                });
            match root {
                Some(root) => body["root_id"] = Value::from(root),
                None => return Ok(()),
            }
        }
        let created = self.post(c, a, "/api/v4/posts", &body).await?;
        let post: PostRef = parse(&created)?;
        push_capped(&mut self.own_posts, post.id.clone(), OWN_POSTS);
        if !post.root_id.is_empty() && !self.threads.iter().any(|(t, _)| *t == post.root_id) {
            push_capped(
                &mut self.threads,
                (post.root_id.clone(), post.create_at),
                KNOWN_THREADS,
            );
        }
        let seen = self.channels.entry(channel).or_default();
        push_capped(&mut seen.posts, post, KNOWN_POSTS);
        Ok(())
    }

    fn threads_path(&self, w: &World, query: &str) -> String {
        format!(
            "/api/v4/users/{}/teams/{}/threads?{query}",
            self.user_id,
            self.team_id(w)
        )
    }

    /// A page of the user's threads; remembered.
    async fn thread_page(
        &mut self,
        c: &Client,
        w: &World,
        a: usize,
        query: &str,
    ) -> Result<Option<String>, Failed> {
        let body = self.get(c, a, &self.threads_path(w, query)).await?;
        let list: ThreadList = parse(&body)?;
        let oldest = list.threads.last().map(|t| t.id.clone());
        for t in list.threads {
            if !self.threads.iter().any(|(id, _)| *id == t.id) {
                push_capped(&mut self.threads, (t.id, t.last_reply_at), KNOWN_THREADS);
            }
        }
        Ok(oldest)
    }

    /// The global threads screen: all threads, then the unread tab, each
    /// scrolled 1 to 3 pages, 1 to 10 s apart.
    async fn view_global_threads(&mut self, c: &Client, w: &World, a: usize) -> Result<(), Failed> {
        for unread in [false, true] {
            let base = format!("pageSize=25&threadsOnly=true&unread={unread}");
            let mut oldest = self.thread_page(c, w, a, &base).await?;
            let scrolls = self.rng.gen_range(1..=3);
            for _ in 0..scrolls {
                let Some(before) = oldest else { break };
                tokio::time::sleep(scroll_pause(&mut self.rng)).await;
                oldest = self
                    .thread_page(c, w, a, &format!("{base}&before={before}"))
                    .await?;
            }
        }
        Ok(())
    }

    /// A known thread, fetching the first page of threads when none is.
    async fn some_thread(
        &mut self,
        c: &Client,
        w: &World,
        a: usize,
    ) -> Result<Option<(String, i64)>, Failed> {
        if self.threads.is_empty() {
            self.thread_page(c, w, a, "pageSize=25&threadsOnly=true")
                .await?;
        }
        Ok(self.threads.choose(&mut self.rng).cloned())
    }

    async fn view_thread(&mut self, c: &Client, w: &World, a: usize) -> Result<(), Failed> {
        let Some((root, _)) = self.some_thread(c, w, a).await? else {
            return Ok(());
        };
        self.get(
            c,
            a,
            &format!("/api/v4/posts/{root}/thread?perPage=25&direction=down&collapsedThreads=true"),
        )
        .await?;
        Ok(())
    }

    async fn update_thread_read(&mut self, c: &Client, w: &World, a: usize) -> Result<(), Failed> {
        let Some((root, at)) = self.some_thread(c, w, a).await? else {
            return Ok(());
        };
        let path = format!(
            "/api/v4/users/{}/teams/{}/threads/{root}/read/{}",
            self.user_id,
            self.team_id(w),
            at.max(1)
        );
        self.put(c, a, &path, &json!({})).await?;
        Ok(())
    }

    /// The requests after the socket was reopened (the loop reopens it):
    /// channels, memberships, posts since the newest seen, statuses,
    /// unreads, plugins, profiles.
    async fn after_reconnect(&mut self, c: &Client, w: &World, a: usize) -> Result<(), Failed> {
        let (uid, tid) = (self.user_id.clone(), self.team_id(w).to_string());
        self.get(c, a, &format!("/api/v4/users/{uid}/teams/{tid}/channels"))
            .await?;
        self.get(
            c,
            a,
            &format!("/api/v4/users/{uid}/teams/{tid}/channels/members"),
        )
        .await?;
        if let Some(channel) = self.channel.clone() {
            let newest = self
                .channels
                .get(&channel)
                .and_then(|s| s.posts.last())
                .map_or(0, |p| p.create_at);
            if newest > 0 {
                let body = self
                    .get(
                        c,
                        a,
                        &format!(
                            "/api/v4/channels/{channel}/posts?since={newest}&collapsedThreads=true"
                        ),
                    )
                    .await?;
                let authors = self.remember(&channel, parse(&body)?);
                let mut ids: Vec<String> = self
                    .channels
                    .get(&channel)
                    .map(|s| {
                        s.posts
                            .iter()
                            .map(|p| p.user_id.clone())
                            .collect::<HashSet<_>>()
                            .into_iter()
                            .collect()
                    })
                    .unwrap_or_default();
                ids.extend(authors);
                ids.sort();
                ids.dedup();
                self.post(c, a, "/api/v4/users/status/ids", &Value::from(ids))
                    .await?;
            }
        }
        self.get(
            c,
            a,
            &format!("/api/v4/users/{uid}/teams/unread?include_collapsed_threads=true"),
        )
        .await?;
        self.get(c, a, "/api/v4/plugins/webapp").await?;
        let known: Vec<String> = self.authors.iter().take(100).cloned().collect();
        if !known.is_empty() {
            self.post(
                c,
                a,
                &format!("/api/v4/users/ids?since={}", now_ms()),
                &Value::from(known),
            )
            .await?;
        }
        Ok(())
    }

    async fn add_reaction(&mut self, c: &Client, a: usize) -> Result<(), Failed> {
        let Some(channel) = &self.channel else {
            return Ok(());
        };
        let Some(post) = self
            .channels
            .get(channel)
            .and_then(|s| s.posts.choose(&mut self.rng))
            .map(|p| p.id.clone())
        else {
            return Ok(());
        };
        let body = json!({"user_id": self.user_id, "post_id": post, "emoji_name": words::emoji(&mut self.rng)});
        self.post(c, a, "/api/v4/reactions", &body).await?;
        Ok(())
    }

    async fn edit_post(&mut self, c: &Client, a: usize) -> Result<(), Failed> {
        let Some(post) = self.own_posts.choose(&mut self.rng).cloned() else {
            return Ok(());
        };
        let body = json!({"message": words::message(false, &mut self.rng)});
        self.put(c, a, &format!("/api/v4/posts/{post}/patch"), &body)
            .await?;
        Ok(())
    }

    /// Types a prefix, one request per keystroke, 100 to 300 ms apart;
    /// 15 % of keystrokes are a typo first (one more request).
    async fn type_term(
        &mut self,
        c: &Client,
        a: usize,
        path: &str,
        text: &str,
        body: impl Fn(&str) -> Value,
    ) -> Result<(), Failed> {
        let chars: Vec<char> = text.chars().collect();
        let pause = keystroke(&mut self.rng);
        let mut term = String::new();
        for (i, ch) in chars.iter().enumerate() {
            tokio::time::sleep(pause).await;
            term.push(*ch);
            self.post(c, a, path, &body(&term)).await?;
            if i + 1 < chars.len() && self.rng.gen_bool(0.15) {
                tokio::time::sleep(pause).await;
                self.post(c, a, path, &body(&format!("{term}a"))).await?;
            }
        }
        Ok(())
    }

    async fn search_users(&mut self, c: &Client, w: &World, a: usize) -> Result<(), Failed> {
        let users = w.users().max(1);
        let name = format!("{USER_PREFIX}{}", self.rng.gen_range(0..users));
        self.type_term(
            c,
            a,
            "/api/v4/users/search",
            &name,
            |term| json!({"term": term, "limit": 100}),
        )
        .await
    }

    async fn search_posts(&mut self, c: &Client, w: &World, a: usize) -> Result<(), Failed> {
        let terms = words::search_terms(&mut self.rng);
        let path = format!("/api/v4/teams/{}/posts/search", self.team_id(w));
        self.post(
            c,
            a,
            &path,
            &json!({"terms": terms, "is_or_search": false, "page": 0, "per_page": 20}),
        )
        .await?;
        Ok(())
    }

    async fn search_channels(&mut self, c: &Client, w: &World, a: usize) -> Result<(), Failed> {
        let Some(team) = w.teams.get(self.team) else {
            return Ok(());
        };
        let Some(channel) = team.channels.choose(&mut self.rng) else {
            return Ok(());
        };
        let typed = 1 + self.rng.gen_range(0..4usize.min(channel.name.len()).max(1));
        let prefix: String = channel.name.chars().take(typed).collect();
        let path = format!("/api/v4/teams/{}/channels/search", team.id);
        self.type_term(c, a, &path, &prefix, |term| json!({"term": term}))
            .await
    }

    /// load-test-ng's loadTeam: the team's channels and memberships,
    /// unreads, thread totals, sidebar, own status.
    async fn load_team(&mut self, c: &Client, w: &World, a: usize) -> Result<(), Failed> {
        let (uid, tid) = (self.user_id.clone(), self.team_id(w).to_string());
        self.get(
            c,
            a,
            &format!("/api/v4/users/{uid}/teams/{tid}/channels?include_deleted=true"),
        )
        .await?;
        self.get(
            c,
            a,
            &format!("/api/v4/users/{uid}/teams/{tid}/channels/members"),
        )
        .await?;
        self.get(
            c,
            a,
            &format!("/api/v4/users/{uid}/teams/unread?include_collapsed_threads=true"),
        )
        .await?;
        self.get(
            c,
            a,
            &self.threads_path(w, "totalsOnly=true&threadsOnly=false"),
        )
        .await?;
        self.get(
            c,
            a,
            &format!("/api/v4/users/{uid}/teams/{tid}/channels/categories"),
        )
        .await?;
        self.post(c, a, "/api/v4/users/status/ids", &json!([uid]))
            .await?;
        Ok(())
    }

    async fn switch_team(&mut self, c: &Client, w: &World, a: usize) -> Result<(), Failed> {
        if w.teams.len() < 2 {
            return Ok(());
        }
        let other = (self.team + self.rng.gen_range(1..w.teams.len())) % w.teams.len();
        self.team = other;
        self.channel = None;
        self.load_team(c, w, a).await?;
        self.switch_channel(c, w, a).await
    }
}
