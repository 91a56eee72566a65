//! Notifications: who a post mentions (and the unread counts that follow),
//! which of a user's devices get a push for it and with what text, the
//! queue that hands pushes to the push proxy with retries, `clear` pushes
//! when a channel is read elsewhere, and the acknowledgement of id-only
//! pushes.

mod ack;
mod fanout;
pub mod mentions;
pub mod push;
mod queue;
mod recipients;

pub use ack::{AckOutcome, PushAck};
pub use fanout::PostMentions;
pub(crate) use recipients::{ChannelAudience, RecipientCache};

/// A notify-props value; a missing key reads as `""` (the default).
pub(crate) fn prop<'a>(map: &'a std::collections::BTreeMap<String, String>, key: &str) -> &'a str {
    map.get(key).map_or("", String::as_str)
}
