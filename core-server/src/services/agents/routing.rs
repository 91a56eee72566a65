//! Which agents a new post is meant for: the agent whose bot gets a direct
//! message, the agents whose bots it @mentions in a channel they belong to,
//! and the agent whose task waits in the thread for the reply of the person
//! it asked (while its bot still belongs to the channel, and for an hour).

use crate::error::Result;
use crate::model::*;
use crate::services::Core;
use crate::time::now_ms;

/// How long a task waits for its answer before a reply no longer reaches it.
pub const TASK_WAITS_MS: i64 = 60 * 60 * 1000;

/// One message for one agent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Turn {
    pub agent_id: String,
    /// The direct channel, or the thread's root post.
    pub context_id: String,
    /// Where the answer goes: the thread's root, or empty for the channel.
    pub reply_root: String,
}

/// The usernames a message @mentions, lower case.
pub fn mentioned_names(message: &str) -> Vec<String> {
    message
        .split(|c: char| c.is_whitespace() || ",;:!?()[]<>\"'".contains(c))
        .filter_map(|word| word.strip_prefix('@'))
        .map(|name| name.trim_end_matches(['.', '-', '_']).to_lowercase())
        .filter(|name| !name.is_empty())
        .collect()
}

impl Core {
    /// The agents a post is meant for, each with its conversation.
    pub(super) async fn turns_for(
        &self,
        channel: &Channel,
        post: &Post,
        author: &User,
    ) -> Result<Vec<Turn>> {
        let known = self.agent_directory.known(self.store.as_ref()).await?;
        // Agents never answer agents: two of them could talk forever.
        if known.is_empty() || known.iter().any(|a| a.id == author.id) {
            return Ok(Vec::new());
        }
        if channel.channel_type == channel_types::DIRECT {
            let other = channel
                .name
                .split("__")
                .find(|id| *id != author.id)
                .unwrap_or("");
            return Ok(known
                .iter()
                .filter(|a| a.id == other)
                .map(|a| Turn {
                    agent_id: a.id.clone(),
                    context_id: channel.id.clone(),
                    reply_root: post.root_id.clone(),
                })
                .collect());
        }
        let root = if post.root_id.is_empty() {
            post.id.clone()
        } else {
            post.root_id.clone()
        };
        let turn = |agent_id: &str| Turn {
            agent_id: agent_id.to_string(),
            context_id: root.clone(),
            reply_root: root.clone(),
        };
        let names = mentioned_names(&post.message);
        let mut turns: Vec<Turn> = Vec::new();
        for agent in known.iter().filter(|a| names.contains(&a.username)) {
            if self.membership(&channel.id, &agent.id).await?.is_some() {
                turns.push(turn(&agent.id));
            }
        }
        // The reply a waiting task asked for continues it, without a mention.
        if !post.root_id.is_empty() {
            let fresh_since = now_ms() - TASK_WAITS_MS;
            for task in self.store.agent_tasks_in(&post.root_id).await? {
                let waiting_for_this = task.user_id == author.id && task.update_at >= fresh_since;
                if waiting_for_this
                    && !turns.iter().any(|t| t.agent_id == task.agent_id)
                    && known.iter().any(|a| a.id == task.agent_id)
                    && self
                        .membership(&channel.id, &task.agent_id)
                        .await?
                        .is_some()
                {
                    turns.push(turn(&task.agent_id));
                }
            }
        }
        Ok(turns)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mentions_are_read_from_words() {
        assert_eq!(
            mentioned_names("hey @Echo-Agent, and @bob. (@carol) mail@x"),
            vec!["echo-agent", "bob", "carol"]
        );
        assert!(mentioned_names("no mentions here").is_empty());
    }
}
