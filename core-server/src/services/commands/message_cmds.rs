//! Commands that post: `/me`, `/shrug`, `/code`, `/echo`, and the ones that
//! open a conversation, `/msg` and `/groupmsg`.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use super::{CommandResponse, Invocation};
use crate::error::{Error, Result};
use crate::model::post_types;
use crate::services::NewPost;

/// Longest `/echo` delay, in seconds.
const MAX_ECHO_DELAY_SECS: u64 = 10_000;
/// Most delayed echoes waiting at once on a node.
const MAX_PENDING_ECHOES: usize = 100;
static PENDING_ECHOES: AtomicUsize = AtomicUsize::new(0);

/// `/me waves`: an action, in italics.
pub(super) fn me(inv: &Invocation<'_>) -> CommandResponse {
    CommandResponse {
        post_type: post_types::ME.to_string(),
        ..CommandResponse::in_channel(format!("*{}*", inv.message))
    }
}

/// `/shrug text`: the text followed by a shrug.
pub(super) fn shrug(inv: &Invocation<'_>) -> CommandResponse {
    // The backslashes keep Markdown from reading `\_(ツ)_/` as emphasis.
    let shrug = r"¯\\\_(ツ)\_/¯";
    if inv.message.is_empty() {
        CommandResponse::in_channel(shrug)
    } else {
        CommandResponse::in_channel(format!("{} {shrug}", inv.message))
    }
}

/// `/code text`: the text as an indented code block.
pub(super) fn code(inv: &Invocation<'_>) -> CommandResponse {
    if inv.message.is_empty() {
        return CommandResponse::ephemeral("Give the text to show as code: `/code [text]`.");
    }
    let indented: Vec<String> = inv
        .message
        .split('\n')
        .map(|l| format!("    {l}"))
        .collect();
    CommandResponse {
        skip_slack_parsing: true,
        ..CommandResponse::in_channel(indented.join("\n"))
    }
}

/// Splits `/echo` input into the message and its delay: `"text" 5` or `text 5`.
fn echo_parts(message: &str) -> (String, u64) {
    if message.starts_with('"') {
        if let Some(last) = message.rfind('"').filter(|&i| i > 1) {
            let delay = message[last..].trim_matches(|c| c == ' ' || c == '"');
            return (message[1..last].to_string(), delay.parse().unwrap_or(0));
        }
    }
    if let Some((text, last)) = message.rsplit_once(' ') {
        if let Ok(delay) = last.parse::<u64>() {
            return (text.to_string(), delay);
        }
    }
    (message.to_string(), 0)
}

/// `/echo text [delay]`: posts the text as the caller, now or after the delay.
pub(super) fn echo(inv: &Invocation<'_>) -> Result<CommandResponse> {
    let (text, delay) = echo_parts(&inv.message);
    if text.trim().is_empty() {
        return Ok(CommandResponse::ephemeral(
            "Give a message to echo: `/echo 'message' [delay in seconds]`.",
        ));
    }
    if delay > MAX_ECHO_DELAY_SECS {
        return Ok(CommandResponse::ephemeral(format!(
            "The delay may be at most {MAX_ECHO_DELAY_SECS} seconds."
        )));
    }
    if PENDING_ECHOES.fetch_add(1, Ordering::SeqCst) >= MAX_PENDING_ECHOES {
        PENDING_ECHOES.fetch_sub(1, Ordering::SeqCst);
        return Ok(CommandResponse::ephemeral(
            "Too many echoes are waiting; try again later.",
        ));
    }
    let core = inv.core.clone();
    let actor = inv.actor.clone();
    let channel_id = inv.channel.id.clone();
    let root_id = inv.root_id.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_secs(delay)).await;
        let post = NewPost {
            message: text,
            root_id,
            ..NewPost::default()
        };
        if let Err(e) = core.create_post(&actor, &channel_id, post).await {
            tracing::warn!(error = %e, channel_id = %channel_id, "a delayed /echo could not be posted");
        }
        PENDING_ECHOES.fetch_sub(1, Ordering::SeqCst);
    });
    Ok(CommandResponse::done())
}

/// `/msg @user text`: opens the direct message (posting the text, if any)
/// and goes there.
pub(super) async fn direct(inv: &Invocation<'_>) -> Result<CommandResponse> {
    let (target, text) = match inv.message.trim().split_once(' ') {
        Some((t, m)) => (t, m.trim()),
        None => (inv.message.trim(), ""),
    };
    let username = target.trim_start_matches('@').to_lowercase();
    let other = match inv.core.store.get_user_by_username(&username).await {
        Ok(u) if u.id != inv.actor.id() && u.delete_at == 0 => u,
        Ok(_) | Err(Error::NotFound { .. }) => {
            return Ok(CommandResponse::ephemeral(format!(
                "There is no user @{username}."
            )))
        }
        Err(e) => return Err(e),
    };
    let (channel, _) = inv.core.create_direct_channel(inv.actor, &other.id).await?;
    if !text.is_empty() {
        let post = NewPost {
            message: text.to_string(),
            ..NewPost::default()
        };
        inv.core.create_post(inv.actor, &channel.id, post).await?;
    }
    Ok(match inv.channel_location(&channel.name) {
        Some(location) => CommandResponse::goto(location),
        None => CommandResponse::done(),
    })
}

/// `/groupmsg @a,@b text`: opens the group message (posting the text, if
/// any) and goes there; with one other user, a direct message.
pub(super) async fn group(inv: &Invocation<'_>) -> Result<CommandResponse> {
    let (names, text) = group_parts(&inv.message);
    let mut ids = Vec::new();
    let mut unknown = Vec::new();
    for name in &names {
        match inv.core.store.get_user_by_username(name).await {
            Ok(u) if u.delete_at == 0 => {
                if u.id != inv.actor.id() && !ids.contains(&u.id) {
                    ids.push(u.id);
                }
            }
            Ok(_) | Err(Error::NotFound { .. }) => unknown.push(format!("@{name}")),
            Err(e) => return Err(e),
        }
    }
    if !unknown.is_empty() {
        return Ok(CommandResponse::ephemeral(format!(
            "No such user: {}.",
            unknown.join(", ")
        )));
    }
    if ids.is_empty() {
        return Ok(CommandResponse::ephemeral(
            "Name the users: `/groupmsg @[username1],@[username2] [message]`.",
        ));
    }
    if ids.len() == 1 {
        let rest = format!("@{} {}", names[0], text);
        let inv = Invocation {
            message: rest,
            core: inv.core,
            actor: inv.actor,
            channel: inv.channel.clone(),
            member: inv.member.clone(),
            team: inv.team.clone(),
            root_id: String::new(),
        };
        return direct(&inv).await;
    }
    if ids.len() + 1 > 8 {
        return Ok(CommandResponse::ephemeral(
            "A group message has at most 8 people, you included.",
        ));
    }
    let (channel, _) = inv.core.create_group_channel(inv.actor, &ids).await?;
    if !text.is_empty() {
        let post = NewPost {
            message: text,
            ..NewPost::default()
        };
        inv.core.create_post(inv.actor, &channel.id, post).await?;
    }
    Ok(match inv.channel_location(&channel.name) {
        Some(location) => CommandResponse::goto(location),
        None => CommandResponse::done(),
    })
}

/// `@a, @b,@c the message`: the usernames (lower case, without `@`) and the
/// message after the last of them.
fn group_parts(message: &str) -> (Vec<String>, String) {
    let mut names = Vec::new();
    let mut rest = message.trim();
    loop {
        let part_end = rest.find(',').unwrap_or(rest.len());
        let part = rest[..part_end].trim();
        let mut words = part.splitn(2, char::is_whitespace);
        let name = words.next().unwrap_or("").trim_start_matches('@');
        if !name.is_empty() {
            names.push(name.to_lowercase());
        }
        if let Some(text) = words.next() {
            // A part with more than a name ends the list: the rest is the message.
            let text = format!("{}{}", text.trim(), &rest[part_end..]);
            return (names, text.trim().to_string());
        }
        if part_end >= rest.len() {
            return (names, String::new());
        }
        rest = &rest[part_end + 1..];
    }
}

#[cfg(test)]
mod tests {
    use super::{echo_parts, group_parts};

    #[test]
    fn echo_reads_a_trailing_delay_with_or_without_quotes() {
        assert_eq!(echo_parts("\"hello there\" 5"), ("hello there".into(), 5));
        assert_eq!(echo_parts("hello there 7"), ("hello there".into(), 7));
        assert_eq!(echo_parts("hello"), ("hello".into(), 0));
    }

    #[test]
    fn group_names_end_at_the_first_part_with_a_message() {
        assert_eq!(
            group_parts("@Ann, @bob,carl let us meet"),
            (
                vec!["ann".to_string(), "bob".into(), "carl".into()],
                "let us meet".into()
            )
        );
        assert_eq!(
            group_parts("@ann,@bob"),
            (vec!["ann".to_string(), "bob".into()], String::new())
        );
    }
}
