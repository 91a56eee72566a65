//! `rustchat bench ws-idle` and `rustchat bench ws-fanout`: WebSocket load
//! through Mattermost's public API v4 only (login, users, teams, channels,
//! posts and `/api/v4/websocket`), so the same numbers can be taken against
//! rustchat and against Mattermost itself.
//!
//! `ws-idle` opens sockets in steps and reads the server's resident memory
//! after each, for the cost of one idle connection. `ws-fanout` opens
//! receivers in one channel and posts into it at a fixed rate, counting the
//! `posted` events that arrive and how late they are.
//!
//! The tool usually shares a small machine with the server, so it must stay
//! cheap: one task per socket with a 4 KiB read buffer and no write
//! buffering, and a substring check before any frame is parsed. It reports
//! its own CPU time and memory next to the server's so a reader can see it
//! was not the bottleneck.
//!
//! Thousands of sockets need thousands of file descriptors, in this process
//! and in the server. The tool cannot raise its own limit (that needs libc,
//! which it does not use directly): run `ulimit -n 65536` in the shell first.
//! A socket that fails with "Too many open files" stops the run with that
//! advice.
//!
//! Memory and CPU figures come from `/proc`, so `--server-pid` works only
//! for a server on the same Linux machine.

pub(crate) mod api;
mod fanout;
mod idle;
pub(crate) mod measure;
mod poster;
mod receiver;
pub(crate) mod setup;
pub(crate) mod socket;
#[cfg(test)]
mod tests;

use anyhow::bail;

pub use fanout::fanout;
pub use idle::idle;

#[derive(clap::Args)]
pub struct CommonArgs {
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
    /// Distinct users the sockets are spread over, round robin.
    #[arg(long, default_value_t = 100)]
    users: usize,
    /// Pid of the server, to read its memory and CPU time from /proc
    /// (same Linux machine only).
    #[arg(long)]
    server_pid: Option<u32>,
    /// Sockets being opened at once, so the server is not flooded with
    /// connection attempts.
    #[arg(long, default_value_t = 200)]
    connect_concurrency: usize,
    /// Print one JSON object per step or run on stdout (the human report then
    /// goes to stderr).
    #[arg(long)]
    json: bool,
}

#[derive(clap::Args)]
pub struct IdleArgs {
    #[command(flatten)]
    common: CommonArgs,
    /// Total open sockets after each step, ascending; a step keeps the
    /// previous step's sockets open and adds the difference.
    #[arg(long, value_delimiter = ',', default_value = "1000,5000,10000")]
    connections: Vec<usize>,
    /// Seconds to wait after a step's last `hello` before reading memory.
    #[arg(long, default_value_t = 3)]
    settle: u64,
}

#[derive(clap::Args)]
pub struct FanoutArgs {
    #[command(flatten)]
    common: CommonArgs,
    /// Receiving sockets, all of them members of the one bench channel.
    #[arg(long, default_value_t = 1000)]
    receivers: usize,
    /// Posts per second.
    #[arg(long, default_value_t = 100)]
    rate: u32,
    /// Seconds of posting.
    #[arg(long, default_value_t = 60)]
    seconds: u64,
    /// HTTP posts in flight at most: more than one, so that the round trip of
    /// one post does not cap the rate.
    #[arg(long, default_value_t = 16)]
    posters: usize,
    /// Seconds to wait for late deliveries after the last post was answered.
    #[arg(long, default_value_t = 5)]
    drain: u64,
}

/// Checks shared by both benches, before any setup.
fn check_common(common: &CommonArgs) -> anyhow::Result<()> {
    if !(1..=100_000).contains(&common.connect_concurrency) {
        bail!("--connect-concurrency must be between 1 and 100000");
    }
    // Fail before the setup, not after minutes of it.
    measure::server_stats(common.server_pid)?;
    Ok(())
}
