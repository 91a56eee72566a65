//! `push-proxy --config push-proxy.json [--listen 127.0.0.1:8066]`

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::Parser;
use push_proxy::config::ProxyConfig;
use push_proxy::server::{router, Proxy};

/// Mattermost-compatible push proxy: forwards pushes to FCM and APNs.
#[derive(Parser)]
#[command(version, about)]
struct Args {
    /// Configuration file (Mattermost push proxy's JSON format). Without
    /// it the proxy runs with no apps and fails every push.
    #[arg(long)]
    config: Option<PathBuf>,
    /// Address and port to listen on (overrides ListenAddress).
    #[arg(long)]
    listen: Option<String>,
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .init();
    let config = match &args.config {
        Some(path) => match ProxyConfig::load(path) {
            Ok(c) => c,
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::FAILURE;
            }
        },
        None => ProxyConfig::default(),
    };
    let proxy = match Proxy::new(&config) {
        Ok(p) => Arc::new(p),
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let listen = args.listen.unwrap_or_else(|| config.listen_socket());
    let listener = match tokio::net::TcpListener::bind(&listen).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("error: cannot listen on {listen} (--listen): {e}");
            return ExitCode::FAILURE;
        }
    };
    tracing::info!("push-proxy listening on {listen}");
    match axum::serve(listener, router(proxy)).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
