use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// An incoming webhook: whoever knows its id can post into its channel, as its creator.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct IncomingWebhook {
    pub id: String,
    pub create_at: i64,
    pub update_at: i64,
    pub delete_at: i64,
    /// The creator; posts appear as this user.
    pub user_id: String,
    pub channel_id: String,
    pub team_id: String,
    pub display_name: String,
    pub description: String,
    /// Default name shown on posts instead of the creator's.
    pub username: String,
    /// Default picture shown on posts.
    pub icon_url: String,
    /// Whether a payload may not redirect the post to another channel.
    pub channel_locked: bool,
}

/// An outgoing webhook: posts in a public channel (one channel, or any of a
/// team's when `channel_id` is empty) that match its trigger words are sent
/// to its callback URLs, and their answers are posted as its creator.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct OutgoingWebhook {
    pub id: String,
    /// Sent with every request so the integration can tell the server's
    /// calls from anyone else's; only those who manage the hook see it.
    pub token: String,
    pub create_at: i64,
    pub update_at: i64,
    pub delete_at: i64,
    /// The creator; answers are posted as this user.
    pub creator_id: String,
    /// The one channel it listens to; empty for every public channel of the team.
    pub channel_id: String,
    pub team_id: String,
    /// Words a message must start with (see `trigger_when`); empty only for
    /// a channel-bound hook, which then fires on every post of its channel.
    pub trigger_words: Vec<String>,
    /// [`trigger_when::EXACT_FIRST_WORD`] or [`trigger_when::STARTS_WITH`].
    pub trigger_when: i64,
    pub callback_urls: Vec<String>,
    pub display_name: String,
    pub description: String,
    /// `application/json`, or anything else for a form
    /// (`application/x-www-form-urlencoded`), as Mattermost sends it.
    pub content_type: String,
    /// Default name shown on the answers instead of the creator's.
    pub username: String,
    /// Default picture shown on the answers.
    pub icon_url: String,
}

/// How an outgoing webhook's trigger words match a message's first word.
pub mod trigger_when {
    /// The first word is one of the trigger words.
    pub const EXACT_FIRST_WORD: i64 = 0;
    /// The first word starts with one of the trigger words.
    pub const STARTS_WITH: i64 = 1;
}

impl OutgoingWebhook {
    /// The trigger word a message's first word fires this hook with, if
    /// any (the first matching one, in the hook's order).
    pub fn trigger_word_for(&self, first_word: &str) -> Option<&str> {
        if first_word.is_empty() {
            return None;
        }
        self.trigger_words
            .iter()
            .find(|t| match self.trigger_when {
                trigger_when::STARTS_WITH => first_word.starts_with(t.as_str()),
                _ => first_word == t.as_str(),
            })
            .map(String::as_str)
    }
}
