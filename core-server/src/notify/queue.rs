//! The push sender: takes due jobs from the database (leased, so two nodes
//! never send one twice), posts each to the push proxy, and acts on the
//! answer: `OK` is done, `REMOVE` forgets the session's device, `FAIL` is
//! logged. A proxy that cannot be reached (or answers other than 200) is
//! retried with exponential backoff; jobs survive restarts.

use std::time::Duration;

use serde::Deserialize;

use super::push::PushNotification;
use crate::model::PushJob;
use crate::services::Core;
use crate::time::now_ms;

/// Jobs taken per round.
const BATCH: i64 = 50;
/// How long a node owns the jobs it took.
const LEASE_MS: i64 = 60_000;
/// Idle polling, for jobs queued by other nodes or due for a retry.
const POLL: Duration = Duration::from_secs(1);
/// First retry after this long, doubling up to `MAX_BACKOFF_MS`.
const FIRST_BACKOFF_MS: i64 = 1_000;
const MAX_BACKOFF_MS: i64 = 5 * 60_000;
/// After this many failed attempts a push is dropped…
pub const MAX_ATTEMPTS: i64 = 20;
/// …and after this long: a push about an hour-old message only confuses.
pub const MAX_AGE_MS: i64 = 60 * 60_000;

#[derive(Deserialize)]
struct ProxyAnswer {
    status: String,
    #[serde(default)]
    error: String,
}

/// What one attempt came to.
enum Outcome {
    Done,
    /// The push service refused it for good: done, but not delivered.
    Refused,
    Removed,
    Retry(String),
}

/// The delay before attempt `attempts + 1`.
pub fn backoff_ms(attempts: i64) -> i64 {
    let exponent = u32::try_from(attempts.clamp(0, 20)).unwrap_or(20);
    FIRST_BACKOFF_MS
        .saturating_mul(1_i64 << exponent.min(16))
        .min(MAX_BACKOFF_MS)
}

/// The one HTTP client to the push proxy (sends and acks), with a 30 s limit.
pub(super) fn proxy_client() -> &'static reqwest::Client {
    static CLIENT: std::sync::OnceLock<reqwest::Client> = std::sync::OnceLock::new();
    CLIENT.get_or_init(|| {
        reqwest::Client::builder()
            .timeout(Duration::from_secs(30))
            .build()
            .unwrap_or_default()
    })
}

impl Core {
    /// Starts the push sender (once per node, when a push proxy is set).
    pub(crate) fn start_push_sender(&self) {
        let Some(url) = self.config().push_proxy_url.clone() else {
            return;
        };
        let send_url = format!("{}/api/v1/send_push", url.trim_end_matches('/'));
        let http = proxy_client().clone();
        let core = self.clone();
        tokio::spawn(async move {
            loop {
                let sent = core.send_due_pushes(&http, &send_url).await;
                if sent < BATCH as usize {
                    // Woken early by new jobs; otherwise poll for retries.
                    let _ = tokio::time::timeout(POLL, core.push_wake.notified()).await;
                }
            }
        });
    }

    /// One round: sends the due jobs, returns how many were taken.
    pub async fn send_due_pushes(&self, http: &reqwest::Client, send_url: &str) -> usize {
        let now = now_ms();
        let jobs = match self.store.claim_pushes(now, now + LEASE_MS, BATCH).await {
            Ok(jobs) => jobs,
            Err(e) => {
                tracing::warn!(error = %e, "cannot read the push queue");
                return 0;
            }
        };
        let taken = jobs.len();
        let sends = jobs.into_iter().map(|job| async move {
            let outcome = self.deliver(http, send_url, &job).await;
            crate::metrics::push_sent(matches!(outcome, Outcome::Done));
            self.settle(job, outcome).await;
        });
        futures::future::join_all(sends).await;
        taken
    }

    async fn deliver(&self, http: &reqwest::Client, send_url: &str, job: &PushJob) -> Outcome {
        let answer = match http
            .post(send_url)
            .header("content-type", "application/json")
            .body(job.payload.clone())
            .send()
            .await
        {
            Ok(answer) => answer,
            Err(e) => return Outcome::Retry(format!("push proxy unreachable: {e}")),
        };
        if !answer.status().is_success() {
            return Outcome::Retry(format!("push proxy answered HTTP {}", answer.status()));
        }
        match answer.json::<ProxyAnswer>().await {
            Ok(a) if a.status == "OK" => Outcome::Done,
            Ok(a) if a.status == "REMOVE" => Outcome::Removed,
            Ok(a) => {
                // The proxy reached the push service, which refused: retrying
                // would be refused again.
                tracing::warn!(user_id = %job.user_id, error = %a.error, "push refused by the push proxy");
                Outcome::Refused
            }
            Err(e) => Outcome::Retry(format!("unreadable push proxy answer: {e}")),
        }
    }

    async fn settle(&self, job: PushJob, outcome: Outcome) {
        let result = match outcome {
            Outcome::Done | Outcome::Refused => self.store.finish_push(&job.id).await,
            Outcome::Removed => {
                let device = serde_json::from_str::<PushNotification>(&job.payload)
                    .map(|n| format!("{}:{}", n.platform, n.device_id))
                    .unwrap_or_default();
                tracing::info!(user_id = %job.user_id, "the push proxy reports the device removed");
                match self
                    .store
                    .clear_session_device(&job.session_id, &device)
                    .await
                {
                    Ok(()) => self.store.finish_push(&job.id).await,
                    Err(e) => Err(e),
                }
            }
            Outcome::Retry(reason) => {
                let attempts = job.attempts + 1;
                if attempts >= MAX_ATTEMPTS || now_ms() - job.create_at > MAX_AGE_MS {
                    tracing::error!(user_id = %job.user_id, %reason, attempts, "push dropped after repeated failures");
                    self.store.finish_push(&job.id).await
                } else {
                    tracing::warn!(user_id = %job.user_id, %reason, attempts, "push will be retried");
                    self.store
                        .retry_push(&job.id, attempts, now_ms() + backoff_ms(job.attempts))
                        .await
                }
            }
        };
        if let Err(e) = result {
            tracing::warn!(error = %e, job_id = %job.id, "cannot update the push queue");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_is_capped() {
        assert_eq!(backoff_ms(0), 1_000);
        assert_eq!(backoff_ms(1), 2_000);
        assert_eq!(backoff_ms(5), 32_000);
        assert_eq!(backoff_ms(19), MAX_BACKOFF_MS);
    }
}
