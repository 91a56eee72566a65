//! Presence: a user's status, set by hand or by activity.

use super::{validate, Actor, Core};
use crate::error::{Error, Result};
use crate::events::{Audience, EventKind};
use crate::model::*;
use crate::time::now_ms;

impl Core {
    /// A user's status; users never seen are `offline`.
    pub async fn get_status(&self, _actor: &Actor, user_id: &str) -> Result<Status> {
        validate::id("user_id", user_id)?;
        self.store.get_user(user_id).await?;
        Ok(self.store.get_status(user_id).await?.unwrap_or(Status {
            user_id: user_id.to_string(),
            status: "offline".into(),
            manual: false,
            last_activity_at: 0,
            dnd_end_time: 0,
            prev_status: String::new(),
        }))
    }

    /// Sets a status by hand. `dnd_end_time` (seconds) applies to `dnd` only.
    pub async fn set_status(
        &self,
        actor: &Actor,
        user_id: &str,
        status: &str,
        dnd_end_time: Option<i64>,
    ) -> Result<Status> {
        validate::id("user_id", user_id)?;
        if !actor.is_self_or_admin(user_id) {
            return Err(Error::forbidden("you may only set your own status"));
        }
        if !STATUSES.contains(&status) {
            return Err(Error::invalid(
                "status",
                format!("must be one of {}", STATUSES.join(", ")),
            ));
        }
        // Kept to the whole minute, as Mattermost does.
        let end = dnd_end_time.unwrap_or(0);
        let end = if end < 0 { end } else { end - end % 60 };
        if end < 0 || (end != 0 && status != "dnd") {
            return Err(Error::invalid(
                "dnd_end_time",
                "must be a future time in seconds, with status dnd",
            ));
        }
        let previous = self.get_status(actor, user_id).await?;
        let next = Status {
            user_id: user_id.to_string(),
            status: status.to_string(),
            manual: true,
            last_activity_at: now_ms(),
            dnd_end_time: end,
            prev_status: if status == "dnd" {
                previous.status
            } else {
                String::new()
            },
        };
        self.store.save_status(&next).await?;
        self.events.publish(
            EventKind::StatusChanged {
                status: next.clone(),
            },
            Audience::User(user_id.to_string()),
        );
        Ok(next)
    }

    /// Statuses of several users; unknown ids are skipped.
    pub async fn get_statuses(&self, _actor: &Actor, user_ids: &[String]) -> Result<Vec<Status>> {
        if user_ids.len() > 200 {
            return Err(Error::invalid("user_ids", "at most 200 ids per request"));
        }
        for id in user_ids {
            validate::id("user_ids", id)?;
        }
        let stored: std::collections::HashMap<String, Status> = self
            .store
            .get_statuses(user_ids)
            .await?
            .into_iter()
            .map(|s| (s.user_id.clone(), s))
            .collect();
        // In the order asked; unknown users read as offline, as on Mattermost.
        Ok(user_ids
            .iter()
            .map(|id| {
                stored.get(id).cloned().unwrap_or_else(|| Status {
                    user_id: id.clone(),
                    status: "offline".into(),
                    manual: false,
                    last_activity_at: 0,
                    dnd_end_time: 0,
                    prev_status: String::new(),
                })
            })
            .collect())
    }
}
