//! Scheduled posts in Mattermost's `ScheduledPost` shape (a draft with a
//! time and a sending state).

use serde::Serialize;

use core_server::model::{ScheduledPost, ScheduledPostView};

use super::MmFileInfo;

/// What a scheduled post carries for display: the records of its files.
#[derive(Debug, Serialize, Clone, Default)]
pub struct MmScheduledPostMetadata {
    pub files: Vec<MmFileInfo>,
}

/// Mattermost's `ScheduledPost`.
#[derive(Debug, Serialize, Clone)]
pub struct MmScheduledPost {
    pub id: String,
    pub create_at: i64,
    pub update_at: i64,
    /// Always 0: scheduled posts are deleted outright.
    pub delete_at: i64,
    pub user_id: String,
    pub channel_id: String,
    pub root_id: String,
    pub message: String,
    pub props: serde_json::Value,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub file_ids: Vec<String>,
    /// Left out without files; the apps read a scheduled post's files here.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metadata: Option<MmScheduledPostMetadata>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub priority: Option<serde_json::Value>,
    pub scheduled_at: i64,
    pub processed_at: i64,
    pub error_code: String,
}

/// Converts a scheduled post with its files.
pub fn scheduled_post(view: ScheduledPostView) -> MmScheduledPost {
    let ScheduledPostView { post, files } = view;
    let ScheduledPost {
        id,
        create_at,
        update_at,
        user_id,
        channel_id,
        root_id,
        message,
        props,
        file_ids,
        priority,
        scheduled_at,
        processed_at,
        error_code,
    } = post;
    let files: Vec<MmFileInfo> = files.into_iter().map(super::file_info).collect();
    MmScheduledPost {
        id,
        create_at,
        update_at,
        delete_at: 0,
        user_id,
        channel_id,
        root_id,
        message,
        props,
        file_ids,
        metadata: (!files.is_empty()).then_some(MmScheduledPostMetadata { files }),
        priority: priority
            .as_object()
            .is_some_and(|p| !p.is_empty())
            .then_some(priority),
        scheduled_at,
        processed_at,
        error_code,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_files_and_priority_are_left_out() {
        let post = ScheduledPost {
            id: "a".repeat(26),
            props: serde_json::json!({}),
            priority: serde_json::json!({}),
            scheduled_at: 5,
            ..ScheduledPost::default()
        };
        let json = serde_json::to_value(scheduled_post(ScheduledPostView {
            post,
            files: Vec::new(),
        }))
        .expect("json");
        for absent in ["file_ids", "metadata", "priority"] {
            assert!(json.get(absent).is_none(), "{absent} in {json}");
        }
        assert_eq!(json["scheduled_at"], 5);
        assert_eq!(json["delete_at"], 0);
        assert_eq!(json["error_code"], "");
    }

    #[test]
    fn a_priority_is_kept_as_given() {
        let priority = serde_json::json!({"priority": "urgent", "requested_ack": true});
        let post = ScheduledPost {
            priority: priority.clone(),
            ..ScheduledPost::default()
        };
        let json = serde_json::to_value(scheduled_post(ScheduledPostView {
            post,
            files: Vec::new(),
        }))
        .expect("json");
        assert_eq!(json["priority"], priority);
    }
}
