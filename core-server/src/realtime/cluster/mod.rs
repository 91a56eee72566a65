//! The link between nodes, through Redis. Every event published on any node
//! is appended to one Redis stream, and every node (the publishing one too)
//! delivers the stream's events in the stream's order, so all nodes number
//! a connection's events alike. Each node also writes checkpoints of its
//! connections (see [`crate::realtime::Checkpoint`]): with them, a client
//! whose node died resumes on another node and misses nothing.
//!
//! When Redis is away a node keeps serving its own sockets (its events are
//! then delivered at once, outside the stream's order), says so once, and
//! reconnects with backoff.

mod checkpoints;
mod stream;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{mpsc, watch};

use crate::events::{ClusterSink, CoreEvent};
use crate::services::Core;

/// Events waiting for the publisher; beyond this they are delivered here at once.
const OUTBOX: usize = 16_384;
const FIRST_BACKOFF: Duration = Duration::from_millis(100);
const MAX_BACKOFF: Duration = Duration::from_secs(5);
/// How long a command to Redis may take before the link counts as down
/// (the stream reader's blocking read waits less than this).
const RESPONSE_TIMEOUT: Duration = Duration::from_secs(5);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(2);

/// Whether the link is up, logging only the transitions.
struct Health {
    down: AtomicBool,
    /// Whether the publisher can append to the stream right now.
    publishing: AtomicBool,
    /// Whether the reader knows where it starts (what is appended from then
    /// on reaches this node too).
    reading: AtomicBool,
}

impl Health {
    fn failed(&self, what: &str, error: &dyn std::fmt::Display) {
        crate::metrics::redis_up(false);
        if !self.down.swap(true, Ordering::Relaxed) {
            tracing::warn!(error = %error, "redis unavailable ({what}): serving local sockets only until it is back");
        }
    }

    fn recovered(&self) {
        crate::metrics::redis_up(true);
        if self.down.swap(false, Ordering::Relaxed) {
            tracing::info!("redis is back: events flow between nodes again");
        }
    }
}

struct RedisSink {
    outbox: mpsc::Sender<Arc<CoreEvent>>,
    /// Events put in the outbox so far (counted with the sending, so the
    /// count matches the outbox's order).
    taken: std::sync::Mutex<u64>,
    /// Events the publisher is done with so far (in the stream, or
    /// delivered here when the link failed).
    done: watch::Receiver<u64>,
    health: Arc<Health>,
}

/// Longest wait of a write for its events to reach the stream.
const SETTLE_TIMEOUT: Duration = Duration::from_secs(10);

#[async_trait::async_trait]
impl ClusterSink for RedisSink {
    fn forward(&self, event: &Arc<CoreEvent>) -> bool {
        if !self.health.publishing.load(Ordering::Relaxed)
            || !self.health.reading.load(Ordering::Relaxed)
        {
            return false;
        }
        let mut taken = self.taken.lock().unwrap_or_else(|p| p.into_inner());
        if self.outbox.try_send(event.clone()).is_err() {
            self.health
                .failed("outbox full", &"events are delivered on this node only");
            return false;
        }
        *taken += 1;
        true
    }

    async fn settled(&self) {
        let target = *self.taken.lock().unwrap_or_else(|p| p.into_inner());
        let mut done = self.done.clone();
        let _ = tokio::time::timeout(SETTLE_TIMEOUT, done.wait_for(|d| *d >= target)).await;
    }
}

/// Where the cluster's keys live in Redis.
#[derive(Clone)]
struct Keys {
    /// The stream of events.
    stream: Arc<str>,
}

impl Keys {
    fn checkpoint(&self, connection_id: &str) -> String {
        format!("{}:conn:{connection_id}", self.stream)
    }
}

/// A connection with the cluster's connect and response timeouts.
pub(crate) async fn redis_connection(
    client: &redis::Client,
) -> redis::RedisResult<redis::aio::MultiplexedConnection> {
    let config = redis::AsyncConnectionConfig::new()
        .set_connection_timeout(CONNECT_TIMEOUT)
        .set_response_timeout(RESPONSE_TIMEOUT);
    client
        .get_multiplexed_async_connection_with_config(&config)
        .await
}

/// Connects this node to the others through Redis, when `redis_url` is set.
/// Returns at once: connecting and reconnecting happen in the background.
pub fn connect(core: &Core) -> Result<(), crate::Error> {
    let Some(url) = core.config().redis_url.clone() else {
        return Ok(());
    };
    let client = redis::Client::open(url.as_str())
        .map_err(|e| crate::Error::invalid("redis_url", e.to_string()))?;
    let keys = Keys {
        stream: Arc::from(core.config().redis_channel.as_str()),
    };
    let health = Arc::new(Health {
        down: AtomicBool::new(false),
        publishing: AtomicBool::new(false),
        reading: AtomicBool::new(false),
    });
    let (outbox, inbox) = mpsc::channel(OUTBOX);
    let (done_tx, done) = watch::channel(0u64);
    core.hub
        .set_ordered(Arc::new(checkpoints::RedisCheckpoints::new(
            client.clone(),
            keys.clone(),
        )));
    tokio::spawn(stream::publish_loop(
        client.clone(),
        keys.clone(),
        inbox,
        done_tx,
        core.events.clone(),
        health.clone(),
    ));
    tokio::spawn(stream::read_loop(
        client.clone(),
        keys.clone(),
        core.clone(),
        health.clone(),
    ));
    tokio::spawn(checkpoints::write_loop(
        client,
        keys,
        core.hub.clone(),
        health.clone(),
    ));
    core.events.set_cluster(Arc::new(RedisSink {
        outbox,
        taken: std::sync::Mutex::new(0),
        done,
        health,
    }));
    Ok(())
}
