//! rustchat's push proxy: receives Mattermost push-proxy requests from chat
//! servers and forwards them to FCM and APNs. This first version only answers
//! health checks; forwarding arrives with the notifications work.

use axum::routing::get;
use axum::{Json, Router};
use clap::Parser;
use serde_json::json;

/// Mattermost-compatible push proxy.
#[derive(Parser)]
#[command(version, about)]
struct Args {
    /// Address and port to listen on.
    #[arg(long, default_value = "127.0.0.1:8066")]
    listen: String,
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let args = Args::parse();
    tracing_subscriber::fmt().init();
    let app = Router::new().route("/healthz", get(|| async { Json(json!({"status": "OK"})) }));
    let listener = match tokio::net::TcpListener::bind(&args.listen).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("error: cannot listen on {} (--listen): {e}", args.listen);
            return std::process::ExitCode::FAILURE;
        }
    };
    tracing::info!("push-proxy listening on {}", args.listen);
    match axum::serve(listener, app).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
