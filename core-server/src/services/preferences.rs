//! User preferences: category/name/value triples.

use super::{validate, Actor, Core};
use crate::error::{Error, Result};
use crate::events::{Audience, EventKind};
use crate::model::*;

/// Most preferences saved in one call.
const MAX_BATCH: usize = 100;

fn check(actor: &Actor, user_id: &str, prefs: &[Preference]) -> Result<()> {
    if !actor.is_self_or_admin(user_id) {
        return Err(Error::forbidden("you may only change your own preferences"));
    }
    if prefs.is_empty() || prefs.len() > MAX_BATCH {
        return Err(Error::invalid(
            "preferences",
            format!("send 1 to {MAX_BATCH} preferences"),
        ));
    }
    for p in prefs {
        if p.user_id != user_id {
            return Err(Error::invalid(
                "user_id",
                "every preference must belong to the user in the path",
            ));
        }
        validate::length("category", &p.category, 1, 32)?;
        validate::length("name", &p.name, 0, 32)?;
        validate::length("value", &p.value, 0, 2000)?;
    }
    Ok(())
}

impl Core {
    /// A user's preferences (one's own, or anyone's for an admin).
    pub async fn list_preferences(&self, actor: &Actor, user_id: &str) -> Result<Vec<Preference>> {
        if !actor.is_self_or_admin(user_id) {
            return Err(Error::forbidden("you may only read your own preferences"));
        }
        self.store.list_preferences(user_id).await
    }

    /// Saves preferences, replacing values under the same category and name.
    pub async fn save_preferences(
        &self,
        actor: &Actor,
        user_id: &str,
        prefs: Vec<Preference>,
    ) -> Result<()> {
        check(actor, user_id, &prefs)?;
        self.store.save_preferences(&prefs).await?;
        self.events.publish(
            EventKind::PreferencesChanged {
                user_id: user_id.to_string(),
                preferences: prefs,
            },
            Audience::User(user_id.to_string()),
        );
        Ok(())
    }

    /// Deletes preferences by category and name.
    pub async fn delete_preferences(
        &self,
        actor: &Actor,
        user_id: &str,
        prefs: Vec<Preference>,
    ) -> Result<()> {
        check(actor, user_id, &prefs)?;
        let keys: Vec<(String, String)> = prefs
            .iter()
            .map(|p| (p.category.clone(), p.name.clone()))
            .collect();
        self.store.delete_preferences(user_id, &keys).await?;
        self.events.publish(
            EventKind::PreferencesDeleted {
                user_id: user_id.to_string(),
                preferences: prefs,
            },
            Audience::User(user_id.to_string()),
        );
        Ok(())
    }
}
