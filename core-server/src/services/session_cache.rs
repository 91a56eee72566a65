//! Sessions resolved in the last few seconds, so that the burst of requests
//! a client sends at once (a first screen, a channel switch: up to a dozen)
//! reads its session and user from the database once instead of once each.
//!
//! Staying exact matters more than the hit rate:
//! - every event that ends a session or changes what a user may do (session
//!   revoked, user updated, activated or deactivated, roles changed) drops
//!   the user's entries as it is published here and as it arrives from the
//!   other nodes of a cluster (`EventBus` calls [`SessionCache::observe`]);
//! - this node's own session deletions drop them at once (`forget_user`);
//! - an entry lives [`LIFETIME`] at most, which bounds what a change made
//!   outside any server (the command line on the database) can miss;
//! - a lookup that started before an invalidation does not store what it
//!   read ([`SessionCache::generation`]), so a revoked session cannot come
//!   back through a read that raced with its revocation.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::events::{CoreEvent, EventKind, EventObserver};
use crate::model::{Session, User};

/// How long an entry is trusted without the database.
pub const LIFETIME: Duration = Duration::from_secs(2);

/// Entries kept at most; past it the expired ones are swept, and if none
/// are, nothing more is added until they are.
const CAPACITY: usize = 100_000;

struct Entry {
    session: Session,
    user: User,
    at: Instant,
}

/// Token hash → the session and user read for it a moment ago.
#[derive(Default)]
pub struct SessionCache {
    entries: Mutex<HashMap<String, Entry>>,
    /// Moves on every invalidation.
    generation: AtomicU64,
}

impl SessionCache {
    /// The session and user of `token_hash`, if read less than [`LIFETIME`] ago.
    pub(crate) fn get(&self, token_hash: &str) -> Option<(Session, User)> {
        let entries = self.entries();
        let entry = entries.get(token_hash)?;
        (entry.at.elapsed() < LIFETIME).then(|| (entry.session.clone(), entry.user.clone()))
    }

    /// The mark to take before reading a session from the database and to
    /// hand to [`SessionCache::put`] with what was read.
    pub(crate) fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// Keeps what was read for `token_hash`, unless an invalidation came
    /// since `generation` was taken.
    pub(crate) fn put(&self, token_hash: &str, session: &Session, user: &User, generation: u64) {
        let mut entries = self.entries();
        // Read under the lock: invalidations bump it under the same lock.
        if self.generation.load(Ordering::Acquire) != generation {
            return;
        }
        if entries.len() >= CAPACITY {
            entries.retain(|_, e| e.at.elapsed() < LIFETIME);
            if entries.len() >= CAPACITY {
                return;
            }
        }
        entries.insert(
            token_hash.to_string(),
            Entry {
                session: session.clone(),
                user: user.clone(),
                at: Instant::now(),
            },
        );
    }

    /// Drops every entry of `user_id`.
    pub(crate) fn forget_user(&self, user_id: &str) {
        let mut entries = self.entries();
        self.generation.fetch_add(1, Ordering::AcqRel);
        entries.retain(|_, e| e.user.id != user_id);
    }

    /// Drops every entry.
    pub(crate) fn forget_all(&self) {
        let mut entries = self.entries();
        self.generation.fetch_add(1, Ordering::AcqRel);
        entries.clear();
    }

    /// How many entries are held (for tests and statistics).
    pub fn len(&self) -> usize {
        self.entries().len()
    }

    /// Whether no entry is held.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The map; a panic elsewhere while it was held leaves it usable.
    fn entries(&self) -> std::sync::MutexGuard<'_, HashMap<String, Entry>> {
        self.entries.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl EventObserver for SessionCache {
    fn observe(&self, event: &CoreEvent) {
        match &event.kind {
            EventKind::SessionRevoked { user_id, .. }
            | EventKind::UserActivationChanged { user_id, .. }
            | EventKind::UserRolesUpdated { user_id, .. } => self.forget_user(user_id),
            EventKind::UserUpdated { user } => self.forget_user(&user.id),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::Audience;

    fn session(id: &str, user_id: &str) -> Session {
        Session {
            id: id.into(),
            token_hash: String::new(),
            user_id: user_id.into(),
            create_at: 0,
            expires_at: 0,
            last_activity_at: 0,
            device_id: String::new(),
            roles: "system_user".into(),
            props: Default::default(),
        }
    }

    fn user(id: &str) -> User {
        User::new_account(id.into(), format!("n{id}"), format!("{id}@example.com"), 0)
    }

    #[test]
    fn an_entry_is_served_until_its_user_is_forgotten() {
        let cache = SessionCache::default();
        let g = cache.generation();
        cache.put("h1", &session("s1", "u1"), &user("u1"), g);
        cache.put("h2", &session("s2", "u2"), &user("u2"), g);
        assert_eq!(cache.get("h1").map(|(s, _)| s.id), Some("s1".to_string()));
        cache.forget_user("u1");
        assert!(cache.get("h1").is_none());
        assert!(cache.get("h2").is_some(), "other users keep theirs");
        cache.forget_all();
        assert!(cache.is_empty());
    }

    #[test]
    fn a_read_that_raced_with_an_invalidation_is_not_kept() {
        let cache = SessionCache::default();
        let before_read = cache.generation();
        cache.forget_user("u1");
        cache.put("h1", &session("s1", "u1"), &user("u1"), before_read);
        assert!(cache.get("h1").is_none());
    }

    #[test]
    fn events_that_change_rights_drop_the_users_entries() {
        let cache = SessionCache::default();
        let events = [
            EventKind::SessionRevoked {
                user_id: "u1".into(),
                session_id: "s1".into(),
            },
            EventKind::UserActivationChanged {
                user_id: "u1".into(),
                active: false,
            },
            EventKind::UserRolesUpdated {
                user_id: "u1".into(),
                roles: "system_user".into(),
            },
            EventKind::UserUpdated { user: user("u1") },
        ];
        for kind in events {
            cache.put("h1", &session("s1", "u1"), &user("u1"), cache.generation());
            cache.observe(&CoreEvent::new(kind.clone(), Audience::All));
            assert!(cache.get("h1").is_none(), "{kind:?}");
        }
        cache.put("h1", &session("s1", "u1"), &user("u1"), cache.generation());
        cache.observe(&CoreEvent::new(EventKind::LicenseChanged, Audience::All));
        assert!(cache.get("h1").is_some(), "other events keep it");
    }
}
