//! Each channel's notification recipients, kept in memory between posts.
//!
//! Reading and decoding every member's settings (and building their
//! mention keywords) per post costs more than the rest of the post as
//! channels grow; the members and their settings change rarely. The
//! database keeps a counter per channel that its triggers move on every
//! change that matters (see `channel_recipient_versions`), so a post reads
//! only that counter and rebuilds the channel's entry when it moved: the
//! same on every node, whichever node made the change.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use super::mentions::Keywords;
use crate::error::Result;
use crate::model::{ChannelRecipient, StringMap};
use crate::services::Core;

/// Members kept across all cached channels (a few hundred bytes each, as
/// equal settings are shared); past it the channels used longest ago are
/// dropped (and read again when they next get a post).
const CACHED_MEMBERS: usize = 200_000;

/// A channel's members with their settings, and what is built from them.
pub(crate) struct ChannelAudience {
    pub recipients: Vec<ChannelRecipient>,
    pub keywords: Keywords,
    by_id: HashMap<String, usize>,
}

impl ChannelAudience {
    fn new(mut recipients: Vec<ChannelRecipient>) -> Self {
        share_equal_settings(&mut recipients);
        let keywords = Keywords::new(&recipients);
        let by_id = recipients
            .iter()
            .enumerate()
            .map(|(i, r)| (r.user_id.clone(), i))
            .collect();
        ChannelAudience {
            recipients,
            keywords,
            by_id,
        }
    }

    pub fn get(&self, user_id: &str) -> Option<&ChannelRecipient> {
        self.by_id.get(user_id).map(|&i| &self.recipients[i])
    }
}

/// Points members with equal settings at one copy of them.
fn share_equal_settings(recipients: &mut [ChannelRecipient]) {
    let mut seen: HashSet<Arc<StringMap>> = HashSet::new();
    let mut share = |props: &mut Arc<StringMap>| match seen.get(props) {
        Some(first) => *props = first.clone(),
        None => {
            seen.insert(props.clone());
        }
    };
    for r in recipients {
        share(&mut r.user_notify_props);
        share(&mut r.member_notify_props);
    }
}

struct Entry {
    version: i64,
    audience: Arc<ChannelAudience>,
    last_used: u64,
}

/// The cache itself: channel id → its audience at a recipients version.
#[derive(Default)]
pub(crate) struct RecipientCache {
    entries: Mutex<HashMap<String, Entry>>,
    clock: AtomicU64,
}

impl RecipientCache {
    fn get(&self, channel_id: &str, version: i64) -> Option<Arc<ChannelAudience>> {
        let now = self.clock.fetch_add(1, Ordering::Relaxed);
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        let entry = entries.get_mut(channel_id)?;
        if entry.version != version {
            return None;
        }
        entry.last_used = now;
        Some(entry.audience.clone())
    }

    fn put(&self, channel_id: &str, version: i64, audience: Arc<ChannelAudience>) {
        let now = self.clock.fetch_add(1, Ordering::Relaxed);
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        // Two posts may have read the channel at once; keep the newer read.
        if entries
            .get(channel_id)
            .is_some_and(|old| old.version > version)
        {
            return;
        }
        entries.insert(
            channel_id.to_string(),
            Entry {
                version,
                audience,
                last_used: now,
            },
        );
        let mut total: usize = entries.values().map(|e| e.audience.recipients.len()).sum();
        while total > CACHED_MEMBERS && entries.len() > 1 {
            let Some(oldest) = entries
                .iter()
                .filter(|(id, _)| id.as_str() != channel_id)
                .min_by_key(|(_, e)| e.last_used)
                .map(|(id, _)| id.clone())
            else {
                break;
            };
            if let Some(gone) = entries.remove(&oldest) {
                total -= gone.audience.recipients.len();
            }
        }
    }

    #[cfg(test)]
    fn cached(&self) -> Vec<String> {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        let mut ids: Vec<String> = entries.keys().cloned().collect();
        ids.sort();
        ids
    }
}

impl Core {
    /// A channel's members (active accounts) with their notify settings
    /// and mention keywords, as of now.
    pub(crate) async fn channel_audience(&self, channel_id: &str) -> Result<Arc<ChannelAudience>> {
        // The counter first: a change between the two reads then makes the
        // entry look older than it is (read again next time), never newer.
        let version = self.store.channel_recipients_version(channel_id).await?;
        if let Some(audience) = self.recipients.get(channel_id, version) {
            return Ok(audience);
        }
        let recipients = self.store.list_channel_recipients(channel_id).await?;
        let audience = Arc::new(ChannelAudience::new(recipients));
        self.recipients.put(channel_id, version, audience.clone());
        Ok(audience)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn audience(members: usize) -> Arc<ChannelAudience> {
        let recipients = (0..members)
            .map(|i| ChannelRecipient {
                user_id: format!("u{i}"),
                username: format!("user{i}"),
                first_name: String::new(),
                is_bot: false,
                user_notify_props: Default::default(),
                member_notify_props: Default::default(),
            })
            .collect();
        Arc::new(ChannelAudience::new(recipients))
    }

    #[test]
    fn an_entry_serves_only_its_version() {
        let cache = RecipientCache::default();
        cache.put("c", 3, audience(2));
        assert!(cache.get("c", 3).is_some());
        assert!(
            cache.get("c", 4).is_none(),
            "a moved counter means a new read"
        );
        assert!(cache.get("other", 3).is_none());
        cache.put("c", 2, audience(1));
        assert_eq!(
            cache.get("c", 3).map(|a| a.recipients.len()),
            Some(2),
            "an older read does not replace a newer one"
        );
    }

    #[test]
    fn the_channels_used_longest_ago_leave_first() {
        let cache = RecipientCache::default();
        let half = CACHED_MEMBERS / 2;
        cache.put("a", 1, audience(half));
        cache.put("b", 1, audience(half));
        assert!(cache.get("a", 1).is_some());
        cache.put("c", 1, audience(10));
        assert_eq!(cache.cached(), vec!["a", "c"], "b was used longest ago");
    }

    #[test]
    fn members_are_found_by_id_and_share_equal_settings() {
        let a = audience(3);
        assert_eq!(a.get("u1").map(|r| r.username.as_str()), Some("user1"));
        assert!(a.get("nobody").is_none());
        assert!(Arc::ptr_eq(
            &a.recipients[0].user_notify_props,
            &a.recipients[2].user_notify_props
        ));
    }
}
