//! `rustchat bench users`: a Mattermost-style load test. Simulated users
//! behave as Mattermost's load-test-ng models them (its "simulative" user
//! controller): each logs in through API v4, keeps a WebSocket open
//! (authenticated by an `authentication_challenge` frame) and reads it, and
//! then, after an idle time drawn as load-test-ng draws it, takes an action
//! picked by load-test-ng's frequencies: switch or scroll a channel, open a
//! direct channel, check unreads, post or reply in a thread (announced by
//! a `user_typing` frame), react, edit, view threads, reconnect, search
//! users, posts or channels, switch team.
//!
//! Users are added in steps. Each step settles, is measured for a fixed
//! time, and is judged against load-test-ng's client-side alert thresholds
//! (mean and p99 request latency, share of errors and of timeouts). The
//! ramp stops at the first step that breaks one; the largest step that
//! held is the number of supported users.
//!
//! The tool shares the machine with the server: it keeps its cost down with
//! one task per user, one pooled HTTP client, sockets with small buffers
//! whose frames are counted and never parsed, and it reports its own CPU
//! next to the server's (from `/proc`, with `--server-pid`). Thousands of
//! users need thousands of file descriptors: run `ulimit -n 65536` first.

mod actions;
mod client;
mod model;
mod run;
mod setup;
mod stats;
#[cfg(test)]
mod tests;
mod thresholds;
mod user;
mod words;

pub use run::run;

#[derive(clap::Args)]
pub struct UsersArgs {
    /// Base URL of the server (http:// only: the tool has no TLS).
    #[arg(long, default_value = "http://127.0.0.1:8065")]
    url: String,
    /// Username of an admin account. Created with --password when it cannot
    /// log in; on a fresh server the first user becomes the system admin.
    #[arg(long, default_value = "benchadmin")]
    admin: String,
    /// Password of the admin, and of the bench users it creates.
    #[arg(long, default_value = "bench-password-1")]
    password: String,
    /// Users of the first step.
    #[arg(long, default_value_t = 1000)]
    initial_users: usize,
    /// Users added at each further step.
    #[arg(long, default_value_t = 1000)]
    ramp_step: usize,
    /// Seconds each step is measured (load-test-ng's alerts look at the
    /// last minute).
    #[arg(long, default_value_t = 60)]
    step_seconds: u64,
    /// Seconds between the last new user starting and the measurement, so
    /// logins and first screens stay out of it.
    #[arg(long, default_value_t = 15)]
    settle_seconds: u64,
    /// Largest number of users; the ramp stops there even if the
    /// thresholds hold.
    #[arg(long, default_value_t = 20000)]
    max_users: usize,
    /// Accounts made (with their team and channel memberships) before the
    /// first step, as load-test-ng's set-up does; the ramp makes any more
    /// it needs. Making an account hashes its password, which on a loaded
    /// server would take the place of the load being measured. 0: none.
    #[arg(long, default_value_t = 0)]
    accounts: usize,
    /// Teams of the set-up data (load-test-ng's default: 2).
    #[arg(long, default_value_t = 2)]
    teams: usize,
    /// Public channels per team.
    #[arg(long, default_value_t = 20)]
    channels: usize,
    /// Channels of each team every user is a member of.
    #[arg(long, default_value_t = 5)]
    user_channels: usize,
    /// Shortest idle time between two actions, ms (load-test-ng: 1000).
    #[arg(long, default_value_t = 1000)]
    min_idle_ms: u64,
    /// Mean idle time between two actions, ms (load-test-ng: 20000).
    #[arg(long, default_value_t = 20000)]
    avg_idle_ms: u64,
    /// Idle-time multipliers and the share of users with each, as
    /// load-test-ng's RatesDistribution: `rate:share,…`. Its default is
    /// every user at 1.0; its sample configuration uses
    /// `1:0.05,2:0.1,3:0.15,6:0.4,30:0.3`.
    #[arg(long, default_value = "1:1")]
    rates: String,
    /// Seconds before a request counts as timed out.
    #[arg(long, default_value_t = 30)]
    request_timeout: u64,
    /// Logins (and socket openings) in flight at once while a step starts.
    #[arg(long, default_value_t = 16)]
    start_concurrency: usize,
    /// Start new users at once, as fast as --start-concurrency allows,
    /// instead of as load-test-ng does (each new user waits one idle time
    /// before logging in and another before its first screen, so a step's
    /// logins spread over about twice the mean idle time). Harsher than
    /// load-test-ng: it measures a login storm on top of the running users.
    #[arg(long)]
    burst_start: bool,
    /// Pid of the server, to read its CPU time and memory from /proc (same
    /// Linux machine only).
    #[arg(long)]
    server_pid: Option<u32>,
    #[command(flatten)]
    thresholds: thresholds::Thresholds,
}
