//! iOS: APNs over HTTP/2, authenticated by a provider token (an ES256 JWT
//! made from the team's `.p8` key, renewed every 50 minutes) or by a client
//! certificate.

use std::time::{Duration, Instant};

use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{json, Map, Value};
use tokio::sync::Mutex;

use crate::config::AppleSettings;
use crate::notification::{Delivery, PushNotification};

/// APNs' reasons for a token that will never work again.
const GONE: &[&str] = &[
    "BadDeviceToken",
    "Unregistered",
    "MissingDeviceToken",
    "DeviceTokenNotForTopic",
];
const TOKEN_LIFETIME: Duration = Duration::from_secs(50 * 60);

#[derive(Debug, thiserror::Error)]
pub enum ApnsSetupError {
    #[error("cannot read {path}: {reason}")]
    File { path: String, reason: String },
    #[error("{0}")]
    Credentials(String),
    #[error("cannot build the HTTP/2 client: {0}")]
    Client(String),
}

enum Auth {
    Token {
        key: EncodingKey,
        key_id: String,
        team_id: String,
        cached: Mutex<Option<(String, Instant)>>,
    },
    /// The client certificate is in the HTTP client itself.
    Certificate,
}

pub struct ApnsClient {
    http: reqwest::Client,
    endpoint: String,
    topic: String,
    auth: Auth,
}

fn read(path: &str) -> Result<Vec<u8>, ApnsSetupError> {
    std::fs::read(path).map_err(|e| ApnsSetupError::File {
        path: path.into(),
        reason: e.to_string(),
    })
}

impl ApnsClient {
    pub fn new(settings: &AppleSettings, timeout: Duration) -> Result<Self, ApnsSetupError> {
        let endpoint = settings.endpoint();
        let mut builder = reqwest::Client::builder().timeout(timeout);
        // APNs speaks HTTP/2 only: negotiated by ALPN over TLS, and assumed on
        // a plain-text endpoint (a local gateway).
        if endpoint.starts_with("http://") {
            builder = builder.http2_prior_knowledge();
        }
        let token_auth = !settings.apple_auth_key_file.is_empty()
            && !settings.apple_auth_key_id.is_empty()
            && !settings.apple_team_id.is_empty();
        let auth = if token_auth {
            let key =
                EncodingKey::from_ec_pem(&read(&settings.apple_auth_key_file)?).map_err(|e| {
                    ApnsSetupError::Credentials(format!("AppleAuthKeyFile is not a P-256 key: {e}"))
                })?;
            Auth::Token {
                key,
                key_id: settings.apple_auth_key_id.clone(),
                team_id: settings.apple_team_id.clone(),
                cached: Mutex::new(None),
            }
        } else if !settings.apple_push_cert_private.is_empty() {
            let identity = reqwest::Identity::from_pem(&read(&settings.apple_push_cert_private)?)
                .map_err(|e| {
                ApnsSetupError::Credentials(format!(
                    "ApplePushCertPrivate must hold a certificate and its key (PEM): {e}"
                ))
            })?;
            builder = builder.identity(identity);
            Auth::Certificate
        } else {
            return Err(ApnsSetupError::Credentials(format!(
                "{}: set AppleAuthKeyFile, AppleAuthKeyID and AppleTeamID, or ApplePushCertPrivate",
                settings.platform
            )));
        };
        Ok(ApnsClient {
            http: builder
                .build()
                .map_err(|e| ApnsSetupError::Client(e.to_string()))?,
            endpoint,
            topic: settings.apple_push_topic.clone(),
            auth,
        })
    }

    async fn bearer(&self) -> Result<Option<String>, String> {
        let Auth::Token {
            key,
            key_id,
            team_id,
            cached,
        } = &self.auth
        else {
            return Ok(None);
        };
        let mut cached = cached.lock().await;
        if let Some((token, made)) = cached.as_ref() {
            if made.elapsed() < TOKEN_LIFETIME {
                return Ok(Some(token.clone()));
            }
        }
        let mut header = Header::new(Algorithm::ES256);
        header.kid = Some(key_id.clone());
        let iat = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let token = jsonwebtoken::encode(&header, &json!({"iss": team_id, "iat": iat}), key)
            .map_err(|e| format!("cannot sign the provider token: {e}"))?;
        *cached = Some((token.clone(), Instant::now()));
        Ok(Some(token))
    }

    /// Sends one notification; transport errors and 5xx are retried twice.
    pub async fn send(&self, n: &PushNotification, app_version: u32) -> Delivery {
        // Device tokens are hexadecimal; anything else must not reach the URL path.
        if n.device_id.len() > 200
            || !n
                .device_id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-')
        {
            return Delivery::Removed("BadDeviceToken".into());
        }
        let url = format!("{}/3/device/{}", self.endpoint, n.device_id);
        // Background pushes (clear, badge) go as Apple asks: type background, priority 5.
        let (push_type, priority) = if n.carries_content() {
            ("alert", "10")
        } else {
            ("background", "5")
        };
        let body = payload(n, app_version);
        let mut last = String::new();
        for attempt in 0..3u32 {
            if attempt > 0 {
                tokio::time::sleep(Duration::from_secs(u64::from(attempt))).await;
            }
            let mut request = self
                .http
                .post(&url)
                .header("apns-topic", &self.topic)
                .header("apns-push-type", push_type)
                .header("apns-priority", priority)
                .json(&body);
            match self.bearer().await {
                Ok(Some(token)) => {
                    request = request.header("authorization", format!("bearer {token}"))
                }
                Ok(None) => {}
                Err(e) => return Delivery::Failed(e),
            }
            match request.send().await {
                Ok(answer) if answer.status().is_success() => return Delivery::Sent,
                Ok(answer) => {
                    let status = answer.status();
                    let error: Value = answer.json().await.unwrap_or(Value::Null);
                    let reason = error["reason"].as_str().unwrap_or_default().to_string();
                    if GONE.contains(&reason.as_str()) {
                        return Delivery::Removed(reason);
                    }
                    last = if reason.is_empty() {
                        format!("APNs answered HTTP {status}")
                    } else {
                        format!("APNs refused the notification: {reason}")
                    };
                    if status.is_client_error() && status.as_u16() != 429 {
                        return Delivery::Failed(last);
                    }
                }
                Err(e) => last = format!("APNs unreachable: {e}"),
            }
        }
        Delivery::Failed(last)
    }
}

fn put(map: &mut Map<String, Value>, key: &str, value: &str) {
    if !value.is_empty() {
        map.insert(key.into(), value.into());
    }
}

/// The APNs payload the Mattermost apps read: `aps` plus Mattermost's keys.
pub fn payload(n: &PushNotification, app_version: u32) -> Value {
    let mut aps = Map::new();
    if n.kind == "clear" && n.badge == 0 && app_version > 1 {
        // As Mattermost's proxy does for apps of version 2 and later.
        aps.insert("badge".into(), 1.into());
    } else if n.badge != -1 {
        aps.insert("badge".into(), n.badge.into());
    }
    let mut custom = Map::new();
    if n.is_id_loaded {
        aps.insert("category".into(), n.category.clone().into());
        aps.insert("sound".into(), "default".into());
        aps.insert("alert".into(), json!({"body": n.message}));
        aps.insert("mutable-content".into(), 1.into());
        aps.insert("content-available".into(), 1.into());
        custom.insert("version".into(), n.version.clone().into());
        custom.insert("id_loaded".into(), true.into());
    } else if n.carries_content() {
        aps.insert("category".into(), n.category.clone().into());
        let sound = if n.sound.is_empty() {
            "default"
        } else {
            &n.sound
        };
        aps.insert("sound".into(), sound.into());
        aps.insert("mutable-content".into(), 1.into());
        if n.kind == "message" {
            aps.insert("content-available".into(), 1.into());
        }
        custom.insert("version".into(), n.version.clone().into());
        if !n.channel_name.is_empty() && n.version == "v2" {
            aps.insert(
                "alert".into(),
                json!({"title": n.channel_name, "body": n.message}),
            );
        } else {
            aps.insert("alert".into(), n.message.clone().into());
        }
        put(&mut custom, "channel_name", &n.channel_name);
    } else if matches!(n.kind.as_str(), "clear" | "test") {
        aps.insert("content-available".into(), 1.into());
    }
    if !n.channel_id.is_empty() {
        let thread = if n.is_crt_enabled && !n.root_id.is_empty() {
            &n.root_id
        } else {
            &n.channel_id
        };
        aps.insert("thread-id".into(), thread.clone().into());
    }
    custom.insert("type".into(), n.kind.clone().into());
    custom.insert("sub_type".into(), n.sub_type.clone().into());
    custom.insert("server_id".into(), n.server_id.clone().into());
    custom.insert("is_crt_enabled".into(), n.is_crt_enabled.into());
    let signature = if n.signature.is_empty() {
        "NO_SIGNATURE"
    } else {
        &n.signature
    };
    custom.insert("signature".into(), signature.into());
    for (key, value) in [
        ("ack_id", &n.ack_id),
        ("channel_id", &n.channel_id),
        ("team_id", &n.team_id),
        ("sender_id", &n.sender_id),
        ("sender_name", &n.sender_name),
        ("post_id", &n.post_id),
        ("root_id", &n.root_id),
        ("override_username", &n.override_username),
        ("override_icon_url", &n.override_icon_url),
        ("from_webhook", &n.from_webhook),
    ] {
        put(&mut custom, key, value);
    }
    custom.insert("aps".into(), Value::Object(aps));
    Value::Object(custom)
}
