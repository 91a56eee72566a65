//! The embedded default: a SQLite file in WAL mode. Writes go through a single
//! connection (SQLite has one writer anyway, and queueing for it is cheaper
//! than retrying on `SQLITE_BUSY`); reads use connections of their own
//! (`sqlite_connections.rs` lends both).

use std::str::FromStr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::future::BoxFuture;
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection, SqliteJournalMode, SqliteSynchronous};
use sqlx::{ConnectOptions, Sqlite};
use tokio::sync::MutexGuard;

use super::lent::Lent;
use super::sqlite_connections::{Reader, Readers, Writer};
use crate::metrics::DbKind;

use crate::error::{Error, Result};

/// A row as this backend's driver returns it (named, not projected from
/// `Db`, so the two backends' row decoders are told apart).
type DbRow = sqlx::sqlite::SqliteRow;
type Db = Sqlite;
/// One connection of this backend, as `reader()` and `writer()` lend it.
type DbConnection = SqliteConnection;
type Backend = SqliteStore;
/// Which backend this is, as `Store::backend` reports it.
const BACKEND: &str = "sqlite";
/// The larger of two values (SQLite's two-argument `MAX`).
const GREATEST: &str = "MAX";

/// The SQLite store.
#[derive(Clone)]
pub struct SqliteStore {
    read: Arc<Readers>,
    write: Arc<Writer>,
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
        // The one writer keeps a larger page cache (16 MiB at most, taken as
        // needed): inserts into big tables then touch the disk far less.
        let mut write = options
            .clone()
            .pragma("cache_size", "-16384")
            .connect()
            .await?;
        sqlx::migrate!("../migrations/sqlite")
            .run(&mut write)
            .await
            .map_err(|e| Error::Unavailable(format!("migration failed: {e}")))?;
        backfill_search_index(&mut write).await?;
        Ok(SqliteStore {
            // Readers map the file (up to 256 MiB) instead of copying pages
            // into each connection's own cache: every write empties those
            // caches, and reading the pages back was a good share of a
            // reader's time under load.
            read: Arc::new(Readers::new(
                options.read_only(true).pragma("mmap_size", "268435456"),
                max_connections.max(2),
            )),
            write: Arc::new(Writer::new(write)?),
        })
    }

    /// The writing connection, once the writes queued before this one are done.
    async fn writer(&self) -> Result<Lent<MutexGuard<'_, SqliteConnection>>> {
        let asked = Instant::now();
        let connection = self.write.lend().await?;
        Ok(Lent::new(connection, DbKind::Write, asked))
    }

    /// Runs `job` with the writing connection at its turn, on the writes'
    /// own thread (see `Writer::run`): for the writes that every request
    /// makes, so their turns stay short when the cores are busy.
    async fn write_job<T, F>(&self, job: F) -> Result<T>
    where
        T: Send + 'static,
        F: for<'c> FnOnce(&'c mut DbConnection) -> BoxFuture<'c, Result<T>> + Send + 'static,
    {
        self.write.run(Box::new(job)).await
    }

    /// A read-only connection.
    async fn reader(&self) -> Result<Lent<Reader<'_>>> {
        let asked = Instant::now();
        let connection = self.read.lend().await?;
        Ok(Lent::new(connection, DbKind::Read, asked))
    }

    /// Connections open: the writer and the readers.
    fn connections_open(&self) -> u32 {
        1 + self.read.open()
    }

    /// Connections open for writing (for the statistics).
    fn write_connections(&self) -> u32 {
        1
    }

    /// Connections open for reading (for the statistics).
    fn read_connections(&self) -> u32 {
        self.read.open()
    }
}

/// Indexes the posts stored before full-text search existed (the
/// `0020_post_search` migration notes how far): newest first, one transaction
/// per batch with the progress mark, so an interrupted start resumes.
async fn backfill_search_index(conn: &mut SqliteConnection) -> Result<()> {
    const KEY: &str = "post_search_backfill";
    const BATCH: i64 = 50_000;
    let Some(mark) = sqlx::query_scalar::<_, String>("SELECT value FROM systems WHERE name = $1")
        .bind(KEY)
        .fetch_optional(&mut *conn)
        .await?
    else {
        return Ok(());
    };
    let mut until: i64 = mark.parse().unwrap_or(0);
    let total: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM posts WHERE seq <= $1 AND original_id = '' AND delete_at = 0",
    )
    .bind(until)
    .fetch_one(&mut *conn)
    .await?;
    let mut progress = super::SearchBackfillProgress::start(total);
    while until > 0 {
        let from = (until - BATCH).max(0);
        let mut tx = sqlx::Connection::begin(&mut *conn).await?;
        let indexed = sqlx::query(
            "INSERT INTO post_search (rowid, message) SELECT seq, message FROM posts \
             WHERE seq > $1 AND seq <= $2 AND original_id = '' AND delete_at = 0",
        )
        .bind(from)
        .bind(until)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        sqlx::query("UPDATE systems SET value = $2 WHERE name = $1")
            .bind(KEY)
            .bind(from.to_string())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        progress.advance(indexed);
        until = from;
    }
    sqlx::query("DELETE FROM systems WHERE name = $1")
        .bind(KEY)
        .execute(&mut *conn)
        .await?;
    progress.finish();
    Ok(())
}

/// How a post is saved: the `posts_count_new` trigger (see the migrations)
/// bumps the channel's counters inside the same statement.
fn insert_post_statement(insert: &str) -> String {
    insert.to_string()
}

/// Search terms are FTS5 queries.
const SEARCH_LANGUAGE: crate::search::IndexLanguage = crate::search::IndexLanguage::Fts5;

/// The planner's statistics, from a sample of each index (quick on any size).
const REFRESH_STATISTICS: &str = "PRAGMA analysis_limit = 1000; ANALYZE;";

/// Lists of posts leave SQLite's thread as one JSON value (see
/// `store::post_list`).
const POSTS_AS_JSON: bool = true;

/// The FTS5 triggers tokenize imported posts themselves.
const BULK_POST_WORDS: bool = false;

/// Counts the matches of an FTS5 query, up to a cap (`$2`).
const SEARCH_PROBE: Option<&str> = Some(
    "SELECT COUNT(*) FROM (SELECT rowid FROM post_search WHERE post_search MATCH $1 LIMIT $2)",
);

/// SQLite's planner cannot tell how many posts a full-text query matches,
/// so the probe decides: few matches are read from the index first (the
/// `+` keeps the channel indexes from being chosen instead); many are found
/// by walking posts newest first (the whole server's, or the one channel's)
/// and checking each until a page is full.
fn search_shape(plan: super::SearchPlan, single_channel: bool) -> super::SearchShape {
    use super::{SearchPlan, SearchShape};
    match plan {
        SearchPlan::Planner => SearchShape {
            from: "posts p",
            post_channel: "p.channel_id",
            per_row: false,
        },
        SearchPlan::FromIndex => SearchShape {
            from: "posts p",
            post_channel: "+p.channel_id",
            per_row: false,
        },
        SearchPlan::NewestFirst => SearchShape {
            from: if single_channel {
                "posts p INDEXED BY posts_channel_create_idx"
            } else {
                "posts p INDEXED BY posts_create_idx"
            },
            post_channel: "p.channel_id",
            per_row: true,
        },
    }
}

/// The posts whose words match `expr` (an FTS5 query), through the
/// `post_search` index (see the migrations): the index's matches, or a
/// lookup of each post's row in them.
fn push_index_match<'a>(q: &mut sqlx::QueryBuilder<'a, Sqlite>, expr: String, per_row: bool) {
    if per_row {
        q.push("EXISTS (SELECT 1 FROM post_search s WHERE s.post_search MATCH ");
        q.push_bind(expr);
        q.push(" AND s.rowid = p.seq)");
    } else {
        q.push("p.seq IN (SELECT rowid FROM post_search WHERE post_search MATCH ");
        q.push_bind(expr);
        q.push(")");
    }
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
