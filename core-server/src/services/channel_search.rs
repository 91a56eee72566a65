//! Finding channels in a team: autocompletion while typing `~`, the
//! channels to search `in:`, "Browse channels" and its archived tab. Each
//! list holds only what the caller may see, as Mattermost's: public
//! channels and the private ones they belong to.

use std::collections::HashSet;

use super::{Actor, Core};
use crate::error::Result;
use crate::model::*;

/// Which of a team's channels a lookup lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChannelScope {
    /// Live public channels ("Browse channels").
    Public,
    /// Live channels the caller may read: public ones and their private ones.
    Readable,
    /// Live channels the caller belongs to (search's `in:`).
    Joined,
    /// Archived public channels and archived private ones the caller was in.
    Archived,
}

/// Whether `term` starts the channel's name or display name, or one of
/// their words; an empty term matches everything.
fn matches(name: &str, display_name: &str, term: &str) -> bool {
    if term.is_empty() {
        return true;
    }
    [name, display_name].iter().any(|text| {
        let lower = text.to_lowercase();
        lower.starts_with(term)
            || lower
                .split(|c: char| c.is_whitespace() || "-_.".contains(c))
                .any(|word| word.starts_with(term))
    })
}

impl Core {
    /// The team's channels in `scope` whose name matches `term`, by display
    /// name, at most `limit` after skipping `offset`.
    pub async fn find_team_channels(
        &self,
        actor: &Actor,
        team_id: &str,
        term: &str,
        scope: ChannelScope,
        offset: usize,
        limit: usize,
    ) -> Result<Vec<Channel>> {
        super::validate::length("term", term, 0, 64)?;
        self.team_for_member(actor, team_id).await?;
        let term = term.trim().trim_start_matches('~').to_lowercase();
        let joined: HashSet<String> = self
            .store
            .list_user_channels(actor.id(), Some(team_id))
            .await?
            .into_iter()
            .map(|c| c.id)
            .collect();
        let mut found: Vec<Channel> = self
            .store
            .list_team_channels(team_id, actor.id())
            .await?
            .into_iter()
            .filter(|c| c.team_id == team_id)
            .filter(|c| {
                let public = c.channel_type == channel_types::OPEN;
                let member = joined.contains(&c.id);
                let live = c.delete_at == 0;
                match scope {
                    ChannelScope::Public => live && public,
                    ChannelScope::Readable => live && (public || member),
                    ChannelScope::Joined => live && member,
                    ChannelScope::Archived => !live && (public || member),
                }
            })
            .filter(|c| matches(&c.name, &c.display_name, &term))
            .collect();
        found.sort_by(|a, b| {
            a.display_name
                .to_lowercase()
                .cmp(&b.display_name.to_lowercase())
                .then_with(|| a.id.cmp(&b.id))
        });
        Ok(found.into_iter().skip(offset).take(limit).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_match_the_start_of_names_and_of_their_words() {
        let (name, display) = ("release-train", "Release Train 2.0");
        for term in ["", "rel", "release-t", "train", "2"] {
            assert!(matches(name, display, term), "{term}");
        }
        for term in ["elease", "rain", "x"] {
            assert!(!matches(name, display, term), "{term}");
        }
    }
}
