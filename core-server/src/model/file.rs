//! Uploaded files. The bytes live in the blob store under keys derived from
//! the id; the record says what the file is and where it belongs.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// An uploaded file, attached to at most one post.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct FileInfo {
    pub id: String,
    /// The uploader.
    pub creator_id: String,
    /// The post it is attached to; `""` until it is posted.
    pub post_id: String,
    /// The channel it was uploaded to.
    pub channel_id: String,
    pub create_at: i64,
    pub update_at: i64,
    pub delete_at: i64,
    /// The sanitised file name as uploaded.
    pub name: String,
    /// Lower-case extension without the dot, `""` when there is none.
    pub extension: String,
    /// Bytes.
    pub size: i64,
    /// Detected from the content, not from the name.
    pub mime_type: String,
    /// Pixels, for images; 0 otherwise.
    pub width: i64,
    pub height: i64,
    /// Whether the apps should show the preview (images other than GIFs).
    pub has_preview_image: bool,
    /// Whether a thumbnail and a preview exist (GIFs have them too).
    pub has_thumbnail: bool,
    /// A 16×16 JPEG placeholder, for images.
    pub mini_preview: Option<Vec<u8>>,
}

impl FileInfo {
    /// Blob key of the file's bytes.
    pub fn blob_key(&self) -> String {
        format!("files/{}/original", self.id)
    }

    /// Blob key of the thumbnail (JPEG).
    pub fn thumbnail_key(&self) -> String {
        format!("files/{}/thumbnail.jpg", self.id)
    }

    /// Blob key of the preview (JPEG).
    pub fn preview_key(&self) -> String {
        format!("files/{}/preview.jpg", self.id)
    }
}

/// A resumable upload in progress: the file's announced name and size, and
/// how many of its bytes have arrived.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct UploadSession {
    pub id: String,
    /// `attachment` (a file for a channel); the only kind served.
    pub kind: String,
    /// The uploader; only they may send its bytes.
    pub user_id: String,
    pub channel_id: String,
    /// The sanitised file name.
    pub filename: String,
    /// Bytes announced.
    pub file_size: i64,
    /// Bytes received so far; the next part starts here.
    pub file_offset: i64,
    pub create_at: i64,
}

/// One stored part of an upload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UploadPart {
    pub start_offset: i64,
    pub size: i64,
    pub blob_key: String,
}
