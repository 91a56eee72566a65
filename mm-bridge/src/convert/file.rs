//! Files in Mattermost's `FileInfo` shape.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde::Serialize;

use core_server::model::FileInfo;

/// Mattermost's `FileInfo`.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct MmFileInfo {
    pub id: String,
    pub user_id: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub post_id: String,
    pub channel_id: String,
    pub create_at: i64,
    pub update_at: i64,
    pub delete_at: i64,
    pub name: String,
    pub extension: String,
    pub size: i64,
    pub mime_type: String,
    #[serde(skip_serializing_if = "is_zero")]
    pub width: i64,
    #[serde(skip_serializing_if = "is_zero")]
    pub height: i64,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub has_preview_image: bool,
    /// Base64 of a 16×16 JPEG, or null.
    pub mini_preview: Option<String>,
    pub remote_id: String,
    pub archived: bool,
}

fn is_zero(n: &i64) -> bool {
    *n == 0
}

/// Converts a file record.
pub fn file_info(f: FileInfo) -> MmFileInfo {
    let FileInfo {
        id,
        creator_id,
        post_id,
        channel_id,
        create_at,
        update_at,
        delete_at,
        name,
        extension,
        size,
        mime_type,
        width,
        height,
        has_preview_image,
        has_thumbnail: _,
        mini_preview,
    } = f;
    MmFileInfo {
        id,
        user_id: creator_id,
        post_id,
        channel_id,
        create_at,
        update_at,
        delete_at,
        name,
        extension,
        size,
        mime_type,
        width,
        height,
        has_preview_image,
        mini_preview: mini_preview.map(|b| STANDARD.encode(b)),
        remote_id: String::new(),
        archived: false,
    }
}
