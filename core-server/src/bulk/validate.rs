//! Checks each line of a bulk file the way Mattermost's importer does
//! (required fields, lengths, allowed values), so a bad line is reported
//! with the field at fault before anything is written.

use super::format::*;

/// What is wrong with a line: the field (dotted path) and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {reason}")]
pub struct Invalid {
    pub field: String,
    pub reason: String,
}

fn invalid(field: impl Into<String>, reason: impl Into<String>) -> Invalid {
    Invalid {
        field: field.into(),
        reason: reason.into(),
    }
}

type Check = Result<(), Invalid>;

/// The longest message a post may carry, in characters.
pub const MAX_MESSAGE_CHARS: usize = 16_383;
const MAX_PROPS_CHARS: usize = 800_000;
const AUTH_SERVICES: &[&str] = &[
    "",
    "email",
    "gitlab",
    "saml",
    "ldap",
    "google",
    "office365",
    "openid",
];

fn required<'a>(value: &'a Option<String>, field: &str) -> Result<&'a str, Invalid> {
    match value.as_deref() {
        Some(v) if !v.is_empty() => Ok(v),
        _ => Err(invalid(field, "is required")),
    }
}

fn max_chars(value: &Option<String>, field: &str, max: usize) -> Check {
    match value {
        Some(v) if v.chars().count() > max => {
            Err(invalid(field, format!("is longer than {max} characters")))
        }
        _ => Ok(()),
    }
}

fn one_of(value: &Option<String>, field: &str, allowed: &[&str]) -> Check {
    match value.as_deref() {
        Some(v) if !allowed.contains(&v) => Err(invalid(
            field,
            format!("must be one of {}", allowed.join(", ")),
        )),
        _ => Ok(()),
    }
}

/// Team and channel URL names: lowercase letters, digits, `-` (and `_` for channels).
fn valid_name(name: &str, underscore: bool) -> bool {
    let ok_char = |c: char| {
        c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || (underscore && c == '_')
    };
    let first_last_ok =
        |c: Option<char>| c.is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    name.len() >= 2
        && name.len() <= 64
        && name.chars().all(ok_char)
        && first_last_ok(name.chars().next())
        && (underscore || first_last_ok(name.chars().last()))
}

pub fn valid_username(name: &str) -> bool {
    // The importer lower-cases names as Mattermost's does, then applies the
    // server's own rule.
    crate::services::validate::username(&name.to_lowercase()).is_ok()
}

fn roles(value: &Option<String>, field: &str) -> Check {
    let Some(roles) = value else { return Ok(()) };
    for role in roles.split_whitespace() {
        if role.len() > 64
            || !role
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        {
            return Err(invalid(field, format!("{role:?} is not a role name")));
        }
    }
    Ok(())
}

pub fn team(t: &TeamLine) -> Check {
    let name = required(&t.name, "team.name")?.to_lowercase();
    // The names this server refuses for a new team. (Mattermost also refuses
    // names that merely start with such a word; a team made here may have
    // one, and its export must import again.)
    if crate::services::teams::RESERVED_TEAM_NAMES.contains(&name.as_str()) {
        return Err(invalid("team.name", "is reserved"));
    }
    if !valid_name(&name, false) {
        return Err(invalid(
            "team.name",
            "must be 2–64 lowercase letters, digits or dashes, starting and ending with a letter or digit",
        ));
    }
    required(&t.display_name, "team.display_name")?;
    max_chars(&t.display_name, "team.display_name", 64)?;
    required(&t.team_type, "team.type")?;
    one_of(&t.team_type, "team.type", &["O", "I"])?;
    max_chars(&t.description, "team.description", 255)
}

pub fn channel(c: &ChannelLine) -> Check {
    required(&c.team, "channel.team")?;
    let name = required(&c.name, "channel.name")?.to_lowercase();
    if !valid_name(&name, true) {
        return Err(invalid(
            "channel.name",
            "must be 2–64 lowercase letters, digits, dashes or underscores",
        ));
    }
    max_chars(&c.display_name, "channel.display_name", 64)?;
    required(&c.channel_type, "channel.type")?;
    one_of(&c.channel_type, "channel.type", &["O", "P"])?;
    max_chars(&c.header, "channel.header", 1024)?;
    max_chars(&c.purpose, "channel.purpose", 250)
}

pub fn user(u: &UserLine) -> Check {
    let username = required(&u.username, "user.username")?;
    if !valid_username(username) {
        return Err(invalid(
            "user.username",
            "must be 1–64 lowercase letters, digits, dots, dashes or underscores (not all, channel, matterbot, system)",
        ));
    }
    let email = required(&u.email, "user.email")?;
    if email.len() > 128 || !email.contains('@') {
        return Err(invalid(
            "user.email",
            "must be an address of at most 128 characters",
        ));
    }
    one_of(&u.auth_service, "user.auth_service", AUTH_SERVICES)?;
    let has_service = u.auth_service.as_deref().is_some_and(|s| !s.is_empty());
    let has_data = u.auth_data.as_deref().is_some_and(|s| !s.is_empty());
    if has_service != has_data {
        return Err(invalid(
            "user.auth_data",
            "auth_service and auth_data go together",
        ));
    }
    if u.auth_data.as_deref().is_some_and(|d| d.len() > 128) {
        return Err(invalid("user.auth_data", "is longer than 128 characters"));
    }
    if has_data && u.password.is_some() {
        return Err(invalid(
            "user.password",
            "a user with auth_data has no password",
        ));
    }
    if let Some(p) = &u.password {
        if p.is_empty() || p.len() > 72 {
            return Err(invalid("user.password", "must be 1–72 bytes"));
        }
    }
    max_chars(&u.nickname, "user.nickname", 64)?;
    max_chars(&u.first_name, "user.first_name", 64)?;
    max_chars(&u.last_name, "user.last_name", 64)?;
    max_chars(&u.position, "user.position", 128)?;
    roles(&u.roles, "user.roles")?;
    if u.roles.as_deref() == Some("system_admin") {
        return Err(invalid("user.roles", "system_admin needs system_user too"));
    }
    one_of(
        &u.email_interval,
        "user.email_interval",
        &["immediately", "fifteen", "hour"],
    )?;
    if let Some(n) = &u.notify_props {
        one_of(
            &n.desktop,
            "user.notify_props.desktop",
            &["all", "mention", "none"],
        )?;
        one_of(
            &n.desktop_sound,
            "user.notify_props.desktop_sound",
            &["true", "false"],
        )?;
        one_of(&n.email, "user.notify_props.email", &["true", "false"])?;
        one_of(
            &n.mobile,
            "user.notify_props.mobile",
            &["all", "mention", "none"],
        )?;
        one_of(
            &n.mobile_push_status,
            "user.notify_props.mobile_push_status",
            &["online", "away", "offline"],
        )?;
        one_of(&n.channel, "user.notify_props.channel", &["true", "false"])?;
        one_of(
            &n.comments,
            "user.notify_props.comments",
            &["any", "root", "never"],
        )?;
    }
    for (i, t) in u.teams.iter().flatten().enumerate() {
        let at = format!("user.teams[{i}]");
        required(&t.name, &format!("{at}.name"))?;
        roles(&t.roles, &format!("{at}.roles"))?;
        for (j, c) in t.channels.iter().flatten().enumerate() {
            let at = format!("{at}.channels[{j}]");
            required(&c.name, &format!("{at}.name"))?;
            roles(&c.roles, &format!("{at}.roles"))?;
            if let Some(n) = &c.notify_props {
                let levels = &["default", "all", "mention", "none"];
                one_of(&n.desktop, &format!("{at}.notify_props.desktop"), levels)?;
                one_of(&n.mobile, &format!("{at}.notify_props.mobile"), levels)?;
                one_of(
                    &n.mark_unread,
                    &format!("{at}.notify_props.mark_unread"),
                    &["all", "mention"],
                )?;
            }
        }
    }
    Ok(())
}

pub fn bot(b: &BotLine) -> Check {
    let username = required(&b.username, "bot.username")?;
    if !valid_username(username) {
        return Err(invalid("bot.username", "is not a valid username"));
    }
    let owner = required(&b.owner, "bot.owner")?;
    if !valid_username(owner) {
        return Err(invalid("bot.owner", "is not a valid username"));
    }
    max_chars(&b.display_name, "bot.display_name", 64)
}

/// The message, author and time every post and reply needs, and what hangs off it.
fn post_body(p: &PostLine, at: &str, reply: bool) -> Check {
    required(&p.user, &format!("{at}.user"))?;
    match &p.message {
        None => return Err(invalid(format!("{at}.message"), "is required")),
        Some(m) if m.chars().count() > MAX_MESSAGE_CHARS => {
            return Err(invalid(
                format!("{at}.message"),
                format!("is longer than {MAX_MESSAGE_CHARS} characters"),
            ))
        }
        _ => {}
    }
    let create_at = match p.create_at {
        None => return Err(invalid(format!("{at}.create_at"), "is required")),
        Some(0) => return Err(invalid(format!("{at}.create_at"), "must not be 0")),
        Some(t) => t,
    };
    if let Some(props) = &p.props {
        if !props.is_object() {
            return Err(invalid(format!("{at}.props"), "must be an object"));
        }
        if props.to_string().chars().count() > MAX_PROPS_CHARS {
            return Err(invalid(format!("{at}.props"), "is too large"));
        }
    }
    for (i, r) in p.reactions.iter().flatten().enumerate() {
        let rat = format!("{at}.reactions[{i}]");
        required(&r.user, &format!("{rat}.user"))?;
        required(&r.emoji_name, &format!("{rat}.emoji_name"))?;
        max_chars(&r.emoji_name, &format!("{rat}.emoji_name"), 64)?;
        match r.create_at {
            None | Some(0) => return Err(invalid(format!("{rat}.create_at"), "is required")),
            Some(t) if t < create_at => {
                return Err(invalid(format!("{rat}.create_at"), "is before the post"))
            }
            _ => {}
        }
    }
    for (i, a) in p.attachments.iter().flatten().enumerate() {
        if let Some(path) = &a.path {
            if !safe_path(path) {
                return Err(invalid(
                    format!("{at}.attachments[{i}].path"),
                    "leaves the data folder",
                ));
            }
        }
    }
    for (i, f) in p.thread_followers.iter().flatten().enumerate() {
        required(&f.user, &format!("{at}.thread_followers[{i}].user"))?;
    }
    if reply {
        if p.replies.as_ref().is_some_and(|r| !r.is_empty()) {
            return Err(invalid(
                format!("{at}.replies"),
                "replies cannot have replies",
            ));
        }
    } else {
        for (i, r) in p.replies.iter().flatten().enumerate() {
            post_body(r, &format!("{at}.replies[{i}]"), true)?;
        }
    }
    Ok(())
}

/// A relative path inside the export's `data/` folder.
pub fn safe_path(path: &str) -> bool {
    !path.is_empty()
        && !path.starts_with('/')
        && !path.contains('\\')
        && path.split('/').all(|part| part != ".." && !part.is_empty())
}

pub fn post(p: &PostLine) -> Check {
    required(&p.team, "post.team")?;
    required(&p.channel, "post.channel")?;
    post_body(p, "post", false)
}

fn member_count(n: usize, field: &str) -> Check {
    match n {
        2 => Ok(()),
        0 => Err(invalid(field, "is required")),
        1 => Err(invalid(field, "needs at least 2 members")),
        n if n > 8 => Err(invalid(field, "has more than 8 members")),
        _ => Ok(()),
    }
}

pub fn direct_post(d: &DirectPostLine) -> Check {
    let members = d.channel_members.clone().unwrap_or_default();
    member_count(members.len(), "direct_post.channel_members")?;
    for flagger in d.post.flagged_by.iter().flatten() {
        if !members.contains(flagger) {
            return Err(invalid(
                "direct_post.flagged_by",
                format!("{flagger} is not a member of the conversation"),
            ));
        }
    }
    post_body(&d.post, "direct_post", false)
}

pub fn direct_channel(d: &DirectChannelLine) -> Check {
    let members = d.usernames();
    member_count(members.len(), "direct_channel.members")?;
    for fav in d.favorited_by.iter().flatten() {
        if !members.contains(fav) {
            return Err(invalid(
                "direct_channel.favorited_by",
                format!("{fav} is not a member of the conversation"),
            ));
        }
    }
    max_chars(&d.header, "direct_channel.header", 1024)
}

pub fn emoji(e: &EmojiLine) -> Check {
    let name = required(&e.name, "emoji.name")?;
    if name.len() > 64
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '_' | '-'))
    {
        return Err(invalid(
            "emoji.name",
            "must be 1–64 letters, digits, +, _ or -",
        ));
    }
    let image = required(&e.image, "emoji.image")?;
    if !safe_path(image) {
        return Err(invalid("emoji.image", "leaves the data folder"));
    }
    Ok(())
}

/// Checks a line; `first` says whether it is the file's first line (which
/// must be the version line).
pub fn line(l: &Line, first: bool) -> Check {
    if first && l.kind != "version" {
        return Err(invalid("type", "the first line must be the version line"));
    }
    let missing = || invalid(l.kind.clone(), "is missing from the line");
    match l.kind.as_str() {
        "version" => match l.version {
            Some(1) if first => Ok(()),
            Some(1) => Err(invalid("type", "a version line may only come first")),
            Some(v) => Err(invalid("version", format!("{v} is not supported (only 1)"))),
            None => Err(invalid("version", "is required")),
        },
        "team" => team(l.team.as_ref().ok_or_else(missing)?),
        "channel" => channel(l.channel.as_ref().ok_or_else(missing)?),
        "user" => user(l.user.as_ref().ok_or_else(missing)?),
        "bot" => bot(l.bot.as_ref().ok_or_else(missing)?),
        "post" => post(l.post.as_ref().ok_or_else(missing)?),
        "direct_channel" => direct_channel(l.direct_channel.as_ref().ok_or_else(missing)?),
        "direct_post" => direct_post(l.direct_post.as_ref().ok_or_else(missing)?),
        "emoji" => emoji(l.emoji.as_ref().ok_or_else(missing)?),
        "role" | "scheme" => Ok(()),
        other => Err(invalid("type", format!("{other:?} is not a line type"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(json: &str) -> Line {
        serde_json::from_str(json).expect("test lines are JSON")
    }

    fn check(json: &str) -> Result<(), String> {
        line(&parse(json), false).map_err(|e| e.to_string())
    }

    #[test]
    fn team_names_follow_this_servers_rules() {
        assert_eq!(
            check(
                r#"{"type":"team","team":{"name":"eng-team","display_name":"Engineering","type":"O"}}"#
            ),
            Ok(())
        );
        assert_eq!(
            check(r#"{"type":"team","team":{"name":"api","display_name":"X","type":"O"}}"#),
            Err("team.name: is reserved".into())
        );
        assert_eq!(
            check(r#"{"type":"team","team":{"name":"api-team","display_name":"X","type":"O"}}"#),
            Ok(()),
            "a name this server allows for a new team"
        );
        assert!(check(
            r#"{"type":"team","team":{"name":"Bad Name","display_name":"X","type":"O"}}"#
        )
        .is_err_and(|e| e.starts_with("team.name")));
        assert_eq!(
            check(r#"{"type":"team","team":{"name":"eng","display_name":"X","type":"P"}}"#),
            Err("team.type: must be one of O, I".into())
        );
    }

    #[test]
    fn nulls_count_as_absent() {
        assert_eq!(
            check(
                r#"{"type":"channel","channel":{"team":"eng","name":"town-square","display_name":null,"type":"O","header":null}}"#
            ),
            Ok(())
        );
        assert_eq!(
            check(r#"{"type":"channel","channel":{"team":null,"name":"x1","type":"O"}}"#),
            Err("channel.team: is required".into())
        );
    }

    #[test]
    fn users_need_a_valid_name_and_address_and_consistent_auth() {
        let ok = r#"{"type":"user","user":{"username":"alice","email":"alice@example.com","teams":[{"name":"eng","roles":"team_user team_admin","channels":[{"name":"town-square","notify_props":{"desktop":"mention","mark_unread":"all"},"favorite":true}]}]}}"#;
        assert_eq!(check(ok), Ok(()));
        assert_eq!(
            check(r#"{"type":"user","user":{"username":"all","email":"a@example.com"}}"#)
                .map_err(|e| e.split(':').next().map(String::from)),
            Err(Some("user.username".into()))
        );
        assert_eq!(
            check(
                r#"{"type":"user","user":{"username":"bob","email":"b@example.com","auth_service":"saml"}}"#
            ),
            Err("user.auth_data: auth_service and auth_data go together".into())
        );
        assert_eq!(
            check(
                r#"{"type":"user","user":{"username":"bob","email":"b@example.com","teams":[{"name":"eng","channels":[{"name":"x","notify_props":{"mark_unread":"some"}}]}]}}"#
            ),
            Err(
                "user.teams[0].channels[0].notify_props.mark_unread: must be one of all, mention"
                    .into()
            )
        );
    }

    #[test]
    fn posts_need_author_message_and_time_and_name_the_nested_field() {
        assert_eq!(
            check(
                r#"{"type":"post","post":{"team":"eng","channel":"town-square","user":"alice","message":"hi","create_at":1700000000000,"replies":[{"user":"bob","message":"yo","create_at":1700000001000,"reactions":[{"user":"alice","emoji_name":"tada","create_at":1700000002000}]}]}}"#
            ),
            Ok(())
        );
        assert_eq!(
            check(
                r#"{"type":"post","post":{"team":"eng","channel":"town-square","user":"alice","message":"hi","create_at":0}}"#
            ),
            Err("post.create_at: must not be 0".into())
        );
        assert_eq!(
            check(
                r#"{"type":"post","post":{"team":"eng","channel":"c1","user":"alice","message":"hi","create_at":5,"replies":[{"user":"bob","create_at":6}]}}"#
            ),
            Err("post.replies[0].message: is required".into())
        );
        assert_eq!(
            check(
                r#"{"type":"post","post":{"team":"eng","channel":"c1","user":"alice","message":"hi","create_at":5,"reactions":[{"user":"bob","emoji_name":"x","create_at":4}]}}"#
            ),
            Err("post.reactions[0].create_at: is before the post".into())
        );
        let long = format!(
            r#"{{"type":"post","post":{{"team":"eng","channel":"c1","user":"alice","message":"{}","create_at":5}}}}"#,
            "y".repeat(MAX_MESSAGE_CHARS + 1)
        );
        assert!(check(&long).is_err_and(|e| e.starts_with("post.message: is longer")));
    }

    #[test]
    fn attachment_paths_stay_inside_the_data_folder() {
        assert!(safe_path("2024/teams/t/channels/c/users/u/f/a.png"));
        for bad in ["../etc/passwd", "/abs/file", "a/../../b", "a//b", ""] {
            assert!(!safe_path(bad), "{bad}");
        }
        assert_eq!(
            check(
                r#"{"type":"post","post":{"team":"eng","channel":"c1","user":"alice","message":"hi","create_at":5,"attachments":[{"path":"../../x"}]}}"#
            ),
            Err("post.attachments[0].path: leaves the data folder".into())
        );
    }

    #[test]
    fn direct_messages_have_two_to_eight_members() {
        assert_eq!(
            check(
                r#"{"type":"direct_channel","direct_channel":{"participants":[{"username":"alice"},{"username":"bob"}],"favorited_by":["alice"]}}"#
            ),
            Ok(())
        );
        assert_eq!(
            check(r#"{"type":"direct_channel","direct_channel":{"members":["alice"]}}"#),
            Err("direct_channel.members: needs at least 2 members".into())
        );
        assert_eq!(
            check(
                r#"{"type":"direct_post","direct_post":{"channel_members":["alice","bob"],"user":"alice","message":"hi","create_at":5,"flagged_by":["carol"]}}"#
            ),
            Err("direct_post.flagged_by: carol is not a member of the conversation".into())
        );
    }

    #[test]
    fn unknown_types_and_missing_payloads_are_named() {
        assert_eq!(
            check(r#"{"type":"wiki"}"#),
            Err("type: \"wiki\" is not a line type".into())
        );
        assert_eq!(
            check(r#"{"type":"post"}"#),
            Err("post: is missing from the line".into())
        );
        assert_eq!(check(r#"{"type":"scheme","scheme":{"name":"x"}}"#), Ok(()));
    }
}
