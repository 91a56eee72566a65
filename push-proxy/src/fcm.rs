//! Android: FCM HTTP v1. A service account signs a JWT (RS256), trades it
//! at its `token_uri` for an access token (kept until shortly before it
//! expires), and each push is a data-only message sent with it.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde::Deserialize;
use serde_json::{json, Value};
use tokio::sync::Mutex;

use crate::config::{AndroidSettings, FCM_ENDPOINT};
use crate::notification::{Delivery, PushNotification};

const SCOPE: &str = "https://www.googleapis.com/auth/firebase.messaging";
/// FCM's codes for a token that will never work again.
const GONE: &[&str] = &["UNREGISTERED", "SENDER_ID_MISMATCH"];

#[derive(Debug, thiserror::Error)]
pub enum FcmSetupError {
    #[error("cannot read the service account {path}: {reason}")]
    ServiceFile { path: String, reason: String },
    #[error("the service account's private key is not a valid RSA PEM key: {0}")]
    Key(String),
}

#[derive(Deserialize)]
struct ServiceAccount {
    project_id: String,
    client_email: String,
    private_key: String,
    #[serde(default = "default_token_uri")]
    token_uri: String,
}

fn default_token_uri() -> String {
    "https://oauth2.googleapis.com/token".into()
}

#[derive(Deserialize)]
struct TokenAnswer {
    access_token: String,
    #[serde(default)]
    expires_in: u64,
}

pub struct FcmClient {
    http: reqwest::Client,
    project_id: String,
    client_email: String,
    key: EncodingKey,
    token_uri: String,
    endpoint: String,
    token: Mutex<Option<(String, Instant)>>,
}

impl FcmClient {
    pub fn new(settings: &AndroidSettings, http: reqwest::Client) -> Result<Self, FcmSetupError> {
        let path = &settings.service_file_location;
        let text = std::fs::read_to_string(path).map_err(|e| FcmSetupError::ServiceFile {
            path: path.clone(),
            reason: e.to_string(),
        })?;
        let account: ServiceAccount =
            serde_json::from_str(&text).map_err(|e| FcmSetupError::ServiceFile {
                path: path.clone(),
                reason: e.to_string(),
            })?;
        let key = EncodingKey::from_rsa_pem(account.private_key.as_bytes())
            .map_err(|e| FcmSetupError::Key(e.to_string()))?;
        Ok(FcmClient {
            http,
            project_id: account.project_id,
            client_email: account.client_email,
            key,
            token_uri: settings.token_uri.clone().unwrap_or(account.token_uri),
            endpoint: settings
                .fcm_endpoint
                .clone()
                .unwrap_or_else(|| FCM_ENDPOINT.into())
                .trim_end_matches('/')
                .to_string(),
            token: Mutex::new(None),
        })
    }

    /// A valid access token, fetched again a minute before it expires.
    async fn access_token(&self) -> Result<String, String> {
        let mut cached = self.token.lock().await;
        if let Some((token, until)) = cached.as_ref() {
            if Instant::now() < *until {
                return Ok(token.clone());
            }
        }
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let claims = json!({
            "iss": self.client_email,
            "scope": SCOPE,
            "aud": self.token_uri,
            "iat": now,
            "exp": now + 3600,
        });
        let assertion = jsonwebtoken::encode(&Header::new(Algorithm::RS256), &claims, &self.key)
            .map_err(|e| format!("cannot sign the token request: {e}"))?;
        let answer = self
            .http
            .post(&self.token_uri)
            .form(&[
                ("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"),
                ("assertion", assertion.as_str()),
            ])
            .send()
            .await
            .map_err(|e| format!("token request failed: {e}"))?;
        if !answer.status().is_success() {
            return Err(format!("token request refused: HTTP {}", answer.status()));
        }
        let token: TokenAnswer = answer
            .json()
            .await
            .map_err(|e| format!("unreadable token answer: {e}"))?;
        let lifetime = Duration::from_secs(token.expires_in.max(120) - 60);
        *cached = Some((token.access_token.clone(), Instant::now() + lifetime));
        Ok(token.access_token)
    }

    /// Sends one notification; transport errors and 5xx are retried twice.
    pub async fn send(&self, n: &PushNotification) -> Delivery {
        let body = json!({
            "message": {
                "token": n.device_id,
                "android": {"priority": "high"},
                "data": data(n),
            }
        });
        let url = format!(
            "{}/v1/projects/{}/messages:send",
            self.endpoint, self.project_id
        );
        let mut last = String::new();
        for attempt in 0..3u32 {
            if attempt > 0 {
                tokio::time::sleep(Duration::from_secs(u64::from(attempt))).await;
            }
            let token = match self.access_token().await {
                Ok(t) => t,
                Err(e) => {
                    last = e;
                    continue;
                }
            };
            match self
                .http
                .post(&url)
                .bearer_auth(token)
                .json(&body)
                .send()
                .await
            {
                Ok(answer) if answer.status().is_success() => return Delivery::Sent,
                Ok(answer) => {
                    let status = answer.status();
                    let error: Value = answer.json().await.unwrap_or(Value::Null);
                    if let Some(code) = error_code(&error) {
                        if GONE.contains(&code.as_str()) {
                            return Delivery::Removed(code);
                        }
                    }
                    last = error["error"]["message"]
                        .as_str()
                        .map_or_else(|| format!("FCM answered HTTP {status}"), String::from);
                    if status.as_u16() == 401 {
                        // The access token was refused (a rotated key): fetch another.
                        *self.token.lock().await = None;
                        continue;
                    }
                    if status.is_client_error() && status.as_u16() != 429 {
                        return Delivery::Failed(last);
                    }
                }
                Err(e) => last = format!("FCM unreachable: {e}"),
            }
        }
        Delivery::Failed(last)
    }
}

/// The FCM error code of an error answer (`details[].errorCode`), falling
/// back to its `status`.
fn error_code(error: &Value) -> Option<String> {
    let details = error["error"]["details"].as_array();
    details
        .into_iter()
        .flatten()
        .find_map(|d| d["errorCode"].as_str())
        .or_else(|| error["error"]["status"].as_str())
        .map(String::from)
}

/// The message's `data`: string values only, as the Mattermost apps read them.
pub fn data(n: &PushNotification) -> BTreeMap<&'static str, String> {
    let mut d = BTreeMap::new();
    d.insert("ack_id", n.ack_id.clone());
    d.insert("type", n.kind.clone());
    d.insert("sub_type", n.sub_type.clone());
    d.insert("version", n.version.clone());
    d.insert("channel_id", n.channel_id.clone());
    d.insert("is_crt_enabled", n.is_crt_enabled.to_string());
    d.insert("server_id", n.server_id.clone());
    d.insert("category", n.category.clone());
    d.insert(
        "signature",
        if n.signature.is_empty() {
            "NO_SIGNATURE".into()
        } else {
            n.signature.clone()
        },
    );
    if n.badge != -1 {
        d.insert("badge", n.badge.to_string());
    }
    if !n.root_id.is_empty() {
        d.insert("root_id", n.root_id.clone());
    }
    if n.is_id_loaded {
        d.insert("post_id", n.post_id.clone());
        d.insert("message", n.message.clone());
        d.insert("id_loaded", "true".into());
        d.insert("sender_id", n.sender_id.clone());
        d.insert("sender_name", "Someone".into());
        d.insert("team_id", n.team_id.clone());
    } else if n.carries_content() {
        d.insert("team_id", n.team_id.clone());
        d.insert("sender_id", n.sender_id.clone());
        d.insert("sender_name", n.sender_name.clone());
        d.insert("message", n.message.clone());
        d.insert("channel_name", n.channel_name.clone());
        d.insert("post_id", n.post_id.clone());
        d.insert("override_username", n.override_username.clone());
        d.insert("override_icon_url", n.override_icon_url.clone());
        d.insert("from_webhook", n.from_webhook.clone());
    }
    d
}
