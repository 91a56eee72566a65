//! Commands about oneself: presence, custom status, preview display, help.

use super::{CommandResponse, Invocation, BUILTIN_COMMANDS};
use crate::error::Result;
use crate::model::Preference;
use crate::services::custom_status::CustomStatus;

/// `/away`, `/online`, `/offline`, `/dnd`: a status set by hand.
pub(super) async fn set_status(inv: &Invocation<'_>, status: &str) -> Result<CommandResponse> {
    inv.core
        .set_status(inv.actor, inv.actor.id(), status, None)
        .await?;
    Ok(CommandResponse::ephemeral(match status {
        "away" => "Your status is now away.",
        "online" => "Your status is now online.",
        "offline" => "Your status is now offline.",
        _ => "Do not disturb is on: no desktop or push notifications until you turn it off.",
    }))
}

/// `/status :emoji: text` sets a custom status; `/status clear` clears it.
pub(super) async fn custom_status(inv: &Invocation<'_>) -> Result<CommandResponse> {
    let message = inv.message.trim();
    if message.eq_ignore_ascii_case("clear") {
        inv.core
            .clear_custom_status(inv.actor, inv.actor.id())
            .await?;
        return Ok(CommandResponse::ephemeral("Your custom status is cleared."));
    }
    if message.is_empty() {
        return Ok(CommandResponse::ephemeral(
            "Give a status, e.g. `/status :palm_tree: On holiday`, or `/status clear`.",
        ));
    }
    let (emoji, text) = parse_status(message);
    let status = CustomStatus {
        emoji,
        text,
        duration: String::new(),
        expires_at: String::new(),
    };
    match inv
        .core
        .set_custom_status(inv.actor, inv.actor.id(), status)
        .await
    {
        Ok(set) => Ok(CommandResponse::ephemeral(format!(
            "Your custom status is now :{}: {}",
            set.emoji, set.text
        ))),
        Err(crate::Error::Invalid { reason, .. }) => Ok(CommandResponse::ephemeral(format!(
            "The status was not set: {reason}."
        ))),
        Err(e) => Err(e),
    }
}

/// A leading `:name:` is the emoji, the rest the text; without one the
/// speech balloon, as Mattermost's command does.
fn parse_status(message: &str) -> (String, String) {
    if let Some(rest) = message.strip_prefix(':') {
        if let Some(end) = rest.find(':') {
            let name = &rest[..end];
            if !name.is_empty() && !name.contains(char::is_whitespace) {
                return (name.to_lowercase(), rest[end + 1..].trim().to_string());
            }
        }
    }
    ("speech_balloon".to_string(), message.to_string())
}

/// `/expand` and `/collapse`: the `collapse_previews` display preference.
pub(super) async fn previews(inv: &Invocation<'_>, collapse: bool) -> Result<CommandResponse> {
    let preference = Preference {
        user_id: inv.actor.id().to_string(),
        category: "display_settings".into(),
        name: "collapse_previews".into(),
        value: collapse.to_string(),
    };
    inv.core
        .save_preferences(inv.actor, inv.actor.id(), vec![preference])
        .await?;
    Ok(CommandResponse::ephemeral(if collapse {
        "Image link previews now start collapsed."
    } else {
        "Image link previews now start expanded."
    }))
}

/// `/help`: the commands and what each does.
pub(super) fn help() -> CommandResponse {
    let mut text = String::from("Commands you can type in the message box:\n\n");
    for c in BUILTIN_COMMANDS {
        let hint = if c.hint.is_empty() {
            String::new()
        } else {
            format!(" {}", c.hint)
        };
        text.push_str(&format!("- `/{}{}`: {}\n", c.trigger, hint, c.description));
    }
    CommandResponse::ephemeral(text)
}

#[cfg(test)]
mod tests {
    use super::parse_status;

    #[test]
    fn a_leading_emoji_is_split_from_the_text() {
        assert_eq!(
            parse_status(":palm_tree: Away till Monday"),
            ("palm_tree".into(), "Away till Monday".into())
        );
        assert_eq!(
            parse_status("In a meeting"),
            ("speech_balloon".into(), "In a meeting".into())
        );
        assert_eq!(
            parse_status(":not an emoji: x"),
            ("speech_balloon".into(), ":not an emoji: x".into())
        );
    }
}
