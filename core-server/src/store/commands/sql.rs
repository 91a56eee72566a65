//! Custom slash commands and their webhooks (compiled once per dialect).
//! Live triggers are unique per team by a partial index, so two commands
//! saved at once cannot both take a trigger.

use super::prelude::*;

record!(CustomCommand in "commands" {
    id, token, create_at, update_at, delete_at, creator_id, team_id, trigger, method,
    username, icon_url, auto_complete, auto_complete_desc, auto_complete_hint,
    display_name, description, url,
});

record!(CommandWebhook in "command_webhooks" {
    id, create_at, command_id, user_id, channel_id, root_id, use_count,
});

#[async_trait]
impl CommandStore for Backend {
    async fn create_command(&self, c: &CustomCommand) -> Result<()> {
        c.bind_to(sqlx::query(&CustomCommand::TABLE.insert()))
            .execute(&mut *self.writer().await?)
            .await?;
        Ok(())
    }

    async fn get_command(&self, id: &str) -> Result<CustomCommand> {
        find(
            &mut *self.reader().await?,
            "id = $1 AND delete_at = 0",
            &[id],
            "command",
        )
        .await
    }

    async fn list_team_commands(&self, team_id: &str) -> Result<Vec<CustomCommand>> {
        Ok(sqlx::query_as(&format!(
            "{} WHERE team_id = $1 AND delete_at = 0 ORDER BY trigger, id",
            CustomCommand::TABLE.select()
        ))
        .bind(team_id)
        .fetch_all(&mut *self.reader().await?)
        .await?)
    }

    async fn find_team_command(
        &self,
        team_id: &str,
        trigger: &str,
    ) -> Result<Option<CustomCommand>> {
        Ok(sqlx::query_as(&format!(
            "{} WHERE team_id = $1 AND trigger = $2 AND delete_at = 0",
            CustomCommand::TABLE.select()
        ))
        .bind(team_id)
        .bind(trigger)
        .fetch_optional(&mut *self.reader().await?)
        .await?)
    }

    async fn update_command(&self, c: &CustomCommand) -> Result<()> {
        let sql = CustomCommand::TABLE.update(
            &["id"],
            &[
                "token",
                "update_at",
                "team_id",
                "trigger",
                "method",
                "username",
                "icon_url",
                "auto_complete",
                "auto_complete_desc",
                "auto_complete_hint",
                "display_name",
                "description",
                "url",
            ],
        );
        let sql = format!("{sql} AND delete_at = 0");
        let done = c
            .bind_to(sqlx::query(&sql))
            .execute(&mut *self.writer().await?)
            .await?;
        changed(done, "command")
    }

    async fn delete_command(&self, id: &str, at: i64) -> Result<()> {
        let done = sqlx::query(
            "UPDATE commands SET delete_at = $2, update_at = $2 WHERE id = $1 AND delete_at = 0",
        )
        .bind(id)
        .bind(at)
        .execute(&mut *self.writer().await?)
        .await?;
        changed(done, "command")
    }

    async fn create_command_webhook(&self, h: &CommandWebhook) -> Result<()> {
        h.bind_to(sqlx::query(&CommandWebhook::TABLE.insert()))
            .execute(&mut *self.writer().await?)
            .await?;
        Ok(())
    }

    async fn get_command_webhook(&self, id: &str, since: i64) -> Result<CommandWebhook> {
        Ok(sqlx::query_as(&format!(
            "{} WHERE id = $1 AND create_at >= $2",
            CommandWebhook::TABLE.select()
        ))
        .bind(id)
        .bind(since)
        .fetch_one(&mut *self.writer().await?)
        .await
        .map_err(missing("command webhook"))?)
    }

    async fn use_command_webhook(&self, id: &str, max_uses: i64) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE command_webhooks SET use_count = use_count + 1 \
             WHERE id = $1 AND use_count < $2",
        )
        .bind(id)
        .bind(max_uses)
        .execute(&mut *self.writer().await?)
        .await?;
        Ok(done.rows_affected() > 0)
    }

    async fn delete_command_webhooks_before(&self, before: i64) -> Result<u64> {
        let done = sqlx::query("DELETE FROM command_webhooks WHERE create_at < $1")
            .bind(before)
            .execute(&mut *self.writer().await?)
            .await?;
        Ok(done.rows_affected())
    }
}
