//! Who a post mentions, by Mattermost's rules: each member's keywords
//! (`@username`, their mention keys, their first name if they asked for it,
//! `@channel`/`@all`/`@here` unless they opted out), matched against the
//! words of the message outside code.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::prop;
use crate::model::ChannelRecipient;

/// How a user came to be notified; a user keeps the strongest kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MentionKind {
    /// Every member of a group message.
    Group,
    /// A reply in a thread they took part in (`comments: any`).
    Thread,
    /// A reply to their own root post (`comments: root` or `any`).
    Comment,
    /// `@channel`, `@all` or `@here`.
    Channel,
    /// The other member of a direct message.
    Direct,
    /// Their name or one of their keys.
    Keyword,
}

impl MentionKind {
    /// Whether this counts as being mentioned for notification levels
    /// set to "mention" (a group message's blanket notice does not).
    pub fn is_mention(self) -> bool {
        self > MentionKind::Group
    }

    /// A mention by name, key or channel-wide word.
    pub fn is_explicit(self) -> bool {
        matches!(
            self,
            MentionKind::Keyword | MentionKind::Channel | MentionKind::Direct
        )
    }
}

/// Muted: the channel only marks itself unread for mentions.
fn muted(m: &ChannelRecipient) -> bool {
    prop(&m.member_notify_props, "mark_unread") == "mention"
}

fn takes_channel_mentions(m: &ChannelRecipient) -> bool {
    if prop(&m.user_notify_props, "channel") == "false" {
        return false;
    }
    match prop(&m.member_notify_props, "ignore_channel_mentions") {
        "on" => false,
        "off" => true,
        // "default": a muted channel ignores them.
        _ => !muted(m),
    }
}

/// What a message mentions.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Found {
    /// Users mentioned, with the strongest kind each.
    pub users: BTreeMap<String, MentionKind>,
    pub here: bool,
    pub channel: bool,
    pub all: bool,
}

impl Found {
    /// Notes a user, keeping their strongest kind.
    pub fn add(&mut self, user_id: &str, kind: MentionKind) {
        let entry = self.users.entry(user_id.to_string()).or_insert(kind);
        if kind > *entry {
            *entry = kind;
        }
    }

    /// Whether a channel-wide word was used.
    pub fn channel_wide(&self) -> bool {
        self.here || self.channel || self.all
    }
}

/// The keywords of a channel's members: built once for a channel's
/// members and kept while they stay the same (see `recipients`).
pub struct Keywords {
    /// Lower-cased keyword → users.
    folded: HashMap<String, Vec<String>>,
    /// First names, matched as written.
    exact: HashMap<String, Vec<String>>,
    /// Members `@channel`, `@all` and `@here` may reach (`@here` only those
    /// online at the time).
    channel_wide: HashSet<String>,
}

impl Keywords {
    pub fn new(members: &[ChannelRecipient]) -> Self {
        let mut k = Keywords {
            folded: HashMap::new(),
            exact: HashMap::new(),
            channel_wide: HashSet::new(),
        };
        for m in members {
            let id = m.user_id.clone();
            let add = |map: &mut HashMap<String, Vec<String>>, word: String| {
                let users = map.entry(word).or_default();
                if !users.contains(&id) {
                    users.push(id.clone());
                }
            };
            add(&mut k.folded, format!("@{}", m.username.to_lowercase()));
            for key in prop(&m.user_notify_props, "mention_keys").split(',') {
                let key = key.trim();
                if !key.is_empty() {
                    add(&mut k.folded, key.to_lowercase());
                }
            }
            if prop(&m.user_notify_props, "first_name") == "true" && !m.first_name.is_empty() {
                add(&mut k.exact, m.first_name.clone());
            }
            if takes_channel_mentions(m) {
                k.channel_wide.insert(m.user_id.clone());
            }
        }
        k
    }

    /// The mentions in a message. `channel_mentions`: whether `@channel`,
    /// `@all` and `@here` may reach anyone (off in channels at or above the
    /// size limit); the words are noted either way. `@here` only sets
    /// `Found::here`: who it reaches depends on who is online, which the
    /// caller adds with `add_here`.
    pub fn find(&self, message: &str, channel_mentions: bool) -> Found {
        let mut found = Found::default();
        for word in words(&without_code(message)) {
            self.match_word(&word, channel_mentions, &mut found);
        }
        found
    }

    /// Adds the members `@here` reaches: those of `online` who take
    /// channel-wide mentions.
    pub fn add_here(&self, online: &[String], found: &mut Found) {
        for id in online {
            if self.channel_wide.contains(id) {
                found.add(id, MentionKind::Channel);
            }
        }
    }

    fn match_word(&self, word: &str, channel_mentions: bool, found: &mut Found) {
        if word.len() > 1 && word.starts_with(':') && word.ends_with(':') {
            return; // an emoji
        }
        let word = word.trim_start_matches([':', '.', '-', '_']);
        let mut candidate = word;
        loop {
            if self.hit(candidate, channel_mentions, found) {
                return;
            }
            match candidate.strip_suffix(['.', '-', ':', '_']) {
                Some(shorter) if !shorter.is_empty() => candidate = shorter,
                _ => break,
            }
        }
        // `alice.bob` may be two words; an unknown `@name` stays one (a
        // user who is not here), as Mattermost reads it.
        if !word.starts_with('@') && word.contains(['.', '-', ':']) {
            let mut parts = word.split(['.', '-', ':']).filter(|p| !p.is_empty());
            if let Some(first) = parts.next() {
                self.hit(first, channel_mentions, found);
            }
            for part in parts {
                self.hit(part, channel_mentions, found);
            }
        }
    }

    fn hit(&self, word: &str, channel_mentions: bool, found: &mut Found) -> bool {
        let lower = word.to_lowercase();
        match lower.as_str() {
            "@here" => {
                found.here = true;
                return true;
            }
            "@channel" | "@all" => {
                if lower == "@channel" {
                    found.channel = true;
                } else {
                    found.all = true;
                }
                if channel_mentions {
                    for id in &self.channel_wide {
                        found.add(id, MentionKind::Channel);
                    }
                }
                return true;
            }
            _ => {}
        }
        // As Mattermost: the lower-cased word first (which also finds a
        // first name stored in lower case), then the word as written.
        let users = self
            .folded
            .get(&lower)
            .or_else(|| self.exact.get(&lower))
            .or_else(|| self.exact.get(word));
        match users {
            Some(users) => {
                for id in users {
                    found.add(id, MentionKind::Keyword);
                }
                true
            }
            None => false,
        }
    }
}

/// The message with fenced code blocks and inline code removed: mentions in
/// code are not mentions.
fn without_code(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut in_fence = false;
    for line in message.lines() {
        if line.trim_start().starts_with("```") || line.trim_start().starts_with("~~~") {
            in_fence = !in_fence;
            out.push('\n');
            continue;
        }
        if in_fence {
            out.push('\n');
            continue;
        }
        let mut in_span = false;
        for c in line.chars() {
            if c == '`' {
                in_span = !in_span;
                out.push(' ');
            } else if !in_span {
                out.push(c);
            }
        }
        out.push('\n');
    }
    out
}

/// Words: runs of letters, digits and `:` `.` `-` `_` `@`.
fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !(c.is_alphanumeric() || ":.-_@".contains(c)))
        .filter(|w| !w.is_empty())
        .map(String::from)
}

/// Users to notify of a reply, by their `comments` setting: with `any`,
/// everyone who posted in the thread; with `root`, the root's author.
/// `thread_authors` holds the thread's posts' authors, root author first;
/// `member` finds an author among the channel's members.
pub fn reply_mentions<'a>(
    member: impl Fn(&str) -> Option<&'a ChannelRecipient>,
    root_author: &str,
    thread_authors: &HashSet<String>,
    found: &mut Found,
) {
    for author in thread_authors {
        let Some(m) = member(author) else {
            continue;
        };
        match prop(&m.user_notify_props, "comments") {
            "any" if author == root_author => found.add(author, MentionKind::Comment),
            "any" => found.add(author, MentionKind::Thread),
            "root" if author == root_author => found.add(author, MentionKind::Comment),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn member(id: &str, username: &str, props: &[(&str, &str)]) -> ChannelRecipient {
        let mut user_props: BTreeMap<String, String> = crate::model::default_user_notify_props();
        let mut member_props = crate::model::default_channel_notify_props();
        for (k, v) in props {
            if let Some(key) = k.strip_prefix("channel.") {
                member_props.insert(key.into(), (*v).into());
            } else {
                user_props.insert((*k).into(), (*v).into());
            }
        }
        ChannelRecipient {
            user_id: id.into(),
            username: username.into(),
            first_name: "Alice".into(),
            is_bot: false,
            user_notify_props: user_props.into(),
            member_notify_props: member_props.into(),
        }
    }

    fn ids(found: &Found) -> Vec<&str> {
        found.users.keys().map(String::as_str).collect()
    }

    #[test]
    fn usernames_match_in_any_case_with_trailing_punctuation() {
        let k = Keywords::new(&[member("a", "alice", &[]), member("b", "bob.smith", &[])]);
        assert_eq!(
            ids(&k.find("hey @ALICE, and @bob.smith.", true)),
            vec!["a", "b"]
        );
        assert_eq!(
            ids(&k.find("mail alice@example.com", true)),
            Vec::<&str>::new()
        );
        assert_eq!(
            ids(&k.find("`@alice` in code\n```\n@bob.smith\n```", true)),
            Vec::<&str>::new()
        );
        assert_eq!(ids(&k.find("@alice's idea", true)), vec!["a"]);
        assert!(
            k.find("ask @alice.unknown", true).users.is_empty(),
            "an unknown @name is not split into a member's name"
        );
    }

    #[test]
    fn first_names_and_mention_keys_count_when_asked_for() {
        let plain = Keywords::new(&[member("a", "alice", &[])]);
        assert!(plain.find("Alice, look", true).users.is_empty());
        let k = Keywords::new(&[member(
            "a",
            "alice",
            &[("first_name", "true"), ("mention_keys", "Deploy, @ops")],
        )]);
        assert_eq!(ids(&k.find("Alice, look", true)), vec!["a"]);
        assert!(
            k.find("alice, look", true).users.is_empty(),
            "first names match as written"
        );
        let mut lower = member("b", "bob", &[("first_name", "true")]);
        lower.first_name = "bob".into();
        let lower_keys = Keywords::new(&[lower]);
        assert_eq!(
            ids(&lower_keys.find("Bob, look", true)),
            vec!["b"],
            "a lower-case first name matches any case"
        );
        assert_eq!(ids(&k.find("the deploy failed", true)), vec!["a"]);
        assert_eq!(ids(&k.find("ping @OPS", true)), vec!["a"]);
    }

    #[test]
    fn channel_wide_words_respect_settings_status_and_the_size_limit() {
        let members = [
            member("on", "on", &[]),
            member("off", "off", &[]),
            member("optout", "optout", &[("channel", "false")]),
            member(
                "ignore",
                "ignore",
                &[("channel.ignore_channel_mentions", "on")],
            ),
            member("muted", "muted", &[("channel.mark_unread", "mention")]),
            member(
                "muted_but_on",
                "mbo",
                &[
                    ("channel.mark_unread", "mention"),
                    ("channel.ignore_channel_mentions", "off"),
                ],
            ),
        ];
        let k = Keywords::new(&members);
        let all = k.find("@channel deploy", true);
        assert!(all.channel);
        assert_eq!(ids(&all), vec!["muted_but_on", "off", "on"]);
        assert_eq!(all.users["on"], MentionKind::Channel);
        let mut here = k.find("@here now", true);
        assert!(here.here);
        assert!(here.users.is_empty(), "who @here reaches is added after");
        k.add_here(&["on".into(), "optout".into()], &mut here);
        assert_eq!(ids(&here), vec!["on"], "@here reaches online members only");
        let none = k.find("@all hands", false);
        assert!(
            none.all && none.users.is_empty(),
            "the word is seen but reaches nobody"
        );
    }

    #[test]
    fn a_user_keeps_the_strongest_kind() {
        let k = Keywords::new(&[member("a", "alice", &[])]);
        let mut found = k.find("@channel and @alice", true);
        assert_eq!(found.users["a"], MentionKind::Keyword);
        found.add("a", MentionKind::Thread);
        assert_eq!(found.users["a"], MentionKind::Keyword);
    }

    #[test]
    fn replies_notify_by_the_comments_setting() {
        let any = member("any", "any", &[("comments", "any")]);
        let root = member("root", "root", &[("comments", "root")]);
        let never = member("never", "never", &[]);
        let members: HashMap<String, &ChannelRecipient> = [&any, &root, &never]
            .into_iter()
            .map(|m| (m.user_id.clone(), m))
            .collect();
        let authors: HashSet<String> = ["any", "root", "never"].map(String::from).into();
        let mut found = Found::default();
        reply_mentions(|id| members.get(id).copied(), "root", &authors, &mut found);
        assert_eq!(found.users.get("any"), Some(&MentionKind::Thread));
        assert_eq!(found.users.get("root"), Some(&MentionKind::Comment));
        assert_eq!(found.users.get("never"), None);
    }
}
