//! The receiving side of `ws-fanout`: one task per socket, tallying the
//! bench posts that arrive (first arrivals, duplicates, reordering) and
//! their delivery latency.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Instant;

use futures::StreamExt;
use hdrhistogram::Histogram;
use tokio::sync::{mpsc, watch, Semaphore};
use tokio_tungstenite::tungstenite::Message;

use super::measure::now_micros;
use super::socket::{bench_post, open_socket};

/// Latencies a receiver collects before taking the shared histogram's lock,
/// so a thousand sockets do not contend on it for every frame.
const LATENCY_BATCH: usize = 16;

/// What every receiving socket shares.
pub(super) struct Receivers {
    pub(super) url: String,
    pub(super) gate: Semaphore,
    /// Posts of the run: numbers at or above are not this run's.
    pub(super) posts: u64,
    /// Post-to-delivery latency in µs, filled in batches.
    pub(super) latency: Mutex<Histogram<u64>>,
    /// First arrivals so far over all sockets, so the drain can end early.
    pub(super) delivered: AtomicU64,
}

/// One receiving socket's tally.
pub(super) struct Tally {
    /// Bit n is set once post n has arrived.
    seen: Vec<u64>,
    limit: u64,
    pub(super) unique: u64,
    pub(super) duplicates: u64,
    /// Arrivals numbered below one already seen. Several posters send
    /// concurrently, so the server may order close posts either way; this
    /// counts that too, not only reordering in delivery.
    pub(super) reordered: u64,
    /// `posted` events that are not this run's bench posts.
    pub(super) foreign: u64,
    highest: Option<u64>,
    pub(super) last_delivery: Option<Instant>,
    pub(super) disconnected: bool,
}

impl Tally {
    pub(super) fn new(limit: u64) -> Tally {
        Tally {
            seen: vec![0; usize::try_from(limit.div_ceil(64)).unwrap_or(0)],
            limit,
            unique: 0,
            duplicates: 0,
            reordered: 0,
            foreign: 0,
            highest: None,
            last_delivery: None,
            disconnected: false,
        }
    }

    /// Records the arrival of post `n`; true when it is the first.
    pub(super) fn record(&mut self, n: u64) -> bool {
        if n >= self.limit {
            self.foreign += 1;
            return false;
        }
        let Ok(index) = usize::try_from(n / 64) else {
            self.foreign += 1;
            return false;
        };
        let Some(word) = self.seen.get_mut(index) else {
            self.foreign += 1;
            return false;
        };
        let bit = 1u64 << (n % 64);
        if *word & bit != 0 {
            self.duplicates += 1;
            return false;
        }
        *word |= bit;
        self.unique += 1;
        if self.highest.is_some_and(|h| n < h) {
            self.reordered += 1;
        } else {
            self.highest = Some(n);
        }
        true
    }
}

/// Moves a batch of latencies into the shared histogram.
fn flush(histogram: &Mutex<Histogram<u64>>, batch: &mut Vec<u64>) {
    let mut h = histogram.lock().unwrap_or_else(PoisonError::into_inner);
    for v in batch.drain(..) {
        let _ = h.record(v);
    }
}

/// One receiving socket: opens, reports, then tallies bench posts until told
/// to stop.
pub(super) async fn fanout_socket(
    shared: Arc<Receivers>,
    token: Arc<str>,
    ready: mpsc::UnboundedSender<anyhow::Result<()>>,
    mut stop: watch::Receiver<bool>,
) -> Tally {
    let mut tally = Tally::new(shared.posts);
    let opened = {
        let _permit = shared.gate.acquire().await;
        open_socket(&shared.url, &token).await
    };
    let mut ws = match opened {
        Ok(ws) => ws,
        Err(e) => {
            let _ = ready.send(Err(e));
            tally.disconnected = true;
            return tally;
        }
    };
    let _ = ready.send(Ok(()));
    let mut batch: Vec<u64> = Vec::with_capacity(LATENCY_BATCH);
    loop {
        let msg = tokio::select! {
            msg = ws.next() => msg,
            _ = stop.changed() => break,
        };
        let text = match msg {
            Some(Ok(Message::Text(text))) => text,
            Some(Ok(Message::Close(_)) | Err(_)) | None => {
                tally.disconnected = true;
                break;
            }
            Some(Ok(_)) => continue,
        };
        let text = text.as_str();
        // Most frames are not posts: skip them before any parsing.
        if !text.contains("\"posted\"") {
            continue;
        }
        let received = now_micros();
        let Some((n, sent)) = bench_post(text) else {
            tally.foreign += 1;
            continue;
        };
        if tally.record(n) {
            tally.last_delivery = Some(Instant::now());
            shared.delivered.fetch_add(1, Ordering::Relaxed);
            batch.push(received.saturating_sub(sent));
            if batch.len() >= LATENCY_BATCH {
                flush(&shared.latency, &mut batch);
            }
        }
    }
    flush(&shared.latency, &mut batch);
    if !tally.disconnected {
        let _ = ws.close(None).await;
    }
    tally
}
