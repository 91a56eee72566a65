//! Mattermost's search syntax: words, `prefix*`, quoted phrases,
//! `-excluded` words, `#hashtags`, `@mentions` and the `from:`, `in:`,
//! `before:`, `after:` and `on:` filters.

use super::SearchTerm;
use crate::error::{Error, Result};

/// A parsed search.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct SearchQuery {
    /// Words, prefixes and phrases every result must contain (or one of
    /// them, for an "or" search).
    pub terms: Vec<SearchTerm>,
    /// Words no result may contain.
    pub excluded: Vec<SearchTerm>,
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
    // Years past 9999 are no one's date, and would overflow the arithmetic below.
    if parts.next().is_some()
        || !(0..=9999).contains(&y)
        || !(1..=12).contains(&m)
        || !(1..=31).contains(&d)
    {
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
                q.terms.push(SearchTerm::phrase(phrase));
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
            q.excluded.extend(term_of(v));
        } else {
            q.terms.extend(term_of(&lower));
        }
    }
    Ok(q)
}

/// A typed word as a term: a trailing `*` makes it a prefix.
fn term_of(word: &str) -> Option<SearchTerm> {
    let stem = word.trim_end_matches('*');
    if stem.is_empty() {
        None
    } else if stem.len() < word.len() {
        Some(SearchTerm::prefix(stem))
    } else {
        Some(SearchTerm::word(stem))
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
        assert_eq!(
            q.terms,
            vec![
                SearchTerm::word("deploy"),
                SearchTerm::phrase("release notes"),
                SearchTerm::prefix("rust")
            ]
        );
        assert_eq!(q.excluded, vec![SearchTerm::word("draft")]);
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

    #[test]
    fn years_no_calendar_holds_are_refused_not_overflowed() {
        for filter in ["before", "after", "on"] {
            let err = parse_search(&format!("{filter}:300000000-01-01")).expect_err("far year");
            assert!(err.to_string().contains(filter), "{err}");
        }
        assert!(day_start("9999-12-31").is_some());
    }
}
