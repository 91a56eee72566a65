//! A custom command's `response_url`: each run gets one, and for
//! Mattermost's 30 minutes its integration may answer through it up to 5
//! times, delivered as an answer to the run (as the caller, in the channel
//! and thread it ran in).

use super::respond::Answering;
use super::CommandResponse;
use crate::error::{Error, Result};
use crate::id::new_id;
use crate::model::*;
use crate::services::{validate, Actor, Core};
use crate::time::now_ms;

impl Core {
    /// Remembers a run so its integration may answer later; returns the
    /// webhook, whose id goes into the `response_url`.
    pub(crate) async fn create_command_webhook(
        &self,
        command: &CustomCommand,
        user_id: &str,
        channel_id: &str,
        root_id: &str,
    ) -> Result<CommandWebhook> {
        let now = now_ms();
        // Expired runs are forgotten as new ones come.
        self.store
            .delete_command_webhooks_before(now - CommandWebhook::LIFETIME_MS)
            .await?;
        let hook = CommandWebhook {
            id: new_id(),
            create_at: now,
            command_id: command.id.clone(),
            user_id: user_id.to_string(),
            channel_id: channel_id.to_string(),
            root_id: root_id.to_string(),
            use_count: 0,
        };
        self.store.create_command_webhook(&hook).await?;
        Ok(hook)
    }

    /// `POST /hooks/commands/{id}`: delivers a later answer. `command
    /// webhook` not found once expired, `command` not found when the
    /// command was deleted, `Invalid` on `use_count` once used up.
    pub async fn execute_command_webhook(
        &self,
        hook_id: &str,
        response: CommandResponse,
    ) -> Result<()> {
        validate::id("hook_id", hook_id)?;
        let since = now_ms() - CommandWebhook::LIFETIME_MS;
        let hook = self.store.get_command_webhook(hook_id, since).await?;
        self.require_commands_enabled()?;
        let command = self.store.get_command(&hook.command_id).await?;
        if !self
            .store
            .use_command_webhook(&hook.id, CommandWebhook::MAX_USES)
            .await?
        {
            return Err(Error::invalid(
                "use_count",
                "the response URL has been used as often as it may be",
            ));
        }
        let caller = self.store.get_user(&hook.user_id).await?;
        if caller.is_deleted() {
            return Err(Error::forbidden("the command's caller is deactivated"));
        }
        // The integration answers for the caller, without a session of theirs.
        let actor = Actor::on_behalf_of(caller);
        let to = Answering {
            actor: &actor,
            channel_id: hook.channel_id,
            root_id: hook.root_id,
            command: &command,
        };
        self.deliver_custom_responses(&to, &response).await
    }
}
