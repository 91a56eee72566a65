//! A2A agents as bots: system admins register an agent by its agent card
//! URL; the server reads the card, makes a bot account from it and from
//! then on hands the bot's direct messages and @mentions to the agent
//! (`converse`), posting its answers as the bot. The agent runs elsewhere:
//! every call goes through the guarded outbound client.

pub mod card;
mod converse;
mod directory;
mod render;
mod reply;
mod routing;
pub mod wire;

pub use directory::Directory;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{validate, Actor, Core, NewBot};
use crate::error::{Error, Result};
use crate::model::*;
use crate::outbound::{Call, Outbound};
use crate::seal::Sealer;
use crate::time::now_ms;
use card::CardInfo;

/// Where the key sealing agents' credentials lives among the server-wide values.
const SEALING_KEY_NAME: &str = "agent_secret_key";
/// Largest agent icon taken for the bot's picture.
const MAX_ICON_BYTES: usize = 1024 * 1024;

/// A new agent.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct NewAgent {
    /// The agent card's address (`…/.well-known/agent-card.json`).
    pub card_url: String,
    /// The bot's username; made from the agent's name when absent.
    #[serde(default)]
    pub username: Option<String>,
    /// The API key or bearer token the card asks for; stored sealed, never shown.
    #[serde(default)]
    pub secret: Option<String>,
}

/// Changes to an agent; absent fields stay as they are.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AgentPatch {
    /// A new API key or bearer token; empty removes it.
    pub secret: Option<String>,
    pub enabled: Option<bool>,
    /// Read the agent card again (name, skills, endpoint, authentication).
    #[serde(default)]
    pub refresh: bool,
}

/// How an agent's calls are authenticated, for admins.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct AgentAuthView {
    /// `none`, `api_key` or `bearer`.
    pub scheme: String,
    /// The header an API key goes in.
    pub header: String,
    /// Whether a key or token is stored (it is never shown).
    pub has_secret: bool,
}

/// An agent as the API shows it. Members see what the agent is and can do;
/// where it lives and how it is reached are for admins.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct AgentView {
    /// The bot's user id.
    pub id: String,
    pub user_id: String,
    pub username: String,
    pub display_name: String,
    pub description: String,
    pub icon_url: String,
    /// Empty for non-admins.
    pub card_url: String,
    /// Empty for non-admins.
    pub endpoint_url: String,
    /// `1.0` or `0.3`.
    pub protocol_version: String,
    pub streaming: bool,
    pub skills: Vec<AgentSkill>,
    /// Null for non-admins.
    #[schema(required = true)]
    pub auth: Option<AgentAuthView>,
    pub enabled: bool,
    pub creator_id: String,
    pub create_at: i64,
    pub update_at: i64,
    /// The last failure reaching the agent (admins only; empty when the last call worked).
    pub last_error: String,
}

fn view(agent: Agent, username: String, admin: bool) -> AgentView {
    AgentView {
        user_id: agent.id.clone(),
        id: agent.id,
        username,
        display_name: agent.display_name,
        description: agent.description,
        icon_url: agent.icon_url,
        card_url: if admin { agent.card_url } else { String::new() },
        endpoint_url: if admin {
            agent.endpoint_url
        } else {
            String::new()
        },
        protocol_version: agent.protocol_version,
        streaming: agent.streaming,
        skills: agent.skills,
        auth: admin.then_some(AgentAuthView {
            scheme: agent.auth_scheme,
            header: agent.auth_header,
            has_secret: !agent.secret.is_empty(),
        }),
        enabled: agent.enabled,
        creator_id: agent.creator_id,
        create_at: agent.create_at,
        update_at: agent.update_at,
        last_error: if admin {
            agent.last_error
        } else {
            String::new()
        },
    }
}

/// A username made from an agent's name: lower case, letters, digits and
/// `.-_` only, at most 22 characters.
fn username_from(name: &str) -> String {
    let mut out = String::new();
    for c in name.trim().to_lowercase().chars() {
        if c.is_ascii_lowercase() || c.is_ascii_digit() || ".-_".contains(c) {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let out: String = out.trim_matches('-').chars().take(22).collect();
    let out = out.trim_matches('-').to_string();
    if out.is_empty() {
        "agent".into()
    } else {
        out
    }
}

fn require_admin(actor: &Actor) -> Result<()> {
    if actor.is_admin() {
        Ok(())
    } else {
        Err(Error::forbidden("only a system admin can manage agents"))
    }
}

fn clip(text: &str, max: usize) -> String {
    text.chars().take(max).collect()
}

impl Core {
    async fn agent_sealer(&self) -> Result<&Sealer> {
        self.agent_sealer
            .get_or_try_init(|| async {
                let fresh = Sealer::fresh_key()?;
                let stored = self
                    .store
                    .init_system_value(SEALING_KEY_NAME, &fresh)
                    .await?;
                let key = hex::decode(stored)
                    .map_err(|e| Error::Internal(format!("stored agent key: {e}")))?;
                Sealer::new(&key)
            })
            .await
    }

    /// The stored secret, opened; empty when there is none.
    pub(crate) async fn agent_secret(&self, agent: &Agent) -> Result<String> {
        if agent.secret.is_empty() {
            return Ok(String::new());
        }
        let plain = self
            .agent_sealer()
            .await?
            .open(&agent.secret)
            .ok_or_else(|| Error::Internal("an agent's secret does not open".into()))?;
        String::from_utf8(plain)
            .map_err(|_| Error::Internal("an agent's secret is not text".into()))
    }

    async fn seal_agent_secret(&self, secret: &str) -> Result<String> {
        if secret.is_empty() {
            return Ok(String::new());
        }
        self.agent_sealer().await?.seal(secret.as_bytes())
    }

    /// Reads and checks an agent card; every failure is the `card_url`'s.
    async fn read_agent_card(&self, card_url: &str) -> Result<CardInfo> {
        let bad = |reason: String| Error::invalid("card_url", reason);
        Outbound::check_url(card_url).map_err(|e| bad(e.to_string()))?;
        let reply = self
            .outbound
            .send(Call::get(card_url.trim(), Vec::new()).header("Accept", "application/json"))
            .await
            .and_then(|r| r.success())
            .map_err(|e| bad(format!("the agent card could not be read: {e}")))?;
        let card: serde_json::Value = reply
            .json()
            .map_err(|e| bad(format!("the agent card is not JSON: {e}")))?;
        card::parse(&card).map_err(|e| bad(e.0))
    }

    /// The agent's picture for its bot, when its card names one; a picture
    /// that cannot be had leaves the default one.
    async fn take_agent_icon(&self, bot_id: &str, icon_url: &str) {
        if icon_url.is_empty() {
            return;
        }
        let image = match self.outbound.send(Call::get(icon_url, Vec::new())).await {
            Ok(reply) if reply.is_success() && reply.body.len() <= MAX_ICON_BYTES => reply.body,
            Ok(_) | Err(_) => {
                tracing::info!(bot_id, "the agent's icon could not be fetched");
                return;
            }
        };
        let Ok(bot) = self.store.get_user(bot_id).await else {
            return;
        };
        if let Err(e) = self
            .set_picture(&Actor::on_behalf_of(bot), bot_id, &image)
            .await
        {
            tracing::info!(bot_id, error = %e, "the agent's icon is not a usable picture");
        }
    }

    /// Fetches the agent's icon after the answer: a slow icon host must not
    /// hold up registering.
    fn take_agent_icon_later(&self, agent: &Agent) {
        let (core, id, url) = (self.clone(), agent.id.clone(), agent.icon_url.clone());
        tokio::spawn(async move { core.take_agent_icon(&id, &url).await });
    }

    /// A free username: `base`, or `base-2`, `base-3`, …
    async fn free_username(&self, base: &str) -> Result<String> {
        for n in 1..100 {
            let name = if n == 1 {
                base.to_string()
            } else {
                format!("{base}-{n}")
            };
            match self.store.get_user_by_username(&name).await {
                Err(Error::NotFound { .. }) => return Ok(name),
                Ok(_) => continue,
                Err(e) => return Err(e),
            }
        }
        Err(Error::invalid(
            "username",
            "no free username near the agent's name",
        ))
    }

    fn check_secret_for(info_scheme: &str, secret: &str) -> Result<()> {
        if info_scheme != agent_auth::NONE && secret.is_empty() {
            let what = if info_scheme == agent_auth::API_KEY {
                "an API key"
            } else {
                "a bearer token"
            };
            return Err(Error::invalid(
                "secret",
                format!("the agent card asks for {what}"),
            ));
        }
        validate::length("secret", secret, 0, 4096)?;
        // It goes into a header: visible ASCII only.
        if !secret.chars().all(|c| c.is_ascii_graphic()) {
            return Err(Error::invalid(
                "secret",
                "may hold only visible ASCII characters, without spaces",
            ));
        }
        Ok(())
    }

    /// The agent row of a new bot, with its secret sealed.
    async fn store_new_agent(
        &self,
        actor: &Actor,
        bot: &Bot,
        card_url: &str,
        info: CardInfo,
        secret: &str,
    ) -> Result<Agent> {
        let now = now_ms();
        let agent = Agent {
            id: bot.user_id.clone(),
            card_url: card_url.to_string(),
            endpoint_url: info.endpoint_url,
            protocol_version: info.protocol_version.to_string(),
            streaming: info.streaming,
            display_name: clip(&info.name, 64),
            description: clip(&info.description, 1024),
            icon_url: info.icon_url,
            skills: info.skills,
            auth_scheme: info.auth_scheme.to_string(),
            auth_header: info.auth_header,
            secret: self.seal_agent_secret(secret).await?,
            enabled: true,
            creator_id: actor.id().to_string(),
            create_at: now,
            update_at: now,
            delete_at: 0,
            last_error: String::new(),
        };
        self.store.create_agent(&agent).await?;
        Ok(agent)
    }

    /// Registers an agent by its card (system admins): its bot is made and
    /// answered for from then on.
    pub async fn register_agent(&self, actor: &Actor, input: NewAgent) -> Result<AgentView> {
        require_admin(actor)?;
        let info = self.read_agent_card(&input.card_url).await?;
        let secret = input.secret.unwrap_or_default().trim().to_string();
        Self::check_secret_for(info.auth_scheme, &secret)?;
        let username = match input.username.map(|u| u.trim().to_lowercase()) {
            Some(name) if !name.is_empty() => name,
            _ => self.free_username(&username_from(&info.name)).await?,
        };
        let bot = self
            .insert_bot(
                actor.id(),
                NewBot {
                    username,
                    display_name: clip(&info.name, 64),
                    description: clip(&info.description, 1024),
                },
            )
            .await?;
        let made = self
            .store_new_agent(actor, &bot, input.card_url.trim(), info, &secret)
            .await;
        let agent = match made {
            Ok(agent) => agent,
            Err(e) => {
                // A bot without its agent would answer nobody: it goes too.
                if let Err(undo) = self.set_bot_active(actor, &bot.user_id, false).await {
                    tracing::warn!(error = %undo, bot_id = %bot.user_id, "an agent's bot was left behind");
                }
                return Err(e);
            }
        };
        self.agent_directory.forget();
        self.take_agent_icon_later(&agent);
        tracing::info!(agent_id = %agent.id, version = %agent.protocol_version, "agent registered");
        Ok(view(agent, bot.username, true))
    }

    async fn agent_view(&self, agent: Agent, admin: bool) -> Result<AgentView> {
        let username = self.store.get_user(&agent.id).await?.username;
        Ok(view(agent, username, admin))
    }

    /// Every agent, for any signed-in user (admins see how each is reached).
    pub async fn list_agents(&self, actor: &Actor) -> Result<Vec<AgentView>> {
        let agents = self.store.list_agents().await?;
        let ids: Vec<String> = agents.iter().map(|a| a.id.clone()).collect();
        let users = self.store.get_users_by_ids(&ids).await?;
        Ok(agents
            .into_iter()
            .filter_map(|agent| {
                let username = users.iter().find(|u| u.id == agent.id)?.username.clone();
                Some(view(agent, username, actor.is_admin()))
            })
            .collect())
    }

    /// One agent, for any signed-in user.
    pub async fn get_agent(&self, actor: &Actor, agent_id: &str) -> Result<AgentView> {
        validate::id("agent_id", agent_id)?;
        let agent = self.store.get_agent(agent_id).await?;
        self.agent_view(agent, actor.is_admin()).await
    }

    /// Changes an agent's secret or state, or reads its card again (system admins).
    pub async fn patch_agent(
        &self,
        actor: &Actor,
        agent_id: &str,
        patch: AgentPatch,
    ) -> Result<AgentView> {
        require_admin(actor)?;
        validate::id("agent_id", agent_id)?;
        let mut agent = self.store.get_agent(agent_id).await?;
        if patch.refresh {
            let info = self.read_agent_card(&agent.card_url).await?;
            // A card that now sends the key elsewhere must not take it along.
            let reached = |endpoint: &str, scheme: &str, header: &str| {
                let origin = url::Url::parse(endpoint).map(|u| u.origin().ascii_serialization());
                (origin.ok(), scheme.to_string(), header.to_ascii_lowercase())
            };
            let before = reached(&agent.endpoint_url, &agent.auth_scheme, &agent.auth_header);
            let after = reached(&info.endpoint_url, info.auth_scheme, &info.auth_header);
            if before != after && !agent.secret.is_empty() && patch.secret.is_none() {
                return Err(Error::invalid(
                    "secret",
                    "the agent card now names another endpoint or authentication: send the secret again with the refresh",
                ));
            }
            agent.endpoint_url = info.endpoint_url;
            agent.protocol_version = info.protocol_version.to_string();
            agent.streaming = info.streaming;
            agent.display_name = clip(&info.name, 64);
            agent.description = clip(&info.description, 1024);
            agent.icon_url = info.icon_url;
            agent.skills = info.skills;
            agent.auth_scheme = info.auth_scheme.to_string();
            agent.auth_header = info.auth_header;
            let mut bot = self.store.get_bot(agent_id).await?;
            bot.display_name = agent.display_name.clone();
            bot.description = agent.description.clone();
            bot.update_at = now_ms();
            self.store.update_bot(&bot).await?;
            self.take_agent_icon_later(&agent);
        }
        if let Some(secret) = patch.secret {
            let secret = secret.trim().to_string();
            Self::check_secret_for(agent_auth::NONE, &secret)?;
            agent.secret = self.seal_agent_secret(&secret).await?;
        }
        if agent.auth_scheme != agent_auth::NONE && agent.secret.is_empty() {
            Self::check_secret_for(&agent.auth_scheme, "")?;
        }
        if let Some(enabled) = patch.enabled {
            agent.enabled = enabled;
        }
        agent.update_at = now_ms();
        self.store.update_agent(&agent).await?;
        self.agent_directory.forget();
        self.agent_view(agent, true).await
    }

    /// Removes an agent and deactivates its bot (system admins).
    pub async fn remove_agent(&self, actor: &Actor, agent_id: &str) -> Result<()> {
        require_admin(actor)?;
        validate::id("agent_id", agent_id)?;
        let mut agent = self.store.get_agent(agent_id).await?;
        let now = now_ms();
        agent.delete_at = now;
        agent.update_at = now;
        self.store.update_agent(&agent).await?;
        self.agent_directory.forget();
        self.set_bot_active(actor, agent_id, false).await?;
        tracing::info!(agent_id, "agent removed");
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_are_made_from_names() {
        assert_eq!(username_from("Echo Agent"), "echo-agent");
        assert_eq!(username_from("  Ünïcode  Bot!! "), "n-code-bot");
        assert_eq!(username_from("!!!"), "agent");
        assert_eq!(username_from(&"a".repeat(40)).len(), 22);
        assert!(validate::username(&username_from("Weather / Forecast v2.1")).is_ok());
    }
}
