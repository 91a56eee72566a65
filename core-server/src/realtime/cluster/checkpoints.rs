//! Connection checkpoints in Redis: each node writes those of its
//! connections about once a second (only the ones that moved), and reads one
//! when a client resumes a connection it does not hold.

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use tokio::sync::Mutex;

use super::{redis_connection, Health, Keys};
use crate::realtime::{CheckpointRecord, CheckpointStore, Hub};

/// How often checkpoints are written.
const INTERVAL: Duration = Duration::from_secs(1);

/// Checkpoints kept in Redis, read over one shared connection.
pub(super) struct RedisCheckpoints {
    client: redis::Client,
    keys: Keys,
    conn: Mutex<Option<redis::aio::MultiplexedConnection>>,
}

impl RedisCheckpoints {
    pub(super) fn new(client: redis::Client, keys: Keys) -> Self {
        RedisCheckpoints {
            client,
            keys,
            conn: Mutex::new(None),
        }
    }

    async fn connection(&self) -> redis::RedisResult<redis::aio::MultiplexedConnection> {
        let mut slot = self.conn.lock().await;
        if let Some(conn) = slot.as_ref() {
            return Ok(conn.clone());
        }
        let conn = redis_connection(&self.client).await?;
        *slot = Some(conn.clone());
        Ok(conn)
    }
}

#[async_trait]
impl CheckpointStore for RedisCheckpoints {
    async fn load(&self, connection_id: &str) -> Option<CheckpointRecord> {
        let mut conn = match self.connection().await {
            Ok(conn) => conn,
            Err(e) => {
                tracing::warn!(error = %e, "cannot read a connection checkpoint from redis");
                return None;
            }
        };
        let text: redis::RedisResult<Option<String>> = redis::cmd("GET")
            .arg(self.keys.checkpoint(connection_id))
            .query_async(&mut conn)
            .await;
        match text {
            Ok(Some(text)) => serde_json::from_str(&text)
                .map_err(
                    |e| tracing::warn!(error = %e, "ignoring an unreadable connection checkpoint"),
                )
                .ok(),
            Ok(None) => None,
            Err(e) => {
                *self.conn.lock().await = None;
                tracing::warn!(error = %e, "cannot read a connection checkpoint from redis");
                None
            }
        }
    }
}

/// Writes this node's due checkpoints every [`INTERVAL`]; each lives for the
/// resume window and is refreshed at half of it while the node holds it.
pub(super) async fn write_loop(
    client: redis::Client,
    keys: Keys,
    hub: Arc<Hub>,
    health: Arc<Health>,
) {
    let lifetime = hub.limits().resume_window.max(INTERVAL * 10);
    let mut conn: Option<redis::aio::MultiplexedConnection> = None;
    let mut ticks = tokio::time::interval(INTERVAL);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        let due = hub.due_checkpoints(lifetime / 2);
        if due.is_empty() {
            continue;
        }
        let mut pipe = redis::pipe();
        for (id, record) in &due.write {
            match serde_json::to_string(record) {
                Ok(text) => {
                    pipe.cmd("SET")
                        .arg(keys.checkpoint(id))
                        .arg(text)
                        .arg("EX")
                        .arg(lifetime.as_secs())
                        .ignore();
                }
                Err(e) => tracing::error!(error = %e, "could not encode a connection checkpoint"),
            }
        }
        for id in &due.forget {
            pipe.cmd("DEL").arg(keys.checkpoint(id)).ignore();
        }
        let written = match conn.as_mut() {
            Some(c) => pipe.query_async::<()>(c).await,
            None => match redis_connection(&client).await {
                Ok(mut c) => {
                    let result = pipe.query_async::<()>(&mut c).await;
                    conn = Some(c);
                    result
                }
                Err(e) => Err(e),
            },
        };
        match written {
            Ok(()) => hub.checkpoints_forgotten(&due.forget),
            Err(e) => {
                // Written again once they move or come due; the records in
                // Redis stay valid meanwhile, only older.
                health.failed("checkpoints", &e);
                conn = None;
            }
        }
    }
}
