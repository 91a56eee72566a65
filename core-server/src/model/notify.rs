//! What notifications need to know about a channel's members, and the
//! queue of pushes waiting for the push proxy.

use super::{Status, StringMap};

/// A channel member with the settings that decide their notifications:
/// what changes only with the membership, the member's settings or the
/// user's account (and so moves the channel's recipients version).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChannelRecipient {
    pub user_id: String,
    pub username: String,
    pub first_name: String,
    pub is_bot: bool,
    /// Shared: most members' settings are the same few maps.
    pub user_notify_props: std::sync::Arc<StringMap>,
    pub member_notify_props: std::sync::Arc<StringMap>,
}

/// Where a channel member is right now: read when a push or an e-mail is
/// decided, apart from the settings, as it changes all the time.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RecipientPresence {
    pub user_id: String,
    /// When they last read the channel, ms.
    pub last_viewed_at: i64,
    pub status: Option<Status>,
}

/// One push for one device, waiting for (or between attempts at) delivery.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PushJob {
    pub id: String,
    pub user_id: String,
    pub session_id: String,
    /// The notification as JSON.
    pub payload: String,
    pub attempts: i64,
    pub next_attempt_at: i64,
    pub create_at: i64,
}

/// A mailed single-use token, by the hash of its secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmailToken {
    pub token_hash: String,
    /// `password_recovery`, `verify_email` or `team_invitation`.
    pub kind: String,
    /// The account the token acts on; for an invitation, who sent it.
    pub user_id: String,
    pub email: String,
    pub create_at: i64,
    /// The team an invitation is to; empty for other kinds.
    pub team_id: String,
    /// The channels an invitation adds the invitee to, besides the team's
    /// default ones.
    pub channel_ids: Vec<String>,
}

/// A mention waiting for a user's next e-mail digest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DigestEntry {
    pub user_id: String,
    pub post_id: String,
    pub channel_id: String,
    pub create_at: i64,
}
