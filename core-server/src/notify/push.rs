//! Push notifications as Mattermost servers send them to a push proxy: the
//! payload, whether a post should push to a user, and the text it shows.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::mentions::MentionKind;
use super::prop;
use crate::model::{Channel, Post, Status};

/// How long after viewing a channel a user counts as looking at it.
const VIEWING_MS: i64 = 20_000;

/// Mattermost's `PushNotification` (the fields a server sends).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PushNotification {
    pub ack_id: String,
    pub platform: String,
    pub server_id: String,
    pub device_id: String,
    pub post_id: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub category: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub sound: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub message: String,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub badge: i64,
    #[serde(rename = "cont_ava", default, skip_serializing_if = "is_zero")]
    pub content_available: i64,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub team_id: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub channel_id: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub root_id: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub channel_name: String,
    #[serde(rename = "type", default, skip_serializing_if = "String::is_empty")]
    pub kind: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub sender_id: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub sender_name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub override_username: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub override_icon_url: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub from_webhook: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub version: String,
    #[serde(default)]
    pub is_crt_enabled: bool,
    #[serde(default)]
    pub is_id_loaded: bool,
}

fn is_zero(n: &i64) -> bool {
    *n == 0
}

pub const TYPE_MESSAGE: &str = "message";
pub const TYPE_CLEAR: &str = "clear";
pub const TYPE_UPDATE_BADGE: &str = "update_badge";

/// What a push may show (`push_contents`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Contents {
    /// Sender and message.
    Full,
    /// "X mentioned you." with the channel name.
    Generic,
    /// As generic, without the channel name.
    GenericNoChannel,
    /// Ids only; the app fetches the text through `/notifications/ack`.
    IdLoaded,
}

impl Contents {
    pub fn parse(value: &str) -> Option<Self> {
        Some(match value {
            "full" => Contents::Full,
            "generic" => Contents::Generic,
            "generic_no_channel" => Contents::GenericNoChannel,
            "id_loaded" => Contents::IdLoaded,
            _ => return None,
        })
    }
}

/// The device a session registered: `android_rn-v2:token` → platform and
/// token, split at the first `:`.
pub fn split_device(device_id: &str) -> Option<(&str, &str)> {
    device_id
        .split_once(':')
        .filter(|(p, t)| !p.is_empty() && !t.is_empty())
}

/// Whether the user's and the channel's settings let this post push.
pub fn settings_allow(
    user_props: &BTreeMap<String, String>,
    member_props: &BTreeMap<String, String>,
    was_mentioned: bool,
    post: &Post,
    group_message: bool,
) -> bool {
    let mut level = match prop(member_props, "push") {
        "" | "default" => prop(user_props, "push"),
        other => other,
    };
    if group_message && level == "mention" && matches!(prop(member_props, "push"), "" | "default") {
        level = "all";
    }
    if prop(member_props, "mark_unread") == "mention" || post.is_system_message() {
        return false;
    }
    match level {
        "none" => false,
        "mention" => was_mentioned,
        _ => true,
    }
}

/// Whether the user's presence lets a push through: never in DND or out of
/// office; otherwise by `push_status` (push when online but not looking at
/// the channel, when away, or only when offline).
pub fn status_allows(
    user_props: &BTreeMap<String, String>,
    status: Option<&Status>,
    viewed_channel_at: i64,
    now: i64,
) -> bool {
    let current = status.map_or("offline", |s| s.status.as_str());
    if matches!(current, "dnd" | "ooo") {
        return false;
    }
    match prop(user_props, "push_status") {
        "" | "online" => current != "online" || now - viewed_channel_at > VIEWING_MS,
        "away" => matches!(current, "away" | "offline"),
        "offline" => current == "offline",
        _ => false,
    }
}

/// Why the user is being notified, for the message text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reason {
    pub kind: Option<MentionKind>,
}

/// The text a push shows.
pub fn message_text(
    contents: Contents,
    reason: Reason,
    sender_name: &str,
    post: &Post,
    direct: bool,
) -> String {
    let body = strip_markdown(&post.message);
    if body.trim().is_empty() && !post.file_ids.is_empty() {
        return if direct {
            "attached a file.".into()
        } else {
            format!("{sender_name} attached a file.")
        };
    }
    if contents == Contents::Full {
        return if direct {
            body
        } else {
            format!("{sender_name}: {body}")
        };
    }
    if direct {
        return "sent you a message.".into();
    }
    match reason.kind {
        Some(MentionKind::Channel) => format!("{sender_name} notified the channel."),
        Some(MentionKind::Keyword | MentionKind::Direct) => format!("{sender_name} mentioned you."),
        Some(MentionKind::Comment) => format!("{sender_name} commented on your post."),
        Some(MentionKind::Thread) => {
            format!("{sender_name} commented on a thread you participated in.")
        }
        _ => format!("{sender_name} posted a message."),
    }
}

/// Markdown markers a lock screen should not show.
fn strip_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        let line = line.trim_start_matches(['#', '>', ' ']);
        let line = line
            .strip_prefix("- ")
            .or_else(|| line.strip_prefix("* "))
            .unwrap_or(line);
        if line.starts_with("```") {
            continue;
        }
        if !out.is_empty() {
            out.push('\n');
        }
        out.extend(line.chars().filter(|c| !matches!(c, '*' | '`' | '~')));
    }
    out
}

/// The name a channel is shown by in a push: the other person for a DM,
/// the other members for a group message, the display name otherwise.
pub fn channel_title(channel: &Channel, sender_name: &str, group_names: &[String]) -> String {
    if channel.channel_type == "D" {
        sender_name.to_string()
    } else if channel.channel_type == "G" {
        group_names.join(", ")
    } else {
        channel.display_name.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn props(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
            .collect()
    }

    fn post(message: &str) -> Post {
        Post {
            message: message.into(),
            ..Post::default()
        }
    }

    #[test]
    fn devices_split_at_the_first_colon() {
        assert_eq!(
            split_device("android_rn-v2:abc:def"),
            Some(("android_rn-v2", "abc:def"))
        );
        assert_eq!(split_device("apple_rn:tok"), Some(("apple_rn", "tok")));
        assert_eq!(split_device("no-colon"), None);
        assert_eq!(split_device(":tok"), None);
    }

    #[test]
    fn settings_decide_by_channel_then_user_level() {
        let user = props(&[("push", "mention")]);
        let default = props(&[("push", "default"), ("mark_unread", "all")]);
        let p = post("hi");
        assert!(!settings_allow(&user, &default, false, &p, false));
        assert!(settings_allow(&user, &default, true, &p, false));
        assert!(
            settings_allow(&user, &default, false, &p, true),
            "group messages push like all"
        );
        let all = props(&[("push", "all")]);
        assert!(settings_allow(&user, &all, false, &p, false));
        let none = props(&[("push", "none")]);
        assert!(!settings_allow(&user, &none, true, &p, false));
        let muted = props(&[("push", "all"), ("mark_unread", "mention")]);
        assert!(!settings_allow(&user, &muted, true, &p, false));
        let mut system = post("joined");
        system.post_type = "system_join_channel".into();
        assert!(!settings_allow(&user, &all, true, &system, false));
    }

    #[test]
    fn presence_decides_by_push_status() {
        let status = |s: &str| Status {
            status: s.into(),
            ..Status::default()
        };
        let away = props(&[("push_status", "away")]);
        assert!(!status_allows(&away, Some(&status("online")), 0, 100_000));
        assert!(status_allows(&away, Some(&status("away")), 0, 100_000));
        assert!(
            status_allows(&away, None, 0, 100_000),
            "no status is offline"
        );
        assert!(!status_allows(&away, Some(&status("dnd")), 0, 100_000));
        let online = props(&[("push_status", "online")]);
        assert!(status_allows(&online, Some(&status("online")), 0, 100_000));
        assert!(
            !status_allows(&online, Some(&status("online")), 95_000, 100_000),
            "not while looking at the channel"
        );
        let offline = props(&[("push_status", "offline")]);
        assert!(!status_allows(&offline, Some(&status("away")), 0, 100_000));
    }

    #[test]
    fn texts_follow_the_contents_setting() {
        let p = post("**deploy** is `done`");
        let mention = Reason {
            kind: Some(MentionKind::Keyword),
        };
        assert_eq!(
            message_text(Contents::Full, mention, "@bob", &p, false),
            "@bob: deploy is done"
        );
        assert_eq!(
            message_text(Contents::Full, mention, "@bob", &p, true),
            "deploy is done"
        );
        assert_eq!(
            message_text(Contents::Generic, mention, "@bob", &p, false),
            "@bob mentioned you."
        );
        assert_eq!(
            message_text(Contents::Generic, mention, "@bob", &p, true),
            "sent you a message."
        );
        let channel = Reason {
            kind: Some(MentionKind::Channel),
        };
        assert_eq!(
            message_text(Contents::GenericNoChannel, channel, "@bob", &p, false),
            "@bob notified the channel."
        );
        let mut file = post("");
        file.file_ids = vec!["f".into()];
        assert_eq!(
            message_text(Contents::Full, mention, "@bob", &file, false),
            "@bob attached a file."
        );
    }
}
