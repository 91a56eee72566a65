//! Server configuration: one typed struct, read from an optional `rustchat.toml`
//! and overridden by `RUSTCHAT_*` environment variables, validated before start-up.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

mod reload;
mod shown;

pub use reload::{Reloaded, RELOADABLE};
pub use shown::{mask_url_credentials, ShownSetting};

/// The whole configuration of a rustchat node.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Address and port the HTTP server listens on.
    pub listen: String,
    /// Directory for the embedded database, uploaded files and other local state.
    pub data_dir: PathBuf,
    /// Database URL: `sqlite://<path>` (the default is `rustchat.db` in the data dir) or `postgres://…`.
    pub database_url: Option<String>,
    /// Largest number of pooled database connections; 0 picks by backend: 16 on PostgreSQL, and on SQLite 2 reading connections per CPU core (at least 4) beside its one writer.
    pub database_max_connections: u32,
    /// Redis URL (`redis://…`) for fan-out between nodes; unset keeps everything in-process.
    pub redis_url: Option<String>,
    /// Redis stream the nodes of one cluster share (also the prefix of their other Redis keys).
    pub redis_channel: String,
    /// S3 bucket for uploaded files; unset keeps files in the data dir.
    pub s3_bucket: Option<String>,
    /// S3 endpoint URL for S3-compatible stores other than AWS.
    pub s3_endpoint: Option<String>,
    /// S3 region.
    pub s3_region: Option<String>,
    /// Address buckets by path (`endpoint/bucket/key`), as most S3-compatible servers want.
    pub s3_path_style: bool,
    /// Largest uploaded file, in bytes.
    pub max_file_size: u64,
    /// Largest image, in pixels (width × height), that is accepted and previewed.
    pub max_image_pixels: u64,
    /// Whether users may create public links to files.
    pub enable_public_link: bool,
    /// Public URL of this server, used in links, e-mails and push notifications.
    pub site_url: Option<String>,
    /// Other web origins (space-separated, `*` for any) whose pages may open WebSockets; the site's own always may.
    pub allow_cors_from: String,
    /// URL of a Mattermost-compatible push proxy for mobile notifications.
    pub push_proxy_url: Option<String>,
    /// What pushes show: `full`, `generic` ("X mentioned you."), `generic_no_channel` or `id_loaded` (ids only).
    pub push_contents: String,
    /// `@channel`, `@all` and `@here` notify nobody in channels with at least this many members.
    pub max_notifications_per_channel: u64,
    /// SMTP URL (`smtp://user:pass@host:port`, `?tls=required` for STARTTLS, `smtps://` for TLS) for e-mail.
    pub smtp_url: Option<String>,
    /// Sender of rustchat's e-mails, as `Name <address>`.
    pub email_from: String,
    /// How long mentions of an away user wait before they are mailed as one digest, in seconds.
    pub email_digest_seconds: u64,
    /// How often each node looks for scheduled posts that are due, in seconds (a post goes out at most this late).
    pub scheduled_posts_poll_seconds: u64,
    /// How long a session lasts, in hours.
    pub session_length_hours: u64,
    /// Largest accepted request body, in bytes.
    pub max_body_bytes: usize,
    /// Requests per second allowed to one client address; 0 turns rate limiting off.
    pub rate_limit_per_second: u32,
    /// Requests one client address may make in a burst.
    pub rate_limit_burst: u32,
    /// Whether anyone may sign up without an invitation (Mattermost's EnableOpenServer); off by default, as on Mattermost. The first account can always be created, and admins can always create accounts.
    pub enable_open_signup: bool,
    /// Whether new accounts can be made at all, by sign-up, invitation or single sign-on (Mattermost's EnableUserCreation); admins and the command line still can.
    pub enable_user_creation: bool,
    /// Shortest accepted password, in characters.
    pub password_min_length: usize,
    /// Failed password logins after which an account is locked until its password is reset; 0 never locks.
    pub maximum_login_attempts: u32,
    /// Failed logins one client address may make per minute before it must wait; 0 turns the limit off.
    pub login_failures_per_minute: u32,
    /// Live WebSocket connections one node accepts.
    pub ws_max_connections: usize,
    /// Live WebSocket connections one user may hold on one node.
    pub ws_max_connections_per_user: usize,
    /// Seconds without activity after which an online user shows as away.
    pub away_after_seconds: u64,
    /// Whether teams may add custom slash commands that call an integration's URL.
    pub enable_commands: bool,
    /// Whether teams may add outgoing webhooks that call an integration's URL on trigger words.
    pub enable_outgoing_webhooks: bool,
    /// Whether integrations (webhooks, commands) may post under another display name.
    pub enable_post_username_override: bool,
    /// Whether integrations (webhooks, commands) may post with another profile picture.
    pub enable_post_icon_override: bool,
    /// Internal hosts, addresses and CIDR ranges (space-separated) integrations may call; loopback, private and link-local addresses are refused otherwise.
    pub allowed_untrusted_internal_connections: String,
    /// How long the server waits for an integration (command, webhook, action, dialog) to answer, in seconds.
    pub integration_request_timeout_seconds: u64,
    /// How long the server waits for an A2A agent's whole answer, streamed or not, in seconds.
    pub agent_timeout_seconds: u64,
    /// OpenID Connect sign-in: the provider's discovery document (`…/.well-known/openid-configuration`).
    pub openid_discovery_url: Option<String>,
    /// OpenID Connect sign-in: the client id registered at the provider; set to turn the provider on.
    pub openid_client_id: Option<String>,
    /// OpenID Connect sign-in: the client secret registered at the provider.
    pub openid_client_secret: Option<String>,
    /// OpenID Connect sign-in: the label of its button.
    pub openid_button_text: String,
    /// OpenID Connect sign-in: the colour of its button.
    pub openid_button_color: String,
    /// GitLab sign-in: the GitLab server (`https://gitlab.com` or your own).
    pub gitlab_url: String,
    /// GitLab sign-in: the application id registered in GitLab; set to turn GitLab sign-in on.
    pub gitlab_client_id: Option<String>,
    /// GitLab sign-in: the application secret registered in GitLab.
    pub gitlab_client_secret: Option<String>,
    /// GitLab sign-in: the label of its button.
    pub gitlab_button_text: String,
    /// GitLab sign-in: the colour of its button.
    pub gitlab_button_color: String,
    /// Google sign-in: Google's discovery document (change it only to test against another provider).
    pub google_discovery_url: String,
    /// Google sign-in: the OAuth client id from Google Cloud; set to turn Google sign-in on.
    pub google_client_id: Option<String>,
    /// Google sign-in: the OAuth client secret from Google Cloud.
    pub google_client_secret: Option<String>,
    /// Microsoft sign-in: the Entra ID tenant (directory) id, which the discovery document is found by.
    pub office365_directory_id: Option<String>,
    /// Microsoft sign-in: the discovery document, when not the tenant's own at login.microsoftonline.com.
    pub office365_discovery_url: Option<String>,
    /// Microsoft sign-in: the application (client) id registered in Entra ID; set to turn Microsoft sign-in on.
    pub office365_client_id: Option<String>,
    /// Microsoft sign-in: the client secret registered in Entra ID.
    pub office365_client_secret: Option<String>,
    /// E-mail domains (space- or comma-separated) for which accounts may be created, on every path (sign-up, invitation, single sign-on, admins); empty allows any. Listing domains also lets single sign-on create accounts (for verified addresses of those domains) while open sign-up is off.
    pub restrict_creation_to_domains: String,
    /// Log filter, in `tracing` env-filter syntax (`info`, `rustchat=debug`, …).
    pub log: String,
    /// Log line format: `text` (the default) or `json` (one JSON object a line, for log collectors).
    pub log_format: String,
    /// Address and port of the Prometheus metrics listener (`/metrics`); unset serves no metrics. Keep it off the public network.
    pub metrics_listen: Option<String>,
    /// On SIGTERM, how long requests in flight may take to finish before the server stops anyway.
    pub shutdown_timeout_seconds: u64,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            listen: "0.0.0.0:8065".into(),
            data_dir: PathBuf::from("./data"),
            database_url: None,
            database_max_connections: 0,
            redis_url: None,
            redis_channel: "rustchat:events".into(),
            s3_bucket: None,
            s3_endpoint: None,
            s3_region: None,
            s3_path_style: false,
            max_file_size: 100 * 1024 * 1024,
            max_image_pixels: 7680 * 4320,
            enable_public_link: false,
            site_url: None,
            allow_cors_from: String::new(),
            push_proxy_url: None,
            push_contents: "full".into(),
            max_notifications_per_channel: 1000,
            smtp_url: None,
            email_from: "rustchat <noreply@localhost>".into(),
            email_digest_seconds: 900,
            scheduled_posts_poll_seconds: 30,
            session_length_hours: 24 * 30,
            max_body_bytes: 300_000,
            rate_limit_per_second: 0,
            rate_limit_burst: 100,
            enable_open_signup: false,
            enable_user_creation: true,
            password_min_length: 8,
            maximum_login_attempts: 10,
            login_failures_per_minute: 30,
            ws_max_connections: 50_000,
            ws_max_connections_per_user: 100,
            away_after_seconds: 300,
            enable_commands: true,
            enable_outgoing_webhooks: true,
            enable_post_username_override: true,
            enable_post_icon_override: true,
            allowed_untrusted_internal_connections: String::new(),
            integration_request_timeout_seconds: 30,
            agent_timeout_seconds: 120,
            openid_discovery_url: None,
            openid_client_id: None,
            openid_client_secret: None,
            openid_button_text: "OpenID".into(),
            openid_button_color: "#145DBF".into(),
            gitlab_url: "https://gitlab.com".into(),
            gitlab_client_id: None,
            gitlab_client_secret: None,
            gitlab_button_text: "GitLab".into(),
            gitlab_button_color: "#554488".into(),
            google_discovery_url: "https://accounts.google.com/.well-known/openid-configuration"
                .into(),
            google_client_id: None,
            google_client_secret: None,
            office365_directory_id: None,
            office365_discovery_url: None,
            office365_client_id: None,
            office365_client_secret: None,
            restrict_creation_to_domains: String::new(),
            log: "info,sqlx=warn".into(),
            log_format: "text".into(),
            metrics_listen: None,
            shutdown_timeout_seconds: 30,
        }
    }
}

/// A configuration value that is missing or malformed; the message names the key.
#[derive(Debug, thiserror::Error)]
#[error("configuration error in {key}: {reason}")]
pub struct ConfigError {
    /// The environment variable or file key at fault.
    pub key: String,
    /// What is wrong with it.
    pub reason: String,
}

pub(crate) fn config_error(key: &str, reason: impl Into<String>) -> ConfigError {
    ConfigError {
        key: key.to_string(),
        reason: reason.into(),
    }
}

/// Each setting's file key and environment variable, in documentation order.
pub const KEYS: &[(&str, &str)] = &[
    ("listen", "RUSTCHAT_LISTEN"),
    ("data_dir", "RUSTCHAT_DATA_DIR"),
    ("database_url", "RUSTCHAT_DATABASE_URL"),
    (
        "database_max_connections",
        "RUSTCHAT_DATABASE_MAX_CONNECTIONS",
    ),
    ("redis_url", "RUSTCHAT_REDIS_URL"),
    ("redis_channel", "RUSTCHAT_REDIS_CHANNEL"),
    ("s3_bucket", "RUSTCHAT_S3_BUCKET"),
    ("s3_endpoint", "RUSTCHAT_S3_ENDPOINT"),
    ("s3_region", "RUSTCHAT_S3_REGION"),
    ("s3_path_style", "RUSTCHAT_S3_PATH_STYLE"),
    ("max_file_size", "RUSTCHAT_MAX_FILE_SIZE"),
    ("max_image_pixels", "RUSTCHAT_MAX_IMAGE_PIXELS"),
    ("enable_public_link", "RUSTCHAT_ENABLE_PUBLIC_LINK"),
    ("site_url", "RUSTCHAT_SITE_URL"),
    ("allow_cors_from", "RUSTCHAT_ALLOW_CORS_FROM"),
    ("push_proxy_url", "RUSTCHAT_PUSH_PROXY_URL"),
    ("push_contents", "RUSTCHAT_PUSH_CONTENTS"),
    (
        "max_notifications_per_channel",
        "RUSTCHAT_MAX_NOTIFICATIONS_PER_CHANNEL",
    ),
    ("smtp_url", "RUSTCHAT_SMTP_URL"),
    ("email_from", "RUSTCHAT_EMAIL_FROM"),
    ("email_digest_seconds", "RUSTCHAT_EMAIL_DIGEST_SECONDS"),
    (
        "scheduled_posts_poll_seconds",
        "RUSTCHAT_SCHEDULED_POSTS_POLL_SECONDS",
    ),
    ("session_length_hours", "RUSTCHAT_SESSION_LENGTH_HOURS"),
    ("max_body_bytes", "RUSTCHAT_MAX_BODY_BYTES"),
    ("rate_limit_per_second", "RUSTCHAT_RATE_LIMIT_PER_SECOND"),
    ("rate_limit_burst", "RUSTCHAT_RATE_LIMIT_BURST"),
    ("enable_open_signup", "RUSTCHAT_ENABLE_OPEN_SIGNUP"),
    ("enable_user_creation", "RUSTCHAT_ENABLE_USER_CREATION"),
    ("password_min_length", "RUSTCHAT_PASSWORD_MIN_LENGTH"),
    ("maximum_login_attempts", "RUSTCHAT_MAXIMUM_LOGIN_ATTEMPTS"),
    (
        "login_failures_per_minute",
        "RUSTCHAT_LOGIN_FAILURES_PER_MINUTE",
    ),
    ("ws_max_connections", "RUSTCHAT_WS_MAX_CONNECTIONS"),
    (
        "ws_max_connections_per_user",
        "RUSTCHAT_WS_MAX_CONNECTIONS_PER_USER",
    ),
    ("away_after_seconds", "RUSTCHAT_AWAY_AFTER_SECONDS"),
    ("enable_commands", "RUSTCHAT_ENABLE_COMMANDS"),
    (
        "enable_outgoing_webhooks",
        "RUSTCHAT_ENABLE_OUTGOING_WEBHOOKS",
    ),
    (
        "enable_post_username_override",
        "RUSTCHAT_ENABLE_POST_USERNAME_OVERRIDE",
    ),
    (
        "enable_post_icon_override",
        "RUSTCHAT_ENABLE_POST_ICON_OVERRIDE",
    ),
    (
        "allowed_untrusted_internal_connections",
        "RUSTCHAT_ALLOWED_UNTRUSTED_INTERNAL_CONNECTIONS",
    ),
    (
        "integration_request_timeout_seconds",
        "RUSTCHAT_INTEGRATION_REQUEST_TIMEOUT_SECONDS",
    ),
    ("agent_timeout_seconds", "RUSTCHAT_AGENT_TIMEOUT_SECONDS"),
    ("openid_discovery_url", "RUSTCHAT_OPENID_DISCOVERY_URL"),
    ("openid_client_id", "RUSTCHAT_OPENID_CLIENT_ID"),
    ("openid_client_secret", "RUSTCHAT_OPENID_CLIENT_SECRET"),
    ("openid_button_text", "RUSTCHAT_OPENID_BUTTON_TEXT"),
    ("openid_button_color", "RUSTCHAT_OPENID_BUTTON_COLOR"),
    ("gitlab_url", "RUSTCHAT_GITLAB_URL"),
    ("gitlab_client_id", "RUSTCHAT_GITLAB_CLIENT_ID"),
    ("gitlab_client_secret", "RUSTCHAT_GITLAB_CLIENT_SECRET"),
    ("gitlab_button_text", "RUSTCHAT_GITLAB_BUTTON_TEXT"),
    ("gitlab_button_color", "RUSTCHAT_GITLAB_BUTTON_COLOR"),
    ("google_discovery_url", "RUSTCHAT_GOOGLE_DISCOVERY_URL"),
    ("google_client_id", "RUSTCHAT_GOOGLE_CLIENT_ID"),
    ("google_client_secret", "RUSTCHAT_GOOGLE_CLIENT_SECRET"),
    ("office365_directory_id", "RUSTCHAT_OFFICE365_DIRECTORY_ID"),
    (
        "office365_discovery_url",
        "RUSTCHAT_OFFICE365_DISCOVERY_URL",
    ),
    ("office365_client_id", "RUSTCHAT_OFFICE365_CLIENT_ID"),
    (
        "office365_client_secret",
        "RUSTCHAT_OFFICE365_CLIENT_SECRET",
    ),
    (
        "restrict_creation_to_domains",
        "RUSTCHAT_RESTRICT_CREATION_TO_DOMAINS",
    ),
    ("log", "RUSTCHAT_LOG"),
    ("log_format", "RUSTCHAT_LOG_FORMAT"),
    ("metrics_listen", "RUSTCHAT_METRICS_LISTEN"),
    (
        "shutdown_timeout_seconds",
        "RUSTCHAT_SHUTDOWN_TIMEOUT_SECONDS",
    ),
];

/// Which database a URL selects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DatabaseKind {
    /// The embedded default.
    Sqlite,
    /// PostgreSQL 15 or later.
    Postgres,
}

impl Config {
    /// Reads `file` (if given, or `rustchat.toml` if it exists), then the environment, then validates.
    pub fn load(file: Option<&Path>) -> Result<Config, ConfigError> {
        let env: BTreeMap<String, String> = std::env::vars()
            .filter(|(k, _)| k.starts_with("RUSTCHAT_"))
            .collect();
        Self::load_from(file, &env)
    }

    /// [`Config::load`] with an explicit environment, for tests.
    pub fn load_from(
        file: Option<&Path>,
        env: &BTreeMap<String, String>,
    ) -> Result<Config, ConfigError> {
        let file = match file {
            Some(path) => Some(path.to_path_buf()),
            None => env
                .get("RUSTCHAT_CONFIG")
                .map(PathBuf::from)
                .or_else(|| Some(PathBuf::from("rustchat.toml")).filter(|p| p.exists())),
        };
        let mut table = match &file {
            Some(path) => {
                let text = std::fs::read_to_string(path)
                    .map_err(|e| config_error(&path.display().to_string(), e.to_string()))?;
                toml::from_str::<toml::Table>(&text)
                    .map_err(|e| config_error(&path.display().to_string(), e.to_string()))?
            }
            None => toml::Table::new(),
        };
        let defaults = toml::Table::try_from(Config::default())
            .map_err(|e| config_error("defaults", e.to_string()))?;
        for (key, var) in KEYS {
            let Some(raw) = env.get(*var) else { continue };
            let value = match defaults.get(*key) {
                Some(toml::Value::Integer(_)) => raw
                    .trim()
                    .parse::<i64>()
                    .map(toml::Value::Integer)
                    .map_err(|_| config_error(var, format!("`{raw}` is not a whole number")))?,
                Some(toml::Value::Boolean(_)) => match raw.trim().to_ascii_lowercase().as_str() {
                    "true" | "1" | "yes" | "on" => toml::Value::Boolean(true),
                    "false" | "0" | "no" | "off" => toml::Value::Boolean(false),
                    _ => return Err(config_error(var, format!("`{raw}` is not true or false"))),
                },
                _ => toml::Value::String(raw.clone()),
            };
            table.insert((*key).to_string(), value);
        }
        let config: Config =
            toml::Value::Table(table)
                .try_into()
                .map_err(|e: toml::de::Error| {
                    config_error(
                        file.as_deref()
                            .map(|p| p.display().to_string())
                            .as_deref()
                            .unwrap_or("configuration"),
                        e.message().to_string(),
                    )
                })?;
        config.validate()?;
        Ok(config)
    }

    /// Checks every value, naming the environment variable of the first bad one.
    pub fn validate(&self) -> Result<(), ConfigError> {
        self.listen.parse::<SocketAddr>().map_err(|_| {
            config_error(
                "RUSTCHAT_LISTEN",
                format!("`{}` is not host:port", self.listen),
            )
        })?;
        if let Some(metrics) = &self.metrics_listen {
            metrics.parse::<SocketAddr>().map_err(|_| {
                config_error(
                    "RUSTCHAT_METRICS_LISTEN",
                    format!("`{metrics}` is not host:port"),
                )
            })?;
        }
        if !matches!(self.log_format.as_str(), "text" | "json") {
            return Err(config_error(
                "RUSTCHAT_LOG_FORMAT",
                format!("`{}` is neither text nor json", self.log_format),
            ));
        }
        if self.data_dir.as_os_str().is_empty() {
            return Err(config_error("RUSTCHAT_DATA_DIR", "must not be empty"));
        }
        if let Some(url) = &self.database_url {
            database_kind(url)?;
        }
        check_url(
            "RUSTCHAT_REDIS_URL",
            self.redis_url.as_deref(),
            &["redis", "rediss"],
        )?;
        check_url(
            "RUSTCHAT_S3_ENDPOINT",
            self.s3_endpoint.as_deref(),
            &["http", "https"],
        )?;
        check_url(
            "RUSTCHAT_SITE_URL",
            self.site_url.as_deref(),
            &["http", "https"],
        )?;
        check_url(
            "RUSTCHAT_PUSH_PROXY_URL",
            self.push_proxy_url.as_deref(),
            &["http", "https"],
        )?;
        if crate::notify::push::Contents::parse(&self.push_contents).is_none() {
            return Err(config_error(
                "RUSTCHAT_PUSH_CONTENTS",
                "must be full, generic, generic_no_channel or id_loaded",
            ));
        }
        check_url(
            "RUSTCHAT_SMTP_URL",
            self.smtp_url.as_deref(),
            &["smtp", "smtps"],
        )?;
        if self.email_from.parse::<lettre::message::Mailbox>().is_err() {
            return Err(config_error(
                "RUSTCHAT_EMAIL_FROM",
                "must be an address such as `rustchat <noreply@example.com>`",
            ));
        }
        if self.s3_bucket.as_deref() == Some("") {
            return Err(config_error(
                "RUSTCHAT_S3_BUCKET",
                "must not be empty when set",
            ));
        }
        crate::outbound::AllowList::parse(&self.allowed_untrusted_internal_connections).map_err(
            |reason| config_error("RUSTCHAT_ALLOWED_UNTRUSTED_INTERNAL_CONNECTIONS", reason),
        )?;
        if self.integration_request_timeout_seconds == 0 {
            return Err(config_error(
                "RUSTCHAT_INTEGRATION_REQUEST_TIMEOUT_SECONDS",
                "must be at least 1",
            ));
        }
        if self.agent_timeout_seconds == 0 {
            return Err(config_error(
                "RUSTCHAT_AGENT_TIMEOUT_SECONDS",
                "must be at least 1",
            ));
        }
        if self.scheduled_posts_poll_seconds == 0 {
            return Err(config_error(
                "RUSTCHAT_SCHEDULED_POSTS_POLL_SECONDS",
                "must be at least 1",
            ));
        }
        if self.session_length_hours == 0 {
            return Err(config_error(
                "RUSTCHAT_SESSION_LENGTH_HOURS",
                "must be at least 1",
            ));
        }
        if self.max_body_bytes < 1024 {
            return Err(config_error(
                "RUSTCHAT_MAX_BODY_BYTES",
                "must be at least 1024",
            ));
        }
        if self.rate_limit_burst == 0 {
            return Err(config_error(
                "RUSTCHAT_RATE_LIMIT_BURST",
                "must be at least 1",
            ));
        }
        if self.max_file_size == 0 {
            return Err(config_error("RUSTCHAT_MAX_FILE_SIZE", "must be at least 1"));
        }
        if self.max_image_pixels == 0 {
            return Err(config_error(
                "RUSTCHAT_MAX_IMAGE_PIXELS",
                "must be at least 1",
            ));
        }
        if self.redis_channel.trim().is_empty() {
            return Err(config_error("RUSTCHAT_REDIS_CHANNEL", "must not be empty"));
        }
        if self.ws_max_connections == 0 {
            return Err(config_error(
                "RUSTCHAT_WS_MAX_CONNECTIONS",
                "must be at least 1",
            ));
        }
        if self.ws_max_connections_per_user == 0 {
            return Err(config_error(
                "RUSTCHAT_WS_MAX_CONNECTIONS_PER_USER",
                "must be at least 1",
            ));
        }
        if self.away_after_seconds == 0 {
            return Err(config_error(
                "RUSTCHAT_AWAY_AFTER_SECONDS",
                "must be at least 1",
            ));
        }
        if !(6..=72).contains(&self.password_min_length) {
            return Err(config_error(
                "RUSTCHAT_PASSWORD_MIN_LENGTH",
                "must be between 6 and 72",
            ));
        }
        crate::sso::Providers::check(self)?;
        Ok(())
    }

    /// The database URL in force: the configured one or SQLite in the data dir.
    pub fn effective_database_url(&self) -> String {
        match &self.database_url {
            Some(url) => url.clone(),
            None => format!("sqlite://{}", self.data_dir.join("rustchat.db").display()),
        }
    }

    /// The database connections to open: the setting, or the backend's
    /// default. Each SQLite reading connection is a thread of its own, and
    /// more of them than the cores can keep busy only add thread switches;
    /// each also drops its view of the file after every write it has not
    /// yet seen, so fewer, busier readers re-read less (both measured in
    /// `docs/benchmarks.md`). PostgreSQL's are sockets.
    pub fn database_connections(&self) -> u32 {
        if self.database_max_connections > 0 {
            return self.database_max_connections;
        }
        match database_kind(&self.effective_database_url()) {
            Ok(DatabaseKind::Sqlite) => {
                let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
                u32::try_from(cores.saturating_mul(2))
                    .unwrap_or(u32::MAX)
                    .max(4)
            }
            _ => 16,
        }
    }

    /// A warning for the start-up log when anyone may sign up on a server
    /// that others reach (its site URL is not this machine): since open
    /// sign-up is off by default, this is a choice worth seeing.
    pub fn open_sign_up_warning(&self) -> Option<String> {
        if !(self.enable_open_signup && self.enable_user_creation) {
            return None;
        }
        let site = url::Url::parse(self.site_url.as_deref()?).ok()?;
        let local = match site.host()? {
            url::Host::Domain(name) => name == "localhost" || name.ends_with(".localhost"),
            url::Host::Ipv4(ip) => ip.is_loopback(),
            url::Host::Ipv6(ip) => ip.is_loopback(),
        };
        (!local).then(|| {
            format!(
                "open sign-up is on: anyone who can reach {site} can create an account (set enable_open_signup = false to admit people by invitation only)"
            )
        })
    }

    /// The listen address (validated by [`Config::validate`]).
    pub fn listen_addr(&self) -> Result<SocketAddr, ConfigError> {
        self.listen.parse().map_err(|_| {
            config_error(
                "RUSTCHAT_LISTEN",
                format!("`{}` is not host:port", self.listen),
            )
        })
    }

    /// The configuration as Markdown: key, variable, default and meaning.
    pub fn markdown_table() -> String {
        let defaults = toml::Table::try_from(Config::default()).unwrap_or_default();
        let docs = field_docs();
        let mut out =
            String::from("| key | environment variable | default | meaning |\n|---|---|---|---|\n");
        for (key, var) in KEYS {
            let default = match defaults.get(*key) {
                Some(toml::Value::String(s)) if s.is_empty() => "empty".into(),
                Some(toml::Value::String(s)) => format!("`{s}`"),
                Some(other) => format!("`{other}`"),
                None => "unset".into(),
            };
            let doc = docs.get(key).copied().unwrap_or("");
            out.push_str(&format!("| `{key}` | `{var}` | {default} | {doc} |\n"));
        }
        out
    }
}

impl Config {
    /// A commented `rustchat.toml` with every setting at its default.
    pub fn example_toml() -> String {
        let defaults = toml::Table::try_from(Config::default()).unwrap_or_default();
        let docs = field_docs();
        let mut out = String::from(
            "# rustchat configuration. Every setting is optional; the values shown are the\n\
             # defaults. Environment variables (named beside each key) override this file.\n",
        );
        for (key, var) in KEYS {
            out.push_str(&format!(
                "\n# {} ({var})\n",
                docs.get(key).copied().unwrap_or("")
            ));
            match defaults.get(*key) {
                Some(value) => out.push_str(&format!("{key} = {value}\n")),
                None => out.push_str(&format!("# {key} = \"\"\n")),
            }
        }
        out
    }
}

/// The doc comment of each field, read from this file so the table cannot drift.
fn field_docs() -> BTreeMap<&'static str, &'static str> {
    let source = include_str!("mod.rs");
    let mut docs = BTreeMap::new();
    let mut pending: Option<&'static str> = None;
    let body = source.split("pub struct Config {").nth(1).unwrap_or("");
    for line in body.lines() {
        let line = line.trim();
        if line == "}" {
            break;
        }
        if let Some(doc) = line.strip_prefix("/// ") {
            pending = Some(doc);
        } else if let Some(field) = line.strip_prefix("pub ") {
            if let (Some(name), Some(doc)) = (field.split(':').next(), pending.take()) {
                docs.insert(name.trim(), doc);
            }
        }
    }
    docs
}

/// Which backend a database URL selects, or an error naming `RUSTCHAT_DATABASE_URL`.
pub fn database_kind(url: &str) -> Result<DatabaseKind, ConfigError> {
    let scheme = url.split(':').next().unwrap_or("");
    match scheme {
        "sqlite" => Ok(DatabaseKind::Sqlite),
        "postgres" | "postgresql" => {
            url::Url::parse(url).map_err(|e| {
                config_error(
                    "RUSTCHAT_DATABASE_URL",
                    format!("`{url}` is not a URL: {e}"),
                )
            })?;
            Ok(DatabaseKind::Postgres)
        }
        _ => Err(config_error(
            "RUSTCHAT_DATABASE_URL",
            format!("unsupported scheme `{scheme}` in `{url}` (expected sqlite:// or postgres://)"),
        )),
    }
}

pub(crate) fn check_url(
    key: &str,
    value: Option<&str>,
    schemes: &[&str],
) -> Result<(), ConfigError> {
    let Some(value) = value else { return Ok(()) };
    let parsed = url::Url::parse(value)
        .map_err(|e| config_error(key, format!("`{value}` is not a URL: {e}")))?;
    if !schemes.contains(&parsed.scheme()) {
        return Err(config_error(
            key,
            format!(
                "scheme `{}` is not one of {}",
                parsed.scheme(),
                schemes.join(", ")
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(super) fn env(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn log_format_and_metrics_listener_are_checked() {
        let err = Config::load_from(None, &env(&[("RUSTCHAT_LOG_FORMAT", "xml")]))
            .expect_err("not a format");
        assert_eq!(err.key, "RUSTCHAT_LOG_FORMAT");
        let err = Config::load_from(None, &env(&[("RUSTCHAT_METRICS_LISTEN", "9090")]))
            .expect_err("not host:port");
        assert_eq!(err.key, "RUSTCHAT_METRICS_LISTEN");
        let ok = Config::load_from(
            None,
            &env(&[
                ("RUSTCHAT_LOG_FORMAT", "json"),
                ("RUSTCHAT_METRICS_LISTEN", "127.0.0.1:8067"),
            ]),
        )
        .expect("valid");
        assert_eq!(ok.metrics_listen.as_deref(), Some("127.0.0.1:8067"));
    }

    #[test]
    fn defaults_listen_on_8065_with_data_dir() {
        let c = Config::load_from(None, &env(&[])).expect("defaults are valid");
        assert_eq!(c.listen, "0.0.0.0:8065");
        assert_eq!(c.data_dir, PathBuf::from("./data"));
        assert!(c.effective_database_url().starts_with("sqlite://"));
    }

    #[test]
    fn environment_overrides_with_types() {
        let c = Config::load_from(
            None,
            &env(&[
                ("RUSTCHAT_LISTEN", "127.0.0.1:9000"),
                ("RUSTCHAT_DATABASE_MAX_CONNECTIONS", "4"),
                ("RUSTCHAT_ENABLE_OPEN_SIGNUP", "true"),
                ("RUSTCHAT_ENABLE_USER_CREATION", "false"),
            ]),
        )
        .expect("valid");
        assert_eq!(c.listen, "127.0.0.1:9000");
        assert_eq!(c.database_max_connections, 4);
        assert_eq!(c.database_connections(), 4);
        assert!(c.enable_open_signup);
        assert!(!c.enable_user_creation);
        let defaults = Config::load_from(None, &env(&[])).expect("valid");
        assert!(
            !defaults.enable_open_signup,
            "closed by default, as Mattermost"
        );
        assert!(defaults.enable_user_creation);
    }

    #[test]
    fn connections_default_by_backend() {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let sqlite = Config::load_from(None, &env(&[])).expect("valid");
        assert_eq!(sqlite.database_max_connections, 0, "picked by backend");
        assert_eq!(
            sqlite.database_connections() as usize,
            (cores * 2).max(4),
            "SQLite: 2 readers per core, at least 4"
        );
        let postgres = Config::load_from(
            None,
            &env(&[("RUSTCHAT_DATABASE_URL", "postgres://db.example/chat")]),
        )
        .expect("valid");
        assert_eq!(postgres.database_connections(), 16);
    }

    #[test]
    fn open_sign_up_is_called_out_only_for_servers_others_reach() {
        let with = |open: &str, site: Option<&str>| {
            let mut pairs = vec![("RUSTCHAT_ENABLE_OPEN_SIGNUP", open)];
            if let Some(site) = site {
                pairs.push(("RUSTCHAT_SITE_URL", site));
            }
            Config::load_from(None, &env(&pairs))
                .expect("valid")
                .open_sign_up_warning()
        };
        assert!(with("true", Some("https://chat.example.com")).is_some());
        assert!(with("false", Some("https://chat.example.com")).is_none());
        assert!(with("true", Some("http://localhost:8065")).is_none());
        assert!(with("true", Some("http://127.0.0.1:8065")).is_none());
        assert!(with("true", Some("http://[::1]:8065")).is_none());
        assert!(with("true", None).is_none());
    }

    #[test]
    fn bad_values_name_their_key() {
        let cases = [
            ("RUSTCHAT_DATABASE_URL", "bogus://x"),
            ("RUSTCHAT_LISTEN", "nowhere"),
            ("RUSTCHAT_REDIS_URL", "http://x"),
            ("RUSTCHAT_DATABASE_MAX_CONNECTIONS", "many"),
            ("RUSTCHAT_ENABLE_OPEN_SIGNUP", "maybe"),
        ];
        for (key, value) in cases {
            let err = Config::load_from(None, &env(&[(key, value)])).expect_err(key);
            assert_eq!(err.key, key);
            assert!(err.to_string().contains(key));
        }
    }

    #[test]
    fn file_values_are_read_and_env_wins() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("rustchat.toml");
        std::fs::write(&path, "listen = \"127.0.0.1:7000\"\nlog = \"debug\"\n").expect("write");
        let c = Config::load_from(Some(&path), &env(&[("RUSTCHAT_LOG", "warn")])).expect("valid");
        assert_eq!(c.listen, "127.0.0.1:7000");
        assert_eq!(c.log, "warn");
        std::fs::write(&path, "listne = \"x\"\n").expect("write");
        let err = Config::load_from(Some(&path), &env(&[])).expect_err("unknown key");
        assert!(err.reason.contains("listne"), "{err}");
    }

    #[test]
    fn the_example_file_is_current_and_loads() {
        let committed = include_str!("../../../rustchat.example.toml");
        assert_eq!(
            committed,
            Config::example_toml(),
            "rustchat.example.toml is stale: run `rustchat config --example > rustchat.example.toml`"
        );
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("rustchat.toml");
        std::fs::write(&path, committed).expect("write");
        let loaded = Config::load_from(Some(&path), &env(&[])).expect("the example loads");
        assert_eq!(loaded.listen, Config::default().listen);
    }

    #[test]
    fn every_field_has_a_key_and_a_doc() {
        let defaults = toml::Table::try_from(Config::default()).expect("serialize");
        let docs = field_docs();
        let fields = ["listen", "data_dir", "database_url", "redis_url", "log"];
        for f in fields {
            assert!(KEYS.iter().any(|(k, _)| *k == f), "{f} missing from KEYS");
        }
        for (key, _) in KEYS {
            assert!(docs.contains_key(key), "{key} has no doc comment");
        }
        for key in defaults.keys() {
            assert!(
                KEYS.iter().any(|(k, _)| k == key),
                "{key} missing from KEYS"
            );
        }
        assert_eq!(docs.len(), KEYS.len());
    }
}
