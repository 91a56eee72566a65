//! What notifications need to know about a channel's members, and the
//! queue of pushes waiting for the push proxy.

use super::{Status, StringMap};

/// A channel member with what deciding their notifications takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChannelRecipient {
    pub user_id: String,
    pub username: String,
    pub first_name: String,
    pub is_bot: bool,
    pub user_notify_props: StringMap,
    pub member_notify_props: StringMap,
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
