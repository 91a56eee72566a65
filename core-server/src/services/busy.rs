//! "Server busy": a system admin's switch that turns expensive, non-critical
//! work (searches) off for a while, to relieve a loaded server. The expiry
//! is kept in the database, so every node of a cluster honours it.

use super::{Actor, Core};
use crate::error::{Error, Result};
use crate::time::now_ms;

const BUSY_UNTIL: &str = "server_busy_until";

/// How long a server stays busy unless told otherwise, in seconds.
pub const DEFAULT_BUSY_SECONDS: i64 = 3600;

/// The longest a server may be marked busy at once, in seconds.
pub const MAX_BUSY_SECONDS: i64 = 86_400;

/// Whether the server is busy, and until when (ms; 0 when it is not).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BusyState {
    pub busy: bool,
    pub expires_at: i64,
}

fn admin_only(actor: &Actor) -> Result<()> {
    if actor.is_admin() {
        Ok(())
    } else {
        Err(Error::forbidden("only system admins mark the server busy"))
    }
}

impl Core {
    /// Marks the server busy for `seconds` (1 to [`MAX_BUSY_SECONDS`]).
    pub async fn set_server_busy(&self, actor: &Actor, seconds: i64) -> Result<BusyState> {
        admin_only(actor)?;
        if !(1..=MAX_BUSY_SECONDS).contains(&seconds) {
            return Err(Error::invalid(
                "seconds",
                format!("must be 1 - {MAX_BUSY_SECONDS}"),
            ));
        }
        let until = now_ms().saturating_add(seconds.saturating_mul(1000));
        self.store
            .set_system_value(BUSY_UNTIL, &until.to_string())
            .await?;
        tracing::warn!(seconds, "server marked busy: searches are off");
        Ok(BusyState {
            busy: true,
            expires_at: until,
        })
    }

    /// Ends the busy state at once.
    pub async fn clear_server_busy(&self, actor: &Actor) -> Result<()> {
        admin_only(actor)?;
        self.store.delete_system_value(BUSY_UNTIL).await?;
        tracing::info!("server no longer busy");
        Ok(())
    }

    /// The busy state, for system admins.
    pub async fn server_busy(&self, actor: &Actor) -> Result<BusyState> {
        admin_only(actor)?;
        self.busy_state().await
    }

    async fn busy_state(&self) -> Result<BusyState> {
        let until = self
            .store
            .get_system_value(BUSY_UNTIL)
            .await?
            .and_then(|v| v.parse::<i64>().ok())
            .unwrap_or(0);
        Ok(if until > now_ms() {
            BusyState {
                busy: true,
                expires_at: until,
            }
        } else {
            BusyState {
                busy: false,
                expires_at: 0,
            }
        })
    }

    /// Refuses work that is off while the server is busy.
    pub(crate) async fn refuse_when_busy(&self) -> Result<()> {
        if self.busy_state().await?.busy {
            Err(Error::Busy)
        } else {
            Ok(())
        }
    }
}
