//! The posting side of `ws-fanout`: bench posts at a fixed rate, each
//! carrying its number and send time, with the HTTP round trip of each.

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use hdrhistogram::Histogram;
use reqwest::Method;
use serde_json::json;
use tokio::sync::Semaphore;
use tokio::time::MissedTickBehavior;

use super::api::Api;
use super::measure::{micros, now_micros};

/// What the posting side saw.
pub(super) struct Posting {
    pub(super) ok: u64,
    pub(super) errors: u64,
    pub(super) first_error: Option<String>,
    /// From the first post being sent to the last.
    pub(super) elapsed: Duration,
    /// HTTP round trip of each post, µs.
    pub(super) latency: Histogram<u64>,
}

/// Posts `total` messages at `rate` per second from a fixed-period ticker,
/// each in its own task with at most `posters` in flight, so one slow round
/// trip delays no other post.
pub(super) async fn post_at_rate(
    api: Arc<Api>,
    token: Arc<str>,
    channel_id: Arc<str>,
    rate: u32,
    total: u64,
    posters: usize,
) -> anyhow::Result<Posting> {
    let mut ticker = tokio::time::interval(Duration::from_secs_f64(1.0 / f64::from(rate)));
    // After a stall, catch up: a run always sends `total` posts, and the
    // achieved rate shows the stall.
    ticker.set_missed_tick_behavior(MissedTickBehavior::Burst);
    let slots = Arc::new(Semaphore::new(posters));
    let mut tasks = Vec::with_capacity(usize::try_from(total).unwrap_or(0));
    let start = Instant::now();
    for n in 0..total {
        ticker.tick().await;
        let permit = slots
            .clone()
            .acquire_owned()
            .await
            .context("the poster slots closed")?;
        let (api, token, channel_id) = (api.clone(), token.clone(), channel_id.clone());
        tasks.push(tokio::spawn(async move {
            let _permit = permit;
            let body = json!({
                "channel_id": &*channel_id,
                "message": format!("bench:{n}:{}", now_micros()),
            });
            let t0 = Instant::now();
            let result = api
                .call(Method::POST, "/api/v4/posts", Some(&*token), Some(body))
                .await;
            (result.map(|_| ()), t0.elapsed())
        }));
    }
    let elapsed = start.elapsed();
    let mut posting = Posting {
        ok: 0,
        errors: 0,
        first_error: None,
        elapsed,
        latency: Histogram::new(3)?,
    };
    for task in tasks {
        let (result, took) = task.await.context("a poster task failed")?;
        let _ = posting.latency.record(micros(took));
        match result {
            Ok(()) => posting.ok += 1,
            Err(e) => {
                posting.errors += 1;
                if posting.first_error.is_none() {
                    posting.first_error = Some(format!("{e:#}"));
                }
            }
        }
    }
    Ok(posting)
}
