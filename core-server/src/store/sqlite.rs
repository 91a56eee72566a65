//! The embedded default: a SQLite file in WAL mode. Writes go through a single
//! connection (SQLite has one writer anyway, and queueing in the pool is cheaper
//! than retrying on `SQLITE_BUSY`); reads use a pool of their own.

use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Pool, Sqlite};

use crate::error::{Error, Result};

/// A row as this backend's driver returns it (named, not projected from
/// `Db`, so the two backends' row decoders are told apart).
type DbRow = sqlx::sqlite::SqliteRow;
type Db = Sqlite;
type Backend = SqliteStore;
/// Which backend this is, as `Store::backend` reports it.
const BACKEND: &str = "sqlite";
/// The larger of two values (SQLite's two-argument `MAX`).
const GREATEST: &str = "MAX";

/// The SQLite store.
#[derive(Clone)]
pub struct SqliteStore {
    read: Pool<Sqlite>,
    write: Pool<Sqlite>,
}

impl SqliteStore {
    /// Opens (creating if needed) the database file and applies migrations.
    pub async fn open(url: &str, max_connections: u32) -> Result<Self> {
        let options = SqliteConnectOptions::from_str(url)
            .map_err(|e| Error::invalid("database_url", e.to_string()))?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(Duration::from_secs(10))
            .foreign_keys(true)
            .pragma("temp_store", "memory");
        if let Some(parent) = options.get_filename().parent() {
            if !parent.as_os_str().is_empty() {
                std::fs::create_dir_all(parent).map_err(|e| {
                    Error::Unavailable(format!("cannot create {}: {e}", parent.display()))
                })?;
            }
        }
        // Each statement is a round trip to the connection's worker thread, so
        // the pool does not add a ping before every checkout.
        // The one writer keeps a larger page cache (16 MiB at most, taken as
        // needed): inserts into big tables then touch the disk far less.
        let write = SqlitePoolOptions::new()
            .max_connections(1)
            .test_before_acquire(false)
            .connect_with(options.clone().pragma("cache_size", "-16384"))
            .await?;
        sqlx::migrate!("../migrations/sqlite")
            .run(&write)
            .await
            .map_err(|e| Error::Unavailable(format!("migration failed: {e}")))?;
        let read = SqlitePoolOptions::new()
            .max_connections(max_connections.max(2))
            .test_before_acquire(false)
            .connect_with(options.read_only(true))
            .await?;
        Ok(SqliteStore { read, write })
    }
}

/// How a post is saved: the `posts_count_new` trigger (see the migrations)
/// bumps the channel's counters inside the same statement.
fn insert_post_statement(insert: &str) -> String {
    insert.to_string()
}

/// SQLite keeps a channel's counters on its row alone: nothing else to clear.
async fn clear_counter_shards(
    _tx: &mut sqlx::Transaction<'_, Sqlite>,
    _channel_id: &str,
) -> Result<()> {
    Ok(())
}

// The same SQL, compiled for this backend (the other backend compiles it
// too: loading it twice is the point, see `store/mod.rs`).
#[allow(clippy::duplicate_mod)]
#[path = "sql/mod.rs"]
mod sql;
