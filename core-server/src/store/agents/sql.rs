//! A2A agents and their waiting tasks (compiled once per dialect). Skills
//! are JSON text; agents are few and read by id or all at once.

use super::prelude::*;

record!(Agent in "agents" {
    id, card_url, endpoint_url, protocol_version, streaming, display_name, description,
    icon_url, skills: json, auth_scheme, auth_header, secret, enabled, creator_id,
    create_at, update_at, delete_at, last_error,
});

record!(AgentTask in "agent_tasks" {
    agent_id, context_id, task_id, user_id, update_at,
});

#[async_trait]
impl AgentStore for Backend {
    async fn create_agent(&self, a: &Agent) -> Result<()> {
        a.bind_to(sqlx::query(&Agent::TABLE.insert()))
            .execute(&mut *self.writer().await?)
            .await?;
        Ok(())
    }

    async fn get_agent(&self, id: &str) -> Result<Agent> {
        find(
            &mut *self.reader().await?,
            "id = $1 AND delete_at = 0",
            &[id],
            "agent",
        )
        .await
    }

    async fn list_agents(&self) -> Result<Vec<Agent>> {
        Ok(sqlx::query_as(&format!(
            "{} WHERE delete_at = 0 ORDER BY create_at, id",
            Agent::TABLE.select()
        ))
        .fetch_all(&mut *self.reader().await?)
        .await?)
    }

    async fn agents_among(&self, user_ids: &[String]) -> Result<Vec<Agent>> {
        fetch_in(
            &mut *self.reader().await?,
            &format!("{} WHERE delete_at = 0 AND ", Agent::TABLE.select()),
            "id",
            user_ids,
            "ORDER BY create_at, id",
        )
        .await
    }

    async fn update_agent(&self, a: &Agent) -> Result<()> {
        let sql = Agent::TABLE.update(
            &["id"],
            &[
                "card_url",
                "endpoint_url",
                "protocol_version",
                "streaming",
                "display_name",
                "description",
                "icon_url",
                "skills",
                "auth_scheme",
                "auth_header",
                "secret",
                "enabled",
                "update_at",
                "delete_at",
                "last_error",
            ],
        );
        changed(
            a.bind_to(sqlx::query(&sql))
                .execute(&mut *self.writer().await?)
                .await?,
            "agent",
        )
    }

    async fn set_agent_error(&self, id: &str, error: &str, at: i64) -> Result<()> {
        sqlx::query("UPDATE agents SET last_error = $1, update_at = $2 WHERE id = $3")
            .bind(error)
            .bind(at)
            .bind(id)
            .execute(&mut *self.writer().await?)
            .await?;
        Ok(())
    }

    async fn get_agent_task(&self, agent_id: &str, context_id: &str) -> Result<Option<AgentTask>> {
        match find(
            &mut *self.reader().await?,
            "agent_id = $1 AND context_id = $2",
            &[agent_id, context_id],
            "agent task",
        )
        .await
        {
            Ok(task) => Ok(Some(task)),
            Err(Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(e),
        }
    }

    async fn agent_tasks_in(&self, context_id: &str) -> Result<Vec<AgentTask>> {
        Ok(sqlx::query_as(&format!(
            "{} WHERE context_id = $1 ORDER BY update_at",
            AgentTask::TABLE.select()
        ))
        .bind(context_id)
        .fetch_all(&mut *self.reader().await?)
        .await?)
    }

    async fn put_agent_task(&self, t: &AgentTask) -> Result<()> {
        t.bind_to(sqlx::query(&AgentTask::TABLE.upsert(
            "context_id, agent_id",
            &["task_id", "user_id", "update_at"],
        )))
        .execute(&mut *self.writer().await?)
        .await?;
        Ok(())
    }

    async fn delete_agent_task(&self, agent_id: &str, context_id: &str) -> Result<()> {
        sqlx::query("DELETE FROM agent_tasks WHERE agent_id = $1 AND context_id = $2")
            .bind(agent_id)
            .bind(context_id)
            .execute(&mut *self.writer().await?)
            .await?;
        Ok(())
    }
}
