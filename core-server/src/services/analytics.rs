//! Statistics for system admins: what the server holds and how it is used,
//! as named numbers (the rows the apps' system console reads).

use super::{Actor, Core};
use crate::error::{Error, Result};
use crate::store::{ActiveSince, PerDay};
use crate::time::now_ms;

const DAY_MS: i64 = 24 * 60 * 60 * 1000;

/// Days a per-day report goes back, yesterday included.
const REPORT_DAYS: i64 = 30;

/// One statistic.
#[derive(Debug, Clone, PartialEq)]
pub struct StatRow {
    pub name: String,
    pub value: f64,
}

impl StatRow {
    fn new(name: impl Into<String>, value: i64) -> Self {
        // Counts stay far below 2^53, where f64 holds integers exactly.
        #[allow(clippy::cast_precision_loss)]
        let value = value as f64;
        StatRow {
            name: name.into(),
            value,
        }
    }
}

/// The reports there are, by the names Mattermost gives them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Report {
    /// Channels, posts, users, teams, connections and active users.
    Standard,
    /// Posts per day.
    PostsPerDay,
    /// Posts of bots per day.
    BotPostsPerDay,
    /// People who posted, per day.
    PostersPerDay,
    /// Integrations, sessions and files.
    Extra,
}

impl Report {
    /// The report called `name`; an unknown name is the caller's mistake.
    pub fn parse(name: &str) -> Result<Report> {
        Ok(match name {
            "" | "standard" => Report::Standard,
            "post_counts_day" => Report::PostsPerDay,
            "bot_post_counts_day" => Report::BotPostsPerDay,
            "user_counts_with_posts_day" => Report::PostersPerDay,
            "extra_counts" => Report::Extra,
            _ => return Err(Error::invalid("name", "is not a known report")),
        })
    }
}

impl Core {
    /// A report, of one team where given (system admins only).
    pub async fn analytics(
        &self,
        actor: &Actor,
        report: Report,
        team_id: Option<&str>,
    ) -> Result<Vec<StatRow>> {
        if !actor.is_admin() {
            return Err(Error::forbidden("only system admins read statistics"));
        }
        if let Some(team) = team_id {
            super::validate::id("team_id", team)?;
        }
        let now = now_ms();
        match report {
            Report::Standard | Report::Extra => {
                let active = ActiveSince {
                    day: now - DAY_MS,
                    month: now - 31 * DAY_MS,
                };
                let c = self.store.server_counts(team_id, active).await?;
                let sockets =
                    i64::try_from(self.hub.stats().active_connections).unwrap_or(i64::MAX);
                Ok(if report == Report::Standard {
                    vec![
                        StatRow::new("channel_open_count", c.open_channels),
                        StatRow::new("channel_private_count", c.private_channels),
                        StatRow::new("post_count", c.posts),
                        StatRow::new("unique_user_count", c.users),
                        StatRow::new("team_count", c.teams),
                        StatRow::new("total_websocket_connections", sockets),
                        StatRow::new("total_master_db_connections", c.write_connections),
                        StatRow::new("total_read_db_connections", c.read_connections),
                        StatRow::new("daily_active_users", c.daily_active_users),
                        StatRow::new("monthly_active_users", c.monthly_active_users),
                        // Deactivated accounts belong to no team.
                        StatRow::new(
                            "inactive_user_count",
                            if team_id.is_some() {
                                -1
                            } else {
                                c.inactive_users
                            },
                        ),
                    ]
                } else {
                    vec![
                        StatRow::new("incoming_webhook_count", c.incoming_webhooks),
                        StatRow::new("outgoing_webhook_count", c.outgoing_webhooks),
                        // Custom commands are not served yet.
                        StatRow::new("command_count", 0),
                        StatRow::new("session_count", c.sessions),
                        StatRow::new("total_file_count", c.files),
                        StatRow::new("total_file_size", c.file_bytes),
                    ]
                })
            }
            Report::PostsPerDay | Report::BotPostsPerDay | Report::PostersPerDay => {
                // Whole UTC days up to the end of yesterday.
                let today = now - now.rem_euclid(DAY_MS);
                let days = self
                    .store
                    .posts_per_day(PerDay {
                        team_id,
                        since: today - REPORT_DAYS * DAY_MS,
                        until: today,
                        bots_only: report == Report::BotPostsPerDay,
                        distinct_authors: report == Report::PostersPerDay,
                    })
                    .await?;
                Ok(days
                    .into_iter()
                    .map(|(day, n)| StatRow::new(day_name(day), n))
                    .collect())
            }
        }
    }
}

/// `YYYY-MM-DD` of a day counted from the epoch.
fn day_name(day: i64) -> String {
    chrono::DateTime::from_timestamp(day.saturating_mul(86_400), 0)
        .map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_are_named_by_their_utc_date() {
        assert_eq!(day_name(0), "1970-01-01");
        assert_eq!(day_name(20_000), "2024-10-04");
    }

    #[test]
    fn reports_are_known_by_name() {
        assert_eq!(Report::parse("").ok(), Some(Report::Standard));
        assert_eq!(
            Report::parse("post_counts_day").ok(),
            Some(Report::PostsPerDay)
        );
        assert!(matches!(
            Report::parse("everything"),
            Err(Error::Invalid { .. })
        ));
    }
}
