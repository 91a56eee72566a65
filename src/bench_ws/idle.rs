//! `rustchat bench ws-idle`: sockets opened in steps, and the server's
//! resident memory after each, for the cost of one idle connection.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::bail;
use futures::StreamExt;
use serde_json::json;
use tokio::sync::{mpsc, watch, Semaphore};
use tokio_tungstenite::tungstenite::Message;

use super::api::Api;
use super::measure::{mib, server_stats, tool_stats, Report};
use super::setup::{setup, SETUP_CONCURRENCY};
use super::socket::{open_socket, wait_open};
use super::{check_common, IdleArgs};

/// One idle socket: opens, reports, then only reads (which also answers the
/// server's pings) until told to stop. A socket the server closes is counted
/// in `dropped`.
async fn idle_socket(
    url: Arc<str>,
    token: Arc<str>,
    gate: Arc<Semaphore>,
    ready: mpsc::UnboundedSender<anyhow::Result<()>>,
    mut stop: watch::Receiver<bool>,
    dropped: Arc<AtomicUsize>,
) {
    let opened = {
        let _permit = gate.acquire().await;
        open_socket(&url, &token).await
    };
    let mut ws = match opened {
        Ok(ws) => ws,
        Err(e) => {
            let _ = ready.send(Err(e));
            return;
        }
    };
    let _ = ready.send(Ok(()));
    loop {
        tokio::select! {
            msg = ws.next() => match msg {
                Some(Ok(Message::Close(_)) | Err(_)) | None => {
                    dropped.fetch_add(1, Ordering::Relaxed);
                    return;
                }
                Some(Ok(_)) => {}
            },
            _ = stop.changed() => break,
        }
    }
    let _ = ws.close(None).await;
}

/// `rustchat bench ws-idle`.
pub async fn idle(args: IdleArgs) -> anyhow::Result<()> {
    let IdleArgs {
        common,
        connections,
        settle,
    } = args;
    if connections.is_empty()
        || connections.contains(&0)
        || connections.windows(2).any(|w| w[0] >= w[1])
    {
        bail!("--connections must be ascending totals above 0, e.g. 1000,5000,10000");
    }
    check_common(&common)?;
    let api = Api::new(&common.url, SETUP_CONCURRENCY)?;
    let setup = setup(&api, &common).await?;
    let report = Report { json: common.json };
    let baseline = server_stats(common.server_pid)?;
    report.line(&format!(
        "ws-idle: sockets over {} users at {}; server baseline RSS {}",
        setup.users.len(),
        api.ws_url,
        baseline.map_or_else(
            || "n/a (pass --server-pid)".to_string(),
            |b| format!("{:.1} MiB", mib(b.rss_kib))
        )
    ));

    let url: Arc<str> = Arc::from(api.ws_url.as_str());
    let gate = Arc::new(Semaphore::new(common.connect_concurrency));
    let (ready_tx, mut ready_rx) = mpsc::unbounded_channel();
    let (stop_tx, stop_rx) = watch::channel(false);
    let dropped = Arc::new(AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for &target in &connections {
        let started = Instant::now();
        let from = tasks.len();
        for i in from..target {
            tasks.push(tokio::spawn(idle_socket(
                url.clone(),
                setup.token(i),
                gate.clone(),
                ready_tx.clone(),
                stop_rx.clone(),
                dropped.clone(),
            )));
        }
        wait_open(&mut ready_rx, from, target).await?;
        let open_seconds = started.elapsed().as_secs_f64();
        tokio::time::sleep(Duration::from_secs(settle)).await;
        let server = server_stats(common.server_pid)?;
        let tool = tool_stats()?;
        let closed = dropped.load(Ordering::Relaxed);
        let per_connection = server
            .zip(baseline)
            .map(|(s, b)| (s.rss_kib as f64 - b.rss_kib as f64) / target as f64);
        let server_text = match (server, per_connection) {
            (Some(s), Some(per)) => format!(
                "server RSS {:.1} MiB ({per:+.1} KiB per connection over baseline), CPU {:.1}s",
                mib(s.rss_kib),
                s.cpu_seconds
            ),
            _ => "server RSS n/a".to_string(),
        };
        report.line(&format!(
            "{target:>6} sockets: opened in {open_seconds:.1}s; {server_text}; tool RSS {:.1} MiB, CPU {:.1}s; {closed} closed by the server",
            mib(tool.rss_kib),
            tool.cpu_seconds
        ));
        report.record(&json!({
            "bench": "ws-idle",
            "url": common.url,
            "users": setup.users.len(),
            "connections": target,
            "open_seconds": open_seconds,
            "server_baseline_rss_kib": baseline.map(|b| b.rss_kib),
            "server_rss_kib": server.map(|s| s.rss_kib),
            "kib_per_connection": per_connection,
            "server_cpu_seconds": server.map(|s| s.cpu_seconds),
            "tool_rss_kib": tool.rss_kib,
            "tool_cpu_seconds": tool.cpu_seconds,
            "closed_by_server": closed,
        }));
    }
    let _ = stop_tx.send(true);
    // Close politely, but do not let a stuck socket hold up the exit.
    let _ = tokio::time::timeout(Duration::from_secs(10), futures::future::join_all(tasks)).await;
    Ok(())
}
