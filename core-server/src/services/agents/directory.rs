//! Which bots are agents, kept between posts: every new post asks whether it
//! is meant for an agent, and with no agents that must cost nothing. The list
//! is read again after a few seconds (another node may have registered an
//! agent) and at once after a change on this node.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::error::Result;
use crate::store::Store;

/// How long the list is trusted before it is read again.
const FRESH_FOR: Duration = Duration::from_secs(5);
/// Conversations one agent holds at once on one node.
const CONVERSATIONS_AT_ONCE: usize = 8;

/// An agent's bot, as posts name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownAgent {
    pub id: String,
    pub username: String,
}

/// The agents' bots, read at most every few seconds.
#[derive(Default)]
pub struct Directory {
    read: Mutex<Option<(Instant, Arc<Vec<KnownAgent>>)>>,
    /// Each agent's free places for a conversation.
    places: Mutex<HashMap<String, Arc<tokio::sync::Semaphore>>>,
}

impl Directory {
    /// Makes the next look read the list again.
    pub fn forget(&self) {
        if let Ok(mut read) = self.read.lock() {
            *read = None;
        }
    }

    fn fresh(&self) -> Option<Arc<Vec<KnownAgent>>> {
        let read = self.read.lock().ok()?;
        read.as_ref()
            .filter(|(at, _)| at.elapsed() < FRESH_FOR)
            .map(|(_, known)| known.clone())
    }

    /// The places for conversations with one agent: a user's message takes
    /// one for as long as the agent answers.
    pub fn permits(&self, agent_id: &str) -> Arc<tokio::sync::Semaphore> {
        let mut places = self.places.lock().unwrap_or_else(|e| e.into_inner());
        places
            .entry(agent_id.to_string())
            .or_insert_with(|| Arc::new(tokio::sync::Semaphore::new(CONVERSATIONS_AT_ONCE)))
            .clone()
    }

    /// Whether it is known, without asking the store, that there are no agents.
    pub fn surely_none(&self) -> bool {
        self.fresh().is_some_and(|known| known.is_empty())
    }

    /// The live agents' bots.
    pub async fn known(&self, store: &dyn Store) -> Result<Arc<Vec<KnownAgent>>> {
        if let Some(known) = self.fresh() {
            return Ok(known);
        }
        let agents = store.list_agents().await?;
        let ids: Vec<String> = agents.iter().map(|a| a.id.clone()).collect();
        let users = store.get_users_by_ids(&ids).await?;
        let known = Arc::new(
            users
                .into_iter()
                .filter(|u| u.delete_at == 0)
                .map(|u| KnownAgent {
                    id: u.id,
                    username: u.username,
                })
                .collect::<Vec<_>>(),
        );
        if let Ok(mut read) = self.read.lock() {
            *read = Some((Instant::now(), known.clone()));
        }
        Ok(known)
    }
}
