//! Outgoing webhooks: those who may manage a team's outgoing webhooks
//! (`manage_own_outgoing_webhooks`, and `manage_others_outgoing_webhooks`
//! for other people's) create them for one public channel or the whole
//! team; `fire` sends matching posts to them. All of it is off, as on
//! Mattermost, when `enable_outgoing_webhooks` is false.

mod fire;

use serde::Deserialize;
use utoipa::ToSchema;

use super::{validate, Actor, Core};
use crate::error::{Error, Result};
use crate::id::new_id;
use crate::model::*;
use crate::outbound::Outbound;
use crate::store::OutgoingHookFilter;
use crate::time::now_ms;

/// Why a hook was refused, in words the v4 bridge maps to Mattermost's error ids.
pub mod refusals {
    /// Outgoing webhooks are turned off (`NotImplemented`).
    pub const DISABLED: &str = "outgoing webhooks are disabled";
    /// A hook's channel must be public (`Forbidden`).
    pub const NOT_PUBLIC: &str = "an outgoing webhook listens to public channels only";
    /// A hook's channel must be in its team (`Forbidden`).
    pub const OTHER_TEAM: &str = "the channel is not in the hook's team";
    /// A hook without a channel needs trigger words (`Invalid` `trigger_words`).
    pub const NEEDS_TRIGGERS: &str = "a hook without a channel needs trigger words";
    /// Another hook of the channel already sends one of these words to one
    /// of these URLs (`Invalid` `trigger_words`).
    pub const TAKEN: &str =
        "another hook of this channel sends one of these words to one of these URLs";
    /// A hook needs callback URLs, and not too many (`Invalid` `callback_urls`).
    pub const CALLBACKS: &str = "must be 1 or more URLs of at most 1024 characters in all";
    /// A hook keeps its team (`Invalid` `team_id`).
    pub const TEAM_CHANGED: &str = "a hook stays in its team";
}

/// A new outgoing webhook, or the full replacement of one's settings.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct OutgoingHookInput {
    #[serde(default)]
    pub team_id: String,
    /// Empty for every public channel of the team.
    #[serde(default)]
    pub channel_id: String,
    /// On creation, someone else to create it for (needs
    /// `manage_others_outgoing_webhooks`); empty for the caller.
    #[serde(default)]
    pub creator_id: String,
    #[serde(default)]
    pub trigger_words: Vec<String>,
    /// 0: the first word is a trigger word; 1: it starts with one.
    #[serde(default)]
    pub trigger_when: i64,
    #[serde(default)]
    pub callback_urls: Vec<String>,
    #[serde(default)]
    pub display_name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub content_type: String,
    #[serde(default)]
    pub username: String,
    #[serde(default)]
    pub icon_url: String,
}

/// Which hooks a listing asks for; the caller sees only their own unless
/// they may manage others' there.
#[derive(Debug, Clone, Copy, Default)]
pub struct OutgoingHookScope<'a> {
    pub team_id: Option<&'a str>,
    pub channel_id: Option<&'a str>,
}

/// How long lists of trigger words and callback URLs may be, written out
/// as Mattermost measures them (`[a b c]`).
const MAX_LIST_CHARS: usize = 1024;

/// The length of a list as Mattermost measures it: its words joined by
/// spaces, in brackets.
fn list_chars(items: &[String]) -> usize {
    items.iter().map(|i| i.chars().count()).sum::<usize>() + items.len().saturating_sub(1) + 2
}

/// Checks what Mattermost's `OutgoingWebhook.IsValid` checks of the input.
fn check_input(input: &OutgoingHookInput) -> Result<()> {
    validate::id("team_id", &input.team_id)?;
    if !input.channel_id.is_empty() {
        validate::id("channel_id", &input.channel_id)?;
    }
    if list_chars(&input.trigger_words) > MAX_LIST_CHARS {
        return Err(Error::invalid(
            "trigger_words",
            format!("must be at most {MAX_LIST_CHARS} characters in all"),
        ));
    }
    if input.trigger_words.iter().any(|w| w.trim().is_empty()) {
        return Err(Error::invalid("trigger_words", "must not be empty"));
    }
    if input.trigger_when != trigger_when::EXACT_FIRST_WORD
        && input.trigger_when != trigger_when::STARTS_WITH
    {
        return Err(Error::invalid("trigger_when", "must be 0 or 1"));
    }
    if input.callback_urls.is_empty() || list_chars(&input.callback_urls) > MAX_LIST_CHARS {
        return Err(Error::invalid("callback_urls", refusals::CALLBACKS));
    }
    for url in &input.callback_urls {
        Outbound::check_url(url).map_err(|e| Error::invalid("callback_urls", e.to_string()))?;
    }
    validate::length("display_name", &input.display_name, 0, 64)?;
    validate::length("description", &input.description, 0, 500)?;
    validate::length("content_type", &input.content_type, 0, 128)?;
    validate::length("username", &input.username, 0, 64)?;
    validate::length("icon_url", &input.icon_url, 0, 1024)?;
    Ok(())
}

/// Whether two lists share an item.
fn overlap(a: &[String], b: &[String]) -> bool {
    a.iter().any(|x| b.contains(x))
}

impl Core {
    /// Refuses every outgoing webhook call while they are turned off.
    fn outgoing_webhooks_enabled(&self) -> Result<()> {
        if self.config().enable_outgoing_webhooks {
            Ok(())
        } else {
            Err(Error::NotImplemented(refusals::DISABLED.into()))
        }
    }

    /// Requires the right to manage `hook`: its team's
    /// `manage_own_outgoing_webhooks`, and for someone else's hook also
    /// `manage_others_outgoing_webhooks`.
    async fn require_hook_manager(&self, actor: &Actor, hook: &OutgoingWebhook) -> Result<()> {
        self.require_team_permission(actor, &hook.team_id, Permission::ManageOwnOutgoingWebhooks)
            .await?;
        if hook.creator_id != actor.id() {
            self.require_team_permission(
                actor,
                &hook.team_id,
                Permission::ManageOthersOutgoingWebhooks,
            )
            .await?;
        }
        Ok(())
    }

    /// Checks a hook's channel and triggers: a public channel of `team_id`,
    /// or no channel and some trigger words; and that no other hook of the
    /// same channel sends one of its words to one of its URLs.
    async fn check_hook_target(
        &self,
        team_id: &str,
        input: &OutgoingHookInput,
        hook_id: Option<&str>,
    ) -> Result<()> {
        if input.channel_id.is_empty() {
            if input.trigger_words.is_empty() {
                return Err(Error::invalid("trigger_words", refusals::NEEDS_TRIGGERS));
            }
        } else {
            let channel = self.store.get_channel(&input.channel_id).await?;
            if channel.channel_type != channel_types::OPEN {
                return Err(Error::forbidden(refusals::NOT_PUBLIC));
            }
            if channel.team_id != team_id {
                return Err(Error::forbidden(refusals::OTHER_TEAM));
            }
        }
        let filter = OutgoingHookFilter {
            team_id: Some(team_id),
            channel_id: Some(&input.channel_id),
            creator_id: None,
        };
        let same_channel = self
            .store
            .list_outgoing_webhooks(filter, 0, i64::MAX)
            .await?;
        let taken = same_channel.iter().any(|other| {
            Some(other.id.as_str()) != hook_id
                && overlap(&other.callback_urls, &input.callback_urls)
                && overlap(&other.trigger_words, &input.trigger_words)
        });
        if taken {
            return Err(Error::invalid("trigger_words", refusals::TAKEN));
        }
        Ok(())
    }

    /// Creates an outgoing webhook in `input.team_id`.
    pub async fn create_outgoing_webhook(
        &self,
        actor: &Actor,
        input: OutgoingHookInput,
    ) -> Result<OutgoingWebhook> {
        self.outgoing_webhooks_enabled()?;
        validate::id("team_id", &input.team_id)?;
        self.require_team_permission(actor, &input.team_id, Permission::ManageOwnOutgoingWebhooks)
            .await?;
        let creator_id = if input.creator_id.is_empty() || input.creator_id == actor.id() {
            actor.id().to_string()
        } else {
            self.require_team_permission(
                actor,
                &input.team_id,
                Permission::ManageOthersOutgoingWebhooks,
            )
            .await?;
            validate::id("creator_id", &input.creator_id)?;
            self.store.get_user(&input.creator_id).await?.id
        };
        check_input(&input)?;
        self.check_hook_target(&input.team_id, &input, None).await?;
        let now = now_ms();
        let hook = OutgoingWebhook {
            id: new_id(),
            token: new_id(),
            create_at: now,
            update_at: now,
            delete_at: 0,
            creator_id,
            channel_id: input.channel_id,
            team_id: input.team_id,
            trigger_words: input.trigger_words,
            trigger_when: input.trigger_when,
            callback_urls: input.callback_urls,
            display_name: input.display_name,
            description: input.description,
            content_type: input.content_type,
            username: input.username,
            icon_url: input.icon_url,
        };
        self.store.create_outgoing_webhook(&hook).await?;
        Ok(hook)
    }

    /// A live hook the actor may manage.
    pub async fn get_outgoing_webhook(
        &self,
        actor: &Actor,
        hook_id: &str,
    ) -> Result<OutgoingWebhook> {
        self.outgoing_webhooks_enabled()?;
        validate::id("hook_id", hook_id)?;
        let hook = self.store.get_outgoing_webhook(hook_id).await?;
        self.require_hook_manager(actor, &hook).await?;
        Ok(hook)
    }

    /// The hooks of a channel, of a team, or of every team (by system-wide
    /// permission): all of them for those who may manage others' hooks
    /// there, else the caller's own.
    pub async fn list_outgoing_webhooks(
        &self,
        actor: &Actor,
        scope: OutgoingHookScope<'_>,
        offset: i64,
        limit: i64,
    ) -> Result<Vec<OutgoingWebhook>> {
        self.outgoing_webhooks_enabled()?;
        let (may_own, may_others) = if let Some(channel_id) = scope.channel_id {
            validate::id("channel_id", channel_id)?;
            let (channel, member) = match self
                .store
                .get_channel_with_member(channel_id, actor.id())
                .await
            {
                Ok(found) => found,
                Err(Error::NotFound { .. }) => {
                    return Err(Error::forbidden(
                        "you may not manage this channel's webhooks",
                    ))
                }
                Err(e) => return Err(e),
            };
            let member = member.as_ref();
            (
                self.has_channel_permission(
                    actor,
                    &channel,
                    member,
                    Permission::ManageOwnOutgoingWebhooks,
                )
                .await?,
                self.has_channel_permission(
                    actor,
                    &channel,
                    member,
                    Permission::ManageOthersOutgoingWebhooks,
                )
                .await?,
            )
        } else if let Some(team_id) = scope.team_id {
            validate::id("team_id", team_id)?;
            (
                self.has_team_permission(actor, team_id, Permission::ManageOwnOutgoingWebhooks)
                    .await?,
                self.has_team_permission(actor, team_id, Permission::ManageOthersOutgoingWebhooks)
                    .await?,
            )
        } else {
            // Without a team, only system-wide roles count.
            (
                self.has_team_permission(actor, "", Permission::ManageOwnOutgoingWebhooks)
                    .await?,
                self.has_team_permission(actor, "", Permission::ManageOthersOutgoingWebhooks)
                    .await?,
            )
        };
        if !may_own {
            return Err(Error::forbidden(format!(
                "you do not have the {} permission here",
                Permission::ManageOwnOutgoingWebhooks.id()
            )));
        }
        let filter = OutgoingHookFilter {
            team_id: scope.channel_id.map_or(scope.team_id, |_| None),
            channel_id: scope.channel_id,
            creator_id: (!may_others).then(|| actor.id()),
        };
        self.store
            .list_outgoing_webhooks(filter, offset, limit)
            .await
    }

    /// Replaces a hook's settings; its team, creator and token stay.
    pub async fn update_outgoing_webhook(
        &self,
        actor: &Actor,
        hook_id: &str,
        mut input: OutgoingHookInput,
    ) -> Result<OutgoingWebhook> {
        self.outgoing_webhooks_enabled()?;
        let old = self.get_outgoing_webhook(actor, hook_id).await?;
        if input.team_id.is_empty() {
            input.team_id = old.team_id.clone();
        }
        if input.team_id != old.team_id {
            return Err(Error::invalid("team_id", refusals::TEAM_CHANGED));
        }
        check_input(&input)?;
        self.check_hook_target(&old.team_id, &input, Some(&old.id))
            .await?;
        let hook = OutgoingWebhook {
            update_at: now_ms(),
            channel_id: input.channel_id,
            trigger_words: input.trigger_words,
            trigger_when: input.trigger_when,
            callback_urls: input.callback_urls,
            display_name: input.display_name,
            description: input.description,
            content_type: input.content_type,
            username: input.username,
            icon_url: input.icon_url,
            ..old
        };
        self.store.update_outgoing_webhook(&hook).await?;
        Ok(hook)
    }

    /// Gives a hook a new token; the old one is no longer sent.
    pub async fn regenerate_outgoing_webhook_token(
        &self,
        actor: &Actor,
        hook_id: &str,
    ) -> Result<OutgoingWebhook> {
        let hook = self.get_outgoing_webhook(actor, hook_id).await?;
        let hook = OutgoingWebhook {
            token: new_id(),
            update_at: now_ms(),
            ..hook
        };
        self.store.update_outgoing_webhook(&hook).await?;
        Ok(hook)
    }

    /// Deletes a hook: it fires no more.
    pub async fn delete_outgoing_webhook(&self, actor: &Actor, hook_id: &str) -> Result<()> {
        let hook = self.get_outgoing_webhook(actor, hook_id).await?;
        let now = now_ms();
        let hook = OutgoingWebhook {
            delete_at: now,
            update_at: now,
            ..hook
        };
        self.store.update_outgoing_webhook(&hook).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> OutgoingHookInput {
        OutgoingHookInput {
            team_id: new_id(),
            trigger_words: vec!["deploy".into()],
            callback_urls: vec!["https://ci.example.com/hook".into()],
            ..OutgoingHookInput::default()
        }
    }

    fn refused_field(input: OutgoingHookInput) -> String {
        match check_input(&input) {
            Err(Error::Invalid { field, .. }) => field,
            other => panic!("expected a refusal, got {other:?}"),
        }
    }

    #[test]
    fn lists_are_measured_as_mattermost_writes_them() {
        assert_eq!(list_chars(&[]), 2);
        assert_eq!(list_chars(&["ab".into(), "c".into()]), 6, "[ab c]");
    }

    #[test]
    fn input_is_checked_as_mattermost_checks_a_hook() {
        assert!(check_input(&input()).is_ok());
        let long_words = vec!["w".repeat(100); 11];
        for (bad, field) in [
            (
                OutgoingHookInput {
                    trigger_words: vec!["ok".into(), " ".into()],
                    ..input()
                },
                "trigger_words",
            ),
            (
                OutgoingHookInput {
                    trigger_words: long_words,
                    ..input()
                },
                "trigger_words",
            ),
            (
                OutgoingHookInput {
                    trigger_when: 2,
                    ..input()
                },
                "trigger_when",
            ),
            (
                OutgoingHookInput {
                    callback_urls: Vec::new(),
                    ..input()
                },
                "callback_urls",
            ),
            (
                OutgoingHookInput {
                    callback_urls: vec!["ftp://ci.example.com/".into()],
                    ..input()
                },
                "callback_urls",
            ),
            (
                OutgoingHookInput {
                    display_name: "d".repeat(65),
                    ..input()
                },
                "display_name",
            ),
            (
                OutgoingHookInput {
                    channel_id: "not-an-id".into(),
                    ..input()
                },
                "channel_id",
            ),
            (
                OutgoingHookInput {
                    team_id: String::new(),
                    ..input()
                },
                "team_id",
            ),
        ] {
            assert_eq!(refused_field(bad), field);
        }
    }

    #[test]
    fn overlapping_lists_share_an_item() {
        let a = vec!["x".to_string(), "y".to_string()];
        assert!(overlap(&a, &["y".to_string()]));
        assert!(!overlap(&a, &["z".to_string()]));
        assert!(!overlap(&a, &[]));
    }
}
