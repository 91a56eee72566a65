//! `rustchat bench ws-fanout`: receivers in one channel, posts into it at a
//! fixed rate, and a report of what arrived, how late, and at what cost.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use hdrhistogram::Histogram;
use serde_json::json;
use tokio::sync::{mpsc, watch, Semaphore};

use super::api::Api;
use super::measure::{mib, ms, server_stats, tool_stats, Report};
use super::poster::post_at_rate;
use super::receiver::{fanout_socket, Receivers};
use super::setup::{ensure_channel, setup, SETUP_CONCURRENCY};
use super::socket::wait_open;
use super::{check_common, FanoutArgs};

/// `rustchat bench ws-fanout`.
pub async fn fanout(args: FanoutArgs) -> anyhow::Result<()> {
    let FanoutArgs {
        common,
        receivers,
        rate,
        seconds,
        posters,
        drain,
    } = args;
    if receivers == 0 || seconds == 0 {
        bail!("--receivers and --seconds must be at least 1");
    }
    if !(1..=10_000).contains(&posters) {
        bail!("--posters must be between 1 and 10000");
    }
    if !(1..=100_000).contains(&rate) {
        bail!("--rate must be between 1 and 100000 posts per second");
    }
    let total = u64::from(rate)
        .checked_mul(seconds)
        .filter(|t| *t <= 10_000_000)
        .context("--rate × --seconds must be at most 10 million posts")?;
    check_common(&common)?;
    let api = Arc::new(Api::new(&common.url, posters.max(SETUP_CONCURRENCY))?);
    let setup = setup(&api, &common).await?;
    let channel_id: Arc<str> = Arc::from(ensure_channel(&api, &setup).await?);
    let report = Report { json: common.json };
    let server_rss_before = server_stats(common.server_pid)?;

    let shared = Arc::new(Receivers {
        url: api.ws_url.clone(),
        gate: Semaphore::new(common.connect_concurrency),
        posts: total,
        latency: Mutex::new(Histogram::new(3)?),
        delivered: AtomicU64::new(0),
    });
    let (ready_tx, mut ready_rx) = mpsc::unbounded_channel();
    let (stop_tx, stop_rx) = watch::channel(false);
    let opening = Instant::now();
    let tasks: Vec<_> = (0..receivers)
        .map(|i| {
            tokio::spawn(fanout_socket(
                shared.clone(),
                setup.token(i),
                ready_tx.clone(),
                stop_rx.clone(),
            ))
        })
        .collect();
    wait_open(&mut ready_rx, 0, receivers).await?;
    eprintln!(
        "bench: {receivers} receivers open in {:.1}s; posting {total} posts at {rate}/s",
        opening.elapsed().as_secs_f64()
    );
    // A moment for the server to finish whatever follows the last hello.
    tokio::time::sleep(Duration::from_secs(1)).await;

    let server_before = server_stats(common.server_pid)?;
    let tool_before = tool_stats()?;
    let start = Instant::now();
    let posting = post_at_rate(
        api.clone(),
        setup.admin.token.clone(),
        channel_id,
        rate,
        total,
        posters,
    )
    .await?;
    let expected = posting.ok.saturating_mul(receivers as u64);
    // Stragglers: wait until every expected delivery arrived or the drain
    // time is up.
    let drain_end = Instant::now() + Duration::from_secs(drain);
    while shared.delivered.load(Ordering::Relaxed) < expected && Instant::now() < drain_end {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let _ = stop_tx.send(true);
    let joined = tokio::time::timeout(Duration::from_secs(10), futures::future::join_all(tasks))
        .await
        .context("the receivers did not stop within 10 s")?;
    let wall = start.elapsed();
    let server_after = server_stats(common.server_pid)?;
    let tool_after = tool_stats()?;

    let (mut unique, mut duplicates, mut reordered, mut foreign, mut disconnected) =
        (0u64, 0u64, 0u64, 0u64, 0u64);
    let mut last_delivery: Option<Instant> = None;
    for tally in joined {
        let tally = tally.context("a receiver task failed")?;
        unique += tally.unique;
        duplicates += tally.duplicates;
        reordered += tally.reordered;
        foreign += tally.foreign;
        disconnected += u64::from(tally.disconnected);
        last_delivery = last_delivery.max(tally.last_delivery);
    }
    let missing = expected.saturating_sub(unique);
    let delivery_span = last_delivery.map_or(wall, |l| l.saturating_duration_since(start));
    let deliveries_per_second = unique as f64 / delivery_span.as_secs_f64().max(1e-6);
    let post_rate = posting.ok as f64 / posting.elapsed.as_secs_f64().max(1e-6);
    let (p50, p90, p99, max) = {
        let h = shared
            .latency
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        (
            ms(h.value_at_quantile(0.50)),
            ms(h.value_at_quantile(0.90)),
            ms(h.value_at_quantile(0.99)),
            ms(h.max()),
        )
    };
    let post_p50 = ms(posting.latency.value_at_quantile(0.50));
    let post_p99 = ms(posting.latency.value_at_quantile(0.99));
    let post_max = ms(posting.latency.max());
    let wall_seconds = wall.as_secs_f64().max(1e-6);
    let server_cpu = server_before
        .zip(server_after)
        .map(|(b, a)| a.cpu_seconds - b.cpu_seconds);
    let tool_cpu = tool_after.cpu_seconds - tool_before.cpu_seconds;

    report.line(&format!(
        "ws-fanout: {receivers} receivers over {} users at {}; {rate} posts/s for {seconds}s",
        setup.users.len(),
        api.ws_url
    ));
    report.line(&format!(
        "posts: {} sent and answered, {} failed; {post_rate:.1}/s achieved; HTTP latency p50 {post_p50:.1} ms, p99 {post_p99:.1} ms, max {post_max:.1} ms",
        posting.ok, posting.errors
    ));
    if let Some(e) = &posting.first_error {
        report.line(&format!("first post error: {e}"));
    }
    report.line(&format!(
        "deliveries: {unique} of {expected} expected, {missing} missing, {duplicates} duplicates, {reordered} reordered, {foreign} foreign; {deliveries_per_second:.0}/s; {disconnected} receivers disconnected"
    ));
    report.line(&format!(
        "delivery latency: p50 {p50:.1} ms, p90 {p90:.1} ms, p99 {p99:.1} ms, max {max:.1} ms"
    ));
    match (server_cpu, server_after, server_rss_before) {
        (Some(cpu), Some(after), Some(before)) => report.line(&format!(
            "server: CPU {cpu:.1}s over {wall_seconds:.1}s ({:.0}% of a core), RSS {:.1} MiB (was {:.1} MiB before the receivers)",
            cpu / wall_seconds * 100.0,
            mib(after.rss_kib),
            mib(before.rss_kib)
        )),
        _ => report.line("server: n/a (pass --server-pid)"),
    }
    report.line(&format!(
        "tool: CPU {tool_cpu:.1}s ({:.0}% of a core), RSS {:.1} MiB",
        tool_cpu / wall_seconds * 100.0,
        mib(tool_after.rss_kib)
    ));
    report.record(&json!({
        "bench": "ws-fanout",
        "url": common.url,
        "users": setup.users.len(),
        "receivers": receivers,
        "rate_target": rate,
        "seconds": seconds,
        "posts_sent": posting.ok + posting.errors,
        "posts_ok": posting.ok,
        "post_errors": posting.errors,
        "post_rate": post_rate,
        "post_latency_ms": {"p50": post_p50, "p99": post_p99, "max": post_max},
        "expected_deliveries": expected,
        "deliveries": unique,
        "missing": missing,
        "duplicates": duplicates,
        "reordered": reordered,
        "foreign": foreign,
        "disconnected": disconnected,
        "deliveries_per_second": deliveries_per_second,
        "latency_ms": {"p50": p50, "p90": p90, "p99": p99, "max": max},
        "wall_seconds": wall_seconds,
        "server_cpu_seconds": server_cpu,
        "server_rss_kib": server_after.map(|s| s.rss_kib),
        "server_rss_before_kib": server_rss_before.map(|s| s.rss_kib),
        "tool_cpu_seconds": tool_cpu,
        "tool_rss_kib": tool_after.rss_kib,
    }));
    Ok(())
}
