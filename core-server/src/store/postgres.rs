//! PostgreSQL 15+, for several nodes behind a load balancer.

use std::str::FromStr;
use std::time::{Duration, Instant};

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{ConnectOptions, Pool, Postgres};

use super::lent::Lent;
use crate::error::{Error, Result};
use crate::metrics::DbKind;

/// A row as this backend's driver returns it (named, not projected from
/// `Db`, so the two backends' row decoders are told apart).
type DbRow = sqlx::postgres::PgRow;
type Db = Postgres;
/// One connection of this backend, as `reader()` and `writer()` lend it.
type DbConnection = sqlx::PgConnection;
type Backend = PostgresStore;
const BACKEND: &str = "postgres";
const GREATEST: &str = "GREATEST";

/// The PostgreSQL store.
#[derive(Clone)]
pub struct PostgresStore {
    read: Pool<Postgres>,
    write: Pool<Postgres>,
}

/// Connections idle longer than this are pinged before use.
const IDLE_PING_AFTER: Duration = Duration::from_secs(1);

impl PostgresStore {
    /// Connects (creating the database if it does not exist) and applies migrations.
    pub async fn open(url: &str, max_connections: u32) -> Result<Self> {
        let options = PgConnectOptions::from_str(url)
            .map_err(|e| Error::invalid("database_url", e.to_string()))?
            .log_statements(tracing::log::LevelFilter::Trace);
        create_database_if_missing(&options).await?;
        let pool = PgPoolOptions::new()
            .max_connections(max_connections)
            // A ping before every checkout would double the round trips of short
            // queries: only connections idle for a while, or any while an outage
            // is recent, are pinged (a dead one is dropped and another taken).
            .test_before_acquire(false)
            .before_acquire(|conn, meta| {
                Box::pin(async move {
                    use sqlx::Connection;
                    if meta.idle_for > IDLE_PING_AFTER || super::connectivity::outage_is_recent() {
                        return Ok(conn.ping().await.is_ok());
                    }
                    Ok(true)
                })
            })
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options)
            .await?;
        sqlx::migrate!("../migrations/postgres")
            .run(&pool)
            .await
            .map_err(|e| Error::Unavailable(format!("migration failed: {e}")))?;
        backfill_search_index(&pool).await?;
        Ok(PostgresStore {
            read: pool.clone(),
            write: pool,
        })
    }

    /// A connection for writing, from the shared pool.
    async fn writer(&self) -> Result<Lent<sqlx::pool::PoolConnection<Postgres>>> {
        let asked = Instant::now();
        let connection = self.write.acquire().await?;
        Ok(Lent::new(connection, DbKind::Write, asked))
    }

    /// Runs `job` with a connection for writing (SQLite runs it on a thread
    /// of its own; here every write has a connection of its own anyway).
    async fn write_job<T, F>(&self, job: F) -> Result<T>
    where
        T: Send + 'static,
        F: for<'c> FnOnce(&'c mut DbConnection) -> futures::future::BoxFuture<'c, Result<T>>
            + Send
            + 'static,
    {
        let mut connection = self.writer().await?;
        job(&mut connection).await
    }

    /// A connection for reading, from the same pool.
    async fn reader(&self) -> Result<Lent<sqlx::pool::PoolConnection<Postgres>>> {
        let asked = Instant::now();
        let connection = self.read.acquire().await?;
        Ok(Lent::new(connection, DbKind::Read, asked))
    }

    /// Connections open (reads and writes share one pool).
    fn connections_open(&self) -> u32 {
        self.read.size()
    }

    /// Connections open for writing (for the statistics).
    fn write_connections(&self) -> u32 {
        self.write.size()
    }

    /// Connections open for reading (for the statistics).
    fn read_connections(&self) -> u32 {
        self.read.size()
    }
}

/// Makes sure the database of `url` exists and holds no table yet (a
/// restore goes only into an empty database): creates it when missing,
/// refuses with a message naming the tables found otherwise.
pub async fn prepare_empty_database(url: &str) -> Result<()> {
    let options = PgConnectOptions::from_str(url)
        .map_err(|e| Error::invalid("database_url", e.to_string()))?;
    create_database_if_missing(&options).await?;
    let mut connection = options.connect().await?;
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT table_name::text FROM information_schema.tables \
         WHERE table_schema = 'public' ORDER BY table_name LIMIT 5",
    )
    .fetch_all(&mut connection)
    .await?;
    if !tables.is_empty() {
        return Err(Error::invalid(
            "database_url",
            format!(
                "the database is not empty (it has tables: {}…); restore into an empty database",
                tables.join(", ")
            ),
        ));
    }
    Ok(())
}

/// Creates the configured database through the `postgres` maintenance database
/// when it does not exist yet, so a bare URL is enough to start.
async fn create_database_if_missing(options: &PgConnectOptions) -> Result<()> {
    let Some(name) = options.get_database().map(str::to_string) else {
        return Ok(());
    };
    match options.connect().await {
        Ok(_) => Ok(()),
        Err(sqlx::Error::Database(db)) if db.code().as_deref() == Some("3D000") => {
            let mut admin = options.clone().database("postgres").connect().await?;
            let quoted = format!("\"{}\"", name.replace('"', "\"\""));
            let created = sqlx::query(&format!("CREATE DATABASE {quoted}"))
                .execute(&mut admin)
                .await;
            match created {
                // Another node may have created it at the same moment.
                Err(sqlx::Error::Database(db))
                    if matches!(db.code().as_deref(), Some("42P04" | "23505")) =>
                {
                    Ok(())
                }
                other => other.map(|_| ()).map_err(Error::from),
            }
        }
        Err(e) => Err(Error::Unavailable(format!(
            "cannot connect to PostgreSQL: {e}"
        ))),
    }
}

/// Counter shards per channel: enough that concurrent posters from different
/// connections rarely share one.
const COUNTER_SHARDS: i32 = 32;

/// How a post is saved: with its counters bumped in the same statement (one
/// round trip). The channel's counters are bumped in the shard of this
/// connection (see `channel_counters` in the migrations), so concurrent
/// posters do not queue on one row; the poster's read state becomes the new
/// total. `insert` is the post's plain `INSERT`, its columns bound as `$1`…
/// (`$8` the channel, `$9` the root, `$7` the author, `$2` the time).
fn insert_post_statement(insert: &str) -> String {
    format!(
            "WITH inserted AS ({insert} RETURNING id), \
             thread AS (UPDATE posts SET reply_count = reply_count + 1, update_at = $2, \
               last_reply_at = GREATEST(last_reply_at, $2) \
               WHERE id = $9 AND EXISTS (SELECT 1 FROM inserted)), \
             bumped AS (INSERT INTO channel_counters \
                 (channel_id, shard, msg_count, msg_count_root, last_post_at, last_root_post_at) \
               SELECT $8, pg_backend_pid() % {COUNTER_SHARDS}, 1, \
                 CASE WHEN $9 = '' THEN 1 ELSE 0 END, $2, CASE WHEN $9 = '' THEN $2 ELSE 0 END \
               FROM inserted \
               ON CONFLICT (channel_id, shard) DO UPDATE SET \
                 msg_count = channel_counters.msg_count + 1, \
                 msg_count_root = channel_counters.msg_count_root + excluded.msg_count_root, \
                 last_post_at = GREATEST(channel_counters.last_post_at, excluded.last_post_at), \
                 last_root_post_at = GREATEST(channel_counters.last_root_post_at, excluded.last_root_post_at) \
               RETURNING shard, msg_count, msg_count_root), \
             others AS (SELECT COALESCE(SUM(n.msg_count), 0)::BIGINT AS msg_count, \
                 COALESCE(SUM(n.msg_count_root), 0)::BIGINT AS msg_count_root \
               FROM channel_counters n WHERE n.channel_id = $8 \
               AND n.shard <> (SELECT shard FROM bumped)) \
             UPDATE channel_members m SET \
               msg_count = c.total_msg_count + others.msg_count + bumped.msg_count, \
               msg_count_root = c.total_msg_count_root + others.msg_count_root + bumped.msg_count_root, \
               last_viewed_at = $2, last_update_at = $2 \
             FROM bumped, others, channels c \
             WHERE c.id = $8 AND m.channel_id = $8 AND m.user_id = $7",
        )
}

/// Fills `search_vector` for the posts stored before full-text search
/// existed (the `0020_post_search` migration notes where it has got to), in
/// id order, one transaction per batch with the progress mark, so an
/// interrupted start resumes. Nodes starting together may share the work.
async fn backfill_search_index(pool: &Pool<Postgres>) -> Result<()> {
    const KEY: &str = "post_search_backfill";
    const BATCH: i64 = 20_000;
    let Some(mut last) =
        sqlx::query_scalar::<_, String>("SELECT value FROM systems WHERE name = $1")
            .bind(KEY)
            .fetch_optional(pool)
            .await?
    else {
        return Ok(());
    };
    let total: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM posts WHERE id > $1 AND original_id = ''")
            .bind(&last)
            .fetch_one(pool)
            .await?;
    let mut progress = super::SearchBackfillProgress::start(total);
    loop {
        let mut tx = pool.begin().await?;
        let (indexed, newest): (i64, Option<String>) = sqlx::query_as(
            "WITH batch AS (SELECT id FROM posts WHERE id > $1 AND original_id = '' \
               ORDER BY id LIMIT $2), \
             done AS (UPDATE posts p SET search_vector = post_search_vector(p.message) \
               FROM batch WHERE p.id = batch.id RETURNING p.id) \
             SELECT COUNT(*), MAX(id) FROM done",
        )
        .bind(&last)
        .bind(BATCH)
        .fetch_one(&mut *tx)
        .await?;
        let Some(newest) = newest else {
            sqlx::query("DELETE FROM systems WHERE name = $1")
                .bind(KEY)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            break;
        };
        sqlx::query("UPDATE systems SET value = $2 WHERE name = $1")
            .bind(KEY)
            .bind(&newest)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        progress.advance(u64::try_from(indexed).unwrap_or(0));
        last = newest;
    }
    progress.finish();
    Ok(())
}

/// Search terms are `tsquery` text.
const SEARCH_LANGUAGE: crate::search::IndexLanguage = crate::search::IndexLanguage::TsQuery;

/// The planner's statistics of every table (sampled by PostgreSQL).
const REFRESH_STATISTICS: &str = "ANALYZE";

/// Rows of posts are decoded from the connection's buffer as they come.
const POSTS_AS_JSON: bool = false;

/// Imported posts carry their words, computed by the importer: the
/// database's parser (`regexp_replace` and `to_tsvector`) would be most of
/// an import's time.
const BULK_POST_WORDS: bool = true;

/// PostgreSQL estimates a `tsquery`'s matches itself (from the column's
/// statistics): no probe, one shape.
const SEARCH_PROBE: Option<&str> = None;

fn search_shape(_plan: super::SearchPlan, _single_channel: bool) -> super::SearchShape {
    super::SearchShape {
        from: "posts p",
        post_channel: "p.channel_id",
        per_row: false,
    }
}

/// The posts whose words match `expr` (a `tsquery`), through the GIN index on
/// `posts.search_vector` (see the migrations), or the newest-first index
/// when the planner expects many matches.
fn push_index_match<'a>(q: &mut sqlx::QueryBuilder<'a, Postgres>, expr: String, _per_row: bool) {
    q.push("p.search_vector @@ to_tsquery('simple', ");
    q.push_bind(expr);
    q.push(")");
}

/// Drops a channel's counter shards once its row holds the recounted totals.
async fn clear_counter_shards(
    tx: &mut sqlx::Transaction<'_, Postgres>,
    channel_id: &str,
) -> Result<()> {
    sqlx::query("DELETE FROM channel_counters WHERE channel_id = $1")
        .bind(channel_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

// The same SQL, compiled for this backend (the other backend compiles it
// too: loading it twice is the point, see `store/mod.rs`).
#[allow(clippy::duplicate_mod)]
#[path = "sql/mod.rs"]
mod sql;
