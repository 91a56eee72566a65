//! Command-line interface. Every command reads the same configuration as the
//! server, so it works on the same data dir or database, even while it runs.

use std::path::PathBuf;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use anyhow::Context;
use clap::{Parser, Subcommand};
use core_server::config::Config;
use core_server::services::{Core, NewTeam, NewUser};
use tokio::sync::watch;

/// rustchat: a self-hosted team-chat server that speaks the Mattermost protocol.
#[derive(Parser)]
#[command(version, about)]
pub struct Cli {
    /// Configuration file (default: ./rustchat.toml when it exists).
    #[arg(long, global = true, env = "RUSTCHAT_CONFIG")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the server (the default command).
    Serve,
    /// Apply database migrations and exit.
    Migrate,
    /// Manage users.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Manage teams.
    Team {
        #[command(subcommand)]
        command: TeamCommand,
    },
    /// Manage channels.
    Channel {
        #[command(subcommand)]
        command: crate::admin_cli::ChannelAdmin,
    },
    /// Manage posts.
    Post {
        #[command(subcommand)]
        command: crate::admin_cli::PostAdmin,
    },
    /// Back up a running (or stopped) server into one tar: an online snapshot
    /// of the database (SQLite) or a pg_dump (PostgreSQL), and the local files.
    Backup {
        /// The .tar to write.
        #[arg(long)]
        out: PathBuf,
    },
    /// Restore a backup into an empty data dir (and, on PostgreSQL, an empty
    /// database); refuses to overwrite anything.
    Restore {
        /// The .tar `rustchat backup` wrote.
        file: PathBuf,
    },
    /// Print the configuration reference as a Markdown table.
    Config {
        /// Print a commented example `rustchat.toml` instead.
        #[arg(long)]
        example: bool,
    },
    /// Print the Mattermost v4 routes this server serves (every other v4 path answers 501).
    Routes {
        /// As JSON: `[{"method": …, "path": …}]`.
        #[arg(long)]
        json: bool,
    },
    /// Print the OpenAPI document of the native API (`/api/v1`) as JSON.
    Openapi,
    /// Import Mattermost bulk files (the .zip of `mmctl export create`, or its .jsonl).
    Import {
        #[command(subcommand)]
        command: ImportCommand,
    },
    /// Export this server's data.
    Export {
        #[command(subcommand)]
        command: ExportCommand,
    },
    /// Load generators for benchmarks (run against a running server).
    Bench {
        #[command(subcommand)]
        command: crate::bench::BenchCommand,
    },
}

#[derive(Subcommand)]
enum ImportCommand {
    /// Check every line of a bulk file and report each bad one with its line
    /// number and reason; writes nothing. Exits non-zero when a line is bad.
    Validate {
        /// The export (.zip with data/) or bare import .jsonl.
        file: PathBuf,
    },
    /// Import a Mattermost bulk file into this server. Bad lines are reported
    /// with their number and skipped; running the same file again adds nothing.
    Mattermost {
        /// The export (.zip with data/) or bare import .jsonl.
        file: PathBuf,
        /// Check every line and report the bad ones; write nothing.
        #[arg(long)]
        dry_run: bool,
    },
}

#[derive(Subcommand)]
enum ExportCommand {
    /// Write everything as a Mattermost bulk export (import.jsonl and
    /// attachments under data/, in a zip) that Mattermost or rustchat can import.
    Mattermost {
        /// The .zip to write.
        out: PathBuf,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create a user with a password.
    Create {
        #[arg(long)]
        username: String,
        #[arg(long)]
        email: String,
        #[arg(long)]
        password: String,
        /// Make the user a system administrator.
        #[arg(long)]
        system_admin: bool,
    },
    /// Move password accounts to single sign-on, by e-mail address: each is
    /// bound to the provider's account with that address at its first
    /// sign-in there; its password stops working and its sessions end.
    MigrateAuth {
        /// The provider: gitlab, google, office365 or openid.
        #[arg(long)]
        to: String,
        /// The accounts' e-mail addresses.
        #[arg(required = true)]
        emails: Vec<String>,
    },
    #[command(flatten)]
    Admin(crate::admin_cli::UserAdmin),
}

#[derive(Subcommand)]
enum TeamCommand {
    /// Create a team with its default channels.
    Create {
        /// URL name (slug) of the team.
        #[arg(long)]
        name: String,
        /// Name shown to users.
        #[arg(long)]
        display_name: String,
        /// Username or e-mail of the team's first admin (default: the first system admin).
        #[arg(long)]
        owner: Option<String>,
    },
    #[command(flatten)]
    Admin(crate::admin_cli::TeamAdmin),
}

async fn open_core(config: Config) -> anyhow::Result<Core> {
    std::fs::create_dir_all(&config.data_dir)
        .with_context(|| format!("cannot create the data dir {}", config.data_dir.display()))?;
    let url = config.effective_database_url();
    let store = core_server::store::open(&url, config.database_connections())
        .await
        .with_context(|| {
            format!(
                "cannot open the database ({})",
                core_server::config::mask_url_credentials(&url)
            )
        })?;
    let blobs = core_server::files::open_blob_store(&config).await;
    Ok(Core::new(store, config).with_blobs(blobs))
}

/// Runs the command line.
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let command = cli.command.unwrap_or(Command::Serve);
    if let Command::Config { example } = command {
        if example {
            print!("{}", Config::example_toml());
        } else {
            print!("{}", Config::markdown_table());
        }
        return Ok(());
    }
    if let Command::Routes { json } = command {
        if json {
            let routes: Vec<serde_json::Value> = mm_bridge::ROUTES
                .iter()
                .map(|(method, path)| serde_json::json!({"method": method, "path": path}))
                .collect();
            println!("{}", serde_json::Value::Array(routes));
        } else {
            for (method, path) in mm_bridge::ROUTES {
                println!("{method:6} {path}");
            }
        }
        return Ok(());
    }
    if let Command::Openapi = command {
        println!(
            "{}",
            serde_json::to_string_pretty(&core_server::api::openapi_document())?
        );
        return Ok(());
    }
    if let Command::Bench { command } = command {
        return crate::bench::run(command).await;
    }
    if let Command::Import {
        command: ImportCommand::Validate { file },
    } = command
    {
        return crate::bulk_cli::validate(&file);
    }
    let config = Config::load(cli.config.as_deref())?;
    crate::logging::init(&config.log, &config.log_format);
    match command {
        Command::Serve => serve(config, cli.config.clone()).await,
        Command::Migrate => {
            let core = open_core(config).await?;
            println!("migrations applied ({})", core.store.backend());
            Ok(())
        }
        Command::User {
            command:
                UserCommand::Create {
                    username,
                    email,
                    password,
                    system_admin,
                },
        } => {
            let core = open_core(config).await?;
            let input = NewUser {
                username,
                email,
                password,
                first_name: String::new(),
                last_name: String::new(),
                nickname: String::new(),
                locale: None,
                invite_id: None,
                invite_token: None,
            };
            let user = core.create_user(None, input, system_admin, true).await?;
            println!(
                "created user {} ({}) with roles \"{}\"",
                user.username, user.id, user.roles
            );
            Ok(())
        }
        Command::User {
            command: UserCommand::MigrateAuth { to, emails },
        } => {
            let core = open_core(config).await?;
            let moved = core.migrate_auth_to_sso(None, &to, &emails).await?;
            for user in &moved {
                println!("{} ({}) now signs in with {to}", user.username, user.email);
            }
            println!(
                "{} of {} accounts moved ({} already signed in with {to})",
                moved.len(),
                emails.len(),
                emails.len() - moved.len()
            );
            Ok(())
        }
        Command::Team {
            command:
                TeamCommand::Create {
                    name,
                    display_name,
                    owner,
                },
        } => {
            let core = open_core(config).await?;
            let owner = find_owner(&core, owner.as_deref()).await?;
            let actor = core.create_session(owner, "").await?;
            let actor = core_server::services::Actor {
                user: actor.user,
                session: actor.session,
            };
            let team = core
                .create_team(
                    &actor,
                    NewTeam {
                        name,
                        display_name,
                        description: String::new(),
                        team_type: None,
                    },
                )
                .await;
            // The session existed only to act as the owner.
            core.logout(&actor).await?;
            let team = team?;
            println!(
                "created team {} ({}) owned by {}",
                team.name, team.id, actor.user.username
            );
            Ok(())
        }
        Command::User {
            command: UserCommand::Admin(command),
        } => crate::admin_cli::user(&open_core(config).await?, command).await,
        Command::Team {
            command: TeamCommand::Admin(command),
        } => crate::admin_cli::team(&open_core(config).await?, command).await,
        Command::Channel { command } => {
            crate::admin_cli::channel(&open_core(config).await?, command).await
        }
        Command::Post { command } => {
            crate::admin_cli::post(&open_core(config).await?, command).await
        }
        Command::Backup { out } => crate::backup::backup(&open_core(config).await?, &out).await,
        Command::Restore { file } => crate::backup::restore(&config, &file).await,
        Command::Import {
            command: ImportCommand::Mattermost { file, dry_run },
        } => {
            let core = open_core(config).await?;
            crate::bulk_cli::import(&core, &file, dry_run).await
        }
        Command::Export {
            command: ExportCommand::Mattermost { out },
        } => {
            let core = open_core(config).await?;
            crate::bulk_cli::export(&core, &out).await
        }
        Command::Config { .. }
        | Command::Bench { .. }
        | Command::Import { .. }
        | Command::Routes { .. }
        | Command::Openapi => Ok(()),
    }
}

async fn find_owner(core: &Core, owner: Option<&str>) -> anyhow::Result<core_server::model::User> {
    if let Some(login) = owner {
        let login = login.to_lowercase();
        let found = if login.contains('@') {
            core.store.get_user_by_email(&login).await
        } else {
            core.store.get_user_by_username(&login).await
        };
        return found.with_context(|| format!("no user {login}"));
    }
    crate::admin_cli::first_admin(core).await?.ok_or_else(|| {
        anyhow::anyhow!("no system admin exists: create one with `rustchat user create --system-admin` or pass --owner")
    })
}

async fn serve(config: Config, config_file: Option<PathBuf>) -> anyhow::Result<()> {
    let addr = config.listen_addr()?;
    let metrics = match &config.metrics_listen {
        Some(_) => Some(crate::metrics_listener::install()?),
        None => None,
    };
    let grace = Duration::from_secs(config.shutdown_timeout_seconds);
    // Listening before the database is ready: until then every request is
    // answered 503 (see `until_ready`), and so is the readiness check.
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("cannot listen on {addr} (RUSTCHAT_LISTEN)"))?;
    let local = listener.local_addr()?;
    let app_cell = Arc::new(OnceLock::new());
    let (stop_tx, stop_rx) = watch::channel(false);
    tokio::spawn(async move {
        core_server::server::shutdown_signal().await;
        let _ = stop_tx.send(true);
    });
    let mut server = tokio::spawn(core_server::server::serve(
        listener,
        core_server::server::until_ready(app_cell.clone()),
        stopped(stop_rx.clone()),
    ));

    let core = open_core(config).await?;
    core_server::realtime::cluster::connect(&core).context("cannot use RUSTCHAT_REDIS_URL")?;
    // Jobs a stopped server left unfinished run again (or fail) now.
    core.start_job_recovery();
    core.start_background();
    let routes = mm_bridge::router(core.clone()).fallback(web_assets::serve);
    let _ = app_cell.set(core_server::server::app(core.clone(), routes));
    if let (Some(handle), Some(metrics_addr)) = (metrics, core.config().metrics_listen.as_deref()) {
        crate::metrics_listener::serve(metrics_addr, core.clone(), handle).await?;
    }
    tracing::info!(
        "rustchat {} listening on http://{} (database: {}, data dir: {}, fan-out: {})",
        env!("CARGO_PKG_VERSION"),
        local,
        core.store.backend(),
        core.config().data_dir.display(),
        if core.config().redis_url.is_some() {
            "redis"
        } else {
            "in-process"
        }
    );
    if let Some(warning) = core.config().open_sign_up_warning() {
        tracing::warn!("{warning}");
    }
    crate::reload::on_hangup(core.clone(), config_file);

    // Running: until the server stops by itself or is told to. The stop is
    // checked first: a graceful stop also ends the server task, and when both
    // are ready the sockets must still be told to go (1001) rather than
    // dropped without a close frame.
    tokio::select! {
        biased;
        () = stopped(stop_rx) => {}
        finished = &mut server => return finished.context("the server task failed")?.map_err(Into::into),
    }
    // Sockets are told to go at once (code 1001), so their clients reconnect
    // (to another node, in a cluster) while the requests in flight finish.
    let told = core.hub.shut_down();
    tracing::info!(sockets = told, "closing WebSockets with 1001 (going away)");
    match tokio::time::timeout(grace, &mut server).await {
        Ok(finished) => finished.context("the server task failed")??,
        Err(_) => tracing::warn!(
            "requests still in flight after {} s (RUSTCHAT_SHUTDOWN_TIMEOUT_SECONDS): stopping anyway",
            grace.as_secs()
        ),
    }
    // The sockets' closing handshakes, then the events they may have raised.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    while core.hub.stats().active_connections > 0 && tokio::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    core.events.settled().await;
    tracing::info!("stopped");
    Ok(())
}

/// Resolves once the stop flag is raised.
async fn stopped(mut stop: watch::Receiver<bool>) {
    while !*stop.borrow_and_update() {
        if stop.changed().await.is_err() {
            // The signal task is gone: never stop on its account.
            std::future::pending::<()>().await;
        }
    }
}
