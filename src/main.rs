//! The rustchat server binary: `serve`, `migrate`, `user`, `team`, `channel`, `post`, `config`, `bench`, …

mod admin_cli;
mod backup;
mod bench;
mod bench_bulk;
mod bench_search;
mod bench_users;
mod bench_ws;
mod bulk_cli;
mod cli;
mod logging;
mod metrics_listener;
mod reload;

use clap::Parser;

/// The process allocator: see the note on the dependency in Cargo.toml.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    let args = cli::Cli::parse();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match runtime.block_on(cli::run(args)) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
