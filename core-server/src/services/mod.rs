//! The services: every rule of the product, permissions included. Both API
//! surfaces call these and nothing below them.

pub mod actions;
mod admin;
pub mod agents;
pub mod analytics;
pub mod auth;
mod authorize;
mod bots;
pub mod busy;
mod channel_lists;
mod channel_posts;
mod channel_search;
pub(crate) mod channels;
pub mod commands;
pub mod custom_status;
pub(crate) mod emoji;
mod group_conversion;
pub mod job_recovery;
pub mod jobs;
mod member_updates;
mod metrics_gauges;
pub mod outgoing_webhooks;
mod password_threads;
mod permalinks;
mod posts;
mod preferences;
mod reactions;
pub mod scheduled_posts;
mod scheduled_sender;
mod search;
pub mod session_cache;
mod sidebar;
pub mod signup;
pub mod sso;
mod status;
mod system_bot;
mod team_icon;
pub(crate) mod teams;
mod threads;
mod tokens;
pub mod triggers;
mod unread;
mod user_filters;
mod user_stats;
mod users;
pub mod validate;
mod webhook_posts;
mod webhooks;

use std::sync::Arc;

pub use crate::search::{parse_search, SearchQuery};
pub use actions::{ActionOutcome, DialogAnswer, DialogSubmission, OpenDialog};
pub use admin::{PartStatus, ServerOverview};
pub use agents::{AgentPatch, AgentView, NewAgent};
pub use auth::{Actor, LoginResult};
pub use bots::{BotPatch, NewBot};
pub use channel_lists::AllChannelsFilter;
pub use channel_posts::{PostWindow, ReadableChannel};
pub use channel_search::ChannelScope;
pub use channels::{ChannelPatch, NewChannel};
pub(crate) use commands::split_command;
pub use commands::{
    sanitized, BuiltinCommand, CommandArgs, CommandError, CommandFailure, CommandInput,
    CommandList, CommandResponse, Suggestion, BUILTIN_COMMANDS, COMMANDS_DISABLED,
};
pub use custom_status::CustomStatus;
pub use emoji::MAX_EMOJI_BYTES;
pub use outgoing_webhooks::{OutgoingHookInput, OutgoingHookScope};
pub use permalinks::PostInfo;
pub use posts::{NewEphemeral, NewPost, PostPatch};
pub use scheduled_posts::{ScheduledPostInput, ScheduledPostLists};
pub use scheduled_sender::Sent;
pub use signup::SignUpInvitation;
pub use sso::{is_mobile_browser_key, SsoAction, SsoBegun, SsoFinish, SsoStart};
pub use system_bot::SYSTEM_BOT_USERNAME;
pub use team_icon::MAX_TEAM_ICON_BYTES;
pub use teams::{NewTeam, TeamPatch};
pub use threads::{CollapsedRoot, ThreadList, ThreadQuery};
pub use user_filters::UserFilter;
pub use user_stats::UserStatsFilter;
pub use users::{NewUser, UserPatch, MAX_PICTURE_BYTES};
pub use webhooks::{HookInput, HookPayload};
// The record lives in the model (events carry it); callers find it here too.
pub use crate::model::SidebarCategory;

use crate::config::Config;
use crate::events::EventBus;
use crate::store::Store;

/// The core: the store, the configuration and the event bus, shared by every request.
#[derive(Clone)]
pub struct Core {
    pub store: Arc<dyn Store>,
    /// The configuration in force: replaced as a whole when settings are
    /// reloaded, so a reader sees one consistent version (see [`Core::config`]).
    settings: Arc<std::sync::RwLock<Arc<Config>>>,
    pub events: EventBus,
    /// This node's realtime hub (the bus delivers to it; sockets attach to it).
    pub hub: Arc<crate::realtime::Hub>,
    /// Request rate limits, shared by both API surfaces.
    pub limiter: Arc<crate::ratelimit::RateLimiter>,
    /// Failed logins per client address, shared by both API surfaces.
    pub(crate) login_failures: Arc<crate::ratelimit::RateLimiter>,
    /// Team invitations mailed per sender (one per address).
    pub(crate) invitations: Arc<crate::ratelimit::RateLimiter>,
    /// Set once the node's background work has started.
    pub(crate) background: Arc<std::sync::OnceLock<()>>,
    /// Set once the server is seen to have an account (it keeps one).
    pub(crate) has_accounts: Arc<std::sync::OnceLock<()>>,
    /// Where file bytes live.
    pub blobs: Arc<dyn crate::files::BlobStore>,
    /// What answers post searches (the database's full-text index by default).
    pub search: Arc<dyn crate::search::PostSearchIndex>,
    /// Wakes the push sender when jobs are queued.
    pub(crate) push_wake: Arc<tokio::sync::Notify>,
    /// Sends e-mail, when `smtp_url` is set.
    pub(crate) mailer: Option<Arc<crate::email::Mailer>>,
    /// The guarded client every integration request goes through.
    pub outbound: crate::outbound::Outbound,
    /// The key trigger ids are signed with, read from the database once.
    pub(crate) trigger_key: Arc<tokio::sync::OnceCell<Vec<u8>>>,
    /// Seals the action cookies of ephemeral posts; its key is read from
    /// the database once.
    pub(crate) action_cookies: Arc<tokio::sync::OnceCell<actions::cookie::CookieJar>>,
    /// Each channel's notification recipients, between posts.
    pub(crate) recipients: Arc<crate::notify::RecipientCache>,
    /// Sessions resolved a moment ago (the event bus keeps it exact).
    pub(crate) sessions: Arc<session_cache::SessionCache>,
    /// The identity providers users may sign in with.
    pub(crate) sso: Arc<crate::sso::Providers>,
    /// MCP tool calls per user.
    pub(crate) mcp_limiter: Arc<crate::ratelimit::RateLimiter>,
    /// Which bots are agents, between posts.
    pub(crate) agent_directory: Arc<agents::Directory>,
    /// Seals agents' credentials; its key is read from the database once.
    pub(crate) agent_sealer: Arc<tokio::sync::OnceCell<crate::seal::Sealer>>,
}

impl Core {
    /// The configuration in force now. Hold the returned value for as long
    /// as one consistent view is needed; a reload replaces it for later calls.
    pub fn config(&self) -> Arc<Config> {
        self.settings
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }

    /// Puts the reloadable settings of `fresh` in force (see
    /// [`crate::config::RELOADABLE`]) and says what changed.
    pub fn reload_config(&self, fresh: Config) -> crate::config::Reloaded {
        let current = self.config();
        match current.reloaded(&fresh) {
            Ok((config, outcome)) => {
                if !outcome.applied.is_empty() {
                    *self
                        .settings
                        .write()
                        .unwrap_or_else(|poisoned| poisoned.into_inner()) = Arc::new(config);
                }
                outcome
            }
            Err(e) => {
                tracing::error!(error = %e, "the reloaded configuration is not valid; nothing changed");
                crate::config::Reloaded::default()
            }
        }
    }
    /// This server's permanent identity, made on first use (Mattermost clients
    /// call it the diagnostic id and key their local data on it).
    pub async fn server_id(&self) -> crate::Result<String> {
        if let Some(id) = self.store.get_system_value("server_id").await? {
            return Ok(id);
        }
        self.store
            .init_system_value("server_id", &crate::id::new_id())
            .await
    }

    /// The same core answering searches from another index (an external engine).
    pub fn with_search(mut self, search: Arc<dyn crate::search::PostSearchIndex>) -> Self {
        self.search = search;
        self
    }

    /// The same core with its files in `blobs` (S3, or another directory).
    pub fn with_blobs(mut self, blobs: Arc<dyn crate::files::BlobStore>) -> Self {
        self.blobs = blobs;
        self
    }

    /// A core over an opened store.
    pub fn new(store: Arc<dyn Store>, config: Config) -> Self {
        let limiter = crate::ratelimit::RateLimiter::new(
            config.rate_limit_per_second,
            config.rate_limit_burst,
        );
        let login_failures = Arc::new(crate::ratelimit::RateLimiter::per_minute(
            config.login_failures_per_minute,
        ));
        let hub = Arc::new(crate::realtime::Hub::new(crate::realtime::HubLimits {
            max_connections: config.ws_max_connections,
            max_per_user: config.ws_max_connections_per_user,
            ..Default::default()
        }));
        let blobs: Arc<dyn crate::files::BlobStore> = Arc::new(crate::files::LocalBlobStore::new(
            config.data_dir.join("files"),
        ));
        let mailer =
            match crate::email::Mailer::from_config(config.smtp_url.as_deref(), &config.email_from)
            {
                Ok(mailer) => {
                    if mailer.is_some() && config.site_url.is_none() {
                        tracing::warn!(
                        "e-mail is on but site_url is not set: links in e-mails will point at {}",
                        config.listen
                    );
                    }
                    mailer.map(Arc::new)
                }
                Err(e) => {
                    tracing::error!(error = %e, "e-mail is off: the SMTP settings are not usable");
                    None
                }
            };
        // The configuration was validated, so the list parses; an empty one is the safe fallback.
        let allowed =
            crate::outbound::AllowList::parse(&config.allowed_untrusted_internal_connections)
                .unwrap_or_default();
        let outbound = crate::outbound::Outbound::new(
            allowed,
            std::time::Duration::from_secs(config.integration_request_timeout_seconds),
        );
        let sessions = Arc::new(session_cache::SessionCache::default());
        let sso = Arc::new(crate::sso::Providers::from_config(&config));
        if !sso.buttons().is_empty() && config.site_url.is_none() {
            tracing::warn!(
                "single sign-on is on but site_url is not set: providers will send users back to {}",
                config.listen
            );
        }
        Core {
            sso,
            search: Arc::new(crate::search::DatabaseIndex(store.clone())),
            store,
            blobs,
            mailer,
            outbound,
            trigger_key: Arc::new(tokio::sync::OnceCell::new()),
            settings: Arc::new(std::sync::RwLock::new(Arc::new(config))),
            events: EventBus::new(hub.clone(), 4096).observed_by(sessions.clone()),
            sessions,
            hub,
            limiter: Arc::new(limiter),
            login_failures,
            invitations: Arc::new(crate::email::invitation_limiter()),
            background: Arc::new(std::sync::OnceLock::new()),
            has_accounts: Arc::new(std::sync::OnceLock::new()),
            push_wake: Arc::new(tokio::sync::Notify::new()),
            action_cookies: Arc::new(tokio::sync::OnceCell::new()),
            recipients: Arc::default(),
            // Assistants call tools in bursts while they work, then rest.
            mcp_limiter: Arc::new(crate::ratelimit::RateLimiter::new(10, 60)),
            agent_directory: Arc::default(),
            agent_sealer: Arc::new(tokio::sync::OnceCell::new()),
        }
    }
}

/// Default page size of listings.
pub const DEFAULT_LIMIT: i64 = 60;
/// Largest page size of listings.
pub const MAX_LIMIT: i64 = 200;

/// Checks a requested page size, applying the default.
pub fn page_limit(limit: Option<i64>) -> crate::Result<i64> {
    match limit {
        None => Ok(DEFAULT_LIMIT),
        Some(n) if (1..=MAX_LIMIT).contains(&n) => Ok(n),
        Some(_) => Err(crate::Error::invalid(
            "limit",
            format!("must be between 1 and {MAX_LIMIT}"),
        )),
    }
}

/// Checks a cursor (the id of the last record of the previous page).
pub fn page_cursor(cursor: Option<&str>) -> crate::Result<Option<&str>> {
    match cursor {
        None | Some("") => Ok(None),
        Some(c) if crate::id::is_valid_id(c) => Ok(Some(c)),
        Some(_) => Err(crate::Error::invalid("cursor", "is not a valid cursor")),
    }
}

/// Builds a page from `limit + 1` fetched rows: the extra row only says that more exist.
pub fn into_page<T>(
    mut rows: Vec<T>,
    limit: i64,
    key: impl Fn(&T) -> String,
) -> crate::model::Page<T> {
    let limit = usize::try_from(limit).unwrap_or(0);
    let more = rows.len() > limit;
    rows.truncate(limit);
    let next_cursor = if more { rows.last().map(key) } else { None };
    crate::model::Page {
        items: rows,
        next_cursor,
    }
}
