//! The proxy's configuration file: the same JSON keys as Mattermost's push
//! proxy, plus endpoint overrides (for a private gateway, or for tests).

use std::path::Path;

use serde::Deserialize;

pub const FCM_ENDPOINT: &str = "https://fcm.googleapis.com";
pub const APNS_ENDPOINT: &str = "https://api.push.apple.com";
pub const APNS_SANDBOX_ENDPOINT: &str = "https://api.sandbox.push.apple.com";

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("{path} is not valid: {reason}")]
    Invalid { path: String, reason: String },
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct ProxyConfig {
    #[serde(default = "default_listen")]
    pub listen_address: String,
    /// Limit for one delivery, retries included.
    #[serde(default = "default_send_timeout")]
    pub send_timeout_sec: u64,
    #[serde(default)]
    pub android_push_settings: Vec<AndroidSettings>,
    #[serde(default)]
    pub apple_push_settings: Vec<AppleSettings>,
    /// Accepted for compatibility with Mattermost's file; metrics are always on.
    #[serde(default)]
    pub enable_metrics: bool,
    #[serde(default)]
    pub throttle_per_sec: Option<u64>,
    #[serde(default)]
    pub throttle_memory_store_size: Option<u64>,
    #[serde(default)]
    pub throttle_vary_by_header: Option<String>,
    #[serde(default)]
    pub retry_timeout_sec: Option<u64>,
    #[serde(default)]
    pub enable_console_log: Option<bool>,
    #[serde(default)]
    pub enable_file_log: Option<bool>,
    #[serde(default)]
    pub log_file_location: Option<String>,
    #[serde(default)]
    pub log_format: Option<String>,
}

/// One Android app: its platform name and its Firebase service account.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct AndroidSettings {
    /// The platform servers name, e.g. `android_rn`.
    #[serde(rename = "Type")]
    pub platform: String,
    /// The service account JSON downloaded from Firebase.
    pub service_file_location: String,
    /// FCM's base URL (default `https://fcm.googleapis.com`).
    #[serde(default)]
    pub fcm_endpoint: Option<String>,
    /// Overrides the service account's `token_uri`.
    #[serde(default)]
    pub token_uri: Option<String>,
    /// Obsolete legacy key, ignored as Mattermost's proxy does.
    #[serde(default)]
    pub android_api_key: Option<String>,
}

/// One iOS app: its platform name, topic and credentials (a token key, or
/// a certificate).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct AppleSettings {
    #[serde(rename = "Type")]
    pub platform: String,
    #[serde(default)]
    pub apple_push_use_development: bool,
    /// The app's bundle id.
    pub apple_push_topic: String,
    /// A PEM file holding the certificate and its private key.
    #[serde(default)]
    pub apple_push_cert_private: String,
    #[serde(default)]
    pub apple_push_cert_password: String,
    /// The `.p8` key of token authentication.
    #[serde(default)]
    pub apple_auth_key_file: String,
    #[serde(default, rename = "AppleAuthKeyID")]
    pub apple_auth_key_id: String,
    #[serde(default, rename = "AppleTeamID")]
    pub apple_team_id: String,
    /// APNs' base URL (default by `ApplePushUseDevelopment`).
    #[serde(default)]
    pub apns_endpoint: Option<String>,
}

fn default_listen() -> String {
    ":8066".into()
}

fn default_send_timeout() -> u64 {
    30
}

impl Default for ProxyConfig {
    fn default() -> Self {
        ProxyConfig {
            listen_address: default_listen(),
            send_timeout_sec: default_send_timeout(),
            android_push_settings: Vec::new(),
            apple_push_settings: Vec::new(),
            enable_metrics: false,
            throttle_per_sec: None,
            throttle_memory_store_size: None,
            throttle_vary_by_header: None,
            retry_timeout_sec: None,
            enable_console_log: None,
            enable_file_log: None,
            log_file_location: None,
            log_format: None,
        }
    }
}

impl ProxyConfig {
    pub fn load(path: &Path) -> Result<Self, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.display().to_string(),
            source,
        })?;
        serde_json::from_str(&text).map_err(|e| ConfigError::Invalid {
            path: path.display().to_string(),
            reason: e.to_string(),
        })
    }

    /// `:8066` (Go's "all interfaces") as a socket address.
    pub fn listen_socket(&self) -> String {
        match self.listen_address.strip_prefix(':') {
            Some(port) => format!("0.0.0.0:{port}"),
            None => self.listen_address.clone(),
        }
    }
}

impl AppleSettings {
    pub fn endpoint(&self) -> String {
        match &self.apns_endpoint {
            Some(url) => url.trim_end_matches('/').to_string(),
            None if self.apple_push_use_development => APNS_SANDBOX_ENDPOINT.into(),
            None => APNS_ENDPOINT.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mattermosts_own_config_file_loads() {
        let text = r#"{"ListenAddress": ":8066", "ThrottlePerSec": 300, "ThrottleMemoryStoreSize": 50000,
            "ThrottleVaryByHeader": "X-Forwarded-For", "EnableMetrics": false, "SendTimeoutSec": 30,
            "RetryTimeoutSec": 8,
            "ApplePushSettings": [{"Type": "apple_rn", "ApplePushUseDevelopment": false,
              "ApplePushCertPrivate": "", "ApplePushCertPassword": "", "ApplePushTopic": "com.example.chat",
              "AppleAuthKeyFile": "key.p8", "AppleAuthKeyID": "KEY", "AppleTeamID": "TEAM"}],
            "AndroidPushSettings": [{"Type": "android_rn", "AndroidApiKey": "", "ServiceFileLocation": "sa.json"}],
            "EnableConsoleLog": true, "EnableFileLog": false, "LogFileLocation": "", "LogFormat": "plain"}"#;
        let config: ProxyConfig = serde_json::from_str(text).expect("loads");
        assert_eq!(config.listen_socket(), "0.0.0.0:8066");
        assert_eq!(config.apple_push_settings[0].apple_team_id, "TEAM");
        assert_eq!(config.apple_push_settings[0].endpoint(), APNS_ENDPOINT);
        assert_eq!(config.android_push_settings[0].platform, "android_rn");
    }

    #[test]
    fn a_misspelt_key_is_refused_by_name() {
        let err = serde_json::from_str::<ProxyConfig>(r#"{"ListenAdress": ":1"}"#)
            .expect_err("refused")
            .to_string();
        assert!(err.contains("ListenAdress"), "{err}");
    }
}
