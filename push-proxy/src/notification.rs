//! What Mattermost servers send: the push notification, the ack of one, and
//! the proxy's answer. Every field is optional on the way in, since servers
//! of several versions call the proxy.

use serde::{Deserialize, Serialize};

/// Mattermost's `PushNotification`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PushNotification {
    pub ack_id: String,
    /// `android_rn`, `apple_rn`, … optionally with a `-vN` app version suffix.
    pub platform: String,
    pub server_id: String,
    /// The device token.
    pub device_id: String,
    pub post_id: String,
    pub category: String,
    pub sound: String,
    pub message: String,
    pub badge: i64,
    #[serde(rename = "cont_ava")]
    pub content_available: i64,
    pub team_id: String,
    pub channel_id: String,
    pub root_id: String,
    pub channel_name: String,
    /// `message`, `clear`, `update_badge`, `session` or `test`.
    #[serde(rename = "type")]
    pub kind: String,
    pub sub_type: String,
    pub sender_id: String,
    pub sender_name: String,
    pub override_username: String,
    pub override_icon_url: String,
    pub from_webhook: String,
    pub version: String,
    pub is_crt_enabled: bool,
    pub is_id_loaded: bool,
    pub signature: String,
}

impl PushNotification {
    /// The platform without its app version suffix, and the app version
    /// (`android_rn-v2` → (`android_rn`, 2); no suffix → 1).
    pub fn platform_and_version(&self) -> (&str, u32) {
        match self.platform.rsplit_once("-v") {
            Some((platform, version)) => match version.parse() {
                Ok(v) => (platform, v),
                Err(_) => (platform, 1),
            },
            None => (self.platform.as_str(), 1),
        }
    }

    /// Whether the message's text may be shown (not an id-only push).
    pub fn carries_content(&self) -> bool {
        matches!(self.kind.as_str(), "message" | "session")
    }
}

/// Mattermost's `PushNotificationAck`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PushNotificationAck {
    pub id: String,
    pub received_at: i64,
    pub platform: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub post_id: String,
    pub is_id_loaded: bool,
}

/// The proxy's answer, always with HTTP 200: `{"status":"OK"}`,
/// `{"status":"REMOVE"}` (the device token is gone) or
/// `{"status":"FAIL","error":"…"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushResponse {
    pub status: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

impl PushResponse {
    pub fn ok() -> Self {
        PushResponse {
            status: "OK".into(),
            error: None,
        }
    }

    pub fn remove() -> Self {
        PushResponse {
            status: "REMOVE".into(),
            error: None,
        }
    }

    pub fn fail(error: impl Into<String>) -> Self {
        PushResponse {
            status: "FAIL".into(),
            error: Some(error.into()),
        }
    }
}

/// What a push service did with one notification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delivery {
    Sent,
    /// The token is not valid any more: the server should stop using it.
    Removed(String),
    Failed(String),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn platform_versions_are_split_off() {
        let with = |p: &str| PushNotification {
            platform: p.into(),
            ..Default::default()
        };
        assert_eq!(
            with("android_rn-v2").platform_and_version(),
            ("android_rn", 2)
        );
        assert_eq!(with("apple_rn").platform_and_version(), ("apple_rn", 1));
        assert_eq!(with("apple_rn-vx").platform_and_version(), ("apple_rn", 1));
    }

    #[test]
    fn a_server_payload_with_unknown_and_missing_fields_decodes() {
        let n: PushNotification = serde_json::from_str(
            r#"{"platform":"apple_rn","device_id":"t","type":"clear","cont_ava":1,"future":true}"#,
        )
        .expect("decodes");
        assert_eq!(n.kind, "clear");
        assert_eq!(n.content_available, 1);
        assert_eq!(n.badge, 0);
    }
}
