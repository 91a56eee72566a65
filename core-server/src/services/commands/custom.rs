//! Managing a team's custom slash commands, with Mattermost's rules: team
//! admins (`manage_own_slash_commands`) manage their own commands, and with
//! `manage_others_slash_commands` everyone's; a command one may not manage
//! is "not found", so its existence does not leak; tokens are shown only to
//! those who may manage the command.

use serde::Deserialize;

use super::builtin::BUILTIN_COMMANDS;
use crate::error::{Error, Result};
use crate::id::new_id;
use crate::model::*;
use crate::services::{validate, Actor, Core};
use crate::time::now_ms;

/// What `Error::NotImplemented` says when custom commands are off; the v4
/// bridge answers it with Mattermost's `api.command.disabled.app_error`.
pub const COMMANDS_DISABLED: &str = "custom slash commands are disabled on this server";

/// Mattermost's longest trigger.
const MAX_TRIGGER_CHARS: usize = 128;

/// A new command, or the full replacement of one's settings.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct CommandInput {
    pub team_id: String,
    pub trigger: String,
    /// `P` or `G`.
    pub method: String,
    pub username: String,
    pub icon_url: String,
    pub auto_complete: bool,
    pub auto_complete_desc: String,
    pub auto_complete_hint: String,
    pub display_name: String,
    pub description: String,
    pub url: String,
    /// On create, someone else to own the command (needs
    /// `manage_others_slash_commands`); empty for the caller.
    pub creator_id: String,
}

/// The commands a listing shows: the built-ins, then the team's own.
#[derive(Debug, Clone, Default)]
pub struct CommandList {
    pub builtins: Vec<&'static super::BuiltinCommand>,
    /// Sanitized (no token, URL, creator, method, name or icon) unless the
    /// listing is for those who manage them (`custom_only`).
    pub custom: Vec<CustomCommand>,
}

/// A command as anyone in the team may see it (Mattermost's `Sanitize`).
pub fn sanitized(mut command: CustomCommand) -> CustomCommand {
    command.token.clear();
    command.creator_id.clear();
    command.method.clear();
    command.url.clear();
    command.username.clear();
    command.icon_url.clear();
    command
}

/// Checks and normalises the settings a command is saved with.
fn check_input(input: &mut CommandInput) -> Result<()> {
    input.trigger = input.trigger.trim().to_lowercase();
    let trigger = &input.trigger;
    if trigger.is_empty()
        || trigger.chars().count() > MAX_TRIGGER_CHARS
        || trigger.starts_with('/')
        || trigger.contains(char::is_whitespace)
    {
        return Err(Error::invalid(
            "trigger",
            "must be 1 to 128 characters, without a leading / or spaces",
        ));
    }
    if input.method != command_methods::POST && input.method != command_methods::GET {
        return Err(Error::invalid("method", "must be P (POST) or G (GET)"));
    }
    validate::length("url", &input.url, 1, 1024)?;
    crate::outbound::Outbound::check_url(&input.url)
        .map_err(|e| Error::invalid("url", e.to_string()))?;
    validate::length("display_name", &input.display_name, 0, 64)?;
    validate::length("description", &input.description, 0, 128)?;
    validate::length("username", &input.username, 0, 64)?;
    validate::length("icon_url", &input.icon_url, 0, 1024)?;
    validate::length("auto_complete_desc", &input.auto_complete_desc, 0, 1024)?;
    validate::length("auto_complete_hint", &input.auto_complete_hint, 0, 1024)?;
    Ok(())
}

impl Core {
    /// Fails with Mattermost's 501 while `enable_commands` is off.
    pub(crate) fn require_commands_enabled(&self) -> Result<()> {
        if self.config().enable_commands {
            Ok(())
        } else {
            Err(Error::NotImplemented(COMMANDS_DISABLED.into()))
        }
    }

    /// Refuses a trigger a built-in or another live command of the team has.
    async fn check_trigger_free(&self, team_id: &str, trigger: &str, except: &str) -> Result<()> {
        let builtin = BUILTIN_COMMANDS.iter().any(|c| c.trigger == trigger);
        let taken = match self.store.find_team_command(team_id, trigger).await? {
            Some(other) => other.id != except,
            None => false,
        };
        if builtin || taken {
            return Err(Error::conflict(
                "trigger",
                "the team already has this trigger",
            ));
        }
        Ok(())
    }

    /// A live command the actor may manage. Without `manage_own` in its
    /// team it is "not found", so its existence does not leak; another's
    /// command without `manage_others` is "not found" to read and
    /// `Forbidden` to change, as Mattermost answers.
    async fn managed_command(
        &self,
        actor: &Actor,
        command_id: &str,
        to_change: bool,
    ) -> Result<CustomCommand> {
        self.require_commands_enabled()?;
        validate::id("command_id", command_id)?;
        let command = self.store.get_command(command_id).await?;
        let team = &command.team_id;
        if !self
            .has_team_permission(actor, team, Permission::ManageOwnSlashCommands)
            .await?
        {
            return Err(Error::not_found("command"));
        }
        if command.creator_id != actor.id()
            && !self
                .has_team_permission(actor, team, Permission::ManageOthersSlashCommands)
                .await?
        {
            return Err(if to_change {
                Error::forbidden("you do not have the manage_others_slash_commands permission here")
            } else {
                Error::not_found("command")
            });
        }
        Ok(command)
    }

    /// Creates a command in `input.team_id`, owned by the actor or, for
    /// those who manage others' commands, by `input.creator_id`.
    pub async fn create_custom_command(
        &self,
        actor: &Actor,
        mut input: CommandInput,
    ) -> Result<CustomCommand> {
        self.require_commands_enabled()?;
        self.team_for_member(actor, &input.team_id).await?;
        self.require_team_permission(actor, &input.team_id, Permission::ManageOwnSlashCommands)
            .await?;
        let creator_id = if input.creator_id.is_empty() || input.creator_id == actor.id() {
            actor.id().to_string()
        } else {
            self.require_team_permission(
                actor,
                &input.team_id,
                Permission::ManageOthersSlashCommands,
            )
            .await?;
            validate::id("creator_id", &input.creator_id)?;
            self.store.get_user(&input.creator_id).await?.id
        };
        check_input(&mut input)?;
        self.check_trigger_free(&input.team_id, &input.trigger, "")
            .await?;
        let now = now_ms();
        let command = CustomCommand {
            id: new_id(),
            token: new_id(),
            create_at: now,
            update_at: now,
            delete_at: 0,
            creator_id,
            team_id: input.team_id,
            trigger: input.trigger,
            method: input.method,
            username: input.username,
            icon_url: input.icon_url,
            auto_complete: input.auto_complete,
            auto_complete_desc: input.auto_complete_desc,
            auto_complete_hint: input.auto_complete_hint,
            display_name: input.display_name,
            description: input.description,
            url: input.url,
        };
        self.store.create_command(&command).await?;
        Ok(command)
    }

    /// One command, token included, for those who manage it.
    pub async fn get_custom_command(
        &self,
        actor: &Actor,
        command_id: &str,
    ) -> Result<CustomCommand> {
        self.managed_command(actor, command_id, false).await
    }

    /// Replaces a command's settings; its id, token, creator and team stay
    /// (`team_id` must be its team: moving is [`Core::move_custom_command`]).
    pub async fn update_custom_command(
        &self,
        actor: &Actor,
        command_id: &str,
        mut input: CommandInput,
    ) -> Result<CustomCommand> {
        let mut command = self.managed_command(actor, command_id, true).await?;
        if input.team_id != command.team_id {
            return Err(Error::invalid("team_id", "must be the command's team"));
        }
        check_input(&mut input)?;
        self.check_trigger_free(&command.team_id, &input.trigger, &command.id)
            .await?;
        command.update_at = now_ms();
        command.trigger = input.trigger;
        command.method = input.method;
        command.username = input.username;
        command.icon_url = input.icon_url;
        command.auto_complete = input.auto_complete;
        command.auto_complete_desc = input.auto_complete_desc;
        command.auto_complete_hint = input.auto_complete_hint;
        command.display_name = input.display_name;
        command.description = input.description;
        command.url = input.url;
        self.store.update_command(&command).await?;
        Ok(command)
    }

    /// Moves a command to another team, where the actor and the command's
    /// creator must both manage their own commands. A creator who may not
    /// is `Invalid` on `creator_id`.
    pub async fn move_custom_command(
        &self,
        actor: &Actor,
        command_id: &str,
        team_id: &str,
    ) -> Result<()> {
        self.require_commands_enabled()?;
        validate::id("team_id", team_id)?;
        let team = self.store.get_team(team_id).await?;
        if team.delete_at != 0 {
            return Err(Error::not_found("team"));
        }
        self.require_team_permission(actor, &team.id, Permission::ManageOwnSlashCommands)
            .await?;
        let mut command = self.managed_command(actor, command_id, true).await?;
        let creator = Actor::on_behalf_of(self.store.get_user(&command.creator_id).await?);
        if !self
            .has_team_permission(&creator, &team.id, Permission::ManageOwnSlashCommands)
            .await?
        {
            return Err(Error::invalid(
                "creator_id",
                "the command's creator may not manage commands in that team",
            ));
        }
        self.check_trigger_free(&team.id, &command.trigger, &command.id)
            .await?;
        command.team_id = team.id;
        command.update_at = now_ms();
        self.store.update_command(&command).await
    }

    /// Deletes a command; its trigger is free again.
    pub async fn delete_custom_command(&self, actor: &Actor, command_id: &str) -> Result<()> {
        let command = self.managed_command(actor, command_id, true).await?;
        self.store.delete_command(&command.id, now_ms()).await
    }

    /// Gives a command a new token; the old one stops being sent.
    pub async fn regen_command_token(&self, actor: &Actor, command_id: &str) -> Result<String> {
        let mut command = self.managed_command(actor, command_id, true).await?;
        command.token = new_id();
        command.update_at = now_ms();
        self.store.update_command(&command).await?;
        Ok(command.token)
    }

    /// `GET /commands?team_id=` as Mattermost answers it. With `custom_only`,
    /// the team's commands the actor manages, tokens included (501 while
    /// commands are off). Otherwise the built-ins and, sanitized, the custom
    /// commands the actor manages — or, for those who manage none, what the
    /// `/` list offers.
    pub async fn list_team_commands(
        &self,
        actor: &Actor,
        team_id: &str,
        custom_only: bool,
    ) -> Result<CommandList> {
        self.team_for_member(actor, team_id).await?;
        let manages_own = self
            .has_team_permission(actor, team_id, Permission::ManageOwnSlashCommands)
            .await?;
        if custom_only && !manages_own {
            return Err(Error::forbidden(
                "you do not have the manage_own_slash_commands permission here",
            ));
        }
        if !manages_own {
            return self.autocomplete_commands(actor, team_id).await;
        }
        if custom_only {
            self.require_commands_enabled()?;
        }
        let manages_others = self
            .has_team_permission(actor, team_id, Permission::ManageOthersSlashCommands)
            .await?;
        let mut custom = Vec::new();
        if self.config().enable_commands {
            for command in self.store.list_team_commands(team_id).await? {
                if manages_others || command.creator_id == actor.id() {
                    custom.push(if custom_only {
                        command
                    } else {
                        sanitized(command)
                    });
                }
            }
        }
        Ok(CommandList {
            builtins: if custom_only {
                Vec::new()
            } else {
                BUILTIN_COMMANDS.iter().collect()
            },
            custom,
        })
    }

    /// What the `/` list offers in a team: the built-ins and, while commands
    /// are on, the team's commands that ask to be offered (sanitized).
    pub async fn autocomplete_commands(&self, actor: &Actor, team_id: &str) -> Result<CommandList> {
        self.team_for_member(actor, team_id).await?;
        let custom = if self.config().enable_commands {
            self.store
                .list_team_commands(team_id)
                .await?
                .into_iter()
                .filter(|c| c.auto_complete)
                .map(sanitized)
                .collect()
        } else {
            Vec::new()
        };
        Ok(CommandList {
            builtins: BUILTIN_COMMANDS.iter().collect(),
            custom,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(trigger: &str) -> CommandInput {
        CommandInput {
            trigger: trigger.into(),
            method: "P".into(),
            url: "https://example.com/cmd".into(),
            ..CommandInput::default()
        }
    }

    #[test]
    fn triggers_follow_mattermosts_rules() {
        let mut ok = input("  Deploy ");
        check_input(&mut ok).expect("valid");
        assert_eq!(ok.trigger, "deploy", "lower case, trimmed");
        for bad in ["", "/deploy", "de ploy", &"x".repeat(129)] {
            let e = check_input(&mut input(bad)).expect_err(bad);
            assert!(matches!(e, Error::Invalid { ref field, .. } if field == "trigger"));
        }
        check_input(&mut input(&"x".repeat(128))).expect("128 is the limit");
    }

    #[test]
    fn method_and_url_are_checked() {
        let mut bad_method = input("a");
        bad_method.method = "PUT".into();
        assert!(matches!(
            check_input(&mut bad_method),
            Err(Error::Invalid { ref field, .. }) if field == "method"
        ));
        let mut no_url = input("a");
        no_url.url.clear();
        assert!(matches!(
            check_input(&mut no_url),
            Err(Error::Invalid { ref field, .. }) if field == "url"
        ));
    }

    #[test]
    fn sanitizing_hides_the_secret_and_the_integration() {
        let c = sanitized(CustomCommand {
            id: "i".into(),
            token: "t".into(),
            create_at: 1,
            update_at: 1,
            delete_at: 0,
            creator_id: "c".into(),
            team_id: "team".into(),
            trigger: "x".into(),
            method: "P".into(),
            username: "u".into(),
            icon_url: "i".into(),
            auto_complete: true,
            auto_complete_desc: "d".into(),
            auto_complete_hint: "h".into(),
            display_name: "n".into(),
            description: "d".into(),
            url: "https://example.com".into(),
        });
        assert_eq!(
            (
                c.token,
                c.url,
                c.creator_id,
                c.method,
                c.username,
                c.icon_url
            ),
            Default::default()
        );
        assert_eq!(c.trigger, "x");
    }
}
