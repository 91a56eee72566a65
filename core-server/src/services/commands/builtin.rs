//! The built-in commands: their names as the `/` list shows them, and which
//! function runs each.

use super::{channel_cmds, message_cmds, user_cmds, CommandResponse, Invocation};
use crate::error::Result;

/// A command the server itself answers.
#[derive(Debug, PartialEq, Eq)]
pub struct BuiltinCommand {
    /// What follows the `/`.
    pub trigger: &'static str,
    pub display_name: &'static str,
    /// One line for the suggestion list.
    pub description: &'static str,
    /// What the command expects after it, shown while typing.
    pub hint: &'static str,
}

const fn cmd(
    trigger: &'static str,
    description: &'static str,
    hint: &'static str,
) -> BuiltinCommand {
    BuiltinCommand {
        trigger,
        display_name: trigger,
        description,
        hint,
    }
}

/// Every built-in command, in the order `/help` lists them.
pub const BUILTIN_COMMANDS: &[BuiltinCommand] = &[
    cmd("away", "Set your status to away", ""),
    cmd("online", "Set your status to online", ""),
    cmd("offline", "Set your status to offline", ""),
    cmd(
        "dnd",
        "Do not disturb: no desktop or push notifications",
        "",
    ),
    cmd(
        "status",
        "Set or clear your custom status",
        "[:emoji:] [text] or clear",
    ),
    cmd("me", "Post an action, in italics", "[message]"),
    cmd("shrug", "Post a message with a shrug", "[message]"),
    cmd("code", "Post text as a code block", "[text]"),
    cmd(
        "echo",
        "Post text as yourself, optionally after a delay",
        "'message' [delay in seconds]",
    ),
    cmd("join", "Join a public channel", "~[channel]"),
    cmd("open", "Join a public channel", "~[channel]"),
    cmd("leave", "Leave the current channel", ""),
    cmd("msg", "Send a direct message", "@[username] [message]"),
    cmd(
        "groupmsg",
        "Send a group message",
        "@[username1],@[username2] [message]",
    ),
    cmd(
        "invite",
        "Add users to a channel",
        "@[username]... ~[channel]...",
    ),
    cmd("kick", "Remove a member from the channel", "@[username]"),
    cmd("remove", "Remove a member from the channel", "@[username]"),
    cmd("header", "Change the channel header", "[text]"),
    cmd("purpose", "Change the channel purpose", "[text]"),
    cmd("rename", "Rename the channel", "[text]"),
    cmd(
        "mute",
        "Mute or unmute the current channel, or the one named",
        "~[channel]",
    ),
    cmd("expand", "Show image link previews expanded", ""),
    cmd("collapse", "Show image link previews collapsed", ""),
    cmd("help", "List the commands", ""),
];

impl BuiltinCommand {
    pub(crate) async fn run(&self, inv: &Invocation<'_>) -> Result<CommandResponse> {
        match self.trigger {
            "away" | "online" | "offline" | "dnd" => user_cmds::set_status(inv, self.trigger).await,
            "status" => user_cmds::custom_status(inv).await,
            "expand" => user_cmds::previews(inv, false).await,
            "collapse" => user_cmds::previews(inv, true).await,
            "help" => Ok(user_cmds::help()),
            "me" => Ok(message_cmds::me(inv)),
            "shrug" => Ok(message_cmds::shrug(inv)),
            "code" => Ok(message_cmds::code(inv)),
            "echo" => message_cmds::echo(inv),
            "msg" => message_cmds::direct(inv).await,
            "groupmsg" => message_cmds::group(inv).await,
            "join" | "open" => channel_cmds::join(inv).await,
            "leave" => channel_cmds::leave(inv).await,
            "invite" => channel_cmds::invite(inv).await,
            "kick" | "remove" => channel_cmds::remove(inv).await,
            "header" => channel_cmds::header(inv).await,
            "purpose" => channel_cmds::purpose(inv).await,
            "rename" => channel_cmds::rename(inv).await,
            "mute" => channel_cmds::mute(inv).await,
            _ => Err(crate::error::Error::not_found("command")),
        }
    }
}
