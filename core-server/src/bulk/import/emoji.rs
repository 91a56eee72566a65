//! Custom emoji lines: the image read from the export and stored once under
//! an id derived from the emoji's name.

use super::{attachment_failure, bad, store_failure, Applied, Failure, Importer};
use crate::bulk::format::EmojiLine;
use crate::error::Error;
use crate::id::derived_id;
use crate::model::Emoji;
use crate::time::now_ms;

impl Importer<'_> {
    pub(super) async fn emoji(&mut self, e: &EmojiLine) -> Applied {
        let name = e.name.as_deref().unwrap_or_default().to_lowercase();
        let store = self.core.store.clone();
        match store.get_emoji(&name, true).await {
            Ok(_) => return Ok(()),
            Err(Error::NotFound { .. }) => {}
            Err(err) => return Err(Failure::Store(err)),
        }
        let image = self
            .files
            .read(
                e.image.as_deref().unwrap_or_default(),
                crate::services::emoji::MAX_EMOJI_BYTES as u64,
            )
            .await
            .map_err(|err| match attachment_failure(err) {
                Failure::Line(invalid) => bad("emoji.image", invalid.reason),
                other => other,
            })?;
        let content_type = crate::services::emoji::image_type(&image)
            .ok_or_else(|| bad("emoji.image", "is not a PNG, JPEG, GIF or WebP image"))?;
        let now = now_ms();
        let emoji = Emoji {
            id: derived_id(&["emoji", &name]),
            create_at: now,
            update_at: now,
            delete_at: 0,
            // Exports do not say who made an emoji: a creator id of no user.
            creator_id: derived_id(&["imported emoji"]),
            name,
        };
        store
            .create_emoji(&emoji, content_type, &image)
            .await
            .map_err(store_failure("emoji.name"))?;
        self.written.emoji += 1;
        Ok(())
    }
}
