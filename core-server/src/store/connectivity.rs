//! When the database was last unreachable. A pooled connection that was
//! open across an outage is dead without knowing it; the PostgreSQL pool
//! pings connections before use while an outage is recent (and those idle
//! for a while), so that the first requests after the database returns do
//! not fail on them.

use std::sync::atomic::{AtomicI64, Ordering};

/// Milliseconds since the epoch of the last connection-level failure.
static LAST_CONNECTION_ERROR: AtomicI64 = AtomicI64::new(0);

/// How long after a failure connections keep being checked.
const SUSPECT_FOR_MS: i64 = 60_000;

/// Notes a failure to reach the database (a broken or refused connection).
pub(crate) fn note_connection_error() {
    LAST_CONNECTION_ERROR.store(crate::time::now_ms(), Ordering::Relaxed);
}

/// Whether the database failed recently enough to distrust idle connections.
pub(crate) fn outage_is_recent() -> bool {
    let last = LAST_CONNECTION_ERROR.load(Ordering::Relaxed);
    last != 0 && crate::time::now_ms() - last < SUSPECT_FOR_MS
}

/// Whether an error means the database could not be reached, rather than
/// that a statement failed: I/O, protocol and pool errors, and PostgreSQL's
/// connection (08), operator-intervention (57: shutting down) and
/// insufficient-resources (53) classes.
pub(crate) fn is_connection_error(err: &sqlx::Error) -> bool {
    match err {
        sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::Protocol(_)
        | sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::WorkerCrashed => true,
        sqlx::Error::Database(db) => db
            .code()
            .is_some_and(|c| c.starts_with("08") || c.starts_with("57") || c.starts_with("53")),
        _ => false,
    }
}
