//! Files in Mattermost's `FileInfo` shape.

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

/// Standard base64 with padding, as Go encodes `[]byte` in JSON.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, b)| acc | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
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
        mini_preview: mini_preview.map(|b| base64(&b)),
        remote_id: String::new(),
        archived: false,
    }
}

#[cfg(test)]
mod tests {
    use super::base64;

    #[test]
    fn base64_pads_like_go() {
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(&[0xfb, 0xff, 0xfe]), "+//+");
    }
}
