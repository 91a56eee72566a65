//! The link between nodes: every event published on a node goes to one Redis
//! pub/sub channel, and every node delivers what the others published to its
//! own sockets. One publisher per node keeps its events in order. When Redis
//! is away a node keeps serving its own sockets, says so once, and reconnects
//! with backoff.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use futures::StreamExt;
use serde::{Deserialize, Serialize};
use tokio::sync::mpsc;

use crate::events::{ClusterSink, CoreEvent};
use crate::services::Core;

/// Events waiting for the publisher; beyond this they are dropped (and said so).
const OUTBOX: usize = 16_384;
const FIRST_BACKOFF: Duration = Duration::from_millis(100);
const MAX_BACKOFF: Duration = Duration::from_secs(5);

#[derive(Serialize, Deserialize)]
struct Envelope {
    node: String,
    event: CoreEvent,
}

/// Whether the link is up, logging only the transitions.
struct Health {
    down: AtomicBool,
}

impl Health {
    fn failed(&self, what: &str, error: &dyn std::fmt::Display) {
        if !self.down.swap(true, Ordering::Relaxed) {
            tracing::warn!(error = %error, "redis unavailable ({what}): serving local sockets only until it is back");
        }
    }

    fn recovered(&self) {
        if self.down.swap(false, Ordering::Relaxed) {
            tracing::info!("redis is back: events flow between nodes again");
        }
    }
}

struct RedisSink {
    outbox: mpsc::Sender<Arc<CoreEvent>>,
    health: Arc<Health>,
}

impl ClusterSink for RedisSink {
    fn forward(&self, event: &Arc<CoreEvent>) {
        if self.outbox.try_send(event.clone()).is_err() {
            self.health
                .failed("outbox full", &"events are not reaching other nodes");
        }
    }
}

/// Connects this node to the others through Redis, when `redis_url` is set.
/// Returns at once: connecting and reconnecting happen in the background.
pub fn connect(core: &Core) -> Result<(), crate::Error> {
    let Some(url) = core.config.redis_url.clone() else {
        return Ok(());
    };
    let client = redis::Client::open(url.as_str())
        .map_err(|e| crate::Error::invalid("redis_url", e.to_string()))?;
    let node = crate::id::new_id();
    let channel = core.config.redis_channel.clone();
    let health = Arc::new(Health {
        down: AtomicBool::new(false),
    });
    let (outbox, inbox) = mpsc::channel(OUTBOX);
    tokio::spawn(publish_loop(
        client.clone(),
        channel.clone(),
        node.clone(),
        inbox,
        health.clone(),
    ));
    tokio::spawn(subscribe_loop(
        client,
        channel,
        node,
        core.clone(),
        health.clone(),
    ));
    core.events
        .set_cluster(Arc::new(RedisSink { outbox, health }));
    Ok(())
}

async fn publish_loop(
    client: redis::Client,
    channel: String,
    node: String,
    mut inbox: mpsc::Receiver<Arc<CoreEvent>>,
    health: Arc<Health>,
) {
    let mut backoff = FIRST_BACKOFF;
    let mut pending: Option<String> = None;
    loop {
        let mut conn = match client.get_multiplexed_async_connection().await {
            Ok(conn) => conn,
            Err(e) => {
                health.failed("connect", &e);
                // Events published meanwhile cannot reach anyone in time.
                while inbox.try_recv().is_ok() {}
                pending = None;
                tokio::time::sleep(backoff).await;
                backoff = (backoff * 2).min(MAX_BACKOFF);
                continue;
            }
        };
        backoff = FIRST_BACKOFF;
        loop {
            let payload = match pending.take() {
                Some(p) => p,
                None => {
                    let Some(event) = inbox.recv().await else {
                        return;
                    };
                    let envelope = Envelope {
                        node: node.clone(),
                        event: (*event).clone(),
                    };
                    match serde_json::to_string(&envelope) {
                        Ok(p) => p,
                        Err(e) => {
                            tracing::error!(error = %e, "could not encode an event for other nodes");
                            continue;
                        }
                    }
                }
            };
            let sent: redis::RedisResult<i64> = redis::cmd("PUBLISH")
                .arg(&channel)
                .arg(&payload)
                .query_async(&mut conn)
                .await;
            match sent {
                Ok(_) => health.recovered(),
                Err(e) => {
                    health.failed("publish", &e);
                    pending = Some(payload);
                    break;
                }
            }
        }
        tokio::time::sleep(backoff).await;
    }
}

async fn subscribe_loop(
    client: redis::Client,
    channel: String,
    node: String,
    core: Core,
    health: Arc<Health>,
) {
    let mut backoff = FIRST_BACKOFF;
    loop {
        let mut pubsub = match client.get_async_pubsub().await {
            Ok(p) => p,
            Err(e) => {
                health.failed("subscribe", &e);
                tokio::time::sleep(backoff).await;
                backoff = (backoff * 2).min(MAX_BACKOFF);
                continue;
            }
        };
        if let Err(e) = pubsub.subscribe(&channel).await {
            health.failed("subscribe", &e);
            tokio::time::sleep(backoff).await;
            backoff = (backoff * 2).min(MAX_BACKOFF);
            continue;
        }
        backoff = FIRST_BACKOFF;
        health.recovered();
        let mut messages = pubsub.on_message();
        while let Some(message) = messages.next().await {
            let payload: Vec<u8> = match message.get_payload() {
                Ok(p) => p,
                Err(_) => continue,
            };
            match serde_json::from_slice::<Envelope>(&payload) {
                Ok(envelope) if envelope.node != node => core.events.deliver_remote(envelope.event),
                Ok(_) => {}
                Err(e) => {
                    tracing::warn!(error = %e, "ignoring an undecodable event from another node")
                }
            }
        }
        health.failed("subscription ended", &"connection lost");
        tokio::time::sleep(backoff).await;
    }
}
