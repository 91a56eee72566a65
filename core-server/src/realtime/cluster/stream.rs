//! The cluster's event stream: one publisher per node appends the node's
//! events (in batches, in order), and one reader per node delivers every
//! node's events in the stream's order.

use std::sync::atomic::Ordering;
use std::sync::Arc;

use redis::streams::{StreamReadOptions, StreamReadReply};
use redis::AsyncCommands;
use tokio::sync::{mpsc, watch};

use super::{redis_connection, Health, Keys, FIRST_BACKOFF, MAX_BACKOFF};
use crate::events::{CoreEvent, EventBus};
use crate::realtime::position::Position;
use crate::services::Core;

/// Stream entries kept (roughly: Redis trims in whole blocks). Nodes keep
/// the recent ones themselves; this bounds Redis's memory.
const STREAM_LENGTH: usize = 100_000;
/// Events appended in one round trip.
const BATCH: usize = 256;
/// Entries read at once.
const READ_COUNT: usize = 1_024;
/// How long a read waits for new entries, ms (below the response timeout).
const READ_BLOCK_MS: usize = 2_000;
/// The field holding an entry's event (JSON).
const FIELD: &str = "e";

pub(super) async fn publish_loop(
    client: redis::Client,
    keys: Keys,
    mut inbox: mpsc::Receiver<Arc<CoreEvent>>,
    done: watch::Sender<u64>,
    events: EventBus,
    health: Arc<Health>,
) {
    let finished = |n: usize| done.send_modify(|d| *d += n as u64);
    let mut backoff = FIRST_BACKOFF;
    let mut batch: Vec<Arc<CoreEvent>> = Vec::with_capacity(BATCH);
    loop {
        let conn = redis_connection(&client).await;
        let mut conn = match conn {
            Ok(conn) => conn,
            Err(e) => {
                health.failed("connect", &e);
                health.publishing.store(false, Ordering::Relaxed);
                // What was handed over meanwhile is delivered here at once.
                while let Ok(event) = inbox.try_recv() {
                    events.deliver_unordered(event);
                    finished(1);
                }
                tokio::time::sleep(backoff).await;
                backoff = (backoff * 2).min(MAX_BACKOFF);
                continue;
            }
        };
        backoff = FIRST_BACKOFF;
        health.publishing.store(true, Ordering::Relaxed);
        loop {
            let Some(first) = inbox.recv().await else {
                return;
            };
            batch.push(first);
            while batch.len() < BATCH {
                match inbox.try_recv() {
                    Ok(event) => batch.push(event),
                    Err(_) => break,
                }
            }
            let mut pipe = redis::pipe();
            for event in &batch {
                match serde_json::to_string(&**event) {
                    Ok(payload) => {
                        pipe.cmd("XADD")
                            .arg(&*keys.stream)
                            .arg("MAXLEN")
                            .arg("~")
                            .arg(STREAM_LENGTH)
                            .arg("*")
                            .arg(FIELD)
                            .arg(payload)
                            .ignore();
                    }
                    Err(e) => {
                        tracing::error!(error = %e, "could not encode an event for the cluster")
                    }
                }
            }
            let sent: redis::RedisResult<()> = pipe.query_async(&mut conn).await;
            match sent {
                Ok(()) => {
                    health.recovered();
                    crate::metrics::cluster_published(batch.len() as u64);
                    finished(batch.len());
                    batch.clear();
                }
                Err(e) => {
                    health.failed("publish", &e);
                    health.publishing.store(false, Ordering::Relaxed);
                    // Not appended (or not known to be): delivered here, so
                    // this node's users still get them.
                    let n = batch.len();
                    for event in batch.drain(..) {
                        events.deliver_unordered(event);
                    }
                    finished(n);
                    break;
                }
            }
        }
        tokio::time::sleep(backoff).await;
    }
}

pub(super) async fn read_loop(client: redis::Client, keys: Keys, core: Core, health: Arc<Health>) {
    let mut backoff = FIRST_BACKOFF;
    loop {
        match read_until_failure(&client, &keys, &core, &health).await {
            Ok(()) => return,
            Err(e) => {
                health.failed("read", &e);
                tokio::time::sleep(backoff).await;
                backoff = (backoff * 2).min(MAX_BACKOFF);
            }
        }
    }
}

async fn read_until_failure(
    client: &redis::Client,
    keys: &Keys,
    core: &Core,
    health: &Health,
) -> redis::RedisResult<()> {
    let mut conn = redis_connection(client).await?;
    let mut after = match core.hub.position() {
        Some(position) => position,
        None => {
            // A new node starts after the stream's current end.
            let last: StreamRangeTail = conn.xrevrange_count(&*keys.stream, "+", "-", 1).await?;
            let start = last.0.unwrap_or_default();
            core.hub.start_at(start);
            start
        }
    };
    health.reading.store(true, Ordering::Relaxed);
    health.recovered();
    let options = StreamReadOptions::default()
        .count(READ_COUNT)
        .block(READ_BLOCK_MS);
    loop {
        let reply: Option<StreamReadReply> = conn
            .xread_options(&[&*keys.stream], &[after.to_string()], &options)
            .await?;
        let Some(reply) = reply else {
            continue; // nothing new within the block time
        };
        for entry in reply.keys.into_iter().flat_map(|k| k.ids) {
            let Ok(position) = entry.id.parse::<Position>() else {
                continue;
            };
            after = position;
            let payload: Option<Vec<u8>> = entry.get(FIELD);
            match payload.map(|p| serde_json::from_slice::<CoreEvent>(&p)) {
                Some(Ok(event)) => {
                    crate::metrics::cluster_received(1);
                    core.events.deliver_at(position, event)
                }
                // Every node skips the same entry, so numbering still agrees.
                _ => {
                    tracing::warn!(%position, "ignoring an undecodable event of the cluster stream")
                }
            }
        }
    }
}

/// The id of the last entry of a stream, if any (the reply of
/// `XREVRANGE key + - COUNT 1`).
struct StreamRangeTail(Option<Position>);

impl redis::FromRedisValue for StreamRangeTail {
    fn from_redis_value(value: &redis::Value) -> redis::RedisResult<Self> {
        let reply = redis::streams::StreamRangeReply::from_redis_value(value)?;
        Ok(StreamRangeTail(
            reply.ids.first().and_then(|entry| entry.id.parse().ok()),
        ))
    }
}
