//! Field checks shared by the services. Each error names the field.

use crate::error::{Error, Result};

/// Checks that `value` has between `min` and `max` characters.
pub fn length(field: &str, value: &str, min: usize, max: usize) -> Result<()> {
    // PostgreSQL cannot store it, and no text needs it: refused on every
    // backend alike.
    if value.contains('\0') {
        return Err(Error::invalid(field, "must not contain a NUL character"));
    }
    let n = value.chars().count();
    if n < min {
        return Err(if min == 1 {
            Error::invalid(field, "must not be empty")
        } else {
            Error::invalid(field, format!("must be at least {min} characters"))
        });
    }
    if n > max {
        return Err(Error::invalid(
            field,
            format!("must be at most {max} characters"),
        ));
    }
    Ok(())
}

/// Checks that `value` is an id.
pub fn id(field: &str, value: &str) -> Result<()> {
    if crate::id::is_valid_id(value) {
        Ok(())
    } else {
        Err(Error::invalid(field, "is not a valid id"))
    }
}

/// Usernames the server keeps for mentions and itself (Mattermost's list).
pub const RESERVED_USERNAMES: &[&str] = &["all", "channel", "matterbot", "system"];

/// Usernames as Mattermost's server accepts them: 1–64 characters of
/// lower-case letters, digits, `.`, `-` and `_`, none of the reserved ones.
pub fn username(value: &str) -> Result<()> {
    length("username", value, 1, 64)?;
    if !value
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || ".-_".contains(c))
    {
        return Err(Error::invalid(
            "username",
            "may contain only lower-case letters, digits, '.', '-' and '_'",
        ));
    }
    if RESERVED_USERNAMES.contains(&value) {
        return Err(Error::invalid("username", "is reserved"));
    }
    Ok(())
}

/// E-mail addresses: one `@` with text on both sides, at most 128 characters.
pub fn email(value: &str) -> Result<()> {
    length("email", value, 3, 128)?;
    let mut parts = value.split('@');
    let (local, domain) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    if local.is_empty()
        || domain.is_empty()
        || parts.next().is_some()
        || value.contains(char::is_whitespace)
    {
        return Err(Error::invalid("email", "is not an e-mail address"));
    }
    Ok(())
}

/// The e-mail domains of a list as Mattermost's settings write them
/// ("example.com, @corp.org x.io"), lower-cased.
pub fn domain_list(list: &str) -> Vec<String> {
    list.replace(['@', ','], " ")
        .to_lowercase()
        .split_whitespace()
        .map(String::from)
        .collect()
}

/// Whether an address is of one of `domains`, the whole domain (a
/// subdomain is another domain); an empty list accepts any address.
pub fn email_in_domains(email: &str, domains: &[String]) -> bool {
    let domain = email.rsplit_once('@').map(|(_, d)| d).unwrap_or_default();
    domains.is_empty() || domains.iter().any(|d| d.eq_ignore_ascii_case(domain))
}

/// Team and channel names (URL slugs): lower-case letters, digits, `-` and `_`.
pub fn slug(field: &str, value: &str, min: usize, max: usize) -> Result<()> {
    length(field, value, min, max)?;
    if !value
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
    {
        return Err(Error::invalid(
            field,
            "may contain only lower-case letters, digits, '-' and '_'",
        ));
    }
    if value.starts_with('-') || value.ends_with('-') {
        return Err(Error::invalid(field, "must not start or end with '-'"));
    }
    Ok(())
}

/// An emoji name: 1–64 of a-z, 0-9, `_`, `-`, `+` (system and custom emoji alike).
pub fn emoji_name(field: &str, name: &str) -> Result<()> {
    length(field, name, 1, 64)?;
    if !name
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "_-+".contains(c))
    {
        return Err(Error::invalid(
            field,
            "may contain only a-z, 0-9, '_', '-' and '+'",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn text_with_a_nul_character_is_refused() {
        let e = length("header", "a\0b", 0, 100).expect_err("a NUL");
        assert!(e.to_string().contains("header"), "{e}");
        assert!(length("header", "a b", 0, 100).is_ok());
    }

    #[test]
    fn usernames() {
        // Mattermost's rules: `admin` and a leading digit are fine.
        for good in [
            "alice.b-c_1",
            "admin",
            "1alice",
            "a",
            "here",
            &"a".repeat(64),
        ] {
            assert!(username(good).is_ok(), "{good}");
        }
        for bad in [
            "",
            "Alice",
            "al ice",
            "all",
            "channel",
            "matterbot",
            "system",
            &"a".repeat(65),
        ] {
            let err = username(bad).expect_err(bad);
            assert!(err.to_string().contains("username"), "{err}");
        }
    }

    #[test]
    fn emails() {
        assert!(email("a@b.c").is_ok());
        for bad in ["ab", "a@", "@b", "a@b@c", "a b@c"] {
            assert!(email(bad).is_err(), "{bad}");
        }
    }

    proptest! {
        #[test]
        fn length_counts_characters(s in "\\PC{0,30}") {
            let n = s.chars().count();
            prop_assert_eq!(length("f", &s, 1, 20).is_ok(), (1..=20).contains(&n));
        }

        #[test]
        fn slugs_never_accept_upper_case(s in "[A-Z][a-z]{1,10}") {
            prop_assert!(slug("name", &s, 1, 64).is_err());
        }
    }
}
