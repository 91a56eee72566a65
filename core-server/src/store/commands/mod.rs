//! Custom slash commands and the short-lived webhooks (`response_url`) of
//! their runs. Its SQL, for both dialects, is `sql.rs` beside this file.

use async_trait::async_trait;

use crate::error::Result;
use crate::model::*;

/// Custom slash commands and the short-lived webhooks of their runs.
#[async_trait]
pub trait CommandStore: Send + Sync {
    /// Saves a new command; `Conflict` on `trigger` when a live command of
    /// the team already has it.
    async fn create_command(&self, command: &CustomCommand) -> Result<()>;

    /// A live command, or `command` not found (deleted ones too).
    async fn get_command(&self, id: &str) -> Result<CustomCommand>;

    /// A team's live commands, ordered by trigger.
    async fn list_team_commands(&self, team_id: &str) -> Result<Vec<CustomCommand>>;

    /// The team's live command with this trigger, if any.
    async fn find_team_command(
        &self,
        team_id: &str,
        trigger: &str,
    ) -> Result<Option<CustomCommand>>;

    /// Writes what may change on a live command (everything but its id,
    /// creator and creation time); `command` not found when it is gone,
    /// `Conflict` on `trigger` as on create.
    async fn update_command(&self, command: &CustomCommand) -> Result<()>;

    /// Marks a live command deleted at `at`; `command` not found when it is
    /// already gone.
    async fn delete_command(&self, id: &str, at: i64) -> Result<()>;

    async fn create_command_webhook(&self, hook: &CommandWebhook) -> Result<()>;

    /// A webhook created at `since` or later, or `command webhook` not found.
    async fn get_command_webhook(&self, id: &str, since: i64) -> Result<CommandWebhook>;

    /// Counts one use of a webhook unless it has been used `max_uses` times
    /// already; `false` then (or when it is gone).
    async fn use_command_webhook(&self, id: &str, max_uses: i64) -> Result<bool>;

    /// Forgets the webhooks created before `before`.
    async fn delete_command_webhooks_before(&self, before: i64) -> Result<u64>;
}
