//! SQLite's connections, lent without sqlx's pool. The pool pings every
//! connection handed back to it: one more round trip to the connection's
//! thread after each statement, which the next borrower waits behind and
//! which, with the cores busy, costs two more thread wake-ups per statement.
//! SQLite's connections are local and their thread finishes (or resets) a
//! statement whose caller went away, so a returned connection is always fit
//! to lend again without that check.

use std::ops::{Deref, DerefMut};
use std::sync::{Arc, Mutex as SyncMutex, OnceLock};
use std::time::Duration;

use futures::future::BoxFuture;
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};
use sqlx::ConnectOptions;
use tokio::runtime::{Builder, Handle, Runtime};
use tokio::sync::{Mutex, MutexGuard, Semaphore, SemaphorePermit};

use crate::error::{Error, Result};

/// How long a statement waits for a connection before the request fails as
/// unavailable (what a pool's acquire timeout did).
const WAIT: Duration = Duration::from_secs(30);

/// A write handed to the writes' thread: it gets the connection for its
/// turn and may borrow it across its statements.
pub(super) type WriteJob<T> =
    Box<dyn for<'c> FnOnce(&'c mut SqliteConnection) -> BoxFuture<'c, Result<T>> + Send>;

/// The one writing connection. The lock is fair: writers take turns in the
/// order they asked.
pub(super) struct Writer {
    connection: Arc<Mutex<SqliteConnection>>,
    thread: Handle,
}

impl Writer {
    pub(super) fn new(connection: SqliteConnection) -> Result<Self> {
        Ok(Writer {
            connection: Arc::new(Mutex::new(connection)),
            thread: writes_thread()?.handle().clone(),
        })
    }

    /// The connection, once the writes queued before this one are done.
    pub(super) async fn lend(&self) -> Result<MutexGuard<'_, SqliteConnection>> {
        lend(&self.connection).await
    }

    /// Runs `job` at its turn on the writes' own thread. A turn taken by a
    /// request's task lasts until that task is polled again after each
    /// statement, which on busy cores means waiting behind every other
    /// ready task while all other writes wait too; the writes' thread has
    /// nothing else to run, so a turn lasts about as long as its statements.
    /// The job finishes even if the caller stops waiting for it.
    pub(super) async fn run<T: Send + 'static>(&self, job: WriteJob<T>) -> Result<T> {
        let connection = self.connection.clone();
        let task = self.thread.spawn(async move {
            let asked = std::time::Instant::now();
            let turn = lend(&connection).await?;
            let mut turn = super::lent::Lent::new(turn, crate::metrics::DbKind::Write, asked);
            job(&mut turn).await
        });
        match task.await {
            Ok(done) => done,
            Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
            Err(_) => Err(Error::Unavailable("the writes' thread has stopped".into())),
        }
    }
}

async fn lend(connection: &Mutex<SqliteConnection>) -> Result<MutexGuard<'_, SqliteConnection>> {
    tokio::time::timeout(WAIT, connection.lock())
        .await
        .map_err(|_| busy("writes"))
}

/// The thread every SQLite store's writes run on (one for the process:
/// a store's writes run one at a time anyway).
fn writes_thread() -> Result<&'static Runtime> {
    static THREAD: OnceLock<std::io::Result<Runtime>> = OnceLock::new();
    THREAD
        .get_or_init(|| {
            Builder::new_multi_thread()
                .worker_threads(1)
                .thread_name("sqlite-writes")
                .enable_time()
                .build()
        })
        .as_ref()
        .map_err(|e| Error::Unavailable(format!("cannot start the writes' thread: {e}")))
}

/// Read-only connections, opened as needed up to a limit.
pub(super) struct Readers {
    options: SqliteConnectOptions,
    idle: SyncMutex<Vec<SqliteConnection>>,
    permits: Semaphore,
    limit: u32,
}

impl Readers {
    pub(super) fn new(options: SqliteConnectOptions, limit: u32) -> Self {
        Readers {
            options,
            idle: SyncMutex::new(Vec::new()),
            permits: Semaphore::new(limit as usize),
            limit,
        }
    }

    /// An idle connection, or a new one while fewer than the limit are open.
    pub(super) async fn lend(&self) -> Result<Reader<'_>> {
        let permit = tokio::time::timeout(WAIT, self.permits.acquire())
            .await
            .map_err(|_| busy("reads"))?
            .map_err(|_| Error::Unavailable("the database is closed".into()))?;
        let connection = match self.take_idle() {
            Some(connection) => connection,
            None => self.options.connect().await?,
        };
        Ok(Reader {
            connection: Some(connection),
            readers: self,
            _permit: permit,
        })
    }

    /// How many are open now (for the statistics).
    pub(super) fn open(&self) -> u32 {
        let lent = self.limit as usize - self.permits.available_permits();
        (self.idle_count() + lent) as u32
    }

    fn take_idle(&self) -> Option<SqliteConnection> {
        self.idle().pop()
    }

    fn idle_count(&self) -> usize {
        self.idle().len()
    }

    fn give_back(&self, connection: SqliteConnection) {
        self.idle().push(connection);
    }

    /// The idle list; a panic elsewhere while it was held leaves it usable.
    fn idle(&self) -> std::sync::MutexGuard<'_, Vec<SqliteConnection>> {
        self.idle.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// A lent read connection; dropping it gives it back.
pub(super) struct Reader<'a> {
    connection: Option<SqliteConnection>,
    readers: &'a Readers,
    // Released after the connection is back (fields drop after `drop`).
    _permit: SemaphorePermit<'a>,
}

impl Deref for Reader<'_> {
    type Target = SqliteConnection;
    fn deref(&self) -> &SqliteConnection {
        // Present from `lend` until `drop`.
        self.connection.as_ref().expect("a lent connection")
    }
}

impl DerefMut for Reader<'_> {
    fn deref_mut(&mut self) -> &mut SqliteConnection {
        self.connection.as_mut().expect("a lent connection")
    }
}

impl Drop for Reader<'_> {
    fn drop(&mut self) {
        if let Some(connection) = self.connection.take() {
            self.readers.give_back(connection);
        }
    }
}

fn busy(what: &str) -> Error {
    Error::Unavailable(format!("the database is busy: {what} are queued"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn options(dir: &tempfile::TempDir) -> SqliteConnectOptions {
        let url = format!("sqlite://{}/t.db", dir.path().display());
        SqliteConnectOptions::from_str(&url)
            .expect("url")
            .create_if_missing(true)
    }

    #[tokio::test]
    async fn readers_are_reused_and_never_more_than_the_limit() {
        let dir = tempfile::tempdir().expect("dir");
        let readers = Readers::new(options(&dir), 2);
        let first = readers.lend().await.expect("first");
        let second = readers.lend().await.expect("second");
        assert_eq!(readers.open(), 2);
        let third = tokio::time::timeout(Duration::from_millis(50), readers.lend()).await;
        assert!(third.is_err(), "a third reader waits while two are lent");
        drop(first);
        let mut third = readers.lend().await.expect("third, once one is back");
        assert_eq!(readers.open(), 2, "the returned connection is lent again");
        let one: i64 = sqlx::query_scalar("SELECT 1")
            .fetch_one(&mut *third)
            .await
            .expect("query");
        assert_eq!(one, 1);
        drop((second, third));
        assert_eq!(readers.open(), 2);
        assert_eq!(readers.idle_count(), 2);
    }

    #[tokio::test]
    async fn writers_take_turns() {
        let dir = tempfile::tempdir().expect("dir");
        let connection = options(&dir).connect().await.expect("connect");
        let writer = Writer::new(connection).expect("writer");
        let mut held = writer.lend().await.expect("first");
        sqlx::query("CREATE TABLE t (n INTEGER)")
            .execute(&mut *held)
            .await
            .expect("create");
        let waiting = tokio::time::timeout(Duration::from_millis(50), writer.lend()).await;
        assert!(waiting.is_err(), "a second writer waits for the first");
        drop(held);
        let mut next = writer.lend().await.expect("second");
        sqlx::query("INSERT INTO t VALUES (1)")
            .execute(&mut *next)
            .await
            .expect("insert");
    }

    #[tokio::test]
    async fn jobs_take_their_turn_with_lent_writers() {
        let dir = tempfile::tempdir().expect("dir");
        let connection = options(&dir).connect().await.expect("connect");
        let writer = Writer::new(connection).expect("writer");
        sqlx::query("CREATE TABLE t (n INTEGER)")
            .execute(&mut *writer.lend().await.expect("lend"))
            .await
            .expect("create");
        let held = writer.lend().await.expect("held");
        let job = writer.run(Box::new(|c| {
            Box::pin(async move {
                sqlx::query("INSERT INTO t VALUES (2)")
                    .execute(&mut *c)
                    .await?;
                Ok(sqlx::query_scalar::<_, i64>("SELECT SUM(n) FROM t")
                    .fetch_one(&mut *c)
                    .await?)
            })
        }));
        tokio::pin!(job);
        let early = tokio::time::timeout(Duration::from_millis(50), &mut job).await;
        assert!(early.is_err(), "a job waits while the writer is lent");
        drop(held);
        assert_eq!(job.await.expect("job"), 2);
    }
}
