//! The proxy's HTTP API, as Mattermost servers call it: `POST
//! /api/v1/send_push`, `POST /api/v1/ack`, plus `/metrics` and `/version`.
//! Answers are always HTTP 200 with a status body, as Mattermost's proxy.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::State;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};

use crate::apns::{ApnsClient, ApnsSetupError};
use crate::config::ProxyConfig;
use crate::fcm::{FcmClient, FcmSetupError};
use crate::metrics::{label, Metrics};
use crate::notification::{Delivery, PushNotification, PushNotificationAck, PushResponse};

/// Mattermost's proxy cuts these to fit the services' limits.
const MAX_MESSAGE_BYTES: usize = 2046;
const MAX_CHANNEL_NAME_BYTES: usize = 64;

#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    #[error("Android {platform}: {source}")]
    Android {
        platform: String,
        source: FcmSetupError,
    },
    #[error("Apple {platform}: {source}")]
    Apple {
        platform: String,
        source: ApnsSetupError,
    },
    #[error("cannot build the HTTP client: {0}")]
    Client(String),
}

enum Target {
    Android(FcmClient),
    Apple(ApnsClient),
}

pub struct Proxy {
    targets: HashMap<String, Target>,
    timeout: Duration,
    pub metrics: Metrics,
}

impl Proxy {
    /// One client per configured app; a credential that cannot be read is an error.
    pub fn new(config: &ProxyConfig) -> Result<Self, SetupError> {
        let timeout = Duration::from_secs(config.send_timeout_sec.max(1));
        let http = reqwest::Client::builder()
            .timeout(timeout)
            .build()
            .map_err(|e| SetupError::Client(e.to_string()))?;
        let mut targets = HashMap::new();
        for settings in &config.android_push_settings {
            // Mattermost's sample file lists apps without credentials: skip those.
            if settings.service_file_location.is_empty() {
                tracing::warn!(platform = %settings.platform, "no ServiceFileLocation: platform skipped");
                continue;
            }
            let client =
                FcmClient::new(settings, http.clone()).map_err(|source| SetupError::Android {
                    platform: settings.platform.clone(),
                    source,
                })?;
            targets.insert(settings.platform.clone(), Target::Android(client));
        }
        for settings in &config.apple_push_settings {
            if settings.apple_auth_key_file.is_empty()
                && settings.apple_push_cert_private.is_empty()
            {
                tracing::warn!(platform = %settings.platform, "no Apple credentials: platform skipped");
                continue;
            }
            let client =
                ApnsClient::new(settings, timeout).map_err(|source| SetupError::Apple {
                    platform: settings.platform.clone(),
                    source,
                })?;
            targets.insert(settings.platform.clone(), Target::Apple(client));
        }
        Ok(Proxy {
            targets,
            timeout,
            metrics: Metrics::default(),
        })
    }

    /// Checks, trims and delivers one notification.
    pub async fn send(&self, mut n: PushNotification) -> PushResponse {
        if n.server_id.is_empty() {
            return self.bad_request("Failed because of missing server Id");
        }
        if n.device_id.is_empty() {
            return self.bad_request(format!(
                "Failed because of missing device Id serverId={}",
                n.server_id
            ));
        }
        truncate(&mut n.message, MAX_MESSAGE_BYTES);
        truncate(&mut n.channel_name, MAX_CHANNEL_NAME_BYTES);
        let (platform, app_version) = n.platform_and_version();
        let platform = platform.to_string();
        let Some(target) = self.targets.get(&platform) else {
            return self.bad_request(format!(
                "Did not send message because of missing platform property type={} serverId={}",
                n.platform, n.server_id
            ));
        };
        // Label values are bounded: configured platforms, known types.
        let labels = format!(
            "platform=\"{}\",type=\"{}\"",
            label(&platform),
            known_type(&n.kind)
        );
        self.metrics
            .count("service_notifications_total", labels.clone());
        let started = Instant::now();
        let delivery = tokio::time::timeout(self.timeout, async {
            match target {
                Target::Android(fcm) => fcm.send(&n).await,
                Target::Apple(apns) => apns.send(&n, app_version).await,
            }
        })
        .await
        .unwrap_or_else(|_| Delivery::Failed("the push service did not answer in time".into()));
        self.metrics.observe(&platform, started.elapsed());
        match delivery {
            Delivery::Sent => {
                self.metrics.count("service_success_total", labels);
                PushResponse::ok()
            }
            Delivery::Removed(reason) => {
                tracing::info!(%platform, %reason, "device token removed");
                self.metrics.count(
                    "service_removal_total",
                    format!(
                        "platform=\"{}\",reason=\"{}\"",
                        label(&platform),
                        label(&reason)
                    ),
                );
                PushResponse::remove()
            }
            Delivery::Failed(error) => {
                tracing::warn!(%platform, %error, "push failed");
                self.metrics.count("service_failure_total", labels);
                PushResponse::fail(error)
            }
        }
    }

    fn bad_request(&self, error: impl Into<String>) -> PushResponse {
        self.metrics
            .count("service_bad_request_total", String::new());
        PushResponse::fail(error)
    }
}

/// A metric label for a notification type: Mattermost's types, else `other`.
fn known_type(kind: &str) -> &str {
    match kind {
        "message" | "clear" | "update_badge" | "session" | "test" => kind,
        _ => "other",
    }
}

fn truncate(text: &mut String, max: usize) {
    if text.len() > max {
        let mut cut = max;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        text.truncate(cut);
    }
}

async fn send_push(State(proxy): State<Arc<Proxy>>, body: Bytes) -> Json<PushResponse> {
    match serde_json::from_slice::<PushNotification>(&body) {
        Ok(n) => Json(proxy.send(n).await),
        Err(e) => Json(proxy.bad_request(format!("Failed to read message body: {e}"))),
    }
}

async fn ack(State(proxy): State<Arc<Proxy>>, body: Bytes) -> Json<PushResponse> {
    let ack = match serde_json::from_slice::<PushNotificationAck>(&body) {
        Ok(a) => a,
        Err(e) => return Json(proxy.bad_request(format!("Failed to read ack body: {e}"))),
    };
    for (value, what) in [
        (&ack.id, "Id"),
        (&ack.platform, "platform"),
        (&ack.kind, "type"),
    ] {
        if value.is_empty() {
            return Json(proxy.bad_request(format!("Failed because of missing ack {what}")));
        }
    }
    let platform = match ack.platform.as_str() {
        p @ ("ios" | "android") => p,
        p if proxy.targets.contains_key(p) => p,
        _ => "other",
    };
    proxy.metrics.count(
        "service_delivered_total",
        format!(
            "platform=\"{}\",type=\"{}\"",
            label(platform),
            known_type(&ack.kind)
        ),
    );
    Json(PushResponse::ok())
}

async fn metrics(State(proxy): State<Arc<Proxy>>) -> String {
    proxy.metrics.render()
}

async fn version() -> Json<Value> {
    Json(json!({"version": env!("CARGO_PKG_VERSION")}))
}

/// The proxy's routes.
pub fn router(proxy: Arc<Proxy>) -> Router {
    Router::new()
        .route("/api/v1/send_push", post(send_push))
        .route("/api/v1/ack", post(ack))
        .route("/metrics", get(metrics))
        .route("/version", get(version))
        .route("/healthz", get(|| async { Json(PushResponse::ok()) }))
        .with_state(proxy)
}
