//! A2A agents: bot accounts whose answers come from an agent served
//! elsewhere, over the Agent2Agent protocol, found through its agent card.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// How an agent wants its calls authenticated, as its card declares.
pub mod agent_auth {
    /// No credentials.
    pub const NONE: &str = "none";
    /// An API key in a header the card names.
    pub const API_KEY: &str = "api_key";
    /// `Authorization: Bearer <token>`.
    pub const BEARER: &str = "bearer";
}

/// One thing an agent says it can do (its card's skill).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct AgentSkill {
    pub id: String,
    pub name: String,
    pub description: String,
    #[serde(default)]
    #[schema(required = true)]
    pub tags: Vec<String>,
    #[serde(default)]
    #[schema(required = true)]
    pub examples: Vec<String>,
}

/// A registered agent, as stored. Its id is its bot's user id.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Agent {
    pub id: String,
    /// Where the agent card was read.
    pub card_url: String,
    /// The JSON-RPC endpoint the card names.
    pub endpoint_url: String,
    /// `1.0` or `0.3`: which wire the endpoint speaks.
    pub protocol_version: String,
    /// Whether the card says it streams its answers.
    pub streaming: bool,
    pub display_name: String,
    pub description: String,
    pub icon_url: String,
    pub skills: Vec<AgentSkill>,
    /// One of [`agent_auth`].
    pub auth_scheme: String,
    /// The header an API key goes in.
    pub auth_header: String,
    /// The API key or bearer token, sealed with the server's key; never shown.
    pub secret: String,
    /// A disabled agent's bot answers that the agent is off.
    pub enabled: bool,
    pub creator_id: String,
    pub create_at: i64,
    pub update_at: i64,
    pub delete_at: i64,
    /// The last failure reaching the agent, for admins; empty after a success.
    pub last_error: String,
}

/// A task an agent left waiting for input in a conversation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AgentTask {
    pub agent_id: String,
    /// The direct channel, or a thread's root post.
    pub context_id: String,
    pub task_id: String,
    /// Whom the agent asked: only their reply continues the task.
    pub user_id: String,
    pub update_at: i64,
}
