//! Usernames and names for accounts made by single sign-on.

use crate::services::validate;

/// A valid username made from what the provider suggests (or, failing
/// that, the e-mail address's local part): lower case, with anything
/// outside `a-z 0-9 . - _` turned into `-`, starting with a letter.
pub fn from_suggestion(suggested: &str, email: &str) -> String {
    let local = email.split('@').next().unwrap_or_default();
    for candidate in [suggested, local] {
        let cleaned = clean(candidate);
        if validate::username(&cleaned).is_ok() {
            return cleaned;
        }
    }
    format!("user-{}", &crate::id::new_id()[..10])
}

fn clean(raw: &str) -> String {
    let mapped: String = raw
        .trim()
        .to_lowercase()
        .chars()
        .map(|c| {
            if c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '-'
            }
        })
        .collect();
    let trimmed = mapped.trim_matches(|c: char| !c.is_ascii_alphanumeric());
    let mut name = trimmed.to_string();
    if name.chars().next().is_some_and(|c| c.is_ascii_digit()) {
        name.insert(0, 'u');
    }
    name.truncate(60);
    name
}

/// The `n`-th alternative to a taken username (`name`, then `name1`, `name2`, …).
pub fn alternative(base: &str, n: usize) -> String {
    if n == 0 {
        base.to_string()
    } else {
        let suffix = n.to_string();
        let keep = base.len().min(60usize.saturating_sub(suffix.len()));
        format!("{}{suffix}", &base[..keep])
    }
}

/// First and last name from a full name: the first word, then the rest.
pub fn split_name(name: &str) -> (String, String) {
    let name = name.trim();
    match name.split_once(char::is_whitespace) {
        Some((first, rest)) => (first.to_string(), rest.trim().to_string()),
        None => (name.to_string(), String::new()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_are_cleaned_into_valid_usernames() {
        assert_eq!(from_suggestion("Jane.Doe", "x@example.com"), "jane.doe");
        assert_eq!(from_suggestion("Jane Doe!", "x@example.com"), "jane-doe");
        assert_eq!(from_suggestion("", "Mary.Major@example.com"), "mary.major");
        assert_eq!(from_suggestion("42", "42@example.com"), "u42");
        let made = from_suggestion("", "@example.com");
        assert!(validate::username(&made).is_ok(), "{made}");
    }

    #[test]
    fn alternatives_count_up_within_the_length_limit() {
        assert_eq!(alternative("jane", 0), "jane");
        assert_eq!(alternative("jane", 2), "jane2");
        let long = "a".repeat(60);
        assert_eq!(alternative(&long, 12).len(), 60);
    }

    #[test]
    fn names_split_at_the_first_space() {
        assert_eq!(split_name("Jane Q. Doe"), ("Jane".into(), "Q. Doe".into()));
        assert_eq!(split_name("Cher"), ("Cher".into(), String::new()));
    }
}
