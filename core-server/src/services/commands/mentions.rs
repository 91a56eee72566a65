//! The `@user` and `~channel` mentions in a custom command's text, which
//! Mattermost resolves and sends along (`user_mentions`,
//! `user_mentions_ids`, `channel_mentions`, `channel_mentions_ids`): users of
//! the team, and its public channels.

use crate::error::{Error, Result};
use crate::model::*;
use crate::services::Core;

/// The most distinct names of each kind looked up for one command: each
/// costs a query, and a message is long enough for thousands.
const MAX_MENTIONS: usize = 100;

/// Whether `c` is part of a word (so an `@` or `~` after it starts no mention).
fn is_word(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The names after `sigil` where it does not follow a word character and
/// the name's characters are `allowed` (the first one alphanumeric for
/// users), each once, in order.
fn names_after(
    text: &str,
    sigil: char,
    allowed: fn(char) -> bool,
    alnum_first: bool,
) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    let mut prev: Option<char> = None;
    for (i, c) in text.char_indices() {
        if c == sigil && !prev.is_some_and(is_word) {
            let rest = &text[i + c.len_utf8()..];
            let len = rest.find(|ch: char| !allowed(ch)).unwrap_or(rest.len());
            let name = &rest[..len];
            let starts_well = name
                .chars()
                .next()
                .is_some_and(|f| !alnum_first || f.is_ascii_alphanumeric());
            if !name.is_empty() && starts_well && !names.iter().any(|n| n == name) {
                names.push(name.to_string());
            }
        }
        prev = Some(c);
    }
    names
}

/// Possible usernames mentioned as `@name` (lower case).
pub(crate) fn user_mentions(text: &str) -> Vec<String> {
    let allowed = |c: char| c.is_ascii_alphanumeric() || ".-_:".contains(c);
    let mut names: Vec<String> = Vec::new();
    for name in names_after(text, '@', allowed, true) {
        let name = name.to_lowercase();
        if !names.contains(&name) {
            names.push(name);
        }
    }
    names
}

/// Channel names mentioned as `~name`.
pub(crate) fn channel_mentions(text: &str) -> Vec<String> {
    let allowed = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
    names_after(text, '~', allowed, false)
}

/// `name` without one trailing `.`, `-` or `_`, if it has one.
fn trim_special(name: &str) -> Option<&str> {
    name.strip_suffix(['.', '-', '_'])
}

impl Core {
    /// The request fields naming the team's users and public channels the
    /// text mentions.
    pub(crate) async fn mention_fields(
        &self,
        text: &str,
        team_id: &str,
    ) -> Result<Vec<(String, String)>> {
        let mut fields = Vec::new();
        for mention in user_mentions(text).into_iter().take(MAX_MENTIONS) {
            // "@ann." mentions ann: trailing punctuation is tried off too.
            let mut name = mention.as_str();
            loop {
                match self.store.get_user_by_username(name).await {
                    Ok(user) => {
                        if self.is_team_member(team_id, &user.id).await? {
                            fields.push(("user_mentions".into(), name.to_string()));
                            fields.push(("user_mentions_ids".into(), user.id));
                        }
                        break;
                    }
                    Err(Error::NotFound { .. }) => match trim_special(name) {
                        Some(shorter) if !shorter.is_empty() => name = shorter,
                        _ => break,
                    },
                    Err(e) => return Err(e),
                }
            }
        }
        for name in channel_mentions(text).into_iter().take(MAX_MENTIONS) {
            match self.store.get_channel_by_name(team_id, &name).await {
                Ok(channel) if channel.channel_type == channel_types::OPEN => {
                    fields.push(("channel_mentions".into(), name));
                    fields.push(("channel_mentions_ids".into(), channel.id));
                }
                Ok(_) | Err(Error::NotFound { .. }) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(fields)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mentions_start_after_a_non_word_character() {
        assert_eq!(
            user_mentions("@Ann hi @bob.smith, mail@example.com (@carl) @_x @ann"),
            ["ann", "bob.smith", "carl"]
        );
        assert_eq!(
            channel_mentions("see ~town-square and ~off_topic! a~b ~town-square"),
            ["town-square", "off_topic"]
        );
    }

    #[test]
    fn trailing_punctuation_is_trimmed_one_at_a_time() {
        assert_eq!(trim_special("ann."), Some("ann"));
        assert_eq!(trim_special("ann"), None);
    }
}
