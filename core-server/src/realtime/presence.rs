//! Presence from connections: online when a socket attaches, away after a
//! spell without activity, offline when the last socket goes. A status set
//! by hand is left alone, except that do-not-disturb ends at its end time.

use std::time::Duration;

use crate::events::{Audience, EventKind};
use crate::model::Status;
use crate::services::Core;
use crate::time::now_ms;

/// How often idle users and expired do-not-disturb are looked for.
const SWEEP_INTERVAL: Duration = Duration::from_secs(30);

impl Core {
    /// Starts the node's background work once: the reaper of dropped
    /// connections and the presence sweeps, and the senders of pushes,
    /// digests and scheduled posts.
    pub fn start_background(&self) {
        if self.background.set(()).is_err() {
            return;
        }
        self.start_push_sender();
        self.start_digest_sender();
        self.start_scheduled_sender();
        let core = self.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(SWEEP_INTERVAL);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            let mut ticks: u64 = 0;
            loop {
                tick.tick().await;
                core.hub.reap();
                core.sweep_presence().await;
                // Hourly: files uploaded a day ago and never posted, uploads never finished.
                if ticks.is_multiple_of(120) {
                    match core.clean_orphan_files().await {
                        Ok(0) => {}
                        Ok(n) => {
                            tracing::info!(removed = n, "removed files that were never posted")
                        }
                        Err(e) => tracing::warn!(error = %e, "could not clean up unposted files"),
                    }
                    match core.clean_stale_uploads().await {
                        Ok(0) => {}
                        Ok(n) => tracing::info!(removed = n, "removed unfinished uploads"),
                        Err(e) => {
                            tracing::warn!(error = %e, "could not clean up unfinished uploads")
                        }
                    }
                }
                ticks += 1;
            }
        });
    }

    /// One pass of the presence rules over this node's users.
    pub async fn sweep_presence(&self) {
        let away_after = i64::try_from(self.config().away_after_seconds)
            .unwrap_or(i64::MAX / 2)
            .saturating_mul(1000);
        for user_id in self.hub.idle_users(now_ms().saturating_sub(away_after)) {
            self.change_status(&user_id, |s| {
                (s.status == "online" && !s.manual).then(|| "away".to_string())
            })
            .await;
        }
        match self.store.list_expired_dnd(now_ms() / 1000).await {
            Ok(expired) => {
                for status in expired {
                    let back = if status.prev_status.is_empty() || status.prev_status == "dnd" {
                        "online".to_string()
                    } else {
                        status.prev_status.clone()
                    };
                    let next = Status {
                        status: back,
                        manual: false,
                        dnd_end_time: 0,
                        prev_status: String::new(),
                        ..status
                    };
                    self.save_and_announce(next).await;
                }
            }
            Err(e) => tracing::warn!(error = %e, "could not read expired do-not-disturb statuses"),
        }
    }

    /// A user's first socket on this node attached.
    pub async fn presence_connected(&self, user_id: &str) {
        self.change_status(user_id, |s| {
            (!s.manual && s.status != "online").then(|| "online".to_string())
        })
        .await;
    }

    /// A user's last socket on this node went.
    pub async fn presence_disconnected(&self, user_id: &str) {
        self.change_status(user_id, |s| {
            (!s.manual && s.status != "offline").then(|| "offline".to_string())
        })
        .await;
    }

    /// The user did something: an idle (away) user is back online.
    pub async fn presence_activity(&self, user_id: &str) {
        self.hub.touch(user_id);
        self.change_status(user_id, |s| {
            (!s.manual && s.status != "online").then(|| "online".to_string())
        })
        .await;
    }

    /// Applies `rule` (current status → the new one, if it changes) and
    /// tells the user's clients. Failures are logged: presence is best effort.
    async fn change_status(&self, user_id: &str, rule: impl FnOnce(&Status) -> Option<String>) {
        let current = match self.store.get_status(user_id).await {
            Ok(Some(s)) => s,
            Ok(None) => Status {
                user_id: user_id.to_string(),
                status: "offline".into(),
                manual: false,
                last_activity_at: 0,
                dnd_end_time: 0,
                prev_status: String::new(),
            },
            Err(e) => {
                tracing::warn!(error = %e, user_id, "could not read a status");
                return;
            }
        };
        let Some(status) = rule(&current) else {
            return;
        };
        let next = Status {
            status,
            last_activity_at: now_ms(),
            ..current
        };
        self.save_and_announce(next).await;
    }

    async fn save_and_announce(&self, status: Status) {
        if let Err(e) = self.store.save_status(&status).await {
            tracing::warn!(error = %e, user_id = %status.user_id, "could not save a status");
            return;
        }
        let user_id = status.user_id.clone();
        self.events
            .publish(EventKind::StatusChanged { status }, Audience::User(user_id));
    }
}
