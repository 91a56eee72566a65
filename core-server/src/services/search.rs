//! Post search: Mattermost's query language (see `crate::search`), within the
//! channels the searcher belongs to, answered by the core's search index.

use super::{validate, Actor, Core};
use crate::error::{Error, Result};
use crate::model::Post;
use crate::search::{parse_search, PostSearch};

/// Results per page at most.
const MAX_PAGE: i64 = 200;

impl Core {
    /// Searches the posts of a team's channels (and the searcher's DMs and
    /// GMs) that the searcher belongs to, or of all their channels when no
    /// team is given; newest first, `offset` results skipped. With
    /// `any_term` one term is enough. Also answers the terms as typed (for
    /// highlighting).
    pub async fn search_posts(
        &self,
        actor: &Actor,
        team_id: Option<&str>,
        query: &str,
        any_term: bool,
        offset: i64,
        limit: i64,
    ) -> Result<(Vec<Post>, Vec<String>)> {
        validate::length("terms", query, 0, 1000)?;
        self.refuse_when_busy().await?;
        let teams: Vec<String> = match team_id {
            Some(team_id) => {
                self.team_for_member(actor, team_id).await?;
                vec![team_id.to_string()]
            }
            None => self
                .store
                .list_user_teams(actor.id())
                .await?
                .into_iter()
                .map(|t| t.id)
                .collect(),
        };
        if query.trim().is_empty() {
            return Err(Error::invalid("terms", "must not be empty"));
        }
        let q = parse_search(query)?;
        let typed: Vec<String> = q.terms.iter().map(|t| t.text.clone()).collect();
        if q.terms.is_empty() && q.from.is_empty() && q.channels.is_empty() {
            return Ok((Vec::new(), Vec::new()));
        }
        let mut from_ids = Vec::new();
        if !q.from.is_empty() {
            for user in self.store.get_users_by_usernames(&q.from).await? {
                from_ids.push(user.id);
            }
            if from_ids.is_empty() {
                return Ok((Vec::new(), typed));
            }
        }
        let mut channel_ids = Vec::new();
        for name in &q.channels {
            for team in &teams {
                match self.store.get_channel_by_name(team, name).await {
                    Ok(c) => channel_ids.push(c.id),
                    Err(Error::NotFound { .. }) => {}
                    Err(e) => return Err(e),
                }
            }
        }
        if !q.channels.is_empty() && channel_ids.is_empty() {
            return Ok((Vec::new(), typed));
        }
        let search = PostSearch {
            user_id: actor.id(),
            team_id,
            terms: &q.terms,
            any_term,
            excluded: &q.excluded,
            from_user_ids: &from_ids,
            channel_ids: &channel_ids,
            before: q.before,
            after: q.after,
            offset: offset.max(0),
            limit: limit.clamp(1, MAX_PAGE),
        };
        Ok((self.search.search_posts(&search).await?, typed))
    }
}
