//! Custom statuses: an emoji and a short text beside one's name, optionally
//! until a time. Mattermost keeps the current one as a JSON string in the
//! user's props (`customStatus`) and the last few in a preference
//! (`custom_status` / `recent_custom_statuses`); so does this server, so the
//! apps read them where they expect them. Unlike Mattermost, an expired
//! status is dropped whenever the user is read, not only hidden by clients.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{validate, Actor, Core};
use crate::error::{Error, Result};
use crate::model::*;

/// The user prop that holds the current status, as a JSON string.
pub const CUSTOM_STATUS_PROP: &str = "customStatus";
/// The preference that holds the recent statuses, as a JSON array string.
pub const RECENT_CATEGORY: &str = "custom_status";
pub const RECENT_NAME: &str = "recent_custom_statuses";
/// Most characters of a status text; longer ones are cut, as Mattermost does.
const MAX_TEXT_CHARS: usize = 100;
/// Most recent statuses remembered.
const MAX_RECENT: usize = 5;
/// How long a status lasts, as the apps name it; each needs an `expires_at`.
const DURATIONS: &[&str] = &[
    "thirty_minutes",
    "one_hour",
    "four_hours",
    "today",
    "this_week",
    "date_and_time",
];
/// Go's zero time, which Mattermost writes for "no expiry".
const ZERO_TIME: &str = "0001-01-01T00:00:00Z";

/// Mattermost's `CustomStatus`. `expires_at` stays the string the client
/// sent, since recent statuses are matched by their exact JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CustomStatus {
    #[serde(default)]
    pub emoji: String,
    #[serde(default)]
    pub text: String,
    #[serde(default)]
    pub duration: String,
    #[serde(default = "zero_time")]
    pub expires_at: String,
}

fn zero_time() -> String {
    ZERO_TIME.to_string()
}

impl CustomStatus {
    /// The expiry, if any; `Err` names a time that is not RFC 3339.
    fn expiry(&self) -> Result<Option<DateTime<Utc>>> {
        if self.expires_at.is_empty() || self.expires_at == ZERO_TIME {
            return Ok(None);
        }
        DateTime::parse_from_rfc3339(&self.expires_at)
            .map(|t| Some(t.with_timezone(&Utc)))
            .map_err(|_| Error::invalid("custom_status", "expires_at must be an RFC 3339 time"))
    }

    /// Whether the status has run out by `now`.
    pub fn expired_at(&self, now: DateTime<Utc>) -> bool {
        !self.duration.is_empty() && matches!(self.expiry(), Ok(Some(t)) if t <= now)
    }

    /// Mattermost's checks and normalisation before saving: something to
    /// show, a known duration with a future expiry, text cut to length.
    fn checked(mut self) -> Result<Self> {
        if self.emoji.is_empty() && self.text.is_empty() {
            return Err(Error::invalid(
                "custom_status",
                "give an emoji, a text or both",
            ));
        }
        let now = Utc::now();
        let expiry = self.expiry()?;
        if expiry.is_some_and(|t| t < now) {
            return Err(Error::invalid("custom_status", "expires_at is in the past"));
        }
        if !self.duration.is_empty() {
            if !DURATIONS.contains(&self.duration.as_str()) {
                return Err(Error::invalid(
                    "custom_status",
                    format!("duration must be one of {}", DURATIONS.join(", ")),
                ));
            }
            if expiry.is_none() {
                return Err(Error::invalid(
                    "custom_status",
                    "a duration needs a future expires_at",
                ));
            }
        } else if expiry.is_some() {
            self.duration = "date_and_time".into();
        }
        if !self.emoji.is_empty() {
            validate::emoji_name("emoji", &self.emoji)?;
        }
        self.text = self.text.chars().take(MAX_TEXT_CHARS).collect();
        Ok(self)
    }
}

/// The user's current status from their props, if set and readable.
pub fn custom_status_of(user: &User) -> Option<CustomStatus> {
    let raw = user.props.get(CUSTOM_STATUS_PROP)?;
    if raw.is_empty() {
        return None;
    }
    serde_json::from_str(raw).ok()
}

/// The user without a status that has run out (its prop emptied).
pub fn without_expired_status(mut user: User) -> User {
    if custom_status_of(&user).is_some_and(|s| s.expired_at(Utc::now())) {
        user.props
            .insert(CUSTOM_STATUS_PROP.to_string(), String::new());
    }
    user
}

impl Core {
    async fn user_to_edit(&self, actor: &Actor, user_id: &str) -> Result<User> {
        validate::id("user_id", user_id)?;
        if !actor.is_self_or_admin(user_id) {
            return Err(Error::forbidden("you may only change your own status"));
        }
        self.store.get_user(user_id).await
    }

    /// Sets the user's custom status and puts it first among their recent ones.
    pub async fn set_custom_status(
        &self,
        actor: &Actor,
        user_id: &str,
        status: CustomStatus,
    ) -> Result<CustomStatus> {
        let status = status.checked()?;
        let mut user = self.user_to_edit(actor, user_id).await?;
        let json = serde_json::to_string(&status).map_err(|e| Error::Internal(e.to_string()))?;
        user.props.insert(CUSTOM_STATUS_PROP.to_string(), json);
        user.update_at = crate::time::now_ms();
        self.save_user(&user).await?;
        self.user_updated(&user);

        let mut recent = self
            .recent_custom_statuses(user_id)
            .await?
            .unwrap_or_default();
        recent.retain(|s| s.text != status.text);
        recent.insert(0, status.clone());
        recent.truncate(MAX_RECENT);
        self.save_recent(actor, user_id, &recent).await?;
        Ok(status)
    }

    /// Clears the user's custom status (the prop stays, empty, as Mattermost).
    pub async fn clear_custom_status(&self, actor: &Actor, user_id: &str) -> Result<()> {
        let mut user = self.user_to_edit(actor, user_id).await?;
        user.props
            .insert(CUSTOM_STATUS_PROP.to_string(), String::new());
        user.update_at = crate::time::now_ms();
        self.save_user(&user).await?;
        self.user_updated(&user);
        Ok(())
    }

    /// Forgets one of the recent statuses; it must be among them exactly.
    pub async fn remove_recent_custom_status(
        &self,
        actor: &Actor,
        user_id: &str,
        status: CustomStatus,
    ) -> Result<()> {
        self.user_to_edit(actor, user_id).await?;
        let not_there = || {
            Error::invalid(
                "recent_custom_status",
                "that status is not among the recent ones",
            )
        };
        let mut recent = self
            .recent_custom_statuses(user_id)
            .await?
            .ok_or_else(not_there)?;
        let before = recent.len();
        recent.retain(|s| *s != status);
        if recent.len() == before {
            return Err(not_there());
        }
        self.save_recent(actor, user_id, &recent).await
    }

    /// The recent statuses, newest first; `None` when none were ever saved.
    async fn recent_custom_statuses(&self, user_id: &str) -> Result<Option<Vec<CustomStatus>>> {
        let saved = self
            .store
            .list_preferences(user_id)
            .await?
            .into_iter()
            .find(|p| p.category == RECENT_CATEGORY && p.name == RECENT_NAME);
        Ok(saved
            .filter(|p| !p.value.is_empty())
            .map(|p| serde_json::from_str(&p.value).unwrap_or_default()))
    }

    async fn save_recent(
        &self,
        actor: &Actor,
        user_id: &str,
        recent: &[CustomStatus],
    ) -> Result<()> {
        let value = serde_json::to_string(recent).map_err(|e| Error::Internal(e.to_string()))?;
        let preference = Preference {
            user_id: user_id.to_string(),
            category: RECENT_CATEGORY.to_string(),
            name: RECENT_NAME.to_string(),
            value,
        };
        // Saved as the user's own change, so an admin acting for them may too.
        self.save_preferences(actor, user_id, vec![preference])
            .await
    }
}
