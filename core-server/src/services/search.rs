//! Post search: words, quoted phrases and the `from:`, `in:`, `before:`,
//! `after:` and `on:` filters, within the channels the searcher belongs to.

use super::{validate, Actor, Core};
use crate::error::{Error, Result};
use crate::model::Post;
use crate::store::PostSearch;

/// A parsed search.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct SearchQuery {
    /// Words and phrases every result must contain (lower-case).
    pub terms: Vec<String>,
    /// Words no result may contain (lower-case).
    pub excluded: Vec<String>,
    /// Usernames after `from:`.
    pub from: Vec<String>,
    /// Channel names after `in:` (`~` allowed).
    pub channels: Vec<String>,
    /// Only posts created before this time, ms.
    pub before: Option<i64>,
    /// Only posts created after this time, ms.
    pub after: Option<i64>,
}

/// Milliseconds at 00:00 UTC of a `YYYY-MM-DD` date.
fn day_start(date: &str) -> Option<i64> {
    let mut parts = date.split('-');
    let (y, m, d) = (
        parts.next()?.parse::<i64>().ok()?,
        parts.next()?.parse::<i64>().ok()?,
        parts.next()?.parse::<i64>().ok()?,
    );
    if parts.next().is_some() || !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    // Days from the civil date (proleptic Gregorian), after Howard Hinnant's algorithm.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some((era * 146_097 + doe - 719_468) * 86_400_000)
}

const DAY_MS: i64 = 86_400_000;

/// Parses Mattermost's search syntax. Unknown `key:` words are plain terms.
pub fn parse_search(input: &str) -> Result<SearchQuery> {
    let mut q = SearchQuery::default();
    let mut rest = input.trim();
    while !rest.is_empty() {
        if let Some(after_quote) = rest.strip_prefix('"') {
            let (phrase, tail) = after_quote.split_once('"').unwrap_or((after_quote, ""));
            let phrase = phrase.trim().to_lowercase();
            if !phrase.is_empty() {
                q.terms.push(phrase);
            }
            rest = tail.trim_start();
            continue;
        }
        let (word, tail) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
        rest = tail.trim_start();
        let lower = word.to_lowercase();
        let date = |field: &str, value: &str| {
            day_start(value)
                .ok_or_else(|| Error::invalid(field, format!("`{value}` is not a YYYY-MM-DD date")))
        };
        if let Some(v) = lower.strip_prefix("from:") {
            q.from.push(v.trim_start_matches('@').to_string());
        } else if let Some(v) = lower
            .strip_prefix("in:")
            .or_else(|| lower.strip_prefix("channel:"))
        {
            q.channels.push(v.trim_start_matches('~').to_string());
        } else if let Some(v) = lower.strip_prefix("before:") {
            q.before = Some(date("before", v)?);
        } else if let Some(v) = lower.strip_prefix("after:") {
            q.after = Some(date("after", v)? + DAY_MS - 1);
        } else if let Some(v) = lower.strip_prefix("on:") {
            let start = date("on", v)?;
            q.after = Some(start - 1);
            q.before = Some(start + DAY_MS);
        } else if let Some(v) = lower.strip_prefix('-').filter(|v| !v.is_empty()) {
            q.excluded.push(v.to_string());
        } else {
            let term = lower.trim_end_matches('*').to_string();
            if !term.is_empty() {
                q.terms.push(term);
            }
        }
    }
    Ok(q)
}

impl Core {
    /// Searches the posts of a team's channels (and the searcher's DMs and
    /// GMs) that the searcher belongs to, or of all their channels when no
    /// team is given; newest first. With `any_term` one term is enough.
    pub async fn search_posts(
        &self,
        actor: &Actor,
        team_id: Option<&str>,
        query: &str,
        any_term: bool,
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
        if q.terms.is_empty() && q.from.is_empty() && q.channels.is_empty() {
            return Ok((Vec::new(), Vec::new()));
        }
        let mut from_ids = Vec::new();
        if !q.from.is_empty() {
            for user in self.store.get_users_by_usernames(&q.from).await? {
                from_ids.push(user.id);
            }
            if from_ids.is_empty() {
                return Ok((Vec::new(), q.terms));
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
            return Ok((Vec::new(), q.terms));
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
            limit: limit.clamp(1, 200),
        };
        Ok((self.store.search_posts(&search).await?, q.terms))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_terms_phrases_and_filters() {
        let q = parse_search(
            r#"Deploy "release notes" from:@Alice in:~town-square -draft after:2024-01-31 rust*"#,
        )
        .expect("valid");
        assert_eq!(q.terms, vec!["deploy", "release notes", "rust"]);
        assert_eq!(q.excluded, vec!["draft"]);
        assert_eq!(q.from, vec!["alice"]);
        assert_eq!(q.channels, vec!["town-square"]);
        assert_eq!(q.after, Some(1_706_745_600_000 - 1));
        assert!(q.before.is_none());
    }

    #[test]
    fn dates_are_utc_days_and_bad_ones_name_the_filter() {
        assert_eq!(day_start("1970-01-01"), Some(0));
        assert_eq!(day_start("2000-03-01"), Some(951_868_800_000));
        let err = parse_search("on:2024-13-01").expect_err("bad month");
        assert!(err.to_string().contains("on"), "{err}");
        let on = parse_search("on:2024-02-29").expect("leap day");
        assert_eq!(
            on.before.zip(on.after).map(|(b, a)| b - a),
            Some(DAY_MS + 1)
        );
    }
}
