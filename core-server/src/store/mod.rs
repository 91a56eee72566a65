//! Persistence, by area: one folder per entity or aggregate, each holding
//! its trait (`mod.rs`: what the rest of the core may ask of it) and its SQL
//! (`sql.rs`). The SQL is written once to the subset both dialects share and
//! compiled once per backend (`sqlite.rs`, `postgres.rs`), so a statement
//! cannot drift between them; the few per-dialect exceptions live in those two
//! files. [`Store`] is the sum of the area traits: the services hold one
//! `Arc<dyn Store>` and call any area's methods on it.
//!
//! | area | what it keeps |
//! | --- | --- |
//! | `users` | users, passwords, pictures, sessions |
//! | `teams` | teams and team members |
//! | `channels` | channels, channel members and their read state |
//! | `posts` | posts, edits, deletions, threads, followers, search |
//! | `reactions` | reactions and custom emoji |
//! | `files` | file records and resumable uploads |
//! | `preferences` | preferences, flags, sidebars, statuses |
//! | `integrations` | personal access tokens, bots, incoming webhooks |
//! | `commands` | custom slash commands and the webhooks of their runs |
//! | `outgoing_webhooks` | outgoing webhooks, by team and channel |
//! | `notify` | notification recipients, badges, the push queue, mailed tokens and digests |
//! | `jobs` | background jobs |
//! | `scheduled_posts` | messages to post later, and the lease on a due one |
//! | `bulk` | bulk import batches and the recount after them |
//! | `system` | server-wide values, health |
//!
//! Shared parts: `table` (statement text from column lists), `json` (JSON
//! text columns), and `sql/` (records, binding and the shared query shapes).

mod agents;
mod bulk;
mod channels;
mod commands;
pub(crate) mod connectivity;
mod files;
mod integrations;
mod jobs;
mod json;
mod lent;
mod notify;
mod outgoing_webhooks;
mod post_list;
mod postgres;
mod posts;
mod preferences;
mod reactions;
mod scheduled_posts;
mod sqlite;
mod sqlite_connections;
mod system;
mod table;
mod teams;
mod users;

use crate::config::{database_kind, DatabaseKind};
use crate::error::Result;
use crate::model::*;

pub use agents::AgentStore;
pub use bulk::BulkStore;
pub use channels::ChannelStore;
pub use commands::CommandStore;
pub use files::FileStore;
pub use integrations::IntegrationStore;
pub use jobs::JobStore;
pub use notify::NotifyStore;
pub use outgoing_webhooks::{OutgoingHookFilter, OutgoingWebhookStore};
pub use postgres::{prepare_empty_database, PostgresStore};
pub use posts::PostStore;
pub use preferences::PreferenceStore;
pub use reactions::ReactionStore;
pub use scheduled_posts::ScheduledPostStore;
pub use sqlite::SqliteStore;
pub use system::{ActiveSince, PerDay, ServerCounts, SystemStore};
pub use teams::TeamStore;
pub use users::{RoleScope, RoleTerm, UserCount, UserStore};

/// Where listing a channel's posts starts: strictly older than this post.
#[derive(Debug, Clone, Copy)]
pub struct PostCursor<'a> {
    /// `create_at` of the cursor post.
    pub create_at: i64,
    /// Id of the cursor post (ties on `create_at` are broken by id).
    pub id: &'a str,
}

/// Which of a channel's posts a listing returns.
#[derive(Debug, Clone, Copy)]
pub struct ChannelPosts<'a> {
    pub channel_id: &'a str,
    /// Only thread roots, as collapsed reply threads show a channel.
    pub roots_only: bool,
}

impl<'a> ChannelPosts<'a> {
    /// Every post of the channel, replies included.
    pub fn all(channel_id: &'a str) -> Self {
        ChannelPosts {
            channel_id,
            roots_only: false,
        }
    }

    /// Thread roots only.
    pub fn roots(channel_id: &'a str) -> Self {
        ChannelPosts {
            channel_id,
            roots_only: true,
        }
    }
}

/// Progress of indexing stored posts for search after an upgrade, as log lines.
pub(crate) struct SearchBackfillProgress {
    total: i64,
    done: u64,
    started: std::time::Instant,
}

impl SearchBackfillProgress {
    pub(crate) fn start(total: i64) -> Self {
        tracing::info!(
            posts = total,
            "indexing stored posts for search (once, after an upgrade)"
        );
        SearchBackfillProgress {
            total,
            done: 0,
            started: std::time::Instant::now(),
        }
    }

    pub(crate) fn advance(&mut self, indexed: u64) {
        self.done += indexed;
        let done = self.done;
        let percent = if self.total > 0 {
            (done as f64 * 100.0 / self.total as f64).min(100.0)
        } else {
            100.0
        };
        tracing::info!(
            indexed = done,
            of = self.total,
            "search index: {done} of {} posts ({percent:.0}%)",
            self.total
        );
    }

    pub(crate) fn finish(&self) {
        tracing::info!(
            indexed = self.done,
            seconds = self.started.elapsed().as_secs_f64(),
            "stored posts indexed for search"
        );
    }
}

/// What a search's words are expected to find, as the dialect's probe
/// (`SEARCH_PROBE`) tells it, which decides how the query is shaped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SearchPlan {
    /// No probe, or nothing to probe: the database's planner decides.
    Planner,
    /// Few posts match: start from the index's matches.
    FromIndex,
    /// Many posts match: walk posts newest first and check each.
    NewestFirst,
}

/// How the search query reads posts (see each dialect's `search_shape`).
#[derive(Debug, Clone, Copy)]
pub(crate) struct SearchShape {
    /// The posts table as the query names it (with an index hint).
    pub from: &'static str,
    /// The post's channel in the join conditions.
    pub post_channel: &'static str,
    /// Whether index matches are checked post by post.
    pub per_row: bool,
}

/// What a post search asks the store for.
#[derive(Debug, Clone, Copy)]
pub struct PostSearch<'a> {
    /// The searcher: only channels they belong to are searched.
    pub user_id: &'a str,
    /// The team whose channels (plus the searcher's DMs and GMs) are
    /// searched; `None` searches every channel the searcher is in.
    pub team_id: Option<&'a str>,
    /// What every result contains (any one of them with `any_term`).
    pub terms: &'a [crate::search::SearchTerm],
    /// Whether one of the terms is enough (Mattermost's `is_or_search`).
    pub any_term: bool,
    /// What no result contains.
    pub excluded: &'a [crate::search::SearchTerm],
    /// Only posts by these users, when not empty.
    pub from_user_ids: &'a [String],
    /// Only posts in these channels, when not empty.
    pub channel_ids: &'a [String],
    /// Only posts created before this time, ms.
    pub before: Option<i64>,
    /// Only posts created after this time, ms.
    pub after: Option<i64>,
    /// Results skipped (earlier pages).
    pub offset: i64,
    pub limit: i64,
}

/// Rows of a bulk import written together: posts (roots before their
/// replies) and what hangs off them. Rows already stored are left alone.
#[derive(Debug, Default)]
pub struct ImportBatch {
    pub posts: Vec<Post>,
    pub reactions: Vec<Reaction>,
    pub files: Vec<FileInfo>,
    /// Flags: `flagged_post` preferences named by a post id.
    pub preferences: Vec<Preference>,
    pub followers: Vec<ThreadMember>,
}

impl ImportBatch {
    pub fn is_empty(&self) -> bool {
        self.posts.is_empty()
            && self.reactions.is_empty()
            && self.files.is_empty()
            && self.preferences.is_empty()
            && self.followers.is_empty()
    }
}

/// Everything the services read and write: every area of the store. Each
/// method is one atomic step.
pub trait Store:
    SystemStore
    + UserStore
    + TeamStore
    + ChannelStore
    + PostStore
    + ReactionStore
    + FileStore
    + PreferenceStore
    + IntegrationStore
    + CommandStore
    + OutgoingWebhookStore
    + NotifyStore
    + JobStore
    + ScheduledPostStore
    + BulkStore
    + AgentStore
    + 'static
{
}

impl<T> Store for T where
    T: SystemStore
        + UserStore
        + TeamStore
        + ChannelStore
        + PostStore
        + ReactionStore
        + FileStore
        + PreferenceStore
        + IntegrationStore
        + CommandStore
        + OutgoingWebhookStore
        + NotifyStore
        + JobStore
        + ScheduledPostStore
        + BulkStore
        + AgentStore
        + 'static
{
}

/// Opens the database a URL names, creating it if needed, and applies migrations.
pub async fn open(url: &str, max_connections: u32) -> Result<std::sync::Arc<dyn Store>> {
    let kind = database_kind(url).map_err(|e| crate::Error::invalid("database_url", e.reason))?;
    Ok(match kind {
        DatabaseKind::Sqlite => std::sync::Arc::new(SqliteStore::open(url, max_connections).await?),
        DatabaseKind::Postgres => {
            std::sync::Arc::new(PostgresStore::open(url, max_connections).await?)
        }
    })
}
