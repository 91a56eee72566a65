//! Custom emoji: any user may add one (as on Mattermost by default); its
//! creator or a system admin may delete it.

use super::{validate, Actor, Core};
use crate::error::{Error, Result};
use crate::id::new_id;
use crate::model::Emoji;
use crate::time::now_ms;

/// Largest emoji image, in bytes (Mattermost's limit).
pub const MAX_EMOJI_BYTES: usize = 512 * 1024;

/// The image types an emoji may have, told by their first bytes.
pub(crate) fn image_type(bytes: &[u8]) -> Option<&'static str> {
    match bytes {
        [0x89, b'P', b'N', b'G', ..] => Some("image/png"),
        [0xff, 0xd8, 0xff, ..] => Some("image/jpeg"),
        [b'G', b'I', b'F', b'8', ..] => Some("image/gif"),
        [b'R', b'I', b'F', b'F', _, _, _, _, b'W', b'E', b'B', b'P', ..] => Some("image/webp"),
        _ => None,
    }
}

fn check_name(name: &str) -> Result<()> {
    validate::emoji_name("name", name)
}

impl Core {
    /// Adds an emoji with its image (PNG, JPEG, GIF or WebP, at most 512 KiB).
    pub async fn create_emoji(&self, actor: &Actor, name: &str, image: &[u8]) -> Result<Emoji> {
        let name = name.trim().to_lowercase();
        check_name(&name)?;
        if image.len() > MAX_EMOJI_BYTES {
            return Err(Error::TooLarge(format!(
                "an emoji image may be at most {MAX_EMOJI_BYTES} bytes"
            )));
        }
        let content_type = image_type(image)
            .ok_or_else(|| Error::invalid("image", "must be a PNG, JPEG, GIF or WebP image"))?;
        let now = now_ms();
        let emoji = Emoji {
            id: new_id(),
            create_at: now,
            update_at: now,
            delete_at: 0,
            creator_id: actor.id().to_string(),
            name,
        };
        self.store.create_emoji(&emoji, content_type, image).await?;
        self.events.publish(
            crate::events::EventKind::EmojiAdded {
                emoji: emoji.clone(),
            },
            crate::events::Audience::All,
        );
        Ok(emoji)
    }

    /// One emoji by id.
    pub async fn get_emoji(&self, id: &str) -> Result<Emoji> {
        validate::id("emoji_id", id)?;
        self.store.get_emoji(id, false).await
    }

    /// One emoji by name.
    pub async fn get_emoji_by_name(&self, name: &str) -> Result<Emoji> {
        self.store.get_emoji(&name.to_lowercase(), true).await
    }

    /// An emoji's image and content type.
    pub async fn emoji_image(&self, id: &str) -> Result<(String, Vec<u8>)> {
        validate::id("emoji_id", id)?;
        self.store.get_emoji_image(id).await
    }

    /// Emoji whose names start with `prefix`, by name.
    pub async fn list_emoji(&self, prefix: &str, offset: i64, limit: i64) -> Result<Vec<Emoji>> {
        validate::length("name", prefix, 0, 64)?;
        self.store
            .list_emoji(&prefix.to_lowercase(), offset, limit.clamp(1, 200))
            .await
    }

    /// Deletes an emoji: its creator or a system admin.
    pub async fn delete_emoji(&self, actor: &Actor, id: &str) -> Result<Emoji> {
        let emoji = self.get_emoji(id).await?;
        if !actor.is_self_or_admin(&emoji.creator_id) {
            return Err(Error::forbidden(
                "only the emoji's creator or an admin can delete it",
            ));
        }
        self.store.delete_emoji(&emoji.id, now_ms()).await?;
        Ok(emoji)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_types_come_from_the_bytes() {
        assert_eq!(image_type(b"\x89PNG\r\n\x1a\n...."), Some("image/png"));
        assert_eq!(image_type(b"GIF89a...."), Some("image/gif"));
        assert_eq!(image_type(b"<svg></svg>"), None);
        assert!(check_name("party_parrot+1").is_ok());
        assert!(check_name("Party Parrot").is_err());
    }
}
