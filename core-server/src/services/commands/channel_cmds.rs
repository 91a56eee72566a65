//! Commands about channels: joining and leaving, adding and removing
//! members, header, purpose and name, muting.

use super::{CommandResponse, Invocation};
use crate::error::{Error, Result};
use crate::model::*;
use crate::services::ChannelPatch;

/// A refusal or a bad value as a reply to the caller; other errors stay errors.
fn as_reply(e: Error, forbidden: &str) -> Result<CommandResponse> {
    match e {
        Error::Forbidden(_) => Ok(CommandResponse::ephemeral(forbidden)),
        Error::Invalid { reason, .. } => Ok(CommandResponse::ephemeral(format!(
            "{}{}.",
            reason[..1].to_uppercase(),
            &reason[1..]
        ))),
        Error::NotFound { entity } => Ok(CommandResponse::ephemeral(format!("No such {entity}."))),
        other => Err(other),
    }
}

/// A channel of the current team by `~name` or `name`.
async fn team_channel(inv: &Invocation<'_>, raw: &str) -> Result<Option<Channel>> {
    let Some(team_id) = inv.team_id() else {
        return Ok(None);
    };
    let name = raw.trim().trim_start_matches('~').to_lowercase();
    if name.is_empty() {
        return Ok(None);
    }
    match inv.core.store.get_channel_by_name(team_id, &name).await {
        Ok(c) => Ok(Some(c)),
        Err(Error::NotFound { .. }) => Ok(None),
        Err(e) => Err(e),
    }
}

/// `/join ~channel` (and `/open`): joins a public channel, or goes to a
/// private one the caller is already in.
pub(super) async fn join(inv: &Invocation<'_>) -> Result<CommandResponse> {
    let raw = inv.message.trim();
    let Some(channel) = team_channel(inv, raw).await? else {
        return Ok(CommandResponse::ephemeral(format!(
            "There is no channel ~{} in this team.",
            raw.trim_start_matches('~')
        )));
    };
    if channel.delete_at != 0 {
        return Ok(CommandResponse::ephemeral("That channel is archived."));
    }
    let joined = match channel.channel_type.as_str() {
        channel_types::OPEN => inv
            .core
            .add_channel_member(inv.actor, &channel.id, inv.actor.id())
            .await
            .map(|_| ()),
        _ => inv
            .core
            .channel_for_member(inv.actor, &channel.id)
            .await
            .map(|_| ()),
    };
    if let Err(e) = joined {
        return match e {
            // Not revealing a private channel one is not in.
            Error::Forbidden(_) => Ok(CommandResponse::ephemeral(format!(
                "There is no channel ~{} in this team.",
                channel.name
            ))),
            other => as_reply(other, "You may not join that channel."),
        };
    }
    Ok(match inv.channel_location(&channel.name) {
        Some(location) => CommandResponse::goto(location),
        None => CommandResponse::done(),
    })
}

/// `/leave`: leaves the current channel and goes to the team's first one.
pub(super) async fn leave(inv: &Invocation<'_>) -> Result<CommandResponse> {
    if let Err(e) = inv
        .core
        .remove_channel_member(inv.actor, &inv.channel.id, inv.actor.id())
        .await
    {
        return as_reply(e, "You may not leave this channel.");
    }
    Ok(match inv.channel_location("town-square") {
        Some(location) => CommandResponse::goto(location),
        None => CommandResponse::goto(format!("{}/", inv.core.site_base())),
    })
}

/// `/invite @a @b ~one ~two`: adds the users to the channels named (or the
/// current one), one line of outcome per user and channel.
pub(super) async fn invite(inv: &Invocation<'_>) -> Result<CommandResponse> {
    let mut users = Vec::new();
    let mut channel_names = Vec::new();
    for (i, token) in inv.message.split_whitespace().enumerate() {
        if token.starts_with('@') || (i == 0 && !token.starts_with('~')) {
            users.push(token.trim_start_matches('@').to_lowercase());
        } else {
            channel_names.push(token.trim_start_matches('~').to_lowercase());
        }
    }
    if users.is_empty() {
        return Ok(CommandResponse::ephemeral(
            "Name the users to add: `/invite @[username]... ~[channel]...`.",
        ));
    }
    let mut lines = Vec::new();
    let mut channels = Vec::new();
    for name in &channel_names {
        match team_channel(inv, name).await? {
            Some(c) => channels.push(c),
            None => lines.push(format!("There is no channel ~{name} in this team.")),
        }
    }
    if channel_names.is_empty() {
        channels.push(inv.channel.clone());
    }
    for channel in &channels {
        if channel.is_direct_or_group() {
            lines.push("Direct and group messages cannot get new members.".to_string());
            continue;
        }
        for username in &users {
            let user = match inv.core.store.get_user_by_username(username).await {
                Ok(u) if u.delete_at == 0 => u,
                Ok(_) | Err(Error::NotFound { .. }) => {
                    lines.push(format!("There is no active user @{username}."));
                    continue;
                }
                Err(e) => return Err(e),
            };
            if inv.core.membership(&channel.id, &user.id).await?.is_some() {
                lines.push(format!("@{username} is already in ~{}.", channel.name));
                continue;
            }
            match inv
                .core
                .add_channel_member(inv.actor, &channel.id, &user.id)
                .await
            {
                Ok(_) if channel.id == inv.channel.id => {}
                Ok(_) => lines.push(format!("@{username} added to ~{}.", channel.name)),
                Err(Error::Forbidden(_)) => {
                    lines.push(format!("You may not add members to ~{}.", channel.name))
                }
                Err(Error::Invalid { reason, .. }) => lines.push(format!(
                    "@{username} was not added to ~{}: {reason}.",
                    channel.name
                )),
                Err(e) => return Err(e),
            }
        }
    }
    Ok(CommandResponse::ephemeral(lines.join("\n")))
}

/// `/kick @user` and `/remove @user`: removes a member of the current channel.
pub(super) async fn remove(inv: &Invocation<'_>) -> Result<CommandResponse> {
    if inv.channel.is_direct_or_group() {
        return Ok(CommandResponse::ephemeral(
            "Nobody can be removed from a direct or group message.",
        ));
    }
    let Some(target) = inv.message.split_whitespace().next() else {
        return Ok(CommandResponse::ephemeral(
            "Name the member to remove: `/kick @[username]`.",
        ));
    };
    let username = target.trim_start_matches('@').to_lowercase();
    let user = match inv.core.store.get_user_by_username(&username).await {
        Ok(u) if u.delete_at == 0 => u,
        Ok(_) | Err(Error::NotFound { .. }) => {
            return Ok(CommandResponse::ephemeral(format!(
                "There is no active user @{username}."
            )))
        }
        Err(e) => return Err(e),
    };
    if inv
        .core
        .membership(&inv.channel.id, &user.id)
        .await?
        .is_none()
    {
        return Ok(CommandResponse::ephemeral(format!(
            "@{username} is not a member of this channel."
        )));
    }
    match inv
        .core
        .remove_channel_member(inv.actor, &inv.channel.id, &user.id)
        .await
    {
        Ok(()) => Ok(CommandResponse::done()),
        Err(e) => as_reply(e, "You may not remove members of this channel."),
    }
}

async fn patch(
    inv: &Invocation<'_>,
    patch: ChannelPatch,
    refused: &str,
) -> Result<CommandResponse> {
    match inv
        .core
        .patch_channel(inv.actor, &inv.channel.id, patch)
        .await
    {
        Ok(_) => Ok(CommandResponse::done()),
        Err(e) => as_reply(e, refused),
    }
}

/// `/header text`
pub(super) async fn header(inv: &Invocation<'_>) -> Result<CommandResponse> {
    if inv.message.trim().is_empty() {
        return Ok(CommandResponse::ephemeral(
            "Give the new header: `/header [text]`.",
        ));
    }
    let change = ChannelPatch {
        header: Some(inv.message.clone()),
        ..ChannelPatch::default()
    };
    patch(inv, change, "You may not change this channel's header.").await
}

/// `/purpose text`
pub(super) async fn purpose(inv: &Invocation<'_>) -> Result<CommandResponse> {
    if inv.channel.is_direct_or_group() {
        return Ok(CommandResponse::ephemeral(
            "Direct and group messages have no purpose; use /header instead.",
        ));
    }
    if inv.message.trim().is_empty() {
        return Ok(CommandResponse::ephemeral(
            "Give the new purpose: `/purpose [text]`.",
        ));
    }
    let change = ChannelPatch {
        purpose: Some(inv.message.clone()),
        ..ChannelPatch::default()
    };
    patch(inv, change, "You may not change this channel's purpose.").await
}

/// `/rename text`: the display name.
pub(super) async fn rename(inv: &Invocation<'_>) -> Result<CommandResponse> {
    if inv.channel.is_direct_or_group() {
        return Ok(CommandResponse::ephemeral(
            "Direct and group messages cannot be renamed.",
        ));
    }
    let name = inv.message.trim();
    if name.is_empty() {
        return Ok(CommandResponse::ephemeral(
            "Give the new name: `/rename [text]`.",
        ));
    }
    if name.len() > 64 {
        return Ok(CommandResponse::ephemeral(
            "A channel name has at most 64 characters.",
        ));
    }
    let change = ChannelPatch {
        display_name: Some(name.to_string()),
        ..ChannelPatch::default()
    };
    patch(inv, change, "You may not rename this channel.").await
}

/// `/mute [~channel]`: toggles whether the channel shows unread for every
/// message (`all`) or only for mentions (`mention`, muted).
pub(super) async fn mute(inv: &Invocation<'_>) -> Result<CommandResponse> {
    let named = inv.message.split_whitespace().next();
    let channel = match named {
        None => inv.channel.clone(),
        Some(raw) => match team_channel(inv, raw).await? {
            Some(c) => c,
            None => {
                return Ok(CommandResponse::ephemeral(format!(
                    "There is no channel ~{} in this team.",
                    raw.trim_start_matches('~')
                )))
            }
        },
    };
    let Some(member) = inv.core.membership(&channel.id, inv.actor.id()).await? else {
        // The same answer as for a missing channel: do not reveal private ones.
        return Ok(CommandResponse::ephemeral(format!(
            "There is no channel ~{} in this team.",
            channel.name
        )));
    };
    let muted = member.notify_props.get("mark_unread").map(String::as_str) == Some("mention");
    let mut props = StringMap::new();
    props.insert(
        "mark_unread".to_string(),
        if muted { "all" } else { "mention" }.to_string(),
    );
    inv.core
        .set_channel_member_notify_props(inv.actor, &channel.id, inv.actor.id(), props)
        .await?;
    let name = if channel.is_direct_or_group() {
        "This conversation".to_string()
    } else {
        format!("~{}", channel.name)
    };
    Ok(CommandResponse::ephemeral(if muted {
        format!("{name} is no longer muted.")
    } else {
        format!("{name} is muted: no notifications until you unmute it.")
    }))
}
