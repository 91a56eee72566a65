//! The sidebar: a user's categories of channels in a team. Every team starts
//! with Favorites, Channels and Direct Messages; users reorder them, move
//! channels between them and add categories of their own.

use super::{validate, Actor, Core};
use crate::error::{Error, Result};
use crate::events::{Audience, EventKind};
use crate::id::new_id;
use crate::model::{Channel, SidebarCategory};

const SORTINGS: &[&str] = &["", "manual", "recent", "alpha"];

fn default_categories(user_id: &str, team_id: &str) -> Vec<SidebarCategory> {
    [
        ("favorites", "Favorites", 0, ""),
        ("channels", "Channels", 10, ""),
        ("direct_messages", "Direct Messages", 20, "recent"),
    ]
    .into_iter()
    .map(|(kind, name, order, sorting)| SidebarCategory {
        id: format!("{kind}_{user_id}_{team_id}"),
        user_id: user_id.to_string(),
        team_id: team_id.to_string(),
        sort_order: order,
        sorting: sorting.to_string(),
        category_type: kind.to_string(),
        display_name: name.to_string(),
        muted: false,
        collapsed: false,
        channel_ids: Vec::new(),
    })
    .collect()
}

/// Fits the stored categories to the user's current channels: gone channels
/// are dropped, favourites join Favorites, the rest of the unplaced channels
/// join Channels or Direct Messages.
fn reconcile(
    mut categories: Vec<SidebarCategory>,
    channels: &[Channel],
    favorites: &[String],
) -> Vec<SidebarCategory> {
    let live: Vec<&Channel> = channels.iter().filter(|c| c.delete_at == 0).collect();
    let is_live = |id: &String| live.iter().any(|c| &c.id == id);
    for cat in &mut categories {
        cat.channel_ids.retain(|id| is_live(id));
    }
    let placed = |cats: &[SidebarCategory], id: &str| {
        cats.iter().any(|c| c.channel_ids.iter().any(|x| x == id))
    };
    let mut unplaced: Vec<&&Channel> = live
        .iter()
        .filter(|c| !placed(&categories, &c.id))
        .collect();
    unplaced.sort_by(|a, b| {
        a.display_name
            .cmp(&b.display_name)
            .then_with(|| a.id.cmp(&b.id))
    });
    for channel in unplaced {
        let kind = if favorites.contains(&channel.id) {
            "favorites"
        } else if channel.is_direct_or_group() {
            "direct_messages"
        } else {
            "channels"
        };
        if let Some(cat) = categories.iter_mut().find(|c| c.category_type == kind) {
            cat.channel_ids.push(channel.id.clone());
        }
    }
    categories.sort_by_key(|c| c.sort_order);
    categories
}

impl Core {
    async fn load_sidebar(&self, actor: &Actor, team_id: &str) -> Result<Vec<SidebarCategory>> {
        self.team_for_member(actor, team_id).await?;
        let stored = match self.store.get_sidebar(actor.id(), team_id).await? {
            Some(doc) => serde_json::from_str(&doc)
                .unwrap_or_else(|_| default_categories(actor.id(), team_id)),
            None => default_categories(actor.id(), team_id),
        };
        let channels = self
            .store
            .list_user_channels(actor.id(), Some(team_id))
            .await?;
        let favorites: Vec<String> = self
            .store
            .list_preferences(actor.id())
            .await?
            .into_iter()
            .filter(|p| p.category == "favorite_channel" && p.value == "true")
            .map(|p| p.name)
            .collect();
        Ok(reconcile(stored, &channels, &favorites))
    }

    async fn save_sidebar(
        &self,
        actor: &Actor,
        team_id: &str,
        categories: &[SidebarCategory],
    ) -> Result<()> {
        let doc = serde_json::to_string(categories).map_err(|e| Error::Internal(e.to_string()))?;
        self.store.save_sidebar(actor.id(), team_id, &doc).await
    }

    /// The actor's sidebar in a team, in display order.
    pub async fn sidebar(&self, actor: &Actor, team_id: &str) -> Result<Vec<SidebarCategory>> {
        self.load_sidebar(actor, team_id).await
    }

    /// Applies changes to existing categories (sorting, muted, collapsed, a
    /// custom category's name, and the channels in each, which leave any other
    /// category). Returns the changed categories.
    pub async fn update_sidebar(
        &self,
        actor: &Actor,
        team_id: &str,
        updates: Vec<SidebarCategory>,
    ) -> Result<Vec<SidebarCategory>> {
        let mut categories = self.load_sidebar(actor, team_id).await?;
        let mine: Vec<String> = categories
            .iter()
            .flat_map(|c| c.channel_ids.clone())
            .collect();
        let mut changed = Vec::new();
        for update in updates {
            if !SORTINGS.contains(&update.sorting.as_str()) {
                return Err(Error::invalid(
                    "sorting",
                    "must be \"\", manual, recent or alpha",
                ));
            }
            // Channels one is not in are dropped, as Mattermost does, not refused.
            let mut update = update;
            update.channel_ids.retain(|id| mine.contains(id));
            let Some(index) = categories.iter().position(|c| c.id == update.id) else {
                return Err(Error::not_found("category"));
            };
            for (i, other) in categories.iter_mut().enumerate() {
                if i != index {
                    other
                        .channel_ids
                        .retain(|id| !update.channel_ids.contains(id));
                }
            }
            let cat = &mut categories[index];
            if cat.category_type == "custom" {
                validate::length("display_name", update.display_name.trim(), 1, 64)?;
                cat.display_name = update.display_name.trim().to_string();
            }
            cat.sorting = update.sorting;
            cat.muted = update.muted;
            cat.collapsed = update.collapsed;
            cat.channel_ids = update.channel_ids;
            changed.push(cat.id.clone());
        }
        self.save_sidebar(actor, team_id, &categories).await?;
        let changed: Vec<SidebarCategory> = categories
            .into_iter()
            .filter(|c| changed.contains(&c.id))
            .collect();
        self.events.publish(
            EventKind::SidebarCategoryUpdated {
                user_id: actor.id().to_string(),
                team_id: team_id.to_string(),
                categories: changed.clone(),
            },
            Audience::User(actor.id().to_string()),
        );
        Ok(changed)
    }

    /// Adds a custom category right after Favorites, holding `channel_ids`.
    pub async fn create_category(
        &self,
        actor: &Actor,
        team_id: &str,
        display_name: &str,
        channel_ids: Vec<String>,
    ) -> Result<SidebarCategory> {
        validate::length("display_name", display_name.trim(), 1, 64)?;
        let mut categories = self.load_sidebar(actor, team_id).await?;
        if categories.len() >= 50 {
            return Err(Error::invalid(
                "display_name",
                "at most 50 categories per team",
            ));
        }
        let mine: Vec<String> = categories
            .iter()
            .flat_map(|c| c.channel_ids.clone())
            .collect();
        let channel_ids: Vec<String> = channel_ids
            .into_iter()
            .filter(|id| mine.contains(id))
            .collect();
        for cat in &mut categories {
            cat.channel_ids.retain(|id| !channel_ids.contains(id));
            if cat.category_type != "favorites" {
                cat.sort_order += 10;
            }
        }
        let category = SidebarCategory {
            id: new_id(),
            user_id: actor.id().to_string(),
            team_id: team_id.to_string(),
            sort_order: 10,
            sorting: String::new(),
            category_type: "custom".into(),
            display_name: display_name.trim().to_string(),
            muted: false,
            collapsed: false,
            channel_ids,
        };
        categories.push(category.clone());
        categories.sort_by_key(|c| c.sort_order);
        self.save_sidebar(actor, team_id, &categories).await?;
        self.events.publish(
            EventKind::SidebarCategoryCreated {
                user_id: actor.id().to_string(),
                team_id: team_id.to_string(),
                category_id: category.id.clone(),
            },
            Audience::User(actor.id().to_string()),
        );
        Ok(category)
    }

    /// Deletes a custom category; its channels return to the default ones.
    pub async fn delete_category(
        &self,
        actor: &Actor,
        team_id: &str,
        category_id: &str,
    ) -> Result<()> {
        let mut categories = self.load_sidebar(actor, team_id).await?;
        let Some(index) = categories.iter().position(|c| c.id == category_id) else {
            return Err(Error::not_found("category"));
        };
        if categories[index].category_type != "custom" {
            return Err(Error::invalid(
                "category_id",
                "only custom categories can be deleted",
            ));
        }
        categories.remove(index);
        self.save_sidebar(actor, team_id, &categories).await?;
        self.events.publish(
            EventKind::SidebarCategoryDeleted {
                user_id: actor.id().to_string(),
                team_id: team_id.to_string(),
                category_id: category_id.to_string(),
            },
            Audience::User(actor.id().to_string()),
        );
        Ok(())
    }

    /// Puts the categories in the given order (every category id, once).
    pub async fn set_category_order(
        &self,
        actor: &Actor,
        team_id: &str,
        order: &[String],
    ) -> Result<Vec<String>> {
        let mut categories = self.load_sidebar(actor, team_id).await?;
        let mut wanted = order.to_vec();
        wanted.sort();
        let mut have: Vec<String> = categories.iter().map(|c| c.id.clone()).collect();
        have.sort();
        if wanted != have {
            return Err(Error::invalid(
                "order",
                "must list every category id exactly once",
            ));
        }
        for cat in &mut categories {
            let position = order.iter().position(|id| *id == cat.id).unwrap_or(0);
            cat.sort_order = i64::try_from(position).unwrap_or(0) * 10;
        }
        categories.sort_by_key(|c| c.sort_order);
        self.save_sidebar(actor, team_id, &categories).await?;
        self.events.publish(
            EventKind::SidebarCategoryOrderUpdated {
                user_id: actor.id().to_string(),
                team_id: team_id.to_string(),
                order: order.to_vec(),
            },
            Audience::User(actor.id().to_string()),
        );
        Ok(order.to_vec())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn channel(id: &str, kind: &str, name: &str) -> Channel {
        Channel {
            id: id.into(),
            create_at: 0,
            update_at: 0,
            delete_at: 0,
            team_id: String::new(),
            channel_type: kind.into(),
            display_name: name.into(),
            name: name.into(),
            header: String::new(),
            purpose: String::new(),
            last_post_at: 0,
            last_root_post_at: 0,
            total_msg_count: 0,
            total_msg_count_root: 0,
            creator_id: String::new(),
            props: serde_json::json!({}),
            extra_update_at: 0,
            group_constrained: false,
            shared: false,
        }
    }

    #[test]
    fn unplaced_channels_join_their_default_category_and_gone_ones_leave() {
        let mut stored = default_categories("u", "t");
        stored[1].channel_ids = vec!["gone".into()];
        let channels = vec![
            channel("b", "O", "Beta"),
            channel("a", "P", "Alpha"),
            channel("d", "D", ""),
            channel("f", "O", "Fav"),
        ];
        let cats = reconcile(stored, &channels, &["f".to_string()]);
        assert_eq!(cats[0].channel_ids, vec!["f"]);
        assert_eq!(
            cats[1].channel_ids,
            vec!["a", "b"],
            "by display name, and the gone channel dropped"
        );
        assert_eq!(cats[2].channel_ids, vec!["d"]);
        assert_eq!(cats[2].sorting, "recent");
    }
}
