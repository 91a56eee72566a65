//! Team icons: an uploaded image made into a 128×128 PNG (scaled to cover,
//! centre cropped, as Mattermost does) and kept in the file store. The
//! team's `last_team_icon_update` says whether it has one and versions it.

use bytes::Bytes;

use super::{validate, Actor, Core};
use crate::error::{Error, Result};
use crate::events::EventKind;
use crate::files::image::{square_png, ImageError};
use crate::files::service::image_permit;
use crate::model::*;
use crate::time::now_ms;

/// Largest image accepted as a team icon, in bytes.
pub const MAX_TEAM_ICON_BYTES: usize = 10 * 1024 * 1024;
/// Side of a stored icon, in pixels.
const ICON_SIDE: u32 = 128;
/// A stored icon is far smaller than this; a larger blob is not one of ours.
const MAX_STORED_ICON_BYTES: u64 = 1024 * 1024;

/// Where a team's icon is kept (the path Mattermost uses).
fn icon_key(team_id: &str) -> String {
    format!("teams/{team_id}/teamIcon.png")
}

impl Core {
    /// Fails unless the actor may change the team's icon (`manage_team`);
    /// an API checks it before reading an upload.
    pub async fn check_team_icon_change(&self, actor: &Actor, team_id: &str) -> Result<()> {
        validate::id("team_id", team_id)?;
        self.require_team_permission(actor, team_id, Permission::ManageTeam)
            .await
    }

    /// Sets a team's icon (`manage_team`: team and system admins) from a
    /// PNG, JPEG, GIF or WebP image, and tells the team's members.
    pub async fn set_team_icon(&self, actor: &Actor, team_id: &str, image: &[u8]) -> Result<Team> {
        self.check_team_icon_change(actor, team_id).await?;
        if image.len() > MAX_TEAM_ICON_BYTES {
            return Err(Error::TooLarge(format!(
                "a team icon may be at most {MAX_TEAM_ICON_BYTES} bytes"
            )));
        }
        if image.is_empty() {
            return Err(Error::invalid("image", "is empty"));
        }
        let mut team = self.store.get_team(team_id).await?;
        let png = self.make_icon(image.to_vec()).await?;
        self.blobs
            .put(&icon_key(&team.id), Bytes::from(png))
            .await?;
        let now = now_ms();
        team.last_team_icon_update = now;
        team.update_at = now;
        self.save_team_and_tell(&team, |team| EventKind::TeamUpdated { team })
            .await?;
        Ok(team)
    }

    /// Decodes and squares an upload off the request threads.
    async fn make_icon(&self, bytes: Vec<u8>) -> Result<Vec<u8>> {
        let max_pixels = self.config().max_image_pixels;
        let _permit = image_permit().await?;
        let made = tokio::task::spawn_blocking(move || square_png(&bytes, ICON_SIDE, max_pixels))
            .await
            .map_err(|e| Error::Internal(e.to_string()))?;
        made.map_err(|e| match e {
            ImageError::TooManyPixels { .. } => Error::invalid("image", e.to_string()),
            ImageError::Unreadable(_) => {
                Error::invalid("image", "is not a PNG, JPEG, GIF or WebP image")
            }
        })
    }

    /// A team's icon (a PNG) and when it was set, for whoever may see the
    /// team; `NotFound` (`team icon`) when it has none.
    pub async fn team_icon(&self, actor: &Actor, team_id: &str) -> Result<(Vec<u8>, i64)> {
        let team = self.get_team(actor, team_id).await?;
        if team.last_team_icon_update == 0 {
            return Err(Error::not_found("team icon"));
        }
        match crate::files::read_all(&*self.blobs, &icon_key(&team.id), MAX_STORED_ICON_BYTES).await
        {
            Ok(png) => Ok((png, team.last_team_icon_update)),
            Err(Error::NotFound { .. }) => Err(Error::not_found("team icon")),
            Err(e) => Err(e),
        }
    }

    /// Removes a team's icon (`manage_team`) and tells its members.
    pub async fn remove_team_icon(&self, actor: &Actor, team_id: &str) -> Result<Team> {
        self.check_team_icon_change(actor, team_id).await?;
        let mut team = self.store.get_team(team_id).await?;
        self.blobs.delete(&icon_key(&team.id)).await?;
        team.last_team_icon_update = 0;
        team.update_at = now_ms();
        self.save_team_and_tell(&team, |team| EventKind::TeamUpdated { team })
            .await?;
        Ok(team)
    }
}
