//! A2A agents and the tasks they leave waiting for input. Its SQL, for both
//! dialects, is `sql.rs` beside this file.

use async_trait::async_trait;

use crate::error::Result;
use crate::model::*;

/// Agents.
#[async_trait]
pub trait AgentStore: Send + Sync {
    async fn create_agent(&self, agent: &Agent) -> Result<()>;

    /// A live agent, or `agent` not found (removed ones too).
    async fn get_agent(&self, id: &str) -> Result<Agent>;

    /// Live agents, oldest first.
    async fn list_agents(&self) -> Result<Vec<Agent>>;

    /// Which of `user_ids` are live agents' bots.
    async fn agents_among(&self, user_ids: &[String]) -> Result<Vec<Agent>>;

    /// Writes every field but the id, the creator and the creation time (a
    /// removal is a write of `delete_at`); `agent` not found when the row is gone.
    async fn update_agent(&self, agent: &Agent) -> Result<()>;

    /// Records the outcome of the last call to an agent (empty: it worked).
    async fn set_agent_error(&self, id: &str, error: &str, at: i64) -> Result<()>;

    /// The task an agent left waiting in a conversation, if any.
    async fn get_agent_task(&self, agent_id: &str, context_id: &str) -> Result<Option<AgentTask>>;

    /// The tasks agents left waiting in a conversation, any agent.
    async fn agent_tasks_in(&self, context_id: &str) -> Result<Vec<AgentTask>>;

    /// Keeps (or replaces) the task waiting in a conversation.
    async fn put_agent_task(&self, task: &AgentTask) -> Result<()>;

    /// Forgets the task waiting in a conversation.
    async fn delete_agent_task(&self, agent_id: &str, context_id: &str) -> Result<()>;
}
